"""Reading real disclosure PDFs by geometry (budgetkit.extract.pdf).

Every development PDF: every table with its title, unit and body row count, and
spot values read BY HAND off the rendered pages (``pdftoppm -r 90``; the page is
named in each comment). Then the structural promises: merged headers expanded,
类/款/项 split into cells, wrapped cells joined, tables continued across pages,
blank kept apart from "0", the blank national template, the narrative text, and
hostile inputs refused in one line.
"""

from __future__ import annotations

import re
import time
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

import pytest
from project_files import sample

from budgetkit.core.errors import NotADisclosure
from budgetkit.extract.pdf import MAX_PAGES, read_pdf
from budgetkit.extract.pdf.furniture import furniture

FORMATTED_AMOUNT = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+\.\d+$")


@lru_cache(maxsize=None)
def doc(name: str):
    return read_pdf(sample(name))


def table(name: str, title: str, nth: int = 0):
    found = [t for t in doc(name).tables if t.title == title]
    assert len(found) > nth, f"{name}: no table titled {title!r}; titles: {[t.title for t in doc(name).tables]}"
    return found[nth]


def _row_matches(cells: list[str], row, start: int, stop: int) -> bool:
    part = cells[start:stop]
    if isinstance(row, tuple):  # leading filled cells, exactly: codes ("212", "01", "01") or (code, name)
        return [c for c in part if c][: len(row)] == list(row)
    return any(row in c for c in part)


def cell(t, row, column: str, nth: int = 0) -> str:
    """Body text in the row matching ``row`` (a label substring, a tuple of leading cells,
    or None for the first row) under the first column whose header path contains
    ``column`` (a column whose lowest label is exactly ``column`` wins) — in the
    side-by-side block where the row's label was found."""
    labels = t.column_labels
    seen = 0
    for body_row in t.rows:
        for start, stop in t.blocks:
            if row is not None and not _row_matches(body_row.cells, row, start, stop):
                continue
            if seen < nth:
                seen += 1
                break
            exact = [c for c in range(start, stop) if labels[c].split("/")[-1] == column]
            near = [c for c in range(start, stop) if column in labels[c]]
            if exact or near:
                return body_row.cells[(exact or near)[0]]
            raise AssertionError(f"{t.title}: no column {column!r} in block {start}-{stop}: {labels[start:stop]}")
    raise AssertionError(f"{t.title}: no row {row!r}")


def check(name: str, title: str, unit: str | None, rows: int, values, nth: int = 0):
    t = table(name, title, nth)
    assert t.unit == unit
    assert len(t.rows) == rows
    for row, column, value in values:
        assert cell(t, row, column) == value, (title, row, column)
    return t


# ----------------------------------------------------------------------------------------------
# 上海市普陀区人民政府万里街道办事处 2025 区级部门预算 (amounts in 元, tables p.9-29)

W25 = "shanghai-putuo-wanli-2025-dept-budget.pdf"


def test_wanli_2025_tables():
    assert [t.title for t in doc(W25).tables] == [
        "2025年部门财务收支预算总表",
        "2025年部门收入预算总表",
        "2025年部门支出预算总表",
        "2025年部门财政拨款收支预算总表",
        "2025年部门一般公共预算支出功能分类预算表",
        "2025年部门政府性基金预算支出功能分类预算表",
        "2025年部门国有资本经营预算支出功能分类预算表",
        "2025年部门一般公共预算基本支出部门预算经济分类预算表",
        "2025年部门“三公”经费和机关运行经费预算表",
    ]
    check(W25, "2025年部门财务收支预算总表", "元", 10, [
        ("一、财政拨款收入", "预算数", "189,767,551"),  # p.9
        ("八、城乡社区支出", "预算数", "154,369,326"),  # p.9
        ("政府性基金", "预算数", ""),  # p.9: blank cell
        ("收入总计", "预算数", "189,767,551"),  # p.9
    ])
    check(W25, "2025年部门收入预算总表", "元", 67, [
        (("201", "05", "07"), "合计", "438,300"),  # p.10 专项普查活动
        (("212", "01", "01"), "财政拨款收入", "17,887,739"),  # p.12 行政运行
        (("210", "11", "02"), "事业收入", "0"),  # p.12 事业单位医疗
        ("合计", "合计", "189,767,551"),  # p.13
    ])
    check(W25, "2025年部门支出预算总表", "元", 67, [
        (("201", "05"), "基本支出", "0"),  # p.14 统计信息事务
        (("208", "99", "99"), "基本支出", "6,166,222"),  # p.16
        (("210", "卫生健康支出"), "项目支出", "200,000"),  # p.16
        ("合计", "基本支出", "101,341,746"),  # p.18, the 合计 row alone on its page
    ])
    check(W25, "2025年部门财政拨款收支预算总表", "元", 10, [
        ("一般公共预算资金", "预算数", "189,767,551"),  # p.19
        ("六、社会保障和就业支出", "一般公共预算", "16,091,895"),  # p.19
        ("二、公共安全支出", "政府性基金预算", ""),  # p.19
        ("支出总计", "合计", "189,767,551"),  # p.19
    ])
    check(W25, "2025年部门一般公共预算支出功能分类预算表", "元", 67, [
        (("201", "32"), "合计", "1,075,000"),  # p.20 组织事务
        (("208", "05", "06"), "基本支出", "2,413,577"),  # p.22
        (("221", "02", "03"), "合计", "3,340,800"),  # p.24 购房补贴
        ("合计", "项目支出", "88,425,805"),  # p.24
    ])
    for title, fund in [("2025年部门政府性基金预算支出功能分类预算表", "政府性基金预算支出"),
                        ("2025年部门国有资本经营预算支出功能分类预算表", "国有资本经营预算支出")]:
        t = check(W25, title, "元", 1, [("合计", "合计", ""), ("合计", "基本支出", "")])  # p.25, p.26: empty
        assert t.header[0][4] == fund
        assert len(t.notes) == 1 and t.notes[0].startswith("注:本部门2025年无") and t.notes[0].endswith("故本表为空表。")
        assert t.blank_rows == 12
    check(W25, "2025年部门一般公共预算基本支出部门预算经济分类预算表", "元", 32, [
        (("301", "07"), "合计", "11,610,630"),  # p.27 绩效工资
        (("302", "09"), "公用经费", "1,143,816"),  # p.28 物业管理费
        ("合计", "人员经费", "90,514,044"),  # p.28
    ])
    check(W25, "2025年部门“三公”经费和机关运行经费预算表", "万元", 1, [
        (None, "合计", "37.91"),  # p.29
        (None, "因公出国", "0"),  # p.29
        (None, "购置费", "15"),  # p.29
        (None, "运行费", "21.56"),  # p.29
        (None, "机关运行经费预算数", "464.64"),  # p.29
    ])


