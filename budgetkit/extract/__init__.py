"""Ingestion: a disclosure (PDF-extracted text or PDF) → ``Disclosure`` → canonical dataset."""

from __future__ import annotations

import re
from collections import Counter
from functools import partial
from pathlib import Path

from budgetkit.core.errors import NotADisclosure, TruncatedDisclosure
from budgetkit.core.model import Disclosure, Metadata
from budgetkit.core.template import DEFAULT_TEMPLATE, Template, load_template
from budgetkit.dataset.store import sha256_file, write_dataset
from budgetkit.dataset.structure import structure_notes
from budgetkit.extract.document import split_document, to_lines
from budgetkit.extract.narrative import parse_narrative
from budgetkit.extract.slug import slugify  # noqa: F401  (the default slug; extract.slugify stays importable)
from budgetkit.extract.source import read_source

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _most_common(values) -> str | int | None:
    values = [v for v in values if v]
    return Counter(values).most_common(1)[0][0] if values else None


def parse_text(text: str, source_name: str = "<text>", *, template: Template | None = None,
               require_tables: bool = True, slug: str | None = None) -> Disclosure:
    """Parse PDF-extracted text into a Disclosure.

    ``require_tables=False`` accepts a narrative excerpt alone (for ``check``);
    extraction to a dataset needs the tables.
    """
    from budgetkit.dataset.structure import (
        normalise_codes,
        reconcile_units,
        structure_notes,
    )
    from budgetkit.extract.forms import check_complete, parse_forms
    from budgetkit.extract.tables import parse_tables

    template = template or load_template(DEFAULT_TEMPLATE)
    lines = to_lines(text)
    parts = split_document(lines, template)
    has_tables = any(l.text.strip() for l in parts.tables)
    has_narrative = any(l.text.strip() for l in parts.narrative)
    if not has_tables and not has_narrative:
        if require_tables or not _looks_like_narrative(text):
            raise NotADisclosure("no budget tables (第二部分) or 情况说明 (第三部分) found; "
                                 "not a department budget disclosure", file=source_name)
        parts.narrative = lines  # a bare excerpt: the whole text is narrative
        has_narrative = True
    if require_tables and not has_tables:
        raise TruncatedDisclosure("no budget tables found (第二部分 missing)", file=source_name)
    tables, notes = (parse_tables(parts.tables, template, source_name) if has_tables else ({}, []))
    normalise_codes(tables)
    notes = notes + reconcile_units(tables, source_name) + structure_notes(tables, template)
    if require_tables and not has_narrative:
        raise TruncatedDisclosure("text ends before 第三部分 情况说明 (truncated?)", file=source_name)
    check_complete(parts.forms, source_name)
    if has_tables and has_narrative and not parts.glossary and template.part_markers.get("glossary"):
        raise _ends_early(parts, template, source_name)
    forms, form_notes = parse_forms(parts.forms, template, source_name) if parts.forms else ([], [])
    narrative = parse_narrative(parts.narrative) if has_narrative else None
    if narrative is not None:
        narrative.name = template.narrative_name

    department = _most_common(t.printed_department for t in tables.values()) or \
        _most_common(f.department for f in forms) or ""
    code = _most_common(f.department_code for f in forms) or ""
    year = _most_common(t.printed_year for t in tables.values())
    if year is None:
        m = _YEAR.search(narrative.text if narrative else text)
        year = int(m.group(1)) if m else None
    if year is None and (require_tables or has_tables):
        raise NotADisclosure("cannot tell the budget year", file=source_name)
    # a narrative excerpt without a year ("基本支出预算1234567.89元，占一般公共预算支出的80.12%"): shares and
    # rates need none, so it is checked for what the text supports; rules that need the year say so
    meta = Metadata(department=department, department_code=code, year=int(year) if year is not None else None,
                    template=template.id, slug=slug or partial(slugify, department or "department"),
                    sections=text_sections(parts, template))
    if narrative is not None and "explanation" in meta.sections:
        narrative.parts = [("explanation", 0)]
    return Disclosure(meta=meta, tables=tables, narrative=narrative, forms=forms, notes=notes + form_notes)


