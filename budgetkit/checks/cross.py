"""Cross-table rules: the same money printed in two tables must agree (SPEC 3.4, across tables).

A table declared empty (本表无数据) takes part with all amounts zero, so a
non-zero counterpart is still caught; a missing table makes the rule
``insufficient_data``. Expected is the reference table's value, actual the checked one.
"""

from __future__ import annotations

from budgetkit.core.findings import Finding
from budgetkit.core.money import format_amount
from budgetkit.checks.reproduce import Cells, is_total_row
from budgetkit.checks.amounts import amount_finding, coarser_quantum, holds_amounts, is_empty, require, table_cn
from budgetkit.checks.lookup import (cell, code_name, code_rows, column_header, fixed_label, fixed_value, norm_name, total_row,
                     total_value, zero)
from budgetkit.checks.registry import NotApplicable, rule


class _Compare:
    """Collects amount findings of one cross rule; ``unit_table`` sets the display unit."""

    def __init__(self, rule_id: str, tables, unit_table=None):
        self.rule = rule_id
        self.label = "/".join(t.id for t in tables)
        self.unit_table = unit_table or tables[0]
        self.quantum = coarser_quantum(*tables)
        self.findings: list[Finding] = []

    def eq(self, location: str, *, actual: int | None, expected: int | None, cells, what: str,
           verb: str = "应等于") -> None:
        n = sum(v is not None for v in cells)
        f = amount_finding(self.rule, self.label, location, expected=zero(expected), actual=zero(actual),
                           n_printed=n, quantum=self.quantum, unit=self.unit_table.unit,
                           decimals=self.unit_table.decimals, what=what, verb=verb)
        if f is not None:
            self.findings.append(f)

    def at_most(self, location: str, *, actual: int | None, bound: int | None, cells, what: str) -> None:
        if zero(actual) > zero(bound):
            self.eq(location, actual=actual, expected=bound, cells=cells, what=what, verb="应不超过")


def _year(ctx) -> int:
    return ctx.disclosure.meta.year


def _hdr(ctx, table_id, col, part="main") -> str:
    return column_header(ctx.template, table_id, part, col, _year(ctx))


def _per_code(ctx, cmp: _Compare, checked, reference, pairs):
    """Compare code rows (and the 合计行) of two functional tables column by column.

    ``pairs``: (checked column, reference column(s)); a tuple of reference columns is summed.
    """
    codes_c, codes_r = code_rows(checked), code_rows(reference)
    codes = sorted(set(codes_c) | set(codes_r), key=lambda c: (len(c), c))
    rows = [(c, codes_c.get(c), codes_r.get(c),
             f"{c} {code_name(checked, c, rows=codes_c) if c in codes_c else code_name(reference, c, rows=codes_r)}")
            for c in codes]
    rows.append(("", total_row(checked, ctx.template), total_row(reference, ctx.template), "合计行"))
    fc, fr = checked.parts["main"], reference.parts["main"]
    for _code, ic, ir, label in rows:
        for col_c, cols_r in pairs:
            cols_r = cols_r if isinstance(cols_r, tuple) else (cols_r,)
            a = cell(fc, ic, col_c)
            refs = [cell(fr, ir, c) for c in cols_r]
            exp = sum(zero(v) for v in refs)
            ref_hdr = " + ".join(_hdr(ctx, reference.id, c) for c in cols_r)
            cmp.eq(f"{label} / {_hdr(ctx, checked.id, col_c)}", actual=a, expected=exp, cells=[a, *refs],
                   what=f"{table_cn(reference.id)}同行 {ref_hdr}")


@rule("X.T1_T3_class_totals", "表1 各功能分类支出及本年支出合计 = 表3 对应类及合计行的合计",
      family="cross", tables=("T1", "T3"))
def t1_t3_class_totals(ctx):
    t1, t3 = require(ctx, "T1", "T3")
    cmp = _Compare("X.T1_T3_class_totals", [t1, t3])
    f3 = t3.parts["main"]
    rows3 = code_rows(t3)
    for fr in ctx.template.table("T1").part("expenditure").rows:
        if fr.code is None:
            continue
        a = fixed_value(t1, ctx.template, "expenditure", fr.key, "total")
        e = cell(f3, rows3.get(fr.code), "total")
        cmp.eq(f"{fr.label} / {_hdr(ctx, 'T1', 'total', 'expenditure')}", actual=a, expected=e, cells=[a, e],
               what=f"表3 {fr.code} 合计")
    a = fixed_value(t1, ctx.template, "expenditure", "expenditure_total", "total")
    e = total_value(t3, ctx.template, "total")
    cmp.eq(f"本年支出合计 / {_hdr(ctx, 'T1', 'total', 'expenditure')}", actual=a, expected=e, cells=[a, e],
           what="表3 合计行 合计")
    return cmp.findings


