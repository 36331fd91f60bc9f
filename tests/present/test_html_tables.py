"""The report's tables are the markup the Jinja2 macro they replaced gave (kept here as the reference)."""

from __future__ import annotations

import random
from decimal import Decimal

import jinja2
from markupsafe import Markup

from budgetkit.present import html

MACRO = '''{#- One table: `columns` (headers), `rows` (lists of cell texts), optional per-row and per-cell CSS. -#}
{%- macro table(id, columns, rows, row_css=None, cell_css=None) -%}
<table id="T_{{ id }}">
<thead><tr>{% for c in columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{%- for row in rows %}
{%- set r = loop.index0 %}
<tr{% if row_css and row_css[r] %} style="{{ row_css[r] }}"{% endif %}>{% for v in row %}<td{% if cell_css and cell_css[r][loop.index0] %} style="{{ cell_css[r][loop.index0] }}"{% endif %}>{{ v }}</td>{% endfor %}</tr>
{%- endfor %}
</tbody>
</table>
{%- endmacro -%}
'''
ENV = jinja2.Environment(loader=jinja2.DictLoader({"table": MACRO}), autoescape=True)


def by_macro(id, columns, rows, row_css=None, cell_css=None) -> str:
    rows = [["" if v is None else v for v in row] for row in rows]
    return str(ENV.get_template("table").module.table(id, list(columns), rows, row_css, cell_css))


VALUES = ["", None, 0, 7, -3, 1.5, Decimal("1716.70"), "一般公共预算", "a & b", "<b>", '"引号"', "it's", "行一\n行二",
          "　缩进", Markup("<i>ok</i>"), "≤12.17%"]
CSS = ["", None, "background: #ffc7ce", "text-align: right; white-space: nowrap", 'font-family: "x"']


def test_random_tables_are_the_macro_s():
    rng = random.Random(14)
    for _ in range(400):
        n_cols, n_rows = rng.randint(0, 5), rng.randint(0, 6)
        columns = [rng.choice(VALUES[7:]) for _ in range(n_cols)]
        rows = [[rng.choice(VALUES) for _ in range(n_cols)] for _ in range(n_rows)]
        row_css = rng.choice([None, [], [rng.choice(CSS) for _ in rows]])
        cell_css = rng.choice([None, [], [[rng.choice(CSS) for _ in row] for row in rows]])
        tid = rng.choice(["findings", "T3_main", 'x"&<'])
        assert html.table(tid, columns, rows, row_css, cell_css) == by_macro(tid, columns, rows, row_css, cell_css)


def test_the_report_s_tables_are_the_macro_s(monkeypatch):
    """Every section of the shipped entry, rendered through the macro and through ``html.table`` (the checklist
    and ``frame_table`` look ``html.table`` up when called)."""
    from budgetkit.present import report

    audit = report.load("changzhishi-tunliuqu-caizhengju", 2024)
    sections = [report.overview_html, report.findings_html, report.rules_html, report.checklist_html,
                report.narrative_html, report.generated_html, report.forms_html,
                lambda a: "".join(report.table_html(a, t) for t in a.template.table_ids)]
    now = [f(audit) for f in sections]
    monkeypatch.setattr(report, "table", by_macro)
    monkeypatch.setattr(html, "table", by_macro)
    assert [f(audit) for f in sections] == now


def test_style_block_is_the_template_rendered():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(html.templates_dir())), autoescape=True)
    assert html.style() == env.get_template("style.html.j2").render()
