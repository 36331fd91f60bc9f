"""Read a source document as text: UTF-8 or GB18030 text files, or PDFs via pdfplumber."""

from __future__ import annotations

from pathlib import Path

from budgetkit.core.errors import NotADisclosure

MAX_BYTES = 200 * 1024 * 1024


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK/GB2312)."""
    if b"\x00" in data[:4096]:
        raise NotADisclosure("binary file (NUL bytes), not disclosure text", file=name)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotADisclosure("text is neither UTF-8 nor GBK/GB18030", file=name)


def pdf_text(path: Path) -> str:
    """Text of every page, a page starting on a new line as in the extracted seed."""
    import logging

    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(path) as pdf:
            pages = [(page.extract_text() or "") for page in pdf.pages]
    except (PDFSyntaxError, ValueError, KeyError, TypeError, OSError) as exc:
        raise NotADisclosure(f"unreadable PDF ({exc.__class__.__name__})", file=str(path)) from None
    except Exception as exc:  # pdfminer raises many private error types on damaged files
        raise NotADisclosure(f"unreadable PDF ({exc.__class__.__name__})", file=str(path)) from None
    return "\n".join(" " + p for p in pages)


def read_source(path: Path) -> tuple[str, str]:
    """Return (text, kind) where kind is 'text' or 'pdf'."""
    path = Path(path)
    if not path.is_file():
        raise NotADisclosure("no such file", file=str(path))
    size = path.stat().st_size
    if size == 0:
        raise NotADisclosure("empty file", file=str(path))
    if size > MAX_BYTES:
        raise NotADisclosure(f"file too large ({size} bytes)", file=str(path))
    with open(path, "rb") as f:
        head = f.read(5)
    if head == b"%PDF-":
        return pdf_text(path), "pdf"
    return decode_text(path.read_bytes(), str(path)), "text"
