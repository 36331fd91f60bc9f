"""Benchmark: `budgetkit check FILE.pdf` in-process on every development PDF, and where the time goes.

    .venv/bin/python benchmarks/bench_pdf.py [--repeat N] [--only SUBSTRING] [--before DIR | --compare]

Per document: the median of N runs of what the CLI does (``load_any`` →
``parse_source`` → ``run_rules``), and the share of that time spent in
  parse  — PDF parsing: opening the file and reading each page's glyphs and rules
           (``opening.open_pdf`` + ``parsing.parse_page``; the PDF library's work),
  cells  — the table finder turning rules into cells and placing glyphs (``grid.find_grids``),
  read   — the rest of ``read_pdf`` (text lines, furniture, assembly),
  tables — grids → Disclosure (``pdf_document.parse_pdf``, structure notes),
  checks — every rule (``run_rules``).
The shares are measured by timing those calls during the runs, so they add up to
the total. Then the median over documents. Seconds are wall-clock; ``cpu`` is the
process's CPU time (the same median), steadier on a shared machine.

Two ways side by side in one run, alternating run by run so both see the same load,
each in its own worker process (warmed up on the first document):
``--before DIR`` — the budgetkit package of DIR (a snapshot of an earlier commit:
``git archive COMMIT | tar -x -C DIR``) against this checkout's;
``--compare`` — this checkout with pages read by pdfminer's own content parser and
``LTChar`` objects (``pdfm``) against ours (content.read_objects, _ClipDevice.show_text).
Not a test: numbers only, no thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import budgetkit.extract as extract_pkg
from budgetkit.checks import run_rules
from budgetkit.extract.pdf import parsing, reader

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / ".." / "shared" / "samples"
PARTS = ("parse", "cells", "read", "tables", "checks")


class _Timer:
    def __init__(self):
        self.seconds = 0.0

    def wrap(self, fn):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0

        return timed


@contextmanager
def _timed(owner, name: str, timer: _Timer):
    original = getattr(owner, name)
    setattr(owner, name, timer.wrap(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


def check_pdf(path: Path):
    """What ``budgetkit check FILE.pdf`` does, without printing."""
    from budgetkit.run.cli import load_any

    disclosure = load_any(path)
    return run_rules(disclosure, prior=None, source=str(path))


def measure(path: Path, fast: bool = True) -> tuple[float, float, dict[str, float], int]:
    """One run: wall and CPU seconds, the parts' shares, the number of findings."""
    parsing._ClipInterpreter.fast_content = parsing._ClipDevice.light_objects = fast
    timers = {name: _Timer() for name in ("open", "page", "cells", "read_pdf", "parse_pdf_source", "checks")}
    with ExitStack() as stack:
        stack.enter_context(_timed(reader, "open_pdf", timers["open"]))
        stack.enter_context(_timed(reader, "parse_page", timers["page"]))
        stack.enter_context(_timed(reader, "find_grids", timers["cells"]))
        stack.enter_context(_timed(extract_pkg, "parse_pdf_source", timers["parse_pdf_source"]))
        stack.enter_context(_timed(extract_pkg.pdf, "read_pdf", timers["read_pdf"]))
        global run_rules
        original, run_rules = run_rules, timers["checks"].wrap(run_rules)
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            report = check_pdf(path)
            total, cpu = time.perf_counter() - t0, time.process_time() - c0
        finally:
            run_rules = original
            parsing._ClipInterpreter.fast_content = parsing._ClipDevice.light_objects = True
    s = {k: t.seconds for k, t in timers.items()}
    shares = {
        "parse": s["open"] + s["page"],
        "cells": s["cells"],
        "read": s["read_pdf"] - s["open"] - s["page"] - s["cells"],
        "tables": s["parse_pdf_source"] - s["read_pdf"],
        "checks": s["checks"],
    }
    return total, cpu, {k: v / total for k, v in shares.items()}, len(report.findings)


