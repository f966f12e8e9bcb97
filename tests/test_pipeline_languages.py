"""`vocmine run` with the default config on stores of Chinese, Ukrainian, Polish and mixed feedback.

A few hundred real reviews per store, read from ../shared/data at test time (never copied into
the project), written as one CSV into a project folder whose config names only the source and
the folders: everything else is the default (embedding backend, languages, themes). Each run
must finish (exit 0), and its theme labels must be words in their own script: every word of a
label is a word customers wrote (no "obsuga" for "obsługa"), Chinese labels are made of
multi-character words written without spaces, and keywords keep their letters.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timedelta

import duckdb
import numpy as np
import pytest
from support.paths import SHARED_DATA
from support.projects import run_vocmine

from vocmine.text.words import words as language_words

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not beside the project: "
                                 "these tests run vocmine on real Chinese, Ukrainian and Polish reviews from it")]

CONFIG = """\
db = "work/vocmine.duckdb"
publish_dir = "published"
reports_dir = "reports"

[themes]
fits_dir = "fits"

[sources.reviews]
kind = "review"
inbox = ["inbox/*.csv"]
[sources.reviews.columns]
id = "id"
text = "text"
received_at = "received_at"
"""
HAN = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


def _zh(n: int, rng) -> list[str]:
    with open(SHARED_DATA / "zh_reviews" / "waimai_10k.csv", encoding="utf-8") as f:
        texts = [r["review"] for r in csv.DictReader(f) if r["review"].strip()]
    return [texts[i] for i in rng.choice(len(texts), n, replace=False)]


def _uk(n: int, rng) -> list[str]:
    with open(SHARED_DATA / "uk_reviews" / "uareviews_dev.csv", encoding="utf-8") as f:
        texts = [r["text"] for r in csv.DictReader(f) if r["text"].strip()]
    return [texts[i] for i in rng.choice(len(texts), n, replace=False)]


def _pl(n: int, rng) -> list[str]:
    with open(SHARED_DATA / "pl_reviews" / "products_main_all.jsonl", encoding="utf-8") as f:
        texts = [json.loads(line)["text"].split("__label__")[0].strip() for line in f if line.strip()]
    texts = [t for t in texts if t]
    return [texts[i] for i in rng.choice(len(texts), min(n, len(texts)), replace=False)]


def _en(n: int, rng) -> list[str]:
    with open(SHARED_DATA / "banking77" / "train.csv", encoding="utf-8") as f:
        texts = [r["text"] for r in csv.DictReader(f)]
    return [texts[i] for i in rng.choice(len(texts), n, replace=False)]


def _run_store(tmp_path, texts: list[str]) -> duckdb.DuckDBPyConnection:
    (tmp_path / "inbox").mkdir()
    (tmp_path / "vocmine.toml").write_text(CONFIG, encoding="utf-8")
    start = datetime(2026, 1, 5)
    with open(tmp_path / "inbox" / "reviews.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "received_at"])
        for i, text in enumerate(texts):  # spread over ten weeks, so weekly views have weeks
            writer.writerow([f"r{i}", text, (start + timedelta(hours=i * 1680 // len(texts))).isoformat()])
    done = run_vocmine(tmp_path, "run", "--config", "vocmine.toml", timeout=3600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return duckdb.connect(str(tmp_path / "work" / "vocmine.duckdb"), read_only=True)


def _themes(con) -> list[tuple[str, list[str]]]:
    rows = con.execute("SELECT label, keywords FROM themes WHERE level = 2 AND status = 'active'").fetchall()
    assert len(rows) >= 5
    return rows


def _label_words(label: str) -> list[str]:
    """The words of a label in any script: Chinese ones from the segmenter."""
    found = []
    for part in label.split(" · "):
        found += language_words(part, "zh" if HAN.search(part) else "en")
    return found


def _all_written(con, labels: list[str]) -> None:
    """Every word of every label is a word of the stored (redacted) segments."""
    texts = [r[0].lower() for r in con.execute("SELECT text FROM segments").fetchall()]
    corpus = " ".join(texts)
    # words segment by segment: a text with Chinese in it is split by jieba, any other by the
    # spaced-script pattern ("комп'ютер" whole); one mixed corpus would go to jieba as a whole
    vocabulary = {w for t in texts for w in language_words(t, "zh" if HAN.search(t) else "en")}
    for label in labels:
        if re.fullmatch(r"theme \d+", label):
            pytest.fail(f"a theme without words: {label!r}")
        for word in _label_words(label):
            w = word.lower()
            assert (w in corpus) if HAN.search(w) else (w in vocabulary), f"{word!r} of {label!r} is not in the texts"


def test_pipeline_languages_chinese_store_runs_and_labels_are_chinese_words(tmp_path):
    con = _run_store(tmp_path, _zh(300, np.random.default_rng(0)))
    themes = _themes(con)
    labels = [label for label, _ in themes]
    _all_written(con, labels)
    assert all(HAN.search(label) for label in labels), labels
    words = [w for label in labels for w in _label_words(label)]
    assert sum(len(w) > 1 for w in words) >= 0.5 * len(words), labels  # 不, 点 are words too
    # short clauses make a few labels of one-character words only (虾和肉都少: shrimp and meat both too few)
    assert sum(any(len(w) > 1 for w in _label_words(label)) for label in labels) >= 0.9 * len(labels), labels
    assert not any(re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", label) for label in labels), labels
    keywords = [w for _, kws in themes for kw in kws for w in kw.split()]
    assert keywords and all(HAN.search(w) and len(w) > 1 for w in keywords), keywords[:30]


def test_pipeline_languages_ukrainian_store_runs_and_labels_keep_cyrillic(tmp_path):
    con = _run_store(tmp_path, _uk(300, np.random.default_rng(0)))
    themes = _themes(con)
    labels = [label for label, _ in themes]
    _all_written(con, labels)
    assert sum(bool(CYRILLIC.search(label)) for label in labels) >= 0.9 * len(labels), labels
    keywords = [w for _, kws in themes for kw in kws for w in kw.split()]
    assert sum(bool(CYRILLIC.search(w)) for w in keywords) >= 0.9 * len(keywords), keywords[:30]


def test_pipeline_languages_polish_store_runs_and_labels_keep_polish_letters(tmp_path):
    con = _run_store(tmp_path, _pl(300, np.random.default_rng(0)))
    themes = _themes(con)
    labels = [label for label, _ in themes]
    _all_written(con, labels)
    assert any(POLISH.search(label) for label in labels), labels
    keywords = {w for _, kws in themes for kw in kws for w in kw.split()}
    assert any(POLISH.search(w) for w in keywords), sorted(keywords)[:30]
    assert not keywords & {"obsuga", "jako", "jakoci", "mia"}, sorted(keywords)  # letters deleted


def test_pipeline_languages_mixed_store_runs_and_labels_each_language_from_its_own_segments(tmp_path):
    rng = np.random.default_rng(0)
    texts = _zh(120, rng) + _uk(120, rng) + _pl(120, rng) + _en(120, rng)
    con = _run_store(tmp_path, [texts[i] for i in rng.permutation(len(texts))])
    labels = [label for label, _ in _themes(con)]
    _all_written(con, labels)
    assert any(HAN.search(label) for label in labels) and any(CYRILLIC.search(label) for label in labels)
    rows = con.execute("""
        SELECT t.label, list(DISTINCT s.language) FROM themes t
        JOIN segment_themes st USING (theme_id) JOIN segments s USING (segment_id)
        WHERE t.level = 2 AND t.status = 'active' GROUP BY t.label""").fetchall()
    for label, languages in rows:  # a label's Chinese words come from a theme that holds Chinese segments
        if HAN.search(label):
            assert "zh" in languages, (label, languages)
        if CYRILLIC.search(label):
            assert {"uk", "ru"} & set(languages), (label, languages)
