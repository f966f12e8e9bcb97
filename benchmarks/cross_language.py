"""One theme space across languages: does the same complaint in two languages land in one theme?

    VOCMINE_SHARED_DATA=../shared/data python benchmarks/cross_language.py [--sizes 600 1500]
        [--background 1.0] [--languages 1500:1000:513] [--min-segments 50] [--seed 42]

Every domain in ../shared/data is in one language, but the same *kinds* of feedback occur in
several of them: rude staff (Chinese hotels and food delivery, Ukrainian public services, English
tweets to brands), waiting and queues, late delivery, price, cleanliness, thanks. ``CONCEPTS``
names each kind by keyword patterns per language, kept here. They are **silver labels**: a
feedback counts for a concept when its text matches the patterns of exactly one concept (one that
matches two is left unlabelled); nobody read them one by one, and a pattern both misses feedback
and catches some that only mention the word. They are good enough to compare methods on the
same feedback, not to quote as accuracy.

The sets (read from ../shared/data, never copied into the repository), each a seeded permutation
of which the first ``HEADS`` rows are candidates (the vectors ``embed_languages.py`` and
``mixed_themes.py`` already cache): zh food-delivery and hotel reviews, uk public-service reviews,
pl product reviews, English customer tweets (twcs, inbound only) and bitext customer requests.

For each size: a seeded sample of ``size`` concept-labelled feedback, drawn in turn from each
(concept, language) cell so that small cells are not drowned, plus ``background`` x size
unlabelled feedback of the same sets (drawn in turn from each set): themes are fitted on both, as
a store holds both; the measures read the labelled ones. The smaller sample is part of the larger.

Vectors: e5 (what ``backend = "auto"`` picks for feedback not in English; a store with 2% or more
of it embeds its English with e5 too), the same for every method, cached in benchmarks/results/.
Methods, on the same vectors and documents:

- ``vanilla``: ``BERTopic()`` as shipped (HDBSCAN, its own number of topics);
- ``vocmine``: vocmine's discovery as a refit runs it (default ``ThemesConfig``, one point per
  phrasing);
- ``+neutral``: the same after each language's vectors are moved onto the common centre
  (``language_shifts``: the vector of each language with ``--min-segments`` or more
  feedback gets ``mean of all - mean of its language`` added, then is L2-normalised);
- ``+centred``: each such language's mean only subtracted (Libovický et al. 2020), so every
  language is centred on zero: cosines spread out and no longer sit on the scale vocmine's
  similarity floors were set for (more outliers);
- ``+taxonomy``: shifts from the journey taxonomy's examples in en, zh, uk and pl (the same
  stages and touchpoints in each language) rather than from the store, so they cannot carry a
  domain of the store (``vocmine+taxonomy`` only).

Printed per method, per concept and overall:

- **x-lang share**: the share of a concept's feedback whose theme also holds that concept in
  another language (2 or more of its feedback there): the same complaint, one theme;
- **pairs across / within**: for two feedback of one concept in two languages, how often they
  share a theme (mean over language pairs with 5+ feedback each); beside it, the same for two
  feedback of one concept in one language, which is what a theme space should reach across
  languages;
- **concept purity / NMI**: the share of labelled feedback whose theme's majority concept is
  theirs, and NMI against the concept: moving all languages together must not blur concepts;
- **multi-language themes**: themes whose second language holds 10% and 3+ of their feedback;
- **domain** measures of ``mixed_themes.py``: themes of 10+ feedback whose biggest domain holds
  under 90% of them, and per language the share of its feedback in themes whose majority domain
  is its own. Here a concept's theme may rightly hold two domains (rude staff in a hotel and in a
  public office); on the zh + uk + pl set of ``mixed_themes.py`` (printed last, ``--languages``)
  the domains share no concept, so mixing there is a loss.

Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import platform
import re
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import combinations
from pathlib import Path

import numpy as np
from sklearn.metrics import homogeneity_score, normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embed_languages import (
    RESULTS,
    SHARED,
    countable,
    load_set,
    model,
    multilingual_share,
    purity,
    sample_rows,
    segments_of,
    vectors_for,
)
from mixed_themes import documents_of, mixed_languages, mixing_themes, per_language_purity

from vocmine.config import ThemesConfig
from vocmine.embed.backends import backend_key, normalise_rows
from vocmine.themes.discover import discover_themes

# Silver labels: per concept, one pattern per language (case-insensitive search in the raw text).
CONCEPTS: dict[str, dict[str, str]] = {
    "rude staff": {
        "zh": r"态度(很|太|非常|极|特别)?(差|不好|恶劣|冷淡|生硬)|不耐烦|爱理不理|服务员.{0,6}(凶|骂|差劲)",
        "uk": r"груб|хамств|хамськ|хамил|нечемн|неввічлив|зневажлив|невихован",
        "pl": r"nieuprzejm|niemił|chamsk|arogan",
        "en": r"\brude\b|unhelpful|unprofessional|\battitude\b|impolite|disrespect",
    },
    "waiting": {
        "zh": r"排队|等了(很久|好久|半天)|等(很|好)久",
        "uk": r"черг|довго чека|чекал[аи]? (годин|довго)|годин[уи]? чека|очікуванн",
        "pl": r"czeka|kolejk",
        "en": r"on hold|\bhold for\b|been waiting|waiting for|\bqueue\b|wait time|still waiting",
    },
    "late delivery": {
        "zh": r"送.{0,4}(慢|晚|迟)|配送.{0,3}慢|超时|迟到|晚到|(一|两|2|1)个(多)?小时才|才送(到|来)",
        "uk": r"доставк.{0,20}(довго|затрим|запізн)",
        "pl": r"(dostaw|przesyłk|kurier).{0,40}(opóźn|długo|późn)|(opóźn|długo|późn).{0,40}(dostaw|przesyłk|kurier)",
        "en": r"\blate\b.{0,30}(deliver|order|package|parcel)|(deliver|order|package|parcel).{0,30}(\blate\b|delay|"
              r"not arrived|hasn't arrived|never arrived|still not|hasn't been delivered)|"
              r"where is my (order|package|parcel)",
    },
    "price": {
        "zh": r"价格|价钱|性价比|太贵|偏贵|便宜|贵了|划算",
        "uk": r"\bцін[аиуіо]|вартіст|дорог[оий]|дешев|переплат",
        "pl": r"\bcen[aęyie]\b|\bcenow|drog[io]|\btani[oe]?\b|opłacal",
        "en": r"\bprices?\b|\bexpensive|overcharg|\bcheap|cost too much",
    },
    "cleanliness": {
        "zh": r"脏|不干净|卫生|干净|异味|蟑螂|头发",
        "uk": r"брудн|чистот|прибиран|антисанітар|смердит",
        "pl": r"brud|czyst|zabrudz|śmierdz",
        "en": r"\bdirty|\bclean|filthy|\bsmell|hygien",
    },
    "thanks": {
        "zh": r"谢谢|感谢|多谢",
        "uk": r"дяку|вдячн|спасиб",
        "pl": r"dziękuj|dzięki|podziękow",
        "en": r"\bthank|\bthanks\b|\bthx\b|appreciate|grateful",
    },
}
HEADS = {"zh": 7000, "uk": 2500, "pl": 513, "twcs": 2778, "bitext": 2000}  # candidates: first rows of the permutation
LANGUAGE = {"zh": "zh", "uk": "uk", "pl": "pl", "twcs": "en", "bitext": "en"}
DOMAIN = {"waimai": "food delivery", "hotel": "hotel", "uk": "public services", "pl": "products",
          "twcs": "brands on Twitter", "bitext": "online shop"}
HOLD = 2  # feedback of a concept in a language that make a theme hold it
CELL = 5  # feedback of a concept in a language needed to compare that language in pairs


def concept_of(text: str, language: str) -> str | None:
    """The one concept whose patterns match the text; None for no match or more than one."""
    hits = [name for name, patterns in CONCEPTS.items()
            if language in patterns and re.search(patterns[language], text, re.IGNORECASE)]
    return hits[0] if len(hits) == 1 else None


def load_english(name: str) -> tuple[list[str], list[str]]:
    """(texts, '') of twcs (customers' tweets only) or bitext (the customers' requests)."""
    if name == "twcs":
        with (SHARED / "twcs_head5k" / "twcs_first5000.csv").open(encoding="utf-8", newline="") as handle:
            texts = [r["text"] for r in csv.DictReader(handle) if r["inbound"] == "True"]
    else:
        with next((SHARED / "bitext_customer_support").glob("*.csv")).open(encoding="utf-8", newline="") as handle:
            texts = [r["instruction"] for r in csv.DictReader(handle)]
    return texts, [name] * len(texts)


def candidates(seed: int, unit: str = "feedback") -> dict[str, dict]:
    """Per set: the texts, domains and concepts of its candidates: the first HEADS rows of its
    seeded permutation (``unit`` feedback) or their sentences (``unit`` segment)."""
    sets = {}
    for name, head in HEADS.items():
        texts, labels = (load_set(name)[:2] if name in ("zh", "uk", "pl") else load_english(name))
        rows = sample_rows(len(texts), min(head, len(texts)), seed)
        language = LANGUAGE[name]
        domain = [DOMAIN[labels[i]] if name == "zh" else DOMAIN[name] for i in rows]
        if unit == "feedback":
            items, domains = [texts[i] for i in rows], domain
        else:
            pieces = [[p for p in segments_of([texts[i]], 10**6)] for i in rows]
            items = [p for piece in pieces for p in piece]
            domains = [d for piece, d in zip(pieces, domain, strict=True) for _ in piece]
        sets[name] = {"texts": texts, "rows": rows, "language": language, "items": items, "domains": domains,
                      "concepts": [concept_of(t, language) for t in items]}
    return sets


def segment_vectors(backend: str, texts: list[str], loaded: dict) -> np.ndarray:
    """Vectors of drawn sentences, cached in benchmarks/results/ in chunks of 250 by their texts."""
    RESULTS.mkdir(exist_ok=True)
    parts = []
    for start in range(0, len(texts), 250):
        chunk = texts[start:start + 250]
        key = hashlib.sha256("\x1f".join([backend_key(backend), *chunk]).encode("utf-8")).hexdigest()[:20]
        cached = RESULTS / f"cross_language-segments-{key}.npy"
        if not cached.exists():
            np.save(cached, model(backend, loaded).encode(chunk))
        parts.append(np.load(cached))
    return np.vstack(parts) if parts else np.zeros((0, 0), np.float32)


def draw(sets: dict, size: int, background: float, seed: int) -> list[tuple[str, int]]:
    """(set, position in its candidates) of ``size`` labelled feedback, drawn in turn from each
    (concept, language) cell, and ``background`` x size unlabelled ones drawn in turn from each set.
    The same seed gives the same order, so a smaller draw is the head of a larger one."""
    rng = np.random.default_rng(seed)
    cells: dict[tuple[str, str], list] = {}
    unlabelled: dict[str, list] = {}
    for name, s in sets.items():
        for position, concept in enumerate(s["concepts"]):
            if concept is None:
                unlabelled.setdefault(name, []).append((name, position))
            else:
                cells.setdefault((concept, s["language"]), []).append((name, position))
    return _in_turn([cells[k] for k in sorted(cells)], size, rng) + \
        _in_turn([unlabelled[k] for k in sorted(unlabelled)], round(background * size), rng)


def _in_turn(pools: list[list], count: int, rng: np.random.Generator) -> list:
    queues = [[pool[i] for i in rng.permutation(len(pool))] for pool in pools]
    drawn, turn = [], 0
    while len(drawn) < count and any(queues):
        if queues[turn % len(queues)]:
            drawn.append(queues[turn % len(queues)].pop(0))
        turn += 1
    return drawn


# Language-neutral vectors (tried, not adopted: docs/languages.md, "One theme space across
# languages"). Multilingual encoders place every text of a language a little off in the same
# direction (Libovický et al. 2020, "On the language neutrality of pre-trained multilingual
# representations": subtracting each language's mean vector makes translations nearest neighbours
# far more often). A language with fewer than ``min_segments`` texts is left where it is: its mean
# would be the mean of a few subjects, not of the language.


def language_shifts(vectors: np.ndarray, languages: Sequence[str], min_segments: int,
                    keep_centre: bool = True) -> dict[str, np.ndarray]:
    """{language: vector to add to its segments} for every language with ``min_segments`` or
    more segments, when the store holds two or more such languages; otherwise nothing to move.

    ``keep_centre``: each language is moved onto the mean of all segments, so cosines keep the
    scale the similarity floors were set on; without it each language's mean is only
    subtracted (Libovický et al.'s centring), which also removes what all segments share and
    spreads cosines out."""
    languages = np.asarray(languages)
    names, counts = np.unique(languages, return_counts=True)
    kept = [str(n) for n, c in zip(names, counts, strict=True) if c >= min_segments]
    if len(kept) < 2:
        return {}
    overall = vectors.mean(axis=0, dtype=np.float64) if keep_centre else np.zeros(vectors.shape[1])
    return {name: (overall - vectors[languages == name].mean(axis=0, dtype=np.float64)).astype(np.float32)
            for name in kept}


def shift_vectors(vectors: np.ndarray, languages: Sequence[str], shifts: Mapping[str, np.ndarray]) -> np.ndarray:
    """``vectors`` with each row moved by its language's shift and L2-normalised again; rows of a
    language without a shift (too few segments at the fit, or new since) stay as they are."""
    if not shifts or not len(vectors):
        return vectors
    moved = np.array(vectors, dtype=np.float32, copy=True)
    languages = np.asarray(languages)
    for name, shift in shifts.items():
        rows = languages == name
        if rows.any():
            moved[rows] = normalise_rows(moved[rows] + shift)
    return moved


def taxonomy_shifts(backend: str, loaded: dict) -> dict[str, np.ndarray]:
    """Shifts from the journey taxonomy's examples instead of the store: every stage and
    touchpoint with examples in zh, uk and pl (and in English) says about the same things in
    each language, so the difference of their means is the language, not a domain of the store."""
    taxonomy = tomllib.loads((Path(__file__).resolve().parents[1] / "vocmine" / "journey" / "taxonomy.toml")
                             .read_text(encoding="utf-8"))
    examples: dict[str, list[str]] = {"en": [], "zh": [], "uk": [], "pl": []}
    for entry in taxonomy.get("stages", []) + taxonomy.get("touchpoints", []):
        other = entry.get("languages", {})
        if all(other.get(lang, {}).get("examples") for lang in ("zh", "uk", "pl")):
            examples["en"] += entry.get("examples", [])[:3]
            for lang in ("zh", "uk", "pl"):
                examples[lang] += other[lang]["examples"]
    texts = [t for lang in examples for t in examples[lang]]
    languages = [lang for lang in examples for _ in examples[lang]]
    return language_shifts(segment_vectors(backend, texts, loaded), languages, min_segments=1)


def fit(method: str, vectors: np.ndarray, documents: list[str], languages: list[str], seed: int,
        min_segments: int) -> np.ndarray:
    """Theme per feedback (-1: outlier) for ``vanilla`` or ``vocmine``, ``+neutral`` on moved vectors."""
    if method.endswith("+taxonomy"):
        vectors = shift_vectors(vectors, languages, TAXONOMY_SHIFTS)
    elif "+" in method:
        shifts = language_shifts(vectors, languages, min_segments, keep_centre=method.endswith("+neutral"))
        vectors = shift_vectors(vectors, languages, shifts)
    if method.startswith("vanilla"):
        from bertopic import BERTopic

        return np.asarray(BERTopic().fit_transform([countable(d) for d in documents], vectors)[0])
    return np.asarray(discover_themes(vectors, documents, ThemesConfig(seed=seed), phrasings=documents).assignments)


def pair_rate(themes: np.ndarray, a: np.ndarray, b: np.ndarray | None = None) -> float:
    """How often two feedback (one of ``a``, one of ``b``; or two of ``a``) share a theme;
    outliers share none."""
    counts_a = Counter(t for t in themes[a].tolist() if t != -1)
    if b is None:
        pairs = len(a) * (len(a) - 1)
        return sum(n * (n - 1) for n in counts_a.values()) / pairs if pairs else float("nan")
    counts_b = Counter(t for t in themes[b].tolist() if t != -1)
    return sum(n * counts_b[t] for t, n in counts_a.items()) / (len(a) * len(b))


def concept_scores(themes: np.ndarray, concepts: list[str | None], languages: list[str], concept: str) -> tuple:
    """(feedback, languages, x-lang share, pairs across, pairs within) of one concept."""
    members = np.array([c == concept for c in concepts])
    langs = np.array(languages)
    holds: dict[int, Counter] = {}
    for i in np.flatnonzero(members):
        holds.setdefault(int(themes[i]), Counter())[languages[i]] += 1
    joined = [themes[i] != -1 and any(lang != languages[i] and n >= HOLD for lang, n in holds[int(themes[i])].items())
              for i in np.flatnonzero(members)]
    cells = {lang: np.flatnonzero(members & (langs == lang)) for lang in sorted(set(langs[members]))}
    big = [lang for lang, rows in cells.items() if len(rows) >= CELL]
    across = [pair_rate(themes, cells[x], cells[y]) for x, y in combinations(big, 2)]
    within = [pair_rate(themes, cells[x]) for x in big]
    return (int(members.sum()), "/".join(f"{lang} {len(cells[lang])}" for lang in cells), float(np.mean(joined)),
            float(np.mean(across)) if across else float("nan"), float(np.mean(within)) if within else float("nan"))


def nearest(vectors: np.ndarray, languages: list[str], concepts: list[str | None], min_segments: int) -> None:
    """Before any clustering: how often a labelled feedback's nearest labelled feedback in another
    language has its concept, and how often its nearest one overall is in its own language."""
    labelled = np.array([c is not None for c in concepts])
    lang, concept = np.array(languages)[labelled], np.array([c or "" for c in concepts])[labelled]
    for name in ("plain", "+neutral", "+centred", "+taxonomy"):
        shifts = TAXONOMY_SHIFTS if name == "+taxonomy" else {} if name == "plain" else \
            language_shifts(vectors, languages, min_segments, keep_centre=name == "+neutral")
        moved = shift_vectors(vectors, languages, shifts)
        similarity = moved[labelled] @ moved[labelled].T
        np.fill_diagonal(similarity, -np.inf)
        own = lang[similarity.argmax(axis=1)] == lang
        similarity[lang[:, None] == lang[None, :]] = -np.inf
        same = concept[similarity.argmax(axis=1)] == concept
        print(f"  vectors {name:9s}: nearest in another language has the concept {same.mean():.3f}; "
              f"nearest overall is in the same language {own.mean():.3f}")


def mixed_language_themes(themes: np.ndarray, languages: list[str], minority: float = 0.1) -> list[int]:
    """Themes whose second language holds ``minority`` and 3+ of their feedback (as
    ``multilingual_share`` counts them)."""
    members: dict[int, Counter] = {}
    for theme, language in zip(themes.tolist(), languages, strict=True):
        if theme != -1:
            members.setdefault(theme, Counter())[language] += 1
    return [t for t, c in members.items()
            if len(c) > 1 and c.most_common(2)[1][1] >= max(3, minority * sum(c.values()))]


def report(method: str, themes: np.ndarray, concepts: list[str | None], languages: list[str], domains: list[str],
           seconds: float) -> list[float]:
    labelled = np.array([c is not None for c in concepts])
    truth = [c for c in concepts if c is not None]
    rows = [concept_scores(themes, concepts, languages, concept) for concept in CONCEPTS]
    for concept, (n, cells, share, across, within) in zip(CONCEPTS, rows, strict=True):
        print(f"  {method:17s} {concept:14s} {n:5d} {share:8.3f} {across:8.3f} {within:8.3f}   {cells}")
    weights = np.array([r[0] for r in rows], dtype=float)
    share = float(np.average(np.nan_to_num([r[2] for r in rows]), weights=weights))
    across = float(np.nanmean([r[3] for r in rows]))
    within = float(np.nanmean([r[4] for r in rows]))
    multi, k = multilingual_share(themes, languages)
    mixing, mixed_share = mixing_themes(themes, domains)
    in_mixed = labelled & np.isin(themes, mixed_language_themes(themes, languages))
    mixed_purity = purity(themes[in_mixed], [c for c, m in zip(concepts, in_mixed, strict=True) if m]) \
        if in_mixed.any() else float("nan")
    print(f"  {method:17s} {'ALL':14s} {int(weights.sum()):5d} {share:8.3f} {across:8.3f} {within:8.3f}   "
          f"themes {k}, outliers {float((themes == -1).mean()):.3f}, concept purity "
          f"{purity(themes[labelled], truth):.3f}, NMI concept "
          f"{normalized_mutual_info_score(truth, themes[labelled]):.3f}, multi-language themes "
          f"{round(multi * k)}/{k} (concept purity in them {mixed_purity:.3f}, {int(in_mixed.sum())} labelled), "
          f"domain-mixing themes {mixing} ({mixed_share:.1%}), domain purity "
          f"{per_language_purity(themes, domains, languages)}   ({seconds:.0f} s)", flush=True)
    return [share, across, within]


METHODS = ("vanilla", "vanilla+neutral", "vanilla+centred", "vocmine", "vocmine+neutral", "vocmine+centred",
           "vocmine+taxonomy")
TAXONOMY_SHIFTS: dict[str, np.ndarray] = {}  # filled in main: the backend is chosen there


def cross_language(args, sets: dict, size: int, loaded: dict) -> None:
    chosen = draw(sets, size, args.background, args.seed)
    texts = [sets[name]["items"][position] for name, position in chosen]
    if args.unit == "feedback":
        vectors_of = {name: vectors_for(name, args.backend, s["texts"], s["rows"], args.seed, loaded)
                      for name, s in sets.items() if any(n == name for n, _ in chosen)}
        vectors = np.vstack([vectors_of[name][position] for name, position in chosen])
    else:
        vectors = segment_vectors(args.backend, texts, loaded)
    languages = [sets[name]["language"] for name, _ in chosen]
    concepts = [sets[name]["concepts"][position] for name, position in chosen]
    domains = [sets[name]["domains"][position] for name, position in chosen]
    documents = []
    for language in sorted(set(languages)):  # words of each language, as enrichment gives them
        rows = [i for i, lang in enumerate(languages) if lang == language]
        for i, document in zip(rows, documents_of([texts[i] for i in rows], language), strict=True):
            documents.append((i, document))
    documents = [d for _, d in sorted(documents)]
    print(f"\n## cross-language, one {args.unit} a point: {size:,} concept-labelled + {len(chosen) - size:,} unlabelled, "
          f"{dict(Counter(languages))}")
    nearest(vectors, languages, concepts, args.min_segments)
    print(f"  {'method':17s} {'concept':14s} {'n':>5s} {'x-lang':>8s} {'across':>8s} {'within':>8s}   "
          "feedback per language")
    for method in args.methods:
        started = time.perf_counter()
        themes = fit(method, vectors, documents, languages, args.seed, args.min_segments)
        report(method, themes, concepts, languages, domains, time.perf_counter() - started)


def domains_only(args, counts: dict[str, int], loaded: dict) -> None:
    """The zh + uk + pl set of mixed_themes.py (its feedback, or their sentences): a theme that
    mixes its domains puts subjects together that an analyst keeps apart (Polish products with
    Ukrainian public services)."""
    data = {name: load_set(name) for name in ("zh", "uk", "pl")}
    if args.unit == "feedback":
        vectors, documents, domains, _, languages = mixed_languages(args, data, counts, loaded)
    else:
        texts, domains, languages = [], [], []
        for name, count in counts.items():
            rows = sample_rows(len(data[name][0]), min(count, len(data[name][0])), args.seed)
            for i in rows:
                pieces = segments_of([data[name][0][i]], 10**6)
                texts += pieces
                domains += [DOMAIN[data[name][1][i]] if name == "zh" else DOMAIN[name]] * len(pieces)
                languages += [name] * len(pieces)
        vectors = segment_vectors(args.backend, texts, loaded)
        documents = [""] * len(texts)
        for language in ("zh", "uk", "pl"):
            rows = [i for i, lang in enumerate(languages) if lang == language]
            for i, document in zip(rows, documents_of([texts[i] for i in rows], language), strict=True):
                documents[i] = document
    print(f"\n## zh + uk + pl (mixed_themes.py), one {args.unit} a point: {len(documents):,}, {dict(Counter(domains))}")
    for method in args.methods:
        started = time.perf_counter()
        themes = fit(method, vectors, documents, languages, args.seed, args.min_segments)
        mixing, share = mixing_themes(themes, domains)
        multi, k = multilingual_share(themes, languages)
        print(f"  {method:17s} themes {k:3d}, outliers {float((themes == -1).mean()):.3f}, NMI domain "
              f"{normalized_mutual_info_score(domains, themes):.3f}, homogeneity {homogeneity_score(domains, themes):.3f}, "
              f"purity {purity(themes, domains):.3f}, per language {per_language_purity(themes, domains, languages)}, "
              f"domain-mixing themes {mixing} ({share:.1%}), multi-language themes {round(multi * k)}   "
              f"({time.perf_counter() - started:.0f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[600, 1500], help="concept-labelled feedback per fit")
    parser.add_argument("--background", type=float, default=1.0, help="unlabelled feedback per labelled one")
    parser.add_argument("--languages", nargs="*", default=["1500:1000:513"],
                        help="zh:uk:pl feedback per fit of the mixed_themes.py set")
    parser.add_argument("--min-segments", type=int, default=50, help="feedback a language needs to be moved")
    parser.add_argument("--methods", nargs="*", default=list(METHODS), choices=METHODS)
    parser.add_argument("--unit", choices=("feedback", "segment"), default="feedback",
                        help="fit whole feedback (as mixed_themes.py) or their sentences (as a store's segments)")
    parser.add_argument("--backend", default="e5")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; backend {args.backend}, seed {args.seed}")
    sets = candidates(args.seed, args.unit)
    for name, s in sets.items():
        print(f"{name:7s} {len(s['rows']):5d} candidates: {dict(Counter(c for c in s['concepts'] if c))}")
    loaded: dict = {}
    TAXONOMY_SHIFTS.update(taxonomy_shifts(args.backend, loaded))
    for size in args.sizes:
        cross_language(args, sets, size, loaded)
    for spec in args.languages:
        domains_only(args, dict(zip(("zh", "uk", "pl"), (int(n) for n in spec.split(":")), strict=True)), loaded)


if __name__ == "__main__":
    main()
