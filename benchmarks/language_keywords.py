"""Are theme keywords and labels words of their language? Chinese, Polish and Ukrainian, before and after.

    VOCMINE_SHARED_DATA=/work/shared/data python benchmarks/language_keywords.py [--runs zh:1000 zh:3000 ...]

For each run, a seeded sample of a real review set in ../shared/data (zh_reviews/waimai_10k,
pl_reviews/products_main_all, uk_reviews/uareviews_dev) is split into segments by this code's
pipeline and embedded once with MiniLM (cached in benchmarks/results/). The same segments and
vectors are then described twice:

- before: the previous behaviour, i.e. lemmas from ``spacy.blank(lang)`` (Chinese as single
  characters, no Polish or Ukrainian lemmatizer) and the discovery and label modules of git
  revision ``--before`` (default ``main``: BERTopic's ASCII-only cleaning, whitespace words);
- after: this code's pipeline lemmas, discovery and labels.

A keyword token (each word of a c-TF-IDF keyword) or label word is *valid* when it is a word in
the language's script: Chinese, Han characters only and a word of jieba's dictionary (the
share of multi-character words is printed too: single characters are what the previous
pipeline made of every Chinese text); Polish, letters only and a word of the texts or a lemma of the Polish
tables; Ukrainian, Cyrillic letters only and a word pymorphy3's Ukrainian dictionary knows.
A run whose discovery fails prints the error. Asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np
import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality
from label_quality import module_at

from vocmine.config import NlpConfig, ThemesConfig
from vocmine.embed import load_backend
from vocmine.nlp.pipeline import _polish_lemmas, build_pipeline
from vocmine.nlp.segments import _is_content, enrich_doc
from vocmine.text.tokens import lemma
from vocmine.text.words import words as language_words
from vocmine.themes.discover import discover_themes
from vocmine.themes.labels import label_themes

if not quality.SHARED.exists():  # a git worktree sits one folder deeper than the main checkout
    quality.SHARED = next((p / "shared" / "data" for p in Path(__file__).resolve().parents
                           if (p / "shared" / "data").exists()), quality.SHARED)

HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")
CYRILLIC = re.compile(r"^[\u0400-\u04ff'’\-]+$")
LATIN = re.compile(r"^[a-ząćęłńóśźż\-]+$")


def load_texts(language: str) -> list[str]:
    shared = quality.SHARED
    if language == "zh":
        with open(shared / "zh_reviews" / "waimai_10k.csv", encoding="utf-8") as f:
            return [r["review"] for r in csv.DictReader(f) if r["review"].strip()]
    if language == "uk":
        with open(shared / "uk_reviews" / "uareviews_dev.csv", encoding="utf-8") as f:
            return [r["text"] for r in csv.DictReader(f) if r["text"].strip()]
    with open(shared / "pl_reviews" / "products_main_all.jsonl", encoding="utf-8") as f:
        texts = [json.loads(line)["text"].split("__label__")[0].strip() for line in f if line.strip()]
    return [t for t in texts if t]


def segments(language: str, size: int) -> tuple[list[str], list[str], list[str]]:
    """Segment texts, this code's lemmas and the previous lemmas (blank pipeline) of a seeded sample."""
    texts = load_texts(language)
    rows = np.sort(np.random.default_rng(0).choice(len(texts), min(size, len(texts)), replace=False))
    nlp, old = build_pipeline(language, NlpConfig()), spacy.blank(language)
    found = [s for i in rows for s in enrich_doc(nlp(texts[i]), str(i), language).segments]
    previous = [" ".join(lemma(t) for t in old(s.text) if _is_content(t)) for s in found]
    return [s.text for s in found], [s.lemmas for s in found], previous


def vectors(language: str, size: int, texts: list[str], backend) -> np.ndarray:
    cached = quality.RESULTS / f"language-keywords-{language}-{size}-{len(texts)}-minilm.npy"
    if cached.exists():
        return np.load(cached)
    quality.RESULTS.mkdir(exist_ok=True)
    found = np.asarray(backend.encode(texts), dtype=np.float32)
    np.save(cached, found)
    return found


