"""Every identity a printed table should satisfy, rebuilt from the printed rows beneath each sum.

Each printed sum is an *identity*: a printed cell and the printed cells it should
add up to (类 = Σ 款, 合计 = 基本支出 + 项目支出, 收入总计 = 支出总计 …). The
structure comes from the template (code lengths, economic groups, fixed rows,
row identities), never from the document's numbers. Arithmetic is in integer 分;
the rounding tolerance of an identity counts its printed values (terms + total).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import pandas as pd

from budgetkit.core.model import SUBTOTAL, TOTAL, Table, amount_list, column_list
from budgetkit.core.money import classify_difference, rounding_tolerance
from budgetkit.core.template import Part, TableSpec, Template


@dataclass(frozen=True)
class Identity:
    """One printed cell that should equal the sum of other printed cells."""

    rule: str  # the owning within-table rule: within.<role>.<group>
    table: str
    part: str
    row: int  # frame index of the printed cell (lhs)
    column: str  # amount column key of the printed cell
    location: str  # '2101101 行政单位医疗 / 合计'
    relation: str  # what it should equal, in Chinese: '各类之和', '基本支出 + 项目支出'
    printed: int | None
    terms: tuple[int | None, ...]

    @property
    def group(self) -> str:
        """Which kind of sum: hierarchy, groups, row_total, income_sums, balance …"""
        return self.rule.rsplit(".", 1)[1]

    @property
    def recomputed(self) -> int:
        return sum(t for t in self.terms if t is not None)

    @property
    def difference(self) -> int:
        """Printed minus recomputed, in 分 (a blank printed cell counts as 0)."""
        return (self.printed or 0) - self.recomputed

    @property
    def n_printed(self) -> int:
        """Rounded values in the identity: non-blank terms plus the printed total."""
        return sum(t is not None for t in self.terms) + (self.printed is not None)

    def status(self, quantum: int) -> str:
        return classify_difference(self.difference, self.n_printed, quantum)

    def tolerance(self, quantum: int) -> int:
        return rounding_tolerance(self.n_printed, quantum)


# ---------------------------------------------------------------- row helpers


class Cells:
    """Read-only cell access to a part frame, ``cells.at[idx, col]`` like pandas but ~50× faster.

    Rebuilding a table reads every cell several times; pandas' ``.at`` dominates otherwise.
    A column is copied when first read, so the frame must not change while a run reads it.
    """

    def __init__(self, df: pd.DataFrame):
        self.columns = list(df.columns)
        self.column_names = frozenset(self.columns)  # for asking whether a column is printed
        self.index = list(df.index)
        self.empty = df.empty
        self._frame = df
        self._lists: dict = {}  # column -> its values in row order, read once per run
        self._data: dict = {}  # column -> {index: value}, made when a rule first reads the column
        self._amounts: dict = {}  # amount column -> {index: 分 or None}
        self._codes: dict[int, str] | None = None
        self._first_of_code: dict[str, int] | None = None
        self._fixed_rows: dict = {}  # id(Part) -> fixed_row_index (the template keeps its parts alive)
        self._total_rows: dict = {}  # id(Part) -> the rows is_total_row finds

    @property
    def at(self) -> Cells:  # a property, not ``self.at = self``: no cycle, so refcounting frees a run's cells
        return self

    def __getitem__(self, key):
        idx, col = key
        column = self._data.get(col)
        if column is None:
            column = self._data[col] = dict(zip(self.index, self.column(col)))
        return column[idx]

    def column(self, col: str) -> list:
        """A column as a plain list in row order (what ``frame[col].tolist()`` gives, blanks as NA)."""
        values = self._lists.get(col)
        if values is None:
            values = self._lists[col] = column_list(self._frame, col)
        return values

    def amount(self, idx: int, col: str) -> int | None:
        """A printed amount in 分, None when blank."""
        column = self._amounts.get(col)
        if column is None:
            column = self.amounts(col)
        return column[idx]

    def amounts(self, col: str) -> dict[int, int | None]:
        """An amount column as {row: 分 or None}, for reading every row of it."""
        column = self._amounts.get(col)
        if column is None:
            column = self._amounts[col] = dict(zip(self.index, amount_list(self._frame, col)))
        return column

    def codes(self) -> dict[int, str]:
        """Each row's code without spaces ('' without a code column): code look-ups read them again and again."""
        if self._codes is None:
            if "code" in self.column_names:
                self._codes = {i: _without_spaces(str(c)) for i, c in zip(self.index, self.column("code"))}
            else:
                self._codes = dict.fromkeys(self.index, "")
        return self._codes

    def first_row_of_code(self, code: str) -> int | None:
        """The first row printing this code (without spaces), or None."""
        if self._first_of_code is None:
            self._first_of_code = {}
            for i, c in self.codes().items():
                self._first_of_code.setdefault(c, i)
        return self._first_of_code.get(code)


