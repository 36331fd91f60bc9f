"""Shared pieces of the table rules: tables with honest statuses, and amount findings.

A difference within the rounding tolerance of its printed values is a ``rounding`` finding;
beyond it, a violation (the rule's registered severity). Values are shown in one table's unit.
"""

from __future__ import annotations

from budgetkit.checks.identities import Identity, table_identities
from budgetkit.checks.registry import INFO, ROUNDING, VIOLATION, Context, NotApplicable
from budgetkit.core.findings import Amounts, Finding
from budgetkit.core.model import Table
from budgetkit.core.money import format_amount, quantum_fen, rounding_tolerance


def table_cn(table_ids: str) -> str:
    """'T3' → '表3'; 'T1/T3' → '表1/表3' (the document's own numbering)."""
    return "/".join(f"表{t[1:]}" for t in table_ids.split("/"))


def holds_amounts(ctx: Context, table: Table) -> bool:
    """``Table.has_values`` of one of the run's own (current-year) tables, asked once per table and run.

    Many rules ask it of the same tables; the answer is kept by table id in the run's cache.
    """
    known = ctx.cache.setdefault("holds_amounts", {})
    if table.id not in known:
        known[table.id] = table.has_values
    return known[table.id]


def is_empty(ctx: Context, table: Table) -> bool:
    """Empty by declaration (本表无数据) and indeed holding no amounts."""
    return table.declared_empty and not holds_amounts(ctx, table)


def require_filled(ctx: Context, role: str) -> Table:
    """A table a within-table rule checks: missing → insufficient_data, declared empty → not_applicable."""
    (table,) = ctx.require(role)
    if is_empty(ctx, table):
        raise NotApplicable(f"{table_cn(table.id)} 注明本表无数据")
    return table


def identities(ctx: Context, table: Table) -> list[Identity]:
    cache = ctx.cache.setdefault("identities", {})
    if table.id not in cache:
        cache[table.id] = table_identities(table, ctx.template, ctx.cells)
    return cache[table.id]


def tolerance_text(tolerance: int, unit: str, decimals: int, quantum: int) -> str:
    """The tolerance as printed: one more decimal when it falls between quanta (0.075, not 0.08)."""
    return format_amount(tolerance, unit, decimals + (tolerance % quantum != 0))


def amount_finding(ctx: Context, table: str, location: str, *, expected: int, actual: int, n_printed: int,
                   quantum: int, unit: str, decimals: int, what: str, verb: str = "应等于",
                   tolerance: int | None = None, below: dict | None = None) -> Finding | None:
    """A finding when ``actual`` (printed) differs from ``expected``; None when they agree.

    ``what`` completes '… 应等于<what> <expected>', e.g. '各类之和' or '表12 合计行 一般公共预算'.
    ``tolerance`` (分) defaults to half a ``quantum`` per printed value. ``below``: for an upper
    bound (verb 应不超过) whose actual value is lower — {'message': …} makes it information.
    """
    diff = actual - expected
    tol = rounding_tolerance(n_printed, quantum) if tolerance is None else tolerance
    status = "ok" if diff == 0 else ("rounding" if abs(diff) <= tol else "error")
    if status == "ok":
        return None
    fmt = lambda v: format_amount(v, unit, decimals)  # noqa: E731
    numbers = Amounts(expected, actual, diff, unit, decimals, "≤" if verb == "应不超过" else "")
    head = (f"{table_cn(table)} {location.replace(' / ', ' ')} {verb}{what} {fmt(expected)}{unit}，"
            f"实际 {fmt(actual)}{unit}，差 {fmt(diff)}")
    tol_text = tolerance_text(tol, unit, decimals, quantum)
    if status == "rounding":
        return ctx.finding(ROUNDING, table, location, fmt(expected), fmt(actual), fmt(diff),
                           head + f"，属四舍五入尾差（{n_printed} 个印刷数，容差 {tol_text}）", numbers)
    if below is not None:
        message = below["message"].format(actual=fmt(actual), expected=fmt(expected), difference=fmt(diff), unit=unit)
        return ctx.finding(INFO, table, location, fmt(expected), fmt(actual), fmt(diff), message, numbers)
    return ctx.finding(VIOLATION, table, location, fmt(expected), fmt(actual), fmt(diff),
                       head + f"，超出 {n_printed} 个印刷数的四舍五入容差 {tol_text}，数据不一致", numbers)


def identity_finding(ctx: Context, ident: Identity, table: Table) -> Finding | None:
    if ident.difference == 0:  # most identities of a run hold
        return None
    return amount_finding(ctx, ident.table, ident.location, expected=ident.recomputed, actual=ident.printed or 0,
                          n_printed=ident.n_printed, quantum=quantum_fen(table.unit, table.decimals),
                          unit=table.unit, decimals=table.decimals, what=ident.relation)

