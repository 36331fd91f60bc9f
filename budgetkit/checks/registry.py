"""The rule registry: every check has a stable id, a Chinese name, a one-line description, a family,
the tables (by role) it concerns and the severity of a violation.

Two kinds of rules share one registry. Rules written in code (completeness, narrative, forms, text …)
register with ``@rule`` in their family module; the families are listed in ``FAMILY_MODULES`` and
imported explicitly by the engine, so a module that fails to import is an error, never a silently
smaller registry. Rules declared by a format template (within-table identities of every table,
identities between tables) are built from the template by ``within.template_rules`` and
``cross.template_rules``; ``engine.rules_for(template)`` is the registry of one format.

A rule is a function ``f(ctx) -> list[Finding]``; the engine hands it its ``Rule`` in ``ctx.rule``,
and ``ctx.finding(...)`` fills in the rule id and the registered severity, so a rule never repeats
its own id or decides its own severity. A rule may raise ``NotApplicable`` or ``InsufficientData``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from budgetkit.checks.identities import Cells
from budgetkit.core.findings import SEVERITIES, Amounts, Comparison, Finding
from budgetkit.core.model import Disclosure, Table
from budgetkit.core.template import Template

#: Rule families in report order; each code family lives in the module of the same name.
FAMILIES = ("within", "cross", "completeness", "document", "extraction", "narrative", "forms", "text")
FAMILY_CN = {"within": "表内", "cross": "跨表", "completeness": "完整性", "document": "文件结构", "extraction": "抽取",
             "narrative": "说明", "forms": "绩效表", "text": "文字"}

#: What a rule says of one thing it checked. ``violation`` becomes the rule's registered severity.
VIOLATION, ROUNDING, INFO = "violation", "rounding", "info"


class NotApplicable(Exception):
    """The rule does not apply (e.g. the table is empty by declaration)."""


class InsufficientData(Exception):
    """The rule's inputs are missing or damaged (e.g. no prior-year data, table missing)."""


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # 规则名称, short Chinese name for auditors
    description: str  # one line, Chinese
    family: str
    tables: tuple[str, ...]  # table roles the rule concerns
    severity: str  # error | warning: the severity of a violation beyond rounding
    func: Callable[["Context"], list[Finding] | None] = field(compare=False, repr=False)

    def __post_init__(self):
        if self.family not in FAMILIES:
            raise ValueError(f"rule {self.id}: unknown family {self.family!r}")
        if self.severity not in ("error", "warning"):
            raise ValueError(f"rule {self.id}: a violation is an error or a warning, not {self.severity!r}")


_CODE_RULES: dict[str, Rule] = {}


def rule(id: str, name: str, description: str, *, family: str, tables: tuple[str, ...] | list[str] = (),
         severity: str = "error"):
    """Register a rule written in code under a stable id."""

    def deco(func):
        if id in _CODE_RULES:
            raise ValueError(f"duplicate rule id {id}")
        _CODE_RULES[id] = Rule(id=id, name=name, description=description, family=family, tables=tuple(tables),
                               severity=severity, func=func)
        return func

    return deco


def code_rules() -> list[Rule]:
    """The rules registered so far by ``@rule`` (the engine imports the family modules first)."""
    return list(_CODE_RULES.values())


@dataclass
class Context:
    """What a rule sees: the department-year, its template, the prior year when available, and itself."""

    disclosure: Disclosure
    template: Template
    prior: Disclosure | None = None
    rule: Rule | None = None
    cache: dict = field(default_factory=dict)  # derived data shared by rules (identities, claims …)
    comparisons: list[Comparison] = field(default_factory=list)  # of the running rule (the engine collects them)

    # ------------------------------------------------------------ tables by role

    def cells(self, frame) -> Cells:
        """One ``Cells`` per part frame and run: every rule reading the frame shares its converted columns."""
        known = self.cache.setdefault("part_cells", {})
        hit = known.get(id(frame))
        if hit is None or hit[0] is not frame:
            hit = known[id(frame)] = (frame, Cells(frame))
        return hit[1]

    def table(self, role: str) -> Table | None:
        """This document's table of a role, or None (not in the format, or not printed)."""
        spec = self.template.by_role(role)
        return None if spec is None else self.disclosure.tables.get(spec.id)

    def label(self, role: str) -> str:
        """How the document numbers a role's table: '表3'."""
        spec = self.template.by_role(role)
        return f"表{spec.number}" if spec is not None else role

    def require(self, *roles: str) -> list[Table]:
        """The tables a rule needs; one the format lacks or the document does not print → insufficient_data."""
        missing = [r for r in roles if self.table(r) is None]
        if missing:
            raise InsufficientData("缺少" + "、".join(self.label(r) for r in missing))
        return [self.table(r) for r in roles]

    # ------------------------------------------------------------ findings

    def finding(self, grade: str, table: str, location: str, expected: str = "", actual: str = "",
                difference: str = "", message: str = "", amounts: Amounts | None = None, *,
                anchor: int | None = None) -> Finding:
        """A finding of the running rule: ``grade`` violation (→ the rule's severity), rounding or info;
        ``amounts``: the numbers behind expected/actual/difference (for the spreadsheets); ``anchor``: where in
        the narrative text it is (lets the checklist put it under its section)."""
        severity = self.rule.severity if grade in (VIOLATION, "error") else grade
        if severity not in SEVERITIES:
            raise ValueError(f"rule {self.rule.id}: bad grade {grade!r}")
        return Finding(rule=self.rule.id, severity=severity, table=table, location=location, expected=expected,
                       actual=actual, difference=difference, message=message, amounts=amounts, anchor=anchor)

    def compared(self, **fields) -> None:
        """Record one thing the running rule checked (see ``Comparison``)."""
        self.comparisons.append(Comparison(**fields))
