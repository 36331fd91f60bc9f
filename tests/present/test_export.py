"""Exports: JSON (the CLI object), CSV with BOM, Excel findings + statuses, reproduced-tables workbook, text."""

from __future__ import annotations

import copy
import csv
import json

import pytest
from openpyxl import load_workbook
from seed_tables_hand import hand_seed

from budgetkit.checks import run_rules
from budgetkit.core.money import parse_amount, to_fen
from budgetkit.present import export

HEADERS = ["序号", "严重程度", "规则", "规则名称", "表", "位置", "应为", "实际", "差额", "单位", "说明"]


@pytest.fixture(scope="module")
def seed():
    return hand_seed()


@pytest.fixture(scope="module")
def report(seed):
    return run_rules(seed, select=["within.", "cross.", "completeness."], source="seed")


@pytest.fixture(scope="module")
def broken(seed):
    """T3 2101101 基本支出 9.27 → 9.37 (seed line 316): an error in T3, T2_T3 …"""
    d = copy.deepcopy(seed)
    frame = d.tables["T3"].parts["main"]
    frame.at[frame.index[frame["code"] == "2101101"][0], "basic"] = to_fen(parse_amount("9.37"), "万元")
    return d


def test_json_is_the_cli_object(report, tmp_path):
    path = export.findings_to_json(report, tmp_path / "out" / "findings.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == report.to_dict()
    assert set(data) == {"source", "rules", "findings", "checklist"}
    assert set(data["findings"][0]) == {"rule", "severity", "table", "location", "expected", "actual",
                                        "difference", "message"}


def test_csv_has_bom_and_chinese_headers(report, tmp_path):
    path = export.findings_to_csv(report, tmp_path / "findings.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == HEADERS
    assert len(rows) == 1 + len(report.findings)
    t6 = next(r for r in rows if r[2] == "within.general_basic_economic.groups" and r[5] == "工资福利支出 / 合计")
    assert [t6[1], t6[4]] == ["尾差", "表6"] and t6[6:10] == ["668.78", "668.75", "-0.03", "万元"]  # seed lines 535-563
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_excel_findings_and_statuses(report, tmp_path):
    wb = load_workbook(export.findings_to_excel(report, tmp_path / "findings.xlsx"))
    assert wb.sheetnames == ["发现", "尾差与提示", "规则状态"]  # errors and warnings apart from rounding (a selection: no checklist)
    ws = wb["尾差与提示"]
    assert [c.value for c in ws[5]] == HEADERS + ["审核意见"]  # under 4 title rows
    assert wb["发现"].max_row == 5 and ws.max_row == 5 + len(report.findings)  # the seed's tables: rounding only
    assert ws.cell(6, 2).value == "尾差" and ws.cell(6, 2).fill.fgColor.rgb.endswith(export.FILL["rounding"])
    st = wb["规则状态"]
    assert st.max_row == 4 + len(report.results)
    statuses = {st.cell(r, 1).value: st.cell(r, 6).value for r in range(5, st.max_row + 1)}
    assert statuses["within.fund_income.hierarchy"] == "不适用" and statuses["within.expenditure.hierarchy"] == "通过"


def _find_row(ws, text):
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == text)


def test_reproduced_workbook_highlights_differences(seed, broken, tmp_path):
    wb = load_workbook(export.reproduced_to_excel(seed, tmp_path / "tables.xlsx"))
    assert wb.sheetnames == [f"表{i}" for i in range(1, 14)]
    ws = wb["表6"]
    r = _find_row(ws, "工资福利支出")
    # layout: 2 label columns, then printed 合计/人员经费/公用经费, recomputed ×3, difference ×3
    assert [ws.cell(r, c).value for c in (3, 6, 9)] == [668.75, 668.78, -0.03]  # numbers, not text
    assert ws.cell(r, 3).fill.fgColor.rgb.endswith(export.FILL["rounding"])
    ok = _find_row(ws, "商品和服务支出")
    assert ws.cell(ok, 5).value == 28.44 and ws.cell(ok, 5).fill.fill_type is None
    wb = load_workbook(export.reproduced_to_excel(broken, tmp_path / "broken.xlsx"))
    ws = wb["表3"]
    r = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "21011")
    assert ws.cell(r, 4).value == 31.77 and ws.cell(r, 4).fill.fgColor.rgb.endswith(export.FILL["error"])
    assert ws.cell(r, 10).value == -0.11


def test_text_groups_by_severity(seed, broken, report):
    text = export.format_findings_text(report)
    assert "尾差 rounding" in text and "错误 error" not in text
    assert "规则状态:" in text and "不适用 not_applicable 7" in text
    bad = export.format_findings_text(run_rules(broken, select=["within.expenditure", "cross.expenditure_vs_income"]))
    first, second = bad.index("错误 error"), bad.index("尾差 rounding")
    assert first < second
    assert "→ 表3 21011 行政事业单位医疗 基本支出 应等于各项之和 31.88万元，实际 31.77万元" in bad


def test_text_without_findings():
    from budgetkit.core.findings import CheckReport, RuleResult

    text = export.format_findings_text(CheckReport("x", [RuleResult("within.expenditure.hierarchy", "pass")]))
    assert "没有发现问题" in text and "通过 pass 1" in text
