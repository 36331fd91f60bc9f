"""Completeness rules: every table of the format present, empty ones declared, one department/year/unit
throughout; and the extractor's own unresolved ambiguities surfaced as findings.
"""

from __future__ import annotations

from collections import Counter

from budgetkit.checks.amounts import holds_amounts, table_cn
from budgetkit.checks.registry import (
    INFO,
    VIOLATION,
    InsufficientData,
    NotApplicable,
    rule,
)

FAMILY = "completeness"


def _tables_or_insufficient(ctx):
    if not ctx.disclosure.tables:
        raise InsufficientData("没有表格部分，无法核对")
    return ctx.disclosure.tables


@rule("completeness.all_tables_present", "表格齐全", "模板规定的全部表格均已公开", family=FAMILY)
def all_tables_present(ctx):
    tables = _tables_or_insufficient(ctx)
    return [ctx.finding(VIOLATION, spec.id, spec.title, "有", "缺", "",
                        f"缺少{spec.label}《{spec.title}》；无数据的表也应公开并注明“本表无数据”")
            for spec in ctx.template.tables if spec.id not in tables]


@rule("completeness.empty_declared", "空表注明本表无数据", "没有数据的表注明“本表无数据”，注明无数据的表确实没有数据",
      family=FAMILY)
def empty_declared(ctx):
    findings = []
    for t, table in _tables_or_insufficient(ctx).items():
        filled = holds_amounts(ctx, table)
        if not filled and not table.declared_empty:
            findings.append(ctx.finding(VIOLATION, t, "全表", "本表无数据", "空表未注明", "",
                                        f"{table_cn(t)} 没有任何数据，但未注明“本表无数据”"))
        elif filled and table.declared_empty:
            findings.append(ctx.finding(VIOLATION, t, "全表", "无数据", "有数据", "",
                                        f"{table_cn(t)} 注明“本表无数据”，但表中有金额"))
    return findings


def _printed_by_format(ctx, what: str, cn: str) -> None:
    """A format whose tables print no department or year (``table_heads``) has nothing to compare."""
    if what not in ctx.template.table_heads:
        raise NotApplicable(f"本格式的表格表头不印{cn}")


def _same(ctx, attr: str, expected, what: str, fmt=str):
    tables = _tables_or_insufficient(ctx)
    printed = {t: getattr(table, attr) for t, table in tables.items() if getattr(table, attr)}
    if not printed:
        raise InsufficientData(f"各表均未识别出{what}")
    if not expected:
        expected = Counter(printed.values()).most_common(1)[0][0]
    return [ctx.finding(VIOLATION, t, what, fmt(expected), fmt(value), "",
                        f"{table_cn(t)} 的{what}为“{fmt(value)}”，与其他部分的“{fmt(expected)}”不一致")
            for t, value in printed.items() if value != expected]


@rule("completeness.same_department", "部门名称一致", "各表表头的部门名称与本部门一致", family=FAMILY)
def same_department(ctx):
    _printed_by_format(ctx, "department", "部门名称")
    return _same(ctx, "printed_department", ctx.disclosure.meta.department, "部门名称")


@rule("completeness.same_year", "年度一致", "各表标题中的年度与预算年度一致", family=FAMILY)
def same_year(ctx):
    _printed_by_format(ctx, "year", "年度")
    return _same(ctx, "printed_year", ctx.disclosure.meta.year, "年度", fmt=lambda y: f"{y}年")


@rule("completeness.same_unit", "金额单位一致",
      "各表金额单位一致（同一份公开中不混用元、万元；格式规定某表另用单位的，按格式）", family=FAMILY)
def same_unit(ctx):
    tables = _tables_or_insufficient(ctx)
    own = {t: ctx.template.table(t).unit for t in tables if ctx.template.table(t).unit}
    findings = [ctx.finding(VIOLATION, t, "金额单位", unit, tables[t].unit, "",
                            f"{table_cn(t)} 的金额单位为“{tables[t].unit}”，格式规定为“{unit}”")
                for t, unit in own.items() if tables[t].unit != unit]
    rest = {t: table for t, table in tables.items() if t not in own}
    printed = [table.unit for table in rest.values() if table.unit]
    if not printed:
        return findings
    common = Counter(printed).most_common(1)[0][0]
    return findings + [ctx.finding(VIOLATION, t, "金额单位", common, table.unit, "",
                                   f"{table_cn(t)} 的金额单位为“{table.unit}”，与其他各表的“{common}”不一致")
                       for t, table in rest.items() if table.unit and table.unit != common]


@rule("extraction.ambiguity", "抽取异常",
      "抽取时无法由表结构确定的列（列归属有歧义）及其他抽取异常（重复合计行、单位换算、未识别文字）提示人工核对；已由结构确定的列作为提示列出",
      family="extraction", severity="warning")
def extraction_ambiguity(ctx):
    _tables_or_insufficient(ctx)
    findings = []
    for note in ctx.disclosure.notes:
        if note.kind not in ("column_ambiguous", "column_settled"):
            if note.severity in ("warning", "error"):  # repeated rows, unit conversions, unread text …
                findings.append(ctx.finding(VIOLATION, note.table, note.location, "", "", "",
                                            "抽取时发现异常，请对照原文核对：" + note.message))
            continue
        if note.kind == "column_ambiguous":
            findings.append(ctx.finding(VIOLATION, note.table, note.location, "", "", "",
                                        "列归属有歧义，请对照原文核对：" + note.message))
        else:
            findings.append(ctx.finding(INFO, note.table, note.location, "", "", "", "列归属已由表结构确定：" + note.message))
    return findings

