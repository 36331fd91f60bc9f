"""Read a source document as text: UTF-8 or GB18030 text files, or PDFs via pdfplumber."""

from __future__ import annotations

from pathlib import Path

from budgetkit.core.errors import NotADisclosure, TruncatedDisclosure

MAX_BYTES = 200 * 1024 * 1024


#: First bytes of files people save a disclosure as instead of PDF or text (Office, RTF, images).
NOT_TEXT_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf", b"\x89PNG", b"\xff\xd8\xff",
                  b"II*\x00", b"MM\x00*")


def _cut_inside_character(data: bytes, exc: UnicodeDecodeError, encoding: str) -> bool:
    """The only undecodable bytes are the last few, and all before them decodes: a file cut mid-character."""
    if exc.start < len(data) - 4 or exc.end < len(data):
        return False
    try:
        data[:exc.start].decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK/GB2312)."""
    if b"\x00" in data[:4096]:
        raise NotADisclosure("binary file (NUL bytes), not disclosure text", file=name)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            if _cut_inside_character(data, exc, encoding):
                raise TruncatedDisclosure(f"the file ends in the middle of a character ({encoding} text cut short)",
                                          file=name) from None
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
        head = f.read(8)
    if head[:5] == b"%PDF-":
        return pdf_text(path), "pdf"
    if head.startswith(NOT_TEXT_MAGIC):  # a Word/Excel/RTF file or an image: say which, and to save it as PDF
        from budgetkit.extract.pdf.opening import _not_pdf_kind

        with open(path, "rb") as f:
            raise NotADisclosure(_not_pdf_kind(path, f.read(1024)), file=str(path))
    return decode_text(path.read_bytes(), str(path)), "text"
