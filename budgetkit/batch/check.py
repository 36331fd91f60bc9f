"""Check many department-years at once: one findings table for all of them.

The heavy, regular part — every within-table identity of every dataset — runs
column-wise over all datasets together (``batch_load`` + ``batch_identities``);
only identities that do not hold become ``Finding`` objects, built with the same
functions the per-dataset engine uses, so messages and locations are identical.
The other rule families (cross, completeness, narrative, forms …) run per
dataset with ``budgetkit.checks.run_rules``, spread over Dask workers
(``budgetkit.batch.distributed``). A folder of several years of one department gives
each year its prior year for the year-over-year checks.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from budgetkit.batch.distributed import map_entries
from budgetkit.core.errors import DatasetError
from budgetkit.core.findings import FINDING_COLUMNS_CN, SEVERITY_CN, STATUS_CN
from budgetkit.batch.findings import within_results
from budgetkit.checks.registry import REGISTRY, all_rules, run_rules
from budgetkit.checks.within import WITHIN_RULES
from budgetkit.core.template import load_template

FINDING_FIELDS = ["rule", "severity", "table", "location", "expected", "actual", "difference", "message"]
CHUNK = 25  # datasets per Dask task


@dataclass
class BatchResult:
    """Findings and rule statuses of every dataset; ``dataset`` is the folder as given."""

    findings: pd.DataFrame  # dataset, department, year, rule, family, severity, table, location, expected, …
    statuses: pd.DataFrame  # dataset, rule, status, reason

    def reports(self) -> list[dict]:
        """The CLI's --json objects, one per dataset (``{source, rules, findings}``)."""
        out = []
        by_ds = dict(tuple(self.findings.groupby("dataset", sort=False))) if len(self.findings) else {}
        for ds, st in self.statuses.groupby("dataset", sort=False):
            f = by_ds.get(ds)
            out.append({"source": ds, "rules": [{"id": r, "status": s} for r, s in zip(st["rule"], st["status"])],
                        "findings": [] if f is None else f[FINDING_FIELDS].to_dict("records")})
        return out


def dataset_folders(sources: list[Path]) -> list[Path]:
    """Dataset folders named directly, or found (metadata.json) anywhere below the given folders."""
    out: list[Path] = []
    for src in sources:
        src = Path(src)
        if (src / "metadata.json").is_file():
            out.append(src)
        elif src.is_dir():
            found = sorted(p.parent for p in src.rglob("metadata.json"))
            if not found:
                raise DatasetError("no datasets (metadata.json) below this folder", file=str(src))
            out += found
        else:
            raise DatasetError("not a dataset folder or a folder of datasets", file=str(src))
    return out


# ---------------------------------------------------------------- the other rules, per dataset


def _check_loaded(long, entries: list[tuple[int, int | None]], rule_ids: tuple[str, ...]):
    """The non-vectorised rules on datasets already in ``long`` (ds, prior ds) → (statuses, findings)."""
    from budgetkit.batch.load import disclosure_of

    template = load_template()
    wanted = set(rule_ids)
    statuses, findings = [], []
    for ds, prior_ds in entries:
        folder = str(long.folders[ds])
        disclosure = disclosure_of(long, ds, template)
        prior = disclosure_of(long, prior_ds, template) if prior_ds is not None else None
        report = run_rules(disclosure, prior=prior, select=list(rule_ids), source=folder)
        statuses += [{"dataset": folder, "rule": r.rule, "status": r.status, "reason": r.reason}
                     for r in report.results if r.rule in wanted]
        findings += [{"dataset": folder, **f.to_dict()} for r in report.results if r.rule in wanted
                     for f in r.findings]
    return statuses, findings


def _check_chunk(task: tuple[list[tuple[str, str | None]], tuple[str, ...]]):
    """Dask task: read a chunk of datasets (and their priors) column-wise, run the non-vectorised rules."""
    from budgetkit.batch.load import load_long

    entries, rule_ids = task
    folders = list(dict.fromkeys([f for f, _ in entries] + [p for _, p in entries if p]))
    long = load_long([Path(f) for f in folders])
    pos = {f: i for i, f in enumerate(folders)}
    statuses, findings = _check_loaded(long, [(pos[f], pos.get(p)) for f, p in entries], rule_ids)
    # report under the folder names the caller used
    return statuses, findings


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


