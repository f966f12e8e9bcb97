"""Boilerplate: formulas, the repeated-line rule, cutting formulas off content, and themes
that never see them. Hand-made strings and tiny stores; the demo check is in
test_boilerplate_demo.py."""

from __future__ import annotations

from datetime import datetime

import pytest
import spacy
from pydantic import ValidationError

import vocmine.nlp.components  # noqa: F401  (registers vocmine_formulas)
from vocmine.config import BoilerplateConfig, NlpConfig, ThemesConfig
from vocmine.nlp.boilerplate import (
    LineRules,
    LineStats,
    formula_sets,
    formula_word_shares,
    line_rules,
    mark_boilerplate,
    split_patterns,
)
from vocmine.store.checks import run_checks
from vocmine.themes.assign import assign_new_segments
from vocmine.themes.registry import themed_embeddings

CONFIG = BoilerplateConfig()
EN = line_rules(CONFIG)["en"]
ONCE = LineStats(feedback=1, customers=1, alone_share=0.0)
EVERYWHERE = LineStats(feedback=500, customers=400, alone_share=0.1)


@pytest.mark.parametrize(("line", "rule"), [
    ("dear sir or madam", "greeting"),
    ("hi there", "greeting"),
    ("hello <person>", "greeting"),
    ("kind regards <person>", "signoff"),
    ("yours sincerely aisha f", "signoff"),
    ("thanks again", "signoff"),
    ("sent from my iphone", "signoff"),
    ("please treat this as a formal complaint", "formula"),
    ("i am writing to make a formal complaint", "formula"),
    ("i would appreciate a prompt response", "formula"),
    ("if this is not resolved within 0 days i will refer the matter to the ombudsman", "formula"),
    ("please dm us your account number so we can look into this", "formula"),
    ("^becky", "formula"),
    ("ticket 0", "header"),
    ("<url>", "no_words"),
    ("x x x", "no_words"),
    ("0 0", "no_words"),
])
def test_boilerplate_formulas_flag_greetings_signoffs_letter_and_chat_lines(line, rule):
    assert EN.classify(line, "", ONCE)[0] == rule


@pytest.mark.parametrize(("line", "lemmas"), [
    ("my card was declined", "card decline"),
    ("thanks for the quick fix", "thank quick fix"),
    ("thinking of switching", "think switch"),
    ("i have been a customer for 0 years and expected better", "customer year expect well"),
    ("hello my phone broke", "hello phone break"),
    ("the agent did not even say thanks", "agent say thank"),
    ("please help me get my refund", "help refund"),
])
def test_boilerplate_content_is_not_flagged_however_often_it_is_said(line, lemmas):
    assert EN.classify(line, lemmas, EVERYWHERE) is None


def test_boilerplate_repeated_line_needs_spread_company_and_no_words_of_its_own():
    config = BoilerplateConfig(en={"words": ["choose", "brightline"]})
    rules = line_rules(config)["en"]
    line, lemmas = "thank you for choosing brightline today", "thank choose brightline today"
    assert rules.classify(line, lemmas, EVERYWHERE) is None  # 'today' is a word of its own
    lemmas = "thank choose brightline"
    rule, reason = rules.classify(line, lemmas, EVERYWHERE)
    assert rule == "repeated" and "500 feedback from 400 customers" in reason
    assert rules.classify(line, lemmas, LineStats(500, 400, alone_share=0.9)) is None  # the whole feedback
    assert rules.classify(line, lemmas, LineStats(500, 2, alone_share=0.1)) is None  # two customers
    assert rules.classify(line, lemmas, LineStats(3, 3, alone_share=0.1)) is None  # rare


