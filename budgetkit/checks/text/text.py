"""Paragraphs, clauses, headings and excerpts: the shapes every text check reads.

The narrative comes as one paragraph per line. Whether a line is a heading, a
title, a table row, a date or prose decides which checks apply to it, so that
decision is made once, here, from the line's own shape (numbering, punctuation,
amounts, column gaps), never from what one document happens to say.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from budgetkit.checks.claims.grammar import AMOUNT  # opens on a digit: searched fast
from budgetkit.checks.text.model import SEVERITY_WARNING, TextProblem
from budgetkit.checks.text.vocab import phrases

CN_NUM = "一二三四五六七八九十百零〇"
FW_DIGITS = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_WS = " \t\u3000\u00a0"

#: a numbered heading or list item: 第一部分 / 一、 / （一） / (一) / 1、 / 1. / （1）
NUMBERED = re.compile(
    rf"^(?:第[{CN_NUM}]+部分|[{CN_NUM}]{{1,3}}\s*[、.．]|[（(]\s*[{CN_NUM}]{{1,3}}\s*[）)]\s*[、.．]?"
    rf"|[0-9０-９]{{1,2}}\s*[、．](?![0-9０-９])|[0-9０-９]{{1,2}}\.(?![0-9０-９])|[（(]\s*[0-9０-９]{{1,2}}\s*[）)])"
)
#: the numbering a heading may start with (for patterns anchored after it)
HEADING_LEAD = (r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]"
                r"|[0-9０-９]{1,2}\s*[、.．])?\s*")
#: "2024年" / "2024 年度" as a regular-expression fragment
YEAR_WORD = r"[12０-２][0-9０-９]{3}\s*年\s*度?\s*"
#: a four-digit year and its 年 (full-width digits allowed, spaces as letter-spacing leaves them); no digit before
#: it, asked after its first digit is read: a pattern opening on a character class is searched for that class
#: alone, far faster than trying every position
YEAR = re.compile(r"(?P<y>[12０-２](?<![0-9０-９][12０-２])[0-9０-９]{3})\s*年(?P<du>度)?")
#: YYYY年M月(D日): a date, not a year named as such
DATE_AFTER_YEAR = re.compile(r"\s*[0-9０-９]{1,2}\s*月")
#: punctuation that ends a clause; an ASCII comma between digits is a thousands separator, not a clause end
CLAUSE_END = re.compile(r"[，；。！？：、;!?:]|,(?![0-9]{3})")
CLAUSE_PUNCT = re.compile(r"[，；。！？、;!?]|,(?![0-9]{3})")
SENTENCE_END = re.compile(r"[。！？!?；;]")
#: a gap of two or more spaces between printed words: a table row, not prose
COLUMN_GAP = re.compile(r"\S[ \u3000]{2,}\S")
#: two spaces in a row, as every column gap holds: a line without any has none
_TWO_SPACES = ("  ", " \u3000", "\u3000 ", "\u3000\u3000")


_FULL_WIDTH_FIGURE = re.compile("[０-９．]")


def norm_digits(s: str) -> str:
    """Full-width digits, point and comma half-width.

    The comma (in nearly every Chinese sentence) is replaced on its own, much faster than translating; the
    rest, which most text has none of, is translated only when there is some."""
    if "，" in s:
        s = s.replace("，", ",")
    return s.translate(FW_DIGITS) if _FULL_WIDTH_FIGURE.search(s) else s


def squash(s: str) -> str:
    """Without spaces (PDF letter-spacing: any whitespace str.split sees, the ideographic space too), digits half-width."""
    return norm_digits("".join(s.split()))


@dataclass(frozen=True, slots=True)  # slots: one object per paragraph, no dict beside it
class Paragraph:
    index: int
    start: int  # offset of the first printed character
    end: int  # offset after the last printed character
    text: str  # text[start:end]


class _Paragraphs(tuple):
    """A text's paragraphs in order, with where each starts (to find the one holding an offset by bisection)."""

    starts: list[int]


@lru_cache(maxsize=4)
def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """The printed paragraphs (lines) of a text; made once per narrative, every check reads them."""
    out: list[Paragraph] = []
    offset = 0
    for i, line in enumerate(text.split("\n")):
        lead = len(line) - len(line.lstrip(_WS + "\r"))
        body = line.strip(_WS + "\r")
        if body:
            out.append(Paragraph(i, offset + lead, offset + lead + len(body), body))
        offset += len(line) + 1
    found = _Paragraphs(out)
    found.starts = [p.start for p in out]
    return found


_PERCENT = re.compile(r"[0-9０-９]\s*[%％]")


def has_amount(s: str) -> bool:
    """An amount (every money unit ends in 元) or a percentage; the patterns only searched when their mark is there."""
    return bool("元" in s and AMOUNT.search(s)) or bool(("%" in s or "％" in s) and _PERCENT.search(s))


def is_numbered(s: str) -> bool:
    return bool(NUMBERED.match(s))


#: what counts as a figure of a table row, before ``norm_digits`` (full-width digits are digits already)
_FIGURE_MARKS = ".,%-—．，"


