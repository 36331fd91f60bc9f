"""Recall of injected errors and errors on clean data, over a generated batch (figures for the note).

    .venv/bin/python benchmarks/recall.py --count 200 --inject-every 2 [--workers 2] [--text]

Half the departments (``--inject-every 2``) get one error of every rule family;
the rest must raise no ``error`` finding. With ``--text`` every dataset is first
turned back into disclosure text and re-extracted (text → extract → check).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections import Counter
from pathlib import Path

OUT = Path("out/bench/recall")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--inject-every", type=int, default=2)
    p.add_argument("--years", type=int, default=1)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--text", action="store_true", help="re-extract every dataset from its rendered text first")
    a = p.parse_args()
    from budgetkit.batch.check import check_datasets
    from budgetkit.synth.write import write_batch

    shutil.rmtree(OUT, ignore_errors=True)
    paths = write_batch(OUT / "generated", a.count, seed=11, years=a.years, inject_every=a.inject_every)
    labels = json.loads((OUT / "generated" / "labels.json").read_text(encoding="utf-8"))
    folders = paths
    if a.text:
        from budgetkit.extract import extract

        folders = []
        for path in paths:
            rel = path.relative_to(OUT / "generated")
            src = next((path / "source").iterdir())
            target = OUT / "extracted" / rel
            d, _ = extract(src, target, slug=str(rel.parent))
            folders.append(target)
        labels = {k: v for k, v in labels.items()}
    base = OUT / ("extracted" if a.text else "generated")
    t = time.perf_counter()
    result = check_datasets(folders, workers=a.workers)
    seconds = time.perf_counter() - t
    f = result.findings
    hits, total = Counter(), Counter()
    for rel, injected in labels.items():
        mine = f[f["dataset"] == str(base / rel)]
        for lab in injected:
            total[lab["family"]] += 1
            ok = mine[(mine["rule"] == lab["rule"]) & (mine["table"] == lab["table"])
                      & mine["location"].str.contains(lab["location"], regex=False)
                      & mine["severity"].isin(["error", "warning"])]
            hits[lab["family"]] += len(ok) > 0
    clean = [str(base / p.relative_to(OUT / "generated")) for p in paths
             if str(p.relative_to(OUT / "generated")) not in labels]
    clean_errors = f[f["dataset"].isin(clean) & (f["severity"] == "error")]
    print(f"{len(folders)} department-years checked in {seconds:.1f}s ({a.workers} worker(s))")
    print("recall by family: " + ", ".join(f"{k} {hits[k]}/{total[k]}" for k in sorted(total)))
    print(f"recall: {sum(hits.values())}/{sum(total.values())}")
    print(f"clean department-years: {len(clean)}, error findings on them: {len(clean_errors)}")
    if len(clean_errors):
        print(clean_errors[["dataset", "rule", "table", "location"]].head(20).to_string())


if __name__ == "__main__":
    main()
