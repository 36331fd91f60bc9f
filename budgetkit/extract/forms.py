"""Parse the 项目支出绩效目标表 blocks into PerformanceForm records.

Labels are found in the whitespace-free text of each block (they wrap and get
spaced at random); values are the text between consecutive labels. Funds and
indicators have their own modules (form_funds, form_indicators); this module
holds the header, the descriptive sections and the 总体目标 columns.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from budgetkit.core.errors import TruncatedDisclosure
from budgetkit.core.model import ExtractionNote, PerformanceForm
from budgetkit.core.template import Template
from budgetkit.extract.document import Line
from budgetkit.extract.form_funds import parse_funds
from budgetkit.extract.form_indicators import parse_indicators
from budgetkit.extract.form_stream import Stream

TABLE = "绩效目标表"
SECTIONS = ["项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划"]
GOALS = ["实施期目标", "年度目标"]
_HEADER = ["项目名称", "主管部门及代码", "实施单位", "项目属性", "项目期", "项目资金"]
_NATURE = re.compile(r"^(.*?项目)\s*[（(](.*?)[)）]?\s*$")
_DEPARTMENT = re.compile(r"^(\d+)\s*[-－—–]\s*(.+)$")


def normalize_name(s: str) -> str:
    """A project name with all whitespace removed, for matching forms to table rows."""
    return re.sub(r"\s+", "", s or "")


def _label(stream: Stream, label: str, start: int, end: int | None = None):
    return stream.find(re.escape(label), start, end) or stream.find(re.escape(label), start, end, aligned=False)


def _vertical(stream: Stream, word: str, start: int):
    """A label printed one character per line ('绩\\n效\\n指\\n标'), or whole."""
    for a, b, _ in stream.find_all(re.escape(word), start):
        pieces = stream.pieces(a, b)
        if len(pieces) == len(word) or (len(pieces) == 1 and pieces[0].text == word):
            return a, b
    return None


def split_goal_columns(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """Split the 总体目标 lines into the 实施期 and 年度 columns.

    The 年度 column starts by repeating the 实施期 column's opening words; a page
    break inside the block (a line printed with a leading space, wider than the
    right column) puts the rest of the left column before the rest of the right
    one. Among the candidate cuts the one whose two columns read most alike wins.
    None when no repeat is found.
    """
    flat = [_letters(x) for x in lines]
    whole = "".join(flat)
    head = whole[:min(10, max(4, len(whole) // 4))]
    if len(head) < 4:
        return None
    best, best_score = None, -1.0
    for k in range(1, len(lines)):
        if not "".join(flat[k:]).startswith(head):
            continue
        breaks = [p for p in range(k + 1, len(lines)) if lines[p][:1].isspace()
                  and _width(lines[p]) > max(_width(x) for x in lines[k:p]) + 1] or [None]
        for p in breaks:
            cuts = [len(lines)] if p is None else range(p, len(lines) + 1)
            for q in cuts:
                left = lines[:k] + ([] if p is None else lines[p:q])
                right = lines[k:len(lines) if p is None else p] + ([] if p is None else lines[q:])
                score = SequenceMatcher(None, "".join(map(normalize_name, left)),
                                        "".join(map(normalize_name, right)), autojunk=False).ratio()
                if score > best_score:
                    best, best_score = (left, right), score
    return best


def _width(s: str) -> int:
    """Printed width: a wider line than any in the right column belongs to the left one."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s.strip())


def _letters(s: str) -> str:
    """Only letters and digits: the two columns punctuate alike text differently."""
    return "".join(ch for ch in s if ch.isalnum())


def _join(lines: list[str]) -> str:
    return "".join(" ".join(x.split()) for x in lines).strip()


