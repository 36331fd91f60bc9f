"""Glyphs → printed lines → text, with Chinese spacing rules.

A line is glyphs whose vertical centres fall in one band: digits set in a latin
font often sit a few points lower than the CJK text around them, so grouping by
equal ``top`` would split "支出184.65万元" into two lines.

Spacing: CJK text carries no spaces, but PDFs space it out (justified lines,
letter-spaced headers "收 入 支 出", Word's auto-space around digits "2024 年").
So a space is kept only between two narrow characters (digits, latin) that are
set apart, and a wide gap (more than SEGMENT_GAP character widths) always counts
as one space: it separates the pieces of a line, e.g. "编制部门：…" and "单位：元".
Overprinted duplicates (fake bold) are dropped.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import NamedTuple, Sequence

from budgetkit.extract.pdf.parsing import Glyph

SEGMENT_GAP = 2.5  # in character sizes
WORD_GAP = 0.25  # in character sizes, between narrow characters


class Line(NamedTuple):
    """A printed line: its extent, size and the pieces wide gaps split it into."""

    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    segments: list[tuple[str, float, float]]  # (text, x0, x1)

    @property
    def text(self) -> str:
        return " ".join(s[0] for s in self.segments)

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@lru_cache(maxsize=8192)
def is_wide(ch: str) -> bool:
    """CJK ideographs, kana, full-width forms and CJK punctuation (“”、。：…)."""
    eaw = unicodedata.east_asian_width(ch)
    if eaw in ("W", "F"):
        return True
    return eaw == "A" and unicodedata.category(ch).startswith("P")


def _blank(text: str) -> bool:
    return not text or text.isspace()


def group_lines(glyphs: Sequence[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines (top to bottom), each sorted left to right."""
    ordered = sorted(glyphs, key=lambda g: g.top + g.bottom)
    lines: list[list[Glyph]] = []
    band_top = band_bottom = 0.0
    for g in ordered:
        mid = (g.top + g.bottom) / 2
        if lines and mid <= band_bottom:
            lines[-1].append(g)
            band_top = min(band_top, g.top)
            band_bottom = max(band_bottom, g.bottom)
        else:
            lines.append([g])
            band_top, band_bottom = g.top, g.bottom
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return lines


def _segments(glyphs: list[Glyph]) -> list[tuple[str, float, float]]:
    segments: list[tuple[str, float, float]] = []
    parts: list[str] = []
    seg_x0 = 0.0
    prev: Glyph | None = None
    space_between = False
    for g in glyphs:
        if _blank(g.text):
            space_between = prev is not None
            continue
        if prev is not None:
            if g.text == prev.text and abs(g.x0 - prev.x0) <= 1.0 and abs(g.top - prev.top) <= 1.0:
                continue  # overprinted for bold
            gap = g.x0 - prev.x1
            size = min(g.size, prev.size) or 1.0
            if gap > SEGMENT_GAP * size:
                segments.append(("".join(parts), seg_x0, prev.x1))
                parts, seg_x0 = [], g.x0
            elif not (is_wide(prev.text[-1]) or is_wide(g.text[0])) and (space_between or gap > WORD_GAP * size):
                parts.append(" ")
        else:
            seg_x0 = g.x0
        parts.append(g.text)
        prev = g
        space_between = False
    if prev is not None:
        segments.append(("".join(parts), seg_x0, prev.x1))
    return segments


def make_line(glyphs: list[Glyph]) -> Line | None:
    """A Line from glyphs already sorted left to right; None when they are all blank."""
    shown = [g for g in glyphs if not _blank(g.text)]
    if not shown:
        return None
    sizes = sorted(g.size for g in shown)
    return Line(
        top=min(g.top for g in shown),
        bottom=max(g.bottom for g in shown),
        x0=shown[0].x0,
        x1=max(g.x1 for g in shown),
        size=sizes[len(sizes) // 2],
        segments=_segments(glyphs),
    )


def build_lines(glyphs: Sequence[Glyph]) -> list[Line]:
    lines = []
    for group in group_lines(glyphs):
        line = make_line(group)
        if line is not None:
            lines.append(line)
    return lines


def join_wrapped(texts: Sequence[str]) -> str:
    """Text of a cell printed on several lines: joined without the break.

    A space is put back only between two latin letters ("Other" / "expenses");
    digits never get one, so an amount wrapped as "1,238." / "58" stays one number.
    """
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and t[0].isascii() and t[0].isalpha():
            out += " "
        out += t
    return out


def _tight(pieces: Sequence[str]) -> str:
    """Pieces of one line inside a cell: a distributed header ("项      目") is one word."""
    out = ""
    for p in pieces:
        if out and p and not (is_wide(out[-1]) or is_wide(p[0])):
            out += " "
        out += p
    return out


def cell_text(lines: Sequence[Line]) -> str:
    """Text of the lines inside one cell, joined without the breaks."""
    return join_wrapped([_tight([s[0] for s in line.segments]) for line in lines])
