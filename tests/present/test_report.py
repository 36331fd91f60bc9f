"""The report sections the notebook shows, built in-process from the shipped default dataset (no kernel)."""

from __future__ import annotations

import re

import pytest
from project_files import ROOT

from budgetkit.present import report
from budgetkit.run.params import default_department_year

DEFAULT_DEPARTMENT, DEFAULT_YEAR = default_department_year()

pytestmark = pytest.mark.skipif(not (ROOT / "data" / DEFAULT_DEPARTMENT / str(DEFAULT_YEAR)).is_dir(),
                                reason="default dataset not shipped")


@pytest.fixture(scope="module")
def audit():
    return report.load(DEFAULT_DEPARTMENT, DEFAULT_YEAR)


def test_overview_names_the_department_and_relative_data(audit):
    page = report.overview_html(audit)
    assert "长治市屯留区财政局" in page and "2024" in page
    assert f"data/{DEFAULT_DEPARTMENT}/2024" in page and str(ROOT) not in page
    assert audit.prior is None and "无（同比只能按文字核对）" in page


def test_table3_shows_printed_and_recomputed_total(audit):
    page = report.table_html(audit, "T3")
    # seed line 280: "合计 1716.73 714.11 1002.61" — 714.11 + 1002.61 = 1716.72
    assert "1716.73\n重算 1716.72（差 0.01）" in page
    assert "2101101" in page and "行政单位医疗" in page  # seed line 312
    assert page.index(">201</td>") < page.index(">205</td>") < page.index(">221</td>")  # printed order


def test_declared_empty_table_says_so(audit):
    assert "注：本表无数据" in report.table_html(audit, "T7")  # seed line 602


def test_forms_reconciled_with_t12(audit):
    frame = report.forms_frame(audit)
    row = frame[frame["项目"] == "财政票据电子化管理系统运维费"].iloc[0]
    # T12 (seed line 748) 4.76 万元; its form (seed lines 927-945) 年度资金总额 47,600 元
    assert row["表12 合计（万元）"] == "4.76" and row["年度资金总额（元）"] == "47600.00" and row["判定"] == "一致"
    assert len(frame[frame["表12 合计（万元）"] != ""]) == 16  # 16 projects in table 12 (seed lines 723-773)


def test_claims_listed_with_their_printed_values(audit):
    frame = report.claims_frame(audit)
    # seed lines 850-852: 一般公共预算当年支出1,664.74万元,比上年增加453.09万元 ，增长37.39%
    change = frame[frame["原文"].str.contains("453.09")]
    assert not change.empty and change.iloc[0]["类型"] == "增减"
    assert "37.39%" in change.iloc[0]["公开数"]
    amount = frame[(frame["类型"] == "金额") & (frame["公开数"] == "1,664.74万元")]
    assert not amount.empty


def test_charts_and_missing_prior_year_note(audit):
    images = report.chart_images(audit)
    drawn = [name for name, png, _ in images if png is not None]
    assert drawn == ["functional_structure", "basic_vs_project", "personnel_vs_public", "projects_ranked",
                     "funding_sources"]
    assert images[-1][0] == "year_over_year" and images[-1][1] is None and "上年" in images[-1][2]


def test_sections_are_deterministic(audit):
    first = report.findings_html(audit) + report.table_html(audit, "T6") + report.forms_html(audit)
    again = report.load(DEFAULT_DEPARTMENT, DEFAULT_YEAR)
    second = report.findings_html(again) + report.table_html(again, "T6") + report.forms_html(again)
    assert first == second
    assert not re.search(r" at 0x[0-9a-f]+|/work/|/tmp/", first)
    assert 'id="T_findings"' in first


def test_checklist_section_shows_the_form(audit):
    page = report.checklist_html(audit)
    assert page.startswith("<h3>2024年度部门预算公开情况检查表</h3>") and "部门名称：长治市屯留区财政局" in page
    assert 'id="T_checklist"' in page and "<th scope=\"col\">是否符合要求</th>" in page
    # seed line 850: the 453.09万元 increase without a reason makes 预算情况说明 否; a problem a line
    row = re.search(r"<tr[^>]*><td>6</td><td>预算情况说明</td><td[^>]*>否</td><td[^>]*>([^<]*)</td>", page)
    assert row and "453.09万元" in row.group(1) and "\n2. " in row.group(1)
    assert "white-space: pre-line" in page


def test_document_without_performance_forms_says_so_with_the_engines_statuses():
    """A Shanghai 部门预算 PDF (万里 2024) prints no 项目支出绩效目标表 and its format has no project table:
    the section says so and lists how the forms rules ended, instead of an empty pairing table."""
    from project_files import SAMPLES

    from budgetkit.checks import run_rules
    from budgetkit.extract import parse_source

    disclosure = parse_source(SAMPLES / "shanghai-putuo-wanli-2024-dept-budget.pdf")
    audit = report.Audit(disclosure=disclosure, checks=run_rules(disclosure))
    text = re.sub("<[^>]+>", " ", report.forms_html(audit))
    assert "本文件没有项目支出绩效目标表" in text
    assert "forms.one_form_per_project" in text and "不适用" in text  # the format has no project table
    assert "数据不足" in text  # forms rules that need a form the document did not print
    assert "项目表 合计" not in text


def test_flat_one_row_table_is_shown_and_written(tmp_path):
    """表9 of a Shanghai 部门预算 (部门“三公”经费和机关运行经费预算表) is one row of amounts without a label
    column: the table section and the tables workbook show it (万里 2024, p31: declared empty, 本表无数据)."""
    from project_files import SAMPLES

    from budgetkit.checks import run_rules
    from budgetkit.extract import parse_source
    from budgetkit.present import export

    disclosure = parse_source(SAMPLES / "shanghai-putuo-wanli-2024-dept-budget.pdf")
    audit = report.Audit(disclosure=disclosure, checks=run_rules(disclosure))
    spec = audit.template.by_role("three_public")
    assert not spec.parts[0].label_keys  # the case: no label column
    text = re.sub("<[^>]+>", " ", report.table_html(audit, spec.id))
    assert "表9" in text and "本表无数据" in text
    export.reproduced_to_excel(disclosure, tmp_path / "tables.xlsx")
    import openpyxl

    assert any("表9" in str(ws.title) or "表9" in str(ws["A1"].value) for ws in openpyxl.load_workbook(tmp_path / "tables.xlsx"))


def test_load_leaves_the_collector_as_it_found_it():
    """The first load pauses the collector and freezes what it loaded; collecting resumes after it (and after a
    load that fails), and a paused collector stays paused."""
    import gc

    from budgetkit.core.errors import BudgetkitError

    assert gc.isenabled()
    report.load("changzhishi-tunliuqu-caizhengju", 2024)
    assert gc.isenabled()
    with pytest.raises(BudgetkitError):
        report.load("no-such-department", 2024)
    assert gc.isenabled()
    gc.disable()
    try:
        report.load("changzhishi-tunliuqu-caizhengju", 2024)
        assert not gc.isenabled()
    finally:
        gc.enable()
