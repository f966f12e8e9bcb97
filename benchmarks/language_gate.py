"""A gate for one theme space across languages: can a store's vectors tell whether its languages share one business?

    .venv/bin/pip install hassil home-assistant-intents        # benchmark-only (parallel_sets.py)
    VOCMINE_SHARED_DATA=../shared/data python benchmarks/language_gate.py [--per-item 8 30]
        [--languages 1500:1000:513 4000:2500:513] [--twcs 2000] [--skip-fits] [--seed 42]

Moving each language onto a common centre puts the same request in two languages into one theme
more often (docs/languages.md, "Remedies measured"), and where each language is its own business
it puts the businesses together ("One theme space across languages": Polish products fall in with
Ukrainian public services and Chinese food delivery). Alignment would help only behind a gate that
reads, from the store's own vectors, whether its languages talk about the same things. Cases:

- **same business** (the gate must turn on): Home Assistant requests, English with Chinese, Polish
  and Ukrainian, ``--per-item`` requests per item and language (both languages ask for the same
  102 / 106 / 55 things);
- **different businesses** (the gate must stay off, or alignment must keep each language's
  domain): the zh + uk + pl set of ``mixed_themes.py`` (Chinese food delivery and hotels,
  Ukrainian public services, Polish products) at each ``--languages`` size, and within each draw
  the pairs Chinese food delivery + Polish products and Chinese hotels + Ukrainian public
  services; with ``--twcs``, English tweets to brands (twcs, customers only) + Ukrainian public
  services.

Gate statistics, per pair of languages A-B (d: the store's mean of A minus mean of B):

- ``interleave``: for a balanced sample (up to 1,500 each), the share of a text's 10 nearest
  neighbours in the other language over the share expected if language did not matter, as the
  vectors are and after both are shifted onto their common mean (idea (b): same subjects should
  interleave once the offset is gone);
- ``cos(d,T)`` and ``|d|/|T|``: T is the language offset the journey taxonomy gives (the mean,
  over its stages and touchpoints with examples in every language, of the entry's mean vector
  in A minus in B): if d is mostly T, the store's difference is mostly language (idea (a));
- ``topic match``: each language's vectors centred and clustered (k-means, k = 10, three seeds
  from ``--seed``; with ``--match-seeds``, again from each of those):
  a centroid's nearest centroid in the other language minus its nearest in its own, averaged;
  above zero, each topic has a counterpart across languages closer than its own neighbours;
- for an English pair of Home Assistant requests, ``cos(d,R)`` and ``cos(T,R)``: R is the offset
  of a truly parallel reference (Home Assistant's replies, translated sentence by sentence), so
  ``cos(d,R)`` is how well idea (a) could do with a perfect reference.

Fits, on the same vectors (vocmine's discovery as a refit runs it, seed 42):

- ``vocmine``: as today;
- ``+aligned``: every language with 50+ texts shifted onto the store's mean (rows renormalised),
  what ``[themes] align_languages = "full"`` does;
- ``+partial``: each language moved only along its taxonomy language direction (the component
  of its mean's deviation from the store's mean along the taxonomy's offset for that language):
  idea (c), which should leave a domain's own direction in place; ``align_languages = "partial"``.
  Both call vocmine.themes.languages (``language_alignment_check.py`` shows the numbers are the
  ones measured before the method moved into the library).

Measures: Home Assistant as ``parallel_themes.py`` (purity against the item and the intent,
same-item pairs in one theme across the two languages and within one); real feedback as
``mixed_themes.py`` (NMI and homogeneity against the domain, per-language domain purity, themes
of 10+ whose biggest domain holds under 90%). Vectors cached in benchmarks/results/. Asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import homogeneity_score, normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cross_language import load_english
from embed_languages import load_set, purity, sample_rows, vectors_for
from mixed_themes import DOMAIN, documents_of, mixing_themes, per_language_purity
from parallel_sets import Row, home_assistant_replies, home_assistant_requests
from parallel_themes import request_documents, together, vectors

from vocmine.config import ThemesConfig
from vocmine.embed.backends import normalise_rows
from vocmine.journey.taxonomy import load_taxonomy
from vocmine.themes.discover import discover_themes
from vocmine.themes.languages import align_languages

TAXONOMY_LANGUAGES = ("en", "zh", "uk", "pl")


def pair_interleaving(v: np.ndarray, languages: np.ndarray, a: str, b: str, rng: np.random.Generator,
                      sample: int = 1500, neighbours: int = 10) -> tuple[float, float]:
    """(interleaving as the vectors are, once both languages are shifted onto their common mean).

    The same number of texts from each language (the smaller one's count, at most ``sample``),
    so a text's expected share of other-language neighbours is about one half whatever the mix;
    interleaving is the share found over that: 0 two separate clouds, 1 one cloud."""
    m = min(sample, int((languages == a).sum()), int((languages == b).sum()))
    rows = [rng.choice(np.flatnonzero(languages == lang), m, replace=False) for lang in (a, b)]
    x = np.vstack([v[r] for r in rows]).astype(np.float32)
    side = np.repeat([0, 1], m)
    shifted = x.copy()
    for s in (0, 1):
        shifted[side == s] += x.mean(axis=0) - x[side == s].mean(axis=0)
    return _interleaving(x, side, neighbours), _interleaving(normalise_rows(shifted), side, neighbours)


def _interleaving(x: np.ndarray, side: np.ndarray, neighbours: int) -> float:
    similarity = x @ x.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argpartition(-similarity, neighbours - 1, axis=1)[:, :neighbours]
    expected = (side.size / 2) / (side.size - 1)  # the other half of a balanced sample, oneself aside
    return float((side[nearest] != side[:, None]).mean() / expected)


def taxonomy_entries(loaded: dict) -> dict[str, np.ndarray]:
    """{language: entries x dim}: per stage and touchpoint with examples in every language, the
    mean vector of its phrases in that language (English: description and examples)."""
    taxonomy, rows = load_taxonomy(), []
    for kind, entries in (("stage", taxonomy.stages), ("touchpoint", taxonomy.touchpoints)):
        for entry in entries:
            if not all(entry.languages.get(lang) and entry.languages[lang].examples for lang in TAXONOMY_LANGUAGES[1:]):
                continue
            item = f"{kind}:{entry.id}"
            rows += [Row(text, "en", item) for text in (entry.description, *entry.examples)]
            rows += [Row(text, lang, item) for lang in TAXONOMY_LANGUAGES[1:] for text in entry.languages[lang].examples]
    v = vectors(rows, "e5", loaded).astype(np.float64)
    items = sorted({r.item_id for r in rows})
    language, item = np.array([r.language for r in rows]), np.array([r.item_id for r in rows])
    return {lang: np.vstack([v[(language == lang) & (item == it)].mean(axis=0) for it in items])
            for lang in TAXONOMY_LANGUAGES}


def gate_statistics(v: np.ndarray, languages: np.ndarray, a: str, b: str, entries: dict, seed: int,
                    loaded: dict | None = None, match_seeds: tuple[int, ...] = ()) -> str:
    """The gate statistics of one pair; with ``loaded`` (an English pair), also the cosine of d and
    of T with the offset of a truly parallel reference, Home Assistant's replies (R)."""
    v = v.astype(np.float64)
    before, after = pair_interleaving(v, languages, a, b, np.random.default_rng(seed))
    d = v[languages == a].mean(axis=0) - v[languages == b].mean(axis=0)
    t = (entries[a] - entries[b]).mean(axis=0)
    cosine = float(d @ t / np.linalg.norm(d) / np.linalg.norm(t))
    line = (f"interleave {before:.2f} -> {after:.2f}   cos(d,T) {cosine:.3f}   |d|/|T| "
            f"{np.linalg.norm(d) / np.linalg.norm(t):.2f}   topic match "
            + " ".join(f"{topic_match(v, languages, a, b, s):+.3f}" for s in (seed, *match_seeds)))
    if loaded is not None:
        rows = home_assistant_replies([a, b])
        r = vectors(rows, "e5", loaded).astype(np.float64)
        lang = np.array([row.language for row in rows])
        offset = r[lang == a].mean(axis=0) - r[lang == b].mean(axis=0)
        line += (f"   cos(d,R) {float(d @ offset / np.linalg.norm(d) / np.linalg.norm(offset)):.3f}   "
                 f"cos(T,R) {float(t @ offset / np.linalg.norm(t) / np.linalg.norm(offset)):.3f}")
    return line


def topic_match(v: np.ndarray, languages: np.ndarray, a: str, b: str, seed: int, k: int = 10) -> float:
    """Mean over both languages' k centroids (each language centred) of: cosine to the nearest
    centroid of the other language minus cosine to the nearest other centroid of its own; mean of three seeds."""
    scores = []
    for s in range(3):
        c = [normalise_rows(KMeans(k, n_init=1, random_state=seed + s).fit(x - x.mean(axis=0)).cluster_centers_)
             for x in (v[languages == a], v[languages == b])]
        for own, other in ((c[0], c[1]), (c[1], c[0])):
            within = own @ own.T
            np.fill_diagonal(within, -1)
            scores += ((own @ other.T).max(axis=1) - within.max(axis=1)).tolist()
    return float(np.mean(scores))


def moved(v: np.ndarray, languages: np.ndarray, how: str, entries: dict) -> np.ndarray:
    """The vectors ``+aligned`` (each language onto the store's mean) or ``+partial`` (along its
    taxonomy direction only), as ``[themes] align_languages = "full"`` / ``"partial"`` move them
    (vocmine.themes.languages); languages under MIN_SEGMENTS stay."""
    means = {lang: rows.mean(axis=0) for lang, rows in entries.items()}
    return align_languages(v, languages, {"aligned": "full", "partial": "partial"}[how], means)


def fit(v: np.ndarray, documents: list[str], seed: int) -> np.ndarray:
    return discover_themes(v, documents, ThemesConfig(seed=seed), phrasings=documents).assignments


def fits(v: np.ndarray, languages: np.ndarray, documents: list[str], entries: dict, seed: int, report) -> None:
    for name, how in (("vocmine", None), ("+aligned", "aligned"), ("+partial", "partial")):
        started = time.perf_counter()
        themes = np.asarray(fit(v if how is None else moved(v, languages, how, entries), documents, seed))
        print(f"  {name:9s} themes {len(set(themes.tolist()) - {-1}):3d}, outliers {float((themes == -1).mean()):.3f}, "
              f"{report(themes)}   ({time.perf_counter() - started:.0f} s)", flush=True)


def requests(args, entries: dict, loaded: dict) -> None:
    print("\n## same business: Home Assistant requests (the gate must turn on)")
    for per_item in args.per_item:
        for other in ("zh", "pl", "uk"):
            rows = home_assistant_requests(["en", other], per_item, args.seed)
            v = vectors(rows, "e5", loaded)
            languages = np.array([r.language for r in rows])
            items = [r.item_id for r in rows]
            intents = [i.split("|")[0] for i in items]
            print(f"\nen-{other}, {len(rows):,} requests ({len(set(items))} items): "
                  f"{gate_statistics(v, languages, 'en', other, entries, args.seed, loaded, args.match_seeds)}", flush=True)
            if not args.skip_fits:
                fits(v, languages, request_documents(rows), entries, args.seed,
                     lambda t, rows=rows, items=items, intents=intents:
                     f"purity item {purity(t, items):.3f}, intent {purity(t, intents):.3f}, same item together "
                     f"across {together(t, rows, True):.3f} / within {together(t, rows, False):.3f}")


def domain_report(domains: list[str], languages: np.ndarray):
    def report(themes: np.ndarray) -> str:
        mixing, share = mixing_themes(themes, domains)
        return (f"NMI domain {normalized_mutual_info_score(domains, themes):.3f}, homogeneity "
                f"{homogeneity_score(domains, themes):.3f}, purity {per_language_purity(themes, domains, list(languages))}, "
                f"domain-mixing themes {mixing} ({share:.1%})")
    return report


def feedback(args, entries: dict, loaded: dict) -> None:
    print("\n## different businesses (the gate must stay off, or each language keep its domain)")
    data = {name: load_set(name) for name in ("zh", "uk", "pl")}
    for spec in args.languages:
        parts, documents, languages, domains = [], [], [], []
        for name, count in zip(("zh", "uk", "pl"), (int(n) for n in spec.split(":")), strict=True):
            texts, labels, _ = data[name]
            rows = sample_rows(len(texts), min(count, len(texts)), args.seed)
            parts.append(vectors_for(name, "e5", texts, rows, args.seed, loaded))
            documents += documents_of([texts[i] for i in rows], name)
            languages += [name] * len(rows)
            domains += [DOMAIN[labels[i]] if name == "zh" else DOMAIN[name] for i in rows]
        v, languages, domains = np.vstack(parts), np.array(languages), np.array(domains)
        subsets = {"zh + uk + pl": np.ones(len(v), bool),
                   "zh food delivery + pl products": np.isin(domains, ["food delivery", "products"]),
                   "zh hotels + uk public services": np.isin(domains, ["hotel", "public services"])}
        for title, rows in subsets.items():
            case(f"{title}, {int(rows.sum()):,} feedback ({dict(Counter(domains[rows].tolist()))})", v[rows],
                 languages[rows], [documents[i] for i in np.flatnonzero(rows)], list(domains[rows]), entries, args)
    if args.twcs:
        texts, _ = load_english("twcs")
        rows = sample_rows(len(texts), min(args.twcs, len(texts)), args.seed)
        uk_texts = data["uk"][0]
        uk_rows = sample_rows(len(uk_texts), 1000, args.seed)
        v = np.vstack([vectors_for("twcs", "e5", texts, rows, args.seed, loaded),
                       vectors_for("uk", "e5", uk_texts, uk_rows, args.seed, loaded)])
        documents = documents_of([texts[i] for i in rows], "en") + documents_of([uk_texts[i] for i in uk_rows], "uk")
        languages = np.array(["en"] * len(rows) + ["uk"] * len(uk_rows))
        domains = ["brands on Twitter"] * len(rows) + ["public services"] * len(uk_rows)
        case(f"en tweets to brands + uk public services, {len(v):,} feedback", v, languages, documents, domains,
             entries, args)


def case(title: str, v: np.ndarray, languages: np.ndarray, documents: list[str], domains: list[str], entries: dict,
         args) -> None:
    print(f"\n{title}")
    for a, b in combinations(sorted(set(languages.tolist())), 2):
        print(f"  {a}-{b}: {gate_statistics(v, languages, a, b, entries, args.seed, None, args.match_seeds)}",
              flush=True)
    if not args.skip_fits:
        fits(v, languages, documents, entries, args.seed, domain_report(domains, languages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-item", nargs="+", type=int, default=[8, 30])
    parser.add_argument("--languages", nargs="*", default=["1500:1000:513", "4000:2500:513"],
                        help="zh:uk:pl feedback per draw of the mixed_themes.py set")
    parser.add_argument("--twcs", type=int, default=2000, help="English tweets beside 1,000 Ukrainian reviews (0: none)")
    parser.add_argument("--skip-fits", action="store_true", help="gate statistics only")
    parser.add_argument("--match-seeds", nargs="*", type=int, default=[],
                        help="topic match again with these k-means seeds (how much it moves with the seed)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["requests", "feedback"])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; e5, seed {args.seed}")
    loaded: dict = {}
    entries = taxonomy_entries(loaded)
    print(f"taxonomy: {len(entries['en'])} entries with examples in {', '.join(TAXONOMY_LANGUAGES)}")
    if "requests" not in args.skip:
        requests(args, entries, loaded)
    if "feedback" not in args.skip:
        feedback(args, entries, loaded)


if __name__ == "__main__":
    main()
