"""The committed notebooks: thin, parameterized, carrying clean outputs; nbval fails when a number changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from budgetkit.run.params import default_department_year

DEFAULT_DEPARTMENT, DEFAULT_YEAR = default_department_year()
from project_files import ROOT
from test_runner import set_cell

#: The per-department-year notebooks (a `department` parameter); cross-department ones take `run_dir`.
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb")
                   if "department" in papermill.inspect_notebook(str(p)))
DATASET = ROOT / "data" / DEFAULT_DEPARTMENT / str(DEFAULT_YEAR)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_and_clean(path):
    """Parameters cell with annotated defaults; no logic; committed outputs without errors or machine paths."""
    nb = nbformat.read(str(path), as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert not [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "papermill" not in nb.metadata
    inspected = papermill.inspect_notebook(str(path))
    assert inspected["department"]["default"] == f'"{DEFAULT_DEPARTMENT}"'
    assert inspected["year"]["default"] == str(DEFAULT_YEAR)
    assert inspected["data_root"]["default"] == '""'
    assert all(p["help"] for p in inspected.values())  # every parameter annotated
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert "def " not in cell.source and "class " not in cell.source, cell.source
        if "parameters" not in cell.metadata.get("tags", []):  # one annotated line per parameter
            assert cell.source.count("\n") <= 2, cell.source  # one package call per section
        for out in cell.outputs:
            assert out.output_type != "error" and out.get("name") != "stderr", cell.source
            text = str(out.get("data", out.get("text", "")))
            assert "/work/" not in text and "/home/" not in text and "/tmp/" not in text  # no machine paths
            assert " at 0x" not in text
    assert any(c.cell_type == "code" and c.outputs for c in nb.cells), "committed with outputs"
    chart_cells = [c for c in nb.cells if c.cell_type == "code" and "charts(" in c.source]
    assert chart_cells and all(c.source.rstrip().endswith(";") for c in chart_cells)


def _project_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "notebooks", copy / "notebooks")
    shutil.copytree(ROOT / "params", copy / "params")
    shutil.copytree(DATASET, copy / "data" / DEFAULT_DEPARTMENT / str(DEFAULT_YEAR))
    return copy


def _nbval(project: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BUDGETKIT_HOME"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         *(f"notebooks/{p.name}" for p in NOTEBOOKS),
         "--nbval-current-env", "--nbval-sanitize-with", "notebooks/sanitize.cfg"],
        cwd=project, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
@pytest.mark.skipif(not DATASET.is_dir(), reason="default dataset not shipped")
def test_nbval_passes_on_unchanged_copy_and_fails_on_changed_number(tmp_path):
    unchanged = _project_copy(tmp_path / "a")
    result = _nbval(unchanged)
    assert result.returncode == 0, result.stdout[-3000:]

    changed = _project_copy(tmp_path / "b")
    # seed line 286: table 3 "2010601 行政运行 192.95 192.95"; an auditor's hand edit to 193.95
    old = set_cell(changed / "data" / DEFAULT_DEPARTMENT / str(DEFAULT_YEAR) / "tables" / "T3.csv",
                   {"科目编码": "2010601"}, "合计", "193.95")
    assert old == "192.95"
    result = _nbval(changed)
    assert result.returncode != 0
    assert "Cell outputs differ" in result.stdout  # a changed output, not a crash
    assert "Traceback (most recent call last)" not in result.stdout


def test_summary_notebook_committed_with_sample_outputs():
    """The summary page's notebook: a run_dir parameter ('' = the synthetic sample run), one call per section,
    committed with the sample's outputs (nbval compares them) and nothing of the machine it ran on."""
    path = ROOT / "notebooks" / "summary.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    inspected = papermill.inspect_notebook(str(path))
    assert inspected["run_dir"]["default"] == '""' and "department" not in inspected
    code = [c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    assert all("def " not in c.source and c.source.count("\n") <= 2 for c in code)
    shown = [o for c in code for o in c.outputs]
    assert len([o for o in shown if "text/html" in o.get("data", {})]) == 5
    assert len([o for o in shown if "image/png" in o.get("data", {})]) == 1  # the heat map
    text = "".join(str(o.get("data", o.get("text", ""))) for o in shown)
    assert "太原市阳曲县商务局" in text and "T_yearly" in text and "T_by_rule" in text
    for bad in ("/tmp/", "/work/", "/home/", " at 0x", "用时", "nbval"):
        assert bad not in text, bad
    assert not [o for o in shown if o.output_type == "error" or o.get("name") == "stderr"]
