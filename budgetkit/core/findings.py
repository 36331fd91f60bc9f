"""Findings and rule statuses: the one output format of every check."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "rounding", "info")
#: A finding's fields, in the order of the CLI's JSON and of every export.
FINDING_FIELDS = ["rule", "severity", "table", "location", "expected", "actual", "difference", "message"]
STATUSES = ("pass", "fail", "not_applicable", "insufficient_data")

SEVERITY_CN = {"error": "错误", "warning": "警告", "rounding": "尾差", "info": "提示"}
STATUS_CN = {"pass": "通过", "fail": "未通过", "not_applicable": "不适用", "insufficient_data": "数据不足"}


@dataclass(frozen=True)
class Amounts:
    """The money behind a finding's expected/actual/difference texts, for spreadsheets that need numbers.

    Integer 分, shown in ``unit`` at ``decimals`` places (万元, 2; 元, 0); None where the text is not
    an amount. ``bound`` is '≤' when expected is an upper bound. Not part of the CLI's JSON
    (``Finding.to_dict``); percentages stay text (the exports read them as printed).
    """

    expected: int | None
    actual: int | None
    difference: int | None
    unit: str
    decimals: int = 2
    bound: str = ""

    def to_dict(self) -> dict:
        """The fields by name (what ``dataclasses.asdict`` gives, without its recursive walk: every finding passes here)."""
        return {"expected": self.expected, "actual": self.actual, "difference": self.difference, "unit": self.unit,
                "decimals": self.decimals, "bound": self.bound}


@dataclass
class Finding:
    rule: str
    severity: str  # error | warning | rounding | info
    table: str  # 'T3', 'T5/T6', 'narrative', 'form:<project>' …
    location: str  # row/column, sentence, form section
    expected: str  # values as printed in the table's unit ('' when not numeric)
    actual: str
    difference: str
    message: str  # Chinese, for an auditor
    anchor: int | None = field(default=None, compare=False)  # offset in the narrative text (narrative/text rules)
    amounts: Amounts | None = field(default=None, compare=False, repr=False)  # numbers, where the rule had them

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"bad severity {self.severity!r}")

    def to_dict(self) -> dict:
        """The CLI's finding object (SPEC section 4): the fields in FINDING_FIELDS, without numbers or anchor."""
        return {k: getattr(self, k) for k in FINDING_FIELDS}


@dataclass
class Comparison:
    """One thing a rule checked, whatever the outcome: what it held the printed value against.

    ``verdict``: ok | rounding | error | warning | info (as the finding it gave) | unchecked.
    The notebook's claims and forms tables show these, so they never judge anything themselves.
    """

    key: str  # what was checked, e.g. 'claim:12', 'form:3'
    kind: str  # what sort of thing, in Chinese: 金额, 占比, 增减, 项目 …
    subject: str  # what it is about, as the document names it
    location: str  # where, short: '五、第15句（原文第850行）', '第3张'
    text: str  # the words as printed
    written: str  # the value as printed
    against: str  # what it was compared with, and where that comes from
    verdict: str
    note: str = ""
    values: dict = field(default_factory=dict)  # the amounts compared (分) and their units, for tables and exports


@dataclass
class RuleResult:
    rule: str
    status: str
    reason: str = ""  # why not_applicable / insufficient_data
    findings: list[Finding] = field(default_factory=list)
    compared: list[Comparison] = field(default_factory=list)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"bad status {self.status!r}")


@dataclass
class ChecklistItem:
    """One row of the inspection checklist (公开情况检查表): 是 / 否 (with its problems) / 未核对 (with why)."""

    item: str
    conforms: str  # 是 | 否 | 未核对
    problems: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"item": self.item, "conforms": self.conforms, "problems": list(self.problems)}


@dataclass
class CheckReport:
    source: str
    results: list[RuleResult] = field(default_factory=list)
    template: str = ""  # the format whose rules ran (budgetkit.checks.rules_for)
    department: str = ""
    year: int | None = None
    checklist: list[ChecklistItem] = field(default_factory=list)
    checklist_title: str = ""

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def status(self, rule_id: str) -> str:
        return next(r.status for r in self.results if r.rule == rule_id)

    def result(self, rule_id: str) -> RuleResult:
        return next(r for r in self.results if r.rule == rule_id)

    def to_dict(self, *, reasons: bool = False) -> dict:
        """The CLI's --json object (SPEC section 4); ``reasons`` adds why a rule could not run."""
        rules = [{"id": r.rule, "status": r.status, **({"reason": r.reason} if reasons else {})} for r in self.results]
        return {"source": self.source, "rules": rules, "findings": [f.to_dict() for f in self.findings],
                "checklist": [c.to_dict() for c in self.checklist]}

    def counts(self) -> dict[str, dict[str, int]]:
        sev = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            sev[f.severity] += 1
        st = {s: 0 for s in STATUSES}
        for r in self.results:
            st[r.status] += 1
        return {"severity": sev, "status": st}
