"""Equal records of a batch are one object, whether they arrive as one object per chunk or as copies."""

import copy
import pickle

from project_files import SHIPPED

from budgetkit.batch.check import SharedRecords, _check_chunk

PASS = {"id": "within.summary.balance", "status": "pass", "reason": ""}
FAIL = {"id": "within.summary.balance", "status": "fail", "reason": ""}
ROW = {"item": "封面", "conforms": "否", "problems": ["封面未写明年度"]}


def _report(rule: dict, row: dict) -> dict:
    return {"source": "x", "rules": [rule], "checklist": [row], "findings": [], "amounts": []}


def _fresh(rule: dict, row: dict) -> dict:
    """The same report made of its own copies (as reports arrive without sharing)."""
    return _report(dict(rule), {**row, "problems": list(row["problems"])})


def test_a_chunk_sharing_one_object_gives_what_copies_give():
    one = [_report(PASS, ROW), _report(PASS, ROW), _report(FAIL, ROW)]  # PASS and ROW: one object each, as sent
    copies = [_fresh(PASS, ROW), _fresh(PASS, ROW), _fresh(FAIL, ROW)]
    assert copies[0]["rules"][0] is not copies[1]["rules"][0]
    shared_one, shared_copies = SharedRecords().part(one), SharedRecords().part(copies)
    assert shared_one == shared_copies
    assert [r["rules"][0]["status"] for r in shared_one] == ["pass", "pass", "fail"]  # unequal ones stay apart
    assert shared_copies[0]["rules"][0] is shared_copies[1]["rules"][0]
    assert shared_copies[0]["checklist"][0] is shared_copies[2]["checklist"][0]


def test_records_are_shared_across_chunks():
    shared = SharedRecords()
    first = shared.part([_fresh(PASS, ROW)])
    second = shared.part([_fresh(PASS, ROW)])
    assert first[0]["rules"][0] is second[0]["rules"][0]


def test_a_worker_chunk_sends_equal_records_once():
    """Two datasets (the shipped one twice): after the trip to the main process their rule statuses are one object."""
    folder = str(SHIPPED)
    reports = pickle.loads(pickle.dumps(_check_chunk(([(folder, None), (folder, None)], None))))
    assert len(reports[0]["rules"]) > 50
    assert all(a is b for a, b in zip(reports[0]["rules"], reports[1]["rules"]))
    assert SharedRecords().part(reports) == SharedRecords().part(copy.deepcopy(reports))
