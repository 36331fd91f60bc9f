"""The shared vocabulary every stage speaks: the in-memory model of a department-year, exact money,
format templates (``templates/*.yaml``), findings, errors and atomic file writes.

Nothing here imports another budgetkit stage.
"""
