"""Narrative ↔ tables: every amount, share, change, list and breakdown of 第三部分 recomputed.

Rules that need no table (shares of a total stated in the text, growth rates
against the text's own amounts, 其中 breakdowns, reasons) also run on a
narrative excerpt alone; the others raise ``InsufficientData`` without tables.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from decimal import Decimal

from budgetkit.checks.claims import grammar as g
from budgetkit.checks.claims.arithmetic import (
    OK,
    ROUNDING,
    change_rate,
    classify_ratio,
    fmt_percent,
    grade_sum,
    share,
)
from budgetkit.checks.claims.claims import (
    AMOUNT,
    CHANGE,
    COUNT,
    ITEMS,
    KIND_CN,
    REASON,
    SHARE,
    Claim,
    extract_claims,
    location,
    short_location,
)
from budgetkit.checks.claims.vocabulary import (
    cell_label,
    cell_quantum,
    cell_roles,
    cell_tables,
    cell_value,
    leaf_rows,
    load_vocabulary,
    row_names,
    squash,
)
from budgetkit.checks.registry import (
    INFO,
    VIOLATION,
    Context,
    InsufficientData,
    NotApplicable,
    rule,
)
from budgetkit.core.findings import Amounts, Finding
from budgetkit.core.money import format_wan, quantum_fen

FAMILY = "narrative"
#: The tables whose amounts the narrative restates (roles); rules need at least one of them.
STATED_TABLES = ("summary", "expenditure", "fiscal_summary", "general_functional", "general_basic_economic",
                 "three_public", "office_running", "projects")


def claims_of(ctx: Context) -> list[Claim]:
    if ctx.disclosure.narrative is None or not ctx.disclosure.narrative.text.strip():
        raise InsufficientData("没有第三部分情况说明文本")
    if "claims" not in ctx.cache:
        ctx.cache["claims"] = extract_claims(ctx.disclosure.narrative, ctx.template)
    return ctx.cache["claims"]


def need_tables(ctx: Context, *roles: str) -> None:
    if not any(ctx.table(r) is not None for r in roles):
        raise InsufficientData(f"没有表格数据（{'/'.join(ctx.label(r) for r in roles)}），无法核对说明中的数字")


def wan(fen: int | None) -> str:
    return format_wan(fen) if fen is not None else ""


def wan_amounts(expected: int | None, actual: int | None, difference: int | None) -> Amounts:
    """The numbers of a finding shown in 万元: 2 decimals, more when a value is finer (written in 元)."""
    values = [v for v in (expected, actual, difference) if v is not None]
    decimals = next(d for d in (2, 4, 6) if all(v % 10 ** (6 - d) == 0 for v in values))
    return Amounts(expected, actual, difference, "万元", decimals)


def money_text(c: Claim) -> str:
    return f"{c.money.text}{c.money.unit}" if c.money else ""


def finding(ctx: Context, grade: str, claim: Claim, expected: str, actual: str, difference: str,
            message: str, table: str = "narrative", amounts: Amounts | None = None) -> Finding:
    """A finding of the running rule about one claim (``grade``: violation, rounding or info)."""
    return ctx.finding(grade, table, location(ctx.disclosure.narrative, claim), expected, actual, difference, message,
                       amounts)


def compared(ctx: Context, claim: Claim, written: str, against: str, verdict: str, note: str = "") -> None:
    """Record what a claim was checked against (the notebook's claims table shows exactly this)."""
    ctx.compared(key=f"claim:{claim.index}", kind=KIND_CN[claim.kind], subject=claim.subject or claim.phrase,
                 location=short_location(ctx.disclosure.narrative, claim), text=claim.text, written=written,
                 against=against, verdict=verdict, note=note)


# ---------------------------------------------------------------- amounts


@rule("narrative.amount_matches_table", "说明金额与表格一致", "说明中的每个金额与其所指表格数值一致", family=FAMILY,
      tables=STATED_TABLES)
def amount_matches_table(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    need_tables(ctx, *STATED_TABLES)
    vocab = load_vocabulary(ctx.template)
    out: list[Finding] = []
    checked = 0
    unmapped = []
    for c in claims:
        if c.kind != AMOUNT:
            continue
        subject = vocab.get(c.subject_key)
        if subject is None or not subject.cells:
            unmapped.append(f"{c.subject}{money_text(c)}")
            compared(ctx, c, money_text(c), "", "unchecked", "无对应表格项目")
            continue
        section = ctx.disclosure.narrative.section(c.section)
        cells = vocab.cells_in_context(subject, section.heading if section else "")
        values = [(ref, v) for ref in cells if (v := cell_value(ctx.disclosure, ref)) is not None]
        if not values:
            compared(ctx, c, money_text(c), "", "unchecked", "所指表格未公开")
            continue
        checked += 1
        written = c.money.fen
        grades = []
        for ref, v in values:
            tolerance = (c.money.quantum + cell_quantum(ctx.disclosure, ref)) // 2
            diff = written - v
            grades.append((OK if diff == 0 else ROUNDING if abs(diff) <= tolerance else "error", ref, v))
        match = next((x for x in grades if x[0] == OK), None)
        near = [x for x in grades if x[0] == ROUNDING]
        grade, ref, v = match or (near[0] if near else grades[0])
        against = f"{cell_label(ctx.template, ref)} {wan(v)}"
        if match:
            compared(ctx, c, money_text(c), against, "ok")
            continue
        f = finding(ctx, ROUNDING if near else VIOLATION, c, wan(v), money_text(c), wan(written - v),
                    f"说明中“{c.subject}”为{money_text(c)}，{cell_label(ctx.template, ref)}中为{wan(v)}"
                    + ("，差额在四舍五入范围内" if near else "，两者不一致"), table=cell_tables(ctx.template, ref),
                    amounts=wan_amounts(v, written, written - v))
        out.append(f)
        compared(ctx, c, money_text(c), against, f.severity, f.message)
    if checked == 0:
        raise NotApplicable("说明中没有能对应到表格的金额")
    if unmapped:
        out.append(ctx.finding(INFO, "narrative", "第三部分", "", "", "",
                               f"已核对{checked}个金额；另有{len(unmapped)}个金额无对应表格项目，未核对："
                               + "、".join(unmapped)))
    return out


# ---------------------------------------------------------------- shares


def _denominator(ctx: Context, c: Claim, claims: list[Claim]) -> tuple[int, int, str] | None:
    if c.denominator is None and c.denominator_phrase:
        c = claims_fallback(c, claims)
    if c.denominator is not None:
        d = claims[c.denominator]
        return d.money.fen, d.money.quantum, f"{d.subject}{money_text(d)}"
    if c.denominator_phrase and ctx.disclosure.tables:
        subject = load_vocabulary(ctx.template).match(c.denominator_phrase)
        for ref in (subject.cells if subject else ()):
            v = cell_value(ctx.disclosure, ref)
            if v is not None:
                return v, cell_quantum(ctx.disclosure, ref), f"{cell_label(ctx.template, ref)}{subject.label}{wan(v)}"
    return None


def claims_fallback(c: Claim, claims: list[Claim]) -> Claim:
    """A named denominator the vocabulary does not know: the total stated before it in the paragraph."""
    num = claims[c.refers_to] if c.refers_to is not None else c
    shared = {x.refers_to for x in claims if x.kind == SHARE}
    before = [a for a in claims if a.kind == AMOUNT and a.start < num.start and a.section == c.section
              and a.index not in shared and a.sentence == num.sentence]
    if not before:
        return c
    return dataclasses.replace(c, denominator=before[-1].index)


@rule("narrative.share_recomputed", "占比重算一致", "“占X%”按同段所述总额（分母）重新计算一致", family=FAMILY)
def share_recomputed(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    shares = [c for c in claims if c.kind == SHARE]
    if not shares:
        raise NotApplicable("说明中没有“占X%”")
    out: list[Finding] = []
    checked = 0
    for c in shares:
        den = _denominator(ctx, c, claims)
        num = claims[c.refers_to] if c.refers_to is not None else None
        if num is None or den is None:
            out.append(finding(ctx, INFO, c, "", f"{c.percent}%", "", "无法确定该比例的分子或分母，未核对"))
            compared(ctx, c, f"{c.percent}%", "", "unchecked", "无法确定该比例的分子或分母")
            continue
        checked += 1
        d_fen, d_q, d_text = den
        exact, low, high = share(num.money.fen, num.money.quantum, d_fen, d_q)
        if exact is None:
            grade = OK if num.money.fen == 0 and c.percent == 0 else "error"
        else:
            grade = classify_ratio(exact, low, high, c.percent, c.percent_decimals)
        arithmetic = f"{c.subject}{money_text(num)}÷{d_text}={fmt_percent(exact)}"
        if grade == OK:
            compared(ctx, c, f"{c.percent}%", arithmetic, "ok")
            continue
        f = finding(ctx, ROUNDING if grade == ROUNDING else VIOLATION, c, fmt_percent(exact), f"{c.percent}%", "",
                    f"{arithmetic}，说明写作{c.percent}%" + ("，差异在百分比四舍五入范围内" if grade == ROUNDING else "，不一致"))
        out.append(f)
        compared(ctx, c, f"{c.percent}%", arithmetic, f.severity, f.message)
    if checked == 0:
        raise InsufficientData("说明中的比例都找不到分子或分母")
    return out


# ---------------------------------------------------------------- changes


def _rate_grade(base: Claim, c: Claim):
    exact, low, high = change_rate(base.money.fen, base.money.quantum, c.money.fen, c.money.quantum, c.direction)
    return classify_ratio(exact, low, high, c.percent, c.percent_decimals), exact


@rule("narrative.change_rate_consistent", "增减率与增减额一致", "增减率R = 增减额A ÷ (本年数 − A)，并报告隐含的上年数",
      family=FAMILY)
def change_rate_consistent(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    changes = [c for c in claims if c.kind == CHANGE]
    if not changes:
        raise NotApplicable("说明中没有“比上年增加/减少”")
    out: list[Finding] = []
    checked = 0
    for c in changes:
        bases = [claims[i] for i in (c.refers_to, c.alt_refers_to) if i is not None]
        if not bases or c.direction is None:
            continue
        if c.direction == 0:
            checked += 1
            out.append(finding(ctx, INFO, c, "", "持平", "", f"与{c.basis}持平：隐含{c.basis}数为{money_text(bases[0])}"))
            compared(ctx, c, "持平", f"隐含{c.basis}数{money_text(bases[0])}", "ok")
            continue
        if c.money is None or c.percent is None:
            continue
        checked += 1
        graded = [(b, *_rate_grade(b, c)) for b in bases]
        best = next((x for x in graded if x[1] == OK), None) or next((x for x in graded if x[1] == ROUNDING),
                                                                      None) or graded[0]
        base, grade, exact = best
        prior = base.money.fen - c.direction * c.money.fen
        word = "增长" if c.direction > 0 else "下降"
        arithmetic = (f"{base.subject}本年{money_text(base)}，{'增加' if c.direction > 0 else '减少'}{money_text(c)}，"
                      f"隐含{c.basis}数{wan(prior)}；{money_text(c)}÷{wan(prior)}={fmt_percent(exact)}")
        verdict = {"ok": f"与所写{word}{c.percent}%一致", "rounding": f"与所写{word}{c.percent}%相差在四舍五入范围内"
                   }.get(grade, f"与所写{word}{c.percent}%不一致")
        f = finding(ctx, {"ok": INFO, "rounding": ROUNDING}.get(grade, VIOLATION), c, fmt_percent(exact),
                    f"{c.percent}%", "", f"{arithmetic}，{verdict}")
        out.append(f)
        compared(ctx, c, f"{word}{c.percent}%", arithmetic, "ok" if grade == OK else f.severity, f.message)
    if checked == 0:
        raise InsufficientData("增减表述缺少增减额、增减率或本年数，无法由文中数字核对")
    return out


@rule("narrative.change_vs_prior_year", "增减与上年数据一致", "增减额与增减率与上年数据一致（有上年数据时）", family=FAMILY)
def change_vs_prior_year(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    changes = [c for c in claims if c.kind == CHANGE and c.refers_to is not None]
    if not changes:
        raise NotApplicable("说明中没有可核对的“比上年增加/减少”")
    if ctx.prior is None:
        raise InsufficientData("没有上年数据，增减额只能按文中数字核对（见 narrative.change_rate_consistent）")
    vocab = load_vocabulary(ctx.template)
    out: list[Finding] = []
    checked = 0
    for c in changes:
        base = claims[c.refers_to]
        subject = vocab.get(base.subject_key)
        if subject is None:
            continue
        found = [(ref, v) for ref in subject.cells if (v := cell_value(ctx.prior, ref)) is not None]
        if not found:
            continue
        ref, prior = found[0]
        checked += 1
        expected_change = base.money.fen - prior
        direction = (expected_change > 0) - (expected_change < 0)
        if c.direction is not None and c.direction != direction and not (c.direction == 0 and direction == 0):
            out.append(finding(ctx, VIOLATION, c, wan(expected_change), c.text, "",
                               f"上年{subject.label}为{wan(prior)}，本年{money_text(base)}，增减方向与说明不符",
                               amounts=wan_amounts(expected_change, None, None)))
            continue
        if c.money is not None:
            diff = c.money.fen - abs(expected_change)
            tolerance = (c.money.quantum + base.money.quantum + cell_quantum(ctx.prior, ref)) // 2
            grade = OK if diff == 0 else ROUNDING if abs(diff) <= tolerance else "error"
            if grade != OK:
                out.append(finding(ctx, ROUNDING if grade == ROUNDING else VIOLATION, c,
                                   wan(abs(expected_change)), money_text(c), wan(diff),
                                   f"上年{subject.label}{wan(prior)}，本年{money_text(base)}，增减额应为"
                                   f"{wan(abs(expected_change))}",
                                   amounts=wan_amounts(abs(expected_change), c.money.fen, diff)))
        if c.percent is not None and prior > 0:
            exact = Decimal(abs(expected_change)) / Decimal(prior)
            grade = classify_ratio(exact, exact, exact, c.percent, c.percent_decimals)
            if grade != OK:
                out.append(finding(ctx, VIOLATION, c, fmt_percent(exact), f"{c.percent}%", "",
                                   f"按上年{subject.label}{wan(prior)}计算，增减率应为{fmt_percent(exact)}"))
    if checked == 0:
        raise InsufficientData("上年数据中找不到增减表述所指的数值")
    return out


@rule("narrative.change_has_reason", "增减说明原因", "说明了增减变动的，须说明原因（原因是…）", family=FAMILY,
      severity="warning")
def change_has_reason(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    changes = [c for c in claims if c.kind == CHANGE and c.direction]
    if not changes:
        raise NotApplicable("说明中没有增减变动表述")
    explained = {c.refers_to for c in claims if c.kind == REASON}
    return [finding(ctx, VIOLATION, c, "原因是…", "未说明原因", "",
                    f"“{c.subject or '该项'}”{c.text}，但未说明增减变动的原因")
            for c in changes if c.index not in explained]


# ---------------------------------------------------------------- lists and sums


@rule("narrative.items_exist", "列举项目在表中存在", "“主要包括：…”列出的项目在所指表格中存在", family=FAMILY,
      tables=("general_basic_economic", "three_public", "projects"))
def items_exist(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    vocab = load_vocabulary(ctx.template)
    lists = [c for c in claims if c.kind == ITEMS and c.subject_key in vocab.item_sources]
    if not lists:
        raise NotApplicable("说明中没有可对照表格的“主要包括”列举")
    out: list[Finding] = []
    checked = 0
    for c in lists:
        source = vocab.item_sources[c.subject_key]
        names = row_names(ctx.disclosure, source)
        if names is None:
            continue
        checked += 1
        role, part, _ = source.split(".")
        label, table_id = ctx.label(role), ctx.table(role).id
        anywhere = row_names(ctx.disclosure, f"{role}.{part}.total") or set()
        for item in c.items:
            key = squash(item)
            if key in names:
                continue
            elsewhere = key in anywhere
            out.append(finding(ctx, VIOLATION, c, f"{label}中{c.subject}的明细项目", item, "",
                               f"“{c.subject}”列举的“{item}”" + ("在表中不属于该类" if elsewhere
                                                              else f"在{label}中不存在"), table=table_id))
    if checked == 0:
        raise InsufficientData("没有可对照的表格（列举项目无法核对）")
    return out


def _breakdowns(claims: list[Claim]) -> dict[tuple[int, int], list[Claim]]:
    groups: dict[tuple[int, int], list[Claim]] = {}
    for c in claims:
        if c.breakdown_of is not None:
            groups.setdefault((c.breakdown_of, c.breakdown_at), []).append(c)
    return groups


def _check_breakdowns(ctx: Context, want) -> list[Finding]:
    claims = claims_of(ctx)
    groups = {h: m for h, m in _breakdowns(claims).items() if want(claims[h[0]])}
    if not groups:
        raise NotApplicable("说明中没有此类“其中”分项")
    out = []
    for (h, _), members in groups.items():
        head = claims[h]
        if head.kind == AMOUNT:
            total, parts = head.money.fen, sum(m.money.fen for m in members)
            grade = grade_sum(parts - total, [(x.money.fen, x.money.quantum) for x in [head, *members]])
            shown = (wan(total), wan(parts), wan(parts - total))
            numbers = wan_amounts(total, parts, parts - total)
        else:
            total, parts = head.count, sum(m.count for m in members)
            grade = "ok" if total == parts else "error"
            shown = (str(total), str(parts), str(parts - total))
            numbers = None
        if grade == OK:
            continue
        terms = " + ".join(f"{m.subject}{m.text}" for m in members)
        out.append(finding(ctx, ROUNDING if grade == ROUNDING else VIOLATION, head, *shown,
                           f"{head.subject}{head.text}，其中各项之和 {terms} = {shown[1]}"
                           + ("，差额在四舍五入范围内" if grade == ROUNDING else "，与总额不符"), amounts=numbers))
    return out


@rule("narrative.procurement_sum", "政府采购分项之和", "政府采购预算总额 = 货物 + 工程 + 服务", family=FAMILY)
def procurement_sum(ctx: Context) -> list[Finding]:
    return _check_breakdowns(ctx, lambda h: h.subject_key.startswith("procurement"))


@rule("narrative.internal_sums", "其中分项之和", "说明中“其中”所列分项之和等于所述总数", family=FAMILY)
def internal_sums(ctx: Context) -> list[Finding]:
    return _check_breakdowns(ctx, lambda h: not h.subject_key.startswith("procurement"))


# ---------------------------------------------------------------- performance


@rule("narrative.performance_counts", "绩效项目个数与金额", "绩效部分所述项目个数和金额与项目支出表及绩效目标表一致",
      family=FAMILY, tables=("projects",))
def performance_counts(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    narrative = ctx.disclosure.narrative
    sections = {s.number for s in narrative.sections if "绩效" in s.heading}
    counts = [c for c in claims if c.kind == COUNT and c.section in sections and c.breakdown_of is None
              and "项目" in c.subject]
    if not counts:
        raise NotApplicable("说明中没有绩效项目个数")
    projects = ctx.table("projects")
    if projects is None and not ctx.disclosure.forms:
        raise InsufficientData("没有项目支出表和绩效目标表，无法核对项目个数")
    truths = []
    if projects is not None:
        leaves = leaf_rows(projects.part("main"))
        truths.append((ctx.label("projects"), len(leaves), int(leaves["total"].fillna(0).sum()),
                       quantum_fen(projects.unit, projects.decimals), projects.id))
    if ctx.disclosure.forms:
        funds = [f.fund("annual") or 0 for f in ctx.disclosure.forms]
        truths.append(("绩效目标表", len(funds), sum(funds), quantum_fen("元", 0), "forms"))
    out = []
    for c in counts:
        amount = next((a for a in claims if a.kind == AMOUNT and a.breakdown_of is None and a.start > c.end
                       and a.sentence == c.sentence), None)
        for name, n, total, q, table in truths:
            if c.count != n:
                out.append(finding(ctx, VIOLATION, c, str(n), str(c.count), str(c.count - n),
                                   f"说明称{c.subject}{c.text}，{name}中有{n}个项目", table=table))
            if amount is not None:
                diff = amount.money.fen - total
                grade = OK if diff == 0 else ROUNDING if abs(diff) <= max(q, amount.money.quantum) else VIOLATION
                if grade != OK:
                    out.append(finding(ctx, grade, amount, wan(total), money_text(amount), wan(diff),
                                       f"说明所述项目金额{money_text(amount)}，{name}合计{wan(total)}", table=table,
                                       amounts=wan_amounts(total, amount.money.fen, diff)))
    return out


@rule("narrative.none_statement_vs_table", "“无…”表述与表格一致", "说明称“无…预算”（如无“三公”经费）的，对应表格也应无数",
      family=FAMILY, tables=("summary", "fund_income", "fund_functional", "soe_functional", "three_public"))
def none_statement_vs_table(ctx: Context) -> list[Finding]:
    narrative = ctx.disclosure.narrative
    claims_of(ctx)  # same preconditions: a narrative
    vocab = load_vocabulary(ctx.template)
    statements = []
    for m in g.NONE.finditer(narrative.text):
        subject = vocab.match(m.group("what"))
        if subject is not None and subject.cells:
            statements.append((m, subject))
    if not statements:
        raise NotApplicable("说明中没有“无…预算”的表述")
    need_tables(ctx, *dict.fromkeys(r for _, s in statements for ref in s.cells for r in cell_roles(ref)))
    out = []
    for m, subject in statements:
        values = [(ref, cell_value(ctx.disclosure, ref)) for ref in subject.cells]
        nonzero = [(ref, v) for ref, v in values if v]
        if nonzero:
            ref, v = nonzero[0]
            starts = [s.start for s in narrative.sentences]
            k = max(bisect.bisect_right(starts, m.start()) - 1, 0)
            sentence = narrative.sentences[k] if narrative.sentences else None
            where = f"第三部分 {sentence.section}、第{sentence.index + 1}句：“{m.group(0)}”" if sentence else m.group(0)
            out.append(ctx.finding(VIOLATION, cell_tables(ctx.template, ref), where, wan(0), wan(v), wan(v),
                                   f"说明称“{re.sub(chr(10), '', m.group(0))}”，但{cell_label(ctx.template, ref)}中"
                                   f"{subject.label}为{wan(v)}", wan_amounts(0, v, v)))
    return out
