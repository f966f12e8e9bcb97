"""People's names in Chinese feedback: a surname with a title, the way reviews name staff.

Chinese reviews rarely write a full name; they thank or blame 叶先生, 周小姐, 郭师傅, 李阿姨, 王总,
the desk clerk 小秦 or the night porter 老周. jieba's words (the pipeline's tokenizer) tell a
surname from a character inside a word, which a character pattern cannot: 携程|总是 holds 程总,
谢谢|师傅 holds 谢师傅, 老|顾客 holds 老顾, and none is a person. A name is

- a word that is a surname and a title (叶先生, 李小姐, 赵老师) or a surname alone followed by a
  title word (周|小姐, 王|总, 黎|阿姨);
- 小 or 老 with a surname (小王, 老周) right after a staff word (前台, 服务员, 客服人员, 值班的);
- "姓" with a surname (一个姓李的女士, 一位王姓的小姐);
- a Latin-script word before a title (Angel小姐), or a known given name listed after a name (王总、Roby).

A job title without a surname (前台小姐, 送餐师傅, 大堂经理) is nobody. Prepositions that are also
surnames (向经理反映: "complained to the manager"; 于) are left out.

    >>> from vocmine.nlp.name_lexicons import load_name_lexicon
    >>> words = [("感谢", 0), ("前台", 2), ("周", 4), ("小姐", 5), ("和", 7), ("送餐", 8), ("师傅", 10)]
    >>> [(s.start, s.end) for s in find_chinese_names(words, load_name_lexicon())]
    [(4, 7)]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vocmine.nlp.name_lexicons import NameLexicon
from vocmine.nlp.pii import PiiSpan

# the commonest surnames (about 85% of people), without 向 and 于: prepositions far more often than names
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤康易乔赖文"
    "常葛温施洪牛殷庞樊兰齐涂岳柳骆欧") | frozenset(("欧阳", "司马", "上官", "诸葛", "东方", "慕容", "令狐", "皇甫", "公孙"))
TITLES = frozenset((
    "先生", "小姐", "女士", "太太", "夫人", "经理", "总经理", "副经理", "大堂经理", "师傅", "老师", "总", "总监",
    "主管", "主任", "阿姨", "大姐", "大哥", "店长", "老板", "老板娘", "董事长", "医生", "大夫", "律师", "教练",
    "导游", "领班", "助理", "专员", "队长", "处长", "科长", "局长", "部长", "院长", "校长", "书记", "工程师"))
_FUSED_TITLES = TITLES | {"姐", "总理"}  # 王姐 as one word; 周总理 (a memorial after it is no one); not 哥: 马哥孛罗
_BRANDS = frozenset(("康师傅",))  # instant noodles and bottled water, in many hotel rooms
# the word before 小王 / 老周 that says a member of staff is meant
_STAFF = frozenset(("前台", "服务员", "服务生", "客服", "人员", "员工", "值班", "保安", "司机", "门童", "导游", "店员",
                    "收银员", "骑手", "快递员", "送餐员", "外卖员", "配送员", "小哥", "经理", "主管", "领班", "同事",
                    "师傅", "管家", "技师", "医生", "护士", "老师", "教练", "工作人员", "接待", "服务台", "总台"))
_GLUES = frozenset("请问找给让跟叫和对向被后是由把与同帮等")
_LATIN = re.compile(r"[A-Za-z][a-z]{1,15}")
_AFTER_TITLE_NOT_A_NAME = ("纪念馆", "故居", "路", "街", "广场", "大道", "红烧肉")  # 周总理纪念馆, 田老师红烧肉


def find_chinese_names(words: Sequence[tuple[str, int]], lexicon: NameLexicon) -> list[PiiSpan]:
    """Person spans from a Chinese text's words, each given as (word, character offset)."""
    spans: list[PiiSpan] = []
    for i, (word, start) in enumerate(words):
        end = _name_end(words, i)
        if end is None:
            continue
        if _glued_surname(words, i):
            start += 1  # 请黎|阿姨: the name starts at the surname
        if i + 1 < len(words) and words[i + 1][0].startswith(_AFTER_TITLE_NOT_A_NAME) and end <= words[i + 1][1]:
            continue  # a memorial or a dish named after someone
        spans.append(PiiSpan(start, end, "PERSON"))
    return _with_listed_latin_names(words, spans, lexicon)


def _name_end(words: Sequence[tuple[str, int]], i: int) -> int | None:
    """Where the name starting at word ``i`` ends, or None when no name starts there."""
    word, start = words[i]
    following = words[i + 1][0] if i + 1 < len(words) else ""
    if _surname_and_title(word) and word not in _BRANDS:  # 叶先生, 李小姐
        return start + len(word)
    if (word in SURNAMES or _glued_surname(words, i)) and following in TITLES:  # 周 小姐, 王 总, 请黎 阿姨
        return words[i + 1][1] + len(following)
    if len(word) == 2 and word[0] in "小老" and word[1] in SURNAMES and _after_staff(words, i):  # 前台 小王
        return start + len(word)
    if word == "姓" and following in SURNAMES:  # 姓 李
        return words[i + 1][1] + len(following)
    if len(word) == 2 and ((word[0] == "姓" and word[1] in SURNAMES) or (word[1] == "姓" and word[0] in SURNAMES)):
        return start + len(word)  # 姓李, 王姓
    if _LATIN.fullmatch(word) and word[0].isupper() and following in ("小姐", "先生", "女士", "经理", "老师"):
        return words[i + 1][1] + len(following)  # Angel 小姐
    return None


def _glued_surname(words: Sequence[tuple[str, int]], i: int) -> bool:
    """jieba glues a rarer surname to the one-character verb or preposition before it ("请黎|阿姨", "问黎|阿姨",
    "后黎|阿姨") when the two make no word of its dictionary (对方 is a word: "对方经理" is nobody)."""
    word = words[i][0]
    if not (len(word) == 2 and word[0] in _GLUES and word[1] in SURNAMES and i + 1 < len(words)
            and words[i + 1][0] in TITLES):
        return False
    import jieba  # the Chinese pipeline's tokenizer: its dictionary knows the words

    jieba.dt.check_initialized()
    return not jieba.get_FREQ(word)


def _surname_and_title(word: str) -> bool:
    for size in (1, 2):
        if word[:size] in SURNAMES and word[size:] in _FUSED_TITLES:
            return True
    return False


def _after_staff(words: Sequence[tuple[str, int]], i: int) -> bool:
    j = i - 1
    if j >= 0 and words[j][0] == "的":
        j -= 1
    return j >= 0 and (words[j][0] in _STAFF or words[j][0].endswith(("员", "人员")))


def _with_listed_latin_names(words: Sequence[tuple[str, int]], spans: list[PiiSpan],
                             lexicon: NameLexicon) -> list[PiiSpan]:
    """王总、Roby: a known given name listed right after a name is a name too."""
    ends = {s.end for s in spans}
    out = list(spans)
    for i in range(2, len(words)):
        word, start = words[i]
        joiner, joiner_start = words[i - 1]
        if (joiner in ("、", "和", "与", "跟") and joiner_start in ends and _LATIN.fullmatch(word)
                and lexicon.is_first_name(word, strict=True)):
            out.append(PiiSpan(start, start + len(word), "PERSON"))
    return sorted(out)
