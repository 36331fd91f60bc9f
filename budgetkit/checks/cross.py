"""Cross-table rules: the same money printed in two tables must agree — declared by the format template.

Each entry of a template's ``cross:`` list is one rule ``cross.<id>``: checks that compare a cell
expression with another (``=``, or ``<=`` for an upper bound), optionally over every functional
class, code or fixed row, under conditions (see ``budgetkit.checks.expressions``). Entries of
``kind: emptiness`` tie a table printed empty (本表无数据) to money elsewhere being zero.

A table declared empty takes part with all amounts zero, so a non-zero counterpart is still caught;
a table the document does not print makes the rule ``insufficient_data``. Expected is the
reference's value, actual the checked one; the rounding tolerance is half a printed unit of each
printed value taking part, whatever table (and unit) it comes from.
"""

from __future__ import annotations

import math
from functools import lru_cache, partial

from budgetkit.checks.amounts import amount_finding, holds_amounts, is_empty, table_cn
from budgetkit.checks.expressions import (
    ExpressionError,
    Reader,
    evaluate,
    holds,
    parse_expression,
    render,
    roles_of,
    total,
)
from budgetkit.checks.registry import VIOLATION, Context, NotApplicable, Rule
from budgetkit.core.findings import Amounts, Finding
from budgetkit.core.money import format_amount, quantum_fen
from budgetkit.core.template import Template

# ---------------------------------------------------------------- iterating a check


@lru_cache(maxsize=1024)  # the template's rows: the same for every department-year (callers copy the dicts)
def _classes(template: Template, target: str, select=("class",)) -> tuple[dict, ...]:
    role, part = target.split(".")
    out = []
    for r in template.by_role(role).part(part).rows:
        if ("class" in select and r.code) or r.key in select or ("leaf" in select and r.kind == "leaf"):
            out.append({"key": r.key, "code": r.code or "", "label": r.label})
    return tuple(out)


def _code_rows(reader: Reader, sources: list) -> list[dict]:
    """Union of the codes printed in the named tables (by code length, then code), then the 合计行."""
    names: dict[str, str] = {}
    for source in sources:
        role, nonzero = (source, None) if isinstance(source, str) else (source["role"], source.get("nonzero"))
        cells = reader.cells(role, "main")
        if cells is None or "code" not in cells.columns:
            continue
        for i, code in cells.codes().items():
            if not code.isdigit():
                continue
            if nonzero is not None:
                v = cells.at[i, nonzero] if nonzero in cells.columns else None
                if v is None or str(v) == "<NA>" or int(v) == 0:
                    continue
            name = str(cells.at[i, "name"]).strip() if "name" in cells.columns else ""
            names.setdefault(code, name)
    rows = [{"row": f"code={c}", "code": c, "row_label": f"{c} {names[c]}"}
            for c in sorted(names, key=lambda c: (len(c), c))]
    return rows + [{"row": "total", "code": "", "row_label": "合计行"}]


def _bindings(spec, reader: Reader, template: Template) -> list[dict] | tuple[dict, ...]:
    if spec is None:
        return [{}]
    if isinstance(spec, list):
        return [dict(b) for b in spec]
    if "classes" in spec:
        return _classes(template, spec["classes"])
    if "fixed_rows" in spec:
        return _classes(template, spec["fixed_rows"], tuple(spec.get("select", ("class",))))
    if "codes" in spec:
        return _code_rows(reader, spec["codes"])
    raise ExpressionError(f"cannot iterate over {spec!r}")


def _each(check: dict, reader: Reader, template: Template):
    inner_bindings = None  # the same for every outer binding: made once, when first needed
    for outer in _bindings(check.get("each"), reader, template):
        if inner_bindings is None:
            inner_bindings = _bindings(check.get("then_each"), reader, template)
        for inner in inner_bindings:
            yield {**outer, **inner}


# ---------------------------------------------------------------- one comparison


def _what(check: dict, reader: Reader, variables: dict) -> str:
    what = check.get("what", "")
    if isinstance(what, list):
        what = next(w["text"] for w in what if "if" not in w or holds(w["if"], reader, variables))
    return what


def _display(entry_tables: list[str], reader: Reader, printed: list[tuple[int, int]]):
    """Unit and decimals to show a comparison in: the first table's, finer when a term is finer."""
    unit_table = next(reader.table(r) for r in entry_tables if reader.table(r) is not None)
    q = quantum_fen(unit_table.unit, unit_table.decimals)
    finest = min([q] + [pq for _, pq in printed])
    extra = max(0, round(math.log10(q / finest))) if finest < q else 0
    return unit_table.unit, unit_table.decimals + extra, q


