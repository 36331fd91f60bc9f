"""A PDF whose tables are drawn with rules → ``Disclosure``: the format detected from the document,
every table mapped onto its template by geometry, the narrative sections joined into paragraphs.

The document's sections (主要职能, 编制说明, 其他相关情况说明, 决算情况说明 …) are recognised by the
template's section titles on heading lines (larger type, or 第X部分, never a 目录 line); the narrative
is the text of the sections the template marks as narrative, with each sentence's page.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from budgetkit.core.model import Disclosure, ExtractionNote, Metadata, Narrative
from budgetkit.core.template import Template
from budgetkit.core.words import squash
from budgetkit.dataset.narrative import segment_narrative
from budgetkit.extract.detect import detect_template
from budgetkit.extract.document import Line
from budgetkit.extract.grid_tables import (
    label_key,
    printed_department,
    printed_year,
    to_table,
)
from budgetkit.extract.narrative import join_lines
from budgetkit.extract.pdf.model import GridTable, PdfDocument, TextLine
from budgetkit.extract.tables import title_spec

_TOC = re.compile(r"[…\.·]{4,}|\.{3,}")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_ORG = re.compile(r"(局|委员会|委|办公室|办事处|院|中心|所|站|队|馆|会|社|部|厅|处|署|团|校|园)$")


def _cover(doc: PdfDocument) -> list[TextLine]:
    """The cover and 目录: the text lines of the first pages (at most 3)."""
    return [t for t in doc.text if t.page <= 3]


def body_size(doc: PdfDocument) -> float:
    sizes = Counter(round(t.size) for t in doc.text if len(t.text) > 20)
    return sizes.most_common(1)[0][0] if sizes else 12.0


def toc_pages(doc: PdfDocument) -> set[int]:
    """The 目录's pages: the page with a 目录 line and the following pages of short entries only."""
    pages: dict[int, list[str]] = {}
    for t in doc.text:
        pages.setdefault(t.page, []).append(squash(t.text))
    start = next((p for p, lines in sorted(pages.items()) if any(x in ("目录", "目次") for x in lines)), None)
    if start is None:
        return set()
    out = {start}
    for p in sorted(pages):
        if p > max(out) + 1:
            break
        if p > start and all(len(x) <= 40 and "。" not in x and "：" not in x for x in pages[p]):
            out.add(p)
    return out


def toc_entries(doc: PdfDocument) -> list[str]:
    """The 目录's entries without dot leaders and page numbers ([] when the document prints no 目录)."""
    out = []
    pages = toc_pages(doc)  # once, not once per line
    for t in doc.text:
        if t.page in pages:
            entry = re.sub(r"[…\.·]{2,}.*$|\s*\d+\s*$", "", squash(t.text))
            if entry and entry not in ("目录", "目次"):
                out.append(entry)
    return out


def _title_at(lines: list[TextLine], i: int) -> str:
    """A heading line, joined with the next one when the title wraps (…部门决算 / 情况说明)."""
    text = squash(lines[i].text)
    if i + 1 < len(lines) and lines[i + 1].page == lines[i].page and len(squash(lines[i + 1].text)) <= 12 \
            and abs(lines[i + 1].size - lines[i].size) < 0.5 and "。" not in lines[i + 1].text:
        return text + squash(lines[i + 1].text)
    return text


def sections_of(doc: PdfDocument, template: Template) -> list[tuple[str, int, str]]:
    """(section key, index of its heading in doc.text, the heading as printed), in document order.

    A heading is a line in larger type, a 第X部分 line, or a short line that is the section's title
    (after its numbering: 一、主要职能; or followed by a bracketed remark: 二、部门决算单位构成（仅有一个单位
    的部门…）); lines of the 目录 are not headings.
    """
    body = body_size(doc)
    skip = toc_pages(doc)
    found: list[tuple[str, int, str]] = []
    seen: set[str] = set()
    for i, line in enumerate(doc.text):
        if line.page in skip or _TOC.search(line.text) or len(squash(line.text)) > 60:
            continue
        text = _title_at(doc.text, i)
        large = bool(_PART.match(text)) or line.size >= body + 1.5
        for s in template.sections:
            names = [squash(n) for n in (s["title"], *s.get("aliases", ()))]
            bare = label_key(text)
            if s["key"] in seen:
                continue
            if (large and any(n in text for n in names)) or (len(text) <= 40 and "。" not in text and any(
                    bare == n or bare.endswith(n) or bare.startswith(n + "(") for n in names)):
                found.append((s["key"], i, line.text))
                seen.add(s["key"])
                break
    return found


