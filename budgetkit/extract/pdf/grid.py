"""A page's ruled tables as grids: cells found from the drawn rules, text placed by position.

pdfplumber's table finder does the geometry (snap and join the rules, find their
crossings, build the cells). We give it only the visible rules (``explicit``
strategy on both axes) so invisible layout boxes never become tables, and we do
not use its text extraction: every table's grid is the set of distinct cell
edges, each cell knows the grid rows and columns it spans (a merged header cell
spans several), and each glyph goes to the cell under its centre. A glyph that
falls where no cell was found (a missing rule) still lands on the grid position
under it, so no table text leaks into the narrative.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from pdfplumber.table import (
    Table,
    TableFinder,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
)

from budgetkit.extract.pdf.cells import intersections_to_cells
from budgetkit.extract.pdf.lines import build_lines, cell_text
from budgetkit.extract.pdf.parsing import Glyph, PageContent, Rule

TABLE_SETTINGS = {
    "vertical_strategy": "explicit",
    "horizontal_strategy": "explicit",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "edge_min_length": 3,
    "intersection_tolerance": 3,
}
BOUNDARY_TOLERANCE = 2.0  # cell edges closer than this (points) are one grid line


@dataclass
class GridCell:
    r0: int
    r1: int
    c0: int
    c1: int
    x0: float
    top: float
    glyphs: list[Glyph] = field(default_factory=list)
    text: str = ""
    indent: float = 0.0


@dataclass
class PageGrid:
    """One ruled table as drawn on one page."""

    page: int
    bbox: tuple[float, float, float, float]
    xs: list[float]
    ys: list[float]
    cells: list[GridCell]
    owner: list[list[int]]  # owner[r][c] = index into cells of the cell covering (r, c)

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    def starting_in_row(self, r: int) -> list[GridCell]:
        seen = []
        for c in range(self.ncols):
            cell = self.cells[self.owner[r][c]]
            if cell.r0 == r and cell.c0 == c:
                seen.append(cell)
        return seen

    def covered_from_above(self, r: int) -> bool:
        return any(self.cells[self.owner[r][c]].r0 < r for c in range(self.ncols))

    def expanded_row(self, r: int) -> list[str]:
        """Row r with every position showing the text of the cell covering it."""
        return [self.cells[self.owner[r][c]].text for c in range(self.ncols)]


def _edge(rule: Rule) -> dict:
    vertical = rule.x0 == rule.x1
    return {
        "x0": rule.x0,
        "x1": rule.x1,
        "top": rule.top,
        "bottom": rule.bottom,
        "width": rule.x1 - rule.x0,
        "height": rule.bottom - rule.top,
        "orientation": "v" if vertical else "h",
        "object_type": "line_edge",
    }


def cluster(values: list[float], tolerance: float = BOUNDARY_TOLERANCE) -> list[float]:
    """Distinct positions: sorted values closer than ``tolerance`` merged into their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def _nearest(bounds: list[float], v: float) -> int:
    i = bisect_right(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - v < v - bounds[i - 1] else i - 1


def _slot(bounds: list[float], v: float) -> int:
    """Index of the interval [bounds[i], bounds[i+1]) holding v, clamped to the grid."""
    return min(max(bisect_right(bounds, v) - 1, 0), len(bounds) - 2)


def _grid_from_cells(page_no: int, boxes: list[tuple[float, float, float, float]]) -> PageGrid | None:
    xs = cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    if len(xs) < 3 or len(ys) < 2:  # fewer than two columns: a framed paragraph, not a table
        return None
    cells: list[GridCell] = []
    owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    spans = []
    for x0, top, x1, bottom in boxes:
        c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
        r0, r1 = _nearest(ys, top), _nearest(ys, bottom)
        if c1 > c0 and r1 > r0:
            spans.append((r0, r1, c0, c1))
    # Smaller cells first: if the finder reports a cell and its subdivision, the parts win.
    for r0, r1, c0, c1 in sorted(set(spans), key=lambda s: ((s[1] - s[0]) * (s[3] - s[2]), s)):
        free = [(r, c) for r in range(r0, r1) for c in range(c0, c1) if owner[r][c] < 0]
        if not free:
            continue
        cells.append(GridCell(r0, r1, c0, c1, xs[c0], ys[r0]))
        for r, c in free:
            owner[r][c] = len(cells) - 1
    for r in range(len(ys) - 1):  # a position no cell covers (a rule missing) is a cell of its own
        for c in range(len(xs) - 1):
            if owner[r][c] < 0:
                cells.append(GridCell(r, r + 1, c, c + 1, xs[c], ys[r]))
                owner[r][c] = len(cells) - 1
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return PageGrid(page_no, bbox, xs, ys, cells, owner)


def _place_text(grid: PageGrid, glyphs: list[Glyph]) -> None:
    for g in glyphs:
        cell = grid.cells[grid.owner[_slot(grid.ys, (g.top + g.bottom) / 2)][_slot(grid.xs, (g.x0 + g.x1) / 2)]]
        cell.glyphs.append(g)
    for cell in grid.cells:
        if cell.glyphs:
            lines = build_lines(cell.glyphs)
            cell.text = cell_text(lines)
            cell.indent = round(min(line.x0 for line in lines) - cell.x0, 1) if lines else 0.0
            cell.glyphs = []  # text is all we keep: pages are released one by one


def _inside(g: Glyph, bbox: tuple[float, float, float, float], tolerance: float = 0.5) -> bool:
    cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
    return bbox[0] - tolerance <= cx <= bbox[2] + tolerance and bbox[1] - tolerance <= cy <= bbox[3] + tolerance


class CellFinder(TableFinder):
    """pdfplumber's TableFinder with the cells found by cells.intersections_to_cells: the same tables, faster."""

    def __init__(self, page, settings: dict):
        self.page, self.settings = page, TableSettings.resolve(settings)
        self.edges = self.get_edges()
        x_tolerance, y_tolerance = self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance
        self.intersections = edges_to_intersections(self.edges, x_tolerance, y_tolerance)
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [Table(page, cells) for cells in cells_to_tables(self.cells)]


def find_grids(page, content: PageContent) -> tuple[list[PageGrid], list[Glyph]]:
    """The ruled tables on a page (top to bottom) and the glyphs outside them."""
    vertical = [_edge(r) for r in content.rules if r.x0 == r.x1]
    horizontal = [_edge(r) for r in content.rules if r.top == r.bottom]
    if len(vertical) < 2 or len(horizontal) < 2:
        return [], list(content.glyphs)
    settings = dict(TABLE_SETTINGS, explicit_vertical_lines=vertical, explicit_horizontal_lines=horizontal)
    grids = []
    for table in CellFinder(page, settings).tables:
        grid = _grid_from_cells(content.number, list(table.cells))
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: (g.bbox[1], g.bbox[0]))
    outside: list[Glyph] = []
    claimed: list[list[Glyph]] = [[] for _ in grids]
    for g in content.glyphs:
        for i, grid in enumerate(grids):
            if _inside(g, grid.bbox):
                claimed[i].append(g)
                break
        else:
            outside.append(g)
    for grid, glyphs in zip(grids, claimed):
        _place_text(grid, glyphs)
    return grids, outside
