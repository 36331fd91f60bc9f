"""Every rule family over many *distinct* generated department-years: seconds, peak memory, growth.

Usage (from the checkout):
    .venv/bin/python benchmarks/bench_batch.py --make 10000 --jobs 2     # generate out/bench/distinct (once)
    .venv/bin/python benchmarks/bench_batch.py --counts 1000 2000 5000 10000 --workers 2
        # each count's files are read once before it is timed (page cache warm); --cold skips that
    .venv/bin/python benchmarks/bench_batch.py --profile 200             # where one worker's time goes
    .venv/bin/python benchmarks/bench_batch.py --families 400            # ms per dataset by family and rule,
        # timed without a profiler (cProfile inflates the many small calls of the rules several times over)
    .venv/bin/python benchmarks/bench_batch.py --compare 100 --before ../base --rounds 3
        # CPU ms per dataset in one process, this checkout vs another (a `git archive` of an older commit),
        # alternating round by round, and whether both found the same

Count N checks the first N of the generated folders (sorted): N different departments,
never one folder listed repeatedly. Each count runs in a fresh subprocess, so its memory
is its own: peak RSS is the largest sum over the process and all its descendants (the
Dask workers), sampled every 0.1 s with psutil. The generator has one format
(shanxi-county-13), so the batch is of that format only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

DISTINCT = Path("out/bench/distinct")
SEED = 7


def _folders(count: int) -> list[Path]:
    from budgetkit.batch.check import dataset_folders

    folders = dataset_folders([DISTINCT])
    if len(folders) < count:
        sys.exit(f"only {len(folders)} datasets in {DISTINCT}; run --make {count} first")
    return folders[:count]


class PeakRSS:
    """Largest sum of resident memory over this process and its descendants, sampled in a thread."""

    def __init__(self, every: float = 0.1):
        import psutil

        self._me, self._every, self.peak = psutil.Process(), every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        total = 0
        for p in [self._me, *self._me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except Exception:  # a worker that just exited
                pass
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self._every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _read_once(folders: list[Path]) -> None:
    """Every file of the datasets read once, untimed: the figure is then the check's, not the disk's.

    10 000 generated datasets are 1.3 GB in 180 000 files; read cold they took 20.7 s on this box,
    warm 4.3 s (`cat` of them all, twice), and which of them the page cache still held decided several
    seconds of a run. ``--cold`` skips this.
    """
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                path.read_bytes()


def _one(count: int, workers: int, select: list[str] | None, cold: bool = False) -> dict:
    from budgetkit.batch.check import check_datasets

    folders = _folders(count)
    if not cold:
        _read_once(folders)
    with PeakRSS() as mem:
        t = time.perf_counter()
        result = check_datasets(folders, workers=workers, select=select)
        seconds = time.perf_counter() - t
    return {"count": count, "workers": workers, "select": select, "seconds": round(seconds, 1),
            "ms_per_dataset": round(1000 * seconds / count, 1), "peak_mb": round(mem.peak / 2**20),
            "findings": len(result.findings)}


def _cpu_per_dataset(count: int, out: str) -> None:
    """One process, no workers: CPU ms per dataset over folders 5..5+count (the first 5 warm up); reports to ``out``."""
    from budgetkit.batch.check import check_datasets

    folders = _folders(count + 5)
    check_datasets(folders[:5])
    start = time.process_time()
    result = check_datasets(folders[5:])
    ms = 1000 * (time.process_time() - start) / count
    Path(out).write_text(json.dumps(result.reports(), ensure_ascii=False), encoding="utf-8")
    print(json.dumps({"ms": ms}))


def _compare(count: int, before: Path, rounds: int) -> None:
    """This checkout against ``before`` (its budgetkit on PYTHONPATH), round by round, in fresh processes."""
    import os
    import statistics
    import tempfile

    runs = {"now": dict(os.environ), "before": {**os.environ, "PYTHONPATH": str(before.resolve())}}
    ms: dict[str, list[float]] = {k: [] for k in runs}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            for name, env in runs.items():
                cmd = [sys.executable, __file__, "--cpu-child", str(count), f"{tmp}/{name}.json"]
                out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=Path.cwd())
                ms[name].append(json.loads(out.stdout.strip().splitlines()[-1])["ms"])
        same = Path(f"{tmp}/now.json").read_text(encoding="utf-8") == Path(f"{tmp}/before.json").read_text(
            encoding="utf-8")
    now, old = statistics.median(ms["now"]), statistics.median(ms["before"])
    print(f"{count} datasets, one process, median of {rounds} rounds: before {old:.1f} ms CPU per dataset, "
          f"now {now:.1f} ms: ×{old / now:.2f}; same reports: {same}")


def _profile(count: int) -> None:
    import cProfile
    import pstats

    from budgetkit.batch.check import check_datasets

    folders = _folders(count)
    check_datasets(folders[:5])  # imports and caches out of the way
    prof = cProfile.Profile()
    prof.enable()
    check_datasets(folders)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(40)


def _families(count: int, top: int = 15) -> None:
    """One process: wall ms per dataset of loading, of each rule family and of its costliest rules, and the rest."""
    import collections
    import dataclasses

    import budgetkit.checks.engine as engine
    import budgetkit.dataset.store as store
    from budgetkit.batch.check import _check_chunk, prior_folders

    spent: collections.Counter = collections.Counter()

    def timed(key: str, func):
        def run(*args):
            start = time.perf_counter()
            try:
                return func(*args)
            finally:
                spent[key] += time.perf_counter() - start
        return run

    rules_for, wrapped = engine.rules_for, {}

    def timed_rules(template):
        if template not in wrapped:
            wrapped[template] = [dataclasses.replace(r, func=timed(f"{r.family}|{r.id}", r.func))
                                 for r in rules_for(template)]
        return wrapped[template]

    engine.rules_for, store.load_dataset = timed_rules, timed("load|load", store.load_dataset)
    folders = [str(f) for f in _folders(count + 5)]
    entries = list(zip(folders, prior_folders(folders)))
    _check_chunk((entries[:5], None))  # imports and caches out of the way
    spent.clear()
    start = time.perf_counter()
    _check_chunk((entries[5:], None))
    total = time.perf_counter() - start
    ms = lambda seconds: 1000 * seconds / count  # noqa: E731
    by_family = collections.Counter()
    for key, seconds in spent.items():
        by_family[key.split("|")[0]] += seconds
    print(f"{count} datasets, one process: {ms(total):.2f} ms per dataset (wall)")
    for family, seconds in by_family.most_common():
        print(f"  {family:12s} {ms(seconds):6.2f}")
    print(f"  {'the rest':12s} {ms(total - sum(by_family.values())):6.2f}  (checklist, report, engine)")
    print("costliest rules (a family's first rule pays for what the family shares: claims, text problems, identities):")
    for key, seconds in spent.most_common(top):
        if not key.startswith("load|"):
            print(f"  {key.split('|')[1]:45s} {ms(seconds):6.2f}")


def _make(count: int, jobs: int) -> None:
    """Generate in ``jobs`` processes, each a shard of disjoint department numbers."""
    per = -(-count // jobs)
    procs = [subprocess.Popen([sys.executable, __file__, "--make-shard", str(k), str(k * per),
                               str(min(per, count - k * per))]) for k in range(jobs) if k * per < count]
    if any(p.wait() for p in procs):
        sys.exit("generation failed")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--make", type=int, help="generate this many distinct department-years into out/bench/distinct")
    p.add_argument("--jobs", type=int, default=2, help="processes generating (with --make)")
    p.add_argument("--make-shard", type=int, nargs=3, metavar=("SHARD", "START", "COUNT"), help=argparse.SUPPRESS)
    p.add_argument("--counts", type=int, nargs="*", default=[])
    p.add_argument("--workers", type=int, nargs="*", default=[2])
    p.add_argument("--select", nargs="*", help="rule id prefixes only (default: every rule family)")
    p.add_argument("--profile", type=int, help="cProfile one in-process batch of this many datasets")
    p.add_argument("--families", type=int, help="time loading and each rule family over this many datasets")
    p.add_argument("--cold", action="store_true", help="do not read the datasets' files once before timing")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--compare", type=int, metavar="N", help="CPU per dataset over N datasets, now vs --before")
    p.add_argument("--before", type=Path, help="a checkout (or git archive) whose budgetkit is the 'before'")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--cpu-child", nargs=2, metavar=("N", "OUT"), help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.make:
        _make(a.make, a.jobs)
        return
    if a.make_shard:
        from budgetkit.synth.write import write_batch

        shard, start, count = a.make_shard
        write_batch(DISTINCT / f"shard-{shard}", count, seed=SEED, start=start, force=True)
        return
    if a.profile:
        _profile(a.profile)
        return
    if a.families:
        _families(a.families)
        return
    if a.cpu_child:
        _cpu_per_dataset(int(a.cpu_child[0]), a.cpu_child[1])
        return
    if a.compare:
        if not a.before or not (a.before / "budgetkit").is_dir():
            sys.exit("--compare needs --before DIR, a checkout or git archive holding budgetkit/")
        _compare(a.compare, a.before, a.rounds)
        return
    if a.child:
        print(json.dumps(_one(a.counts[0], a.workers[0], a.select, a.cold)))
        return
    rows = []
    for w in a.workers:
        for n in a.counts:
            cmd = [sys.executable, __file__, "--child", "--counts", str(n), "--workers", str(w)]
            cmd += ["--select", *a.select] if a.select else []
            cmd += ["--cold"] if a.cold else []
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
            rows.append(json.loads(out))
            print(rows[-1], flush=True)
    for w in a.workers:
        mine = [r for r in rows if r["workers"] == w]
        for r in mine[1:]:
            f = mine[0]
            print(f"{w} workers, {r['count']}/{f['count']} datasets: time ×{r['seconds'] / f['seconds']:.2f}, "
                  f"memory ×{r['peak_mb'] / f['peak_mb']:.2f} (linear would be ×{r['count'] / f['count']:.2f})")


if __name__ == "__main__":
    main()
