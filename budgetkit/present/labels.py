"""How auditors read a finding's scope, rule and severity: one spelling everywhere (HTML, Excel, CSV, terminal).

Tables are named by the document's own numbering ('T3' → 表3); the narrative and the performance forms
by their Chinese names. Findings are listed errors first, then by table in document order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from budgetkit.core.findings import SEVERITIES, SEVERITY_CN, Finding

#: Severities an auditor must act on; rounding and information go to their own list.
ATTENTION = ("error", "warning")
SCOPE_CN = {"narrative": "情况说明", "forms": "绩效目标表"}
FORM_PREFIX = "form:"
_TABLE_ID = re.compile(r"^T(\d+)$")


def table_label(table: str) -> str:
    """'T3' → '表3', 'T3/T5' → '表3/表5', 'narrative' → '情况说明', 'form:工作经费' → '绩效目标表（工作经费）'."""
    if table.startswith(FORM_PREFIX):
        return f"绩效目标表（{table[len(FORM_PREFIX):]}）"
    parts = table.split("/")
    if all(_TABLE_ID.match(p) for p in parts):
        return "/".join(f"表{p[1:]}" for p in parts)
    return "/".join(SCOPE_CN.get(p, p) for p in parts)


def location_label(finding: Finding) -> str:
    """The location without the form's name when the table column already names that form."""
    prefix = f"{finding.table}/"
    if finding.table.startswith(FORM_PREFIX) and finding.location.startswith(prefix):
        return finding.location[len(prefix):]
    return finding.location


def _table_key(table: str) -> tuple[int, int]:
    """Document order: 表1 … 表13, then the narrative, then the forms, then anything else."""
    first = table.split("/")[0]
    m = _TABLE_ID.match(first)
    if m:
        return (0, int(m.group(1)))
    if first == "narrative":
        return (1, 0)
    if first.startswith(FORM_PREFIX) or first == "forms":
        return (2, 0)
    return (3, 0)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Severity (错误, 警告, 尾差, 提示), then table in document order; one table's findings together, tables
    of the same rank (the forms) in the order they first appear (the rules go through forms in print order)."""
    first_seen: dict[str, int] = {}
    for i, f in enumerate(findings):
        first_seen.setdefault(f.table, i)
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), _table_key(f.table), first_seen[f.table]))


def severity_label(severity: str) -> str:
    return SEVERITY_CN[severity]


@lru_cache(maxsize=None)
def _names(template_id: str) -> dict[str, str]:
    from budgetkit.checks.engine import rules_for
    from budgetkit.core.template import load_template

    try:
        template = load_template(template_id)
    except KeyError:
        return {}
    return {r.id: r.name for r in rules_for(template)}


def rule_name(template_id: str, rule_id: str) -> str:
    """The rule's Chinese name (规则名称) in the format's registry; '' when unknown."""
    return _names(template_id).get(rule_id, "") if template_id else ""
