"""Chinese sentiment rules (issue 19, third pass): each rule on short phrases written for these tests.

Each case below scored the other way (or 0) before the rule it tests; docs/sentiment.md says why each rule
is there and what it changed on the labelled sets.
"""

from __future__ import annotations

import pytest

from vocmine.nlp.sentiment import score_segments


def _zh(text: str) -> float:
    return score_segments([text], "zh")[0]


def _sign(text: str) -> int:
    score = _zh(text)
    return (score > 0) - (score < 0)


def test_nlp_sentiment_zh_contrast_stays_in_its_sentence():
    """After "但是" words weigh more, but only to the end of the sentence: a later sentence weighs as usual."""
    one_sentence = _zh("早餐不错，但是房间小，服务很好")
    two_sentences = _zh("早餐不错，但是房间小。服务很好")
    assert two_sentences < one_sentence


@pytest.mark.parametrize("text", [
    "虽然早餐很差，环境不错",        # although X, Y
    "服务很周到，只是隔音太差了",    # Y, it's just that X
    "前台热情，就是电梯太慢了",
    "除了网速慢，别的都很满意",      # except X
])
def test_nlp_sentiment_zh_conceded_flaw_weighs_half(text):
    assert _zh(text) > 0


def test_nlp_sentiment_zh_but_after_although_still_decides():
    assert _zh("虽然位置方便，但是房间很脏") < 0


def test_nlp_sentiment_zh_a_little_after_a_word_halves_it():
    """"差了点" is only a little poor: a clean room with slightly poor sound-proofing is a good stay."""
    assert _zh("房间干净，隔音差了点") > 0
    assert _zh("隔音差了点") < 0


def test_nlp_sentiment_zh_business_reply_is_not_the_customer():
    complaint = "房间很脏，很失望。"
    reply = "酒店回复2020年1月2日：感谢您的支持，我们很高兴您满意，谢谢，期待您再次入住，祝您愉快！"
    assert _zh(complaint + reply) == _zh(complaint) < 0
    assert _zh("前台回复说明天再修，很失望") < 0  # "回复" in the customer's own words is no cut


@pytest.mark.parametrize("text,expected_sign", [
    ("价格很高", -1), ("性价比很高", 1), ("价格不高", 1),   # which end of the scale is good depends on the noun
    ("房间很小", -1), ("房间也还比较大", 1), ("卫生间太小了", -1),
    ("噪音很小", 1), ("声音太大", -1),                      # the noun alone is a complaint; the pair is not
    ("分量很足", 1), ("菜量少", -1), ("位置有点偏", -1), ("设施很新", 1),
    ("您选择东方大酒店", 0),                                # only adverbs may stand between noun and adjective
])
def test_nlp_sentiment_zh_measured_noun_and_adjective_score_as_a_pair(text, expected_sign):
    assert _sign(text) == expected_sign


def test_nlp_sentiment_zh_hao_before_a_sentiment_word_means_so():
    assert _zh("送得好慢") < 0
    assert _zh("好失望") < _zh("失望") < 0
    assert _zh("味道好") > 0


def test_nlp_sentiment_zh_praise_in_a_question_does_not_count():
    assert _zh("下次能快点送到吗？") == 0.0
    assert _zh("不是说好送饮料吗？") <= 0
    assert _zh("怎么这么慢？") < 0  # complaint words in a question still count
    assert _zh("下次能快点送到") > 0  # no question mark: a statement as far as the scorer can tell


def test_nlp_sentiment_zh_verdict_sentence_weighs_double():
    assert _zh("早餐一般，房间有点吵。总的来说还不错。") > 0
    assert _zh("早餐一般，房间有点吵。还不错。") < 0


def test_nlp_sentiment_zh_opening_sentence_weighs_more():
    """Reviews open with the overall impression, then list details (总分)."""
    assert _zh("满意。早餐一般，电梯慢。") > 0
    assert _zh("早餐一般，电梯慢。满意。") < 0


@pytest.mark.parametrize("text", [
    "卫生间在门口",      # a bathroom, not hygiene (卫生)
    "这次是出差",        # a business trip, not poor (差)
    "去香港玩",          # Hong Kong, not fragrant (香)
    "楼下有超市",        # a supermarket, not "super" boosting the next word
    "加了两根香肠",      # sausages
    "快一个小时了",      # almost an hour, not fast (快)
    "请问合同什么时候到期？",  # a neutral enquiry stays 0, question mark or not
])
def test_nlp_sentiment_zh_compounds_that_hold_a_sentiment_character_score_nothing(text):
    assert _zh(text) == 0.0


@pytest.mark.parametrize("text,expected_sign", [
    ("房间有蟑螂", -1), ("设施旧了", -1), ("不便宜", -1), ("早餐丰富", 1), ("无可挑剔", 1),
    ("以后不会住了", -1), ("下次还会选择", 1), ("美中不足", 0), ("就更好了", 0),
])
def test_nlp_sentiment_zh_stay_words(text, expected_sign):
    assert _sign(text) == expected_sign


@pytest.mark.parametrize("text", [
    "内存太小", "机身有点沉", "床偏硬", "稍微有点重", "屏幕边框有一点儿宽", "电池小了点", "汤太咸了",
])
def test_nlp_sentiment_zh_too_or_a_bit_before_a_plain_measure_is_a_complaint(text):
    """"太小", "有点沉": nobody writes "有点X" of what they want more of, whatever the noun."""
    assert _zh(text) < 0


@pytest.mark.parametrize("text", [
    "太好了", "外壳不太硬", "希望大一点", "这个屏幕很大", "优点太多了",  # praise, negated, a wish, no "too", "多"
])
def test_nlp_sentiment_zh_measure_without_excess_is_no_complaint(text):
    assert _zh(text) >= 0


@pytest.mark.parametrize("text,expected_sign", [
    ("做工扎实，外观大方", 1), ("机器小巧轻便", 1), ("情节精彩，引人入胜", 1), ("受益匪浅", 1), ("哈哈，很满意", 1),
    ("收到了^_^", 1), ("运行正常", 1),
    ("外壳粗糙", -1), ("用了两天就死机", -1), ("内容空洞，语言啰嗦", -1), ("看不下去", -1), ("衣服起球", -1),
    ("收到了：（", -1), ("不正常", -1),
    ("待机时间长", 1), ("电池很短", -1), ("发热量大", -1), ("温度不高", 1),  # a device's hours and heat
    ("学生的书", 0), ("人生的意义", 0),                       # not raw food ("生的")
    ("五星级酒店", 0), ("缺点：", 0),                        # a hotel's class and a list heading are no verdict
])
def test_nlp_sentiment_zh_product_and_book_words(text, expected_sign):
    assert _sign(text) == expected_sign


@pytest.mark.parametrize("text", ["没有发现什么问题", "用了一个月没出现过死机", "没遇到什么毛病"])
def test_nlp_sentiment_zh_negation_reaches_three_words_not_three_characters(text):
    """"发现", "什么", "出现过" are one token each, so "没" still reaches the flaw it denies."""
    assert _zh(text) > 0
