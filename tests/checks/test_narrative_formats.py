"""Narrative claims in the Shanghai 部门预算 and national 部门决算 phrasings (issue 12, part 1).

Excerpts restate real sentences of the development PDFs in ../shared/samples (file and page
given with each); where a test needs a wrong version, the change to the real sentence is said.
The last tests run every narrative rule on each development PDF and list the errors and
warnings left: each one is a genuine inconsistency of that document (see the comments).
"""

from __future__ import annotations

import copy
from functools import lru_cache

import pytest
from project_files import SAMPLES

from budgetkit.checks import run_rules
from budgetkit.checks.claims.claims import extract_claims
from budgetkit.core.model import Disclosure, Metadata
from budgetkit.core.template import load_template
from budgetkit.dataset.narrative import segment_narrative
from budgetkit.extract import parse_source, parse_text

SH, NAT = "shanghai-district-budget", "national-final-accounts"


def excerpt(text: str, template: str = SH, year: int | None = 2024) -> Disclosure:
    return Disclosure(meta=Metadata(department="", department_code="", year=year, template=template, slug="excerpt"),
                      narrative=segment_narrative(text))


def run(d: Disclosure):
    return run_rules(d, select=["narrative."])


def found(report, rule_id: str, *severities: str):
    return [f for f in report.result(rule_id).findings if f.severity in (severities or ("error", "warning"))]


def claims(text: str, template: str = SH):
    return extract_claims(segment_narrative(text), load_template(template))


@lru_cache(maxsize=None)
def sample(name: str) -> Disclosure:
    path = SAMPLES / name
    assert path.is_file(), f"development PDF missing: {path} (../shared/samples beside the checkout)"
    return parse_source(path)


def with_narrative(d: Disclosure, old: str, new: str) -> Disclosure:
    assert old in d.narrative.text, old
    d = copy.deepcopy(d)
    name = d.narrative.name
    d.narrative = segment_narrative(d.narrative.text.replace(old, new, 1))
    d.narrative.name = name
    return d


# ---------------------------------------------------------------- Shanghai: 当年预算执行数 … 预算安排 … 比…预算执行数增加R%

# 万里街道 2023 部门预算, p.6, item 1 (as printed; (2.63 − 1.48) ÷ 1.48 = 77.70%)
WANLI_ITEM = ("1.“一般公共服务支出（类）统计信息事务（款）统计管理（项）”2.63万元，主要用于统计管理。"
              "2022年当年预算执行数为1.48万元，2023年预算安排2.63万元，比2022年预算执行数增加77.70%。"
              "主要原因是：统计管理经费增加。")


def test_execution_phrasing_is_read():
    cs = claims(WANLI_ITEM)
    (change,) = [c for c in cs if c.kind == "change"]
    prior, base = cs[change.stated_prior], cs[change.refers_to]
    assert (prior.money.fen, prior.measure) == (1_480_000, "prior")
    assert (base.money.fen, base.measure) == (2_630_000, "current")
    assert change.basis == "2022年预算执行数" and change.direction == 1
    # every amount of the item is about the 项 the paragraph names
    assert {c.subject_key for c in cs if c.kind == "amount"} == {"path:一般公共服务支出/统计信息事务/统计管理"}


@pytest.mark.parametrize("text, status", [
    (WANLI_ITEM, "pass"),
    # 万里街道 2023, p.6, item 3 as printed: (45.41 − 11.67) ÷ 11.67 = 289.12%, not 314.82% (a real error)
    ("3.“一般公共服务支出（类）群众团体事务（款）一般行政管理事务（项）”45.41万元，主要用于群众团体事务一般行政管理事务。"
     "2022年当年预算执行数为11.67万元，2023年预算安排45.41万元，比2022年预算执行数增加314.82%。", "fail"),
    # the right rate with the wrong direction word
    (WANLI_ITEM.replace("增加77.70%", "减少77.70%"), "fail"),
    # 万里街道 2023, p.7, item 8: 持平 with equal amounts; and with unequal ones (changed)
    ("8.“公共安全支出（类）司法（款）公共法律服务（项）”15.00万元。2022年当年预算执行数为15.00万元，2023年预算安排15.00万元，"
     "比2022年预算执行数持平。主要原因是：公共法律服务经费保持不变。", "pass"),
    ("8.“公共安全支出（类）司法（款）公共法律服务（项）”16.00万元。2022年当年预算执行数为15.00万元，2023年预算安排16.00万元，"
     "比2022年预算执行数持平。", "fail"),
    # 万里街道 2024, p.7, item 9: nothing the year before, written 100% (no rate exists: reported as info)
    ("9.“教育支出（类）其他教育支出（款）其他教育支出（项）”25.00万元。2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，"
     "比2023年预算执行数增加100.00%。主要原因是：项目调整。", "pass"),
])
def test_execution_rates(text, status):
    assert run(excerpt(text)).status("narrative.change_rate_consistent") == status


