"""Benchmark: one department-year notebook run vs the floor (papermill executing an empty notebook).

    .venv/bin/python benchmarks/bench_run.py [--repeat 3]

Both go through papermill on the same kernel, so the ratio says how much the
report itself (imports, loading the dataset, running the rules, rendering tables
and charts, HTML export, findings files) costs on top of starting a kernel.
Reports medians; no assertions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from budgetkit.run.params import default_params
from budgetkit.run.runner import kernel_name, run_entry


def _median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    kernel = kernel_name()
    params = default_params()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = tmp / "empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")]), str(empty))

        def floor():
            papermill.execute_notebook(str(empty), str(tmp / "empty.out.ipynb"), kernel_name=kernel,
                                       progress_bar=False, log_output=False)

        def one_run():
            result = run_entry(params, tmp / "out", kernel)
            if result["status"] != "ok":
                raise SystemExit(f"run failed: {result['failed']}")

        floor()  # warm caches (imports, font manager) before timing either
        t_floor = _median_seconds(floor, args.repeat)
        t_run = _median_seconds(one_run, args.repeat)
    print(f"kernel: {kernel}; python {sys.version.split()[0]}; median of {args.repeat}")
    print(f"empty notebook via papermill (floor): {t_floor:7.2f} s")
    print(f"one department-year run ({params.slug}): {t_run:7.2f} s")
    print(f"ratio run / floor: {t_run / t_floor:5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
