"""A small batch on a local Dask cluster (2 worker processes, loopback only)."""

import pytest

from budgetkit.batch.check import check_datasets
from budgetkit.batch.distributed import SCHEDULER_ENV, dask_client, map_entries
from budgetkit.synth.write import write_batch


def _square_or_fail(x):
    if x == 3:
        raise ValueError("entry 3 fails")
    return x * x


def test_map_entries_on_local_cluster_keeps_order_and_survives_failures(monkeypatch):
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    out = map_entries(_square_or_fail, range(6), workers=2, return_exceptions=True)
    assert out[:3] == [0, 1, 4] and out[4:] == [16, 25]
    assert isinstance(out[3], ValueError)


def _negate(x):
    return -x


@pytest.mark.parametrize("workers", [1, 2])
def test_keep_sees_each_result_but_not_a_returned_failure(monkeypatch, workers):
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    out = map_entries(_square_or_fail, range(6), workers=workers, chunksize=2, return_exceptions=True, keep=_negate)
    assert out[:3] == [0, -1, -4] and out[4:] == [-16, -25]
    assert isinstance(out[3], ValueError)
    with pytest.raises(ValueError, match="entry 3 fails"):  # without return_exceptions the failure stops the batch
        map_entries(_square_or_fail, range(6), workers=workers, keep=_negate)


def test_local_cluster_has_two_single_threaded_workers(monkeypatch):
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    with dask_client(2) as client:
        info = client.scheduler_info()["workers"]
        assert len(info) == 2 and all(w["nthreads"] == 1 for w in info.values())
        # Dask's stack sampler kept every call tree it saw: the workers' memory grew with the batch
        assert client.run(_profiler_enabled) == {addr: False for addr in info}


def _profiler_enabled(dask_worker=None) -> bool:
    import dask

    return dask.config.get("distributed.worker.profile.enabled") or bool(dask_worker.profile_recent["count"])


def test_a_worker_freezes_what_it_loaded_after_its_first_chunk(monkeypatch):
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    with dask_client(2) as client:
        assert set(client.run(_frozen_objects).values()) == {0}  # nothing frozen before any work
        assert map_entries(_negate, range(8), workers=2, client=client, chunksize=1) == [0, -1, -2, -3, -4, -5, -6, -7]
        frozen = client.run(_frozen_objects)
        assert any(n > 1000 for n in frozen.values())  # a worker that ran a chunk froze its modules and caches
        assert map_entries(_negate, range(8), workers=2, client=client, chunksize=1)[-1] == -7
        later = client.run(_frozen_objects)
        # once only: a worker that froze does not freeze again (its count can only fall, as frozen objects are freed)
        assert all(later[addr] <= n for addr, n in frozen.items() if n)


def _frozen_objects(dask_worker=None) -> int:
    import gc

    return gc.get_freeze_count()


def test_batch_check_on_dask_equals_in_process(tmp_path, monkeypatch):
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    paths = write_batch(tmp_path, 3, seed=9, inject_every=2)
    local = check_datasets(paths, workers=1)
    dask = check_datasets(paths, workers=2)
    assert dask.findings.equals(local.findings)
    assert dask.statuses.equals(local.statuses)
    assert (local.findings["severity"] == "error").any()  # the injected datasets really fail


def test_configured_scheduler_is_used(monkeypatch):
    monkeypatch.setenv(SCHEDULER_ENV, "tcp://127.0.0.1:1")  # nothing listens there
    with pytest.raises(OSError):
        map_entries(abs, [1], workers=1)
