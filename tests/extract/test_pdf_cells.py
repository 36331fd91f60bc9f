"""cells.intersections_to_cells finds exactly pdfplumber's cells, in pdfplumber's order.

On made-up crossings (rules with gaps, shared and separate edges, NaN) and on
every ruled page of the development PDFs, through grid.CellFinder against
pdfplumber's own TableFinder.
"""

from __future__ import annotations

import math
import random

import pytest
from pdfplumber import table as pdfplumber_table
from project_files import sample

from budgetkit.extract.pdf.cells import intersections_to_cells
from budgetkit.extract.pdf.grid import TABLE_SETTINGS, CellFinder, _edge
from budgetkit.extract.pdf.opening import open_pdf
from budgetkit.extract.pdf.parsing import parse_page


def _edge_dict(x0, top, x1, bottom) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "orientation": "v" if x0 == x1 else "h"}


def _ruled_crossings(rng: random.Random, columns: int, rows: int) -> dict:
    """A grid of crossings whose rules are drawn in random pieces, some missing."""
    xs = sorted(rng.sample(range(0, 400, 7), columns))
    ys = sorted(rng.sample(range(0, 600, 9), rows))
    edges = []
    for x in xs:  # vertical rules, cut at random rows
        cuts = sorted({0, rows - 1, *rng.sample(range(rows), rng.randint(0, rows - 1))})
        edges += [_edge_dict(x, ys[a], x, ys[b]) for a, b in zip(cuts, cuts[1:]) if rng.random() < 0.85]
    for y in ys:
        cuts = sorted({0, columns - 1, *rng.sample(range(columns), rng.randint(0, columns - 1))})
        edges += [_edge_dict(xs[a], y, xs[b], y) for a, b in zip(cuts, cuts[1:]) if rng.random() < 0.85]
    return pdfplumber_table.edges_to_intersections(edges, 3, 3)


@pytest.mark.parametrize("seed", range(40))
def test_same_cells_as_pdfplumber_on_made_up_rules(seed):
    rng = random.Random(seed)
    crossings = _ruled_crossings(rng, rng.randint(2, 12), rng.randint(2, 15))
    assert intersections_to_cells(crossings) == pdfplumber_table.intersections_to_cells(crossings)


def test_nan_and_lonely_crossings_like_pdfplumber():
    nan = math.nan
    edges = [_edge_dict(0, 0, 0, 10), _edge_dict(0, 0, 10, 0), _edge_dict(10, 0, 10, 10), _edge_dict(0, 10, 10, 10)]
    crossings = pdfplumber_table.edges_to_intersections(edges, 3, 3)
    crossings[(nan, 5.0)] = {"v": [edges[0]], "h": [edges[1]]}
    crossings[(20.0, nan)] = {"v": [edges[2]], "h": [edges[3]]}
    crossings[(30.0, 30.0)] = {"v": [], "h": []}
    assert intersections_to_cells(crossings) == pdfplumber_table.intersections_to_cells(crossings) == [(0, 0, 10, 10)]
    assert intersections_to_cells({}) == []


PDFS = [
    "national-final-accounts-template-2024.pdf",
    "shanghai-putuo-finance-2024-final-accounts.pdf",
    "shanghai-putuo-finance-2025-dept-budget.pdf",
    "shanghai-putuo-planning-2024-final-accounts.pdf",
    "shanghai-putuo-wanli-2023-dept-budget.pdf",
    "shanghai-putuo-wanli-2024-dept-budget.pdf",
    "shanghai-putuo-wanli-2025-dept-budget.pdf",
    "shanghai-putuo-welfare-home-2024-unit-budget.pdf",
]


@pytest.mark.parametrize("name", PDFS)
def test_same_tables_as_pdfplumbers_finder_on_every_ruled_page(name):
    pdf = open_pdf(sample(name))
    try:
        ruled = 0
        for page in pdf.pages:
            rules = parse_page(pdf, page).rules
            vertical = [_edge(r) for r in rules if r.x0 == r.x1]
            horizontal = [_edge(r) for r in rules if r.top == r.bottom]
            if len(vertical) < 2 or len(horizontal) < 2:  # find_grids looks for no table there
                continue
            settings = dict(TABLE_SETTINGS, explicit_vertical_lines=vertical, explicit_horizontal_lines=horizontal)
            ours = CellFinder(page, settings)
            theirs = pdfplumber_table.TableFinder(page, settings)
            assert ours.cells == theirs.cells
            assert [t.cells for t in ours.tables] == [t.cells for t in theirs.tables]
            ruled += bool(theirs.cells)
        assert ruled, f"{name}: no ruled page"
    finally:
        pdf.close()
