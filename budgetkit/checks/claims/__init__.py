"""The numeric claims of a narrative (amounts, shares, changes, lists, counts, reasons), the phrasings
they are written in (``grammar``), the vocabulary naming table cells, and the rounding-aware arithmetic
that recomputes them. Nothing here knows a particular document.
"""