def test_zero_prior_execution_is_information():
    report = run(excerpt("9.“教育支出（类）其他教育支出（款）其他教育支出（项）”25.00万元。2023年当年预算执行数为0.00万元，"
                         "2024年预算安排25.00万元，比2023年预算执行数增加100.00%。主要原因是：项目调整。"))
    (f,) = report.result("narrative.change_rate_consistent").findings
    assert f.severity == "info" and "除数为0" in f.message


def test_flat_with_the_prior_year_is_no_implied_zero():
    # 财政局 2025 部门预算, p.22: 2025年“三公”经费预算数为0.95万元，与2024年预算持平。
    report = run(excerpt("一、2025年“三公”经费预算情况说明\n2025年“三公”经费预算数为0.95万元，与2024年预算持平。"
                         "其中：\n（一）因公出国（境）费0万元，与2024年预算持平，此项经费由区统筹安排。"))
    assert report.status("narrative.change_rate_consistent") == "pass"
    assert not any("隐含" in f.message for f in report.findings)
    assert report.status("narrative.change_has_reason") == "not_applicable"  # 持平 needs no reason


# 财政局 2025 部门预算, p.7: three increases, the reason in the sentence after them
FINANCE_2025_P7 = ("2025年，上海市普陀区财政局收入预算3,121.42万元，其中：财政拨款收入3,121.42万元，比2024年预算增加107.62万元；"
                   "事业收入0万元；事业单位经营收入0万元；其他收入0万元。\n"
                   "支出预算3,121.42万元，其中：财政拨款支出预算3,121.42万元，比2024年预算增加107.62万元。\n"
                   "财政拨款支出预算中，一般公共预算拨款支出预算3,121.42万元，比2024年预算增加107.62万元；政府性基金拨款支出预算0万元，"
                   "与2024年预算持平；国有资本经营预算拨款支出预算0万元，与2024年预算持平。\n"
                   "财政拨款收入支出增加的主要原因是人员经费增加、信息化系统日常维护费和中介机构服务费增加项目经费支出。")


def test_reason_in_the_next_sentence():
    assert run(excerpt(FINANCE_2025_P7)).status("narrative.change_has_reason") == "pass"


def test_missing_reason_is_one_finding_not_three():
    report = run(excerpt(FINANCE_2025_P7.rsplit("\n", 1)[0]))
    (f,) = found(report, "narrative.change_has_reason")
    assert f.severity == "warning" and f.message.count("107.62万元") == 3


def test_reason_of_the_next_item_explains_nothing():
    # 万里街道 2023, p.6 items 1 and 2, item 1's reason removed: item 2's reason does not cover it
    text = (WANLI_ITEM.replace("主要原因是：统计管理经费增加。", "") + "\n"
            "2.“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”60.13万元，主要用于统计管理。"
            "2022年当年预算执行数为30.00万元，2023年预算安排60.13万元，比2022年预算执行数增加100.43%。"
            "主要原因是：2023年新增专项普查活动经费。")
    (f,) = found(run(excerpt(text)), "narrative.change_has_reason")
    assert "77.70%" in f.location


