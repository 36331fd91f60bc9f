"""Sheets an auditor can work in (Excel/WPS): title rows, a frozen and filtered header, numbers as numbers.

Every list sheet starts with title rows (what, whose, which source), then one header row (frozen, with
an autofilter, repeated on printed pages), then the rows, coloured by severity as in the HTML report.
Amounts are numeric cells with a number format; their unit is a column of its own. Column widths are
measured in display columns (a Chinese character counts two), capped so long texts wrap.
"""

from __future__ import annotations

import unicodedata
import weakref
from copy import copy
from functools import lru_cache

from budgetkit.present.finding_rows import Value
from budgetkit.present.html import FILL as HTML_FILL

#: Row colours by severity, the HTML report's (as ARGB hex without '#').
FILL = {severity: colour.lstrip("#").upper() for severity, colour in HTML_FILL.items()}
HEADER_FILL = "D9D9D9"
MAX_WIDTH = 120  # any column: wider than this wraps
#: Columns of long text and their widths (display columns) beyond which they wrap.
WRAP_COLUMNS = {"说明": 60, "位置": 36, "原因": 40, "表": 30, "应为": 24, "实际": 24, "失败原因": 60}
LINE_HEIGHT = 15  # points per wrapped line (11 pt text)


_RESTYLED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # workbook → {(style, attr, key): style}


def restyle(cell, attr: str, key, value) -> None:
    """``setattr(cell, attr, value)`` (font, fill, alignment, border, number_format), remembered per workbook: the
    same change to a cell of the same style gives the same style, copied. openpyxl hashes and compares the whole
    style object on every assignment, most of a sheet's writing time. ``key`` names ``value`` (a callable is
    called for it only the first time); the workbook written is the same."""
    memo = _RESTYLED.setdefault(cell.parent.parent, {})
    k = (None if cell._style is None else tuple(cell._style), attr, key)  # None: a cell never styled
    style = memo.get(k)
    if style is None:
        setattr(cell, attr, value() if callable(value) else value)
        memo[k] = copy(cell._style)
    else:
        cell._style = copy(style)


def display_width(text) -> int:
    return _display_width(str(text))


@lru_cache(maxsize=4096)
def _display_width(text: str) -> int:
    """Display columns of a text (a Chinese character counts two); the same rule names, severities and units
    recur in every sheet, so each text is measured once."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def set_cell(ws, row: int, col: int, value):
    """A Value as a number with its number format (or its text), anything else as given."""
    cell = ws.cell(row, col)
    if isinstance(value, Value):
        if value.is_number:
            cell.value = value.number
            fmt = value.number_format()
            restyle(cell, "number_format", fmt, fmt)
        else:
            cell.value = value.text or None
    else:
        cell.value = None if value in ("", None) else value
    return cell


def shown_width(value) -> int:
    if isinstance(value, Value):
        return display_width(value.display()) + (1 if value.is_number else 0)
    return display_width("" if value is None else value)


def write_title(ws, lines: list[str]) -> int:
    """Title rows (the first bold and larger); returns the next free row."""
    from openpyxl.styles import Font

    for i, line in enumerate(lines, start=1):
        cell = ws.cell(i, 1, line)
        cell.font = Font(bold=True, size=13) if i == 1 else Font(color="404040")
    return len(lines) + 1


def style_header(ws, row: int, n_cols: int) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    for col in range(1, n_cols + 1):
        c = ws.cell(row, col)
        restyle(c, "font", "bold", lambda: Font(bold=True))
        restyle(c, "fill", HEADER_FILL, lambda: PatternFill("solid", fgColor=HEADER_FILL))
        restyle(c, "alignment", "header", lambda: Alignment(vertical="center", wrap_text=True))
        restyle(c, "border", "header", lambda: Border(bottom=Side(style="thin", color="999999")))


def fill_row(ws, row: int, n_cols: int, severity: str | None) -> None:
    from openpyxl.styles import PatternFill

    if severity in FILL:
        for col in range(1, n_cols + 1):
            restyle(ws.cell(row, col), "fill", FILL[severity], lambda: PatternFill("solid", fgColor=FILL[severity]))


def fit_widths(ws, headers: list[str], rows: list[list], first_row: int, *, minimum: int = 6) -> None:
    """Widths from the header and the cells (CJK counted double); long texts wrap, and their rows get the
    height of their lines (spreadsheet programs do not all re-measure wrapped rows when opening a file)."""
    import math

    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    lines = [1] * len(rows)
    for j, head in enumerate(headers):
        widest = max([display_width(head) + 2] + [shown_width(r[j]) + 2 for r in rows])
        width = max(minimum, min(WRAP_COLUMNS.get(head, MAX_WIDTH), widest))
        ws.column_dimensions[get_column_letter(j + 1)].width = width
        if widest <= width:
            continue
        for i, r in enumerate(rows):
            right = "right" if isinstance(r[j], Value) and r[j].is_number else None
            restyle(ws.cell(first_row + i, j + 1), "alignment", ("wrap", right),
                    lambda: Alignment(wrap_text=True, vertical="top", horizontal=right))
            lines[i] = max(lines[i], math.ceil(1.15 * shown_width(r[j]) / max(1, width - 2)))
    for i, n in enumerate(lines):
        if n == 1:
            continue
        ws.row_dimensions[first_row + i].height = LINE_HEIGHT * n
        for j in range(len(headers)):  # every cell of a tall row starts at the top, as the wrapped ones do
            cell = ws.cell(first_row + i, j + 1)
            if not cell.alignment.wrap_text:
                restyle(cell, "alignment", "top", lambda: Alignment(vertical="top"))


def list_sheet(ws, title: list[str], headers: list[str], rows: list[list], severities: list[str | None]) -> None:
    """A list sheet: title rows, the header (frozen, filtered, repeated when printed), rows coloured by severity."""
    from openpyxl.utils import get_column_letter

    header_row = write_title(ws, title) if title else 1
    for j, head in enumerate(headers, start=1):
        ws.cell(header_row, j, head)
    style_header(ws, header_row, len(headers))
    for i, (cells, severity) in enumerate(zip(rows, severities), start=header_row + 1):
        for j, value in enumerate(cells, start=1):
            set_cell(ws, i, j, value)
        fill_row(ws, i, len(headers), severity)
    fit_widths(ws, headers, rows, header_row + 1)
    last = get_column_letter(len(headers))
    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(1, len(rows))}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    landscape(ws)


def landscape(ws) -> None:
    """Printed landscape, one page wide (an auditor's workpaper)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