def test_wanli_2025_department_and_unit_lines():
    for t in doc(W25).tables:
        assert t.department_line == "编制部门：上海市普陀区人民政府万里街道办事处"
    assert [t.unit_text for t in doc(W25).tables][-2:] == ["单位：元", "单位:万元"]


# ----------------------------------------------------------------------------------------------
# 万里街道 2024 (tables p.10-31)

W24 = "shanghai-putuo-wanli-2024-dept-budget.pdf"


def test_wanli_2024_tables():
    assert len(doc(W24).tables) == 9
    check(W24, "2024年部门财务收支预算总表", "元", 10, [
        ("一、财政拨款收入", "预算数", "156,211,123"),  # p.10
        ("六、社会保障和就业支出", "预算数", "19,604,064"),  # p.10
        ("九、住房保障支出", "预算数", "8,882,399"),  # p.10
        ("支出总计", "预算数", "156,211,123"),  # p.10
    ])
    check(W24, "2024年部门收入预算总表", "元", 67, [
        (("208", "05", "05"), "合计", "4,608,515"),  # p.13
        (("210", "11", "01"), "财政拨款收入", "1,422,233"),  # p.13
        (("208", "16", "02"), "其他收入", "0"),  # p.13
        ("合计", "合计", "156,211,123"),  # p.15
    ])
    check(W24, "2024年部门支出预算总表", "元", 67, [
        (("212", "01", "01"), "基本支出", "16,353,248"),  # p.19
        (("212", "01", "02"), "基本支出", "0"),  # p.19
        (("221", "住房保障支出"), "项目支出", "2,177,200"),  # p.19
        ("合计", "项目支出", "56,505,103"),  # p.20
    ])
    check(W24, "2024年部门财政拨款收支预算总表", "元", 10, [
        ("一般公共预算资金", "预算数", "156,211,123"),  # p.21
        ("八、城乡社区支出", "一般公共预算", "119,385,303"),  # p.21
        ("四、科学技术支出", "合计", "100,000"),  # p.21
        ("二、政府性基金", "预算数", ""),  # p.21
    ])
    check(W24, "2024年部门一般公共预算支出功能分类预算表", "元", 67, [
        (("212", "01", "01"), "项目支出", "250,000"),  # p.25
        (("212", "99"), "合计", "9,220,200"),  # p.25
        (("221", "住房保障支出"), "基本支出", "6,705,199"),  # p.25
    ])
    for title in ["2024年部门政府性基金预算支出功能分类预算表", "2024年部门国有资本经营预算支出功能分类预算表"]:
        t = check(W24, title, "元", 1, [("合计", "合计", ""), ("合计", "项目支出", "")])  # p.27, p.28
        assert t.notes and "故本表为空表" in t.notes[0]
    check(W24, "2024年部门一般公共预算基本支出部门预算经济分类预算表", "元", 32, [
        (("302", "09"), "合计", "1,090,020"),  # p.30 物业管理费
        (("303", "02"), "人员经费", "254,940"),  # p.30 退休费
        ("合计", "公用经费", "11,168,569"),  # p.30
        ("合计", "合计", "99,706,020"),  # p.30
    ])
    t = check(W24, "部门“三公”经费和机关运行经费预算表", "万元", 1, [
        (None, "合计", "47.91"),  # p.31
        (None, "购置费", "25"),  # p.31
        (None, "机关运行经费预算数", "443.18"),  # p.31
    ])
    assert t.notes == ["注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。"]  # p.31, as printed


# ----------------------------------------------------------------------------------------------
# 万里街道 2023 (tables p.10-28, then five 绩效目标 forms p.31-35)

W23 = "shanghai-putuo-wanli-2023-dept-budget.pdf"


def test_wanli_2023_tables():
    check(W23, "2023年部门财务收支预算总表", "元", 9, [
        ("一、财政拨款收入", "预算数", "164,978,640"),  # p.10
        ("七、城乡社区支出", "预算数", "121,319,878"),  # p.10
        ("八、住房保障支出", "预算数", "8,960,694"),  # p.10
    ])
    check(W23, "2023年部门收入预算总表", "元", 67, [
        (("204", "06", "07"), "合计", "150,000"),  # p.12 公共法律服务
        (("208", "02", "06"), "财政拨款收入", "215,000"),  # p.12 社会组织管理
        (("221", "02", "03"), "事业收入", ""),  # p.14: printed blank, not 0
        ("合计", "合计", "164,978,640"),  # p.14
    ])
    check(W23, "2023年部门支出预算总表", "元", 67, [
        (("208", "99", "99"), "基本支出", "11,434,477"),  # p.17
        (("212", "01", "99"), "项目支出", "3,765,200"),  # p.17
        (("210", "07"), "基本支出", "0"),  # p.17
    ])
    check(W23, "2023年部门财政拨款收支预算总表", "元", 9, [
        ("一般公共预算资金", "预算数", "164,978,640"),  # p.19
        ("四、文化旅游体育与传媒支出", "合计", "200,000"),  # p.19, the name wraps to two lines
        ("五、社会保障和就业支出", "一般公共预算", "27,073,236"),  # p.19
    ])
    check(W23, "2023年部门一般公共预算支出功能分类预算表", "元", 67, [
        (("212", "99"), "项目支出", "14,500,000"),  # p.23
        (("221", "02", "01"), "项目支出", "0"),  # p.23
        ("合计", "基本支出", "99,406,297"),  # p.23
        ("合计", "项目支出", "65,572,343"),  # p.23
    ])
    for title in ["2023年部门政府性基金预算支出功能分类预算表", "2023年部门国有资本经营预算支出功能分类预算表"]:
        check(W23, title, "元", 1, [("合计", "合计", ""), ("合计", "基本支出", ""), ("合计", "项目支出", "")])  # p.24, 25
    check(W23, "2023年部门一般公共预算基本支出部门预算经济分类预算表", "元", 31, [
        (("301", "01"), "公用经费", ""),  # p.26: blank here, "0" in 2025
        (("302", "01"), "公用经费", "5,811,753"),  # p.26
        (("302", "14"), "合计", "1,990,014"),  # p.27 租赁费
        ("合计", "人员经费", "84,024,865"),  # p.27
    ])
    check(W23, "2023年部门“三公”经费和机关运行经费预算表", "万元", 1, [
        (None, "合计", "22.91"),  # p.28
        (None, "购置费", "0"),  # p.28
        (None, "机关运行经费预算数", "786.09"),  # p.28
    ])


