"""Performance forms (项目支出绩效目标表) ↔ the project table, and each form against itself.

Forms print 元 (exact integers); the project table prints its own unit (万元 to 2 decimals in most
formats), so a form agrees with the table when they differ by no more than the table's rounding.
Projects and forms are paired once (``pairs``), by name with all whitespace removed; the notebook
shows the pairs these rules compared.
"""

from __future__ import annotations

from functools import lru_cache

from budgetkit.checks.claims.vocabulary import cells_of
from budgetkit.checks.forms_text import Item, cost_terms, itemised, stated_totals
from budgetkit.checks.registry import (
    INFO,
    ROUNDING,
    VIOLATION,
    Context,
    InsufficientData,
    NotApplicable,
    rule,
)
from budgetkit.core.findings import Amounts, Finding
from budgetkit.core.model import FUND_SOURCES, PERIODS, PERIODS_CN, PerformanceForm
from budgetkit.core.money import classify_difference, format_amount, quantum_fen
from budgetkit.core.words import squash

FAMILY = "forms"
YUAN_Q = quantum_fen("元", 0)


@lru_cache(maxsize=4096)  # a form's funds are printed in several findings
def yuan(fen: int | None) -> str:
    return "" if fen is None else f"{format_amount(fen, '元', 0)}元"


def forms_of(ctx: Context) -> list[PerformanceForm]:
    if not ctx.disclosure.forms:
        raise InsufficientData("没有项目支出绩效目标表")
    return ctx.disclosure.forms


def projects_of(ctx: Context) -> dict[str, tuple[str, int | None, int]] | None:
    """Project name (all whitespace removed) → (name as printed, 合计 in 分, printed position) of the
    project table's detail rows: how projects and forms are paired, once for every rule. None when the
    document prints no project table; a format without one makes the pairing rules not applicable."""
    if ctx.template.by_role("projects") is None:
        raise NotApplicable(f"本格式（{ctx.template.name}）没有项目支出表，绩效目标表无从与项目对照")
    table = ctx.table("projects")
    if table is None or "main" not in table.parts:
        return None
    if "projects" not in ctx.cache:  # asked by every pairing rule
        cells = cells_of(ctx)
        names, totals = cells.leaf_cells("projects", "main", "project"), cells.leaf_cells("projects", "main", "total")
        out = {}
        for position, (name, v) in enumerate(zip(names, totals)):
            out.setdefault(squash(name), (str(name), None if v is None or str(v) == "<NA>" else int(v), position))
        ctx.cache["projects"] = out
    return ctx.cache["projects"]


def yuan_amounts(expected: int | None, actual: int | None, bound: str = "") -> Amounts:
    """Expected, actual and their difference in 元 (forms print whole 元), for the spreadsheets."""
    difference = None if expected is None or actual is None else actual - expected
    return Amounts(expected, actual, difference, "元", 0, bound)


def form_finding(ctx: Context, grade: str, form: PerformanceForm, section: str, expected: str, actual: str,
                 difference: str, message: str, table: str | None = None, amounts: Amounts | None = None) -> Finding:
    return ctx.finding(grade, table or f"form:{form.project}", f"form:{form.project}/{section}", expected, actual,
                       difference, message, amounts)


@rule("forms.one_form_per_project", "每个项目一张绩效目标表", "项目支出表的每个项目有且只有一张绩效目标表", family=FAMILY,
      tables=("projects",))
