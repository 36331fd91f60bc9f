"""Narrative rules on the seed (consistent claims raise nothing above rounding), crafted violations, excerpts."""

import copy

import pytest

from budgetkit.checks import run_rules
from budgetkit.core.model import Disclosure, Metadata
from budgetkit.dataset.narrative import segment_narrative
from budgetkit.extract import parse_text

N_RULES = ["narrative.amount_matches_table", "narrative.share_recomputed", "narrative.change_rate_consistent", "narrative.change_vs_prior_year",
           "narrative.change_has_reason", "narrative.items_exist", "narrative.procurement_sum", "narrative.internal_sums", "narrative.performance_counts"]


def run(d, prior=None):
    return run_rules(d, prior=prior, select=["narrative."])


def errors(report, rule_id):
    return [f for f in report.result(rule_id).findings if f.severity == "error"]


def edited(d, old, new):
    """A copy of the disclosure whose narrative has ``old`` replaced (re-segmented like a hand correction)."""
    assert old in d.narrative.text, old
    d = copy.deepcopy(d)
    d.narrative = segment_narrative(d.narrative.text.replace(old, new, 1))
    return d


@pytest.fixture(scope="module")
def seed_report(seed_disclosure):
    return run(seed_disclosure)


def test_every_narrative_rule_ran_on_the_seed(seed_report):
    statuses = {r.rule: r.status for r in seed_report.results}
    assert set(N_RULES) <= set(statuses)
    for rid in ["narrative.amount_matches_table", "narrative.share_recomputed", "narrative.change_rate_consistent", "narrative.items_exist",
                "narrative.procurement_sum", "narrative.internal_sums", "narrative.performance_counts"]:
        assert statuses[rid] == "pass", rid
    assert statuses["narrative.change_vs_prior_year"] == "insufficient_data"  # no 2023 dataset


def test_seed_narrative_raises_no_error(seed_report):
    bad = [f for r in seed_report.results for f in r.findings if f.severity == "error"]
    assert bad == []


def test_seed_only_rounding_is_section_three(seed_report):
    # line 831: 支出预算1716.73万元，其中：基本支出714.11万元 + 项目支出1002.61万元 = 1716.72 (0.01 rounding)
    rounding = [f for r in seed_report.results for f in r.findings if f.severity == "rounding"]
    assert [(f.rule, f.actual) for f in rounding] == [("narrative.internal_sums", "1716.72万元")]


def test_seed_change_rates_report_implied_prior_year(seed_report):
    # 1716.73-210.23 = 1506.50 (13.955%), 1664.74-453.09 = 1211.65 (37.394%), 28.44+2.4 = 30.84 (7.782%)
    infos = seed_report.result("narrative.change_rate_consistent").findings
    assert len(infos) == 4 and all(f.severity == "info" for f in infos)
    text = " ".join(f.message for f in infos)
    for prior in ("1506.50万元", "1211.65万元", "30.84万元"):
        assert prior in text


def test_seed_change_without_reason_is_a_warning(seed_report):
    # line 850: 一般公共预算当年支出1,664.74万元,比上年增加453.09万元，增长37.39%。 — no 原因
    result = seed_report.result("narrative.change_has_reason")
    assert result.status == "fail"
    assert [f.severity for f in result.findings] == ["warning"]
    assert "453.09万元" in result.findings[0].location


def test_changed_percentage_is_an_error(seed_disclosure):
    report = run(edited(seed_disclosure, "占96.97%", "占95.97%"))
    (f,) = errors(report, "narrative.share_recomputed")
    assert f.actual == "95.97%" and f.expected.startswith("96.97")


def test_percentage_within_rounding_is_rounding():
    # 1.00 / 3.00 = 33.333…%; with 0.005 rounding on each amount the ratio spans 33.11%…33.56%
    report = run(excerpt("部门收入总计3.00万元，其中：上年结转1.00万元，占33.34%；本年收入2.00万元，占66.67%。"))
    result = report.result("narrative.share_recomputed")
    assert result.status == "pass"
    assert [f.severity for f in result.findings] == ["rounding"]


def test_changed_amount_is_an_error(seed_disclosure):
    report = run(edited(seed_disclosure, "人员经费685.11万元", "人员经费658.11万元"))
    (f,) = errors(report, "narrative.amount_matches_table")
    assert f.expected == "685.11万元" and f.actual == "658.11万元" and f.table == "T6"
    assert errors(report, "narrative.internal_sums")  # 713.55 ≠ 658.11 + 28.44


def test_section_heading_picks_the_table(seed_disclosure):
    # 六、一般公共预算基本支出情况说明 must quote T5's 基本支出 713.55 (line 476), not T3's 714.11 (line 280)
    report = run(edited(seed_disclosure, "安排基本支出713.55万元", "安排基本支出714.11万元"))
    (f,) = errors(report, "narrative.amount_matches_table")
    assert f.expected == "713.55万元" and f.table == "T5"


