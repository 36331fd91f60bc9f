"""One item stated twice in a paragraph with two different amounts ("…住房公积金（项）”350.35万元 … 2024年预算安排352.67万元").

An amount is keyed by what it is the amount of: the item named before it, the
year, and which figure of the item (this year's budget, the prior year's
execution, the 年初预算, the 决算). Clauses that compare ("比上年增加…",
"与2023年预算持平") and thresholds ("单价100万元以上") state no amount of an
item; the parts listed after "其中" are never the total before it; a bare
"2024年预算安排X万元" is the figure of the item the paragraph is about. Two
amounts with the same key and different values contradict each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from budgetkit.checks.text.model import SEVERITY_ERROR, TextFacts, TextProblem
from budgetkit.checks.text.text import (
    AMOUNT,
    CLAUSE_END,
    NUMBERED,
    SENTENCE_END,
    Paragraph,
    excerpt,
    norm_digits,
    paragraphs,
    squash,
)
from budgetkit.checks.text.vocab import phrases

_UNIT = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
_YEAR_AT_START = re.compile(r"^(?P<y>[12][0-9]{3})年度?")
_YEAR_AT_END = re.compile(r"(?P<y>[12][0-9]{3})年度?$")
_TRAILING_NOTE = re.compile(r"[（(](?![类款项][）)])[^（()）]*[）)]$")


@lru_cache(maxsize=1)
def _a() -> dict:
    a = phrases()["amounts"]
    measures = sorted(((w, m) for m, words in a["measures"].items() for w in words), key=lambda x: -len(x[0]))
    fillers = sorted(a["fillers"], key=len, reverse=True)
    generic = sorted(a["generic_words"], key=len, reverse=True)
    return {**a, "measure_words": measures, "filler_words": fillers, "generic_sorted": generic,
            # the same words as one tuple each, to ask str.startswith/endswith at once before finding which
            "any_measure": tuple(w for w, _ in measures), "any_filler": tuple(fillers),
            "any_threshold_before": tuple(a["threshold_before"]), "any_threshold_after": tuple(a["threshold_after"]),
            # what a threshold after an amount starts with: the rest of the words looked at only after one
            "threshold_after_first": frozenset(w[0] for w in a["threshold_after"]),
            # one search for any of the words, and the first generic word (longest first) a subject starts with
            "comparison_in": _any_of(a["comparison_words"]), "generic_at_start": _any_of(generic)}


def _any_of(words: list[str]) -> re.Pattern:
    """The words as one alternation, in their order (a match is the first word that fits, as a loop over them)."""
    return re.compile("|".join(re.escape(w) for w in words)) if words else re.compile(r"(?!)")


@dataclass(frozen=True)
class _Label:
    subject: str  # "" when the label names no item (only a year and a figure: "2024年预算安排")
    year: int | None
    measure: str | None
    qualified: bool  # a year or a figure word was given


@lru_cache(maxsize=4096)  # the same labels ("上年结转", "基本支出") recur in every paragraph and document
def _item_label(lab: str, dept: str) -> _Label | None:
    """What the clause before an amount names it the amount of; None where the clause states no amount of an
    item: a comparison, a threshold, only generic words. Label and department name both squashed."""
    a = _a()
    if (a["comparison_in"].search(lab) or lab.endswith(a["any_threshold_before"])
            or any(w in lab for w in ("单价", "价值"))):
        return None
    parsed = _parse_label(lab, dept)
    return None if parsed.subject and _generic(parsed.subject) else parsed


def _parse_label(s: str, dept: str) -> _Label:
    a = _a()
    m = NUMBERED.match(s)
    if m:
        s = s[m.end():]
    year, measure, qualified = None, None, False
    changed = True
    while changed and s:  # leading: year, filler, the department's own name, figure words
        changed = False
        m = _YEAR_AT_START.match(s)
        if m:
            year, s, changed, qualified = int(m.group("y")), s[m.end():], True, True
            continue
        if dept and s.startswith(dept):
            s, changed = s[len(dept):], True
            continue
        if s.startswith(a["any_filler"]):
            w = next(w for w in a["filler_words"] if s.startswith(w))
            s, changed = s[len(w):], True
        elif s.startswith(a["any_measure"]):
            for w, kind in a["measure_words"]:
                if s.startswith(w) and len(s) > len(w):
                    s, measure, changed, qualified = s[len(w):], measure or kind, True, True
                    break
    changed = True
    while changed and s:  # trailing: filler, figure words, year, a bracketed remark
        changed = False
        # both patterns end the string with 年/年度 or a closing bracket: only searched for when it does
        m = _YEAR_AT_END.search(s) if s.endswith(("年", "年度")) else None
        if m:
            year, s, changed, qualified = year or int(m.group("y")), s[:m.start()], True, True
            continue
        m = _TRAILING_NOTE.search(s) if s.endswith(("）", ")")) else None
        if m and m.start() > 0:
            s, changed = s[:m.start()], True
            continue
        if s.endswith(a["any_filler"]):
            w = next(w for w in a["filler_words"] if s.endswith(w))
            s, changed = s[: -len(w)], True
        elif s.endswith(a["any_measure"]):
            w, kind = next((w, kind) for w, kind in a["measure_words"] if s.endswith(w))
            s, measure, changed, qualified = s[: -len(w)], kind, True, True
    s = s.strip("“”\"'：:")
    return _Label(s.replace("“", "").replace("”", ""), year, measure, qualified)


def _generic(subject: str) -> bool:
    rest, word = subject, _a()["generic_at_start"]
    while rest:
        m = word.match(rest)
        if m is None or not m.end():
            return False
        rest = rest[m.end():]
    return True


@dataclass(slots=True)  # one object per amount, no dict beside it
class _Amount:
    start: int  # where its clause (the label) starts
    end: int
    found: re.Match  # the amount as printed: its value and words read only when another has the same key
    subject: str
    key: tuple

    @property
    def value(self) -> Decimal:
        return Decimal(norm_digits(self.found.group("num")).replace(",", "")) * _UNIT[self.found.group("unit")]

    @property
    def printed(self) -> str:
        return self.found.group().strip()


@lru_cache(maxsize=64)
def _squashed_name(name: str) -> str:
    """The department's name as labels are compared with it (asked for every paragraph with amounts)."""
    return squash(name)


