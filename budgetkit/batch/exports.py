"""The batch's findings for auditors: one workbook (and CSV) over many department-years.

The same rows as one department-year's workbook (``present.finding_rows``: numbers with their unit in
a column, Chinese rule names, one spelling of table labels), with 部门名称, 年度 and the dataset in front:
sheets 发现 (errors and warnings), 尾差与提示, 规则状态, and 数据集 (each dataset's source file and checksum).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from budgetkit.core.atomic import write_file
from budgetkit.core.findings import SEVERITIES, STATUS_CN, Amounts, Finding
from budgetkit.present import xlsx
from budgetkit.present.finding_rows import COLUMNS, FindingRow, finding_row
from budgetkit.present.grid import Sheet
from budgetkit.present.labels import ATTENTION, rule_name, sort_findings
from budgetkit.present.workbook import list_sheet

HEADERS = ["序号", "部门名称", "年度", *COLUMNS[1:], "数据集"]
DATASET_HEADERS = ["部门名称", "年度", "数据集", "源文件", "SHA-256", "错误", "警告", "尾差", "提示"]


def entry_findings(entry: dict) -> list[Finding]:
    """An entry's findings as ``Finding`` objects again, with their numbers (``entry['amounts']``)."""
    numbers = entry.get("amounts") or [None] * len(entry["findings"])
    return [Finding(**f, amounts=Amounts(**a) if a else None) for f, a in zip(entry["findings"], numbers)]


def batch_rows(entries: list[dict]) -> list[tuple[dict, FindingRow]]:
    """(entry, row) for every finding: severity first, then department, year and table; numbered from 1."""
    rows = []
    for entry in sorted(entries, key=lambda e: (e.get("department", ""), e.get("year") or 0, e["source"])):
        for f in sort_findings(entry_findings(entry)):
            rows.append((entry, finding_row(f, entry.get("template", ""))))
    rows.sort(key=lambda er: SEVERITIES.index(er[1].finding.severity))  # stable: department, year, table kept
    return [(e, replace(r, number=i)) for i, (e, r) in enumerate(rows, start=1)]


def _cells(entry: dict, row: FindingRow, *, values: bool = True, grouped: bool = False) -> list:
    shown = list(row.values) if values else [v.display(grouped=grouped) for v in row.values]
    return [row.number, entry.get("department", ""), entry.get("year"), row.severity, row.rule, row.name, row.table,
            row.location, *shown, row.unit, row.message, entry["source"]]


def findings_frame(entries: list[dict]) -> pd.DataFrame:
    """Every finding of the batch with the auditor's columns (values plain, for CSV)."""
    return pd.DataFrame([_cells(e, r, values=False) for e, r in batch_rows(entries)], columns=HEADERS)


def _dataset_rows(entries: list[dict]) -> list[list]:
    out = []
    for e in entries:
        sev = {s: sum(f["severity"] == s for f in e["findings"]) for s in SEVERITIES}
        out.append([e.get("department", ""), e.get("year"), e["source"], e.get("source_file", ""),
                    e.get("source_sha256", ""), *(sev[s] for s in SEVERITIES)])
    return out


def _status_rows(entries: list[dict]) -> tuple[list[list], list[str | None]]:
    rows, colours = [], []
    for e in entries:
        for s in e["rules"]:
            rows.append([e.get("department", ""), e.get("year"), s["id"], rule_name(e.get("template", ""), s["id"]),
                         STATUS_CN[s["status"]], s.get("reason", ""), e["source"]])
            worst = next((sev for sev in ATTENTION if any(f["rule"] == s["id"] and f["severity"] == sev
                                                          for f in e["findings"])), None)
            colours.append(worst if s["status"] == "fail" else None)
    return rows, colours


def write_workbook(entries: list[dict], path: Path) -> Path:
    rows = batch_rows(entries)
    attention = [(e, replace(r, number=i)) for i, (e, r) in
                 enumerate((x for x in rows if x[1].finding.severity in ATTENTION), start=1)]
    other = [(e, replace(r, number=i)) for i, (e, r) in
             enumerate((x for x in rows if x[1].finding.severity not in ATTENTION), start=1)]
    n = len(entries)
    departments = len({e.get("department", "") for e in entries})
    head = [f"跨部门核查发现（错误与警告）：{departments} 个部门、{n} 个部门-年度",
            f"错误 {sum(r.finding.severity == 'error' for _, r in attention)} 条，"
            f"警告 {sum(r.finding.severity == 'warning' for _, r in attention)} 条；"
            f"尾差与提示 {len(other)} 条见工作表“尾差与提示”；各数据集的源文件与 SHA-256 见工作表“数据集”"]
    sheets = [Sheet("发现"), Sheet("尾差与提示"), Sheet("规则状态"), Sheet("数据集")]
    list_sheet(sheets[0], head, HEADERS + ["审核意见"], [_cells(e, r) + [""] for e, r in attention],
               [r.finding.severity for _, r in attention])
    scope = f"{departments} 个部门、{n} 个部门-年度"
    list_sheet(sheets[1], ["跨部门核查：尾差与核对一致的提示", scope], HEADERS + ["审核意见"],
               [_cells(e, r) + [""] for e, r in other], [r.finding.severity for _, r in other])
    statuses, colours = _status_rows(entries)
    list_sheet(sheets[2], ["跨部门核查：规则状态", scope],
               ["部门名称", "年度", "规则", "规则名称", "状态", "原因", "数据集"], statuses, colours)
    list_sheet(sheets[3], ["跨部门核查：数据集及其源文件", scope], DATASET_HEADERS, _dataset_rows(entries), [None] * n)
    return write_file(path, lambda p: xlsx.save(sheets, p))  # the same writer as one department-year's workbooks


def write_exports(entries: list[dict], *, excel: Path | None = None, csv: Path | None = None) -> None:
    if csv:
        frame = findings_frame(entries)
        write_file(csv, lambda p: frame.to_csv(p, index=False, encoding="utf-8-sig"))
    if excel:
        write_workbook(entries, Path(excel))
