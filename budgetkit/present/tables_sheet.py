"""One reproduced table as a sheet in printed layout: printed values, 重算 and 差额 as numeric cells.

Label columns first (codes as text, names indented by level), then the printed amount columns, the
recomputed ones and the differences, each with the table's number format (#,##0.00 for 万元 to 2
decimals). A printed cell that differs from its recomputation is filled — red beyond rounding,
yellow within it — and so is its difference; subtotal and total rows are bold.
"""

from __future__ import annotations

import pandas as pd

from budgetkit.checks.reproduce import amount_columns
from budgetkit.core.model import SUBTOTAL, TOTAL, Metadata, Table
from budgetkit.core.money import from_fen
from budgetkit.core.template import Template
from budgetkit.present.frames import by_part
from budgetkit.present.grid import Align, Sheet, Style
from budgetkit.present.workbook import (
    BOLD,
    FILL,
    TITLE_FONT,
    display_width,
    landscape,
    style_header,
)

LEGEND = "印刷数与按下级明细重算数之差：红色 = 超出四舍五入容差（数据不一致），黄色 = 四舍五入尾差；粗体为小计、合计行"


def number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _number(v, table: Table):
    return None if v is None or pd.isna(v) else from_fen(int(v), table.unit, table.decimals)


def reproduced_sheet(ws: Sheet, table: Table, template: Template, reproduced: pd.DataFrame,
                     meta: Metadata | None = None, parts: dict[str, list[dict]] | None = None) -> None:
    """``parts``: the frame's rows by part (``frames.by_part``) when the caller has them already."""
    spec = template.table(table.id)
    year = table.printed_year
    fmt = number_format(table.decimals)
    ws.append([f"{spec.label} {table.title}"])
    ws.style(1, 1, font=TITLE_FONT)
    department = table.printed_department or (meta.department if meta else "")
    ws.append([f"部门名称：{department}", "", f"单位：{table.unit}", "注：本表无数据" if table.declared_empty else ""])
    ws.append([LEGEND])
    parts = by_part(reproduced) if parts is None else parts
    text, number = Style(number_format="@"), Style(number_format=fmt)  # codes stay text ('2010601'), as printed
    amounts = set(amount_columns(reproduced))
    widths: dict[int, int] = {}
    first_header = None
    for part in spec.parts:
        block = parts.get(part.key)
        if not block:
            continue
        ws.append([])
        if part.name:
            ws.style(ws.append([part.name]), 1, font=BOLD)
        cols = [c for c in part.amounts if c.key in amounts]
        heads = [c.printed(year).replace("{year}", "") for c in cols]
        header_row = ws.append([c.header for c in part.labels] + heads + [f"重算 {h}" for h in heads]
                               + [f"差额 {h}" for h in heads])
        first_header = first_header or header_row
        style_header(ws, header_row, len(part.labels) + 3 * len(cols))
        n_labels = len(part.labels)
        indent_key = part.indent_key
        for rec in block:
            level = 0 if pd.isna(rec["level"]) else int(rec["level"])
            labels = ["" if pd.isna(rec[c.key]) else str(rec[c.key]) for c in part.labels]
            printed = [_number(rec[c.key], table) for c in cols]
            recomputed = [_number(rec[f"{c.key}_recomputed"], table) for c in cols]
            statuses = [rec[f"{c.key}_status"] for c in cols]
            diffs = [_number(rec[f"{c.key}_diff"], table) if s in ("rounding", "error") else None
                     for c, s in zip(cols, statuses)]
            r = ws.max_row + 1
            ws.max_row = r
            total = rec["kind"] in (SUBTOTAL, TOTAL)
            label = ws.restyled(text, font=BOLD) if total else text
            for j, (c, v) in enumerate(zip(part.labels, labels), start=1):
                indented = c.key == indent_key and level > 0
                ws.put(r, j, v, ws.restyled(label, align=Align(indent=level)) if indented else label)
            amount = ws.restyled(number, font=BOLD) if total else number
            for j, v in enumerate(printed + recomputed + diffs, start=n_labels + 1):
                ws.put(r, j, v, amount)
            for j, status in enumerate(statuses):
                if status in ("rounding", "error"):
                    ws.style(r, n_labels + 1 + j, fill=FILL[status])
                    ws.style(r, n_labels + 1 + 2 * len(cols) + j, fill=FILL[status])
            for j, v in enumerate(labels, start=1):
                widths[j] = max(widths.get(j, 0), display_width(v) + 2 + 2 * level)
        for j, h in enumerate(heads * 3, start=n_labels + 1):
            widths[j] = max(widths.get(j, 0), display_width(h) + 2, 12)
    for j, w in widths.items():
        ws.widths[j] = min(w, 50)
    if first_header:
        ws.freeze = first_header + 1
        ws.print_rows = (first_header, first_header)
    landscape(ws)
