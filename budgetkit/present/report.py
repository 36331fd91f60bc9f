"""What the auditor notebooks call: load a department-year once, then one call per report section.

Every section is built as an HTML string (``*_html``) and shown with
``IPython.display``; notebooks hold no logic. Output is deterministic so that
nbval can compare it: fixed table ids (no random Styler uuids), no memory
addresses, no dates, no absolute paths, stable ordering.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from budgetkit.core.errors import BudgetkitError
from budgetkit.core.findings import SEVERITIES, SEVERITY_CN, STATUS_CN, STATUSES, CheckReport
from budgetkit.core.model import LEAF, SUBTOTAL, TOTAL, Disclosure
from budgetkit.core.money import format_amount

FILL = {"error": "#ffc7ce", "warning": "#ffd8a8", "rounding": "#ffeb9c", "info": "#ddebf7"}
STATUS_TEXT = {"ok": "一致", "rounding": "尾差", "error": "不一致"}


@dataclass
class Audit:
    """One department-year as the notebooks see it: the data, its prior year, the checks run once."""

    disclosure: Disclosure
    checks: CheckReport
    prior: Disclosure | None = None
    location: str = ""  # data/<slug>/<year>, relative to the project
    cache: dict = field(default_factory=dict)


def load(department: str, year: int, data_root: str = "") -> Audit:
    """Load ``<data_root>/<department>/<year>`` (validated like a params file) and run every rule once."""
    from budgetkit.dataset.store import load_dataset
    from budgetkit.present.fonts import use_chinese_fonts
    from budgetkit.run.params import dataset_dir
    from budgetkit.checks import run_rules

    use_chinese_fonts()
    folder = dataset_dir(department, year, data_root)
    disclosure = load_dataset(folder)
    prior = None
    try:
        prior_dir = dataset_dir(department, int(year) - 1, data_root)
        if (prior_dir / "metadata.json").is_file():
            prior = load_dataset(prior_dir)
    except BudgetkitError:
        prior = None  # a damaged prior year only costs the year-over-year parts
    location = f"{data_root or 'data'}/{department}/{year}"
    checks = run_rules(disclosure, prior=prior, source=location)
    return Audit(disclosure=disclosure, checks=checks, prior=prior, location=location)


# ---------------------------------------------------------------- small HTML helpers


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def _table_html(frame: pd.DataFrame, table_id: str, cell_css: pd.DataFrame | None = None,
                row_css: list[str] | None = None) -> str:
    """A Styler table with a fixed id (``T_<table_id>``), cells escaped, optional per-cell and per-row CSS."""
    styler = frame.style.set_uuid(table_id).hide(axis="index").format(escape="html", na_rep="")
    if cell_css is not None:
        styler = styler.apply(lambda _: cell_css.values, axis=None)
    if row_css is not None:
        styler = styler.apply(lambda df: pd.DataFrame([[row_css[i]] * df.shape[1] for i in range(len(df))],
                                                      index=df.index, columns=df.columns), axis=None)
    styler = styler.set_table_styles([
        {"selector": "", "props": "border-collapse: collapse; font-size: 13px;"},
        {"selector": "td, th", "props": "border: 1px solid #bbb; padding: 2px 6px; white-space: pre-line; "
                                        "text-align: left; min-width: 3em;"},
        {"selector": "th", "props": "background: #eee;"},
    ])
    return styler.to_html()


def _show(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def _amount(v, unit: str, decimals: int) -> str:
    return format_amount(None if v is None or pd.isna(v) else int(v), unit, decimals)


# ---------------------------------------------------------------- overview and findings


def overview_html(audit: Audit) -> str:
    d, counts = audit.disclosure, audit.checks.counts()
    meta = d.meta
    facts = [
        ("部门", meta.department), ("部门代码", meta.department_code), ("预算年度", meta.year),
        ("数据", audit.location), ("模板", meta.template), ("源文件", meta.source_file.split("/")[-1]),
        ("源文件 SHA-256", meta.source_sha256), ("表格", f"{len(d.tables)} 张"),
        ("绩效目标表", f"{len(d.forms)} 张"),
        ("情况说明句子", f"{len(d.narrative.sentences) if d.narrative else 0} 句"),
        ("上年数据", f"{audit.prior.meta.year} 年" if audit.prior else "无（同比只能按文字核对）"),
        ("抽取说明", f"{len(d.notes)} 条"),
    ]
    facts_frame = pd.DataFrame(facts, columns=["项目", "内容"])
    sev = pd.DataFrame([[SEVERITY_CN[s], s, counts["severity"][s]] for s in SEVERITIES],
                       columns=["严重程度", "severity", "发现数"])
    st = pd.DataFrame([[STATUS_CN[s], s, counts["status"][s]] for s in STATUSES],
                      columns=["规则状态", "status", "规则数"])
    sev_css = pd.DataFrame([[f"background: {FILL[s]}" if counts["severity"][s] else ""] * 3 for s in SEVERITIES],
                           columns=sev.columns)
    return ("<h3>概况</h3>" + _table_html(facts_frame, "facts")
            + "<h3>发现汇总</h3>" + _table_html(sev, "severity_counts", sev_css)
            + _table_html(st, "status_counts"))


def findings_frame(audit: Audit) -> pd.DataFrame:
    """Every finding, errors first (stable within a severity), with the auditor's Chinese columns."""
    from budgetkit.present.export import findings_frame as export_frame

    frame = export_frame(audit.checks)
    rank = {SEVERITY_CN[s]: i for i, s in enumerate(SEVERITIES)}
    order = sorted(range(len(frame)), key=lambda i: rank.get(frame.iloc[i]["严重程度"], 99))
    return frame.iloc[order].reset_index(drop=True)


