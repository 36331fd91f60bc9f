"""The cross-department summary page, section by section, for the summary notebook (one call per cell).

Every table goes through the one HTML renderer (``present.html``); departments are named by 部门名称 and
年度; the figures come from the run folder (``summary.open_run``). Output is deterministic: no paths,
times or durations.
"""

from __future__ import annotations

from budgetkit.core.findings import SEVERITIES, SEVERITY_CN
from budgetkit.present import summary
from budgetkit.present.html import background, frame_table, style, table
from budgetkit.present.summary import Run


def _show(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(style() + markup))


def rule_name(rule_id: str, templates: list[str] = ()) -> str:
    """The Chinese name of a rule in the run's formats (most used first), else in the first shipped format that has
    it — formats name their table rules after their own tables (预算支出总表 / 支出决算表)."""
    from budgetkit.core.template import shipped_templates
    from budgetkit.present.labels import rule_name as name_in

    return next((n for t in [*templates, *shipped_templates()] if (n := name_in(t, rule_id))), "")


def run_templates(run: Run) -> list[str]:
    """The formats of the run's entries, the most frequent first."""
    from collections import Counter

    return [t for t, _ in Counter(e.get("template") for e in run.entries if e.get("template")).most_common()]


# ---------------------------------------------------------------- sections


def overview_html(run: Run) -> str:
    entries = summary.load_entries(run.folder)
    failed = int((entries["状态"] == "失败").sum()) if len(entries) else 0
    counts = {s: int((run.findings["severity"] == s).sum()) for s in SEVERITIES}
    facts = [["部门-年度", f"{len(entries)} 个（{len({e.get('department_name') for e in run.entries})} 个部门）"],
             ["运行成功", f"{len(entries) - failed} 个"], ["运行失败", f"{failed} 个"],
             *[[SEVERITY_CN[s], f"{counts[s]} 条"] for s in SEVERITIES]]
    css = ["", "", background("error") if failed else "", *(background(s) if counts[s] else "" for s in SEVERITIES)]
    note = ("<p><b>示例</b>：本页展示的是四个合成部门（各两个年度的数据集）的示例结果；"
            "批量运行后，同一页面列出该次运行的全部部门。</p>" if run.sample else "")
    return note + table("run_overview", ["项目", "数量"], facts, css)


def entries_html(run: Run) -> str:
    frame = summary.load_entries(run.folder)
    if frame.empty:
        return "<p>本次运行没有部门-年度。</p>"
    css = [background("error") if s == "失败" else "" for s in frame["状态"]]
    return f"<h3>各部门-年度（{len(frame)} 个）</h3>" + frame_table("entries", frame, css)


def by_rule_html(run: Run) -> str:
    counts = summary.by_rule_and_department(run.findings)
    if counts.empty:
        return "<p>没有错误或警告。</p>"
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    frame = counts.reset_index().rename(columns={"rule": "规则"})
    templates = run_templates(run)
    frame.insert(1, "规则名称", [rule_name(r, templates) for r in frame["规则"]])
    frame = frame.replace(0, "")
    frame.columns.name = None
    return f"<h3>{len(frame)} 条规则发现了错误或警告</h3>" + frame_table("by_rule", frame)


def worst_html(run: Run) -> str:
    worst = summary.worst_departments(run.findings)
    if worst.empty:
        return "<p>没有发现。</p>"
    frame = worst.reset_index().rename(columns={"department": "部门-年度"})
    frame.columns.name = None
    css = [background("error") if e else (background("warning") if w else "")
           for e, w in zip(frame["错误"], frame["警告"])]
    return frame_table("worst", frame, css)


def yearly_html(run: Run) -> str:
    frame = summary.year_over_year(run.data_dirs)
    if frame.empty:
        return "<p>本次运行的部门在数据目录中都只有一个年度的数据集，无法逐年比较。</p>"
    return f"<h3>{frame['部门名称'].nunique()} 个部门有多个年度的数据集（金额单位：万元）</h3>" + frame_table("yearly", frame)


def heatmap_png(run: Run) -> bytes:
    import matplotlib.pyplot as plt

    from budgetkit.present.charts import png_bytes

    fig = summary.family_heatmap(run.findings)
    try:
        return png_bytes(fig)
    finally:
        plt.close(fig)  # shown once, as this image (not again by the inline backend)


# ---------------------------------------------------------------- what the notebook calls


def overview(run: Run) -> None:
    """How many department-years, how many failed, findings by severity."""
    _show(overview_html(run))


def entries(run: Run) -> None:
    """Each department-year: status, findings by severity, why a failed one failed."""
    _show(entries_html(run))


def by_rule(run: Run) -> None:
    _show(by_rule_html(run))


def worst(run: Run) -> None:
    _show(worst_html(run))


def heatmap(run: Run) -> None:
    """Rule family × department-year: errors / warnings in each cell."""
    from IPython.display import Image, display

    display(Image(data=heatmap_png(run), format="png"))


def yearly(run: Run) -> None:
    _show(yearly_html(run))
