"""`budgetkit run` on a Shanghai department-year extracted from its PDF: the same report notebook,
executed by papermill on the 'budgetkit' kernel, its sections laid out by the Shanghai template.

The 万里街道 2024 department budget (and its 2023 one, for the year over year) are extracted with
``budgetkit extract`` into a temporary project; a params YAML names the department-year. Expected:
exit 0, the executed notebook without an error cell, the HTML report and the findings workbook; the
report shows the Shanghai format's nine tables (表1 财务收支预算总表 … 表9 “三公”经费和机关运行经费预算表,
as in the PDF's 目录, p2) and its checklist items, and none of the Shanxi format's table names.
"""

from __future__ import annotations

import json
import re

import pytest
from project_files import SAMPLES

from budgetkit.core.template import load_template
from budgetkit.run.cli import main

pytestmark = pytest.mark.slow  # extracts two PDFs and executes the notebook on a Jupyter kernel (~1.5 min)

SLUG, YEAR = "wanli", 2024
SHANGHAI, SHANXI = "shanghai-district-budget", "shanxi-county-13"


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("pdf-project")
    (root / "params").mkdir()
    for year in (YEAR - 1, YEAR):
        pdf = SAMPLES / f"shanghai-putuo-wanli-{year}-dept-budget.pdf"
        assert pdf.is_file(), f"development PDF missing: {pdf}"
        assert main(["extract", str(pdf), "--out", str(root / "data" / SLUG / str(year)), "--slug", SLUG]) == 0
    params = root / "params" / f"{SLUG}-{YEAR}.yaml"
    params.write_text(f'department: "{SLUG}"\nyear: {YEAR}\n', encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("BUDGETKIT_HOME", str(root))
    out = root / "out"
    code = main(["run", str(params), "--out", str(out)])
    yield code, out / f"{SLUG}-{YEAR}"
    mp.undo()


def test_run_writes_notebook_html_and_workbooks(run_out):
    code, folder = run_out
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert code == 0 and run["status"] == "ok", run.get("failed")
    assert run["template"] == SHANGHAI
    name = f"{SLUG}-{YEAR}"
    assert {"report.ipynb", "report.html", f"{name}-findings.json", f"{name}-findings.csv",
            f"{name}-findings.xlsx", f"{name}-tables.xlsx"} <= {p.name for p in folder.iterdir()}
    notebook = json.loads((folder / "report.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in notebook["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_findings_workbook_names_the_department(run_out):
    import openpyxl

    _, folder = run_out
    book = openpyxl.load_workbook(folder / f"{SLUG}-{YEAR}-findings.xlsx", read_only=True)
    assert {"发现", "公开情况检查表", "规则状态"} <= set(book.sheetnames)
    top = " ".join(str(v) for row in book["发现"].iter_rows(max_row=3, values_only=True) for v in row if v)
    assert "上海市普陀区人民政府万里街道办事处" in top and "shanghai-putuo-wanli-2024-dept-budget.pdf" in top
    found = json.loads((folder / f"{SLUG}-{YEAR}-findings.json").read_text(encoding="utf-8"))["findings"]
    rows = [r for r in book["发现"].iter_rows(min_row=6, values_only=True) if isinstance(r[0], int)]
    assert len(rows) == len([f for f in found if f["severity"] in ("error", "warning")])


def test_report_sections_follow_the_shanghai_format(run_out):
    _, folder = run_out
    page = (folder / "report.html").read_text(encoding="utf-8")
    shanghai, shanxi = load_template(SHANGHAI), load_template(SHANXI)
    headings = re.findall(r"<h3[^>]*>(表\d+ [^<]*)</h3>", page)
    assert headings == [f"{shanghai.table(t).label} {shanghai.table(t).title}" for t in shanghai.table_ids]
    shanghai_titles = {shanghai.table(t).title for t in shanghai.table_ids}
    for t in shanxi.table_ids:
        title = shanxi.table(t).title
        if title not in shanghai_titles:  # e.g. 表13 项目支出预算表（上年结转）: neither a section nor a missing table
            assert f"{shanxi.table(t).label} {title}" not in page and f"《{title}》" not in page, title
    assert f"{YEAR}年度部门预算公开情况检查表" in page
    for item in shanghai.checklist["items"]:
        if "item" in item:
            assert item["item"] in page, item
    assert "与上年对比" in page  # the 2023 dataset in the same data root gives the year-over-year chart
