"""The small language in which templates write identities between tables.

A *cell expression* adds and subtracts printed cells named by table role::

    expenditure[total].total - general_functional[code={code}].total
    summary.income[fund].amount + fiscal_summary.expenditure[expenditure_total].fund

``ROLE[.PART][ROW].COLUMN``: PART defaults to ``main``; ROW is a fixed-row key, ``total`` (the
part's 合计行), ``code=<功能科目编码>``, ``department`` (a project or unit table's department line:
its 合计 row, else the sum of its top rows), ``named=ROLE.PART[.KEY]`` (the detail rows whose
name is one of the names of that fixed row — or of any detail fixed row — of another table),
``named:名称|名称`` (the detail rows of one of these names) or a number (that printed row, from 0:
a table of one row, such as a 三公 table printed as one line).
``0`` is a term too. A cell that is not printed counts 0 but is no printed value.

A *condition* compares expressions: ``A == B``, ``A != 0``, ``A <= B``, joined with ``and``.
A *text* has placeholders: ``{ROLE}`` (the table's number in the document, 表3), ``{header:ROLE.PART.COL}``,
``{label:ROLE.PART.KEY}`` and the variables of the check (``{code}``, ``{label}``, ``{row_label}`` …);
other braces are left for the message's own values.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from budgetkit.checks.identities import Cells, fixed_row_index, header, is_total_row
from budgetkit.core.model import LEAF, Table
from budgetkit.core.money import quantum_fen
from budgetkit.core.template import Template

_TERM = re.compile(r"(?P<role>[a-z_]+)(?:\.(?P<part>[a-z_]+))?\[(?P<row>[^\]]+)\]\.(?P<col>[a-z_{}]+)")
_TOKEN = re.compile(r"\s*([+-])?\s*(" + _TERM.pattern + r"|0)\s*")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([a-z_.{}=0-9]+))?\}")


class ExpressionError(ValueError):
    """A template's identity that cannot be read (a developer's error in the template file)."""


@dataclass(frozen=True)
class Term:
    sign: int
    role: str
    part: str
    row: str  # may hold {variables}
    column: str

    def __post_init__(self):  # whether row and column name variables: asked at every evaluation of a run
        object.__setattr__(self, "_row_bound", "{" in self.row)
        object.__setattr__(self, "_column_bound", "{" in self.column)


def parse_expression(text: str) -> list[Term]:
    return list(_parsed(str(text).strip()))


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[Term, ...]:  # a template's few hundred expressions, read once each
    terms, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(f"cannot read cell expression {text!r} at {text[pos:]!r}")
        sign = -1 if m.group(1) == "-" else 1
        if m.group(2) != "0":  # a literal 0 adds nothing
            t = _TERM.fullmatch(m.group(2))
            terms.append(Term(sign, t["role"], t["part"] or "main", t["row"], t["col"]))
        pos = m.end()
    return tuple(terms)


def roles_of(text: str) -> set[str]:
    """Every table role an expression or condition names (the rows of ``named=`` included)."""
    out = {t.role for t in _each_term(text)}
    out |= {m.group(1) for m in re.finditer(r"named=([a-z_]+)", str(text))}
    return out


def _each_term(text: str):
    for side in re.split(r"==|!=|<=|>=|<|>|\band\b", str(text)):
        if side.strip():
            yield from parse_expression(side)


_VARIABLE = re.compile(r"\{([a-z_]+)\}")


def bind(text: str, variables: dict) -> str:
    """Substitute ``{name}`` variables (only those given) into a row selector or text."""
    text = str(text)
    if "{" not in text:
        return text
    if _only_placeholders(text):  # every brace a {name}: str.format does the same, several times faster
        try:
            return text.format_map(variables)
        except KeyError:  # a name not given stays as written
            pass
    return "".join(piece if name is None else (str(variables[name]) if name in variables else piece)
                   for piece, name in _pieces(text))


@lru_cache(maxsize=4096)
def _only_placeholders(text: str) -> bool:
    """Every brace of the text belongs to a ``{name}`` placeholder (no other brace for ``str.format`` to read)."""
    n = len(_VARIABLE.findall(text))
    return text.count("{") == n == text.count("}")


@lru_cache(maxsize=4096)  # a template's selectors and texts: split once, bound for every row of every run
def _pieces(text: str) -> tuple[tuple[str, str | None], ...]:
    """A text as literal pieces and ``{name}`` placeholders: (literal, None) or ('{name}', name)."""
    out, pos = [], 0
    for m in _VARIABLE.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], None))
        out.append((m.group(0), m.group(1)))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], None))
    return tuple(out)


class Reader:
    """Printed cells of one disclosure by role, with their rounding quanta (values in 分, None = blank)."""

    def __init__(self, tables: dict[str, Table], template: Template, cells=Cells):
        self.template = template
        self.tables = tables
        self._make_cells = cells  # frame -> Cells (a run's shared ones)
        self._tables: dict = {}  # role -> Table or None
        self._values: dict = {}  # (role, part, row, column) -> printed values
        self._cells: dict = {}
        self._rows: dict = {}
        self._quanta: dict = {}
        self.decided: dict[str, bool] = {}  # condition naming no variable -> whether it holds (``holds``)

    def table(self, role: str) -> Table | None:
        table = self._tables.get(role, self)
        if table is self:  # not yet looked up
            spec = self.template.by_role(role)
            table = self._tables[role] = None if spec is None else self.tables.get(spec.id)
        return table

    def cells(self, role: str, part: str) -> Cells | None:
        key = (role, part)
        if key not in self._cells:
            table = self.table(role)
            frame = None if table is None else table.view(part)
            self._cells[key] = None if frame is None else self._make_cells(frame)
        return self._cells[key]

    def quantum(self, role: str) -> int:
        """The printed quantum (分) of the role's table; 1 for a table the document does not print."""
        q = self._quanta.get(role)
        if q is None:
            table = self.table(role)
            q = self._quanta[role] = 1 if table is None else quantum_fen(table.unit, table.decimals)
        return q

    def row_indices(self, role: str, part: str, selector: str) -> tuple[int, ...]:
        """Frame rows a selector names (several for ``named=`` and for a department line without 合计)."""
        key = (role, part, selector)
        rows = self._rows.get(key)
        if rows is None:  # rules ask for the same rows again and again
            rows = self._rows[key] = tuple(self._find_rows(role, part, selector))
        return rows

    def _find_rows(self, role: str, part: str, selector: str) -> list[int]:
        cells = self.cells(role, part)
        if cells is None or cells.empty:
            return []
        if selector.startswith("code="):  # the commonest, and it needs no template part
            i = cells.first_row_of_code(selector[len("code="):])
            return [] if i is None else [i]
        spec_part = self.template.by_role(role).part(part)
        if selector == "total":
            return next(([i] for i in cells.index if is_total_row(cells, i, spec_part)), [])
        if selector == "department":
            total = self.row_indices(role, part, "total")
            if total:
                return list(total)
            top = min(int(cells.at[i, "level"]) for i in cells.index)
            return [i for i in cells.index if int(cells.at[i, "level"]) == top]
        if selector.startswith("named="):
            return self._named(cells, spec_part, self._names_of(selector[len("named="):]))
        if selector.startswith("named:"):
            return self._named(cells, spec_part, {norm_name(n) for n in selector[len("named:"):].split("|")})
        if selector.isdigit():
            rows = [i for i in cells.index if not is_total_row(cells, i, spec_part)] or list(cells.index)
            return rows[int(selector):int(selector) + 1]
        idx = fixed_row_index(cells, spec_part).get(selector)
        return [] if idx is None else [idx]

    def _names_of(self, target: str) -> set[str]:
        """The names of a fixed row (ROLE.PART.KEY), or of every detail fixed row of ROLE.PART."""
        role, part, *key = target.split(".")
        rows = self.template.by_role(role).part(part).rows
        return {norm_name(n) for r in rows if (r.key in key if key else r.kind == LEAF) for n in (r.label, *r.aliases)}

    def _named(self, cells: Cells, spec_part, names: set[str]) -> list[int]:
        """Detail rows whose name (any label column) is one of ``names`` (or one of them without 费)."""
        out = []
        for i in cells.index:
            if cells.at[i, "kind"] != LEAF or is_total_row(cells, i, spec_part):
                continue
            labels = [norm_name(cells.at[i, k]) for k in spec_part.label_keys]
            if any(n in names or n + "费" in names for n in labels if n):
                out.append(i)
        return out

    def values(self, term: Term, variables: dict) -> tuple[int | None, ...]:
        """The printed values a term reads (one per row it names); () when it names no row.

        Kept per cell selector: the same totals are read by many identities of a run.
        """
        column = bind(term.column, variables) if term._column_bound else term.column
        row = bind(term.row, variables) if term._row_bound else term.row
        key = (term.role, term.part, row, column)
        found = self._values.get(key)
        if found is None:
            cells = self.cells(term.role, term.part)
            if cells is None or column not in cells.column_names:
                found = ()
            elif row.startswith("code="):  # the commonest selector, mostly read once: no row look-up kept
                i = cells.first_row_of_code(row[len("code="):])
                found = () if i is None else (cells.amounts(column)[i],)
            else:
                amounts = cells.amounts(column)
                found = tuple([amounts[i] for i in self.row_indices(term.role, term.part, row)])
            self._values[key] = found
        return found


