"""Performance-form rules on the seed's 16 forms (values read off the seed by hand) and crafted violations."""

import copy
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetkit.checks import run_rules
from budgetkit.checks.forms_text import (
    _ITEM_SEPARATOR,
    _after_last_separator,
    _clause,
    itemised,
    stated_totals,
)

F_RULES = ["forms.one_form_per_project", "forms.annual_fund_matches_projects", "forms.sources_add_up", "forms.one_year_period_funds",
           "forms.itemised_money", "forms.sections_agree", "forms.cost_indicators"]


def run(d):
    return run_rules(d, select=["forms."])


def errors(report, rule_id):
    return [f for f in report.result(rule_id).findings if f.severity == "error"]


def form(d, project):
    return next(f for f in d.forms if f.project == project)


@pytest.fixture(scope="module")
def seed_report(seed_disclosure):
    return run(seed_disclosure)


def test_all_form_rules_ran(seed_report):
    statuses = {r.rule: r.status for r in seed_report.results}
    assert set(F_RULES) <= set(statuses)
    for rid in ("forms.one_form_per_project", "forms.annual_fund_matches_projects", "forms.sources_add_up"):
        assert statuses[rid] == "pass", rid  # 16 forms, 16 T12 projects, all annual funds = T12 (lines 704-772)


def test_one_year_projects_with_two_different_totals(seed_report):
    # line 1619ff: 办公设备更新购置资金 实施期 642,200 / 年度 300,000;
    # line 1952ff: 财政性建设资金投资项目工程预决（结）算评审费 实施期 3,000,000 / 年度 2,000,000; both 项目期 1 年
    found = errors(seed_report, "forms.one_year_period_funds")
    assert sorted((f.location, f.actual, f.expected) for f in found) == [
        ("form:办公设备更新购置资金/项目资金", "642200元", "300000元"),
        ("form:财政性建设资金投资项目工程预决（结）算评审费/项目资金", "3000000元", "2000000元"),
    ]


def test_itemised_money_that_does_not_add_up(seed_report):
    # line 2530ff 项目实施计划: 4.85+1.5+12+16+25+4+17.1 = 80.45万 ≠ fund 1,654,500
    (f,) = errors(seed_report, "forms.itemised_money")
    assert f.location == "form:财政一体化管理系统运行维护费/项目实施计划"
    assert f.actual == "804500元" and f.expected == "1654500元"


def test_sections_disagree_item_by_item(seed_report):
    found = errors(seed_report, "forms.sections_agree")
    got = sorted((f.table, f.message.split("”")[0].lstrip("“")) for f in found)
    assert got == [
        ("form:工作经费", "委托业务费"),  # 项目概况 10万 (line 3395) vs 年度目标 6万 (line 3449)
        ("form:工作经费", "工会经费"),  # 8万 vs 12万
        ("form:财政一体化管理系统运行维护费", "预算单位财务集中监管平台运维费"),  # 17万 vs 16万
        ("form:财政一体化管理系统运行维护费", "预算管理一体化平台系统国库系统运维费"),  # 50万 vs 25万
    ]


def test_cost_arithmetic_consistent_where_explicit(seed_report):
    infos = [f for f in seed_report.result("forms.cost_indicators").findings
             if f.severity == "info" and "一致" in f.message]
    agreed = {f.table.removeprefix("form:"): f.actual for f in infos}
    assert agreed["财政票据电子化管理系统运维费"] == "47600元"  # 400元/家 × 107 + 4800元
    assert agreed["行政事业单位国有资产管理绩效评价费"] == "150000元"  # 1000元/家 × 150家
    assert agreed["担保补偿补贴资金"] == "451900元"  # 36.82万 + 8.37万
    assert agreed["政府采购信息化系统运维费"] == "184800元"  # 105000元/年 + 79800元
    assert errors(seed_report, "forms.cost_indicators") == []


