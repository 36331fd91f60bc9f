"""Table parser on the seed: values below were read by hand off the seed text
(data/changzhishi-tunliuqu-caizhengju/2024/source/000_b6cb000e27f50e6b.txt, line numbers quoted), never from the code's output."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from project_files import SEED

from budgetkit.core.errors import (
    BadAmount,
    NotADisclosure,
    TruncatedDisclosure,
    UnitError,
)
from budgetkit.core.money import to_fen
from budgetkit.core.template import load_template
from budgetkit.extract.document import Line, split_document, to_lines
from budgetkit.extract.tables import parse_tables

assert SEED.exists(), f"the seed must be at {SEED} (the shipped dataset's source/)"


def wan(text: str) -> int:
    """An amount printed in 万元, in 分."""
    return to_fen(Decimal(text), "万元")


def parse_text(text: str, name: str = "seed.txt"):
    parts = split_document(to_lines(text), load_template())
    return parse_tables(parts.tables, load_template(), name)


@pytest.fixture(scope="module")
def seed_lines():
    return SEED.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def parsed(seed_lines):
    return parse_text("\n".join(seed_lines))


@pytest.fixture(scope="module")
def tables(parsed):
    return parsed[0]


def row(frame, column, value):
    hits = frame[frame[column] == value]
    assert len(hits) == 1, f"{column}={value!r}: {len(hits)} rows"
    return hits.iloc[0]


def amount(frame, column, value, amount_key):
    v = row(frame, column, value)[amount_key]
    return None if v is None or v is pd.NA else int(v)


# ---------------------------------------------------------------- all 13 tables, row counts


@pytest.mark.parametrize("table_id, part, n_rows", [
    ("T1", "income", 8),        # lines 116-207: 一…五, 本年收入合计, 上年结转, 收入总计
    ("T1", "expenditure", 33),  # 30 classes, 本年支出合计, 年终结转, 支出总计
    ("T2", "main", 21),         # line 227 合计 + 20 coded rows up to 2210201 (line 267)
    ("T3", "main", 21),
    ("T4", "income", 9),        # 一二三, 本年收入合计, 上年财政拨款结转, 一二三, 收入总计
    ("T4", "expenditure", 33),
    ("T5", "main", 21),
    ("T6", "main", 26),         # 合计, 3 groups, 14 + 6 + 2 items (lines 534-584)
    ("T7", "main", 1),          # only '合计  ' (line 598)
    ("T8", "main", 1),
    ("T9", "income", 1),
    ("T9", "expenditure", 1),
    ("T10", "main", 6),         # lines 665-675
    ("T11", "main", 2),         # 部门合计 and one unit
    ("T12", "main", 18),        # department, unit, 16 projects
    ("T13", "main", 5),         # department, unit, 3 projects
])
def test_printed_row_counts(tables, table_id, part, n_rows):
    assert len(tables[table_id].parts[part]) == n_rows


def test_all_tables_found_with_metadata(tables):
    assert sorted(tables, key=lambda t: int(t[1:])) == [f"T{i}" for i in range(1, 14)]
    for t in tables.values():
        assert t.unit == "万元" and t.decimals == 2
        assert t.printed_department == "长治市屯留区财政局"
        assert t.printed_year == 2024
    assert tables["T1"].source_line == 101  # ' 表一2024年预算收支总表'
    assert tables["T12"].source_line == 696
    assert "预算收支总表" in tables["T1"].title
    assert tables["T10"].title.endswith("财政拨款安排“三公”经费支出预算表")


def test_declared_empty_tables(tables):
    assert {t for t, table in tables.items() if table.declared_empty} == {"T7", "T8", "T9", "T10"}
    t10 = tables["T10"].part()
    assert list(t10["item"]) == ["因公出国（境）费", "公务接待费", "公务用车购置及运行费", "①公务用车购置费",
                                 "②公务用车运行维护费", "合计"]
    assert not tables["T10"].has_values
    t7 = tables["T7"].part()
    assert list(t7["kind"]) == ["total"] and t7["amount"].isna().all()


# ---------------------------------------------------------------- two-sided tables


def test_t1_two_sided_values(tables):
    inc, exp = tables["T1"].parts["income"], tables["T1"].parts["expenditure"]
    # line 116: '一、一般公共预算 1664.74一、一般公共服务支出 1537.92 1485.93 51.99'
    assert amount(inc, "key", "general", "amount") == wan("1664.74")
    general = row(exp, "key", "class_201")
    assert (general["total"], general["current"], general["carryover"]) == (
        wan("1537.92"), wan("1485.93"), wan("51.99"))
    assert amount(inc, "key", "carryover", "amount") == wan("51.99")  # line 205 '上年结转 51.99年终结转'
    assert amount(inc, "key", "grand_total", "amount") == wan("1716.73")
    assert row(inc, "key", "grand_total")["kind"] == "total"
    # line 124 '五、单位资金  五、教育支出 17.22 17.22  ': 当年预算安排, no carry-over
    edu = row(exp, "key", "class_205")
    assert (edu["total"], edu["current"]) == (wan("17.22"), wan("17.22")) and edu["carryover"] is pd.NA
    # wrapped label (lines 129-130) and a blank row
    assert row(exp, "key", "class_207")["item"] == "七、文化旅游体育与传媒支出"
    assert exp[exp["key"] == "class_202"][["total", "current", "carryover"]].isna().all(axis=None)
    assert amount(exp, "key", "grand_total", "total") == wan("1716.73")


def test_t4_income_carryover_group_and_values_on_own_line(tables):
    inc, exp = tables["T4"].parts["income"], tables["T4"].parts["expenditure"]
    assert amount(inc, "key", "general", "amount") == wan("1664.74")         # line 341
    carry = row(inc, "key", "carryover_general")                            # line 452 '一、一般公共预算 51.99'
    assert carry["amount"] == wan("51.99") and carry["level"] == 1
    assert amount(inc, "key", "carryover", "amount") == wan("51.99")         # line 450
    # lines 363-366: '八、社会保障和就业支\n出' then '74.18 74.18   '
    social = row(exp, "key", "class_208")
    assert (social["total"], social["general"]) == (wan("74.18"), wan("74.18")) and social["fund"] is pd.NA
    # line 448 '本年支出合计 1716.73 1716.73    ' (spacing suggests 5 columns)
    total = row(exp, "key", "expenditure_total")
    assert (total["total"], total["general"]) == (wan("1716.73"), wan("1716.73"))


# ---------------------------------------------------------------- functional tables


def test_t2_income_by_source(tables):
    t2 = tables["T2"].part()
    assert row(t2, "code", "2010601")["carryover"] == wan("0.57")  # line 233 '…192.38 192.38     0.57'
    assert row(t2, "code", "2010601")["general"] == wan("192.38")
    total = row(t2, "name", "合计")                                  # line 227 '合计 1664.74 1664.74         51.99'
    assert (total["total"], total["general"], total["carryover"]) == (wan("1664.74"), wan("1664.74"), wan("51.99"))
    assert total["fund"] is pd.NA and total["kind"] == "total" and total["level"] == -1
    assert t2["code"].map(type).eq(str).all()


def test_t3_basic_project_split(tables):
    t3 = tables["T3"].part()
    total = row(t3, "name", "合计")                                  # line 280
    assert (total["total"], total["basic"], total["project"]) == (wan("1716.73"), wan("714.11"), wan("1002.61"))
    r = row(t3, "code", "2010602")                                  # line 288 '… 506.60  506.60'
    assert (r["total"], r["project"]) == (wan("506.60"), wan("506.60")) and r["basic"] is pd.NA
    edu = row(t3, "code", "205")                                    # line 296 '205 教育支出 17.22   17.22'
    assert (edu["total"], edu["project"]) == (wan("17.22"), wan("17.22")) and edu["basic"] is pd.NA
    assert row(t3, "code", "2010601")["basic"] == wan("192.95")
    assert list(t3[t3["code"].isin(["201", "20106", "2010601"])]["level"]) == [0, 1, 2]
    assert list(t3[t3["code"].isin(["201", "20106", "2010601"])]["kind"]) == ["subtotal", "subtotal", "leaf"]


def test_t5_training_is_project(tables):
    t5 = tables["T5"].part()
    r = row(t5, "code", "2050803")                                  # line 496 '2050803 培训支出 17.22  17.22'
    assert r["project"] == wan("17.22") and r["basic"] is pd.NA
    total = row(t5, "name", "合计")                                  # line 476 '合计 1664.74 713.55 951.19'
    assert (total["total"], total["basic"], total["project"]) == (wan("1664.74"), wan("713.55"), wan("951.19"))


def test_t6_economic_items(tables):
    t6 = tables["T6"].part()
    total = row(t6, "dept_econ", "合计")                             # line 534 '合计 713.55 685.11 28.44'
    assert (total["total"], total["personnel"], total["public"]) == (wan("713.55"), wan("685.11"), wan("28.44"))
    retire = row(t6, "dept_econ", "退休费")                          # line 582 '退休费 离退休费 14.32 14.32  '
    assert retire["gov_econ"] == "离退休费" and retire["personnel"] == wan("14.32")
    assert retire["public"] is pd.NA
    goods = row(t6, "dept_econ", "商品和服务支出")                   # line 566 '商品和服务支出  28.44  28.44'
    assert goods["kind"] == "subtotal" and goods["public"] == wan("28.44") and goods["gov_econ"] == ""
    pension = t6[(t6["dept_econ"] == "机关事业单位基本养老保险缴费") & (t6["gov_econ"] == "社会保障缴费")]
    assert int(pension["personnel"].iloc[0]) == wan("21.65")           # line 550
    assert row(t6, "dept_econ", "其他交通费用")["public"] == wan("13.32")  # line 578


# ---------------------------------------------------------------- units and projects


def test_t11_units(tables):
    t11 = tables["T11"].part()
    total = row(t11, "unit", "部门合计")                              # line 693 '部门合计 28.44 28.44   '
    assert total["kind"] == "total" and total["total"] == wan("28.44") and total["general"] == wan("28.44")
    assert list(t11["kind"]) == ["total", "leaf"]


def test_t12_projects(tables):
    t12 = tables["T12"].part()
    assert list(t12["level"][:3]) == [0, 1, 2]
    projects = t12[t12["kind"] == "leaf"]
    assert len(projects) == 16
    assert row(t12, "project", "担保补偿补贴资金")["total"] == wan("45.19")  # line 773
    # lines 727-730: name wrapped over two lines, values on a third
    assert row(t12, "project", "财政性建设资金投资项目工程预决（结）算评审费")["general"] == wan("200.00")
    assert int(t12.iloc[0]["total"]) == wan("951.19") and t12.iloc[0]["kind"] == "total"


def test_t13_carryover_projects(tables):
    t13 = tables["T13"].part()
    leaves = t13[t13["kind"] == "leaf"]                               # lines 798-802
    assert list(leaves["project"]) == ["农村财会人员培训经费", "工作经费", "临时雇佣人员劳务费"]
    assert list(leaves["total"]) == [wan("7.00"), wan("19.38"), wan("25.04")]
    assert int(t13.iloc[0]["total"]) == wan("51.42")


# ---------------------------------------------------------------- column notes


def test_column_settled_notes(parsed):
    notes = parsed[1]
    settled = {(n.table, n.location) for n in notes if n.kind == "column_settled"}
    # '205 教育支出 17.22   17.22' (line 296) and line 298 print one blank too many for 3 columns
    assert {("T3", "205 教育支出"), ("T3", "20508 进修及培训"), ("T2", "合计")} <= settled
    assert all(n.severity == "info" and "项目支出" in n.message for n in notes
               if n.kind == "column_settled" and n.table == "T3")
    assert not [n for n in notes if n.kind == "column_ambiguous"]
    assert not [n for n in notes if n.kind == "unrecognised_text"]


SMALL = """第二部分 部门预算公开表
表三2024年预算支出总表
部门名称：测试单位 单位：万元
科目编码 科目名称 合计 基本支出 项目支出
{rows}
"""


def test_structure_overrides_consistent_spacing():
    rows = "\n".join(["合计 30.00 10.00 20.00", "201 一般公共服务支出 30.00 10.00 20.00",
                      "20106 财政事务 30.00 10.00 20.00", "2010601 行政运行 10.00 10.00  ",
                      "2010602 一般行政管理事务 20.00 20.00  "])  # spacing says basic; sums say project
    tables, notes = parse_tables([Line(i, t) for i, t in enumerate(SMALL.format(rows=rows).split("\n"), 1)],
                                 load_template(), "small.txt")
    r = row(tables["T3"].part(), "code", "2010602")
    assert r["project"] == wan("20.00") and r["basic"] is pd.NA
    assert [(n.kind, n.location) for n in notes] == [("column_settled", "2010602 一般行政管理事务")]


def test_unsettled_columns_are_reported_not_guessed_silently():
    rows = "\n".join(["合计 10.00   10.00", "201 一般公共服务支出 10.00   10.00", "20106 财政事务 10.00   10.00",
                      "2010601 行政运行 10.00   10.00"])
    tables, notes = parse_tables([Line(i, t) for i, t in enumerate(SMALL.format(rows=rows).split("\n"), 1)],
                                 load_template(), "small.txt")
    assert [(n.kind, n.severity) for n in notes] == [("column_ambiguous", "warning")] * 4
    assert row(tables["T3"].part(), "code", "201")["project"] == wan("10.00")  # nearest to the spacing


def test_dash_marks_an_empty_cell():
    rows = "\n".join(["合计 30.00 10.00 20.00", "201 一般公共服务支出 30.00 10.00 20.00",
                      "20106 财政事务 30.00 10.00 20.00", "2010601 行政运行 10.00 10.00 -",
                      "2010602 一般行政管理事务 20.00 - 20.00"])
    tables, notes = parse_tables([Line(i, t) for i, t in enumerate(SMALL.format(rows=rows).split("\n"), 1)],
                                 load_template(), "small.txt")
    t3 = tables["T3"].part()
    assert row(t3, "code", "2010602")["project"] == wan("20.00") and row(t3, "code", "2010601")["basic"] == wan("10.00")
    assert row(t3, "code", "2010602")["basic"] is pd.NA and row(t3, "code", "2010602")["name"] == "一般行政管理事务"
    assert notes == []


def test_list_of_table_titles_before_the_tables(seed_lines, tables):
    names = ["预算收支总表", "预算收入总表", "预算支出总表", "财政拨款收支总表"]
    contents = ["第二部分 部门预算公开表", "目录"] + [f"表{n}2024年{t}" for n, t in zip("一二三四", names)]
    again, notes = parse_text("\n".join(seed_lines[:100] + contents + seed_lines[100:]))
    assert sorted(again) == sorted(tables)
    pd.testing.assert_frame_equal(again["T4"].parts["income"], tables["T4"].parts["income"])
    assert again["T1"].source_line == 101 + len(contents)
    assert not [n for n in notes if n.kind in ("duplicate_table", "unrecognised_text")]


# ---------------------------------------------------------------- bad input


def test_missing_unit_line(seed_lines):
    lines = list(seed_lines)
    assert lines[273] == "部门名称：长治市屯留区财政局  单位：万元"  # line 274, table 3
    lines[273] = "部门名称：长治市屯留区财政局"
    with pytest.raises(UnitError, match=r"^seed\.txt: T3: .*单位") as err:
        parse_text("\n".join(lines))
    assert "\n" not in str(err.value)


def test_letter_in_amount(seed_lines):
    lines = list(seed_lines)
    assert lines[285] == "2010601 行政运行 192.95 192.95  "  # line 286
    lines[285] = "2010601 行政运行 192.95 192.9S  "
    with pytest.raises(BadAmount, match=r"^seed\.txt: T3: row '2010601 行政运行'.*'192\.9S'"):
        parse_text("\n".join(lines))


def test_letter_in_two_sided_amount(seed_lines):
    lines = list(seed_lines)
    lines[115] = lines[115].replace("1485.93", "1485.9a")  # line 116
    with pytest.raises(BadAmount, match=r"T1: row '一、一般公共服务支出'.*'1485\.9a'"):
        parse_text("\n".join(lines))


def test_truncated_text_names_missing_tables(seed_lines):
    with pytest.raises(TruncatedDisclosure, match=r"inside table T4; tables T5, .*T13 are missing"):
        parse_text("\n".join(seed_lines[:400]))


@pytest.mark.parametrize("last_line, table_id", [
    (228, "T2"),  # only '合计 1664.74 1664.74         51.99' printed
    (264, "T2"),  # ends on '221 住房保障支出' (line 263), its 款/项 never printed
    (300, "T3"),  # '2050803 培训支出 17.22  17.22' printed, 208… not
    (581, "T6"),  # ends on the group '对个人和家庭的补助' (line 580)
    (700, "T12"),  # the title of table 12, no unit line yet
    (729, "T12"),  # a wrapped project name (lines 727-728) whose values never came
])
def test_text_cut_at_various_points(seed_lines, last_line, table_id):
    with pytest.raises(TruncatedDisclosure, match=f"inside table {table_id};"):
        parse_text("\n".join(seed_lines[:last_line]))


def test_title_wrapped_over_two_lines(seed_lines, tables):
    lines = list(seed_lines)
    lines[520:521] = ["2024年一般公共预算安排基本支出分经济科", "", "目表（不含上年结转）"]  # line 521
    lines[516:517] = [" 表六", "", "2024年一般公共预算安排基本支出分经济科目", "表（不含上年结转）"]  # line 517
    again, notes = parse_text("\n".join(lines))
    assert again["T6"].title == "2024年一般公共预算安排基本支出分经济科目表（不含上年结转）"
    pd.testing.assert_frame_equal(again["T6"].part(), tables["T6"].part())
    pd.testing.assert_frame_equal(again["T5"].part(), tables["T5"].part())
    assert not [n for n in notes if n.kind == "unrecognised_text"]


def test_text_cut_inside_last_table(seed_lines):
    # line 790 is the header cell '经营预算' of table 13: no row printed yet
    with pytest.raises(TruncatedDisclosure, match=r"inside table T13"):
        parse_text("\n".join(seed_lines[:790]))


def test_missing_table_is_left_out_not_an_error(seed_lines):
    lines = seed_lines[:773] + seed_lines[802:]  # drop table 13 (lines 774-802), keep 第三部分 on
    tables, _ = parse_text("\n".join(lines))
    assert "T13" not in tables and "T12" in tables


def test_no_table_at_all():
    with pytest.raises(NotADisclosure):
        parse_tables([Line(1, "第二部分 部门预算公开表"), Line(2, "这里没有任何表格")], load_template(), "x.txt")


# ---------------------------------------------------------------- layouts the seed prints empty

SIDE_BY_SIDE = """表九2024年国有资本经营预算收支预算表（不含上年结转）
部门名称：测试单位 单位：元
国有资本经营预算收入 国有资本经营预算支出
科目编码 科目名称 合计 基本支出 项目支出
收入科目编码 科目名称
合计 5000.00 合计 5000.00  5000.00
103 非税收入 5000.00 223 国有资本经营预算支出 5000.00  5000.00
10306 国有资本经营收入 5000.00 22301 解决历史遗留问题及改革成本支出 5000.00  5000.00
表六2024年一般公共预算安排基本支出分经济科目表
部门名称：测试单位 单位：万元
部门预算支出经济科目名称 政府预算支出经济科目名称 合计 人员经费 公用经费
合计 10.00 10.00 
工资福利支出  10.00 10.00  
机关事业单位基本养老保险缴
费 社会保障缴费 10.00 10.00  
"""


def test_functional_two_sided_and_wrapped_economic_names():
    tables, _ = parse_tables([Line(i, t) for i, t in enumerate(SIDE_BY_SIDE.split("\n"), 1)],
                             load_template(), "made-up.txt")
    t9 = tables["T9"]
    assert t9.unit == "元" and not t9.declared_empty
    assert list(t9.parts["income"]["code"]) == ["", "103", "10306"]
    assert list(t9.parts["income"]["amount"]) == [500000] * 3  # 5000.00 元
    exp = t9.parts["expenditure"]
    assert list(exp["code"]) == ["", "223", "22301"]
    assert exp["project"].tolist() == [500000] * 3 and exp["basic"].isna().all()
    item = tables["T6"].part().iloc[2]
    assert (item["dept_econ"], item["gov_econ"], item["personnel"]) == (
        "机关事业单位基本养老保险缴费", "社会保障缴费", wan("10.00"))


# ---------------------------------------------------------------- round trip through printed text


def _round_trip(seed: int, jitter: bool):
    import random
    import re

    from budgetkit.synth import generate
    from budgetkit.synth.text import render_text

    tpl = load_template()
    disclosure = generate(seed).disclosure
    text = render_text(disclosure, tpl)
    if jitter:  # one space more or less in some runs of blank cells: spacing no longer trustworthy
        rng = random.Random(seed)
        text = re.sub(r"(?<=\d)  +", lambda m: m.group() + " " if rng.random() < 0.5 else m.group()[:-1], text)
    tables, notes = parse_text(text, f"synth{seed}.txt")
    for table_id, expected in disclosure.tables.items():
        for key, frame in expected.parts.items():
            part = tpl.table(table_id).part(key)
            cols = ["kind", "key", *part.label_keys, *part.amount_keys]
            got = tables[table_id].parts[key][cols].reset_index(drop=True)
            pd.testing.assert_frame_equal(got, frame[cols].reset_index(drop=True), obj=f"{table_id}.{key}")
    return notes


@pytest.mark.parametrize("seed", [1, 7, 16, 23])  # 23: 政府性基金 money (T7, T8 filled)
def test_generated_disclosures_read_back_exactly(seed):
    notes = _round_trip(seed, jitter=False)
    assert not [n for n in notes if n.kind != "column_settled"]


@pytest.mark.parametrize("seed", [2, 5])
def test_jittered_spacing_is_settled_by_structure(seed):
    notes = _round_trip(seed, jitter=True)
    assert any(n.kind == "column_settled" for n in notes)


def test_header_repeated_after_a_page_break(seed_lines, tables):
    """The header printed again mid-table (a new PDF page) is not read as rows."""
    lines = list(seed_lines)
    repeats = {
        745: ["项目名称 合计", "", "2024年财政拨款", "财政专户管", "", "理资金", "单位资金", "1 2 3 4 5 6 7", ""],  # T12
        556: ["部门预算支出经济科目名称", "政府预算支出经济科目名", "", "称", "", "2024年预算数", "",
              "合计 人员经费 公用经费", ""],  # T6, copied from lines 525-532
        300: ["-12-", "", "项目 2024年预算数", "", "科目编码 科目名称 合计 基本支出 项目支出", ""],  # T3
        166: ["项目 2024年 项目 2024年合计 当年预算安排", "上年结转安", "", "排", ""],  # T1
    }
    for at in sorted(repeats, reverse=True):
        lines[at:at] = repeats[at]
    again, notes = parse_text("\n".join(lines))
    for table_id in ("T1", "T3", "T6", "T12"):
        for key, frame in tables[table_id].parts.items():
            pd.testing.assert_frame_equal(again[table_id].parts[key], frame, obj=f"{table_id}.{key}")
    assert row(again["T12"].part(), "project", "工作经费")["general"] == wan("75.00")  # line 746
    assert not again["T6"].part()["dept_econ"].str.startswith("称").any()  # '称' ends a header cell
    assert not [n for n in notes if n.kind == "column_ambiguous"]
    assert [n.table for n in notes if n.kind == "unrecognised_text"] == ["T1", "T1"]


def test_full_width_digits_and_crlf_read_the_same(seed_lines, tables):
    text = "\r\n".join(seed_lines).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789."})
    again, _ = parse_text(text)
    for table_id, table in tables.items():
        for key, frame in table.parts.items():
            pd.testing.assert_frame_equal(again[table_id].parts[key], frame, obj=f"{table_id}.{key}")