def test_reason_that_says_the_opposite():
    # 万里街道 2024, p.6, item 4 as printed: a decrease explained by "…经费增加"
    text = ("4.“一般公共服务支出（类）宣传事务（款）一般行政管理事务（项）”110.60万元，主要用于宣传事务一般行政管理事务。"
            "2023年当年预算执行数为114.00万元，2024年预算安排110.60万元，比2023年预算执行数减少2.98%。"
            "主要原因是：宣传事务一般行政管理事务经费增加。")
    report = run(excerpt(text))
    assert report.status("narrative.change_rate_consistent") == "pass"
    (f,) = found(report, "narrative.change_has_reason")
    assert "相反" in f.message
    assert run(excerpt(text.replace("经费增加", "经费减少"))).status("narrative.change_has_reason") == "pass"


def test_enumerated_breakdown_and_reasons_given_by_the_parts():
    # 万里街道 2024, p.32 (一、2024年“三公”经费预算情况说明), as printed: 47.91 = 0 + 46.56 + 1.35
    text = ("一、2024年“三公”经费预算情况说明\n2024年“三公”经费预算数为47.91万元，比2023年预算增加25万元。其中：\n"
            "（一）因公出国（境）费0万元，比2023年预算持平。主要原因是因公出国（境）费保持不变。\n"
            "（二）公务用车购置及运行费46.56万元，比2023年预算增加25万元，主要原因是购置公务用车。其中：公务用车购置费25万元，"
            "比2023年预算增加25万元，主要原因是购置公务用车；公务用车运行费21.56万元，比2023年预算持平，主要原因是公务车用车运行费保持不变。\n"
            "（三）公务接待费1.35万元。比2023年预算持平，主要原因是公务接待费保持不变。")
    report = run(excerpt(text))
    assert report.status("narrative.internal_sums") == "pass"
    assert report.status("narrative.change_has_reason") == "pass"  # the total's increase: reasons in （二）
    (f,) = found(run(excerpt(text.replace("（三）公务接待费1.35万元", "（三）公务接待费2.35万元"))), "narrative.internal_sums")
    assert f.expected == "47.91万元" and f.actual == "48.91万元"


def test_change_clause_is_no_part_of_a_breakdown():
    # 万里街道 2023, p.6, sentence 2 as printed (the basis carries an aside: 比2022年（上一年度，下同）预算)
    text = ("2023年，上海市普陀区人民政府万里街道办事处收入预算16497.86万元，其中：财政拨款收入16497.86万元，"
            "比2022年（上一年度，下同）预算增加1421.25万元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。")
    cs = claims(text)
    assert [c.money.fen for c in cs if c.kind == "change"] == [1_421_250_000]
    assert run(excerpt(text)).status("narrative.internal_sums") == "pass"


def test_increase_to_nothing_is_an_error():
    # 万里街道 2023, p.6, sentence 4 as printed: 政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元
    text = "财政拨款支出预算中，一般公共预算拨款支出预算16497.86万元；政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元。"
    (f,) = found(run(excerpt(text)), "narrative.change_rate_consistent")
    assert "负数" in f.message and "-1421.25万元" in f.message


def test_vehicles_are_not_counted_with_equipment():
    # 万里街道 2024, p.32 (五、国有资产占有使用情况), as printed: 7辆 = 0+…+7, then 0台（套） of equipment
    text = ("五、国有资产占有使用情况\n截至2023年8月31日，本部门共有车辆7辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、"
            "机要通信用车0辆、应急保障用车0辆、执法执勤用车0辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车7辆；"
            "单价100万元（含）以上设备（不含车辆）0台（套）。")
    cs = claims(text)
    head = next(c for c in cs if c.kind == "count" and c.count == 7 and c.breakdown_of is None)
    parts = [c for c in cs if c.breakdown_of == head.index]
    assert len(parts) == 8 and {c.count_unit for c in parts} == {"辆"}
    assert run(excerpt(text)).status("narrative.internal_sums") == "pass"
    assert run(excerpt(text.replace("其他用车7辆", "其他用车6辆"))).status("narrative.internal_sums") == "fail"