def test_amount_is_checked_against_the_first_cell_it_equals(seed_report):
    # 十、…其中基本支出713.55万元: 基本支出 is T3's 714.11 (line 280) or T5's 713.55 (line 476); T5 is meant
    result = seed_report.result("narrative.amount_matches_table")
    (c,) = [c for c in result.compared if c.location.startswith("十、第30句") and c.subject == "基本支出"]
    assert (c.against, c.verdict) == ("表5 713.55万元", "ok")


def test_amount_equal_to_no_cell_is_graded_against_the_one_within_rounding(seed_disclosure):
    # 713.56: 0.56万元 off T3's 714.11, 0.01万元 off T5's 713.55 — a rounding difference with T5
    report = run(edited(seed_disclosure, "其中基本支出713.55万元", "其中基本支出713.56万元"))
    result = report.result("narrative.amount_matches_table")
    (f,) = [f for f in result.findings if f.actual == "713.56万元"]
    assert (f.severity, f.expected, f.difference, f.table) == ("rounding", "713.55万元", "0.01万元", "T5")


def test_unchecked_amounts_are_listed(seed_report):
    (info,) = [f for f in seed_report.result("narrative.amount_matches_table").findings if f.severity == "info"]
    assert "政府采购预算总额60.65万元" in info.message  # no table holds 政府采购


def test_amount_in_yuan_with_separators_matches_the_table(seed_disclosure):
    report = run(edited(seed_disclosure, "人员经费685.11万元", "人员经费6,851,100元"))
    assert report.status("narrative.amount_matches_table") == "pass"
    assert errors(report, "narrative.internal_sums") == []


def test_changed_growth_rate_is_an_error(seed_disclosure):
    report = run(edited(seed_disclosure, "增长37.39%", "增长33.39%"))
    (f,) = errors(report, "narrative.change_rate_consistent")
    assert f.actual == "33.39%" and f.expected.startswith("37.39")


def test_removed_reason_is_a_warning(seed_disclosure):
    report = run(edited(seed_disclosure, "，原因是人员减少，公用经费相应减少", ""))
    warnings = report.result("narrative.change_has_reason").findings
    assert len(warnings) == 2 and any("2.4万元" in f.location for f in warnings)


def test_listed_item_missing_from_table(seed_disclosure):
    report = run(edited(seed_disclosure, "奖金、", "加班费、"))
    (f,) = errors(report, "narrative.items_exist")
    assert f.actual == "加班费" and f.table == "T6"
    moved = run(edited(seed_disclosure, "绩效工资、", "办公费、"))
    (f,) = errors(moved, "narrative.items_exist")
    assert f.actual == "办公费" and "不属于" in f.message


def test_procurement_sum(seed_disclosure):
    report = run(edited(seed_disclosure, "服务预算39.00万元", "服务预算38.00万元"))
    (f,) = errors(report, "narrative.procurement_sum")
    assert f.expected == "60.65万元" and f.actual == "59.65万元"


def test_performance_count(seed_disclosure):
    report = run(edited(seed_disclosure, "二级项目16个", "二级项目15个"))
    found = errors(report, "narrative.performance_counts")
    assert {f.table for f in found} == {"T12", "forms"} and all(f.actual == "15" for f in found)


def _with_prior(seed, t11_total_wan, t1_grand_wan, t5_total_wan):
    prior = copy.deepcopy(seed)
    prior.meta.year = seed.meta.year - 1
    t11 = prior.tables["T11"].part("main")
    t11.loc[t11["kind"] == "total", "total"] = int(t11_total_wan * 1_000_000)
    inc = prior.tables["T1"].parts["income"]
    inc.loc[inc["key"] == "grand_total", "amount"] = int(t1_grand_wan * 1_000_000)
    exp = prior.tables["T1"].parts["expenditure"]
    exp.loc[exp["key"] == "grand_total", "total"] = int(t1_grand_wan * 1_000_000)
    t5 = prior.tables["T5"].part("main")
    t5.loc[t5["kind"] == "total", "total"] = int(t5_total_wan * 1_000_000)
    return prior


def test_change_against_prior_year_data(seed_disclosure):
    # priors implied by the text: 机关运行经费 30.84, 收支总计 1506.50, 一般公共预算当年支出 1211.65
    ok = run(seed_disclosure, prior=_with_prior(seed_disclosure, 30.84, 1506.50, 1211.65))
    assert ok.status("narrative.change_vs_prior_year") == "pass"
    bad = run(seed_disclosure, prior=_with_prior(seed_disclosure, 31.84, 1506.50, 1211.65))
    found = errors(bad, "narrative.change_vs_prior_year")
    assert found and all("机关运行经费" in f.message for f in found)
    assert any(f.expected == "3.40万元" for f in found)


# ---------------------------------------------------------------- narrative-only excerpts


def excerpt(text):
    return Disclosure(meta=Metadata(department="", department_code="", year=2024, template="shanxi-county-13",
                                    slug="excerpt"), narrative=segment_narrative(text))