def one_form_per_project(ctx: Context) -> list[Finding]:
    projects = projects_of(ctx)
    if projects is None:
        raise InsufficientData(f"没有{ctx.label('projects')}，无法对照项目")
    if not projects and not ctx.disclosure.forms:
        raise NotApplicable(f"{ctx.label('projects')}没有项目，也没有绩效目标表")
    label, table_id = ctx.label("projects"), ctx.table("projects").id
    out = []
    seen: dict[str, int] = {}
    for form in ctx.disclosure.forms:
        seen[squash(form.project)] = seen.get(squash(form.project), 0) + 1
        if squash(form.project) not in projects:
            out.append(form_finding(ctx, VIOLATION, form, "项目名称", f"{label}中的项目", form.project, "",
                                    f"绩效目标表“{form.project}”在{label}中没有对应项目"))
            ctx.compared(key=f"form:{form.index}", kind="项目", subject=form.project, location=f"第{form.index}张",
                         text=form.project, written=yuan(form.fund("annual")), against="", verdict=out[-1].severity,
                         note=f"{label}中无此项目", values={"annual": form.fund("annual")})
    table = ctx.table("projects")
    for key, (name, value, position) in projects.items():
        n = seen.get(key, 0)
        if n != 1:
            out.append(ctx.finding(VIOLATION, table_id, f"{label}项目“{name}”", "1张绩效目标表", f"{n}张", str(n - 1),
                                   f"{label}项目“{name}”有{n}张绩效目标表，应为1张"))
        if n == 0:
            ctx.compared(key=f"project:{key}", kind="项目", subject=name, location="", text=name, written="",
                         against=label, verdict=out[-1].severity, note="无绩效目标表",
                         values={"project": value, "unit": table.unit, "decimals": table.decimals,
                                 "position": position})
    return out


@rule("forms.annual_fund_matches_projects", "年度资金与项目支出表一致",
      "绩效目标表年度资金总额（元）= 项目支出表该项目金额", family=FAMILY, tables=("projects",))
def annual_fund_matches_projects(ctx: Context) -> list[Finding]:
    projects = projects_of(ctx)
    forms = forms_of(ctx)
    if projects is None:
        raise InsufficientData(f"没有{ctx.label('projects')}，无法核对年度资金")
    table = ctx.table("projects")
    label, q = ctx.label("projects"), quantum_fen(table.unit, table.decimals)
    unit = table.unit
    out, checked = [], 0
    for form in forms:
        match = projects.get(squash(form.project))
        annual = form.fund("annual")
        if match is not None and (match[1] is None or annual is None):
            ctx.compared(key=f"form:{form.index}", kind="项目", subject=match[0], location=f"第{form.index}张",
                         text=form.project, written=yuan(annual), against=label, verdict="unchecked",
                         note="表单无年度资金" if annual is None else f"{label}中该项目无金额",
                         values={"project": match[1], "unit": unit, "decimals": table.decimals, "annual": annual,
                                 "position": match[2]})
        if match is None or match[1] is None or annual is None:
            continue
        checked += 1
        printed = f"{format_amount(match[1], unit, table.decimals)}{unit}"
        grade = classify_difference(annual - match[1], 1, q)
        verdict = "ok"
        if grade != "ok":
            f = form_finding(ctx, ROUNDING if grade == "rounding" else VIOLATION, form, "年度资金总额", printed,
                             yuan(annual), yuan(annual - match[1]), f"年度资金总额{yuan(annual)}，{label}中该项目为{printed}",
                             amounts=yuan_amounts(match[1], annual))
            out.append(f)
            verdict = f.severity
        ctx.compared(key=f"form:{form.index}", kind="项目", subject=match[0], location=f"第{form.index}张",
                     text=form.project, written=yuan(annual), against=f"{label} {printed}", verdict=verdict,
                     values={"project": match[1], "unit": unit, "decimals": table.decimals, "annual": annual,
                             "position": match[2]})
    if checked == 0:
        raise InsufficientData(f"绩效目标表与{label}没有可对照的项目金额")
    return out


@rule("forms.sources_add_up", "资金来源之和", "实施期与年度资金：中央+省级+市县+自筹+其他 = 资金总额", family=FAMILY)
def sources_add_up(ctx: Context) -> list[Finding]:
    out, checked = [], 0
    for form in forms_of(ctx):
        for period in PERIODS:
            total = form.fund(period)
            if total is None:
                continue
            parts = [form.fund(period, s) for s in FUND_SOURCES[1:]]
            if all(p is None for p in parts):
                continue
            checked += 1
            s = sum(p or 0 for p in parts)
            grade = classify_difference(s - total, 1 + sum(p is not None for p in parts), YUAN_Q)
            if grade != "ok":
                out.append(form_finding(ctx, ROUNDING if grade == "rounding" else VIOLATION, form,
                                        f"{PERIODS_CN[period]}资金", yuan(total), yuan(s), yuan(s - total),
                                        f"{PERIODS_CN[period]}各来源之和{yuan(s)}，资金总额为{yuan(total)}",
                                        amounts=yuan_amounts(total, s)))
    if checked == 0:
        raise InsufficientData("绩效目标表没有分来源的资金")
    return out


