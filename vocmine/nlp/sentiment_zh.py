"""Chinese segment sentiment: a small, project-written lexicon baseline (``lexicons/zh.tsv``).

Why rules of its own: Chinese is written without spaces, so a text is cut by greedy longest match
against the lexicon, and reviews carry patterns the Polish and Ukrainian rules do not know: a
measured noun and its adjective score as a pair ("价格高" is poor value, "性价比高" good value),
conceded flaws weigh half, praise in a question does not count, the opening and summing-up
sentences weigh more, and a business's appended reply is not the customer's voice. The shared
VADER-like rules come from ``vocmine.nlp.sentiment_rules``; ``docs/sentiment.md`` says why each rule
exists and what it gained. Callers use ``vocmine.nlp.sentiment.score_segments(texts, "zh")``.

    >>> [round(score, 4) for score in score_zh(["房间很大，服务周到。", "价格高，送餐太慢了"])]
    [0.6697, -0.6478]
"""

from __future__ import annotations

import re
from functools import lru_cache

from vocmine.nlp.sentiment_rules import LexiconRules, normalise, read_lexicon, valence_sum

ZH_RULES = LexiconRules(
    negators={"不": -0.3, "没": -0.4, "没有": -0.4, "无": 0.0, "未": 0.0, "毫无": 0.0, "并非": 0.0},
    boosters={
        "很": 0.293, "非常": 0.293, "太": 0.293, "特别": 0.293, "超": 0.293, "超级": 0.293, "十分": 0.293,
        "极": 0.293, "极其": 0.293, "最": 0.293, "相当": 0.293, "巨": 0.293, "贼": 0.293, "真": 0.2, "真的": 0.2,
        "挺": 0.2, "蛮": 0.2, "更": 0.2, "实在": 0.2, "比较": -0.2, "有点": -0.293, "有些": -0.2,
        "稍微": -0.293, "略": -0.2, "有一点": -0.293, "有一点儿": -0.293, "有点点": -0.293, "好~": 0.293,  # "好~": "好" before a sentiment word (_zh_tokens)
    },
    contrast=frozenset({"但是", "但", "可是", "不过", "然而", "却"}),
    breaks=frozenset("，。！？；、,.!?;~\n"),
    # "although", and the words that bring a minor flaw into a good review: "except", "the only", "just that"
    concessive=frozenset({"虽然", "虽", "虽说", "尽管", "除了", "唯一", "美中不足", "只是", "就是"}),
    dampen_after=frozenset({"了点", "了些", "一点", "一些", "点儿", "了一点", "了一些"}),
)
# A sentence ends at 。！？ (or !? . … and a line break): a "but" reaches to the end of its sentence, not
# of the whole review ("A，但 B。C。" weighs B over A and leaves C alone). "3.5" is no sentence end.
ZH_SENTENCE = re.compile(r"(?<=[。！？!?\n…])(?![。！？!?\n…])|(?<=\.)(?![\d.])")
# Review sites append the business's answer to the review ("酒店回复：感谢您的点评……"): its thanks and
# apologies are not the customer's voice, so scoring stops where it starts.
ZH_BUSINESS_REPLY = re.compile(r"(?:商家|店家|卖家|掌柜|酒店|宾馆|饭店|客栈|民宿|官方)(?:回复|反馈|回应)\s*(?:\d[\d年月日/-]*)?\s*[：:]")


