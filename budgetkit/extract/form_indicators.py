"""The 绩效指标 rows of a performance form, both periods.

The form prints 实施期 (left) and 年度 (right) halves on the same rows, so the
extracted stream reads, per level-2 group: left label, left row 1, right label,
right row 1, then for every further row: left name+value, right name+value.
Cell boundaries survive only as breaks (space/newline). Two general facts settle
them: the right half repeats the left half's name (its columns are narrower, so
it wraps differently), and a name/value boundary is a break in both halves
while a wrap inside a cell usually is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetkit.core.model import Indicator
from budgetkit.extract.form_stream import Cell, Stream

#: Level-2 indicator labels in printed order, with their level-1 group.
LEVEL2 = [
    ("数量指标", "产出指标"), ("质量指标", "产出指标"), ("时效指标", "产出指标"), ("成本指标", "产出指标"),
    ("经济效益指标", "效益指标"), ("社会效益指标", "效益指标"), ("生态效益指标", "效益指标"),
    ("可持续影响指标", "效益指标"), ("服务对象满意度指标", "满意度指标"),
]
LEVEL1_OF = dict(LEVEL2)
_LEVEL1_TAIL = {"产出指标": r"产出(?:指标?)?$", "效益指标": r"效益(?:指标?)?$", "满意度指标": r"满意度?(?:指标?)?$"}
_JUNK = re.compile(r"^[指标度]+$")  # label tails pushed elsewhere by a page break

_CMP = "≥≤<>＜＞=≈≧≦"
_UNIT = r"[%％‰a-zA-Z个家人天时分钟秒元万亿千百台套件次箱支张本册份篇项条户所辆米平方立吨公里亩年月日周期批场座栋间处名位班课学工作斤度季轮小/／·]*"
_NUM = rf"[{_CMP}]*\d[\d,]*(?:\.\d+)?"
#: A half-row (name + value) spans at most this many breaks; bounds the search.
_MAX_BREAKS = 24
NUMERIC_VALUE = re.compile(rf"^{_NUM}(?:[-~～至]{_NUM})?{_UNIT}$")


def _tolerant(label: str) -> str:
    """The label, accepting a tail cut off by a page break (stem must remain)."""
    keep = len(label) - (3 if label.endswith("度指标") else 2)
    pattern = ""
    for ch in reversed(label[keep:]):
        pattern = f"(?:{re.escape(ch)}{pattern})?"
    return re.escape(label[:keep]) + pattern


@dataclass
class _Marker:
    level2: str
    start: int
    end: int


def _markers(stream: Stream, a: int, b: int) -> list[_Marker]:
    found: list[_Marker] = []
    for label, _ in LEVEL2:
        full = stream.find_all(re.escape(label), a, b)
        hits = full if len(full) >= 2 else stream.find_all(_tolerant(label), a, b)
        found += [_Marker(label, s, e) for s, e, _ in hits]
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[_Marker] = []
    for m in found:
        if not out or m.start >= out[-1].end:
            out.append(m)
    return out


def _strip(stream: Stream, s: int, e: int, next_level1: str | None, prev_level1: str | None,
           at_end: bool) -> Cell:
    """Segment text without level-1 labels and stray label tails."""
    pieces = stream.pieces(s, e)
    while pieces and _JUNK.match(pieces[0].text):
        pieces.pop(0)
    if at_end:
        while pieces and _JUNK.match(pieces[-1].text):
            pieces.pop()
    if not pieces:
        return Cell("", {})
    s, e = pieces[0].start, pieces[-1].start + len(pieces[-1].text)
    if next_level1 and next_level1 != prev_level1:
        text = stream.text[s:e]
        m = re.search(_LEVEL1_TAIL[next_level1], text)
        if m and (s + m.start()) in {p.start for p in pieces}:
            e = s + m.start()
    return stream.cell(s, e)


def split_cell(x: Cell, other: Cell | None = None) -> tuple[str, str]:
    """(name, value) of one half-row. A break shared with the other half's identical
    text is a cell boundary; a numeric value is preferred, else the last boundary."""
    if other is not None and other.text == x.text:
        cands = (set(x.breaks) & set(other.breaks)) or (set(x.breaks) | set(other.breaks))
    else:
        cands = set(x.breaks)
    cands = sorted(c for c in cands if 0 < c < len(x.text))
    numeric = [c for c in cands if NUMERIC_VALUE.match(x.text[c:])]
    if numeric:
        c = numeric[0]
    elif cands:
        c = cands[-1]
    else:
        return x.text, ""
    name, value = x.text[:c], x.text[c:]
    while len(name) > 1 and name[-1] in _CMP:
        name, value = name[:-1], name[-1] + value
    return name, value


def _same_indicator(left: Cell, right: Cell) -> bool:
    """Same indicator in both halves (values may differ; a name may lose a page-cut tail)."""
    if len(left.text) < 2 or len(right.text) < 2 or left.text[:2] != right.text[:2]:
        return False
    (nl, vl), (nr, vr) = split_cell(left), split_cell(right)
    return bool(vl and vr) and (nl == nr or nl.startswith(nr) or nr.startswith(nl))


def _pairs(r: Cell) -> list[tuple[Cell, Cell]] | None:
    """Split 'L1 R1 L2 R2 …' into (left, right) rows; exact repeats first."""
    n = len(r.text)
    breaks = sorted(r.breaks)
    memo: dict[int, list | None] = {}

    def go(pos: int):
        if pos == n:
            return []
        if pos in memo:
            return memo[pos]
        memo[pos] = None
        cands = [k for k in breaks if k > pos][:_MAX_BREAKS]
        for k in cands:
            size = k - pos
            if r.text[k:k + size] == r.text[pos:k] and (k + size == n or k + size in r.breaks):
                rest = go(k + size)
                if rest is not None:
                    memo[pos] = [(r.cut(pos, k), r.cut(k, k + size))] + rest
                    return memo[pos]
        for k in cands:
            left = r.cut(pos, k)
            for e in [x for x in cands if x > k] + [n]:
                if _same_indicator(left, r.cut(k, e)):
                    rest = go(e)
                    if rest is not None:
                        memo[pos] = [(left, r.cut(k, e))] + rest
                        return memo[pos]
        return None

    return go(0)


def _group_rows(a: Cell, b: Cell) -> tuple[list[tuple[Cell, Cell]], str | None]:
    """Rows of one level-2 group from its left segment ``a`` and right segment ``b``."""
    if not a.text and not b.text:
        return [], None
    if not a.text:
        rows = _pairs(b)
        return (rows, None) if rows is not None else ([], "left half empty, right half unreadable")
    n = len(b.text)
    exact = len(a.text) if b.text.startswith(a.text) and (len(a.text) == n or len(a.text) in b.breaks) else None
    for e in ([exact] if exact else []) + sorted(k for k in b.breaks if k > 0)[:_MAX_BREAKS] + [n]:
        if e != exact and not _same_indicator(a, b.cut(0, e)):
            continue
        rest = _pairs(b.cut(e, n))
        if rest is not None:
            return [(a, b.cut(0, e))] + rest, None
    return [(a, b)], "rows could not be separated; right half taken whole"


def parse_indicators(stream: Stream, a: int, b: int) -> tuple[list[Indicator], list[str], list[str]]:
    """Indicators of the region [a, b) (after the header, before the signature lines),
    with problems (rows lost or doubtful) and remarks (settled, worth knowing)."""
    marks = _markers(stream, a, b)
    problems: list[str] = []
    remarks: list[str] = []
    if not marks:
        return [], ["no level-2 indicator labels found"], []
    segs = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start if i + 1 < len(marks) else b
        nxt = LEVEL1_OF[marks[i + 1].level2] if i + 1 < len(marks) else None
        segs.append(_strip(stream, m.end, end, nxt, LEVEL1_OF[m.level2], i + 1 == len(marks)))
    out: list[Indicator] = []
    i = 0
    while i < len(marks):
        label = marks[i].level2
        if i + 1 < len(marks) and marks[i + 1].level2 == label:
            rows, problem = _group_rows(segs[i], segs[i + 1])
            i += 2
        else:
            rows = _pairs(segs[i]) or []
            problem = None if rows or not segs[i].text else "unpaired label, rows unreadable"
            i += 1
        if problem:
            problems.append(f"{label}: {problem}")
        for left, right in rows:
            same = left.text == right.text
            pair = []
            for period, half, other in (("implementation", left, right), ("annual", right, left)):
                name, value = split_cell(half, other if same else None)
                pair.append(Indicator(period, LEVEL1_OF[label], label, name, value))
            if pair[0].name != pair[1].name:
                remarks.append(f"{label}: name differs between periods: {pair[0].name!r} / {pair[1].name!r}")
                longer = max(pair[0].name, pair[1].name, key=len)
                if all(longer.startswith(half.name) for half in pair):  # a page break cut one tail
                    for half in pair:
                        half.name = longer
            out += pair
    return out, problems, remarks
