"""Narrative ↔ tables: every amount, share, change, completion rate, list and breakdown of the narrative
(情况说明) recomputed.

Rules that need no table (shares of a total stated in the text, growth rates
against the text's own amounts, 其中 breakdowns, completion rates, reasons) also
run on a narrative excerpt alone; the others raise ``InsufficientData`` without
tables. One problem gives one finding: a claim is reported once per rule, and a
number misprinted in one place is not reported again by the rate computed from it.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from budgetkit.checks.claims import grammar as g
from budgetkit.checks.claims.arithmetic import (
    OK,
    ROUNDING,
    TRUNCATED,
    change_rate,
    classify_ratio,
    execution_rate,
    fmt_percent,
    grade_sum,
    share,
)
from budgetkit.checks.claims.claims import (
    AMOUNT,
    CHANGE,
    COMPLETION,
    COUNT,
    ITEMS,
    KIND_CN,
    MEASURE_CN,
    REASON,
    SHARE,
    VERSUS,
    Claim,
    extract_claims,
    location,
    short_location,
)
from budgetkit.checks.claims.vocabulary import (
    cell_label,
    cell_roles,
    cell_tables,
    cells_of,
    item_key,
    load_vocabulary,
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
from budgetkit.core.template import Template
from budgetkit.core.words import squash

FAMILY = "narrative"
#: a reason that ends by saying which way the money went: "…一般行政管理事务经费增加"
_REASON_DIRECTION = re.compile(r"(?:经费|支出|资金|费用|预算|费)(?:相应|有所)?(?P<dir>增加|增长|上升|提高|减少|下降|降低)$")
#: The tables whose amounts the narrative restates (roles); rules need at least one of them.
STATED_TABLES = ("summary", "expenditure", "fiscal_summary", "general_functional", "general_basic_economic",
                 "three_public", "office_running", "projects")


def claims_of(ctx: Context) -> list[Claim]:
    if ctx.disclosure.narrative is None or not ctx.disclosure.narrative.text.strip():
        raise InsufficientData("没有情况说明文本")
    if "claims" not in ctx.cache:
        ctx.cache["claims"] = extract_claims(ctx.disclosure.narrative, ctx.template, ctx.disclosure.meta.department)
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


def quoted(subject: str) -> str:
    """“基本支出”; a subject that starts with its own quotes (“三公”经费) is not quoted twice."""
    subject = subject or "该项"
    return subject if subject.startswith(("“", '"')) else f"“{subject}”"


def what(c: Claim) -> str:
    """The claim's subject and figure as the document names them: '“三公”经费财政拨款支出（年初预算）'."""
    figure = MEASURE_CN.get(c.measure, "") if c.measure in ("budget", "prior") else ""
    return f"{c.subject or '该项'}" + (f"（{figure}）" if figure else "")


def finding(ctx: Context, grade: str, claim: Claim, expected: str, actual: str, difference: str,
            message: str, table: str = "narrative", amounts: Amounts | None = None) -> Finding:
    """A finding of the running rule about one claim (``grade``: violation, rounding or info)."""
    return ctx.finding(grade, table, location(ctx.disclosure.narrative, claim), expected, actual, difference, message,
                       amounts, anchor=claim.start)


def compared(ctx: Context, claim: Claim, written: str, against: str, verdict: str, note: str = "") -> None:
    """Record what a claim was checked against (the notebook's claims table shows exactly this)."""
    ctx.compared(key=f"claim:{claim.index}", kind=KIND_CN[claim.kind], subject=claim.subject or claim.phrase,
                 location=short_location(ctx.disclosure.narrative, claim), text=claim.text, written=written,
                 against=against, verdict=verdict, note=note)


