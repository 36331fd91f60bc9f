"""Nothing lost: a changed source is refused, checks and runs never rewrite data/, only
``extract --force`` replaces a dataset (saying which files), and a run killed midway
leaves the previous outputs of that entry intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from project_files import SEED, SHIPPED


def cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k != "BUDGETKIT_DEBUG"}
    return subprocess.run([sys.executable, "-m", "budgetkit.run.cli", *args], capture_output=True, text=True,
                          timeout=900, env={**base, **(env or {})}, cwd=cwd)


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def set_t3_cell(folder: Path, code: str, old: str, new: str) -> None:
    """Hand-correct the 合计 of one T3 row (the first amount after the code and name)."""
    path = folder / "tables" / "T3.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        cells = line.split(",")
        if len(cells) > 6 and cells[4] == code:
            assert cells[6] == old, cells
            cells[6] = new
            lines[i] = ",".join(cells)
            break
    else:
        raise AssertionError(code)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def dataset(tmp_path):
    if not (SHIPPED / "metadata.json").is_file():
        pytest.fail("shipped dataset missing")
    target = tmp_path / "data" / "dept-a" / "2024"
    shutil.copytree(SHIPPED, target)
    return target


def _source(folder: Path) -> Path:
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    return folder / meta["source"]["file"]


def test_changed_source_is_reported_by_the_cli(dataset):
    src = _source(dataset)
    data = bytearray(src.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit
    src.write_bytes(bytes(data))
    proc = cli("check", str(dataset))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "SHA-256" in proc.stderr and src.name in proc.stderr
    assert proc.stdout == ""


def test_missing_source_is_reported_by_the_cli(dataset):
    _source(dataset).unlink()
    proc = cli("check", str(dataset), "--json")
    assert proc.returncode == 2 and "source document missing" in proc.stderr and "Traceback" not in proc.stderr


def test_hand_correction_is_what_check_uses_and_check_writes_nothing(dataset):
    # seed line 286: "2010601 行政运行 192.95 192.95" (table 3); an auditor types 193.95
    set_t3_cell(dataset, "2010601", "192.95", "193.95")
    before = digest(dataset.parent.parent.parent)
    proc = cli("check", str(dataset), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    hits = [f for f in report["findings"] if f["rule"] == "within.expenditure.hierarchy" and f["severity"] == "error"]
    assert hits and any("1.00" in f["difference"] or f["difference"] in ("1.00", "-1.00") for f in hits), hits
    assert digest(dataset.parent.parent.parent) == before  # nothing under data/ was rewritten


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    if not SEED.is_file():
        pytest.fail("seed missing")
    out = tmp_path_factory.mktemp("extract") / "dept" / "2024"
    proc = cli("extract", str(SEED), "--out", str(out), "--slug", "dept")
    assert proc.returncode == 0, proc.stderr
    return out


def test_extract_refuses_to_overwrite_without_force(extracted):
    set_t3_cell(extracted, "2010601", "192.95", "193.95")
    before = digest(extracted)
    proc = cli("extract", str(SEED), "--out", str(extracted))
    assert proc.returncode == 2 and "--force" in proc.stderr and proc.stderr.count("\n") == 1
    assert digest(extracted) == before  # the hand correction survives


def test_extract_force_says_what_it_replaces(extracted):
    if "193.95" not in (extracted / "tables" / "T3.csv").read_text(encoding="utf-8"):
        set_t3_cell(extracted, "2010601", "192.95", "193.95")
    files = sorted(digest(extracted))
    proc = cli("extract", str(SEED), "--out", str(extracted), "--force")
    assert proc.returncode == 0, proc.stderr
    assert f"replacing {len(files)} files" in proc.stderr
    for rel in ("tables/T3.csv", "metadata.json", "forms.json"):
        assert rel in proc.stderr
    assert "2010601,行政运行,192.95" in (extracted / "tables" / "T3.csv").read_text(encoding="utf-8")
    assert not [p for p in extracted.parent.iterdir() if p.name.startswith(".")]  # no temp/backup left


# ---------------------------------------------------------------- a run killed midway

SLOW_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": None, "outputs": [],
         "source": 'department = "x"\nyear = 2024\ndata_root = ""'},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import time\nprint('started', flush=True)\ntime.sleep(120)"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.fixture
def slow_project(tmp_path, dataset):
    root = dataset.parent.parent.parent  # tmp_path: data/dept-a/2024 is the dataset
    (root / "params").mkdir()
    (root / "params" / "dept-a-2024.yaml").write_text('department: "dept-a"\nyear: 2024\n', encoding="utf-8")
    (root / "notebooks").mkdir()
    (root / "notebooks" / "slow.ipynb").write_text(json.dumps(SLOW_NOTEBOOK), encoding="utf-8")
    previous = root / "out" / "dept-a-2024"
    previous.mkdir(parents=True)
    (previous / "report.html").write_text("<p>previous run</p>", encoding="utf-8")
    (previous / "run.json").write_text('{"status": "ok"}\n', encoding="utf-8")
    return root


@pytest.mark.slow
def test_killed_run_leaves_previous_outputs_intact(slow_project):
    root = slow_project
    out = root / "out"
    before_out = digest(out / "dept-a-2024")
    before_data = digest(root / "data")
    env = {k: v for k, v in os.environ.items() if k != "BUDGETKIT_DEBUG"}
    env["BUDGETKIT_HOME"] = str(root)
    proc = subprocess.Popen([sys.executable, "-m", "budgetkit.run.cli", "run", str(root / "params" / "dept-a-2024.yaml"),
                             "--out", str(out)], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        tmp = []
        while time.monotonic() < deadline and proc.poll() is None:
            tmp = [p for p in out.iterdir() if p.name.startswith(".dept-a-2024.tmp-")]
            if tmp:
                break
            time.sleep(0.2)
        assert tmp, f"the run never started writing (rc={proc.poll()}): {proc.stderr.read().decode()[-500:]}"
        time.sleep(3)  # the kernel is inside the slow cell now, papermill has the temp folder open
        assert proc.poll() is None, "the run ended before it could be killed"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its kernel: our own process group
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert digest(out / "dept-a-2024") == before_out  # previous outputs untouched, not half-replaced
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["dept-a-2024"]
    assert digest(root / "data") == before_data


@pytest.mark.slow
def test_run_uses_hand_corrections_and_rewrites_no_data(dataset):
    """The real notebooks on a hand-corrected dataset: data/ byte-identical afterwards, and the
    findings of the run are those of the corrected value (seed line 286: 行政运行 192.95 → 193.95)."""
    root = dataset.parent.parent.parent
    (root / "params").mkdir()
    (root / "params" / "dept-a-2024.yaml").write_text('department: "dept-a"\nyear: 2024\n', encoding="utf-8")
    set_t3_cell(dataset, "2010601", "192.95", "193.95")
    before = digest(root / "data")
    proc = cli("run", str(root / "params" / "dept-a-2024.yaml"), "--out", str(root / "out"),
               env={"BUDGETKIT_HOME": str(root)}, cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert digest(root / "data") == before
    assert (root / "out" / "dept-a-2024" / "report.html").is_file()  # the notebooks did run
    findings = json.loads((root / "out" / "dept-a-2024" / "dept-a-2024-findings.json").read_text(encoding="utf-8"))
    rows = findings["findings"] if isinstance(findings, dict) else findings
    # 行政运行 193.95 ≠ 基本 192.95 + 项目 (blank): the corrected cell is what the run checked
    assert any(f["rule"] == "within.expenditure.row_total" and f["severity"] == "error" and f["actual"] == "193.95"
               and f["expected"] == "192.95" for f in rows), rows
    # 财政事务 1537.92 printed vs Σ 1538.92 recomputed with the correction
    assert any(f["rule"] == "within.expenditure.hierarchy" and f["expected"] == "1538.92" and f["actual"] == "1537.92"
               for f in rows)
