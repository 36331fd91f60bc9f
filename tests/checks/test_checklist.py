"""The inspection checklist (公开情况检查表) filled from the rule results, and the document rules it uses."""

from __future__ import annotations

import copy
import json

import pytest
from project_files import SAMPLES, SEED, SHIPPED

from budgetkit.checks import run_rules
from budgetkit.core.template import load_template
from budgetkit.dataset.store import load_dataset
from budgetkit.extract import parse_source
from budgetkit.run.cli import main


@pytest.fixture(scope="module")
def seed():
    return parse_source(SEED)  # the seed text: its sections are found in the text


@pytest.fixture(scope="module")
def wanli():
    path = SAMPLES / "shanghai-putuo-wanli-2025-dept-budget.pdf"
    assert path.is_file(), f"development PDF missing: {path}"
    return parse_source(path)


def rows(report):
    return {c.item: c for c in report.checklist}


def test_seed_checklist_items_in_the_paper_forms_order(seed):
    report = run_rules(seed)
    assert report.checklist_title == "2024年度部门预算公开情况检查表"
    items = [c.item for c in report.checklist]
    assert items[:6] == ["及时性", "封面", "目录", "部门职责", "机构设置", "预算情况说明"]
    assert items[6] == "表1 预算收支总表" and items[18] == "表13 项目支出预算表（上年结转）"
    assert items[19:] == ["项目支出绩效目标表", "名词解释"]
    r = rows(report)
    # the extracted seed text has no cover, 目录 or publication date: not checked, never 是
    assert [r[x].conforms for x in ("及时性", "封面", "目录")] == ["未核对"] * 3
    assert "源文件中没有封面" in r["封面"].unchecked[0]
    assert r["部门职责"].conforms == "是" and r["表3 预算支出总表"].conforms == "是"
    # seed line 850: 一般公共预算当年支出 比上年增加453.09万元，增长37.39% — no reason given
    assert r["预算情况说明"].conforms == "否"
    assert any("453.09万元" in p and "未说明增减变动的原因" in p for p in r["预算情况说明"].problems)
    # seed forms: 办公设备更新购置资金 is a one-year project with 实施期 642200 元 ≠ 年度 300000 元
    assert r["项目支出绩效目标表"].conforms == "否"
    assert any("642200元" in p and "300000元" in p for p in r["项目支出绩效目标表"].problems)


def test_a_broken_table_row_makes_its_item_no(seed):
    d = copy.deepcopy(seed)
    frame = d.tables["T3"].parts["main"]
    i = frame.index[frame["code"] == "2010601"][0]
    frame.loc[i, "total"] = int(frame.at[i, "total"]) + 1_000_000  # seed line 286: 行政运行 192.95 → 193.95
    r = rows(run_rules(d))
    assert r["表3 预算支出总表"].conforms == "否"
    assert any(p.startswith("表3 2010601 行政运行 合计") for p in r["表3 预算支出总表"].problems)
    assert r["表4 财政拨款收支总表"].conforms == "是"


