"""A real cluster chosen by configuration: `dask scheduler` + two `dask worker` processes on 127.0.0.1.

``budgetkit check`` (a folder of datasets) and ``budgetkit run`` (a params file) with
``BUDGETKIT_DASK_SCHEDULER`` set give the same results as in one process.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from project_files import ROOT

from budgetkit.batch.distributed import SCHEDULER_ENV
from budgetkit.synth.write import write_batch

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow  # starts three Dask processes and executes the notebooks twice


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != SCHEDULER_ENV}
    return {**env, **extra}


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """The address of a scheduler with two single-threaded workers; every process is killed afterwards."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask-logs")
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = []

    def start(name, *args):
        log = open(logs / f"{name}.log", "wb")
        procs.append(subprocess.Popen([str(BIN / "dask"), *args], cwd=ROOT, env=_env(), stdout=log,
                                      stderr=subprocess.STDOUT))

    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
              "--no-dashboard")
        for i in (1, 2):
            start(f"worker{i}", "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                  "--name", f"w{i}", "--local-directory", str(logs / f"w{i}"))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            assert len(client.scheduler_info()["workers"]) == 2
        yield address
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def _budgetkit(*args, cwd=ROOT, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "budgetkit"), *args], cwd=cwd, env=_env(**env), capture_output=True,
                          text=True, timeout=900)


def test_check_on_cluster_equals_one_process(scheduler, tmp_path):
    write_batch(tmp_path / "batch", 4, seed=21, years=2, inject_every=2)  # priors paired across years
    alone = _budgetkit("check", str(tmp_path / "batch"), "--json")
    there = _budgetkit("check", str(tmp_path / "batch"), "--json", **{SCHEDULER_ENV: scheduler})
    assert alone.returncode == there.returncode == 0, there.stderr
    reports = json.loads(alone.stdout)
    assert len(reports) == 8 and any(r["findings"] for r in reports)
    assert json.loads(there.stdout) == reports


def _run_results(out: Path) -> dict:
    slug = "changzhishi-tunliuqu-caizhengju-2024"  # out/<department>-<year>
    run = json.loads((out / slug / "run.json").read_text(encoding="utf-8"))
    keep = ("status", "failed", "findings_by_severity", "rules_by_status", "findings_by_rule", "outputs")
    return {k: run.get(k) for k in keep}


def test_run_on_cluster_equals_one_process(scheduler, tmp_path):
    params = ROOT / "params" / "changzhishi-tunliuqu-caizhengju-2024.yaml"
    alone = _budgetkit("run", str(params), "--out", str(tmp_path / "alone"))
    there = _budgetkit("run", str(params), "--out", str(tmp_path / "there"), **{SCHEDULER_ENV: scheduler})
    assert alone.returncode == 0, alone.stderr
    assert there.returncode == 0, there.stderr
    assert scheduler in there.stdout  # the runner says where the work went
    a, b = _run_results(tmp_path / "alone"), _run_results(tmp_path / "there")
    assert a["status"] == "ok" and a["findings_by_severity"]
    assert b == a
