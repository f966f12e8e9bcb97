"""spaCy components vocmine adds, registered as factories when this package is imported."""

from vocmine.nlp.components import clauses, formulas, key_phrases, pii  # noqa: F401  (registers the factories)
