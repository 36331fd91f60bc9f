"""Which table cell a narrative subject names: the vocabulary file read as data, and cell lookup.

The vocabulary lives next to the table template
(``templates/<template>.narrative.yaml``): subjects with the words that name
them and the cells they stand for (per figure: the 年初预算 of an item is another
cell than its 决算), the functional classes (added from the template's class
list), the cells a classification path “…（类）…（款）…（项）” stands for, and the
format's phrasing (``grammar:``, see ``grammar.build_grammar``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources

import pandas as pd

from budgetkit.checks.claims.grammar import DEFAULT_GRAMMAR, Grammar, build_grammar
from budgetkit.checks.identities import Cells
from budgetkit.core.model import LEAF, Disclosure, Table, column_list, text_columns
from budgetkit.core.money import quantum_fen
from budgetkit.core.template import Template, load_template, read_yaml
from budgetkit.core.words import squash

#: subject key prefix of a classification path (the cells come from ``Vocabulary.path_cells``)
PATH_KEY = "path:"


@dataclass(frozen=True)
class Subject:
    key: str
    label: str
    terms: tuple[str, ...]
    cells: tuple[str, ...]
    measure_cells: tuple[tuple[str, tuple[str, ...]], ...] = ()  # other figures: (measure, cells)

    def cells_for(self, measure: str, default_measure: str) -> tuple[str, ...]:
        """The cells of one figure of the subject; the document's own figure is ``cells``."""
        for m, cells in self.measure_cells:
            if m == measure:
                return cells
        if measure in ("", default_measure, "current", "actual") and measure != "prior":
            return self.cells
        return ()


@dataclass(frozen=True)
class Match:
    subject: Subject
    term: str  # the vocabulary term found, as the documents write it
    end: int  # where the term ends in the squashed phrase


@dataclass(frozen=True)
class Vocabulary:
    subjects: tuple[Subject, ...]
    item_sources: dict
    contexts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    path_cells: tuple[str, ...] = ()
    grammar: Grammar = field(default=DEFAULT_GRAMMAR)

    def cells_in_context(self, subject: Subject, heading: str, measure: str = "") -> tuple[str, ...]:
        """The subject's cells, narrowed to the tables a section heading names when it names any of them."""
        cells = subject.cells_for(measure, self.grammar.default_measure)
        for when, roles in self.contexts:
            if when in squash(heading):
                preferred = tuple(ref for ref in cells if set(cell_roles(ref)) <= set(roles))
                if preferred:
                    return preferred
        return cells

    def get(self, key: str) -> Subject | None:
        if key.startswith(PATH_KEY):
            path = key[len(PATH_KEY):]
            return Subject(key=key, label=path_label(path), terms=(),
                           cells=tuple(c.replace("{path}", path) for c in self.path_cells))
        return self._by_key.get(key)

    @cached_property
    def _by_key(self) -> dict[str, Subject]:
        """Subjects by key (the first of a repeated key): claims ask for their subject thousands of times per run."""
        by_key: dict[str, Subject] = {}
        for s in self.subjects:
            by_key.setdefault(s.key, s)
        return by_key

    def match(self, phrase: str) -> Subject | None:
        found = self.find(phrase)
        return found.subject if found else None

    def find(self, phrase: str) -> Match | None:
        """The subject a phrase names: the term ending latest in it, then the longest (the first on a tie)."""
        return self._find_cached(squash(phrase))

    @cached_property
    def _find_cached(self):
        """``_find`` kept per squashed phrase: the documents of a run repeat their phrases (a Match is immutable)."""
        return lru_cache(maxsize=16384)(self._find)

    def _find(self, p: str) -> Match | None:
        terms, by_first, always = self._squashed_terms, *self._terms_by_first
        best, best_rank = None, (-1, -1)
        # only terms starting with a character of the phrase can be in it; in vocabulary order
        for k in sorted({k for ch in set(p) for k in by_first.get(ch, ())}.union(always)):
            s, term, t = terms[k]
            i = p.rfind(t)
            if i >= 0 and (i + len(t), len(t)) > best_rank:
                best, best_rank = (s, term), (i + len(t), len(t))
        return None if best is None else Match(best[0], best[1], best_rank[0])

    @cached_property
    def _squashed_terms(self) -> tuple[tuple[Subject, str, str], ...]:
        """(subject, term, term squashed) in vocabulary order: every phrase of every document is matched against them."""
        return tuple((s, term, squash(term)) for s in self.subjects for term in s.terms)

    @cached_property
    def _terms_by_first(self) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
        """Positions in ``_squashed_terms`` by the squashed term's first character; and of empty terms (in every phrase)."""
        by_first: dict[str, list[int]] = {}
        for k, (_, _, t) in enumerate(self._squashed_terms):
            if t:
                by_first.setdefault(t[0], []).append(k)
        always = tuple(k for k, (_, _, t) in enumerate(self._squashed_terms) if not t)
        return {ch: tuple(ks) for ch, ks in by_first.items()}, always


