"""The one summary across department-years: what a run did (``summary.json``) and what it found.

``budgetkit run`` records every entry in ``<out>/summary.json`` (``run_record``) and then executes the
summary notebook over the folder, which calls the functions below: the entries and their status, findings by rule × department, the worst
departments, a heat map of rule families, and headline totals per department and year. Departments
are named as their datasets name them (部门名称 and 年度), never by folder names; the tables are
rendered by the one HTML renderer (``present.html``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from budgetkit.checks.registry import FAMILIES, FAMILY_CN
from budgetkit.core.findings import FINDING_FIELDS, SEVERITIES, SEVERITY_CN
from budgetkit.core.money import from_fen

# ---------------------------------------------------------------- reading a run folder


@dataclass
class Run:
    """A run folder as the summary page reads it: its entries, its findings, and the departments' datasets."""

    folder: Path
    entries: list[dict]
    findings: pd.DataFrame  # one row per finding, with the department-year's label
    data_dirs: list[Path] = field(default_factory=list)  # folders holding every year of the departments
    sample: bool = False  # the synthetic sample run (the notebook's default, for nbval)


def _entries(run_dir: Path) -> list[dict]:
    path = Path(run_dir) / "summary.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("entries", []) if path.is_file() else []
    except (ValueError, AttributeError):
        return []


