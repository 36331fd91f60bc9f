"""Money written in a performance form's prose and indicators (not the narrative), for checking against its funds.

``itemised(text)``: the items a description lists with their amounts
("办公费17万元，咨询费4万元…", "1.…运维费4.85万元；2.…"), leaving out rates
(元/年), thresholds (400万元以上), context sums (总投资) and stated totals
(共计…), which ``stated_totals`` returns. ``cost_terms(form, period)``: the
cost indicators as exact amounts, unit price × matched quantity, or bounds.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from budgetkit.checks.claims import grammar as g
from budgetkit.core.model import PerformanceForm
from budgetkit.core.money import parse_amount, to_fen
from budgetkit.core.words import squash

#: "1." / "2、" opening an item: at the start or after a separator. What comes before the number is asked after its
#: first digit is read, so the pattern opens on a character class and is searched for digits alone
_NUMBERED = re.compile(r"(\d(?<![^；;。，,：:\s]\d)\d?)\s*[.、．](?!\d)")
_NOT_ITEM = re.compile(r"以上|以下|以内|不超过|不低于|达到|（含|\(含|上限|标准|总投资|投资额|投资总额|合同额|预计总|概算|估算")
_TOTAL = re.compile(r"共计|合计|总计|总额|共需|总共")
_LEAD = re.compile(r"^(?:需申请|申请|需要|需|其中|包括|包含|主要用于|用于|安排|以及|及|和|另有|另)+")
_CLAUSE = re.compile(r"[，,；;。：:]")
_ITEM_SEPARATOR = re.compile(r"[，,；;。：:、]")  # what begins an item's name in a list
_NAME_END = re.compile(r"(为|是|约|每年|费用每年|共)$")  # words between an item's name and its amount


@dataclass
class Item:
    name: str  # as written, whitespace removed
    fen: int
    text: str

    @property
    def key(self) -> str:
        return squash(self.name)


@lru_cache(maxsize=256)  # itemised and stated_totals read the same section one after the other
def _amounts(text: str) -> tuple[tuple[re.Match, int], ...]:
    if "元" not in text:  # every money unit ends in 元: most sections (依据, 计划, 目标) state none
        return ()
    out = []
    for m in g.AMOUNT.finditer(text):
        try:
            out.append((m, to_fen(parse_amount(m.group("num")), m.group("unit"))))
        except Exception:  # a malformed number is simply not an item
            continue
    return tuple(out)


def _clean(name: str) -> str:
    name = "".join(name.split())  # whitespace removed (str.split: what \s matches)
    name = _LEAD.sub("", name)
    return _NAME_END.sub("", name)


def _numbered_items(text: str) -> list[Item]:
    marks = list(_NUMBERED.finditer(text))
    out = []
    for i, m in enumerate(marks):
        seg = text[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        found = [(a, fen) for a, fen in _amounts(seg) if not _NOT_ITEM.search(_clause(seg, a.start()))]
        if len(found) != 1:
            continue
        a, fen = found[0]
        head = _CLAUSE.split(seg[:a.start()], maxsplit=1)[0]
        out.append(Item(_clean(head) or f"第{m.group(1)}项", fen, seg[:a.end()].strip()))
    return out


def _clause(text: str, pos: int) -> str:
    """The clause around ``pos``: from after the last separator before it to the next one at or after it."""
    return text[_after_last_separator(text, pos, _CLAUSE):_next_separator(text, pos)]


@lru_cache(maxsize=512)  # every amount of a text asks for its clause: the text is scanned once
def _separators(text: str, separators: re.Pattern) -> tuple[int, ...]:
    """Where the text has a (one-character) separator, in order."""
    return tuple(m.start() for m in separators.finditer(text))


def _after_last_separator(text: str, pos: int, separators: re.Pattern) -> int:
    """Just after the last separator before ``pos`` (0 when there is none)."""
    at = _separators(text, separators)
    i = bisect_left(at, pos)
    return at[i - 1] + 1 if i else 0


def _next_separator(text: str, pos: int) -> int:
    """The first clause separator at or after ``pos`` (the text's end when there is none)."""
    at = _separators(text, _CLAUSE)
    i = bisect_left(at, pos)
    return at[i] if i < len(at) else len(text)


def itemised(text: str) -> list[Item]:
    """Items with amounts listed in a description; [] when it lists fewer than two."""
    return list(_itemised(text)) if "元" in text else []  # no 元, no amount: nothing to itemise


@lru_cache(maxsize=256)  # a form's 年度目标 often repeats its 项目概况 word for word
def _itemised(text: str) -> tuple[Item, ...]:
    items = _numbered_items(text)
    if len(items) < 2:
        items = []
        for a, fen in _amounts(text):
            clause = _clause(text, a.start())
            if _NOT_ITEM.search(clause) or _TOTAL.search(clause):
                continue
            start = _after_last_separator(text, a.start(), _ITEM_SEPARATOR)
            items.append(Item(_clean(text[start:a.start()]), fen, text[start:a.end()].strip()))
    return tuple(items) if len(items) >= 2 else ()


def stated_totals(text: str) -> list[Item]:
    """'共计运维费47600元' — totals the description states for the whole project."""
    out = []
    for a, fen in _amounts(text):
        clause = _clause(text, a.start())
        if _TOTAL.search(clause) and not _NOT_ITEM.search(clause):
            out.append(Item(_clean(clause[:clause.find(a.group(0)[:1])]) or "合计", fen, clause.strip()))
    return out


# ---------------------------------------------------------------- cost indicators

_VALUE = re.compile(rf"^(?P<cmp>[≤≥<>＜＞]|不超过|不高于|不低于)?\s*(?P<num>{g.NUM})\s*(?P<unit>万元|元)?"
                    r"\s*(?:[/／每]\s*(?P<per>\S+))?$")
_QUANTITY = re.compile(rf"^(?P<cmp>[≤≥<>＜＞])?(?P<num>{g.NUM})(?P<noun>[^\d%％元]+)$")
_UP_TO = ("≤", "<", "＜", "不超过", "不高于")


@dataclass
class Term:
    """One cost indicator's share of the fund: exact when low == high, a bound otherwise."""

    text: str
    low: int
    high: int | None  # None: unbounded above


def parse_value(value: str):
    m = _VALUE.match("".join((value or "").split()))  # whitespace removed (str.split: what \s matches)
    if not m:
        return None
    return m.group("cmp") or "", Decimal(parse_amount(m.group("num"))), m.group("unit") or "", m.group("per") or ""


def _name_core(name: str) -> str:
    return re.sub(r"(运维费|维护费|费用|费|数量|使用量|量|数)$", "", squash(name))


def _quantity(form: PerformanceForm, period: str, name: str, per: str):
    """The 数量指标 a unit price multiplies: same unit noun, or the same name when the noun is generic."""
    best = None
    for ind in form.indicators:
        if ind.period != period or "数量" not in ind.level2:
            continue
        m = _QUANTITY.match(re.sub(r"\s+", "", ind.value or ""))
        if not m:
            continue
        cmp, number, noun = m.group("cmp") or "", Decimal(parse_amount(m.group("num"))), m.group("noun")
        core, qcore = _name_core(name), _name_core(ind.name)
        related = bool(qcore) and (qcore in core or core in qcore)
        if noun == per and (related or best is None):
            best = (cmp, number, ind)
        elif noun in ("个", "项") and related:
            best = (cmp, number, ind)
    return best


def cost_terms(form: PerformanceForm, period: str) -> list[Term] | None:
    """The cost indicators of a period as fund shares; None when one of them cannot be turned into money."""
    terms = []
    years = 1 if period == "annual" else (form.period_years or 1)
    for ind in form.indicators:
        if ind.period != period or "成本" not in ind.level2:
            continue
        v = parse_value(ind.value)
        if v is None or not v[2]:
            if "元" in (ind.value or ""):
                return None  # money we cannot read: the arithmetic is not explicit
            continue
        cmp, price, unit, per = v
        fen = to_fen(price, unit) if (price * (100 if unit == "元" else 1_000_000)) % 1 == 0 else None
        if fen is None:
            return None
        label = f"{ind.name}{ind.value}"
        if per:
            if per == "年":
                qty = (("", Decimal(years), None))
            else:
                qty = _quantity(form, period, ind.name, per)
            if qty is None:
                return None
            qcmp, number, qind = qty
            fen = int(fen * number)
            label = f"{ind.name}{ind.value}×{number}" + (f"（{qind.name}）" if qind is not None else "年")
            cmp = cmp or qcmp
        if cmp in _UP_TO:
            terms.append(Term(label, 0, fen))
        elif cmp:
            terms.append(Term(label, fen, None))
        else:
            terms.append(Term(label, fen, fen))
    return terms
