"""Charts of one department-year, drawn from the printed table values, with Chinese labels.

Each function returns a ``matplotlib.figure.Figure`` built without pyplot (no
global figure registry, nothing shown as a side effect), so notebooks, tests and
batch runs stay independent. Figures are deterministic: fixed size, colours and
order (printed row order; ties in rankings broken by printed order), no dates.
"""

from __future__ import annotations

import io
import textwrap
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from budgetkit.core.errors import BudgetkitError
from budgetkit.core.model import LEAF, TOTAL, Disclosure
from budgetkit.core.money import format_amount, from_fen
from budgetkit.core.template import load_template
from budgetkit.present.chart_layout import MeasuredLayout
from budgetkit.present.fonts import rc_params, register_cjk_font

UNIT = "万元"
COLORS = ["#3b6ea5", "#e07b39", "#5a9e5a", "#c0504d", "#8064a2", "#4bacc6", "#9c8b4e", "#7f7f7f"]
DPI = 100


class ChartDataMissing(BudgetkitError):
    """The tables a chart needs are absent or carry no amounts."""

    cn = "图表所需的数据缺失"


# ---------------------------------------------------------------- data helpers


def _label(d: Disclosure, role: str) -> str:
    """'表3': how this document numbers the table of a role ('本格式无此表' when its format has none)."""
    spec = load_template(d.meta.template).by_role(role)
    return spec.label if spec is not None else "本格式无此表"


def _frame(d: Disclosure, role: str, part: str = "main") -> pd.DataFrame:
    template = load_template(d.meta.template)
    spec = template.by_role(role)
    if spec is None:
        raise ChartDataMissing(f"本格式（{template.name}）没有此图所需的表，不绘制此图")
    table = d.table(spec.id)
    if table is None or part not in table.parts:
        raise ChartDataMissing(f"缺少{spec.label}，无法绘制")
    return table.parts[part]


