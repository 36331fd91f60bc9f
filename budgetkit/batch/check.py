"""Check many department-years at once: one findings table for all of them.

Every dataset goes through the one rule engine (``budgetkit.checks.run_rules``), in chunks spread
over Dask workers (``budgetkit.batch.distributed``) when asked; a folder holding several years of one
department gives each year its prior year for the year-over-year checks. Each dataset's result is
its ``CheckReport.to_dict()`` — the same object ``budgetkit check --json`` prints for one dataset.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from budgetkit.batch.distributed import map_entries
from budgetkit.checks import run_rules
from budgetkit.checks.engine import rules_for
from budgetkit.core.findings import FINDING_FIELDS, SEVERITY_CN, STATUS_CN
from budgetkit.core.template import load_template
from budgetkit.dataset.paths import dataset_folders

CHUNK = 25  # datasets per Dask task


@dataclass
class BatchResult:
    """One report per dataset or document, in the order given (``source`` is the path as given).

    Read-only: equal rule statuses and checklist rows are one object shared by many reports (``SharedRecords``).
    """

    entries: list[dict] = field(default_factory=list)  # CheckReport.to_dict() + department, year, slug, template

    @property
    def findings(self) -> pd.DataFrame:
        """dataset, department, year, slug, family, rule, severity, table, location, expected, actual, difference, message."""
        rows = [{"dataset": r["source"], "department": r.get("department", ""), "year": r.get("year"),
                 "slug": r.get("slug", ""), "family": _family(r.get("template"), f["rule"]), **f}
                for r in self.entries for f in r["findings"]]
        return pd.DataFrame(rows, columns=["dataset", "department", "year", "slug", "family", *FINDING_FIELDS])

    @property
    def statuses(self) -> pd.DataFrame:
        rows = [{"dataset": r["source"], "rule": s["id"], "status": s["status"], "reason": s.get("reason", "")}
                for r in self.entries for s in r["rules"]]
        return pd.DataFrame(rows, columns=["dataset", "rule", "status", "reason"])

    def reports(self) -> list[dict]:
        """What ``budgetkit check --json`` prints for several sources: one report object each."""
        keep = ("source", "rules", "findings", "checklist")
        return [{k: ([{"id": x["id"], "status": x["status"]} for x in r[k]] if k == "rules" else r[k])
                 for k in keep if k in r} for r in self.entries]


def _family(template_id: str | None, rule_id: str) -> str:
    if not template_id:
        return rule_id.split(".")[0]
    return next((r.family for r in rules_for(load_template(template_id)) if r.id == rule_id), rule_id.split(".")[0])


def prior_folders(folders: list[str]) -> list[str | None]:
    """For each dataset, the dataset of the same department (slug) one year earlier, if the batch has it."""
    keys = []
    for f in folders:
        try:
            meta = json.loads((Path(f) / "metadata.json").read_text(encoding="utf-8"))
            keys.append((meta["slug"], int(meta["year"])))
        except (OSError, ValueError, KeyError, TypeError):
            keys.append(None)  # the loader reports it properly
    where = {k: f for f, k in zip(folders, keys) if k is not None}
    return [None if k is None else where.get((k[0], k[1] - 1)) for k in keys]


def _report(disclosure, prior, source: str, select) -> dict:
    """The CLI's object plus what the batch's workbook needs: who, which source, and the findings' numbers."""
    report = run_rules(disclosure, prior=prior, select=select, source=source)
    meta = disclosure.meta
    return {**report.to_dict(reasons=True), "department": meta.department, "year": meta.year, "slug": meta.slug,
            "template": meta.template, "source_file": meta.source_file.split("/")[-1],
            "source_sha256": meta.source_sha256,
            "amounts": [f.amounts.to_dict() if f.amounts else None for f in report.findings]}


def _check_chunk(task: tuple[list[tuple[str, str | None]], list[str] | None]) -> list[dict]:
    """Dask task: load each dataset of a chunk (and its prior year, loaded once) and run every rule."""
    from budgetkit.dataset.store import load_dataset

    entries, select = task
    priors = {p for _, p in entries if p}
    loaded: dict[str, object] = {}  # only the chunk's priors: every other dataset is freed once checked

    def load(folder: str):
        found = loaded.get(folder)
        if found is None:
            found = load_dataset(folder)
            if folder in priors:
                loaded[folder] = found
        return found

    reports = [_report(load(f), load(p) if p else None, f, select) for f, p in entries]
    shared = SharedRecords()  # equal records of the chunk as one object: pickled once, not once per report
    for report in reports:
        shared.share_records(report)
    return reports


