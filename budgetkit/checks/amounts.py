"""Shared pieces of the table rules: table look-up with honest statuses, and amount findings.

A difference within the rounding tolerance of its printed values is a
``rounding`` finding; beyond it, an ``error``. Values are shown in the table's unit.
"""

from __future__ import annotations

from budgetkit.core.findings import Finding
from budgetkit.core.model import Table
from budgetkit.core.money import classify_difference, format_amount, quantum_fen, rounding_tolerance
from budgetkit.checks.reproduce import Identity, table_identities
from budgetkit.checks.registry import Context, InsufficientData, NotApplicable


def table_cn(table_id: str) -> str:
    """'T3' → '表3'; 'T1/T3' → '表1/表3'."""
    return "/".join(f"表{t[1:]}" for t in table_id.split("/"))


def require(ctx: Context, *table_ids: str) -> list[Table]:
    """The tables a rule needs; a missing one makes the rule ``insufficient_data``."""
    missing = [t for t in table_ids if t not in ctx.disclosure.tables]
    if missing:
        raise InsufficientData("缺少" + "、".join(table_cn(t) for t in missing))
    return [ctx.disclosure.tables[t] for t in table_ids]


def holds_amounts(table: Table) -> bool:
    """Any printed amount in any part (same meaning as ``Table.has_values``, one pass per part)."""
    for df in table.parts.values():
        cols = [c for c in df.columns if str(df[c].dtype) == "Int64"]
        if cols and df[cols].notna().to_numpy().any():
            return True
    return False


def is_empty(table: Table) -> bool:
    """Empty by declaration (本表无数据) and indeed holding no amounts."""
    return table.declared_empty and not holds_amounts(table)


def require_filled(ctx: Context, table_id: str) -> Table:
    """A table a within-table rule checks: missing → insufficient_data, declared empty → not_applicable."""
    (table,) = require(ctx, table_id)
    if is_empty(table):
        raise NotApplicable(f"{table_cn(table_id)} 注明本表无数据")
    return table


def identities(ctx: Context, table: Table) -> list[Identity]:
    cache = ctx.cache.setdefault("identities", {})
    if table.id not in cache:
        cache[table.id] = table_identities(table, ctx.template)
    return cache[table.id]


def coarser_quantum(*tables: Table) -> int:
    return max(quantum_fen(t.unit, t.decimals) for t in tables)


def amount_finding(rule: str, table: str, location: str, *, expected: int, actual: int, n_printed: int,
                   quantum: int, unit: str, decimals: int, what: str, verb: str = "应等于",
                   severity: str | None = None) -> Finding | None:
    """A finding when ``actual`` (printed) differs from ``expected``; None when they agree.

    ``what`` completes '… 应等于<what> <expected>', e.g. '各类之和' or '表12 合计行 一般公共预算'.
    ``severity`` overrides the severity of a difference beyond rounding (e.g. 'info').
    """
    diff = actual - expected
    status = classify_difference(diff, n_printed, quantum)
    if status == "ok":
        return None
    fmt = lambda v: format_amount(v, unit, decimals)  # noqa: E731
    tol = rounding_tolerance(n_printed, quantum)
    tol_text = format_amount(tol, unit, decimals + (tol % quantum != 0))  # 0.075, not 0.08
    head = (f"{table_cn(table)} {location.replace(' / ', ' ')} {verb}{what} {fmt(expected)}{unit}，"
            f"实际 {fmt(actual)}{unit}，差 {fmt(diff)}")
    if status == "rounding":
        tail = f"，属四舍五入尾差（{n_printed} 个印刷数，容差 {tol_text}）"
    else:
        tail = f"，超出 {n_printed} 个印刷数的四舍五入容差 {tol_text}，数据不一致"
        status = severity or status
    return Finding(rule=rule, severity=status, table=table, location=location, expected=fmt(expected),
                   actual=fmt(actual), difference=fmt(diff), message=head + tail)


def identity_finding(ident: Identity, table: Table) -> Finding | None:
    return amount_finding(ident.rule, ident.table, ident.location, expected=ident.recomputed,
                          actual=ident.printed or 0, n_printed=ident.n_printed,
                          quantum=quantum_fen(table.unit, table.decimals), unit=table.unit,
                          decimals=table.decimals, what=ident.relation)