def norm_name(text: str) -> str:
    """Compare names across tables: NFKC (full-width brackets), no spaces, no ①②, no list numbering."""
    return _norm_name(str(text or ""))


@lru_cache(maxsize=65536)  # the same row names are compared by many rules
def _norm_name(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"^[①②③④⑤⑥⑦⑧⑨⑩]|^\d+[.、]", "", s)
    return re.sub(r"^[一二三四五六七八九十]+、", "", s)


@dataclass
class Value:
    """An evaluated expression: its value in 分 and the printed values it added up, with their quanta."""

    total: int
    printed: list[tuple[int, int]]  # (value, quantum) of each printed (non-blank) cell

    @property
    def n_printed(self) -> int:
        return len(self.printed)


def evaluate(text: str, reader: Reader, variables: dict) -> Value:
    total, printed = 0, []
    for term in _parsed(text.strip() if type(text) is str else str(text).strip()):
        q = reader.quantum(term.role)
        for v in reader.values(term, variables):
            if v is not None:
                total += term.sign * v
                printed.append((v, q))
    return Value(total, printed)


def total(text: str, reader: Reader, variables: dict) -> int:
    """``evaluate(…).total`` without collecting the printed cells: most comparisons of a run agree and need no more."""
    out, values = 0, reader.values
    for term in _parsed(text.strip() if type(text) is str else str(text).strip()):
        for v in values(term, variables):
            if v is not None:
                out += term.sign * v
    return out


