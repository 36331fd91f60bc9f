"""The standard narrative generated from the seed's tables, compared with values read off the seed by hand."""

import copy

import pytest

from budgetkit.checks import run_rules
from budgetkit.dataset.narrative import segment_narrative
from budgetkit.present.generate import generate_narrative, side_by_side

HEADINGS = {"一": "部门预算收支数据变动情况及原因", "二": "收入预算情况说明", "三": "支出预算情况说明",
            "四": "财政拨款收支预算总体情况说明", "五": "一般公共预算支出情况说明", "六": "一般公共预算基本支出情况说明",
            "七": "“三公”经费增减变动原因说明", "八": "机关运行经费增减变动原因说明", "九": "政府采购情况",
            "十": "绩效管理情况"}


@pytest.fixture(scope="module")
def generated(seed_disclosure):
    return generate_narrative(seed_disclosure)


def test_sections_one_to_ten(generated):
    assert list(generated) == list(HEADINGS)


def test_totals_and_shares_match_the_seed(generated):
    # T1 lines 203-207: 本年收入合计 1664.74, 上年结转 51.99, 收入总计 1716.73; narrative line 822: 占96.97% / 3.03%
    assert "预算收入总计1,716.73万元，其中：本年收入1,664.74万元，上年结转51.99万元" in generated["一"]
    assert "一般公共预算拨款收入1,664.74万元，占96.97%" in generated["二"]
    assert "上年结转51.99万元，占3.03%" in generated["二"]
    # T3 line 280: 合计 1716.73 714.11 1002.61
    assert "基本支出714.11万元，占41.60%；项目支出1,002.61万元，占58.40%" in generated["三"]
    # T5 line 476ff: 1664.74, 201 1485.93 → 89.26%
    assert "一般公共服务支出1,485.93万元，占89.26%" in generated["五"]
    assert "支出包括：一般公共服务支出1,537.92万元、教育支出17.22万元" in generated["四"]


def test_personnel_and_public_items_from_table_6(generated):
    # T6 lines 534-583 (人员经费 rows and 公用经费 rows)
    text = generated["六"]
    assert "基本支出713.55万元，其中：人员经费685.11万元" in text and "公用经费28.44万元" in text
    personnel = text.split("人员经费685.11万元，主要包括：")[1].split("；")[0].split("、")
    assert set(personnel) == {"基本工资", "津贴补贴", "奖金", "绩效工资", "机关事业单位基本养老保险缴费",
                              "职工基本医疗保险缴费", "其他社会保障缴费", "住房公积金", "退休费", "生活补助"}
    public = text.split("公用经费28.44万元，主要包括：")[1].rstrip("。").split("、")
    assert public == ["办公费", "印刷费", "电费", "邮电费", "差旅费", "其他交通费用"]


def test_three_public_none_and_office_running(generated, seed_disclosure):
    assert generated["七"] == "本部门无“三公”经费预算。"  # T10 line 677: 注：本表无数据
    assert "机关运行经费财政拨款预算28.44万元" in generated["八"]  # T11 line 693
    assert "二级项目16个，共计金额951.19万元" in generated["十"]  # T12 line 708
    assert "公开项目绩效目标16个，涉及项目金额951.19万元，占部门（单位）项目支出总额的100.00%" in generated["十"]


def test_three_public_with_values(seed_disclosure):
    d = copy.deepcopy(seed_disclosure)
    t10 = d.tables["T10"]
    t10.declared_empty = False
    frame = t10.part("main")
    frame.loc[frame["key"] == "reception", "total"] = 1_500_000
    frame.loc[frame["key"] == "grand_total", "total"] = 1_500_000
    text = generate_narrative(d)["七"]
    assert "“三公”经费预算1.50万元" in text and "公务接待费1.50万元" in text


def test_generated_narrative_passes_the_narrative_checks(seed_disclosure, generated):
    d = copy.deepcopy(seed_disclosure)
    text = "\n".join(f"{k}、{HEADINGS[k]}\n{v}" for k, v in generated.items())
    d.narrative = segment_narrative(text)
    report = run_rules(d, select=["narrative."])
    assert [f for f in report.findings if f.severity == "error"] == []
    assert report.status("narrative.amount_matches_table") == "pass"
    assert report.status("narrative.share_recomputed") == "pass"