def test_annual_fund_differs_from_t12(seed_disclosure):
    d = copy.deepcopy(seed_disclosure)
    form(d, "工作经费").funds["annual"]["total"] = 76_000_000  # 760,000 元 vs T12 75.00万元
    report = run(d)
    (f,) = errors(report, "forms.annual_fund_matches_projects")
    assert f.expected == "75.00万元" and f.actual == "760000元" and f.difference == "10000元"
    assert errors(report, "forms.sources_add_up")  # 760,000 ≠ 0 + 0 + 750,000 + 0


def test_missing_and_extra_forms(seed_disclosure):
    d = copy.deepcopy(seed_disclosure)
    d.forms = [f for f in d.forms if f.project != "资产台账运维费"]
    form(d, "工作经费").project = "工作经费（新增）"
    found = errors(run(d), "forms.one_form_per_project")
    assert len(found) == 3  # two T12 projects without a form, one form without a project


def test_form_names_match_without_whitespace(seed_disclosure):
    d = copy.deepcopy(seed_disclosure)
    form(d, "工作经费").project = "工 作 经 费"
    assert run(d).status("forms.one_form_per_project") == "pass"


def test_itemised_money_changed(seed_disclosure):
    d = copy.deepcopy(seed_disclosure)
    f = form(d, "工作经费")
    assert "办公费17 万元" in f.sections["项目概况"]
    f.sections["项目概况"] = f.sections["项目概况"].replace("办公费17 万元", "办公费27 万元")
    report = run(d)
    (e,) = [x for x in errors(report, "forms.itemised_money") if x.table == "form:工作经费"]
    assert e.location == "form:工作经费/项目概况" and e.actual == "850000元" and e.expected == "750000元"
    assert any("办公费" in x.message for x in errors(report, "forms.sections_agree"))


def test_cost_indicator_exceeding_the_fund(seed_disclosure):
    d = copy.deepcopy(seed_disclosure)
    f = form(d, "行政事业单位国有资产管理绩效评价费")
    for ind in f.indicators:
        if "数量" in ind.level2 and ind.value.startswith("150"):
            ind.value = ind.value.replace("150", "200", 1)
    found = errors(run(d), "forms.cost_indicators")
    assert {x.actual for x in found} == {"200000元"}


def test_forms_missing_is_insufficient_data(seed_disclosure):
    d = copy.deepcopy(seed_disclosure)
    d.forms = []
    report = run(d)
    assert report.status("forms.annual_fund_matches_projects") == "insufficient_data"
    assert report.status("forms.one_form_per_project") == "fail"  # 16 T12 projects without a form


def _clause_by_scanning(text, pos):
    """The clause as a plain scan finds it: after the last separator before ``pos``, to the next one."""
    start = max((m.end() for m in re.finditer(r"[，,；;。：:]", text[:pos])), default=0)
    m = re.compile(r"[，,；;。：:]").search(text, pos)
    return text[start:(m.start() if m else len(text))]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="，,；;。：:、办公费共计17.5万元 ", max_size=40), st.data())
def test_clause_by_separator_positions_equals_a_scan(text, data):
    pos = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert _clause(text, pos) == _clause_by_scanning(text, pos)
    scanned = max((m.end() for m in re.finditer(r"[，,；;。：:、]", text[:pos])), default=0)
    assert _after_last_separator(text, pos, _ITEM_SEPARATOR) == scanned


def test_itemised_and_stated_totals_of_one_text():
    text = "主要用于办公费17万元，咨询费4万元、印刷费0.5万元；共计21.5万元。"
    assert [(i.name, i.fen) for i in itemised(text)] == [("办公费", 17_000_000), ("咨询费", 4_000_000),
                                                         ("印刷费", 500_000)]
    assert [(t.name, t.fen, t.text) for t in stated_totals(text)] == [("共计", 21_500_000, "共计21.5万元")]
    assert [(i.name, i.fen) for i in itemised("1.系统运维费4.85万元；2.网络租赁费2万元")] == [
        ("系统运维费", 4_850_000), ("网络租赁费", 2_000_000)]