_COMPARISON = re.compile(r"^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$")
_OPERATORS = {"==": operator.eq, "!=": operator.ne, "<=": operator.le, ">=": operator.ge, "<": operator.lt,
              ">": operator.gt}


def holds(condition: str, reader: Reader, variables: dict) -> bool:
    """A condition: comparisons of expressions joined with 'and' (blank cells count 0).

    One naming no variable is the same for every row a check iterates over: decided once per Reader.
    """
    condition = str(condition)
    if "{" in condition:
        return _holds(condition, reader, variables)
    known = reader.decided.get(condition)
    if known is None:
        known = reader.decided[condition] = _holds(condition, reader, variables)
    return known


def _holds(condition: str, reader: Reader, variables: dict) -> bool:
    for left, op, right in _clauses(condition):
        if not _OPERATORS[op](total(left, reader, variables), total(right, reader, variables)):
            return False
    return True


@lru_cache(maxsize=4096)  # a template's few conditions, read once each
def _clauses(condition: str) -> tuple[tuple[str, str, str], ...]:
    out = []
    for clause in re.split(r"\band\b", condition):
        m = _COMPARISON.match(clause.strip())
        if not m:
            raise ExpressionError(f"cannot read condition {condition!r}")
        out.append((m.group(1), m.group(2), m.group(3)))
    return tuple(out)


def render(text: str, template: Template, variables: dict, year: int | None) -> str:
    """Fill a text's placeholders: variables, ``{ROLE}`` → 表N, ``{header:…}``, ``{label:…}``."""
    try:
        return _rendered(text, template, tuple(variables.items()), year)
    except TypeError:  # a variable that is not hashable
        return _render(text, template, variables, year)


@lru_cache(maxsize=16384)  # every department-year renders the template's same locations and labels
def _rendered(text: str, template: Template, variables: tuple, year: int | None) -> str:
    return _render(text, template, dict(variables), year)


def _render(text: str, template: Template, variables: dict, year: int | None) -> str:
    text = bind(text, variables)

    def sub(m):
        name, arg = m.group(1), m.group(2)
        if arg is None:
            spec = template.by_role(name)
            return spec.label if spec is not None else m.group(0)
        role, part, key = arg.split(".")
        spec = template.by_role(role)
        if spec is None:
            raise ExpressionError(f"unknown table role {role!r} in {text!r}")
        if name == "header":
            col = next(c for c in spec.part(part).amounts if c.key == key)
            return header(col, year)
        if name == "label":
            return next((r.label for r in spec.part(part).rows if r.key == key), key)
        return m.group(0)

    return _PLACEHOLDER.sub(sub, text)