def test_asset_thresholds_are_no_amounts_to_add():
    # 万里街道 2023, p.29 (五、国有资产占有情况), as printed
    text = ("五、国有资产占有情况\n固定资产3149.52万元，其中：房屋14609.83平方米；车辆7辆（一般公务用车3辆，执法执勤用车4辆，"
            "特种专业技术用车0辆，其他用车0辆）；单价50万元以上通用设备0台/套；专用设备818台/套（其中：单价100万元以上专用设备0台/套）；"
            "其他固定资产0万元。")
    cs = claims(text)
    assert [c.threshold for c in cs if c.kind == "amount"] == [False, True, True, False]
    report = run(excerpt(text))
    assert found(report, "narrative.internal_sums") == []


def test_floor_areas_and_what_a_parenthesis_covers():
    # 万里街道 2023–2025, 项目经费情况说明 一、项目概况, as printed: the parenthesis breaks down 地上建筑面积;
    # 7998 + 105 = 8103 ≠ 8013, and 8103 + 5356 = 13459: one misprint (8013 for 8103), one finding
    text = ("一、项目概况\n本工程规划建筑面积约为13459平方米，其中地上建筑面积为8013平方米（其中计容面积7998平方米，"
            "不计容面积105平方米），地下建筑面积为5356平方米，建筑高度为29.8米，地上主楼7层，裙房3层，地下2层。")
    (f,) = found(run(excerpt(text)), "narrative.internal_sums")
    assert f.actual == "8013平方米" and f.expected == "8103平方米" and "8013平方米疑为8103平方米之误" in f.message
    assert run(excerpt(text.replace("8013", "8103"))).status("narrative.internal_sums") == "pass"


@pytest.mark.parametrize("inner, status", [("维护费12万元", "pass"), ("维护费10万元", "fail")])
def test_parenthetical_parts_are_one_part(inner, status):
    # the example: 运行费12万元（其中：购置费0万元，维护费12万元） is one part of 20 = 8 + 12, not three
    text = f"“三公”经费预算20万元，其中：公务接待费8万元，公务用车运行费12万元（其中：购置费0万元，{inner}）。"
    report = run(excerpt(text, template="shanxi-county-13"))
    assert report.status("narrative.internal_sums") == status
    for f in found(report, "narrative.internal_sums"):
        assert f.expected == "12.00万元"  # only the inner breakdown is wrong


# ---------------------------------------------------------------- national 部门决算


@pytest.mark.parametrize("rate, status", [("98.20%", "pass"), ("98.30%", "fail")])
def test_completion_rate(rate, status):
    # 财政局 2024 部门决算, p.21 (R = 2940.05 ÷ 2993.92 = 98.20%)
    text = ("五、一般公共预算财政拨款支出决算情况说明\n一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，"
            f"完成年初预算的{rate}。\n决算数小于预算数的主要原因：因年度工作计划安排，个别信息化项目和中介机构服务调减。")
    report = run(excerpt(text, NAT))
    assert report.status("narrative.budget_execution") == status
    assert report.status("narrative.change_has_reason") == "pass"


def test_truncated_completion_rate_is_rounding():
    # 规划和自然资源局 2024, p.21: 9746.50 ÷ 10210.34 = 95.457%, printed 95.45% (cut off, not rounded)
    text = "一般公共预算财政拨款支出年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的95.45%。"
    (f,) = run(excerpt(text, NAT)).result("narrative.budget_execution").findings
    assert f.severity == "rounding" and "截尾" in f.message


def test_completion_in_the_next_sentence_and_the_stated_comparison():
    # 规划和自然资源局 2024, p.22, item 5 as printed
    text = ("5、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位退休人员活动费支出（项）。\n主要用于：退休人员开展活动支出。\n"
            "年初预算为0.88万元，支出决算为0.88万元。\n完成年初预算的100.00%。\n决算数同预算数持平。")
    assert run(excerpt(text, NAT)).status("narrative.budget_execution") == "pass"
    # 财政局 2024, p.22, item 1, with the comparison word changed from 小于 to 大于
    text = ("1、一般公共服务支出（类）财政事务（款）行政运行（项）。\n年初预算为1560.05万元，支出决算为1511.89万元。\n"
            "决算数大于预算数的主要原因：人员进出及退休变化，减少人员经费开支。")
    (f,) = found(run(excerpt(text, NAT)), "narrative.budget_execution")
    assert f.expected == "小于" and f.actual == "大于"


