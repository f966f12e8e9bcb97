"""The `[nlp.boilerplate]` settings: which lines are formulas rather than what customers say.

Example::

    [nlp.boilerplate]
    min_feedback = 10          # a repeated line: in at least this many feedback
    [nlp.boilerplate.en]       # added to the formulas vocmine ships for English
    formulas = ['thank you for choosing brightline']
    words = ['brightline']
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from vocmine.config.base import Strict, check_patterns


class FormulaSet(Strict):
    """One language's formulas (see vocmine/nlp/boilerplate.toml for what each list means)."""

    greetings: list[str] = Field(default_factory=list, description="regexes that open a message")
    signoffs: list[str] = Field(default_factory=list, description="regexes that close a message")
    headers: list[str] = Field(default_factory=list, description="regexes that start a template header")
    formulas: list[str] = Field(default_factory=list, description="regexes of whole boilerplate lines")
    words: list[str] = Field(default_factory=list, description="the formula vocabulary")

    @field_validator("greetings", "signoffs", "headers", "formulas")
    @classmethod
    def _patterns_compile(cls, value: list[str], info) -> list[str]:
        check_patterns(info.field_name, value)
        return value

    @field_validator("words")
    @classmethod
    def _lowercase(cls, value: list[str]) -> list[str]:
        return [w.lower() for w in value]


class BoilerplateConfig(Strict):
    """Thresholds of the repeated-line rule, and formulas per language (`[nlp.boilerplate.<lang>]`)."""

    enabled: bool = Field(True, description="false: no segment is boilerplate, every one is themed")
    shipped: bool = Field(True, description="use vocmine's own formulas (vocmine/nlp/boilerplate.toml) too")
    min_feedback: int = Field(10, ge=2, description="a repeated line: in at least this many feedback")
    min_customers: int = Field(5, ge=1, description="... from at least this many customers (feedback without "
                               "a customer count as their own)")
    max_alone_share: float = Field(0.5, ge=0, le=1, description="... and at most this share of them say nothing "
                                   "else (a line that is the whole feedback is its content)")
    max_content_words: int = Field(0, ge=0, description="... with at most this many content words outside the "
                                   "formula vocabulary")
    min_formula_share: float = Field(0.75, gt=0, le=1, description="a word outside the vocabulary still counts as "
                                     "formula wording when at least this share of the segments using it are "
                                     "repeated lines ('pleasant' in 'wishing you a pleasant evening'); 1: only if never used elsewhere")
    languages: dict[str, FormulaSet] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _language_tables(cls, data: object) -> object:
        """`[nlp.boilerplate.en]` reads as languages['en']."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        languages = dict(data.pop("languages", {}) or {})
        for key in [k for k, v in data.items() if isinstance(v, dict)]:
            languages[key] = data.pop(key)
        return {**data, "languages": languages}
