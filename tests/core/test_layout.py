"""The package follows the flow of the work: no stage imports one above it (README, Layout).

Every ``budgetkit.<stage>`` import in the source (module level or inside a function) is read with
``ast``; a stage may import itself and the stages below it, never one above or beside it.
"""

from __future__ import annotations

import ast

from project_files import ROOT

#: each stage and the stages it may use (besides itself)
BELOW = {
    "core": set(),
    "dataset": {"core"},
    "checks": {"core"},
    "extract": {"core", "dataset"},
    "synth": {"core", "dataset"},
    "present": {"core", "dataset", "checks", "synth"},
    "batch": {"core", "dataset", "checks", "extract", "present"},
    "run": {"core", "dataset", "checks", "extract", "present", "batch"},
}


def imports_by_stage() -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for path in sorted((ROOT / "budgetkit").rglob("*.py")):
        parts = path.relative_to(ROOT / "budgetkit").parts
        if len(parts) < 2:
            continue  # budgetkit/__init__.py: the package's face
        stage = parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module else
                     [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                if name.startswith("budgetkit."):
                    out.setdefault(stage, set()).add((str(path.relative_to(ROOT)), name.split(".")[1]))
    return out


def test_every_stage_is_known():
    stages = {p.name for p in (ROOT / "budgetkit").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert stages == set(BELOW)


def test_no_import_runs_back_up_the_flow():
    wrong = sorted((file, used) for stage, uses in imports_by_stage().items() for file, used in uses
                   if used != stage and used not in BELOW[stage])
    assert wrong == []


def test_the_check_reads_imports_inside_functions():
    """The test can fail: the batch check's lazy import of the dataset loader is seen."""
    assert ("budgetkit/batch/check.py", "dataset") in imports_by_stage()["batch"]
