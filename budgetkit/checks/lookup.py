"""Reading single printed cells out of table frames for cross-table rules (values in 分, None = blank)."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from budgetkit.core.model import Table
from budgetkit.checks.reproduce import Cells, fixed_row_index, is_total_row
from budgetkit.core.template import Template


def norm_name(text: str) -> str:
    """Compare names across tables: NFKC (full-width brackets), no spaces, no ①②, no list numbering."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"^[①②③④⑤⑥⑦⑧⑨⑩]|^\d+[.、]", "", s)
    return re.sub(r"^[一二三四五六七八九十]+、", "", s)


def cell(frame: pd.DataFrame, idx: int | None, col: str) -> int | None:
    if idx is None or col not in frame.columns:
        return None
    v = frame.at[idx, col]
    return None if pd.isna(v) else int(v)


def zero(v: int | None) -> int:
    return 0 if v is None else v


def total_row(table: Table, template: Template, part_key: str = "main") -> int | None:
    """Frame index of the part's 合计行 / 部门合计 (first one), or None."""
    part = template.table(table.id).part(part_key)
    frame = table.parts.get(part_key)
    if frame is None:
        return None
    cells = Cells(frame)
    return next((i for i in cells.index if is_total_row(cells, i, part)), None)


def total_value(table: Table, template: Template, col: str, part_key: str = "main") -> int | None:
    frame = table.parts.get(part_key)
    return None if frame is None else cell(frame, total_row(table, template, part_key), col)


def code_rows(table: Table, part_key: str = "main") -> dict[str, int]:
    """功能科目编码 → frame index (first occurrence) of a functional table."""
    frame = table.parts.get(part_key)
    out: dict[str, int] = {}
    if frame is None or "code" not in frame.columns:
        return out
    for i, raw in zip(frame.index, frame["code"].tolist()):
        code = re.sub(r"\s+", "", str(raw))
        if code.isdigit():
            out.setdefault(code, i)
    return out


def code_name(table: Table, code: str, part_key: str = "main", rows: dict[str, int] | None = None) -> str:
    frame = table.parts[part_key]
    idx = (rows if rows is not None else code_rows(table, part_key)).get(code)
    return "" if idx is None or "name" not in frame.columns else str(frame.at[idx, "name"]).strip()


def fixed_value(table: Table, template: Template, part_key: str, row_key: str, col: str) -> int | None:
    frame = table.parts.get(part_key)
    if frame is None:
        return None
    part = template.table(table.id).part(part_key)
    return cell(frame, fixed_row_index(frame, part).get(row_key), col)


def fixed_label(template: Template, table_id: str, part_key: str, row_key: str) -> str:
    part = template.table(table_id).part(part_key)
    return next((r.label for r in part.rows if r.key == row_key), row_key)


def column_header(template: Template, table_id: str, part_key: str, col: str, year: int | None) -> str:
    part = template.table(table_id).part(part_key)
    c = next(c for c in part.amounts if c.key == col)
    return c.printed(year).replace("{year}", "")


def column_sum(table: Table, part_key: str, col: str) -> int:
    frame = table.parts.get(part_key)
    if frame is None or col not in frame.columns:
        return 0
    return int(frame[col].fillna(0).abs().sum())
