"""Page furniture: page numbers and running headers/footers, which are not the document's text.

Both live in the page's top or bottom margin band. A page number is a line that
is only a number in a page-number dress ("- 12 -", "第3页", "3/25", "iv").
A running header/footer is a margin line printed on at least RUNNING_MIN_PAGES
pages once digits are ignored ("…2024年度部门决算 12"). Table titles (…表) are
never furniture: a title repeated on every page of a long table is the table's.
"""

from __future__ import annotations

import re
from collections import defaultdict

MARGIN_BAND = 0.08  # share of the page height at the top and at the bottom
RUNNING_MIN_PAGES = 3

PAGE_NUMBER = re.compile(
    r"^[-－—–‐_·•\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-－—–‐_·•\s]*$"
    r"|^[-－—–‐\s]*[ivxlcIVXLC]{1,7}[-－—–‐\s]*$"
)


def _band(top: float, bottom: float, height: float) -> str | None:
    if bottom <= height * MARGIN_BAND:
        return "top"
    if top >= height * (1 - MARGIN_BAND):
        return "bottom"
    return None


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def furniture(pages: list[tuple[float, list]]) -> set[tuple[int, int]]:
    """(page index, line index) of every furniture line.

    ``pages`` is, per page, (page height, lines) where a line has ``top``,
    ``bottom`` and ``text``.
    """
    found: set[tuple[int, int]] = set()
    shapes: dict[tuple[str, str], set[int]] = defaultdict(set)
    where: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for p, (height, lines) in enumerate(pages):
        for i, line in enumerate(lines):
            band = _band(line.top, line.bottom, height)
            if band is None:
                continue
            text = line.text.strip()
            if PAGE_NUMBER.match(text):
                found.add((p, i))
                continue
            if text.endswith("表"):
                continue
            key = (band, _shape(text))
            shapes[key].add(p)
            where[key].append((p, i))
    for key, on_pages in shapes.items():
        if len(on_pages) >= RUNNING_MIN_PAGES:
            found.update(where[key])
    return found
