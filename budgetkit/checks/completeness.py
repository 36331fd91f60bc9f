"""Completeness rules: all 13 tables present, empty ones declared, one department/year/unit throughout;
and the extractor's own unresolved ambiguities surfaced as findings.
"""

from __future__ import annotations

from collections import Counter

from budgetkit.core.findings import Finding
from budgetkit.checks.amounts import holds_amounts, table_cn
from budgetkit.checks.registry import InsufficientData, rule


def _tables_or_insufficient(ctx):
    if not ctx.disclosure.tables:
        raise InsufficientData("没有表格部分（第二部分），无法核对")
    return ctx.disclosure.tables


@rule("C.all_tables_present", "模板规定的全部表格（表1—表13）均已公开", family="completeness",
      tables=())
def all_tables_present(ctx):
    tables = _tables_or_insufficient(ctx)
    return [Finding(rule="C.all_tables_present", severity="error", table=t, location=spec.title,
                    expected="有", actual="缺", difference="",
                    message=f"缺少{table_cn(t)}《{spec.title}》；无数据的表也应公开并注明“本表无数据”")
            for spec in ctx.template.tables if (t := spec.id) not in tables]


@rule("C.empty_declared", "没有数据的表注明“本表无数据”，注明无数据的表确实没有数据", family="completeness",
      tables=())
def empty_declared(ctx):
    findings = []
    for t, table in _tables_or_insufficient(ctx).items():
        filled = holds_amounts(table)
        if not filled and not table.declared_empty:
            findings.append(Finding(rule="C.empty_declared", severity="error", table=t, location="全表",
                                    expected="本表无数据", actual="空表未注明", difference="",
                                    message=f"{table_cn(t)} 没有任何数据，但未注明“本表无数据”"))
        elif filled and table.declared_empty:
            findings.append(Finding(rule="C.empty_declared", severity="error", table=t, location="全表",
                                    expected="无数据", actual="有数据", difference="",
                                    message=f"{table_cn(t)} 注明“本表无数据”，但表中有金额"))
    return findings


def _same(ctx, rule_id: str, attr: str, expected, what: str, fmt=str):
    tables = _tables_or_insufficient(ctx)
    printed = {t: getattr(table, attr) for t, table in tables.items() if getattr(table, attr)}
    if not printed:
        raise InsufficientData(f"各表均未识别出{what}")
    if not expected:
        expected = Counter(printed.values()).most_common(1)[0][0]
    return [Finding(rule=rule_id, severity="error", table=t, location=what, expected=fmt(expected),
                    actual=fmt(value), difference="",
                    message=f"{table_cn(t)} 的{what}为“{fmt(value)}”，与其他部分的“{fmt(expected)}”不一致")
            for t, value in printed.items() if value != expected]


@rule("C.same_department", "各表表头的部门名称与本部门一致", family="completeness", tables=())
def same_department(ctx):
    return _same(ctx, "C.same_department", "printed_department", ctx.disclosure.meta.department, "部门名称")


@rule("C.same_year", "各表标题中的年度与预算年度一致", family="completeness", tables=())
def same_year(ctx):
    return _same(ctx, "C.same_year", "printed_year", ctx.disclosure.meta.year, "年度", fmt=lambda y: f"{y}年")


@rule("C.same_unit", "各表金额单位一致（同一份公开中不混用元、万元）", family="completeness", tables=())
def same_unit(ctx):
    return _same(ctx, "C.same_unit", "unit", None, "金额单位")


@rule("E.extraction_ambiguity", "抽取时无法由表结构确定的列（列归属有歧义）及其他抽取异常（重复合计行、单位换算、未识别文字）提示人工核对；已由结构确定的列作为提示列出",
      family="extraction", tables=(), severity="warning")
def extraction_ambiguity(ctx):
    _tables_or_insufficient(ctx)
    findings = []
    for note in ctx.disclosure.notes:
        if note.kind not in ("column_ambiguous", "column_settled"):
            if note.severity in ("warning", "error"):  # repeated rows, unit conversions, unread text …
                findings.append(Finding(rule="E.extraction_ambiguity", severity="warning", table=note.table,
                                        location=note.location, expected="", actual="", difference="",
                                        message="抽取时发现异常，请对照原文核对：" + note.message))
            continue
        severity = "warning" if note.kind == "column_ambiguous" else "info"
        prefix = "列归属有歧义，请对照原文核对：" if severity == "warning" else "列归属已由表结构确定："
        findings.append(Finding(rule="E.extraction_ambiguity", severity=severity, table=note.table,
                                location=note.location, expected="", actual="", difference="",
                                message=prefix + note.message))
    return findings
