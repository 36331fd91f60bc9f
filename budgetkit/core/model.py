"""In-memory form of one department-year: tables, narrative, performance forms, metadata.

Amount columns hold integer 分 (pandas ``Int64``; <NA> = blank cell as printed),
so every sum is exact and column-wise over many rows or datasets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: Row kinds in memory (and their printed names in the tidy CSVs).
LEAF, SUBTOTAL, TOTAL = "leaf", "subtotal", "total"
ROW_KIND_CN = {LEAF: "明细", SUBTOTAL: "小计", TOTAL: "合计"}
ROW_KIND_FROM_CN = {v: k for k, v in ROW_KIND_CN.items()}

#: Columns every table-part frame has before its label and amount columns.
#: row_no: printed order (1-based); kind: leaf/subtotal/total; level: nesting depth
#: (code length rank, indentation, or group); key: the template's fixed-row key ('' when none).
META_COLUMNS = ["row_no", "kind", "level", "key"]


class PartColumns:
    """A table part as the dataset reader made it: plain column lists, in row order, not yet a frame.

    A loaded table keeps its parts so (``Parts``) until something asks for a part's frame; the rules
    read these lists (``column_list``, ``amount_list``, ``Table.view``), so a province's batch of checks
    builds no frame at all. ``frame()`` makes the frame ``make_frame`` would have made. Read-only.
    """

    def __init__(self, columns: list[str], data: dict[str, list], amount_keys: frozenset[str], build):
        self.columns = columns  # as a frame's: names in order
        self.data = data  # name -> values (amounts: 分 or None; texts: str; row_no, level: int)
        self.amount_keys = amount_keys
        self._build = build  # PartColumns -> DataFrame (the dataset layer's make_frame)
        self.index = range(len(data[columns[0]]) if columns else 0)

    def __len__(self) -> int:
        return len(self.index)

    @property
    def empty(self) -> bool:
        return not self.index or not self.columns

    def frame(self) -> pd.DataFrame:
        return self._build(self)

    def with_column(self, name: str, values: list) -> PartColumns:
        """The same part with one column's values replaced."""
        return PartColumns(self.columns, {**self.data, name: values}, self.amount_keys, self._build)


class Parts(dict):
    """Part key → frame, each frame made from its ``PartColumns`` the first time it is asked for.

    ``parts[key]``, ``get``, ``values`` and ``items`` give frames, as a dict of frames would;
    ``peek`` gives the part as stored, frame or columns, without making a frame.
    """

    def __getitem__(self, key):
        value = dict.__getitem__(self, key)
        if isinstance(value, PartColumns):
            value = value.frame()
            dict.__setitem__(self, key, value)
        return value

    def get(self, key, default=None):
        return self[key] if key in self else default

    def values(self):
        return [self[k] for k in self]

    def items(self):
        return [(k, self[k]) for k in self]

    def pop(self, key, *default):
        if key in self:
            value = self[key]
            dict.pop(self, key)
            return value
        return dict.pop(self, key, *default)

    def setdefault(self, key, default=None):
        if key not in self:
            dict.__setitem__(self, key, default)
        return self[key]

    def copy(self) -> Parts:
        return Parts(self)

    def peek(self, key, default=None):
        return dict.get(self, key, default)


def column_array(frame: pd.DataFrame, name: str):
    """A frame's column as its array (no ``Series``): rules read every column of every table of every run.

    ``DataFrame._get_column_array`` gives the stored array without building a Series (a tenth of
    ``frame[name]``'s time); a pandas without it goes the public way.
    """
    loc = frame.columns.get_loc(name)
    if isinstance(loc, int) and hasattr(frame, "_get_column_array"):
        return frame._get_column_array(loc)
    return frame[name].array


def column_list(frame: pd.DataFrame | PartColumns, name: str) -> list:
    """A column as a plain list, as ``frame[name].tolist()`` gives it (a blank amount is NA). Not to be changed."""
    if isinstance(frame, PartColumns):
        values = frame.data[name]
        return [pd.NA if v is None else v for v in values] if name in frame.amount_keys else values
    return column_array(frame, name).tolist()


