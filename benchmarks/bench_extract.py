"""Benchmark: `budgetkit extract` on the seed — in-process and as the CLI command; medians of repeated runs.

    .venv/bin/python benchmarks/bench_extract.py [--repeat N]

Also times loading the written dataset back. Not a test: numbers only.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from budgetkit.dataset.store import load_dataset
from budgetkit.extract import extract

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_b6cb000e27f50e6b.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        extract(SEED, Path(tmp) / "warm")  # imports, template cache
        inproc, cli, load = [], [], []
        for i in range(args.repeat):
            t0 = time.perf_counter()
            extract(SEED, Path(tmp) / f"a{i}")
            inproc.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            load_dataset(Path(tmp) / f"a{i}")
            load.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "budgetkit.run.cli", "extract", str(SEED), "--out", str(Path(tmp) / f"c{i}")],
                           check=True, capture_output=True)
            cli.append(time.perf_counter() - t0)
    med = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    print(f"{args.repeat} runs on {SEED.name}")
    print(f"median extract in-process (parse + write dataset): {med(inproc):.0f} ms")
    print(f"median `budgetkit extract` command (with interpreter start): {med(cli):.0f} ms")
    print(f"median load_dataset of the result:                 {med(load):.0f} ms")


if __name__ == "__main__":
    main()
