"""Format templates loaded from YAML data: which tables a format has (by role), their columns, layouts,
identities between them, the document's sections and how to recognise the format in a document.

A new format is a new file in ``templates/``, not new code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

import yaml

DEFAULT_TEMPLATE = "shanxi-county-13"
_TITLE_NUMBERING = re.compile(r"^(?:表[一二三四五六七八九十]+|[一二三四五六七八九十]+、|\d{1,2}[.、](?!\d)|\d{1,2}[.、](?=\d{4}年))")
_TITLE_YEAR = re.compile(r"^\d{4}年度?")


@dataclass(frozen=True)
class Column:
    """A column: stable ``key`` for code, ``header`` as printed (``{year}`` is the year; ``a/b`` is a header
    path, e.g. 合计/预算数 under merged headers). ``optional``: some documents of the format leave it out."""

    key: str
    header: str  # as printed; may contain {year}
    aliases: tuple[str, ...] = ()
    optional: bool = False

    def printed(self, year: int | None) -> str:
        return self.header.replace("{year}", str(year)) if year is not None else self.header

    def matches(self, header: str, year: int | None) -> bool:
        known = self._matched  # every dataset's CSV headers are matched against the same few columns
        if (header, year) not in known:
            known[header, year] = _header_matches(self, header, year)
        return known[header, year]

    @cached_property
    def _matched(self) -> dict:
        return {}


def _header_matches(column: Column, header: str, year: int | None) -> bool:
    names = (column.header, *column.aliases)
    norm = re.sub(r"\s+", "", header)
    return any(norm == n.replace("{year}", str(year) if year else "") or
               (year is None and re.fullmatch(re.escape(n).replace(r"\{year\}", r"\d{4}"), norm))
               for n in names)


@dataclass(frozen=True)
class FixedRow:
    label: str
    key: str
    kind: str = "leaf"  # leaf | subtotal | total
    aliases: tuple[str, ...] = ()
    sum_of: tuple[str, ...] = ()
    group: str | None = None
    code: str | None = None  # functional class code for class lines


@dataclass(frozen=True)
class Part:
    key: str
    name: str | None
    labels: tuple[Column, ...]
    amounts: tuple[Column, ...]
    row_identities: tuple[str, ...] = ()
    rows: tuple[FixedRow, ...] = ()  # fixed-layout parts only
    total_row_labels: tuple[str, ...] = ()

    @cached_property
    def read_positions(self) -> dict:
        """(CSV header, year) → where it prints each column, kept by the dataset reader for this part."""
        return {}

    @cached_property
    def total_labels_without_spaces(self) -> frozenset[str]:
        """The 合计行's printed labels, whitespace removed (asked of every row by every layout)."""
        return frozenset(re.sub(r"\s+", "", lbl) for lbl in self.total_row_labels)

    @cached_property  # read by every rule for every row: made once, never to be changed by a caller
    def amount_keys(self) -> list[str]:
        return [c.key for c in self.amounts]

    @cached_property
    def label_keys(self) -> list[str]:
        return [c.key for c in self.labels]

    @property
    def indent_key(self) -> str | None:
        """The label column printed indented by row level ('name', else the first label; a flat one-row table has none)."""
        return "name" if "name" in self.label_keys else next(iter(self.label_keys), None)

    @property
    def column_keys(self) -> list[str]:
        return self.label_keys + self.amount_keys

    def signed_identities(self) -> list[tuple[str, list[tuple[int, str]]]]:
        """Row identities as (lhs, [(sign, term)]), e.g. 'closing = opening + income - spent'."""
        out = []
        for text in self.row_identities:
            lhs, rhs = (s.strip() for s in text.split("="))
            terms = [(-1 if sign == "-" else 1, key) for sign, key in re.findall(r"([+-]?)\s*([a-z_]+)", rhs)]
            out.append((lhs, terms))
        return out

    def identities(self) -> list[tuple[str, list[str]]]:
        """The additive row identities as (lhs, [rhs terms]), e.g. ('total', ['basic', 'project'])."""
        return [(lhs, [k for _, k in terms]) for lhs, terms in self.signed_identities()
                if all(sign > 0 for sign, _ in terms)]


@dataclass(frozen=True)
class TableSpec:
    """One table of a format: its printed number in the document, its role, titles, layout and parts.

    ``role`` is what rules speak of (``expenditure``, ``three_public`` …), the same across formats;
    ``id`` is ``T<number>``, the table's number in this format's documents (file names, findings).
    """

    number: int
    role: str
    title: str
    aliases: tuple[str, ...]
    layout: str  # two_sided | functional | functional_two_sided | economic | fixed | flat | units | projects
    parts: tuple[Part, ...]
    balances: tuple[str, ...] = ()
    code_lengths: tuple[int, ...] = ()  # a coded table's code lengths (类 ⊃ 款 ⊃ 项), else the template's
    unit: str = ""  # the unit the format prints this table in, when it differs from the others' (三公 in 万元)

    @cached_property  # asked for by every rule of every run
    def id(self) -> str:
        return f"T{self.number}"

    @cached_property
    def label(self) -> str:
        """'表3'."""
        return f"表{self.number}"

    def part(self, key: str) -> Part:
        for p in self.parts:
            if p.key == key:
                return p
        raise KeyError(f"{self.id} has no part {key!r}")


