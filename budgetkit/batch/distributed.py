"""Dask for many departments: a local cluster for ``--workers N``, or an existing scheduler by configuration.

Where the work goes is configuration, not code: set ``BUDGETKIT_DASK_SCHEDULER``
(e.g. ``tcp://10.0.0.5:8786``) and every batch check and notebook run sends its
tasks to that cluster; otherwise ``workers > 1`` starts a ``LocalCluster`` of that
many single-threaded worker processes (loopback only, no dashboard), and
``workers == 1`` runs in this process without Dask at all.
"""

from __future__ import annotations

import gc
import logging
import os
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

SCHEDULER_ENV = "BUDGETKIT_DASK_SCHEDULER"

#: The local workers' settings. Dask's statistical profiler samples each worker's stack every 10 ms
#: and keeps every distinct call tree it saw: over a province's department-years that was the
#: workers' largest growing memory (≈ 20 MB per 1 000) and CPU spent on no result. A configured
#: cluster keeps its own settings.
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


def scheduler_address() -> str | None:
    """The configured scheduler of an existing cluster, or None."""
    addr = os.environ.get(SCHEDULER_ENV, "").strip()
    return addr or None


@contextmanager
def dask_client(workers: int = 1) -> Iterator[Any]:
    """A ``distributed.Client`` for the configured cluster or a local one; None when running in-process."""
    addr = scheduler_address()
    if addr is None and workers <= 1:
        yield None
        return
    import dask
    from distributed import Client, LocalCluster

    if addr is not None:
        with Client(addr) as client:
            yield client
        return
    # HTTP endpoints on ephemeral loopback ports, so concurrent runs never compete for :8787
    with dask.config.set(LOCAL_WORKER_CONFIG), LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0", worker_dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


def _results(func: Callable, chunk: Sequence, return_exceptions: bool) -> Iterator:
    for item in chunk:
        try:
            yield func(item)
        except Exception as exc:  # one failing entry must not stop the others
            if not return_exceptions:
                raise
            yield exc


#: New objects between two of the cyclic collector's young passes while a batch runs (Python's default: 700).
#: A checked department-year leaves no cycles (tests/checks/test_freed_without_gc.py), so a young pass
#: finds no garbage and only walks the department-year being checked: at 700 that was 1.7 passes and
#: ≈ 0.35 ms per department-year, at 10 000 one pass per hundred (gc callbacks, 800 datasets).
YOUNG_OBJECTS = 10_000


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The collector's young threshold raised for the batch's own work, as it was afterwards."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], YOUNG_OBJECTS), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _run_chunk(func: Callable, chunk: Sequence, return_exceptions: bool) -> list:
    """A Dask task (it runs in a worker): the chunk's results, then the worker's loaded state frozen once."""
    with _fewer_collections():
        out = list(_results(func, chunk, return_exceptions))
    _freeze_once()
    return out


_frozen = False


def _freeze_once() -> None:
    """After a worker's first chunk, keep what it loaded for good out of the cyclic collector's walks.

    Templates, vocabularies, compiled patterns and caches stay for the worker's life; the collector
    otherwise walks them again at every full collection, about a tenth of a worker's time over a
    province. Collected first, so no garbage is frozen with them (``gc.freeze``).
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


def _kept(keep: Callable, result: Any, return_exceptions: bool) -> Any:
    return result if return_exceptions and isinstance(result, Exception) else keep(result)


def _gather(client: Any, func: Callable, items: list, chunksize: int, return_exceptions: bool,
            keep: Callable) -> list:
    """Results in order, each taken off the cluster as soon as it is done and passed through ``keep``.

    Gathering chunk by chunk lets the workers drop each result at once instead of holding a whole
    province's reports until the end; ``keep`` can make each one smaller as it arrives.
    """
    from distributed import as_completed

    chunks = [items[i:i + chunksize] for i in range(0, len(items), max(1, chunksize))]
    futures = client.map(_run_chunk, [func] * len(chunks), chunks, [return_exceptions] * len(chunks), pure=False)
    position = {f.key: i for i, f in enumerate(futures)}
    parts: list = [None] * len(chunks)
    try:
        for future, part in as_completed(futures, with_results=True):
            parts[position[future.key]] = [_kept(keep, r, return_exceptions) for r in part]
            future.release()  # the worker may forget it now
    except BaseException:  # a failed entry (without return_exceptions) or an interrupt: stop the rest
        client.cancel([f for f in futures if not f.done()])
        raise
    return [r for part in parts for r in part]


def map_entries(func: Callable[[Any], Any], items: Sequence, workers: int = 1, *, chunksize: int = 1,
                return_exceptions: bool = False, client: Any = None, keep: Callable = lambda r: r) -> list:
    """``[keep(func(x)) for x in items]``, in order, spread over Dask workers when ``workers > 1`` (or a scheduler is set).

    ``func`` must be importable by the workers (a module-level function). With
    ``return_exceptions`` an entry that raises yields its exception instead of
    stopping the batch. ``chunksize`` groups items per task to cut scheduling
    overhead on large batches. ``keep`` runs here, on each result (not on an exception) as it arrives.
    Pass ``client`` to reuse an open one.
    """
    items = list(items)
    if client is None and scheduler_address() is None and workers <= 1:
        with _fewer_collections():
            return [_kept(keep, r, return_exceptions) for r in _results(func, items, return_exceptions)]
    if client is not None:
        return _gather(client, func, items, chunksize, return_exceptions, keep)
    with dask_client(workers) as c:
        return _gather(c, func, items, chunksize, return_exceptions, keep)
