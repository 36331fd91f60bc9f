"""The cells that ruled lines' crossings describe: pdfplumber's intersections_to_cells, faster.

pdfplumber compares every crossing with every later one to find the crossings
directly below and to the right of it, and turns each crossing's edges into a set
on every comparison; a table of a few hundred crossings pays for that more than for
the rest of the table finder. Here each crossing's edge sets are made once, and the
crossings below and to the right are read from its column and row. Same cells, in
the same order (tests/extract/test_pdf_cells.py compares the two).
"""

from __future__ import annotations

from pdfplumber.utils import obj_to_bbox


def intersections_to_cells(intersections: dict) -> list[tuple]:
    """Each crossing's smallest cell whose four sides are drawn, (x0, top, x1, bottom), as pdfplumber finds them."""
    points = sorted(intersections)
    vertical = {p: set(map(obj_to_bbox, edges["v"])) for p, edges in intersections.items()}
    horizontal = {p: set(map(obj_to_bbox, edges["h"])) for p, edges in intersections.items()}

    def connects(p1, p2) -> bool:  # pdfplumber's edge_connects
        if p1[0] == p2[0] and not vertical[p1].isdisjoint(vertical[p2]):
            return True
        return p1[1] == p2[1] and not horizontal[p1].isdisjoint(horizontal[p2])

    columns: dict[float, list] = {}  # x → its crossings after each other in sorted order: top to bottom
    rows: dict[float, list] = {}  # top → its crossings in sorted order: left to right
    place = {}
    for p in points:
        column, row = columns.setdefault(p[0], []), rows.setdefault(p[1], [])
        place[p] = (column, len(column), row, len(row))
        column.append(p)
        row.append(p)
    cells = []
    for pt in points:
        column, in_column, row, in_row = place[pt]
        # the later crossings with the same x / top; NaN equals nothing, so it has none
        below = column[in_column + 1:] if pt[0] == pt[0] else []
        right = row[in_row + 1:] if pt[1] == pt[1] else []
        cell = _smallest_cell(pt, below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(pt, below: list, right: list, intersections: dict, connects) -> tuple | None:
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            bottom_right = (right_pt[0], below_pt[1])
            if bottom_right in intersections and connects(bottom_right, right_pt) and connects(bottom_right, below_pt):
                return (pt[0], pt[1], bottom_right[0], bottom_right[1])
    return None