def test_json_has_the_checklist(capsys):
    assert main(["check", str(SHIPPED), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    item = next(c for c in data["checklist"] if c["item"] == "表1 预算收支总表")
    assert item == {"item": "表1 预算收支总表", "conforms": "是", "problems": []}
    assert {c["conforms"] for c in data["checklist"]} <= {"是", "否", "未核对"}


def test_shanghai_pdf_cover_toc_and_sections(wanli):
    report = run_rules(wanli)
    assert report.checklist_title == "2025年度部门预算公开情况检查表"
    r = rows(report)
    # p.1 cover: 上海市普陀区2025年区级部门预算 / 预算主管部门：上海市普陀区人民政府万里街道办事处; p.2 目录
    assert (r["封面"].conforms, r["目录"].conforms, r["主要职能"].conforms) == ("是", "是", "是")
    assert r["表2 收入预算总表"].conforms == "是"
    assert [c.item for c in report.checklist][-2:] == ["其他相关说明", "项目经费情况说明"]


def test_document_rules_find_a_missing_section_a_wrong_toc_and_a_wrong_cover(wanli):
    d = copy.deepcopy(wanli)
    d.meta.sections.remove("glossary")
    d.meta.toc = [e for e in d.meta.toc if "收入预算总表" not in e]
    d.meta.cover = ["上海市普陀区2024年区级部门预算", "预算主管部门：上海市普陀区人民政府万里街道办事处"]
    report = run_rules(d, select=["document."])
    assert [f.message for f in report.result("document.sections_present").findings] == ["缺少“名词解释”部分"]
    toc = [f.message for f in report.result("document.toc_matches").findings]
    assert "正文有表2《收入预算总表》，但目录中没有列出" in toc
    assert "正文有“名词解释”部分，但目录中没有列出" not in toc  # the section is gone from the text too
    assert any("目录列出“三、名词解释”，但正文中没有这一部分" == m for m in toc)
    assert [f.message for f in report.result("document.cover").findings] == ["封面没有写明年度“2025年”"]


def test_the_shipped_dataset_gives_the_same_checklist_as_its_source(seed):
    assert [c.to_dict() for c in run_rules(load_dataset(SHIPPED)).checklist][3:] == \
        [c.to_dict() for c in run_rules(seed).checklist][3:]


# Every development PDF: the items answered 否 are exactly those with a genuine problem (read by hand on
# the pages named), 及时性 is never 是 (no PDF prints its publication date), and nothing else is 未核对.
DEVELOPMENT_PDFS = {
    # p.21: 财政拨款收入支出总计0.3万元 (表4 总计 2961.68); 一般公共服务支出 占71.73% (2106.66 ÷ 2940.05 = 71.65%)
    "shanghai-putuo-finance-2024-final-accounts.pdf": ("2024年度部门决算公开情况检查表", {"决算情况说明": "0.3万元"}, []),
    # p.7: 职业年金缴费支出 887.36万元, 表5 prints 87.36
    "shanghai-putuo-finance-2025-dept-budget.pdf": ("2025年度部门预算公开情况检查表", {"预算编制说明": "887.36万元"}, []),
    # p.24: 基本支出 5377.64 (表5 5364.75); p.25 下降（增长）; p.28 部门（单位）
    "shanghai-putuo-planning-2024-final-accounts.pdf": ("2024年度部门决算公开情况检查表",
                                                        {"决算情况说明": "下降（增长）"}, []),
    # p.7: 职业年金缴费 441.25 (表5 220.63); p.30: 地上建筑面积8013平方米 = 7998 + 105 = 8103
    "shanghai-putuo-wanli-2023-dept-budget.pdf": ("2023年度部门预算公开情况检查表",
                                                  {"预算编制说明": "441.25万元", "项目经费情况说明": "8013平方米"}, []),
    # p.9: 住房公积金 352.67 (表5 350.35); p.31: 表9 has amounts above 故本表为空表; p.33: 8013平方米
    "shanghai-putuo-wanli-2024-dept-budget.pdf": ("2024年度部门预算公开情况检查表",
                                                  {"预算编制说明": "352.67万元", "表9 “三公”经费和机关运行经费预算表": "本表无数据",
                                                   "项目经费情况说明": "8013平方米"}, []),
    # p.30: the 机关运行经费 paragraph ends "464.64万元" without 。; p.31: 8013平方米
    "shanghai-putuo-wanli-2025-dept-budget.pdf": ("2025年度部门预算公开情况检查表",
                                                  {"其他相关说明": "464.64万元", "项目经费情况说明": "8013平方米"}, []),
    # p.6: 社会福利事业单位 738.66 (表5 696.48); p.7/p.10: 医疗卫生与计划生育支出 in 表1/表4; p.9/p.11: code "7 11 02";
    # p.16: 主要原因是。; the unit budget publishes no 项目经费情况说明
    "shanghai-putuo-welfare-home-2024-unit-budget.pdf": (
        "2024年度单位预算公开情况检查表",
        {"预算编制说明": "738.66万元", "表1 财务收支预算总表": "医疗卫生与计划生育支出", "表3 支出预算总表": "7 11 02",
         "表4 财政拨款收支预算总表": "医疗卫生与计划生育支出", "表5 一般公共预算支出功能分类预算表": "7 11 02",
         "其他相关说明": "主要原因是。"}, ["项目经费情况说明"]),
}


@pytest.mark.parametrize("name", sorted(DEVELOPMENT_PDFS))
def test_checklist_of_every_development_pdf(name):
    title, wrong, unchecked = DEVELOPMENT_PDFS[name]
    report = run_rules(parse_source(SAMPLES / name))
    assert report.checklist_title == title
    answers = {c.item: c.conforms for c in report.checklist}
    assert {item for item, a in answers.items() if a == "否"} == set(wrong)
    assert {item for item, a in answers.items() if a == "未核对"} == {"及时性", *unchecked}
    for item, quoted in wrong.items():
        assert any(quoted in p for p in rows(report)[item].problems), (item, rows(report)[item].problems)
    # every table of the format has its row, named as printed
    assert [i for i in answers if i.startswith("表")] == [f"{t.label} {t.title}" for t in load_template(report.template).tables]


def test_the_blank_national_template_is_not_checked_anywhere():
    report = run_rules(parse_source(SAMPLES / "national-final-accounts-template-2024.pdf"))
    assert report.checklist_title == "2024年度部门决算公开情况检查表"
    assert len(report.checklist) == 16 and {c.conforms for c in report.checklist} == {"未核对"}
    assert "空白模板" in rows(report)["表1 收入支出决算总表"].unchecked[0]
