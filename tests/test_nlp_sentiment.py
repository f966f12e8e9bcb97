"""Per-segment sentiment: the right sign per supported language, None (never a made-up number) otherwise."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vocmine.nlp import sentiment_rules
from vocmine.nlp.sentiment import SUPPORTED, method_for, score_segments

# All example sentences below were written for these tests.
POSITIVE = {
    "en": ["The agent was brilliant and fixed everything quickly.", "Great service, really happy with the new plan."],
    "zh": ["服务态度很好，下次还会再来", "房间干净，位置方便，推荐"],
    "pl": ["Kurier był bardzo miły i szybki.", "Wszystko działa bez problemu.", "Niezły telefon za tę cenę."],
    "uk": ["Дякую працівникам за швидке оформлення документів!", "Дуже ввічливий персонал, усе пояснили.",
           "Рекомендую цей центр, обслуговування на найвищому рівні."],
}
NEGATIVE = {
    "en": ["Absolutely useless, I was overcharged again.", "The app keeps crashing and nobody helps."],
    "zh": ["质量太差了，非常失望", "等了两个小时还没送到，太慢了"],
    "pl": ["Aplikacja ciągle się zawiesza, jestem rozczarowany.", "Nie polecam tego sklepu.",
           "Brak odpowiedzi od obsługi, to jest skandal.",
           "Po tygodniu ekran przestał działać, a sklep odrzucił reklamację.",  # no sentiment word in main's lexicon
           "Słuchawki nie trzymają się w uszach i szybko się psują."],
    "uk": ["Жахливе обслуговування, дві години в черзі.", "Ніхто не бере слухавку, неможливо додзвонитися.",
           "Працівниця нахамила і відмовилася приймати документи."],
}


@pytest.mark.parametrize("language,text", [(lang, t) for lang, texts in POSITIVE.items() for t in texts])
def test_sentiment_positive_examples_score_above_zero(language, text):
    assert score_segments([text], language)[0] > 0


@pytest.mark.parametrize("language,text", [(lang, t) for lang, texts in NEGATIVE.items() for t in texts])
def test_sentiment_negative_examples_score_below_zero(language, text):
    assert score_segments([text], language)[0] < 0


@pytest.mark.parametrize("text", ["I called to ask when my contract ends.", "The store is on the high street."])
def test_sentiment_english_neutral_examples_are_near_zero(text):
    assert abs(score_segments([text], "en")[0]) < 0.05


def test_sentiment_contrast_clauses_get_opposite_signs():
    late, sorted_out = score_segments(["the courier was late", "the agent sorted it out"], "en")
    assert late < 0 < sorted_out


@pytest.mark.parametrize("language", ["de", "es", "fr", "xx", "", None])
def test_sentiment_unsupported_language_gives_none_for_every_text(language):
    assert score_segments(["Der Kurier war zu spät.", "Muy amable.", "great"], language) == [None, None, None]
    assert method_for(language) is None


def test_sentiment_empty_batch_gives_empty_list():
    assert score_segments([], "en") == [] == score_segments([], "de")


@pytest.mark.parametrize("language,method", [("en", "vader+cx"), ("EN-gb", "vader+cx"), ("zh_CN", "lexicon-zh"),
                                             ("zh-Hans", "lexicon-zh"), (" pl ", "lexicon-pl"),
                                             ("uk-UA", "lexicon-uk")])
def test_sentiment_method_for_ignores_region_and_case(language, method):
    assert method_for(language) == method == SUPPORTED[language.strip()[:2].lower()]


@pytest.mark.parametrize("language", sorted(SUPPORTED))
@settings(max_examples=40, deadline=None)
@given(texts=st.lists(st.text(max_size=80), max_size=5))
def test_sentiment_scores_within_bounds(language, texts):
    scores = score_segments(texts, language)
    assert len(scores) == len(texts)
    assert all(isinstance(s, float) and -1.0 <= s <= 1.0 for s in scores)


@pytest.mark.parametrize("language,with_placeholder,without", [
    ("en", "Thanks [PERSON], great help!", "Thanks, great help!"),
    ("en", "[PERSON] from [ORG] was rude, call me on [PHONE]", "from was rude, call me on"),
    ("zh", "[PERSON]的服务很周到，谢谢", "的服务很周到，谢谢"),
    ("pl", "[PERSON] z infolinii była bardzo pomocna.", "z infolinii była bardzo pomocna."),
])
def test_sentiment_placeholders_do_not_change_or_break_scoring(language, with_placeholder, without):
    assert score_segments([with_placeholder], language) == score_segments([without], language)


@pytest.mark.parametrize("language", sorted(SUPPORTED))
def test_sentiment_placeholder_only_or_blank_segment_is_neutral(language):
    assert score_segments(["[PHONE]", "[EMAIL].", "", "   "], language) == [0.0, 0.0, 0.0, 0.0]


def test_sentiment_duplicate_texts_get_the_same_score():
    scores = score_segments(["slow refund", "great", "slow refund"], "en")
    assert scores[0] == scores[2] and len(scores) == 3


def test_sentiment_rejects_a_single_string():
    with pytest.raises(TypeError, match="sequence of texts"):
        score_segments("the courier was late", "en")


@pytest.mark.parametrize("text,expected_sign", [
    ("好吃", 1), ("不好吃", -1),                    # negation flips
    ("不错", 1),                                    # a word that starts with the negator is matched whole
    ("没问题", 1), ("有问题", -1),
    ("不是很满意", -1),                             # negation reaches over "是" and the booster
    ("差不多吧", 0), ("请问合同什么时候到期", 0),   # blocked entry; a neutral enquiry scores nothing
    ("味道不错，但是送餐太慢了", -1),               # what follows "但是" weighs more
])
def test_sentiment_chinese_rules(text, expected_sign):
    score = score_segments([text], "zh")[0]
    assert (score > 0) - (score < 0) == expected_sign


def test_sentiment_chinese_punctuation_ends_negation():
    assert score_segments(["没有，很好"], "zh")[0] > 0


@pytest.mark.parametrize("text,expected_sign", [
    ("polecam", 1), ("nie polecam", -1),            # negation flips
    ("problem", -1), ("bez problemu", 1),           # "bez" flips too
    ("wygodny", 1), ("niewygodny", -1),             # "nie" glued to an adjective
    ("swietny", 1), ("zle", -1),                    # typed without diacritics
    ("po prostu telefon", 0),                       # a 0 entry keeps the stem "prost" from matching
    ("paczka dotarła w piątek : )", 1), ("paczka dotarła :-(", -1),  # smileys, typed or tokenised
    ("paczka nr : (12) dotarła", 0),                # a bracket after a colon is no smiley
    ("mało wygodny", -1), ("niezbyt wygodny", -1), ("ledwo działa", -1),  # "hardly" negates too
    ("wygodny nie tylko w domu, ale też w trudnych warunkach", 1),  # "not only ... but": no contrast
])
def test_sentiment_polish_rules(text, expected_sign):
    score = score_segments([text], "pl")[0]
    assert (score > 0) - (score < 0) == expected_sign


@pytest.mark.parametrize("text,expected_sign", [
    ("ввічливий", 1), ("неввічливий", -1),          # "не" glued on
    ("не працює", -1), ("працює", 1),               # a bare "не" before a neutral word leans negative
    ("немає опалення", -1),                         # a lack is negative on its own
    ("обов’язково", 0), ("обов'язково", 0),         # both apostrophes read as one word, no sentiment
    ("Будівля гарна, але персонал грубий.", -1),     # what follows "але" weighs more
    ("Коли працює відділ реєстрації", 1),
    ("все отримала :)", 1), ("знову черга :(", -1),
])
def test_sentiment_ukrainian_rules(text, expected_sign):
    score = score_segments([text], "uk")[0]
    assert (score > 0) - (score < 0) == expected_sign


def test_sentiment_polish_intensifier_and_contrast():
    plain, boosted = score_segments(["dobry", "bardzo dobry"], "pl")
    assert boosted > plain > 0
    assert score_segments(["Obsługa była miła, ale kurier spóźnił się dwa dni."], "pl")[0] < 0


@pytest.mark.parametrize("language, plain, dampened, boosted", [
    ("pl", "dobry", "trochę dobry", "bardzo dobry"),
    ("pl", "zły", "trochę zły", "bardzo zły"),
    ("uk", "добре", "трохи добре", "дуже добре"),
    ("uk", "погано", "трохи погано", "дуже погано"),
])
def test_sentiment_dampeners_weaken_and_boosters_strengthen_either_sign(language, plain, dampened, boosted):
    """A dampener ("trochę", "трохи") moves a word toward 0 whatever its sign; a booster away from it.
    (The sign of a dampener's weight was once lost, so it strengthened the word like a booster.)"""
    weak, base, strong = (abs(s) for s in score_segments([dampened, plain, boosted], language))
    assert 0 < weak < base < strong


@pytest.mark.parametrize("name,minimum", [("pl.tsv", 300), ("zh.tsv", 200), ("uk.tsv", 250)])
def test_sentiment_lexicon_files_are_well_formed(name, minimum):
    lexicon = sentiment_rules.read_lexicon(name)
    assert len(lexicon) >= minimum
    assert all(-4 <= v <= 4 for v in lexicon.values())
    stems = [entry for entry in lexicon if entry.endswith("*")]
    assert all(len(stem) >= 4 for stem in stems)  # 3 letters + "*": shorter stems would match far too many words


@pytest.mark.parametrize("name", ["pl.tsv", "zh.tsv", "uk.tsv"])
def test_sentiment_lexicon_files_list_each_entry_once(name):
    """A second line for an entry silently replaces the first (the later one wins), so a reader of the file
    would see a score that is not in force."""
    text = (resources.files("vocmine.nlp") / "lexicons" / name).read_text(encoding="utf-8")
    entries = [line.split("\t")[0].strip().lower() for line in text.splitlines()
               if line.strip() and not line.startswith("#")]
    repeated = sorted(entry for entry, n in Counter(entries).items() if n > 1)
    assert not repeated, f"{name}: listed more than once: {repeated}"


def test_sentiment_lexicon_error_names_file_and_line(tmp_path, monkeypatch):
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "xx.tsv").write_text("# comment\ndobry\t1.5\nzły -2\n", encoding="utf-8")
    monkeypatch.setattr(sentiment_rules.resources, "files", lambda package: tmp_path)
    with pytest.raises(ValueError, match=r"xx.tsv:3: expected 'entry<TAB>score'"):
        sentiment_rules.read_lexicon("xx.tsv")
