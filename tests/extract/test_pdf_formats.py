"""Every development PDF read into a ``Disclosure``: the format detected, every table mapped onto its
template (id, role, rows per part, unit, decimals), spot values read BY HAND off the rendered pages
(``pdftoppm -png -r 80 -f N -l N``; the page is named in each comment, values as printed), the
identities that hold, the declared-empty tables, the blank national template, the narrative sections
and a sentence with its page, and the round trip through ``budgetkit extract`` and ``load_dataset``.

The findings each document gets from the table, completeness and extraction rules are listed too,
each one checked on the page (see the comments); the narrative rules (``narrative.*``, ``text.*``)
are another stage's and are not pinned here.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import pytest
from project_files import sample

from budgetkit.checks import run_rules
from budgetkit.core.money import parse_amount, to_fen
from budgetkit.core.template import load_template
from budgetkit.dataset.store import load_dataset
from budgetkit.extract import parse_source
from budgetkit.extract.grid_tables import _class_from_context, label_key
from budgetkit.run.cli import main

WANLI_23 = "shanghai-putuo-wanli-2023-dept-budget.pdf"
WANLI_24 = "shanghai-putuo-wanli-2024-dept-budget.pdf"
WANLI_25 = "shanghai-putuo-wanli-2025-dept-budget.pdf"
FINANCE_25 = "shanghai-putuo-finance-2025-dept-budget.pdf"
WELFARE_24 = "shanghai-putuo-welfare-home-2024-unit-budget.pdf"
FINANCE_24 = "shanghai-putuo-finance-2024-final-accounts.pdf"
PLANNING_24 = "shanghai-putuo-planning-2024-final-accounts.pdf"
BLANK = "national-final-accounts-template-2024.pdf"
ALL = [WANLI_23, WANLI_24, WANLI_25, FINANCE_25, WELFARE_24, FINANCE_24, PLANNING_24, BLANK]
SH, NAT = "shanghai-district-budget", "national-final-accounts"


@lru_cache(maxsize=None)
def disclosure(name: str):
    return parse_source(sample(name))


@lru_cache(maxsize=None)
def report(name: str):
    return run_rules(disclosure(name))


def fen(printed: str, unit: str) -> int | None:
    return to_fen(parse_amount(printed), unit) if printed else None


def row(frame: pd.DataFrame, which):
    """The row of a part: None (a one-row table), a code ('2101102'), a template row key ('key:opening_general',
    for a label printed twice), or a printed label (numbering ignored)."""
    if which is None:
        assert len(frame) == 1
        return frame.iloc[0]
    if which.startswith("key:"):
        hits = frame[frame["key"] == which[4:]]
    elif which.isdigit():
        hits = frame[frame["code"] == which]
    else:
        col = "item" if "item" in frame.columns else "name"
        hits = frame[frame[col].map(label_key) == label_key(which)]
    assert len(hits) == 1, f"{which!r}: {len(hits)} rows"
    return hits.iloc[0]


# ---------------------------------------------------------------- the format

# name → (template, scope, year, department as on the cover, page 1)
FORMATS = {
    WANLI_23: (SH, "department", 2023, "上海市普陀区人民政府万里街道办事处"),
    WANLI_24: (SH, "department", 2024, "上海市普陀区人民政府万里街道办事处"),
    WANLI_25: (SH, "department", 2025, "上海市普陀区人民政府万里街道办事处"),
    FINANCE_25: (SH, "department", 2025, "上海市普陀区财政局"),  # 预算主管部门：上海市普陀区财政局
    WELFARE_24: (SH, "unit", 2024, "上海市普陀区社会福利院"),  # 上海市普陀区社会福利院2024年单位预算
    FINANCE_24: (NAT, "department", 2024, "上海市普陀区财政局"),  # 2024年度部门决算
    PLANNING_24: (NAT, "department", 2024, "上海市普陀区规划和自然资源局"),  # name wrapped on two lines
    BLANK: (NAT, "department", 2024, "上海市XX局"),
}


@pytest.mark.parametrize("name", ALL)
def test_format_scope_year_and_department(name):
    meta = disclosure(name).meta
    assert (meta.template, meta.scope, meta.year, meta.department) == FORMATS[name]
    assert meta.blank is (name == BLANK)


# ---------------------------------------------------------------- tables, roles, rows per part

SH_ROLES = {"T1": "summary", "T2": "income", "T3": "expenditure", "T4": "fiscal_summary", "T5": "general_functional",
            "T6": "fund_functional", "T7": "soe_functional", "T8": "general_basic_economic", "T9": "three_public"}
NAT_ROLES = {"T1": "summary", "T2": "income", "T3": "expenditure", "T4": "fiscal_summary", "T5": "general_functional",
             "T6": "general_basic_economic", "T7": "three_public", "T8": "fund_functional", "T9": "soe_functional"}


def _sh_rows(classes: int, coded: int, economic: int) -> dict:
    """Rows of a Shanghai budget: T1/T4 list the classes the department has money in (+ 支出总计), the
    functional tables their coded rows + 合计, T8 its economic rows + 合计; T6/T7 only 合计 (empty)."""
    return {"T1": {"income": 8, "expenditure": classes + 1}, "T2": {"main": coded + 1}, "T3": {"main": coded + 1},
            "T4": {"income": 4, "expenditure": classes + 1}, "T5": {"main": coded + 1}, "T6": {"main": 1},
            "T7": {"main": 1}, "T8": {"main": economic + 1}, "T9": {"main": 1}}


def _nat_rows(classes: int, coded: int, economic: int, three_public: int = 1) -> dict:
    """Rows of a national final account: T1/T4 print every class of the year's list, T6 two blocks
    (人员经费, 公用经费) each closed by its 合计 line."""
    return {"T1": {"income": 12, "expenditure": classes + 4}, "T2": {"main": coded + 1}, "T3": {"main": coded + 1},
            "T4": {"income": 9, "expenditure": classes + 3}, "T5": {"main": coded + 1},
            "T6": {"main": economic + 2}, "T7": {"main": three_public}, "T8": {"main": 1}, "T9": {"main": 1}}


# counted on the pages: coded rows of T2 (T3, T5 alike), economic rows of T8/T6
ROWS = {
    WANLI_23: _sh_rows(8, 66, 30),  # p.10: 8 classes; p.11-14: 66 codes; p.26-27: 30 economic codes
    WANLI_24: _sh_rows(9, 66, 31),  # p.10; p.11-15; p.29-30
    WANLI_25: _sh_rows(9, 66, 31),  # p.9; p.10-13; p.27-28
    FINANCE_25: _sh_rows(4, 19, 29),  # p.9; p.10-11; p.19-20
    WELFARE_24: _sh_rows(4, 14, 26),  # p.7 (一、一般公共服务支出 printed with no amount); p.8; p.14
    FINANCE_24: _nat_rows(26, 19, 64),  # p.6: 26 classes (with 债务还本/付息); p.8-9; p.16-17: 26 + 38 codes
    PLANNING_24: _nat_rows(24, 24, 65),  # p.7: 24 classes; p.8-9; p.16: 27 + 38 codes
    BLANK: _nat_rows(24, 5, 65, three_public=0),  # p.5; p.6: 5 example codes; p.11; p.12: no row at all
}


@pytest.mark.parametrize("name", ALL)
def test_every_table_recognised_with_its_rows(name):
    d = disclosure(name)
    template = load_template(d.meta.template)
    roles = SH_ROLES if d.meta.template == SH else NAT_ROLES
    assert {t: template.table(t).role for t in d.tables} == roles
    assert {t: {k: len(f) for k, f in table.parts.items()} for t, table in d.tables.items()} == ROWS[name]


# ---------------------------------------------------------------- units and decimals

def _units(name):
    d = disclosure(name)
    return {t: (table.unit, table.decimals) for t, table in d.tables.items()}


def test_units_and_decimals():
    whole = {t: ("元", 0) for t in SH_ROLES}
    # Shanghai budgets: 元 with thousands separators, the 三公 table in 万元 (p.28 / p.31 / p.29: 22.91, 6.4)
    assert _units(WANLI_23) == {**whole, "T9": ("万元", 2)}
    assert _units(WANLI_24) == {**whole, "T9": ("万元", 2)}
    assert _units(WANLI_25) == {**whole, "T9": ("万元", 2)}
    assert _units(WELFARE_24) == {**whole, "T9": ("万元", 1)}  # p.15: 6.4
    # 财政局 prints 元 to the 分 (p.9: 31,214,205.80); its empty T6/T7 have no number to say so
    assert _units(FINANCE_25) == {**{t: ("元", 2) for t in SH_ROLES}, "T6": ("元", 0), "T7": ("元", 0),
                                  "T9": ("万元", 2)}
    for name in (FINANCE_24, PLANNING_24, BLANK):  # 单位：万元 over every table, 2 decimals
        assert _units(name) == {t: ("万元", 2) for t in NAT_ROLES}


# ---------------------------------------------------------------- spot values read off the pages

# (table, part, row, column key, value as printed); unit from the table
SPOTS = {
    WANLI_23: [
        # p.10 2023年部门财务收支预算总表
        ("T1", "income", "一、财政拨款收入", "amount", "164,978,640"),
        ("T1", "income", "1. 一般公共预算", "amount", "164,978,640"),
        ("T1", "expenditure", "五、社会保障和就业支出", "total", "27,073,236"),
        ("T1", "expenditure", "七、城乡社区支出", "total", "121,319,878"),
        ("T1", "expenditure", "支出总计", "total", "164,978,640"),
        # p.11 收入预算总表: 201 05 06 统计管理; 事业收入 printed blank
        ("T2", "main", "2010506", "total", "26,300"),
        ("T2", "main", "20133", "fiscal", "1,002,000"),
        ("T2", "main", "2010506", "business", ""),
        ("T2", "main", "2210201", "total", "3,526,694"),  # p.14
        ("T2", "main", "合计", "fiscal", "164,978,640"),  # p.14
        # p.15 支出预算总表
        ("T3", "main", "201", "basic", "0"),
        ("T3", "main", "201", "project", "2,976,800"),
        ("T3", "main", "221", "project", "2,177,200"),  # p.18
        ("T3", "main", "合计", "basic", "99,406,297"),  # p.18
        ("T3", "main", "合计", "project", "65,572,343"),
        # p.19 财政拨款收支预算总表
        ("T4", "income", "一、一般公共预算资金", "amount", "164,978,640"),
        ("T4", "expenditure", "七、城乡社区支出", "general", "121,319,878"),
        ("T4", "expenditure", "四、文化旅游体育与传媒支出", "total", "200,000"),  # label wrapped in its cell
        ("T4", "expenditure", "支出总计", "fund", ""),
        # p.20 一般公共预算支出功能分类预算表
        ("T5", "main", "2010507", "project", "601,300"),
        ("T5", "main", "204", "total", "1,252,300"),
        ("T5", "main", "2120199", "basic", "46,161,905"),  # p.23
        ("T5", "main", "合计", "basic", "99,406,297"),  # p.23
        # p.24, p.25: empty tables, only 合计 with nothing in it
        ("T6", "main", "合计", "total", ""),
        ("T7", "main", "合计", "total", ""),
        ("T7", "main", "合计", "project", ""),
        # p.26 一般公共预算基本支出部门预算经济分类预算表 (301 02 → 30102)
        ("T8", "main", "30102", "personnel", "16,743,933"),
        ("T8", "main", "302", "public", "15,381,432"),
        ("T8", "main", "302", "personnel", ""),
        ("T8", "main", "30214", "total", "1,990,014"),  # p.27
        ("T8", "main", "合计", "personnel", "84,024,865"),  # p.27
        # p.28 部门“三公”经费和机关运行经费预算表 (万元)
        ("T9", "main", None, "total", "22.91"),
        ("T9", "main", None, "reception", "1.35"),
        ("T9", "main", None, "vehicle_purchase", "0"),
        ("T9", "main", None, "vehicle_operation", "21.56"),
        ("T9", "main", None, "office_running", "786.09"),
    ],
    WANLI_24: [
        # p.10
        ("T1", "income", "一、财政拨款收入", "amount", "156,211,123"),
        ("T1", "income", "二、事业收入", "amount", ""),
        ("T1", "expenditure", "一、一般公共服务支出", "total", "2,932,700"),
        ("T1", "expenditure", "八、城乡社区支出", "total", "119,385,303"),
        ("T1", "expenditure", "支出总计", "total", "156,211,123"),
        # p.11 (事业收入 printed 0 in this year)
        ("T2", "main", "201", "total", "2,932,700"),
        ("T2", "main", "2013302", "fiscal", "1,106,000"),
        ("T2", "main", "2013302", "business", "0"),
        ("T2", "main", "2040607", "total", "300,000"),  # p.12
        ("T2", "main", "合计", "total", "156,211,123"),  # p.15
        # p.16
        ("T3", "main", "201", "project", "2,932,700"),
        ("T3", "main", "2089999", "basic", "6,133,194"),  # p.18
        ("T3", "main", "2089999", "project", "1,679,200"),
        ("T3", "main", "2101102", "total", "1,601,424"),
        ("T3", "main", "合计", "project", "56,505,103"),  # p.20
        # p.21
        ("T4", "income", "一、一般公共预算资金", "amount", "156,211,123"),
        ("T4", "expenditure", "六、社会保障和就业支出", "general", "19,604,064"),
        ("T4", "expenditure", "九、住房保障支出", "total", "8,882,399"),
        ("T4", "expenditure", "支出总计", "general", "156,211,123"),
        # p.22
        ("T5", "main", "2013202", "total", "888,700"),
        ("T5", "main", "2210201", "basic", "3,503,499"),  # p.26
        ("T5", "main", "2210399", "project", "2,177,200"),
        ("T5", "main", "合计", "basic", "99,706,020"),
        ("T6", "main", "合计", "total", ""),  # p.27
        ("T6", "main", "合计", "basic", ""),
        ("T7", "main", "合计", "total", ""),  # p.28
        # p.29: 款 printed "2" and "7" for 02 and 07
        ("T8", "main", "30102", "total", "16,623,810"),
        ("T8", "main", "30107", "personnel", "11,447,100"),
        ("T8", "main", "302", "public", "11,168,569"),
        ("T8", "main", "30217", "public", "13,500"),  # p.30
        ("T8", "main", "30231", "total", "215,600"),
        ("T8", "main", "合计", "personnel", "88,537,451"),
        # p.31: a table full of numbers over "故本表为空表"
        ("T9", "main", None, "total", "47.91"),
        ("T9", "main", None, "abroad", "0"),
        ("T9", "main", None, "vehicle_purchase", "25"),
        ("T9", "main", None, "vehicle_operation", "21.56"),
        ("T9", "main", None, "office_running", "443.18"),
    ],
    WANLI_25: [
        # p.9
        ("T1", "income", "一、财政拨款收入", "amount", "189,767,551"),
        ("T1", "expenditure", "二、公共安全支出", "total", "2,878,025"),
        ("T1", "expenditure", "八、城乡社区支出", "total", "154,369,326"),
        ("T1", "expenditure", "支出总计", "total", "189,767,551"),
        # p.10
        ("T2", "main", "20105", "total", "438,300"),
        ("T2", "main", "201", "other", "0"),
        ("T2", "main", "2080505", "fiscal", "4,827,156"),  # p.11
        ("T2", "main", "2210201", "total", "3,846,732"),  # p.13
        ("T2", "main", "合计", "total", "189,767,551"),  # p.13
        # p.15
        ("T3", "main", "208", "basic", "13,755,695"),
        ("T3", "main", "208", "project", "2,336,200"),
        ("T3", "main", "2120101", "project", "150,000"),  # p.16
        ("T3", "main", "2089999", "basic", "6,166,222"),  # p.16
        ("T3", "main", "合计", "project", "88,425,805"),  # p.18
        # p.19
        ("T4", "income", "一、一般公共预算资金", "amount", "189,767,551"),
        ("T4", "expenditure", "六、社会保障和就业支出", "total", "16,091,895"),
        ("T4", "expenditure", "八、城乡社区支出", "general", "154,369,326"),
        # p.20-24 (its header repeated on every page)
        ("T5", "main", "208", "basic", "13,755,695"),  # p.21
        ("T5", "main", "2089999", "project", "1,408,200"),  # p.22
        ("T5", "main", "2210201", "total", "3,846,732"),  # p.24
        ("T5", "main", "合计", "total", "189,767,551"),  # p.24
        ("T6", "main", "合计", "total", ""),  # p.25
        ("T7", "main", "合计", "total", ""),  # p.26
        ("T7", "main", "合计", "basic", ""),
        # p.27
        ("T8", "main", "30102", "total", "18,149,307"),
        ("T8", "main", "30107", "personnel", "11,610,630"),
        ("T8", "main", "30217", "public", "13,500"),  # p.28
        ("T8", "main", "合计", "personnel", "90,514,044"),  # p.28
        ("T8", "main", "合计", "public", "10,827,702"),
        # p.29
        ("T9", "main", None, "total", "37.91"),
        ("T9", "main", None, "vehicle_purchase", "15"),
        ("T9", "main", None, "vehicle_operation", "21.56"),
        ("T9", "main", None, "office_running", "464.64"),
    ],
    FINANCE_25: [
        # p.9 (元 to the 分)
        ("T1", "income", "一、财政拨款收入", "amount", "31,214,205.80"),
        ("T1", "expenditure", "一、一般公共服务支出", "total", "22,186,440.80"),
        ("T1", "expenditure", "三、卫生健康支出", "total", "782,164.00"),
        ("T1", "income", "收入总计", "amount", "31,214,205.80"),
        # p.10-11 (事业收入 printed blank)
        ("T2", "main", "2010601", "total", "16,231,840.80"),
        ("T2", "main", "2010608", "fiscal", "4,188,000.00"),
        ("T2", "main", "2080599", "total", "9,620.00"),
        ("T2", "main", "2010601", "business", ""),
        ("T2", "main", "合计", "total", "31,214,205.80"),  # p.11
        # p.12-13
        ("T3", "main", "2010601", "basic", "16,093,326.00"),
        ("T3", "main", "2010601", "project", "138,514.80"),
        ("T3", "main", "2010602", "basic", ""),
        ("T3", "main", "合计", "basic", "25,121,091.00"),  # p.13
        # p.14
        ("T4", "income", "一、一般公共预算资金", "amount", "31,214,205.80"),
        ("T4", "expenditure", "二、社会保障和就业支出", "general", "3,508,644.00"),
        ("T4", "expenditure", "四、住房保障支出", "total", "4,736,957.00"),
        # p.15-16
        ("T5", "main", "201", "project", "6,093,114.80"),
        ("T5", "main", "2080505", "basic", "1,748,327.00"),
        ("T5", "main", "2210203", "total", "2,687,760.00"),  # p.16
        ("T6", "main", "合计", "total", ""),  # p.17
        ("T7", "main", "合计", "total", ""),  # p.18
        ("T7", "main", "合计", "project", ""),
        # p.19-20
        ("T8", "main", "30102", "personnel", "13,012,070.00"),
        ("T8", "main", "30102", "public", "0.00"),
        ("T8", "main", "30217", "total", "9,500.00"),  # p.20
        ("T8", "main", "31002", "public", "90,000.00"),  # p.20
        ("T8", "main", "合计", "public", "2,294,335.00"),
        # p.21 (万元)
        ("T9", "main", None, "total", "0.95"),
        ("T9", "main", None, "reception", "0.95"),
        ("T9", "main", None, "abroad", ""),
        ("T9", "main", None, "office_running", "229.43"),
    ],
    WELFARE_24: [
        # p.7 2024年预算单位财务收支预算总表
        ("T1", "income", "一、财政拨款收入", "amount", "9,501,164"),
        ("T1", "income", "二、事业收入", "amount", "2,620,000"),
        ("T1", "expenditure", "二、社会保障和就业支出", "personnel", "6,540,674"),
        ("T1", "expenditure", "二、社会保障和就业支出", "project", "2,620,000"),
        ("T1", "expenditure", "一、一般公共服务支出", "total", ""),
        ("T1", "expenditure", "支出总计", "public", "2,120,950"),
        # p.8
        ("T2", "main", "208", "business", "2,620,000"),
        ("T2", "main", "2080599", "total", "7,020"),
        ("T2", "main", "2210201", "fiscal", "335,816"),
        ("T2", "main", "合计", "total", "12,121,164"),
        # p.9: "7 11 02 事业单位医疗" (类 misprinted) is 2101102
        ("T3", "main", "2081005", "project", "2,620,000"),
        ("T3", "main", "2101102", "total", "503,724"),
        ("T3", "main", "21011", "basic", "503,724"),
        ("T3", "main", "合计", "basic", "9,501,164"),
        # p.10
        ("T4", "income", "一、一般公共预算资金", "amount", "9,501,164"),
        ("T4", "expenditure", "二、社会保障和就业支出", "total", "8,661,624"),
        ("T4", "expenditure", "三、医疗卫生与计划生育支出", "general", "503,724"),
        ("T4", "expenditure", "支出总计", "fund", ""),
        # p.11 (the same misprint)
        ("T5", "main", "2080505", "basic", "767,579"),
        ("T5", "main", "2081005", "total", "6,964,796"),
        ("T5", "main", "2101102", "basic", "503,724"),
        ("T5", "main", "合计", "project", ""),
        ("T6", "main", "合计", "total", ""),  # p.12
        ("T7", "main", "合计", "total", ""),  # p.13
        ("T7", "main", "合计", "basic", ""),
        # p.14
        ("T8", "main", "30107", "personnel", "3,580,522"),
        ("T8", "main", "30209", "public", "1,206,000"),
        ("T8", "main", "30301", "total", "421,800"),
        ("T8", "main", "合计", "personnel", "7,380,214"),
        # p.15 (万元)
        ("T9", "main", None, "total", "6.4"),
        ("T9", "main", None, "abroad", "0"),
        ("T9", "main", None, "vehicle_purchase", ""),
        ("T9", "main", None, "vehicle_operation", "6.4"),
        ("T9", "main", None, "office_running", "0"),
    ],
    FINANCE_24: [
        # p.6-7 收入支出决算总表
        ("T1", "income", "一、一般公共预算财政拨款收入", "amount", "2,940.05"),
        ("T1", "income", "八、其他收入", "amount", "6.20"),
        ("T1", "income", "年初结转和结余", "amount", "49.14"),  # p.7
        ("T1", "expenditure", "八、社会保障和就业支出", "total", "326.71"),
        ("T1", "expenditure", "年末结转和结余", "total", "55.34"),  # p.7
        ("T1", "expenditure", "总计", "total", "2,995.39"),  # p.7
        # p.8-9 收入决算表 (类 款 项 cells)
        ("T2", "main", "合计", "total", "2,946.25"),
        ("T2", "main", "2010601", "other", "0.01"),
        ("T2", "main", "2010602", "other", "6.19"),
        ("T2", "main", "208", "fiscal", "326.72"),
        ("T2", "main", "2210203", "total", "258.50"),  # p.9
        # p.10-11 支出决算表
        ("T3", "main", "合计", "basic", "2,336.91"),
        ("T3", "main", "2010601", "project", "8.37"),
        ("T3", "main", "2010602", "basic", ""),
        ("T3", "main", "2080599", "total", "0.94"),  # p.11
        # p.12-13 财政拨款收入支出决算总表
        ("T4", "income", "key:general", "amount", "2,940.05"),  # 一、一般公共预算财政拨款 (本年收入)
        ("T4", "income", "key:opening_general", "amount", "21.63"),  # p.13 the same label under 年初结转
        ("T4", "income", "年初财政拨款结转和结余", "amount", "21.63"),  # p.13
        ("T4", "expenditure", "九、卫生健康支出", "general", "60.99"),
        ("T4", "expenditure", "年末财政拨款结转和结余", "general", "21.63"),  # p.13
        ("T4", "expenditure", "总计", "total", "2,961.68"),  # p.13
        # p.15 一般公共预算财政拨款支出决算表
        ("T5", "main", "201", "project", "603.14"),
        ("T5", "main", "2010607", "basic", ""),
        ("T5", "main", "2210201", "total", "187.19"),
        ("T5", "main", "合计", "basic", "2,336.91"),
        # p.16-17 基本支出决算表, two blocks side by side
        ("T6", "main", "30102", "amount", "1,238.58"),
        ("T6", "main", "30103", "amount", ""),
        ("T6", "main", "30309", "amount", "0.31"),  # p.17
        ("T6", "main", "302", "amount", "171.07"),
        ("T6", "main", "30239", "amount", "48.49"),  # p.17
        ("T6", "main", "人员经费合计", "amount", "2,152.26"),  # p.17
        ("T6", "main", "公用经费合计", "amount", "184.65"),
        # p.18 财政拨款“三公”经费支出决算表
        ("T7", "main", None, "budget_total", "0.95"),
        ("T7", "main", None, "actual_total", ""),
        ("T7", "main", None, "budget_reception", "0.95"),
        ("T7", "main", None, "budget_abroad", ""),
        ("T8", "main", "合计", "income", ""),  # p.19 故本表无数据
        ("T8", "main", "合计", "closing", ""),
        ("T9", "main", "合计", "spent", ""),  # p.20
    ],
    PLANNING_24: [
        # p.7 收入支出决算总表
        ("T1", "income", "一、一般公共预算财政拨款收入", "amount", "9746.50"),
        ("T1", "income", "年初结转和结余", "amount", "112.88"),
        ("T1", "expenditure", "十八、自然资源海洋气象等支出", "total", "4461.67"),
        ("T1", "expenditure", "九、卫生健康支出", "total", "236.63"),
        ("T1", "expenditure", "本年支出合计", "total", "9759.38"),
        ("T1", "expenditure", "年末结转和结余", "total", "100.00"),
        # p.8-9 收入决算表 (codes printed whole)
        ("T2", "main", "合计", "fiscal", "9746.50"),
        ("T2", "main", "2080505", "total", "446.11"),  # name wrapped over two lines
        ("T2", "main", "2200150", "total", "4416.67"),  # p.9
        ("T2", "main", "2200150", "superior", ""),
        # p.10-11 支出决算表
        ("T3", "main", "合计", "project", "4381.74"),
        ("T3", "main", "208", "project", "0.00"),
        ("T3", "main", "21201", "basic", "1096.91"),  # p.11
        ("T3", "main", "2200199", "project", "45.00"),  # p.11
        # p.12-13 财政拨款收入支出决算总表
        ("T4", "income", "key:general", "amount", "9746.50"),  # 一、一般公共预算财政拨款
        ("T4", "income", "key:opening_general", "amount", ""),  # p.13 the same label under 年初结转
        ("T4", "income", "年初财政拨款结转和结余", "amount", ""),  # p.13
        ("T4", "expenditure", "十一、城乡社区支出", "general", "3832.36"),
        ("T4", "expenditure", "本年支出合计", "total", "9746.50"),  # p.13
        # p.14-15 一般公共预算财政拨款支出决算表
        ("T5", "main", "212", "basic", "1572.70"),
        ("T5", "main", "2120101", "project", "8.77"),
        ("T5", "main", "2200199", "basic", "0.00"),
        ("T5", "main", "合计", "basic", "5364.75"),  # p.15
        # p.16 基本支出决算表
        ("T6", "main", "30107", "amount", "1594.02"),
        ("T6", "main", "30306", "amount", "0.00"),
        ("T6", "main", "30217", "amount", "0.39"),
        ("T6", "main", "31002", "amount", "39.76"),
        ("T6", "main", "人员经费合计", "amount", "4884.09"),
        ("T6", "main", "公用经费合计", "amount", "480.66"),
        # p.17 三公
        ("T7", "main", None, "budget_total", "2.85"),
        ("T7", "main", None, "actual_total", "0.39"),
        ("T7", "main", None, "actual_reception", "0.39"),
        ("T7", "main", None, "budget_vehicle_purchase", "0.00"),
        ("T8", "main", "合计", "opening", ""),  # p.18 故本表无数据
        ("T9", "main", "合计", "spent", ""),  # p.19
        ("T9", "main", "合计", "closing", ""),
    ],
    BLANK: [
        # p.5-14: a template with no numbers; example codes and every fixed row printed
        ("T1", "income", "一、一般公共预算财政拨款收入", "amount", ""),
        ("T1", "expenditure", "二十四、抗疫特别国债安排的支出", "total", ""),
        ("T1", "expenditure", "总计", "total", ""),
        ("T2", "main", "2050205", "total", ""),  # p.6 高等教育
        ("T2", "main", "20799", "fiscal", ""),
        ("T2", "main", "合计", "total", ""),
        ("T3", "main", "205", "basic", ""),  # p.7
        ("T3", "main", "20502", "project", ""),
        ("T3", "main", "合计", "total", ""),
        ("T4", "income", "key:soe", "amount", ""),  # p.8 三、国有资本经营预算财政拨款
        ("T4", "expenditure", "本年支出合计", "general", ""),  # p.9
        ("T4", "expenditure", "总计", "total", ""),
        ("T5", "main", "207", "total", ""),  # p.10
        ("T5", "main", "20799", "basic", ""),
        ("T5", "main", "合计", "project", ""),
        ("T6", "main", "30101", "amount", ""),  # p.11
        ("T6", "main", "31099", "amount", ""),
        ("T6", "main", "公用经费合计", "amount", ""),
        ("T8", "main", "合计", "income", ""),  # p.13
        ("T8", "main", "合计", "spent", ""),
        ("T8", "main", "合计", "closing", ""),
        ("T9", "main", "合计", "opening", ""),  # p.14
        ("T9", "main", "合计", "basic", ""),
        ("T9", "main", "合计", "project", ""),
    ],
}


@pytest.mark.parametrize("name", ALL)
def test_spot_values_read_by_hand(name):
    d = disclosure(name)
    for tid, part, which, col, printed in SPOTS[name]:
        table = d.tables[tid]
        value = row(table.part(part), which)[col]
        where = f"{tid}.{part} {which} / {col}"
        if printed:
            assert not pd.isna(value), f"{where}: blank, printed {printed}"
            assert int(value) == fen(printed, table.unit), f"{where}: {value} 分, printed {printed} {table.unit}"
        else:
            assert pd.isna(value), f"{where}: {value}, printed blank"
    spotted = {s[0] for s in SPOTS[name]}
    assert spotted == set(d.tables) - ({"T7"} if name == BLANK else set())  # the blank T7 has no row


def test_codes_in_split_cells_are_joined_and_padded():
    # p.29 of 万里 2024 prints "301 | 2 | 津贴补贴": the 款 cell is two digits wide
    frame = disclosure(WANLI_24).tables["T8"].part()
    assert row(frame, "30102")["name"] == "津贴补贴" and row(frame, "30107")["name"] == "绩效工资"
    # the final accounts print codes split (财政局 p.8) or whole (规划局 p.8): the same codes either way
    for name in (FINANCE_24, PLANNING_24):
        codes = list(disclosure(name).tables["T2"].part()["code"])
        assert "2080505" in codes and all(c == "" or c.isdigit() for c in codes)


# ---------------------------------------------------------------- declared-empty tables

DECLARED_EMPTY = {
    WANLI_23: {"T6", "T7"},  # p.24, p.25 注:本部门2023年无…预算，故本表为空表。
    WANLI_24: {"T6", "T7", "T9"},  # p.31: 注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。
    WANLI_25: {"T6", "T7"},  # p.25, p.26
    FINANCE_25: {"T6", "T7"},  # p.17, p.18 (T7's note names 政府性基金: copied from T6)
    WELFARE_24: {"T6", "T7"},  # p.12, p.13 注:本单位2024年无…，故本表为空表。
    FINANCE_24: {"T8", "T9"},  # p.19, p.20 注：上海市普陀区财政局无…，故本表无数据。
    PLANNING_24: {"T8", "T9"},  # p.18, p.19 说明：…本年度没有…，故本表无数据。
    BLANK: {"T8", "T9"},  # p.13, p.14: the sample 说明 under "并在本表下方作下述说明："
}


@pytest.mark.parametrize("name", ALL)
def test_declared_empty_tables(name):
    d = disclosure(name)
    assert {t for t, table in d.tables.items() if table.declared_empty} == DECLARED_EMPTY[name]


def test_a_table_declared_empty_but_full_of_numbers_is_an_error():
    # 万里 2024 p.31: the 三公 table prints 47.91 … 443.18 over "故本表为空表" (genuine)
    found = [f for f in report(WANLI_24).findings if f.rule == "completeness.empty_declared"]
    assert [(f.severity, f.table) for f in found] == [("error", "T9")]


# ---------------------------------------------------------------- identities

WITHIN_CROSS = ("within.", "cross.")


@pytest.mark.parametrize("name", [n for n in ALL if n != BLANK])
def test_table_identities_hold(name):
    r = run_rules(disclosure(name), select=list(WITHIN_CROSS))
    statuses = {x.rule: x.status for x in r.results}
    assert "fail" not in statuses.values(), [f.message for f in r.findings if f.severity == "error"]
    assert all(f.severity in ("rounding", "info") for f in r.findings)
    for rule in ("within.summary.balance", "within.income.hierarchy", "within.expenditure.row_total",
                 "cross.summary_classes_vs_expenditure", "cross.fiscal_summary_vs_general_functional",
                 "cross.general_basic_vs_economic", "cross.three_public_vs_economic_items"):
        assert statuses[rule] == "pass", rule
    if load_template(disclosure(name).meta.template).id == SH:
        for rule in ("cross.expenditure_vs_income", "cross.office_running_vs_public"):
            assert statuses[rule] == "pass", rule


def _sum(frame, col, mask):
    return int(frame.loc[mask, col].fillna(0).sum())


@pytest.mark.parametrize("name", [WANLI_23, WANLI_24, WANLI_25, FINANCE_25, WELFARE_24, PLANNING_24])
def test_leaf_rows_add_up_to_the_printed_total(name):
    """Recomputed: the 项 rows of T2/T3/T5 add up to their 合计 line exactly (财政局 2024 is off by 0.01
    万元 of rounding, tested below); T3 合计 = 基本 + 项目."""
    d = disclosure(name)
    for tid in ("T2", "T3", "T5"):
        frame = d.tables[tid].part()
        leaves, total = frame["code"].str.len() == 7, frame["name"] == "合计"
        for col in ("total", "basic", "project", "fiscal"):
            if col in frame.columns:
                assert _sum(frame, col, leaves) == _sum(frame, col, total), (tid, col)
    t3 = row(d.tables["T3"].part(), "合计")
    assert t3["total"] == t3["basic"] + t3["project"]


def test_rounding_in_the_final_accounts_is_rounding_not_error():
    # 财政局 2024 p.8: the 项 of 收入决算表 add up to 2,946.26 against 合计 2,946.25 (10 rounded terms)
    d = disclosure(FINANCE_24)
    frame = d.tables["T2"].part()
    assert _sum(frame, "total", frame["code"].str.len() == 7) == fen("2,946.26", "万元")
    found = [f for f in report(FINANCE_24).findings if f.rule == "within.income.hierarchy"]
    assert found and {f.severity for f in found} == {"rounding"}
    # p.6 vs p.10: 社会保障和就业支出 326.71 in 表1, 326.72 in 表3 — one rounded value each
    found = [f for f in report(FINANCE_24).findings if f.rule == "cross.summary_classes_vs_expenditure"]
    assert [(f.severity, f.location) for f in found] == [("rounding", "社会保障和就业支出 / 决算数")]
    # 万里 2025 p.12: 212 01 prints 94,995,790; its 项 add up to 94,995,789 (元 rounded from 分)
    found = [f for f in report(WANLI_25).findings if f.rule == "within.income.hierarchy"]
    assert found and {f.severity for f in found} == {"rounding"}


def test_balances_recomputed_by_hand():
    # 财政局 2024 p.6-7: 本年收入 2,946.25 + 年初结转和结余 49.14 = 本年支出 2,940.05 + 年末 55.34 = 2,995.39
    t1 = disclosure(FINANCE_24).tables["T1"]
    income, spent = t1.part("income"), t1.part("expenditure")
    assert row(income, "本年收入合计")["amount"] + row(income, "年初结转和结余")["amount"] == \
        row(spent, "本年支出合计")["total"] + row(spent, "年末结转和结余")["total"] == fen("2,995.39", "万元")
    # 社会福利院 p.7: 财政拨款 9,501,164 + 事业收入 2,620,000 = 收入总计 = 支出总计 12,121,164
    t1 = disclosure(WELFARE_24).tables["T1"]
    assert row(t1.part("income"), "一、财政拨款收入")["amount"] + row(t1.part("income"), "二、事业收入")["amount"] == \
        row(t1.part("expenditure"), "支出总计")["total"] == fen("12,121,164", "元")
    # 万里 2024: 表8 公务接待费 13,500 元 = 表9 1.35 万元; 公务用车运行维护费 215,600 元 = 21.56 万元
    d = disclosure(WANLI_24)
    t8, t9 = d.tables["T8"].part(), row(d.tables["T9"].part(), None)
    assert row(t8, "30217")["total"] == t9["reception"] and row(t8, "30231")["total"] == t9["vehicle_operation"]


# ---------------------------------------------------------------- the findings of the table rules

def _table_findings(name):
    """Errors and warnings of every rule but the narrative ones (another stage's)."""
    return sorted((f.severity, f.rule, f.table) for f in report(name).findings
                  if f.severity in ("error", "warning") and not f.rule.startswith(("narrative.", "text.")))


def test_findings_of_the_table_rules_are_the_genuine_ones():
    for name in (WANLI_23, WANLI_25, FINANCE_25, FINANCE_24, PLANNING_24, BLANK):
        assert _table_findings(name) == [], name
    assert _table_findings(WANLI_24) == [("error", "completeness.empty_declared", "T9")]  # p.31
    # 社会福利院: p.7 and p.10 print the pre-2019 name of class 210; p.9 and p.11 print 2101102 as "7 11 02"
    assert _table_findings(WELFARE_24) == [("warning", "extraction.ambiguity", t) for t in ("T1", "T3", "T4", "T5")]


def test_misprinted_class_code_reported_once_per_table_and_read_from_the_row_above():
    d = disclosure(WELFARE_24)
    notes = [n for n in d.notes if n.kind == "misprinted_code"]
    assert [(n.table, n.location) for n in notes] == [("T3", "第11行 2101102 事业单位医疗"),
                                                        ("T5", "第11行 2101102 事业单位医疗")]
    assert all("“7 11 02”" in n.message and "“2101102”" in n.message for n in notes)
    for tid in ("T3", "T5"):
        frame = d.tables[tid].part()
        assert not frame["code"].str.startswith("7").any()
        assert row(frame, "2101102")["kind"] == "leaf" and row(frame, "21011")["kind"] == "subtotal"
    assert not [n for n in d.notes if n.kind == "orphan_code"]
    assert not [f for f in report(WELFARE_24).findings if f.rule.startswith("cross.") and f.severity == "error"]


def test_class_from_context_rule():
    widths = [3, 2, 2]
    recs = [{"code": "210"}, {"code": "21011"}]
    assert _class_from_context(["7", "11", "02"], widths, recs) == "210"
    assert _class_from_context(["", "11", "02"], widths, recs) == "210"
    assert _class_from_context(["", "11", ""], widths, [{"code": "210"}]) == "210"  # a 款 under its 类
    assert _class_from_context(["210", "11", "02"], widths, recs) is None  # a 类 printed right
    assert _class_from_context(["7", "12", "02"], widths, recs) is None  # another 款: no context
    assert _class_from_context(["7", "11", "02"], widths, []) is None
    assert _class_from_context(["合计", "", ""], widths, recs) is None


def test_performance_forms_are_said_once_not_warned_per_page():
    d = disclosure(WANLI_23)  # p.31-35: five 财政项目支出绩效目标填报表
    assert not [n for n in d.notes if n.kind == "unknown_table"]
    forms = [n for n in d.notes if n.kind == "forms_not_read"]
    assert [(n.severity, n.location) for n in forms] == [("info", "财政项目支出绩效目标填报表")]
    assert "第31–35页的5张" in forms[0].message
    assert not [f for f in report(WANLI_23).findings if f.rule == "extraction.ambiguity"]


# ---------------------------------------------------------------- the blank national template

def test_blank_template_recognised_as_blank(capsys):
    d = disclosure(BLANK)
    assert d.meta.blank and not any(t.has_values for t in d.tables.values())
    r = report(BLANK)
    assert {x.status for x in r.results} == {"not_applicable"} and not r.findings
    assert main(["check", str(sample(BLANK))]) == 0
    assert "Traceback" not in capsys.readouterr().err


# ---------------------------------------------------------------- sections and the narrative

SECTIONS = {
    WANLI_23: ["duties", "organisation", "glossary", "explanation", "other", "projects"],
    WANLI_24: ["duties", "organisation", "glossary", "explanation", "other", "projects"],
    WANLI_25: ["duties", "organisation", "glossary", "explanation", "other", "projects"],
    FINANCE_25: ["duties", "organisation", "glossary", "explanation", "other", "projects"],
    WELFARE_24: ["duties", "organisation", "glossary", "explanation", "other"],  # 目录 p.2: no 项目经费情况说明
    FINANCE_24: ["duties", "organisation", "explanation", "glossary"],
    PLANNING_24: ["duties", "organisation", "explanation", "glossary"],
    BLANK: ["duties", "organisation", "explanation", "glossary"],  # p.3 二、部门决算单位构成（仅有一个单位…）
}

# a sentence of the narrative as printed (spaces between words removed) and its page
SENTENCES = {
    WANLI_23: ("2023年，上海市普陀区人民政府万里街道办事处收入预算16497.86万元", 6),
    WANLI_24: ("2024年，上海市普陀区人民政府万里街道办事处收入预算15621.11万元", 6),
    WANLI_25: ("财政拨款的机关运行经费预算为464.64万元", 30),
    FINANCE_25: ("2025年，上海市普陀区财政局收入预算3,121.42万元", 7),
    WELFARE_24: ("事业单位医疗（项）”50.37万元", 6),
    FINANCE_24: ("一般公共服务支出（类）2106.66万元，占71.73%", 21),
    PLANNING_24: ("上海市普陀区规划和自然资源局2024年度收入支出总计9859.38万元", 20),
    BLANK: ("上海市XX局2024年度收入支出总计XXX万元", 15),
}


@pytest.mark.parametrize("name", ALL)
def test_sections_and_a_sentence_with_its_page(name):
    d = disclosure(name)
    assert d.meta.sections == SECTIONS[name]
    assert d.narrative.line_unit == "页"
    text, page = SENTENCES[name]
    hits = [s for s in d.narrative.sentences if text in s.text]
    assert hits and hits[0].line == page, [(s.line, s.text[:40]) for s in hits]


# ---------------------------------------------------------------- round trip through the dataset

@pytest.mark.parametrize("name", ALL)
def test_extract_then_load_gives_the_same_tables_and_findings(name, tmp_path):
    out = tmp_path / "dataset"
    assert main(["extract", str(sample(name)), "--out", str(out)]) == 0
    loaded, parsed = load_dataset(out), disclosure(name)
    assert (loaded.meta.template, loaded.meta.department, loaded.meta.year, loaded.meta.scope, loaded.meta.blank) == \
        (parsed.meta.template, parsed.meta.department, parsed.meta.year, parsed.meta.scope, parsed.meta.blank)
    assert set(loaded.tables) == set(parsed.tables)
    for tid, table in parsed.tables.items():
        again = loaded.tables[tid]
        assert (again.unit, again.decimals, again.declared_empty) == (table.unit, table.decimals, table.declared_empty)
        for key, frame in table.parts.items():
            pd.testing.assert_frame_equal(again.part(key).reset_index(drop=True), frame.reset_index(drop=True),
                                          check_dtype=False)
    before, after = report(name), run_rules(loaded)
    assert [(x.rule, x.status) for x in after.results] == [(x.rule, x.status) for x in before.results]
    assert [f.to_dict() for f in after.findings] == [f.to_dict() for f in before.findings]
