"""Every numeric claim of the narrative (情况说明), with what it is about and where it stands.

``extract_claims(narrative)`` finds amounts, shares, changes, completion rates,
item lists, counts and reasons with the patterns of ``grammar``, then links
them: a share to its numerator and denominator, a change to the amount it
compares (and to the prior value when the text states it: 当年预算执行数), a
completion rate to its 决算 and 年初预算, a list or reason to what it explains,
and the parts of a "其中" breakdown to their total. Rules check the links;
nothing here knows any table.

What an amount is about is read from the words before it (its *phrase*): a
vocabulary subject, a classification path “…（类）…（款）…（项）”, and which
figure of it the words name (``measure``: 年初预算, 支出决算, 当年预算执行数 …).
Words that name only a figure ("年初预算为", "2023年预算安排") take the subject
of the amount before them in the statement, else the item the paragraph is
about (the *topic*: the last classification path of the enumerated item).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from budgetkit.checks.claims import grammar as g
from budgetkit.checks.claims.vocabulary import (
    PATH_KEY,
    Vocabulary,
    load_vocabulary,
    path_label,
)
from budgetkit.core.errors import BadAmount, UnitError
from budgetkit.core.model import Narrative
from budgetkit.core.money import parse_amount, quantum_fen, to_fen
from budgetkit.core.template import DEFAULT_TEMPLATE, Template, load_template
from budgetkit.core.words import squash

AMOUNT, SHARE, CHANGE, ITEMS, COUNT, REASON = "amount", "share", "change", "items", "count", "reason"
COMPLETION, VERSUS = "completion", "versus"
KIND_CN = {AMOUNT: "金额", SHARE: "占比", CHANGE: "增减", ITEMS: "列举", COUNT: "个数", REASON: "原因",
           COMPLETION: "完成率", VERSUS: "预决算对比"}
MEASURE_CN = {"budget": "年初预算", "actual": "决算", "prior": "上年执行数", "current": "本年预算"}


@dataclass
class Money:
    """A printed amount: exact value, unit and printed decimals (its rounding quantum)."""

    text: str
    value: Decimal
    unit: str
    decimals: int
    # a printed amount is never changed; rules ask its value and precision again and again: made once, here
    fen: int = field(init=False, repr=False, compare=False)  # exact value in 分 (BadAmount when finer than 1 分)
    quantum: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self.fen = to_fen(self.value, self.unit)
        try:
            self.quantum = quantum_fen(self.unit, self.decimals)
        except UnitError:
            self.quantum = 1

    def __str__(self) -> str:
        return f"{self.text}{self.unit}"


@dataclass(slots=True)  # a narrative has a hundred claims: slots make each quicker to build and read
class Claim:
    index: int
    kind: str  # amount | share | change | completion | versus | items | count | reason
    start: int  # span in Narrative.text
    end: int
    text: str
    sentence: int = -1
    section: str = ""
    subject: str = ""  # what the number is about, as the document names it, e.g. 基本支出 / 收入预算
    subject_key: str = ""  # vocabulary key ('path:类/款/项' for a classification path), '' when not recognised
    phrase: str = ""  # the words before the number, as written
    measure: str = ""  # which figure of the subject: current / actual / budget / prior ('' = the document's own)
    money: Money | None = None  # amount; a change's amount
    percent: Decimal | None = None  # share, change or completion rate, in %
    percent_decimals: int = 0
    direction: int | None = None  # change: +1 增加, -1 减少, 0 持平; versus: +1 大于, -1 小于, 0 持平
    basis: str = ""  # change: 上年 / 2023年预算 / 2023年预算执行数 / 同比
    count: int | None = None
    count_unit: str = ""
    # items and explains default to one empty tuple, not a new list per claim: two empty lists on each of a
    # narrative's hundred claims were a quarter of what starts the cyclic GC's young collections in a batch
    items: Sequence[str] = ()  # items: the list as written
    reason: str = ""
    refers_to: int | None = None  # change base / share numerator / completion's 决算 / what a list or reason explains
    alt_refers_to: int | None = None  # change: the other plausible base
    stated_prior: int | None = None  # change: the prior value the text states (当年预算执行数为A万元)
    budget: int | None = None  # completion / versus: the 年初预算 amount claim
    denominator: int | None = None  # share: the amount claim it divides by
    denominator_phrase: str = ""
    breakdown_of: int | None = None  # amount/count: the total of the "其中" breakdown it belongs to
    breakdown_at: int | None = None  # offset of that "其中" (a total may be broken down twice)
    explains: Sequence[int] = ()  # reason: every change and 预决算 gap it gives the reason of
    threshold: bool = False  # amount: a threshold (单价50万元以上), not an amount of anything
    paragraph: int = 0
    block: int = 0  # enumerated item (1. / （一） …) or run of paragraphs it stands in, within a section
    depth: int = 0  # bracket depth ("（其中：…）" is a breakdown of the amount before the bracket)
    topic: str = ""  # classification path of the item the paragraph is about ('类/款/项' names)
    lead_phrase: str = ""  # share: the words opening the sentence ("“三公”经费财政拨款支出决算中，")
    phrase_start: int = -1  # offset of the phrase in Narrative.text


# ---------------------------------------------------------------- scanning


@dataclass
class _Para:
    index: int
    start: int
    text: str
    block: int
    section: str = ""
    paths: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, '类/款/项') in text offsets
    _cuts: tuple[str, list[int]] | None = None

    def cuts(self) -> tuple[str, list[int]]:
        """The paragraph with the brackets that belong to names (（类）, （境）, （一）) replaced, for cutting clauses,
        and where each clause separator of it ends. Every claim asks for its clause; made when the first one asks
        (many paragraphs have no claim)."""
        if self._cuts is None:
            masked = _mask(self.text)
            self._cuts = masked, [m.end() for m in g.CLAUSE_SEP.finditer(masked)]
        return self._cuts


def _mask(para: str) -> str:
    return g.WORD_BRACKET.sub(lambda m: "〔" + m.group(0)[1:-1] + "〕", para)


def _number(num: str) -> Decimal:
    """The exact value of a number ``g.NUM`` matched; ASCII ones are Decimal as written (what parse_amount makes
    of them, without its folding and checks: a narrative has a hundred numbers)."""
    return Decimal(num.replace(",", "")) if num.isascii() else parse_amount(num)


def _money(num: str, unit: str) -> Money | None:
    try:
        return Money(num, _number(num), unit, g.number_decimals(num))
    except BadAmount:  # finer than 1 分
        return None


def _percent(num: str) -> tuple[Decimal, int]:
    return _number(num), g.number_decimals(num)


# a loop, not any() over a generator: asked of every match, mostly with a span or two (or none) to look at


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    for a, b in spans:
        if a <= pos < b:
            return True
    return False


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    for x, y in spans:
        if a < y and x < b:
            return True
    return False


_ONLY_COPULA = re.compile(r"\s*(?:为|是)?\s*")
# patterns used per claim, compiled once
_SPACES = re.compile(r"\s+")
_TRAILING_COPULA = re.compile(r"(?:为|是|共|达|约|计)+$")
_SENTENCE_END = re.compile("[。！？]")
_LEAD_IN = re.compile(r"^(?P<lead>[^，,。；;：:]{2,40}?)中[，,：:]")
_ITEM_SEP = re.compile(r"[、，,]")
_HAS_DIGIT = re.compile(g.DIGIT)
_UNIT_WORD = re.compile(g.UNIT)
_NOT_A_NAME = re.compile(r"(\d{4}年度?|当年|本年|全年|的|科目|支出)")
_TOTAL_WORD = re.compile("总计|合计|总额|共计|总预算")
_ENUM_NUMBER = re.compile(r"[0-9一二三四五六七八九十]+")
_FULL_STOP_OR_NEWLINE = re.compile("[。\n]")


def _clause_start(p: _Para, pos: int) -> int:
    """Just after the last clause separator before ``pos`` in the masked paragraph (0 when none)."""
    masked, ends = p.cuts()
    k = bisect.bisect_right(ends, pos)  # separators are single characters: one before pos ends at pos at most
    cut = ends[k - 1] if k else 0
    if cut and masked[cut - 1] in "）)" and _ONLY_COPULA.fullmatch(masked, cut, pos):
        # "政府采购金额（以合同签订为准）为251.25万元": the aside is no clause; the subject stands before it
        level, i = 0, cut - 1
        while i >= 0:
            level += masked[i] in "）)"
            level -= masked[i] in "（("
            if level == 0:
                return _clause_start(p, i)
            i -= 1
    return cut


def _clause_before(p: _Para, pos: int) -> str:
    return p.text[_clause_start(p, pos):pos].strip()


def _clause(p: _Para, pos: int) -> tuple[str, int]:
    """The clause before ``pos`` (stripped) and where it starts in the paragraph: a claim's phrase, cut once."""
    start = _clause_start(p, pos)
    return p.text[start:pos].strip(), start


