"""A format nobody ships, added as a template file alone: its within- and cross-table identities are
checked by the rules the template declares, and a crafted violation is reported at the right place.

The invented format numbers its tables differently from the Shanxi one (the functional expenditure
table is 表2 here), so the findings must name the tables by this document's own numbering.
"""

from __future__ import annotations

import pytest

from budgetkit.checks import rules_for, run_rules
from budgetkit.core.model import LEAF, SUBTOTAL, TOTAL, Disclosure, Metadata, Table
from budgetkit.core.template import load_template
from budgetkit.dataset.store import make_frame

TEMPLATE = """
id: invented-two-tables
name: 虚构格式（2张表）
kind: budget
scope: department
default_unit: 元
amount_decimals: 0
empty_declarations: [本表无数据]
parts: {overview: [一、], tables: [二、], narrative: [三、], glossary: [四、]}
form_title: 项目绩效目标表
functional_classes:
  - {code: "201", name: 一般公共服务支出}
  - {code: "208", name: 社会保障和就业支出}
functional_code_lengths: [3, 5, 7]
economic_groups: []
government_economic_items: []
tables:
  - number: 1
    role: summary
    title: 收支总表
    layout: two_sided
    parts:
      - key: income
        name: 收入
        labels: [{key: item, header: 项目}]
        amounts: [{key: amount, header: 金额}]
        rows:
          - {label: 财政拨款, key: fiscal}
          - {label: 其他收入, key: other}
          - {label: 收入合计, key: grand_total, kind: total, sum_of: [fiscal, other]}
      - key: expenditure
        name: 支出
        labels: [{key: item, header: 项目}]
        amounts: [{key: total, header: 金额}]
        rows:
          - {from: functional_classes}
          - {label: 支出合计, key: grand_total, kind: total, sum_of: [functional_classes]}
    balances: ["income.grand_total.amount = expenditure.grand_total.total"]
  - number: 2
    role: expenditure
    title: 支出明细表
    layout: functional
    parts:
      - key: main
        labels: [{key: code, header: 科目编码}, {key: name, header: 科目名称}]
        amounts:
          - {key: total, header: 合计}
          - {key: basic, header: 基本支出}
          - {key: project, header: 项目支出}
        row_identities: ["total = basic + project"]
        total_row_labels: [合计]
cross:
  - id: classes_match
    name: 收支总表各类支出与支出明细表一致
    description: "{summary} 各类支出 = {expenditure} 对应类合计"
    tables: [summary, expenditure]
    checks:
      - each: {classes: summary.expenditure}
        actual: summary.expenditure[{key}].total
        expected: expenditure[code={code}].total
        location: "{label} / 金额"
        what: "{expenditure} {code} 合计"
"""

Y = 100  # 分 per 元


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("formats") / "invented-two-tables.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    return load_template(str(path))


