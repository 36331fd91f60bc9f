"""The 项目资金 block of a performance form: 实施期 and 年度 amounts by source, in 分.

The block interleaves the two periods row by row (left label, left value, right
label, right value) with labels wrapped and spaced, and numbers wrapped across
lines ('3,000,0' + '00'), sometimes with other tokens in between. Each number is
assigned to the row whose label last preceded it; within a row, each printing
of the label moves one column right (left label: 实施期, right label: 年度), so a
blank left cell is still told apart from a blank right one.
"""

from __future__ import annotations

import re

from budgetkit.core.errors import BadAmount
from budgetkit.core.model import FUND_SOURCES, FUND_SOURCES_CN, PERIODS, PERIODS_CN
from budgetkit.core.money import parse_amount, to_fen
from budgetkit.extract.form_stream import Token

#: Row keyword (in whitespace-free label text) → fund source.
_ROW_KEYS = [(r"资金总|总额", "total"), (r"中央", "central"), (r"省级", "provincial"),
             (r"市县|县（区）|县\(区\)", "local"), (r"自筹", "self_raised"), (r"其他", "other")]
_LABEL_CHARS = set("项目资金（元）()实施期总额：:年度其中中央财政省级市县区单位自筹其他")
_BLANK = {"-", "—", "－", "/", "／"}
_NUMBER = re.compile(r"^[\d,，.]+$")
_BROKEN = re.compile(r"^\d{1,3}(?:,\d{3})*,(\d{0,2})$")  # last thousands group short


def _complete_wrapped(tokens: list[Token]) -> tuple[list[Token], list[str]]:
    """Join a number whose thousands group is cut ('360,0') with the next pure-digit
    token of exactly the missing length ('00'), even if other tokens come between."""
    out, used, notes = [], set(), []
    for i, t in enumerate(tokens):
        if i in used:
            continue
        m = _BROKEN.match(t.text)
        if m:
            missing = 3 - len(m.group(1))
            for j in range(i + 1, min(len(tokens), i + 9)):
                if j not in used and re.fullmatch(rf"\d{{{missing}}}", tokens[j].text):
                    used.add(j)
                    notes.append(f"'{t.text}' + '{tokens[j].text}' (lines {t.line_no}, {tokens[j].line_no})")
                    t = Token(t.text + tokens[j].text, t.start, t.line_no, t.newline)
                    break
        out.append(t)
    return out, notes


def _row_of(label_text: str) -> tuple[str | None, int]:
    """The last row keyword in the label text and how often that row's label occurs
    after the previous row keyword (1 = left label only, 2 = both labels)."""
    hits = []
    for pattern, source in _ROW_KEYS:
        hits += [(m.start(), source) for m in re.finditer(pattern, label_text)]
    if not hits:
        return None, 0
    hits.sort()
    last = hits[-1][1]
    count = 0
    for _, source in reversed(hits):
        if source != last:
            break
        count += 1
    return last, count


def parse_funds(tokens: list[Token], where: str, source_name: str) -> tuple[dict, list[str]]:
    """{period: {source: 分 or None}} and wrapped-value notes; BadAmount on a non-number."""
    funds = {p: {s: None for s in FUND_SOURCES} for p in PERIODS}
    tokens, notes = _complete_wrapped(tokens)
    label = ""
    row, seen = None, 0
    for t in tokens:
        if _NUMBER.match(t.text):
            found, count = _row_of(label)
            if found is not None and found == row:
                seen += count  # the right-hand label came between the two values
            elif found is not None:
                row, seen = found, count
            elif row is None:
                raise BadAmount(f"{where}: amount '{t.text}' before any fund label", file=source_name)
            else:
                seen += 1
            label = ""
            if seen > 2:
                raise BadAmount(f"{where}: more than two amounts for {FUND_SOURCES_CN[row]}", file=source_name)
            period = PERIODS[seen - 1]
            try:
                funds[period][row] = to_fen(parse_amount(t.text), "元")
            except BadAmount:
                raise BadAmount(f"{where}: {PERIODS_CN[period]}{FUND_SOURCES_CN[row]} '{t.text}' is not an amount",
                                file=source_name) from None
            continue
        if t.text in _BLANK:
            continue
        stray = [c for c in t.text if c not in _LABEL_CHARS]
        if stray:
            found, count = _row_of(label)
            cell = FUND_SOURCES_CN.get(found or row or "total", "")
            raise BadAmount(f"{where}: fund cell {cell} holds '{t.text}', not an amount", file=source_name)
        label += t.text
    return funds, notes
