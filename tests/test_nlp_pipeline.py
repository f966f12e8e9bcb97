"""The non-English pipelines: vocmine's fast lemma table gives exactly spaCy's lookup lemmas."""

from __future__ import annotations

import pytest
import spacy

from vocmine.config import NlpConfig
from vocmine.nlp.pipeline import build_pipeline

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