def text_sections(parts, template: Template) -> list[str]:
    """The template's sections a text prints: its part has text, and (outside the narrative) a line names it."""
    found = []
    for s in template.sections:
        lines = [l.text for l in getattr(parts, s.get("in", "narrative"), []) if l.text.strip()]
        names = [re.sub(r"\s+", "", n) for n in (s["title"], *s.get("aliases", ()))]
        if lines and (s.get("narrative") or any(n in re.sub(r"\s+", "", l) for l in lines for n in names)):
            found.append(s["key"])
    return found


def _ends_early(parts, template: Template, source_name: str) -> TruncatedDisclosure:
    """A text that stops inside 第三部分 (its narrative or its forms), before the last part (名词解释)."""
    last = max(l.no for l in [*parts.narrative, *(x for b in parts.forms for x in b)] if l.text.strip())
    marker = template.part_markers["glossary"][0]
    return TruncatedDisclosure(f"the text stops at line {last}, inside 第三部分, before {marker}: truncated",
                               file=source_name, cn=f"文件在第三部分（原文第{last}行）中断，缺少{marker}（被截断）")


def _looks_like_narrative(text: str) -> bool:
    """A narrative excerpt talks about budget amounts: 万元/元 amounts next to budget words."""
    return bool(re.search(r"\d[\d,，.]*\s*(万元|亿元|元)", text)) and bool(
        re.search(r"预算|支出|收入|经费", text))


def _looks_like_pdf(source: Path) -> bool:
    if source.suffix.lower() == ".pdf":
        return True
    try:
        with open(source, "rb") as f:
            return f.read(5) == b"%PDF-"
    except OSError:
        return False


def parse_pdf_source(source: Path, *, slug: str | None = None) -> Disclosure | None:
    """A PDF read by geometry when it draws ruled tables with titles; None when it draws none (text route)."""
    from budgetkit.extract.pdf import read_pdf
    from budgetkit.extract.pdf_document import parse_pdf

    doc = read_pdf(source)  # one-line errors for encrypted, damaged, scanned, Word … files
    if not any(g.title for g in doc.tables):
        return None
    disclosure = parse_pdf(doc, str(source))
    if not disclosure.meta.year:
        raise NotADisclosure("cannot tell the year (无法确定年度)", file=str(source))
    disclosure.meta.slug = slug or partial(slugify, disclosure.meta.department or "department")
    disclosure.notes += structure_notes(disclosure.tables, load_template(disclosure.meta.template))
    return disclosure


def parse_source(source: Path | str, *, require_tables: bool = True, slug: str | None = None,
                 template: Template | None = None) -> Disclosure:
    """Read a .txt/.pdf disclosure and parse it, recording the source's name, kind and SHA-256.

    A PDF that draws ruled tables is read by geometry, in the format detected from the document; a
    PDF of plain text lines and a text file go through the text reader.
    """
    source = Path(source)
    disclosure = parse_pdf_source(source, slug=slug) if _looks_like_pdf(source) and source.is_file() else None
    if disclosure is not None:
        kind = "pdf"
    else:
        text, kind = read_source(source)
        disclosure = parse_text(text, str(source), template=template, require_tables=require_tables, slug=slug)
    disclosure.meta.source_file = f"source/{source.name}"
    disclosure.meta.source_sha256 = sha256_file(source)
    disclosure.meta.source_kind = kind
    disclosure.origin = source
    return disclosure


def extract(source: Path | str, out_dir: Path | str, *, force: bool = False, slug: str | None = None) -> tuple[
        Disclosure, list[str]]:
    """``budgetkit extract``: parse the source and write its canonical dataset to ``out_dir``.

    Returns the disclosure and the files of an existing dataset that were replaced (``force``).
    """
    disclosure = parse_source(source, slug=slug)
    replaced = write_dataset(disclosure, Path(source), Path(out_dir), force=force)
    return disclosure, replaced