def test_boilerplate_repeated_line_whose_words_live_only_in_repeated_lines_is_a_formula():
    # "pleasant" and "swift" are used only inside lines repeated across customers; "card" and
    # "decline" in many other segments too (no shipped formula names these two lines)
    lines = [("en", "wish pleasant evening", EVERYWHERE, 120), ("en", "pleasant weekend", EVERYWHERE, 30),
             ("en", "hope swift reply", EVERYWHERE, 90), ("en", "swift card", LineStats(1, 1, 0.0), 1),
             ("en", "card decline", EVERYWHERE, 50), ("en", "card arrive", LineStats(2, 2, 1.0), 400),
             ("en", "decline payment", LineStats(1, 1, 0.0), 60), ("en", "really disappoint", EVERYWHERE, 130),
             ("en", "absolute joke", EVERYWHERE, 130)]
    shares = formula_word_shares(lines, CONFIG)["en"]
    assert shares["pleasant"] == 1.0 and shares["swift"] == pytest.approx(90 / 91)
    assert shares["card"] < 0.2 and shares["decline"] < 0.5 and "arrive" not in shares
    for line, lemmas in [("wishing you a pleasant evening", "wish pleasant evening"),
                         ("hoping for a swift reply", "hope swift reply")]:
        rule, reason = EN.classify(line, lemmas, EVERYWHERE, shares)
        assert rule == "repeated" and "only in lines repeated like this one" in reason
    assert EN.classify("my card was declined", "card decline", EVERYWHERE, shares) is None
    # said word for word by many (generated or templated feedback), but no formula wording: content
    assert shares["disappoint"] == 1.0 and shares["joke"] == 1.0
    assert EN.classify("really disappointed", "really disappoint", EVERYWHERE, shares) is None
    assert EN.classify("absolute joke", "absolute joke", EVERYWHERE, shares) is None
    evening = ("wishing you a pleasant evening", "wish pleasant evening")
    assert EN.classify("wishing you a pleasant weekend and evening", "wish pleasant weekend evening", EVERYWHERE,
                       shares) is None  # two
    assert EN.classify(*evening, LineStats(500, 400, 0.9), shares) is None  # the whole feedback
    assert EN.classify(*evening, EVERYWHERE) is None  # no corpus: only the vocabulary vouches
    strict = line_rules(BoilerplateConfig(min_formula_share=1.0))["en"]
    assert strict.classify("hoping for a swift reply", "hope swift reply", EVERYWHERE, shares) is None


def test_boilerplate_fixed_phrase_outside_every_list_is_found_in_a_store(fresh_db):
    corpus = Corpus(fresh_db)
    issues = ["My bill is wrong.", "The app crashes on login.", "My parcel never arrived.", "The router keeps dropping."]
    closings = []
    for i in range(12):
        closings.append(corpus.feedback(issues[i % 4], "Awaiting reply!")[1])
    declined = [corpus.feedback("My card was declined.", issues[i % 4])[0] for i in range(12)]
    for i in range(30):
        corpus.feedback(f"The card reader {i} declined payments again.")
    mark_boilerplate(fresh_db, CONFIG, "run1")
    flagged = corpus.flagged()
    assert {s: flagged.get(s) for s in closings} == dict.fromkeys(closings, "repeated")
    assert not set(declined) & set(flagged)  # "card" and "declined" are said elsewhere: content
    strict = mark_boilerplate(fresh_db, CONFIG.model_copy(update={"min_formula_share": 1.0}), "run2")
    assert strict.segments == 12  # "awaiting" is nowhere else


# Courtesy wrappers seen on real letters and chats, per language: each wraps content in one feedback
# (or is the whole of one); a line of thanks that says what for is content, even alone.
COURTESY = {
    "en": (["Have a nice day!", "Thanks, and have a great weekend!", "Awaiting your response.",
            "Looking forward to your reply.", "I look forward to hearing from you.", "Thank you in advance!",
            "Thanks in advance for your help."],
           ["Thanks for fixing my card so quickly.", "Thank you for sorting out my refund!"]),
    "pl": (["Miłego dnia!", "Dziękuję i miłego dnia!", "Czekam na odpowiedź.", "Z niecierpliwością czekam na kontakt.",
            "Z poważaniem", "Dziękuję za uwagę.", "Dziękuję z góry."],
           ["Dziękuję za szybką dostawę, kamera działa świetnie.", "Dziękuję za pomoc przy zwrocie telefonu!"]),
    "uk": (["Гарного дня!", "Дякую і гарних вихідних!", "Чекаю на відповідь.", "З нетерпінням чекаю вашої відповіді.",
            "З повагою", "Заздалегідь дякую."],
           ["Дякую за швидке оформлення документів!", "Щиро дякую адміністратору за ввічливість."]),
    "zh": (["谢谢，祝您愉快！", "祝您生活愉快", "期待您的回复。", "盼复", "谢谢"],
           ["谢谢师傅，送餐很快还很热情！", "感谢骑士这么冷的天准时送到"]),
}


CONTENT = {"en": "My card was declined.", "pl": "Karta została odrzucona.", "uk": "Картку заблокували без пояснень.",
           "zh": "送餐太慢了"}


@pytest.mark.parametrize("language", sorted(COURTESY))
def test_boilerplate_courtesy_wrappers_are_flagged_and_thanks_with_content_kept(fresh_db, language):
    formulas, thanks = COURTESY[language]
    corpus = Corpus(fresh_db)
    said: dict[str, str] = {}
    for line in formulas + thanks:
        beside = corpus.feedback(CONTENT[language], line, language=language)[1]
        alone = corpus.feedback(line, language=language)[0]  # the whole feedback
        said |= {beside: line, alone: line}
    mark_boilerplate(fresh_db, CONFIG, "run1")  # each line twice: only the shipped formulas can find them
    flagged = {said[segment] for segment in corpus.flagged()}
    assert [line for line in formulas if line not in flagged] == []
    assert [line for line in thanks if line in flagged] == []