def test_side_by_side(seed_disclosure):
    table = side_by_side(seed_disclosure)
    assert list(table.columns) == ["section", "heading", "written", "should_be", "same", "verdict", "numbers"]
    assert list(table["section"]) == list(HEADINGS)
    row = table.set_index("section").loc["七"]
    assert row["written"] == "本部门无“三公”经费预算。" and bool(row["same"])
    assert "占96.97%" in table.set_index("section").loc["二", "written"]


def test_missing_tables_are_said_not_guessed(seed_disclosure):
    d = copy.deepcopy(seed_disclosure)
    del d.tables["T6"]
    text = generate_narrative(d)["六"]
    assert "缺少表6" in text  # the document's own numbering (was "表T6", a bug)


def test_changes_when_the_prior_year_is_given(seed_disclosure):
    # a prior year whose 机关运行经费 was 30.84万元: 28.44 − 30.84 = −2.40, 2.40/30.84 = 7.78% (seed line 884)
    prior = copy.deepcopy(seed_disclosure)
    frame = prior.tables["T11"].part("main")
    frame.loc[frame["kind"] == "total", "total"] = 30_840_000
    text = generate_narrative(seed_disclosure, prior)["八"]
    assert "28.44万元，比上年减少2.40万元，下降7.78%" in text
    assert "与上年持平" in generate_narrative(seed_disclosure, seed_disclosure)["五"]


def test_sections_differing_only_in_wording_are_said_so(seed_disclosure):
    table = side_by_side(seed_disclosure).set_index("section")
    # seed line 831: 三 writes "支出预算1716.73万元 … 项目支出1002.61万元" — the tables' numbers, without separators
    assert table.loc["三", "verdict"] == "仅措辞不同" and not table.loc["三", "same"]
    # 二 writes "政府性基金预算拨款收入0万元，占0%" where the standard says 0.00万元, 0.00%: the same numbers
    assert table.loc["二", "verdict"] == "仅措辞不同"
    # seed line 884: 八 adds the change from 2023 (2.4万元, 7.78%), which the tables alone cannot give
    assert table.loc["八", "verdict"] == "另有数字" and table.loc["八", "numbers"] == "公开文字另有：2.4万元、7.78%"
    assert table.loc["七", "verdict"] == "相同"
    assert table.loc["九", "verdict"] == "无标准表述"  # 政府采购 is not in the 13 tables


def test_a_changed_number_is_not_wording():
    from budgetkit.present.generate import compare_texts

    standard = "支出预算1,716.73万元，其中：基本支出714.11万元，占41.60%。"
    assert compare_texts("支出预算1716.73万元，基本支出714.11万元，占41.6%。", standard) == ("仅措辞不同", "")
    verdict, detail = compare_texts("支出预算1716.73万元，其中：基本支出714.12万元，占41.60%。", standard)
    assert verdict == "数字不同" and detail == "公开文字中没有：714.11万元；公开文字另有：714.12万元"


# ---------------------------------------------------------------- other formats (the development PDFs)

from functools import lru_cache  # noqa: E402

from project_files import SAMPLES  # noqa: E402

from budgetkit.extract import parse_source  # noqa: E402


@lru_cache(maxsize=None)
def sample(name):
    return parse_source(SAMPLES / name)


def _as_document(parts: dict[str, str], headings: dict[str, str], first: str = "") -> str:
    lines = [first] if first else []
    for key, text in parts.items():
        if headings.get(key):
            lines.append(headings[key])
        lines.append(text)
    return "\n".join(lines)


def test_shanghai_standard_text_reads_like_the_document():
    # 万里街道 2025 部门预算, p.6 and p.30: the department's own sentences, regenerated from its tables
    d, prior = sample("shanghai-putuo-wanli-2025-dept-budget.pdf"), sample("shanghai-putuo-wanli-2024-dept-budget.pdf")
    text = generate_narrative(d)
    assert list(text) == ["编制说明", "一", "二", "三", "四", "五"]
    assert text["编制说明"].startswith("2025年，上海市普陀区人民政府万里街道办事处收入预算18,976.76万元，其中：财政拨款收入18,976.76万元；"
                                   "事业收入0.00万元；事业单位经营收入0.00万元；其他收入0.00万元。")
    assert "1.“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”43.83万元。" in text["编制说明"]
    assert "33.“住房保障支出（类）城乡社区住宅（款）其他城乡社区住宅支出（项）”217.72万元。" in text["编制说明"]
    assert text["一"].startswith("2025年“三公”经费预算数为37.91万元。其中：\n（一）因公出国（境）费0.00万元。")
    assert "财政拨款的机关运行经费预算为464.64万元" in text["二"]
    with_prior = generate_narrative(d, prior)
    assert "财政拨款支出预算18,976.76万元，比2024年预算增加3,355.64万元" in with_prior["编制说明"]  # exact, from 元
    assert "2025年“三公”经费预算数为37.91万元，比2024年预算减少10.00万元" in with_prior["一"]
    assert "（三）公务接待费1.35万元，与2024年预算持平。" in with_prior["一"]


