"""A loaded table keeps its parts as plain columns until something asks for a frame (core.model.Parts).

The rules read the columns, so checking a loaded dataset builds no frame; whoever asks for a part gets the
frame the reader always made, and a frame changed in place is what the rules then read.
"""

from __future__ import annotations

import copy
import pickle
import shutil

import pandas as pd
from project_files import SHIPPED

from budgetkit.checks import run_rules
from budgetkit.core.model import PartColumns, amount_list, column_list
from budgetkit.dataset.store import load_dataset


def _stored(disclosure) -> set[type]:
    return {type(t.parts.peek(k)) for t in disclosure.tables.values() for k in t.parts}


def test_checking_a_loaded_dataset_makes_no_frame():
    d = load_dataset(SHIPPED)
    assert _stored(d) == {PartColumns}
    report = run_rules(d)
    assert sum(f.severity == "error" for f in report.findings) == 7  # the seed's errors (README, report)
    assert _stored(d) == {PartColumns}


def test_a_part_asked_for_is_the_frame_of_its_columns():
    t3 = load_dataset(SHIPPED).tables["T3"]
    columns = t3.view("main")
    frame = t3.parts["main"]
    assert isinstance(frame, pd.DataFrame) and t3.parts.peek("main") is frame  # made once, then kept
    row = frame[frame["code"] == "2010601"].iloc[0]  # seed line 286: 2010601 行政运行 192.95 192.95
    assert row["name"] == "行政运行" and row["total"] == 192_950_000 and row["basic"] == 192_950_000
    assert str(frame["total"].dtype) == "Int64" and str(frame["row_no"].dtype) == "int64"
    assert list(frame.columns) == columns.columns
    for name in frame.columns:  # the same values either way, a blank amount NA in both
        assert column_list(frame, name) == column_list(columns, name), name
    assert amount_list(frame, "project") == amount_list(columns, "project")
    assert None in amount_list(columns, "project")  # 行政运行 prints no 项目支出 (seed line 286)


def test_every_way_of_reading_the_parts_gives_frames():
    t1 = load_dataset(SHIPPED).tables["T1"]
    assert all(isinstance(f, pd.DataFrame) for f in t1.parts.values())
    assert all(isinstance(f, pd.DataFrame) for _, f in t1.parts.items())
    for copied in (t1.parts.copy(), copy.deepcopy(t1).parts, pickle.loads(pickle.dumps(t1)).parts):
        assert {type(copied[k]) for k in copied} == {pd.DataFrame}
    assert isinstance(t1.parts.get("income"), pd.DataFrame) and t1.parts.get("nothing") is None


def test_a_part_not_yet_a_frame_copies_and_pickles_as_its_frame():
    t3 = load_dataset(SHIPPED).tables["T3"]
    again = pickle.loads(pickle.dumps(t3))
    pd.testing.assert_frame_equal(again.parts["main"], t3.parts["main"])


def test_a_frame_changed_in_place_is_what_the_rules_read():
    d = load_dataset(SHIPPED)
    frame = d.tables["T3"].parts["main"]
    i = frame.index[frame["code"] == "2010601"][0]
    frame.loc[i, "total"] = int(frame.at[i, "total"]) + 1_000_000  # seed line 286: 行政运行 192.95 → 193.95
    found = [f for f in run_rules(d, select=["within.expenditure"]).findings if f.severity == "error"]
    assert any(f.location.startswith("2010601 行政运行") and f.actual == "193.95" for f in found)


def test_a_csv_out_of_its_numbered_order_loads_in_that_order(tmp_path):
    """The reader puts rows in 序号 order, each row's cells moving with it (a hand-edited CSV may not be)."""
    folder = tmp_path / "seed"
    shutil.copytree(SHIPPED, folder)
    path = next((folder / "tables").glob("T3*.csv"))
    header, *rows = path.read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    shuffled, original = (load_dataset(f, verify_source=False).tables["T3"] for f in (folder, SHIPPED))
    for name in original.view("main").columns:
        assert column_list(shuffled.view("main"), name) == column_list(original.view("main"), name), name
    codes = column_list(shuffled.view("main"), "code")
    row = codes.index("2010601")  # seed line 286: 2010601 行政运行 192.95 192.95
    assert amount_list(shuffled.view("main"), "total")[row] == 192_950_000
