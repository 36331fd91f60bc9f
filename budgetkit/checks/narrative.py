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

from budgetkit.core.findings import Finding
from budgetkit.core.money import classify_difference, format_amount, quantum_fen
from budgetkit.checks.claims import grammar as g
from budgetkit.checks.claims.arithmetic import OK, ROUNDING, change_rate, classify_ratio, fmt_percent, grade_sum, share
from budgetkit.checks.claims.claims import AMOUNT, CHANGE, COUNT, ITEMS, REASON, SHARE, Claim, extract_claims, location
from budgetkit.checks.claims.vocabulary import cell_table, cell_value, leaf_rows, load_vocabulary, row_names, squash
from budgetkit.checks.registry import Context, InsufficientData, NotApplicable, rule

FAMILY = "narrative"
TABLE_Q = quantum_fen("万元", 2)


def claims_of(ctx: Context) -> list[Claim]:
    if ctx.disclosure.narrative is None or not ctx.disclosure.narrative.text.strip():
        raise InsufficientData("没有第三部分情况说明文本")
    if "claims" not in ctx.cache:
        ctx.cache["claims"] = extract_claims(ctx.disclosure.narrative, ctx.template)
    return ctx.cache["claims"]


def need_tables(ctx: Context, *ids: str) -> None:
    if not any(t in ctx.disclosure.tables for t in ids):
        raise InsufficientData(f"没有表格数据（{'/'.join(ids)}），无法核对说明中的数字")


def wan(fen: int | None, decimals: int = 2) -> str:
    return format_amount(fen, "万元", decimals) + "万元" if fen is not None else ""


def money_text(c: Claim) -> str:
    return f"{c.money.text}{c.money.unit}" if c.money else ""


def finding(ctx: Context, rule_id: str, severity: str, claim: Claim, expected: str, actual: str, difference: str,
            message: str, table: str = "narrative") -> Finding:
    return Finding(rule=rule_id, severity=severity, table=table,
                   location=location(ctx.disclosure.narrative, claim), expected=expected, actual=actual,
                   difference=difference, message=message)


# ---------------------------------------------------------------- amounts


@rule("N.amount_matches_table", "说明中的每个金额与其所指表格数值一致", family=FAMILY,
      tables=("T1", "T3", "T4", "T5", "T6", "T10", "T11", "T12"))