def _scales(*groups: tuple[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """noun -> {adjective: score} from (nouns, ends) groups; a noun in two groups gets both."""
    scales: dict[str, dict[str, float]] = {}
    for nouns, ends in groups:
        for noun in nouns.split():
            scales.setdefault(noun, {}).update(ends)
    return scales


# A measured noun and the adjective after it score as a pair: "价格高" is poor value and "性价比高" good
# value, "房间小" a small room, "分量足" a full portion, "声音大" a noise. Then the noun itself scores
# nothing ("噪音小" is no complaint). Only adverbs may stand between them ("房间也还比较大"), and negation
# and boosters apply to the pair as to a word ("价格不高").
ZH_SCALES: dict[str, dict[str, float]] = _scales(
    ("价格 价钱 房价 收费 价位 费用", {"高": -1.2, "低": 1.2, "贵": -1.2, "便宜": 1.2}),
    ("性价比 素质 水平 档次 质量 效率 品质 星级", {"高": 1.5, "低": -1.5}),
    ("房间 房子 面积 空间 床 卫生间 浴室 窗户 电视 屏幕", {"大": 1.2, "小": -1.2}),
    ("设施 硬件 装修 设备 家具 房间 房子 酒店 宾馆", {"新": 1.5, "旧": -1.5, "老": -1.2}),
    ("量 分量 份量 菜量 饭量 种类 品种 花样 选择", {"多": 1.2, "少": -1.2, "足": 1.5, "大": 1.2, "小": -1.2}),
    ("声音 噪音 噪声 味道 气味 异味 霉味", {"大": -2.0, "小": 1.0, "重": -2.0}),
    ("时间 路程", {"长": -1.0, "短": 1.0}),
    ("续航 待机 续航时间 待机时间 电池 寿命 保修期", {"长": 1.5, "短": -1.5}),  # a device's hours: longer is better
    ("发热 发热量 热量 温度", {"大": -1.5, "高": -1.5, "小": 1.2, "低": 1.2}),
    ("位置 地段 地点 距离", {"近": 1.2, "远": -1.2, "偏": -1.2}),
)
ZH_SCALE_PAIRS = {noun + end: score for noun, ends in ZH_SCALES.items() for end, score in ends.items()}
ZH_SCALE_BETWEEN = frozenset("也还都较偏算是就又得的")  # besides boosters and negators: "房间也还比较大"
# "Too" or "a bit" before a plain measure ("太小", "有点沉", "偏硬", "稍微有点热") is a complaint whatever the
# noun: nobody writes "有点X" of what they want more of. Only measures that score nothing on their own: "太好" is
# praise, "有点慢" already a complaint. "多" is left out ("优点太多").
ZH_EXCESS = frozenset({"太", "过", "过于", "有点", "有点儿", "有一点", "有一点儿", "有点点", "有些", "偏", "稍", "稍微",
                       "稍稍", "略", "略微"})
ZH_EXCESS_AFTER = frozenset({"了点", "了些", "了一点", "了一些"})  # "小了点", "重了一些": the same complaint
ZH_MEASURES = frozenset("大小重沉厚薄宽窄长短高低热冷烫硬软少暗亮粗细松紧晚咸淡酸苦辣干湿吵旧")
ZH_TOO = -1.5  # a measure after ZH_EXCESS (its token becomes measure + "!"), before the marker's own boost


@lru_cache(maxsize=1)
def _zh_vocabulary() -> tuple[dict[str, float], int]:
    """Every string the Chinese tokenizer matches whole (lexicon, rule words) and the longest."""
    rules = ZH_RULES
    vocabulary = dict.fromkeys([*rules.negators, *rules.boosters, *rules.contrast, *rules.concessive,
                                *rules.dampen_after, *ZH_SCALES], 0.0)
    vocabulary.update(read_lexicon("zh.tsv"))
    return vocabulary, max(map(len, vocabulary))


def _zh_tokens(text: str) -> list[str]:
    """Greedy longest match against the vocabulary (any other character is a token of its own), then the
    measured pairs ("价格" … "高" -> "", "价格高"), "好" as "so" before a sentiment word ("好慢") and a plain
    measure after "too" ("太" "小" -> "太", "小!")."""
    vocabulary, longest = _zh_vocabulary()
    tokens, i = [], 0
    while i < len(text):
        size = next((n for n in range(min(longest, len(text) - i), 1, -1) if text[i:i + n] in vocabulary), 1)
        tokens.append(text[i:i + size])
        i += size
    noun_at = None
    for i, token in enumerate(tokens):
        if token in ZH_SCALES:
            noun_at = i
        elif noun_at is not None and token in ZH_SCALES[tokens[noun_at]]:
            tokens[i], tokens[noun_at], noun_at = tokens[noun_at] + token, "", None
        elif not (token in ZH_SCALE_BETWEEN or token in ZH_RULES.boosters or token in ZH_RULES.negators):
            noun_at = None
        if token == "好" and i + 1 < len(tokens) and _zh_valence(tokens[i + 1]):
            tokens[i] = "好~"
        elif token in ZH_MEASURES and _after_excess(tokens, i):
            tokens[i] = token + "!"
    return tokens


def _after_excess(tokens: list[str], i: int) -> bool:
    """"太" or "有点" just before token i ("太小"), or "了点" just after it ("小了点")."""
    return (i > 0 and tokens[i - 1] in ZH_EXCESS) or (i + 1 < len(tokens) and tokens[i + 1] in ZH_EXCESS_AFTER)


def _zh_valence(token: str) -> float | None:
    """A token's score; negators, boosters and 0 entries score nothing."""
    if token[-1:] == "!" and token[:-1] in ZH_MEASURES:
        return ZH_TOO
    return ZH_SCALE_PAIRS.get(token) or _zh_vocabulary()[0].get(token) or None


# A question asserts nothing good: "下次能快点送到吗？" ("can it come faster next time?") and "不是说好送饮料吗？" are
# complaints, so praise words in a question do not count; complaint words do ("怎么这么慢？").
ZH_QUESTION = re.compile(r"[？?]\W*$")
# Words that sum a review up ("总的来说", "总之"): the sentence that holds one weighs double.
ZH_VERDICT = re.compile(r"总之|总而言之|综上|总的来说|总的说来|总的感觉|总体|整体")
ZH_VERDICT_WEIGHT = 2.0


def _zh_sentence(sentence: str) -> float:
    total = valence_sum(_zh_tokens(sentence), _zh_valence, ZH_RULES)
    if total > 0 and ZH_QUESTION.search(sentence):
        return 0.0
    return total * ZH_VERDICT_WEIGHT if ZH_VERDICT.search(sentence) else total


# Chinese reviews often open with the overall impression and then go through the details ("总分", whole then
# parts): of several sentences, the first weighs 1.5 times.
ZH_OPENING_WEIGHT = 1.5
HAS_LETTER = re.compile(r"[^\W\d_]")  # "1." numbering a list is no sentence


def _zh_score(text: str) -> float:
    """Sentence by sentence, so that contrast and concession stay inside their sentence."""
    customer = ZH_BUSINESS_REPLY.split(text.lower(), maxsplit=1)[0]
    scores = [_zh_sentence(sentence) for sentence in ZH_SENTENCE.split(customer) if HAS_LETTER.search(sentence)]
    if len(scores) > 1:
        scores[0] *= ZH_OPENING_WEIGHT
    return normalise(sum(scores))


def score_zh(texts: list[str]) -> list[float]:
    return [_zh_score(text) for text in texts]
