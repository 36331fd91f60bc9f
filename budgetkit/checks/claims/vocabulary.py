"""Which table cell a narrative subject names: the vocabulary file read as data, and cell lookup.

The vocabulary lives next to the table template
(``templates/<template>.narrative.yaml``); functional classes are added from
the template's class list.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd
import yaml

from budgetkit.core.model import LEAF, Disclosure, Table
from budgetkit.core.money import quantum_fen
from budgetkit.core.template import Template, load_template


@dataclass(frozen=True)
class Subject:
    key: str
    label: str
    terms: tuple[str, ...]
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    subjects: tuple[Subject, ...]
    item_sources: dict
    contexts: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def cells_in_context(self, subject: Subject, heading: str) -> tuple[str, ...]:
        """The subject's cells, narrowed to the tables a section heading names when it names any of them."""
        for when, roles in self.contexts:
            if when in heading:
                preferred = tuple(ref for ref in subject.cells if set(cell_roles(ref)) <= set(roles))
                if preferred:
                    return preferred
        return subject.cells

    def get(self, key: str) -> Subject | None:
        return next((s for s in self.subjects if s.key == key), None)

    def match(self, phrase: str) -> Subject | None:
        """The subject a phrase names: the term ending latest in it, then the longest."""
        p = squash(phrase)
        best, best_rank = None, (-1, -1)
        for s in self.subjects:
            for term in s.terms:
                t = squash(term)
                i = p.rfind(t)
                if i >= 0 and (i + len(t), len(t)) > best_rank:
                    best, best_rank = s, (i + len(t), len(t))
        return best


def squash(text: str) -> str:
    """Compare phrases: NFKC, no whitespace, straight quotes."""
    s = unicodedata.normalize("NFKC", text or "")
    s = re.sub(r"\s+", "", s)
    return s.replace("“", '"').replace("”", '"')


def load_vocabulary(template: Template) -> Vocabulary:
    return _load(template.id, template.functional_classes)


@lru_cache(maxsize=None)
def _load(template_id: str, functional_classes: tuple[tuple[str, str], ...]) -> Vocabulary:
    path = resources.files("budgetkit.core.templates").joinpath(f"{template_id}.narrative.yaml")
    # a template without a vocabulary still knows its functional classes
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {"subjects": []}
    subjects = [Subject(d["key"], d["label"], tuple(d["terms"]) + (d["label"],), tuple(d.get("cells", ())))
                for d in data["subjects"]]
    class_cells = tuple(data.get("class_cells") or ())
    for code, name in functional_classes:
        subjects.append(Subject(key=f"class_{code}", label=name, terms=(name,),
                                cells=tuple(c.replace("{code}", code) for c in class_cells)))
    contexts = tuple((c["when"], tuple(c["tables"])) for c in data.get("contexts") or ())
    return Vocabulary(tuple(subjects), dict(data.get("item_sources") or {}), contexts)


# ---------------------------------------------------------------- cells


def leaf_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["kind"] == LEAF]


def _row(frame: pd.DataFrame, selector: str) -> pd.Series | None:
    what, _, value = selector.partition("=")
    if what == "key":
        rows = frame[frame["key"] == value]
    elif what == "kind":
        rows = frame[frame["kind"] == value]
    elif what == "code" and "code" in frame.columns:
        rows = frame[frame["code"].astype(str).str.replace(r"\s+", "", regex=True) == value]
    else:
        return None
    return None if rows.empty else rows.iloc[0]


def _table(disclosure: Disclosure, role: str) -> Table | None:
    spec = load_template(disclosure.meta.template).by_role(role)
    return None if spec is None else disclosure.tables.get(spec.id)


def _one_cell(disclosure: Disclosure, ref: str) -> int | None:
    role, part_key, selector, column = ref.split(".")
    table = _table(disclosure, role)
    if table is None:
        return None
    if table.declared_empty and not table.has_values:
        return 0
    frame = table.parts.get(part_key)
    if frame is None or column not in frame.columns:
        return None
    if selector == "leaves":
        leaves = leaf_rows(frame)
        return int(leaves[column].fillna(0).sum()) if len(leaves) else None
    row = _row(frame, selector)
    if row is None:
        return None
    v = row[column]
    return 0 if pd.isna(v) else int(v)


def cell_value(disclosure: Disclosure, ref: str) -> int | None:
    """A cell reference's value in 分 (blank = 0); None when the table or row is not there."""
    total = 0
    for term in ref.split("+"):
        v = _one_cell(disclosure, term.strip())
        if v is None:
            return None
        total += v
    return total


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
    tables = [t for r in cell_roles(ref) if (t := _table(disclosure, r)) is not None]
    return max((quantum_fen(t.unit, t.decimals) for t in tables), default=quantum_fen("万元", 2))


def row_names(disclosure: Disclosure, source: str) -> set[str] | None:
    """Names of leaf rows with a value in the given column (``ROLE.PART.COLUMN``); None without the table."""
    role, part_key, column = source.split(".")
    table = _table(disclosure, role)
    if table is None or part_key not in table.parts:
        return None
    frame = table.parts[part_key]
    rows = frame[(frame["kind"] == LEAF) & frame[column].notna()] if column in frame.columns else frame.iloc[0:0]
    label_cols = [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) in ("str", "string")]
    label_cols = [c for c in label_cols if c not in ("kind", "key")]
    names = set()
    for _, r in rows.iterrows():
        for c in label_cols:
            if str(r[c]).strip():
                names.add(squash(str(r[c])))
    return names
