"""`make lab`: JupyterLab starts (as root too, as in containers), opens the report notebook, and its kernels
run over encrypted ZeroMQ (no plain-TCP warning in the server log)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from project_files import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lab_command() -> str:
    """The recipe of `make lab` with this interpreter's bin/ (setup taken as done)."""
    proc = subprocess.run(["make", "-s", "-n", "-o", ".venv/.installed", "lab", f"BIN={Path(sys.executable).parent}"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return proc.stdout.replace("\\\n", " ").strip()


def test_make_lab_opens_the_report_notebook(tmp_path):
    port = _free_port()
    command = f"{_lab_command()} --no-browser --port={port} --ServerApp.token=t0ken --ServerApp.ip=127.0.0.1"
    assert "--LabApp.default_url=/lab/tree/report.ipynb" in command
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen(["sh", "-c", command], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token=t0ken", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail((tmp_path / "lab.log").read_text())

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(f"{base}/?token=t0ken", timeout=5)
            location = ""
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location", "")
        assert location.startswith("/lab/tree/report.ipynb") or "/lab/tree/report.ipynb" in location
        req = urllib.request.Request(f"{base}/api/kernels?token=t0ken", data=json.dumps({"name": "python3"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        kernel = json.loads(urllib.request.urlopen(req, timeout=30).read())
        for _ in range(60):  # the kernel process has started once it listens (its warning would come first)
            time.sleep(0.5)
            if f"Kernel started: {kernel['id']}" in (tmp_path / "lab.log").read_text():
                break
        time.sleep(3)
        assert f"Kernel started: {kernel['id']}" in (tmp_path / "lab.log").read_text()
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        log.close()
    text = (tmp_path / "lab.log").read_text()
    assert "without encryption" not in text  # (as root, without --allow-root the server would not have started)