def test_wanli_2023_performance_forms_are_separate_tables():
    forms = [t for t in doc(W23).tables if t.title == "财政项目支出绩效目标填报表"]
    assert [t.pages for t in forms] == [[31], [32], [33], [34], [35]]  # one form a page, title drawn in the grid

    def row_with(t, label):
        return next(r.cells for r in t.rows if any(label in c for c in r.cells))

    assert "4,100,000.00" in row_with(forms[0], "项目资金总额")  # p.31
    assert "7595500.00" in row_with(forms[3], "项目资金总额")  # p.34, printed without separators
    assert "11,419,043.00" in row_with(forms[4], "其中：当年财政拨款")  # p.35
    assert forms[0].header[1][2] == "新建万里街道社区公共服务中心"  # p.31 项目名称


# ----------------------------------------------------------------------------------------------
# 上海市普陀区财政局 2025 区级部门预算 (元 with two decimals, tables p.9-21)

F25 = "shanghai-putuo-finance-2025-dept-budget.pdf"


def test_finance_2025_tables():
    assert len(doc(F25).tables) == 9
    check(F25, "2025年部门财务收支预算总表", "元", 8, [
        ("一、财政拨款收入", "预算数", "31,214,205.80"),  # p.9
        ("一、一般公共服务支出", "预算数", "22,186,440.80"),  # p.9
        ("四、住房保障支出", "预算数", "4,736,957.00"),  # p.9
        ("二、事业收入", "预算数", ""),  # p.9
    ])
    check(F25, "2025年部门收入预算总表", "元", 20, [
        (("201", "06", "01"), "合计", "16,231,840.80"),  # p.10
        (("210", "11", "01"), "合计", "782,164.00"),  # p.11
        (("221", "02", "03"), "财政拨款收入", "2,687,760.00"),  # p.11
        (("221", "住房保障支出"), "事业收入", ""),  # p.11
        ("合计", "合计", "31,214,205.80"),  # p.11
    ])
    check(F25, "2025年部门支出预算总表", "元", 20, [
        (("201", "06", "01"), "项目支出", "138,514.80"),  # p.12
        (("201", "06", "02"), "基本支出", ""),  # p.12
        (("208", "05", "05"), "合计", "1,748,327.00"),  # p.12
    ])
    check(F25, "2025年部门财政拨款收支预算总表", "元", 5, [
        ("一般公共预算资金", "预算数", "31,214,205.80"),  # p.14
        ("三、卫生健康支出", "合计", "782,164.00"),  # p.14
        ("支出总计", "一般公共预算", "31,214,205.80"),  # p.14
        ("二、政府性基金", "预算数", ""),  # p.14
    ])
    check(F25, "2025年部门一般公共预算支出功能分类预算表", "元", 20, [
        (("221", "02", "01"), "合计", "2,049,197.00"),  # p.16
        ("合计", "基本支出", "25,121,091.00"),  # p.16
        ("合计", "项目支出", "6,093,114.80"),  # p.16
    ])
    for title in ["2025年部门政府性基金预算支出功能分类预算表", "2025年部门国有资本经营预算支出功能分类预算表"]:
        t = check(F25, title, "元", 1, [("合计", "合计", ""), ("合计", "基本支出", "")])  # p.17, p.18
        # p.18 really says 政府性基金 under the 国有资本经营 table: kept as printed
        assert t.notes == ["注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。"]
    check(F25, "2025年部门一般公共预算基本支出部门预算经济分类预算表", "元", 30, [
        (("301", "02"), "合计", "13,012,070.00"),  # p.19 津贴补贴
        (("301", "01"), "公用经费", "0.00"),  # p.19
        (("310", "02"), "公用经费", "90,000.00"),  # p.20 办公设备购置
        ("合计", "人员经费", "22,826,756.00"),  # p.20
    ])
    check(F25, "2025年部门“三公”经费和机关运行经费预算表", "万元", 1, [
        (None, "合计", "0.95"),  # p.21
        (None, "因公出国", ""),  # p.21: blank, where other years print 0
        (None, "公务接待费", "0.95"),  # p.21
        (None, "机关运行经费预算数", "229.43"),  # p.21
    ])


def test_clipped_text_of_neighbouring_pages_is_not_read():
    # p.7 and p.8 each carry the whole 编制说明 text flow, clipped to the page: items 9-11 hidden
    # at the foot of p.7, items 1-8 hidden above p.8. Each item must be read once, on its page.
    lines = doc(F25).text
    item1 = [l for l in lines if l.text.startswith("1.“一般公共服务支出（类）财政事务（款）行政运行（项）")]
    item9 = [l for l in lines if l.text.startswith("9.“卫生健康支出（类）")]
    assert [l.page for l in item1] == [7]
    assert [l.page for l in item9] == [8]


# ----------------------------------------------------------------------------------------------
# 上海市普陀区社会福利院 2024 单位预算 (元 with separators; the 三公 table in 万元; p.7-15)