def _val(cells: Cells, idx: int, col: str) -> int | None:
    return cells.amount(idx, col)


def _norm(text: str) -> str:
    return _without_spaces(str(text or ""))


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)  # the same labels are compared by every layout and rule
def _without_spaces(text: str) -> str:
    return _SPACES.sub("", text)


def header(col, year: int | None) -> str:
    """A column's header as printed ('2024年合计'); without a year, the header minus the placeholder."""
    return col.printed(year).replace("{year}", "") if year is None else col.printed(year)


def is_total_row(frame: pd.DataFrame, idx: int, part: Part) -> bool:
    """The part's 合计行 / 部门合计: kind 'total', or a label printed as one of the template's total labels."""
    if isinstance(frame, Cells):  # every layout and rule asks it of every row: found once per part
        totals = frame._total_rows.get(id(part))
        if totals is None:
            totals = frame._total_rows[id(part)] = _total_rows(frame, part)
        return idx in totals
    return _is_total_row(frame, idx, part)


def _total_rows(cells: Cells, part: Part) -> frozenset[int]:
    """The rows ``_is_total_row`` finds, read column by column."""
    labels = part.total_labels_without_spaces
    rows = zip(cells.index, cells.column("kind"), *(cells.column(k) for k in part.label_keys))
    return frozenset(i for i, kind, *texts in rows if kind == TOTAL or any(_norm(t) in labels for t in texts))


def _is_total_row(frame, idx: int, part: Part) -> bool:
    if frame.at[idx, "kind"] == TOTAL:
        return True
    labels = part.total_labels_without_spaces
    return any(_norm(frame.at[idx, k]) in labels for k in part.label_keys)


def row_label(frame: pd.DataFrame, idx: int, part: Part, layout: str) -> str:
    """How an auditor names the row: '2101101 行政单位医疗', '合计行', '基本工资（工资奖金津补贴）'."""
    values = [str(frame.at[idx, k]).strip() for k in part.label_keys]
    values = [v for v in values if v]
    kind = frame.at[idx, "kind"]
    if layout in ("functional", "functional_two_sided", "economic") and is_total_row(frame, idx, part):
        return "合计行"
    if layout == "economic" and len(values) == 2:
        return f"{values[0]}（{values[1]}）"
    text = " ".join(values) or f"第{int(frame.at[idx, 'row_no'])}行"
    if layout in ("projects", "units") and not is_total_row(frame, idx, part) and kind == SUBTOTAL:
        return f"{text}（小计）"
    if layout in ("projects", "units") and kind == TOTAL and not any(
            _norm(v) in part.total_labels_without_spaces for v in values):
        return f"{text}（合计）"
    return text


def _holds(printed: int | None, terms) -> bool:
    """``Identity.difference == 0`` without the identity (a blank cell counts 0: ``filter`` drops blanks and zeros)."""
    return (printed or 0) == sum(filter(None, terms))


def _part_name(spec: TableSpec, part: Part) -> str:
    return f"{part.name} " if len(spec.parts) > 1 and part.name else ""


