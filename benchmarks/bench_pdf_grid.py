"""Benchmark: read_pdf on every development PDF — seconds per document and where they go.

    .venv/bin/python benchmarks/bench_pdf_grid.py [--repeat N]

Per document: the median of N runs of ``read_pdf``, and the share of the time
spent in pdfminer's content-stream interpretation (the page parsing pdfplumber
runs to get chars and lines), in pdfplumber's table finder (rules → cells), and
in our own code (everything else: text lines, grids, headers, assembly).
The split is measured by timing those calls during the runs. Not a test: numbers only.
"""

from __future__ import annotations

import argparse
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

from budgetkit.extract.pdf import grid, parsing, read_pdf

SAMPLES = Path(__file__).resolve().parents[1] / ".." / "shared" / "samples"


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


def measure(path: Path, repeat: int) -> tuple[float, float, float, int, int]:
    interpret, finder = _Timer(), _Timer()
    totals = []
    with _timed(parsing._ClipInterpreter, "process_page", interpret), _timed(grid, "TableFinder", finder):
        for _ in range(repeat):
            t0 = time.perf_counter()
            doc = read_pdf(path)
            totals.append(time.perf_counter() - t0)
    spent = sum(totals)
    return statistics.median(totals), interpret.seconds / spent, finder.seconds / spent, doc.pages, len(doc.tables)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    paths = sorted(SAMPLES.glob("*.pdf"))
    assert paths, f"no development PDFs under {SAMPLES}"
    read_pdf(paths[0])  # imports, font caches
    print(f"{'document':52} {'pages':>5} {'tables':>6} {'s/doc':>7} {'pdfminer':>9} {'finder':>7} {'ours':>6}")
    for path in paths:
        median, interp, finder, pages, tables = measure(path, args.repeat)
        ours = 1 - interp - finder
        print(f"{path.name:52} {pages:5d} {tables:6d} {median:7.2f} {interp:9.0%} {finder:7.0%} {ours:6.0%}")


if __name__ == "__main__":
    main()