def _clean_phrase(phrase: str, department: str = "") -> str:
    p = _SPACES.sub("", phrase)
    if department:
        p = p.replace(_SPACES.sub("", department), "")
    p = g.LEAD_FILLER.sub("", p)
    return _TRAILING_COPULA.sub("", p).strip("“”\"")


def _basis(m: re.Match) -> str:
    basis = m.group("basis")
    if basis == "同比":
        return "同比"
    year = m.groupdict().get("year") or m.groupdict().get("year2")
    what = ("预算执行数" if "执行数" in basis else "决算" if "决算" in basis else "预算" if "预算" in basis else "")
    return f"{year}年{what}" if year else f"上年{what}" if what else "上年"


def _change(o: int, m: re.Match, kind_phrase: str = "") -> Claim:
    c = Claim(-1, CHANGE, o + m.start(), o + m.end(), m.group(0))
    d = m.groupdict()
    if d.get("flat"):
        c.direction = 0
        if d.get("famt"):
            c.money = _money(d["famt"], _UNIT_WORD.search(m.group(0)[m.start("famt") - m.start():]).group(0))
    else:
        c.direction = 1 if g.DIRECTION_UP.fullmatch(d["dir"]) else -1
    if d.get("anum"):
        c.money = _money(d["anum"], d["aunit"])
    rate = d.get("rnum") or d.get("rnum0")
    if rate:
        c.percent, c.percent_decimals = _percent(rate)
    c.basis = _basis(m) if "basis" in d and d.get("basis") else ""
    c.phrase = kind_phrase
    return c