def amount_list(frame: pd.DataFrame | PartColumns, name: str) -> list[int | None]:
    """An amount column as plain 分 (None = blank), from the ``Int64`` array's data and mask. Not to be changed."""
    if isinstance(frame, PartColumns):
        return frame.data[name]
    values = column_array(frame, name)
    if isinstance(values, pd.arrays.IntegerArray):
        return [None if blank else v for v, blank in zip(values.to_numpy("int64", na_value=0).tolist(),
                                                          values.isna().tolist())]
    return [None if pd.isna(v) else int(v) for v in values.tolist()]


def amount_columns(frame: pd.DataFrame | PartColumns) -> list[str]:
    """The amount (``Int64``) columns of a part, in order."""
    if isinstance(frame, PartColumns):
        return [c for c in frame.columns if c in frame.amount_keys]
    return [c for c, dtype in zip(frame.columns, frame.dtypes) if isinstance(dtype, pd.Int64Dtype)]


def text_columns(frame: pd.DataFrame | PartColumns) -> list[str]:
    """The text columns of a part (row kind, key, code and the labels), in order."""
    if isinstance(frame, PartColumns):
        return [c for c in frame.columns if c not in frame.amount_keys and c not in ("row_no", "level")]
    return [c for c, dtype in zip(frame.columns, frame.dtypes) if dtype == object or str(dtype) in ("str", "string")]


@dataclass
class Table:
    """One disclosure table; ``parts`` maps part key ('main', 'income', 'expenditure') to a frame."""

    id: str
    title: str
    unit: str
    decimals: int
    parts: dict[str, pd.DataFrame]
    declared_empty: bool = False
    source_line: int | None = None
    printed_department: str = ""  # 部门名称 as printed above the table
    printed_year: int | None = None  # year in the printed title
    absent_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # part → optional columns not printed

    def part(self, key: str = "main") -> pd.DataFrame:
        return self.parts[key]

    def view(self, key: str = "main") -> pd.DataFrame | PartColumns | None:
        """A part as stored, for reading its columns: its frame, or its ``PartColumns`` while no frame was made."""
        return self.parts.peek(key) if isinstance(self.parts, Parts) else self.parts.get(key)

    @property
    def has_values(self) -> bool:
        """Any printed amount in any part (amount columns are the ``Int64`` ones)."""
        for key in self.parts:
            part = self.view(key)
            if isinstance(part, PartColumns):
                if any(v is not None for c in part.amount_keys for v in part.data[c]):
                    return True
            # from the last column: the amounts come after the row and label columns, so money stops it at once
            elif any(isinstance(values.dtype, pd.Int64Dtype) and not values.isna().all()
                     for values in (column_array(part, c) for c in reversed(part.columns))):
                return True
        return False


@dataclass
class Section:
    """A numbered section of 第三部分 (一 … 十二) and its span in ``Narrative.text``."""

    number: str
    heading: str
    start: int
    end: int


@dataclass
class Sentence:
    index: int
    section: str  # Section.number, '' before the first heading
    text: str
    start: int  # offset in Narrative.text
    end: int
    line: int  # 1-based line in the source document where the sentence starts


@dataclass
class Narrative:
    """第三部分 情况说明, kept whole: lines joined into paragraphs, page furniture removed."""

    text: str
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    line_unit: str = "行"  # what Sentence.line counts in the source: 行 (a text file's lines) or 页 (a PDF's pages)
    name: str = "情况说明"  # how the document calls its narrative part (第三部分 in the Shanxi format): locations
    parts: list[tuple[str, int]] = field(default_factory=list)  # (document section key, start offset) in text

    def part_at(self, offset: int) -> str:
        """The document section (explanation, other …) an offset of the text falls in ('' when unknown)."""
        key = ""
        for k, start in self.parts:
            if start <= offset:
                key = k
        return key

    def section(self, number: str) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)

    def section_text(self, number: str) -> str:
        s = self.section(number)
        return "" if s is None else self.text[s.start:s.end]


