"""第二部分 → the template's Table objects (part frames in integer 分).

Tables are found by their printed titles (template titles/aliases, year and
'表一' numbering ignored), not by position; each table block is read by its
layout's reader (rows.py, fixed_rows.py) and every value is put into its column
by the table's structure (columns.py).

Errors: no recognisable table → NotADisclosure; a table without a unit line →
UnitError; a garbled amount → BadAmount (file, table, row); text that visibly stops
inside its last table → TruncatedDisclosure naming the tables never printed. A table
simply missing from an otherwise complete text is left out (completeness rules).

Levels: two-sided/fixed rows are level 0 (items under a subtotal printed above
them, like 上年财政拨款结转, level 1); functional tables: 合计 −1, 类 0, 款 1, 项 2;
economic: 合计 −1, groups 0, items 1; units: 部门合计 0, units 1; projects:
indentation (0 department total, 1 unit, 2 project).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from budgetkit.core.errors import (
    BadAmount,
    NotADisclosure,
    TruncatedDisclosure,
    UnitError,
)
from budgetkit.core.model import TOTAL, ExtractionNote, Table
from budgetkit.core.money import parse_amount, quantum_fen, rounding_tolerance, to_fen
from budgetkit.core.template import Part, TableSpec, Template
from budgetkit.dataset.store import make_frame
from budgetkit.extract.columns import CellRow, ColumnIdentity, resolve_columns
from budgetkit.extract.document import Line
from budgetkit.extract.fixed_rows import read_fixed
from budgetkit.extract.rows import (
    PLACEHOLDERS,
    RawRow,
    ReadContext,
    nfkc,
    read_economic,
    read_functional,
    read_functional_pair,
    read_indented,
)

_NUMBERING = re.compile(r"^表[一二三四五六七八九十]+")
_YEAR = re.compile(r"^\d{4}年度?")
_MARKER = re.compile(r"^\s*(表[一二三四五六七八九十]+|(预算|部门)公开表\s*\d+)\s*$")
_UNIT = re.compile(r"单位\s*[：:]\s*(亿元|万元|元)")
_DEPARTMENT = re.compile(r"部门名称\s*[：:]\s*(.*?)(?:\s+单位\s*[：:].*)?$")
_META_LINE = re.compile(r"^\s*(部门名称|单位)\s*[：:]")


@dataclass
class Block:
    spec: TableSpec
    lines: list[Line]
    title_lines: set[int]
    title: str = ""  # as first printed (both lines when it wraps)


def title_spec(text: str, template: Template) -> TableSpec | None:
    """The table a title line names (``Template.spec_for_title``)."""
    return template.spec_for_title(text)


def find_blocks(lines: list[Line], template: Template) -> list[Block]:
    """Cut the tables part into one block per printed table (a repeated title stays in its block)."""
    blocks: list[Block] = []
    nonblank = [l for l in lines if l.text.strip()]
    skip_next = False
    for i, line in enumerate(nonblank):
        if skip_next:
            skip_next = False
            if blocks:
                blocks[-1].lines.append(line)
                blocks[-1].title_lines.add(line.no)
            continue
        spec = title_spec(line.text, template) if "表" in line.text and len(line.text.strip()) <= 60 else None
        joined = False
        if (spec is None and i + 1 < len(nonblank) and len(line.text.strip()) <= 40
                and "表" in line.text + nonblank[i + 1].text and not re.search(r"\d\.\d", line.text)):
            spec = title_spec(line.text + nonblank[i + 1].text, template)
            joined = spec is not None
        if spec is not None and (not blocks or blocks[-1].spec.id != spec.id):
            title = line.text.strip() + (nonblank[i + 1].text.strip() if joined else "")
            blocks.append(Block(spec, [], set(), title))
        if blocks:
            blocks[-1].lines.append(line)
            if spec is not None:
                blocks[-1].title_lines.add(line.no)
                skip_next = joined
    return blocks


def parse_tables(lines: list[Line], template: Template, source_name: str
                 ) -> tuple[dict[str, Table], list[ExtractionNote]]:
    """Every table printed in the tables part, keyed by template id, with extraction notes."""
    blocks = find_blocks(lines, template)
    if not blocks:
        raise NotADisclosure(f"no table of template {template.id} found in the tables part", file=source_name)
    tables: dict[str, Table] = {}
    notes: list[ExtractionNote] = []
    state = COMPLETE
    for i, block in enumerate(blocks):
        state = COMPLETE
        if i < len(blocks) - 1 and all(l.no in block.title_lines for l in block.lines):
            continue  # a title alone, e.g. a list of the tables before them: nothing to read
        if block.spec.id in tables:
            notes.append(ExtractionNote("duplicate_table", block.spec.id, f"第{block.lines[0].no}行",
                                        f"{block.spec.id} 重复出现，只保留第一次", "warning"))
            continue
        try:
            table, table_notes, state = parse_block(block, template, source_name)
        except UnitError:
            if i == len(blocks) - 1 and not any(re.search(r"\d\.\d", l.text) for l in block.lines):
                raise_truncated(block.spec.id, template, tables, source_name)  # cut before its unit line
            raise
        tables[table.id] = table
        notes.extend(table_notes)
    last = blocks[-1].spec.id
    later = [t for t in template.table_ids[template.table_ids.index(last) + 1:] if t not in tables]
    if state == CUT or (state == SHORT and later):
        raise_truncated(last, template, tables, source_name)
    return tables, notes


#: How the last table ends: complete; SHORT = its total exceeds its printed rows or it has no values
#: (a weak sign, only trusted when the template's later tables are missing too); CUT = no rows, a row
#: label without values, or a fixed table without its final row.
COMPLETE, SHORT, CUT = "complete", "short", "cut"


def raise_truncated(table_id: str, template: Template, tables: dict, source_name: str) -> None:
    later = [t for t in template.table_ids[template.table_ids.index(table_id) + 1:] if t not in tables]
    missing = f"; tables {', '.join(later)} are missing" if later else ""
    raise TruncatedDisclosure(f"the text stops inside table {table_id}{missing}", file=source_name)


def parse_block(block: Block, template: Template, source_name: str) -> tuple[Table, list[ExtractionNote], str]:
    spec = block.spec
    texts = [l.text for l in block.lines]
    title = _NUMBERING.sub("", block.title).strip()
    year = re.search(r"(\d{4})\s*年", title)
    unit = next((m.group(1) for t in texts for m in [_UNIT.search(nfkc(t))] if m), None)
    if unit is None:
        raise UnitError("no unit line (单位：万元) found for the table", file=source_name, table=spec.id)
    department = next((m.group(1).strip() for t in texts for m in [_DEPARTMENT.search(t.strip())] if m), "")
    declared_empty = any(d in t for t in texts for d in template.empty_declarations)
    body = [l for l in block.lines if l.no not in block.title_lines and not _MARKER.match(l.text)
            and not _META_LINE.match(l.text) and not any(d in l.text for d in template.empty_declarations)]
    ctx = ReadContext(spec, template, source_name)
    raw = read_layout(body, spec, ctx)
    tokens = [t for rows in raw.values() for r in rows for t in r.tokens]
    decimals = max((len(t.split(".")[1]) if "." in t else 0 for t in tokens), default=template.amount_decimals)
    quantum = quantum_fen(unit, decimals)
    notes = [ExtractionNote("unrecognised_text", spec.id, f"第{n.line}行", f"未识别的文字：{n.text}", "warning")
             for n in ctx.notes]
    notes += [ExtractionNote("levels_inferred", spec.id, loc, msg, "info") for loc, msg in ctx.settled]
    parts, states = {}, []
    for part in spec.parts:
        rows = raw.get(part.key, [])
        frame, part_notes, part_state = build_part(rows, part, spec, unit, quantum, ctx)
        parts[part.key] = frame
        notes.extend(part_notes)
        states.append(COMPLETE if declared_empty else part_state)
    table = Table(id=spec.id, title=title, unit=unit, decimals=decimals, parts=parts, declared_empty=declared_empty,
                  source_line=block.lines[0].no, printed_department=department,
                  printed_year=int(year.group(1)) if year else None)
    state = CUT if CUT in states else SHORT if SHORT in states else COMPLETE
    return table, notes, state


def read_layout(body: list[Line], spec: TableSpec, ctx: ReadContext) -> dict[str, list[RawRow]]:
    if spec.layout in ("two_sided", "fixed"):
        return read_fixed(body, spec, ctx)
    if spec.layout == "functional_two_sided":
        return read_functional_pair(body, spec, ctx)
    part = spec.parts[0]
    if spec.layout == "functional":
        return {part.key: read_functional(body, part, ctx)}
    if spec.layout == "economic":
        return {part.key: read_economic(body, part, ctx)}
    if spec.layout in ("units", "projects"):
        return {part.key: read_indented(body, part, ctx, spec.layout)}
    raise ValueError(f"template layout {spec.layout!r} has no reader")


def sum_groups(rows: list[RawRow], part: Part) -> list[tuple[int, list[int]]]:
    """(parent, children) row indices that must add up: template sum_of, else printed nesting."""
    if part.rows:
        where = {r.key: i for i, r in enumerate(rows)}
        by_key = {f.key: f for f in part.rows}
        return [(i, [where[k] for k in by_key[r.key].sum_of if k in where])
                for i, r in enumerate(rows) if by_key[r.key].sum_of and any(k in where for k in by_key[r.key].sum_of)]
    groups = []
    for i, row in enumerate(rows):
        if row.kind == TOTAL:
            children = [j for j, r in enumerate(rows) if r.level == row.level + 1]
        else:
            children = []
            for j in range(i + 1, len(rows)):
                if rows[j].level <= row.level:
                    break
                if rows[j].level == row.level + 1:
                    children.append(j)
        if children:
            groups.append((i, children))
    return groups


def build_part(rows: list[RawRow], part: Part, spec: TableSpec, unit: str, quantum: int, ctx: ReadContext
               ) -> tuple[pd.DataFrame, list[ExtractionNote], str]:
    """The part frame, the column notes, and how the part ends (COMPLETE, SHORT or CUT)."""
    n_cols = len(part.amounts)
    cells = []
    for r in rows:
        if len(r.tokens) > n_cols:
            raise BadAmount(f"row '{r.location}' (line {r.line}): {len(r.tokens)} amounts for {n_cols} amount columns",
                            file=ctx.source_name, table=spec.id)
        values = []
        for tok in r.tokens:
            if tok in PLACEHOLDERS:
                continue
            try:
                values.append(to_fen(parse_amount(tok), unit))
            except BadAmount:
                raise ctx.bad_amount(tok, r.location, r.line) from None
        # every cell printed ('-' for the empty ones): the columns are known
        fixed = (tuple(c for c, tok in enumerate(r.tokens) if tok not in PLACEHOLDERS)
                 if len(r.tokens) == n_cols else None)
        cells.append(CellRow(values, r.spacing, r.location, fixed=fixed))
    keys = part.amount_keys
    identities = [ColumnIdentity(keys.index(lhs), tuple(keys.index(t) for t in rhs))
                  for lhs, rhs in part.identities() if lhs in keys and all(t in keys for t in rhs)]
    groups = sum_groups(rows, part)
    placements, notes = resolve_columns(cells, [c.header.replace("{year}", "") or c.key for c in part.amounts],
                                        identities, groups, quantum, spec.id)
    records = []
    for n, (r, cell, placement) in enumerate(zip(rows, cells, placements), start=1):
        rec = {"row_no": n, "kind": r.kind, "level": r.level, "key": r.key, **r.labels}
        for c, key in enumerate(keys):
            rec[key] = cell.values[placement.index(c)] if c in placement else None
        records.append(rec)
    deepest = {"functional": len(ctx.template.functional_code_lengths) - 1, "functional_two_sided":
               len(ctx.template.functional_code_lengths) - 1, "economic": 1}.get(spec.layout)
    state = _looks_complete(rows, cells, placements, groups, part, quantum, deepest)
    return make_frame(records, part), notes, state


def _looks_complete(rows, cells, placements, groups, part: Part, quantum: int, deepest: int | None) -> str:
    """Whether the part visibly stops early (see COMPLETE, SHORT, CUT).

    ``deepest``: the level the last row of a complete part has (项 rows, economic items), if fixed.
    """
    if not rows:
        return CUT
    if part.rows:
        return COMPLETE if any(r.key == part.rows[-1].key for r in rows) else CUT
    if not cells[-1].values and rows[-1].kind != TOTAL and not rows[-1].spacing.trailing:
        return CUT  # a wrapped label whose values never came
    if not any(c.values for c in cells):
        return SHORT
    if deepest is not None and rows[-1].kind != TOTAL and rows[-1].level < deepest:
        return SHORT  # ends on a 类/款 or group row whose items never came
    parents = {p for p, _ in groups}
    if any(r.kind == TOTAL and c.values and i not in parents for i, (r, c) in enumerate(zip(rows, cells))):
        return SHORT  # a total row and nothing under it

    def first(i: int) -> int:
        return cells[i].values[placements[i].index(0)] if 0 in placements[i] else 0

    for parent, children in groups:
        if first(parent) - sum(first(c) for c in children) > rounding_tolerance(len(children) + 1, quantum):
            return SHORT
    return COMPLETE
