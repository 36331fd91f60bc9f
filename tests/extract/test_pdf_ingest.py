"""PDF ingestion (pdfplumber): the seed drawn into a real PDF reads back to the same dataset as its text."""


import pandas as pd
import pytest
from pdf_fixture import text_to_pdf
from project_files import SEED

from budgetkit.extract import parse_source
from budgetkit.run.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory):
    return text_to_pdf(SEED.read_text(encoding="utf-8"), tmp_path_factory.mktemp("pdf") / "seed.pdf")


def test_pdf_gives_the_same_tables_forms_and_narrative(seed_pdf):
    from_text = parse_source(SEED, slug="x")
    from_pdf = parse_source(seed_pdf, slug="x")
    assert from_pdf.meta.source_kind == "pdf"
    assert (from_pdf.meta.department, from_pdf.meta.department_code, from_pdf.meta.year) == ("长治市屯留区财政局", "017", 2024)
    for tid, table in from_text.tables.items():
        assert from_pdf.tables[tid].unit == table.unit == "万元"
        for key, frame in table.parts.items():
            pd.testing.assert_frame_equal(from_pdf.tables[tid].parts[key], frame)
    assert [(f.project, f.funds, f.period_years) for f in from_pdf.forms] == \
        [(f.project, f.funds, f.period_years) for f in from_text.forms]
    assert [s.heading for s in from_pdf.narrative.sections] == [s.heading for s in from_text.narrative.sections]
    # PDF text has no U+3000 indentation: table 12's department/unit lines are found by their sums
    assert any(n.kind == "levels_inferred" and n.table == "T12" for n in from_pdf.notes)


def test_damaged_pdf_is_one_line_error(seed_pdf, tmp_path, capsys):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(seed_pdf.read_bytes()[:2000])
    assert main(["extract", str(broken), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(broken) in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
