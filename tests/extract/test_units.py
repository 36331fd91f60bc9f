"""Units: a table printed in 元 among tables in 万元 is converted or reported, never a 10,000× finding.

Table 6 of the seed (lines 517-584, 基本支出分经济科目表) is rewritten in 元: every amount
×10,000 (713.55 万元 → 7135500.00 元). The seed's T6 合计 713.55 (line 534) is the value
table 5 prints as 基本支出 of 合计 (line 476: 合计 1664.74 713.55 951.19), so T5 = T6 still compares.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import SEED

from budgetkit.checks import run_rules
from budgetkit.core.errors import BudgetkitError, UnitError
from budgetkit.extract import parse_text

AMOUNT = re.compile(r"(?<![\d.])\d+\.\d{2}(?![\d.])")
T6_FIRST, T6_LAST = 517, 584  # 1-based seed lines of table 6 (up to the line before 表七)


@pytest.fixture(scope="module")
def seed_lines():
    if not SEED.is_file():
        pytest.fail("seed missing")
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert "表六" in lines[T6_FIRST - 1] and "表七" in lines[T6_LAST]
    return lines


def _in_yuan(line: str) -> str:
    return AMOUNT.sub(lambda m: f"{Decimal(m.group()) * 10000:.2f}", line)


def _rewrite_t6(lines, *, unit_line: str | None, scale: bool) -> str:
    out = list(lines)
    for i in range(T6_FIRST - 1, T6_LAST):
        text = out[i]
        if "单位" in text and "万元" in text:
            text = text.replace("单位：万元", unit_line) if unit_line is not None else text.split("单位")[0]
        elif scale:
            text = _in_yuan(text)
        out[i] = text
    return "\n".join(out)


def _ten_thousand_fold(report) -> list:
    """Findings whose expected and actual differ by a factor near 10,000 (a unit mix-up)."""
    bad = []
    for f in report.findings:
        try:
            e, a = abs(Decimal(f.expected)), abs(Decimal(f.actual))
        except Exception:
            continue
        if e and a and (5000 <= a / e <= 20000 or 5000 <= e / a <= 20000):
            bad.append(f)
    return bad


def test_rewritten_table_really_prints_yuan(seed_lines):
    text = _rewrite_t6(seed_lines, unit_line="单位：元", scale=True)
    assert "合计 7135500.00 6851100.00 284400.00" in text  # seed line 534 ×10,000
    assert "单位：元" in text


def test_table_labelled_yuan_compares_with_wanyuan_tables(seed_lines):
    d = parse_text(_rewrite_t6(seed_lines, unit_line="单位：元", scale=True), "t6-yuan.txt")
    t6 = d.tables["T6"]
    assert t6.unit == "元"
    total = t6.part().iloc[0]
    assert total["kind"] == "total" and int(total["total"]) == 713_550_000  # 713.55 万元 in 分
    report = run_rules(d)
    assert _ten_thousand_fold(report) == []
    assert report.status("cross.general_basic_vs_economic") == "pass"
    assert report.status("cross.public_vs_office_running") == "pass"
    # the mix itself is reported, not hidden
    assert report.status("completeness.same_unit") == "fail"


def test_unit_line_contradicting_magnitudes_is_converted_with_a_note(seed_lines):
    # values printed in 元 under a 单位：万元 line: 10,000× their counterparts in T5 and T11
    d = parse_text(_rewrite_t6(seed_lines, unit_line="单位：万元", scale=True), "t6-mislabelled.txt")
    notes = [n for n in d.notes if n.kind == "unit_converted"]
    assert [n.table for n in notes] == ["T6"] and notes[0].severity == "warning"
    assert int(d.tables["T6"].part().iloc[0]["total"]) == 713_550_000
    report = run_rules(d)
    assert _ten_thousand_fold(report) == []
    surfaced = [f for f in report.result("extraction.ambiguity").findings if f.table == "T6"]
    assert surfaced and surfaced[0].severity == "warning"
    assert report.status("extraction.ambiguity") == "fail"


def test_table_labelled_yuan_but_printed_in_wanyuan_is_converted(seed_lines):
    d = parse_text(_rewrite_t6(seed_lines, unit_line="单位：元", scale=False), "t6-small.txt")
    assert [n.table for n in d.notes if n.kind == "unit_converted"] == ["T6"]
    assert d.tables["T6"].unit == "万元"
    assert _ten_thousand_fold(run_rules(d)) == []


def test_missing_unit_line_is_one_clear_error(seed_lines):
    with pytest.raises(UnitError) as exc:
        parse_text(_rewrite_t6(seed_lines, unit_line=None, scale=False), "t6-no-unit.txt")
    msg = str(exc.value)
    assert "\n" not in msg and "T6" in msg and "单位" in msg


def test_unresolvable_magnitudes_are_one_unit_error(seed_lines):
    # ×10^8 (亿 confusion beyond 元↔万元): matches nothing, far above the whole budget
    lines = list(seed_lines)
    for i in range(T6_FIRST - 1, T6_LAST):
        if "单位" not in lines[i]:
            lines[i] = AMOUNT.sub(lambda m: f"{Decimal(m.group()) * 100000000:.2f}", lines[i])
    with pytest.raises(UnitError) as exc:
        parse_text("\n".join(lines), "t6-huge.txt")
    assert "T6" in str(exc.value) and "contradicts" in str(exc.value) and "\n" not in str(exc.value)


def test_cli_reports_unit_error_in_one_line(seed_lines, tmp_path):
    import subprocess
    import sys

    path = tmp_path / "no-unit.txt"
    path.write_text(_rewrite_t6(seed_lines, unit_line=None, scale=False), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "budgetkit.run.cli", "check", str(path)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "T6" in proc.stderr and "Traceback" not in proc.stderr


def test_unit_errors_are_budgetkit_errors():
    assert issubclass(UnitError, BudgetkitError)


def test_a_table_that_fits_the_budget_is_not_converted_by_a_chance_match():
    """T11 at 1000.00 万元 matches nothing, and 1000.00 元 would equal a 0.10 万元 project —
    but 1000 万元 fits inside the 1716.73 万元 budget (seed T1/T3), so nothing contradicts its unit."""
    from seed_fixture import hand_disclosure

    from budgetkit.core.model import Table
    from budgetkit.core.template import load_template
    from budgetkit.dataset.store import make_frame
    from budgetkit.dataset.structure import reconcile_units

    d = hand_disclosure()
    t12 = d.tables["T12"].parts["main"].copy()
    t12.loc[2, "total"] = 100_000  # 资产台账运维费 0.30 → 0.10 万元 (in 分)
    d.tables["T12"].parts["main"] = t12
    part = load_template("shanxi-county-13").table("T11").parts[0]
    rows = [{"row_no": 1, "kind": "total", "level": 0, "key": "", "unit": "部门合计", "total": 1_000_000_000,
             "general": 1_000_000_000},
            {"row_no": 2, "kind": "leaf", "level": 1, "key": "", "unit": "某单位", "total": 1_000_000_000,
             "general": 1_000_000_000}]
    d.tables["T11"] = Table(id="T11", title="机关运行经费", unit="万元", decimals=2, parts={"main": make_frame(rows, part)})
    assert reconcile_units(d.tables, "x.txt") == []
    assert d.tables["T11"].unit == "万元" and int(d.tables["T11"].part().iloc[0]["total"]) == 1_000_000_000


#: (first, last) 1-based seed lines of each table that prints amounts (title line … line before the next title)
BLOCKS = {"T1": (101, 207), "T2": (208, 267), "T3": (268, 320), "T4": (321, 463), "T5": (464, 516),
          "T6": (517, 584), "T11": (678, 695), "T12": (696, 773), "T13": (774, 802)}


def _rewrite(lines, first, last, *, unit_line: str | None, factor: int) -> str:
    out = list(lines)
    for i in range(first - 1, last):
        if "单位" in out[i] and "万元" in out[i]:
            if unit_line is not None:
                out[i] = re.sub(r"单位\s*[：:]\s*万元", unit_line, out[i])
        elif factor != 1:
            out[i] = AMOUNT.sub(lambda m: f"{Decimal(m.group()) * factor:.2f}", out[i])
    return "\n".join(out)


@pytest.mark.parametrize("table_id", sorted(BLOCKS))
def test_any_table_printed_in_yuan_compares_fine(seed_lines, table_id):
    first, last = BLOCKS[table_id]
    assert "表" in seed_lines[first - 1]  # the block starts at the table title
    d = parse_text(_rewrite(seed_lines, first, last, unit_line="单位：元", factor=10000), "yuan.txt")
    assert d.tables[table_id].unit == "元"
    assert _ten_thousand_fold(run_rules(d)) == []


@pytest.mark.parametrize("table_id", sorted(BLOCKS))
def test_any_table_mislabelled_is_converted_or_refused_never_a_10000_fold_finding(seed_lines, table_id):
    first, last = BLOCKS[table_id]
    text = _rewrite(seed_lines, first, last, unit_line=None, factor=10000)  # 元 values under 单位：万元
    try:
        d = parse_text(text, "mislabelled.txt")
    except UnitError as exc:
        assert table_id in str(exc) and "\n" not in str(exc)
        return
    assert [n.table for n in d.notes if n.kind == "unit_converted"] == [table_id]
    assert _ten_thousand_fold(run_rules(d)) == []