def test_excerpt_of_the_seed_checks_what_the_text_supports(seed_disclosure):
    text = "第三部分 2024年度部门预算情况说明\n" + seed_disclosure.narrative.text.split("\n", 1)[1]
    d = parse_text(text, "excerpt.txt", require_tables=False)
    assert d.tables == {}
    report = run(d)
    assert report.status("narrative.share_recomputed") == "pass"
    assert report.status("narrative.change_rate_consistent") == "pass"
    assert report.status("narrative.procurement_sum") == "pass"
    for rid in ("narrative.amount_matches_table", "narrative.items_exist", "narrative.performance_counts"):
        assert report.status(rid) == "insufficient_data", rid


@pytest.mark.parametrize("text, rule_id, status", [
    ("本年支出总计1,200万元，比上年增加200万元，增长20%，主要原因是新增项目。", "narrative.change_rate_consistent", "pass"),
    ("本年支出总计1,200万元，比上年增加200万元，增长25%，主要原因是新增项目。", "narrative.change_rate_consistent", "fail"),
    ("机关运行经费90万元，比上年减少10万元，下降10%，原因是压减开支。", "narrative.change_rate_consistent", "pass"),
    ("机关运行经费90万元，比上年减少10万元，下降11.11%，原因是压减开支。", "narrative.change_rate_consistent", "fail"),
    ("运行经费900000元，同比减少100000元，下降10.00%。", "narrative.change_has_reason", "fail"),
    ("基本支出300万元，与上年持平。", "narrative.change_has_reason", "not_applicable"),
    ("政府采购预算总额100万元。其中：政府采购货物预算40万元、政府采购工程预算0万元、政府采购服务预算60万元。",
     "narrative.procurement_sum", "pass"),
    ("政府采购预算总额100万元。其中：政府采购货物预算40万元、政府采购工程预算10万元、政府采购服务预算60万元。",
     "narrative.procurement_sum", "fail"),
    ("支出预算2,000.00万元，其中：基本支出500.00万元，占25.00%；项目支出1,500.00万元，占75.00%。",
     "narrative.share_recomputed", "pass"),
    ("支出预算2000万元，其中：基本支出500万元，占20%；项目支出1500万元，占80%。", "narrative.share_recomputed", "fail"),
])
def test_excerpt_phrasings(text, rule_id, status):
    assert run(excerpt(text)).status(rule_id) == status


def test_no_three_public_statement_against_table_10(seed_disclosure):
    # line 880: 本部门无“三公”经费预算。 and T10 line 677: 注：本表无数据 → consistent
    assert run(seed_disclosure).status("narrative.none_statement_vs_table") == "pass"
    d = copy.deepcopy(seed_disclosure)
    t10 = d.tables["T10"]
    t10.declared_empty = False
    frame = t10.part("main")
    frame.loc[frame["key"] == "grand_total", "total"] = 2_000_000
    (f,) = errors(run(d), "narrative.none_statement_vs_table")
    assert f.table == "T10" and f.actual == "2.00万元"


# ---------------------------------------------------------------- arithmetic properties

from decimal import ROUND_HALF_UP, Decimal  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from budgetkit.checks.claims.arithmetic import change_rate, classify_ratio, share  # noqa: E402

Q = 10_000  # 0.01 万元 in 分


@given(prior=st.integers(1, 10**7), current=st.integers(1, 10**7), decimals=st.integers(0, 3))
def test_consistent_printed_changes_are_never_errors(prior, current, decimals):
    if prior == current:
        return
    direction = 1 if current > prior else -1
    change = abs(current - prior)
    printed = (Decimal(change) / Decimal(prior) * 100).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    exact, low, high = change_rate(current * Q, Q, change * Q, Q, direction)
    assert classify_ratio(exact, low, high, printed, decimals) == "ok"


@given(part=st.integers(0, 10**7), rest=st.integers(0, 10**7))
def test_shares_printed_from_rounded_amounts_are_never_errors(part, rest):
    # the amounts are printed rounded to 0.01万元 while the share was computed from the exact 分
    whole = part + rest
    if whole == 0:
        return
    exact_part, exact_whole = part * Q + 3_333, whole * Q + 3_333  # true values off the printed grid
    printed = (Decimal(exact_part) / Decimal(exact_whole) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    ratio, low, high = share(part * Q, Q, whole * Q, Q)
    assert classify_ratio(ratio, low, high, printed, 2) in ("ok", "rounding")


def test_seed_narrative_against_hand_typed_tables(seed_disclosure):
    """Independent of the table parser: the narrative against the 13 tables typed in by hand."""
    from seed_tables_hand import hand_seed

    d = hand_seed()
    d.narrative = seed_disclosure.narrative
    report = run(d)
    for rid in ("narrative.amount_matches_table", "narrative.share_recomputed", "narrative.items_exist", "narrative.performance_counts",
                "narrative.none_statement_vs_table"):
        assert report.status(rid) == "pass", rid
    assert [f for f in report.findings if f.severity == "error"] == []
