"""Benchmark: one department-year notebook run vs papermill running a one-cell notebook that imports pandas
and matplotlib (issue 14, goal 3: the ratio should be at most 1.5).

    .venv/bin/python benchmarks/bench_run.py [--repeat 5]
    .venv/bin/python benchmarks/bench_run.py --parts [--repeat 5]


Both go through papermill on the same kernel ('budgetkit'); the measured run is the
runner's ``run_entry`` on the shipped dataset (report notebook, HTML export, findings
files), exactly as ``budgetkit run`` does it for one entry. The two are timed side by
side: each repeat runs the baseline, then the entry, so machine noise hits both alike.
Prints medians and their ratio; no assertions.

``--parts``: where an entry's time goes, in this one process (no kernel): each step the
notebook and the runner take, warm (the first, cold round is left out), median seconds.
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


def parts(repeat: int) -> None:
    """Median seconds of each step of one entry, run in this process the way the notebook and runner run them."""
    from IPython.display import display  # noqa: F401  (the sections display; imported before timing)

    from budgetkit.present import report
    from budgetkit.present.html import notebook_html

    params = default_params()
    steps = {
        "load (dataset, prior year, every rule)": lambda s: s.update(audit=report.load(params.department, params.year,
                                                                                       params.data_root)),
        "sections (overview … forms, HTML)": lambda s: [
            f(s["audit"]) for f in (report.overview_html, report.findings_html, report.rules_html,
                                    report.checklist_html, report.narrative_html, report.generated_html,
                                    report.forms_html)] + [report.table_html(s["audit"], t)
                                                           for t in s["audit"].template.table_ids],
        "charts (PNG)": lambda s: report.chart_images(s["audit"]),
        "save (JSON, CSV, 2 workbooks)": lambda s: report.save(s["audit"], s["tmp"]),
        "report page (nbconvert)": lambda s: notebook_html(s["executed"], s["tmp"] / "page.html"),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    with tempfile.TemporaryDirectory() as tmp:
        result = run_entry(params, Path(tmp) / "out", kernel_name(), entry_notebooks())  # an executed notebook
        state = {"tmp": Path(tmp), "executed": Path(tmp) / "out" / params.slug / "report.ipynb"}
        if result["status"] != "ok":
            raise SystemExit(f"run failed: {result['failed']}")
        for round_ in range(repeat + 1):
            for name, step in steps.items():
                seconds = _seconds(lambda: step(state))
                if round_:
                    times[name].append(seconds)
    print(f"one entry's steps in one process, warm, median of {repeat}")
    for name, ts in times.items():
        print(f"  {name:<40} {statistics.median(ts):6.2f} s")
    print(f"  {'total':<40} {sum(statistics.median(ts) for ts in times.values()):6.2f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--parts", action="store_true", help="time each step of an entry in this process instead")
    args = ap.parse_args(argv)
    if args.parts:
        parts(args.repeat)
        return 0
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