class Validity:
    def __init__(self, language: str, texts: list[str]) -> None:
        self.language = language
        self.written = {w.lower() for t in texts for w in language_words(t, language)}
        if language == "zh":
            import jieba
            jieba.initialize()
            self.known = lambda w: bool(HAN.match(w)) and jieba.dt.FREQ.get(w, 0) > 0
        elif language == "pl":
            lemmas = set((_polish_lemmas() or {}).values())
            self.known = lambda w: bool(LATIN.match(w)) and (w in self.written or w in lemmas)
        else:
            import pymorphy3
            morph = pymorphy3.MorphAnalyzer(lang="uk")
            self.known = lambda w: bool(CYRILLIC.match(w)) and morph.word_is_known(w)

    def share(self, tokens: list[str]) -> str:
        if not tokens:
            return "   n/a"
        share = f"{sum(self.known(t.lower()) for t in tokens) / len(tokens):6.1%}"
        if self.language == "zh":
            share += f" ({sum(len(t) > 1 for t in tokens) / len(tokens):.0%} multi-character)"
        return share


def keyword_tokens(fit) -> list[str]:
    return [w for words in fit.keywords for kw, _ in words for w in kw.split()]


def label_tokens(labels: list[str], language: str) -> list[str]:
    return [w for label in labels for part in label.split(" · ") for w in language_words(part, language)
            if not re.fullmatch(r"theme|\d+", w)]


def run(language: str, size: int, backend, before: str) -> None:
    started = time.perf_counter()
    texts, lemmas, previous = segments(language, size)
    enriched = time.perf_counter() - started
    found = vectors(language, size, texts, backend)
    config = ThemesConfig()
    check = Validity(language, texts)
    print(f"\n{language} {size:,} reviews -> {len(texts):,} segments (enrichment {enriched:.0f} s)")
    width = 30 if language == "zh" else 7
    print(f"  {'':14s} {'themes':>6s} {'keyword tokens':>15s} {'valid':>{width}s} {'label words':>12s} "
          f"{'valid':>{width}s}   examples")
    old_discover = module_at(before, "vocmine.themes.discover").discover_themes
    old_labels = module_at(before, "vocmine.themes.labels").label_themes
    for name, discover, labeller, documents, kwargs in (
            (f"before ({before})", old_discover, old_labels, previous, {}),
            ("after", discover_themes, label_themes, lemmas, {"languages": [language] * len(texts)})):
        try:
            fit = discover(found, documents, config)
        except Exception as exc:  # noqa: BLE001  (the previous behaviour fails on some languages: print why)
            print(f"  {name:14s} fails: {type(exc).__name__}: {exc}")
            continue
        labels = labeller(texts, fit.assignments, fit.centroids, backend.encode, similarity=fit.similarity,
                          stop_words=config.stop_words, fallback=fit.labels, seed=config.seed, **kwargs)
        kw, lw = keyword_tokens(fit), label_tokens(labels, language)
        examples = " | ".join(labels[:3])
        print(f"  {name:14s} {len(fit.centroids):6d} {len(kw):15,d} {check.share(kw):>{width}s} {len(lw):12,d} "
              f"{check.share(lw):>{width}s}   {examples}")
        print(f"  {'':14s} keywords: {' | '.join(' · '.join(w for w, _ in words[:3]) for words in fit.keywords[:3])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", nargs="*", default=["zh:1000", "zh:3000", "pl:250", "pl:513", "uk:1000",
                                                      "uk:4051"], help="language:reviews pairs")
    parser.add_argument("--before", default="main", help="git revision of the previous behaviour")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          "embeddings: MiniLM (the default backend)")
    backend = load_backend("minilm")
    for spec in args.runs:
        language, size = spec.split(":")
        run(language, int(size), backend, args.before)


if __name__ == "__main__":
    main()
