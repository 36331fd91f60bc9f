"""`budgetkit check` on one disclosure as a whole process, against `python -c "import pandas"` in the same run.

    .venv/bin/python benchmarks/bench_cli_check.py [--runs 7] [--before ../old-checkout]

Runs the commands in turn (pandas, dataset, text, pandas, dataset, text …) after one warm-up
each and prints the median CPU seconds (user + sys, the kernel's accounting of each finished
child) and wall seconds, and the median of the pair-by-pair ratios to ``import pandas``
(goal: ≤ 2×). Children run with byte-code caching on, as installed code has it
(``PYTHONDONTWRITEBYTECODE`` is dropped from their environment). ``--before DIR`` adds the
two checks run on the ``budgetkit`` package of another checkout (``PYTHONPATH=DIR``, e.g. a
``git archive`` of the commit before a change) to the same rotation, for before/after in one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "import pandas": [sys.executable, "-c", "import pandas"],
    # what the console script runs; ``-P -m`` so that a --before checkout (PYTHONPATH) runs its own entry point
    "check dataset": [sys.executable, "-P", "-m", "budgetkit.run.cli", "check", "data/changzhishi-tunliuqu-caizhengju/2024",
                      "--json"],
    "check text": [sys.executable, "-P", "-m", "budgetkit.run.cli", "check", "../shared/seeds/000_b6cb000e27f50e6b.txt",
                   "--json"],
}


def _time(cmd: list[str], env: dict | None) -> tuple[float, float]:
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}")
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--before", type=Path, help="a checkout whose budgetkit package is the 'before'")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = {name: (cmd, env) for name, cmd in COMMANDS.items()}
    if args.before and not (args.before / "budgetkit").is_dir():
        sys.exit(f"--before {args.before}: no budgetkit/ there (a checkout or git archive of an older commit)")
    if args.before:
        old = {**env, "PYTHONPATH": str(args.before.resolve())}
        runs.update({f"{name} (before)": (cmd, old) for name, cmd in COMMANDS.items() if name.startswith("check")})
    for cmd, e in runs.values():
        _time(cmd, e)  # warm-up: byte-code written, files in the page cache
    cpu = {k: [] for k in runs}
    wall = {k: [] for k in runs}
    for _ in range(args.runs):
        for name, (cmd, e) in runs.items():
            c, w = _time(cmd, e)
            cpu[name].append(c)
            wall[name].append(w)
    base = "import pandas"
    print(f"{args.runs} runs each, in turn; medians")
    for name in runs:
        line = f"{name:23s} cpu {statistics.median(cpu[name]):.2f} s  wall {statistics.median(wall[name]):.2f} s"
        if name != base:
            rc = statistics.median(a / b for a, b in zip(cpu[name], cpu[base]))
            rw = statistics.median(a / b for a, b in zip(wall[name], wall[base]))
            line += f"  ×{rc:.2f} cpu, ×{rw:.2f} wall of import pandas"
        print(line)


if __name__ == "__main__":
    main()