@lru_cache(maxsize=1024)
def is_table_like(s: str) -> bool:
    """Two column gaps, mostly figures, or cells side by side ("≥85% 服务对象"): a table row that strayed into the text.

    Kept per line: several checks ask it of some paragraphs."""
    if any(gap in s for gap in _TWO_SPACES) and len(COLUMN_GAP.findall(s)) >= 2:
        return True
    if (not CLAUSE_PUNCT.search(s) and re.search(r"\S[ \u3000]\S", s.strip()) and len(squash(s)) <= 30
            and (has_amount(s) or re.search(r"[≥≤＜＞<>]", s))):
        return True
    body = "".join(s.split())  # what re.sub(r"\s", "", s) gives: str.split and \s both split at str.isspace
    n = len(body)
    if n < 6:
        return False
    figures = others = 0
    for ch in body:  # counted until the figures can no longer be more than 60 %
        if ch.isdigit() or ch in _FIGURE_MARKS:
            figures += 1
        else:
            others += 1
            if (n - others) / n <= 0.6:
                return False
    return figures / n > 0.6


def is_bracket_note(s: str) -> bool:
    """A paragraph that is one bracketed remark: "（项目绩效目标表公开情况见附件）"."""
    if not (s[:1] in "（(" and s[-1:] in "）)"):
        return False
    depth = 0
    for i, ch in enumerate(s):
        depth += ch in "（("
        depth -= ch in "）)"
        if depth == 0 and i < len(s) - 1:
            return False
    return depth == 0


#: cited titles and document numbers: 《…》, 〔2023〕, （晋财购[2018]39号）
#: (the opening mark is read first and each alternative looks back at which it was: a pattern opening on a
#: character class is searched for that class alone, instead of trying every alternative at every character)
CITED = re.compile(r"[《〈<〔【\[（(](?:(?<=《)[^《》]*》|(?<=〈)[^〈〉]*〉|(?<=<)[^<>]*>|(?<=[〔【\[])[^〔〕【】\[\]]*[〕】\]]"
                   r"|(?<=[（(])[^（()）]*号[）)])")


def is_title(s: str) -> bool:
    """A line with no clause punctuation and no amount, short: a heading, title, signature or label.

    Cited document titles (《…》) and numbers (〔2023〕36号) do not count towards the length."""
    return _is_squashed_title(squash(s))


def _is_squashed_title(body: str) -> bool:
    p = phrases()["punctuation"]
    uncited = CITED.sub("", body)
    if CLAUSE_PUNCT.search(uncited.rstrip("。：:")) or has_amount(body):
        return False
    return len(uncited) <= p["title_max_chars"]


@lru_cache(maxsize=1024)
def is_heading(s: str) -> bool:
    """A numbered line without sentence punctuation inside, or a title line (kept per line: checks ask it often)."""
    body = squash(s)
    if is_numbered(body):
        inner = body.rstrip("。：:")
        return not re.search(r"[，；。,;]", inner) and len(inner) <= 60
    return _is_squashed_title(body)


def is_date_line(s: str) -> bool:
    body = squash(s)
    return bool(re.search(r"[0-9]{4}年[0-9]{1,2}月([0-9]{1,2}日)?", body)) and len(body) <= 40 and not re.search(
        r"[，；。]", body)


def clause_bounds(text: str, para: Paragraph, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end) within the paragraph, with its closing mark."""
    s = para.start
    for m in CLAUSE_END.finditer(text, para.start, start):
        s = m.end()
    if end > start and CLAUSE_END.fullmatch(text[end - 1]):
        return s, end  # the problem ends its clause
    e = para.end
    m = CLAUSE_END.search(text, max(end, s), para.end)
    if m:
        e = m.end()
    return s, max(e, end)


def _widen_over_amounts(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    amount_chars = re.compile(r"[0-9０-９.．,，万亿元%％]")
    while s > lo and amount_chars.match(text[s - 1]) and amount_chars.match(text[s]):
        s -= 1
    while e < hi and amount_chars.match(text[e - 1]) and amount_chars.match(text[e]):
        e += 1
    return s, e


def excerpt(text: str, para: Paragraph, start: int, end: int, limit: int = 80) -> str:
    """The clause as printed; a long one trimmed around the problem, never inside an amount."""
    s, e = clause_bounds(text, para, start, end)
    if e - s > limit:
        s = max(s, start - limit // 3)
        e = min(e, max(end + limit // 3, s + limit))
        s, e = _widen_over_amounts(text, s, e, para.start, para.end)
    return text[s:e].strip(_WS)


def paragraph_of(paras: list[Paragraph], offset: int) -> Paragraph | None:
    """The paragraph holding ``offset`` (its end included); paragraphs never touch, so there is one at most."""
    starts = getattr(paras, "starts", None)
    if starts is not None:  # as ``paragraphs`` gives them: the last one starting at or before the offset
        k = bisect_right(starts, offset) - 1
        return paras[k] if k >= 0 and offset <= paras[k].end else None
    for p in paras:
        if p.start <= offset <= p.end:
            return p
    return None


class Problems:
    """The problems one check finds in a text, each span reported once: a span overlapping one already
    reported is the same problem seen by a second pattern. Iterating gives them in found order."""

    def __init__(self, check: str, text: str, paras: list[Paragraph]):
        self.check, self.text, self.paras = check, text, paras
        self.found: list = []

    def add(self, start: int, end: int, expected: str, message: str, severity: str = SEVERITY_WARNING) -> None:
        if any(p.start < end and start < p.end for p in self.found):
            return
        para = paragraph_of(self.paras, start)
        if para is None:
            return
        self.found.append(TextProblem(self.check, severity, start, end, excerpt(self.text, para, start, end),
                                      expected, self.text[start:end], message))

    def __iter__(self):
        return iter(self.found)
