"""Notebook runs: the runner over N generated department-years with 1 worker, then 2; prints the speed-up.

    .venv/bin/python benchmarks/bench_run_workers.py [--count 8]

Issue 14, goal 3: 2 workers at least 1.8x faster than 1 on 8 entries. Also prints whether
both runs found the same (summary entries without their durations, findings files).

Generated datasets go to out/bench/run-data (never data/), params files to
out/bench/run-params, run outputs to out/bench/run-1 and out/bench/run-2. Both
runs are timed end to end (kernel starts, notebooks, HTML, findings, summary).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import time
from pathlib import Path

DATA = Path("out/bench/run-data")
PARAMS = Path("out/bench/run-params")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=8)
    a = p.parse_args()
    from budgetkit.run.runner import run
    from budgetkit.synth.write import write_batch

    shutil.rmtree(DATA, ignore_errors=True)
    shutil.rmtree(PARAMS, ignore_errors=True)
    PARAMS.mkdir(parents=True)
    files = []
    for path in write_batch(DATA, a.count, seed=13):
        slug, year = path.parent.name, path.name
        f = PARAMS / f"{slug}-{year}.yaml"
        f.write_text(f"department: {slug}\nyear: {year}\ndata_root: {DATA}\n", encoding="utf-8")
        files.append(f)
    seconds = {}
    for workers in (1, 2):
        out = Path(f"out/bench/run-{workers}")
        shutil.rmtree(out, ignore_errors=True)
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = run(files, workers=workers, out=out)
        seconds[workers] = time.perf_counter() - t
        print(f"{a.count} department-years, {workers} worker(s): {seconds[workers]:.1f}s (exit {code})", flush=True)
    print(f"speed-up 1 → 2 workers: {seconds[1] / seconds[2]:.2f}×")
    print(f"same results with 1 and 2 workers: {_results(Path('out/bench/run-1')) == _results(Path('out/bench/run-2'))}")


def _results(out: Path) -> tuple:
    """What a run found: its summary entries without durations, and every findings JSON."""
    entries = json.loads((out / "summary.json").read_text(encoding="utf-8"))["entries"]
    entries = [{k: v for k, v in e.items() if k != "duration_s"} for e in entries]
    findings = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*/*-findings.json"))}
    return entries, findings


if __name__ == "__main__":
    main()