def test_gap_between_budget_and_actual_needs_a_reason():
    text = "1、一般公共服务支出（类）财政事务（款）行政运行（项）。\n年初预算为1560.05万元，支出决算为1511.89万元。"
    (f,) = found(run(excerpt(text, NAT)), "narrative.change_has_reason")
    assert "差异的原因" in f.message


@pytest.mark.parametrize("rate, status", [("1.87%", "pass"), ("1.78%", "fail")])
def test_subject_named_after_the_basis(rate, status):
    # 财政局 2024, p.21: 2995.39 − 56.95 = 3052.34; 56.95 ÷ 3052.34 = 1.87%
    text = ("一、收入支出决算总体情况说明\n上海市普陀区财政局2024年度收入支出总计2995.39万元。\n"
            f"与2023年度相比，收入支出总计减少56.95万元，下降{rate}。\n主要原因：基本支出中人员进出及退休变化。")
    report = run(excerpt(text, NAT))
    assert report.status("narrative.change_rate_consistent") == status
    assert report.status("narrative.change_has_reason") == "pass"


def test_three_public_shares_and_changes_against_their_own_totals():
    # 规划和自然资源局 2024, p.25, as printed (the share of 公务接待费 is of the 三公 决算 0.39, not of "减少0.15万元")
    text = ("七、财政拨款“三公”经费支出决算情况说明\n（一）“三公”经费财政拨款支出决算总体情况说明。\n"
            "“三公”经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，完成预算的13.68%，其中：因公出国（境）费决算为0.00万元，"
            "完成预算的0.00%；公务用车购置及运行维护费支出决算为0.00万元，完成预算的0.00%；公务接待费支出决算为0.39万元，完成预算的13.68%。\n"
            "2024年度“三公”经费支出决算数小于预算数的主要原因：严格落实中央八项规定，控制“三公”经费支出。\n"
            "2024年度“三公”经费财政拨款支出决算数比2023年度减少0.15万元，下降27.78%，其中：因公出国（境）费支出与上一年度持平；"
            "公务用车购置及运行维护费支出与上一年度持平；公务接待费支出决算减少0.15万元，下降27.78%。\n"
            "公务接待费支出减少的主要原因是严格落实中央八项规定，控制“三公”经费支出。\n"
            "（二）“三公”经费财政拨款支出决算具体情况说明。\n"
            "“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0.00万元，占0.00%；公务用车购置及运行维护费支出决算0.00万元，"
            "占0.00%；公务接待费支出决算0.39万元，占100.00%。")
    report = run(excerpt(text, NAT))
    for rule_id in ("narrative.share_recomputed", "narrative.change_rate_consistent", "narrative.change_has_reason",
                    "narrative.internal_sums"):
        assert report.status(rule_id) == "pass", rule_id
    # the sub-items' completion rates need their budgets: in the table (表7), not in the text
    assert found(report, "narrative.budget_execution") == []
    cs = claims(text, NAT)
    bare = [c for c in cs if c.kind == "change" and not c.basis]
    assert len(bare) == 1 and bare[0].subject_key == "reception" and cs[bare[0].refers_to].money.fen == 390_000


@pytest.mark.parametrize("rate, status", [("4.17%", "pass"), ("4.71%", "fail")])
def test_same_period_with_amount_and_rate(rate, status):
    # "收入总预算…同比增加A万元，同比增长R%": 50 ÷ (1250 − 50) = 4.17%
    text = f"2024年收入总预算1,250.00万元，同比增加50.00万元，同比增长{rate}，主要原因是新增项目。"
    assert run(excerpt(text)).status("narrative.change_rate_consistent") == status


@pytest.mark.parametrize("text, status", [
    ("一般公共预算支出1540888.00元，其中：基本支出预算1234567.89元，占一般公共预算支出的80.12%；项目支出预算306320.11元，占19.88%。",
     "pass"),
    ("一般公共预算支出1540888.00元，其中：基本支出预算1234567.89元，占一般公共预算支出的81.12%；项目支出预算306320.11元，占19.88%。",
     "fail"),
])
def test_amounts_in_yuan_with_decimals(text, status):
    assert run(excerpt(text)).status("narrative.share_recomputed") == status