WF = "shanghai-putuo-welfare-home-2024-unit-budget.pdf"


def test_welfare_home_2024_tables():
    assert len(doc(WF).tables) == 9
    assert all(t.department_line == "编制单位：上海市普陀区社会福利院" for t in doc(WF).tables)
    t = check(WF, "2024年预算单位财务收支预算总表", "元", 8, [
        ("一、财政拨款收入", "预算数", "9,501,164"),  # p.7
        ("二、事业收入", "预算数", "2,620,000"),  # p.7
        ("二、社会保障和就业支出", "人员经费", "6,540,674"),  # p.7
        ("支出总计", "公用经费", "2,120,950"),  # p.7
    ])
    # p.7: a four-row header; 预算数 spans 合计…项目支出, 基本支出 spans 人员经费 and 公用经费
    assert len(t.header) == 4
    assert t.header[1][3:7] == ["预算数"] * 4
    assert t.header[2][4:6] == ["基本支出"] * 2
    assert t.header[3][3:7] == ["合计", "人员经费", "公用经费", "项目支出"]
    check(WF, "2024年预算单位收入预算总表", "元", 15, [
        (("208", "10", "05"), "事业收入", "2,620,000"),  # p.8 社会福利事业单位
        (("210", "11", "02"), "合计", "503,724"),  # p.8
        (("208", "05"), "事业收入", ""),  # p.8
        ("合计", "财政拨款收入", "9,501,164"),  # p.8
    ])
    check(WF, "2024年预算单位支出预算总表", "元", 15, [
        (("7", "11", "02"), "基本支出", "503,724"),  # p.9: the class code is printed "7" — kept as printed
        (("208", "10"), "项目支出", "2,620,000"),  # p.9
        ("合计", "基本支出", "9,501,164"),  # p.9
    ])
    check(WF, "2024年预算单位财政拨款收支预算总表", "元", 5, [
        ("一般公共预算资金", "预算数", "9,501,164"),  # p.10
        ("二、社会保障和就业支出", "合计", "8,661,624"),  # p.10
        ("一、一般公共服务支出", "合计", ""),  # p.10
    ])
    check(WF, "2024年预算单位一般公共预算支出功能分类预算表", "元", 15, [
        (("208", "10", "05"), "基本支出", "6,964,796"),  # p.11
        (("221", "02", "01"), "项目支出", ""),  # p.11
        ("合计", "合计", "9,501,164"),  # p.11
    ])
    for title in ["2024年预算单位政府性基金预算支出功能分类预算表", "2024年预算单位国有资本经营预算支出功能分类预算表"]:
        t = check(WF, title, "元", 1, [("合计", "合计", ""), ("合计", "项目支出", "")])  # p.12, p.13
        assert t.notes and t.notes[0].startswith("注:本单位2024年无")
    check(WF, "2024年预算单位一般公共预算基本支出部门预算经济分类预算表", "元", 27, [
        (("302", "09"), "合计", "1,206,000"),  # p.14 物业管理费
        (("301", "07"), "人员经费", "3,580,522"),  # p.14 绩效工资
        (("301", "01"), "公用经费", ""),  # p.14
        ("合计", "公用经费", "2,120,950"),  # p.14
    ])
    check(WF, "单位“三公”经费和机关运行经费预算表", "万元", 1, [
        (None, "合计", "6.4"),  # p.15
        (None, "购置费", ""),  # p.15
        (None, "运行费", "6.4"),  # p.15
        (None, "机关运行经费预算数", "0"),  # p.15
    ])


# ----------------------------------------------------------------------------------------------
# 上海市普陀区财政局 2024 部门决算 (national 9-table format, 万元, p.5-20)

F24 = "shanghai-putuo-finance-2024-final-accounts.pdf"


def test_finance_2024_final_accounts_tables():
    assert [t.title for t in doc(F24).tables] == [
        "",  # p.5: the list of units inside the 部门决算单位构成 section has no title
        "收入支出决算总表",
        "收入决算表",
        "支出决算表",
        "财政拨款收入支出决算总表",
        "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表",
        "财政拨款“三公”经费支出决算表",
        "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款收入支出决算表",
    ]
    assert all(t.unit == "万元" for t in doc(F24).tables[1:])
    units = check(F24, "", None, 3, [
        ("1", "单位名称", "上海市普陀区财政局（本级）"),  # p.5
        ("2", "备注", "预算不单列，并入本级"),  # p.5
        ("3", "单位名称", "上海市普陀区国库收付中心"),  # p.5
    ])
    assert units.header == [["序号", "单位名称", "备注"]]
    check(F24, "收入支出决算总表", "万元", 30, [
        ("一、一般公共预算财政拨款收入", "决算数", "2,940.05"),  # p.6
        ("八、社会保障和就业支出", "决算数", "326.71"),  # p.6
        ("年末结转和结余", "决算数", "55.34"),  # p.7, the table's last three rows
        ("总计", "决算数", "2,995.39"),  # p.7
    ])
    check(F24, "收入决算表", "万元", 20, [
        (("201", "06", "01"), "本年收入合计", "1,511.90"),  # p.8 行政运行
        (("201", "06", "02"), "其他收入", "6.19"),  # p.8
        (("221", "02", "03"), "财政拨款收入", "258.50"),  # p.9 购房补贴
        ("合计", "本年收入合计", "2,946.25"),  # p.8
    ])
    check(F24, "支出决算表", "万元", 20, [
        (("201", "06", "01"), "项目支出", "8.37"),  # p.10
        (("208", "05", "05"), "基本支出", "160.75"),  # p.10
        (("221", "02", "03"), "基本支出", "258.50"),  # p.11
    ])
    check(F24, "财政拨款收入支出决算总表", "万元", 32, [
        ("一、一般公共预算财政拨款", "决算数", "2,940.05"),  # p.12
        ("八、社会保障和就业支出", "合计", "326.71"),  # p.12
        ("十九、住房保障支出", "一般公共预算财政拨款", "445.69"),  # p.13
        ("年初财政拨款结转和结余", "决算数", "21.63"),  # p.13
        ("总计", "决算数", "2,961.68"),  # p.13
    ])
    check(F24, "一般公共预算财政拨款支出决算表", "万元", 20, [
        (("201", "06", "08"), "项目支出", "449.52"),  # p.15
        (("208", "05", "01"), "基本支出", "84.65"),  # p.15
        (("201", "06", "02"), "基本支出", ""),  # p.15
        ("合计", "基本支出", "2,336.91"),  # p.15
    ])
    check(F24, "一般公共预算财政拨款基本支出决算表", "万元", 39, [
        (("301", "02"), "决算数", "1,238.58"),  # p.16 津贴补贴, left block
        (("302", "07"), "决算数", "4.88"),  # p.16 邮电费, right block
        (("302", "28"), "决算数", "24.42"),  # p.17 工会经费
        ("人员经费合计", "决算数", "2,152.26"),  # p.17
        ("公用经费合计", "决算数", "184.65"),  # p.17
    ])
    t = check(F24, "财政拨款“三公”经费支出决算表", "万元", 1, [
        (None, "合计/预算数", "0.95"),  # p.18
        (None, "合计/决算数", ""),  # p.18
        (None, "公务接待费/预算数", "0.95"),  # p.18
    ])
    assert t.ncols == 12 and len(t.header) == 5  # p.18: the whole body is one row under a deep header
    for title in ["政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款收入支出决算表"]:
        t = check(F24, title, "万元", 1, [("合计", "年初结转和结余", ""), ("合计", "年末结转和结余", "")])  # p.19, p.20
        assert t.notes and t.notes[0].endswith("故本表无数据。")


