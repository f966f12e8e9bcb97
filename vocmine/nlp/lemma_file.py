"""Polish lemmas read from disk word by word, instead of 3.7 million forms read into memory every night.

Why: spacy-lookups-data ships Polish lemmas as nine gzip JSON tables, one per part of speech.
Reading and merging them (``vocmine.nlp.pipeline``) took 15-40 s per process on a busy 2-core
machine, every night and in every worker that enriches Polish feedback: more than all the rest
of enriching a few thousand Polish segments. A night meets a few thousand distinct words, so
the merged table is written once into an SQLite file (stdlib, indexed by the word) and each
word is looked up when a text first uses it. The lemmas are the same as from the merged dict.

Example (not a doctest: the first call writes a 120 MB file)::

    table = file_backed_lemmas("pl", merge)
    table.get("Kamery")  # -> 'kamera'

Where the file lives: ``vocmine.text.cache.cache_folder()`` (``$VOCMINE_CACHE_DIR``, else
``$XDG_CACHE_HOME/vocmine``, else ``~/.cache/vocmine``). Its name carries the spacy-lookups-data version and ``FORMAT``, so an
upgrade writes a new one. When no file can be written there (read-only home, full disk), the
merged table is kept in memory as before: slower, never wrong.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from vocmine.text.cache import cache_folder

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the merge rule in vocmine.nlp.pipeline changes what a word's lemma is
_SCHEMA = "CREATE TABLE lemmas (word TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID"


def lemma_file(language: str, folder: Path | None = None) -> Path:
    """The file for ``language``'s merged lemmas under the installed spacy-lookups-data."""
    try:
        tables = version("spacy-lookups-data")
    except PackageNotFoundError:
        tables = "none"
    return (folder or cache_folder()) / f"{language}_lemmas-lookups{tables}-v{FORMAT}.sqlite"


def write_lemma_file(path: Path, lemmas: dict[str, str]) -> Path:
    """Write ``lemmas`` to ``path`` atomically: a process that reads it meanwhile sees all or nothing,
    and two processes writing it at once both end with a whole file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as con:
            con.execute(_SCHEMA)
            con.executemany("INSERT INTO lemmas VALUES (?, ?)", sorted(lemmas.items()))
        con.close()
        os.chmod(temporary, 0o644)  # mkstemp makes it private; other users' nights may read it too
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path


class SqliteLemmas(Mapping):
    """Read-only ``word -> lemma`` from a lemma file; each word asked is remembered, so a word that
    repeats costs one query per process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._con.execute("SELECT lemma FROM lemmas LIMIT 1").fetchall()  # a damaged file fails here, not mid-night
        self._seen: dict[str, str | None] = {}

    def get(self, word: str, default: str | None = None) -> str | None:
        if word not in self._seen:
            row = self._con.execute("SELECT lemma FROM lemmas WHERE word = ?", (word,)).fetchone()
            self._seen[word] = row[0] if row else None
        found = self._seen[word]
        return default if found is None else found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __getitem__(self, word: str) -> str:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __len__(self) -> int:
        return self._con.execute("SELECT count(*) FROM lemmas").fetchone()[0]

    def __iter__(self) -> Iterator[str]:
        return (word for (word,) in self._con.execute("SELECT word FROM lemmas ORDER BY word"))

    def __reduce__(self):  # a connection does not pickle; a process that receives the table reopens the file
        return (SqliteLemmas, (self.path,))


def file_backed_lemmas(language: str, merge: Callable[[], dict[str, str] | None],
                       folder: Path | None = None) -> SqliteLemmas | dict[str, str] | None:
    """``language``'s lemmas from its file, written first from ``merge()`` when missing; the merged dict
    itself when the file cannot be written or read (the reason is logged once)."""
    path = lemma_file(language, folder)
    try:
        if path.is_file():
            return SqliteLemmas(path)
    except sqlite3.Error as exc:
        log.warning("lemma file %s cannot be read (%s): writing it again", path, exc)
    lemmas = merge()
    if not lemmas:
        return lemmas
    try:
        return SqliteLemmas(write_lemma_file(path, lemmas))
    except (OSError, sqlite3.Error) as exc:
        log.warning("lemma file %s cannot be written (%s): %s lemmas are read into memory in every process",
                    path, exc, language)
        return lemmas
