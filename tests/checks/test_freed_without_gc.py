"""A checked department-year is freed by reference counting, not left for Python's cyclic collector.

Issue 14: in a batch each worker checks thousands of department-years one after another. When a run's
objects referred to each other in a cycle (the rules' shared cache held bound methods of the run's
context; ``Cells.at`` was the object itself), every dataset's tables, cells and claims survived until
a collection walked them, and the collector's walks cost a tenth of a worker's time. These tests fail
if a cycle comes back: with the collector off, checking the shipped dataset (the seed, 2024 budget of
长治市屯留区财政局) and dropping it must leave nothing for ``gc.collect()`` to find.
"""

from __future__ import annotations

import gc

from project_files import SHIPPED

from budgetkit.batch.check import _check_chunk
from budgetkit.checks import run_rules
from budgetkit.checks.identities import Cells
from budgetkit.dataset.store import load_dataset


def _garbage_after(work) -> int:
    """Unreachable objects ``work()`` leaves behind (the collector off meanwhile)."""
    work()  # first run: templates, vocabularies and caches are made and kept for good
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        work()
        return gc.collect()
    finally:
        if enabled:
            gc.enable()


def test_a_checked_dataset_leaves_no_cyclic_garbage():
    def work():
        report = run_rules(load_dataset(SHIPPED))
        assert report.results  # the rules really ran

    assert _garbage_after(work) == 0


def test_a_batch_chunk_leaves_no_cyclic_garbage():
    def work():
        (report,) = _check_chunk(([(str(SHIPPED), None)], None))
        assert report["rules"]

    assert _garbage_after(work) == 0


def test_cells_at_reads_like_pandas_at_without_referring_to_itself():
    table = next(iter(load_dataset(SHIPPED).tables.values()))
    frame = next(iter(table.parts.values()))
    cells = Cells(frame)
    assert cells.at is cells
    assert all(value is not cells for value in vars(cells).values())
    first = frame.index[0]
    assert cells.at[first, frame.columns[0]] == frame.at[first, frame.columns[0]]