def test_boilerplate_config_reads_language_tables_adds_to_shipped_and_names_bad_regexes():
    config = NlpConfig(boilerplate={"min_feedback": 20, "en": {"formulas": ["welcome to brightline"]}})
    assert config.boilerplate.min_feedback == 20
    en = formula_sets(config.boilerplate)["en"]
    assert "welcome to brightline" in en.formulas and len(en.formulas) > 10
    assert formula_sets(BoilerplateConfig(shipped=False, en={"formulas": ["x"]}))["en"].formulas == ["x"]
    with pytest.raises(ValidationError, match=r"formulas: '\(unclosed' is not a valid regex"):
        BoilerplateConfig(en={"formulas": ["(unclosed"]})


def _splitter(language: str = "en"):
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("vocmine_formulas", config=split_patterns(language, CONFIG))
    return nlp


@pytest.mark.parametrize(("text", "segments"), [
    ("Dear Sir, my bill is wrong", ["Dear Sir,", "my bill is wrong"]),
    ("Dear Sir or Madam, I was charged twice.", ["Dear Sir or Madam,", "I was charged twice."]),
    ("@sprintcare Hi there, my phone keeps dropping calls", ["@sprintcare Hi there,", "my phone keeps dropping calls"]),
    ("My card was declined. Kind regards, Jane Smith", ["My card was declined.", "Kind regards, Jane Smith"]),
    ("my bill is wrong\nSent from my iPhone", ["my bill is wrong", "Sent from my iPhone"]),
    ("Please tell us more here -Becky", ["Please tell us more here", "-Becky"]),
    ("Ticket 48213: the router never arrived", ["Ticket 48213:", "the router never arrived"]),
    ("Hi I have a problem with my bill", ["Hi I have a problem with my bill"]),
    ("When will my card arrive?\nHope you can help.", ["When will my card arrive?", "Hope you can help."]),
    ("my bill\nis wrong", ["my bill\nis wrong"]),
    ("I lost my card.\n\nBest regards,\nGrace", ["I lost my card.", "Best regards,\nGrace"]),
    ("Please treat this as a formal complaint.\n\nHello, my bill is wrong.",
     ["Please treat this as a formal complaint.", "Hello,", "my bill is wrong."]),
    ("The agent did not even say thanks.", ["The agent did not even say thanks."]),
    ("Thank you for nothing", ["Thank you for nothing"]),
    ("Sehr geehrte Damen und Herren, die Rechnung ist falsch.", None),
])
def test_boilerplate_splitter_cuts_formulas_off_the_content_they_are_glued_to(text, segments):
    language = "de" if text.startswith("Sehr") else "en"
    found = [s.text.strip() for s in _splitter(language)(text).sents if s.text.strip()]
    if segments is None:  # German: the greeting goes, the complaint stays
        segments = ["Sehr geehrte Damen und Herren,", "die Rechnung ist falsch."]
    assert found == segments