def _row(name: str, median: float, cpu: float, shares: dict[str, float], findings: int) -> str:
    return f"{name:46} {median:6.2f} {cpu:6.2f} " + " ".join(f"{shares[p]:6.0%}" for p in PARTS) + f" {findings:8d}"


class _Worker:
    """A process measuring one way (its budgetkit on PYTHONPATH, pdfminer's objects or ours) on request."""

    def __init__(self, package_root: Path, fast: bool, warm_up: Path):
        env = {**os.environ, "PYTHONPATH": str(package_root.resolve())}
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", "--fast" if fast else "--pdfm", str(warm_up)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)

    def measure(self, path: Path) -> tuple:
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        median, cpu, shares, findings = json.loads(self.process.stdout.readline())
        return median, cpu, shares, findings

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def _serve(fast: bool, warm_up: Path) -> None:
    """Worker side: one line per document on stdin → one measured run as JSON on stdout."""
    check_pdf(warm_up)  # imports, font caches, templates
    for line in sys.stdin:
        print(json.dumps(measure(Path(line.strip()), fast)), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="", help="only documents whose name contains this")
    ap.add_argument("--before", type=Path, help="a checkout whose budgetkit package is the 'before'")
    ap.add_argument("--compare", action="store_true", help="pages read by pdfminer's parser and LTChar vs ours")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--pdfm", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--fast", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("warm_up", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return _serve(not args.pdfm, args.warm_up)
    paths = [p for p in sorted(SAMPLES.glob("*.pdf")) if args.only in p.name]
    assert paths, f"no development PDFs under {SAMPLES}"
    if args.before:
        ways = {"before": (args.before, True), "now": (ROOT, True)}
    elif args.compare:
        ways = {"pdfm": (ROOT, False), "ours": (ROOT, True)}
    else:
        ways = {"now": (ROOT, True)}
    workers = {name: _Worker(root, fast, paths[0]) for name, (root, fast) in ways.items()}
    print(f"{'document':46} {'s/doc':>6} {'cpu':>6} " + " ".join(f"{p:>6}" for p in PARTS) + f" {'findings':>8}")
    results = {way: [] for way in ways}
    try:
        for path in paths:
            runs = {way: [] for way in ways}
            for _ in range(args.repeat):  # alternate the ways run by run, so both see the same load
                for way, worker in workers.items():
                    runs[way].append(worker.measure(path))
            for way in ways:
                median = statistics.median(r[0] for r in runs[way])
                cpu = statistics.median(r[1] for r in runs[way])
                shares = {p: statistics.mean(r[2][p] for r in runs[way]) for p in PARTS}
                results[way].append((median, cpu, shares["parse"]))
                label = path.stem[:38] + ("" if len(ways) == 1 else f" [{way}]")
                print(_row(label, median, cpu, shares, runs[way][0][3]))
    finally:
        for worker in workers.values():
            worker.close()
    for way in ways:
        medians = [r[0] for r in results[way]]
        cpus = [r[1] for r in results[way]]
        name = "" if len(ways) == 1 else f" ({way})"
        print(f"median over {len(paths)} documents{name}: {statistics.median(medians):.2f} s per document "
              f"(cpu {statistics.median(cpus):.2f} s; max {max(medians):.2f} s); "
              f"PDF parsing {statistics.median(r[2] for r in results[way]):.0%} of it (median share)")
    if len(ways) == 2:
        old, new = (results[way] for way in ways)
        ratios = [a[0] / b[0] for a, b in zip(old, new)]
        cpu_ratios = [a[1] / b[1] for a, b in zip(old, new)]
        print(f"{' / '.join(ways)}, per document: cpu {', '.join(f'{r:.2f}' for r in cpu_ratios)}; "
              f"median {statistics.median(ratios):.2f}x wall, {statistics.median(cpu_ratios):.2f}x cpu")


if __name__ == "__main__":
    main()
