"""Write generated department-years as canonical datasets (and their disclosure texts) to a folder.

Never under ``data/``: the target must be outside the project's data root
(tests use tmp dirs; benchmarks use ``out/``).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import asdict
from pathlib import Path

from budgetkit.core.errors import UnsafeInput
from budgetkit.core.template import load_template
from budgetkit.dataset.paths import data_root
from budgetkit.dataset.store import write_dataset
from budgetkit.synth import Synthetic, generate_series
from budgetkit.synth.text import render_text


def _refuse_data_root(out: Path) -> None:
    root, target = data_root().resolve(), Path(out).resolve()
    if target == root or root in target.parents:
        raise UnsafeInput(f"{out} is inside {root}: generated data never goes into data/")


def write_synthetic(s: Synthetic, out_dir: Path, *, force: bool = False) -> Path:
    """One dataset at ``out_dir/<slug>/<year>``; its source is the rendered disclosure text."""
    _refuse_data_root(out_dir)
    d = s.disclosure
    text = render_text(d, load_template(d.meta.template)).encode("utf-8")
    target = Path(out_dir) / d.meta.slug / str(d.meta.year)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{d.meta.slug}-{d.meta.year}.txt"
        src.write_bytes(text)
        d.meta.source_file = f"source/{src.name}"
        d.meta.source_sha256 = hashlib.sha256(text).hexdigest()
        d.meta.source_kind = "text"
        write_dataset(d, src, target, force=force)
    return target


def write_batch(out_dir: Path, count: int, *, seed: int = 0, years: int = 1, inject_every: int = 0,
                families: tuple[str, ...] = ("within", "cross", "completeness", "narrative", "forms"),
                force: bool = False, start: int = 0) -> list[Path]:
    """``count`` departments × ``years`` years; every ``inject_every``-th department gets errors injected.

    Departments are numbered from ``start`` (several processes writing shards of one batch give
    disjoint ranges, so every department-year stays distinct). Writes ``labels.json`` (dataset
    folder → injected labels) next to the datasets.
    """
    out_dir = Path(out_dir)
    _refuse_data_root(out_dir)
    paths, labels = [], {}
    for i in range(start, start + count):
        fams = families if inject_every and i % inject_every == 0 else ()
        for s in generate_series(seed * 1_000_003 + i, years=years, index=i, inject_families=fams):
            p = write_synthetic(s, out_dir, force=force)
            paths.append(p)
            if s.injected:
                labels[str(p.relative_to(out_dir))] = [asdict(x) for x in s.injected]
    (out_dir / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1), encoding="utf-8")
    return paths
