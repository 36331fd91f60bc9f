"""A ruled table read from a PDF (``extract.pdf.GridTable``) → the template's ``Table``.

Columns are found by their printed header paths (``收入预算/合计``, ``合计/预算数``; a code printed
in 类/款/项 cells is joined), rows by the table's layout: fixed rows by their printed label (numbering
stripped; a label printed twice, as 一、一般公共预算财政拨款 under 本年收入 and again under 年初结转,
is the next fixed row of that name), coded rows by their code, side-by-side blocks one after another.
Nothing here knows a document: only the template's words.
"""

from __future__ import annotations

import re

from budgetkit.core.errors import BadAmount
from budgetkit.core.model import LEAF, SUBTOTAL, TOTAL, ExtractionNote, Table
from budgetkit.core.money import parse_amount, to_fen
from budgetkit.core.template import Column, Part, TableSpec, Template
from budgetkit.core.words import squash
from budgetkit.dataset.store import make_frame

_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_YEAR = re.compile(r"(19|20)\d{2}年度?")
_DEPARTMENT_LINE = re.compile(r"^(?:编制部门|编制单位|部门名称|单位名称|预算单位|预算主管部门)\s*[：:]\s*(.+?)\s*$")
_PLACEHOLDER = re.compile(r"^[.…。·\s]+$")
_SPACES = re.compile(r"\s+")


def label_key(text: str) -> str:
    """A row label as compared with the template: no numbering (一、 1. （一） ①), normalised."""
    s = squash(text)
    while True:
        t = _ENUMERATOR.sub("", s)
        if t == s:
            return s
        s = t


# ---------------------------------------------------------------- columns


def _segments(label: str) -> list[str]:
    return [squash(x) for x in label.split("/") if squash(x)]


def _header_matches(path: list[str], header: str, year: int | None) -> bool:
    """A template header (``a/b``; ``{year}``) is the tail of a grid column's header path."""
    want = [squash(x) for x in header.split("/") if squash(x)]
    if not want or len(want) > len(path):
        return False
    for w, p in zip(reversed(want), reversed(path)):
        pattern = re.escape(w).replace(re.escape("{year}"), r"(?:19|20)\d{2}")
        if not re.fullmatch(pattern, p):
            return False
    return True


def _find(paths: dict[int, list[str]], col: Column, year: int | None, taken: set[int]) -> list[int]:
    """Grid columns of a template column: by its header, then its aliases; first free ones."""
    for name in (col.header, *col.aliases):
        hits = [c for c, path in paths.items() if c not in taken and _header_matches(path, name, year)]
        if hits:
            return hits
        # a header that names a group (功能分类科目编码 over 类/款/项): every column under it
        want = squash(name)
        under = [c for c, path in paths.items() if c not in taken and want in path[:-1]]
        if under:
            return under
    return []


def map_columns(paths: dict[int, list[str]], part: Part, year: int | None) -> tuple[dict[str, list[int]], list[str]]:
    """Template column key → grid columns (several for a split code), and the columns not printed."""
    taken: set[int] = set()
    out: dict[str, list[int]] = {}
    missing = []
    for col in [*part.amounts, *part.labels]:  # amounts first: their headers are the most specific
        hits = _find(paths, col, year, taken)
        if col.key != "code":
            hits = hits[:1]
        if hits:
            out[col.key] = hits
            taken.update(hits)
        else:
            missing.append(col.key)
    return out, missing


# ---------------------------------------------------------------- rows


def _amount(text: str, unit: str, where: str) -> int | None:
    s = text.strip()
    if not s or _PLACEHOLDER.match(s):
        return None
    try:
        return to_fen(parse_amount(s), unit)
    except BadAmount as exc:
        raise BadAmount(f"{where}: {exc.what}") from None


def _decimals(text: str) -> int:
    s = squash(text)
    return len(s.split(".", 1)[1]) if "." in s and re.fullmatch(r"[\d,().-]+\.\d+", s) else 0


def _cells(grid_row, cols: list[int]) -> list[str]:
    return [grid_row.cells[c] if c < len(grid_row.cells) else "" for c in cols]


def _code(parts: list[str], widths: list[int]) -> str:
    """A code printed whole or in 类/款/项 cells: a 款 printed '2' is 02 (the cells have fixed widths)."""
    parts = [re.sub(r"\s+", "", p) for p in parts]
    if len(parts) == 1:
        return parts[0]
    if not all(p.isdigit() for p in parts if p):
        return "".join(parts)
    return "".join(p.zfill(w) if i and p else p for i, (p, w) in enumerate(zip(parts, widths + [2] * len(parts))))