def _scan_paragraph(p: _Para, vocab: Vocabulary) -> list[Claim]:
    """Raw claims of one paragraph, offsets in the whole text."""
    o, para, gr = p.start, p.text, vocab.grammar
    out: list[Claim] = []
    taken: list[tuple[int, int]] = []
    # words every match of a pattern has: a paragraph without them is not searched (most have no change or share)
    has_basis = any(ch in para for ch in g.BASIS_CHARS)
    has_percent = "%" in para or "％" in para
    for m in _search(g.CHANGE, para, has_basis):
        c = _change(o, m)
        c.phrase, start = _clause(p, m.start())
        c.phrase_start = o + start
        out.append(c)
        taken.append((m.start(), m.end()))
    if gr.subject_after_basis:
        for m in _search(g.CHANGE_SUBJECT_AFTER, para, has_basis):
            if _overlaps(m.start(), m.end(), taken):
                continue
            c = _change(o, m, m.group("subj"))
            c.phrase_start = o + m.start("subj")
            out.append(c)
            taken.append((m.start(), m.end()))
    if gr.bare_changes:
        for m in _search(g.CHANGE_BARE, para, has_percent):
            if _overlaps(m.start(), m.end(), taken):
                continue
            phrase, start = _clause(p, m.start())
            c = _change(o, m, phrase)
            c.phrase_start = o + start
            out.append(c)
            taken.append((m.start(), m.end()))
    for m in _search(g.SHARE, para, has_percent and "占" in para):
        if _inside(m.start(), taken):
            continue
        c = Claim(-1, SHARE, o + m.start(), o + m.end(), m.group(0))
        c.percent, c.percent_decimals = _percent(m.group("num"))
        c.denominator_phrase = _SPACES.sub("", m.group("den") or "")
        s0 = max((x.end() for x in _SENTENCE_END.finditer(para[:m.start()])), default=0)
        lead = _LEAD_IN.match(para[s0:m.start()].strip())
        c.lead_phrase = lead.group("lead") if lead else ""
        out.append(c)
        taken.append((m.start(), m.end()))
    for pattern, kind in ((gr.completion, COMPLETION), (gr.versus, VERSUS)):
        if pattern is None:
            continue
        for m in _search(pattern, para, has_percent or kind == VERSUS):  # a completion rate is a percent
            if _inside(m.start(), taken):
                continue
            c = Claim(-1, kind, o + m.start(), o + m.end(), m.group(0))
            c.phrase = _clause_before(p, m.start())
            if kind == COMPLETION:
                c.percent, c.percent_decimals = _percent(m.group("num"))
            else:
                c.direction = 0 if m.group("flat") else (1 if m.group("cmp") in ("大于", "高于", "超过", "多于") else -1)
                c.basis = m.group("flat") or ""
            out.append(c)
            taken.append((m.start(), m.end()))
    amount_spans = []
    for m in _search(g.AMOUNT, para, "元" in para):
        if _inside(m.start(), taken):
            continue
        money = _money(m.group("num"), m.group("unit"))
        if money is None:
            continue
        c = Claim(-1, AMOUNT, o + m.start(), o + m.end(), m.group(0), money=money)
        c.phrase, start = _clause(p, m.start())
        c.phrase_start = o + start
        c.threshold = bool(g.THRESHOLD_AFTER.match(para, m.end()) or g.THRESHOLD_BEFORE.search(
            c.phrase, max(0, len(c.phrase) - g.THRESHOLD_BEFORE_SPAN)))
        out.append(c)
        amount_spans.append((m.start(), m.end()))
    taken += amount_spans
    for m in g.COUNT.finditer(para):
        if _inside(m.start(), taken):
            continue
        c = Claim(-1, COUNT, o + m.start(), o + m.end(), m.group(0))
        c.count, c.count_unit = int(_number(m.group("num"))), m.group("cls")
        before = _clause_before(p, m.start())
        noun = g.COUNT_NOUNS.match(para[m.end():])
        if noun and (not before or before.endswith(g.COUNT_LEAD_VERBS)):
            c.phrase = noun.group(1)
        else:
            c.phrase = before
        out.append(c)
    for m in g.ITEMS.finditer(para):
        body = m.group("list")
        items = [_SPACES.sub("", i) for i in _ITEM_SEP.split(body)]
        items = [i for i in items if i]
        if len(items) < 2 or _HAS_DIGIT.search(body):
            continue
        c = Claim(-1, ITEMS, o + m.start(), o + m.end(), m.group(0), items=items)
        c.phrase = _clause_before(p, m.start())
        out.append(c)
    for m in g.REASON.finditer(para):
        out.append(Claim(-1, REASON, o + m.start(), o + m.end(), m.group(0), reason=m.group("reason").strip()))
    for m in _search(g.PATH, para, "类）" in para or "类)" in para):  # a path has its “（类）”
        if m.group("kuan"):
            names = [m.group("lei"), m.group("kuan"), m.group("xiang") or ""]
            p.paths.append((o + m.start(), o + m.end(), "/".join(n for n in names if n)))
    return out


