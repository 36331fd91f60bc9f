"""Probe: could PDFium (pypdfium2, installed with pdfplumber) read our glyphs? Speed and differences.

    .venv/bin/python benchmarks/bench_pdf_pdfium.py [--only SUBSTRING]

For every development PDF, in one run: CPU seconds of reading every page with
our reader (``parsing.parse_page``: glyphs and rules) and of reading only the
characters with PDFium's text page, then how PDFium's characters differ from
ours, by kind: pages where the characters differ in number (PDFium drops space
glyphs and ignores clipping), in order, or in a box by more than 0.01 pt.
Spaces are left out on both sides. Not a test, and PDFium is not used by the
reader: this measures what switching would buy and what it would change.
"""

from __future__ import annotations

import argparse
import ctypes
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from budgetkit.extract.pdf.opening import open_pdf
from budgetkit.extract.pdf.parsing import Glyph, parse_page

SAMPLES = Path(__file__).resolve().parents[1] / ".." / "shared" / "samples"


def pdfium_glyphs(doc, index: int) -> list[Glyph]:
    """Non-space characters of one page as Glyphs, boxes made the way pdfminer makes them."""
    page = doc[index]
    left, bottom, _, top = page.get_mediabox()
    height = top - bottom
    text = pdfium_c.FPDFText_LoadPage(page.raw)
    box, ox, oy, m = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double(), pdfium_c.FS_MATRIX()
    descent, name = ctypes.c_float(), ctypes.create_string_buffer(256)
    fonts: dict[int, tuple[str, float]] = {}
    out = []
    try:
        for i in range(pdfium_c.FPDFText_CountChars(text)):
            code = pdfium_c.FPDFText_GetUnicode(text, i)
            if pdfium_c.FPDFText_IsGenerated(text, i) == 1 or code == 32:
                continue
            pdfium_c.FPDFText_GetLooseCharBox(text, i, box)
            pdfium_c.FPDFText_GetCharOrigin(text, i, ox, oy)
            pdfium_c.FPDFText_GetMatrix(text, i, m)
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(text, i))
            key = ctypes.cast(font, ctypes.c_void_p).value
            if key not in fonts:
                pdfium_c.FPDFFont_GetBaseFontName(font, name, 256)
                pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), descent)
                fonts[key] = (name.value.decode("utf-8", "replace"), descent.value / 1000)
            font_name, font_descent = fonts[key]
            size = m.d * pdfium_c.FPDFText_GetFontSize(text, i)
            y0 = oy.value + font_descent * size - bottom
            out.append(Glyph(chr(code), box.left - left, box.right - left, height - (y0 + size), height - y0, size, font_name))
    finally:
        pdfium_c.FPDFText_ClosePage(text)
    return out


def _differences(ours: list[Glyph], theirs: list[Glyph]) -> str | None:
    if len(ours) != len(theirs):
        return "count"
    if [g.text for g in ours] != [g.text for g in theirs]:
        return "order"
    worst = max((max(abs(a.x0 - b.x0), abs(a.x1 - b.x1), abs(a.top - b.top), abs(a.bottom - b.bottom))
                 for a, b in zip(ours, theirs)), default=0.0)
    return "box" if worst > 0.01 else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    paths = [p for p in sorted(SAMPLES.glob("*.pdf")) if args.only in p.name]
    print(f"{'document':46} {'pages':>5} {'ours s':>7} {'pdfium s':>8} {'ratio':>6}  pages differing (count/order/box)")
    for path in paths:
        c0 = time.process_time()
        pdf = open_pdf(path)
        ours = [[g for g in parse_page(pdf, page).glyphs if g.text.strip()] for page in pdf.pages]
        pdf.close()
        c1 = time.process_time()
        doc = pdfium.PdfDocument(str(path))
        theirs = [pdfium_glyphs(doc, i) for i in range(len(doc))]
        doc.close()
        c2 = time.process_time()
        kinds = [_differences(a, b) for a, b in zip(ours, theirs)]
        counts = "/".join(str(kinds.count(k)) for k in ("count", "order", "box"))
        print(f"{path.stem[:46]:46} {len(ours):5d} {c1 - c0:7.2f} {c2 - c1:8.2f} {(c1 - c0) / (c2 - c1):6.1f}  {counts}")


if __name__ == "__main__":
    main()
