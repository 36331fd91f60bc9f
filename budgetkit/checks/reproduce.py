"""Every table reproduced in printed layout from its identities: printed, recomputed, difference, status.

The statuses are those of the identities the within-table rules judge (``identities``), so the
reproduced table and the findings never disagree.
"""

from __future__ import annotations

import pandas as pd

from budgetkit.checks.identities import Cells, Identity, row_label, table_identities
from budgetkit.core.model import Disclosure, Table
from budgetkit.core.money import format_amount, quantum_fen
from budgetkit.core.template import Template, load_template

STATUS_RANK = {"ok": 0, "rounding": 1, "error": 2}




def table_quantum(table: Table) -> int:
    return quantum_fen(table.unit, table.decimals)


def reproduce_table(table: Table, template: Template) -> pd.DataFrame:
    """The table in printed layout with, per amount column: printed, recomputed, diff (分), n_terms, status.

    A cell covered by several identities (e.g. a 类 row's 合计: Σ 款 and 基本 + 项目)
    shows the worst one. Cells nothing adds up to have status 'leaf'.
    """
    spec = template.table(table.id)
    quantum = table_quantum(table)
    worst: dict[tuple[str, int, str], Identity] = {}
    for ident in table_identities(table, template):
        k = (ident.part, ident.row, ident.column)
        old = worst.get(k)
        if old is None or (STATUS_RANK[ident.status(quantum)], abs(ident.difference)) > (
                STATUS_RANK[old.status(quantum)], abs(old.difference)):
            worst[k] = ident
    blocks = []
    for part in spec.parts:
        frame = table.parts.get(part.key)
        if frame is None:
            continue
        cells = Cells(frame)
        # The columns gathered first and made into one frame: a column inserted at a time (and a concat of a
        # single part) cost pandas more than all the identities.
        columns = {"part": part.key, "row_no": frame["row_no"], "kind": frame["kind"], "level": frame["level"],
                   "label": [row_label(cells, i, part, spec.layout) for i in cells.index]}
        for k in part.label_keys:
            columns[k] = frame[k]
        for col in part.amounts:
            c = col.key
            idents = [worst.get((part.key, i, c)) for i in frame.index]
            columns[c] = frame[c]
            columns[f"{c}_recomputed"] = pd.array(  # blank when every term is blank, as it would be printed
                [None if d is None or all(t is None for t in d.terms) else d.recomputed for d in idents],
                dtype="Int64")
            columns[f"{c}_diff"] = pd.array([None if d is None else d.difference for d in idents], dtype="Int64")
            columns[f"{c}_n_terms"] = pd.array([None if d is None else d.n_printed for d in idents], dtype="Int64")
            columns[f"{c}_status"] = ["leaf" if d is None else d.status(quantum) for d in idents]
            columns[f"{c}_relation"] = ["" if d is None else d.relation for d in idents]
        blocks.append(pd.DataFrame(columns))
    if not blocks:
        return pd.DataFrame(columns=["part", "row_no", "kind", "level", "label"])
    if len(blocks) == 1:
        return blocks[0].reset_index(drop=True)
    out = pd.concat(blocks, ignore_index=True)
    for c in out.columns:  # a column of another part (two-part tables): nothing printed there
        if c.endswith(("_status", "_relation")):
            out[c] = out[c].fillna("")
    return out


def reproduce_all(disclosure: Disclosure, template: Template | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the disclosure reproduced, keyed by table id in template order."""
    template = template or load_template(disclosure.meta.template)
    return {t: reproduce_table(disclosure.tables[t], template) for t in template.table_ids if t in disclosure.tables}


def amount_columns(reproduced: pd.DataFrame) -> list[str]:
    """The printed amount column keys of a reproduced frame (those with a *_status companion)."""
    return [c[: -len("_status")] for c in reproduced.columns if c.endswith("_status")]


def format_reproduction(reproduced: pd.DataFrame, unit: str, decimals: int) -> pd.DataFrame:
    """Amounts (printed, recomputed, diff) as the document prints them, e.g. '1716.73', for display."""
    view = reproduced.copy()
    for c in amount_columns(reproduced):
        for col in (c, f"{c}_recomputed", f"{c}_diff"):
            view[col] = [format_amount(None if pd.isna(v) else int(v), unit, decimals) for v in reproduced[col]]
    return view
