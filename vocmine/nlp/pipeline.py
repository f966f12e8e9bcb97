"""Building the spaCy pipeline for each language, and the version that names its output.

English uses the configured trained pipeline without its dependency parser (the slowest
part, and nothing here needs it: sentences come from the lighter ``senter``). Other
languages get ``spacy.blank(lang)`` with a rule-based sentencizer, which knows Chinese
full stops (。！？), plus a lemmatizer where a package ships one:

- Chinese (zh): words from jieba's segmenter (its dictionary ships in the package); spaCy's
  default splits Chinese into single characters, which are no theme keyword ("扣" "款"
  for 扣款, a charge). Chinese has no inflection, so a word is its own lemma.
- Ukrainian (uk): spaCy's pymorphy3 lemmatizer with pymorphy3's Ukrainian dictionaries
  ("черзі" -> "черга"), so one complaint's inflected forms count as one keyword.
- Polish (pl): spacy-lookups-data has Polish tables per part of speech only (for spaCy's
  ``pos_lookup`` mode, which needs a tagger we do not have); they are merged into one table.
  A form several parts of speech share takes the lemma that keeps more of it: "działa" is
  "działać" (not the noun "działo"), "życzenia" is "życzenie" (not the verb "życzyć").
  Reading the tables takes 15-40 s (3.7 million forms), so the merged table is written once per
  machine into an SQLite file and each word is looked up there (``vocmine.nlp.lemma_file``).
- Other languages: the plain lookup table where spacy-lookups-data has one (de, es, fr, ...).

Tables are read into a plain dict: see ``LemmaTable``.
Every pipeline ends with vocmine's own components: PII, formulas (greetings and sign-offs cut
off), clauses, key phrases.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path

import spacy
import srsly
from spacy.language import Language
from spacy.lookups import Lookups, Table

import vocmine.nlp.components  # noqa: F401  (registers vocmine_* factories)
from vocmine.config.nlp import NlpConfig
from vocmine.embed.backends import weights_fingerprint
from vocmine.nlp.boilerplate import split_patterns
from vocmine.nlp.lemma_file import file_backed_lemmas
from vocmine.text.tokens import keep_placeholders, load_trained

# Bump when code changes what enrichment produces, so `vocmine enrich --rebuild` redoes it.
CODE_VERSION = 10  # 2: segment_tokens for the journey rules; 3: greetings and sign-offs cut off;
# 4: person names checked against name lexicons (issue 18); 5: postal addresses redacted (issue 20);
# 6: Chinese words (jieba), Ukrainian and Polish lemmas (issue 19); 7: Chinese clauses, decimals,
# list items (issue 19); 8: Polish and Chinese sentiment rules (issue 19): `--rebuild` re-scores them;
# 9: Chinese product and book review words and "too/a bit" + measure (issue 19, fourth pass);
# 10: person names in Chinese and Polish, Ukrainian names read with pymorphy3, an English name ends at a line break
_NOT_NEEDED = ("parser",)


def build_pipeline(language: str, config: NlpConfig) -> Language:
    """The pipeline for one language; ``language`` is an ISO 639-1 code."""
    if language == "en":
        nlp = _trained(config.model)
    else:
        nlp = _blank(language)
    keep_placeholders(nlp, config.pii_patterns)
    nlp.add_pipe("vocmine_pii", config={"extra_patterns": config.pii_patterns, "brand_handles": config.brand_handles})
    nlp.add_pipe("vocmine_formulas", config=split_patterns(language, config.boilerplate))
    nlp.add_pipe("vocmine_clauses")
    nlp.add_pipe("vocmine_key_phrases")
    return nlp


def _trained(model: str) -> Language:
    probe = load_trained(model, _NOT_NEEDED)
    if "senter" in probe.component_names:
        probe.enable_pipe("senter")
        return probe
    return load_trained(model)  # no senter: keep the parser, which then sets sentences


def _blank(language: str) -> Language:
    if language == "zh":
        nlp = chinese_words()
    else:
        try:
            nlp = spacy.blank(language)
        except ImportError:
            nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    if language == "uk":
        _add_pymorphy3(nlp)
        return nlp
    lemmas = _polish_lemma_file() if language == "pl" else _read_table(language)
    if lemmas is not None:
        lookups = Lookups()
        table = AnyCaseLemmaTable if language == "pl" else LemmaTable
        lookups.set_table("lemma_lookup", table("lemma_lookup", lemmas))
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize(lookups=lookups)
    return nlp


def chinese_words() -> Language:
    """A blank Chinese pipeline that splits text into words with jieba, not into characters."""
    try:
        import jieba
    except ImportError as exc:
        raise RuntimeError("Chinese feedback needs jieba: pip install jieba==0.42.1") from exc
    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading at INFO to stderr
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def _add_pymorphy3(nlp: Language) -> None:
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "pymorphy3"}).initialize()
    except (ImportError, ValueError) as exc:  # spaCy raises ImportError when pymorphy3 or its dictionaries miss
        raise RuntimeError("Ukrainian feedback needs pymorphy3: pip install pymorphy3 pymorphy3-dicts-uk") from exc


# Polish tables in the order that breaks a tie between two lemmas of one form
_POLISH_ORDER = ("noun", "verb", "adj", "adv", "aux", "num", "pron", "adp", "part")


@cache
def _polish_lemmas() -> dict[str, str] | None:
    lemmas: dict[str, str] = {}
    for pos in _POLISH_ORDER:
        table = _lookup_table(f"pl_lemma_lookup_{pos}")
        if table is None:
            continue
        for word, lemma in srsly.read_gzip_json(table).items():
            known = lemmas.get(word)
            if known is None or _shared(word, lemma) > _shared(word, known):
                lemmas[word] = lemma
    return lemmas or None


def _polish_lemma_file():
    """The merged Polish table from its file (vocmine.nlp.lemma_file), written once per machine."""
    lemmas = file_backed_lemmas("pl", _polish_lemmas)
    if not isinstance(lemmas, dict):
        _polish_lemmas.cache_clear()  # written to the file just now: the 3.7 million forms can go
    return lemmas


def _shared(word: str, lemma: str) -> int:
    n = 0
    for a, b in zip(word, lemma):
        if a != b:
            break
        n += 1
    return n


def _read_table(language: str) -> dict[str, str] | None:
    table = _lookup_table(f"{language}_lemma_lookup")
    return srsly.read_gzip_json(table) if table is not None else None


class LemmaTable(Table):
    """spaCy's lemma lookup table keyed by the words themselves. spaCy's ``Table`` hashes every
    key and fills a Bloom filter while it loads: 1.5-3 s per language and process (a tenth of a
    night with a few languages), where a dict read from the same file takes a fraction. The
    lemmatizers look words up by their text (``get``), which is all this answers."""

    def __init__(self, name: str, lemmas: Mapping[str, str]) -> None:
        super().__init__(name=name, data={})
        self.lemmas = lemmas

    def get(self, key, default=None):
        return self.lemmas.get(key, default)

    def __getitem__(self, key):
        return self.lemmas[key]

    def __contains__(self, key) -> bool:
        return key in self.lemmas

    def __len__(self) -> int:
        return len(self.lemmas)


class AnyCaseLemmaTable(LemmaTable):
    """A table that reads a capitalised word as its lower-case form first: "Kamery" at the start
    of a sentence is "kamera", not the surname Kamer the table also lists."""

    def get(self, key, default=None):
        found = self.lemmas.get(key.lower()) if isinstance(key, str) else None
        if found is None:
            found = self.lemmas.get(key)
        return default if found is None else found


@cache
def _lookup_table(name: str):
    """A table spacy-lookups-data ships: ``de_lemma_lookup``, ``pl_lemma_lookup_noun``, ..."""
    try:
        table = resources.files("spacy_lookups_data") / "data" / f"{name}.json.gz"
    except ModuleNotFoundError:
        return None
    return table if table.is_file() else None


def pipeline_version(config: NlpConfig) -> str:
    """A short hash of everything that changes enrichment output: code, model, settings."""
    meta = {"code": CODE_VERSION, "spacy": spacy.__version__, "model": config.model,
            "model_version": _model_version(config.model),
            **config.model_dump(exclude={"batch_size", "n_process", "keep_raw_text", "boilerplate"}),
            # only what cuts segments; the boilerplate rules are re-applied to every segment anyway
            "formulas": {lang: split_patterns(lang, config.boilerplate) for lang in sorted(config.languages)}}
    return hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()[:12]


def _model_version(model: str) -> str:
    """An installed pipeline's package version; for a pipeline given by path, its own version and
    a fingerprint of its files: retraining a pipeline saved at the same path changes the
    enrichment version, so ``vocmine enrich --rebuild`` redoes what the old one produced."""
    path = Path(model).expanduser()
    if not spacy.util.is_package(model) and path.is_dir():  # spacy.load prefers the package too
        meta = srsly.read_json(path / "meta.json") if (path / "meta.json").is_file() else {}
        return f"{meta.get('version', 'unversioned')}+{weights_fingerprint(path, ('*',))}"
    return _package_version(model)


@cache
def _package_version(model: str) -> str:
    try:
        return spacy.info(model).get("version", "unversioned")
    except (Exception, SystemExit):  # noqa: BLE001 - a model not installed (spaCy exits): loading it will say so
        return "unversioned"
