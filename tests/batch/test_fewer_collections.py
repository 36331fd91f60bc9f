"""A batch raises the cyclic collector's young threshold for its own work only, and gives the same results.

Issue 14: a checked department-year leaves no cycles (tests/checks/test_freed_without_gc.py), so the
collector's frequent young passes found nothing and cost ≈ 0.35 ms per department-year; a batch task
now runs with ``YOUNG_OBJECTS`` new objects between passes and puts the setting back afterwards.
"""

from __future__ import annotations

import gc

import pytest
from project_files import SHIPPED

from budgetkit.batch import distributed
from budgetkit.batch.check import check_datasets
from budgetkit.batch.distributed import YOUNG_OBJECTS, _run_chunk, map_entries


def _young_threshold(_item) -> int:
    return gc.get_threshold()[0]


@pytest.fixture()
def default_threshold():
    before = gc.get_threshold()
    gc.set_threshold(700, *before[1:])
    yield 700
    gc.set_threshold(*before)


def test_a_task_runs_with_the_raised_threshold_and_restores_it(default_threshold):
    assert _run_chunk(_young_threshold, [1, 2], False) == [YOUNG_OBJECTS, YOUNG_OBJECTS]
    assert gc.get_threshold()[0] == default_threshold


def test_an_in_process_batch_too_and_a_failing_entry_restores_it(default_threshold):
    assert map_entries(_young_threshold, [1, 2, 3], workers=1) == [YOUNG_OBJECTS] * 3
    assert gc.get_threshold()[0] == default_threshold

    def fails(_item):
        raise ValueError("an entry that fails")

    with pytest.raises(ValueError):
        map_entries(fails, [1], workers=1)
    assert gc.get_threshold()[0] == default_threshold


def test_a_higher_threshold_set_by_the_user_is_kept(default_threshold):
    gc.set_threshold(50_000, *gc.get_threshold()[1:])
    assert _run_chunk(_young_threshold, [1], False) == [50_000]
    assert gc.get_threshold()[0] == 50_000


def test_the_reports_are_those_of_the_default_threshold(default_threshold, monkeypatch):
    raised = check_datasets([SHIPPED]).reports()
    monkeypatch.setattr(distributed, "YOUNG_OBJECTS", 1)  # max(700, 1): Python's own setting
    assert raised == check_datasets([SHIPPED]).reports()
    assert raised[0]["rules"] and raised[0]["findings"]  # a real report: the seed's rules ran and found