_T1_T2_INCOME = [("general", "general"), ("fund", "fund"), ("soe", "soe"), ("special", "special"),
                 ("unit_funds", "unit_funds"), ("income_total", "total"), ("carryover", "carryover")]


@rule("X.T1_T2_income", "表1 各项收入、本年收入合计、上年结转 = 表2 合计行对应列；表1 各类当年预算安排/上年结转安排 = 表2 该类合计/上年结转",
      family="cross", tables=("T1", "T2"))
def t1_t2_income(ctx):
    t1, t2 = require(ctx, "T1", "T2")
    cmp = _Compare("X.T1_T2_income", [t1, t2])
    f2 = t2.parts["main"]
    i2 = total_row(t2, ctx.template)
    for key, col in _T1_T2_INCOME:
        a = fixed_value(t1, ctx.template, "income", key, "amount")
        e = cell(f2, i2, col)
        cmp.eq(f"收入 {fixed_label(ctx.template, 'T1', 'income', key)}", actual=a, expected=e, cells=[a, e],
               what=f"表2 合计行 {_hdr(ctx, 'T2', col)}")
    rows2 = code_rows(t2)
    for fr in ctx.template.table("T1").part("expenditure").rows:
        if fr.code is None:
            continue
        for col1, col2 in (("current", "total"), ("carryover", "carryover")):
            a = fixed_value(t1, ctx.template, "expenditure", fr.key, col1)
            e = cell(f2, rows2.get(fr.code), col2)
            cmp.eq(f"{fr.label} / {_hdr(ctx, 'T1', col1, 'expenditure')}", actual=a, expected=e, cells=[a, e],
                   what=f"表2 {fr.code} {_hdr(ctx, 'T2', col2)}")
    return cmp.findings


@rule("X.T2_T3_totals", "表3 每个科目及合计行的合计 = 表2 同科目 本年收入合计 + 上年结转",
      family="cross", tables=("T2", "T3"))
def t2_t3_totals(ctx):
    t2, t3 = require(ctx, "T2", "T3")
    cmp = _Compare("X.T2_T3_totals", [t3, t2])
    _per_code(ctx, cmp, t3, t2, [("total", ("total", "carryover"))])
    return cmp.findings


@rule("X.T4_T1", "表4 财政拨款收入各项 = 表1 同项；全部为财政拨款时 表4 各类支出及合计、总计 = 表1，否则不超过表1",
      family="cross", tables=("T1", "T4"))
def t4_t1(ctx):
    t1, t4 = require(ctx, "T1", "T4")
    tpl = ctx.template
    cmp = _Compare("X.T4_T1", [t4, t1])
    v1 = lambda part, key, col: fixed_value(t1, tpl, part, key, col)  # noqa: E731
    v4 = lambda part, key, col: fixed_value(t4, tpl, part, key, col)  # noqa: E731
    for key in ("general", "fund", "soe"):
        a, e = v4("income", key, "amount"), v1("income", key, "amount")
        cmp.eq(f"收入 {fixed_label(tpl, 'T4', 'income', key)}", actual=a, expected=e, cells=[a, e],
               what=f"表1 {fixed_label(tpl, 'T1', 'income', key)}")
    parts1 = [v1("income", k, "amount") for k in ("general", "fund", "soe")]
    a = v4("income", "income_total", "amount")
    cmp.eq("收入 本年收入合计", actual=a, expected=sum(zero(v) for v in parts1), cells=[a, *parts1],
           what="表1 一般公共预算、政府性基金预算、国有资本经营预算之和")
    c4, c1 = v4("income", "carryover", "amount"), v1("income", "carryover", "amount")
    cmp.at_most("收入 上年财政拨款结转", actual=c4, bound=c1, cells=[c4, c1], what="表1 上年结转")
    # all money fiscal (财政拨款): no 财政专户/单位资金 this year, and the whole carry-over is fiscal
    fiscal_only = not (zero(v1("income", "special", "amount")) or zero(v1("income", "unit_funds", "amount"))) \
        and zero(c4) == zero(c1)
    for fr in tpl.table("T4").part("expenditure").rows:
        if fr.code is None and fr.key not in ("expenditure_total", "grand_total"):
            continue
        a, e = v4("expenditure", fr.key, "total"), v1("expenditure", fr.key, "total")
        location = f"{fr.label} / {_hdr(ctx, 'T4', 'total', 'expenditure')}"
        what = f"表1 {fr.label} {_hdr(ctx, 'T1', 'total', 'expenditure')}"
        if fiscal_only:
            cmp.eq(location, actual=a, expected=e, cells=[a, e], what=what)
        else:
            cmp.at_most(location, actual=a, bound=e, cells=[a, e], what=what)
    return cmp.findings


