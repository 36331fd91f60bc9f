"""``budgetkit check`` as text: findings grouped by severity in columns, then rule status counts.

Nothing is ever cut short: the value columns (应为/实际/差额) and rule ids are as wide as their widest
entry; the table and location columns wrap onto continuation lines instead.
"""

from __future__ import annotations

import unicodedata

from budgetkit.core.findings import (
    SEVERITIES,
    SEVERITY_CN,
    STATUS_CN,
    STATUSES,
    CheckReport,
    Finding,
)
from budgetkit.present.checklist import text_lines as checklist_lines
from budgetkit.present.labels import (
    ATTENTION,
    location_label,
    sort_findings,
    table_label,
)

HEAD = ["规则", "表", "位置", "应为", "实际", "差额"]
WRAP = {1: 24, 2: 40}  # column index → width at which it wraps (表, 位置)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most ``columns`` display columns (CJK count double); never drops a character."""
    lines, line = [], ""
    for ch in text:
        if line and width(line + ch) > columns:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line or not lines else lines


def _pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def _cells(f: Finding) -> list[str]:
    return [f.rule, table_label(f.table), location_label(f), f.expected, f.actual, f.difference]


def table_lines(findings: list[Finding]) -> list[str]:
    """The header and one or more lines per finding; errors and warnings followed by their message."""
    cells = [_cells(f) for f in findings]
    widths = []
    for j, head in enumerate(HEAD):
        widest = max([width(head)] + [width(c[j]) for c in cells])
        widths.append(min(widest, WRAP[j]) if j in WRAP else widest)
    out = ["  " + " ".join(_pad(h, w) for h, w in zip(HEAD, widths)).rstrip()]
    for f, row in zip(findings, cells):
        wrapped = [wrap(c, widths[j]) if j in WRAP else [c] for j, c in enumerate(row)]
        for k in range(max(len(w) for w in wrapped)):
            parts = [_pad(w[k] if k < len(w) else "", widths[j]) for j, w in enumerate(wrapped)]
            out.append("  " + " ".join(parts).rstrip())
        if f.severity in ATTENTION:
            out.append(f"    → {f.message}")
    return out


def format_findings_text(report: CheckReport) -> str:
    """Findings grouped by severity (errors first; table order within), the inspection checklist, then counts."""
    lines = [f"来源: {report.source}"]
    findings = sort_findings(report.findings)
    if not findings:
        lines.append("没有发现问题。")
    for sev in SEVERITIES:
        group = [f for f in findings if f.severity == sev]
        if not group:
            continue
        lines += ["", f"{SEVERITY_CN[sev]} {sev} ({len(group)})", *table_lines(group)]
    checklist = checklist_lines(report)
    if checklist:
        lines += ["", *checklist]
    counts = report.counts()
    lines.append("")
    lines.append("规则状态: " + " · ".join(f"{STATUS_CN[s]} {s} {counts['status'][s]}" for s in STATUSES))
    lines.append("发现: " + " · ".join(f"{SEVERITY_CN[s]} {counts['severity'][s]}" for s in SEVERITIES))
    return "\n".join(lines)
