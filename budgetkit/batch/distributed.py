"""Dask for many departments: a local cluster for ``--workers N``, or an existing scheduler by configuration.

Where the work goes is configuration, not code: set ``BUDGETKIT_DASK_SCHEDULER``
(e.g. ``tcp://10.0.0.5:8786``) and every batch check and notebook run sends its
tasks to that cluster; otherwise ``workers > 1`` starts a ``LocalCluster`` of that
many single-threaded worker processes (loopback only, no dashboard), and
``workers == 1`` runs in this process without Dask at all.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

SCHEDULER_ENV = "BUDGETKIT_DASK_SCHEDULER"


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
    from distributed import Client, LocalCluster

    if addr is not None:
        with Client(addr) as client:
            yield client
        return
    # HTTP endpoints on ephemeral loopback ports, so concurrent runs never compete for :8787
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0", worker_dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


def _run_chunk(func: Callable, chunk: Sequence, return_exceptions: bool) -> list:
    out = []
    for item in chunk:
        try:
            out.append(func(item))
        except Exception as exc:  # one failing entry must not stop the others
            if not return_exceptions:
                raise
            out.append(exc)
    return out


def submit_entries(client: Any, func: Callable[[Any], Any], items: Sequence, *, chunksize: int = 1,
                   return_exceptions: bool = False) -> Callable[[], list]:
    """Start ``func`` over ``items`` on ``client``'s cluster now; call the returned function to wait for the results.

    Lets the caller do other work (e.g. the column-wise checks) while the workers run.
    """
    items = list(items)
    chunks = [items[i:i + chunksize] for i in range(0, len(items), max(1, chunksize))]
    futures = client.map(_run_chunk, [func] * len(chunks), chunks, [return_exceptions] * len(chunks), pure=False)
    return lambda: [r for part in client.gather(futures) for r in part]


def map_entries(func: Callable[[Any], Any], items: Sequence, workers: int = 1, *, chunksize: int = 1,
                return_exceptions: bool = False, client: Any = None) -> list:
    """``[func(x) for x in items]``, in order, spread over Dask workers when ``workers > 1`` (or a scheduler is set).

    ``func`` must be importable by the workers (a module-level function). With
    ``return_exceptions`` an entry that raises yields its exception instead of
    stopping the batch. ``chunksize`` groups items per task to cut scheduling
    overhead on large batches. Pass ``client`` to reuse an open one.
    """
    items = list(items)
    if client is None and scheduler_address() is None and workers <= 1:
        return _run_chunk(func, items, return_exceptions)
    if client is not None:
        return submit_entries(client, func, items, chunksize=chunksize, return_exceptions=return_exceptions)()
    with dask_client(workers) as c:
        return map_entries(func, items, workers, chunksize=chunksize, return_exceptions=return_exceptions, client=c)
