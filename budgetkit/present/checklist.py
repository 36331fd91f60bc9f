"""The inspection checklist (公开情况检查表) as the finance bureau's paper form: notebook, workbook sheet, terminal.

The engine decided every item (``CheckReport.checklist``); here it is only laid out: a title
("2024年度部门预算公开情况检查表"), 部门名称, and the form's three columns 检查项目 · 是否符合要求 ·
存在的问题 — each problem on its own line; for an item not checked, why not; for a conforming item, what
its rules could not check (so a 是 never hides a gap).
"""

from __future__ import annotations

import html
import math

from budgetkit.core.findings import ChecklistItem, CheckReport
from budgetkit.core.model import Metadata

HEADERS = ["序号", "检查项目", "是否符合要求", "存在的问题"]
#: Row colours by answer (the HTML report's error and rounding colours; 是 stays white).
ANSWER_SEVERITY = {"否": "error", "未核对": "rounding"}
SHEET = "公开情况检查表"
PROBLEM_WIDTH = 90  # display columns of the 存在的问题 column in the workbook


def problem_lines(item: ChecklistItem) -> list[str]:
    """What the 存在的问题 cell says: the problems, or for 未核对 why it could not be checked."""
    if item.problems:
        return [f"{i}. {p}" for i, p in enumerate(item.problems, start=1)] if len(item.problems) > 1 \
            else list(item.problems)
    if item.conforms == "未核对":
        return [f"未核对：{why}" for why in item.unchecked] or ["未核对"]
    return [f"（未能核对）{why}" for why in item.unchecked]


def form_title(report: CheckReport) -> str:
    return report.checklist_title or "公开情况检查表"


def department_line(report: CheckReport, meta: Metadata | None) -> str:
    department = (meta.department if meta else "") or report.department or "（未识别）"
    return f"部门名称：{department}"


def rows(report: CheckReport) -> list[list]:
    """[序号, 检查项目, 是/否/未核对, 存在的问题 (one problem per line)] per item."""
    return [[i, c.item, c.conforms, "\n".join(problem_lines(c))] for i, c in enumerate(report.checklist, start=1)]


def counts(report: CheckReport) -> dict[str, int]:
    out = {"是": 0, "否": 0, "未核对": 0}
    for c in report.checklist:
        out[c.conforms] += 1
    return out


def summary_line(report: CheckReport) -> str:
    n = counts(report)
    return f"共 {len(report.checklist)} 项：符合 {n['是']} 项，不符合 {n['否']} 项，未核对 {n['未核对']} 项"


# ---------------------------------------------------------------- HTML (notebook and report)


def checklist_html(report: CheckReport, meta: Metadata | None = None) -> str:
    from budgetkit.present.html import background, table

    if not report.checklist:
        return "<p>本格式未声明检查表项目。</p>"
    css = [background(ANSWER_SEVERITY.get(c.conforms)) for c in report.checklist]
    cells = [["", "", "text-align: center", "white-space: pre-line"] for _ in report.checklist]  # a problem a line
    return (f"<h3>{html.escape(form_title(report))}</h3>"
            f"<p>{html.escape(department_line(report, meta))}　　{summary_line(report)}</p>"
            + table("checklist", HEADERS, rows(report), css, cells))


# ---------------------------------------------------------------- workbook sheet


def write_sheet(sheets: list, report: CheckReport, meta: Metadata | None = None) -> None:
    """The sheet 公开情况检查表 laid out like the paper form, printed portrait, one page wide (appended to ``sheets``)."""
    from budgetkit.present.grid import Align, Border, Font, Sheet
    from budgetkit.present.workbook import (
        LINE_HEIGHT,
        display_width,
        fill_row,
        style_header,
    )

    ws = Sheet(SHEET)
    sheets.append(ws)
    box = Border("box", "808080")
    ws.merged.append((1, 1, 1, len(HEADERS)))
    ws.cell(1, 1, form_title(report))
    ws.style(1, 1, font=Font(bold=True, size=15), align=Align(horizontal="center"))
    ws.cell(2, 1, department_line(report, meta))
    ws.cell(2, 3, summary_line(report))
    ws.style(2, 3, font=Font(color="404040"))
    header_row = 3
    for j, head in enumerate(HEADERS, start=1):
        ws.cell(header_row, j, head)
        ws.style(header_row, j, border=box)
    style_header(ws, header_row, len(HEADERS))
    widths = [6, max([12] + [display_width(c.item) + 2 for c in report.checklist]), 14, PROBLEM_WIDTH]
    for j, w in enumerate(widths, start=1):
        ws.widths[j] = w
    for i, (row, item) in enumerate(zip(rows(report), report.checklist), start=header_row + 1):
        for j, value in enumerate(row, start=1):
            ws.cell(i, j, value if value != "" else None)
            ws.style(i, j, border=box, align=Align(horizontal="center" if j in (1, 3) else None, vertical="top",
                                                   wrap=True))
        fill_row(ws, i, len(HEADERS), ANSWER_SEVERITY.get(item.conforms))
        lines = sum(max(1, math.ceil(1.1 * display_width(line) / (PROBLEM_WIDTH - 2)))
                    for line in problem_lines(item)) or 1
        lines = max(lines, math.ceil(display_width(item.item) / (widths[1] - 2)))
        if lines > 1:
            ws.heights[i] = LINE_HEIGHT * lines
    ws.freeze = header_row + 1
    ws.print_rows = (header_row, header_row)
    ws.orientation = "portrait"


# ---------------------------------------------------------------- terminal


def text_lines(report: CheckReport) -> list[str]:
    """The checklist for ``budgetkit check``: one line per item, its problems indented below it."""
    if not report.checklist:
        return []
    out = [form_title(report), summary_line(report)]
    for n, item, answer, _ in rows(report):
        out.append(f"  {n:>2}. [{answer}] {item}")
        out += [f"        {line}" for line in problem_lines(report.checklist[n - 1])]
    return out
