"""Which amount column each printed value belongs to, settled by the table's own structure.

PDF text keeps a row's values in order but loses its empty cells, except as runs
of spaces that are not reliable ("17.22   17.22" and "17.22  17.22" for the same
row shape). So every order-preserving placement of a row's values into the amount
columns is a candidate; the template's row identities (total = basic + project)
filter them; the sums the table must satisfy (parent = sum of children, column by
column) prune them further; the space runs only break ties.

"Ambiguous by count" here means: more than one placement satisfies the row
identities AND the spacing does not give a consistent placement (wrong number of
blank cells, or a placement breaking the identities). Such a row is either
settled by structure (note ``column_settled``, info) or kept at the placement
nearest the spacing (note ``column_ambiguous``, warning). A row whose consistent
spacing is contradicted by structure is also reported as ``column_settled``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import combinations

from budgetkit.core.model import ExtractionNote
from budgetkit.core.money import rounding_tolerance

#: Give up pruning one (constraint, column) when its partial sums exceed this many.
MAX_PARTIAL_SUMS = 5_000

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Spacing:
    """Blank cells suggested by the space runs: between consecutive values, and after the last."""

    between: tuple[int, ...] = ()
    trailing: int = 0


def spacing_of(segment: str) -> Spacing:
    """Read a value segment such as '17.22  17.22' or '192.95 192.95  ' (one space separates cells)."""
    # the values may sit on a later line than the label: use the first line holding them
    pieces = segment.split("\n")
    line = next((part for part in pieces if part.strip()), pieces[0])
    spans = [m.span() for m in _TOKEN.finditer(line)]
    if not spans:
        return Spacing((), max(0, len(line) - 1))  # a row of blank cells
    between = tuple(max(0, b[0] - a[1] - 1) for a, b in zip(spans, spans[1:]))
    trailing = max(0, len(line) - spans[-1][1] - 1)
    return Spacing(between, trailing)


def spacing_placement(spacing: Spacing, n_values: int, n_cols: int) -> tuple[int, ...] | None:
    """The placement the spacing implies, anchored at the right edge; None when it does not fit."""
    if n_values == 0:
        return ()
    if len(spacing.between) != n_values - 1:
        return None
    first = n_cols - (n_values + sum(spacing.between) + spacing.trailing)
    if first < 0:
        return None
    cols = [first]
    for gap in spacing.between:
        cols.append(cols[-1] + gap + 1)
    return tuple(cols)


def spacing_distance(placement: tuple[int, ...], spacing: Spacing, n_cols: int) -> int:
    """How far a placement is from what the spacing suggests (for the fallback choice)."""
    if not placement:
        return 0
    gaps = [b - a - 1 for a, b in zip(placement, placement[1:])]
    printed = list(spacing.between) + [0] * (len(gaps) - len(spacing.between))
    return sum(abs(g - p) for g, p in zip(gaps, printed)) + abs((n_cols - 1 - placement[-1]) - spacing.trailing)


@dataclass
class CellRow:
    """One printed row's values (分, in printed order) and what its spacing suggests."""

    values: list[int]
    spacing: Spacing
    location: str
    fixed: tuple[int, ...] | None = None  # columns known for certain (every cell printed)
    candidates: list[tuple[int, ...]] = field(default_factory=list)
    domain: list[tuple[int, ...]] = field(default_factory=list)

    def column_value(self, placement: tuple[int, ...], col: int) -> int:
        return self.values[placement.index(col)] if col in placement else 0


@dataclass(frozen=True)
class ColumnIdentity:
    """A row identity over column indices: lhs = sum(rhs)."""

    lhs: int
    rhs: tuple[int, ...]


def _satisfies(row: CellRow, placement: tuple[int, ...], identities: list[ColumnIdentity], quantum: int) -> bool:
    for ident in identities:
        lhs = row.column_value(placement, ident.lhs)
        rhs = sum(row.column_value(placement, c) for c in ident.rhs)
        if abs(lhs - rhs) > rounding_tolerance(len(ident.rhs) + 1, quantum):
            return False
    return True


