"""The one HTML renderer: Jinja2 templates in ``present/templates`` — the report's tables, and the executed
notebook as a page (nbconvert renders with the same Jinja2).

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


@lru_cache(maxsize=None)
def environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir())), autoescape=True)


def table(id: str, columns: list[str], rows: list[list], row_css: list[str] | None = None,
          cell_css: list[list[str]] | None = None) -> str:
    """A table with a fixed id (``T_<id>``), cells escaped, optional per-row and per-cell CSS."""
    macro = environment().get_template("table.html.j2").module.table
    rows = [["" if v is None else v for v in row] for row in rows]
    return str(macro(id, list(columns), rows, row_css, cell_css))


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


def style() -> str:
    return environment().get_template("style.html.j2").render()


#: Inline style of a cell holding a number (amounts read right-aligned; text stays left).
NUMBER = "text-align: right; white-space: nowrap"


def background(severity: str | None) -> str:
    return f"background: {FILL[severity]}" if severity in FILL else ""


def notebook_html(executed: Path, target: Path) -> Path:
    """An executed notebook as a self-contained HTML page with the code hidden (images embedded)."""
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file="notebook.html.j2",
                            extra_loaders=[jinja2.FileSystemLoader(str(templates_dir()))],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    nb = nbformat.read(str(executed), as_version=4)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": executed.stem}})
    target.write_text(body, encoding="utf-8")
    return target
