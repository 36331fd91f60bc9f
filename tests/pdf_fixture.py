"""Render disclosure text into a real PDF (one page per source page) for the PDF ingestion path.

The seed marks each page start with a leading space; text is drawn line by line
with a TrueType CJK font so pdfplumber can read the characters back.
"""

from __future__ import annotations

import os
from pathlib import Path


def text_to_pdf(text: str, path: Path, lines_per_page: int = 60) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import mplfonts
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages

    font = os.path.join(os.path.dirname(mplfonts.__file__), "fonts", "SimHei.ttf")
    font_manager.fontManager.addfont(font)
    pages: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.startswith(" ") and not line.startswith("  ") and pages[-1]:
            pages.append([])
        if line.strip():
            pages[-1].append(line.rstrip())
    with matplotlib.rc_context({"font.family": ["SimHei"], "pdf.fonttype": 42}), PdfPages(path) as pdf:
        for page in pages:
            for start in range(0, len(page), lines_per_page):
                fig = plt.figure(figsize=(8.27, 11.69))
                for i, line in enumerate(page[start:start + lines_per_page]):
                    fig.text(0.04, 0.98 - i * (0.96 / lines_per_page), line.replace("\u3000", "　"), fontsize=7)
                pdf.savefig(fig)
                plt.close(fig)
    return path