class Corpus:
    """Feedback with hand-made segments (and fake 2-d embeddings) in a fresh store."""

    def __init__(self, con) -> None:
        self.con = con
        self.count = 0

    def feedback(self, *segments: str, customer: str | None = None, language: str = "en") -> list[str]:
        self.count += 1
        fid = f"f{self.count:05d}"
        self.con.execute("INSERT INTO feedback (feedback_id, source, kind, received_at, customer_id, text, "
                         "content_hash, dedup_key, run_id, ingested_at) "
                         "VALUES (?, 'test', 'review', ?, ?, ?, ?, ?, 'r', now())",
                         [fid, datetime(2026, 9, 1), customer or fid, " ".join(segments), fid, fid])
        ids = []
        for position, text in enumerate(segments):
            sid = f"{fid}-{position}"
            lemmas = " ".join(w for w in text.lower().strip(".!").split() if len(w) > 3)
            self.con.execute("INSERT INTO segments VALUES (?, ?, ?, ?, ?, 0, 0, 1, ?, [], 'v', 'r')",
                             [sid, fid, position, text, language, lemmas])
            vector = [1.0, 0.0] if "bill" in text else [0.0, 1.0]
            self.con.execute("INSERT INTO embeddings SELECT 'fake', md5(?), ?, 'r' WHERE NOT EXISTS "
                             "(SELECT 1 FROM embeddings WHERE model = 'fake' AND text_hash = md5(?))",
                             [text, vector, text])
            ids.append(sid)
        return ids

    def flagged(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT segment_id, rule FROM segment_boilerplate").fetchall())


def test_boilerplate_formula_plus_content_keeps_its_content(fresh_db):
    corpus = Corpus(fresh_db)
    greeting, content, signoff = corpus.feedback("Dear Sir or Madam,", "My bill is wrong again.",
                                                 "Kind regards, [PERSON]")
    mark_boilerplate(fresh_db, CONFIG, "run1")
    assert corpus.flagged() == {greeting: "greeting", signoff: "signoff"}
    named = {"taxonomy:stages": [], "taxonomy:touchpoints": []}
    checks = [r for r in run_checks(fresh_db, named) if r.table == "segment_boilerplate"]
    assert len(checks) == 3 and all(r.ok for r in checks)
    ids, vectors = themed_embeddings(fresh_db, "fake")
    assert ids == [content] and vectors.shape == (1, 2)


def test_boilerplate_line_that_becomes_frequent_is_caught_and_released_when_it_stops_qualifying(fresh_db):
    config = BoilerplateConfig(min_feedback=5, min_customers=3, en={"words": ["aboard", "brightline", "family"]})
    corpus = Corpus(fresh_db)
    for _ in range(3):
        corpus.feedback("My bill is wrong.", "Welcome aboard the Brightline family.")
    assert mark_boilerplate(fresh_db, config, "run1").segments == 0  # three feedback: not yet a formula
    for _ in range(3):
        corpus.feedback("The app crashes.", "Welcome aboard the Brightline family!")
    result = mark_boilerplate(fresh_db, config, "run2")
    assert (result.segments, result.flagged, result.released) == (6, 6, 0)
    assert set(corpus.flagged().values()) == {"repeated"}
    assert mark_boilerplate(fresh_db, config, "run3").flagged == 0  # nothing new: rows kept
    assert fresh_db.execute("SELECT DISTINCT run_id FROM segment_boilerplate").fetchall() == [("run2",)]
    stricter = config.model_copy(update={"min_feedback": 10})
    released = mark_boilerplate(fresh_db, stricter, "run4")
    assert (released.segments, released.released) == (0, 6)


def test_boilerplate_normalises_names_numbers_and_handles_into_one_line(fresh_db):
    corpus = Corpus(fresh_db)
    for handle, number in [("@jo", "1"), ("@al", "22"), ("@sam", "333")]:
        corpus.feedback(f"{handle} Ticket {number}:", "My bill is wrong.")
    mark_boilerplate(fresh_db, CONFIG, "run1")
    lines = fresh_db.execute("SELECT DISTINCT line, rule FROM segment_boilerplate").fetchall()
    assert lines == [("ticket 0", "header")]


def test_boilerplate_nightly_withdraws_flagged_segments_from_their_theme_and_never_places_them(fresh_db):
    corpus = Corpus(fresh_db)
    fresh_db.execute("INSERT INTO themes (theme_id, label, keywords, level, parent_id, status, size, centroid, "
                     "model, created_run, updated_run, anchor, assign_floor) VALUES "
                     "(1, 'bill', [], 2, NULL, 'active', 0, [1.0, 0.0], 'fake', 'fit', 'fit', true, 0.5), "
                     "(2, 'letters', [], 2, NULL, 'active', 0, [0.0, 1.0], 'fake', 'fit', 'fit', true, 0.5)")
    fresh_db.execute("INSERT INTO theme_fits VALUES ('fit', 'fake', NULL, now()::TIMESTAMP, 0, 0, false)")
    content, formula = corpus.feedback("My bill is wrong.", "I would appreciate a prompt response.")
    fresh_db.execute("INSERT INTO segment_themes VALUES (?, 2, 0.9, 'fit')", [formula])
    new_content, new_formula = corpus.feedback("My bill doubled.", "Please treat this as a formal complaint.")
    mark_boilerplate(fresh_db, CONFIG, "run1")
    result = assign_new_segments(fresh_db, "fake", ThemesConfig(propose_after=1000))
    themed = dict(fresh_db.execute("SELECT segment_id, theme_id FROM segment_themes").fetchall())
    assert themed == {content: 1, new_content: 1}
    assert result.withdrawn == 1 and formula not in themed and new_formula not in themed


@pytest.mark.parametrize(("line", "rule"), [
    ("谢谢", "signoff"), ("谢谢 师傅", "signoff"), ("谢谢 小王", "signoff"), ("谢谢 <person>", "signoff"),
    ("谢谢 送餐很快", None),  # "谢谢，送餐很快": thanks for the fast delivery, one unspaced clause
    ("谢谢你 辛苦了", None),
])
def test_boilerplate_chinese_thanks_with_a_clause_is_content(line, rule):
    """A sign-off line may name one person after the formula; in Chinese a whole clause has no spaces,
    so only a word as short as a form of address counts as that name."""
    rules = LineRules(formula_sets(BoilerplateConfig())["zh"], BoilerplateConfig())
    verdict = rules.classify(line, "", LineStats(1, 1, 1.0))
    assert (verdict[0] if verdict else None) == rule
