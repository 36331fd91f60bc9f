"""The one summary across department-years: what a run did (``summary.json``) and what it found.

``budgetkit run`` records every entry in ``<out>/summary.json`` (entries from earlier runs into the
same folder are kept, one per slug) and then executes the summary notebook over the folder, which
calls the functions below: the entries and their status, findings by rule × department, the worst
departments, a heat map of rule families, and totals per department and year.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from budgetkit.checks.registry import FAMILY_CN
from budgetkit.core.atomic import write_text
from budgetkit.core.findings import FINDING_FIELDS, SEVERITIES, SEVERITY_CN

SUMMARY_FORMAT = "budgetkit-run-summary/2"


# ---------------------------------------------------------------- what a run writes


def _merged_entries(out: Path, results: list[dict]) -> list[dict]:
    entries: dict[str, dict] = {}
    path = out / "summary.json"
    if path.is_file():
        try:
            entries = {e["slug"]: e for e in json.loads(path.read_text(encoding="utf-8")).get("entries", [])}
        except (ValueError, KeyError, TypeError, AttributeError):
            entries = {}  # an unreadable old summary is rebuilt from this run
    for r in results:
        entries[r["slug"]] = r
    return [entries[k] for k in sorted(entries)]


def write_run_summary(out: Path, results: list[dict]) -> dict:
    """Write ``summary.json`` into ``out`` (this run's entries merged with earlier ones); return it."""
    out = Path(out)
    entries = _merged_entries(out, results)
    by_rule: dict[str, dict[str, int]] = {}
    for e in entries:
        for rule_id, n in (e.get("findings_by_rule") or {}).items():
            by_rule.setdefault(rule_id, {})[e["slug"]] = n
    summary = {"format": SUMMARY_FORMAT, "entries": entries,
               "findings_by_rule": {k: by_rule[k] for k in sorted(by_rule)}}
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    return summary


# ---------------------------------------------------------------- reading a run folder


def load_entries(run_dir: str | Path) -> pd.DataFrame:
    """One row per department-year of the run: 部门, 年度, 状态, 用时, findings by severity, where it failed."""
    path = Path(run_dir) / "summary.json"
    entries = json.loads(path.read_text(encoding="utf-8")).get("entries", []) if path.is_file() else []
    rows = []
    for e in entries:
        sev = e.get("findings_by_severity") or {}
        failed = e.get("failed") or {}
        where = "" if not failed else (f"{failed.get('notebook')} 单元格 {failed.get('cell_index')}："
                                       f"{failed.get('ename')}: {failed.get('evalue')}")
        rows.append({"部门": e.get("department_name") or e["slug"], "年度": e.get("year"), "数据集": e["slug"],
                     "状态": "成功" if e.get("status") == "ok" else "失败", "用时（秒）": e.get("duration_s", ""),
                     **{SEVERITY_CN[s]: sev.get(s, "") for s in SEVERITIES}, "失败位置": where})
    return pd.DataFrame(rows, columns=["部门", "年度", "数据集", "状态", "用时（秒）", *(SEVERITY_CN[s] for s in SEVERITIES),
                                       "失败位置"])


def load_findings(run_dir: str | Path) -> pd.DataFrame:
    """Every finding of every check report (``*.json`` with findings and rules) under ``run_dir``."""
    rows = []
    run_dir = Path(run_dir)
    for path in sorted(run_dir.rglob("*.json")) if run_dir.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        reports = data if isinstance(data, list) else [data]
        for rep in reports:
            if isinstance(rep, dict) and "findings" in rep and "rules" in rep:
                for f in rep["findings"]:
                    rows.append({"source": str(rep.get("source", path)), **f})
    df = pd.DataFrame(rows, columns=["source", *FINDING_FIELDS])
    df["family"] = df["rule"].str.split(".").str[0].map(FAMILY_CN).fillna("其他")
    return df


def _department(source: str) -> str:
    parts = Path(source).parts
    return "/".join(parts[-2:]) if len(parts) >= 2 else source


def by_rule_and_department(findings: pd.DataFrame, severities=("error", "warning")) -> pd.DataFrame:
    """Counts of findings (of the given severities) per rule (rows) and department-year (columns)."""
    f = findings[findings["severity"].isin(severities)]
    return pd.crosstab(f["rule"], f["source"].map(_department)) if len(f) else pd.DataFrame()


def worst_departments(findings: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Department-years with the most errors (then warnings)."""
    if findings.empty:
        return pd.DataFrame(columns=["错误", "警告", "尾差", "提示"])
    f = findings.assign(department=findings["source"].map(_department))
    counts = pd.crosstab(f["department"], f["severity"]).reindex(columns=["error", "warning", "rounding", "info"],
                                                                  fill_value=0)
    return counts.sort_values(["error", "warning"], ascending=False).head(n).rename(
        columns={"error": "错误", "warning": "警告", "rounding": "尾差", "info": "提示"})


def family_heatmap(findings: pd.DataFrame, max_departments: int = 40):
    """Rule family × department heat map of error and warning counts (matplotlib Figure)."""
    import matplotlib.pyplot as plt

    from budgetkit.present.fonts import use_chinese_fonts

    use_chinese_fonts()
    f = findings[findings["severity"].isin(["error", "warning"])]
    table = pd.crosstab(f["family"], f["source"].map(_department)) if len(f) else pd.DataFrame()
    if not table.empty:
        table = table[table.sum().sort_values(ascending=False).index[:max_departments]]
    fig, ax = plt.subplots(figsize=(max(6, 0.35 * max(1, table.shape[1])), 3 + 0.3 * max(1, table.shape[0])))
    if table.empty:
        ax.text(0.5, 0.5, "没有错误或警告", ha="center", va="center")
        ax.set_axis_off()
        return fig
    im = ax.imshow(table.values, cmap="Reds", aspect="auto")
    ax.set_yticks(range(table.shape[0]), table.index)
    ax.set_xticks(range(table.shape[1]), table.columns, rotation=90, fontsize=7)
    fig.colorbar(im, ax=ax, label="错误与警告数")
    ax.set_title("规则类别 × 部门：错误与警告")
    fig.tight_layout()
    return fig


def dataset_sources(findings: pd.DataFrame) -> list[Path]:
    """The dataset folders the findings came from (sources that are canonical datasets)."""
    return [Path(s) for s in dict.fromkeys(findings["source"]) if (Path(s) / "metadata.json").is_file()]


def yearly_totals(roots: list[str | Path]) -> pd.DataFrame:
    """收入总计 of the summary table per department and year, where datasets of several years exist (万元).

    ``roots``: dataset folders or folders holding datasets; empty gives an empty table.
    """
    from budgetkit.batch.check import dataset_folders
    from budgetkit.checks.expressions import Reader, evaluate
    from budgetkit.core.template import load_template
    from budgetkit.dataset.store import load_dataset

    if not roots:
        return pd.DataFrame()
    rows = []
    for folder in dict.fromkeys(dataset_folders([Path(r) for r in roots])):
        d = load_dataset(folder)
        template = load_template(d.meta.template)
        cell = template.headline.get("收入总计")
        if cell is None:
            continue
        value = evaluate(cell, Reader(d.tables, template), {})
        if value.n_printed:
            rows.append({"department": d.meta.department, "year": d.meta.year, "收入总计（万元）": value.total / 1_000_000})
    if not rows:
        return pd.DataFrame()
    table = pd.DataFrame(rows).pivot_table(index="department", columns="year", values="收入总计（万元）", aggfunc="first")
    return table[table.notna().sum(axis=1) > 1]