def _prune(rows: list[CellRow], members: list[tuple[int, int]], col: int, quantum: int,
           check_only: bool = False) -> bool | None:
    """Generalised arc consistency of sum(coef * row[col]) == 0 over members (row index, coef).

    Returns True when a domain shrank, False when nothing changed, None when the
    constraint cannot hold for any choice (a real inconsistency: leave it to the checks).
    """
    tol = rounding_tolerance(len(members), quantum)
    # rows whose value in this column is already certain only shift the target
    offset, open_members, options = 0, [], []
    for i, coef in members:
        opts = sorted({coef * rows[i].column_value(p, col) for p in rows[i].domain})
        if len(opts) == 1:
            offset += opts[0]
        else:
            open_members.append((i, coef))
            options.append(opts)
    forward = [{offset}]
    for opts in options:
        nxt = {s + v for s in forward[-1] for v in opts}
        if len(nxt) > MAX_PARTIAL_SUMS:
            return False
        forward.append(nxt)
    if not any(abs(s) <= tol for s in forward[-1]):
        return None
    if check_only:
        return False
    backward = [{0}]
    for opts in reversed(options):
        backward.append({s + v for s in backward[-1] for v in opts})
    backward.reverse()  # backward[k] = sums of open members k..end
    changed = False
    for k, (i, coef) in enumerate(open_members):
        after = sorted(backward[k + 1])
        feasible = set()
        for v in options[k]:
            for f in forward[k]:
                lo = bisect.bisect_left(after, -f - v - tol)
                if lo < len(after) and after[lo] <= -f - v + tol:
                    feasible.add(v)
                    break
        keep = [p for p in rows[i].domain if coef * rows[i].column_value(p, col) in feasible]
        if len(keep) < len(rows[i].domain):
            rows[i].domain = keep
            changed = True
    return changed


def _propagate(rows: list[CellRow], sums: list[tuple[int, list[int]]], n_cols: int, quantum: int,
               broken: set) -> None:
    changed = True
    while changed:
        changed = False
        for s, (parent, children) in enumerate(sums):
            members = [(parent, -1)] + [(c, 1) for c in children]
            if s in broken or all(len(rows[i].domain) == 1 for i, _ in members):
                continue
            if any(_prune(rows, members, col, quantum, check_only=True) is None for col in range(n_cols)):
                # wrong in one column (a misprint, or rows that are not really its items): trust it in none
                broken.add(s)
                continue
            for col in range(n_cols):
                changed = bool(_prune(rows, members, col, quantum)) or changed


def resolve_columns(rows: list[CellRow], headers: list[str], identities: list[ColumnIdentity],
                    sums: list[tuple[int, list[int]]], quantum: int, table_id: str
                    ) -> tuple[list[tuple[int, ...]], list[ExtractionNote]]:
    """Choose a column placement for every row; explain every choice the spacing did not make.

    ``sums`` lists (parent row, child rows) that must add up column by column.
    """
    n_cols = len(headers)
    hints = []
    for row in rows:
        placements = [row.fixed] if row.fixed is not None else list(combinations(range(n_cols), len(row.values)))
        row.candidates = [p for p in placements if _satisfies(row, p, identities, quantum)] or placements
        row.domain = list(row.candidates)
        hints.append(spacing_placement(row.spacing, len(row.values), n_cols))
    broken: set = set()
    _propagate(rows, sums, n_cols, quantum, broken)
    # the rows whose spacing is consistent (and allowed by structure) anchor the rest
    for row, hint in zip(rows, hints):
        if len(row.domain) > 1 and hint in row.domain:
            row.domain = [hint]
    _propagate(rows, sums, n_cols, quantum, broken)

    chosen, notes = [], []
    for row, hint in zip(rows, hints):
        hint_ok = hint is not None and hint in row.candidates
        if len(row.domain) == 1:
            pick = row.domain[0]
            if len(row.candidates) > 1 and pick != hint:
                notes.append(ExtractionNote(
                    kind="column_settled", severity="info", table=table_id, location=row.location,
                    message=f"{row.location}：空格位置{'提示为' + _cols(hint, headers) if hint_ok else '不能确定列'}，"
                            f"按表内勾稽关系（上下级合计、列合计）归入 {_cols(pick, headers)}"))
        else:
            pick = min(row.domain, key=lambda p: spacing_distance(p, row.spacing, n_cols))
            notes.append(ExtractionNote(
                kind="column_ambiguous", severity="warning", table=table_id, location=row.location,
                message=f"{row.location}：{len(row.values)}个金额可归入多种列组合"
                        f"（{'；'.join(_cols(p, headers) for p in row.domain)}），"
                        f"表内勾稽关系无法确定，暂按空格位置归入 {_cols(pick, headers)}，请人工核对"))
        chosen.append(pick)
    return chosen, notes


def _cols(placement: tuple[int, ...] | None, headers: list[str]) -> str:
    if placement is None:
        return "（无）"
    return "、".join(headers[c] for c in placement) or "（全部空白）"
