from __future__ import annotations

import pytest
import spacy

from vocmine.nlp.components.pii import may_name_someone
from vocmine.nlp.names import could_be_a_name, find_cued_names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("my name is Priya Shah and I want a refund", ["Priya Shah"]),
        ("spoke to Tom in the Leeds store", ["Tom"]),
        ("spoke w/ account holder Mr Lee about the bill", ["Mr Lee"]),
        ("Mrs Okafor rang about roaming", ["Mrs Okafor"]),
        ("Cust said Emily O'Brien on previous call was helpful", ["Emily O'Brien"]),
        ("a really helpful guy called Sanjay", ["Sanjay"]),
        ("Dear Sir or Madam, Refund still missing", []),
        ("could not reach an agent. Speed test gave 20 Mbps", []),
        ("cust said Monday was the last time", []),
        ("the engineer never came", []),
    ],
)
def test_names_after_cues(text, names):
    assert [text[s.start:s.end] for s in find_cued_names(text)] == names


@pytest.mark.parametrize(("text", "possible"), [
    ("Priya Shah", True), ("O'Brien", True), ("Madam", False), ("17.5 Mbps", False), ("Bill", False),
    ("Order BL-2026-712803", False), ("iphone", False),
])
def test_names_ner_persons_that_cannot_be_names(text, possible):
    assert could_be_a_name(text) is possible


def test_names_ner_runs_only_where_a_capitalised_word_is():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert not may_name_someone(nlp("where is my card? it has been two weeks"))
    assert may_name_someone(nlp("thanks to Tom for sorting it"))
