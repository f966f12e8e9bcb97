"""Saving and loading a theme fit: safetensors and JSON only, never pickle.

A fit is a folder: BERTopic's own safetensors serialisation (topic embeddings, c-TF-IDF)
under ``bertopic/``, plus vocmine's centroids and theme groups in ``themes.safetensors`` and
labels, keywords and the embedding model's name in ``themes.json``; a fit made with
``align_languages`` on also keeps, in ``languages.json``, the vector each language was moved by,
so nightly placement moves new segments the same way (vocmine.themes.languages). The embedding model is
recorded by name only: vectors from another model are not comparable with these centroids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

from vocmine.themes.discover import ThemeFit


@dataclass
class SavedThemes:
    centroids: np.ndarray
    groups: np.ndarray
    labels: list[str]
    keywords: list[list[tuple[str, float]]]
    embedding_model: str
    model: object  # BERTopic


def save_fit(fit: ThemeFit, folder: Path, embedding_model: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fit.model.save(str(folder / "bertopic"), serialization="safetensors", save_ctfidf=True,
                   save_embedding_model=False)
    save_file({"centroids": np.ascontiguousarray(fit.centroids, dtype=np.float32),
               "groups": np.ascontiguousarray(fit.groups, dtype=np.int64)}, str(folder / "themes.safetensors"))
    meta = {"embedding_model": embedding_model, "labels": fit.labels,
            "keywords": [[[w, s] for w, s in words] for words in fit.keywords]}
    (folder / "themes.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")


ALIGNMENT_FILE = "languages.json"


def save_alignment(folder: Path, how: str, offsets: dict[str, np.ndarray]) -> None:
    """The fit's language alignment: how (``never`` writes nothing) and each language's offset."""
    if how == "never":
        return
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"align_languages": how, "offsets": {lang: [float(x) for x in v] for lang, v in sorted(offsets.items())}}
    (folder / ALIGNMENT_FILE).write_text(json.dumps(meta), encoding="utf-8")


def load_alignment(folder: Path | None) -> tuple[str, dict[str, np.ndarray]]:
    """(how, {language: offset}) of the fit in ``folder``; ``("never", {})`` when it has none (a fit
    made before the setting existed, with it off, or not saved)."""
    path = folder / ALIGNMENT_FILE if folder is not None else None
    if path is None or not path.is_file():
        return "never", {}
    meta = json.loads(path.read_text(encoding="utf-8"))
    return meta["align_languages"], {lang: np.array(v, dtype=np.float64) for lang, v in meta["offsets"].items()}


def load_fit(folder: Path) -> SavedThemes:
    from bertopic import BERTopic

    tensors = load_file(str(folder / "themes.safetensors"))
    meta = json.loads((folder / "themes.json").read_text(encoding="utf-8"))
    return SavedThemes(
        centroids=tensors["centroids"], groups=tensors["groups"], labels=meta["labels"],
        keywords=[[(w, s) for w, s in words] for words in meta["keywords"]],
        embedding_model=meta["embedding_model"], model=BERTopic.load(str(folder / "bertopic")),
    )
