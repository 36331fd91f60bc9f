"""Every numeric claim of the narrative (情况说明), with what it is about and where it stands.

``extract_claims(narrative)`` finds amounts, shares, changes, item lists,
counts and reasons with the patterns of ``grammar``, then links them: a share
to its numerator and denominator, a change to the amount it compares, a list
or reason to what it explains, and the parts of a "其中" breakdown to their
total. Rules check the links; nothing here knows any table.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetkit.checks.claims import grammar as g
from budgetkit.checks.claims.vocabulary import Vocabulary, load_vocabulary, squash
from budgetkit.core.errors import BadAmount, UnitError
from budgetkit.core.model import Narrative
from budgetkit.core.money import parse_amount, quantum_fen, to_fen
from budgetkit.core.template import DEFAULT_TEMPLATE, Template, load_template

AMOUNT, SHARE, CHANGE, ITEMS, COUNT, REASON = "amount", "share", "change", "items", "count", "reason"
KIND_CN = {AMOUNT: "金额", SHARE: "占比", CHANGE: "增减", ITEMS: "列举", COUNT: "个数", REASON: "原因"}


@dataclass
class Money:
    """A printed amount: exact value, unit and printed decimals (its rounding quantum)."""

    text: str
    value: Decimal
    unit: str
    decimals: int

    @property
    def fen(self) -> int:
        return to_fen(self.value, self.unit)

    @property
    def quantum(self) -> int:
        try:
            return quantum_fen(self.unit, self.decimals)
        except UnitError:
            return 1

    def __str__(self) -> str:
        return f"{self.text}{self.unit}"


@dataclass
class Claim:
    index: int
    kind: str  # amount | share | change | items | count | reason
    start: int  # span in Narrative.text
    end: int
    text: str
    sentence: int = -1
    section: str = ""
    subject: str = ""  # what the number is about, e.g. 基本支出
    subject_key: str = ""  # vocabulary key, '' when the words are not recognised
    phrase: str = ""  # the words before the number, as written
    money: Money | None = None  # amount; a change's amount
    percent: Decimal | None = None  # share or change rate, in %
    percent_decimals: int = 0
    direction: int | None = None  # change: +1 增加, -1 减少, 0 持平
    basis: str = ""  # change: 上年 / 2023年预算 / 同比
    count: int | None = None
    count_unit: str = ""
    items: list[str] = field(default_factory=list)
    reason: str = ""
    refers_to: int | None = None  # change base / share numerator / what a list or reason explains
    alt_refers_to: int | None = None  # change: the other plausible base
    denominator: int | None = None  # share: the amount claim it divides by
    denominator_phrase: str = ""
    breakdown_of: int | None = None  # amount/count: the total of the "其中" breakdown it belongs to
    breakdown_at: int | None = None  # offset of that "其中" (a total may be broken down twice)


def _paragraphs(text: str):
    offset = 0
    for para in text.split("\n"):
        yield offset, para
        offset += len(para) + 1


def _money(num: str, unit: str) -> Money | None:
    try:
        value = parse_amount(num)
        to_fen(value, unit)
    except BadAmount:
        return None
    return Money(num, value, unit, g.number_decimals(num))


def _percent(num: str) -> tuple[Decimal, int]:
    return parse_amount(num), g.number_decimals(num)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _clause_before(para: str, pos: int) -> str:
    cut = max((m.end() for m in g.CLAUSE_SEP.finditer(para, 0, pos)), default=0)
    return para[cut:pos].strip()


def _clean_phrase(phrase: str) -> str:
    p = re.sub(r"\s+", "", phrase)
    p = g.LEAD_FILLER.sub("", p)
    return re.sub(r"(为|是|共|达|约|计)$", "", p)


def _scan_paragraph(o: int, para: str) -> list[Claim]:
    """Raw claims of one paragraph, offsets in the whole text."""
    out: list[Claim] = []
    taken: list[tuple[int, int]] = []
    for m in g.CHANGE.finditer(para):
        c = Claim(-1, CHANGE, o + m.start(), o + m.end(), m.group(0))
        if m.group("flat"):
            c.direction = 0
        else:
            c.direction = 1 if g.DIRECTION_UP.fullmatch(m.group("dir")) else -1
        if m.group("anum"):
            c.money = _money(m.group("anum"), m.group("aunit"))
        rate = m.group("rnum") or m.group("rnum0")
        if rate:
            c.percent, c.percent_decimals = _percent(rate)
        basis = m.group("basis")
        c.basis = "同比" if basis == "同比" else (f"{m.group('year')}年" + ("预算" if "预算" in basis else "")
                                                 if m.group("year") else "上年")
        out.append(c)
        taken.append((m.start(), m.end()))
    for m in g.SHARE.finditer(para):
        if _inside(m.start(), taken):
            continue
        c = Claim(-1, SHARE, o + m.start(), o + m.end(), m.group(0))
        c.percent, c.percent_decimals = _percent(m.group("num"))
        c.denominator_phrase = re.sub(r"\s+", "", m.group("den") or "")
        out.append(c)
        taken.append((m.start(), m.end()))
    amount_spans = []
    for m in g.AMOUNT.finditer(para):
        if _inside(m.start(), taken):
            continue
        money = _money(m.group("num"), m.group("unit"))
        if money is None:
            continue
        c = Claim(-1, AMOUNT, o + m.start(), o + m.end(), m.group(0), money=money)
        c.phrase = _clause_before(para, m.start())
        out.append(c)
        amount_spans.append((m.start(), m.end()))
    taken += amount_spans
    for m in g.COUNT.finditer(para):
        if _inside(m.start(), taken):
            continue
        c = Claim(-1, COUNT, o + m.start(), o + m.end(), m.group(0))
        c.count, c.count_unit = int(parse_amount(m.group("num"))), m.group("cls")
        before = _clause_before(para, m.start())
        noun = g.COUNT_NOUNS.match(para[m.end():])
        if noun and (not before or before.endswith(g.COUNT_LEAD_VERBS)):
            c.phrase = noun.group(1)
        else:
            c.phrase = before
        out.append(c)
    for m in g.ITEMS.finditer(para):
        body = m.group("list")
        items = [re.sub(r"\s+", "", i) for i in re.split(r"[、，,]", body)]
        items = [i for i in items if i]
        if len(items) < 2 or re.search(g.DIGIT, body):
            continue
        c = Claim(-1, ITEMS, o + m.start(), o + m.end(), m.group(0), items=items)
        c.phrase = _clause_before(para, m.start())
        out.append(c)
    for m in g.REASON.finditer(para):
        out.append(Claim(-1, REASON, o + m.start(), o + m.end(), m.group(0), reason=m.group("reason").strip()))
    return out


def _statement_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max((m.end() for m in g.STATEMENT_SEP.finditer(text, 0, pos)), default=0)
    m = g.STATEMENT_SEP.search(text, pos)
    return start, (m.start() if m else len(text))


def _paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _link(text: str, claims: list[Claim], vocab: Vocabulary) -> None:
    amounts = [c for c in claims if c.kind == AMOUNT]
    for c in amounts:
        subject = vocab.match(c.phrase)
        c.subject_key = subject.key if subject else ""
        c.subject = subject.label if subject else _clean_phrase(c.phrase)
    for c in claims:
        if c.kind == COUNT:
            c.subject = _clean_phrase(c.phrase)
    for c in claims:
        s0, _ = _statement_bounds(text, c.start)
        before = [a for a in amounts if s0 <= a.start and a.end <= c.start]
        if c.kind == CHANGE and before:
            first, nearest = before[0], before[-1]
            if first is not nearest and g.BREAKDOWN.search(text, first.end, c.start):
                c.refers_to, c.alt_refers_to = first.index, nearest.index
            else:
                c.refers_to = nearest.index
                c.alt_refers_to = first.index if first is not nearest else None
        elif c.kind in (SHARE, ITEMS) and before:
            c.refers_to = before[-1].index
        if c.kind in (CHANGE, ITEMS) and c.refers_to is not None:
            c.subject_key, c.subject = claims[c.refers_to].subject_key, claims[c.refers_to].subject
        elif c.kind == ITEMS:
            c.subject = _clean_phrase(c.phrase)
            subject = vocab.match(c.phrase)
            c.subject_key = subject.key if subject else ""
        if c.kind == REASON:
            p0, _ = _paragraph_bounds(text, c.start)
            changes = [x for x in claims if x.kind == CHANGE and p0 <= x.start < c.start]
            c.refers_to = changes[-1].index if changes else None
            if changes:
                c.subject_key, c.subject = changes[-1].subject_key, changes[-1].subject
    _link_shares(text, claims, amounts, vocab)
    _link_breakdowns(text, claims, AMOUNT)
    _link_breakdowns(text, claims, COUNT)


def _link_shares(text: str, claims: list[Claim], amounts: list[Claim], vocab: Vocabulary) -> None:
    numerators = {c.refers_to for c in claims if c.kind == SHARE and c.refers_to is not None}
    for c in claims:
        if c.kind != SHARE:
            continue
        num = claims[c.refers_to] if c.refers_to is not None else None
        if num is not None:
            c.subject_key, c.subject = num.subject_key, num.subject
        limit = num.start if num is not None else c.start
        earlier = [a for a in amounts if a.start < limit and a.section == c.section]
        if c.denominator_phrase:
            subject = vocab.match(c.denominator_phrase)
            want = squash(_clean_phrase(c.denominator_phrase))
            hits = [a for a in earlier if (subject and a.subject_key == subject.key)
                    or (want and want in squash(a.phrase))]
            c.denominator = hits[-1].index if hits else None
        else:
            p0, _ = _paragraph_bounds(text, limit)
            plain = [a for a in earlier if a.index not in numerators]
            in_para = [a for a in plain if a.start >= p0]
            pick = in_para or plain
            c.denominator = pick[-1].index if pick else None


def _link_breakdowns(text: str, claims: list[Claim], kind: str) -> None:
    """Members of each "其中" breakdown point at its total (the amount/count before "其中")."""
    own = [c for c in claims if c.kind == kind]
    changes = [c.start for c in claims if c.kind == CHANGE]
    for m in g.BREAKDOWN.finditer(text):
        q = m.start()
        before = [c for c in own if c.end <= q]
        if not before:
            continue
        head = before[-1]
        if head.breakdown_of is not None and re.search("[。\n]", text[head.end:q]):
            head = claims[head.breakdown_of]  # "…。其中：" after a breakdown breaks down the same total again
        if head.section != claims_section(claims, q, head):
            continue
        stop = min([x for x in (text.find("其中", m.end()), text.find("。", m.end())) if x >= 0] + [len(text)])
        stop = min([s for s in changes if q < s < stop] + [stop])
        members = []
        for c in own:
            if q < c.start < stop and c is not head:
                if kind == AMOUNT and re.search("总计|合计|总额|共计|总预算", c.phrase):
                    break  # a new total starts
                members.append(c)
        if len(members) >= 2:  # "A，其中B" alone is no breakdown to add up
            for c in members:
                c.breakdown_of, c.breakdown_at = head.index, q


def claims_section(claims: list[Claim], pos: int, fallback: Claim) -> str:
    after = [c for c in claims if c.start >= pos]
    return after[0].section if after else fallback.section


def extract_claims(narrative: Narrative, template: Template | None = None) -> list[Claim]:
    """All claims of the narrative, ordered by position; ``Claim.index`` is the list position."""
    template = template or load_template(DEFAULT_TEMPLATE)
    claims: list[Claim] = []
    for o, para in _paragraphs(narrative.text):
        claims.extend(_scan_paragraph(o, para))
    order = {AMOUNT: 0, COUNT: 0, CHANGE: 1, SHARE: 1, ITEMS: 2, REASON: 3}
    claims.sort(key=lambda c: (c.start, order[c.kind]))
    starts = [s.start for s in narrative.sentences]
    for i, c in enumerate(claims):
        c.index = i
        k = bisect.bisect_right(starts, c.start) - 1
        if k >= 0:
            c.sentence, c.section = narrative.sentences[k].index, narrative.sentences[k].section
        else:
            c.section = next((s.number for s in reversed(narrative.sections) if s.start <= c.start), "")
    _link(narrative.text, claims, load_vocabulary(template))
    return claims


def sentence_text(narrative: Narrative, claim: Claim) -> str:
    if 0 <= claim.sentence < len(narrative.sentences):
        return narrative.sentences[claim.sentence].text
    return claim.text


def short_location(narrative: Narrative, claim: Claim) -> str:
    """Section and sentence: '五、第15句（原文第850行）'."""
    where = f"{claim.section}、第{claim.sentence + 1}句" if claim.section else f"第{claim.sentence + 1}句"
    if 0 <= claim.sentence < len(narrative.sentences) and narrative.sentences[claim.sentence].line:
        where += f"（原文第{narrative.sentences[claim.sentence].line}{narrative.line_unit}）"
    return where


def location(narrative: Narrative, claim: Claim) -> str:
    """Where an auditor finds the claim: section, sentence number, source line."""
    sec = f"{narrative.name} {claim.section}、" if claim.section else f"{narrative.name} "
    line = ""
    if 0 <= claim.sentence < len(narrative.sentences) and narrative.sentences[claim.sentence].line:
        line = f"，原文第{narrative.sentences[claim.sentence].line}{narrative.line_unit}"
    return f"{sec}第{claim.sentence + 1}句{line}：“{claim.text}”"
