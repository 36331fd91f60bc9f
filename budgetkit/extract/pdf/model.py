"""What reading a PDF yields: text lines and ruled tables as neutral grids.

Nothing here knows about budget formats: a grid says which text sits in which
row and column of the drawn rules, not which column is 合计. Mapping grids onto a
format template is a later step, so everything that step may need (merged-cell
spans, indentation, the page of every row, the lines printed around a table) is
kept, and nothing is guessed away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Union


@dataclass
class TextLine:
    """One printed line outside any table, furniture (page numbers, running headers) removed.

    ``text`` joins the line's characters: no spaces between CJK characters, one
    space where narrow characters (digits, latin) are set apart, one space across a
    wide gap. Positions are PDF points from the page's top-left corner.
    """

    page: int
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float


@dataclass
class GridRow:
    """One body row on the table's grid.

    ``cells[c]`` is the text of the cell that starts at column ``c`` ('' for a blank
    cell and for a column covered by a merged cell); ``spans[c]`` is how many grid
    columns that cell covers (0 where covered by a cell to the left or above);
    ``indents[c]`` is the distance in points from the cell's left rule to its first
    character (hierarchy in name columns is often only printed as indentation).
    """

    cells: list[str]
    page: int
    spans: list[int]
    indents: list[float]
    top: float


@dataclass
class TableFragment:
    """The part of a table drawn on one page."""

    page: int
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: int  # body rows it contributed, blank rows not counted
    repeated_header_rows: int  # header rows printed again at its top and dropped


@dataclass
class GridTable:
    """A ruled table, merged across the pages it is printed on.

    ``header[r][c]`` is the text covering grid position (r, c): a merged header
    cell's text is repeated in every row and column it spans. ``rows`` are the body
    rows (blank rows dropped, see ``blank_rows``); ``body`` is their text alone.
    ``blocks`` are the column ranges [start, stop) of side-by-side blocks that
    repeat the same columns (a two-sided 收入/支出 table, a 基本支出 table printing
    (code, name, amount) twice); a plain table has one block covering all columns.
    ``after_line`` is the index in ``PdfDocument.text`` of the last text line
    printed before the table (-1 if none): the section the table belongs to.
    """

    title: str
    pages: list[int]
    unit: str | None
    unit_text: str
    department_line: str
    header: list[list[str]]
    rows: list[GridRow]
    notes: list[str]
    columns: list[float]  # x of the grid's vertical boundaries, left to right (len = ncols + 1)
    blocks: list[tuple[int, int]]
    after_line: int
    fragments: list[TableFragment] = field(default_factory=list)
    blank_rows: int = 0

    @property
    def body(self) -> list[list[str]]:
        return [row.cells for row in self.rows]

    @property
    def body_pages(self) -> list[int]:
        return [row.page for row in self.rows]

    @property
    def ncols(self) -> int:
        return len(self.columns) - 1

    @property
    def column_labels(self) -> list[str]:
        """Per column, its header texts from top to bottom, repeats removed, joined with '/'."""
        labels = []
        for c in range(self.ncols):
            path: list[str] = []
            for row in self.header:
                if row[c] and row[c] not in path:
                    path.append(row[c])
            labels.append("/".join(path))
        return labels


Block = Union[TextLine, GridTable]


@dataclass
class PdfDocument:
    """Everything read from one PDF: text lines and tables in document order."""

    path: Path
    pages: int
    tables: list[GridTable]
    text: list[TextLine]
    warnings: list[str] = field(default_factory=list)
    pages_without_text: list[int] = field(default_factory=list)

    def blocks(self) -> Iterator[Block]:
        """Text lines and tables interleaved in reading order."""
        tables = sorted(self.tables, key=lambda t: t.after_line)
        t = 0
        for i, line in enumerate(self.text):
            while t < len(tables) and tables[t].after_line < i:
                yield tables[t]
                t += 1
            yield line
        yield from tables[t:]

    def narrative(self) -> str:
        """The non-table text, one printed line per line."""
        return "\n".join(line.text for line in self.text)