# ----------------------------------------------------------------------------------------------
# 上海市普陀区规划和自然资源局 2024 部门决算 (7-digit codes in one cell; p.6-19)

PL = "shanghai-putuo-planning-2024-final-accounts.pdf"


def test_planning_2024_final_accounts_tables():
    titles = [t.title for t in doc(PL).tables]
    assert titles[0] == "" and len(titles) == 10
    check(PL, "", None, 5, [
        ("1", "单位名称", "上海市普陀区规划和自然资源局（本级）"),  # p.6
        ("5", "序号", "5"),  # p.6
        ("2", "备注", ""),  # p.6
    ])
    check(PL, "收入支出决算总表", "万元", 28, [
        ("一、一般公共预算财政拨款收入", "决算数", "9746.50"),  # p.7
        ("十八、自然资源海洋气象等支出", "决算数", "4461.67"),  # p.7
        ("年初结转和结余", "决算数", "112.88"),  # p.7
        ("总计", "决算数", "9859.38"),  # p.7
    ])
    check(PL, "收入决算表", "万元", 25, [
        ("合计", "本年收入合计", "9746.50"),  # p.8
        (("2080505",), "财政拨款收入", "446.11"),  # p.8
        (("2200150",), "本年收入合计", "4416.67"),  # p.9
    ])
    check(PL, "支出决算表", "万元", 25, [
        ("合计", "基本支出", "5377.64"),  # p.10
        (("210",), "项目支出", "0.00"),  # p.10
        (("2200150",), "项目支出", "2077.09"),  # p.11
    ])
    check(PL, "财政拨款收入支出决算总表", "万元", 30, [
        ("一、一般公共预算财政拨款", "决算数", "9746.50"),  # p.12
        ("十八、自然资源海洋气象等支出", "合计", "4461.67"),  # p.13
        ("本年支出合计", "一般公共预算财政拨款", "9746.50"),  # p.13
    ])
    check(PL, "一般公共预算财政拨款支出决算表", "万元", 25, [
        (("2210201",), "合计", "289.59"),  # p.15
        ("合计", "基本支出", "5364.75"),  # p.15
        ("合计", "项目支出", "4381.74"),  # p.15
    ])
    t = check(PL, "一般公共预算财政拨款基本支出决算表", "万元", 39, [
        (("30101",), "决算数", "537.64"),  # p.16 基本工资
        (("30201",), "决算数", "84.62"),  # p.16 办公费, right block
        ("人员经费合计", "决算数", "4884.09"),  # p.16
        ("公用经费合计", "决算数", "480.66"),  # p.16
    ])
    assert t.blocks == [(0, 3), (3, 6)]
    check(PL, "财政拨款“三公”经费支出决算表", "万元", 1, [
        (None, "合计/预算数", "2.85"),  # p.17
        (None, "合计/决算数", "0.39"),  # p.17
        (None, "公务接待费/决算数", "0.39"),  # p.17
        (None, "因公出国（境）费/预算数", "0.00"),  # p.17, the label wrapped on two lines
    ])
    for title in ["政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款收入支出决算表"]:
        # p.18, p.19: an empty table whose 合计 row also carries the 本年支出 sub-headings:
        # they become the header's last row, the 合计 label the one body row.
        t = check(PL, title, "万元", 1, [("合计", "年初结转和结余", ""), ("合计", "本年支出/基本支出", "")])
        assert t.header[2] == ["功能分类科目编码", "科目名称", "年初结转和结余", "本年收入",
                               "合计", "基本支出", "项目支出", "年末结转和结余"]
        assert t.notes[1].startswith("说明：") and t.notes[1].endswith("故本表无数据。")


# ----------------------------------------------------------------------------------------------
# The national 2024 部门决算 template: the tables with no numbers (p.4-14)

NT = "national-final-accounts-template-2024.pdf"


