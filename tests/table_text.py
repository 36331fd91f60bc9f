"""Print a Disclosure's tables the way the seed's PDF text shows them (for round-trip tests).

Conventions copied from the seed text: cells joined by one space, an empty cell is
an empty string, a row ending in empty cells gets one extra trailing space; blank
lines between text lines; two-sided tables share lines (left value glued to the
right label); long project names wrap with the values on a line of their own.
"""

from __future__ import annotations

import pandas as pd

from budgetkit.model import TOTAL
from budgetkit.money import format_amount
from budgetkit.template import chinese_numerals

WRAP = 14


def _cells(row, keys, unit) -> list[str]:
    return [format_amount(None if pd.isna(row[k]) else int(row[k]), unit) for k in keys]


def _line(label: str, cells: list[str]) -> str:
    text = " ".join([label, *cells])
    return text + " " if cells and cells[-1] == "" else text


def _label(spec, part, row) -> str:
    if spec.layout.startswith("functional"):
        return row["name"] if row["kind"] == TOTAL else f"{row['code']} {row['name']}"
    if spec.layout == "economic":
        return f"{row['dept_econ']} {row['gov_econ']}"
    if spec.layout == "projects":
        return "\u3000" * int(row["level"]) + row["project"]
    return row[part.label_keys[0]]


def _rows(spec, part, frame, unit) -> list[str]:
    out = []
    for _, row in frame.iterrows():
        label, cells = _label(spec, part, row), _cells(row, part.amount_keys, unit)
        name = label.lstrip("\u3000")
        if spec.layout == "projects" and len(name) > WRAP:
            indent = label[:len(label) - len(name)]
            out += [indent + name[:WRAP], name[WRAP:], _line("", cells).lstrip(" ")]
        else:
            out.append(_line(label, cells))
    return out


def _two_sided(spec, table, unit) -> list[str]:
    left_part, right_part = spec.parts
    left, right = table.parts[left_part.key], table.parts[right_part.key]
    out = []
    for i in range(max(len(left), len(right))):
        text = ""
        if i < len(left):
            row = left.iloc[i]
            cells = _cells(row, left_part.amount_keys, unit)
            text = " ".join([row["item"], *cells])
        else:
            text = " "
        if i < len(right):
            row = right.iloc[i]
            sep = "" if text.strip() and text[-1] != " " and cells[-1] else " "
            text += sep + _line(row["item"], _cells(row, right_part.amount_keys, unit))
        out.append(text)
    return out


def disclosure_text(disclosure, template) -> str:
    """第二部分 of a disclosure as PDF-extracted text."""
    numerals = chinese_numerals(len(template.tables))
    year = disclosure.meta.year
    lines = ["第二部分 部门预算公开表"]
    for n, spec in enumerate(template.tables):
        table = disclosure.tables.get(spec.id)
        if table is None:
            continue
        title = table.title if table.title.startswith(str(year)) else f"{year}年{table.title}"
        lines += [f" 表{numerals[n]}{title}", f"预算公开表{n + 1}", title,
                  f"部门名称：{disclosure.meta.department} 单位：{table.unit}"]
        headers = [c.printed(year) for p in spec.parts for c in (*p.labels, *p.amounts)]
        lines.append(" ".join(headers))
        if spec.layout == "two_sided":
            lines += _two_sided(spec, table, table.unit)
        elif spec.layout == "functional_two_sided" and table.declared_empty:
            lines.append("合计" + " " * 7)  # as the seed prints it (line 639)
        elif spec.layout == "functional_two_sided":
            left, right = (_rows(spec, p, table.parts[p.key], table.unit) for p in spec.parts)
            lines += [f"{a} {b}".strip(" ") + (" " if b.endswith(" ") else "")
                      for a, b in zip(left + [""] * len(right), right + [""] * len(left))]
        else:
            part = spec.parts[0]
            lines += _rows(spec, part, table.parts[part.key], table.unit)
        if table.declared_empty:
            lines.append("注：本表无数据")
    return "\n\n".join(lines) + "\n"
