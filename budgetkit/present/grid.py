"""A sheet as plain data (values, styles, widths, panes), written afterwards by XlsxWriter (``xlsx.save``).

The sheets are built cell by cell and restyled piecemeal (the header, then a row's fill, then wrapping),
which openpyxl does by hashing a style object per assignment, and XlsxWriter cannot do at all (a cell's
format is given when it is written). So the sheets are first built here, each style change replacing one
part of a small tuple, as assigning ``cell.font`` replaces the cell's font in openpyxl; ``xlsx.save`` then
writes them: the department-year's workbooks and the batch's alike.
"""

from __future__ import annotations

from typing import NamedTuple

MISSING = object()


class Font(NamedTuple):
    bold: bool = False
    size: float | None = None
    color: str | None = None  # RGB hex, no '#'


class Align(NamedTuple):
    horizontal: str | None = None  # 'left', 'center', 'right'
    vertical: str | None = None  # 'top', 'center'
    wrap: bool = False
    indent: int = 0


class Border(NamedTuple):
    sides: str  # 'bottom' or 'box' (all four)
    color: str


class Style(NamedTuple):
    """One cell's format; None parts are the workbook's defaults (Calibri 11, no fill, no border, General)."""

    font: Font | None = None
    fill: str | None = None  # solid fill colour, RGB hex
    align: Align | None = None
    border: Border | None = None
    number_format: str | None = None


PLAIN = Style()
_CHANGED: dict[tuple, Style] = {}  # (style, part, value) → style: a few dozen, the same changes recur on most cells


class Cell:
    __slots__ = ("value", "style")

    def __init__(self):
        self.value, self.style = None, PLAIN


class Sheet:
    """One worksheet, rows and columns from 1 as in openpyxl."""

    def __init__(self, title: str):
        self.title = title
        self.cells: dict[tuple[int, int], Cell] = {}
        self.widths: dict[int, float] = {}  # column → width in characters
        self.heights: dict[int, float] = {}  # row → height in points
        self.freeze: int | None = None  # first scrolling row (the rows above it stay)
        self.autofilter: tuple[int, int, int, int] | None = None  # first row, first col, last row, last col
        self.print_rows: tuple[int, int] | None = None  # rows repeated on every printed page
        self.orientation: str | None = None  # 'landscape' / 'portrait', printed one page wide
        self.merged: list[tuple[int, int, int, int]] = []
        self.tab_color: str | None = None
        self.max_row = 0

    def cell(self, row: int, column: int, value=MISSING) -> Cell:
        cell = self.cells.get((row, column))
        if cell is None:
            cell = self.cells[row, column] = Cell()
            self.max_row = max(self.max_row, row)
        if value is not MISSING:
            cell.value = value
        return cell

    def style(self, row: int, column: int, **parts) -> Cell:
        """Replace parts of a cell's style (font=, fill=, align=, border=, number_format=)."""
        cell = self.cell(row, column)
        cell.style = self.restyled(cell.style, **parts)
        return cell

    def put(self, row: int, column: int, value, style: Style) -> None:
        """A cell's value and whole style at once (a row built knowing its formats)."""
        cell = self.cell(row, column)
        cell.value, cell.style = value, style

    @staticmethod
    def restyled(style: Style, **parts) -> Style:
        """``style`` with parts replaced; each change remembered, as most cells get the same ones."""
        for part, value in parts.items():
            key = (style, part, value)
            new = _CHANGED.get(key)
            if new is None:
                new = _CHANGED[key] = style._replace(**{part: value})
            style = new
        return style

    def append(self, values: list) -> int:
        """Write a row after the last one (empty values leave the cell out, as openpyxl's ``append``); its number."""
        row = self.max_row + 1
        self.max_row = row
        for col, value in enumerate(values, start=1):
            if value is not None:
                self.cell(row, col, value)
        return row
