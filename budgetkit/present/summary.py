"""Cross-department summary of a run: findings by rule × department, worst departments, heat map, yearly totals.

Reads what a run leaves behind: findings JSON files (``budgetkit check --json``
objects, or the batch's list of them) anywhere under the run folder, and the
dataset folders (metadata.json) when year-over-year totals are wanted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from budgetkit.batch.check import dataset_folders


def load_findings(run_dir: str | Path) -> pd.DataFrame:
    """Every finding of every ``*.json`` check report under ``run_dir``, with its source."""
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
    cols = ["source", "rule", "severity", "table", "location", "expected", "actual", "difference", "message"]
    df = pd.DataFrame(rows, columns=cols)
    df["family"] = df["rule"].str.split(".").str[0].map(
        {"X": "跨表", "C": "完整性", "E": "抽取", "N": "说明", "F": "绩效表"}).fillna("表内")
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
    """收入总计 (table 1) per department and year, where datasets of several years exist (万元).

    ``roots``: dataset folders or folders holding datasets; empty gives an empty table.
    """
    from budgetkit.batch.load import load_long

    if not roots:
        return pd.DataFrame()
    folders = list(dict.fromkeys(dataset_folders([Path(r) for r in roots])))
    long = load_long(folders)
    t1 = long.parts[("T1", "income")]
    grand = t1[t1["key"] == "grand_total"][["ds", "amount"]]
    df = long.datasets.merge(grand, on="ds")
    df["收入总计（万元）"] = df["amount"].astype("Int64") / 1_000_000
    table = df.pivot_table(index="department", columns="year", values="收入总计（万元）", aggfunc="first")
    return table[table.notna().sum(axis=1) > 1]
