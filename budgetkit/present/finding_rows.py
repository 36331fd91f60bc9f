"""A finding as one row of the auditor's list: Chinese labels, and its values as numbers with a unit.

The same rows feed the HTML report, the CSV, the workbooks and the batch workbook, so a finding reads
the same everywhere. Values come from the finding's numeric record (``Finding.amounts``) where the rule
had one; otherwise a value printed as a plain number or a percentage is read as printed; any other
text (有/缺, 未说明原因 …) stays text. A unit is never part of a value: it has its own column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from budgetkit.core.findings import Amounts, Finding
from budgetkit.core.money import UNIT_FEN, from_fen, normalize_number_text
from budgetkit.present.labels import (
    ATTENTION,
    location_label,
    rule_name,
    severity_label,
    sort_findings,
    table_label,
)

#: Columns of the auditor's list, in order (the Excel sheets add 审核意见 for the auditor's notes).
COLUMNS = ["序号", "严重程度", "规则", "规则名称", "表", "位置", "应为", "实际", "差额", "单位", "说明"]
VALUE_COLUMNS = ("应为", "实际", "差额")

_NUMBER = re.compile(r"^(?P<bound>[≤<]?)(?P<n>[+-]?(\d{1,3}(,\d{3})+|\d+)(\.(?P<d>\d+))?)(?P<unit>%|万元|亿元|元)?$")


@dataclass(frozen=True)
class Value:
    """One of 应为/实际/差额: a number (Decimal, in ``unit``) shown with ``decimals`` places, or text."""

    number: Decimal | None = None
    text: str = ""
    decimals: int = 0
    bound: str = ""  # '≤' for an upper bound
    grouped: bool = True  # thousands separators (amounts); plain for counts and years

    @property
    def is_number(self) -> bool:
        return self.number is not None

    def number_format(self) -> str:
        """Excel number format: '#,##0.00' for 万元, '#,##0' for 元, with '≤' kept outside the number."""
        body = ("#,##0" if self.grouped else "0") + ("." + "0" * self.decimals if self.decimals else "")
        return f'"{self.bound}"{body}' if self.bound else body

    def display(self, *, grouped: bool = True) -> str:
        """As the HTML shows it (grouped) or the CSV writes it (plain, so any tool reads a number)."""
        if self.number is None:
            return self.text
        text = f"{self.number:,.{self.decimals}f}" if grouped and self.grouped else f"{self.number:.{self.decimals}f}"
        return self.bound + text


@dataclass(frozen=True)
class FindingRow:
    finding: Finding
    number: int  # 序号 within its list
    severity: str  # 错误 …
    rule: str
    name: str  # 规则名称
    table: str  # 表3, 情况说明, 绩效目标表（…）
    location: str
    expected: Value
    actual: Value
    difference: Value
    unit: str
    message: str

    @property
    def values(self) -> tuple[Value, Value, Value]:
        return self.expected, self.actual, self.difference

    def cells(self, *, grouped: bool = True) -> list:
        """The row as display texts, in ``COLUMNS`` order."""
        return [self.number, self.severity, self.rule, self.name, self.table, self.location,
                *(v.display(grouped=grouped) for v in self.values), self.unit, self.message]


def _from_record(fen: int | None, text: str, amounts: Amounts, bound: str = "") -> Value:
    if fen is None:
        return _from_text(text)[0]
    return Value(number=from_fen(fen, amounts.unit, amounts.decimals), decimals=amounts.decimals, bound=bound)


def _from_text(text: str) -> tuple[Value, str]:
    """A value as printed: '37.39%' → 37.39 (%), '1716.72万元' → 1716.72 (万元), '16' → 16, else text."""
    m = _NUMBER.match(normalize_number_text(text or ""))
    if not m or not text:
        return Value(text=text or ""), ""
    unit = m.group("unit") or ""
    bound = "≤" if m.group("bound") else ""
    number = Decimal(m.group("n").replace(",", ""))
    decimals = len(m.group("d") or "")
    return Value(number=number, decimals=decimals, bound=bound, grouped=unit in UNIT_FEN or decimals > 0), unit


def finding_values(f: Finding) -> tuple[Value, Value, Value, str]:
    """(expected, actual, difference, unit) of a finding."""
    a = f.amounts
    if a is not None:
        return (_from_record(a.expected, f.expected, a, a.bound), _from_record(a.actual, f.actual, a),
                _from_record(a.difference, f.difference, a), a.unit)
    parsed = [_from_text(t) for t in (f.expected, f.actual, f.difference)]
    units = [u for _, u in parsed if u]
    return (*(v for v, _ in parsed), units[0] if units else "")


def finding_row(f: Finding, template_id: str = "", number: int = 0) -> FindingRow:
    """One finding as the auditor reads it (``template_id``: the format whose registry names the rule)."""
    expected, actual, difference, unit = finding_values(f)
    return FindingRow(f, number, severity_label(f.severity), f.rule, rule_name(template_id, f.rule),
                      table_label(f.table), location_label(f), expected, actual, difference, unit, f.message)


def finding_rows(findings: list[Finding], template_id: str = "") -> list[FindingRow]:
    """The findings in the auditor's order (severity, then table), numbered from 1."""
    return [finding_row(f, template_id, i) for i, f in enumerate(sort_findings(findings), start=1)]


def split_attention(rows: list[FindingRow]) -> tuple[list[FindingRow], list[FindingRow]]:
    """(errors and warnings, rounding and information), each numbered from 1 in its own list."""
    attention = [r for r in rows if r.finding.severity in ATTENTION]
    rest = [r for r in rows if r.finding.severity not in ATTENTION]
    return ([replace(r, number=i) for i, r in enumerate(attention, start=1)],
            [replace(r, number=i) for i, r in enumerate(rest, start=1)])