def check_datasets(folders: list[Path], *, workers: int = 1, vectorised: bool = True,
                   select: list[str] | None = None) -> BatchResult:
    """Every rule (or those whose id starts with one of ``select``) on every dataset.

    Within-table rules run column-wise over all datasets unless ``vectorised`` is False.
    """
    from budgetkit.batch.load import load_long
    from budgetkit.batch.distributed import dask_client, scheduler_address, submit_entries

    template = load_template()
    all_rules()
    folders = [str(Path(f)) for f in folders]
    within = set(WITHIN_RULES) if vectorised else set()
    chosen = [r.id for r in REGISTRY.values() if not select or any(r.id.startswith(p) for p in select)]
    rest = tuple(r for r in chosen if r not in within)
    priors = prior_folders(folders)
    parallel = bool(rest) and (workers > 1 or scheduler_address() is not None)
    with dask_client(workers if parallel else 1) as client:
        wait = None
        if parallel:  # the workers start on the per-dataset rules while this process does the column-wise part
            # enough tasks per worker to balance uneven datasets, few enough to keep scheduling cheap
            chunk = max(1, min(CHUNK, len(folders) // (4 * max(1, workers))))
            entries = list(zip(folders, priors))
            wait = submit_entries(client, _check_chunk, [(entries[i:i + chunk], rest)
                                                         for i in range(0, len(entries), chunk)])
        long = load_long([Path(f) for f in folders], template)
        findings, statuses = [], []
        if vectorised:
            findings, statuses = within_results(long, template)
            findings = [f for f in findings if f["rule"] in chosen]
            statuses = [s for s in statuses if s["rule"] in chosen]
        if wait is not None:
            results = wait()
        elif rest:
            pos = {f: i for i, f in enumerate(folders)}
            results = [_check_loaded(long, [(i, pos.get(p) if p else None) for i, p in enumerate(priors)], rest)]
        else:
            results = []
    for st, fs in results:
        statuses += st
        findings += fs
    order = {r: i for i, r in enumerate(REGISTRY)}
    pos = {f: i for i, f in enumerate(folders)}
    st_df = pd.DataFrame(statuses, columns=["dataset", "rule", "status", "reason"])
    st_df = st_df.assign(_d=st_df["dataset"].map(pos), _r=st_df["rule"].map(order)).sort_values(
        ["_d", "_r"], kind="stable").drop(columns=["_d", "_r"]).reset_index(drop=True)
    info = long.datasets.assign(dataset=folders)[["dataset", "department", "year", "slug"]].drop_duplicates("dataset")
    f_df = pd.DataFrame(findings, columns=["dataset", *FINDING_FIELDS])
    family = {r.id: r.family for r in REGISTRY.values()}
    f_df["family"] = f_df["rule"].map(family)
    f_df = f_df.assign(_d=f_df["dataset"].map(pos), _r=f_df["rule"].map(order)).sort_values(
        ["_d", "_r"], kind="stable").drop(columns=["_d", "_r"])
    f_df = f_df.merge(info, on="dataset", how="left")[
        ["dataset", "department", "year", "slug", "family", *FINDING_FIELDS]].reset_index(drop=True)
    return BatchResult(findings=f_df, statuses=st_df)


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


def _export_frame(result: BatchResult) -> pd.DataFrame:
    f = result.findings.copy()
    f["severity"] = f["severity"].map(SEVERITY_CN)
    f = f.rename(columns={"dataset": "数据集", "department": "部门", "year": "年度", **FINDING_COLUMNS_CN})
    return f.drop(columns=["slug", "family"])


def write_exports(result: BatchResult, *, excel: Path | None = None, csv: Path | None = None) -> None:
    from budgetkit.core.atomic import write_file

    frame = _export_frame(result)
    if csv:
        write_file(csv, lambda p: frame.to_csv(p, index=False, encoding="utf-8-sig"))
    if excel:
        def _xlsx(p):
            with pd.ExcelWriter(p, engine="openpyxl") as w:
                frame.to_excel(w, sheet_name="发现", index=False)
                st = result.statuses.assign(status=result.statuses["status"].map(STATUS_CN)).rename(
                    columns={"dataset": "数据集", "rule": "规则", "status": "状态", "reason": "原因"})
                st.to_excel(w, sheet_name="规则状态", index=False)
        write_file(excel, _xlsx)


def _check_document(path: str) -> tuple[list[dict], list[dict]]:
    """Task: a disclosure document (.txt/.pdf, complete or partial) parsed and checked on its own."""
    from budgetkit.extract import parse_source

    report = run_rules(parse_source(Path(path), require_tables=False), source=path)
    statuses = [{"dataset": path, "rule": r.rule, "status": r.status, "reason": r.reason} for r in report.results]
    findings = [{"dataset": path, **f.to_dict()} for f in report.findings]
    return statuses, findings


def check_sources(sources: list[Path], *, workers: int = 1) -> BatchResult:
    """Dataset folders (column-wise batch) and disclosure documents (parsed one by one) in one result."""
    sources = [Path(s) for s in sources]
    documents = [s for s in sources if s.is_file()]
    folders = dataset_folders([s for s in sources if not s.is_file()]) if len(documents) < len(sources) else []
    parts = [check_datasets(folders, workers=workers)] if folders else []
    if documents:
        results = map_entries(_check_document, [str(d) for d in documents], workers)
        statuses = [x for st, _ in results for x in st]
        findings = [x for _, fs in results for x in fs]
        family = {r.id: r.family for r in REGISTRY.values()}
        f = pd.DataFrame(findings, columns=["dataset", *FINDING_FIELDS])
        f.insert(1, "department", "")
        f.insert(2, "year", None)
        f.insert(3, "slug", "")
        f.insert(4, "family", f["rule"].map(family))
        parts.append(BatchResult(findings=f, statuses=pd.DataFrame(statuses,
                                                                   columns=["dataset", "rule", "status", "reason"])))
    return BatchResult(findings=pd.concat([p.findings for p in parts], ignore_index=True),
                       statuses=pd.concat([p.statuses for p in parts], ignore_index=True))


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