def _compare(ctx: Context, entry: dict, check: dict, reader: Reader, variables: dict, label: str) -> Finding | None:
    year = ctx.disclosure.meta.year
    if "when" in check and not holds(check["when"], reader, variables):
        return None
    bound_text = check.get("at_most")
    op = "<=" if bound_text is not None else "="
    expected_text = bound_text if bound_text is not None else check["expected"]
    if isinstance(check.get("compare"), dict):
        c = check["compare"]
        op = c["then"] if holds(c["if"], reader, variables) else c["else"]
    actual_total, expected_total = total(check["actual"], reader, variables), total(expected_text, reader, variables)
    if actual_total == expected_total or (op == "<=" and actual_total < expected_total and "below" not in check):
        return None  # agrees: most comparisons of a run, so nothing more is read or rendered for them
    actual = evaluate(check["actual"], reader, variables)
    expected = evaluate(expected_text, reader, variables)
    printed = actual.printed + expected.printed
    unit, decimals, quantum = _display(entry["tables"], reader, printed)
    tolerance = sum(q for _, q in printed) // 2
    location = render(check["location"], ctx.template, variables, year)
    what = render(_what(check, reader, variables), ctx.template, variables, year)
    common = dict(n_printed=len(printed), quantum=quantum, unit=unit, decimals=decimals, what=what,
                  tolerance=tolerance)
    if op == "<=":
        if actual.total > expected.total:
            return amount_finding(ctx, label, location, expected=expected.total, actual=actual.total,
                                  verb="应不超过", **common)
        if actual.total < expected.total and "below" in check:
            below = {"message": render(check["below"]["message"], ctx.template, variables, year)}
            return amount_finding(ctx, label, location, expected=expected.total, actual=actual.total, below=below,
                                  **common)
        return None
    return amount_finding(ctx, label, location, expected=expected.total, actual=actual.total, **common)


# ---------------------------------------------------------------- the rules


def _roles(entry: dict) -> list[str]:
    """Every role an entry reads, the labelled tables first."""
    texts = []
    for check in entry.get("checks", ()):
        texts += [check.get(k, "") for k in ("actual", "expected", "at_most", "when")]
        if isinstance(check.get("compare"), dict):
            texts.append(check["compare"]["if"])
        if isinstance(check.get("what"), list):
            texts += [w.get("if", "") for w in check["what"]]
    for pair in (*entry.get("pairs", ()), *entry.get("implies", ())):
        texts.append(pair["counterpart"])
    found = set().union(*(roles_of(t) for t in texts if t)) if texts else set()
    found |= {p["table"] for p in (*entry.get("pairs", ()), *entry.get("implies", ()))}
    return list(dict.fromkeys([*entry["tables"], *sorted(found - set(entry["tables"]))]))


def shared_reader(ctx: Context) -> Reader:
    """One Reader for every entry of a run: its cells and row look-ups are built once per department-year."""
    if "reader" not in ctx.cache:
        ctx.cache["reader"] = Reader(ctx.disclosure.tables, ctx.template, ctx.cells)
    return ctx.cache["reader"]


def _check_entry(entry: dict, roles: list[str], ctx: Context) -> list[Finding]:
    ctx.require(*roles)
    empty_ok = entry.get("not_applicable_when_empty")
    if empty_ok and all(is_empty(ctx, ctx.table(r)) for r in empty_ok):
        raise NotApplicable("、".join(ctx.label(r) for r in empty_ok) + (" 均" if len(empty_ok) > 1 else " ")
                            + "注明本表无数据")
    reader = shared_reader(ctx)
    label = "/".join(ctx.table(r).id for r in entry["tables"])
    if entry.get("kind") == "emptiness":
        return _emptiness(ctx, entry, reader)
    out = []
    for check in entry["checks"]:
        for variables in _each(check, reader, ctx.template):
            f = _compare(ctx, entry, check, reader, variables, label)
            if f is not None:
                out.append(f)
    return out


def _emptiness(ctx: Context, entry: dict, reader: Reader) -> list[Finding]:
    """A table printed empty ⇔ its counterpart money is zero; ``implies``: empty ⇒ counterpart zero."""
    year = ctx.disclosure.meta.year
    out = []
    for pair in entry.get("pairs", ()):
        table = ctx.table(pair["table"])
        value = evaluate(pair["counterpart"], reader, {})
        amount = sum(abs(v) for v, _ in value.printed)
        empty = not holds_amounts(ctx, table)
        what, other = pair["what"], render(pair["counterpart_label"], ctx.template, {}, year)
        if empty and amount:
            msg = f"{table_cn(table.id)} {what}为空（本表无数据），但{other}不为零"
        elif not empty and not amount:
            msg = f"{table_cn(table.id)} {what}有数据，但{other}为空"
        else:
            continue
        out.append(ctx.finding(VIOLATION, table.id, f"{what} ⇔ {other}", "空" if not amount else "有数据",
                               "空" if empty else "有数据", "", msg))
    for rule in entry.get("implies", ()):
        table = ctx.table(rule["table"])
        if holds_amounts(ctx, table):
            continue
        value = evaluate(rule["counterpart"], reader, {})
        if not value.total:
            continue
        unit_table = ctx.table(parse_expression(rule["counterpart"])[0].role)
        amount = format_amount(value.total, unit_table.unit, unit_table.decimals)
        other = render(rule["counterpart_label"], ctx.template, {}, year)
        message = render(rule["message"], ctx.template, {}, year).format(amount=amount, unit=unit_table.unit)
        out.append(ctx.finding(VIOLATION, table.id, f"{rule['what']} ⇔ {other}", amount, "空", "", message,
                               Amounts(value.total, None, None, unit_table.unit, unit_table.decimals)))
    return out


def template_rules(template: Template) -> list[Rule]:
    """One rule per ``cross:`` entry of the template, in the order written."""
    rules = []
    for entry in template.cross:
        for role in _roles(entry):
            if template.by_role(role) is None:
                raise ExpressionError(f"template {template.id}: cross.{entry['id']} names unknown table role {role!r}")
        description = render(entry["description"], template, {}, None)
        rules.append(Rule(id=f"cross.{entry['id']}", name=entry["name"], description=description, family="cross",
                          tables=tuple(_roles(entry)), severity=entry.get("severity", "error"),
                          func=partial(_check_entry, entry, _roles(entry))))
    return rules