def _search(pattern: re.Pattern, para: str, possible: bool):
    """``pattern.finditer(para)``, or nothing when ``possible`` says a word every match needs is missing."""
    return pattern.finditer(para) if possible else ()


def _paragraphs(narrative: Narrative) -> list[_Para]:
    text = narrative.text
    out: list[_Para] = []
    offset, block, section = 0, 0, None
    # a paragraph's section is the last one listed that starts at or before it; offsets only grow, so the
    # sections are taken in order of start, keeping the latest listed of those begun
    sections = narrative.sections
    by_start = sorted(range(len(sections)), key=lambda k: sections[k].start)
    begun, latest = 0, -1
    for i, para in enumerate(text.split("\n")):
        while begun < len(by_start) and sections[by_start[begun]].start <= offset:
            latest = max(latest, by_start[begun])
            begun += 1
        sec = sections[latest].number if latest >= 0 else ""
        if sec != section or g.ENUMERATED.match(para):
            block += 1
            section = sec
        out.append(_Para(i, offset, para, block, sec))
        offset += len(para) + 1
    return out


_BRACKET_OR_NEWLINE = re.compile("[（()）\n]")
_OPENING = re.compile("[（(]")


@lru_cache(maxsize=4)
def _depths(text: str) -> tuple[int, ...]:
    """Bracket depth at each offset (a newline closes every bracket); asked twice per narrative.

    The depth changes only at brackets and newlines: the runs between them are filled at once. Outside
    brackets only an opening one changes it (a newline or a stray closing one leaves 0): only those are looked for.
    """
    depth, out, at = 0, [], 0
    while m := (_BRACKET_OR_NEWLINE if depth else _OPENING).search(text, at):
        i = m.start()
        out += [depth] * (i - at)
        ch = text[i]
        if ch in "（(":
            out.append(depth)
            depth += 1
        elif ch in "）)":
            depth = max(depth - 1, 0)
            out.append(depth)
        else:
            depth = 0
            out.append(0)
        at = i + 1
    out += [depth] * (len(text) - at)
    return tuple(out)


# ---------------------------------------------------------------- subjects


def _statement_bounds(text: str, pos: int) -> tuple[int, int]:
    """From just after the last statement separator before ``pos`` to the next one at or after it."""
    starts, ends = _separators(text)
    k = bisect.bisect_right(ends, pos)
    j = bisect.bisect_left(starts, pos)
    return (ends[k - 1] if k else 0), (starts[j] if j < len(starts) else len(text))


@lru_cache(maxsize=4)
def _separators(text: str) -> tuple[list[int], list[int]]:
    """Where the statement separators (single characters) start and end: every claim asks for its statement."""
    found = [m.span() for m in g.STATEMENT_SEP.finditer(text)]
    return [a for a, _ in found], [b for _, b in found]


def _paragraph_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _read_phrase(c: Claim, text: str, vocab: Vocabulary, paths: list[tuple[int, int, str]],
                 department: str) -> tuple[str, str, str, bool]:
    """(subject_key, subject as written, measure, names_only_a_figure) of the words before a number."""
    gr, phrase = vocab.grammar, c.phrase
    inside = [(b, path) for a, b, path in paths if c.phrase_start <= a and b <= c.start]
    if inside:
        end, path = inside[-1]
        return PATH_KEY + path, path_label(path), gr.measure_of(squash(text[end:c.start]))[0], False
    found = vocab.find(phrase)
    p = squash(phrase)
    if found is not None:
        return found.subject.key, found.term, gr.measure_of(p[found.end:])[0], False
    measure, at = gr.measure_of(p)
    rest = _clean_phrase(p[:at] if measure else phrase, department)
    rest = _NOT_A_NAME.sub("", rest)
    return "", "", measure, not rest


