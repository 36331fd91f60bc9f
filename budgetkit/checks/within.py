"""Within-table rules: every printed subtotal, total, row identity and balance of every table of a format.

One rule per table and identity group (``within.<role>.<group>``), built from the template: the
identities come from ``budgetkit.checks.identities``, so reproduction and checks never disagree.
"""

from __future__ import annotations

from budgetkit.checks.amounts import (
    identity_finding,
    require_filled,
    table_cn,
)
from budgetkit.checks.identities import identity_groups, table_identities
from budgetkit.checks.registry import InsufficientData, NotApplicable, Rule
from budgetkit.core.template import Part, TableSpec, Template

GROUP_NAMES = {"hierarchy": "科目层级汇总", "groups": "经济分类汇总", "unit_sum": "单位汇总", "project_sum": "项目汇总",
               "fixed_rows": "固定行合计", "row_total": "行内合计", "balance": "收支平衡"}


def _each_column(part: Part) -> str:
    return "（各列）" if len(part.amounts) > 1 else ""


def _sum_rows(spec: TableSpec, part: Part) -> str:
    labels = {r.key: r.label for r in part.rows}
    out = []
    for r in part.rows:
        if r.sum_of:
            terms = "各功能分类之和" if all(k.startswith("class_") for k in r.sum_of) else \
                " + ".join(labels.get(k, k) for k in r.sum_of)
            out.append(f"{r.label} = {terms}")
    return "；".join(out) + _each_column(part)


def describe(spec: TableSpec, group: str) -> str:
    """The rule's one-line description, from the template (表N and the printed names)."""
    label = spec.label
    main = spec.parts[0]
    if group == "hierarchy":
        both = "收入、支出两部分 " if len(spec.parts) > 1 else ""
        return f"{label} {both}类 = Σ款、款 = Σ项，合计行 = Σ类{_each_column(spec.parts[-1])}"
    if group == "groups":
        return f"{label} 各经济分类 = 所属明细之和；合计行 = 各经济分类之和{_each_column(main)}"
    if group == "unit_sum":
        return f"{label} 部门合计 = 各单位之和{_each_column(main)}"
    if group == "project_sum":
        return f"{label} 部门合计 = 单位小计 = 所属项目之和{_each_column(main)}"
    if group == "fixed_rows":
        return f"{label} {_sum_rows(spec, main)}"
    if group.endswith("_sums"):
        part = spec.part(group[: -len("_sums")])
        return f"{label} {part.name or ''} {_sum_rows(spec, part)}"
    if group == "row_total":
        texts = []
        for part in spec.parts:
            cols = {c.key: c.header.replace("{year}年", "").replace("{year}", "") for c in part.amounts}
            for lhs, rhs in part.identities():
                where = f"{part.name}各行" if len(spec.parts) > 1 and part.name else "每行"
                texts.append(f"{where} {cols.get(lhs, lhs)} = {' + '.join(cols.get(t, t) for t in rhs)}")
        return f"{label} " + "；".join(texts)
    if group == "balance":
        names = []
        for text in spec.balances:
            sides = []
            for side in text.split("="):
                part_key, row_key, _col = side.strip().split(".")
                part = spec.part(part_key)
                sides.append(next((r.label for r in part.rows if r.key == row_key), row_key))
            names.append(" = ".join(sides))
        return f"{label} " + "；".join(names)
    raise ValueError(f"unknown identity group {group!r}")


def _check(role: str, group: str):
    def check(ctx):
        table = require_filled(ctx, role)
        failing, holding = _grouped(ctx, table)
        mine = failing.get(group, [])
        if not mine and group not in holding:  # no identity of the group at all
            if group == "row_total" and _only_unprinted_columns(ctx.template.table(table.id), table):
                raise NotApplicable(f"{table_cn(table.id)} 未公开行内合计所需的列")
            raise InsufficientData(f"{table_cn(table.id)} 没有可核对的行（表结构未识别）")
        return [f for f in (identity_finding(ctx, i, table) for i in mine) if f is not None]

    check.__name__ = f"within_{role}_{group}"
    return check


def _grouped(ctx, table) -> tuple[dict[str, list], set[str]]:
    """A table's failing identities by group, and the groups with an identity that holds: found once per run
    (each group is its own rule). Identities that hold are never built: they make no finding."""
    known = ctx.cache.setdefault("failing_identities_by_group", {})
    if table.id not in known:
        holding: set[str] = set()
        failing: dict[str, list] = {}
        for i in table_identities(table, ctx.template, ctx.cells, holding):
            failing.setdefault(i.group, []).append(i)
        known[table.id] = failing, {rule.rsplit(".", 1)[1] for rule in holding}
    return known[table.id]


def _only_unprinted_columns(spec: TableSpec, table) -> bool:
    """Every row identity of the table names a column this document does not print (an optional one)."""
    for part in spec.parts:
        absent = set(table.absent_columns.get(part.key, ()))
        for lhs, rhs in part.signed_identities():
            if lhs not in absent and not any(k in absent for _, k in rhs):
                return False
    return True


def template_rules(template: Template) -> list[Rule]:
    """One rule per table and identity group, in table order (the groups of a table, then row totals)."""
    by_table = [(spec, identity_groups(spec)) for spec in template.tables]
    rules = []
    for spec, groups in by_table:  # structural sums first, then row totals, as reports list them
        for group in groups:
            if group == "row_total":
                continue
            rules.append(Rule(id=f"within.{spec.role}.{group}", name=f"{spec.title} {GROUP_NAMES.get(group, '固定行合计')}",
                              description=describe(spec, group), family="within", tables=(spec.role,),
                              severity="error", func=_check(spec.role, group)))
    for spec, groups in by_table:
        if "row_total" in groups:
            rules.append(Rule(id=f"within.{spec.role}.row_total", name=f"{spec.title} {GROUP_NAMES['row_total']}",
                              description=describe(spec, "row_total"), family="within", tables=(spec.role,),
                              severity="error", func=_check(spec.role, "row_total")))
    return rules
