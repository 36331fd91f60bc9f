"""A sample of the fuzz cases through the real command line: exit 0 or 2, never a traceback.

Each case is a damaged disclosure file (possibly GBK-encoded) or a damaged dataset
folder, checked by ``python -m budgetkit.run.cli check … --json`` in a subprocess:
exit 0 with one JSON object on stdout, or exit 2 with exactly one line on stderr;
never 'Traceback' nor 'internal error'.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from fuzz_damage import (
    NOISE_OPS,
    ROW_OPS,
    SAME_OPS,
    VALUE_OPS,
    Baseline,
    Damage,
    core_text,
    damages,
    fuzz_record,
    fuzz_settings,
    record,
    seed_lines,
    table_amount_lines,
)
from hypothesis import example, given
from hypothesis import strategies as st
from project_files import SHIPPED as DATASET
from test_fuzz_loader import CELL_OPS, damage_cell, damage_file, damage_row

__all__ = ["fuzz_record"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BUDGETKIT_DEBUG"}
    return subprocess.run([sys.executable, "-m", "budgetkit.run.cli", *args], capture_output=True, text=True,
                          timeout=600, env=env)


def assert_clean_exit(proc: subprocess.CompletedProcess, test: str) -> None:
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 2), (proc.returncode, proc.stderr)
    if proc.returncode == 0:
        out = json.loads(proc.stdout)
        assert out["rules"] and all(r["status"] for r in out["rules"])
        record(test, "exit_0")
    else:
        assert proc.stderr.endswith("\n") and proc.stderr.count("\n") == 1, proc.stderr
        record(test, "exit_2", _CliError(proc.stderr.strip().split(": ", 1)[-1]))


class _CliError(Exception):
    """Stands for the one-line message of an exit-2 run in the error counts."""


@pytest.fixture(scope="module")
def seed(fuzz_record):
    text = core_text(seed_lines())
    return Baseline(text=text, table_lines=table_amount_lines(text),
                    all_lines=list(range(len(text.split("\n")))))


@fuzz_settings(5)
@given(st.lists(damages(VALUE_OPS + ROW_OPS + NOISE_OPS + SAME_OPS), min_size=1, max_size=3), st.booleans())
@example([Damage("truncate", extra=3_575)], True)  # GBK, cut inside table 3: exit 2, one line
def test_damaged_disclosure_through_the_cli(seed, ds, gbk):
    text = seed["text"]
    for d in ds:
        text = d.apply(text, seed["all_lines"] if d.op in NOISE_OPS else seed["table_lines"]) or text
    folder = Path(tempfile.mkdtemp(prefix="fuzz-cli-"))
    try:
        path = folder / "disclosure.txt"
        path.write_bytes(text.encode("gbk" if gbk else "utf-8"))
        assert_clean_exit(run_cli("check", str(path), "--json"), "cli_text")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@fuzz_settings(3)
@given(st.sampled_from(["cell", "row", "file"]), st.integers(0, 10_000), st.sampled_from(sorted(CELL_OPS)),
       st.integers(0, 10**6))
@example("cell", 3, "garbage", 0)  # 'abc' in an amount cell: exit 2 naming file, table, line and column
def test_damaged_dataset_through_the_cli(fuzz_record, kind, pick, cell_op, k):
    if not (DATASET / "metadata.json").is_file():
        pytest.fail("shipped dataset missing")
    folder = Path(tempfile.mkdtemp(prefix="fuzz-cli-ds-")) / "2024"
    try:
        shutil.copytree(DATASET, folder)
        csvs = sorted(p.relative_to(folder).as_posix() for p in (folder / "tables").glob("*.csv"))
        rel = csvs[pick % len(csvs)]
        if kind == "cell":
            damage_cell(folder, rel, cell_op, pick, k)
        elif kind == "row":
            damage_row(folder, rel, "duplicate_row" if k % 2 else "delete_row", pick)
        else:
            damage_file(folder, ["metadata.json", "forms.json", rel][k % 3], "truncate", k)
        assert_clean_exit(run_cli("check", str(folder), "--json"), "cli_dataset")
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