def test_blank_national_template():
    tables = doc(NT).tables
    assert [(t.title, t.pages, len(t.rows)) for t in tables] == [
        ("", [4], 8),
        ("收入支出决算总表", [5], 28),
        ("收入决算表", [6], 8),
        ("支出决算表", [7], 8),
        ("财政拨款收入支出决算总表", [8, 9], 30),
        ("一般公共预算财政拨款支出决算表", [10], 8),
        ("一般公共预算财政拨款基本支出决算表", [11], 39),
        ("财政拨款“三公”经费支出决算表", [12], 0),
        ("政府性基金预算财政拨款收入支出决算表", [13], 1),  # only the 合计 row
        ("国有资本经营预算财政拨款收入支出决算表", [14], 1),
    ]
    for t in tables:
        assert t.header and all(any(row) for row in t.header), t.title
        assert not [c for r in t.rows for c in r.cells if FORMATTED_AMOUNT.match(c)], t.title
    assert all(t.unit == "万元" for t in tables[1:])
    total = table(NT, "收入支出决算总表")
    assert cell(total, "十四、资源勘探工业信息等支出", "决算数") == ""  # p.5
    assert cell(total, "八、其他收入", "决算数") == ""  # p.5
    spending = table(NT, "一般公共预算财政拨款支出决算表")
    assert cell(spending, ("20799",), "科目名称") == "其他文化旅游体育与传媒支出"  # p.10, wrapped on three lines
    basic = table(NT, "一般公共预算财政拨款基本支出决算表")
    assert cell(basic, ("30101",), "科目名称") == "基本工资"  # p.11
    assert cell(basic, ("30201",), "科目名称") == "办公费"  # p.11, right block
    assert basic.blocks == [(0, 3), (3, 6)]
    three = table(NT, "财政拨款“三公”经费支出决算表")
    assert three.header[0] == ["财政拨款“三公”经费"] * 12  # p.12
    assert three.header[2][4:6] == ["小计", "小计"]
    assert three.header[-1] == ["预算数", "决算数"] * 6


# ----------------------------------------------------------------------------------------------
# Structure: merged headers, code columns, wrapped cells, continuation, blank vs 0


def test_merged_header_cells_are_repeated_over_their_span():
    t = table(W25, "2025年部门收入预算总表")  # p.10
    assert t.header[0] == ["项目"] * 4 + ["收入预算"] * 5
    assert t.header[1][:3] == ["功能分类科目编码"] * 3
    assert [row[3] for row in t.header] == ["项目", "功能分类科目名称", "功能分类科目名称"]
    assert t.header[2][:3] == ["类", "款", "项"]
    assert t.column_labels[7] == "收入预算/事业单位经营收入"  # two printed lines in one cell
    t = table(W25, "2025年部门“三公”经费和机关运行经费预算表")  # p.29
    assert t.header[0][:6] == ["“三公”经费预算数"] * 6
    assert t.header[1][3:6] == ["公务用车购置及运行费"] * 3
    assert [row[6] for row in t.header] == ["机关运行经费预算数"] * 3
    t = table(F24, "收入支出决算总表")  # p.6: 收入 / 支出 over two column pairs
    assert t.header == [["收入", "收入", "支出", "支出"], ["项目", "决算数", "项目", "决算数"]]
    assert t.blocks == [(0, 2), (2, 4)]
    t = table(F24, "收入决算表")  # p.8: "附属单位上缴收入" printed one piece a line in a narrow column
    assert t.header[-1][9] == "附属单位上缴收入"
    # p.8: 类 | 款 | 项 are printed in the 合计 row itself: they head the code columns, the row is 合计
    assert t.header[-1][:5] == ["类", "款", "项", "科目名称", "本年收入合计"]
    assert t.rows[0].cells[:5] == ["", "", "", "合计", "2,946.25"]


def test_code_columns_are_separate_cells():
    t = table(W25, "2025年部门收入预算总表")
    row = next(r for r in t.rows if r.cells[3] == "机关事业单位职业年金缴费支出")  # p.12
    assert row.cells[:3] == ["208", "05", "06"]
    assert row.page == 12
    row = next(r for r in t.rows if r.cells[3] == "社会保障和就业支出")  # p.11: a 类 row
    assert row.cells[:3] == ["208", "", ""]


def test_wrapped_cells_are_joined():
    t = table(F24, "支出决算表")  # p.10: the name wraps to a second line
    assert cell(t, ("208", "05", "05"), "科目名称") == "机关事业单位基本养老保险缴费支出"
    t = table(F24, "财政拨款收入支出决算总表")  # p.12: label and header both wrapped
    assert any(r.cells[0] == "二、政府性基金预算财政拨款" for r in t.rows)
    assert t.header[1][4] == "一般公共预算财政拨款"
    t = table(F24, "一般公共预算财政拨款基本支出决算表")  # p.17: letter-spaced, wrapped
    assert cell(t, ("302", "31"), "科目名称") == "公务用车运行维护费"


def test_table_continued_across_pages_is_merged():
    t = table(W25, "2025年部门一般公共预算支出功能分类预算表")
    assert t.pages == [20, 21, 22, 23, 24]
    # p.20: 13 rows; p.21-23: 16 rows each; p.24: 6 rows — the header printed again on p.21-24 dropped
    assert [(f.page, f.rows, f.repeated_header_rows) for f in t.fragments] == [
        (20, 13, 0), (21, 16, 3), (22, 16, 3), (23, 16, 3), (24, 6, 3)]
    assert len(t.rows) == sum(f.rows for f in t.fragments) == 67
    assert len(t.header) == 3
    assert [r.page for r in t.rows if r.cells[3] == "行政运行"] == [23]
    t = table(W25, "2025年部门支出预算总表")  # p.18: only the 合计 row, drawn as one wide cell + amounts
    last = t.rows[-1]
    assert last.page == 18 and last.cells[0] == "合计" and last.spans[:4] == [4, 0, 0, 0]
    assert last.cells[4:] == ["189,767,551", "101,341,746", "88,425,805"]
    t = table(PL, "收入决算表")  # p.9 continues p.8 without repeating the header
    assert [(f.page, f.rows, f.repeated_header_rows) for f in t.fragments] == [(8, 12, 0), (9, 13, 0)]


def test_blank_and_zero_are_different():
    zero = table(W25, "2025年部门一般公共预算基本支出部门预算经济分类预算表")  # p.27 prints 0
    blank = table(W23, "2023年部门一般公共预算基本支出部门预算经济分类预算表")  # p.26 leaves it blank
    assert cell(zero, ("301", "01"), "公用经费") == "0"
    assert cell(blank, ("301", "01"), "公用经费") == ""
    assert cell(table(F25, "2025年部门一般公共预算基本支出部门预算经济分类预算表"), ("301", "01"), "公用经费") == "0.00"