def _class_from_context(parts: list[str], widths: list[int], records: list[dict]) -> str | None:
    """The 类 of a code printed in 类/款/项 cells whose 类 cell is not a 类 (blank, or a number of the
    wrong width: "7 11 02" under "210 11"), taken from the coded row printed just above it — that
    row's own 类 when it is one, or its 类 when it has the same 款. None when the context does not say."""
    cells = [re.sub(r"\s+", "", p) for p in parts]
    if len(cells) < 2 or not cells[1] or not all(c.isdigit() for c in cells[1:] if c):
        return None
    head = cells[0]
    if head and (not head.isdigit() or len(head) == widths[0]):
        return None
    previous = next((r["code"] for r in reversed(records) if str(r.get("code", "")).isdigit()), "")
    if len(previous) == widths[0]:
        return previous
    kuan = cells[1].zfill(widths[1])
    if len(previous) > widths[0] and previous[widths[0]:widths[0] + widths[1]] == kuan:
        return previous[:widths[0]]
    return None


class _FixedRows:
    """Fixed rows of a part matched by printed label, in order (a label printed twice is the next one)."""

    def __init__(self, part: Part):
        self.rows = list(part.rows)
        self.used: set[str] = set()
        self.names = [{label_key(n) for n in (r.label, *r.aliases)} for r in self.rows]
        self.position = 0

    def match(self, label: str):
        key = label_key(label)
        if not key:
            return None
        order = list(range(self.position, len(self.rows))) + list(range(0, self.position))
        for i in order:
            r = self.rows[i]
            if r.key not in self.used and key in self.names[i]:
                self.used.add(r.key)
                self.position = i + 1
                return r
        return None


def _part_rows(grid, spec: TableSpec, part: Part, template: Template, columns: dict[str, list[int]],
               unit: str, row_range: list, notes: list[ExtractionNote]) -> list[dict]:
    """Records of one part (or one side-by-side block of it) from the grid rows."""
    coded = "code" in columns
    lengths = sorted(spec.code_lengths or template.functional_code_lengths)
    fixed = _FixedRows(part) if part.rows else None
    totals = {squash(x) for x in part.total_row_labels}
    label_cols = [k for k in part.label_keys if k in columns]
    records = []
    widths = [lengths[0]] + [b - a for a, b in zip(lengths, lengths[1:])]  # 类 3, 款 2, 项 2
    for grid_row in row_range:
        labels = {k: _code(_cells(grid_row, columns[k]), widths) if k == "code"
                  else (_cells(grid_row, columns[k]) or [""])[0].strip() for k in label_cols}
        where = f"{spec.label}第{len(records) + 1}行"
        if coded and len(columns["code"]) > 1:
            code_cells = _cells(grid_row, columns["code"])
            head = _class_from_context(code_cells, widths, records)
            if head is not None:
                cells = [re.sub(r"\s+", "", c) for c in code_cells]
                labels["code"] = _code([head, *code_cells[1:]], widths)
                n = len(records) + 1
                why = "为空" if not cells[0] else f"为“{cells[0]}”，不是{widths[0]}位编码"
                notes.append(ExtractionNote(
                    "misprinted_code", spec.id, f"第{n}行 {labels['code']} {labels.get('name', '')}".strip(),
                    f"{spec.label} 第{n}行科目编码印刷为“{' '.join(c or '（空）' for c in cells)}”，“类”一格{why}；"
                    f"按上一行的编码读作“{labels['code']}”，疑为编码印刷错误，请对照原文核对", "warning"))
        amounts = {c.key: _amount((_cells(grid_row, columns[c.key]) or [""])[0], unit, where)
                   for c in part.amounts if c.key in columns}
        texts = [v for v in labels.values() if v]
        if not texts and all(v is None for v in amounts.values()):
            continue  # nothing printed on this side of the row
        if texts and all(_PLACEHOLDER.match(t) for t in texts) and all(v is None for v in amounts.values()):
            continue  # "………" in a blank template
        rec = {"kind": LEAF, "level": 0, "key": "", **{k: "" for k in part.label_keys}, **labels, **amounts}
        first = next((v for v in labels.values() if v), "")
        code = labels.get("code", "")
        if code and not code.isdigit() and squash(code) in totals | {"合计"}:  # 合计 printed in the code column
            rec["name"], rec["code"], code = rec.get("name") or code, "", ""
            first = rec["name"]
        matched = fixed.match(first) if fixed is not None else None
        if matched is not None and matched.code and label_key(first) in template.former_class_names:
            notes.append(ExtractionNote(
                "former_class_name", spec.id, f"{part.name or ''} {first}".strip(),
                f"{spec.label} 写作“{label_key(first)}”，是改革前的科目名称；现行{matched.code}类为"
                f"“{template.class_name(matched.code)}”", "warning"))
        if matched is not None:
            rec["key"], rec["kind"] = matched.key, matched.kind
            rec["level"] = 1 if matched.group not in (None, "current") and matched.kind == LEAF else 0
            if matched.kind == TOTAL:
                rec["level"] = -1 if coded else 0
        elif coded and code.isdigit() and len(code) in lengths:
            rec["level"] = lengths.index(len(code))
        elif any(squash(t) in totals for t in texts):
            rec["kind"], rec["level"] = TOTAL, -1
        elif fixed is not None and part.rows and any(v is not None for v in amounts.values()):
            notes.append(ExtractionNote("unknown_row", spec.id, f"{part.name or ''} {first}".strip(),
                                        f"{spec.label} 有一行“{first}”不在模板的固定行中，保留但不参与合计", "warning"))
        elif coded and code and not code.isdigit():
            notes.append(ExtractionNote("unknown_row", spec.id, first, f"{spec.label} 科目编码“{code}”不是数字", "warning"))
        records.append(rec)
    if coded:  # a code with longer codes under it is a subtotal (类, 款), the others detail (项)
        codes = [r["code"] for r in records if r.get("code")]
        for r in records:
            c = r.get("code", "")
            if c and r["kind"] == LEAF and any(o != c and o.startswith(c) for o in codes):
                r["kind"] = SUBTOTAL
    return records


