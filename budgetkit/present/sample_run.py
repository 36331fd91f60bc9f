"""A small, deterministic run folder for the summary notebook's committed outputs (nbval compares them).

Four synthetic departments (``budgetkit.synth``, never in ``data/``) with two years of datasets each,
with different kinds of errors injected into their latest year (``INJECTED``) so the page has something
to tell apart; the latest year of each is checked by the one rule engine and written as a run leaves it
(``<slug>-<year>/<slug>-<year>-findings.json`` and ``summary.json``). One department's latest dataset
carries an amount that is not one, so the page shows a failed entry as a real run would.
Written to a fresh temporary folder (removed when the process ends); no path, time or duration ends up
on the page.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path

from budgetkit.core.errors import BudgetkitError
from budgetkit.core.findings import SEVERITIES

SEED, YEARS = 7, 2
#: Per department: the rule families whose errors are injected into its latest year.
INJECTED = [("within", "cross", "narrative"), (), ("completeness", "forms", "narrative"), ()]
BROKEN = 3  # the department whose latest dataset fails to load


def _break_a_cell(dataset: Path) -> None:
    """Replace T3's first printed amount by '一九二' (as a mistyped hand correction would)."""
    path = dataset / "tables" / "T3.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    head = lines[0].split(",")
    col = head.index("合计")
    row = lines[1].split(",")
    row[col] = "一九二"
    lines[1] = ",".join(row)
    path.write_text("\n".join(lines), encoding="utf-8")


def _entry(slug: str, meta: dict, report: dict | None, failure: dict | None) -> dict:
    by_rule: dict[str, int] = {}
    severity = {s: 0 for s in SEVERITIES}
    status: dict[str, int] = {}
    for f in (report or {}).get("findings", []):
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
        severity[f["severity"]] += 1
    for r in (report or {}).get("rules", []):
        status[r["status"]] = status.get(r["status"], 0) + 1
    return {"slug": f"{slug}-{meta['year']}", "department": slug, "department_name": meta["department"]["name"],
            "year": meta["year"], "template": meta.get("template", ""), "params": "", "status": "failed" if failure else "ok", "failed": failure,
            "findings_by_severity": severity if report else {}, "rules_by_status": status,
            "findings_by_rule": dict(sorted(by_rule.items())), "outputs": []}


def write_sample_run(folder: Path | None = None) -> Path:
    """Write the sample run into ``folder`` (default: a new temporary folder) and return it."""
    from budgetkit.checks import run_rules
    from budgetkit.dataset.store import load_dataset
    from budgetkit.present.export import export_names, findings_to_json
    from budgetkit.present.run_record import write_run_summary
    from budgetkit.synth import generate_series
    from budgetkit.synth.write import write_synthetic

    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="budgetkit-sample-run-"))
        atexit.register(shutil.rmtree, folder, True)
    folder = Path(folder)
    latest = []
    for i, families in enumerate(INJECTED):
        series = generate_series(SEED * 1_000_003 + i, years=YEARS, index=i, inject_families=families)
        latest.append([write_synthetic(s, folder / "data") for s in series][-1])
    _break_a_cell(latest[BROKEN])
    entries = []
    for dataset in latest:
        meta = json.loads((dataset / "metadata.json").read_text(encoding="utf-8"))
        slug = dataset.parent.name
        out = folder / f"{slug}-{meta['year']}"
        out.mkdir(parents=True, exist_ok=True)
        try:
            report = run_rules(load_dataset(dataset), prior=load_dataset(dataset.parent / str(meta["year"] - 1)),
                               source=str(dataset))
        except BudgetkitError as exc:
            failure = {"notebook": "report.ipynb", "cell_index": None, "execution_count": None, "cell_source": "",
                       "ename": type(exc).__name__, "evalue": str(exc).replace(f"{dataset}/", "")}
            entries.append(_entry(slug, meta, None, failure))
            continue
        findings_to_json(report, out / export_names(slug, meta["year"])["json"])
        entries.append(_entry(slug, meta, report.to_dict(), None))
    write_run_summary(folder, entries)
    return folder
