"""A form block as one whitespace-free character stream that remembers its breaks.

PDF extraction wraps and spaces labels at random ('年 度 资 金 总\\n额：'), so
labels are found in the text with all whitespace removed; the positions of the
removed breaks (space or newline) are kept because they are the only trace of
the cell boundaries.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

NEWLINE, SPACE = "\n", " "


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offset in Stream.text
    line_no: int  # source line number
    newline: bool  # first token on its printed line


@dataclass(frozen=True)
class Cell:
    """A piece of the stream: text without whitespace, breaks at relative offsets."""

    text: str
    breaks: dict[int, str]

    def __len__(self) -> int:
        return len(self.text)

    def cut(self, a: int, b: int) -> "Cell":
        return Cell(self.text[a:b], {k - a: v for k, v in self.breaks.items() if a < k < b})


class Stream:
    def __init__(self, lines: list[tuple[int, str]]):
        self.tokens: list[Token] = []
        #: lines printed with a leading space: in this extraction, the first line of a page
        self.page_starts = {no for no, line in lines if line[:1].isspace() and line.strip()}
        parts: list[str] = []
        offset = 0
        for no, line in lines:
            for i, piece in enumerate(line.split()):
                self.tokens.append(Token(piece, offset, no, i == 0))
                parts.append(piece)
                offset += len(piece)
        self.text = "".join(parts)
        self._starts = {t.start: t for t in self.tokens}
        self._ends = {t.start + len(t.text) for t in self.tokens}
        self._offsets = [t.start for t in self.tokens]  # increasing: tokens are in stream order

    def _overlapping(self, a: int, b: int) -> list[Token]:
        """The tokens that overlap [a, b), found by bisection (forms are read piece by piece, hundreds of times)."""
        return self.tokens[max(bisect_right(self._offsets, a) - 1, 0):bisect_left(self._offsets, b)]

    def find(self, pattern: str, start: int = 0, end: int | None = None, *, aligned: bool = True):
        """First regex match in [start, end) that begins at a token start (and, if
        ``aligned``, also ends at a token end). Returns (a, b, matched text) or None."""
        end = len(self.text) if end is None else end
        for m in re.finditer(pattern, self.text[start:end]):
            a, b = start + m.start(), start + m.end()
            if a in self._starts and (not aligned or b in self._ends):
                return a, b, m.group(0)
        return None

    def find_all(self, pattern: str, start: int = 0, end: int | None = None):
        end = len(self.text) if end is None else end
        return [(start + m.start(), start + m.end(), m.group(0))
                for m in re.finditer(pattern, self.text[start:end]) if start + m.start() in self._starts]

    def cell(self, a: int, b: int) -> Cell:
        return Cell(self.text[a:b], {t.start - a: NEWLINE if t.newline else SPACE
                                     for t in self._overlapping(a, b) if a < t.start < b})

    def render(self, a: int, b: int) -> str:
        """Text of [a, b) as printed: spaces kept inside a line, line breaks joined."""
        out = []
        for t in self._overlapping(a, b):
            s, e = max(a, t.start), min(b, t.start + len(t.text))
            if s >= e:
                continue
            if out and not t.newline and s == t.start:
                out.append(" ")
            out.append(self.text[s:e])
        return "".join(out).strip()

    def pieces(self, a: int, b: int) -> list[Token]:
        """Tokens clipped to [a, b)."""
        out = []
        for t in self._overlapping(a, b):
            s, e = max(a, t.start), min(b, t.start + len(t.text))
            if s < e:
                out.append(Token(self.text[s:e], s, t.line_no, t.newline and s == t.start))
        return out