@rule("forms.one_year_period_funds", "一次性项目两期资金一致", "一次性项目（项目期1年）实施期资金总额 = 年度资金总额",
      family=FAMILY)
def one_year_period_funds(ctx: Context) -> list[Finding]:
    one_year = [x for x in forms_of(ctx) if "一次性" in x.nature and x.period_years == 1]
    if not one_year:
        raise NotApplicable("没有项目期1年的一次性项目")
    out = []
    for form in one_year:
        impl, annual = form.fund("implementation"), form.fund("annual")
        if impl is None or annual is None or impl == annual:
            continue
        out.append(form_finding(ctx, VIOLATION, form, "项目资金", yuan(annual), yuan(impl), yuan(impl - annual),
                                f"一次性项目、项目期1年，实施期资金总额{yuan(impl)}应等于年度资金总额{yuan(annual)}",
                                amounts=yuan_amounts(annual, impl)))
    return out


def _itemised(ctx: Context) -> list[tuple[PerformanceForm, dict[str, list[Item]]]]:
    """Each form with what each of its sections itemises ([] when fewer than two items): read once for three rules."""
    if "itemised" not in ctx.cache:
        ctx.cache["itemised"] = [(form, {name: itemised(text) for name, text in form.sections.items()})
                                 for form in forms_of(ctx)]
    return ctx.cache["itemised"]


@rule("forms.itemised_money", "逐项金额之和", "说明中逐项列出的金额之和（及所述合计）等于项目资金", family=FAMILY)
def itemised_money(ctx: Context) -> list[Finding]:
    out, checked = [], 0
    for form, itemised_in in _itemised(ctx):
        funds = {p: fund for p in PERIODS if (fund := form.fund(p)) is not None}
        if not funds:
            continue
        for name, text in form.sections.items():
            items = itemised_in[name]
            sums = [("各项之和", sum(i.fen for i in items), None)] if items else []  # its detail: only when it differs
            sums += [(t.name or "合计", t.fen, t.text) for t in stated_totals(text)]
            for label, value, detail in sums:
                checked += 1
                if value in funds.values():
                    continue
                if detail is None:
                    detail = " + ".join(f"{i.name}{yuan(i.fen)}" for i in items)
                target = funds.get("implementation" if "实施期" in name else "annual") or next(iter(funds.values()))
                out.append(form_finding(ctx, VIOLATION, form, name, yuan(target), yuan(value), yuan(value - target),
                                        f"{name}中{label}{yuan(value)}（{detail}），与项目资金{yuan(target)}不符",
                                        amounts=yuan_amounts(target, value)))
    if checked == 0:
        raise NotApplicable("绩效目标表说明中没有逐项列出的金额")
    return out


def _items_by_key(by_section: dict[str, list[Item]]):
    """(item key → {section: 分}, item key → name as first written) of a form's itemising sections."""
    values: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for section, items in by_section.items():
        for i in items:
            values.setdefault(i.key, {})[section] = i.fen
            names.setdefault(i.key, i.name)
    return values, names


def _forms_itemised_twice(ctx: Context):
    """Forms itemising money in two sections or more, with those sections' items and ``_items_by_key`` of them:
    found once for both rules that compare sections."""
    if "itemised_twice" not in ctx.cache:
        ctx.cache["itemised_twice"] = [
            (form, by_section, *_items_by_key(by_section)) for form, sections in _itemised(ctx)
            if len(by_section := {name: items for name, items in sections.items() if items}) >= 2]
    forms = ctx.cache["itemised_twice"]
    if not forms:
        raise NotApplicable("没有在两个以上部分逐项列出金额的绩效目标表")
    return forms


