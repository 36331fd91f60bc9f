"""Findings and reproduced tables out of budgetkit: JSON, CSV (Excel-friendly), Excel, and terminal text.

The JSON is the CLI's object; the CSV and the workbooks are the auditor's list (``finding_rows``):
numbers as numbers with their unit in a column of its own, errors and warnings apart from rounding and
confirmations. Files are written atomically (temporary sibling, then rename): an interrupted export never
leaves a half-written file in place of a good one.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

from budgetkit.checks.registry import FAMILY_CN
from budgetkit.checks.reproduce import reproduce_table
from budgetkit.core.atomic import write_file
from budgetkit.core.findings import STATUS_CN, CheckReport
from budgetkit.core.model import Disclosure, Metadata
from budgetkit.core.template import Template, load_template
from budgetkit.present import xlsx
from budgetkit.present.checklist import write_sheet as write_checklist_sheet
from budgetkit.present.finding_rows import (
    COLUMNS,
    FindingRow,
    finding_rows,
    split_attention,
)
from budgetkit.present.grid import Sheet
from budgetkit.present.labels import ATTENTION
from budgetkit.present.workbook import FILL, list_sheet  # noqa: F401 (FILL: the colours, as the tests read them)

STATUS_FIELDS_CN = ["规则", "规则名称", "说明", "类别", "涉及表", "状态", "原因", "发现数"]
#: The auditor's own column in the workbooks, left empty for notes (审核意见).
NOTES_COLUMN = "审核意见"
ATTENTION_SHEET, OTHER_SHEET, STATUS_SHEET = "发现", "尾差与提示", "规则状态"


def findings_frame(report: CheckReport, *, grouped: bool = True) -> pd.DataFrame:
    """Every finding in the auditor's order with the auditor's Chinese columns (序号, 严重程度, 规则, 规则名称, 表,
    位置, 应为, 实际, 差额, 单位, 说明); values without their unit, grouped for reading or plain for CSV."""
    rows = [r.cells(grouped=grouped) for r in finding_rows(report.findings, report.template)]
    return pd.DataFrame(rows, columns=COLUMNS)


def status_frame(report: CheckReport) -> pd.DataFrame:
    """One row per rule: id, Chinese name, description, family, tables, status (Chinese), reason, findings."""
    from budgetkit.checks.engine import rules_for

    rules = {r.id: r for r in rules_for(load_template(report.template))} if report.template else {}
    rows = []
    for res in report.results:
        r = rules.get(res.rule)
        rows.append([res.rule, r.name if r else "", r.description if r else "", FAMILY_CN.get(r.family, r.family)
                     if r else "", "、".join(table_label_of(report.template, t) for t in r.tables) if r else "",
                     STATUS_CN[res.status], res.reason, len(res.findings)])
    return pd.DataFrame(rows, columns=STATUS_FIELDS_CN)


def table_label_of(template_id: str, role: str) -> str:
    """A table role as the document numbers it ('表3')."""
    spec = load_template(template_id).by_role(role) if template_id else None
    return spec.label if spec is not None else role


def status_severity(report: CheckReport) -> list[str | None]:
    """The colour of each rule's row: a failed rule as its worst finding, others uncoloured."""
    out = []
    for res in report.results:
        worst = next((s for s in ATTENTION if any(f.severity == s for f in res.findings)), None)
        out.append(worst if res.status == "fail" else None)
    return out


def findings_to_json(report: CheckReport, path: Path | str) -> Path:
    """The CLI's --json object (SPEC section 4), UTF-8."""
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"
    return write_file(path, lambda p: p.write_text(text, encoding="utf-8"))


def findings_to_csv(report: CheckReport, path: Path | str) -> Path:
    """Findings as CSV in UTF-8 with BOM, so Excel shows the Chinese correctly; plain numbers, unit column."""
    buf = io.StringIO()
    findings_frame(report, grouped=False).to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    data = buf.getvalue()
    return write_file(path, lambda p: p.write_text(data, encoding="utf-8-sig"))


def title_lines(what: str, report: CheckReport, meta: Metadata | None) -> list[str]:
    """部门名称, 年度, source file and its SHA-256, for the top of every sheet."""
    department = (meta.department if meta else "") or report.department or "（未识别）"
    year = (meta.year if meta else None) or report.year or "（未识别）"
    source = (meta.source_file.split("/")[-1] if meta and meta.source_file else "") or report.source
    sha = (meta.source_sha256 if meta else "") or "（无）"
    return [f"{department} {year}年 {what}", f"部门名称：{department}　　年度：{year}",
            f"源文件：{source}　　SHA-256：{sha}"]