def _link_subjects(text: str, claims: list[Claim], paras: list[_Para], vocab: Vocabulary, department: str) -> None:
    by_para = {p.index: p for p in paras}
    last_in_statement: dict[tuple[int, int], Claim] = {}
    for c in claims:
        if c.kind not in (AMOUNT, CHANGE) or (c.kind == CHANGE and not c.phrase):
            continue
        key, written, measure, bare = _read_phrase(c, text, vocab, by_para[c.paragraph].paths, department)
        c.measure = measure
        statement = _statement_bounds(text, c.start)
        if key:
            c.subject_key, c.subject = key, written
        elif bare:
            prev = last_in_statement.get(statement)
            if prev is not None and prev.subject_key:
                c.subject_key, c.subject = prev.subject_key, prev.subject
            elif c.topic:
                c.subject_key, c.subject = PATH_KEY + c.topic, path_label(c.topic)
        if not c.subject:
            c.subject = _clean_phrase(c.phrase, department)
        if c.kind == AMOUNT and not c.threshold:
            last_in_statement[statement] = c
    for c in claims:
        if c.kind == COUNT:
            c.subject = _clean_phrase(c.phrase, department)


def _latest(claims: list[Claim], before: int, key: str, measures: tuple[str, ...], section: str | None = None):
    hits = [a for a in claims if a.kind == AMOUNT and not a.threshold and a.start < before and a.subject_key == key
            and a.measure in measures and (section is None or a.section == section)]
    return hits[-1] if hits else None


def _own_figure(measure: str, vocab: Vocabulary) -> tuple[str, ...]:
    """Measures that mean the same figure as ``measure`` ('' and the document's own figure are one)."""
    own = ("", vocab.grammar.default_measure, "current", "actual")
    return own if measure in own else (measure,)


# ---------------------------------------------------------------- links


def _link(text: str, claims: list[Claim], paras: list[_Para], vocab: Vocabulary, department: str) -> None:
    _link_subjects(text, claims, paras, vocab, department)
    amounts = [c for c in claims if c.kind == AMOUNT and not c.threshold]
    starts = [a.start for a in amounts]  # ordered, as the claims are: a statement's amounts are found by bisection
    claim_starts = [c.start for c in claims]
    for c in claims:
        if c.kind in (CHANGE, SHARE, ITEMS):  # the amounts before it in its statement
            s0, _ = _statement_bounds(text, c.start)
            window = amounts[bisect.bisect_left(starts, s0):bisect.bisect_left(starts, c.start)]
            before = [a for a in window if a.end <= c.start]
        if c.kind == CHANGE:
            _link_change(text, c, claims, before, vocab)
        elif c.kind in (SHARE, ITEMS) and before:
            c.refers_to = before[-1].index
        if c.kind == ITEMS and c.refers_to is not None:
            c.subject_key, c.subject = claims[c.refers_to].subject_key, claims[c.refers_to].subject
        elif c.kind == ITEMS:
            c.subject = _clean_phrase(c.phrase, department)
            subject = vocab.match(c.phrase)
            c.subject_key = subject.key if subject else ""
        if c.kind == REASON:
            p0, _ = _paragraph_bounds(text, c.start)
            in_paragraph = claims[bisect.bisect_left(claim_starts, p0):bisect.bisect_left(claim_starts, c.start)]
            changes = [x for x in in_paragraph if x.kind == CHANGE]
            c.refers_to = changes[-1].index if changes else None
            if changes:
                c.subject_key, c.subject = changes[-1].subject_key, changes[-1].subject
        if c.kind in (COMPLETION, VERSUS):
            _link_execution(text, c, claims, vocab)
    _link_reasons(claims)
    styles: dict[int, str] = {}
    for p in paras:
        if p.block not in styles:  # a block's style is its first paragraph's
            styles[p.block] = _style(p.text)
    _link_breakdowns(text, claims, AMOUNT, styles)
    _link_breakdowns(text, claims, COUNT, styles)
    _link_shares(text, claims, amounts, starts, vocab)


