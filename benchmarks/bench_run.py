"""Benchmark: one department-year notebook run vs papermill running a one-cell notebook that imports pandas
and matplotlib (issue 14, goal 3: the ratio should be at most 1.5).

    .venv/bin/python benchmarks/bench_run.py [--repeat 5]

Both go through papermill on the same kernel ('budgetkit'); the measured run is the
runner's ``run_entry`` on the shipped dataset (report notebook, HTML export, findings
files), exactly as ``budgetkit run`` does it for one entry. The two are timed side by
side: each repeat runs the baseline, then the entry, so machine noise hits both alike.
Prints medians and their ratio; no assertions.
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

from budgetkit.run.kernel import kernel_config
from budgetkit.run.params import default_params
from budgetkit.run.runner import entry_notebooks, kernel_name, run_entry

BASELINE_CELL = "import pandas, matplotlib.pyplot"


def _seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    kernel = kernel_name()
    params = default_params()
    notebooks = entry_notebooks()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        baseline_nb = tmp / "baseline.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE_CELL)]), str(baseline_nb))

        def baseline():
            papermill.execute_notebook(str(baseline_nb), str(tmp / "baseline.out.ipynb"), kernel_name=kernel,
                                       progress_bar=False, log_output=False, config=kernel_config())

        def one_run():
            result = run_entry(params, tmp / "out", kernel, notebooks)
            if result["status"] != "ok":
                raise SystemExit(f"run failed: {result['failed']}")

        baseline()  # warm the OS file cache (imports, font file) before timing either
        one_run()
        pairs = [(_seconds(baseline), _seconds(one_run)) for _ in range(args.repeat)]
    t_base = statistics.median(b for b, _ in pairs)
    t_run = statistics.median(r for _, r in pairs)
    print(f"kernel: {kernel}; python {sys.version.split()[0]}; median of {args.repeat}, side by side")
    print(f"papermill, one cell `{BASELINE_CELL}` (baseline): {t_base:6.2f} s  "
          f"[{' '.join(f'{b:.2f}' for b, _ in pairs)}]")
    print(f"one department-year run ({params.slug}): {t_run:6.2f} s  [{' '.join(f'{r:.2f}' for _, r in pairs)}]")
    print(f"ratio run / baseline: {t_run / t_base:5.2f}x (median of the per-pair ratios "
          f"{statistics.median(r / b for b, r in pairs):.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