def _list_rows(rows: list[FindingRow]) -> list[list]:
    return [[r.number, r.severity, r.rule, r.name, r.table, r.location, *r.values, r.unit, r.message, ""]
            for r in rows]


def findings_sheets(report: CheckReport, meta: Metadata | None) -> list[Sheet]:
    """Sheets 发现 (errors and warnings), 尾差与提示 (rounding and confirmations), 公开情况检查表 (when the
    format declares one), 规则状态."""
    attention, other = split_attention(finding_rows(report.findings, report.template))
    n_err = sum(r.finding.severity == "error" for r in attention)
    ws = Sheet(ATTENTION_SHEET)
    head = title_lines("审核发现（错误与警告）", report, meta)
    head.append(f"错误 {n_err} 条，警告 {len(attention) - n_err} 条；尾差与提示 {len(other)} 条见工作表“{OTHER_SHEET}”")
    headers = COLUMNS + [NOTES_COLUMN]
    list_sheet(ws, head, headers, _list_rows(attention), [r.finding.severity for r in attention])
    ws.tab_color = "C00000" if n_err else ("ED7D31" if attention else "70AD47")
    sheets = [ws]
    n_round = sum(r.finding.severity == "rounding" for r in other)
    head = title_lines("尾差与核对一致的提示", report, meta)
    head.append(f"尾差 {n_round} 条，提示 {len(other) - n_round} 条：四舍五入可以解释的差额与核对说明，不需要处理；"
                f"错误与警告见工作表“{ATTENTION_SHEET}”")
    sheets.append(Sheet(OTHER_SHEET))
    list_sheet(sheets[-1], head, headers, _list_rows(other), [r.finding.severity for r in other])
    if report.checklist:
        write_checklist_sheet(sheets, report, meta)
    statuses = status_frame(report)
    sheets.append(Sheet(STATUS_SHEET))
    list_sheet(sheets[-1], title_lines("规则状态", report, meta), list(statuses.columns), statuses.values.tolist(),
               status_severity(report))
    return sheets


def findings_to_excel(report: CheckReport, path: Path | str, meta: Metadata | None = None) -> Path:
    """The findings workbook: 发现 (errors and warnings), 尾差与提示, 公开情况检查表, 规则状态; ``meta`` names the
    source."""
    sheets = findings_sheets(report, meta)
    return write_file(path, lambda p: xlsx.save(sheets, p))


def export_names(slug: str, year: int | str) -> dict[str, str]:
    """File names of one department-year's exports: '<slug>-<year>-findings.xlsx' …, so a mailed file says whose."""
    stem = f"{slug}-{year}"
    return {"json": f"{stem}-findings.json", "csv": f"{stem}-findings.csv", "xlsx": f"{stem}-findings.xlsx",
            "tables": f"{stem}-tables.xlsx"}


def reproduced_to_excel(disclosure: Disclosure, path: Path | str, template: Template | None = None,
                        reproduced: dict[str, pd.DataFrame] | None = None,
                        parts: dict[str, dict[str, list[dict]]] | None = None) -> Path:
    """One sheet per table (表1 … 表13) in printed layout: printed, 重算, 差额 as numbers; differences filled.

    ``reproduced``: the tables already reproduced (``reproduce_all``, as the report shows them), not done again;
    ``parts``: their rows by part (``frames.by_part``), when the report has them.
    """
    from budgetkit.present.tables_sheet import reproduced_sheet

    template = template or load_template(disclosure.meta.template)
    sheets = []
    for table_id in template.table_ids:
        table = disclosure.tables.get(table_id)
        if table is None:
            continue
        sheets.append(Sheet(template.table(table_id).label))
        frame = reproduced[table_id] if reproduced is not None and table_id in reproduced else \
            reproduce_table(table, template)
        reproduced_sheet(sheets[-1], table, template, frame, disclosure.meta,
                         parts=parts.get(table_id) if parts is not None and reproduced is not None else None)
    if not sheets:
        sheets.append(Sheet("无表格"))
        sheets[-1].append(["该公开文件没有表格部分"])
    return write_file(path, lambda p: xlsx.save(sheets, p))


from budgetkit.present.terminal import format_findings_text  # noqa: E402,F401  (the CLI's text)