def _metadata(folder: Path) -> dict | None:
    try:
        return json.loads((Path(folder) / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def entry_label(name: str, year) -> str:
    """How a department-year is named on the page: '长治市屯留区财政局 2024'."""
    return f"{name} {year}" if year not in (None, "") else name


def _reports(run_dir: Path):
    """(findings file, report) for every check report (JSON with findings and rules) under ``run_dir``."""
    for path in sorted(run_dir.rglob("*.json")) if run_dir.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        for rep in data if isinstance(data, list) else [data]:
            if isinstance(rep, dict) and "findings" in rep and "rules" in rep:
                yield path, rep


def _labeller(run_dir: Path, entries: list[dict]):
    """A function (findings file, source) → (label, dataset): by the entry whose folder holds the file, else by
    the dataset's metadata, else by the source's last two path parts. Equal labels get the dataset added."""
    by_slug = {e["slug"]: e for e in entries}

    def label(path: Path, source: str) -> tuple[str, str]:
        entry = by_slug.get(path.parent.name) if path.parent != run_dir else None
        if entry is not None and entry.get("department_name"):
            return entry_label(entry["department_name"], entry.get("year")), entry["slug"]
        meta = _metadata(Path(source))
        dataset = "/".join(Path(source).parts[-2:])
        if meta is not None:
            return entry_label(meta["department"]["name"], meta.get("year")), dataset
        return dataset, dataset

    return label


def _unique(labels: list[str], datasets: list[str]) -> list[str]:
    """Labels shared by different datasets (copies of one department) get the dataset named after them."""
    owners: dict[str, set] = {}
    for lab, ds in zip(labels, datasets):
        owners.setdefault(lab, set()).add(ds)
    return [f"{lab}［{ds}］" if len(owners[lab]) > 1 else lab for lab, ds in zip(labels, datasets)]


def load_findings(run_dir: str | Path, entries: list[dict] | None = None) -> pd.DataFrame:
    """Every finding of every check report under ``run_dir``, with 部门（label）, dataset and rule family."""
    run_dir = Path(run_dir)
    label = _labeller(run_dir, _entries(run_dir) if entries is None else entries)
    rows = []
    for path, rep in _reports(run_dir):
        source = str(rep.get("source", path))
        lab, dataset = label(path, source)
        rows += [{"source": source, "department": lab, "dataset": dataset, **f} for f in rep["findings"]]
    df = pd.DataFrame(rows, columns=["source", "department", "dataset", *FINDING_FIELDS])
    df["department"] = _unique(list(df["department"]), list(df["dataset"]))
    df["family"] = df["rule"].str.split(".").str[0].map(FAMILY_CN).fillna("其他")
    return df


def load_entries(run_dir: str | Path) -> pd.DataFrame:
    """One row per department-year of the run: 部门名称, 年度, 状态, findings by severity, where it failed, 数据集."""
    rows = []
    for e in _entries(Path(run_dir)):
        sev = e.get("findings_by_severity") or {}
        failed = e.get("failed") or {}
        cell = failed.get("cell_index")
        where = "" if not failed else (f"{failed.get('notebook')}" + (f" 单元格 {cell}" if cell is not None else "")
                                       + f"：{failure_text(failed)}")
        rows.append({"部门名称": e.get("department_name") or e.get("department") or e["slug"], "年度": e.get("year"),
                     "状态": "成功" if e.get("status") == "ok" else "失败",
                     **{SEVERITY_CN[s]: sev.get(s, "") for s in SEVERITIES}, "失败原因": where, "数据集": e["slug"]})
    return pd.DataFrame(rows, columns=["部门名称", "年度", "状态", *(SEVERITY_CN[s] for s in SEVERITIES), "失败原因",
                                       "数据集"])


def failure_text(failed: dict) -> str:
    """Why an entry failed, in Chinese first when the message is a known one (the kernel records it in English)."""
    from budgetkit.core.errors_cn import translate

    evalue = str(failed.get("evalue") or "")
    cn = translate(evalue)
    return f"{cn} — {failed.get('ename')}: {evalue}" if cn else f"{failed.get('ename')}: {evalue}"


def dataset_sources(findings: pd.DataFrame) -> list[Path]:
    """The dataset folders the findings came from (sources that are canonical datasets)."""
    return [Path(s) for s in dict.fromkeys(findings["source"]) if (Path(s) / "metadata.json").is_file()]


def department_folders(findings: pd.DataFrame) -> list[Path]:
    """The folders holding every year of the departments the findings came from (``data/<slug>/``)."""
    return list(dict.fromkeys(p.parent for p in dataset_sources(findings)))


def open_run(run_dir: str = "", data_dirs: list | None = None) -> Run:
    """The run folder ``run_dir`` ('' → the synthetic sample run, see ``sample_run``) and its departments' data."""
    sample = not str(run_dir)
    folder = Path(sample_run() if sample else run_dir)
    entries = _entries(folder)
    findings = load_findings(folder, entries)
    dirs = [Path(d) for d in data_dirs] if data_dirs else department_folders(findings)
    return Run(folder=folder, entries=entries, findings=findings, data_dirs=dirs, sample=sample)


def sample_run() -> Path:
    from budgetkit.present.sample_run import write_sample_run

    return write_sample_run()


# ---------------------------------------------------------------- tables


def by_rule_and_department(findings: pd.DataFrame, severities=("error", "warning")) -> pd.DataFrame:
    """Counts of findings (of the given severities) per rule (rows) and department-year (columns)."""
    f = findings[findings["severity"].isin(severities)]
    return pd.crosstab(f["rule"], f["department"]) if len(f) else pd.DataFrame()


def worst_departments(findings: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Department-years with the most errors (then warnings)."""
    if findings.empty:
        return pd.DataFrame(columns=["错误", "警告", "尾差", "提示"])
    counts = pd.crosstab(findings["department"], findings["severity"]).reindex(columns=list(SEVERITIES), fill_value=0)
    return counts.sort_values(["error", "warning"], ascending=False).head(n).rename(columns=SEVERITY_CN)


def family_counts(findings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(errors, warnings) per department-year (rows, most errors first) × rule family (columns, report order)."""
    families = [FAMILY_CN[f] for f in FAMILIES if FAMILY_CN[f] in set(findings["family"])]
    tables = []
    for sev in ("error", "warning"):
        f = findings[findings["severity"] == sev]
        tables.append(pd.crosstab(f["department"], f["family"]) if len(f) else pd.DataFrame())
    rows = sorted(set(findings["department"]))
    errors, warnings = (t.reindex(index=rows, columns=families, fill_value=0) for t in tables)
    order = (errors.sum(axis=1) * 1000 + warnings.sum(axis=1)).sort_values(ascending=False, kind="stable").index
    keep = [c for c in families if (errors[c] + warnings[c]).sum() > 0]
    return errors.loc[order, keep], warnings.loc[order, keep]


def family_heatmap(findings: pd.DataFrame, max_departments: int = 40):
    """Department-year × rule family: colour by errors, each cell 'errors / warnings' (matplotlib Figure)."""
    import matplotlib.pyplot as plt

    from budgetkit.present.fonts import use_chinese_fonts

    use_chinese_fonts()
    errors, warnings = family_counts(findings) if not findings.empty else (pd.DataFrame(), pd.DataFrame())
    errors, warnings = errors.head(max_departments), warnings.head(max_departments)
    rows, cols = errors.shape
    fig, ax = plt.subplots(figsize=(max(7.0, 1.3 * cols + 5.0), 1.3 + 0.45 * max(1, rows)))
    if errors.empty or not cols:
        ax.text(0.5, 0.5, "没有错误或警告", ha="center", va="center")
        ax.set_axis_off()
        return fig
    ax.imshow(errors.values, cmap="Reds", aspect="auto", vmin=0, vmax=max(1, errors.values.max()))
    for i in range(rows):
        for j in range(cols):
            e, w = int(errors.iat[i, j]), int(warnings.iat[i, j])
            dark = e > 0.6 * max(1, errors.values.max())
            ax.text(j, i, f"{e} / {w}" if e or w else "·", ha="center", va="center", fontsize=9,
                    color="white" if dark else "black")
    ax.set_xticks(range(cols), errors.columns)
    totals = [f"{name}（错误 {int(errors.loc[name].sum())}，警告 {int(warnings.loc[name].sum())}）" for name in errors.index]
    ax.set_yticks(range(rows), totals, fontsize=9)
    ax.xaxis.tick_top()
    ax.set_title("各部门按规则类别的错误 / 警告数（颜色越深错误越多）", pad=22, fontsize=11)
    fig.tight_layout()
    return fig


def yearly_totals(roots: list[str | Path]) -> pd.DataFrame:
    """收入总计 of the summary table per department and year, where datasets of several years exist (万元).

    ``roots``: dataset folders or folders holding datasets; empty gives an empty table.
    """
    long = headline_values(roots)
    if long.empty:
        return pd.DataFrame()
    long = long[long["项目"] == "收入总计"]
    table = long.pivot_table(index="department", columns="year", values="value", aggfunc="first") / 1_000_000
    return table[table.notna().sum(axis=1) > 1]


def headline_values(roots: list[str | Path]) -> pd.DataFrame:
    """department (name), slug (its folder), year, 项目 (the format's headline totals: 收入总计, 支出总计), value in 分.

    The year is the folder's (``data/<slug>/<year>``: how the project and its params name a department-year),
    the dataset's recorded year where the folder is not named by one.
    """
    from budgetkit.checks.expressions import Reader, evaluate
    from budgetkit.core.template import load_template
    from budgetkit.dataset.paths import dataset_folders
    from budgetkit.dataset.store import load_dataset

    rows = []
    for folder in dict.fromkeys(dataset_folders([Path(r) for r in roots])) if roots else []:
        d = load_dataset(folder)
        template = load_template(d.meta.template)
        year = int(folder.name) if folder.name.isdigit() and len(folder.name) == 4 else d.meta.year
        for name, cell in template.headline.items():
            value = evaluate(cell, Reader(d.tables, template), {})
            if value.n_printed:
                rows.append({"department": d.meta.department, "slug": folder.parent.name, "year": year,
                             "项目": name, "value": value.total})
    return pd.DataFrame(rows, columns=["department", "slug", "year", "项目", "value"])


def year_over_year(roots: list[str | Path]) -> pd.DataFrame:
    """部门名称, 项目, one column per year (万元), 增减 and 增减率 of the last year: departments with several years.

    Departments are their folders; two folders of one name are told apart by the folder. Only departments
    with datasets of several years are loaded (one load per dataset is most of the summary page's time);
    the others are named from their metadata.json, to tell folders of one name apart.
    """
    from budgetkit.dataset.paths import dataset_folders

    folders = list(dict.fromkeys(dataset_folders([Path(r) for r in roots]))) if roots else []
    datasets: dict[Path, int] = {}  # department folder → its datasets (years)
    for f in folders:
        datasets[f.parent] = datasets.get(f.parent, 0) + 1
    long = headline_values([f for f in folders if datasets[f.parent] > 1])
    if long.empty:
        return pd.DataFrame()
    slugs: dict[str, set] = {}
    for f in folders:
        meta = _metadata(f) if datasets[f.parent] == 1 else None
        if meta is not None:
            slugs.setdefault(str(meta["department"]["name"]), set()).add(f.parent.name)
    for d, s in zip(long["department"], long["slug"]):
        slugs.setdefault(d, set()).add(s)
    names = {d: len(s) for d, s in slugs.items()}
    long["name"] = [f"{d}［{s}］" if names[d] > 1 else d for d, s in zip(long["department"], long["slug"])]
    years = sorted(set(long["year"]))
    items = list(dict.fromkeys(long["项目"]))  # the format's order: 收入总计, 支出总计
    rows = []
    for (name, _, item), group in long.assign(order=long["项目"].map(items.index)).groupby(
            ["name", "order", "项目"], sort=True):
        by_year = dict(zip(group["year"], group["value"]))
        if len(by_year) < 2:
            continue
        last, before = sorted(by_year)[-1], sorted(by_year)[-2]
        change = by_year[last] - by_year[before]
        rate = f"{Decimal(change * 100) / Decimal(by_year[before]):.2f}%" if by_year[before] else ""
        rows.append({"部门名称": name, "项目": item, **{f"{y}年（万元）": format_wan_value(by_year.get(y)) for y in years},
                     "增减（万元）": format_wan_value(change), "增减率": rate})
    return pd.DataFrame(rows)


def format_wan_value(fen: int | None) -> str:
    return "" if fen is None else f"{from_fen(fen, '万元', 2):,.2f}"
