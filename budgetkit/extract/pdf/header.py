"""Where a grid's header ends, which rows repeat it, and side-by-side blocks.

The header/body rule. Header rows are the rows above the first *data row*; a row
is a data row when any cell starting in it

- holds an amount or a code (digits with optional separators, sign, decimals, %),
  or a dash standing for zero, unless the row is a column-number row (栏次 1 2 3 …);
- or its first text is an enumerated item ("一、", "（一）", "1.") — what the
  body of an account table lists even when every amount is blank;
- or the row's only text is a total label (…合计, …总计) — the body of an empty
  table is often just that;
- or the row is blank and no merged cell from above reaches into it (the padding
  rows of an empty table).

Header rows hold labels only, so amounts and codes settle most tables; the other
cases settle blank templates. A label like 合计 that heads a column does not
make a data row because other label text sits beside it. A table with no data
row at all has no header (every row is body).

On a continuation page, leading rows that are not data rows and whose texts all
occur in the table's header are the header printed again, and are dropped.

A mixed row: some templates print the lowest column labels inside the 合计 row
(类 | 款 | 项 beside 合计 and its amounts; 合计 | 基本支出 | 项目支出 under 本年支出
beside the 合计 label of an empty table). When the first data row, or the last
header row, holds a total label under a header cell no wider than itself (a row
label) and otherwise only short labels, each under a wider header cell (a group
being subdivided), and amounts or blanks, those labels are the header's last row
and the rest of the row is the 合计 body row.
"""

from __future__ import annotations

import re

from budgetkit.extract.pdf.grid import GridCell, PageGrid

AMOUNT = re.compile(r"^[-−–+]?[(（]?[0-9][0-9,，]*(?:\.[0-9]+)?[)）]?%?$")
DASH = re.compile(r"^[-－—–‐]{1,2}$")
ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d))")
TOTAL = re.compile(r"(?:合计|总计)$")
COLUMN_NUMBERS = re.compile(r"^栏\s*次$")


def _column_number_row(texts: list[str]) -> bool:
    numbers = [t for t in texts if AMOUNT.match(t)]
    if any(COLUMN_NUMBERS.match(t) for t in texts):
        return True
    if len(numbers) < 3 or len(numbers) != len([t for t in texts if t]):
        return False
    try:
        values = [int(t) for t in numbers]
    except ValueError:
        return False
    return values == list(range(values[0], values[0] + len(values)))


def is_data_row(grid: PageGrid, r: int) -> bool:
    texts = [cell.text for cell in grid.starting_in_row(r)]
    filled = [t for t in texts if t]
    if any(AMOUNT.match(t) or DASH.match(t) for t in filled):
        return not _column_number_row(texts)
    if not filled:
        return not grid.covered_from_above(r)
    if ENUMERATED.match(filled[0]):
        return True
    return len(filled) == 1 and bool(TOTAL.search(filled[0]))


def header_rows(grid: PageGrid) -> int:
    """Number of header rows at the top of a table's first page."""
    for r in range(grid.nrows):
        if is_data_row(grid, r):
            return r
    return 0


def _above(grid: PageGrid, r: int, cell: GridCell) -> GridCell:
    return grid.cells[grid.owner[r - 1][cell.c0]]


def mixed_row_labels(grid: PageGrid, r: int) -> list[GridCell]:
    """The column labels printed in row r beside its 合计 label (see the module doc), or []."""
    if r < 1 or r >= grid.nrows:
        return []
    labels, totals = [], []
    for cell in grid.starting_in_row(r):
        text = cell.text
        if not text or AMOUNT.match(text) or DASH.match(text):
            continue
        above = _above(grid, r, cell)
        wider = above.c0 < cell.c0 or above.c1 > cell.c1
        if TOTAL.search(text) and not wider:
            totals.append(cell)
        elif wider and len(text) <= 10:
            labels.append(cell)
        else:
            return []
    return labels if len(totals) == 1 and labels else []


def repeated_header_rows(grid: PageGrid, header_texts: set[str]) -> int:
    """Leading rows of a continuation page that print the table's header again."""
    if not header_texts:
        return 0
    n = 0
    for r in range(grid.nrows):
        if is_data_row(grid, r):
            break
        texts = {t for t in grid.expanded_row(r) if t}
        if not texts or not texts <= header_texts:
            break
        n += 1
    return n


def _is_label(text: str) -> bool:
    """Row-label text: words, or a classification code (3+ digits, no separators)."""
    if not text:
        return False
    if text.isdigit():
        return len(text) >= 3
    return not (AMOUNT.match(text) or DASH.match(text))


def side_by_side_blocks(header: list[list[str]], body: list[list[str]], ncols: int) -> list[tuple[int, int]]:
    """Column ranges of blocks that repeat the first column (收入 | 支出; code, name, amount twice).

    A block starts at every column whose lowest header label equals the first
    column's, provided each such column holds row labels (words or codes) in the
    body: columns of amounts headed 预算数 | 决算数 over and over are not blocks.
    Blocks narrower than two columns mean the repeat is a coincidence.
    """
    if not header or ncols < 4:
        return [(0, ncols)]
    leaves = []
    for c in range(ncols):
        leaf = ""
        for row in header:
            if row[c]:
                leaf = row[c]
        leaves.append(leaf)
    starts = [0] + [c for c in range(1, ncols) if leaves[0] and leaves[c] == leaves[0] and leaves[c - 1] != leaves[0]]
    bounds = starts + [ncols]
    blocks = list(zip(bounds, bounds[1:]))
    if len(blocks) < 2 or any(stop - start < 2 for start, stop in blocks):
        return [(0, ncols)]
    for start in starts:
        filled = [row[start] for row in body if row[start]]
        labels = sum(1 for t in filled if _is_label(t))
        if not filled or labels * 2 < len(filled):
            return [(0, ncols)]
    return blocks
