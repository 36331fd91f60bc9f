"""Hostile or unusable "PDFs" through the command line: ``budgetkit extract`` (a subprocess, with a
timeout as the time bound) and ``budgetkit check`` (``main(argv)``). Each gives exit code 2, exactly one
line on stderr starting in Chinese (the English detail may follow), and writes nothing: no output
folder, no stray file next to the input or in the working folder.

The files are made here: a really encrypted PDF (the standard security handler, RC4 40-bit, revision
2, written out by hand as no PDF library is installed), damaged ones (a development PDF truncated, and
one with a hole in its page tree), a scan (matplotlib ``imshow`` pages, no text), a Word file renamed
.pdf and a 1,000-page PDF. How long each takes is measured by hand (see the report), never asserted.
"""

from __future__ import annotations

import hashlib
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from project_files import SAMPLES

from budgetkit.extract.pdf.opening import MAX_PAGES
from budgetkit.extract.pdf.reader import read_pdf
from budgetkit.run.cli import main

TIMEOUT = 120  # seconds: far above what any refusal takes (a few seconds, mostly start-up)
WANLI_25 = SAMPLES / "shanghai-putuo-wanli-2025-dept-budget.pdf"
PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")
FILE_ID = bytes(range(16))


# ---------------------------------------------------------------- making the files

def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _padded(password: bytes) -> bytes:
    return (password + PAD)[:32]


def _security(user: bytes, owner: bytes, permissions: int = -44) -> tuple[bytes, bytes, bytes]:
    """(file key, /O, /U) of the standard security handler, revision 2 (PDF 1.7, algorithms 3.2–3.4)."""
    o = _rc4(hashlib.md5(_padded(owner)).digest()[:5], _padded(user))
    key = hashlib.md5(_padded(user) + o + struct.pack("<i", permissions) + FILE_ID).digest()[:5]
    return key, o, _rc4(key, PAD)


