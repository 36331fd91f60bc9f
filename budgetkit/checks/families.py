"""Import every rule module so that the registry is complete. Add new rule modules here."""

import importlib

RULE_MODULES = [
    "budgetkit.checks.within",
    "budgetkit.checks.cross",
    "budgetkit.checks.completeness",
    "budgetkit.checks.narrative",
    "budgetkit.checks.forms",
]

for _name in RULE_MODULES:
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a family not written yet
        if exc.name != _name:
            raise
