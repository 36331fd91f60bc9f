"""Performance forms (项目支出绩效目标表) ↔ table 12, and each form against itself.

Forms print 元 (exact integers); table 12 prints 万元 to 2 decimals, so a form
agrees with table 12 when they differ by no more than table 12's rounding.
"""

from __future__ import annotations

from budgetkit.core.findings import Finding
from budgetkit.core.model import FUND_SOURCES, PERIODS, PERIODS_CN, PerformanceForm
from budgetkit.core.money import classify_difference, format_amount, quantum_fen
from budgetkit.checks.form_money import cost_terms, itemised, stated_totals
from budgetkit.checks.claims.vocabulary import leaf_rows, squash
from budgetkit.checks.registry import Context, InsufficientData, NotApplicable, rule

FAMILY = "forms"
YUAN_Q = quantum_fen("元", 0)


def yuan(fen: int | None) -> str:
    return "" if fen is None else f"{format_amount(fen, '元', 0)}元"


def forms_of(ctx: Context) -> list[PerformanceForm]:
    if not ctx.disclosure.forms:
        raise InsufficientData("没有项目支出绩效目标表")
    return ctx.disclosure.forms


def t12_projects(ctx: Context) -> dict[str, tuple[str, int | None]] | None:
    """Project name (all whitespace removed) → (name as printed, 合计 in 分)."""
    t12 = ctx.disclosure.tables.get("T12")
    if t12 is None or "main" not in t12.parts:
        return None
    out = {}
    for _, r in leaf_rows(t12.part("main")).iterrows():
        v = r["total"]
        out[squash(r["project"])] = (str(r["project"]), None if v is None or str(v) == "<NA>" else int(v))
    return out


def f(rule_id: str, severity: str, form: PerformanceForm, section: str, expected: str, actual: str,
      difference: str, message: str, table: str | None = None) -> Finding:
    return Finding(rule=rule_id, severity=severity, table=table or f"form:{form.project}",
                   location=f"form:{form.project}/{section}", expected=expected, actual=actual,
                   difference=difference, message=message)


@rule("F.one_form_per_project", "表12的每个项目有且只有一张绩效目标表", family=FAMILY, tables=("T12",))
def one_form_per_project(ctx: Context) -> list[Finding]:
    projects = t12_projects(ctx)
    if projects is None:
        raise InsufficientData("没有表12，无法对照项目")
    if not projects and not ctx.disclosure.forms:
        raise NotApplicable("表12没有项目，也没有绩效目标表")
    out = []
    seen: dict[str, int] = {}
    for form in ctx.disclosure.forms:
        seen[squash(form.project)] = seen.get(squash(form.project), 0) + 1
        if squash(form.project) not in projects:
            out.append(f("F.one_form_per_project", "error", form, "项目名称", "表12中的项目", form.project, "",
                         f"绩效目标表“{form.project}”在表12中没有对应项目"))
    for key, (name, _) in projects.items():
        n = seen.get(key, 0)
        if n != 1:
            out.append(Finding("F.one_form_per_project", "error", "T12", f"表12项目“{name}”", "1张绩效目标表",
                               f"{n}张", str(n - 1), f"表12项目“{name}”有{n}张绩效目标表，应为1张"))
    return out


@rule("F.annual_fund_eq_T12", "绩效目标表年度资金总额（元）= 表12项目金额（万元）", family=FAMILY, tables=("T12",))
def annual_fund_eq_t12(ctx: Context) -> list[Finding]:
    forms = forms_of(ctx)
    projects = t12_projects(ctx)
    if projects is None:
        raise InsufficientData("没有表12，无法核对年度资金")
    table = ctx.disclosure.tables["T12"]
    q = quantum_fen(table.unit, table.decimals)
    out, checked = [], 0
    for form in forms:
        match = projects.get(squash(form.project))
        annual = form.fund("annual")
        if match is None or match[1] is None or annual is None:
            continue
        checked += 1
        grade = classify_difference(annual - match[1], 1, q)
        if grade != "ok":
            out.append(f("F.annual_fund_eq_T12", grade, form, "年度资金总额", f"{format_amount(match[1])}万元",
                         yuan(annual), yuan(annual - match[1]),
                         f"年度资金总额{yuan(annual)}，表12中该项目为{format_amount(match[1])}万元"))
    if checked == 0:
        raise InsufficientData("绩效目标表与表12没有可对照的项目金额")
    return out


@rule("F.sources_add_up", "实施期与年度资金：中央+省级+市县+自筹+其他 = 资金总额", family=FAMILY)
def sources_add_up(ctx: Context) -> list[Finding]:
    out, checked = [], 0
    for form in forms_of(ctx):
        for period in PERIODS:
            total = form.fund(period)
            parts = [form.fund(period, s) for s in FUND_SOURCES[1:]]
            if total is None or all(p is None for p in parts):
                continue
            checked += 1
            s = sum(p or 0 for p in parts)
            grade = classify_difference(s - total, 1 + sum(p is not None for p in parts), YUAN_Q)
            if grade != "ok":
                out.append(f("F.sources_add_up", grade, form, f"{PERIODS_CN[period]}资金", yuan(total), yuan(s),
                             yuan(s - total), f"{PERIODS_CN[period]}各来源之和{yuan(s)}，资金总额为{yuan(total)}"))
    if checked == 0:
        raise InsufficientData("绩效目标表没有分来源的资金")
    return out