def _link_change(text: str, c: Claim, claims: list[Claim], before: list[Claim], vocab: Vocabulary) -> None:
    stated = [a for a in before if a.measure == "prior"]
    if stated and "执行数" in c.basis:
        c.stated_prior = stated[-1].index
    before = [a for a in before if a.measure != "prior"]
    if c.subject_key or (not before and c.phrase):
        key, measure = c.subject_key, c.measure
        if not key:
            found = vocab.find(c.phrase)
            key = found.subject.key if found else ""
            c.subject_key, c.subject = key, (found.term if found else "")
            c.measure = measure = vocab.grammar.measure_of(squash(c.phrase))[0]
        if key:
            base = _latest(claims, c.start, key, _own_figure(measure, vocab), c.section) or \
                _latest(claims, c.start, key, _own_figure(measure, vocab))
            if base is not None:
                c.refers_to = base.index
                if not c.subject:
                    c.subject = base.subject
                return
    if not before and not c.phrase:
        # "（三）公务接待费1.35万元。比2023年预算持平，…": the amount just before, in the same item
        p0, _ = _paragraph_bounds(text, c.start)
        earlier = [a for a in claims if a.kind == AMOUNT and not a.threshold and a.measure != "prior"
                   and a.start < c.start and a.block == c.block and a.start >= p0]
        before = earlier[-1:]
    if before:
        first, nearest = before[0], before[-1]
        if first is not nearest and g.BREAKDOWN.search(text, first.end, c.start):
            c.refers_to, c.alt_refers_to = first.index, nearest.index
        else:
            c.refers_to = nearest.index
            c.alt_refers_to = first.index if first is not nearest else None
    if c.refers_to is not None:
        c.subject_key, c.subject = claims[c.refers_to].subject_key, claims[c.refers_to].subject


def _link_execution(text: str, c: Claim, claims: list[Claim], vocab: Vocabulary) -> None:
    """A completion rate or a 决算数/预算数 comparison: the 决算 and 年初预算 amounts it speaks of."""
    s0, _ = _statement_bounds(text, c.start)
    earlier = [a for a in claims if a.kind == AMOUNT and not a.threshold and a.start < c.start and a.block == c.block]
    in_statement = [a for a in earlier if a.start >= s0]
    named = vocab.find(c.phrase) if c.phrase else None  # "“三公”经费支出决算数小于预算数"
    if named is not None:
        earlier = [a for a in earlier if a.subject_key == named.subject.key] or earlier
        in_statement = [a for a in in_statement if a.subject_key == named.subject.key]
    actual = next((a for a in reversed(in_statement) if a.measure == "actual"), None) or \
        next((a for a in reversed(earlier) if a.measure == "actual"), None)
    if actual is None:
        return
    c.refers_to = actual.index
    c.subject_key, c.subject = actual.subject_key, actual.subject
    budget = next((a for a in reversed(earlier) if a.measure == "budget" and a.subject_key == actual.subject_key
                   and a.start < actual.start), None)
    c.budget = budget.index if budget is not None else None


def _link_reasons(claims: list[Claim]) -> None:
    """A reason gives the reason of every change (and 预决算 gap) of its item before it, back to the previous reason.

    The item is the block: an enumerated item (1. / （一）) with its paragraphs, or the run of paragraphs
    before the first one in a section. "…增加的主要原因是…" in the sentence after three changes explains
    all three; the reason of item 2 never explains item 1.
    """
    last_reason: dict[int, int] = {}
    for c in claims:
        if c.kind == REASON:
            since = last_reason.get(c.block, -1)
            c.explains = [x.index for x in claims[since + 1:c.index]
                          if x.block == c.block and x.kind in (CHANGE, VERSUS, COMPLETION, AMOUNT)]
            last_reason[c.block] = c.index


def _breakdown_members(text: str, own: list[Claim], head: Claim, q: int, stop: int, depth: list[int],
                       level: int) -> list[Claim]:
    members = []
    for c in own:
        if not (q < c.start < stop) or c is head or depth[c.start] != level:
            continue
        if c.kind == AMOUNT and (c.threshold or c.measure == "prior"):
            continue
        if c.kind == AMOUNT and _TOTAL_WORD.search(c.phrase):
            break  # a new total starts
        if c.kind == COUNT and c.count_unit != head.count_unit:
            continue  # 0台（套） of equipment is no part of 7辆 of vehicles
        if c.kind == AMOUNT and head.measure and c.measure and c.measure != head.measure:
            continue
        members.append(c)
    return members


def _close_of(text: str, b: int) -> int:
    level = 0
    for i in range(b, len(text)):
        if text[i] in "（(":
            level += 1
        elif text[i] in "）)":
            level -= 1
            if level == 0:
                return i
        elif text[i] == "\n":
            return i
    return len(text)


def _style(para: str) -> str:
    """The enumeration style a paragraph starts with: '(N)', 'N.', 'N、' …; '' when none."""
    m = g.ENUMERATED.match(para)
    return _ENUM_NUMBER.sub("N", _SPACES.sub("", m.group(0))) if m else ""


