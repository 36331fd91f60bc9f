"""content.read_objects yields exactly what pdfminer's own content parser yields, or None (fall back).

The development PDFs are compared page by page in benchmarks (and read_pdf's
output is unchanged, see test_pdf_formats.py); these cases are the corners of
pdfminer's tokenizer that those files may not reach.
"""

from __future__ import annotations

import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import PSEOF
from project_files import sample

from budgetkit.extract.pdf.content import read_objects


def pdfminer_objects(*datas: bytes) -> list:
    try:
        parser = PDFContentParser([PDFStream({}, data) for data in datas])
    except PSEOF:
        return []
    out = []
    while True:
        try:
            out.append(parser.nextobject()[1])
        except PSEOF:
            return out


SAME = [
    b"BT /F1 12 Tf 72 712.5 Td (Hello) Tj ET",
    b"q 1 0 0 1 -3.5 +4 cm .5 w 0 0 m 10 0 l S Q",
    b"[(A) -120 (B) 3.25 <00410042> ] TJ",
    b"(nested (paren) here) Tj (esc \\( \\) \\\\ \\n \\r \\t \\b \\f) Tj",
    b"(octal \\101\\7\\0123 and \\q dropped) Tj (line \\\r\ncontinued \\\nhere) Tj",
    b"(one (nested \\) escaped) level) Tj (esc \\( \\\\) Tj",
    b"<0015> Tj 120 0 TD <0015> Tj 120 0 TD (same) Tj (same) Tj",  # tokens seen before: remembered objects
    b"<4142 43\n44> Tj <414> Tj <> Tj",
    b"/Name /A#42C /Empty# /H#4 / /\xe4\xb8\xad Do",
    b"<< /Type /XObject /N 3 /Null null /Arr [1 2 [3]] >> BDC EMC",
    b"{ 1 2 add } true false null",
    b"% a comment\n1 0 0 RG % another\r0 g\x00 re f* ' \" ) # \xff",
    b"1.2.3 -. . -5 12abc 0.5a",
    b"",
    b"   \n\t ",
]


@pytest.mark.parametrize("data", SAME)
def test_same_objects_as_pdfminer(data):
    ours, theirs = read_objects([data]), pdfminer_objects(data)
    assert ours == theirs
    assert repr(ours) == repr(theirs)  # 1 == 1.0: the types too


def test_arrays_continue_across_streams_and_tokens_end_at_a_stream_boundary():
    datas = [b"[(A) 10", b"(B)] TJ 12", b"3 Tf"]
    assert read_objects(datas) == pdfminer_objects(*datas)


def test_keywords_and_names_are_pdfminers_interned_objects():
    ours, theirs = read_objects([b"/F1 Tf"]), pdfminer_objects(b"/F1 Tf")
    assert all(a is b for a, b in zip(ours, theirs))


@pytest.mark.parametrize("data", [
    b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q",  # inline image: pdfminer reads its data
    b"(never closed",
    b"(nested (twice (deep)) here) Tj",
    b"(\\(\\(\\(",  # escapes up to the end: not closed
    b"<41>> Tj",  # hex string then ">>"
    b"1 2 > 3",  # stray '>'
    b"] 1 0 Td",  # unbalanced
    b"<< /A >> BDC",  # odd dict
    b"<41 /x> Tj",  # hex string ended by a non-hex character
])
def test_unusual_content_is_left_to_pdfminer(data):
    assert read_objects([data]) is None


def _pages_read(path, fast: bool) -> list:
    from budgetkit.extract.pdf import parsing
    from budgetkit.extract.pdf.opening import open_pdf

    parsing._ClipInterpreter.fast_content = parsing._ClipDevice.light_objects = fast
    try:
        pdf = open_pdf(path)
        try:
            return [parsing.parse_page(pdf, page) for page in pdf.pages]
        finally:
            pdf.close()
    finally:
        parsing._ClipInterpreter.fast_content = parsing._ClipDevice.light_objects = True


PAGES = {  # every development PDF (217 pages): tables and text, fonts with and without ToUnicode, clipped spreadsheet pages
    "national-final-accounts-template-2024.pdf": 23,
    "shanghai-putuo-finance-2024-final-accounts.pdf": 25,
    "shanghai-putuo-finance-2025-dept-budget.pdf": 24,
    "shanghai-putuo-planning-2024-final-accounts.pdf": 30,
    "shanghai-putuo-wanli-2023-dept-budget.pdf": 35,
    "shanghai-putuo-wanli-2024-dept-budget.pdf": 33,
    "shanghai-putuo-wanli-2025-dept-budget.pdf": 31,
    "shanghai-putuo-welfare-home-2024-unit-budget.pdf": 16,
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_development_pdf_reads_the_same_glyphs_and_rules_as_with_pdfminers_own_parser_and_objects(name):
    # ours: streams by read_objects, characters by _ClipDevice.show_text; theirs: pdfminer's parser and LTChar
    ours, theirs = _pages_read(sample(name), True), _pages_read(sample(name), False)
    assert len(ours) == PAGES[name]
    assert ours == theirs
