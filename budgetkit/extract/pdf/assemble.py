"""Pages' grids and lines → the document's tables (merged across pages) and narrative text.

Continuation rule: a grid continues the table before it when nothing but page
furniture is printed between them (the previous table has no notes, no text
follows it, no text precedes this grid), it has no title of its own (or repeats
the same title, or is marked 续表), and its columns fit the table's: same outer
rules, and one set of vertical rules contained in the other (a 合计 row drawn as
one wide cell over 类/款/项/名称 has fewer rules, not other ones). The table's
grid is then the union of its pages' vertical rules, so every row lines up on one
set of columns; the first page's header is the header, and header rows printed
again at the top of a later page are dropped.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from budgetkit.extract.pdf.grid import PageGrid, cluster
from budgetkit.extract.pdf.header import (
    header_rows,
    mixed_row_labels,
    repeated_header_rows,
    side_by_side_blocks,
)
from budgetkit.extract.pdf.lines import Line
from budgetkit.extract.pdf.model import GridRow, GridTable, TableFragment, TextLine
from budgetkit.extract.pdf.surroundings import (
    CONTINUED_SUFFIX,
    DEPARTMENT,
    UNIT,
    Preamble,
    read_notes,
    read_preamble,
)

COLUMN_TOLERANCE = 3.0  # points: vertical rules this close on two pages are the same column


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    lines: list[Line]  # outside tables, furniture removed
    grids: list[PageGrid]


@dataclass
class _Placed:
    """A grid with the lines that belong to it and its place among the narrative lines."""

    grid: PageGrid
    preamble: Preamble
    notes: list[str]
    narrative_before: int  # narrative lines printed before it in the document
    page_height: float
    in_table_title: str = ""


@dataclass
class _Assembly:
    parts: list[_Placed] = field(default_factory=list)

    @property
    def first(self) -> _Placed:
        return self.parts[0]

    @property
    def last(self) -> _Placed:
        return self.parts[-1]


def _columns_fit(a: list[float], b: list[float]) -> bool:
    if abs(a[0] - b[0]) > COLUMN_TOLERANCE or abs(a[-1] - b[-1]) > COLUMN_TOLERANCE:
        return False
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return all(min(abs(x - y) for y in large) <= COLUMN_TOLERANCE for x in small)


def _continues(current: _Assembly, placed: _Placed) -> bool:
    last, first = current.last, current.first
    if placed.grid.page not in (last.grid.page, last.grid.page + 1):
        return False
    if last.notes or placed.narrative_before != last.narrative_before:
        return False
    pre = placed.preamble
    if placed.in_table_title:  # forms drawing "…表" in their first row: each one starts anew
        return False
    if pre.title and (pre.title != first.preamble.title or last.grid.bbox[3] < 0.8 * last.page_height):
        return False  # the same title again continues only a table the page end cut off
    if not pre.title and not pre.continued_marker:  # 编制部门/单位 lines printed again must say the same
        if pre.department_line and pre.department_line != first.preamble.department_line:
            return False
        if pre.unit and pre.unit != first.preamble.unit:
            return False
    if placed.grid.page == last.grid.page and placed.grid.bbox[1] - last.grid.bbox[3] > 20:
        return False
    return all(_columns_fit(part.grid.xs, placed.grid.xs) for part in current.parts)


def _full_width_text(grid: PageGrid, r: int) -> str | None:
    cells = grid.starting_in_row(r) if r < grid.nrows else []
    if len(cells) == 1 and cells[0].c1 - cells[0].c0 == grid.ncols:
        return cells[0].text
    return None


def _in_table_preamble(grid: PageGrid, start: int, pre: Preamble) -> int:
    """Skip full-width rows at the top that are 单位/编制部门 lines drawn inside the rules; record them."""
    while start < grid.nrows - 1:
        text = _full_width_text(grid, start)
        m = UNIT.search(text) if text else None
        dept = bool(text) and DEPARTMENT.match(text)
        if not (m or dept):
            break
        if m and pre.unit is None:
            pre.unit, pre.unit_text = m.group(1), m.group(0)
        if dept and not pre.department_line:
            pre.department_line = UNIT.sub("", text).strip() if m else text
        start += 1
    return start


def _in_table_title(grid: PageGrid) -> str:
    """A first row that is one cell across the whole grid holding "…表": the title drawn inside the rules."""
    if grid.nrows < 2:
        return ""
    text = _full_width_text(grid, 0)
    return text if text and CONTINUED_SUFFIX.sub("", text).endswith("表") else ""


class _Mapper:
    """Reads a page grid's rows on the table's unified columns."""

    def __init__(self, grid: PageGrid, columns: list[float]):
        self.grid = grid
        mids = [(columns[u] + columns[u + 1]) / 2 for u in range(len(columns) - 1)]
        self.page_col = [min(max(bisect_right(grid.xs, m) - 1, 0), grid.ncols - 1) for m in mids]
        self.columns = columns

    def _unified(self, x: float) -> int:
        return min(range(len(self.columns)), key=lambda i: abs(self.columns[i] - x))

    def expanded(self, r: int) -> list[str]:
        g = self.grid
        return [g.cells[g.owner[r][c]].text for c in self.page_col]

    def with_labels(self, r: int, labels: list) -> list[str]:
        """Header row made from row r's column labels, other columns keeping the header text above."""
        g = self.grid
        above = self.expanded(r - 1)
        return [g.cells[g.owner[r][c]].text if g.cells[g.owner[r][c]] in labels else above[u] for u, c in enumerate(self.page_col)]

    def body_row(self, r: int, skip=()) -> GridRow:
        """Row r on the unified columns; cells in ``skip`` (labels moved to the header) read as blank."""
        g = self.grid
        n = len(self.page_col)
        cells, spans, indents = [""] * n, [0] * n, [0.0] * n
        for u, c in enumerate(self.page_col):
            cell = g.cells[g.owner[r][c]]
            start = self._unified(g.xs[cell.c0])
            if cell.r0 == r and start == u:
                cells[u] = "" if cell in skip else cell.text
                spans[u] = max(self._unified(g.xs[cell.c1]) - u, 1)
                indents[u] = cell.indent if cell.text else 0.0
            elif not (cell.r0 < r or start < u):
                spans[u] = 1
        return GridRow(cells, g.page, spans, indents, g.ys[r])


