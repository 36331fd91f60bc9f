"""Read real disclosure PDFs by geometry: ruled tables as neutral grids, the rest as text lines.

    from budgetkit.extract.pdf import read_pdf
    doc = read_pdf("dept-budget.pdf")
    for table in doc.tables:
        print(table.title, table.unit, len(table.rows))

Grids are format-neutral (no column roles); mapping them onto a format template
is a separate step. See model.py for what is kept and reader.py for the refusals.
"""

from budgetkit.extract.pdf.model import (
    GridRow,
    GridTable,
    PdfDocument,
    TableFragment,
    TextLine,
)
from budgetkit.extract.pdf.opening import MAX_PAGES
from budgetkit.extract.pdf.reader import read_pdf

__all__ = ["GridRow", "GridTable", "MAX_PAGES", "PdfDocument", "TableFragment", "TextLine", "read_pdf"]
