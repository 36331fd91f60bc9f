"""Fuzz the canonical-dataset loader with damaged CSV cells and JSON files (hand edits gone wrong).

A copy of the shipped dataset (data/changzhishi-tunliuqu-caizhengju/2024) is damaged
one cell, row or file at a time. Properties:

1. ``load_dataset`` + ``run_rules`` end in a report or a one-line ``BudgetkitError``.
2. Thousands separators and full-width digits in an amount cell change nothing.
3. A damaged amount (swapped digits, parentheses = negative, blank, a deleted or
   duplicated row) never passes silently: same criterion as the text parser
   (``fuzz_damage.new_alarms``), exempting single-cell changes within the table's
   rounding tolerance (counted).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from fuzz_damage import (
    Baseline,
    change_digit,
    check_one_line,
    fuzz_record,
    fuzz_settings,
    new_alarms,
    record,
    swap_digits,
    table_changes,
    table_tolerance,
    to_fullwidth,
    with_separators,
)
from hypothesis import given
from hypothesis import strategies as st
from project_files import SHIPPED

from budgetkit.checks import rules_for, run_rules
from budgetkit.core.errors import BudgetkitError
from budgetkit.core.template import load_template
from budgetkit.dataset.store import load_dataset

__all__ = ["fuzz_record"]

CELL = re.compile(r"^\d+\.\d{2}$")

CELL_OPS = {
    "swap_digits": lambda c, k: swap_digits(c, k),
    "change_digit": lambda c, k: change_digit(c, k),
    "parenthesise": lambda c, k: f"({c})",
    "blank": lambda c, k: "",
    "separators": lambda c, k: with_separators(c),
    "fullwidth": lambda c, k: to_fullwidth(c),
    "garbage": lambda c, k: ["abc", "1.2.3", "1e5", "NaN", "12,34.5", "￥12.00", "--", "0x10", "∞"][k % 9],
    "stray": lambda c, k: c[: k % (len(c) + 1)] + "#x。 %"[k % 5] + c[k % (len(c) + 1):],
}
VALUE_CELL_OPS = ["swap_digits", "change_digit", "parenthesise", "blank"]
SAME_CELL_OPS = ["separators", "fullwidth"]


@pytest.fixture(scope="module")
def base(fuzz_record, tmp_path_factory):
    if not (SHIPPED / "metadata.json").is_file():
        pytest.fail("shipped dataset missing")
    folder = tmp_path_factory.mktemp("dataset") / "2024"
    shutil.copytree(SHIPPED, folder)
    clean = load_dataset(folder)
    csvs = sorted(p.relative_to(folder).as_posix() for p in (folder / "tables").glob("*.csv"))
    return Baseline(folder=folder, disclosure=clean, report=run_rules(clean), csvs=csvs)


def _copy(base) -> Path:
    target = Path(tempfile.mkdtemp(prefix="fuzz-ds-")) / "2024"
    shutil.copytree(base["folder"], target)
    return target


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def damage_cell(folder: Path, rel: str, op: str, pick: int, k: int) -> bool:
    """Damage one amount cell of ``rel``; False when the file has none (or the op changes nothing)."""
    path = folder / rel
    rows = _rows(path)
    cells = [(r, c) for r in range(1, len(rows)) for c in range(4, len(rows[r])) if CELL.match(rows[r][c])]
    if not cells:
        return False
    r, c = cells[pick % len(cells)]
    new = CELL_OPS[op](rows[r][c], k)
    if new is None or new == rows[r][c]:
        return False
    rows[r][c] = new
    _write_rows(path, rows)
    return True


def damage_row(folder: Path, rel: str, op: str, pick: int) -> bool:
    path = folder / rel
    rows = _rows(path)
    if len(rows) < 2:
        return False
    r = 1 + pick % (len(rows) - 1)
    if op == "delete_row":
        del rows[r]
    else:
        rows.insert(r, list(rows[r]))
    _write_rows(path, rows)
    return True


def damage_file(folder: Path, which: str, op: str, k: int) -> None:
    """Structural damage to a CSV or JSON file."""
    path = folder / which
    data = path.read_bytes()
    if op == "truncate":
        path.write_bytes(data[: k % max(len(data), 1)])
    elif op == "not_utf8":
        path.write_bytes(data.decode("utf-8").encode("gb18030") if k % 2 else b"\xff\xfe" + data[:50])
    elif op == "header":
        rows = _rows(path)
        rows[0][k % len(rows[0])] = ["", "金额", "合计合计", "序号"][k % 4]
        _write_rows(path, rows)
    elif op == "meta_cell":  # 序号/行类型/层级 cells
        rows = _rows(path)
        if len(rows) > 1:
            r = 1 + k % (len(rows) - 1)
            rows[r][k % 3] = ["", "x", "1.5", "总计", "-", "９"][k % 6]
            _write_rows(path, rows)
    elif op == "json_value":
        doc = json.loads(data.decode("utf-8"))
        _poke(doc, k)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _poke(doc, k: int) -> None:
    """Replace one value somewhere in a JSON document with a wrong type or a wrong value."""
    paths = []

    def walk(node, trail):
        if isinstance(node, dict):
            for key, v in node.items():
                paths.append((node, key))
                walk(v, trail + [key])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                paths.append((node, i))
                walk(v, trail + [i])

    walk(doc, [])
    if not paths:
        return
    node, key = paths[k % len(paths)]
    node[key] = [None, "", "千元", -1, 12.5, [], {}, "abc", True, "1,2,3"][k % 10]


def _load(folder: Path, test: str):
    try:
        d = load_dataset(folder)
        return d, run_rules(d)
    except BudgetkitError as exc:
        check_one_line(exc)
        record(test, "error", exc)
        return None


@fuzz_settings(100)
@given(st.sampled_from(["cell", "row", "file"]), st.integers(0, 10_000), st.sampled_from(sorted(CELL_OPS)),
       st.sampled_from(["delete_row", "duplicate_row"]),
       st.sampled_from(["truncate", "not_utf8", "header", "meta_cell", "json_value"]),
       st.integers(0, 10**6))
def test_damaged_dataset_gives_a_report_or_one_line_error(base, kind, pick, cell_op, row_op, file_op, k):
    folder = _copy(base)
    try:
        rel = base["csvs"][pick % len(base["csvs"])]
        if kind == "cell":
            damage_cell(folder, rel, cell_op, pick, k)
        elif kind == "row":
            damage_row(folder, rel, row_op, pick)
        else:
            files = base["csvs"] + ["metadata.json", "forms.json"]
            which = files[k % len(files)]
            if which.endswith(".csv"):
                op = "header" if file_op == "json_value" else file_op
            else:
                op = "json_value" if file_op in ("header", "meta_cell") else file_op
            damage_file(folder, which, op, k)
        if _load(folder, "loader_any") is not None:
            record("loader_any", "loaded")
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


@fuzz_settings(15)
@given(st.integers(0, 10_000), st.sampled_from(SAME_CELL_OPS), st.integers(0, 100))
def test_separators_and_fullwidth_in_csv_change_nothing(base, pick, op, k):
    folder = _copy(base)
    try:
        rel = base["csvs"][pick % len(base["csvs"])]
        if not damage_cell(folder, rel, op, pick // 7, k):
            record("loader_same", "not_applicable")
            return
        d = load_dataset(folder)
        record("loader_same", "loaded")
        assert table_changes(base["disclosure"], d) == {}
        assert ({r.rule: r.status for r in run_rules(d).results}
                == {r.rule: r.status for r in base["report"].results})
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


@fuzz_settings(100)
@given(st.integers(0, 10_000), st.sampled_from(VALUE_CELL_OPS + ["delete_row", "duplicate_row"]),
       st.integers(0, 100))
def test_damaged_csv_amount_never_passes_silently(base, pick, op, k):
    folder = _copy(base)
    try:
        rel = base["csvs"][pick % len(base["csvs"])]
        done = damage_row(folder, rel, op, pick // 7) if op.endswith("_row") else \
            damage_cell(folder, rel, op, pick // 7, k)
        if not done:
            record("loader_money", "not_applicable")
            return
        loaded = _load(folder, "loader_money")
        if loaded is None:
            return
        d, report = loaded
        changes = table_changes(base["disclosure"], d)
        if not changes:
            record("loader_money", "amounts_unchanged")
            return
        for tid, delta in changes.items():
            table = base["disclosure"].tables[tid]
            if delta is not None and delta <= table_tolerance(table):
                record("loader_money", "within_rounding")
                continue
            assert new_alarms(base["report"], report, tid, {r.id: r for r in rules_for(load_template('shanxi-county-13'))}), (
                f"{op} in {rel}: {tid} changed by {delta} 分 but no rule concerning {tid} reports it")
            record("loader_money", "detected")
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def test_fullwidth_subject_codes_typed_by_hand_change_nothing(base):
    """An auditor's IME types '２０１０６０１' for the code of 行政运行 (seed line 286): same data, same verdicts."""
    folder = _copy(base)
    try:
        path = folder / "tables" / "T3.csv"
        rows = _rows(path)
        code = rows[0].index("科目编码")
        hit = [r for r in rows[1:] if r[code] == "2010601"]
        assert len(hit) == 1
        hit[0][code] = to_fullwidth("2010601")
        _write_rows(path, rows)
        d = load_dataset(folder)
        assert "2010601" in list(d.tables["T3"].part()["code"])
        assert ({r.rule: r.status for r in run_rules(d).results}
                == {r.rule: r.status for r in base["report"].results})
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
