"""Findings and reproduced tables out of budgetkit: JSON, CSV (Excel-friendly), Excel, and terminal text.

Files are written atomically (temporary sibling, then rename): an interrupted
export never leaves a half-written file in place of a good one.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pandas as pd

from budgetkit.checks.reproduce import amount_columns, reproduce_table
from budgetkit.core.atomic import write_file
from budgetkit.core.findings import (
    FINDING_COLUMNS_CN,
    FINDING_FIELDS,
    SEVERITIES,
    SEVERITY_CN,
    STATUS_CN,
    STATUSES,
    CheckReport,
)
from budgetkit.core.model import Disclosure
from budgetkit.core.money import format_amount
from budgetkit.core.template import Template, load_template
from budgetkit.present.html import FILL as HTML_FILL

STATUS_FIELDS_CN = ["规则", "说明", "类别", "涉及表", "状态", "原因", "发现数"]
FILL = {severity: colour.lstrip("#").upper() for severity, colour in HTML_FILL.items()}  # the HTML report's colours


def table_name_cn(table: str) -> str:
    """'T3' → '表3', 'T5/T6' → '表5/表6'; other scopes ('narrative', 'form:…') unchanged."""
    parts = table.split("/")
    if all(p[:1] == "T" and p[1:].isdigit() for p in parts):
        return "/".join(f"表{p[1:]}" for p in parts)
    return table


def table_label(template_id: str, role: str) -> str:
    """A table role as the document numbers it ('表3')."""
    spec = load_template(template_id).by_role(role) if template_id else None
    return spec.label if spec is not None else role


def findings_frame(report: CheckReport, *, with_source: bool = False) -> pd.DataFrame:
    """One row per finding with the auditor's Chinese headers (规则, 严重程度, 表, 位置, 应为, 实际, 差额, 说明)."""
    rows = []
    for f in report.findings:
        d = f.to_dict()
        d["severity"] = SEVERITY_CN[f.severity]
        d["table"] = table_name_cn(f.table)
        rows.append(d)
    fields = (["source"] if with_source else []) + FINDING_FIELDS
    frame = pd.DataFrame(rows, columns=FINDING_FIELDS)
    if with_source:
        frame.insert(0, "source", report.source)
    return frame[fields].rename(columns=FINDING_COLUMNS_CN)


def status_frame(report: CheckReport) -> pd.DataFrame:
    """One row per rule: id, description, family, tables, status (Chinese), reason, number of findings."""
    from budgetkit.checks.engine import rules_for

    rules = {r.id: r for r in rules_for(load_template(report.template))} if report.template else {}
    rows = []
    for res in report.results:
        r = rules.get(res.rule)
        rows.append([res.rule, r.description if r else "", r.family if r else "",
                     "、".join(table_label(report.template, t) for t in r.tables) if r else "",
                     STATUS_CN[res.status], res.reason, len(res.findings)])
    return pd.DataFrame(rows, columns=STATUS_FIELDS_CN)


def findings_to_json(report: CheckReport, path: Path | str) -> Path:
    """The CLI's --json object (SPEC section 4), UTF-8."""
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"
    return write_file(path, lambda p: p.write_text(text, encoding="utf-8"))


def findings_to_csv(report: CheckReport, path: Path | str) -> Path:
    """Findings as CSV in UTF-8 with BOM, so Excel shows the Chinese correctly."""
    buf = io.StringIO()
    findings_frame(report).to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    data = buf.getvalue()
    return write_file(path, lambda p: p.write_text(data, encoding="utf-8-sig"))