@rule("F.one_year_period_funds", "一次性项目（项目期1年）实施期资金总额 = 年度资金总额", family=FAMILY)
def one_year_period_funds(ctx: Context) -> list[Finding]:
    one_year = [x for x in forms_of(ctx) if "一次性" in x.nature and x.period_years == 1]
    if not one_year:
        raise NotApplicable("没有项目期1年的一次性项目")
    out = []
    for form in one_year:
        impl, annual = form.fund("implementation"), form.fund("annual")
        if impl is None or annual is None or impl == annual:
            continue
        out.append(f("F.one_year_period_funds", "error", form, "项目资金", yuan(annual), yuan(impl),
                     yuan(impl - annual), f"一次性项目、项目期1年，实施期资金总额{yuan(impl)}应等于年度资金总额"
                     f"{yuan(annual)}"))
    return out


def _section_items(form: PerformanceForm) -> dict[str, list]:
    return {name: items for name, text in form.sections.items() if (items := itemised(text))}


@rule("F.itemised_money", "说明中逐项列出的金额之和（及所述合计）等于项目资金", family=FAMILY)
def itemised_money(ctx: Context) -> list[Finding]:
    out, checked = [], 0
    for form in forms_of(ctx):
        funds = {p: form.fund(p) for p in PERIODS if form.fund(p) is not None}
        if not funds:
            continue
        for name, text in form.sections.items():
            items = itemised(text)
            sums = [("各项之和", sum(i.fen for i in items), " + ".join(f"{i.name}{yuan(i.fen)}" for i in items))] \
                if items else []
            sums += [(t.name or "合计", t.fen, t.text) for t in stated_totals(text)]
            for label, value, detail in sums:
                checked += 1
                if value in funds.values():
                    continue
                target = funds.get("implementation" if "实施期" in name else "annual") or next(iter(funds.values()))
                out.append(f("F.itemised_money", "error", form, name, yuan(target), yuan(value), yuan(value - target),
                             f"{name}中{label}{yuan(value)}（{detail}），与项目资金{yuan(target)}不符"))
    if checked == 0:
        raise NotApplicable("绩效目标表说明中没有逐项列出的金额")
    return out


@rule("F.sections_agree", "同一绩效目标表各部分列出的同一事项金额一致", family=FAMILY)
def sections_agree(ctx: Context) -> list[Finding]:
    out, checked = [], 0
    for form in forms_of(ctx):
        by_section = _section_items(form)
        if len(by_section) < 2:
            continue
        checked += 1
        values: dict[str, dict[str, int]] = {}
        names: dict[str, str] = {}
        for section, items in by_section.items():
            for i in items:
                values.setdefault(i.key, {})[section] = i.fen
                names.setdefault(i.key, i.name)
        for key, per_section in values.items():
            distinct = sorted(set(per_section.values()))
            if len(distinct) > 1:
                shown = "；".join(f"{s}{yuan(v)}" for s, v in per_section.items())
                first, *_ = per_section.items()
                other = next((s, v) for s, v in per_section.items() if v != first[1])
                out.append(f("F.sections_agree", "error", form, "/".join(per_section), yuan(first[1]),
                             yuan(other[1]), yuan(other[1] - first[1]),
                             f"“{names[key]}”在各部分金额不一致：{shown}"))
            missing = [s for s in by_section if s not in per_section]
            if missing:
                out.append(f("F.sections_agree", "warning", form, "/".join(missing), names[key], "未列出", "",
                             f"“{names[key]}”列于{'、'.join(per_section)}，但{'、'.join(missing)}的逐项列举中没有"))
    if checked == 0:
        raise NotApplicable("没有在两个以上部分逐项列出金额的绩效目标表")
    return out


@rule("F.cost_indicators", "成本指标（单价×数量、定额）与项目资金相符（算式明确时）", family=FAMILY)
def cost_indicators(ctx: Context) -> list[Finding]:
    out, checked = [], 0
    for form in forms_of(ctx):
        for period in PERIODS:
            fund = form.fund(period)
            terms = cost_terms(form, period)
            if fund is None or not terms:
                continue
            checked += 1
            low = sum(t.low for t in terms)
            exact = all(t.high == t.low for t in terms)
            arithmetic = " + ".join(t.text for t in terms)
            where = f"{PERIODS_CN[period]}成本指标"
            other = form.fund("annual" if period == "implementation" else "implementation")
            if exact and low == fund:
                out.append(f("F.cost_indicators", "info", form, where, yuan(fund), yuan(low), "0",
                             f"{arithmetic} = {yuan(low)}，与{PERIODS_CN[period]}资金总额一致"))
            elif low > fund:
                severity = "warning" if low == other else "error"
                out.append(f("F.cost_indicators", severity, form, where, f"≤{yuan(fund)}", yuan(low),
                             yuan(low - fund), f"{arithmetic} = {yuan(low)}，超过{PERIODS_CN[period]}资金总额{yuan(fund)}"
                             + ("（等于另一期间的资金总额，疑为照抄）" if low == other else "")))
            elif exact:
                out.append(f("F.cost_indicators", "info", form, where, yuan(fund), yuan(low), yuan(low - fund),
                             f"{arithmetic} = {yuan(low)}，只覆盖{PERIODS_CN[period]}资金总额{yuan(fund)}的一部分"))
    if checked == 0:
        raise NotApplicable("没有能换算为金额的成本指标")
    return out