@rule("X.T5_T2_general", "表5 每个科目及合计行的合计 = 表2 同科目 一般公共预算",
      family="cross", tables=("T2", "T5"))
def t5_t2_general(ctx):
    t2, t5 = require(ctx, "T2", "T5")
    cmp = _Compare("X.T5_T2_general", [t5, t2])
    _per_code(ctx, cmp, t5, t2, [("total", "general")])
    return cmp.findings


@rule("X.T5_basic_eq_T6_total", "表5 合计行 基本支出 = 表6 合计行 合计", family="cross", tables=("T5", "T6"))
def t5_basic_eq_t6_total(ctx):
    t5, t6 = require(ctx, "T5", "T6")
    if is_empty(t5) and is_empty(t6):
        raise NotApplicable("表5、表6 均注明本表无数据")
    cmp = _Compare("X.T5_basic_eq_T6_total", [t5, t6])
    a, e = total_value(t5, ctx.template, "basic"), total_value(t6, ctx.template, "total")
    cmp.eq("合计行 / 基本支出", actual=a, expected=e, cells=[a, e], what="表6 合计行 合计")
    return cmp.findings


def _project_total(table, template, col):
    """The department line of a project table (合计行, else the sum of its top-level rows)."""
    v = total_value(table, template, col)
    if v is not None or total_row(table, template) is not None:
        return v
    frame = table.parts["main"]
    if frame.empty:
        return None
    top = frame[frame["level"] == frame["level"].min()]
    return int(top[col].fillna(0).sum())


@rule("X.T5_project_eq_T12_total", "表5 合计行 项目支出 = 表12 部门合计 一般公共预算", family="cross",
      tables=("T5", "T12"))
def t5_project_eq_t12_total(ctx):
    t5, t12 = require(ctx, "T5", "T12")
    if is_empty(t5) and is_empty(t12):
        raise NotApplicable("表5、表12 均注明本表无数据")
    cmp = _Compare("X.T5_project_eq_T12_total", [t5, t12])
    a, e = total_value(t5, ctx.template, "project"), _project_total(t12, ctx.template, "general")
    cmp.eq("合计行 / 项目支出", actual=a, expected=e, cells=[a, e], what="表12 部门合计 一般公共预算")
    return cmp.findings


_NON_GENERAL = ("fund", "soe", "special", "unit_funds")


@rule("X.T3_minus_T5_eq_carryover",
      "表3 − 表5 = 上年结转（及一般公共预算以外的资金）：每个科目及合计对表2；项目支出部分 = 表13 合计；"
      "基本支出部分 = 两者之差", family="cross", tables=("T2", "T3", "T5", "T12", "T13"))