def test_shanghai_standard_text_passes_the_narrative_checks():
    d = copy.deepcopy(sample("shanghai-putuo-wanli-2025-dept-budget.pdf"))
    headings = {"一": "其他相关情况说明\n一、2025年“三公”经费预算情况说明", "二": "二、机关运行经费预算", "三": "三、政府采购预算情况",
                "四": "四、绩效目标设置情况", "五": "五、国有资产占有使用情况"}
    d.narrative = segment_narrative(_as_document(generate_narrative(d), headings, "2025年部门预算编制说明"))
    report = run_rules(d, select=["narrative."])
    assert [f for f in report.findings if f.severity in ("error", "warning")] == []
    assert report.status("narrative.amount_matches_table") == "pass"
    assert report.status("narrative.internal_sums") == "pass"  # 三公 37.91 = 0 + 36.56 + 1.35


def test_shanghai_side_by_side():
    table = side_by_side(sample("shanghai-putuo-wanli-2025-dept-budget.pdf")).set_index("section")
    assert table.loc["编制说明", "heading"] == "2025年部门预算编制说明"
    assert table.loc["编制说明", "written"].startswith("2025年，上海市普陀区人民政府万里街道办事处收入预算18,976.76万元")
    assert table.loc["一", "heading"] == "一、2025年“三公”经费预算情况说明"


def test_national_standard_text():
    # 规划和自然资源局 2024 部门决算, pp.20–25
    text = generate_narrative(sample("shanghai-putuo-planning-2024-final-accounts.pdf"))
    assert list(text) == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert text["一"] == "上海市普陀区规划和自然资源局2024年度收入支出总计9,859.38万元。"
    assert text["二"] == "本年收入合计9,746.50万元，其中：财政拨款收入9,746.50万元，占100.00%。"
    assert text["三"] == "本年支出合计9,759.38万元，其中：基本支出5,377.64万元，占55.10%；项目支出4,381.74万元，占44.90%。"
    assert "一般公共预算财政拨款支出9,746.50万元，占本年支出合计的99.87%。" in text["五"]  # the document cut it to 99.86%
    assert "1、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）。\n支出决算为54.53万元。" in text["五"]
    # 表5/表6, where the document wrote 5377.64 and listed 奖金 (0.00 in 表6)
    assert text["六"].startswith("一般公共预算财政拨款基本支出5,364.75万元。\n其中：人员经费4,884.09万元，主要包括：基本工资、津贴补贴、绩效工资")
    assert "奖金" not in text["六"]
    assert text["七"].startswith("“三公”经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，完成预算的13.68%")
    assert "公务接待费支出决算0.39万元，占100.00%" in text["七"]
    assert text["八"] == "上海市普陀区规划和自然资源局2024年度无政府性基金预算财政拨款收入和支出。"


def test_national_standard_text_passes_the_narrative_checks():
    d = copy.deepcopy(sample("shanghai-putuo-planning-2024-final-accounts.pdf"))
    headings = {k: f"{k}、{h}" for k, h in zip(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"], [
        "收入支出决算总体情况说明", "收入决算情况说明", "支出决算情况说明", "财政拨款收入支出决算总体情况说明",
        "一般公共预算财政拨款支出决算情况说明", "一般公共预算财政拨款基本支出决算情况说明", "财政拨款“三公”经费支出决算情况说明",
        "政府性基金预算财政拨款收入支出决算情况说明", "国有资本经营预算财政拨款收入支出决算情况说明", "预算绩效管理情况",
        "其他重要事项的情况说明"])}
    d.narrative = segment_narrative(_as_document(generate_narrative(d), headings))
    report = run_rules(d, select=["narrative."])
    # the reasons are the department's to write: the only warning is that the 三公 gap still needs one
    bad = [(f.rule, f.severity) for f in report.findings if f.severity in ("error", "warning")]
    assert bad == [("narrative.change_has_reason", "warning")]
    for rid in ("narrative.amount_matches_table", "narrative.share_recomputed", "narrative.items_exist",
                "narrative.budget_execution"):
        assert report.status(rid) == "pass", rid
