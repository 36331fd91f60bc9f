"""Benchmark: load the seed (text → Disclosure) and run all checks; prints medians of repeated runs.

    .venv/bin/python benchmarks/bench_check.py [--repeat N]

Not a test: no thresholds, just numbers to compare between commits.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from budgetkit.checks import run_rules
from budgetkit.extract import parse_text

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_b6cb000e27f50e6b.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--seed", type=Path, default=SEED)
    args = ap.parse_args()
    text = args.seed.read_text(encoding="utf-8")
    parse_text(text, args.seed.name)  # warm-up: imports, template cache
    load, check, table_checks = [], [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        disclosure = parse_text(text, args.seed.name)
        t1 = time.perf_counter()
        report = run_rules(disclosure)
        t2 = time.perf_counter()
        run_rules(disclosure, select=["within.", "cross.", "completeness.", "extraction."])
        t3 = time.perf_counter()
        load.append(t1 - t0)
        check.append(t2 - t1)
        table_checks.append(t3 - t2)
    ms = lambda xs: f"{statistics.median(xs) * 1000:.1f} ms"  # noqa: E731
    print(f"seed: {args.seed.name}, {args.repeat} runs, {len(report.results)} rules, {len(report.findings)} findings")
    print(f"median load (parse text):      {ms(load)}")
    print(f"median all checks:             {ms(check)}")
    print(f"median table checks only:      {ms(table_checks)}")
    print(f"median load + all checks:      {ms([a + b for a, b in zip(load, check)])}")


if __name__ == "__main__":
    main()
