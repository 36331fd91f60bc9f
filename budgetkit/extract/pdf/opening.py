"""Refuse what is not a readable PDF before spending time on it, with one line saying why.

Checked in order of cost: the file itself (size, kind by its first bytes — a
Word/Excel/HTML file renamed .pdf is common when documents are collected by
hand), truncation (a PDF ends with %%EOF), then what pdfminer says on opening
(damaged cross-reference, encryption with a password), then the page count
declared in the page tree, before any page is parsed. Fewer pages found than the tree
declares is damage too: reading on would drop whole pages without a word.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from budgetkit.core.errors import NotADisclosure

MAX_PAGES = 500  # the longest disclosures run to ~150 pages; a 1,000-page file is something else
MAX_BYTES = 200 * 1024 * 1024
TAIL_BYTES = 64 * 1024
OLE_SCAN_BYTES = 8 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_MESSAGE = "a Word file is not supported: save it as PDF"


def refuse(path: Path, what: str) -> NotADisclosure:
    return NotADisclosure(what, file=str(path))


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _not_pdf_kind(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return "a damaged ZIP archive, not a PDF"
        if any(n.startswith("word/") for n in names):
            return WORD_MESSAGE
        if any(n.startswith("xl/") for n in names):
            return "an Excel file is not supported: save it as PDF"
        if any(n.startswith("ppt/") for n in names):
            return "a PowerPoint file is not supported: save it as PDF"
        return "a ZIP archive, not a PDF"
    if head.startswith(OLE_MAGIC):
        with open(path, "rb") as f:
            data = f.read(OLE_SCAN_BYTES)
        if _utf16("WordDocument") in data:
            return WORD_MESSAGE
        if _utf16("Workbook") in data or _utf16("Book") in data:
            return "an Excel file is not supported: save it as PDF"
        return "an Office (OLE) file, not a PDF: save it as PDF"
    stripped = head.lstrip()
    if stripped.startswith(b"{\\rtf"):
        return WORD_MESSAGE
    lowered = stripped[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "an HTML page, not a PDF (a failed download?)"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "an image, not a PDF: scanned pages need OCR first"
    return "not a PDF (no %PDF- header)"


def check_file(path: Path) -> None:
    """Raise NotADisclosure unless ``path`` looks like a complete PDF file."""
    if not path.is_file():
        raise refuse(path, "no such file")
    size = path.stat().st_size
    if size == 0:
        raise refuse(path, "empty file")
    if size > MAX_BYTES:
        raise refuse(path, f"file too large ({size} bytes; the limit is {MAX_BYTES})")
    with open(path, "rb") as f:
        head = f.read(1024)
        f.seek(max(0, size - TAIL_BYTES))
        tail = f.read()
    if b"%PDF-" not in head:
        raise refuse(path, _not_pdf_kind(path, head))
    if b"%%EOF" not in tail:
        raise refuse(path, "damaged PDF: truncated (no end-of-file marker)")


def _reason(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's errors; the wrapped one says what happened."""
    while exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    return exc


def close_quietly(pdf) -> None:
    """Close a PDF that is already known to be damaged (closing may touch the damage again)."""
    try:
        pdf.close()
    except Exception:  # the file is being refused anyway
        pass


def open_pdf(path: Path):
    """pdfplumber.PDF for ``path``, or NotADisclosure when it cannot or should not be read."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdftypes import resolve1

    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many private types on damaged files
        reason = _reason(exc)
        if isinstance(reason, PDFPasswordIncorrect):
            raise refuse(path, "encrypted PDF: it cannot be read without its password") from None
        if isinstance(reason, PDFEncryptionError):
            raise refuse(path, f"encrypted PDF: unsupported encryption ({reason})") from None
        raise refuse(path, f"damaged PDF ({type(reason).__name__})") from None
    try:
        declared = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:
        declared = None
    if isinstance(declared, int) and declared > MAX_PAGES:
        pdf.close()
        raise refuse(path, f"too many pages ({declared}; the limit is {MAX_PAGES})")
    try:
        pages = pdf.pages
    except Exception as exc:
        close_quietly(pdf)
        raise refuse(path, f"damaged PDF: page tree unreadable ({type(_reason(exc)).__name__})") from None
    if len(pages) > MAX_PAGES:
        pdf.close()
        raise refuse(path, f"too many pages ({len(pages)}; the limit is {MAX_PAGES})")
    if not pages:
        pdf.close()
        raise refuse(path, "damaged PDF: no pages")
    if isinstance(declared, int) and len(pages) < declared:  # a broken page tree: pages would go missing silently
        pdf.close()
        raise refuse(path, f"damaged PDF: the page tree declares {declared} pages, only {len(pages)} can be found")
    return pdf
