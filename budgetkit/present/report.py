"""What the auditor notebooks call: load a department-year once, then one call per report section.

Every section is an HTML string (``*_html``) shown with ``IPython.display``; notebooks hold no logic.
Sections present what the rules decided (``Audit.checks``): statuses, findings and the comparisons
each rule recorded — nothing here compares a value again. Output is deterministic so that nbval can
compare it: fixed table ids, no memory addresses, no dates, no absolute paths, stable ordering.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from budgetkit.core.errors import BudgetkitError
from budgetkit.core.findings import (
    SEVERITIES,
    SEVERITY_CN,
    STATUS_CN,
    STATUSES,
    CheckReport,
    Comparison,
)
from budgetkit.core.model import SUBTOTAL, TOTAL, Disclosure
from budgetkit.core.money import format_amount
from budgetkit.core.template import Template, load_template
from budgetkit.present.frames import by_part
from budgetkit.present.html import FILL, NUMBER, background, frame_table, style, table

STATUS_TEXT = {"ok": "一致", "rounding": "尾差", "error": "不一致"}
VERDICT_CN = {"ok": "一致", "unchecked": "未核对", **SEVERITY_CN}


@dataclass
class Audit:
    """One department-year as the notebooks see it: the data, its prior year, the checks run once."""

    disclosure: Disclosure
    checks: CheckReport
    prior: Disclosure | None = None
    location: str = ""  # data/<slug>/<year>, relative to the project
    department: str = ""  # the dataset's folder name (slug) under the data root: names the output files
    cache: dict = field(default_factory=dict)

    @property
    def template(self) -> Template:
        return load_template(self.disclosure.meta.template)


def load(department: str, year: int, data_root: str = "") -> Audit:
    """Load ``<data_root>/<department>/<year>`` (validated like a params file) and run every rule once."""
    import gc

    first, enabled = not _loaded_once, gc.isenabled()
    if first:  # the collector paused while the libraries and the rules load (see ``_loaded``)
        gc.disable()
    try:
        return _load(department, year, data_root)
    finally:
        if first:
            _loaded(enabled)


_loaded_once = False


def _loaded(enabled: bool) -> None:
    """After a process's first load: what the imports, the rules and the department-year left live as long as
    the kernel, so freeze it (out of every later collection, never reclaimed) and resume collecting. Each full
    collection while the charts are drawn would walk it again (≈ 0.1 s of an entry's CPU), and so would the
    collections during the load. Once per process, as ``budgetkit check`` does for its imports."""
    import gc

    global _loaded_once
    _loaded_once = True
    gc.freeze()
    if enabled:
        gc.enable()


def _load(department: str, year: int, data_root: str) -> Audit:
    from budgetkit.checks import run_rules
    from budgetkit.dataset.paths import dataset_dir
    from budgetkit.dataset.store import load_dataset
    from budgetkit.present.fonts import use_chinese_fonts

    use_chinese_fonts()
    disclosure = load_dataset(dataset_dir(department, year, data_root))
    prior = None
    try:
        prior_dir = dataset_dir(department, int(year) - 1, data_root)
        if (prior_dir / "metadata.json").is_file():
            prior = load_dataset(prior_dir)
    except BudgetkitError:
        prior = None  # a damaged prior year only costs the year-over-year parts
    location = f"{data_root or 'data'}/{department}/{year}"
    return Audit(disclosure=disclosure, checks=run_rules(disclosure, prior=prior, source=location), prior=prior,
                 location=location, department=department)


def output_names(audit: Audit) -> dict[str, str]:
    """The entry's file names, carrying the department (slug) and year: '<slug>-<year>-findings.xlsx' …"""
    from budgetkit.present.export import export_names

    return export_names(audit.department or audit.disclosure.meta.slug, audit.disclosure.meta.year)


def save(audit: Audit, outputs: str | Path = "") -> None:
    """Write the entry's files (findings .json/.csv/.xlsx, tables .xlsx) into ``outputs``; '' writes nothing.

    The runner passes its output folder, so the files hold the findings this notebook showed, written once.
    """
    if not str(outputs):
        print("未写出文件（参数 outputs 为空；批量运行时写入输出目录）")
        return
    from budgetkit.present import export

    folder = Path(outputs)
    folder.mkdir(parents=True, exist_ok=True)
    names = output_names(audit)
    export.findings_to_json(audit.checks, folder / names["json"])
    export.findings_to_csv(audit.checks, folder / names["csv"])
    export.findings_to_excel(audit.checks, folder / names["xlsx"], audit.disclosure.meta)
    export.reproduced_to_excel(audit.disclosure, folder / names["tables"], reproduced=reproduced(audit),
                               parts=reproduced_parts(audit))
    print("已写出：" + "、".join(names.values()))


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def _show(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(style() + markup))


def _amount(v, unit: str, decimals: int) -> str:
    return format_amount(None if v is None or pd.isna(v) else int(v), unit, decimals)


# ---------------------------------------------------------------- overview and findings


def overview_html(audit: Audit) -> str:
    d, counts = audit.disclosure, audit.checks.counts()
    meta = d.meta
    facts = [
        ("部门", meta.department), ("部门代码", meta.department_code), ("年度", meta.year),
        ("数据", audit.location), ("格式", audit.template.name), ("源文件", meta.source_file.split("/")[-1]),
        ("源文件 SHA-256", meta.source_sha256), ("表格", f"{len(d.tables)} 张"),
        ("绩效目标表", f"{len(d.forms)} 张"),
        ("情况说明句子", f"{len(d.narrative.sentences) if d.narrative else 0} 句"),
        ("上年数据", f"{audit.prior.meta.year} 年" if audit.prior else "无（同比只能按文字核对）"),
        ("抽取说明", f"{len(d.notes)} 条"),
    ]
    sev_rows = [[SEVERITY_CN[s], counts["severity"][s]] for s in SEVERITIES]
    sev_css = [background(s) if counts["severity"][s] else "" for s in SEVERITIES]
    st_rows = [[STATUS_CN[s], counts["status"][s]] for s in STATUSES]
    return ("<h3>概况</h3>" + table("facts", ["项目", "内容"], [list(f) for f in facts])
            + "<h3>发现汇总</h3>" + table("severity_counts", ["严重程度", "发现数"], sev_rows, sev_css)
            + table("status_counts", ["规则状态", "规则数"], st_rows))


def finding_lists(audit: Audit):
    """(errors and warnings, rounding and confirmations) as the auditor's rows, each numbered from 1."""
    from budgetkit.present.finding_rows import finding_rows, split_attention

    return split_attention(finding_rows(audit.checks.findings, audit.checks.template))


def findings_frame(audit: Audit) -> pd.DataFrame:
    """The errors and warnings, errors first, then by table, with the auditor's Chinese columns."""
    from budgetkit.present.finding_rows import COLUMNS

    attention, _ = finding_lists(audit)
    return pd.DataFrame([r.cells() for r in attention], columns=COLUMNS)


def _rows_table(id: str, rows) -> str:
    from budgetkit.present.finding_rows import COLUMNS, VALUE_COLUMNS

    value_at = {COLUMNS.index(c): k for k, c in enumerate(VALUE_COLUMNS)}

    def right(r, j: int) -> bool:  # 序号 and the values that are numbers
        return j == 0 or (j in value_at and r.values[value_at[j]].is_number)

    css = [[NUMBER if right(r, j) else "" for j in range(len(COLUMNS))] for r in rows]
    return table(id, COLUMNS, [r.cells() for r in rows], [background(r.finding.severity) for r in rows], css)


def findings_html(audit: Audit) -> str:
    """What needs attention (errors, warnings) listed; rounding differences and confirmations folded away below."""
    attention, other = finding_lists(audit)
    out = [f"<h3>发现清单（{len(attention)} 条）</h3>"]
    out.append(_rows_table("findings", attention) if attention else "<p>没有错误或警告（所有适用规则均通过）。</p>")
    if other:
        out.append(f"<details><summary><b>尾差与核对一致的提示（{len(other)} 条）</b>：四舍五入可以解释的差额，"
                   "以及核对一致或未能核对的说明，不需要处理</summary>" + _rows_table("other_findings", other)
                   + "</details>")
    return "".join(out)


def rules_html(audit: Audit) -> str:
    from budgetkit.present.export import status_frame, status_severity

    frame = status_frame(audit.checks)
    css = [background(s) for s in status_severity(audit.checks)]
    return f"<h3>规则状态（{len(frame)} 条规则）</h3>" + frame_table("rules", frame, css)


def overview(audit: Audit) -> None:
    """The department-year, counts by severity and rule status."""
    _show(overview_html(audit))


def findings(audit: Audit) -> None:
    """Every finding with where it is and by how much, then every rule's status."""
    _show(findings_html(audit) + rules_html(audit))


def checklist_html(audit: Audit) -> str:
    from budgetkit.present.checklist import checklist_html as form

    return form(audit.checks, audit.disclosure.meta)


def checklist(audit: Audit) -> None:
    """The inspection checklist (公开情况检查表): each item 是 / 否 with its problems / 未核对 with why."""
    _show(checklist_html(audit))


# ---------------------------------------------------------------- tables


def reproduced(audit: Audit) -> dict[str, pd.DataFrame]:
    from budgetkit.checks.reproduce import reproduce_all

    if "reproduced" not in audit.cache:
        audit.cache["reproduced"] = reproduce_all(audit.disclosure)
    return audit.cache["reproduced"]


def reproduced_parts(audit: Audit) -> dict[str, dict[str, list[dict]]]:
    """Each reproduced table's rows as dicts, by part (``frames.by_part``): walked by the tables section and
    again by the tables workbook, so built once."""
    if "reproduced_parts" not in audit.cache:
        audit.cache["reproduced_parts"] = {t: by_part(frame) for t, frame in reproduced(audit).items()}
    return audit.cache["reproduced_parts"]


def _label_with_indent(text: str, level: int) -> str:
    return "\u3000" * max(0, int(level)) + str(text)


def table_html(audit: Audit, table_id: str) -> str:
    """One table in printed layout: printed values; where a sum differs, the recomputed value and the difference."""
    from budgetkit.checks.reproduce import amount_columns

    d = audit.disclosure
    spec = audit.template.table(table_id)
    table_ = d.table(table_id)
    head = f"<h3>{spec.label} {_e(spec.title)}</h3>"
    if table_ is None:
        return head + "<p><b>公开文件中没有找到此表。</b></p>"
    year = table_.printed_year or d.meta.year
    sub = f"<p>部门名称：{_e(table_.printed_department)}　单位：{_e(table_.unit)}"
    if table_.declared_empty:
        sub += "　<b>注：本表无数据</b>（公开文件声明）"
    out = [head, sub + "</p>"]
    rep = reproduced(audit).get(table_id)
    parts = reproduced_parts(audit).get(table_id, {})
    amounts = set(amount_columns(rep)) if rep is not None else set()
    for part in spec.parts:
        block = parts.get(part.key)
        if not block:
            continue
        cols = [c for c in part.amounts if c.key in amounts]
        indent_key = part.indent_key
        headers = [c.header for c in part.labels] + [c.printed(year) for c in cols]
        weight = ["font-weight: bold" if rec["kind"] in (SUBTOTAL, TOTAL) else "" for rec in block]
        rows, css, diffs = [], [], []
        for r, rec in enumerate(block):
            cells = [_label_with_indent(rec[c.key], rec["level"]) if c.key == indent_key else rec[c.key]
                     for c in part.labels]
            styles = [weight[r]] * len(part.labels)
            for c in cols:
                printed = _amount(rec[c.key], table_.unit, table_.decimals)
                status = rec[f"{c.key}_status"]
                if status in ("rounding", "error"):
                    recomputed = _amount(rec[f"{c.key}_recomputed"], table_.unit, table_.decimals)
                    diff = _amount(rec[f"{c.key}_diff"], table_.unit, table_.decimals)
                    cells.append(f"{printed}\n重算 {recomputed}（差 {diff}）")
                    styles.append(";".join(x for x in (background(status), weight[r], NUMBER) if x))
                    diffs.append([rec["label"], c.printed(year), rec[f"{c.key}_relation"], printed, recomputed, diff,
                                  STATUS_TEXT[status]])
                else:
                    cells.append(printed)
                    styles.append(";".join(x for x in (weight[r], NUMBER) if x))
            rows.append(cells)
            css.append(styles)
        if part.name and len(spec.parts) > 1:
            out.append(f"<h4>{_e(part.name)}</h4>")
        out.append(table(f"{table_id}_{part.key}", headers, rows, cell_css=css))
        if diffs:
            out.append(f"<p>与重算不一致的单元格（{len(diffs)} 处）：</p>"
                       + table(f"{table_id}_{part.key}_diffs", ["行", "列", "应等于", "公开数", "重算数", "差额", "判定"],
                               diffs))
        else:
            out.append("<p>所有合计/小计与重算一致。</p>")
    return "".join(out)


def tables(audit: Audit) -> None:
    """Every table of the format reproduced from its leaf rows, in the document's order, as one output (one
    message for the kernel to send and the runner to validate, one style block, instead of one per table)."""
    _show("".join(table_html(audit, table_id) for table_id in audit.template.table_ids))


# ---------------------------------------------------------------- narrative


def _compared(audit: Audit, family: str) -> list[tuple[str, Comparison]]:
    """(rule id, comparison) of every rule of a family, in rule order."""
    from budgetkit.checks.engine import rules_for

    ids = {r.id for r in rules_for(audit.template) if r.family == family}
    return [(res.rule, c) for res in audit.checks.results if res.rule in ids for c in res.compared]


def claims_frame(audit: Audit) -> pd.DataFrame:
    """Every claim a narrative rule checked, in text order: the words, what it was held against, the verdict."""
    rows = []
    for rule, c in _compared(audit, "narrative"):
        if not c.key.startswith("claim:"):
            continue
        rows.append((int(c.key.split(":")[1]), [c.location, c.kind, c.subject, c.text, c.written, c.against,
                                                VERDICT_CN.get(c.verdict, c.verdict), c.note]))
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame([r for _, r in rows],
                        columns=["位置", "类型", "所指", "原文", "公开数", "重算/表格数", "判定", "说明"])


def narrative_html(audit: Audit) -> str:
    """Each numeric claim next to the value it was checked against, then the generated standard sentences."""
    if audit.disclosure.narrative is None:
        return "<p><b>公开文件中没有找到情况说明。</b></p>"
    frame = claims_frame(audit)
    verdict_fill = {SEVERITY_CN[s]: FILL[s] for s in SEVERITIES}
    row_css = [f"background: {verdict_fill[v]}" if v in verdict_fill else "" for v in frame["判定"]]
    return f"<h3>情况说明中的数字（{len(frame)} 处）</h3>" + frame_table("claims", frame, row_css)


def generated_html(audit: Audit) -> str:
    """The narrative's sections as written next to the standard text generated from the tables, and whether
    they state the same numbers (相同 / 仅措辞不同 / 另有数字 / 数字不同)."""
    from budgetkit.present.generate import side_by_side

    frame = side_by_side(audit.disclosure).rename(columns={
        "section": "节", "heading": "标题", "written": "公开的文字", "should_be": "按表格生成的标准表述",
        "verdict": "对照", "numbers": "数字差异"}).drop(columns=["same"])
    return ("<h3>按表格生成的标准表述（与公开文字对照）</h3>"
            "<p>“对照”比较两段文字所写的金额和百分比：仅措辞不同 = 数字相同；另有数字 = 公开文字还写了表格以外的数字"
            "（如与上年比较）；数字不同 = 标准表述中的数字在公开文字中没有。</p>" + frame_table("generated", frame))


def narrative(audit: Audit) -> None:
    """Numeric claims recomputed, then the generated standard sentences side by side."""
    _show(narrative_html(audit) + generated_html(audit))


# ---------------------------------------------------------------- performance forms


def forms_frame(audit: Audit) -> pd.DataFrame:
    """Each project next to its performance form, as the forms rules paired and compared them (table order)."""
    projects = audit.template.by_role("projects")
    label = projects.label if projects else "项目表"
    unit = audit.disclosure.table(projects.id).unit if projects and audit.disclosure.table(projects.id) else "万元"
    rows = []
    for _rule, c in _compared(audit, "forms"):
        v = c.values
        project = "" if v.get("project") is None else _amount(v["project"], v.get("unit", unit), v.get("decimals", 2))
        annual = v.get("annual")
        diff = "" if annual is None or v.get("project") is None else _amount(annual - v["project"], "元", 2)
        shown = c.note or {"ok": "一致", "rounding": "尾差"}.get(c.verdict, "不一致")
        rows.append((v.get("position", 10**6), c.location,
                     [c.subject, project, c.location, _amount(annual, "元", 2), diff, shown]))
    rows.sort(key=lambda r: (r[0], r[1]))
    return pd.DataFrame([r for *_, r in rows],
                        columns=["项目", f"{label} 合计（{unit}）", "绩效目标表", "年度资金总额（元）", "差额（元）", "判定"])


def forms_html(audit: Audit) -> str:
    if not audit.disclosure.forms:
        return _no_forms_html(audit)
    frame = forms_frame(audit)
    css = [background("error") if s not in ("一致", "尾差") else "" for s in frame["判定"]]
    label = audit.template.by_role("projects").label if audit.template.by_role("projects") else "项目表"
    out = [f"<h3>项目支出绩效目标表与{label}（{len(audit.disclosure.forms)} 张表单）</h3>",
           frame_table("forms", frame, css)]
    from budgetkit.checks.engine import rules_for
    from budgetkit.present.finding_rows import finding_rows

    families = {r.id: r.family for r in rules_for(audit.template)}
    form_findings = [f for f in audit.checks.findings if families.get(f.rule) == "forms"]
    if form_findings:
        rows = finding_rows(form_findings, audit.checks.template)
        out.append(f"<h4>绩效目标表的发现（{len(rows)} 条）</h4>" + _rows_table("form_findings", rows))
    else:
        out.append("<p>绩效目标表规则没有发现问题。</p>")
    return "".join(out)


def _no_forms_html(audit: Audit) -> str:
    """A document without performance forms: say so, and how the form rules ended (as the engine decided)."""
    from budgetkit.checks.engine import rules_for

    title = audit.template.form_title if audit.template.form_title.endswith("表") else audit.template.form_title + "表"
    families = {r.id: (r.family, r.name) for r in rules_for(audit.template)}
    rows = [{"规则": rid, "规则名称": families[rid][1], "状态": STATUS_CN[res.status], "原因": res.reason}
            for rid, res in ((x.rule, x) for x in audit.checks.results) if families.get(rid, ("",))[0] == "forms"]
    return (f"<h3>{html.escape(title)}</h3><p>本文件没有{html.escape(title)}，以下规则均未核对：</p>"
            + frame_table("form_rules", pd.DataFrame(rows, columns=["规则", "规则名称", "状态", "原因"])))


def forms(audit: Audit) -> None:
    _show(forms_html(audit))


# ---------------------------------------------------------------- charts


def chart_images(audit: Audit) -> list[tuple[str, bytes | None, str]]:
    """(chart name, PNG bytes or None, note) for every chart, year-over-year last."""
    from budgetkit.present import charts as ch

    out = []
    for name, make in ch.charts_for(audit.disclosure, audit.prior):
        try:
            out.append((name, ch.png_bytes(make()), ""))
        except ch.ChartDataMissing as exc:
            out.append((name, None, exc.one_line()))
    return out


def charts(audit: Audit) -> None:
    from IPython.display import Image, display

    from budgetkit.present.charts import chart_title

    for name, png, note in chart_images(audit):
        _show(f"<h3>{_e(chart_title(audit.disclosure, name))}</h3>" + (f"<p>{_e(note)}</p>" if png is None else ""))
        if png is not None:
            display(Image(data=png, format="png"))
