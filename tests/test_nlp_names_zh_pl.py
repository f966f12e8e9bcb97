"""People's names in Chinese (a surname with a title, on jieba's words) and Polish (names after a cue)."""

from __future__ import annotations

import random

import pytest

from vocmine.nlp.name_lexicons import load_name_lexicon
from vocmine.nlp.names_pl import find_polish_names
from vocmine.nlp.names_zh import find_chinese_names
from vocmine.nlp.pipeline import chinese_words

LEXICON = load_name_lexicon()


@pytest.fixture(scope="module")
def zh():
    return chinese_words()


def chinese_names(nlp, text: str) -> list[str]:
    words = [(token.text, token.idx) for token in nlp(text)]
    return [text[s.start:s.end] for s in find_chinese_names(words, LEXICON)]


@pytest.mark.parametrize(("text", "names"), [
    ("感谢前厅部叶先生帮我重开发票", ["叶先生"]),
    ("销售部的周小姐很耐心", ["周小姐"]),
    ("王经理处理得很快，李先生也很客气", ["王经理", "李先生"]),
    ("张师傅送餐很快，刘小姐态度好", ["张师傅", "刘小姐"]),
    ("陈女士帮我叫了车，赵老师讲得好", ["陈女士", "赵老师"]),
    ("客服人员小秦很热情", ["小秦"]),
    ("值班的老周电话引导我们停车", ["老周"]),
    ("前台小王很热情", ["小王"]),
    ("有位姓李的经理帮我换了房", ["姓李"]),
    ("每次和王总、Roby出来玩都住这里", ["王总", "Roby"]),
    ("大堂的Angel小姐很有礼貌", ["Angel小姐"]),
    ("我问黎阿姨怎么走，她请黎阿姨的妹妹帮忙", ["黎阿姨", "黎阿姨"]),  # jieba: 问黎|阿姨
])
def test_names_chinese_surname_with_title(zh, text, names):
    assert chinese_names(zh, text) == names


@pytest.mark.parametrize("text", [
    "前台小姐态度很好，送餐师傅也辛苦了，大堂经理出面道歉",  # job titles alone
    "谢谢师傅，送餐很快",  # 谢 is a surname, 谢谢 a word
    "携程总是没有早餐",  # 程总 inside 携程总是
    "我都是老顾客了，小黄鱼很好吃",  # 老顾, 小黄 inside words
    "房间里有两瓶康师傅矿泉水",  # a brand
    "一条路上有三个马哥孛罗酒店",  # a hotel chain
    "在周总理纪念馆旁边，交通方便",  # a memorial
    "向经理反映了问题，对于老板私自换菜很不满",  # prepositions, not surnames
    "价格标得老高，总之性价比太低",
    "对方经理没有回复",  # 对方 (the other side) is a word, not 对 + 方
])
def test_names_chinese_titles_and_words_are_no_one(zh, text):
    assert chinese_names(zh, text) == []


def test_names_polish_after_titles_service_verbs_and_signatures():
    cases = {
        "Pan Tomasz był bardzo pomocny przy zwrocie.": ["Tomasz"],
        "Obsługiwała mnie Pani Anna Nowak, bardzo miło.": ["Anna Nowak"],
        "Rozmawiałam z Panią Kowalską i wszystko wyjaśniła.": ["Kowalską"],
        "Kurier Marek zostawił paczkę pod drzwiami.": ["Marek"],
        "Konsultantka Ewa szybko pomogła.": ["Ewa"],
        "Dziękuję za szybką wysyłkę.\nPozdrawiam,\nKatarzyna Wiśniewska": ["Katarzyna Wiśniewska"],
        "Pan z autoryzowanego serwisu nie wiedział nic.": [],  # "pan" as "a man"
        "Czy Pan może oddzwonić? Pani z infolinii też nie wie.": [],  # polite "you", then a lower-case word
        "Kamera działa, pozdrawiam": [],
        "Pani z Warszawy zamówiła to samo.": [],
        "Kurier DPD przyjechał, a kurier Samsung też.": [],  # a company is no name
    }
    for text, names in cases.items():
        assert [text[s.start:s.end] for s in find_polish_names(text, LEXICON)] == names, text


def test_names_polish_generated_feedback_keeps_words_and_loses_names():
    """Generated sentences (seed 7): each planted name is found, nothing else is."""
    rng = random.Random(7)
    given = ["Adam", "Marta", "Piotr", "Agnieszka", "Krzysztof", "Magdalena", "Tomasz", "Joanna"]
    surnames = ["Nowak", "Kowalski", "Wójcik", "Kamińska", "Lewandowski", "Zielińska"]
    frames = ["Obsługiwał mnie Pan {n} i wszystko poszło sprawnie.", "Kurier {n} przyjechał na czas.",
              "Bardzo dziękuję Pani {n} za pomoc.", "Produkt w porządku.\nPozdrawiam\n{n}",
              "Rozmawiałem z konsultantem {n}, problem rozwiązany."]
    empty = ["Pan z serwisu oddzwonił po tygodniu.", "Kamera Xiaomi działa świetnie, polecam.",
             "Szanowni Państwo, telefon przyszedł uszkodzony.", "Pani w sklepie była miła."]
    for _ in range(60):
        name = rng.choice(given) + (" " + rng.choice(surnames) if rng.random() < 0.5 else "")
        text = rng.choice(frames).format(n=name)
        assert [text[s.start:s.end] for s in find_polish_names(text, LEXICON)] == [name], text
    for text in empty:
        assert find_polish_names(text, LEXICON) == [], text
