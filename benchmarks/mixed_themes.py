"""Themes on mixed sets against their sources: vocmine's discovery vs vanilla BERTopic, same vectors.

    VOCMINE_SHARED_DATA=../shared/data python benchmarks/mixed_themes.py [--sizes 3000 10000]
        [--languages 1500:1000:513 5000:2500:513] [--backend e5] [--seed 42]

Two mixed sets from ../shared/data (never copied into the repository):

1. **zh**: food-delivery (waimai_10k) and hotel (ChnSentiCorp_htl) reviews, a seeded sample of
   each size. Labels: the source, and source x sentiment (the sets' positive/negative).
2. **zh + uk + pl**: the same Chinese reviews, Ukrainian public-service reviews (uk_reviews) and
   Polish product reviews (pl_reviews); ``--languages zh:uk:pl`` gives the feedback per language.
   Labels: the domain (food delivery, hotel, public services, products) and domain x sentiment
   where the set has one (uk: Complaint vs Gratitude).

Every method gets the same vectors (the backend ``auto`` picks for feedback not in English: e5)
and the same documents (words of their language, jieba for Chinese, as enrichment gives them):

- ``vanilla``: ``BERTopic()`` as shipped, its own number of topics (HDBSCAN);
- ``vocmine``: discovery as configured by default (``[min_themes, max_themes]`` = [20, 120]);
- ``vocmine>=2``: the same rule allowed to go down to 2 themes: what the data alone asks for;
- ``vocmine@k``: vocmine fitted at vanilla's number of topics (``target_themes``);
- ``vanilla@k``: BERTopic at vocmine's number of themes (its documented k-means clusterer in place
  of HDBSCAN, since ``nr_topics`` can only reduce and vanilla found fewer);
- ``groups``: vocmine's second level (about sqrt(k) groups of themes by centroid), what an analyst
  sees above themes; ``groups@silhouette``: the same themes grouped where the centroids' silhouette
  is best (tried, not adopted: ``theme_groups.py``), beside it.

Printed per method: themes, outlier share, then against each label (source, and source x
sentiment) NMI, ARI, homogeneity (each
theme holds one label), completeness (each label in one theme) and purity (share of documents
whose theme's majority label is theirs; outliers count as one theme), and the themes that mix
sources (majority source under 90% of a theme of 10 or more). For the mixed-language set, purity
per language: the share of a language's feedback in themes whose majority domain is its own.
NMI rewards matching the number of labels: with two sources, 20 pure themes score about 0.35
(completeness is low) while 2 pure ones score 1. Homogeneity and the mixing themes show whether
themes cross domains, which is what an analyst reading a theme would notice. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, completeness_score, homogeneity_score, normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embed_languages import countable, load_set, purity, sample_rows, vectors_for
from theme_groups import silhouette_groups

from vocmine.config import ThemesConfig
from vocmine.text.words import stop_words, words
from vocmine.themes.discover import discover_themes

DOMAIN = {"waimai": "food delivery", "hotel": "hotel", "uk": "public services", "pl": "products"}
MIXING = 0.9  # a theme whose majority source holds less than this share mixes sources


def documents_of(texts: list[str], language: str) -> list[str]:
    """Words of each text in its language without stop words, joined by spaces (as lemma docs are)."""
    stops = stop_words(language)
    return [" ".join(w for w in words(t, language) if w.lower() not in stops) for t in texts]


def fit(method: str, vectors: np.ndarray, documents: list[str], seed: int, k: int | None = None) -> tuple:
    """(theme per document, number of themes, {way of grouping: group per document})."""
    if method.startswith("vanilla"):
        from bertopic import BERTopic

        model = BERTopic() if k is None else BERTopic(hdbscan_model=KMeans(k, n_init=4, random_state=seed))
        topics = np.asarray(model.fit_transform([countable(d) for d in documents], vectors)[0])
        return topics, len(set(topics.tolist()) - {-1}), {}
    config = {"vocmine": ThemesConfig(seed=seed), "vocmine>=2": ThemesConfig(min_themes=2, seed=seed),
              "vocmine@k": ThemesConfig(min_themes=2, target_themes=k, seed=seed)}[method]
    result = discover_themes(vectors, documents, config, phrasings=documents)  # one point per phrasing, as a refit
    sizes = np.bincount(result.assignments[result.assignments >= 0], minlength=len(result.centroids)).astype(float)
    ways = {"groups": result.groups, "groups@silhouette": silhouette_groups(result.centroids, sizes, result.groups)}
    return result.assignments, len(result.labels), {
        name: np.where(result.assignments >= 0, groups[np.maximum(result.assignments, 0)], -1)
        for name, groups in ways.items()}


def scores(themes: np.ndarray, labels: list[str]) -> str:
    return (f"{normalized_mutual_info_score(labels, themes):5.3f} {adjusted_rand_score(labels, themes):5.3f} "
            f"{homogeneity_score(labels, themes):5.3f} {completeness_score(labels, themes):5.3f} "
            f"{purity(themes, labels):5.3f}")


def mixing_themes(themes: np.ndarray, sources: list[str], minimum: int = 10) -> tuple[int, float]:
    """(themes of ``minimum`` or more documents whose majority source is under MIXING, share of
    documents in them); outliers are not a theme."""
    members: dict[int, Counter] = {}
    for theme, source in zip(themes.tolist(), sources, strict=True):
        if theme != -1:
            members.setdefault(theme, Counter())[source] += 1
    mixed = [c for c in members.values() if sum(c.values()) >= minimum
             and c.most_common(1)[0][1] < MIXING * sum(c.values())]
    return len(mixed), sum(sum(c.values()) for c in mixed) / len(sources)


def per_language_purity(themes: np.ndarray, domains: list[str], languages: list[str]) -> str:
    majority: dict[int, Counter] = {}
    for theme, domain in zip(themes.tolist(), domains, strict=True):
        majority.setdefault(theme, Counter())[domain] += 1
    top = {theme: c.most_common(1)[0][0] for theme, c in majority.items()}
    cells = []
    for language in sorted(set(languages)):
        rows = [i for i, lang in enumerate(languages) if lang == language]
        cells.append(f"{language} {sum(top[themes[i]] == domains[i] for i in rows) / len(rows):5.3f}")
    return " ".join(cells)


HEADER = ("{:13s} {:>6s} {:>5s} | {:^29s} | {:^29s} | {:>10s}".format(
    "method", "themes", "outl.", "source", "source x sentiment", "mixing") + "\n" + "{:13s} {:>6s} {:>5s} | {} | {} | {:>10s}".format(
    "", "", "", "  NMI   ARI  hom. comp. pur.", "  NMI   ARI  hom. comp. pur.", "themes/docs"))


def compare(vectors: np.ndarray, documents: list[str], source: list[str], both: list[str], seed: int,
            languages: list[str] | None = None) -> None:
    print(HEADER + ("   per-language purity (domain)" if languages else ""), flush=True)
    found: dict[str, int] = {}
    runs = [("vanilla", None), ("vocmine", None), ("vocmine>=2", None), ("vocmine@k", "vanilla"),
            ("vanilla@k", "vocmine")]
    for method, same_as in runs:
        started = time.perf_counter()
        themes, k, groups = fit(method, vectors, documents, seed, found.get(same_as))
        found.setdefault(method, k)
        rows = [(method, themes, k)] + ([(f"  {name}", g, len(set(g.tolist()) - {-1})) for name, g in groups.items()]
                                        if method == "vocmine" else [])
        for name, assigned, count in rows:
            mixing, share = mixing_themes(assigned, source)
            line = (f"{name:13s} {count:6d} {float((assigned == -1).mean()):5.3f} | {scores(assigned, source)} | "
                    f"{scores(assigned, both)} | {mixing:3d} {share:6.1%}")
            if languages:
                line += "   " + per_language_purity(assigned, source, languages)
            print(line + (f"   ({time.perf_counter() - started:.0f} s)" if name == method else ""), flush=True)


def zh_set(args, data: dict, size: int, loaded: dict) -> tuple:
    texts, labels, polarity = data["zh"]
    rows = sample_rows(len(texts), size, args.seed)
    source = [DOMAIN[labels[i]] for i in rows]
    return (vectors_for("zh", args.backend, texts, rows, args.seed, loaded), documents_of([texts[i] for i in rows], "zh"),
            source, [f"{s}:{polarity[i]}" for s, i in zip(source, rows, strict=True)])


def mixed_languages(args, data: dict, counts: dict[str, int], loaded: dict) -> tuple:
    parts, documents, languages, domains, both = [], [], [], [], []
    for name, count in counts.items():
        texts, labels, polarity = data[name]
        rows = sample_rows(len(texts), min(count, len(texts)), args.seed)
        parts.append(vectors_for(name, args.backend, texts, rows, args.seed, loaded))
        documents += documents_of([texts[i] for i in rows], name)
        for i in rows:
            domain = DOMAIN[labels[i]] if name == "zh" else DOMAIN[name]
            languages.append(name)
            domains.append(domain)
            both.append(f"{domain}:{polarity[i]}" if polarity[i] else domain)
    return np.vstack(parts), documents, domains, both, languages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[3000, 10000], help="zh reviews per fit")
    parser.add_argument("--languages", nargs="*", default=["1500:1000:513", "5000:2500:513"],
                        help="zh:uk:pl feedback per mixed-language fit")
    parser.add_argument("--backend", default="e5")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; backend {args.backend}, seed {args.seed}")
    data = {name: load_set(name) for name in ("zh", "uk", "pl")}
    loaded: dict = {}
    rounds = max(len(args.sizes), len(args.languages))  # small fits first: their vectors are cached first
    for i in range(rounds):
        if i < len(args.sizes):
            vectors, documents, source, both = zh_set(args, data, args.sizes[i], loaded)
            print(f"\n## zh: {args.sizes[i]:,} reviews, {dict(Counter(source))}")
            compare(vectors, documents, source, both, args.seed)
        if i < len(args.languages):
            counts = dict(zip(("zh", "uk", "pl"), (int(n) for n in args.languages[i].split(":")), strict=True))
            vectors, documents, domains, both, languages = mixed_languages(args, data, counts, loaded)
            print(f"\n## zh + uk + pl: {len(documents):,} feedback, {dict(Counter(domains))}")
            compare(vectors, documents, domains, both, args.seed, languages)

if __name__ == "__main__":
    main()