FUND_SOURCES = ["total", "central", "provincial", "local", "self_raised", "other"]
FUND_SOURCES_CN = {"total": "资金总额", "central": "中央财政资金", "provincial": "省级财政资金",
                   "local": "市县（区）财政资金", "self_raised": "单位自筹", "other": "其他资金"}
PERIODS = ["implementation", "annual"]
PERIODS_CN = {"implementation": "实施期", "annual": "年度"}


@dataclass
class Indicator:
    period: str  # implementation | annual
    level1: str  # 产出指标 / 效益指标 / 满意度指标
    level2: str  # 数量指标 / 成本指标 / …
    name: str  # 三级指标
    value: str  # 指标值 as printed (whitespace removed)


@dataclass
class PerformanceForm:
    """One 项目支出绩效目标表. Funds in 分 (the form prints 元)."""

    index: int
    project: str
    department: str = ""
    department_code: str = ""
    implementer: str = ""
    nature: str = ""  # 一次性项目 / 延续性项目
    nature_detail: str = ""  # text in brackets, e.g. 1 年结束
    period_years: int | None = None  # 项目期
    funds: dict[str, dict[str, int | None]] = field(default_factory=dict)  # period -> source -> 分
    sections: dict[str, str] = field(default_factory=dict)  # 项目概况, 立项依据, …, 实施期目标, 年度目标
    indicators: list[Indicator] = field(default_factory=list)
    unit: str = "元"
    source_line: int | None = None

    def fund(self, period: str, source: str = "total") -> int | None:
        return self.funds.get(period, {}).get(source)


@dataclass
class ExtractionNote:
    """Something the extractor settled by structure or could not settle (an ambiguity)."""

    kind: str  # column_settled | column_ambiguous | unit_converted | wrapped_value | …
    table: str
    location: str
    message: str
    severity: str = "info"  # info | warning | error


class MadeWhenRead:
    """A dataclass field that may be given a function instead of a value; it is called when first read.

    The default slug comes from pypinyin, whose import costs more than a whole ``check`` that never
    reads the slug; give ``functools.partial(slugify, name)`` (picklable, for Dask) to defer it.
    """

    def __set_name__(self, owner, name):
        self._attr = "_" + name

    def __get__(self, obj, owner=None):
        if obj is None:
            raise AttributeError(self._attr)  # no default: the field stays required
        value = obj.__dict__[self._attr]
        if callable(value):
            value = obj.__dict__[self._attr] = value()
        return value

    def __set__(self, obj, value):
        obj.__dict__[self._attr] = value


@dataclass
class Metadata:
    department: str
    department_code: str
    year: int
    template: str
    slug: str = MadeWhenRead()  # a str, or a function making it when first read
    source_file: str = ""
    source_sha256: str = ""
    source_kind: str = "text"
    scope: str = ""  # department (部门) | unit (单位) as the document calls itself; '' = the template's
    sections: list[str] = field(default_factory=list)  # keys of the template's sections the document prints
    blank: bool = False  # a blank template (every table without a number, placeholders such as XX): nothing to check
    cover: list[str] = field(default_factory=list)  # the cover's lines as printed ([] when the source has none)
    toc: list[str] = field(default_factory=list)  # the 目录's entries as printed ([] when the source has none)


@dataclass
class Disclosure:
    meta: Metadata
    tables: dict[str, Table] = field(default_factory=dict)
    narrative: Narrative | None = None
    forms: list[PerformanceForm] = field(default_factory=list)
    notes: list[ExtractionNote] = field(default_factory=list)
    origin: Path | None = None  # dataset folder or source file it came from

    def table(self, table_id: str) -> Table | None:
        return self.tables.get(table_id)