class _Builder:
    """Collects the identities of one table part.

    ``holding``: a set, or None to keep every identity. Given a set, an identity that holds is not
    built (no location, no ``Identity``), only its rule id is put in the set: a check reports only
    the identities that fail, and most of a table's hold.
    """

    def __init__(self, table: Table, spec: TableSpec, part: Part, frame: pd.DataFrame, holding: set | None = None):
        self.table, self.spec, self.part, self.frame = table, spec, part, frame
        self.out: list[Identity] = []
        self.holding = holding
        self._labels: dict[int, str] = {}

    def label(self, idx: int) -> str:
        """The row's name in locations (made once per row: a row is in an identity per amount column)."""
        if idx not in self._labels:
            self._labels[idx] = _part_name(self.spec, self.part) + row_label(self.frame, idx, self.part,
                                                                             self.spec.layout)
        return self._labels[idx]

    def add(self, group: str, idx: int, children: list[int], relation: str) -> None:
        """Row ``idx`` = Σ rows ``children``, in every amount column."""
        rule, holding = f"within.{self.spec.role}.{group}", self.holding
        for key, head, column in self.amount_columns:
            cell = column.__getitem__
            if holding is not None and _holds(column[idx], map(cell, children)):  # no terms kept for one that holds
                holding.add(rule)
                continue
            printed, terms = column[idx], tuple(map(cell, children))
            self.out.append(Identity(
                rule=rule, table=self.spec.id, part=self.part.key, row=idx, column=key,
                location=f"{self.label(idx)} / {head}", relation=relation, printed=printed, terms=terms))

    @cached_property
    def amount_columns(self) -> list[tuple[str, str, dict[int, int | None]]]:
        """(key, header as printed, {row: 分}) of each amount column."""
        year = self.table.printed_year
        return [(col.key, header(col, year), self.frame.amounts(col.key)) for col in self.part.amounts]

    def row_identities(self) -> None:
        """Each row's identities between its columns (合计 = 基本支出 + 项目支出; 年末 = 年初 + 收入 − 支出).

        An identity naming a column the document does not print (an optional column) is not checked.
        """
        year = self.table.printed_year
        absent = set(self.table.absent_columns.get(self.part.key, ()))
        cols = {c.key: c for c in self.part.amounts if c.key not in absent}
        for lhs, rhs in self.part.signed_identities():
            if lhs not in cols or any(t not in cols for _, t in rhs):
                continue
            relation = "".join(("" if i == 0 and sign > 0 else " + " if sign > 0 else " − ") + header(cols[t], year)
                               for i, (sign, t) in enumerate(rhs))
            rule, head, left = f"within.{self.spec.role}.row_total", header(cols[lhs], year), self.frame.amounts(lhs)
            signs, right = [sign for sign, _ in rhs], [self.frame.amounts(t) for _, t in rhs]
            holding, n_terms = self.holding, len(rhs)
            for idx in self.frame.index:
                printed = left[idx]
                values = [column[idx] for column in right]
                if printed is None and values.count(None) == n_terms:
                    continue
                terms = tuple([None if v is None else sign * v for sign, v in zip(signs, values)])
                if holding is not None and _holds(printed, terms):
                    holding.add(rule)
                    continue
                self.out.append(Identity(
                    rule=rule, table=self.spec.id, part=self.part.key, row=idx,
                    column=lhs, location=f"{self.label(idx)} / {head}", relation=relation,
                    printed=printed, terms=terms))


# ---------------------------------------------------------------- layouts


def _functional(b: _Builder, template: Template) -> None:
    """类 = Σ 款, 款 = Σ 项 (by code prefix), 合计行 = Σ 类 (rows without a printed parent).

    A table printed in side-by-side blocks, each ending in its own total (人员经费合计, 公用经费合计),
    is read as the blocks one after another: a total printed after some 类 sums the 类 since the
    previous total; a total printed before any (合计 on top) sums all of them.
    """
    frame, lengths = b.frame, sorted(b.spec.code_lengths or template.functional_code_lengths)
    code_of: dict[int, str] = {}
    for idx, code in frame.codes().items():
        if code.isdigit() and len(code) in lengths:
            code_of[idx] = code
    first_row = {}
    for idx, code in code_of.items():
        first_row.setdefault(code, idx)
    children: dict[int, list[int]] = {}
    roots: list[int] = []
    for idx, code in code_of.items():
        parent = next((first_row[code[:n]] for n in reversed(lengths) if n < len(code) and code[:n] in first_row),
                      None)
        (children.setdefault(parent, []) if parent is not None else roots).append(idx)
    for idx, kids in children.items():
        relation = "各款之和" if len(code_of[idx]) == lengths[0] else "各项之和"
        b.add("hierarchy", idx, kids, relation)
    # the 合计 adds the 类; a longer code without its 类 printed (a misprint) is no 类 — unless no 类 is printed
    classes = [i for i in roots if len(code_of[i]) == lengths[0]]
    roots = classes or roots
    pending: list[int] = []  # 类 printed since the last total
    for idx in frame.index:
        if idx in code_of and idx in roots:
            pending.append(idx)
        elif is_total_row(frame, idx, b.part) and roots:
            b.add("hierarchy", idx, pending or roots, "各类之和")
            pending = []


