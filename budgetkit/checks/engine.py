"""The one rule engine: assembles a format's rules and runs them on a department-year, deciding every status.

A rule's status is ``not_applicable`` / ``insufficient_data`` when it says so, ``fail`` when it
reports any error or warning, else ``pass``. Nothing downstream (notebook, HTML, Excel, CLI, batch)
decides a status again; they present this ``CheckReport``.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from budgetkit.checks import checklist, cross, within
from budgetkit.checks.registry import (
    FAMILIES,
    Context,
    InsufficientData,
    NotApplicable,
    Rule,
    code_rules,
)
from budgetkit.core.findings import CheckReport, RuleResult
from budgetkit.core.model import Disclosure
from budgetkit.core.template import Template, load_template

#: The rule families written in code, each a module registering its rules with ``@rule``. Listed, not
#: discovered: a module that fails to import is an error, never a silently smaller registry.
FAMILY_MODULES = ("budgetkit.checks.completeness", "budgetkit.checks.document", "budgetkit.checks.narrative",
                  "budgetkit.checks.forms", "budgetkit.checks.text.rules")


@lru_cache(maxsize=None)
def _rules_for(template: Template) -> tuple[Rule, ...]:
    for name in FAMILY_MODULES:
        importlib.import_module(name)
    rules = [*within.template_rules(template), *cross.template_rules(template), *code_rules()]
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"template {template.id}: duplicate rule ids {dup}")
    order = {f: i for i, f in enumerate(FAMILIES)}
    return tuple(sorted(rules, key=lambda r: order[r.family]))  # stable: declaration order within a family


def rules_for(template: Template) -> list[Rule]:
    """Every rule of one format, in report order (within, cross, completeness, …)."""
    return list(_rules_for(template))


def run_rules(disclosure: Disclosure, *, prior: Disclosure | None = None, select: list[str] | None = None,
              source: str | None = None) -> CheckReport:
    """Run every rule of the disclosure's format (or those whose id starts with one of ``select``)."""
    template = load_template(disclosure.meta.template)
    ctx = Context(disclosure=disclosure, template=template, prior=prior)
    report = CheckReport(source=source or str(disclosure.origin or disclosure.meta.slug), template=template.id,
                         department=disclosure.meta.department, year=disclosure.meta.year)
    for r in rules_for(template):
        if select and not any(r.id.startswith(s) for s in select):
            continue
        ctx.rule, ctx.comparisons = r, []
        if disclosure.meta.blank:  # a blank template: nothing a department wrote to check
            report.results.append(RuleResult(r.id, "not_applicable", "空白模板：各表均无数字，没有可核对的内容"))
            continue
        try:
            findings = r.func(ctx) or []
        except NotApplicable as exc:
            report.results.append(RuleResult(r.id, "not_applicable", str(exc), compared=ctx.comparisons))
            continue
        except InsufficientData as exc:
            report.results.append(RuleResult(r.id, "insufficient_data", str(exc), compared=ctx.comparisons))
            continue
        status = "fail" if any(f.severity in ("error", "warning") for f in findings) else "pass"
        report.results.append(RuleResult(r.id, status, "", list(findings), ctx.comparisons))
    if not select:  # the inspection checklist needs every rule's result
        report.checklist = checklist.build(report, disclosure, template, rules_for(template))
        report.checklist_title = checklist.title(template, disclosure)
    ctx.cache.clear()  # the rules' shared data refers back to ctx (bound methods): freed here, not by the cyclic GC
    return report