# ---------------------------------------------------------------- excerpts without a year


def test_excerpt_without_a_year_is_checked():
    # the excerpt: no year anywhere, so nothing to say about the year — but it is read
    lone = "基本支出预算1234567.89元，占一般公共预算支出的80.12%。"
    d = parse_text(lone, "excerpt.txt", require_tables=False)
    assert d.meta.year is None
    report = run(d)
    assert report.status("narrative.share_recomputed") == "insufficient_data"  # the denominator is not in the text
    stated = "一般公共预算支出1540888.00元，其中：" + lone
    assert run(parse_text(stated, "excerpt.txt", require_tables=False)).status("narrative.share_recomputed") == "pass"
    wrong = stated.replace("80.12%", "88.12%")
    assert run(parse_text(wrong, "excerpt.txt", require_tables=False)).status("narrative.share_recomputed") == "fail"


def test_check_command_on_an_excerpt_without_a_year(tmp_path, capsys):
    from budgetkit.run.cli import main

    path = tmp_path / "excerpt.txt"
    path.write_text("一般公共预算支出1540888.00元，其中：基本支出预算1234567.89元，占一般公共预算支出的80.12%；"
                    "项目支出预算306320.11元，占19.88%。\n", encoding="utf-8")
    assert main(["check", str(path), "--json"]) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert {"id": "narrative.share_recomputed", "status": "pass"} in out["rules"]


# ---------------------------------------------------------------- against the tables of the development PDFs


def test_financial_total_misstated_in_a_final_account():
    # 财政局 2024 部门决算, p.21: 财政拨款收入支出总计0.3万元; 表4 总计 2961.68万元
    report = run(sample("shanghai-putuo-finance-2024-final-accounts.pdf"))
    (f,) = [f for f in found(report, "narrative.amount_matches_table") if "0.3万元" in f.location]
    assert f.table == "T4" and f.expected == "2961.68万元" and f.actual == "0.3万元"


def test_shanghai_subjects_are_named_as_written():
    d = sample("shanghai-putuo-finance-2025-dept-budget.pdf")
    report = run(with_narrative(d, "收入预算3,121.42万元", "收入预算3,121.24万元"))
    (f,) = [f for f in found(report, "narrative.amount_matches_table") if "3,121.24" in f.actual]
    assert "“收入预算”" in f.message and "表1收入总计" in f.message


def test_yuan_tables_against_wan_narrative():
    # 万里街道 2024: 表1 收入总计 156,211,1xx 元 is written 15621.11万元 — the same amount, no finding
    report = run(sample("shanghai-putuo-wanli-2024-dept-budget.pdf"))
    assert not [f for f in report.result("narrative.amount_matches_table").findings if f.severity == "rounding"]


def test_misprinted_amount_with_the_right_rate_is_one_finding():
    # 万里街道 2024, p.9, item 31: 表5 住房公积金 350.35万元; "2024年预算安排352.67万元"; the rate 0.53% is right for 350.35
    report = run(sample("shanghai-putuo-wanli-2024-dept-budget.pdf"))
    assert [f.actual for f in found(report, "narrative.amount_matches_table")] == ["352.67万元"]
    assert not [f for f in found(report, "narrative.change_rate_consistent") if "0.53%" in f.location]
    (info,) = [f for f in report.result("narrative.change_rate_consistent").findings if "0.53%" in f.location]
    assert info.severity == "info" and "350.35万元" in info.message


def test_national_items_against_table_6():
    # 规划和自然资源局 2024, p.24: 奖金、奖励金、其他对个人和家庭的补助支出 and 税金及附加费用 are 0.00 in 表6
    report = run(sample("shanghai-putuo-planning-2024-final-accounts.pdf"))
    lists = found(report, "narrative.items_exist")
    assert sorted(f.actual for f in lists) == ["奖金、奖励金、其他对个人和家庭的补助支出", "税金及附加费用"]
    assert {f.severity for f in lists} == {"warning"}