def t3_minus_t5_eq_carryover(ctx):
    """T5 is 一般公共预算 without carry-over, so T3 − T5 is the carry-over plus money from other sources."""
    t2, t3, t5, t12, t13 = require(ctx, "T2", "T3", "T5", "T12", "T13")
    tpl = ctx.template
    cmp = _Compare("X.T3_minus_T5_eq_carryover", [t3, t5, t2, t13])
    f2, f3, f5 = t2.parts["main"], t3.parts["main"], t5.parts["main"]
    r2, r3, r5 = code_rows(t2), code_rows(t3), code_rows(t5)
    codes = sorted(set(r3) | set(r5) | {c for c in r2 if cell(f2, r2[c], "carryover")}, key=lambda c: (len(c), c))
    rows = [(f"{c} {code_name(t3, c, rows=r3) if c in r3 else code_name(t2, c, rows=r2)}", r2.get(c), r3.get(c),
             r5.get(c)) for c in codes]
    rows.append(("合计行", total_row(t2, tpl), total_row(t3, tpl), total_row(t5, tpl)))
    for label, i2, i3, i5 in rows:
        v3, v5, v2 = cell(f3, i3, "total"), cell(f5, i5, "total"), cell(f2, i2, "carryover")
        others = [v for v in (cell(f2, i2, c) for c in _NON_GENERAL) if v is not None]
        what = "表2 上年结转" + (" + 一般公共预算以外的本年收入" if any(others) else "")
        cmp.eq(f"{label} / 表3合计 − 表5合计", actual=zero(v3) - zero(v5), expected=zero(v2) + sum(others),
               cells=[v3, v5, v2, *others], what=what)
    p3, p5 = total_value(t3, tpl, "project"), total_value(t5, tpl, "project")
    p13 = _project_total(t13, tpl, "total")
    p12 = [v for v in (_project_total(t12, tpl, c) for c in _NON_GENERAL) if v]
    what = "表13 部门合计 合计" + (" + 表12 一般公共预算以外的资金" if p12 else "")
    project = zero(p13) + sum(p12)
    cmp.eq("合计行 / 项目支出 表3 − 表5", actual=zero(p3) - zero(p5), expected=project, cells=[p3, p5, p13, *p12],
           what=what)
    b3, b5 = total_value(t3, tpl, "basic"), total_value(t5, tpl, "basic")
    c2 = total_value(t2, tpl, "carryover")
    o2 = [v for v in (total_value(t2, tpl, c) for c in _NON_GENERAL) if v]
    what = "表2 上年结转 − 表13 合计" if not (o2 or p12) else "表2 上年结转及其他资金 − 项目支出部分"
    cmp.eq("合计行 / 基本支出 表3 − 表5", actual=zero(b3) - zero(b5), expected=zero(c2) + sum(o2) - project,
           cells=[b3, b5, c2, p13, *o2, *p12], what=what)
    return cmp.findings


@rule("X.T6_public_vs_T11", "表11 机关运行经费 部门合计 一般公共预算 不超过表6 公用经费合计（相等最常见；小于时提示）",
      family="cross", tables=("T6", "T11"))
def t6_public_vs_t11(ctx):
    t6, t11 = require(ctx, "T6", "T11")
    if is_empty(t6) and is_empty(t11):
        raise NotApplicable("表6、表11 均注明本表无数据")
    cmp = _Compare("X.T6_public_vs_T11", [t11, t6])
    # T6 is 一般公共预算 only: T11's 一般公共预算 column is its counterpart (= 合计 when nothing else is printed)
    other = [total_value(t11, ctx.template, c) for c in ("fund", "soe")]
    col = "general" if any(other) else "total"
    a, e = total_value(t11, ctx.template, col), total_value(t6, ctx.template, "public")
    location = f"部门合计 / {_hdr(ctx, 'T11', col)}"
    if zero(a) > zero(e):
        cmp.eq(location, actual=a, expected=e, cells=[a, e], what="表6 合计行 公用经费", verb="应不超过")
    elif zero(a) < zero(e):
        f = amount_finding(cmp.rule, cmp.label, location, expected=zero(e), actual=zero(a), n_printed=2,
                           quantum=cmp.quantum, unit=t11.unit, decimals=t11.decimals, what="表6 合计行 公用经费")
        if f is not None and f.severity == "error":
            unit = t11.unit
            f.severity = "info"
            f.message = (f"表11 机关运行经费 {format_amount(zero(a), unit, t11.decimals)}{unit} 小于表6 公用经费 "
                         f"{format_amount(zero(e), unit, t11.decimals)}{unit}，差 {f.difference}；"
                         "事业单位公用经费不计入机关运行经费时属正常，请核实")
        if f is not None:
            cmp.findings.append(f)
    return cmp.findings


def _three_public_items(t6, t10, template) -> dict[str, tuple[int, list[int]]]:
    """T10 fixed-row key → (Σ T6 basic-expenditure items of that name, their printed values)."""
    spec10 = template.table("T10").part("main")
    names = {}
    for fr in spec10.rows:
        if fr.kind == "leaf":
            for n in (fr.label, *fr.aliases):
                names[norm_name(n)] = fr.key
    part6 = template.table("T6").part("main")
    frame = Cells(t6.parts["main"])
    out: dict[str, tuple[int, list[int]]] = {}
    for i in frame.index:
        if frame.at[i, "kind"] != "leaf" or is_total_row(frame, i, part6):
            continue
        key = None
        for k in part6.label_keys:
            n = norm_name(frame.at[i, k])
            key = key or names.get(n) or names.get(n + "费")
        v = cell(frame, i, "total")
        if key and v:
            s, vals = out.get(key, (0, []))
            out[key] = (s + v, vals + [v])
    return out


