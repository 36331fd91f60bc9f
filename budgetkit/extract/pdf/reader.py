"""read_pdf: a PDF file → PdfDocument (ruled tables as grids, the rest as text lines).

Pages are read one at a time and released, so memory follows the largest page,
not the document. Refusals (see opening.py) happen before any page is parsed; a
file whose first pages carry images but no characters is refused as scanned
after those pages, not after the whole file.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from budgetkit.core.errors import NotADisclosure
from budgetkit.extract.pdf.assemble import PageLayout, assemble
from budgetkit.extract.pdf.furniture import furniture
from budgetkit.extract.pdf.grid import find_grids
from budgetkit.extract.pdf.lines import build_lines
from budgetkit.extract.pdf.model import PdfDocument
from budgetkit.extract.pdf.opening import check_file, close_quietly, open_pdf, refuse
from budgetkit.extract.pdf.parsing import PageTooComplex, parse_page
from budgetkit.extract.pdf.surroundings import UNIT

SCAN_PROBE_PAGES = 10  # this many leading pages without a single character: a scan
TIME_BUDGET_SECONDS = 300.0


def _page_ranges(numbers: list[int]) -> str:
    out, start, prev = [], None, None
    for n in numbers + [None]:
        if start is None:
            start = prev = n
        elif n is not None and n == prev + 1:
            prev = n
        else:
            out.append(str(start) if start == prev else f"{start}-{prev}")
            start = prev = n
    return ", ".join(out)


def _scanned(path: Path, pages: int, images: int) -> NotADisclosure:
    if images:
        return refuse(path, f"scanned: no text layer (the first {pages} pages are images only; OCR it first)")
    return refuse(path, f"no text layer: the first {pages} pages are blank")


def read_pdf(path: str | Path) -> PdfDocument:
    """Read every ruled table (as a grid) and every other line (as text) of a PDF.

    Raises ``budgetkit.core.errors.NotADisclosure`` with a one-line message for files
    that cannot be read: not a PDF (a Word file renamed …), damaged or truncated,
    encrypted, scanned without a text layer, or more than ``MAX_PAGES`` pages.
    """
    path = Path(path)
    check_file(path)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    layouts: list[PageLayout] = []
    warnings: list[str] = []
    without_text: list[int] = []
    image_pages_without_text: list[int] = []
    glyphs = images = 0
    pdf = open_pdf(path)
    try:
        pages = pdf.pages
        for index, page in enumerate(pages):
            number = index + 1
            try:
                content = parse_page(pdf, page, deadline)
                grids, outside = find_grids(page, content)
            except PageTooComplex as exc:
                raise refuse(path, f"page {number}: {exc}") from None
            except Exception as exc:  # pdfminer/pdfplumber raise many private types on damaged pages
                raise refuse(path, f"damaged PDF: page {number} unreadable ({type(exc).__name__})") from None
            glyphs += len(content.glyphs)
            images += content.images
            if not content.glyphs:
                without_text.append(number)
                if content.images:
                    image_pages_without_text.append(number)
            if glyphs == 0 and number == min(SCAN_PROBE_PAGES, len(pages)):
                raise _scanned(path, number, images)
            layouts.append(PageLayout(number, content.width, content.height, build_lines(outside), grids))
            page.close()
            if time.monotonic() > deadline:
                raise refuse(path, f"reading took longer than {TIME_BUDGET_SECONDS:.0f} s (stopped at page {number})")
    finally:
        close_quietly(pdf)
    drop = furniture([(p.height, p.lines) for p in layouts])
    for p_index, layout in enumerate(layouts):
        layout.lines = [line for i, line in enumerate(layout.lines) if (p_index, i) not in drop]
    tables, text = assemble(layouts)
    if image_pages_without_text:
        warnings.append(f"pages {_page_ranges(image_pages_without_text)} are images without text (scanned?): their content is not read")
    for line in text:
        if UNIT.fullmatch(line.text.strip()):
            warnings.append(f"page {line.page}: '{line.text.strip()}' is printed but no ruled table follows it (a table without rules is read as text)")
    return PdfDocument(path, len(layouts), tables, text, warnings, without_text)