@dataclass(frozen=True, eq=False)  # one object per template id (load_template caches): hashed by identity
class Template:
    id: str
    name: str
    kind: str  # budget (预算) | final_accounts (决算)
    scope: str  # department (部门) | unit (单位)
    default_unit: str
    amount_decimals: int
    empty_declarations: tuple[str, ...]
    part_markers: dict
    form_title: str
    functional_classes: tuple[tuple[str, str], ...]  # (code, name)
    functional_code_lengths: tuple[int, ...]
    economic_groups: tuple[tuple[str, str], ...]  # (name, personnel|public)
    government_economic_items: tuple[str, ...]
    tables: tuple[TableSpec, ...] = field(default_factory=tuple)
    cross: tuple[dict, ...] = ()  # identities between tables, as written (read by budgetkit.checks.cross)
    headline: dict = field(default_factory=dict)  # name → cell expression of the department-year's totals
    sections: tuple[dict, ...] = ()  # the document's parts besides the tables: key, title, aliases, narrative
    detect: dict = field(default_factory=dict)  # words that recognise the format in a document (extract.detect)
    scope_words: dict = field(default_factory=dict)  # scope → words a document calls itself by (部门 / 单位)
    narrative_name: str = "情况说明"  # how findings name the narrative part (第三部分 …)
    former_class_names: dict = field(default_factory=dict)  # a retired 类 name → its code
    checklist: dict = field(default_factory=dict)  # the inspection checklist: title and items (checks.checklist)
    table_heads: tuple[str, ...] = ("department", "year")  # what a table's head prints (编制部门, 年度 in the title)

    def section(self, key: str) -> dict | None:
        return next((s for s in self.sections if s["key"] == key), None)

    def spec_for_title(self, text: str) -> TableSpec | None:
        """The table a printed title names: '表一2024年预算收支总表' → T1, '1. 2025年部门财务收支预算总表' → T1.

        Numbering (表一, 1., 一、) and a leading year are ignored; a trailing （…） is allowed.
        """
        t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
        t = _TITLE_YEAR.sub("", _TITLE_NUMBERING.sub("", t))
        best, best_len = None, 0
        for spec in self.tables:
            for name in (spec.title, *spec.aliases):
                n = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
                rest = t[len(n):] if t.startswith(n) else None
                if rest is not None and (rest == "" or re.fullmatch(r"\([^()]*\)", rest)) and len(n) > best_len:
                    best, best_len = spec, len(n)
        return best

    def table(self, table_id: str) -> TableSpec:
        spec = self._by_id.get(table_id)
        if spec is None:
            raise KeyError(f"template {self.id} has no table {table_id!r}")
        return spec

    def by_role(self, role: str) -> TableSpec | None:
        return self._by_role.get(role)

    # made once (cached_property writes the instance's __dict__, which a frozen dataclass allows):
    # every rule asks for its tables by id or role, the first table of a role wins
    @cached_property
    def _by_id(self) -> dict[str, TableSpec]:
        return {spec.id: spec for spec in reversed(self.tables)}

    @cached_property
    def _by_role(self) -> dict[str, TableSpec]:
        return {spec.role: spec for spec in reversed(self.tables)}

    @property
    def roles(self) -> list[str]:
        return [t.role for t in self.tables]

    @property
    def table_ids(self) -> list[str]:
        return [t.id for t in self.tables]

    def class_name(self, code: str) -> str | None:
        return dict(self.functional_classes).get(code)


def _column(d: dict) -> Column:
    return Column(key=d["key"], header=str(d["header"]), aliases=tuple(str(a) for a in d.get("aliases", ())),
                  optional=bool(d.get("optional", False)))


def _rows(raw: list, template: dict) -> tuple[FixedRow, ...]:
    rows: list[FixedRow] = []
    numerals = chinese_numerals(len(template["functional_classes"]))
    for r in raw:
        if r.get("from") == "functional_classes":
            for i, c in enumerate(template["functional_classes"]):
                label = f"{numerals[i]}、{c['name']}" if r.get("numbered") else c["name"]
                rows.append(FixedRow(label=label, key=f"class_{c['code']}", aliases=(c["name"], *c.get("former", ())),
                                     code=c["code"]))
            continue
        sum_of: list[str] = []
        for s in r.get("sum_of", ()):
            if s == "functional_classes":
                sum_of.extend(f"class_{c['code']}" for c in template["functional_classes"])
            else:
                sum_of.append(s)
        rows.append(FixedRow(label=r["label"], key=r["key"], kind=r.get("kind", "leaf"),
                             aliases=tuple(r.get("aliases", ())), sum_of=tuple(sum_of), group=r.get("group")))
    return tuple(rows)