def _pdf(objects: list[bytes | tuple[bytes, bytes]], *, encrypt: tuple[bytes, bytes] | None = None) -> bytes:
    """A PDF from object bodies (1-based; a (dictionary, stream data) pair is a stream), optionally encrypted
    with (user password, owner password)."""
    key = None
    if encrypt:
        key, o, u = _security(*encrypt)
        objects = [*objects, b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <%s> /U <%s> >>"
                   % (o.hex().encode(), u.hex().encode())]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        if isinstance(body, tuple):
            head, data = body
            if key is not None and not (encrypt and number == len(objects)):
                data = _rc4(hashlib.md5(key + struct.pack("<i", number)[:3] + b"\0\0").digest()[:10], data)
            body = b"<< %s /Length %d >>\nstream\n" % (head, len(data)) + data + b"\nendstream"
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    extra = b"/Encrypt %d 0 R " % len(objects) if encrypt else b""
    out += (b"trailer\n<< /Size %d /Root 1 0 R %s/ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, extra, FILE_ID.hex().encode(), FILE_ID.hex().encode(), xref))
    return bytes(out)


def _pages(contents: list[bytes], *, declared: int | None = None, encrypt=None) -> bytes:
    """Pages drawing ``contents`` in Helvetica; objects 1 catalog, 2 page tree, 3 font, then (page, content)."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(contents)))
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, declared or len(contents)),
                     b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % (5 + 2 * i))
        objects.append((b"", content))
    return _pdf(objects, encrypt=encrypt)


HELLO = b"BT /F1 12 Tf 72 720 Td (Budget disclosure 2024) Tj ET"


def _scan(path: Path) -> Path:
    """Three A4 pages, each one image (a grey noise 'scan') and not a character."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path) as pdf:
        for seed in range(3):
            fig = plt.figure(figsize=(8.27, 11.69))
            ax = fig.add_axes([0, 0, 1, 1])
            ax.imshow(np.random.default_rng(seed).random((80, 60)), cmap="gray")
            ax.axis("off")
            pdf.savefig(fig)
            plt.close(fig)
    return path


def _word(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document><w:body>2024年部门预算</w:body></w:document>')
    return path


def _page_tree_hole(path: Path) -> Path:
    """The 2025 万里 budget with a hole (blanked bytes) in its page tree: /Count 31, the last 11 of its
    /Kids gone; those pages are still in the file, only the tree no longer leads to them."""
    data = bytearray(WANLI_25.read_bytes())
    start = data.index(b"/Kids [", data.index(b"/Count 31")) + len(b"/Kids [")
    end = data.index(b"]", start)
    kids = bytes(data[start:end]).split(b" R ")
    keep = b" R ".join(kids[:20]) + b" R"
    data[start:end] = keep + b" " * (end - start - len(keep))  # same length: the cross-reference stays valid
    path.write_bytes(bytes(data))
    return path


HOSTILE = {
    # name → (make the file in a folder, what the English part of the line says)
    "encrypted": (lambda d: _write(d / "locked.pdf", _pages([HELLO], encrypt=(b"secret", b"owner"))),
                  "encrypted PDF: it cannot be read without its password"),
    "truncated": (lambda d: _write(d / "cut.pdf", WANLI_25.read_bytes()[: WANLI_25.stat().st_size * 2 // 3]),
                  "damaged PDF: truncated"),
    "page-tree": (lambda d: _page_tree_hole(d / "tree.pdf"), "damaged PDF"),
    "scanned": (lambda d: _scan(d / "scan.pdf"), "scanned: no text layer"),
    "word": (lambda d: _word(d / "report.pdf"), "a Word file is not supported: save it as PDF"),
    "1000 pages": (lambda d: _write(d / "huge.pdf", _pages([HELLO] * 1000)),
                   f"too many pages (1000; the limit is {MAX_PAGES})"),
    "1000 pages, tree says 1": (lambda d: _write(d / "liar.pdf", _pages([HELLO] * 1000, declared=1)),
                                f"too many pages (1000; the limit is {MAX_PAGES})"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _one_chinese_line(stderr: str, command: str, path: Path, english: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    prefix = f"budgetkit {command}: {path}: "
    assert lines[0].startswith(prefix), lines[0]
    chinese, dash, detail = lines[0][len(prefix):].partition(" — ")
    assert dash and any("\u3400" <= ch <= "\u9fff" for ch in chinese), lines[0]  # Chinese first …
    assert english in detail  # … the English detail after it


# ---------------------------------------------------------------- the tests

def _hostile_in_inbox(kind: str, tmp_path: Path):
    """The hostile file made in an inbox folder, an empty work folder, and the inbox's files before the run."""
    make, english = HOSTILE[kind]
    inbox, work = tmp_path / "in", tmp_path / "work"
    inbox.mkdir()
    work.mkdir()
    path = make(inbox)
    return english, inbox, work, path, _files(inbox)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_extract_refuses_in_one_line_and_writes_nothing(kind, tmp_path):
    english, inbox, work, path, before = _hostile_in_inbox(kind, tmp_path)
    out = work / "data" / "dept" / "2024"
    done = subprocess.run([sys.executable, "-m", "budgetkit.run.cli", "extract", str(path), "--out", str(out)],
                          cwd=work, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    _one_chinese_line(done.stderr, "extract", path, english)
    assert _files(work) == [] and _files(inbox) == before  # nothing written, the input untouched


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_check_refuses_in_one_line_and_writes_nothing(kind, tmp_path, monkeypatch, capsys):
    english, inbox, work, path, before = _hostile_in_inbox(kind, tmp_path)
    monkeypatch.chdir(work)
    capsys.readouterr()
    assert main(["check", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    _one_chinese_line(captured.err, "check", path, english)
    assert _files(work) == [] and _files(inbox) == before


def test_the_encryption_is_real(tmp_path):
    """The refusal is about the password, not the /Encrypt entry: the same file encrypted with an owner
    password only (no password to open it, as many published PDFs are) is decrypted and read."""
    path = _write(tmp_path / "owner-only.pdf", _pages([HELLO], encrypt=(b"", b"owner")))
    document = read_pdf(path)
    assert "Budget disclosure 2024" in " ".join(line.text for line in document.text)


def test_a_page_tree_hole_is_damage_not_a_shorter_document(tmp_path):
    """Read on, the damaged file would give a dataset with 11 of its 31 pages silently missing."""
    import pdfplumber

    path = _page_tree_hole(tmp_path / "tree.pdf")
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 20  # what pdfminer still finds
    assert main(["extract", str(path), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()
