"""Checks: the registry and the rule families (within-table, cross-table, completeness, narrative, forms)."""

from budgetkit.checks.registry import REGISTRY, Context, InsufficientData, NotApplicable, Rule, all_rules, rule, run_rules

__all__ = ["REGISTRY", "Context", "InsufficientData", "NotApplicable", "Rule", "all_rules", "rule", "run_rules"]
