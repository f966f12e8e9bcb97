"""People's names: English (NER output checked against the lexicons), Ukrainian (word shapes), the demo store."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest
import spacy
from spacy.tokens import Span
from support.paths import ROOT

from vocmine.nlp.components.pii import may_name_someone
from vocmine.nlp.name_lexicons import load_name_lexicon
from vocmine.nlp.names import company_words, could_be_a_name, find_cued_names, find_english_names
from vocmine.nlp.names_uk import find_ukrainian_names

LEXICON = load_name_lexicon()
COMPANY = company_words(["@BrightlineHelp"])


@pytest.fixture(scope="module")
def blank_en():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def names_in(nlp, text: str, ents: dict[str, str]) -> list[str]:
    """Names found in ``text`` when NER had labelled ``ents`` (entity text -> label), as the small model does."""
    doc = nlp(text)
    spans = []
    for entity, label in ents.items():
        start = text.index(entity)
        spans.append(doc.char_span(start, start + len(entity), label=label))
    doc.ents = [s for s in spans if isinstance(s, Span)]
    return [text[s.start:s.end] for s in find_english_names(doc, LEXICON, COMPANY)]


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


@pytest.mark.parametrize(("text", "names"), [
    ("Cust said Oct bill had a double charge", []),
    ("thanks Brighton store for nothing", []),
    ("Cust said Terrible service again", []),
    ("spoke to Grace about the refund", ["Grace"]),
    ("Mrs May called twice", ["Mrs May"]),
])
def test_names_cues_with_the_lexicon_leave_months_places_and_words(text, names):
    assert [text[s.start:s.end] for s in find_cued_names(text, LEXICON)] == names


@pytest.mark.parametrize(("text", "ents"), [
    ("Cust says double charge on Oct bill, wants refund", {"Oct": "PERSON"}),
    ("Upgraded to the Pixel 9 and it keeps rebooting", {"Pixel": "PERSON"}),
    ("Roaming was meant to be included in my Max 5G tariff", {"Max": "PERSON"}),
    ("Moved to Unlimited Max last month", {"Unlimited Max": "PERSON"}),
    ("Went to the Glasgow store and nobody could help", {"Glasgow": "PERSON"}),
    ("No signal at home in Nottingham since Tuesday", {"Nottingham": "PERSON"}),
    ("Flew to Sofia and roaming never worked", {"Sofia": "PERSON"}),
    ("Box arrived wet, handset water damaged", {"Box": "PERSON"}),
    ("Terrible service. Would not recommend", {}),
    ("Galaxy Note screen cracked within a week", {"Galaxy Note": "PERSON"}),
    ("Bank shows 2 DDs from Brightline this month", {"Brightline": "PERSON"}),
    ("Support only in English, French, German", {"French": "PERSON"}),
    ("Check out #CarrierFreedom for the deal", {"CarrierFreedom": "PERSON"}),
    ("Bill went up again in May", {}),
])
def test_names_products_months_plans_places_and_words_are_no_one(blank_en, text, ents):
    assert names_in(blank_en, text, ents) == []


@pytest.mark.parametrize(("text", "ents", "names"), [
    ("Cust said Ellie on previous call v helpful", {}, ["Ellie"]),
    ("Cust spoke to Aisha about the bill", {"Aisha": "GPE"}, ["Aisha"]),
    ("agent Jamal sorted it in ten minutes", {"Jamal": "GPE"}, ["Jamal"]),
    ("Leah in store was lovely", {"Leah": "ORG"}, ["Leah"]),
    ("but Sofia on the phone was really friendly", {"Sofia": "GPE"}, ["Sofia"]),
    ("Hi Jason, can you DM us your order number?", {"Hi Jason": "ORG"}, ["Jason"]),
    ("Thanks for stopping by! -Becky", {}, ["Becky"]),
    ("Please DM us so we can help with that. *JohnWard", {}, ["JohnWard"]),
    ("My name is Jamal Reid and I want to cancel", {}, ["Jamal Reid"]),
    ("Okafor Mensah called about roaming", {"Okafor Mensah": "PERSON"}, ["Okafor Mensah"]),
    ("Cust upgraded, Grace on the phone was great", {"Grace": "ORG"}, ["Grace"]),
])
def test_names_staff_and_customers_are_found(blank_en, text, ents, names):
    assert names_in(blank_en, text, ents) == names


@pytest.mark.parametrize(("text", "ents", "names"), [
    ("Still no refund. Regards, Luis Sent from my iPad", {"Luis Sent": "PERSON"}, ["Luis"]),
    ("Still no refund.\nBest regards,\nBen\nSent from my iPhone", {"Ben\nSent": "PERSON"}, ["Ben"]),
    ("Still no refund.\n\nKind regards, Priya\n\nSent from my iPad", {"Priya\n\nSent": "PERSON"}, ["Priya"]),
])
def test_names_signature_stops_before_the_device_line(blank_en, text, ents, names):
    """NER reads a signature and the "Sent from my iPad" under it as one person (twcs tweets wrapped by
    boilerplate_eval.py: 64 of 378 device lines on main); the name ends at the line break or the ordinary word."""
    assert names_in(blank_en, text, ents) == names


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


def test_names_company_words_come_from_brand_handles():
    assert company_words(["@BrightlineHelp", "AskPayPal", "@sprintcare", "XboxSupport"]) == {
        "brightline", "paypal", "sprint", "xbox"}


def test_names_lexicon_marks_names_that_are_also_words():
    assert LEXICON.is_first_name("Aisha", strict=True) and LEXICON.is_first_name("Jamal", strict=True)
    assert LEXICON.is_first_name("Grace") and not LEXICON.is_first_name("Grace", strict=True)
    assert LEXICON.never_a_name("Sept") and LEXICON.never_a_name("Pixel") and LEXICON.never_a_name("Glasgow")
    assert not LEXICON.never_a_name("Sofia")  # a city and a name: context decides
    assert LEXICON.is_common_word("Box") and not LEXICON.is_common_word("Leah")


@pytest.mark.parametrize(("text", "names"), [
    ("Дякую працівнику Олені Петрівні за допомогу", ["Олені Петрівні"]),
    ("Лікар Іван Сидоренко дуже уважний", ["Іван Сидоренко"]),
    ("Все пояснила пані Оксана, рекомендую", ["Оксана"]),
    ("Окрема подяка Коваленко М. та юристу Тарасу Івановичу", ["Коваленко М.", "Тарасу Івановичу"]),
    ("Хочу подякувати викладачам: Бондаренку, Ткачук та Мельнику", ["Бондаренку", "Ткачук", "Мельнику"]),
    ("Офіс на вул. Тараса Шевченка, 5, поруч із метро", []),
    ("Радимо звернутися до ЦНАП. Дякую Вам за роботу!", []),
    ("Київ, Львів і Харків: всюди однаково", []),
    ("Через Дію все швидко, Україна молодець", []),
])
def test_names_ukrainian_staff_in_any_case(text, names):
    assert [text[s.start:s.end] for s in find_ukrainian_names(text, LEXICON)] == names


@pytest.mark.parametrize(("text", "names"), [
    ("Манікюр робила майстриня Даші, дуже акуратно", ["Даші"]),  # a diminutive the list lacks
    ("Все пояснив нам Сашко з реєстратури", ["Сашко"]),
    ("Наталія з реєстратури все пояснила", ["Наталія"]),  # a sentence may open with a name and nothing else
    ("Нема куди сісти", []),  # the dictionary lists Нема as a name too; the list does not
    ("Дякую адвокату Полтави Ігорю Степановичу за роботу", ["Ігорю Степановичу"]),  # of Poltava, not a surname
    ("Вдячна юристу Черкас Миколі Петровичу", ["Миколі Петровичу"]),
    ("Консультувалась у Романа Андрійовича, все чітко", ["Романа Андрійовича"]),  # Роман is also a novel
    ("Оператор Інна поклала слухавку", ["Інна"]),
    ("Дякую кінологу Остапенко за терпіння", ["Остапенко"]),
    ("Голова суду Гнатюк не відповідає на листи", ["Гнатюк"]),
    ("Прийом вела Іваненко О.П. і все швидко", ["Іваненко О.П."]),
    ("Окрема подяка директору Бойку Ю. Г.", ["Бойку Ю. Г."]),
    ("Радимо всім. Рекомендую цей центр!", []),  # verbs opening a sentence
    ("Навчалась в університеті імені Тараса Шевченка", []),  # an institution named after someone
    ("Лікували нашого кота Барсика, дякую лікарю Олені", ["Олені"]),  # a pet is no one
    ("Дякую Департаменту соцзахисту за допомогу", []),  # a noun after thanks is no one
    ("Вчимося в англійській школі Афіна, а вчителька Ірина чудова", ["Ірина"]),  # a school named like a person
    ("Консультувала Валерія Олексіївна\nВсе сподобалось", ["Валерія Олексіївна"]),  # a name ends at the line
])
def test_names_ukrainian_diminutives_cases_cues_and_words(text, names):
    assert [text[s.start:s.end] for s in find_ukrainian_names(text, LEXICON)] == names


@pytest.mark.slow
def test_names_demo_store_quotes_keep_words_and_lose_names(demo_embedded):
    """Every segment (the report quotes are segments) holds a [PERSON] only where its feedback named one
    (planted_pii.csv), keeps "Oct bill", "Pixel 9" and "Max 5G tariff", and no planted name survives."""
    from pii_testset import load_demo_texts

    con = demo_embedded.con  # the demo ingested and enriched with the demo config
    with (ROOT / "data" / "demo" / "planted_pii.csv").open(newline="", encoding="utf-8") as handle:
        planted = Counter((r["source"], r["record_id"]) for r in csv.DictReader(handle) if r["pii_type"] == "PERSON")
    with (ROOT / "data" / "demo" / "planted_pii.csv").open(newline="", encoding="utf-8") as handle:
        names = {r["value"] for r in csv.DictReader(handle) if r["pii_type"] == "PERSON"}
    originals = load_demo_texts(ROOT / "data" / "demo")
    placeholders: Counter = Counter()
    segments = con.execute("SELECT f.source, f.external_id, s.text FROM segments s JOIN feedback f USING (feedback_id)"
                           ).fetchall()
    for source, record_id, text in segments:
        placeholders[source, record_id] += text.count("[PERSON]")
    unplanted = {key: n for key, n in placeholders.items() if n > planted.get(key, 0)}
    assert unplanted == {}, "[PERSON] where the feedback named no one (or fewer people)"
    quoted = "\n".join(text for *_, text in segments)
    for phrase in ("Oct bill", "Pixel 9", "Max 5G tariff"):
        in_originals = sum(text.count(phrase) for text in originals.values())
        assert in_originals > 0 and quoted.count(phrase) == in_originals, phrase
    survivors = {name for name in names if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", quoted)}
    assert survivors == set()
