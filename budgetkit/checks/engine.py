"""The one rule engine: runs a format's rules on a department-year and decides every status.

A rule's status is ``not_applicable`` / ``insufficient_data`` when it says so, ``fail`` when it
reports any error or warning, else ``pass``. Nothing downstream (notebook, HTML, Excel, CLI, batch)
decides a status again; they present this ``CheckReport``.
"""

from __future__ import annotations

from budgetkit.checks.registry import Context, InsufficientData, NotApplicable, rules_for
from budgetkit.core.findings import CheckReport, RuleResult
from budgetkit.core.model import Disclosure
from budgetkit.core.template import load_template


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
    return report
