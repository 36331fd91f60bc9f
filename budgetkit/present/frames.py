"""Rows of a pandas frame as plain Python values, for the sections and sheets that walk them row by row."""

from __future__ import annotations

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")``: one dict per row, a missing value as None; built from whole columns.

    pandas builds each row of ``to_dict``/``iterrows`` through its indexing machinery, which cost more than
    the report's own work on the reproduced tables (a few hundred rows of ~30 nullable columns)."""
    columns = {c: [None if v is pd.NA else v for v in frame[c].tolist()] for c in frame.columns}
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def by_part(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """A reproduced table's ``records``, split by its 'part' column (row order kept): what
    ``records(frame[frame["part"] == key])`` gives for each part, with one pass over the frame's columns."""
    out: dict[str, list[dict]] = {}
    for rec in records(frame):
        out.setdefault(rec["part"], []).append(rec)
    return out