def _economic(b: _Builder, template: Template) -> None:
    """Each economic group = Σ its items; 合计行 = Σ groups (items outside any group count directly)."""
    frame, part = b.frame, b.part
    first, second = part.label_keys[0], part.label_keys[-1]
    group_names = {_norm(name) for name, _side in template.economic_groups}
    total_rows, top, current, members = [], [], None, {}
    for idx in frame.index:
        if is_total_row(frame, idx, part):
            total_rows.append(idx)
        elif frame.at[idx, "kind"] == SUBTOTAL or (
                _norm(frame.at[idx, first]) in group_names and not _norm(frame.at[idx, second])):
            current = idx
            members[idx] = []
            top.append(idx)
        elif current is not None:
            members[current].append(idx)
        else:
            top.append(idx)
    for idx, items in members.items():
        if items:
            b.add("groups", idx, items, "所属各明细科目之和")
    for idx in total_rows:
        if top:
            b.add("groups", idx, top, "各经济分类之和")


def _levels(b: _Builder, group: str) -> None:
    """Indentation tree: a row = Σ rows one level deeper beneath it (部门合计 = 单位 = Σ 项目)."""
    frame = b.frame
    stack: list[tuple[int, int]] = []  # (level, idx)
    children: dict[int, list[int]] = {}
    for idx in frame.index:
        level = -1 if is_total_row(frame, idx, b.part) else int(frame.at[idx, "level"])
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            children.setdefault(stack[-1][1], []).append(idx)
        stack.append((level, idx))
    leaf_word = "各单位" if b.spec.layout == "units" else "所属各项目"
    for idx, kids in children.items():
        all_leaves = all(frame.at[k, "kind"] not in (SUBTOTAL, TOTAL) and k not in children for k in kids)
        b.add(group, idx, kids, f"{leaf_word}之和" if all_leaves else "下级各行之和")


def _fixed(b: _Builder, template: Template, group: str) -> None:
    """Fixed rows with ``sum_of`` (本年收入合计, 收入总计, 公务用车购置及运行费 …)."""
    rows = fixed_row_index(b.frame, b.part)
    labels = {r.key: r.label for r in b.part.rows}
    for fr in b.part.rows:
        if not fr.sum_of or fr.key not in rows:
            continue
        present = [k for k in fr.sum_of if k in rows]
        if fr.sum_of and all(k.startswith("class_") for k in fr.sum_of):
            relation = "各功能分类之和"
        else:
            relation = " + ".join(labels.get(k, k) for k in fr.sum_of)
        b.add(group, rows[fr.key], [rows[k] for k in present], relation)


def _column(frame, col: str) -> list:
    return [frame.at[i, col] for i in frame.index] if isinstance(frame, Cells) else column_list(frame, col)


def fixed_row_index(frame, part: Part) -> dict[str, int]:
    """Fixed-row key → frame index, by the ``key`` column, else by printed label or alias (kept by ``Cells``)."""
    if isinstance(frame, Cells):  # by the part's identity: hashing a template part hashes all its rows
        if id(part) not in frame._fixed_rows:
            frame._fixed_rows[id(part)] = _fixed_row_index(frame, part)
        return frame._fixed_rows[id(part)]
    return _fixed_row_index(frame, part)


