"""Benchmark: one department-year notebook run vs papermill running a one-cell notebook that imports pandas
and matplotlib (issue 14, goal 3: the ratio should be at most 1.5).

    .venv/bin/python benchmarks/bench_run.py [--repeat 5] [--before ../base]
    .venv/bin/python benchmarks/bench_run.py --parts [--repeat 5]


Both go through papermill on the same kernel ('budgetkit'); the measured run is the
runner's ``run_entry`` on the shipped dataset (report notebook, HTML export, findings
files), exactly as ``budgetkit run`` does it for one entry. Each is run by a worker
process (one per checkout) and timed there: wall seconds and CPU seconds (the worker's
own plus its finished kernels', ``RUSAGE_CHILDREN``). The runs alternate, so machine
noise hits all alike. ``PYTHONDONTWRITEBYTECODE`` is dropped from the workers' (and so
the kernels') environment: an installed package has its byte-code cached.
``--before DIR``: a snapshot of another commit (``git archive C | tar -x -C DIR``) is
timed too, its worker running in DIR with ``PYTHONPATH=DIR`` (its package, notebooks,
data). Prints medians, their ratios and the medians of the per-round ratios; no assertions.

``--parts``: where an entry's time goes, in this one process (no kernel): each step the
notebook and the runner take, warm (the first, cold round is left out), median seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
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


def _worker(checkout: Path) -> subprocess.Popen:
    """A process in ``checkout`` (its budgetkit first on the path) that times one run per line read: base / entry."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(checkout)
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve"], cwd=checkout, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _ask(worker: subprocess.Popen, what: str) -> tuple[float, float]:
    worker.stdin.write(what + "\n")
    worker.stdin.flush()
    wall, cpu = worker.stdout.readline().split()
    return float(wall), float(cpu)


def serve() -> None:
    """The worker: run what each stdin line asks ('base', 'entry') and print 'wall cpu' seconds."""
    kernel = kernel_name()
    params = default_params()
    notebooks = entry_notebooks()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        baseline_nb = tmp / "baseline.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE_CELL)]), str(baseline_nb))

        def base():
            papermill.execute_notebook(str(baseline_nb), str(tmp / "baseline.out.ipynb"), kernel_name=kernel,
                                       progress_bar=False, log_output=False, config=kernel_config())

        def entry():
            result = run_entry(params, tmp / "out", kernel, notebooks)
            if result["status"] != "ok":
                raise SystemExit(f"run failed: {result['failed']}")

        runs = {"base": base, "entry": entry}
        for line in sys.stdin:
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu, wall = time.process_time(), time.perf_counter()
            runs[line.strip()]()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu += after.ru_utime - children.ru_utime + after.ru_stime - children.ru_stime
            print(f"{wall:.3f} {cpu:.3f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--parts", action="store_true", help="time each step of an entry in this process instead")
    ap.add_argument("--before", type=Path, help="a snapshot of another commit, timed as 'before'")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        serve()
        return 0
    if args.parts:
        parts(args.repeat)
        return 0
    checkouts = {"now": Path(__file__).resolve().parents[1]}
    if args.before:
        checkouts["before"] = args.before.resolve()
    workers = {name: _worker(path) for name, path in checkouts.items()}
    runs = [("baseline", workers["now"], "base")] + [(f"entry {name}", w, "entry") for name, w in workers.items()]
    for _name, worker, what in runs:  # warm the OS file cache (imports, font file) and the byte-code caches
        _ask(worker, what)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in runs}
    for round_ in range(args.repeat):
        for name, worker, what in runs if round_ % 2 == 0 else runs[::-1]:
            times[name].append(_ask(worker, what))
    for worker in workers.values():
        worker.stdin.close()
        worker.wait()
    print(f"python {sys.version.split()[0]}; median of {args.repeat}, alternating; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"baseline = papermill on one cell `{BASELINE_CELL}`")
    base = times["baseline"]
    for name, ts in times.items():
        line = (f"  {name:<14} wall {statistics.median(w for w, _ in ts):6.2f} s  cpu {statistics.median(c for _, c in ts):6.2f} s"
                f"  [cpu {' '.join(f'{c:.2f}' for _, c in ts)}]")
        if name != "baseline":
            line += (f"  ratio wall {statistics.median(w for w, _ in ts) / statistics.median(w for w, _ in base):.2f}x"
                     f" cpu {statistics.median(c for _, c in ts) / statistics.median(c for _, c in base):.2f}x"
                     f" (per round: wall {statistics.median(w / b for (w, _), (b, _) in zip(ts, base)):.2f}x"
                     f" cpu {statistics.median(c / b for (_, c), (_, b) in zip(ts, base)):.2f}x)")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