def narrative_of(doc: PdfDocument, template: Template, sections) -> Narrative | None:
    """The narrative sections' lines (headings included) joined into paragraphs; sentences keep their page."""
    narrative_keys = {s["key"] for s in template.sections if s.get("narrative")}
    starts = [i for _, i, _ in sections]
    lines: list[Line] = []
    for n, (key, start, _) in enumerate(sections):
        end = starts[n + 1] if n + 1 < len(starts) else len(doc.text)
        if key not in narrative_keys:
            continue
        lines += [Line(doc.text[i].page, doc.text[i].text) for i in range(start, end)]
    if not lines:
        return None
    text, anchors = join_lines(lines)
    narrative = segment_narrative(text)
    at = 0
    for key, start, heading in sections:  # where each narrative section starts in the joined text
        if key in narrative_keys:
            pos = text.find(heading.strip().replace("\u3000", ""), at)
            narrative.parts.append((key, max(pos, at) if pos >= 0 else at))
            at = max(at, pos)
    import bisect

    positions = [a for a, _ in anchors]
    for s in narrative.sentences:
        k = bisect.bisect_right(positions, s.start) - 1
        s.line = anchors[k][1] if k >= 0 else 0
    narrative.line_unit, narrative.name = "页", template.narrative_name
    return narrative


def _department(doc: PdfDocument, tables) -> str:
    printed = Counter(t.printed_department for t in tables.values() if t.printed_department)
    if printed:
        return printed.most_common(1)[0][0]
    for line in _cover(doc):
        name = printed_department(line.text)
        if name:
            return name
    for text in _cover_titles(doc):  # a cover that prints the name alone: 上海市普陀区财政局
        if _ORG.search(text) and not re.search(r"预算|决算|目录|\d{4}", text):
            return text
    return ""


def _cover_titles(doc: PdfDocument) -> list[str]:
    """The first page's lines, and each line joined with the next (a name wrapped: 规划和自然 / 资源局)."""
    lines = [squash(t.text) for t in doc.text if t.page == 1]
    return [x for i, line in enumerate(lines) for x in (line, line + (lines[i + 1] if i + 1 < len(lines) else ""))]


def _year(doc: PdfDocument, tables) -> int | None:
    printed = Counter(t.printed_year for t in tables.values() if t.printed_year)
    if printed:
        return printed.most_common(1)[0][0]
    for line in _cover(doc):
        year = printed_year(line.text)
        if year:
            return year
    return None


def _scope(cover: str, template: Template) -> str:
    for scope, words in template.scope_words.items():
        if any(w in cover for w in words):
            return scope
    return template.scope


def is_blank(tables, department: str) -> bool:
    """A blank template: tables printed, not one number in them, and placeholders (XX) for the name."""
    no_numbers = tables and not any(t.has_values for t in tables.values())
    return bool(no_numbers and re.search(r"[XＸ×]{2,}", department or "XX"))


def _pages(pages: list[int]) -> str:
    """Pages as printed in a note: 31–35, or 3、7、9."""
    pages = sorted(set(pages))
    if len(pages) > 1 and pages == list(range(pages[0], pages[-1] + 1)):
        return f"{pages[0]}–{pages[-1]}"
    return "、".join(map(str, pages))


def parse_pdf(doc: PdfDocument, name: str) -> Disclosure:
    """The disclosure of a PDF read by geometry (``read_pdf``); raises when no supported format fits."""
    cover = "".join(squash(t.text) for t in _cover(doc))
    titles = [g.title for g in doc.tables if g.title]
    detection = detect_template(titles, cover, name)
    template = detection.template
    tables, notes = {}, []
    year_hint = next((printed_year(t) for t in titles if printed_year(t)), None)
    forms: dict[str, list[int]] = {}  # a performance form's title → its pages
    for grid in doc.tables:
        spec = title_spec(grid.title, template) if grid.title else None
        if spec is None and grid.title and squash(template.form_title) in squash(grid.title):
            forms.setdefault(grid.title, []).extend(grid.pages[:1])
            continue
        if spec is None:
            if grid.title:
                notes.append(ExtractionNote("unknown_table", "", grid.title,
                                            f"第{grid.pages[0]}页的表“{grid.title}”不是{template.name}的表，未读取", "warning"))
            continue
        if spec.id in tables:
            notes.append(ExtractionNote("duplicate_table", spec.id, grid.title,
                                        f"{spec.label} 重复出现（第{grid.pages[0]}页），只保留第一次", "warning"))
            continue
        table, table_notes = to_table(grid, spec, template, year_hint)
        tables[spec.id] = table
        notes += table_notes
    for title, pages in forms.items():  # the document's performance forms: said once, not read yet
        notes.append(ExtractionNote("forms_not_read", "", title,
                                    f"第{_pages(pages)}页的{len(pages)}张“{title}”是项目绩效目标表；PDF 中的绩效目标表"
                                    "暂不读取（forms.* 规则数据不足）", "info"))
    notes += [ExtractionNote("pdf", "", "", w, "warning") for w in doc.warnings]
    sections = sections_of(doc, template)
    narrative = narrative_of(doc, template, sections)
    department = _department(doc, tables)
    meta = Metadata(department=department, department_code="", year=_year(doc, tables) or 0,
                    template=template.id, slug="", scope=_scope(cover, template),
                    sections=[key for key, _, _ in sections], blank=is_blank(tables, department),
                    cover=[squash(t.text) for t in doc.text if t.page == 1], toc=toc_entries(doc))
    return Disclosure(meta=meta, tables=tables, narrative=narrative, forms=[], notes=notes, origin=Path(name))


__all__ = ["parse_pdf", "GridTable"]