def _fixed_row_index(frame, part: Part) -> dict[str, int]:
    out: dict[str, int] = {}
    index = list(frame.index)
    for idx, raw in zip(index, _column(frame, "key")):
        key = str(raw).strip()
        if key:
            out.setdefault(key, idx)
    if out:
        return out
    by_label = {}
    for r in part.rows:
        for name in (r.label, *r.aliases):
            by_label.setdefault(_norm(name), r.key)
    for idx, raw in zip(index, _column(frame, part.label_keys[0])):
        text = _norm(raw)
        key = by_label.get(text) or by_label.get(re.sub(r"^[一二三四五六七八九十]+、", "", text))
        if key:
            out.setdefault(key, idx)
    return out


def _balances(table: Table, spec: TableSpec, cells_of) -> list[Identity]:
    """'income.grand_total.amount = expenditure.grand_total.total' → 收入总计 = 支出总计."""
    out = []
    for text in spec.balances:
        lhs, rhs = (s.strip().split(".") for s in text.split("="))
        cells = []
        for part_key, row_key, col in (lhs, rhs):
            part = spec.part(part_key)
            frame = table.view(part_key)
            frame = None if frame is None else cells_of(frame)
            idx = None if frame is None else fixed_row_index(frame, part).get(row_key)
            cells.append(None if idx is None else (part, frame, idx, col))
        if None in cells:
            continue
        (lp, lf, li, lc), (rp, rf, ri, rc) = cells
        llabel, rlabel = row_label(lf, li, lp, spec.layout), row_label(rf, ri, rp, spec.layout)
        if llabel == rlabel:
            llabel, rlabel = f"{lp.name} {llabel}", f"{rp.name} {rlabel}"
        out.append(Identity(rule=f"within.{spec.role}.balance", table=spec.id, part=lp.key, row=li, column=lc,
                            location=f"{llabel} = {rlabel}", relation=rlabel,
                            printed=_val(lf, li, lc), terms=(_val(rf, ri, rc),)))
    return out


#: Each layout's sums, written once: layout → (builder, identity group). Row identities
#: (``row_total``) and balances come from the template's parts and apply to every layout.
LAYOUTS = {
    "functional": (lambda b, t: _functional(b, t), "hierarchy"),
    "functional_two_sided": (lambda b, t: _functional(b, t), "hierarchy"),
    "economic": (lambda b, t: _economic(b, t), "groups"),
    "units": (lambda b, t: _levels(b, "unit_sum"), "unit_sum"),
    "projects": (lambda b, t: _levels(b, "project_sum"), "project_sum"),
    "two_sided": (lambda b, t: _fixed(b, t, f"{b.part.key}_sums"), None),  # one group per part
    "fixed": (lambda b, t: _fixed(b, t, "fixed_rows"), "fixed_rows"),
    "flat": (lambda b, t: None, None),  # rows without structure: only their row identities
}


def identity_groups(spec: TableSpec) -> list[str]:
    """The identity groups a table of this spec yields, in report order (one within-table rule each)."""
    if spec.layout not in LAYOUTS:
        raise ValueError(f"{spec.id}: unknown layout {spec.layout!r}")
    group = LAYOUTS[spec.layout][1]
    if group:
        groups = [group]
    elif spec.layout == "two_sided":
        groups = [f"{p.key}_sums" for p in spec.parts if any(r.sum_of for r in p.rows)]
    else:
        groups = []
    if any(p.row_identities for p in spec.parts):
        groups.append("row_total")
    if spec.balances:
        groups.append("balance")
    return groups


def table_identities(table: Table, template: Template, cells=Cells, holding: set | None = None) -> list[Identity]:
    """Every identity the printed table should satisfy, in printed order (``cells(frame)``: a run's shared ones).

    ``holding``: a set to leave out the identities that hold, putting their rule ids in it instead
    (what a check needs: the failing identities, and which rules had any identity to check).
    """
    spec = template.table(table.id)
    build = LAYOUTS[spec.layout][0]
    out: list[Identity] = []
    for part in spec.parts:
        frame = table.view(part.key)
        if frame is None or frame.empty:
            continue
        b = _Builder(table, spec, part, cells(frame), holding)
        build(b, template)
        b.row_identities()
        out.extend(b.out)
    balances = _balances(table, spec, cells)
    if holding is not None:
        holding.update(i.rule for i in balances if i.difference == 0)
        balances = [i for i in balances if i.difference != 0]
    out.extend(balances)
    return out
