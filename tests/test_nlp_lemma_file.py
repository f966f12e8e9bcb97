"""Polish lemmas from a file on disk: the same lemmas as the merged tables, written once, never in the way."""

from __future__ import annotations

import pickle
import random

import pytest

from vocmine.nlp.lemma_file import SqliteLemmas, file_backed_lemmas, lemma_file, write_lemma_file
from vocmine.nlp.pipeline import AnyCaseLemmaTable

LEMMAS = {"kamery": "kamera", "Kamer": "Kamer", "działają": "działać", "nagrań": "nagranie", "miła": "miły"}


def test_lemma_file_gives_the_lemmas_it_was_written_with(tmp_path):
    lemmas = SqliteLemmas(write_lemma_file(tmp_path / "pl.sqlite", LEMMAS))
    assert dict(lemmas) == LEMMAS
    assert len(lemmas) == 5 and "miła" in lemmas and "mila" not in lemmas
    assert lemmas.get("nieznane") is None and lemmas.get("nieznane", "x") == "x"
    with pytest.raises(KeyError):
        lemmas["nieznane"]


@pytest.mark.parametrize("word", ["Kamery", "kamery", "Kamer", "działają", "Nagrań", "nieznane", ""])
def test_lemma_file_reads_like_the_dict_in_the_lemmatizer_table(tmp_path, word):
    from_file = AnyCaseLemmaTable("lemma_lookup", SqliteLemmas(write_lemma_file(tmp_path / "pl.sqlite", LEMMAS)))
    in_memory = AnyCaseLemmaTable("lemma_lookup", LEMMAS)
    assert from_file.get(word, word) == in_memory.get(word, word)


def test_lemma_file_merges_once_then_reads_the_file(tmp_path):
    calls = []

    def merge():
        calls.append(1)
        return dict(LEMMAS)

    first = file_backed_lemmas("pl", merge, folder=tmp_path)
    second = file_backed_lemmas("pl", merge, folder=tmp_path)
    assert isinstance(first, SqliteLemmas) and isinstance(second, SqliteLemmas)
    assert calls == [1]
    assert second.get("kamery") == "kamera"
    assert lemma_file("pl", tmp_path).is_file()
    assert [p.name for p in tmp_path.iterdir()] == [lemma_file("pl", tmp_path).name]  # no .part left behind


def test_lemma_file_unwritable_folder_keeps_the_lemmas_in_memory(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    lemmas = file_backed_lemmas("pl", lambda: dict(LEMMAS), folder=blocked / "vocmine")
    assert lemmas == LEMMAS


def test_lemma_file_damaged_file_is_written_again(tmp_path):
    lemma_file("pl", tmp_path).write_text("not a database", encoding="utf-8")
    lemmas = file_backed_lemmas("pl", lambda: dict(LEMMAS), folder=tmp_path)
    assert lemmas.get("nagrań") == "nagranie"


def test_lemma_file_table_survives_pickling(tmp_path):
    lemmas = SqliteLemmas(write_lemma_file(tmp_path / "pl.sqlite", LEMMAS))
    assert pickle.loads(pickle.dumps(lemmas)).get("kamery") == "kamera"


@pytest.mark.slow
def test_lemma_file_polish_equals_the_merged_spacy_tables(tmp_path):
    from vocmine.nlp.pipeline import _polish_lemmas

    merged = _polish_lemmas()
    from_file = file_backed_lemmas("pl", _polish_lemmas, folder=tmp_path)
    assert isinstance(from_file, SqliteLemmas) and len(from_file) == len(merged)
    for word in random.Random(19).sample(sorted(merged), 5000):
        assert from_file[word] == merged[word]