def amount_matches_table(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    need_tables(ctx, "T1", "T3", "T4", "T5", "T6", "T10", "T11", "T12")
    vocab = load_vocabulary(ctx.template)
    out: list[Finding] = []
    checked = 0
    unmapped = []
    for c in claims:
        subject = vocab.get(c.subject_key) if c.kind == AMOUNT else None
        if c.kind == AMOUNT and (subject is None or not subject.cells):
            unmapped.append(f"{c.subject}{money_text(c)}")
        if subject is None or not subject.cells:
            continue
        section = ctx.disclosure.narrative.section(c.section)
        cells = vocab.cells_in_context(subject, section.heading if section else "")
        values = [(ref, cell_value(ctx.disclosure, ref)) for ref in cells]
        values = [(ref, v) for ref, v in values if v is not None]
        if not values:
            continue
        checked += 1
        written = c.money.fen
        tol_q = max(c.money.quantum, TABLE_Q)
        grades = [(classify_difference(written - v, 2, tol_q), ref, v) for ref, v in values]
        if any(g == OK for g, _, _ in grades):
            continue
        near = [x for x in grades if x[0] == ROUNDING]
        grade, ref, v = near[0] if near else grades[0]
        out.append(finding(
            ctx, "N.amount_matches_table", "rounding" if near else "error", c, wan(v), money_text(c),
            wan(written - v), f"说明中“{c.subject}”为{money_text(c)}，表{cell_table(ref)}中为{wan(v)}"
            + ("，差额在四舍五入范围内" if near else "，两者不一致"), table=cell_table(ref)))
    if checked == 0:
        raise NotApplicable("说明中没有能对应到表格的金额")
    if unmapped:
        out.append(Finding("N.amount_matches_table", "info", "narrative", "第三部分", "", "", "",
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
                return v, TABLE_Q, f"表{cell_table(ref)}{subject.label}{wan(v)}"
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


@rule("N.share_recomputed", "“占X%”按同段所述总额（分母）重新计算一致", family=FAMILY)
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
            out.append(finding(ctx, "N.share_recomputed", "info", c, "", f"{c.percent}%", "",
                               "无法确定该比例的分子或分母，未核对"))
            continue
        checked += 1
        d_fen, d_q, d_text = den
        exact, low, high = share(num.money.fen, num.money.quantum, d_fen, d_q)
        if exact is None:
            grade = OK if num.money.fen == 0 and c.percent == 0 else "error"
        else:
            grade = classify_ratio(exact, low, high, c.percent, c.percent_decimals)
        if grade == OK:
            continue
        out.append(finding(
            ctx, "N.share_recomputed", "rounding" if grade == ROUNDING else "error", c, fmt_percent(exact),
            f"{c.percent}%", "", f"{c.subject}{money_text(num)}÷{d_text}={fmt_percent(exact)}，说明写作{c.percent}%"
            + ("，差异在百分比四舍五入范围内" if grade == ROUNDING else "，不一致")))
    if checked == 0:
        raise InsufficientData("说明中的比例都找不到分子或分母")
    return out


# ---------------------------------------------------------------- changes


def _rate_grade(base: Claim, c: Claim):
    exact, low, high = change_rate(base.money.fen, base.money.quantum, c.money.fen, c.money.quantum, c.direction)
    return classify_ratio(exact, low, high, c.percent, c.percent_decimals), exact


@rule("N.change_rate_consistent", "增减率R = 增减额A ÷ (本年数 − A)，并报告隐含的上年数", family=FAMILY)
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
            out.append(finding(ctx, "N.change_rate_consistent", "info", c, "", "持平", "",
                               f"与{c.basis}持平：隐含{c.basis}数为{money_text(bases[0])}"))
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
        severity = {"ok": "info", "rounding": "rounding"}.get(grade, "error")
        verdict = {"ok": f"与所写{word}{c.percent}%一致", "rounding": f"与所写{word}{c.percent}%相差在四舍五入范围内"
                   }.get(grade, f"与所写{word}{c.percent}%不一致")
        out.append(finding(ctx, "N.change_rate_consistent", severity, c, fmt_percent(exact), f"{c.percent}%", "",
                           f"{arithmetic}，{verdict}"))
    if checked == 0:
        raise InsufficientData("增减表述缺少增减额、增减率或本年数，无法由文中数字核对")
    return out


@rule("N.change_vs_prior_year", "增减额与增减率与上年数据一致（有上年数据时）", family=FAMILY)
def change_vs_prior_year(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    changes = [c for c in claims if c.kind == CHANGE and c.refers_to is not None]
    if not changes:
        raise NotApplicable("说明中没有可核对的“比上年增加/减少”")
    if ctx.prior is None:
        raise InsufficientData("没有上年数据，增减额只能按文中数字核对（见 N.change_rate_consistent）")
    vocab = load_vocabulary(ctx.template)
    out: list[Finding] = []
    checked = 0
    for c in changes:
        base = claims[c.refers_to]
        subject = vocab.get(base.subject_key)
        if subject is None:
            continue
        prior = next((v for v in (cell_value(ctx.prior, ref) for ref in subject.cells) if v is not None), None)
        if prior is None:
            continue
        checked += 1
        expected_change = base.money.fen - prior
        direction = (expected_change > 0) - (expected_change < 0)
        if c.direction is not None and c.direction != direction and not (c.direction == 0 and direction == 0):
            out.append(finding(ctx, "N.change_vs_prior_year", "error", c, wan(expected_change), c.text, "",
                               f"上年{subject.label}为{wan(prior)}，本年{money_text(base)}，增减方向与说明不符"))
            continue
        if c.money is not None:
            diff = c.money.fen - abs(expected_change)
            grade = classify_difference(diff, 3, max(c.money.quantum, TABLE_Q))
            if grade != OK:
                out.append(finding(ctx, "N.change_vs_prior_year", "rounding" if grade == ROUNDING else "error", c,
                                   wan(abs(expected_change)), money_text(c), wan(diff),
                                   f"上年{subject.label}{wan(prior)}，本年{money_text(base)}，增减额应为"
                                   f"{wan(abs(expected_change))}"))
        if c.percent is not None and prior > 0:
            exact = Decimal(abs(expected_change)) / Decimal(prior)
            grade = classify_ratio(exact, exact, exact, c.percent, c.percent_decimals)
            if grade != OK:
                out.append(finding(ctx, "N.change_vs_prior_year", "error", c, fmt_percent(exact), f"{c.percent}%",
                                   "", f"按上年{subject.label}{wan(prior)}计算，增减率应为{fmt_percent(exact)}"))
    if checked == 0:
        raise InsufficientData("上年数据中找不到增减表述所指的数值")
    return out


@rule("N.change_has_reason", "说明了增减变动的，须说明原因（原因是…）", family=FAMILY, severity="warning")
def change_has_reason(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    changes = [c for c in claims if c.kind == CHANGE and c.direction]
    if not changes:
        raise NotApplicable("说明中没有增减变动表述")
    explained = {c.refers_to for c in claims if c.kind == REASON}
    return [finding(ctx, "N.change_has_reason", "warning", c, "原因是…", "未说明原因", "",
                    f"“{c.subject or '该项'}”{c.text}，但未说明增减变动的原因")
            for c in changes if c.index not in explained]


# ---------------------------------------------------------------- lists and sums


@rule("N.items_exist", "“主要包括：…”列出的项目在所指表格中存在", family=FAMILY, tables=("T6", "T10", "T12"))
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
        table_id, part, _ = source.split(".")
        anywhere = row_names(ctx.disclosure, f"{table_id}.{part}.total") or set()
        for item in c.items:
            key = squash(item)
            if key in names:
                continue
            elsewhere = key in anywhere
            out.append(finding(ctx, "N.items_exist", "error", c, f"表{table_id}中{c.subject}的明细项目", item, "",
                               f"“{c.subject}”列举的“{item}”" + ("在表中不属于该类" if elsewhere
                                                              else f"在表{table_id}中不存在"), table=table_id))
    if checked == 0:
        raise InsufficientData("没有可对照的表格（列举项目无法核对）")
    return out


def _breakdowns(claims: list[Claim]) -> dict[tuple[int, int], list[Claim]]:
    groups: dict[tuple[int, int], list[Claim]] = {}
    for c in claims:
        if c.breakdown_of is not None:
            groups.setdefault((c.breakdown_of, c.breakdown_at), []).append(c)
    return groups


def _check_breakdowns(ctx: Context, rule_id: str, want) -> list[Finding]:
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
        else:
            total, parts = head.count, sum(m.count for m in members)
            grade = "ok" if total == parts else "error"
            shown = (str(total), str(parts), str(parts - total))
        if grade == OK:
            continue
        terms = " + ".join(f"{m.subject}{m.text}" for m in members)
        out.append(finding(ctx, rule_id, grade, head, *shown,
                           f"{head.subject}{head.text}，其中各项之和 {terms} = {shown[1]}"
                           + ("，差额在四舍五入范围内" if grade == ROUNDING else "，与总额不符")))
    return out


@rule("N.procurement_sum", "政府采购预算总额 = 货物 + 工程 + 服务", family=FAMILY)
def procurement_sum(ctx: Context) -> list[Finding]:
    return _check_breakdowns(ctx, "N.procurement_sum", lambda h: h.subject_key.startswith("procurement"))


@rule("N.internal_sums", "说明中“其中”所列分项之和等于所述总数", family=FAMILY)
def internal_sums(ctx: Context) -> list[Finding]:
    return _check_breakdowns(ctx, "N.internal_sums", lambda h: not h.subject_key.startswith("procurement"))


# ---------------------------------------------------------------- performance


@rule("N.performance_counts", "绩效部分所述项目个数和金额与表12及绩效目标表一致", family=FAMILY, tables=("T12",))
def performance_counts(ctx: Context) -> list[Finding]:
    claims = claims_of(ctx)
    narrative = ctx.disclosure.narrative
    sections = {s.number for s in narrative.sections if "绩效" in s.heading}
    counts = [c for c in claims if c.kind == COUNT and c.section in sections and c.breakdown_of is None
              and "项目" in c.subject]
    if not counts:
        raise NotApplicable("说明中没有绩效项目个数")
    t12 = ctx.disclosure.tables.get("T12")
    if t12 is None and not ctx.disclosure.forms:
        raise InsufficientData("没有表12和绩效目标表，无法核对项目个数")
    truths = []
    if t12 is not None:
        leaves = leaf_rows(t12.part("main"))
        truths.append(("表12", len(leaves), int(leaves["total"].fillna(0).sum()), TABLE_Q, "T12"))
    if ctx.disclosure.forms:
        funds = [f.fund("annual") or 0 for f in ctx.disclosure.forms]
        truths.append(("绩效目标表", len(funds), sum(funds), 100, "forms"))
    out = []
    for c in counts:
        amount = next((a for a in claims if a.kind == AMOUNT and a.breakdown_of is None and a.start > c.end
                       and a.sentence == c.sentence), None)
        for name, n, total, q, table in truths:
            if c.count != n:
                out.append(finding(ctx, "N.performance_counts", "error", c, str(n), str(c.count), str(c.count - n),
                                   f"说明称{c.subject}{c.text}，{name}中有{n}个项目", table=table))
            if amount is not None:
                grade = classify_difference(amount.money.fen - total, 2, max(q, amount.money.quantum))
                if grade != OK:
                    out.append(finding(ctx, "N.performance_counts", grade, amount, wan(total), money_text(amount),
                                       wan(amount.money.fen - total),
                                       f"说明所述项目金额{money_text(amount)}，{name}合计{wan(total)}", table=table))
    return out


@rule("N.none_statement_vs_table", "说明称“无…预算”（如无“三公”经费）的，对应表格也应无数", family=FAMILY,
      tables=("T1", "T7", "T8", "T9", "T10"))
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
    need_tables(ctx, *{cell_table(ref) for _, s in statements for ref in s.cells})
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
            out.append(Finding("N.none_statement_vs_table", "error", cell_table(ref), where, wan(0), wan(v), wan(v),
                               f"说明称“{re.sub(chr(10), '', m.group(0))}”，但表{cell_table(ref)}中{subject.label}为{wan(v)}"))
    return out