class SharedRecords:
    """One object for equal rule statuses, checklist rows and short words across reports.

    Most department-years pass most rules with the same words, and their findings repeat the same
    rule ids, tables, units and keys, so a province's reports hold the same small records and
    strings tens of thousands of times, each arriving from a worker as a fresh copy. Keeping one of
    each keeps the batch's memory near what its distinct messages need. Records are read-only from here on.
    """

    SHORT = 40  # characters: ids, severities, tables, units, amounts as printed; not the messages

    def __init__(self):
        self._records: dict = {}
        self._words: dict[str, str] = {}

    def part(self, reports: list[dict]) -> list[dict]:
        """The reports of one worker chunk, whose equal records arrive as one object (``_check_chunk``):
        each object is recognised once."""
        seen: dict[int, tuple] = {}
        return [self(report, seen) for report in reports]

    def __call__(self, report: dict, seen: dict | None = None) -> dict:
        self.share_records(report, seen)
        for key in ("findings", "amounts"):
            if key in report:
                report[key] = [None if record is None else {self._word(k): self._word(v) for k, v in record.items()}
                               for record in report[key]]
        return report

    def share_records(self, report: dict, seen: dict | None = None) -> None:
        """Rule statuses and checklist rows: one object for equal ones. ``seen``: by object, for one chunk."""
        for key in ("rules", "checklist"):
            if key in report:
                report[key] = [self._record(record, seen) for record in report[key]]

    def _record(self, record: dict, seen: dict | None) -> dict:
        if seen is None:
            return self._records.setdefault(_frozen(record), record)
        hit = seen.get(id(record))
        if hit is None:  # the record is kept in ``seen`` with its answer, so its id names no other object meanwhile
            hit = seen[id(record)] = (record, self._records.setdefault(_frozen(record), record))
        return hit[1]

    def _word(self, value):
        if isinstance(value, str) and len(value) <= self.SHORT:
            return self._words.setdefault(value, value)
        return value


def _frozen(value):
    """A hashable copy of a record (its lists as tuples), to recognise equal ones."""
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def check_datasets(folders: list[Path], *, workers: int = 1, select: list[str] | None = None) -> BatchResult:
    """Every rule (or those whose id starts with one of ``select``) on every dataset, priors paired."""
    folders = [str(Path(f)) for f in folders]
    entries = list(zip(folders, prior_folders(folders)))
    chunk = max(1, min(CHUNK, len(entries) // (4 * max(1, workers)) or 1))
    tasks = [(entries[i:i + chunk], select) for i in range(0, len(entries), chunk)]
    shared = SharedRecords()
    parts = map_entries(_check_chunk, tasks, workers, keep=shared.part)
    return BatchResult([r for part in parts for r in part])


def _check_document(path: str) -> dict:
    """Task: a disclosure document (.txt/.pdf, complete or partial) parsed and checked on its own."""
    from budgetkit.extract import parse_source

    return _report(parse_source(Path(path), require_tables=False), None, path, None)


def check_sources(sources: list[Path], *, workers: int = 1) -> BatchResult:
    """Dataset folders and disclosure documents (parsed one by one) in one result: datasets first."""
    sources = [Path(s) for s in sources]
    documents = [s for s in sources if s.is_file()]
    folders = dataset_folders([s for s in sources if not s.is_file()]) if len(documents) < len(sources) else []
    entries = check_datasets(folders, workers=workers).entries if folders else []
    entries += map_entries(_check_document, [str(d) for d in documents], workers)
    return BatchResult(entries)


# ---------------------------------------------------------------- output


def summary_text(result: BatchResult) -> str:
    f, st = result.findings, result.statuses
    n = st["dataset"].nunique()
    lines = [f"{n} 个数据集（部门-年度），{len(f)} 条发现"]
    sev = f["severity"].value_counts()
    lines.append("按严重程度：" + "，".join(f"{SEVERITY_CN[s]} {int(sev.get(s, 0))}" for s in SEVERITY_CN))
    stc = st["status"].value_counts()
    lines.append("规则状态：" + "，".join(f"{STATUS_CN[s]} {int(stc.get(s, 0))}" for s in STATUS_CN))
    errors = f[f["severity"].isin(["error", "warning"])]
    if len(errors):
        lines.append("错误/警告最多的规则：")
        for rule_id, c in errors["rule"].value_counts().head(10).items():
            lines.append(f"  {rule_id}: {c}")
        lines.append("错误/警告最多的数据集：")
        for ds, c in errors["dataset"].value_counts().head(10).items():
            lines.append(f"  {ds}: {c}")
    return "\n".join(lines)


def write_exports(result: BatchResult, *, excel: Path | None = None, csv: Path | None = None) -> None:
    """The batch's findings workbook and CSV (``budgetkit.batch.exports``)."""
    from budgetkit.batch.exports import write_exports as write

    write(result.entries, excel=excel, csv=csv)


def check_many(sources: list[Path], *, as_json: bool = False, workers: int = 1, excel: Path | None = None,
               csv: Path | None = None) -> int:
    """``budgetkit check A B …`` / ``budgetkit check FOLDER``: one findings table for all of them.

    A, B … may be dataset folders, folders of datasets, or disclosure documents.
    """
    result = check_sources([Path(s) for s in sources], workers=workers)
    write_exports(result, excel=excel, csv=csv)
    if as_json:
        json.dump(result.reports(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(summary_text(result))
    return 0
