"""Embedding backends per language: clustering quality, one theme space across languages, speed.

    python benchmarks/embed_languages.py [--backends minilm multilingual e5] [--sizes 1000 2500]
                                         [--themes] [--seed 42]

On real sets in ../shared/data (or VOCMINE_SHARED_DATA), never copied into the repository:

- zh: food-delivery (waimai_10k) and hotel (ChnSentiCorp_htl) reviews mixed; label = which of
  the two sets a review comes from (a second label adds its polarity);
- uk: uk_reviews, label = intent (Gratitude, Complaint, Question, Suggestion, Neutral);
- pl: pl_reviews (513 rows: every size is all of it), label = review polarity;
- banking77 and clinc150 (English), label = intent.

For each backend, in the same run:

1. quality: NMI of k-means (k = number of labels, the same seed) against the labels, at each
   size (a seeded sample; the smaller sample is part of the larger); with ``--themes``, also
   vocmine's theme discovery and vanilla BERTopic on the same vectors for the mixed zh set;
2. one theme space across languages: a mixed set of zh, uk, pl and English (banking77)
   feedback fitted by vocmine's discovery and vanilla BERTopic on the same vectors: NMI and
   purity against the category (domain, and polarity where labelled), the share of themes
   that hold more than one language, and how often a review's nearest neighbour *in another
   language* has the same polarity (the same complaint, another language);
3. speed: segments per second per language (segments cut at sentence ends from the first
   feedback of each set; timed after a warm-up), and cost per segment against English with
   minilm (what ``auto`` would pick for an English store).

Vectors are cached in benchmarks/results/ (git-ignored) per set, backend and seed, so a second
run only fits. Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score

from vocmine.embed import load_backend
from vocmine.embed.backends import backend_key

SHARED = Path(os.environ.get("VOCMINE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
RESULTS = Path(__file__).resolve().parent / "results"
LANGUAGE = {"zh": "zh", "uk": "uk", "pl": "pl", "banking77": "en", "clinc150": "en"}
DOMAIN = {"waimai": "food delivery", "hotel": "hotel", "uk": "public services", "pl": "products",
          "banking77": "banking"}
SENTENCE_END = re.compile(r"(?<=[。！？!?；;…])|\n+|(?<=[.])\s+")


def load_set(name: str) -> tuple[list[str], list[str], list[str]]:
    """(texts, labels, polarity) of a set; polarity is '' where the set has none."""
    if name == "zh":
        texts, labels, polarity = [], [], []
        for source, file in (("waimai", "waimai_10k.csv"), ("hotel", "ChnSentiCorp_htl_all.csv")):
            for row in csv.DictReader((SHARED / "zh_reviews" / file).open(encoding="utf-8")):
                if row["review"] and row["review"].strip():
                    texts.append(row["review"].strip())
                    labels.append(source)
                    polarity.append("positive" if row["label"] == "1" else "negative")
        return texts, labels, polarity
    if name == "uk":
        rows = list(csv.DictReader((SHARED / "uk_reviews" / "uareviews_dev.csv").open(encoding="utf-8")))
        sides = {"Complaint / Dissatisfaction": "negative", "Gratitude / Positive Feedback": "positive"}
        return [r["text"] for r in rows], [r["category"] for r in rows], [sides.get(r["category"], "") for r in rows]
    if name == "pl":
        texts, labels = [], []
        for line in (SHARED / "pl_reviews" / "products_main_all.jsonl").open(encoding="utf-8"):
            text, _, label = json.loads(line)["text"].rpartition("__label__")
            texts.append(text.strip())
            labels.append(label.strip())
        sides = {"meta_minus_m": "negative", "meta_plus_m": "positive"}
        return texts, labels, [sides.get(label, "") for label in labels]
    if name == "banking77":
        rows = list(csv.DictReader((SHARED / "banking77" / "train.csv").open(encoding="utf-8")))
        return [r["text"] for r in rows], [r["category"] for r in rows], [""] * len(rows)
    data = json.loads((SHARED / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    pairs = data["train"] + data["val"] + data["test"]  # in-scope intents only
    return [t for t, _ in pairs], [label for _, label in pairs], [""] * len(pairs)


def sample_rows(n_rows: int, size: int, seed: int) -> np.ndarray:
    """The first ``size`` rows of a seeded permutation: a smaller sample is part of a larger one."""
    return np.random.default_rng(seed).permutation(n_rows)[:size]


CHUNK = 250


def vectors_for(name: str, backend: str, texts: list[str], rows: np.ndarray, seed: int, loaded: dict) -> np.ndarray:
    """Vectors of ``texts[rows]`` (``rows`` the head of the set's seeded permutation), cached in
    chunks of 250 per set, backend version and seed: an interrupted run keeps what it encoded."""
    RESULTS.mkdir(exist_ok=True)
    whole = RESULTS / f"{name}-{backend}.npy"  # quality.py's cache of every row (MiniLM on the English sets)
    if whole.exists() and len(np.load(whole, mmap_mode="r")) == len(texts):
        return np.load(whole)[rows]
    key = re.sub(r"[^A-Za-z0-9.@-]+", "_", backend_key(backend))
    permutation = np.random.default_rng(seed).permutation(len(texts))
    parts = []
    for start in range(0, len(rows), CHUNK):
        cached = RESULTS / f"embed_languages-{name}-{key}-{seed}-{start}.npy"
        if not cached.exists():
            chunk = permutation[start:start + CHUNK]
            np.save(cached, model(backend, loaded).encode([texts[i] for i in chunk]))
        parts.append(np.load(cached))
    return np.vstack(parts)[: len(rows)]


def model(backend: str, loaded: dict):
    if backend not in loaded:
        loaded[backend] = load_backend(backend)
        loaded[backend].encode(["warm up"])
    return loaded[backend]


def kmeans_nmi(vectors: np.ndarray, labels: list[str], seed: int) -> float:
    k = len(set(labels))
    assigned = KMeans(k, n_init=3, random_state=seed).fit_predict(vectors)
    return normalized_mutual_info_score(labels, assigned)


HAN = re.compile(r"[\u4e00-\u9fff]+")


WORD = re.compile(r"\w+")
LETTERS = str.maketrans("0123456789", "ghijklmnop")  # the counter keeps words of letters only


def countable(text: str) -> str:
    """Documents the keyword counter of BERTopic can count: Chinese runs as overlapping
    character pairs, and every word with letters outside ASCII spelt in letters from the hex of its
    UTF-8 bytes (BERTopic built without a language deletes those letters before counting: issue 19,
    fixed in vocmine's theme tokenization by another change). The themes come from the vectors;
    the words only describe them. Both methods get the same documents."""
    text = HAN.sub(lambda m: " " + " ".join(m[0][i:i + 2] for i in range(max(1, len(m[0]) - 1))) + " ", text)
    return WORD.sub(lambda m: m[0] if m[0].isascii() else "u" + m[0].encode("utf-8").hex().translate(LETTERS), text)


def fit_themes(method: str, vectors: np.ndarray, documents: list[str], seed: int) -> np.ndarray:
    """Theme per document: vocmine's discovery as configured by default, or vanilla BERTopic."""
    documents = [countable(d) for d in documents]
    if method == "vanilla":
        from bertopic import BERTopic

        return np.asarray(BERTopic().fit_transform(documents, vectors)[0])
    from vocmine.config import ThemesConfig
    from vocmine.themes.discover import discover_themes

    return np.asarray(discover_themes(vectors, documents, ThemesConfig(seed=seed)).assignments)


def purity(themes: np.ndarray, labels: list[str]) -> float:
    """Share of documents whose theme's majority label is their own (outliers are one theme)."""
    members: dict[int, Counter] = {}
    for theme, label in zip(themes.tolist(), labels, strict=True):
        members.setdefault(theme, Counter())[label] += 1
    return sum(c.most_common(1)[0][1] for c in members.values()) / len(labels)


def multilingual_share(themes: np.ndarray, languages: list[str], minority: float = 0.1) -> tuple[float, int]:
    """(share of themes whose second language holds at least ``minority`` of it and 3 documents,
    number of themes); BERTopic's outliers (-1) are not a theme."""
    members: dict[int, Counter] = {}
    for theme, language in zip(themes.tolist(), languages, strict=True):
        if theme != -1:
            members.setdefault(theme, Counter())[language] += 1
    mixed = 0
    for counts in members.values():
        ranked = counts.most_common(2)
        if len(ranked) == 2 and ranked[1][1] >= max(3, minority * sum(counts.values())):
            mixed += 1
    return mixed / max(1, len(members)), len(members)


def cross_language_agreement(vectors: np.ndarray, languages: list[str], polarity: list[str]) -> float:
    """How often a polarity-labelled review's nearest neighbour in another language (among
    polarity-labelled ones) has the same polarity: the same complaint, in another language."""
    keep = np.array([p != "" for p in polarity])
    v, lang = vectors[keep], np.array(languages)[keep]
    pol = np.array(polarity)[keep]
    similarity = v @ v.T
    similarity[lang[:, None] == lang[None, :]] = -np.inf
    nearest = similarity.argmax(axis=1)
    return float((pol[nearest] == pol).mean())


def segments_of(texts: list[str], count: int) -> list[str]:
    pieces = [p.strip() for t in texts for p in SENTENCE_END.split(t)]
    return [p for p in pieces if len(p) > 1][:count]


def speed(backend: str, segments: list[str], loaded: dict) -> float:
    encoder = model(backend, loaded)
    started = time.perf_counter()
    encoder.encode(segments)
    return len(segments) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["minilm", "multilingual", "e5"])
    parser.add_argument("--sets", nargs="+", default=["zh", "uk", "pl", "banking77", "clinc150"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 2500])
    parser.add_argument("--mixed", type=int, default=400, help="feedback per language in the mixed set")
    parser.add_argument("--speed-segments", type=int, default=300)
    parser.add_argument("--themes", action="store_true", help="also fit themes on the zh set (slow)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["quality", "mixed", "speed"])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    data = {name: load_set(name) for name in set(args.sets) | {"zh", "uk", "pl", "banking77"}}
    loaded: dict = {}
    if "quality" not in args.skip:
        quality(args, data, loaded)
    if "mixed" not in args.skip:
        mixed(args, data, loaded)
    if "speed" not in args.skip:
        speeds(args, data, loaded)


def quality(args, data: dict, loaded: dict) -> None:
    print("\n## k-means (k = labels) NMI against the labels")
    print(f"{'set':10s} {'n':>5s} {'labels':>6s} " + " ".join(f"{b:>12s}" for b in args.backends), flush=True)
    for name in args.sets:
        texts, labels, _ = data[name]
        for size in sorted({min(s, len(texts)) for s in args.sizes}, reverse=True):  # the largest first: it caches the others
            rows = sample_rows(len(texts), size, args.seed)
            truth = [labels[i] for i in rows]
            scores = [kmeans_nmi(vectors_for(name, b, texts, rows, args.seed, loaded), truth, args.seed)
                      for b in args.backends]
            print(f"{name:10s} {size:5d} {len(set(truth)):6d} " + " ".join(f"{s:12.3f}" for s in scores), flush=True)
    if not args.themes:
        return
    print("\n## themes vs source on the mixed zh set (food delivery + hotel), same vectors")
    print(f"{'backend':14s} {'n':>5s} {'method':8s} {'themes':>6s} {'NMI src':>8s} {'NMI src+pol':>11s} "
          f"{'purity':>7s} {'fit s':>6s}")
    texts, labels, polarity = data["zh"]
    for size in args.sizes:
        rows = sample_rows(len(texts), size, args.seed)
        source = [labels[i] for i in rows]
        both = [f"{labels[i]}:{polarity[i]}" for i in rows]
        documents = [texts[i] for i in rows]
        for backend in args.backends:
            vectors = vectors_for("zh", backend, texts, rows, args.seed, loaded)
            for method in ("vocmine", "vanilla"):
                started = time.perf_counter()
                try:
                    themes = fit_themes(method, vectors, documents, args.seed)
                except ValueError as exc:
                    print(f"{backend:14s} {size:5d} {method:8s} failed: {exc}", flush=True)
                    continue
                print(f"{backend:14s} {size:5d} {method:8s} {len(set(themes.tolist()) - {-1}):6d} "
                      f"{normalized_mutual_info_score(source, themes):8.3f} "
                      f"{normalized_mutual_info_score(both, themes):11.3f} {purity(themes, both):7.3f} "
                      f"{time.perf_counter() - started:6.1f}", flush=True)


def mixed_set(args, data: dict) -> tuple[list[tuple[str, np.ndarray]], list[str], list[str], list[str], list[str]]:
    """(set, rows) parts, documents, languages, categories (domain[:polarity]) and polarity."""
    parts, documents, languages, categories, polarity = [], [], [], [], []
    for name in ("zh", "uk", "pl", "banking77"):
        texts, labels, sides = data[name]
        rows = sample_rows(len(texts), min(args.mixed, len(texts)), args.seed)
        parts.append((name, rows))
        for i in rows:
            domain = DOMAIN[labels[i]] if name == "zh" else DOMAIN[name]
            documents.append(texts[i])
            languages.append(LANGUAGE[name])
            categories.append(f"{domain}:{sides[i]}" if sides[i] else domain)
            polarity.append(sides[i])
    return parts, documents, languages, categories, polarity


def mixed(args, data: dict, loaded: dict) -> None:
    parts, documents, languages, categories, polarity = mixed_set(args, data)
    domains = [c.split(":")[0] for c in categories]
    print(f"\n## one theme space: {len(documents)} feedback, {dict(Counter(languages))}; "
          f"{len(set(categories))} categories (domain, with polarity where labelled)")
    print(f"{'backend':14s} {'method':8s} {'themes':>6s} {'NMI dom':>7s} {'NMI cat':>7s} {'purity':>7s} "
          f"{'multi-lang':>10s} {'x-lang NN same polarity':>23s}")
    for backend in args.backends:
        vectors = np.vstack([vectors_for(name, backend, data[name][0], rows, args.seed, loaded)
                             for name, rows in parts])
        agreement = cross_language_agreement(vectors, languages, polarity)
        for method in ("vocmine", "vanilla"):
            try:
                themes = fit_themes(method, vectors, documents, args.seed)
            except ValueError as exc:
                print(f"{backend:14s} {method:8s} failed: {exc}", flush=True)
                continue
            share, count = multilingual_share(themes, languages)
            print(f"{backend:14s} {method:8s} {count:6d} {normalized_mutual_info_score(domains, themes):7.3f} "
                  f"{normalized_mutual_info_score(categories, themes):7.3f} {purity(themes, categories):7.3f} "
                  f"{share:10.1%} {agreement:23.3f}", flush=True)
    print("(x-lang NN: polarity-labelled zh/uk/pl reviews; chance is about "
          f"{_chance(polarity):.3f})")


def _chance(polarity: list[str]) -> float:
    counts = Counter(p for p in polarity if p)
    total = sum(counts.values())
    return sum((c / total) ** 2 for c in counts.values())


def speeds(args, data: dict, loaded: dict) -> None:
    print(f"\n## speed: segments/s (first {args.speed_segments} segments of each set) and cost per segment "
          "vs English with minilm")
    segments = {LANGUAGE[name]: segments_of(data[name][0][:2000], args.speed_segments)
                for name in ("banking77", "zh", "uk", "pl")}
    rates = {(lang, b): speed(b, segs, loaded) for b in args.backends for lang, segs in segments.items()}
    english = rates.get(("en", "minilm"))
    print(f"{'backend':14s} " + " ".join(f"{lang + ' seg/s':>10s} {'x en':>5s}" for lang in segments))
    for backend in args.backends:
        cells = []
        for lang in segments:
            rate = rates[(lang, backend)]
            cells.append(f"{rate:10.0f} {english / rate if english else float('nan'):5.2f}")
        print(f"{backend:14s} " + " ".join(cells), flush=True)
    print("segment length (chars): " + ", ".join(
        f"{lang} {np.mean([len(s) for s in segs]):.0f}" for lang, segs in segments.items()))


if __name__ == "__main__":
    main()