# ---------------------------------------------------------------- the table


def _paths(grid, cols: range) -> dict[int, list[str]]:
    return {c: _segments(grid.column_labels[c]) for c in cols}


def _blocks(grid) -> list[range]:
    return [range(a, b) for a, b in (grid.blocks or [(0, grid.ncols)])]


def printed_year(title: str) -> int | None:
    m = _YEAR.search(squash(title))
    return int(m.group(0)[:4]) if m else None


def printed_department(line: str) -> str:
    m = _DEPARTMENT_LINE.match(squash(line))
    return m.group(1) if m else ""


def to_table(grid, spec: TableSpec, template: Template, year: int | None) -> tuple[Table, list[ExtractionNote]]:
    """The template's table from a grid: parts by side-by-side blocks (or blocks stacked into one part)."""
    notes: list[ExtractionNote] = []
    unit = grid.unit or template.default_unit
    blocks = _blocks(grid)
    parts: dict[str, object] = {}
    absent: dict[str, tuple[str, ...]] = {}
    decimals = [_decimals(c) for r in grid.rows for c in r.cells]
    if len(spec.parts) > 1:  # two-sided: one block per part, in printed order
        if len(blocks) != len(spec.parts):
            blocks = _split_evenly(grid, spec)
        pairs = list(zip(spec.parts, [[b] for b in blocks]))
    else:  # one part; several blocks are printed side by side and read one after another
        pairs = [(spec.parts[0], blocks)]
    for part, part_blocks in pairs:
        records = []
        missing_all = None
        for block in part_blocks:
            columns, missing = map_columns(_paths(grid, block), part, year)
            required = [k for k in missing if not next(c for c in (*part.labels, *part.amounts) if c.key == k).optional]
            if required and len(part_blocks) == 1:
                notes.append(ExtractionNote("column_missing", spec.id, part.name or spec.title,
                                            f"{spec.label} 未找到列：" + "、".join(required) + "（按未公开处理）", "warning"))
            missing_all = set(missing) if missing_all is None else missing_all & set(missing)
            records += _part_rows(grid, spec, part, template, columns, unit, grid.rows, notes)
        for i, rec in enumerate(records, start=1):
            rec["row_no"] = i
        parts[part.key] = make_frame(records, part)
        gone = tuple(k for k in part.amount_keys if k in (missing_all or set()))
        if gone:
            absent[part.key] = gone
    declared = any(d in squash(n) for n in grid.notes for d in template.empty_declarations)
    table = Table(id=spec.id, title=grid.title or spec.title, unit=unit,
                  decimals=max(decimals) if any(decimals) else (2 if unit == "万元" else 0),
                  parts=parts, declared_empty=declared, source_line=grid.pages[0] if grid.pages else None,
                  printed_department=printed_department(grid.department_line),
                  printed_year=printed_year(grid.title), absent_columns=absent)
    return table, notes


def _split_evenly(grid, spec: TableSpec) -> list[range]:
    """Two parts but no repeated block structure: split the columns where the second part's label column is."""
    n = grid.ncols
    first_part = spec.parts[0]
    width = len(first_part.labels) + len(first_part.amounts)
    return [range(0, min(width, n)), range(min(width, n), n)]
