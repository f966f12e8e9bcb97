"""Segment embeddings: interchangeable backends and a cache keyed by model and text."""

from vocmine.embed.backends import EmbeddingBackend, load_backend
from vocmine.embed.cache import embed_segments, segment_embeddings

__all__ = ["EmbeddingBackend", "embed_segments", "load_backend", "segment_embeddings"]
