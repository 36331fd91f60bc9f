"""Table rules (within, cross, completeness, extraction) on the seed and on crafted violations.

Two sources of the seed: tables typed by hand (tests/seed_tables_hand.py) and the
seed parsed by the extractor (``seed_disclosure`` in conftest). Every violation
changes one printed cell of a deep copy, then expects an ``error`` at that place.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from seed_tables_hand import hand_seed

from budgetkit.checks import rules_for, run_rules
from budgetkit.core.model import ExtractionNote
from budgetkit.core.money import parse_amount, to_fen
from budgetkit.core.template import load_template
from budgetkit.dataset.store import make_frame

TPL = load_template("shanxi-county-13")
TABLE_RULES = ("within.", "cross.", "completeness.", "extraction.")


@pytest.fixture(scope="module")
def hand():
    return hand_seed()


@pytest.fixture(params=["hand", "parsed"])
def seed(request, hand):
    if request.param == "hand":
        return hand
    return request.getfixturevalue("seed_disclosure")


@pytest.fixture(scope="module")
def hand_report(hand):
    return run_rules(hand, select=list(TABLE_RULES))


def fen(text: str) -> int:
    return to_fen(parse_amount(text), "万元")


def _row(frame: pd.DataFrame, **match) -> int:
    hits = [i for i in frame.index
            if all(str(frame.at[i, k]).replace(" ", "").replace("\u3000", "") == v for k, v in match.items())]
    assert hits, f"no row {match}"
    return hits[0]


def edit(d, table: str, col: str, value: str | None, part: str = "main", **match):
    """Deep copy of ``d`` with one printed cell changed (value as printed in 万元, None = blank)."""
    d = copy.deepcopy(d)
    frame = d.tables[table].parts[part]
    frame.at[_row(frame, **match), col] = None if value is None else fen(value)
    return d


def total_row_edit(d, table: str, col: str, value: str, part: str = "main"):
    d = copy.deepcopy(d)
    frame = d.tables[table].parts[part]
    idx = next(i for i in frame.index if frame.at[i, "kind"] == "total")
    frame.at[idx, col] = fen(value)
    return d


def replace_rows(d, table: str, part: str, rows: list[dict]):
    """Deep copy with a part replaced by ``rows`` (amounts as printed strings) and the table not empty."""
    d = copy.deepcopy(d)
    spec = TPL.table(table).part(part)
    records = []
    for i, r in enumerate(rows, start=1):
        rec = {"row_no": i, "kind": r.get("kind", "leaf"), "level": r.get("level", 0), "key": r.get("key", "")}
        rec.update({k: r.get(k, "") for k in spec.label_keys})
        rec.update({k: (fen(r[k]) if r.get(k) else None) for k in spec.amount_keys})
        records.append(rec)
    d.tables[table].parts[part] = make_frame(records, spec)
    d.tables[table].declared_empty = False
    return d


def errors(report, rule_id):
    return [f for f in report.result(rule_id).findings if f.severity == "error"]


def assert_error(d, rule_id: str, location: str):
    report = run_rules(d, select=[rule_id])
    found = errors(report, rule_id)
    assert found, f"{rule_id}: no error; status {report.status(rule_id)}, findings {report.result(rule_id).findings}"
    assert any(location in f.location for f in found), [f.location for f in found]
    assert report.status(rule_id) == "fail"
    return found


# ---------------------------------------------------------------- the seed as printed


def test_every_table_rule_has_a_status_on_the_seed(seed):
    report = run_rules(seed, select=list(TABLE_RULES))
    ids = {r.id for r in rules_for(TPL) if r.id.startswith(TABLE_RULES)}
    assert {r.rule for r in report.results} == ids
    assert len(ids) >= 45


def test_seed_has_no_table_errors(seed):
    report = run_rules(seed, select=list(TABLE_RULES))
    bad = [f for f in report.findings if f.severity in ("error", "warning")]
    assert not bad, bad
    assert all(r.status in ("pass", "not_applicable") for r in report.results), \
        [(r.rule, r.status, r.reason) for r in report.results if r.status not in ("pass", "not_applicable")]


def test_empty_tables_are_not_applicable(seed):
    report = run_rules(seed, select=["within.fund_income", "within.fund_functional", "within.soe_functional", "within.three_public"])
    # seed lines 602, 621, 643, 677: 注：本表无数据
    assert {r.status for r in report.results} == {"not_applicable"}
    assert "本表无数据" in report.result("within.fund_income.hierarchy").reason


def _rounding(report, rule_id, location, expected, actual):
    hits = [f for f in report.result(rule_id).findings if location in f.location]
    assert hits, (rule_id, location, [f.location for f in report.result(rule_id).findings])
    f = hits[0]
    assert (f.severity, f.expected, f.actual) == ("rounding", expected, actual)
    return f


def test_seed_rounding_findings_read_by_hand(seed):
    r = run_rules(seed, select=list(TABLE_RULES))
    # T1 classes 1537.92+17.22+74.18+31.77+55.63 = 1716.72, printed 本年支出合计 1716.73 (line 201)
    f = _rounding(r, "within.summary.expenditure_sums", "本年支出合计", "1716.72", "1716.73")
    assert f.difference == "0.01"
    _rounding(r, "within.summary.expenditure_sums", "本年支出合计 / 当年预算安排", "1664.73", "1664.74")
    # T2 2101101 9.27 + 2101102 22.51 = 31.78, 21011 printed 31.77 (lines 255-259); also in T3 and T5
    for role in ("income", "expenditure", "general_functional"):
        _rounding(r, f"within.{role}.hierarchy", "21011", "31.78", "31.77")
    _rounding(r, "within.income.hierarchy", "合计行 / 合计", "1664.73", "1664.74")
    f = _rounding(r, "within.expenditure.hierarchy", "合计行 / 合计", "1716.72", "1716.73")
    assert f.message.startswith("表3 合计行 合计 应等于各类之和 1716.72万元，实际 1716.73万元，差 0.01")
    assert "四舍五入尾差" in f.message
    _rounding(r, "within.expenditure.row_total", "合计行 / 合计", "1716.72", "1716.73")  # 714.11 + 1002.61
    _rounding(r, "within.general_functional.hierarchy", "合计行 / 基本支出", "713.54", "713.55")
    # T6 工资福利支出: 14 items sum 668.78, printed 668.75: 15 printed values, tolerance 0.075 (lines 535-563)
    f = _rounding(r, "within.general_basic_economic.groups", "工资福利支出 / 合计", "668.78", "668.75")
    assert "15 个印刷数，容差 0.075" in f.message
    _rounding(r, "within.general_basic_economic.groups", "合计行 / 人员经费", "685.10", "685.11")  # 668.75 + 16.35
    # basic carry-over: T3 714.11 − T5 713.55 = 0.56; T2 上年结转 51.99 − T13 51.42 = 0.57
    _rounding(r, "cross.carryover_difference", "基本支出", "0.57", "0.56")


def test_exact_identities_raise_nothing(seed):
    r = run_rules(seed, select=["cross.general_project_vs_projects", "cross.general_basic_vs_economic", "cross.public_vs_office_running",
                                "within.projects.project_sum", "within.projects_carryover.project_sum", "within.fiscal_summary.income_sums", "within.fiscal_summary.balance", "within.summary.balance"])
    # 951.19 = 951.19 = Σ16 projects; 713.55 = 713.55; 28.44 = 28.44; 1664.74 + 51.99 = 1716.73
    assert r.findings == []
    assert {x.status for x in r.results} == {"pass"}
    carry = run_rules(seed, select=["cross.carryover_difference"]).result("cross.carryover_difference")
    assert not [f for f in carry.findings if "项目支出" in f.location]  # 1002.61 − 951.19 = 51.42 = T13


# ---------------------------------------------------------------- crafted violations, one cell each

WITHIN_CASES = [
    ("within.summary.income_sums", dict(table="T1", part="income", key="carryover", col="amount", value="61.99"), "收入总计"),
    ("within.summary.expenditure_sums", dict(table="T1", part="expenditure", key="class_201", col="total", value="1547.92"),
     "本年支出合计"),
    ("within.summary.balance", dict(table="T1", part="income", key="grand_total", col="amount", value="1726.73"), "收入总计 = 支出总计"),
    ("within.summary.row_total", dict(table="T1", part="expenditure", key="class_205", col="current", value="18.22"), "教育支出"),
    ("within.income.hierarchy", dict(table="T2", code="2010601", col="general", value="193.38"), "20106 财政事务 / 一般公共预算"),
    ("within.income.row_total", dict(table="T2", code="2010607", col="total", value="11.00"), "2010607 信息化建设 / 合计"),
    ("within.expenditure.hierarchy", dict(table="T3", code="2101101", col="basic", value="9.37"), "21011 行政事业单位医疗 / 基本支出"),
    ("within.expenditure.row_total", dict(table="T3", code="2010602", col="total", value="507.60"), "2010602 一般行政管理事务 / 合计"),
    ("within.fiscal_summary.income_sums", dict(table="T4", part="income", key="carryover_general", col="amount", value="41.99"),
     "上年财政拨款结转"),
    ("within.fiscal_summary.expenditure_sums", dict(table="T4", part="expenditure", key="class_221", col="general", value="65.63"),
     "本年支出合计 / 一般公共预算"),
    ("within.fiscal_summary.balance", dict(table="T4", part="expenditure", key="grand_total", col="total", value="1717.73"), "收入总计"),
    ("within.fiscal_summary.row_total", dict(table="T4", part="expenditure", key="class_210", col="total", value="32.77"), "卫生健康支出"),
    ("within.general_functional.hierarchy", dict(table="T5", code="2210201", col="total", value="56.63"), "22102 住房改革支出 / 合计"),
    ("within.general_functional.row_total", dict(table="T5", code="201", col="basic", value="552.96"), "201 一般公共服务支出 / 合计"),
    ("within.general_basic_economic.groups", dict(table="T6", dept_econ="办公费", col="public", value="4.62"), "商品和服务支出 / 公用经费"),
    ("within.general_basic_economic.row_total", dict(table="T6", dept_econ="电费", col="total", value="6.00"), "电费（办公经费） / 合计"),
    ("within.office_running.unit_sum", dict(table="T11", unit="长治市屯留区财政局", col="general", value="27.44"), "部门合计 / 一般公共预算"),
    ("within.office_running.row_total", dict(table="T11", unit="长治市屯留区财政局", col="total", value="29.44"), "长治市屯留区财政局 / 合计"),
    ("within.projects.project_sum", dict(table="T12", project="资产台账运维费", col="total", value="1.30"), "（小计） / 合计"),
    ("within.projects.row_total", dict(table="T12", project="工作经费", col="general", value="76.00"), "工作经费 / 合计"),
    ("within.projects_carryover.project_sum", dict(table="T13", project="工作经费", col="general", value="20.38"), "（小计） / 一般公共预算"),
    ("within.projects_carryover.row_total", dict(table="T13", project="临时雇佣人员劳务费", col="total", value="26.04"), "临时雇佣人员劳务费 / 合计"),
]


@pytest.mark.parametrize("rule_id,change,location", WITHIN_CASES, ids=[c[0] for c in WITHIN_CASES])
def test_within_violation_is_an_error(seed, rule_id, change, location):
    change = dict(change)
    table, col, value, part = change.pop("table"), change.pop("col"), change.pop("value"), change.pop("part", "main")
    f = assert_error(edit(seed, table, col, value, part=part, **change), rule_id, location)[0]
    assert "超出" in f.message and "四舍五入容差" in f.message


def test_empty_tables_with_numbers_are_checked(hand):
    t7 = [dict(kind="total", code="", name="合计", amount="10.00"), dict(code="103", name="非税收入", amount="10.00"),
          dict(code="10301", name="政府性基金收入", amount="9.00")]
    assert_error(replace_rows(hand, "T7", "main", t7), "within.fund_income.hierarchy", "103 非税收入 / 政府性基金收入预算")
    t8 = [dict(kind="total", code="", name="合计", total="5.00", basic="", project="5.00"),
          dict(code="212", name="城乡社区支出", total="5.00", basic="", project="4.00")]
    d8 = replace_rows(hand, "T8", "main", t8)
    assert_error(d8, "within.fund_functional.row_total", "212 城乡社区支出 / 合计")
    assert_error(d8, "within.fund_functional.hierarchy", "合计行 / 项目支出")
    t9 = [dict(kind="total", code="", name="合计", total="3.00", basic="3.00", project=""),
          dict(code="223", name="国有资本经营预算支出", total="2.00", basic="3.00", project="")]
    d9 = replace_rows(hand, "T9", "expenditure", t9)
    assert_error(d9, "within.soe_functional.row_total", "223 国有资本经营预算支出 / 合计")
    assert_error(d9, "within.soe_functional.hierarchy", "合计行 / 合计")
    t10 = [dict(key="abroad", item="因公出国（境）费"), dict(key="reception", item="公务接待费", total="1.00", general="2.00"),
           dict(key="vehicles", item="公务用车购置及运行费", kind="subtotal"),
           dict(key="vehicle_purchase", item="①公务用车购置费"), dict(key="vehicle_operation", item="②公务用车运行维护费"),
           dict(key="grand_total", item="合计", kind="total", total="3.00", general="2.00")]
    d10 = replace_rows(hand, "T10", "main", t10)
    assert_error(d10, "within.three_public.row_total", "公务接待费 / 合计")
    assert_error(d10, "within.three_public.fixed_rows", "合计 / 合计")


CROSS_CASES = [
    ("cross.summary_classes_vs_expenditure", dict(table="T3", code="221", col="total", value="56.63"), "住房保障支出 / 2024年合计"),
    ("cross.summary_vs_income", dict(table="T2", code="201", col="carryover", value="52.99"), "一般公共服务支出 / 上年结转安排"),
    ("cross.expenditure_vs_income", dict(table="T3", code="2010650", col="total", value="360.58"), "2010650 事业运行 / 合计"),
    ("cross.fiscal_summary_vs_summary", dict(table="T4", part="income", key="general", col="amount", value="1665.74"), "一般公共预算"),
    ("cross.fiscal_summary_vs_summary", dict(table="T4", part="expenditure", key="class_208", col="total", value="75.18"), "社会保障和就业支出"),
    ("cross.general_functional_vs_income", dict(table="T5", code="2050803", col="total", value="18.22"), "2050803 培训支出 / 合计"),
    ("cross.carryover_difference", dict(table="T2", code="2010602", col="carryover", value="50.42"),
     "2010602 一般行政管理事务 / 表3合计 − 表5合计"),
    ("cross.carryover_difference", dict(table="T13", project="工作经费", col="total", value="9.38"), None),
]


@pytest.mark.parametrize("rule_id,change,location", CROSS_CASES, ids=[c[0] + str(i) for i, c in enumerate(CROSS_CASES)])
def test_cross_violation_is_an_error(seed, rule_id, change, location):
    change = dict(change)
    table, col, value, part = change.pop("table"), change.pop("col"), change.pop("value"), change.pop("part", "main")
    d = edit(seed, table, col, value, part=part, **change)
    if location is None:  # a T13 project changed: its department total too, so the project carry-over is off
        d = total_row_edit(d, "T13", "total", "41.42")
        location = "合计行 / 项目支出 表3 − 表5"
    assert_error(d, rule_id, location)


def test_cross_totals_violations(seed):
    assert_error(total_row_edit(seed, "T6", "total", "714.55"), "cross.general_basic_vs_economic", "合计行 / 基本支出")
    assert_error(total_row_edit(seed, "T12", "general", "950.19"), "cross.general_project_vs_projects", "合计行 / 项目支出")
    assert_error(total_row_edit(seed, "T11", "total", "30.44"), "cross.public_vs_office_running", "部门合计 / 合计")
    d = total_row_edit(total_row_edit(seed, "T11", "fund", "2.00"), "T11", "total", "30.44")  # made-up 基金 money
    assert not errors(run_rules(d, select=["cross.public_vs_office_running"]), "cross.public_vs_office_running")  # 一般公共预算 28.44 ok
    d = total_row_edit(d, "T11", "general", "29.44")
    assert_error(d, "cross.public_vs_office_running", "部门合计 / 一般公共预算")
    f = assert_error(total_row_edit(seed, "T2", "total", "1665.74"), "cross.summary_vs_income", "本年收入合计")[0]
    assert f.expected == "1665.74" and f.actual == "1664.74"


def test_t11_below_t6_public_is_information_only(seed):
    r = run_rules(total_row_edit(seed, "T11", "total", "20.00"), select=["cross.public_vs_office_running"])
    (f,) = r.findings
    assert f.severity == "info" and r.status("cross.public_vs_office_running") == "pass"


def _with_t6_item(d, name: str, amount: str):
    d = copy.deepcopy(d)
    frame = d.tables["T6"].parts["main"]
    row = {c: frame.iloc[-1][c] for c in frame.columns}
    row.update(row_no=int(frame["row_no"].max()) + 1, kind="leaf", dept_econ=name, gov_econ=name,
               total=fen(amount), personnel=None, public=fen(amount))
    d.tables["T6"].parts["main"] = pd.concat([frame, pd.DataFrame([row]).astype(frame.dtypes)], ignore_index=True)
    return d


def test_three_public_items_in_t6_need_t10(seed):
    d = _with_t6_item(seed, "公务接待费", "1.00")  # T10 declared empty (line 677)
    assert_error(d, "cross.three_public_vs_economic_items", "公务接待费 / 合计")
    assert_error(d, "cross.empty_tables_vs_summary", "三公经费")


def test_empty_fund_tables_against_t1(seed):
    d = edit(seed, "T1", "amount", "10.00", part="income", key="fund")
    found = assert_error(d, "cross.empty_tables_vs_summary", "政府性基金预算收入")
    assert {f.table for f in found} == {"T7", "T8"}
    d = edit(seed, "T1", "amount", "3.00", part="income", key="soe")
    assert {f.table for f in assert_error(d, "cross.empty_tables_vs_summary", "国有资本经营")} == {"T9"}


# ---------------------------------------------------------------- completeness and extraction


def test_completeness_violations(seed):
    d = copy.deepcopy(seed)
    del d.tables["T9"]
    assert assert_error(d, "completeness.all_tables_present", "国有资本经营")[0].table == "T9"
    d = copy.deepcopy(seed)
    d.tables["T7"].declared_empty = False
    assert assert_error(d, "completeness.empty_declared", "全表")[0].table == "T7"
    d = copy.deepcopy(seed)
    d.tables["T5"].printed_department = "长治市屯留区审计局"
    f = assert_error(d, "completeness.same_department", "部门名称")[0]
    assert (f.table, f.expected, f.actual) == ("T5", "长治市屯留区财政局", "长治市屯留区审计局")
    d = copy.deepcopy(seed)
    d.tables["T3"].printed_year = 2023
    assert assert_error(d, "completeness.same_year", "年度")[0].actual == "2023年"
    d = copy.deepcopy(seed)
    d.tables["T11"].unit = "元"
    assert assert_error(d, "completeness.same_unit", "金额单位")[0].table == "T11"


def test_extraction_notes_become_findings(seed):
    d = copy.deepcopy(seed)
    d.notes = [ExtractionNote("column_ambiguous", "T12", "工作经费", "金额可能属于政府性基金预算列"),
               ExtractionNote("column_settled", "T3", "2010602", "由 合计 = 基本 + 项目 确定为项目支出")]
    r = run_rules(d, select=["extraction.ambiguity"])
    sev = sorted(f.severity for f in r.findings)
    assert sev == ["info", "warning"] and r.status("extraction.ambiguity") == "fail"


# ---------------------------------------------------------------- missing tables


def test_removed_tables_give_insufficient_data(seed):
    d = copy.deepcopy(seed)
    for t in ("T12", "T13"):
        del d.tables[t]
    r = run_rules(d, select=list(TABLE_RULES))
    for rule_id in ("within.projects.project_sum", "within.projects.row_total", "within.projects_carryover.project_sum", "cross.general_project_vs_projects",
                    "cross.carryover_difference"):
        assert r.status(rule_id) == "insufficient_data", rule_id
    assert r.status("completeness.all_tables_present") == "fail"
    assert r.status("within.expenditure.hierarchy") == "pass"


def test_no_tables_at_all_never_passes(seed):
    d = copy.deepcopy(seed)
    d.tables = {}
    r = run_rules(d, select=list(TABLE_RULES))
    assert {x.status for x in r.results} == {"insufficient_data"}


def test_every_rule_is_described():
    for r in rules_for(TPL):
        if r.id.startswith(TABLE_RULES):
            assert r.description and "\n" not in r.description
            assert r.family in ("within", "cross", "completeness", "extraction")


# rules whose violations are tested by the bespoke tests above (not the parametrized tables)
BESPOKE = {"within.fund_income.hierarchy", "within.fund_functional.hierarchy", "within.fund_functional.row_total", "within.soe_functional.hierarchy", "within.soe_functional.row_total", "within.three_public.fixed_rows",
           "within.three_public.row_total", "cross.general_basic_vs_economic", "cross.general_project_vs_projects", "cross.public_vs_office_running",
           "cross.three_public_vs_economic_items", "cross.empty_tables_vs_summary", "completeness.all_tables_present", "completeness.empty_declared",
           "completeness.same_department", "completeness.same_year", "completeness.same_unit", "extraction.ambiguity"}


def test_every_table_rule_has_a_crafted_violation():
    covered = {c[0] for c in WITHIN_CASES} | {c[0] for c in CROSS_CASES} | BESPOKE
    registered = {r.id for r in rules_for(TPL) if r.id.startswith(TABLE_RULES)}
    assert registered == covered, registered ^ covered


def test_money_outside_the_general_budget_is_not_an_error(hand):
    """Made-up: 2010608 also gets 5.00 政府性基金 (T2 and T3), T1 has 10.00 单位资金 spent under 201."""
    d = edit(hand, "T2", "fund", "5.00", code="2010608")
    d = edit(d, "T3", "total", "473.79", code="2010608")
    r = run_rules(d, select=["cross.carryover_difference"])
    assert not [f for f in errors(r, "cross.carryover_difference") if f.location.startswith("2010608")]
    d = edit(hand, "T1", "amount", "10.00", part="income", key="unit_funds")
    d = edit(d, "T1", "total", "1547.92", part="expenditure", key="class_201")  # T4 keeps 1537.92 (fiscal only)
    assert not errors(run_rules(d, select=["cross.fiscal_summary_vs_summary"]), "cross.fiscal_summary_vs_summary")
    d = edit(d, "T4", "total", "1557.92", part="expenditure", key="class_201")  # fiscal part above the total
    assert_error(d, "cross.fiscal_summary_vs_summary", "一般公共服务支出")