def unique(findings: list[Finding]) -> list[Finding]:
    """One problem, one finding: the same message at the same place is reported once."""
    seen, out = set(), []
    for f in findings:
        key = (f.severity, f.location, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


# ---------------------------------------------------------------- table values of a claim


def round_to(fen: int, quantum: int) -> int:
    """An amount rounded half up to a printed precision (both in 分)."""
    q, r = divmod(abs(fen), quantum)
    return (1 if fen >= 0 else -1) * (q + (1 if 2 * r >= quantum else 0)) * quantum


@lru_cache(maxsize=4096)
def _subject_cells(template: Template, subject_key: str, heading: str, measure: str) -> tuple[str, ...] | None:
    """The cells a claim's subject stands for under its section heading; None when the vocabulary has no such subject.

    The same for every department-year of a format, and asked of every amount of every narrative: kept.
    """
    vocab = load_vocabulary(template)
    subject = vocab.get(subject_key)
    return None if subject is None else vocab.cells_in_context(subject, heading, measure)


#: ``cell_label`` kept by (template, reference): each amount's comparison names its table
_cell_label = lru_cache(maxsize=4096)(cell_label)


def _heading(ctx: Context, number: str) -> str:
    """The heading of a narrative section by number ('' when none), as ``Narrative.section`` finds it (the first
    of a number); looked up once per run: every amount asks for its section's."""
    headings = ctx.cache.get("section_headings")
    if headings is None:
        headings = ctx.cache["section_headings"] = {}
        for s in ctx.disclosure.narrative.sections:
            headings.setdefault(s.number, s.heading)
    return headings.get(number, "")


def table_cells(ctx: Context, c: Claim) -> tuple[tuple[str, ...], str]:
    """The table cells an amount claim may stand for; and why none when there are none."""
    cells = _subject_cells(ctx.template, c.subject_key, _heading(ctx, c.section), c.measure)
    if cells is None:
        return (), "无对应表格项目"
    if not cells:
        if c.measure == "prior":
            return (), "上年执行数，本年表格中没有"
        if c.measure == "budget":
            return (), "年初预算数，表格中没有"
        return (), "无对应表格项目"
    return cells, ""


def graded_amount(ctx: Context, c: Claim) -> tuple[tuple[str, str, int] | None, str]:
    """(grade, ref, value) of an amount against its cells: the first it equals, else the first within rounding,
    else the first cut off, else the first; None and why when no cell has a value.

    Cells are read in order only up to the first equal one: most amounts equal their first cell.
    """
    cells, why = table_cells(ctx, c)
    if not cells:
        return None, why
    reader = cells_of(ctx)
    fen, q = c.money.fen, c.money.quantum
    grades = []
    for ref in cells:
        v = reader.value(ref)
        if v is None:
            continue
        diff = fen - v
        if diff == 0:
            return (OK, ref, v), ""
        q_cell = reader.quantum(ref)  # asked only of amounts that differ: most are equal
        if q_cell < q and fen == round_to(v, q):
            # the table's 164,978,640元 written 16497.86万元: the same amount at the narrative's precision
            return (OK, ref, v), ""
        grade = ROUNDING if abs(diff) <= (q + q_cell) // 2 else "error"
        if grade == "error" and q_cell < q and fen == (abs(v) // q) * q * (1 if v >= 0 else -1):
            grade = TRUNCATED  # 877,080元 written 87.70万元: cut off, not rounded, at the narrative's precision
        grades.append((grade, ref, v))
    if not grades:
        return None, ("表中找不到该科目" if c.subject_key.startswith("path:") else "所指表格未公开")
    return next((x for x in grades if x[0] == ROUNDING), None) \
        or next((x for x in grades if x[0] == TRUNCATED), None) or grades[0], ""


def amount_grade(ctx: Context, c: Claim) -> tuple[str, str, int] | None:
    """How an amount claim stands against the tables (None when it cannot be checked)."""
    if c.kind != AMOUNT or c.threshold or not ctx.disclosure.tables:
        return None
    return graded_amount(ctx, c)[0]


# ---------------------------------------------------------------- amounts


@rule("narrative.amount_matches_table", "说明金额与表格一致", "说明中的每个金额与其所指表格数值一致", family=FAMILY,
      tables=STATED_TABLES)
def amount_matches_table(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    need_tables(ctx, *STATED_TABLES)
    vocab = load_vocabulary(ctx.template)
    out: list[Finding] = []
    checked = 0
    unmapped, prior_values = [], []
    reported: dict[tuple, Finding] = {}  # the same wrong figure of an item written twice: one finding
    for c in claims:
        if c.kind != AMOUNT:
            continue
        graded, why = graded_amount(ctx, c) if not c.threshold else (None, "标准金额（如单价…以上），不是支出数")
        written = money_text(c)
        if graded is None:
            if why.startswith("上年执行数"):
                prior_values.append(f"{c.subject}{written}")
            elif why in ("无对应表格项目", "年初预算数，表格中没有") or c.threshold:
                unmapped.append(f"{c.subject}{written}")
            compared(ctx, c, written, "", "unchecked", why)
            continue
        checked += 1
        grade, ref, v = graded
        against = f"{_cell_label(ctx.template, ref)} {wan(v)}"
        if grade == OK:
            compared(ctx, c, written, against, "ok")
            continue
        key = (c.subject_key, c.measure if c.measure in ("budget", "prior") else "", c.money.fen, ref, v)
        if key in reported:
            first = reported[key]
            first.message += f"（同一数字另见第{c.sentence + 1}句）"
            compared(ctx, c, written, against, first.severity, first.message)
            continue
        subject = vocab.get(c.subject_key)
        named = f"{_cell_label(ctx.template, ref)}{subject.label if subject and subject.label != c.subject else ''}"
        tail = {ROUNDING: "，差额在四舍五入范围内", TRUNCATED: "，说明系截尾（舍去）取数，未四舍五入"}.get(grade, "，两者不一致")
        f = finding(ctx, ROUNDING if grade in (ROUNDING, TRUNCATED) else VIOLATION, c, wan(v), written,
                    wan(c.money.fen - v), f"说明中{quoted(what(c))}为{written}，{named}中为{wan(v)}" + tail,
                    table=cell_tables(ctx.template, ref),
                    amounts=wan_amounts(v, c.money.fen, c.money.fen - v))
        reported[key] = f
        out.append(f)
        compared(ctx, c, written, against, f.severity, f.message)
    if checked == 0:
        raise NotApplicable("说明中没有能对应到表格的金额")
    if unmapped or prior_values:
        parts = [f"已核对{checked}个金额"]
        if unmapped:
            parts.append(f"另有{len(unmapped)}个金额无对应表格项目，未核对：" + "、".join(unmapped))
        if prior_values:
            parts.append(f"另有{len(prior_values)}个上年执行数不在本年表格中，未核对：" + "、".join(prior_values))
        out.append(ctx.finding(INFO, "narrative", ctx.disclosure.narrative.name, "", "", "", "；".join(parts)))
    return unique(out)


# ---------------------------------------------------------------- shares


def _denominator(ctx: Context, c: Claim, claims: list[Claim]) -> tuple[int, int, str] | None:
    if c.denominator is None and c.denominator_phrase and not c.lead_phrase:
        c = claims_fallback(c, claims)
    if c.denominator is not None:
        d = claims[c.denominator]
        return d.money.fen, d.money.quantum, f"{d.subject}{money_text(d)}"
    if c.denominator_phrase and ctx.disclosure.tables:
        vocab = load_vocabulary(ctx.template)
        found = vocab.find(c.denominator_phrase)
        if found is not None:
            measure = vocab.grammar.measure_of(squash(c.denominator_phrase)[found.end:])[0]
            section = ctx.disclosure.narrative.section(c.section)
            for ref in vocab.cells_in_context(found.subject, section.heading if section else "", measure):
                v = cells_of(ctx).value(ref)
                if v is not None:
                    return v, cells_of(ctx).quantum(ref), f"{cell_label(ctx.template, ref)}{found.term}{wan(v)}"
    return None


def claims_fallback(c: Claim, claims: list[Claim]) -> Claim:
    """A named denominator the vocabulary does not know: the total stated before it in the paragraph."""
    num = claims[c.refers_to] if c.refers_to is not None else c
    shared = {x.refers_to for x in claims if x.kind == SHARE}
    before = [a for a in claims if a.kind == AMOUNT and not a.threshold and a.start < num.start
              and a.section == c.section and a.index not in shared and a.sentence == num.sentence]
    if not before:
        return c
    return dataclasses.replace(c, denominator=before[-1].index)


def _ratio_words(grade: str) -> str:
    return {ROUNDING: "，差异在百分比四舍五入范围内", TRUNCATED: "，系按截尾（未四舍五入）取数，差异不超过末位1个单位"}.get(
        grade, "，不一致")



def graded_share(num_fen: int, num_q: int, den_fen: int, den_q: int, c: Claim) -> tuple[str, Decimal | None]:
    """The written percentage of ``c`` against num ÷ den, each rounded to its quantum: (grade, exact ratio);
    a zero denominator agrees only with 0 of 0."""
    exact, low, high = share(num_fen, num_q, den_fen, den_q)
    if exact is None:
        return (OK if num_fen == 0 and c.percent == 0 else "error"), None
    return classify_ratio(exact, low, high, c.percent, c.percent_decimals), exact

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
        grade, exact = graded_share(num.money.fen, num.money.quantum, d_fen, d_q, c)
        arithmetic = f"{c.subject}{money_text(num)}÷{d_text}={fmt_percent(exact)}"
        if grade == OK:
            compared(ctx, c, f"{c.percent}%", arithmetic, "ok")
            continue
        f = finding(ctx, ROUNDING if grade in (ROUNDING, TRUNCATED) else VIOLATION, c, fmt_percent(exact),
                    f"{c.percent}%", "", f"{arithmetic}，说明写作{c.percent}%" + _ratio_words(grade))
        out.append(f)
        compared(ctx, c, f"{c.percent}%", arithmetic, f.severity, f.message)
    if checked == 0:
        raise InsufficientData("说明中的比例都找不到分子或分母")
    return unique(out)


# ---------------------------------------------------------------- changes


def _rate_grade(base: Claim, c: Claim):
    exact, low, high = change_rate(base.money.fen, base.money.quantum, c.money.fen, c.money.quantum, c.direction)
    return classify_ratio(exact, low, high, c.percent, c.percent_decimals), exact


def _stated_rate(current: int, q_cur: int, prior: Claim, c: Claim):
    """Grade of the rate of a change against a stated prior value: R = (B − A) ÷ A; and the signed ratio."""
    exact, low, high = execution_rate(current, q_cur, prior.money.fen, prior.money.quantum)
    if exact is None:
        return None, None
    sign = (exact > 0) - (exact < 0)
    if sign < 0:
        low, high = (-high if high is not None else None), -low
    grade = classify_ratio(abs(exact), low, high, c.percent, c.percent_decimals)
    if sign != c.direction and not (sign == 0 and c.percent == 0):
        grade = "direction"
    return grade, exact


def _check_stated_prior(ctx: Context, c: Claim, claims: list[Claim], out: list[Finding]) -> bool:
    """"A年当年预算执行数为A万元，B年预算安排B万元，比A年预算执行数增加R%": R = (B − A) ÷ A, direction, A = B when 持平."""
    prior, base = claims[c.stated_prior], claims[c.refers_to]
    a, b = prior.money.fen, base.money.fen
    if c.direction == 0:
        grade = OK if a == b else ROUNDING if abs(a - b) <= (prior.money.quantum + base.money.quantum) // 2 else "error"
        text = f"{what(prior)}{money_text(prior)}，{what(base)}{money_text(base)}"
        if grade == OK:
            compared(ctx, c, "持平", text, "ok")
        else:
            f = finding(ctx, ROUNDING if grade == ROUNDING else VIOLATION, c, money_text(prior), money_text(base),
                        wan(b - a), f"{text}，两者不等，却写作“{c.text}”")
            out.append(f)
            compared(ctx, c, "持平", text, f.severity, f.message)
        return True
    if c.percent is None:
        return False
    word = "增长" if c.direction > 0 else "下降"
    if a == 0:
        note = (f"上年执行数为{money_text(prior)}，增减率无法计算（除数为0）；说明写作{word}{c.percent}%"
                + ("（按惯例，新增项目写作100%）" if c.percent == 100 and c.direction > 0 else ""))
        out.append(finding(ctx, INFO, c, "", f"{c.percent}%", "", note))
        compared(ctx, c, f"{word}{c.percent}%", f"上年执行数{money_text(prior)}", "info", note)
        return True
    grade, exact = _stated_rate(b, base.money.quantum, prior, c)
    arithmetic = (f"（{money_text(base)} − {money_text(prior)}）÷ {money_text(prior)} = "
                  f"{'' if exact >= 0 else '−'}{fmt_percent(abs(exact))}")
    if grade == OK:
        compared(ctx, c, f"{word}{c.percent}%", arithmetic, "ok")
        return True
    # a misprinted B with the rate right for the table's B: one problem, reported by narrative.amount_matches_table
    table = amount_grade(ctx, base)
    if table is not None and table[0] == "error":
        other, _ = _stated_rate(table[2], cells_of(ctx).quantum(table[1]), prior, c)
        if other in (OK, ROUNDING):
            note = (f"{arithmetic}，与所写{word}{c.percent}%不符；按{cell_label(ctx.template, table[1])}的"
                    f"{wan(table[2])}计算则相符：说明中的{money_text(base)}有误（见“说明金额与表格一致”）")
            out.append(finding(ctx, INFO, c, fmt_percent(abs(exact)), f"{c.percent}%", "", note))
            compared(ctx, c, f"{word}{c.percent}%", arithmetic, "info", note)
            return True
    if grade == "direction":
        message = (f"{what(prior)}{money_text(prior)}，{what(base)}{money_text(base)}，实为"
                   f"{'增加' if exact > 0 else '减少'}，说明却写作“{c.text}”")
        severity = VIOLATION
    else:
        message = f"{what(base)}：{arithmetic}，说明写作{word}{c.percent}%" + _ratio_words(grade)
        severity = ROUNDING if grade in (ROUNDING, TRUNCATED) else VIOLATION
    f = finding(ctx, severity, c, fmt_percent(abs(exact)), f"{c.percent}%", "", message)
    out.append(f)
    compared(ctx, c, f"{word}{c.percent}%", arithmetic, f.severity, f.message)
    return True


@rule("narrative.change_rate_consistent", "增减率与增减额一致",
      "增减率R = 增减额A ÷ (本年数 − A)，或按文中所列上年数 (本年数 − 上年数) ÷ 上年数；并报告隐含的上年数", family=FAMILY)
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
        if c.stated_prior is not None and c.refers_to is not None:
            checked += _check_stated_prior(ctx, c, claims, out)
            continue
        if c.direction == 0:
            checked += 1  # 持平: nothing to recompute from the text; the prior year's data decide (change_vs_prior_year)
            compared(ctx, c, "持平", f"{bases[0].subject}{money_text(bases[0])}", "ok", f"与{c.basis}持平")
            continue
        if c.money is None:
            continue
        if c.percent is None:
            base = bases[0]
            prior = base.money.fen - c.direction * c.money.fen
            if prior < -(base.money.quantum + c.money.quantum) // 2:
                checked += 1
                f = finding(ctx, VIOLATION, c, "", money_text(c), "",
                            f"{what(base)}本年{money_text(base)}，“{c.text}”隐含{c.basis}数为{wan(prior)}（负数），"
                            "增减额与本年数矛盾")
                out.append(f)
                compared(ctx, c, c.text, f"本年{money_text(base)}", f.severity, f.message)
            continue
        checked += 1
        graded = [(b, *_rate_grade(b, c)) for b in bases]
        best = next((x for x in graded if x[1] == OK), None) or next((x for x in graded if x[1] in (ROUNDING, TRUNCATED)),
                                                                      None) or graded[0]
        base, grade, exact = best
        prior = base.money.fen - c.direction * c.money.fen
        word = "增长" if c.direction > 0 else "下降"
        arithmetic = (f"{base.subject}本年{money_text(base)}，{'增加' if c.direction > 0 else '减少'}{money_text(c)}，"
                      f"隐含{c.basis}数{wan(prior)}；{money_text(c)}÷{wan(prior)}={fmt_percent(exact)}")
        verdict = {OK: f"与所写{word}{c.percent}%一致", ROUNDING: f"与所写{word}{c.percent}%相差在四舍五入范围内",
                   TRUNCATED: f"与所写{word}{c.percent}%相差系截尾取数"}.get(grade, f"与所写{word}{c.percent}%不一致")
        f = finding(ctx, {OK: INFO, ROUNDING: ROUNDING, TRUNCATED: ROUNDING}.get(grade, VIOLATION), c,
                    fmt_percent(exact), f"{c.percent}%", "", f"{arithmetic}，{verdict}")
        out.append(f)
        compared(ctx, c, f"{word}{c.percent}%", arithmetic, "ok" if grade == OK else f.severity, f.message)
    if checked == 0:
        raise InsufficientData("增减表述缺少增减额、增减率或本年数，无法由文中数字核对")
    return unique(out)


@rule("narrative.change_vs_prior_year", "增减与上年数据一致", "增减额与增减率与上年数据一致（有上年数据时）", family=FAMILY)
def change_vs_prior_year(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    changes = [c for c in claims if c.kind == CHANGE and c.refers_to is not None and c.stated_prior is None
               and "执行数" not in c.basis]
    if not changes:
        raise NotApplicable("说明中没有可核对的“比上年增加/减少”")
    if ctx.prior is None:
        raise InsufficientData("没有上年数据，增减额只能按文中数字核对（见 narrative.change_rate_consistent）")
    vocab = load_vocabulary(ctx.template)
    out: list[Finding] = []
    checked = 0
    for c in changes:
        # "收入预算A万元，其中：财政拨款收入B万元，比上年增加C万元；事业收入…": the total or the item just before
        # may be meant; the reading the prior year bears out is taken, else the first (its findings are reported)
        judged = [j for i in (c.refers_to, c.alt_refers_to) if i is not None
                  and (j := _against_prior(ctx, c, claims[i], vocab)) is not None]
        if judged:
            checked += 1
            out += next((j for j in judged if not any(f.severity in ("error", "warning") for f in j)), judged[0])
    if checked == 0:
        raise InsufficientData("上年数据中找不到增减表述所指的数值")
    return unique(out)


def _against_prior(ctx: Context, c: Claim, base: Claim, vocab) -> list[Finding] | None:
    """A change against the prior year's figure of its base's subject; None when the prior year has no such figure."""
    out: list[Finding] = []
    subject = vocab.get(base.subject_key)
    if subject is None:
        return None
    cells = subject.cells_for(base.measure, vocab.grammar.default_measure)
    found = [(ref, v) for ref in cells if (v := cells_of(ctx, prior=True).value(ref)) is not None]
    if not found:
        return None
    ref, prior = found[0]
    expected_change = base.money.fen - prior
    direction = (expected_change > 0) - (expected_change < 0)
    if c.direction is not None and c.direction != direction and not (c.direction == 0 and direction == 0):
        out.append(finding(ctx, VIOLATION, c, wan(expected_change), c.text, "",
                           f"上年{subject.label}为{wan(prior)}，本年{money_text(base)}，增减方向与说明不符",
                           amounts=wan_amounts(expected_change, None, None)))
        return out
    if c.money is not None and c.direction != 0:
        diff = c.money.fen - abs(expected_change)
        q_cell = cells_of(ctx, prior=True).quantum(ref)
        if diff and q_cell < c.money.quantum and c.money.fen in (
                round_to(abs(expected_change), c.money.quantum), abs(base.money.fen - round_to(prior, base.money.quantum))):
            diff = 0  # 上年 156,211,1xx元 = 15621.11万元: the change of the printed amounts
        tolerance = (c.money.quantum + base.money.quantum + q_cell) // 2
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
            out.append(finding(ctx, ROUNDING if grade == TRUNCATED else VIOLATION, c, fmt_percent(exact),
                               f"{c.percent}%", "",
                               f"按上年{subject.label}{wan(prior)}计算，增减率应为{fmt_percent(exact)}"))
    return out


def execution_pairs(claims: list[Claim]) -> list[tuple[Claim, Claim]]:
    """(年初预算, 决算) amounts stated together of one item ("年初预算为A万元，支出决算为B万元")."""
    out = []
    for c in claims:
        if c.kind == AMOUNT and c.measure == "actual" and not c.threshold:
            budget = next((a for a in reversed(claims[:c.index]) if a.kind == AMOUNT and a.measure == "budget"
                           and a.block == c.block and a.subject_key == c.subject_key and not a.threshold), None)
            if budget is not None:
                out.append((budget, c))
    return out


def _names_item(words: str, c: Claim) -> bool:
    """Whether a reason speaks of the changed item itself ("宣传事务一般行政管理事务经费增加" of 宣传事务（款）
    一般行政管理事务（项）), not of a part of it ("人员减少，公用经费相应减少" may explain a total that grew)."""
    said = squash(words)
    if c.subject_key.startswith("path:"):
        names = [n for n in c.subject_key[len("path:"):].split("/")[1:] if n]
    else:
        names = [re.sub(r"(预算数?|支出|经费)$", "", c.subject or "")]
    return bool(names) and all(n and squash(n) in said for n in names)


@rule("narrative.change_has_reason", "增减说明原因", "说明了增减变动（或决算数与年初预算不同）的，须说明原因（原因是…）",
      family=FAMILY, severity="warning")
def change_has_reason(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    changes = [c for c in claims if c.kind == CHANGE and c.direction]
    gaps = [(b, a) for b, a in execution_pairs(claims) if b.money.fen != a.money.fen]
    if not changes and not gaps:
        raise NotApplicable("说明中没有增减变动表述")
    explained = {i for c in claims if c.kind == REASON for i in c.explains} | \
        {c.refers_to for c in claims if c.kind == REASON and c.refers_to is not None}
    changed_parts = {}
    for c in changes:
        if c.refers_to is not None:
            changed_parts.setdefault(c.refers_to, []).append(c)
    out = []
    unexplained: dict[int, list[Claim]] = {}
    for c in changes:
        if c.index in explained:
            continue
        # a total whose parts ("其中：（一）…（二）…") give the reasons of their own changes
        head = c.refers_to
        parts = [p for p in claims if p.breakdown_of is not None and p.breakdown_of == head]
        if parts and any(x.index in explained for p in parts for x in changed_parts.get(p.index, [])):
            continue
        unexplained.setdefault(c.block, []).append(c)
    for group in unexplained.values():  # one missing reason sentence is one problem, however many changes it left
        c = group[0]
        if len(group) == 1:
            message = f"{quoted(c.subject)}{c.text}，但未说明增减变动的原因"
        else:
            message = "、".join(f"{quoted(x.subject)}{x.text}" for x in group) + "，均未说明增减变动的原因"
        out.append(finding(ctx, VIOLATION, c, "原因是…", "未说明原因", "", message))
    for r in claims:  # "比2023年预算执行数减少2.98%。主要原因是：…经费增加。": the reason says the opposite
        said = _REASON_DIRECTION.search(r.reason.strip(" 。；;")) if r.kind == REASON else None
        moved = [claims[i] for i in r.explains if claims[i].kind == CHANGE and claims[i].direction] if said else []
        if len(moved) == 1 and _names_item(r.reason[:said.start()], moved[0]):
            c, way = moved[0], 1 if g.DIRECTION_UP.fullmatch(said.group("dir")) else -1
            if way != c.direction:
                out.append(finding(ctx, VIOLATION, r, "增加" if c.direction > 0 else "减少", said.group(0), "",
                                   f"{quoted(c.subject)}{c.text}，所述原因却是“{r.reason.strip(' 。')}”，"
                                   "与增减方向相反"))
    for budget, actual in gaps:
        if actual.index in explained or budget.index in explained:
            continue
        out.append(finding(ctx, VIOLATION, actual, "原因是…", "未说明原因", "",
                           f"{quoted(actual.subject)}年初预算{money_text(budget)}，支出决算{money_text(actual)}，"
                           "但未说明决算数与预算数差异的原因"))
    return unique(out)


# ---------------------------------------------------------------- budget execution (决算)


def _budget_of(ctx: Context, c: Claim, claims: list[Claim]) -> tuple[int, int, str] | None:
    """The 年初预算 a completion rate divides by: stated with it, else the table's (三公 budgets)."""
    if c.budget is not None:
        b = claims[c.budget]
        return b.money.fen, b.money.quantum, f"年初预算{money_text(b)}"
    if c.refers_to is None or not ctx.disclosure.tables:
        return None
    vocab = load_vocabulary(ctx.template)
    subject = vocab.get(claims[c.refers_to].subject_key)
    for ref in (subject.cells_for("budget", vocab.grammar.default_measure) if subject else ()):
        v = cells_of(ctx).value(ref)
        if v is not None:
            return v, cells_of(ctx).quantum(ref), f"{cell_label(ctx.template, ref)}年初预算{wan(v)}"
    return None


@rule("narrative.budget_execution", "完成预算比例与决算、预算一致",
      "“完成年初预算的R%”：R = 决算数 ÷ 年初预算数；“决算数大于/小于/持平预算数”与所列两数一致", family=FAMILY,
      tables=("general_functional", "three_public"))
def budget_execution(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    rates = [c for c in claims if c.kind in (COMPLETION, VERSUS)]
    if not rates:
        raise NotApplicable("说明中没有“完成年初预算的R%”或决算数与预算数的比较")
    out: list[Finding] = []
    checked = 0
    for c in rates:
        actual = claims[c.refers_to] if c.refers_to is not None else None
        budget = _budget_of(ctx, c, claims) if actual is not None else None
        if actual is None or budget is None:
            compared(ctx, c, c.text, "", "unchecked", "找不到所指的决算数或年初预算数")
            continue
        checked += 1
        b_fen, b_q, b_text = budget
        a_text = f"支出决算{money_text(actual)}"
        if c.kind == VERSUS:
            diff = actual.money.fen - b_fen
            is_flat = abs(diff) <= (actual.money.quantum + b_q) // 2 if c.basis == "基本持平" else diff == 0
            stated = {1: "大于", -1: "小于", 0: "持平"}[c.direction]
            holds = is_flat if c.direction == 0 else (diff > 0 if c.direction > 0 else diff < 0)
            if holds:
                compared(ctx, c, stated, f"{a_text}，{b_text}", "ok")
                continue
            truth = "等于" if diff == 0 else "大于" if diff > 0 else "小于"
            f = finding(ctx, VIOLATION, c, truth, stated, wan(diff),
                        f"{quoted(actual.subject)}{b_text}，{a_text}，决算数{truth}预算数，说明却写作“{c.text}”")
            out.append(f)
            compared(ctx, c, stated, f"{a_text}，{b_text}", f.severity, f.message)
            continue
        grade, exact = graded_share(actual.money.fen, actual.money.quantum, b_fen, b_q, c)
        arithmetic = f"{a_text}÷{b_text}={fmt_percent(exact) if exact is not None else '无法计算（年初预算为0）'}"
        if grade == OK:
            compared(ctx, c, f"{c.percent}%", arithmetic, "ok")
            continue
        f = finding(ctx, ROUNDING if grade in (ROUNDING, TRUNCATED) else VIOLATION, c, fmt_percent(exact),
                    f"{c.percent}%", "", f"{quoted(actual.subject)}{arithmetic}，说明写作完成{c.percent}%"
                    + _ratio_words(grade))
        out.append(f)
        compared(ctx, c, f"{c.percent}%", arithmetic, f.severity, f.message)
    if checked == 0:
        raise InsufficientData("完成率所指的决算数或年初预算数都找不到")
    return unique(out)


# ---------------------------------------------------------------- lists and sums


@rule("narrative.items_exist", "列举项目在表中存在", "“主要包括：…”列出的项目在所指表格中存在且有金额", family=FAMILY,
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
        rows = cells_of(ctx).item_rows(source)
        if rows is None:
            continue
        checked += 1
        role = source.split(".")[0]
        label, table_id = ctx.label(role), ctx.table(role).id
        missing, elsewhere, empty = [], [], []
        for item in c.items:
            key = item_key(item)
            if key in rows.with_money:
                continue
            if key in rows.without_money:
                empty.append(item)
            elif key in rows.anywhere:
                elsewhere.append(item)
            else:
                missing.append(item)
        for item in missing:
            out.append(finding(ctx, VIOLATION, c, f"{label}中{c.subject}的明细项目", item, "",
                               f"“{c.subject}”列举的“{item}”在{label}中不存在", table=table_id))
        for item in elsewhere:
            out.append(finding(ctx, VIOLATION, c, f"{label}中{c.subject}的明细项目", item, "",
                               f"“{c.subject}”列举的“{item}”在表中不属于该类", table=table_id))
        if empty:
            out.append(finding(ctx, "warning", c, f"{label}中{c.subject}有金额的项目", "、".join(empty), "",
                               f"“{c.subject}”列举的“{'、'.join(empty)}”在{label}中金额为0或空白"
                               "（没有支出的项目不应列举）", table=table_id))
    if checked == 0:
        raise InsufficientData("没有可对照的表格（列举项目无法核对）")
    return unique(out)


def _breakdowns(claims: list[Claim]) -> dict[tuple[int, int], list[Claim]]:
    groups: dict[tuple[int, int], list[Claim]] = {}
    for c in claims:
        if c.breakdown_of is not None:
            groups.setdefault((c.breakdown_of, c.breakdown_at), []).append(c)
    return groups


def _value(c: Claim) -> int:
    return c.money.fen if c.kind == AMOUNT else c.count


def _shown(c: Claim, v: int) -> str:
    return wan(v) if c.kind == AMOUNT else f"{v}{c.count_unit}"


def _grade_group(head: Claim, members: list[Claim], values: dict[int, int] | None = None) -> tuple[str, int, int]:
    values = values or {}
    total = _value(head)
    parts = sum(values.get(m.index, _value(m)) for m in members)
    if head.kind == AMOUNT:
        grade = grade_sum(parts - total, [(x.money.fen, x.money.quantum) for x in [head, *members]])
    else:
        grade = OK if total == parts else "error"
    return grade, total, parts


def _check_breakdowns(ctx: Context, want) -> list[Finding]:
    claims = claims_of(ctx)
    groups = {h: m for h, m in _breakdowns(claims).items() if want(claims[h[0]])}
    if not groups:
        raise NotApplicable("说明中没有此类“其中”分项")
    graded = {h: _grade_group(claims[h[0]], members) for h, members in groups.items()}
    heads_of = {}
    for h in groups:
        heads_of.setdefault(h[0], []).append(h)
    handled: set = set()
    out = []
    for h, members in groups.items():
        if h in handled or graded[h][0] == OK:
            continue
        head = claims[h[0]]
        # one misprinted part that is itself broken down: its own parts agree with the outer total
        inner = [(m, k) for m in members for k in heads_of.get(m.index, []) if graded[k][0] not in (OK, ROUNDING)]
        fixed = None
        for m, k in inner:
            if _grade_group(head, members, {m.index: graded[k][2]})[0] in (OK, ROUNDING):
                fixed = (m, k)
                break
        if fixed is not None and graded[h][0] not in (OK, ROUNDING):
            m, k = fixed
            handled |= {h, k}
            inner_parts = groups[k]
            terms = " + ".join(f"{p.subject}{p.text}" for p in inner_parts)
            others = " + ".join(_shown(x, graded[k][2]) if x is m else x.text for x in members)
            out.append(finding(ctx, VIOLATION, m, _shown(m, graded[k][2]), m.text, _shown(m, _value(m) - graded[k][2]),
                               f"{m.subject}{m.text}，其中各项之和 {terms} = {_shown(m, graded[k][2])}，与之不符；"
                               f"按{_shown(m, graded[k][2])}计，{head.subject}{head.text} = {others} 正好相符："
                               f"{m.text}疑为{_shown(m, graded[k][2])}之误"))
            continue
        grade, total, parts = graded[h]
        terms = " + ".join(f"{m.subject}{m.text}" for m in members[:6]) + (
            f" + …（共{len(members)}项）" if len(members) > 6 else "")
        out.append(finding(ctx, ROUNDING if grade == ROUNDING else VIOLATION, head, _shown(head, total),
                           _shown(head, parts), _shown(head, parts - total),
                           f"{head.subject}{head.text}，其中各项之和 {terms} = {_shown(head, parts)}"
                           + ("，差额在四舍五入范围内" if grade == ROUNDING else "，与总额不符")))
    return unique(out)


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
        totals = cells_of(ctx).leaf_cells("projects", "main", "total")
        truths.append((ctx.label("projects"), len(totals), int(sum(0 if pd.isna(v) else v for v in totals)),
                       quantum_fen(projects.unit, projects.decimals), projects.id))
    if ctx.disclosure.forms:
        funds = [f.fund("annual") or 0 for f in ctx.disclosure.forms]
        truths.append(("绩效目标表", len(funds), sum(funds), quantum_fen("元", 0), "forms"))
    out = []
    for c in counts:
        amount = next((a for a in claims if a.kind == AMOUNT and a.breakdown_of is None and a.start > c.end
                       and a.sentence == c.sentence and not a.threshold), None)
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
    return unique(out)


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
        values = [(ref, cells_of(ctx).value(ref)) for ref in subject.cells]
        nonzero = [(ref, v) for ref, v in values if v]
        if nonzero:
            ref, v = nonzero[0]
            starts = [s.start for s in narrative.sentences]
            k = max(bisect.bisect_right(starts, m.start()) - 1, 0)
            sentence = narrative.sentences[k] if narrative.sentences else None
            where = (f"{narrative.name} {sentence.section}、第{sentence.index + 1}句：“{m.group(0)}”"
                     if sentence else m.group(0))
            out.append(ctx.finding(VIOLATION, cell_tables(ctx.template, ref), where, wan(0), wan(v), wan(v),
                                   f"说明称“{re.sub(chr(10), '', m.group(0))}”，但{cell_label(ctx.template, ref)}中"
                                   f"{subject.label}为{wan(v)}", wan_amounts(0, v, v), anchor=m.start()))
    return unique(out)