@rule("forms.sections_agree", "各部分同一事项金额一致", "同一绩效目标表各部分列出的同一事项金额一致", family=FAMILY)
def sections_agree(ctx: Context) -> list[Finding]:
    out = []
    for form, _, values, names in _forms_itemised_twice(ctx):
        for key, per_section in values.items():
            if len(set(per_section.values())) > 1:
                shown = "；".join(f"{s}{yuan(v)}" for s, v in per_section.items())
                first, *_ = per_section.items()
                other = next((s, v) for s, v in per_section.items() if v != first[1])
                out.append(form_finding(ctx, VIOLATION, form, "/".join(per_section), yuan(first[1]), yuan(other[1]),
                                        yuan(other[1] - first[1]), f"“{names[key]}”在各部分金额不一致：{shown}",
                                        amounts=yuan_amounts(first[1], other[1])))
    return out


@rule("forms.sections_list_same_items", "各部分列举事项一致", "同一绩效目标表逐项列出金额的各部分列举同样的事项",
      family=FAMILY, severity="warning")
def sections_list_same_items(ctx: Context) -> list[Finding]:
    out = []
    for form, by_section, values, names in _forms_itemised_twice(ctx):
        for key, per_section in values.items():
            missing = [s for s in by_section if s not in per_section]
            if missing:
                out.append(form_finding(ctx, VIOLATION, form, "/".join(missing), names[key], "未列出", "",
                                        f"“{names[key]}”列于{'、'.join(per_section)}，但{'、'.join(missing)}的逐项列举中没有"))
    return out


def _cost_checks(ctx: Context):
    """(form, period, fund, low, exact, arithmetic, other period's fund) for every costed period; read once for
    both cost rules."""
    forms = forms_of(ctx)
    if "cost_checks" not in ctx.cache:
        out = []
        for form in forms:
            for period in PERIODS:
                fund = form.fund(period)
                terms = cost_terms(form, period)
                if fund is None or not terms:
                    continue
                other = form.fund("annual" if period == "implementation" else "implementation")
                out.append((form, period, fund, sum(t.low for t in terms), all(t.high == t.low for t in terms),
                            " + ".join(t.text for t in terms), other))
        ctx.cache["cost_checks"] = out
    out = ctx.cache["cost_checks"]
    if not out:
        raise NotApplicable("没有能换算为金额的成本指标")
    return out


@rule("forms.cost_indicators", "成本指标与资金相符", "成本指标（单价×数量、定额）与项目资金相符（算式明确时）", family=FAMILY)
def cost_indicators(ctx: Context) -> list[Finding]:
    out = []
    for form, period, fund, low, exact, arithmetic, other in _cost_checks(ctx):
        where = f"{PERIODS_CN[period]}成本指标"
        if exact and low == fund:
            out.append(form_finding(ctx, INFO, form, where, yuan(fund), yuan(low), "0",
                                    f"{arithmetic} = {yuan(low)}，与{PERIODS_CN[period]}资金总额一致",
                                    amounts=yuan_amounts(fund, low)))
        elif low > fund and low != other:
            out.append(form_finding(ctx, VIOLATION, form, where, f"≤{yuan(fund)}", yuan(low), yuan(low - fund),
                                    f"{arithmetic} = {yuan(low)}，超过{PERIODS_CN[period]}资金总额{yuan(fund)}",
                                    amounts=yuan_amounts(fund, low, "≤")))
        elif exact and low < fund:
            out.append(form_finding(ctx, INFO, form, where, yuan(fund), yuan(low), yuan(low - fund),
                                    f"{arithmetic} = {yuan(low)}，只覆盖{PERIODS_CN[period]}资金总额{yuan(fund)}的一部分",
                                    amounts=yuan_amounts(fund, low)))
    return out


@rule("forms.cost_indicators_copied", "成本指标照抄另一期间", "成本指标超过本期资金、恰等于另一期间的资金总额（疑为照抄）",
      family=FAMILY, severity="warning")
def cost_indicators_copied(ctx: Context) -> list[Finding]:
    return [form_finding(ctx, VIOLATION, form, f"{PERIODS_CN[period]}成本指标", f"≤{yuan(fund)}", yuan(low),
                         yuan(low - fund), f"{arithmetic} = {yuan(low)}，超过{PERIODS_CN[period]}资金总额{yuan(fund)}"
                         "（等于另一期间的资金总额，疑为照抄）", amounts=yuan_amounts(fund, low, "≤"))
            for form, period, fund, low, exact, arithmetic, other in _cost_checks(ctx) if low > fund and low == other]