def path_label(path: str) -> str:
    """'一般公共服务支出/财政事务/行政运行' → '一般公共服务支出（类）财政事务（款）行政运行（项）'."""
    return "".join(f"{n}（{w}）" for n, w in zip(path.split("/"), "类款项") if n)


_SPACE = re.compile(r"\s+")


def load_vocabulary(template: Template) -> Vocabulary:
    return _load(template.id, template.functional_classes)


def _cells(d: dict) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    measures = tuple((m, tuple(cells)) for m, cells in (d.get("measures") or {}).items())
    return tuple(d.get("cells", ())), measures


@lru_cache(maxsize=None)
def _load(template_id: str, functional_classes: tuple[tuple[str, str], ...]) -> Vocabulary:
    path = resources.files("budgetkit.core.templates").joinpath(f"{template_id}.narrative.yaml")
    # a template without a vocabulary still knows its functional classes
    data = read_yaml(path.read_text(encoding="utf-8")) if path.is_file() else {"subjects": []}
    subjects = []
    for d in data["subjects"]:
        cells, measures = _cells(d)
        subjects.append(Subject(d["key"], d["label"], tuple(d["terms"]) + (d["label"],), cells, measures))
    class_cells = data.get("class_cells") or []
    if isinstance(class_cells, list):
        class_cells = {"cells": class_cells}
    cells, measures = _cells(class_cells)
    for code, name in functional_classes:
        subjects.append(Subject(key=f"class_{code}", label=name, terms=(name,),
                                cells=tuple(c.replace("{code}", code) for c in cells),
                                measure_cells=tuple((m, tuple(c.replace("{code}", code) for c in cs))
                                                    for m, cs in measures)))
    contexts = tuple((squash(c["when"]), tuple(c["tables"])) for c in data.get("contexts") or ())
    return Vocabulary(tuple(subjects), dict(data.get("item_sources") or {}), contexts,
                      tuple(data.get("path_cells") or ()), build_grammar(data.get("grammar")))


# ---------------------------------------------------------------- cells


def leaf_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["kind"] == LEAF]


def codes_of(frame: pd.DataFrame) -> list[str]:
    """The code column as compared: no spaces ('201 06 01' → '2010601'); a missing code is blank, in no class.

    Plain lists, not pandas string methods: narratives look codes up a hundred times per table.
    """
    return _compared_codes(column_list(frame, "code"))


def _compared_codes(codes: list) -> list[str]:
    return [_SPACE.sub("", c) if isinstance(c, str) else "" for c in codes]


def _path_position(codes: list[str], named: list[str], names: list[str]) -> int | None:
    """The row a classification path names: the class by name, then its 款 and 项 by name under it.

    ``codes`` and ``named`` are the part's codes and squashed names (``CellReader`` makes them once per
    part). A 款 written under another name than the table's (住房保障支出（款） for 住房改革支出) is passed
    over when the 项 name is unique within the class. Plain lists, not masks: a narrative names a hundred paths.
    """
    want = [squash(n) for n in names if n]

    def first(length: int, prefix: str, name: str) -> list[int]:
        return [i for i, (c, n) in enumerate(zip(codes, named)) if len(c) == length and c.startswith(prefix)
                and n == name]

    lei = first(3, "", want[0])
    if not lei:
        return None
    prefix = codes[lei[0]]
    if len(want) == 1:
        return lei[0]
    kuan = first(5, prefix, want[1])
    if len(want) == 2:
        return kuan[0] if kuan else None
    if kuan:
        xiang = first(7, codes[kuan[0]], want[2])
        if xiang:
            return xiang[0]
    xiang = first(7, prefix, want[2])
    return xiang[0] if len(xiang) == 1 else None


def item_key(name: str) -> str:
    """How an item name is compared: squashed, a trailing 支出 dropped (其他社会保障缴费支出 = 其他社会保障缴费)."""
    k = squash(name)
    return k[:-2] if k.endswith("支出") and len(k) > 4 else k


