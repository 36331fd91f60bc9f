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
from budgetkit.present.frames import records
from budgetkit.present.grid import Align, Sheet
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
                     meta: Metadata | None = None) -> None:
    spec = template.table(table.id)
    year = table.printed_year
    fmt = number_format(table.decimals)
    ws.append([f"{spec.label} {table.title}"])
    ws.style(1, 1, font=TITLE_FONT)
    department = table.printed_department or (meta.department if meta else "")
    ws.append([f"部门名称：{department}", "", f"单位：{table.unit}", "注：本表无数据" if table.declared_empty else ""])
    ws.append([LEGEND])
    widths: dict[int, int] = {}
    first_header = None
    for part in spec.parts:
        block = reproduced[reproduced["part"] == part.key]
        if block.empty:
            continue
        ws.append([])
        if part.name:
            ws.style(ws.append([part.name]), 1, font=BOLD)
        cols = [c for c in part.amounts if c.key in amount_columns(block)]
        heads = [c.printed(year).replace("{year}", "") for c in cols]
        header_row = ws.append([c.header for c in part.labels] + heads + [f"重算 {h}" for h in heads]
                               + [f"差额 {h}" for h in heads])
        first_header = first_header or header_row
        style_header(ws, header_row, len(part.labels) + 3 * len(cols))
        n_labels = len(part.labels)
        indent_key = part.indent_key
        for rec in records(block):
            level = 0 if pd.isna(rec["level"]) else int(rec["level"])
            labels = ["" if pd.isna(rec[c.key]) else str(rec[c.key]) for c in part.labels]
            printed = [_number(rec[c.key], table) for c in cols]
            recomputed = [_number(rec[f"{c.key}_recomputed"], table) for c in cols]
            diffs = [_number(rec[f"{c.key}_diff"], table) if rec[f"{c.key}_status"] in ("rounding", "error") else None
                     for c in cols]
            r = ws.append(labels + printed + recomputed + diffs)
            total = rec["kind"] in (SUBTOTAL, TOTAL)
            for j, c in enumerate(part.labels, start=1):
                ws.style(r, j, number_format="@")  # codes stay text ('2010601'), as printed
                if c.key == indent_key and level > 0:
                    ws.style(r, j, align=Align(horizontal="left", indent=level))  # Excel indents left-aligned text
                if total:
                    ws.style(r, j, font=BOLD)
            for j in range(n_labels + 1, n_labels + 3 * len(cols) + 1):
                ws.style(r, j, number_format=fmt)
                if total:
                    ws.style(r, j, font=BOLD)
            for j, c in enumerate(cols):
                status = rec[f"{c.key}_status"]
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