def disclosure(template, *, summary_208: int = 900, project_2080501: int = 600) -> Disclosure:
    """A consistent department-year of the invented format, with two numbers to break."""
    spec1, spec2 = template.table("T1"), template.table("T2")
    income = make_frame([
        {"row_no": 1, "kind": LEAF, "level": 0, "key": "fiscal", "item": "财政拨款", "amount": 1000 * Y},
        {"row_no": 2, "kind": LEAF, "level": 0, "key": "other", "item": "其他收入", "amount": 900 * Y},
        {"row_no": 3, "kind": TOTAL, "level": 0, "key": "grand_total", "item": "收入合计", "amount": 1900 * Y},
    ], spec1.part("income"))
    expenditure = make_frame([
        {"row_no": 1, "kind": LEAF, "level": 0, "key": "class_201", "item": "一般公共服务支出", "total": 1000 * Y},
        {"row_no": 2, "kind": LEAF, "level": 0, "key": "class_208", "item": "社会保障和就业支出", "total": summary_208 * Y},
        {"row_no": 3, "kind": TOTAL, "level": 0, "key": "grand_total", "item": "支出合计", "total": 1900 * Y},
    ], spec1.part("expenditure"))
    rows = [("", "合计", TOTAL, -1, 1900, 1300, 600), ("201", "一般公共服务支出", SUBTOTAL, 0, 1000, 1000, 0),
            ("20101", "人大事务", SUBTOTAL, 1, 1000, 1000, 0), ("2010101", "行政运行", LEAF, 2, 1000, 1000, 0),
            ("208", "社会保障和就业支出", SUBTOTAL, 0, 900, 300, 600),
            ("20805", "行政事业单位养老支出", SUBTOTAL, 1, 900, 300, 600),
            ("2080501", "行政单位离退休", LEAF, 2, 900, 300, project_2080501),
            ]
    main = make_frame([{"row_no": i + 1, "kind": kind, "level": level, "key": "", "code": code, "name": name,
                        "total": t * Y, "basic": b * Y, "project": p * Y}
                       for i, (code, name, kind, level, t, b, p) in enumerate(rows)], spec2.part("main"))
    tables = {"T1": Table("T1", spec1.title, "元", 0, {"income": income, "expenditure": expenditure}),
              "T2": Table("T2", spec2.title, "元", 0, {"main": main})}
    meta = Metadata(department="某虚构局", department_code="001", year=2025, template=template.id, slug="invented")
    return Disclosure(meta=meta, tables=tables)


def test_the_template_declares_its_rules(template):
    ids = [r.id for r in rules_for(template)]
    assert ids[:5] == ["within.summary.income_sums", "within.summary.expenditure_sums", "within.summary.balance",
                       "within.expenditure.hierarchy", "within.expenditure.row_total"]
    assert "cross.classes_match" in ids
    rule = next(r for r in rules_for(template) if r.id == "cross.classes_match")
    assert rule.description == "表1 各类支出 = 表2 对应类合计" and rule.tables == ("summary", "expenditure")
    assert load_template("invented-two-tables") is template  # found by id once read from its file


def test_consistent_department_year_passes(template):
    report = run_rules(disclosure(template), select=["within.", "cross."])
    assert {r.rule: r.status for r in report.results} == {
        "within.summary.income_sums": "pass", "within.summary.expenditure_sums": "pass",
        "within.summary.balance": "pass", "within.expenditure.hierarchy": "pass",
        "within.expenditure.row_total": "pass", "cross.classes_match": "pass"}
    assert not report.findings


def test_crafted_cross_table_violation_is_reported_at_its_place(template):
    # the summary says 社会保障和就业支出 950 元 (and its 支出合计 stays 1900, so the summary itself no longer adds up)
    report = run_rules(disclosure(template, summary_208=950), select=["within.", "cross."])
    (f,) = report.result("cross.classes_match").findings
    assert (f.severity, f.table, f.location) == ("error", "T1/T2", "社会保障和就业支出 / 金额")
    assert (f.expected, f.actual, f.difference) == ("900", "950", "50")
    assert f.message.startswith("表1/表2 社会保障和就业支出 金额 应等于表2 208 合计 900元，实际 950元，差 50")
    (g,) = report.result("within.summary.expenditure_sums").findings
    assert g.location == "支出 支出合计 / 金额" and (g.expected, g.actual) == ("1950", "1900")


def test_crafted_within_table_violation_is_reported_at_its_row(template):
    # 行政单位离退休 prints 项目支出 500 where 合计 900 = 基本 300 + 项目 600
    report = run_rules(disclosure(template, project_2080501=500), select=["within.expenditure"])
    (f,) = report.result("within.expenditure.row_total").findings
    assert (f.table, f.location, f.expected, f.actual) == ("T2", "2080501 行政单位离退休 / 合计", "800", "900")
    hierarchy = report.result("within.expenditure.hierarchy").findings
    assert [(x.location, x.expected, x.actual) for x in hierarchy] == [("20805 行政事业单位养老支出 / 项目支出", "500", "600")]
    assert report.status("within.expenditure.hierarchy") == "fail"