def parse_form(block: list[Line], index: int, source_name: str) -> tuple[PerformanceForm, list[ExtractionNote]]:
    stream = Stream([(l.no, l.text) for l in block])
    where = f"form {index}"
    notes: list[ExtractionNote] = []

    def note(kind: str, location: str, message: str, severity: str = "info"):
        notes.append(ExtractionNote(kind, TABLE, f"{where} {location}".strip(), message, severity))

    found = {}
    pos = 0
    overview = _label(stream, SECTIONS[0], 0)  # the header labels all come before it
    for label in _HEADER:
        hit = _label(stream, label, pos, overview[0] if overview else None)
        if hit:
            found[label] = hit
            pos = hit[1]
    if "项目名称" not in found:
        raise TruncatedDisclosure(f"{where} (line {block[0].no if block else '?'}) has no 项目名称",
                                  file=source_name, table=TABLE)
    order = sorted(found.items(), key=lambda kv: kv[1][0])

    def value(label: str) -> str:
        if label not in found:
            return ""
        nxt = [h[0] for _, h in order if h[0] > found[label][0]]
        return stream.render(found[label][1], nxt[0] if nxt else len(stream.text))

    project = normalize_name(value("项目名称"))
    if not project:
        raise TruncatedDisclosure(f"{where} (line {block[0].no}) has an empty 项目名称", file=source_name, table=TABLE)
    where = f"form {index} ({project})"
    first_section = overview
    if "项目资金" not in found or first_section is None:
        raise TruncatedDisclosure(f"{where} has no 项目资金 block", file=source_name, table=TABLE)

    form = PerformanceForm(index=index, project=project, source_line=block[0].no)
    department = normalize_name(value("主管部门及代码"))
    m = _DEPARTMENT.match(department)
    form.department_code, form.department = (m.group(1), m.group(2)) if m else ("", department)
    form.implementer = normalize_name(value("实施单位"))
    m = _NATURE.match(value("项目属性"))
    if m:
        form.nature, form.nature_detail = normalize_name(m.group(1)), " ".join(m.group(2).split())
    else:
        form.nature = normalize_name(value("项目属性"))
    m = re.search(r"(\d+)\s*年", value("项目期"))
    form.period_years = int(m.group(1)) if m else None

    tokens = stream.pieces(found["项目资金"][1], first_section[0])
    form.funds, wrapped = parse_funds(tokens, where, source_name)
    for w in wrapped:
        note("wrapped_value", "项目资金", f"number wrapped across lines joined: {w}")

    # descriptive sections, then the two goal columns
    hits = [(SECTIONS[0], first_section)]
    pos = first_section[1]
    for label in SECTIONS[1:] + GOALS:
        hit = _label(stream, label, pos)
        if hit:
            hits.append((label, hit))
            pos = hit[1]
    goal_end = _vertical(stream, "绩效指标", pos)
    goal_start = _vertical(stream, "总体目标", pos) or (pos, pos)
    for i, (label, (a, b, _)) in enumerate(hits):
        if label in GOALS:
            continue
        end = hits[i + 1][1][0] if i + 1 < len(hits) else (goal_end or (len(stream.text),))[0]
        form.sections[label] = stream.render(b, end)
    for label in SECTIONS:
        if label not in form.sections:
            note("form_section_missing", label, f"section {label} not found", "warning")
            form.sections[label] = ""
    goal_lines = _lines(stream, goal_start[1], goal_end[0] if goal_end else len(stream.text))
    columns = split_goal_columns(goal_lines)
    if columns is None:
        form.sections["实施期目标"] = form.sections["年度目标"] = _join(goal_lines)
        note("form_goal_columns", "总体目标", "columns not separable; whole block used for both")
    else:
        form.sections["实施期目标"], form.sections["年度目标"] = _join(columns[0]), _join(columns[1])

    # indicators: after the header's second 指标值, up to the signature lines
    if goal_end is None:
        note("form_indicators", "绩效指标", "indicator table not found", "warning")
        return form, notes
    heads = stream.find_all("指标值", goal_end[1])
    start = heads[1][1] if len(heads) >= 2 else (heads[0][1] if heads else goal_end[1])
    footer = stream.find(r"负责(?=人|经办)|经办人|联系电话|填报日期", start, aligned=False)
    end = footer[0] if footer else len(stream.text)
    try:
        form.indicators, problems, remarks = parse_indicators(stream, start, end)
    except RecursionError:  # pragma: no cover - pathological rows
        form.indicators, problems, remarks = [], ["rows too tangled to separate"], []
    for p in problems:
        note("form_indicators", "绩效指标", p, "warning")
    for r in remarks:
        note("form_indicator_name", "绩效指标", r)
    return form, notes


def _lines(stream: Stream, a: int, b: int) -> list[str]:
    """Printed lines of [a, b), a page-start line keeping its leading space."""
    out: list[str] = []
    for t in stream.pieces(a, b):
        if t.newline or not out:
            out.append((" " if t.newline and t.line_no in stream.page_starts else "") + t.text)
        else:
            out[-1] += " " + t.text
    return out


_FOOTER = re.compile(r"负责人|经办人|联系电话|填报日")


def signed(block: list[Line]) -> bool:
    """A form that reaches its signature lines (负责人/经办人/联系电话/填报日期): not cut off by the end of the text."""
    return bool(_FOOTER.search("".join("".join(l.text.split()) for l in block)))


def check_complete(blocks: list[list[Line]], source_name: str) -> None:
    """The text must not end inside a form: the last form is the one a cut would leave unsigned."""
    if blocks and not signed(blocks[-1]):
        n, line = len(blocks), blocks[-1][0].no
        raise TruncatedDisclosure(f"the text stops inside performance form {n} (from line {line}): truncated",
                                  file=source_name, table=TABLE,
                                  cn=f"文件在第{n}张项目支出绩效目标表（原文第{line}行起）中间中断（被截断）")


def parse_forms(blocks: list[list[Line]], template: Template, source_name: str
                ) -> tuple[list[PerformanceForm], list[ExtractionNote]]:
    """One PerformanceForm per block (1-based index in printed order) and the notes."""
    forms, notes = [], []
    for i, block in enumerate(blocks, start=1):
        form, form_notes = parse_form(block, i, source_name)
        forms.append(form)
        notes += form_notes
    return forms, notes