def _enumerated_members(later: list[Claim], head: Claim, styles: dict[int, str]) -> list[Claim] | None:
    """"…其中：" ending its paragraph, then （一）…（二）…: the first amount of each item is a part.

    The items are the blocks after the "其中" in the same section that start with the first one's
    enumeration style; blocks of another style (1、 2、 inside （一）) continue the item they stand in.
    Every item must give a part, else no breakdown is read (nothing is guessed). ``later``: the claims after the "其中".
    """
    after = [c for c in later if c.section == head.section]
    if not after:
        return None
    style = styles.get(after[0].block, "")
    if not style:
        return None
    items: list[list[Claim]] = []
    in_items: set[int] = set()  # blocks of the claims in the items so far
    for c in after:
        if styles.get(c.block) == style and c.block not in in_items:
            items.append([c])
            in_items.add(c.block)
        elif items:
            items[-1].append(c)
            in_items.add(c.block)
    members = []
    for item in items:
        part = next((c for c in item if c.depth == 0 and not (c.kind == AMOUNT and (
            c.threshold or c.measure == "prior" or (head.measure or "") != (c.measure or "")))
            and not (c.kind == COUNT and c.count_unit != head.count_unit)), None)
        if part is None:
            return None
        members.append(part)
    return members


def _link_breakdowns(text: str, claims: list[Claim], kind: str, styles: dict[int, str]) -> None:
    """Members of each "其中" breakdown point at its total (the amount/count before "其中").

    A "其中" inside brackets right after an amount breaks down that amount ("运行费12万元（其中：购置费0万元，
    维护费12万元）" is one part of the total before it, not three); the parts of an outer breakdown are the
    amounts at its own bracket depth. "其中：" that ends its paragraph breaks the total down into the
    enumerated items that follow.
    """
    own = [c for c in claims if c.kind == kind and not (kind == AMOUNT and c.threshold)]
    starts = [c.start for c in own]  # ordered: the claims a "其中" looks at are found by bisection
    depth = _depths(text)
    for m in g.BREAKDOWN.finditer(text):
        q = m.start()
        level = depth[q]
        p0, p1 = _paragraph_bounds(text, q)
        if level > 0:
            b = next(i for i in range(q - 1, p0 - 1, -1) if text[i] in "（(" and depth[i] == level - 1)
            blank = b  # a head ends where only whitespace stands before the bracket
            while blank > 0 and text[blank - 1].isspace():
                blank -= 1
            heads = [c for c in own[:bisect.bisect_right(starts, b)] if blank <= c.end <= b]
            if not heads:
                continue
            head, stop = heads[-1], _close_of(text, b)
            members = _breakdown_members(text, _between(own, starts, q, stop), head, q, stop, depth, level)
        else:
            enumerated = not text[m.end():p1].strip(" ：:，,")
            first = 0 if enumerated else bisect.bisect_left(starts, p0)
            before = [c for c in own[first:bisect.bisect_right(starts, q)] if c.end <= q and depth[c.start] == 0]
            after = _first_at(claims, q)
            if enumerated and after is not None:
                before = [c for c in before if c.section == after.section]
            if not before:
                continue
            head = before[-1]
            if head.breakdown_of is not None and head.breakdown_at >= p0 and _FULL_STOP_OR_NEWLINE.search(text[head.end:q]):
                head = claims[head.breakdown_of]  # "…。其中：" after a breakdown breaks down the same total again
            if after is not None and head.section != after.section:
                continue
            if enumerated:
                heads = [head]
                if kind == AMOUNT:
                    s0, s1 = _statement_bounds(text, head.start)
                    heads += [c for c in own if s0 <= c.start < s1 and c is not head and c.measure
                              and c.measure != head.measure and c.measure != "prior"]
                later = own[bisect.bisect_right(starts, q):]
                for h in heads:
                    members = _enumerated_members(later, h, styles)
                    if members and len(members) >= 2:
                        for c in members:
                            c.breakdown_of, c.breakdown_at = h.index, q
                continue
            end = p1
            while end < len(text) and text[:end].rstrip().endswith(("；", ";", "，", ",")):
                end = _paragraph_bounds(text, end + 1)[1]  # "…等；\n公用经费28.44万元…": the statement goes on
            stops = [x for x in (_same_level(text, depth, "其中", m.end(), 0), _same_level(text, depth, "。", m.end(), 0),
                                 end) if x >= 0]
            members = _breakdown_members(text, _between(own, starts, q, min(stops)), head, q, min(stops), depth, 0)
        if len(members) >= 2:  # "A，其中B" alone is no breakdown to add up
            for c in members:
                c.breakdown_of, c.breakdown_at = head.index, q


def _between(own: list[Claim], starts: list[int], q: int, stop: int) -> list[Claim]:
    """The claims starting after ``q`` and before ``stop`` (``starts``: theirs, ordered)."""
    return own[bisect.bisect_right(starts, q):bisect.bisect_left(starts, stop)]


