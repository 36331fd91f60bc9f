"""The report page of an executed notebook is the page nbconvert's own HTMLExporter makes (same document tree),
though built without its BeautifulSoup pass; no kernel needed: the notebook's outputs are written by hand."""

from __future__ import annotations

import base64

import jinja2
import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from budgetkit.present import html

# a 1×1 PNG
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000 1f15c4890000000d49444154789c6360000002"
    "00000105a5b1d8d00000000049454e44ae426082".replace(" ", ""))).decode()


def executed_notebook() -> nbformat.NotebookNode:
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell("# 标题\n\n说明 <span style=\"background:#ffc7ce\">红色</span>"),
        v4.new_code_cell("report.overview(audit)", execution_count=1, outputs=[
            v4.new_output("display_data", data={"text/html": "<h3>概况</h3><table id=\"T_facts\"><tr><td>部门"
                                                              "</td></tr></table>", "text/plain": "<HTML>"})]),
        v4.new_code_cell("report.charts(audit);", execution_count=2, outputs=[
            v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Image>"}),
            v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Image>"},
                          metadata={"image/png": {"width": 40}}),
            v4.new_output("display_data", data={"text/html": "<img alt=\"已有说明\" src=\"x.png\">"}),
            v4.new_output("stream", name="stdout", text="已写出：a.json\n")]),
    ]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    return nb


def nbconvert_page(nb) -> str:
    exporter = HTMLExporter(template_name="lab", template_file="notebook.html.j2",
                            extra_loaders=[jinja2.FileSystemLoader(str(html.templates_dir()))],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    return exporter.from_notebook_node(nb, resources={"metadata": {"name": "report"}})[0]


def test_page_has_the_same_tree_as_nbconvert_makes(tmp_path):
    nb = executed_notebook()
    path = tmp_path / "report.ipynb"
    nbformat.write(nb, str(path))
    page = html.notebook_html(path, tmp_path / "report.html").read_text(encoding="utf-8")
    assert str(BeautifulSoup(page, features="html.parser")) == nbconvert_page(nbformat.read(str(path), as_version=4))
    soup = BeautifulSoup(page, features="html.parser")
    assert [img.get("alt") for img in soup.find_all("img")] == [html.MISSING_ALT, html.MISSING_ALT, "已有说明"]
    assert all(div.get("tabindex") == "0" for div in soup.select("div.jp-OutputArea-output"))
    assert "<span style=\"background:#ffc7ce\">红色</span>" in page and "T_facts" in page


def test_exporter_is_reused_and_pages_do_not_leak_into_each_other(tmp_path):
    nb = executed_notebook()
    path = tmp_path / "report.ipynb"
    nbformat.write(nb, str(path))
    first = html.notebook_html(path, tmp_path / "a.html").read_text(encoding="utf-8")
    second = html.notebook_html(path, tmp_path / "b.html").read_text(encoding="utf-8")
    assert html.page_exporter() is html.page_exporter()
    assert first == second
