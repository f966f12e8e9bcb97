"""The taxonomy phrases' vectors kept between nights: read back for the same model and phrases only."""

from __future__ import annotations

import numpy as np

from vocmine.embed.phrases import phrase_vectors
from vocmine.journey.semantic import Prototypes


class CountingBackend:
    """A fake model: a fixed vector per text, counting the texts it was asked to embed."""

    def __init__(self, name: str) -> None:
        self.name, self.encoded = name, 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += len(texts)
        return np.array([[len(t), t.count("a"), 1.0] for t in texts], dtype=np.float32)


def test_journey_phrase_cache_reads_back_the_same_vectors(tmp_path):
    backend = CountingBackend("fake:counting@1")
    first = phrase_vectors(backend, ["parcel late", "card charged"], tmp_path)
    second = phrase_vectors(backend, ["parcel late", "card charged"], tmp_path)
    assert backend.encoded == 2
    assert np.array_equal(first, second)


def test_journey_phrase_cache_other_model_or_phrases_are_embedded(tmp_path):
    one, other = CountingBackend("fake:counting@1"), CountingBackend("fake:counting@2")
    phrase_vectors(one, ["parcel late"], tmp_path)
    phrase_vectors(other, ["parcel late"], tmp_path)
    phrase_vectors(one, ["parcel lost"], tmp_path)
    assert (one.encoded, other.encoded) == (2, 1)


def test_journey_phrase_cache_skips_a_model_without_a_version(tmp_path):
    backend = CountingBackend("fake:counting")
    phrase_vectors(backend, ["parcel late"], tmp_path)
    phrase_vectors(backend, ["parcel late"], tmp_path)
    assert backend.encoded == 2 and not list(tmp_path.iterdir())


def test_journey_phrase_cache_unwritable_folder_still_embeds(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    vectors = phrase_vectors(CountingBackend("fake:counting@1"), ["parcel late"], blocked / "phrases")
    assert vectors.shape == (1, 3)


def test_journey_phrase_cache_damaged_file_is_written_again(tmp_path):
    backend = CountingBackend("fake:counting@1")
    phrase_vectors(backend, ["parcel late"], tmp_path)
    [path] = tmp_path.iterdir()
    path.write_bytes(b"damaged")
    assert phrase_vectors(backend, ["parcel late"], tmp_path).shape == (1, 3)
    assert backend.encoded == 2


def test_journey_phrase_cache_prototypes_score_alike_with_and_without(tmp_path):
    items = [("delivery", ["parcel late", "courier"]), ("billing", ["card charged twice"])]
    plain = Prototypes(items, CountingBackend("fake:counting@1"))
    cached = Prototypes(items, CountingBackend("fake:counting@1"), tmp_path)
    again = Prototypes(items, CountingBackend("fake:counting@1"), tmp_path)
    segments = np.array([[5.0, 1.0, 1.0]], dtype=np.float32)
    assert np.array_equal(plain.scores(segments), cached.scores(segments))
    assert np.array_equal(plain.scores(segments), again.scores(segments))
