"""The nightly flow on a Dask cluster: the heavy batches run on its workers, and every table
ends up exactly as a run in one process leaves it."""

from __future__ import annotations

import sys

import pytest
from support.paths import ROOT
from support.projects import PipelineProject, checksums


@pytest.fixture
def dask_cluster():
    """A local Dask cluster of two worker processes, as a user's cluster would be: the flow
    only gets its address. Its workers have the project folder on their path, as
    docs/scaling.md asks of every cluster (spawned workers start with this process's path)."""
    from distributed import Client, LocalCluster

    sys.path.insert(0, str(ROOT))
    try:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    finally:
        sys.path.remove(str(ROOT))
    with cluster, Client(cluster) as client:
        yield cluster.scheduler_address, client


def _loaded_models(dask_worker) -> list[str]:
    from vocmine.parallel import _MODELS

    return sorted({key[0] for key in _MODELS})


@pytest.mark.slow
def test_scale_dask_flow_computes_batches_on_the_cluster_with_the_same_results(tmp_path, dask_cluster,
                                                                                nightly_module):
    address, client = dask_cluster
    alone, spread = PipelineProject.create(tmp_path / "alone"), PipelineProject.create(tmp_path / "spread")
    with spread.config.open("a", encoding="utf-8") as config:
        config.write(f'\n[scale]\nengine = "dask"\naddress = "{address}"\n')
    for night in (1, 2):  # night 1 fits the themes, night 2 places new segments in them
        alone.add_night(night)
        spread.add_night(night)
        done = alone.run()
        assert done.returncode == 0, done.stdout + done.stderr
        result = nightly_module.nightly(str(spread.config))
        assert set(result["steps"].values()) == {"succeeded"}
        for database in (alone.db, alone.published):
            twin = spread.folder / database.relative_to(alone.folder)
            assert checksums(twin, spread.folder) == checksums(database, alone.folder), f"night {night}: {database.name}"
    assert spread.step_counts("themes")["refit"] is False and spread.step_counts("themes")["new_segments"] > 0
    # the workers, not the flow's process, loaded spaCy and the encoder
    loaded = client.run(_loaded_models)
    assert len(loaded) == 2
    assert {"nlp", "embedding"} <= {name for names in loaded.values() for name in names}