def test_rows_know_their_page_and_indentation():
    t = table(PL, "一般公共预算财政拨款基本支出决算表")  # p.16: hierarchy shown by indentation only
    parent = next(r for r in t.rows if r.cells[0] == "301")
    child = next(r for r in t.rows if r.cells[0] == "30101")
    assert child.indents[1] > parent.indents[1] + 5
    assert {r.page for r in t.rows} == {16}


# ----------------------------------------------------------------------------------------------
# Narrative text


def _narrative(name: str) -> str:
    return "".join(line.text for line in doc(name).text)


def test_narrative_in_reading_order_without_table_text():
    text = _narrative(F24)
    assert "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.2万元，占0.21%；" in text
    assert "机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。" in text  # digits set lower than the CJK
    assert text.index("一、收入支出决算总体情况说明上海市普陀区财政局") < text.index("二、收入决算情况说明本年收入")
    cells = {c for t in doc(F24).tables for r in t.rows for c in r.cells if FORMATTED_AMOUNT.match(c) and "," in c}
    assert cells and not [c for c in cells if c in text]
    lines = [line.text for line in doc(F24).text]
    assert "单位：万元" not in lines and "收入决算表" not in lines and "注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。" not in lines
    text = _narrative(W25)
    assert "2025年，上海市普陀区人民政府万里街道办事处收入预算18,976.76万元，其中：财政拨款收入18,976.76万元" in text
    assert "189,767,551" not in text and "编制部门：" not in text


def test_each_table_knows_the_section_before_it():
    lines = doc(F24).text
    t = table(F24, "收入决算表")
    assert lines[t.after_line].text == "第二部分上海市普陀区财政局2024年度部门决算表"
    assert lines[t.after_line + 1].text.startswith("第三部分")
    units = table(F24, "")
    assert lines[units.after_line].text.endswith("围的单位包括：")
    blocks = list(doc(F24).blocks())
    assert blocks.index(t) == blocks.index(lines[t.after_line]) + 2  # the heading, 收入支出决算总表, then it


class _L:
    def __init__(self, text, top, bottom):
        self.text, self.top, self.bottom = text, top, bottom


def test_furniture_rule():
    pages = [(842.0, [_L("上海市XX局2024年度部门决算", 20, 32), _L(f"正文第{i}页的内容。", 300, 312), _L(f"- {i} -", 800, 812)])
             for i in range(1, 5)]
    pages.append((842.0, [_L("一、收入支出决算总表", 20, 32)]))
    dropped = furniture(pages)
    assert dropped == {(p, 0) for p in range(4)} | {(p, 2) for p in range(4)}


# ----------------------------------------------------------------------------------------------
# Hostile and unusable input: one line naming the file, bounded time, nothing written


