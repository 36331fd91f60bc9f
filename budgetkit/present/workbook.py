"""Sheets an auditor can work in (Excel/WPS): title rows, a frozen and filtered header, numbers as numbers.

Every list sheet starts with title rows (what, whose, which source), then one header row (frozen, with
an autofilter, repeated on printed pages), then the rows, coloured by severity as in the HTML report.
Amounts are numeric cells with a number format; their unit is a column of its own. Column widths are
measured in display columns (a Chinese character counts two), capped so long texts wrap.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from budgetkit.present.finding_rows import Value
from budgetkit.present.grid import Align, Border, Font, Sheet
from budgetkit.present.html import FILL as HTML_FILL

#: Row colours by severity, the HTML report's (as ARGB hex without '#').
FILL = {severity: colour.lstrip("#").upper() for severity, colour in HTML_FILL.items()}
HEADER_FILL = "D9D9D9"
MAX_WIDTH = 120  # any column: wider than this wraps
#: Columns of long text and their widths (display columns) beyond which they wrap.
WRAP_COLUMNS = {"说明": 60, "位置": 36, "原因": 40, "表": 30, "应为": 24, "实际": 24, "失败原因": 60}
LINE_HEIGHT = 15  # points per wrapped line (11 pt text)
BOLD = Font(bold=True)
TITLE_FONT, GREY_FONT = Font(bold=True, size=13), Font(color="404040")
HEADER_ALIGN, TOP = Align(vertical="center", wrap=True), Align(vertical="top")
HEADER_BORDER = Border("bottom", "999999")


def display_width(text) -> int:
    return _display_width(str(text))


@lru_cache(maxsize=4096)
def _display_width(text: str) -> int:
    """Display columns of a text (a Chinese character counts two); the same rule names, severities and units
    recur in every sheet, so each text is measured once."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def set_cell(ws: Sheet, row: int, col: int, value):
    """A Value as a number with its number format (or its text), anything else as given."""
    if isinstance(value, Value):
        if not value.is_number:
            return ws.cell(row, col, value.text or None)
        ws.style(row, col, number_format=value.number_format())
        return ws.cell(row, col, value.number)
    return ws.cell(row, col, None if value in ("", None) else value)


def shown_width(value) -> int:
    if isinstance(value, Value):
        return display_width(value.display()) + (1 if value.is_number else 0)
    return display_width("" if value is None else value)


def write_title(ws: Sheet, lines: list[str]) -> int:
    """Title rows (the first bold and larger); returns the next free row."""
    for i, line in enumerate(lines, start=1):
        ws.cell(i, 1, line)
        ws.style(i, 1, font=TITLE_FONT if i == 1 else GREY_FONT)
    return len(lines) + 1


def style_header(ws: Sheet, row: int, n_cols: int) -> None:
    for col in range(1, n_cols + 1):
        ws.style(row, col, font=BOLD, fill=HEADER_FILL, align=HEADER_ALIGN, border=HEADER_BORDER)


def fill_row(ws: Sheet, row: int, n_cols: int, severity: str | None) -> None:
    if severity in FILL:
        for col in range(1, n_cols + 1):
            ws.style(row, col, fill=FILL[severity])


def fit_widths(ws: Sheet, headers: list[str], rows: list[list], first_row: int, *, minimum: int = 6) -> None:
    """Widths from the header and the cells (CJK counted double); long texts wrap, and their rows get the
    height of their lines (spreadsheet programs do not all re-measure wrapped rows when opening a file)."""
    import math

    lines = [1] * len(rows)
    for j, head in enumerate(headers):
        widest = max([display_width(head) + 2] + [shown_width(r[j]) + 2 for r in rows])
        width = max(minimum, min(WRAP_COLUMNS.get(head, MAX_WIDTH), widest))
        ws.widths[j + 1] = width
        if widest <= width:
            continue
        for i, r in enumerate(rows):
            right = "right" if isinstance(r[j], Value) and r[j].is_number else None
            ws.style(first_row + i, j + 1, align=Align(horizontal=right, vertical="top", wrap=True))
            lines[i] = max(lines[i], math.ceil(1.15 * shown_width(r[j]) / max(1, width - 2)))
    for i, n in enumerate(lines):
        if n == 1:
            continue
        ws.heights[first_row + i] = LINE_HEIGHT * n
        for j in range(len(headers)):  # every cell of a tall row starts at the top, as the wrapped ones do
            cell = ws.cell(first_row + i, j + 1)
            if not (cell.style.align and cell.style.align.wrap):
                ws.style(first_row + i, j + 1, align=TOP)


def list_sheet(ws, title: list[str], headers: list[str], rows: list[list], severities: list[str | None]) -> None:
    """A list sheet (``ws``: a ``grid.Sheet``): title rows, the header (frozen, filtered, repeated when printed),
    rows coloured by severity."""
    header_row = write_title(ws, title) if title else 1
    for j, head in enumerate(headers, start=1):
        ws.cell(header_row, j, head)
    style_header(ws, header_row, len(headers))
    for i, (cells, severity) in enumerate(zip(rows, severities), start=header_row + 1):
        for j, value in enumerate(cells, start=1):
            set_cell(ws, i, j, value)
        fill_row(ws, i, len(headers), severity)
    fit_widths(ws, headers, rows, header_row + 1)
    ws.freeze = header_row + 1
    ws.autofilter = (header_row, 1, header_row + max(1, len(rows)), len(headers))
    ws.print_rows = (header_row, header_row)
    landscape(ws)


def landscape(ws: Sheet) -> None:
    """Printed landscape on A4, one page wide (an auditor's workpaper)."""
    ws.orientation = "landscape"
