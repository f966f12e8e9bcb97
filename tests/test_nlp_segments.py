"""Segmentation, redaction inside segments, lemmas and key phrases, on hand-written samples."""

from __future__ import annotations

import pytest

from vocmine.config import NlpConfig
from vocmine.nlp.pipeline import build_pipeline
from vocmine.nlp.segments import enrich_doc

CONFIG = NlpConfig(brand_handles=["BrightlineHelp"], pii_patterns={"ACCOUNT": [r"\bACC-\d{7}\b"]})


@pytest.fixture(scope="module")
def pipeline_for():
    built = {}

    def get(language: str):
        if language not in built:
            built[language] = build_pipeline(language, CONFIG)
        return built[language]

    return get


def _segments(pipeline_for, text: str, language: str = "en") -> list[str]:
    return [s.text for s in enrich_doc(pipeline_for(language)(text), "f1", language).segments]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The courier was late but the agent sorted it out quickly.",
         ["The courier was late", "but the agent sorted it out quickly."]),
        ("The delivery was two days late and the box was damaged.",
         ["The delivery was two days late", "and the box was damaged."]),
        ("Fast and friendly service from the Leeds store.", ["Fast and friendly service from the Leeds store."]),
        ("App crashes every time. Support was useless!", ["App crashes every time.", "Support was useless!"]),
        ("I waited forty minutes on hold, although the agent was polite in the end.",
         ["I waited forty minutes on hold,", "although the agent was polite in the end."]),
    ],
)
def test_segments_english_sentences_and_clauses(pipeline_for, text, expected):
    assert _segments(pipeline_for, text) == expected


def test_segments_chinese_full_stops(pipeline_for):
    assert _segments(pipeline_for, "送餐很快，好吃。但是太贵了！下次不会再点？", "zh") == [
        "送餐很快，好吃。", "但是太贵了！", "下次不会再点？"]


def test_segments_polish_sentences_and_contrast_clause(pipeline_for):
    assert _segments(pipeline_for, "Kamera jest słaba, ale dostawa była szybka. Polecam!", "pl") == [
        "Kamera jest słaba,", "ale dostawa była szybka.", "Polecam!"]


def test_segments_ukrainian_sentences(pipeline_for):
    assert _segments(pipeline_for, "Доставка була швидкою. Але якість погана!", "uk") == [
        "Доставка була швидкою.", "Але якість погана!"]


def test_segments_are_redacted_and_offsets_point_into_redacted_text(pipeline_for):
    text = ("My name is Priya Shah and my number is 07700 900123. "
            "Card 4539 1488 0343 6467 was charged twice, account ACC-1234567.")
    item = enrich_doc(pipeline_for("en")(text), "f1", "en")
    assert "Priya" not in item.text and "07700" not in item.text and "4539" not in item.text
    assert "[PERSON]" in item.text and "[PHONE]" in item.text and "[CARD]" in item.text and "[ACCOUNT]" in item.text
    for segment in item.segments:
        assert item.text[segment.start_char:segment.end_char] == segment.text
        assert "priya" not in segment.lemmas and "shah" not in segment.lemmas
    assert item.pii_counts["CARD"] == 1 and item.pii_counts["PERSON"] == 1


def test_segments_brand_handles_are_kept_but_do_not_drive_themes(pipeline_for):
    item = enrich_doc(pipeline_for("en")("@BrightlineHelp my roaming charges are wrong again, says @jenny_k_88"),
                      "f1", "en")
    assert item.brands == ["brightlinehelp"]
    assert "@BrightlineHelp" in item.text and "@jenny_k_88" not in item.text and "[HANDLE]" in item.text
    lemmas = " ".join(s.lemmas for s in item.segments)
    assert "brightlinehelp" not in lemmas and "charge" in lemmas


def test_segments_key_phrases_are_lemmatised_noun_phrases(pipeline_for):
    item = enrich_doc(pipeline_for("en")("The roaming charges on my last bill were wrong."), "f1", "en")
    assert "roaming charge" in item.segments[0].key_phrases
    assert "bill" in " ".join(item.segments[0].key_phrases)


def test_segments_keep_the_words_journey_rules_read_with_personal_data_as_placeholders(pipeline_for):
    item = enrich_doc(pipeline_for("en")("Priya Shah here, call me on 07700 900123 about the parcels you delivered."),
                      "f1", "en")
    lemmas = [w for s in item.segments for w in s.rule_lemmas]
    words = [w for s in item.segments for w in s.rule_words]
    assert lemmas.count("[person]") == 1 and lemmas.count("[phone]") == 1  # one per stretch, never the data
    assert not any(ch.isdigit() for w in words for ch in w) and "priya" not in words
    assert "parcel" in lemmas and "deliver" in lemmas and "parcels" in words and "delivered" in words
    assert "the" not in words and "you" not in words and "on" in words  # prepositions stay


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("菜品不错，送餐也快，就是包装有点差，汤洒了一半，下次不会再点了",
         ["菜品不错，", "送餐也快，", "就是包装有点差，", "汤洒了一半，", "下次不会再点了"]),
        ("味道不错但是太贵了", ["味道不错", "但是太贵了"]),
        ("房间很干净，不过隔音太差；早餐一般…前台态度很好", ["房间很干净，", "不过隔音太差；", "早餐一般…", "前台态度很好"]),
        ("不但好吃而且便宜", ["不但好吃而且便宜"]),  # 不但 is "not only", not a turn
        ("我只是想问一下发票的事情", ["我只是想问一下发票的事情"]),  # 只是 without a comma is "just"
        ("鞋跟6.5公分，穿着舒服", ["鞋跟6.5公分，穿着舒服"]),
        ("1.送餐慢2.菜凉了", ["1.送餐慢", "2.菜凉了"]),
        ("问题：1、菜少 2、太咸 （3）送得慢", ["问题：", "1、菜少", "2、太咸", "（3）送得慢"]),
    ],
)
def test_segments_chinese_clauses_decimals_and_lists(pipeline_for, text, expected):
    assert _segments(pipeline_for, text, "zh") == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Будівля гарна, а персонал дуже грубий і нічого не пояснює.", "uk",
         ["Будівля гарна,", "а персонал дуже грубий і нічого не пояснює."]),
        ("Черга була довга, зате консультант усе швидко пояснив.", "uk",
         ["Черга була довга,", "зате консультант усе швидко пояснив."]),
        ("Kamera jest słaba, a bateria trzyma bardzo krótko.", "pl",
         ["Kamera jest słaba,", "a bateria trzyma bardzo krótko."]),
        ("Wygląda ładnie, aczkolwiek wykonanie pozostawia wiele do życzenia.", "pl",
         ["Wygląda ładnie,", "aczkolwiek wykonanie pozostawia wiele do życzenia."]),
    ],
)
def test_segments_ukrainian_and_polish_turns(pipeline_for, text, language, expected):
    assert _segments(pipeline_for, text, language) == expected


def test_segments_english_list_numbers_start_their_items(pipeline_for):
    assert _segments(pipeline_for, "Two problems. 1. The courier was late. 2. The box was damaged.") == [
        "Two problems.", "1. The courier was late.", "2. The box was damaged."]
    assert _segments(pipeline_for, "I paid 2. Then they charged me again.") == [
        "I paid 2.", "Then they charged me again."]