def _pdf(objects: list[bytes], trailer_extra: bytes = b"", root: int = 1) -> bytes:
    """A PDF from numbered object bodies (1-based), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _pages_pdf(contents: list[bytes], resources: bytes = b"<< >>", extra_objects: list[bytes] = ()) -> bytes:
    """Pages with the given content streams; objects: 1 catalog, 2 pages, then per page (page, content), then extras."""
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    for i, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
                       % (resources, 4 + 2 * i))
        objects.append(_stream(content))
    return _pdf(objects + list(extra_objects))


def _refused(path: Path) -> str:
    before = sorted(p.name for p in path.parent.iterdir())
    start = time.monotonic()
    with pytest.raises(NotADisclosure) as info:
        read_pdf(path)
    assert time.monotonic() - start < 10
    assert sorted(p.name for p in path.parent.iterdir()) == before  # nothing written
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    assert info.value.file == str(path)
    return message


def test_encrypted_pdf_is_refused(tmp_path):
    # A standard security handler (RC4, R2) whose /U does not match the empty user password.
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <%s> /U <%s> >>" % (b"ab" * 32, b"cd" * 32)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", encrypt]
    path = tmp_path / "locked.pdf"
    path.write_bytes(_pdf(objects, b"/Encrypt 4 0 R /ID [<%s> <%s>] " % (b"01" * 16, b"01" * 16)))
    assert "encrypted PDF" in _refused(path)


def test_damaged_and_truncated_pdfs_are_refused(tmp_path):
    good = _pages_pdf([b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"])
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good[: len(good) // 2])
    assert "damaged PDF: truncated" in _refused(truncated)
    real = sample(W25).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(real[: len(real) * 2 // 3])
    assert "damaged PDF: truncated" in _refused(cut)
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    assert "damaged PDF" in _refused(garbage)


def test_scanned_pdf_without_text_layer_is_refused(tmp_path):
    image = _stream(zlib.compress(b"\x80" * 64), b"/Type /XObject /Subtype /Image /Width 8 /Height 8 "
                    b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode ")
    resources = b"<< /XObject << /Im0 9 0 R >> >>"
    draw = b"q 495 0 0 742 50 50 cm /Im0 Do Q"
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pages_pdf([draw] * 3, resources, extra_objects=[image]))  # object 9: the image
    assert "scanned: no text layer" in _refused(path)


def test_word_files_renamed_pdf_are_refused(tmp_path):
    docx = tmp_path / "report.pdf"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert _refused(docx).endswith("a Word file is not supported: save it as PDF")
    doc_file = tmp_path / "old.pdf"
    doc_file.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "WordDocument".encode("utf-16-le") + b"\x00" * 100)
    assert _refused(doc_file).endswith("a Word file is not supported: save it as PDF")


def test_too_many_pages_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.pdf"
    path.write_bytes(_pages_pdf([b""] * 1000))
    start = time.monotonic()
    message = _refused(path)
    assert time.monotonic() - start < 3
    assert f"too many pages (1000; the limit is {MAX_PAGES})" in message


def test_page_furniture_removed_from_a_generated_pdf(tmp_path):
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    pages = [b"BT /F1 9 Tf 200 820 Td (District Finance Bureau 2024 Final Accounts) Tj ET "
             b"BT /F1 12 Tf 72 600 Td (Narrative paragraph number %d of the report.) Tj ET "
             b"BT /F1 9 Tf 290 30 Td (- %d -) Tj ET" % (i, i) for i in range(1, 5)]
    path = tmp_path / "numbered.pdf"
    path.write_bytes(_pages_pdf(pages, font))
    result = read_pdf(path)
    assert [line.text for line in result.text] == [f"Narrative paragraph number {i} of the report." for i in range(1, 5)]
    assert result.tables == [] and result.pages == 4


# ----------------------------------------------------------------------------------------------
# A generated ruled table (CJK text in a standard CID font): the rules on a layout no sample has


# A standard CID font (no embedding needed): text is written as UCS-2 and read back through pdfminer's CMaps.
CJK_FONT = (b"<< /Font << /F1 << /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
            b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>] >> >> >>")


def _u(text: str) -> bytes:
    return b"<" + text.encode("utf-16-be").hex().encode() + b">"


def _text(x: float, y: float, text: str, size: int = 10) -> bytes:
    return b"BT /F1 %d Tf %.1f %.1f Td %s Tj ET\n" % (size, x, y, _u(text))


def _rule(x0: float, y0: float, x1: float, y1: float) -> bytes:
    return b"%.1f %.1f m %.1f %.1f l S\n" % (x0, y0, x1, y1)


def _grid_page(rows: list[tuple[str, str, str]], top: float, header: bool) -> bytes:
    """A 3-column table: 项目 (two header rows tall) | 金额 over 本年 and 上年; body rows 20pt (30pt if wrapped)."""
    out = bytearray(b"0.5 w\n")
    y = top
    if header:
        out += _rule(50, y, 440, y) + _rule(200, y - 20, 440, y - 20)
        out += _text(105, y - 24, "项目") + _text(300, y - 14, "金额") + _text(240, y - 34, "本年") + _text(360, y - 34, "上年")
        out += _rule(320, y - 20, 320, y - 40)
        for x in (50, 200, 440):
            out += _rule(x, y, x, y - 40)
        y -= 40
    out += _rule(50, y, 440, y)
    for label, this_year, last_year in rows:
        height = 30 if "\n" in label else 20
        for i, part in enumerate(label.split("\n")):
            out += _text(55, y - 14 - 12 * i, part)
        out += _text(315 - 10 * len(this_year), y - 14, this_year) + _text(435 - 10 * len(last_year), y - 14, last_year)
        for x in (50, 200, 320, 440):
            out += _rule(x, y, x, y - height)
        y -= height
        out += _rule(50, y, 440, y)
    return bytes(out)


def test_generated_table_continued_with_marker_repeated_header_and_page_numbers(tmp_path):
    page1 = (_text(60, 800, "一、收入支出情况") + _text(210, 780, "收入支出表", 14) + _text(380, 765, "单位：万元")
             + _grid_page([("一、工资福利", "1,234.56", "1,000.00"), ("二、商品服务", "20.00", ""),
                           ("三、对个人补助", "0.00", "3.10"), ("四、资本性支出", "", "0.50"),
                           ("五、其他", "7.00", "7.00")], 755, header=True)
             + _text(280, 30, "- 1 -"))
    page2 = (_text(400, 780, "续表")
             + _grid_page([("六、债务利息", "1.00", "2.00"), ("七、其他商品和服务\n支出", "8.00", "9.00"),
                           ("合计", "1,270.56", "1,022.10")], 755, header=True)
             + _text(50, 620, "注：本表为生成的测试数据。") + _text(60, 580, "二、下一节的正文。")
             + _text(280, 30, "- 2 -"))
    path = tmp_path / "generated.pdf"
    path.write_bytes(_pages_pdf([page1, page2], CJK_FONT))
    result = read_pdf(path)
    assert len(result.tables) == 1
    t = result.tables[0]
    assert (t.title, t.unit, t.unit_text, t.pages) == ("收入支出表", "万元", "单位：万元", [1, 2])
    assert t.header == [["项目", "金额", "金额"], ["项目", "本年", "上年"]]
    assert [(f.page, f.rows, f.repeated_header_rows) for f in t.fragments] == [(1, 5, 0), (2, 3, 2)]
    assert [r.cells for r in t.rows][4:] == [
        ["五、其他", "7.00", "7.00"], ["六、债务利息", "1.00", "2.00"],
        ["七、其他商品和服务支出", "8.00", "9.00"], ["合计", "1,270.56", "1,022.10"]]
    assert cell(t, "二、商品服务", "上年") == "" and cell(t, "三、对个人补助", "本年") == "0.00"
    assert t.notes == ["注：本表为生成的测试数据。"]
    assert [line.text for line in result.text] == ["一、收入支出情况", "二、下一节的正文。"]
    assert t.after_line == 0


def test_generated_table_with_title_and_unit_drawn_inside_the_rules(tmp_path):
    rows = [("测试收入表", None), ("编制单位：测试单位", "单位：元"), ("项目", "金额"), ("一、财政拨款", "1,200"), ("合计", "1,200")]
    out = bytearray(_text(60, 790, "表3") + b"0.5 w\n")  # a numbering line left of the table, not its title
    y = 770
    out += _rule(50, y, 350, y)
    for label, value in rows:
        if value is None or value.startswith("单位"):
            out += _text(60, y - 14, label) + (_text(260, y - 14, value) if value else b"")
        else:
            out += _text(60, y - 14, label) + _text(340 - 10 * len(value), y - 14, value) + _rule(200, y, 200, y - 20)
        out += _rule(50, y, 50, y - 20) + _rule(350, y, 350, y - 20)
        y -= 20
        out += _rule(50, y, 350, y)
    path = tmp_path / "inside.pdf"
    path.write_bytes(_pages_pdf([bytes(out)], CJK_FONT))
    t = read_pdf(path).tables[0]
    assert (t.title, t.unit, t.unit_text, t.department_line) == ("测试收入表", "元", "单位：元", "编制单位：测试单位")
    assert t.header == [["项目", "金额"]]
    assert [r.cells for r in t.rows] == [["一、财政拨款", "1,200"], ["合计", "1,200"]]
