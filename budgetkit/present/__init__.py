"""What auditors see: the notebook sections, HTML, Excel/CSV/JSON exports, charts, the generated
standard narrative and the cross-department summary.

Presentation reads what the checks decided (``budgetkit.checks``); it never judges again.
"""