def chinese_numerals(n: int) -> list[str]:
    """一, 二, … 三十 … (the list numbering used on fixed rows)."""
    digits = "零一二三四五六七八九"
    out = []
    for i in range(1, n + 1):
        tens, ones = divmod(i, 10)
        s = ("" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")) + ("" if ones == 0 else digits[ones])
        out.append(s)
    return out


def classifications() -> dict:
    """The shared classification lists (``classifications.yaml``): 功能分类 classes with their former names."""
    return read_yaml(resources.files("budgetkit.core.templates").joinpath("classifications.yaml")
                      .read_text(encoding="utf-8"))


def _shared(d: dict) -> dict:
    """A template may name a shared list instead of writing it out: ``functional_classes: national``
    takes the list ``national`` of ``classifications.yaml`` (one copy of the national classification)."""
    if isinstance(d.get("functional_classes"), str):
        d = {**d, "functional_classes": classifications()["functional_classes"][d["functional_classes"]]}
    return d


def _from_dict(d: dict) -> Template:
    d = _shared(d)
    tables = []
    for t in d["tables"]:
        parts = []
        for p in t["parts"]:
            parts.append(Part(
                key=p["key"], name=p.get("name"),
                labels=tuple(_column(c) for c in p["labels"]),
                amounts=tuple(_column(c) for c in p["amounts"]),
                row_identities=tuple(p.get("row_identities", ())),
                rows=_rows(p.get("rows", []), d),
                total_row_labels=tuple(p.get("total_row_labels", ())),
            ))
        tables.append(TableSpec(number=int(t["number"]), role=t["role"], title=t["title"],
                                aliases=tuple(t.get("aliases", ())), layout=t["layout"], parts=tuple(parts),
                                balances=tuple(t.get("balances", ())), code_lengths=tuple(t.get("code_lengths", ())),
                                unit=t.get("unit", "")))
    return Template(
        id=d["id"], name=d["name"], kind=d["kind"], scope=d["scope"], default_unit=d["default_unit"],
        amount_decimals=int(d["amount_decimals"]),
        empty_declarations=tuple(d["empty_declarations"]), part_markers=dict(d["parts"]), form_title=d["form_title"],
        functional_classes=tuple((c["code"], c["name"]) for c in d["functional_classes"]),
        former_class_names={name: c["code"] for c in d["functional_classes"] for name in c.get("former", ())},
        functional_code_lengths=tuple(d["functional_code_lengths"]),
        economic_groups=tuple((g["name"], g["side"]) for g in d["economic_groups"]),
        government_economic_items=tuple(d["government_economic_items"]),
        tables=tuple(tables), cross=tuple(d.get("cross") or ()), headline=dict(d.get("headline") or {}),
        sections=tuple(d.get("sections") or ()), detect=dict(d.get("detect") or {}),
        scope_words=dict(d.get("scope_words") or {}), narrative_name=d.get("narrative_name", "情况说明"),
        checklist=dict(d.get("checklist") or {}),
        table_heads=tuple(d.get("table_heads", ("department", "year"))),
    )


_LOADED: dict[str, Template] = {}  # every template loaded so far, by id (a file's template is found by id later)


def read_yaml(text: str):
    """YAML data (safe: no object tags), with libyaml's C loader when installed: 10× the pure-Python one."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is there: 10× faster
    return yaml.load(text, Loader=loader)


def load_template(name_or_path: str = DEFAULT_TEMPLATE) -> Template:
    """A format template by id (shipped in budgetkit/core/templates, or loaded before) or by YAML path.

    A template read from a file is remembered by its id, so datasets naming that id find it: a new
    format is a file, not code.
    """
    key = str(name_or_path)
    if key in _LOADED:
        return _LOADED[key]
    path = Path(key)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        template = _from_dict(read_yaml(path.read_text(encoding="utf-8")))
        _LOADED[key] = template
    else:
        source = resources.files("budgetkit.core.templates").joinpath(f"{key}.yaml")
        if not source.is_file():
            raise KeyError(f"unknown template {key!r}")
        template = _from_dict(read_yaml(source.read_text(encoding="utf-8")))
    _LOADED.setdefault(template.id, template)
    return _LOADED[template.id]


def shipped_templates() -> list[str]:
    """The ids of the templates shipped with budgetkit."""
    folder = resources.files("budgetkit.core.templates")
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir()
                  if p.name.endswith(".yaml") and not p.name.endswith(".narrative.yaml")
                  and p.name != "classifications.yaml")
