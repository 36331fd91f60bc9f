"""The inspection checklist (公开情况检查表) filled from the rule results, and the document rules it uses."""

from __future__ import annotations

import copy
import json

import pytest

from budgetkit.checks import run_rules
from budgetkit.dataset.store import load_dataset
from budgetkit.extract import parse_source
from budgetkit.run.cli import main
from project_files import SAMPLES, SEED, SHIPPED


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
