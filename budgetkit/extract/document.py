"""Split PDF-extracted text into the disclosure's parts: tables, narrative, forms.

Works on numbered lines so every later finding can point back into the source.
Page furniture (page numbers like "-19-", running report titles) is dropped here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from budgetkit.core.template import Template


class Line(NamedTuple):
    no: int  # 1-based line number in the source text
    text: str


_PAGE_NUMBER = re.compile(r"^\s*[-—–]\s*\d{1,4}\s*[-—–]\s*$")
_TABLE_TITLE = re.compile(r"^\s*(表[一二三四五六七八九十]+|预算公开表\s*\d+|部门公开表\s*\d+)")
_SECTION_PART = re.compile(r"^\s*第([一二三四五六七八九十]+)部分")


@dataclass
class DocumentParts:
    overview: list[Line] = field(default_factory=list)
    tables: list[Line] = field(default_factory=list)
    narrative: list[Line] = field(default_factory=list)  # 第三部分 without the forms
    forms: list[list[Line]] = field(default_factory=list)  # one block per 项目支出绩效目标表
    glossary: list[Line] = field(default_factory=list)
    furniture: list[Line] = field(default_factory=list)  # dropped page numbers / running titles


def to_lines(text: str) -> list[Line]:
    return [Line(i, t.rstrip("\r")) for i, t in enumerate(text.split("\n"), start=1)]


def running_titles(lines: list[Line]) -> set[str]:
    """Lines repeated on several pages that name the report (页眉/页脚), e.g. '…部门预算公开报告'."""
    counts = Counter(l.text.strip() for l in lines if l.text.strip())
    return {t for t, n in counts.items() if n >= 2 and re.search(r"(公开报告|预算公开|决算公开)$", t)
            and not _TABLE_TITLE.match(t)}


def is_furniture(line: Line, titles: set[str]) -> bool:
    t = line.text.strip()
    return bool(_PAGE_NUMBER.match(t)) or t in titles


def split_document(lines: list[Line], template: Template) -> DocumentParts:
    """Assign every line to a part. Forms are cut out of 第三部分 as separate blocks."""
    parts = DocumentParts()
    titles = running_titles(lines)
    current = "overview"
    form: list[Line] | None = None
    after_date = False
    for line in lines:
        t = line.text.strip()
        if is_furniture(line, titles):
            parts.furniture.append(line)
            continue
        m = _SECTION_PART.match(t)
        if m and form is None:
            which = {"一": "overview", "二": "tables", "三": "narrative", "四": "glossary"}.get(m.group(1))
            if which == "tables" and current == "tables":
                parts.furniture.append(line)  # side title printed inside a table page
                continue
            if which:
                current = which
        elif current == "overview" and _TABLE_TITLE.match(t):
            current = "tables"
        if current == "narrative":
            if template.form_title in t and form is None:
                form, after_date = [], False
            if form is not None:
                form.append(line)
                if re.search(r"填报日|经办人", t):
                    after_date = True
                elif after_date and t and not re.fullmatch(r"[\d\s负责人经办联系电话填报日期：:]+", t):
                    # the first real text after the date digits starts the narrative again
                    form.pop()
                    parts.forms.append(form)
                    form = None
                    if template.form_title in t:
                        form, after_date = [line], False
                    else:
                        parts.narrative.append(line)
                continue
        getattr(parts, current).append(line)
    if form is not None:
        parts.forms.append(form)
    return parts
