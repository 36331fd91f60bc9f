"""Checks: the rule registry, the one engine, and the rule families (within-table and cross-table
identities declared by the format template; completeness, extraction, narrative, forms and text rules
written in code), with the narrative's numeric claims (``claims/``).
"""

from budgetkit.checks.engine import rules_for, run_rules
from budgetkit.checks.registry import (
    Context,
    InsufficientData,
    NotApplicable,
    Rule,
    rule,
)

__all__ = ["Context", "InsufficientData", "NotApplicable", "Rule", "rule", "rules_for", "run_rules"]