# Every narrative error and warning left on each development PDF, each a genuine inconsistency of the document:
EXPECTED = {
    "national-final-accounts-template-2024.pdf": set(),  # the blank template: nothing to check
    "shanghai-putuo-finance-2024-final-accounts.pdf": {
        ("narrative.amount_matches_table", "0.3万元"),  # p.21 财政拨款收入支出总计0.3万元, 表4 2961.68
        ("narrative.share_recomputed", "71.73%"),  # p.21 2106.66 ÷ 2940.05 = 71.65% (the four shares add to 100.07%)
        ("narrative.items_exist", "个人农业生产补贴"),  # p.23 listed under 人员经费, blank in 表6
    },
    "shanghai-putuo-finance-2025-dept-budget.pdf": {
        ("narrative.amount_matches_table", "887.36万元"),  # p.7 职业年金缴费支出, 表5 873,617.00元 = 87.36万元
    },
    "shanghai-putuo-planning-2024-final-accounts.pdf": {
        ("narrative.amount_matches_table", "5377.64万元"),  # p.24 一般公共预算财政拨款基本支出, 表5/表6 5364.75 (5377.64 is 表3's all-funds)
        ("narrative.amount_matches_table", "4896.98万元"),  # p.24 人员经费, 表6 人员经费合计 4884.09
        ("narrative.items_exist", "奖金、奖励金、其他对个人和家庭的补助支出"),  # p.24, 0.00 in 表6
        ("narrative.items_exist", "税金及附加费用"),  # p.24, 0.00 in 表6
    },
    "shanghai-putuo-wanli-2023-dept-budget.pdf": {
        ("narrative.amount_matches_table", "441.25万元"),  # p.7 item 16 预算安排441.25, 表5 职业年金 220.63
        ("narrative.change_rate_consistent", "1421.25万元"),  # p.6 政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元
        ("narrative.change_rate_consistent", "314.82%"),  # p.6 item 3: (45.41 − 11.67) ÷ 11.67 = 289.12%
        ("narrative.change_rate_consistent", "60.54%"),  # p.7 item 16: (441.25 − 132.59) ÷ 132.59 = 232.79% (item 15's rate)
        ("narrative.internal_sums", "8013平方米"),  # p.30 7998 + 105 = 8103; 8103 + 5356 = 13459
    },
    "shanghai-putuo-wanli-2024-dept-budget.pdf": {
        ("narrative.amount_matches_table", "352.67万元"),  # p.9 item 31, 表5 住房公积金 350.35
        ("narrative.change_has_reason", "经费增加"),  # p.6 item 4: 减少2.98%, 原因是…经费增加
        ("narrative.internal_sums", "8013平方米"),  # p.33, as in 2023
    },
    "shanghai-putuo-wanli-2025-dept-budget.pdf": {
        ("narrative.internal_sums", "8013平方米"),  # p.31, as in 2023
    },
    "shanghai-putuo-welfare-home-2024-unit-budget.pdf": {
        ("narrative.amount_matches_table", "738.66万元"),  # p.6 item 4 社会福利事业单位, 表5 696.48 (stated twice: one finding)
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_narrative_findings_on_the_development_pdfs(name):
    report = run(sample(name))
    left = {(f.rule, f.actual) for f in report.findings if f.severity in ("error", "warning")}
    assert left == EXPECTED[name]
    assert len([f for f in report.findings if f.severity in ("error", "warning")]) == len(EXPECTED[name])


def test_changes_against_the_prior_year_document():
    # 万里街道 2025 against its 2024 disclosure: 18,976.76 − 15621.11 = 3,355.65 (p.6), 三公 37.91 − 47.91 = −10 (p.30);
    # the 2024 tables print 元, the narrative 万元: the change of the printed amounts is no rounding difference
    d, prior = sample("shanghai-putuo-wanli-2025-dept-budget.pdf"), sample("shanghai-putuo-wanli-2024-dept-budget.pdf")
    report = run_rules(d, prior=prior, select=["narrative.change_vs_prior_year"])
    result = report.result("narrative.change_vs_prior_year")
    assert result.status == "pass" and result.findings == []
    changed = with_narrative(d, "比2024年预算减少10万元。", "比2024年预算减少12万元。")
    (f,) = run_rules(changed, prior=prior, select=["narrative.change_vs_prior_year"]).findings
    assert f.severity == "error" and f.expected == "10.00万元"
