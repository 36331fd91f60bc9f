"""budgetkit: audit Chinese department budget disclosures (部门预算公开).

Reproduce every table from its leaf rows, recompute every narrative number,
check identities between tables, narrative and performance forms.
"""

__version__ = "0.1.0"
