"""Checks over many generated department-years: throughput, peak memory, growth with the count.

Usage (from the checkout):
    .venv/bin/python benchmarks/bench_batch.py --make 1000          # generate out/bench/base (once)
    .venv/bin/python benchmarks/bench_batch.py --counts 1000 2000 5000 10000 --select T
    .venv/bin/python benchmarks/bench_batch.py --counts 100 --workers 1 2   # every rule family

Counts above the number of generated datasets list the generated folders
repeatedly (10 000 = the 1 000 generated datasets, 10 times): the engine sees
10 000 department-years either way. Each count runs in a fresh subprocess so
peak memory (ru_maxrss) is that run's own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

BASE = Path("out/bench/base")


def _one(count: int, workers: int, select: list[str] | None) -> dict:
    from budgetkit.batch.check import check_datasets, dataset_folders

    base = dataset_folders([BASE])
    folders = [base[i % len(base)] for i in range(count)]
    t = time.perf_counter()
    result = check_datasets(folders, workers=workers, select=select)
    seconds = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"count": count, "workers": workers, "select": select, "seconds": round(seconds, 2),
            "per_second": round(count / seconds, 1), "peak_mb": round(peak_mb), "findings": len(result.findings)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--make", type=int, help="generate this many department-years into out/bench/base")
    p.add_argument("--counts", type=int, nargs="*", default=[])
    p.add_argument("--workers", type=int, nargs="*", default=[1])
    p.add_argument("--select", nargs="*", help="rule id prefixes (T = within-table rules)")
    p.add_argument("--child", action="store_true")
    a = p.parse_args()
    if a.make:
        from budgetkit.synth.write import write_batch

        write_batch(BASE, a.make, seed=7, force=True)
        return
    if a.child:
        print(json.dumps(_one(a.counts[0], a.workers[0], a.select)))
        return
    rows = []
    for w in a.workers:
        for n in a.counts:
            cmd = [sys.executable, __file__, "--child", "--counts", str(n), "--workers", str(w)]
            if a.select:
                cmd += ["--select", *a.select]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
            rows.append(json.loads(out))
            print(rows[-1], flush=True)
    first = rows[0]
    for r in rows[1:]:
        if r["workers"] == first["workers"]:
            print(f"{r['count']}/{first['count']} datasets: time ×{r['seconds'] / first['seconds']:.2f} "
                  f"(linear would be ×{r['count'] / first['count']:.2f})")
    by_w = {(r["count"], r["workers"]): r["seconds"] for r in rows}
    for (n, w), s in by_w.items():
        if w > 1 and (n, 1) in by_w:
            print(f"{n} datasets: {w} workers {by_w[(n, 1)] / s:.2f}× faster than 1")


if __name__ == "__main__":
    main()