def _style_sheet(ws, widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9D9D9")
        c.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"


def _write_frame(ws, frame: pd.DataFrame) -> None:
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(["" if pd.isna(v) else v for v in row])


def findings_to_excel(report: CheckReport, path: Path | str) -> Path:
    """Workbook with sheet 发现 (one row per finding, coloured by severity) and sheet 规则状态."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "发现"
    _write_frame(ws, findings_frame(report))
    _style_sheet(ws, [28, 10, 12, 36, 12, 12, 10, 80])
    for row, f in enumerate(report.findings, start=2):
        ws.cell(row, 2).fill = PatternFill("solid", fgColor=FILL[f.severity])
        ws.cell(row, 8).alignment = Alignment(wrap_text=True, vertical="top")
    ws2 = wb.create_sheet("规则状态")
    _write_frame(ws2, status_frame(report))
    _style_sheet(ws2, [30, 60, 12, 16, 10, 30, 8])
    ws.sheet_properties.tabColor = "C00000" if any(f.severity == "error" for f in report.findings) else "70AD47"
    return write_file(path, lambda p: wb.save(p))


def _reproduced_sheet(ws, table, template: Template, reproduced: pd.DataFrame) -> None:
    from openpyxl.styles import Font, PatternFill

    spec = template.table(table.id)
    year = table.printed_year
    bold = Font(bold=True)
    ws.append([f"表{spec.number} {table.title}"])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([f"部门名称：{table.printed_department}", "", f"单位：{table.unit}",
               "本表无数据" if table.declared_empty else ""])
    ws.append(["印刷数与按下级行重算数之差：红色 = 超出四舍五入容差，黄色 = 四舍五入尾差"])
    fmt = lambda v: format_amount(None if pd.isna(v) else int(v), table.unit, table.decimals)  # noqa: E731
    for part in spec.parts:
        block = reproduced[reproduced["part"] == part.key]
        if block.empty:
            continue
        ws.append([])
        if part.name:
            ws.append([part.name])
            ws.cell(ws.max_row, 1).font = bold
        cols = [c for c in part.amounts if c.key in amount_columns(block)]
        heads = [c.printed(year).replace("{year}", "") for c in cols]
        ws.append([c.header for c in part.labels] + heads + [f"重算 {h}" for h in heads] + [f"差额 {h}" for h in heads])
        for cell in ws[ws.max_row]:
            cell.font = bold
        n_labels = len(part.labels)
        for _, rec in block.iterrows():
            labels = [rec[c.key] for c in part.labels]
            values = [fmt(rec[c.key]) for c in cols]
            recomputed = [fmt(rec[f"{c.key}_recomputed"]) for c in cols]
            diffs = [fmt(rec[f"{c.key}_diff"]) if rec[f"{c.key}_status"] in ("rounding", "error") else ""
                     for c in cols]
            ws.append(labels + values + recomputed + diffs)
            r = ws.max_row
            for j, c in enumerate(cols):
                status = rec[f"{c.key}_status"]
                if status in ("rounding", "error"):
                    fill = PatternFill("solid", fgColor=FILL[status])
                    ws.cell(r, n_labels + 1 + j).fill = fill
                    ws.cell(r, n_labels + 1 + 2 * len(cols) + j).fill = fill
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 30


def reproduced_to_excel(disclosure: Disclosure, path: Path | str, template: Template | None = None) -> Path:
    """One sheet per table (表1 … 表13) in printed layout: printed, recomputed, difference; differences filled."""
    from openpyxl import Workbook

    template = template or load_template(disclosure.meta.template)
    wb = Workbook()
    wb.remove(wb.active)
    for table_id in template.table_ids:
        table = disclosure.tables.get(table_id)
        if table is None:
            continue
        ws = wb.create_sheet(f"表{template.table(table_id).number}")
        _reproduced_sheet(ws, table, template, reproduce_table(table, template))
    if not wb.sheetnames:
        wb.create_sheet("无表格").append(["该公开文件没有表格部分"])
    return write_file(path, lambda p: wb.save(p))


# ---------------------------------------------------------------- terminal text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """Cut to ``width`` display columns (CJK count double) and pad."""
    out, w = "", 0
    for ch in text:
        cw = _width(ch)
        if w + cw > width - (1 if _width(text) > width else 0):
            out += "…"
            w += 1
            break
        out, w = out + ch, w + cw
    return out + " " * max(0, width - w)


def format_findings_text(report: CheckReport) -> str:
    """Findings grouped by severity in a short table (errors and warnings with their message), then status counts."""
    lines = [f"来源: {report.source}"]
    widths = [28, 16, 40, 10, 10, 8]
    head = ["规则", "表", "位置", "应为", "实际", "差额"]
    by_severity = {s: [f for f in report.findings if f.severity == s] for s in SEVERITIES}
    if not report.findings:
        lines.append("没有发现问题。")
    for sev in SEVERITIES:
        group = by_severity[sev]
        if not group:
            continue
        lines.append("")
        lines.append(f"{SEVERITY_CN[sev]} {sev} ({len(group)})")
        lines.append("  " + " ".join(_fit(h, w) for h, w in zip(head, widths)).rstrip())
        for f in group:
            cells = [f.rule, table_name_cn(f.table), f.location, f.expected, f.actual, f.difference]
            lines.append("  " + " ".join(_fit(c, w) for c, w in zip(cells, widths)).rstrip())
            if sev in ("error", "warning"):
                lines.append(f"    → {f.message}")
    counts = report.counts()
    lines.append("")
    lines.append("规则状态: " + " · ".join(f"{STATUS_CN[s]} {s} {counts['status'][s]}" for s in STATUSES))
    lines.append("发现: " + " · ".join(f"{SEVERITY_CN[s]} {counts['severity'][s]}" for s in SEVERITIES))
    return "\n".join(lines)