def _fen(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _wan(fen: int) -> float:
    """万元 as a float, for drawing only (labels use the exact printed text)."""
    return float(from_fen(fen, UNIT))


def _total_row(df: pd.DataFrame) -> pd.Series | None:
    rows = df[df["kind"] == TOTAL]
    return None if rows.empty else rows.iloc[0]


COLUMN_CN = {"basic": "基本支出", "project": "项目支出", "personnel": "人员经费", "public": "公用经费", "total": "合计"}


def _column_total(df: pd.DataFrame, column: str, table_id: str) -> int:
    """The printed 合计 row's value, else the sum of the leaf rows (when the total row is missing)."""
    if column not in df.columns:  # the format's table has no such column (e.g. a 决算 基本支出表 of one 决算数 column)
        raise ChartDataMissing(f"本格式的{table_id}没有“{COLUMN_CN.get(column, column)}”列，不绘制此图", table=table_id)
    row = _total_row(df)
    if row is not None and not pd.isna(row[column]):
        return _fen(row[column])
    leaves = df[df["kind"] == LEAF][column]
    if leaves.notna().sum() == 0:
        raise ChartDataMissing(f"{COLUMN_CN.get(column, column)}列没有金额，不绘制此图", table=table_id)
    return int(leaves.fillna(0).sum())


def _share(part: int, whole: int) -> str:
    """Percentage to 2 places, rounded half-up like the printed disclosures (exact decimal arithmetic)."""
    if whole == 0:
        return ""
    return f"{(Decimal(part * 100) / Decimal(whole)).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


def _wrap(label: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(label, width=width, break_long_words=True)) or label


def _title(d: Disclosure, what: str) -> str:
    return f"{d.meta.department} {d.meta.year}年 {what}"


# ---------------------------------------------------------------- drawing


def _figure(width: float, height: float) -> Figure:
    """A figure laid out by ``MeasuredLayout``: room for its labels and title, measured once per draw."""
    register_cjk_font()
    return Figure(figsize=(width, height), dpi=DPI, layout=MeasuredLayout())


def _hbars(d: Disclosure, what: str, labels: list[str], values: list[int], whole: int | None = None) -> Figure:
    """Horizontal bars, first item on top, each annotated with its amount and share of ``whole``."""
    import matplotlib

    if not values or not any(values):
        raise ChartDataMissing(f"{what}：没有可绘制的金额")
    whole = sum(values) if whole is None else whole
    fig = _figure(10, max(2.2, 0.5 * len(values) + 1.4))
    with matplotlib.rc_context(rc_params()):
        ax = fig.add_subplot()
        ys = list(range(len(values)))[::-1]
        ax.barh(ys, [_wan(v) for v in values], color=[COLORS[i % len(COLORS)] for i in range(len(values))])
        ax.set_yticks(ys, [_wrap(lb) for lb in labels])
        top = max(_wan(v) for v in values)
        for y, v in zip(ys, values):
            ax.text(_wan(v) + top * 0.01, y, f"{format_amount(v, UNIT)}（{_share(v, whole)}）", va="center",
                    fontsize=9)
        ax.set_xlim(min(0, min(_wan(v) for v in values)), top * 1.3)
        ax.set_xlabel(f"金额（{UNIT}）")
        ax.set_title(_title(d, what))
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def functional_structure(d: Disclosure) -> Figure:
    """支出结构: the expenditure table's 合计 by 功能分类 类 (shortest codes), in printed order."""
    df = _frame(d, "expenditure")
    shortest = min(load_template(d.meta.template).functional_code_lengths)
    classes = df[(df["kind"] != TOTAL) & (df["code"].str.len() == shortest)]
    labels = [f"{r.code} {r.name}" for r in classes.itertuples()]
    values = [_fen(v) for v in classes["total"]]
    return _hbars(d, f"支出功能分类结构（{_label(d, 'expenditure')}，类级）", labels, values,
                  _column_total(df, "total", _label(d, "expenditure")))


def basic_vs_project(d: Disclosure) -> Figure:
    """基本支出 vs 项目支出: the expenditure table's 合计 row."""
    df, label = _frame(d, "expenditure"), _label(d, "expenditure")
    values = [_column_total(df, "basic", label), _column_total(df, "project", label)]
    return _hbars(d, f"基本支出与项目支出（{label}合计行）", ["基本支出", "项目支出"], values)


def personnel_vs_public(d: Disclosure) -> Figure:
    """人员经费 vs 公用经费: the basic-expenditure economic table's 合计 row."""
    df, label = _frame(d, "general_basic_economic"), _label(d, "general_basic_economic")
    values = [_column_total(df, "personnel", label), _column_total(df, "public", label)]
    return _hbars(d, f"人员经费与公用经费（{label}合计行）", ["人员经费", "公用经费"], values)


def projects_ranked(d: Disclosure) -> Figure:
    """The project table's projects (leaf rows) ranked by amount, largest first; ties keep printed order."""
    df, label = _frame(d, "projects"), _label(d, "projects")
    leaves = df[(df["kind"] == LEAF) & df["total"].notna()].copy()
    leaves["_fen"] = leaves["total"].astype("int64")
    leaves = leaves.sort_values(["_fen", "row_no"], ascending=[False, True], kind="stable")
    labels = [str(p) for p in leaves["project"]]
    return _hbars(d, f"项目支出排序（{label}）", labels, list(leaves["_fen"]), _column_total(df, "total", label))


def funding_sources(d: Disclosure) -> Figure:
    """收入来源: the summary table's income lines with amounts."""
    df = _frame(d, "summary", "income")
    amount = next(c for c in df.columns if str(df[c].dtype) == "Int64")
    rows = df[(df["kind"] == LEAF) & df[amount].notna() & (df[amount].fillna(0) != 0)]
    labels = [str(x) for x in rows["item"]]
    return _hbars(d, f"收入来源（{_label(d, 'summary')}收入方）", labels, [_fen(v) for v in rows[amount]])


#: Aggregates compared across years: (name, role, part, column).
HEADLINE = [("支出总计", "summary", "expenditure", "total"), ("基本支出", "expenditure", "main", "basic"),
            ("项目支出", "expenditure", "main", "project"), ("人员经费", "general_basic_economic", "main", "personnel"),
            ("公用经费", "general_basic_economic", "main", "public"), ("“三公”经费", "three_public", "main", "total"),
            ("机关运行经费", "office_running", "main", "total")]


def _headline(d: Disclosure) -> dict[str, int | None]:
    """Aggregates compared across years; None where the year's tables do not carry them."""
    out: dict[str, int | None] = {}
    for name, role, part, col in HEADLINE:
        label = f"{name}（{_label(d, role)}）"
        try:
            out[label] = _column_total(_frame(d, role, part), col, _label(d, role))
        except (ChartDataMissing, KeyError):
            out[label] = None
    return out


def year_over_year(d: Disclosure, prior: Disclosure) -> Figure:
    """Headline aggregates of this year next to the prior year's disclosure (grouped bars)."""
    import matplotlib

    now, before = _headline(d), _headline(prior)
    labels = [k for k in now if now[k] is not None and before[k] is not None]
    if not labels:
        raise ChartDataMissing("两年的数据集没有共同的汇总数，不绘制同比图")
    fig = _figure(10, 0.8 * len(labels) + 1.6)
    with matplotlib.rc_context(rc_params()):
        ax = fig.add_subplot()
        ys = list(range(len(labels)))[::-1]
        h = 0.38
        ax.barh([y + h / 2 for y in ys], [_wan(before[k]) for k in labels], h, color=COLORS[7],
                label=f"{prior.meta.year}年")
        ax.barh([y - h / 2 for y in ys], [_wan(now[k]) for k in labels], h, color=COLORS[0],
                label=f"{d.meta.year}年")
        top = max(_wan(v) for k in labels for v in (now[k], before[k]))
        for y, k in zip(ys, labels):
            change = now[k] - before[k]
            sign = "+" if change > 0 else ""
            ax.text(max(_wan(now[k]), _wan(before[k])) + top * 0.01, y,
                    f"{sign}{format_amount(change, UNIT)}", va="center", fontsize=9)
        ax.set_yticks(ys, labels)
        ax.set_xlim(0, top * 1.25)
        ax.set_xlabel(f"金额（{UNIT}）")
        ax.set_title(_title(d, f"与{prior.meta.year}年对比"))
        ax.legend(loc="best")
        ax.spines[["top", "right"]].set_visible(False)
    return fig


#: The charts of a department-year in report order (year-over-year needs a prior year: ``charts_for``).
CHARTS = {
    "functional_structure": functional_structure,
    "basic_vs_project": basic_vs_project,
    "personnel_vs_public": personnel_vs_public,
    "projects_ranked": projects_ranked,
    "funding_sources": funding_sources,
}
#: Chart titles; {role} is the table's number in the document.
TITLES = {"functional_structure": "支出功能分类结构（{expenditure}）", "basic_vs_project": "基本支出与项目支出（{expenditure}）",
          "personnel_vs_public": "人员经费与公用经费（{general_basic_economic}）", "projects_ranked": "项目支出排序（{projects}）",
          "funding_sources": "收入来源（{summary}）", "year_over_year": "与上年对比"}


def chart_title(d: Disclosure, name: str) -> str:
    import re

    return re.sub(r"\{([a-z_]+)\}", lambda m: _label(d, m.group(1)), TITLES.get(name, name))


def charts_for(d: Disclosure, prior: Disclosure | None):
    """(name, draw) for every chart of a department-year, the year-over-year one last (it needs a prior year)."""
    out = [(name, (lambda f=f: f(d))) for name, f in CHARTS.items()]

    def yoy():
        if prior is None:
            raise ChartDataMissing("没有上年数据集（data/<部门>/<上年>/），不绘制同比图")
        return year_over_year(d, prior)

    return out + [("year_over_year", yoy)]


# ---------------------------------------------------------------- output


#: zlib level of the PNGs: level 1 encodes the charts' flat colours about a third faster than PIL's default 6,
#: and here even smaller. The pixels are the same at every level.
PNG_COMPRESS_LEVEL = 1


def png_bytes(fig: Figure) -> bytes:
    """PNG of the figure with fixed metadata (no software version, no date): same input, same bytes.

    One Agg draw (the layout runs inside it; ``chart_canvas`` looks each font up once), then the pixels to PNG:
    the pixels ``savefig`` writes, without its extra layout-only draw pass. An opaque figure (the charts' white
    background) is written as RGB, the same pixels in three quarters of the data, converted by PIL from the
    renderer's buffer without a copy through numpy.
    """
    import matplotlib
    from PIL import Image

    from budgetkit.present.chart_canvas import Canvas

    buf = io.BytesIO()
    with matplotlib.rc_context(rc_params()):
        canvas = Canvas(fig)
        canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    image.save(buf, format="png", compress_level=PNG_COMPRESS_LEVEL, dpi=(fig.dpi, fig.dpi))
    return buf.getvalue()


def save_chart(fig: Figure, path: Path | str) -> Path:
    """Write the figure as PNG (deterministic bytes) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(fig))
    return path