#: everything up to the last clause end (greedy): where the clause before an amount starts, in one match
_UP_TO_LAST_CLAUSE_END = re.compile(rf"(?s:.*)(?:{CLAUSE_END.pattern})")


def _amounts(text: str, para: Paragraph, facts: TextFacts) -> list[_Amount]:
    a = _a()
    default_measure = "final" if facts.kind == "final_accounts" else "budget"
    dept = _squashed_name(facts.department)
    out: list[_Amount] = []
    context: _Amount | None = None
    prev_end = para.start
    for m in AMOUNT.finditer(text, para.start, para.end):
        # a clause ends with one character: none before the previous amount can end after it
        last_end = _UP_TO_LAST_CLAUSE_END.match(text, prev_end, m.start())
        clause_start = last_end.end() if last_end else prev_end
        prev_end = m.end()
        after = text[m.end():m.end() + 10]
        if (norm_digits(after.lstrip()[:1]) in a["threshold_after_first"]
                and squash(after).startswith(a["any_threshold_after"])):
            continue
        lab = squash(text[clause_start:m.start()])
        # the name is only cut from a label holding it: keyed without it otherwise, a label is parsed once for
        # all departments
        parsed = _item_label(lab, dept if dept and dept in lab else "")
        if parsed is None:
            continue
        subject = parsed.subject
        if not subject:
            if not parsed.qualified or context is None or _in_breakdown(text, context.end, m.start()):
                continue
            subject = context.subject
        measure = parsed.measure or default_measure
        if facts.kind == "final_accounts" and measure == "budget":
            measure = "initial"  # in a 决算 "预算数" is the 年初预算
        year = parsed.year or facts.year
        amt = _Amount(clause_start, m.end(), m, subject, (subject, year, measure))
        out.append(amt)
        if parsed.subject:
            context = amt
    return out


def _in_breakdown(text: str, after: int, before: int) -> bool:
    """A "其中" opened between the two positions and still open (no sentence end since): a part, not the whole."""
    word = _a()["breakdown_word"]
    i = text.rfind(word, after, before)
    return i >= 0 and not SENTENCE_END.search(text, i, before)


def check_conflicting_amounts(text: str, facts: TextFacts) -> list[TextProblem]:
    out: list[TextProblem] = []
    for para in paragraphs(text):
        if para.text.count("元") < 2:  # every unit ends in 元: fewer than two amounts, nothing to contradict
            continue
        first: dict[tuple, _Amount] = {}
        for amt in _amounts(text, para, facts):
            seen = first.get(amt.key)
            if seen is None:
                first[amt.key] = amt
                continue
            if seen.value == amt.value or _in_breakdown(text, seen.end, amt.start):
                continue
            start = amt.start + len(text[amt.start:amt.end]) - len(text[amt.start:amt.end].lstrip(" \u3000"))
            out.append(TextProblem(
                "conflicting_amounts", SEVERITY_ERROR, start, amt.end, excerpt(text, para, start, amt.end),
                seen.printed, amt.printed,
                f"同一段中“{amt.subject}”的金额前后不一致：先写作{seen.printed}，后写作{amt.printed}"))
    return out
