"""Enrichment: language, segments, PII redaction, lemmas, key phrases and sentiment."""