def findings_html(audit: Audit) -> str:
    frame = findings_frame(audit)
    if frame.empty:
        return "<p>没有发现问题（所有适用规则均通过）。</p>"
    cn_to_sev = {SEVERITY_CN[s]: s for s in SEVERITIES}
    row_css = [f"background: {FILL[cn_to_sev[s]]}" for s in frame["严重程度"]]
    return f"<h3>发现清单（{len(frame)} 条）</h3>" + _table_html(frame, "findings", row_css=row_css)


def rules_html(audit: Audit) -> str:
    from budgetkit.present.export import status_frame

    frame = status_frame(audit.checks)
    return f"<h3>规则状态（{len(frame)} 条规则）</h3>" + _table_html(frame, "rules")


def overview(audit: Audit) -> None:
    """第一部分: the department-year, counts by severity and rule status."""
    _show(overview_html(audit))


def findings(audit: Audit) -> None:
    """Every finding with where it is and by how much, then every rule's status."""
    _show(findings_html(audit) + rules_html(audit))


# ---------------------------------------------------------------- tables


def reproduced(audit: Audit) -> dict[str, pd.DataFrame]:
    from budgetkit.checks.reproduce import reproduce_all

    if "reproduced" not in audit.cache:
        audit.cache["reproduced"] = reproduce_all(audit.disclosure)
    return audit.cache["reproduced"]


def _label_with_indent(text: str, level: int) -> str:
    return "\u3000" * max(0, int(level)) + str(text)


def table_html(audit: Audit, table_id: str) -> str:
    """One table in printed layout: printed values; where a sum differs, the recomputed value and the difference."""
    from budgetkit.checks.reproduce import amount_columns
    from budgetkit.core.template import load_template

    d = audit.disclosure
    spec = load_template(d.meta.template).table(table_id)
    table = d.table(table_id)
    head = f"<h3>表{spec.number} {_e(spec.title)}</h3>"
    if table is None:
        return head + "<p><b>公开文件中没有找到此表。</b></p>"
    year = table.printed_year or d.meta.year
    sub = f"<p>部门名称：{_e(table.printed_department)}　单位：{_e(table.unit)}"
    if table.declared_empty:
        sub += "　<b>注：本表无数据</b>（公开文件声明）"
    out = [head, sub + "</p>"]
    rep = reproduced(audit).get(table_id)
    for part in spec.parts:
        block = rep[rep["part"] == part.key] if rep is not None else pd.DataFrame()
        if block.empty:
            continue
        cols = [c for c in part.amounts if c.key in amount_columns(block)]
        view, css = {}, {}
        indent_key = "name" if "name" in part.label_keys else part.label_keys[0]
        for c in part.labels:
            values = list(block[c.key])
            if c.key == indent_key:
                values = [_label_with_indent(v, lv) for v, lv in zip(values, block["level"])]
            view[c.header] = values
            css[c.header] = [""] * len(block)
        diffs = []
        for c in cols:
            texts, styles = [], []
            for rec in block.to_dict("records"):
                printed = _amount(rec[c.key], table.unit, table.decimals)
                status = rec[f"{c.key}_status"]
                if status in ("rounding", "error"):
                    recomputed = _amount(rec[f"{c.key}_recomputed"], table.unit, table.decimals)
                    diff = _amount(rec[f"{c.key}_diff"], table.unit, table.decimals)
                    texts.append(f"{printed}\n重算 {recomputed}（差 {diff}）")
                    styles.append(f"background: {FILL[status]}")
                    diffs.append([rec["label"], c.printed(year), rec[f"{c.key}_relation"], printed, recomputed, diff,
                                  STATUS_TEXT[status]])
                else:
                    texts.append(printed)
                    styles.append("")
            view[c.printed(year)] = texts
            css[c.printed(year)] = styles
        frame, cell_css = pd.DataFrame(view), pd.DataFrame(css)
        weight = ["font-weight: bold" if k in (SUBTOTAL, TOTAL) else "" for k in block["kind"]]
        cell_css = pd.DataFrame({c: [";".join(x for x in (s, w) if x) for s, w in zip(cell_css[c], weight)]
                                 for c in cell_css.columns})
        if part.name and len(spec.parts) > 1:
            out.append(f"<h4>{_e(part.name)}</h4>")
        out.append(_table_html(frame, f"{table_id}_{part.key}", cell_css))
        if diffs:
            diff_frame = pd.DataFrame(diffs, columns=["行", "列", "应等于", "公开数", "重算数", "差额", "判定"])
            out.append(f"<p>与重算不一致的单元格（{len(diffs)} 处）：</p>"
                       + _table_html(diff_frame, f"{table_id}_{part.key}_diffs"))
        else:
            out.append("<p>所有合计/小计与重算一致。</p>")
    return "".join(out)