@dataclass(frozen=True)
class ItemRows:
    """The rows a "主要包括" list may name: with money in the class, in the class with none, anywhere."""

    with_money: frozenset[str]
    without_money: frozenset[str]
    anywhere: frozenset[str]


class CellReader:
    """The cells of one department-year by reference (``ROLE.PART.SELECTOR.COLUMN``), each read once.

    A narrative names the same cells dozens of times and every rule re-reads them, so each value is
    kept, and a part's columns are read into plain lists once (no masks, no pandas per look-up) — by
    the run's ``Cells``, which the table rules read too. Rules share one reader per run (``cells_of``);
    the disclosure must not change meanwhile.
    """

    def __init__(self, disclosure: Disclosure, cells=Cells):
        self.disclosure = disclosure
        self._cells_of = cells  # frame -> Cells: a run's shared ones, so the table rules' columns are read once
        self._template = load_template(disclosure.meta.template)
        self._values: dict[str, int | None] = {}
        self._quanta: dict[str, int] = {}
        self._tables: dict[str, tuple[Table | None, bool]] = {}
        self._columns: dict[tuple[str, str, str], list] = {}
        self._items: dict[str, ItemRows | None] = {}
        self._names: dict[tuple[str, str], dict[int, list[str]]] = {}

    def value(self, ref: str) -> int | None:
        """A cell reference's value in 分 (blank = 0; ``a + b`` adds); None when the table or row is not there."""
        if ref not in self._values:
            total = 0
            for term in ref.split("+"):
                v = self._one(term.strip())
                if v is None:
                    total = None
                    break
                total += v
            self._values[ref] = total
        return self._values[ref]

    def quantum(self, ref: str) -> int:
        """Printed precision (分) of the coarsest table a reference reads; 0.01 万元 when none is printed."""
        if ref not in self._quanta:
            tables = [t for r in cell_roles(ref) if (t := self._table(r)[0]) is not None]
            self._quanta[ref] = max((quantum_fen(t.unit, t.decimals) for t in tables),
                                    default=quantum_fen("万元", 2))
        return self._quanta[ref]

    def _table(self, role: str) -> tuple[Table | None, bool]:
        """The role's table and whether it is declared empty without printing any amount."""
        if role not in self._tables:
            spec = self._template.by_role(role)
            table = None if spec is None else self.disclosure.tables.get(spec.id)
            self._tables[role] = table, table is not None and table.declared_empty and not table.has_values
        return self._tables[role]

    def _column(self, role: str, part_key: str, column: str) -> list:
        """A part's column as a plain list; ``code*``: the codes as compared (``codes_of``); ``name*``: the row
        labels a classification path is matched against, squashed."""
        key = (role, part_key, column)
        if key not in self._columns:
            frame = self._table(role)[0].view(part_key)
            if column == "code*":
                cells = _compared_codes(self._cells_of(frame).column("code"))
            elif column == "name*":
                label = next(c for c in ("name", "item") if c in frame.columns)
                cells = [squash(str(n)) for n in self._cells_of(frame).column(label)]
            else:
                cells = self._cells_of(frame).column(column)
            self._columns[key] = cells
        return self._columns[key]

    def item_rows(self, source: str) -> ItemRows | None:
        """Leaf rows of ``ROLE.PART.COLUMN[@prefix,prefix…]`` by name; None without the table.

        Without a prefix a row belongs to the class when the column is printed for it (the Shanxi table
        prints 人员经费 and 公用经费 in two columns); with one, when its code starts so (the national table
        prints one 决算数 column, 301/303 for 人员经费, 302/310 for 公用经费). Kept per source.
        """
        if source not in self._items:
            self._items[source] = self._item_rows(source)
        return self._items[source]

    def _item_rows(self, source: str) -> ItemRows | None:
        ref, _, prefixes = source.partition("@")
        role, part_key, column = ref.split(".")
        table = self._table(role)[0]
        if table is None or part_key not in table.parts:
            return None
        frame = table.view(part_key)
        if column not in frame.columns:
            return ItemRows(frozenset(), frozenset(), frozenset())
        values = [None if pd.isna(v) else v for v in self._column(role, part_key, column)]
        row_names = self._leaf_names(role, part_key)
        leaves = list(row_names)

        def names(rows: list[int]) -> frozenset[str]:
            return frozenset(name for i in rows for name in row_names[i])

        if prefixes:
            starts = tuple(p.strip() for p in prefixes.split(",") if p.strip())
            codes = self._column(role, part_key, "code*") if "code" in frame.columns else None
            in_class = [i for i in leaves if codes[i].startswith(starts)] if codes is not None and starts else []
        else:
            in_class = [i for i in leaves if values[i] is not None]
        money = [i for i in in_class if values[i]]
        others = [i for i in in_class if not values[i]]
        return ItemRows(names(money), names(others) - names(money), names(leaves))

    def _leaf_names(self, role: str, part_key: str) -> dict[int, list[str]]:
        """Each leaf row of a part (by position, in order) with its labels as item names (``item_key``).

        Made once per part: the sources of a part (人员经费, 公用经费, 基本支出 of one table) name the same rows.
        """
        key = (role, part_key)
        if key not in self._names:
            frame = self._table(role)[0].view(part_key)
            label_cols = [c for c in text_columns(frame) if c not in ("kind", "key", "code")]
            labels = list(zip(*(self._column(role, part_key, c) for c in label_cols))) if label_cols \
                else [()] * len(frame)
            self._names[key] = {
                i: [item_key(text) for text in map(str, labels[i]) if text.strip() and text not in ("nan", "<NA>")]
                for i, kind in enumerate(self._column(role, part_key, "kind")) if kind == LEAF}
        return self._names[key]

    def leaf_cells(self, role: str, part_key: str, column: str) -> list:
        """A column's cells in the detail (leaf) rows of a part, in order, as a plain list."""
        key = (role, part_key, "leaves:" + column)
        if key not in self._columns:
            kinds, cells = self._column(role, part_key, "kind"), self._column(role, part_key, column)
            self._columns[key] = [v for k, v in zip(kinds, cells) if k == LEAF]
        return self._columns[key]

    def _one(self, ref: str) -> int | None:
        role, part_key, selector, column = ref.split(".")
        table, empty = self._table(role)
        if table is None:
            return None
        if empty:
            return 0
        frame = table.view(part_key)
        if frame is None or column not in frame.columns:
            return None
        if selector == "leaves":
            leaves = self.leaf_cells(role, part_key, column)
            return int(sum(0 if pd.isna(v) else v for v in leaves)) if leaves else None
        what, _, value = selector.partition("=")
        if what in ("key", "kind", "code"):  # the first row holding the value
            if what not in frame.columns:
                return None
            cells = self._column(role, part_key, "code*" if what == "code" else what)
            pos = cells.index(value) if value in cells else None
        elif what == "path" and "code" in frame.columns:
            if not any(c in frame.columns for c in ("name", "item")):
                return None
            pos = _path_position(self._column(role, part_key, "code*"), self._column(role, part_key, "name*"),
                                 value.split("/"))
        else:
            return None
        if pos is None:
            return None
        v = self._column(role, part_key, column)[pos]
        return 0 if pd.isna(v) else int(v)