@rule("X.T10_vs_T6_items", "表6 基本支出中的三公经费科目（因公出国（境）、公务接待、公务用车）不超过表10 对应项 一般公共预算",
      family="cross", tables=("T6", "T10"))
def t10_vs_t6_items(ctx):
    t6, t10 = require(ctx, "T6", "T10")
    if is_empty(t6):
        raise NotApplicable("表6 注明本表无数据")
    cmp = _Compare("X.T10_vs_T6_items", [t6, t10])
    for key, (total, values) in _three_public_items(t6, t10, ctx.template).items():
        bound = fixed_value(t10, ctx.template, "main", key, "general")
        label = fixed_label(ctx.template, "T10", "main", key)
        cmp.at_most(f"{label} / 合计", actual=total, bound=bound, cells=[*values, bound],
                    what=f"表10 {label} 一般公共预算")
    return cmp.findings


def _empty_pair(findings, rule_id, table, label, counterpart_values, counterpart_label):
    """A table declared empty ⇔ its counterpart amounts in T1/T4/T6 are all zero."""
    amount = sum(abs(zero(v)) for v in counterpart_values)
    empty = not holds_amounts(table)
    if empty and amount:
        msg = f"{table_cn(table.id)} {label}为空（本表无数据），但{counterpart_label}不为零"
    elif not empty and not amount:
        msg = f"{table_cn(table.id)} {label}有数据，但{counterpart_label}为空"
    else:
        return
    findings.append(Finding(rule=rule_id, severity="error", table=table.id, location=f"{label} ⇔ {counterpart_label}",
                            expected="空" if not amount else "有数据", actual="空" if empty else "有数据",
                            difference="", message=msg))


@rule("X.empty_tables_vs_T1", "表7/表8 为空 ⇔ 表1 政府性基金收支为空；表9 ⇔ 国有资本经营预算；表10 为空 ⇒ 表6 无三公经费科目",
      family="cross", tables=("T1", "T6", "T7", "T8", "T9", "T10"))
def empty_tables_vs_t1(ctx):
    t1, t6, t7, t8, t9, t10 = require(ctx, "T1", "T6", "T7", "T8", "T9", "T10")
    tpl = ctx.template
    t4 = ctx.disclosure.tables.get("T4")
    rule_id = "X.empty_tables_vs_T1"
    findings: list[Finding] = []
    fund_in = fixed_value(t1, tpl, "income", "fund", "amount")
    soe_in = fixed_value(t1, tpl, "income", "soe", "amount")
    fund_out = [] if t4 is None else [fixed_value(t4, tpl, "expenditure", "expenditure_total", "fund")]
    soe_out = [] if t4 is None else [fixed_value(t4, tpl, "expenditure", "expenditure_total", "soe")]
    _empty_pair(findings, rule_id, t7, "政府性基金预算收入", [fund_in], "表1 政府性基金预算收入")
    _empty_pair(findings, rule_id, t8, "政府性基金预算支出", [fund_in, *fund_out],
                "表1 政府性基金预算收入" + ("及表4 政府性基金预算支出" if t4 is not None else ""))
    _empty_pair(findings, rule_id, t9, "国有资本经营预算收支", [soe_in, *soe_out],
                "表1 国有资本经营预算收入" + ("及表4 国有资本经营预算支出" if t4 is not None else ""))
    if not holds_amounts(t10):
        items = _three_public_items(t6, t10, tpl)
        if items:
            total = sum(s for s, _ in items.values())
            findings.append(Finding(
                rule=rule_id, severity="error", table="T10", location="三公经费 ⇔ 表6 三公经费科目",
                expected=format_amount(total, t6.unit, t6.decimals), actual="空", difference="",
                message=f"表10 三公经费为空（本表无数据），但表6 基本支出列有三公经费科目 "
                        f"{format_amount(total, t6.unit, t6.decimals)}{t6.unit}"))
    return findings