def tables(audit: Audit) -> None:
    """第二部分: every one of the 13 tables reproduced from its leaf rows."""
    from budgetkit.core.template import load_template

    for table_id in load_template(audit.disclosure.meta.template).table_ids:
        _show(table_html(audit, table_id))


# ---------------------------------------------------------------- narrative


KIND_CN = {"amount": "金额", "share": "占比", "change": "增减", "items": "列举", "count": "个数", "reason": "原因"}


def claims_frame(audit: Audit) -> pd.DataFrame:
    """Every numeric claim of 第三部分 next to the table value it names and what the rules found about it."""
    from budgetkit.checks.claims.claims import extract_claims, location
    from budgetkit.checks.claims.vocabulary import cell_table, cell_value, load_vocabulary
    from budgetkit.core.template import load_template

    d = audit.disclosure
    template = load_template(d.meta.template)
    claims = extract_claims(d.narrative, template)
    vocab = load_vocabulary(template)
    by_location: dict[str, list] = {}
    for f in audit.checks.findings:
        by_location.setdefault(f.location, []).append(f)
    rows = []
    for c in claims:
        if c.kind in ("items", "reason"):
            continue
        written = (f"{c.money.text}{c.money.unit}" if c.money else "") + \
            (f" {c.percent}%" if c.percent is not None else "") + (f" {c.count}{c.count_unit}" if c.count else "")
        table_value = ""
        subject = vocab.get(c.subject_key) if c.kind == "amount" and c.subject_key else None
        values = [(ref, cell_value(d, ref)) for ref in (subject.cells if subject else ())]
        values = [(ref, v) for ref, v in values if v is not None]
        if values:  # the cell closest to the written amount, as the amount rule judges it
            ref, v = min(values, key=lambda rv: abs(c.money.fen - rv[1]))
            table_value = f"表{cell_table(ref)} {format_amount(v, '万元', 2)}万元"
        found = sorted(by_location.get(location(d.narrative, c), []), key=lambda f: SEVERITIES.index(f.severity))
        if found:
            f = found[0]
            verdict, expected, note = SEVERITY_CN[f.severity], f.expected, f.message
        elif table_value:
            verdict, expected, note = "一致", table_value, ""
        else:
            verdict, expected, note = "未发现问题", "", ""
        rows.append([f"{c.section}、第{c.sentence + 1}句" if c.section else f"第{c.sentence + 1}句",
                     KIND_CN.get(c.kind, c.kind), c.subject or c.phrase, c.text, written.strip(),
                     expected or table_value, verdict, note])
    return pd.DataFrame(rows, columns=["位置", "类型", "所指", "原文", "公开数", "重算/表格数", "判定", "说明"])


def narrative_html(audit: Audit) -> str:
    """第三部分: each numeric claim next to the recomputed value, then the generated standard sentences."""
    d = audit.disclosure
    if d.narrative is None:
        return "<p><b>公开文件中没有找到第三部分（情况说明）。</b></p>"
    frame = claims_frame(audit)
    verdict_fill = {SEVERITY_CN[s]: FILL[s] for s in SEVERITIES}
    row_css = [f"background: {verdict_fill[v]}" if v in verdict_fill else "" for v in frame["判定"]]
    return (f"<h3>情况说明中的数字（{len(frame)} 处）</h3>" + _table_html(frame, "claims", row_css=row_css))