def cells_of(ctx, prior: bool = False) -> CellReader:
    """The run's reader (in ``ctx.cache``) of this year's or the prior year's cells: rules ask for the same cells."""
    key = "prior_cells" if prior else "cells"
    if key not in ctx.cache:
        ctx.cache[key] = CellReader(ctx.prior if prior else ctx.disclosure, ctx.cells)
    return ctx.cache[key]


def cell_value(disclosure: Disclosure, ref: str) -> int | None:
    """A cell reference's value in 分 (blank = 0); None when the table or row is not there.

    One look-up; rules read through the run's ``CellReader`` instead."""
    return CellReader(disclosure).value(ref)


def cell_roles(ref: str) -> list[str]:
    """The table roles a cell reference reads, in order."""
    return list(dict.fromkeys(t.strip().split(".")[0] for t in ref.split("+")))


def cell_tables(template: Template, ref: str) -> str:
    """The document's table ids a reference reads: 'T3', 'T4' (for findings)."""
    return "+".join(template.by_role(r).id for r in cell_roles(ref) if template.by_role(r) is not None)


def cell_label(template: Template, ref: str) -> str:
    """How the document numbers them: '表3', '表4' (for messages)."""
    return "、".join(template.by_role(r).label for r in cell_roles(ref) if template.by_role(r) is not None)


def cell_quantum(disclosure: Disclosure, ref: str) -> int:
    """Printed precision (分) of the coarsest table a reference reads; 0.01 万元 when none is printed."""
    return CellReader(disclosure).quantum(ref)
