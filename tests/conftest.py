"""Shared fixtures; the helpers they use live in ``support/`` (see support/__init__.py for the names).

- ``fresh_db``: an in-memory store with every migration and the analyst views (one per test,
  copied from ``migrated_template``, made once per session);
- ``review_source``: a source mapping every feedback field;
- ``handmade_store`` (support.handmade): a hand-made store with known answers for views and reports;
- ``nightly_module``: flows/nightly.py on Prefect's temporary server;
- ``vocmine_cache`` (session, automatic): the cache folder of the test run, never the user's;
- ``demo_embedded``, ``demo_pipeline``: the demo store, built once per session (slow tests only).
  Both are shared and must not be changed: a test that changes the store takes a copy
  (``support.stores.copy_demo_store``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from support.paths import ROOT
from support.stores import DemoStore, build_demo_store, copy_demo_store, empty_store

from vocmine.analytics.views import create_views
from vocmine.config import SourceConfig
from vocmine.store import connect

pytest_plugins = ["support.handmade"]  # the hand-made analyst store (fixture handmade_store)

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect logs "stopping temporary server" at exit, after pytest has closed its capture.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session", autouse=True)
def vocmine_cache(request, tmp_path_factory) -> Iterator[Path]:
    """The folder vocmine derives files into (the ~120 MB Polish lemma table, the journey
    taxonomy's phrase vectors) for this test run and every `vocmine` process it starts
    (``support.projects.run_env`` passes it on): never the cache of whoever runs pytest
    (``VOCMINE_CACHE_DIR``, else ``~/.cache/vocmine``, README "Settings"). It is pytest's own
    cache folder, ``.pytest_cache/d/vocmine``, so the lemma table is written by the first session
    that enriches Polish (about 20 s) and read by the next ones, as a user's nights read theirs;
    ``pytest --cache-clear`` writes it again, and without pytest's cache plugin
    (``-p no:cacheprovider``) it is a folder of the session's tmp dir."""
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("vocmine") if cache is not None else tmp_path_factory.mktemp("vocmine_cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VOCMINE_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture
def nightly_module(tmp_path):
    """flows/nightly.py, its flows run on Prefect's temporary server (imported here, not at
    collection: Prefect reads its settings on import)."""
    from prefect_server import local_prefect

    with local_prefect(tmp_path / "prefect"):
        sys.path.insert(0, str(ROOT))
        try:
            from flows import nightly
        finally:
            sys.path.remove(str(ROOT))
        yield nightly


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """A store file with every migration applied and the analyst views created, made once per session:
    migrating takes about half a second, and hundreds of tests start from an empty store."""
    path = tmp_path_factory.mktemp("template") / "migrated.duckdb"
    con = connect(path)
    create_views(con)
    con.close()
    return path


@pytest.fixture
def fresh_db(migrated_template) -> duckdb.DuckDBPyConnection:
    """An in-memory store with every migration applied and the analyst views created (the session's
    template copied in)."""
    con = empty_store(migrated_template)
    yield con
    con.close()


@pytest.fixture
def review_source() -> SourceConfig:
    """A source mapping every feedback field, as most tests need."""
    return SourceConfig(
        kind="review",
        columns={"id": "id", "text": "text", "received_at": "when", "rating": "stars",
                 "channel": "channel", "customer_id": "customer"},
        metadata={"columns": ["plan"]},
    )


@pytest.fixture(scope="session")
def demo_embedded(tmp_path_factory) -> DemoStore:
    """The demo ingested, enriched and embedded (the steps before themes), once per session.
    Shared and read-only: ``copy_demo_store`` it before changing anything."""
    return build_demo_store(tmp_path_factory.mktemp("demo_embedded") / "demo.duckdb")


@pytest.fixture(scope="session")
def demo_pipeline(demo_embedded, tmp_path_factory) -> DemoStore:
    """The demo through every step the nightly run takes up to the analyst views, once per session:
    a copy of ``demo_embedded`` taken on through themes, primary themes, journey tags and analysis.
    Shared and read-only: ``copy_demo_store`` it before changing anything."""
    from vocmine.analytics import refresh_analysis
    from vocmine.journey.store import tag_segments
    from vocmine.journey.tagging import load_tagger
    from vocmine.journey.taxonomy import load_taxonomy
    from vocmine.themes.assign import refresh_themes
    from vocmine.themes.cases import refresh_feedback_themes

    folder = tmp_path_factory.mktemp("demo_pipeline")
    settings, con, backend = copy_demo_store(demo_embedded, folder / "demo.duckdb")
    result = refresh_themes(con, backend.name, settings.themes, folder / "fits", encode=backend.encode)
    refresh_feedback_themes(con, backend.name, settings.themes, result.refit.run_id, refit=True)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    tag_segments(con, load_tagger(taxonomy, settings.nlp, backend, settings.journey))
    refresh_analysis(con, outcomes=settings.outcomes, priorities=settings.priorities,
                     lost_customers=settings.lost_customers, assumptions=settings.assumptions,
                     teams=settings.teams, backend=backend)
    return DemoStore(settings, con, backend)
