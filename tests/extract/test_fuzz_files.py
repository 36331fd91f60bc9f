"""Fuzz whole input files at the byte level: damaged PDFs, binary junk, odd encodings.

A small real PDF (the seed's first tables, rendered by tests/pdf_fixture.py) is truncated,
has bytes flipped or junk inserted; random bytes are fed as text and behind a '%PDF-'
header. Reading and parsing (``parse_source``) must give a Disclosure or a one-line
``BudgetkitError`` — never another exception.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from fuzz_damage import (
    Baseline,
    check_one_line,
    fuzz_record,
    fuzz_settings,
    record,
    seed_lines,
)
from hypothesis import given
from hypothesis import strategies as st

from budgetkit.core.errors import BudgetkitError
from budgetkit.extract import parse_source

__all__ = ["fuzz_record"]


@pytest.fixture(scope="module")
def pdf_bytes(fuzz_record, tmp_path_factory):
    from pdf_fixture import text_to_pdf

    lines = seed_lines()
    end = next(i for i, l in enumerate(lines) if "表三" in l)  # overview + tables 1 and 2
    path = tmp_path_factory.mktemp("pdf") / "seed-part.pdf"
    text_to_pdf("\n".join(lines[:end]), path)
    return Baseline(data=path.read_bytes())


def _read(data: bytes, suffix: str, test: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-file-"))
    try:
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        try:
            parse_source(path, require_tables=False)
            record(test, "parsed")
        except BudgetkitError as exc:
            check_one_line(exc)
            record(test, "error", exc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@fuzz_settings(25)
@given(st.sampled_from(["truncate", "flip", "junk"]), st.integers(0, 10**9), st.binary(min_size=1, max_size=64))
def test_damaged_pdf_gives_a_disclosure_or_one_line_error(pdf_bytes, op, k, junk):
    data = pdf_bytes["data"]
    p = k % len(data)
    if op == "truncate":
        data = data[:p]
    elif op == "flip":
        data = data[:p] + bytes([data[p] ^ (1 + k % 255)]) + data[p + 1:]
    else:
        data = data[:p] + junk + data[p:]
    _read(data or b"%", ".pdf", "files_pdf")


@fuzz_settings(40)
@given(st.binary(min_size=1, max_size=2000), st.sampled_from([b"", b"%PDF-1.4\n", b"\xef\xbb\xbf", b"\xff\xfe"]),
       st.sampled_from([".txt", ".pdf", ""]))
def test_random_bytes_give_a_one_line_error(junk, header, suffix):
    _read(header + junk, suffix, "files_bytes")
