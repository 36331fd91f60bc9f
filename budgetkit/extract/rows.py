"""Printed rows of one table body: labels, amount tokens and their spacing, per layout.

Each layout reader turns the body lines (title, department and unit lines already
removed, header still in place) into ``RawRow``s; which column each value goes to
is decided later (``columns.resolve_columns``) from the table's structure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from budgetkit.core.errors import BadAmount
from budgetkit.core.model import LEAF, SUBTOTAL, TOTAL
from budgetkit.core.money import is_amount
from budgetkit.core.template import Part, TableSpec, Template
from budgetkit.extract.columns import Spacing, spacing_of
from budgetkit.extract.document import Line

IDEOGRAPHIC_SPACE = "\u3000"
_CJK = re.compile(r"[\u3400-\u9fff]")
#: A token meant as an amount but garbled: ASCII letters/digits/separators only, with a digit.
_GARBLED = re.compile(r"^[0-9A-Za-z.,，．()（）+-]*\d[0-9A-Za-z.,，．()（）+-]*$")


@dataclass
class RawRow:
    part: str
    kind: str
    level: int
    key: str
    labels: dict[str, str]
    tokens: list[str]  # amounts as printed, in order
    spacing: Spacing
    line: int
    location: str


@dataclass
class BodyNote:
    """Text in a body that is neither a row label nor an amount."""

    line: int
    text: str


@dataclass
class ReadContext:
    spec: TableSpec
    template: Template
    source_name: str
    notes: list[BodyNote] = field(default_factory=list)
    settled: list[tuple[str, str]] = field(default_factory=list)  # (location, message) settled by structure

    def bad_amount(self, token: str, location: str, line: int) -> BadAmount:
        return BadAmount(f"row '{location}' (line {line}): '{token}' is not an amount",
                         file=self.source_name, table=self.spec.id)


def squeeze(text: str) -> str:
    """Label text without any whitespace (labels wrap and are padded at random)."""
    return re.sub(r"\s+", "", text.replace(IDEOGRAPHIC_SPACE, ""))


def is_column_number_line(text: str) -> bool:
    """'1 2 3 4 5 6 7' under a header: column numbers, not amounts."""
    toks = text.split()
    return len(toks) >= 3 and toks == [str(i) for i in range(1, len(toks) + 1)]


#: Printed in place of an empty cell by some PDFs: an explicit blank.
PLACEHOLDERS = frozenset({"-", "—", "–", "－", "/"})


def is_cell(token: str) -> bool:
    """An amount or an explicit blank ('-')."""
    return token in PLACEHOLDERS or is_amount(token)


def looks_like_amount(token: str) -> bool:
    """A garbled amount ('192.9S', 'l664.74'): ASCII only, mostly digits, yet not an amount."""
    digits = sum(ch.isdigit() for ch in token)
    return bool(_GARBLED.match(token)) and digits * 2 > len(token) and not is_amount(token)


def split_amounts(text: str, ctx: ReadContext, line: int) -> tuple[str, list[str], str]:
    """Split a line into (label part, trailing amount tokens, value segment)."""
    spans = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]
    k = len(spans)
    while k > 0 and is_cell(spans[k - 1][2]):
        k -= 1
    if k > 0 and looks_like_amount(spans[k - 1][2]):
        j = k - 1
        while j > 0 and (is_cell(spans[j - 1][2]) or looks_like_amount(spans[j - 1][2])):
            j -= 1
        label = " ".join(text[:spans[j][0]].replace(IDEOGRAPHIC_SPACE, " ").split())
        raise ctx.bad_amount(spans[k - 1][2], label or "?", line)
    label_end = spans[k - 1][1] if k > 0 else 0
    return text[:label_end], [s[2] for s in spans[k:]], text[label_end:]


# ---------------------------------------------------------------- line-based layouts


@dataclass
class Scanned:
    label: str  # fragments joined (wrapped labels)
    indent: int
    tokens: list[str]
    spacing: Spacing
    line: int  # line where the row starts


def scan_rows(lines: list[Line], ctx: ReadContext, starts_row, complete_label=lambda label: False) -> list[Scanned]:
    """Group body lines into rows: a label may wrap over lines before the line carrying its values.

    ``starts_row(text)`` says whether a line can only be the start of a new row;
    ``complete_label(label)`` whether a value-less label is a whole (blank) row.
    """
    rows: list[Scanned] = []
    pending: Scanned | None = None
    for line in lines:
        text = line.text
        if not text.strip() or is_column_number_line(text):
            continue
        label, tokens, segment = split_amounts(text, ctx, line.no)
        if pending is not None and (starts_row(text) or complete_label(pending.label)):
            rows.append(pending)
            pending = None
        if pending is not None:
            pending.label += label.strip()
            if tokens:
                pending.tokens, pending.spacing = tokens, spacing_of(segment)
                rows.append(pending)
                pending = None
            continue
        if not label.strip():
            if tokens and rows and not rows[-1].tokens:
                rows[-1].tokens, rows[-1].spacing = tokens, spacing_of(segment)
            elif tokens:
                ctx.notes.append(BodyNote(line.no, text.strip()))
            continue
        padded = label.lstrip(" ")
        indent = len(padded) - len(padded.lstrip(IDEOGRAPHIC_SPACE))
        row = Scanned(label.strip(" ").lstrip(IDEOGRAPHIC_SPACE).strip(), indent, tokens, spacing_of(segment), line.no)
        if tokens or text.endswith("  "):
            rows.append(row)  # trailing blank cells: a complete row
        else:
            pending = row
    if pending is not None:
        rows.append(pending)
    return rows


def _total_line(text: str, part: Part) -> bool:
    toks = text.split()
    return bool(toks) and squeeze(toks[0]) in part.total_row_labels and all(is_cell(t) for t in toks[1:])


def body_from(lines: list[Line], is_first_row) -> list[Line]:
    """Drop the header: everything before the first line that is a row, and its repeats on later pages."""
    for i, line in enumerate(lines):
        if line.text.strip() and is_first_row(line.text):
            return lines[i:i + 1] + _without_repeats(lines[i + 1:], lines[:i])
    return []


def _without_repeats(body: list[Line], header: list[Line]) -> list[Line]:
    """Drop the header printed again on a later page: a run starting at a long header line.

    Short fragments ('称', '理资金') alone could equal a piece of a wrapped name, so they
    are dropped only inside such a run.
    """
    pieces = {squeeze(h.text) for h in header if h.text.strip()}
    out, in_run = [], False
    for line in body:
        flat = squeeze(line.text)
        if flat in pieces and (in_run or len(flat) >= 4) or (in_run and not flat):
            in_run = True
            continue
        in_run = False
        out.append(line)
    return out


def _code_row(text: str, lengths: tuple[int, ...]) -> bool:
    m = re.match(r"^\s*(\d+)\s+\S", text)
    return bool(m) and len(m.group(1)) in lengths and not is_amount(text.split()[1])


def _with_children(rows: list[RawRow]) -> None:
    """Kind from printed nesting: a row followed by deeper rows is a subtotal (or the total)."""
    for i, row in enumerate(rows):
        has_children = i + 1 < len(rows) and rows[i + 1].level > row.level
        if row.kind != TOTAL:
            row.kind = SUBTOTAL if has_children else LEAF


def read_functional(lines: list[Line], part: Part, ctx: ReadContext) -> list[RawRow]:
    """Rows '2010601 行政运行 192.95 192.95': code length gives level 类 0 ⊃ 款 1 ⊃ 项 2; 合计 is level -1."""
    lengths = ctx.template.functional_code_lengths
    body = body_from(lines, lambda t: _code_row(t, lengths) or _total_line(t, part))
    scanned = scan_rows(body, ctx, lambda t: _code_row(t, lengths) or _total_line(t, part))
    out = []
    for s in scanned:
        first, _, rest = s.label.partition(" ")
        first = nfkc(first)  # full-width ２０１ is the code 201
        if squeeze(s.label) in part.total_row_labels:
            out.append(RawRow(part.key, TOTAL, -1, "", {"code": "", "name": squeeze(s.label)}, s.tokens,
                              s.spacing, s.line, squeeze(s.label)))
            continue
        if not (first.isdigit() and len(first) in lengths):
            ctx.notes.append(BodyNote(s.line, s.label))
            continue
        name = squeeze(rest)
        out.append(RawRow(part.key, LEAF, lengths.index(len(first)), "", {"code": first, "name": name},
                          s.tokens, s.spacing, s.line, f"{first} {name}"))
    _with_children(out)
    return out


def read_economic(lines: list[Line], part: Part, ctx: ReadContext) -> list[RawRow]:
    """Rows 'dept_econ gov_econ amounts'; economic groups are subtotals (level 0), items level 1."""
    groups = {g for g, _ in ctx.template.economic_groups}
    gov_items = sorted(ctx.template.government_economic_items, key=len, reverse=True)
    dept_key, gov_key = part.label_keys[:2]

    def split_names(label: str) -> tuple[str, str] | None:
        toks = label.split()
        for k in range(1, len(toks)):
            if "".join(toks[k:]) in gov_items:
                return "".join(toks[:k]), "".join(toks[k:])
        flat = squeeze(label)
        for g in gov_items:
            if flat.endswith(g) and len(flat) > len(g):
                return flat[:-len(g)], g
        return None

    def is_row(text: str) -> bool:
        label = re.sub(r"(\s+[\d.,]+)+\s*$", "", text)
        return squeeze(label) in groups or _total_line(text, part) or split_names(label) is not None

    def complete(label: str) -> bool:
        return squeeze(label) in groups or split_names(label) is not None

    body = body_from(lines, lambda t: _total_line(t, part) or (is_row(t) and bool(re.search(r"\d\s*$", t))))
    out = []
    for s in scan_rows(body, ctx, lambda t: _total_line(t, part) or squeeze(t) in groups, complete):
        flat = squeeze(s.label)
        if flat in part.total_row_labels:
            out.append(RawRow(part.key, TOTAL, -1, "", {dept_key: flat, gov_key: ""}, s.tokens, s.spacing,
                              s.line, flat))
        elif flat in groups:
            out.append(RawRow(part.key, SUBTOTAL, 0, "", {dept_key: flat, gov_key: ""}, s.tokens, s.spacing,
                              s.line, flat))
        else:
            names = split_names(s.label)
            if names is None:
                ctx.notes.append(BodyNote(s.line, s.label))
                names = (flat, "")
            out.append(RawRow(part.key, LEAF, 1, "", {dept_key: names[0], gov_key: names[1]}, s.tokens,
                              s.spacing, s.line, f"{names[0]} {names[1]}".strip()))
    return out


def _header_like(text: str, part: Part) -> bool:
    """A header cell or a piece of one ('财政专户管', '理资金'), a year line, or column numbers."""
    flat = squeeze(text)
    headers = [squeeze(n.replace("{year}", "")) for c in (*part.labels, *part.amounts) for n in (c.header, *c.aliases)]
    return (is_column_number_line(text) or bool(re.search(r"\d{4}\s*年", text))
            or any(h and h in flat for h in headers) or any(flat in h for h in headers))


def with_wrapped_first_name(body: list[Line], lines: list[Line], part: Part) -> list[Line]:
    """Give the first row back the start of its name when the name wrapped above its values."""
    if not body or re.search(r"[^\d.,\s]", body[0].text):
        return body  # the first row line carries its own label
    start = lines.index(body[0])
    while start > 0 and (not lines[start - 1].text.strip() or not _header_like(lines[start - 1].text, part)):
        start -= 1
    while start < len(lines) and not lines[start].text.strip():
        start += 1
    return lines[start:]


def read_indented(lines: list[Line], part: Part, ctx: ReadContext, layout: str) -> list[RawRow]:
    """Units (T11) and projects (T12/T13): U+3000 indentation gives the level, names wrap."""
    label_key = part.label_keys[0]

    def first_row(text: str) -> bool:
        return _total_line(text, part) or bool(re.search(r"\d\s*$", text)) and not is_column_number_line(text)

    body = with_wrapped_first_name(body_from(lines, first_row), lines, part)
    scanned = scan_rows(body, ctx, lambda t: t.startswith(IDEOGRAPHIC_SPACE) or _total_line(t, part))
    out = []
    for s in scanned:
        name = squeeze(s.label)
        if name in part.total_row_labels:
            out.append(RawRow(part.key, TOTAL, 0, "", {label_key: name}, s.tokens, s.spacing, s.line, name))
            continue
        level = s.indent + (1 if layout == "units" else 0)
        out.append(RawRow(part.key, LEAF, level, "", {label_key: name}, s.tokens, s.spacing, s.line, name))
    if layout == "projects" and len(out) > 1 and all(s.indent == 0 for s in scanned):
        _nest_by_sums(out, ctx)
    if layout == "projects":
        _with_children(out)
        for row in out:
            if row.level == 0:
                row.kind = TOTAL  # the department line
    return out


def _nest_by_sums(rows: list[RawRow], ctx: ReadContext) -> None:
    """No indentation printed (e.g. text from a PDF): the leading rows whose 合计 equals the sum of
    all rows after them are the department and unit lines, nested in print order."""
    from decimal import Decimal

    def first(r: RawRow) -> Decimal | None:
        tok = next((t for t in r.tokens if t not in PLACEHOLDERS), None)
        return None if tok is None or not is_amount(tok) else Decimal(tok.replace(",", ""))

    values = [first(r) for r in rows]
    if any(v is None for v in values):
        return
    decimals = max((len(t.split(".")[1]) for r in rows for t in r.tokens if "." in t), default=0)
    half = Decimal(1).scaleb(-decimals) / 2
    for k in range(len(rows) - 1, 0, -1):
        head, rest = values[:k], values[k:]
        tolerance = half * (len(rest) + 1)
        if len(set(head)) == 1 and abs(head[0] - sum(rest)) <= tolerance:
            for level, row in enumerate(rows[:k]):
                row.level = level
            for row in rows[k:]:
                row.level = k
            ctx.settled.append((rows[0].location, f"未印缩进：前{k}行的合计等于其后各行之和，按部门/单位/项目层级处理"))
            return


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))



def read_functional_pair(lines: list[Line], spec: TableSpec, ctx: ReadContext) -> dict[str, list[RawRow]]:
    """Income and expenditure functional parts printed side by side (T9).

    A line is cut where a second row (a code or the total label) starts after an
    amount. A lone row goes to the side its code belongs to (a functional class →
    expenditure); a lone total row without values is printed for both sides.
    """
    income, expenditure = spec.parts[0], spec.parts[1]
    lengths = ctx.template.functional_code_lengths
    classes = {c for c, _ in ctx.template.functional_classes}
    totals = set(income.total_row_labels) | set(expenditure.total_row_labels)

    def row_start(toks: list[str], j: int) -> bool:
        tok = toks[j]
        if squeeze(tok) in totals:
            return all(is_amount(t) for t in toks[j + 1:j + 2]) or j + 1 == len(toks)
        return tok.isdigit() and len(tok) in lengths and j + 1 < len(toks) and not is_amount(toks[j + 1])

    body = body_from(lines, lambda t: bool(t.split()) and row_start(t.split(), 0))
    per_part: dict[str, list[Line]] = {income.key: [], expenditure.key: []}
    last = income.key
    for line in body:
        spans = [(m.start(), m.group()) for m in re.finditer(r"\S+", line.text)]
        toks = [t for _, t in spans]
        cuts = [j for j in range(len(toks)) if row_start(toks, j) and (j == 0 or is_amount(toks[j - 1]))]
        if not cuts or cuts[0] != 0:
            per_part[last].append(line)  # continuation of a wrapped name
            continue
        if len(cuts) >= 2:
            cut = spans[cuts[1]][0]
            per_part[income.key].append(Line(line.no, line.text[:cut]))
            per_part[expenditure.key].append(Line(line.no, line.text[cut:]))
            last = expenditure.key
            continue
        values = [t for t in toks[1:] if is_amount(t)]
        if squeeze(toks[0]) in totals and not values:
            per_part[income.key].append(line)
            per_part[expenditure.key].append(line)
            continue
        if toks[0].isdigit():
            last = expenditure.key if toks[0][:3] in classes else income.key
        else:
            last = expenditure.key if len(values) > len(income.amounts) else income.key
        per_part[last].append(line)
    return {p.key: read_functional(per_part[p.key], p, ctx) for p in (income, expenditure)}