def _same_level(text: str, depth: list[int], what: str, start: int, level: int) -> int:
    i = text.find(what, start)
    while i >= 0 and depth[i] != level:
        i = text.find(what, i + 1)
    return i


def _link_shares(text: str, claims: list[Claim], amounts: list[Claim], starts: list[int], vocab: Vocabulary) -> None:
    numerators = {c.refers_to for c in claims if c.kind == SHARE and c.refers_to is not None}
    for c in claims:
        if c.kind != SHARE:
            continue
        num = claims[c.refers_to] if c.refers_to is not None else None
        if num is not None:
            c.subject_key, c.subject, c.measure = num.subject_key, num.subject, num.measure
        limit = num.start if num is not None else c.start
        earlier = [a for a in amounts[:bisect.bisect_left(starts, limit)] if a.section == c.section]
        if c.denominator_phrase:
            subject = vocab.match(c.denominator_phrase)
            want = squash(_clean_phrase(c.denominator_phrase))
            hits = [a for a in earlier if (subject and a.subject_key == subject.key)
                    or (want and want in squash(a.phrase))]
            c.denominator = hits[-1].index if hits else None
            continue
        if num is not None and num.breakdown_of is not None:
            c.denominator = num.breakdown_of
            continue
        if c.lead_phrase:
            found = vocab.find(c.lead_phrase)
            if found is not None:
                measure = vocab.grammar.measure_of(squash(c.lead_phrase)[found.end:])[0]
                base = _latest(claims, limit, found.subject.key, _own_figure(measure, vocab))
                c.denominator_phrase = c.lead_phrase
                c.denominator = base.index if base is not None else None
                continue
        p0, _ = _paragraph_bounds(text, limit)
        plain = [a for a in earlier if a.index not in numerators]
        in_para = [a for a in plain if a.start >= p0]
        pick = in_para or plain
        c.denominator = pick[-1].index if pick else None


def _first_at(claims: list[Claim], pos: int) -> Claim | None:
    """The first claim starting at or after ``pos`` (claims are ordered by start)."""
    k = bisect.bisect_left(claims, pos, key=_claim_start)
    return claims[k] if k < len(claims) else None


def _claim_start(c: Claim) -> int:
    return c.start


#: at most this many claimless paragraphs are remembered per grammar (then forgotten at once and learnt again)
_CLAIMLESS_KEPT = 1 << 14


@lru_cache(maxsize=None)
def _claimless(grammar: g.Grammar) -> set[str]:
    """Paragraphs in which ``_scan_paragraph`` found no claim and no classification path under ``grammar``
    (what it finds depends on the text and the grammar only). Half a narrative's paragraphs are such, and
    the documents of a run repeat them word for word (headings, statements without numbers): not searched again.
    """
    return set()


def extract_claims(narrative: Narrative, template: Template | None = None, department: str = "") -> list[Claim]:
    """All claims of the narrative, ordered by position; ``Claim.index`` is the list position."""
    template = template or load_template(DEFAULT_TEMPLATE)
    vocab = load_vocabulary(template)
    paras = _paragraphs(narrative)
    claims: list[Claim] = []
    claimless = _claimless(vocab.grammar)
    for p in paras:
        if p.text in claimless:
            continue
        found = _scan_paragraph(p, vocab)
        if not found and not p.paths:
            if len(claimless) >= _CLAIMLESS_KEPT:
                claimless.clear()
            claimless.add(p.text)
        for c in found:
            c.paragraph, c.block = p.index, p.block
        claims.extend(found)
    order = {AMOUNT: 0, COUNT: 0, CHANGE: 1, SHARE: 1, COMPLETION: 1, VERSUS: 1, ITEMS: 2, REASON: 3}
    claims.sort(key=lambda c: (c.start, order[c.kind]))
    starts = [s.start for s in narrative.sentences]
    depth = _depths(narrative.text)
    topic_of_block: dict[int, list[tuple[int, str]]] = {}
    for p in paras:
        for a, _, path in p.paths:
            topic_of_block.setdefault(p.block, []).append((a, path))
    for i, c in enumerate(claims):
        c.index = i
        c.depth = depth[c.start] if c.start < len(depth) else 0
        k = bisect.bisect_right(starts, c.start) - 1
        if k >= 0:
            c.sentence, c.section = narrative.sentences[k].index, narrative.sentences[k].section
        else:
            c.section = next((s.number for s in reversed(narrative.sections) if s.start <= c.start), "")
        topics = [path for a, path in topic_of_block.get(c.block, []) if a < c.start]
        c.topic = topics[-1] if topics else ""
    _link(narrative.text, claims, paras, vocab, department)
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
