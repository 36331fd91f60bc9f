"""The lines printed around a table that belong to it: title, 单位 and 编制部门 lines above, 注 below.

Above a table, reading upward from its top rule: lines made only of a unit
("单位：万元"), a department ("编制部门：…", "编制单位：…", "部门名称：…") or a
continuation marker ("续表") are the table's; the first other line is its title
if it looks like one — short, not ending like a sentence (。：；，), centred over
the table or ending in 表; the lines above that continue the title only if they are set in the
same size right above it (a wrapped title). Anything else ends the search, so a
narrative sentence introducing a table ("…的单位包括：") is never taken as its title.

Below a table: a line starting 注/备注/说明： close under the bottom rule starts the
notes; following lines close under it continue them (a line starting with a
note marker or a number, or one ending in a colon that introduces the next, starts another note).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetkit.extract.pdf.grid import PageGrid
from budgetkit.extract.pdf.lines import Line, join_wrapped

UNIT = re.compile(r"(?:金额|计量)?单位\s*[:：]\s*(亿元|万元|元)")
DEPARTMENT = re.compile(r"^(?:编制|填报|公开|预算)?(?:主管)?(?:部门|单位)(?:名称)?\s*[:：]")
CONTINUED = re.compile(r"^[（(]?续\s*表?[）)]?\s*\d*$")
CONTINUED_SUFFIX = re.compile(r"\s*[（(]\s*续\s*表?\s*\d*[）)]\s*$")
NOTE = re.compile(r"^(?:注|备注)\s*[\d一二三四五六七八九十]*\s*[:：.、]|^注\s|^说明\s*[:：]")
NOTE_ITEM = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]+)[、.．]")
SENTENCE_END = "。；;，,：:"
TITLE_MAX_CHARS = 60
PREAMBLE_GAP = 4.0  # in line sizes: farther above the table than this is not about it
WRAP_GAP = 0.8  # in line sizes: a wrapped title or note line sits this close


@dataclass
class Preamble:
    title: str = ""
    unit: str | None = None
    unit_text: str = ""
    department_line: str = ""
    continued_marker: bool = False
    lines: list[Line] = field(default_factory=list)  # the lines taken


@dataclass
class _Pieces:
    """What one line above a table is made of."""

    unit_text: str = ""
    unit: str | None = None
    department: str = ""
    continued: bool = False
    rest: list[str] = field(default_factory=list)


def _pieces(line: Line) -> _Pieces:
    found = _Pieces()
    for text, _x0, _x1 in line.segments:
        m = UNIT.search(text)
        if m:
            found.unit = m.group(1)
            rest = (text[: m.start()] + text[m.end() :]).strip()
            if not DEPARTMENT.match(rest):  # "单位：万元（保留两位小数）" is all unit line
                found.unit_text = text
                continue
            found.unit_text, text = m.group(0), rest
        if DEPARTMENT.match(text):
            found.department = text
        elif CONTINUED.match(text):
            found.continued = True
        else:
            found.rest.append(text)
    return found


def _looks_like_title(text: str, line: Line, grid: PageGrid) -> bool:
    """Short, not a sentence, and centred over the table — or naming itself a table (…表, …表（续）)."""
    if not (2 <= len(text) <= TITLE_MAX_CHARS) or text[-1] in SENTENCE_END or NOTE.match(text):
        return False
    if CONTINUED_SUFFIX.sub("", text).endswith("表"):
        return True
    x0, _, x1, _ = grid.bbox
    return abs(line.center - (x0 + x1) / 2) <= 0.25 * (x1 - x0)


def read_preamble(grid: PageGrid, above: list[Line]) -> Preamble:
    """The table's own lines among ``above`` (the free lines between the previous block and the table)."""
    found = Preamble()
    title_lines: list[tuple[Line, str]] = []
    edge = grid.bbox[1]
    for line in sorted(above, key=lambda l: l.top, reverse=True):
        if edge - line.bottom > PREAMBLE_GAP * line.size:
            break
        pieces = _pieces(line)
        if pieces.rest:
            text = "".join(pieces.rest)
            if title_lines:
                last = title_lines[-1][0]
                wrapped = abs(line.size - last.size) <= 0.6 and last.top - line.bottom <= WRAP_GAP * line.size
                if not (wrapped and _looks_like_title(text, line, grid)):
                    break
            elif not _looks_like_title(text, line, grid):
                break
            title_lines.append((line, text))
        found.unit_text = found.unit_text or pieces.unit_text
        found.unit = found.unit or pieces.unit
        found.department_line = found.department_line or pieces.department
        found.continued_marker = found.continued_marker or pieces.continued
        found.lines.append(line)
        edge = line.top
    title = join_wrapped([t for _, t in reversed(title_lines)])
    if CONTINUED_SUFFIX.search(title):
        found.continued_marker = True
        title = CONTINUED_SUFFIX.sub("", title)
    found.title = title
    return found


def read_notes(grid: PageGrid, below: list[Line], page_width: float) -> tuple[list[str], list[Line]]:
    """Notes printed right under the table, and the lines they took."""
    notes: list[str] = []
    taken: list[Line] = []
    edge = grid.bbox[3]
    for line in sorted(below, key=lambda l: l.top):
        gap = line.top - edge
        text = line.text
        if not notes:
            if gap > 3 * line.size or not NOTE.match(text):
                break
            notes.append(text)
        else:
            prev = taken[-1]
            if gap > WRAP_GAP * line.size or abs(line.size - prev.size) > 0.6:
                break
            if NOTE.match(text) or NOTE_ITEM.match(text) or text.rstrip().endswith(("：", ":")):
                notes.append(text)  # a line ending in a colon introduces the next note (…作下述说明：)
            elif prev.x1 >= max(grid.bbox[2], 0.75 * page_width) - 2 * prev.size:
                notes[-1] = join_wrapped([notes[-1], text])
            else:
                break
        taken.append(line)
        edge = line.bottom
    return notes, taken
