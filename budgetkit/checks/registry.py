"""The rule registry: every check has a stable id, a one-line description, a severity and its tables.

A rule is a function ``f(ctx) -> list[Finding]``. It may raise ``NotApplicable``
or ``InsufficientData`` (with a reason) instead; otherwise its status is
``fail`` when it reports any ``error``/``warning`` finding, else ``pass``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from budgetkit.core.findings import CheckReport, Finding, RuleResult
from budgetkit.core.model import Disclosure
from budgetkit.core.template import Template, load_template


class NotApplicable(Exception):
    """The rule does not apply (e.g. the table is empty by declaration)."""


class InsufficientData(Exception):
    """The rule's inputs are missing or damaged (e.g. no prior-year data, table missing)."""


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    family: str  # within | cross | completeness | narrative | forms | extraction
    tables: tuple[str, ...]
    severity: str  # severity of a violation beyond rounding
    func: Callable[["Context"], list[Finding]] = field(compare=False, repr=False)


REGISTRY: dict[str, Rule] = {}


def rule(id: str, description: str, *, family: str, tables: tuple[str, ...] | list[str] = (),
         severity: str = "error"):
    """Register a rule function under a stable id."""

    def deco(func):
        if id in REGISTRY:
            raise ValueError(f"duplicate rule id {id}")
        REGISTRY[id] = Rule(id=id, description=description, family=family, tables=tuple(tables),
                            severity=severity, func=func)
        return func

    return deco


@dataclass
class Context:
    """What a rule sees: the department-year, its template, and the prior year when available."""

    disclosure: Disclosure
    template: Template
    prior: Disclosure | None = None
    cache: dict = field(default_factory=dict)  # shared derived data (e.g. extracted claims)


def _load_rule_modules() -> None:
    # Importing registers the rules; kept in one place so the registry is always complete.
    from budgetkit.checks import families as load_all  # noqa: F401


def all_rules() -> list[Rule]:
    _load_rule_modules()
    return list(REGISTRY.values())


def run_rules(disclosure: Disclosure, *, prior: Disclosure | None = None, select: list[str] | None = None,
              source: str | None = None) -> CheckReport:
    """Run every registered rule (or those whose id starts with one of ``select``)."""
    _load_rule_modules()
    template = load_template(disclosure.meta.template)
    ctx = Context(disclosure=disclosure, template=template, prior=prior)
    report = CheckReport(source=source or str(disclosure.origin or disclosure.meta.slug))
    for r in REGISTRY.values():
        if select and not any(r.id.startswith(s) for s in select):
            continue
        try:
            findings = r.func(ctx) or []
        except NotApplicable as exc:
            report.results.append(RuleResult(r.id, "not_applicable", str(exc)))
            continue
        except InsufficientData as exc:
            report.results.append(RuleResult(r.id, "insufficient_data", str(exc)))
            continue
        status = "fail" if any(f.severity in ("error", "warning") for f in findings) else "pass"
        report.results.append(RuleResult(r.id, status, "", list(findings)))
    return report