def _build_table(assembly: _Assembly) -> GridTable:
    columns = cluster([x for part in assembly.parts for x in part.grid.xs], COLUMN_TOLERANCE)
    first = assembly.first
    pre = first.preamble
    title = pre.title or first.in_table_title
    pre = Preamble(**{**pre.__dict__})  # a copy: lines drawn inside the rules may add to it
    start = _in_table_preamble(first.grid, 1 if first.in_table_title else 0, pre)
    mapper = _Mapper(first.grid, columns)
    first_data = header_rows(first.grid)
    header = [mapper.expanded(r) for r in range(start, first_data)] if first_data else []
    body_start = max(first_data, start)
    mixed: list = []
    for m in (first_data, first_data - 1):
        mixed = mixed_row_labels(first.grid, m) if m > start else []
        if mixed:  # the row's labels become the header's last row; its 合计 part is body
            header = [mapper.expanded(r) for r in range(start, m)] + [mapper.with_labels(m, mixed)]
            body_start = m
            break
    header_texts = {t for row in header for t in row if t}
    rows: list[GridRow] = []
    fragments: list[TableFragment] = []
    blank = 0
    for i, part in enumerate(assembly.parts):
        grid = part.grid
        mapper = _Mapper(grid, columns)
        if i == 0:
            begin, repeated = body_start, 0
        else:
            repeated = repeated_header_rows(grid, header_texts)
            begin = repeated
        taken = 0
        for r in range(begin, grid.nrows):
            row = mapper.body_row(r, skip=mixed if i == 0 and r == body_start else ())
            if not any(row.cells):
                blank += 1
                continue
            rows.append(row)
            taken += 1
        fragments.append(TableFragment(grid.page, grid.bbox, taken, repeated))
    unit, unit_text = pre.unit, pre.unit_text
    if unit is None:  # a unit printed inside the header ("金额单位：万元" in a cell)
        for text in header_texts:
            m = UNIT.search(text)
            if m:
                unit, unit_text = m.group(1), m.group(0)
                break
    notes = [n for part in assembly.parts for n in part.notes]
    return GridTable(
        title=title,
        pages=sorted({part.grid.page for part in assembly.parts}),
        unit=unit,
        unit_text=unit_text,
        department_line=pre.department_line,
        header=header,
        rows=rows,
        notes=notes,
        columns=columns,
        blocks=side_by_side_blocks(header, [row.cells for row in rows], len(columns) - 1),
        after_line=first.narrative_before - 1,
        fragments=fragments,
        blank_rows=blank,
    )


def assemble(pages: list[PageLayout]) -> tuple[list[GridTable], list[TextLine]]:
    """Tables in document order and the narrative lines, with each table's place in them."""
    placed: list[_Placed] = []
    text: list[TextLine] = []
    for page in pages:
        taken: set[int] = set()
        grids = sorted(page.grids, key=lambda g: g.bbox[1])
        page_placed = []
        floor = -1.0
        for gi, grid in enumerate(grids):
            ceiling = grids[gi + 1].bbox[1] if gi + 1 < len(grids) else page.height + 1
            above = [l for l in page.lines if id(l) not in taken and l.top >= floor and l.bottom <= grid.bbox[1] + 1]
            pre = read_preamble(grid, above)
            taken.update(id(l) for l in pre.lines)
            below = [l for l in page.lines if id(l) not in taken and l.top >= grid.bbox[3] - 1 and l.bottom <= ceiling]
            notes, note_lines = read_notes(grid, below, page.width)
            taken.update(id(l) for l in note_lines)
            page_placed.append((grid, pre, notes))
            floor = max([grid.bbox[3]] + [l.bottom for l in note_lines])
        free = sorted((l for l in page.lines if id(l) not in taken), key=lambda l: l.top)
        li = 0
        for grid, pre, notes in page_placed:
            while li < len(free) and free[li].top < grid.bbox[1]:
                text.append(_text_line(page.number, free[li]))
                li += 1
            in_title = "" if pre.title else _in_table_title(grid)
            placed.append(_Placed(grid, pre, notes, len(text), page.height, in_title))
        for line in free[li:]:
            text.append(_text_line(page.number, line))
    assemblies: list[_Assembly] = []
    for item in placed:
        if assemblies and _continues(assemblies[-1], item):
            assemblies[-1].parts.append(item)
        else:
            assemblies.append(_Assembly([item]))
    return [_build_table(a) for a in assemblies], text


def _text_line(page: int, line: Line) -> TextLine:
    return TextLine(page, line.text, round(line.top, 1), round(line.bottom, 1), round(line.x0, 1), round(line.x1, 1), round(line.size, 1))

