"""The report's HTML: its tables (``table``), their style block, and the executed notebook as a page
(nbconvert's Jinja2 with ``present/templates/notebook.html.j2``).

A table is a few lines of string building, not a Jinja2 macro: in the kernel, Jinja2's import and the
macro's compilation cost more than all the tables of a report (≈ 50 ms of an entry's CPU). The markup is
the one the macro gave (``tests/present/test_html_tables.py`` renders both).

Output is deterministic (fixed table ids, no dates, no addresses) so that nbval can compare it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

#: Row and cell colours by severity (the same in HTML and Excel).
FILL = {"error": "#ffc7ce", "warning": "#ffd8a8", "rounding": "#ffeb9c", "info": "#ddebf7"}


def templates_dir() -> Path:
    return Path(str(resources.files("budgetkit.present").joinpath("templates")))


def _at(items, i):
    """``items[i]``, or '' past its end or when there are no items (the macro's undefined, falsy)."""
    return items[i] if items is not None and i < len(items) else ""


def table(id: str, columns: list[str], rows: list[list], row_css: list[str] | None = None,
          cell_css: list[list[str]] | None = None) -> str:
    """A table with a fixed id (``T_<id>``), cells escaped, optional per-row and per-cell CSS."""
    from markupsafe import escape

    out = [f'<table id="T_{escape(id)}">\n<thead><tr>', *(f'<th scope="col">{escape(c)}</th>' for c in columns),
           "</tr></thead>\n<tbody>"]
    for r, row in enumerate(rows):
        css = _at(row_css, r)
        out.append(f'\n<tr style="{escape(css)}">' if css else "\n<tr>")
        cells = _at(cell_css, r)
        for j, v in enumerate(row):
            css = _at(cells, j) if cells else ""
            v = "" if v is None else v
            out.append(f'<td style="{escape(css)}">{escape(v)}</td>' if css else f"<td>{escape(v)}</td>")
        out.append("</tr>")
    out.append("\n</tbody>\n</table>")
    return "".join(out)


_NUMBER_TEXT = re.compile(r"^[≤<]?[+-]?[\d,]+(\.\d+)?%?$")


def is_number(v) -> bool:
    """A cell that reads as a number (an int, or text such as '1,716.73' or '12.17%'): shown right-aligned."""
    if isinstance(v, bool):
        return False
    return isinstance(v, (int, float, Decimal)) or (isinstance(v, str) and bool(_NUMBER_TEXT.match(v)))


def frame_table(id: str, frame, row_css: list[str] | None = None, cell_css=None) -> str:
    """A pandas frame as a table (its columns as headers, NaN as blank); numbers right-aligned unless ``cell_css``."""
    rows = [[("" if _blank(v) else v) for v in rec] for rec in frame.itertuples(index=False)]
    if cell_css is None:
        cell_css = [[NUMBER if is_number(v) else "" for v in row] for row in rows]
    return table(id, list(frame.columns), rows, row_css, cell_css)


def _blank(v) -> bool:
    try:
        return v is None or v != v or str(v) == "<NA>"
    except TypeError:  # pd.NA
        return True


@lru_cache(maxsize=1)
def style() -> str:
    """The tables' style block (``templates/style.html.j2``, plain CSS), without its final newline."""
    text = (templates_dir() / "style.html.j2").read_text(encoding="utf-8")
    return text[:-1] if text.endswith("\n") else text


#: Inline style of a cell holding a number (amounts read right-aligned; text stays left).
NUMBER = "text-align: right; white-space: nowrap"


def background(severity: str | None) -> str:
    return f"background: {FILL[severity]}" if severity in FILL else ""


#: What nbconvert's HTMLExporter adds after rendering (alt text on images, keyboard focus on cells and outputs).
MISSING_ALT = "No description has been provided for this image"
#: An image tag's attributes are matched greedily: a lazy match stops at every character of an embedded chart's
#: base64 data (hundreds of KB) to try the tag's end there.
_IMG = re.compile(r"<img\b([^>]*)>")
_ALT = re.compile(r"\balt\s*=")
_FOCUSABLE_DIV = re.compile(r'<div\b([^>]*\bclass="([^"]*)"[^>]*?)(\s*/?)>')
_FOCUSABLE = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}


def _accessible(page: str) -> str:
    """The page as nbconvert's HTMLExporter finishes it, without re-parsing it with BeautifulSoup (half the
    export time): ``alt`` on every image that lacks one, ``tabindex="0"`` on input wrappers and outputs."""

    def img(m: re.Match) -> str:
        attrs = m.group(1)
        if "alt" in attrs and _ALT.search(attrs):  # the substring test first: it skips the data at C speed
            return m.group(0)
        bare = attrs[:-1] if attrs.endswith("/") else attrs  # alt goes before the tag's closing (space and) slash
        end = len(bare.rstrip())
        return f'<img{attrs[:end]} alt="{MISSING_ALT}"{attrs[end:]}>'

    def div(m: re.Match) -> str:
        if not _FOCUSABLE & set(m.group(2).split()) or re.search(r"\btabindex\s*=", m.group(1)):
            return m.group(0)
        return f'<div{m.group(1)} tabindex="0"{m.group(3)}>'

    return _FOCUSABLE_DIV.sub(div, _IMG.sub(img, page))


@lru_cache(maxsize=1)
def page_exporter():
    """One HTML exporter per process (building it loads nbconvert's templates and lab theme each time)."""
    import jinja2
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(HTMLExporter):
        """HTMLExporter.from_notebook_node with its BeautifulSoup pass replaced by ``_accessible``; the notebook is
        validated once when read, not again after each of nbconvert's (here idle) preprocessors."""

        def _validate_preprocessor(self, nbc, preprocessor):
            pass

        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code",
                                 self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _accessible(page), resources

    return PageExporter(template_name="lab", template_file="notebook.html.j2",
                        extra_loaders=[jinja2.FileSystemLoader(str(templates_dir()))],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def notebook_html(executed: Path, target: Path, nb=None) -> Path:
    """An executed notebook as a self-contained HTML page with the code hidden (images embedded).

    ``nb``: the notebook as written to ``executed`` (papermill returns it), so it is not read back."""
    import nbformat

    if nb is None:
        nb = nbformat.read(str(executed), as_version=4)
    body, _ = page_exporter().from_notebook_node(nb, resources={"metadata": {"name": executed.stem}})
    target.write_text(body, encoding="utf-8")
    return target
