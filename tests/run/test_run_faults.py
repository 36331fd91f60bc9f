"""Faults during ``budgetkit run``: a kernel that dies, a cell that raises, a department-year without
data. Each failing entry is recorded with its reason, the others finish, and the exit code is non-zero.

The project (BUDGETKIT_HOME) is temporary, with its own notebooks/: one tiny notebook whose
behaviour is chosen by the department slug it is given — the fault is in the fixture
notebook's own code, not injected through params (params cannot carry code).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from project_files import SHIPPED

FAULTY_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": None, "outputs": [],
         "source": 'department = "dept-ok"\nyear = 2024\ndata_root = ""'},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import os\n"
                   "if department == 'dept-dies':\n"
                   "    os._exit(1)  # the kernel process ends mid-cell"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "if department == 'dept-raises':\n"
                   "    raise ValueError('cell failed on purpose')"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "from budgetkit.dataset.store import load_dataset\n"
                   "from budgetkit.run.params import dataset_dir\n"
                   "disclosure = load_dataset(dataset_dir(department, year, data_root))\n"
                   "print(disclosure.meta.department, len(disclosure.tables))"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}

pytestmark = pytest.mark.slow  # executes notebooks on a Jupyter kernel

SLUGS = ["dept-ok", "dept-dies", "dept-raises", "dept-missing", "dept-ok2"]


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory):
    if not (SHIPPED / "metadata.json").is_file():
        pytest.fail("shipped dataset missing")
    root = tmp_path_factory.mktemp("faults")
    (root / "params").mkdir()
    (root / "notebooks").mkdir()
    (root / "notebooks" / "audit.ipynb").write_text(json.dumps(FAULTY_NOTEBOOK), encoding="utf-8")
    for slug in SLUGS:
        if slug != "dept-missing":
            shutil.copytree(SHIPPED, root / "data" / slug / "2024")
        (root / "params" / f"{slug}-2024.yaml").write_text(f'department: "{slug}"\nyear: 2024\n', encoding="utf-8")
    data_before = {str(p): p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    env = {k: v for k, v in os.environ.items() if k != "BUDGETKIT_DEBUG"}
    env["BUDGETKIT_HOME"] = str(root)
    proc = subprocess.run([sys.executable, "-m", "budgetkit.run.cli", "run", "--all", "--workers", "2",
                           "--out", str(root / "out")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=1200)
    data_after = {str(p): p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    return {"root": root, "out": root / "out", "proc": proc, "data_unchanged": data_before == data_after}


def _run_json(faulty_run, slug: str) -> dict:
    path = faulty_run["out"] / f"{slug}-2024" / "run.json"
    assert path.is_file(), f"no run.json for {slug}: {faulty_run['proc'].stderr[-800:]}"
    return json.loads(path.read_text(encoding="utf-8"))


def test_run_exits_non_zero_without_a_traceback(faulty_run):
    proc = faulty_run["proc"]
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert "without encryption" not in proc.stderr + proc.stdout  # kernels over CurveZMQ: no plain-TCP warning
    assert "3 of 5 department-year(s) ok" not in proc.stdout  # two ok, three failed
    assert "2 of 5 department-year(s) ok" in proc.stdout


def test_other_entries_finish(faulty_run):
    for slug in ("dept-ok", "dept-ok2"):
        r = _run_json(faulty_run, slug)
        assert r["status"] == "ok" and r["failed"] is None
        assert (faulty_run["out"] / f"{slug}-2024" / f"{slug}-2024-findings.json").is_file()
        assert (faulty_run["out"] / f"{slug}-2024" / "audit.html").is_file()


def test_dead_kernel_is_recorded_with_its_reason(faulty_run):
    r = _run_json(faulty_run, "dept-dies")
    assert r["status"] == "failed"
    reason = json.dumps(r["failed"], ensure_ascii=False)
    assert "audit.ipynb" in reason and ("Dead" in reason or "died" in reason.lower()), reason
    assert "failed: dept-dies-2024" in faulty_run["proc"].stderr


def test_raising_cell_is_recorded_with_cell_and_error(faulty_run):
    r = _run_json(faulty_run, "dept-raises")
    f = r["failed"]
    assert r["status"] == "failed" and f["notebook"] == "audit.ipynb"
    # index in the executed notebook: papermill inserts its injected-parameters cell after cell 0
    assert f["cell_index"] == 3 and f["cell_source"] == "if department == 'dept-raises':"
    assert f["ename"] == "ValueError" and "cell failed on purpose" in f["evalue"]
    line = next(l for l in faulty_run["proc"].stderr.splitlines() if l.startswith("failed: dept-raises-2024"))
    assert "ValueError" in line and "cell failed on purpose" in line


def test_missing_data_is_recorded_as_the_reason(faulty_run):
    r = _run_json(faulty_run, "dept-missing")
    assert r["status"] == "failed"
    reason = json.dumps(r["failed"], ensure_ascii=False)
    assert "DatasetError" in reason and "dept-missing" in reason, reason


def test_summary_lists_every_entry_with_its_status(faulty_run):
    summary = json.loads((faulty_run["out"] / "summary.json").read_text(encoding="utf-8"))
    status = {e["slug"]: e["status"] for e in summary["entries"]}
    assert status == {"dept-ok-2024": "ok", "dept-ok2-2024": "ok", "dept-dies-2024": "failed",
                      "dept-raises-2024": "failed", "dept-missing-2024": "failed"}


def test_no_half_written_folders_and_data_untouched(faulty_run):
    out = faulty_run["out"]
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert faulty_run["data_unchanged"]