def generated_html(audit: Audit) -> str:
    """Sections 一…十 as written next to the standard text generated from the tables."""
    from budgetkit.present.generate import side_by_side

    frame = side_by_side(audit.disclosure).rename(columns={
        "section": "节", "heading": "标题", "written": "公开的文字", "should_be": "按表格生成的标准表述",
        "same": "相同"})
    frame["相同"] = ["是" if x else "否" for x in frame["相同"]]
    return "<h3>按表格生成的标准表述（与公开文字对照）</h3>" + _table_html(frame, "generated")


def narrative(audit: Audit) -> None:
    """第三部分: numeric claims recomputed, then the generated standard sentences side by side."""
    _show(narrative_html(audit) + generated_html(audit))


# ---------------------------------------------------------------- performance forms


def _norm_name(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def forms_frame(audit: Audit) -> pd.DataFrame:
    """Each T12 project next to its performance form's 年度资金总额 (元), in T12's printed order, then orphan forms."""
    d = audit.disclosure
    table = d.table("T12")
    rows = []
    forms = {_norm_name(f.project): f for f in d.forms}
    used = set()
    if table is not None:
        frame = table.part("main")
        for rec in frame[frame["kind"] == LEAF].to_dict("records"):
            key = _norm_name(rec["project"])
            form = forms.get(key)
            t12 = None if pd.isna(rec["total"]) else int(rec["total"])
            annual = form.fund("annual") if form else None
            if form:
                used.add(key)
            diff = None if t12 is None or annual is None else annual - t12
            status = ("无绩效目标表" if form is None else "表单无年度资金" if annual is None
                      else "一致" if diff == 0 else "不一致")
            rows.append([rec["project"], _amount(t12, table.unit, table.decimals),
                         "" if form is None else f"第{form.index}张",
                         _amount(annual, "元", 2), _amount(diff, "元", 2), status])
    for f in d.forms:
        if _norm_name(f.project) not in used:
            rows.append([f.project, "", f"第{f.index}张", _amount(f.fund("annual"), "元", 2), "",
                         "表12中无此项目"])
    unit = table.unit if table is not None else "万元"
    return pd.DataFrame(rows, columns=["项目", f"表12 合计（{unit}）", "绩效目标表", "年度资金总额（元）",
                                       "差额（元）", "判定"])


def forms_html(audit: Audit) -> str:
    frame = forms_frame(audit)
    css = [f"background: {FILL['error']}" if s != "一致" else "" for s in frame["判定"]]
    out = [f"<h3>项目支出绩效目标表与表12（{len(audit.disclosure.forms)} 张表单）</h3>",
           _table_html(frame, "forms", row_css=css)]
    from budgetkit.checks.registry import all_rules

    families = {r.id: r.family for r in all_rules()}
    form_findings = [f for f in audit.checks.findings if families.get(f.rule) == "forms"]
    if form_findings:
        ff = pd.DataFrame([[f.rule, SEVERITY_CN[f.severity], f.table, f.location, f.expected, f.actual,
                            f.difference, f.message] for f in form_findings],
                          columns=["规则", "严重程度", "表", "位置", "应为", "实际", "差额", "说明"])
        out.append(f"<h4>绩效目标表的发现（{len(ff)} 条）</h4>" + _table_html(ff, "form_findings"))
    else:
        out.append("<p>绩效目标表规则没有发现问题。</p>")
    return "".join(out)


def forms(audit: Audit) -> None:
    _show(forms_html(audit))


# ---------------------------------------------------------------- charts


CHART_TITLES = {"functional_structure": "支出功能分类结构（表3）", "basic_vs_project": "基本支出与项目支出（表3）",
                "personnel_vs_public": "人员经费与公用经费（表6）", "projects_ranked": "项目支出排序（表12）",
                "funding_sources": "收入来源（表1）", "year_over_year": "与上年对比"}


def chart_images(audit: Audit) -> list[tuple[str, bytes | None, str]]:
    """(chart name, PNG bytes or None, note) for every chart, year-over-year last."""
    from budgetkit.present import charts as ch

    out = []
    makers = list(ch.CHARTS.items())
    if audit.prior is not None:
        makers.append(("year_over_year", lambda d: ch.year_over_year(d, audit.prior)))
    for name, make in makers:
        try:
            out.append((name, ch.png_bytes(make(audit.disclosure)), ""))
        except ch.ChartDataMissing as exc:
            out.append((name, None, exc.one_line()))
    if audit.prior is None:
        out.append(("year_over_year", None, "没有上年数据集（data/<部门>/<上年>/），不绘制同比图"))
    return out


def charts(audit: Audit) -> None:
    from IPython.display import Image, display

    for name, png, note in chart_images(audit):
        _show(f"<h3>{_e(CHART_TITLES.get(name, name))}</h3>" + (f"<p>{_e(note)}</p>" if png is None else ""))
        if png is not None:
            display(Image(data=png, format="png"))
