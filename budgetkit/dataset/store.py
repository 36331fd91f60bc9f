"""The canonical dataset: one folder per department-year, written atomically, loaded with validation.

Layout of ``data/<slug>/<year>/``::

    metadata.json            department, year, template, units, source checksum, extraction notes
    source/<original name>   the untouched source document (never modified)
    tables/T1.income.csv     one tidy CSV per table part, printed Chinese headers,
    tables/T3.csv            codes as strings, amounts exact as printed
    narrative.txt            第三部分, kept whole
    forms.json               the 项目支出绩效目标表 forms (funds in 元 as printed)

Hand corrections to the CSVs, narrative.txt or forms.json are what the checks
run on; only ``extract --force`` replaces them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from budgetkit import __version__
from budgetkit.core.atomic import replace_dir, share_like_umask
from budgetkit.core.errors import (
    BadAmount,
    ChecksumMismatch,
    DatasetError,
    OutputExists,
)
from budgetkit.core.model import (
    LEAF,
    META_COLUMNS,
    ROW_KIND_CN,
    ROW_KIND_FROM_CN,
    Disclosure,
    ExtractionNote,
    Indicator,
    Metadata,
    PartColumns,
    Parts,
    PerformanceForm,
    Table,
)
from budgetkit.core.money import format_amount, parse_amount, to_fen
from budgetkit.core.template import Template, load_template
from budgetkit.dataset.narrative import (
    segment_narrative,  # one segmentation for extract and load
)
from budgetkit.dataset.schema_fast import validator
from budgetkit.dataset.structure import (  # hand edits: same folding and checks
    normalise_codes,
    structure_notes,
)

FORMAT = "budgetkit-dataset/1"
META_HEADERS = {"row_no": "序号", "kind": "行类型", "level": "层级", "key": "行键"}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def part_filename(table_id: str, part_key: str) -> str:
    return f"tables/{table_id}.csv" if part_key == "main" else f"tables/{table_id}.{part_key}.csv"


# ---------------------------------------------------------------- writing


def _part_csv(frame: pd.DataFrame, part, year: int, unit: str, decimals: int) -> str:
    headers = [META_HEADERS[c] for c in META_COLUMNS]
    headers += [c.printed(year) for c in part.labels] + [c.printed(year) for c in part.amounts]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(headers)
    for rec in frame.to_dict("records"):
        row = [int(rec["row_no"]), ROW_KIND_CN[rec["kind"]], int(rec["level"]), rec.get("key") or ""]
        row += [("" if pd.isna(rec.get(c.key)) else str(rec.get(c.key))) for c in part.labels]
        row += [format_amount(None if pd.isna(rec.get(c.key)) else int(rec[c.key]), unit, decimals)
                for c in part.amounts]
        w.writerow(row)
    return buf.getvalue()


def _form_to_json(form: PerformanceForm) -> dict:
    d = asdict(form)
    d["funds"] = {
        period: {src: (None if v is None else format_amount(v, "元", 0)) for src, v in srcs.items()}
        for period, srcs in form.funds.items()
    }
    return d


def dataset_files(disclosure: Disclosure, template: Template) -> dict[str, bytes]:
    """Every derived file of the dataset (not the source), as bytes, keyed by relative path."""
    files: dict[str, bytes] = {}
    meta = disclosure.meta
    tables_meta = {}
    for spec in template.tables:
        table = disclosure.tables.get(spec.id)
        if table is None:
            continue
        paths = {}
        for part in spec.parts:
            frame = table.parts.get(part.key)
            if frame is None:
                continue
            rel = part_filename(spec.id, part.key)
            files[rel] = _part_csv(frame, part, meta.year, table.unit, table.decimals).encode("utf-8")
            paths[part.key] = rel
        tables_meta[spec.id] = {"title": table.title, "unit": table.unit, "decimals": table.decimals,
                                "declared_empty": table.declared_empty, "source_line": table.source_line,
                                "printed_department": table.printed_department,
                                "printed_year": table.printed_year, "files": paths,
                                **({"absent_columns": {k: list(v) for k, v in table.absent_columns.items()}}
                                   if table.absent_columns else {})}
    narrative_meta = None
    if disclosure.narrative is not None:
        files["narrative.txt"] = disclosure.narrative.text.encode("utf-8")
        narrative_meta = {
            "file": "narrative.txt",
            "sha256": hashlib.sha256(files["narrative.txt"]).hexdigest(),
            # source line of each sentence start, valid while narrative.txt is unchanged
            "sentence_lines": [[s.start, s.line] for s in disclosure.narrative.sentences],
            "line_unit": disclosure.narrative.line_unit,
            "parts": [list(x) for x in disclosure.narrative.parts],
        }
    files["forms.json"] = (json.dumps([_form_to_json(f) for f in disclosure.forms], ensure_ascii=False,
                                      indent=1) + "\n").encode("utf-8")
    metadata = {
        "format": FORMAT,
        "template": meta.template,
        "department": {"name": meta.department, "code": meta.department_code},
        "year": meta.year,
        "slug": meta.slug,
        "scope": meta.scope,
        "sections": meta.sections,
        "blank": meta.blank,
        "cover": meta.cover,
        "toc": meta.toc,
        "source": {"file": meta.source_file, "sha256": meta.source_sha256, "kind": meta.source_kind},
        "tables": tables_meta,
        "narrative": narrative_meta,
        "forms": "forms.json",
        "notes": [asdict(n) for n in disclosure.notes],
        "budgetkit_version": __version__,
    }
    files["metadata.json"] = (json.dumps(metadata, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return files


def write_dataset(disclosure: Disclosure, source: Path, out_dir: Path, *, force: bool = False,
                  template: Template | None = None) -> list[str]:
    """Write the dataset atomically; return the relative paths an existing dataset had that get replaced.

    Without ``force`` an existing dataset is never touched (``OutputExists``).
    The folder appears complete or not at all: files go to a temporary sibling
    folder first, which then takes the target's place.
    """
    template = template or load_template(disclosure.meta.template)
    out_dir = Path(out_dir)
    replaced: list[str] = []
    if out_dir.exists():
        if not force:
            raise OutputExists(f"{out_dir} already holds a dataset; pass --force to replace it "
                               "(hand corrections there would be lost)")
        replaced = sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*") if p.is_file())
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for rel, data in dataset_files(disclosure, template).items():
            p = tmp / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        (tmp / "source").mkdir()
        shutil.copy2(source, tmp / disclosure.meta.source_file)
        if sha256_file(tmp / disclosure.meta.source_file) != disclosure.meta.source_sha256:
            raise ChecksumMismatch("source changed while it was being copied", file=str(source))
        share_like_umask(tmp, folder=True)
        replace_dir(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return replaced


# ---------------------------------------------------------------- loading


@cache
def _schema() -> dict:
    return json.loads(resources.files("budgetkit.dataset.schemas").joinpath("metadata.schema.json").read_text("utf-8"))


@cache
def _metadata_valid():
    return validator(_schema())


def _read_metadata(folder: Path) -> dict:
    path = folder / "metadata.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except _NO_FILE:
        raise DatasetError("not a budgetkit dataset (no metadata.json)", file=str(folder)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"metadata.json is not valid JSON ({exc.__class__.__name__})", file=str(path)) from None
    if _metadata_valid()(meta):
        return meta
    import jsonschema  # imported only for an error: it costs seconds at start-up (see schema_fast)

    try:
        jsonschema.validate(meta, _schema())
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "top level"
        raise DatasetError(f"metadata.json fails its schema at {where}: {exc.message}", file=str(path)) from None
    return meta


_NO_FILE = (FileNotFoundError, IsADirectoryError, NotADirectoryError)  # asked by opening: a stat per file costs


def _read_part(path: str | Path, part, table_id: str, year: int, unit: str) -> PartColumns:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    except _NO_FILE:
        raise DatasetError("file missing", file=str(path), table=table_id) from None
    except UnicodeDecodeError:
        raise DatasetError("not UTF-8 text", file=str(path), table=table_id) from None
    if not rows:
        raise DatasetError("empty file (no header)", file=str(path), table=table_id)
    header = tuple(h.strip() for h in rows[0])
    positions = _positions(part, header, year)
    if isinstance(positions, str):
        raise DatasetError(positions, file=str(path), table=table_id)
    (row_no_at, kind_at, level_at, key_at), labels, amounts = positions
    width = len(header)
    data: dict[str, list] = {name: [] for name in ("row_no", "kind", "level", "key")}
    row_nos, kinds, levels, keys = data["row_no"], data["kind"], data["level"], data["key"]
    texts = [(data.setdefault(name, []), at) for name, at in labels]
    fens = [(data.setdefault(col.key, []), col, at) for col, at in amounts]
    seen_keys: dict[str, int] = {}
    for line_no, row in enumerate(rows[1:], start=2):  # straight into columns: no record per row
        if not "".join(row).strip():  # a blank line
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        try:
            row_no, level = int(row[row_no_at]), int(row[level_at] or 0)
        except ValueError:
            raise DatasetError(f"line {line_no}: 序号/层级 must be whole numbers", file=str(path),
                               table=table_id) from None
        kind = ROW_KIND_FROM_CN.get(row[kind_at].strip())
        if kind is None:
            raise DatasetError(f"line {line_no}: 行类型 '{row[kind_at].strip()}' is not one of 明细/小计/合计",
                               file=str(path), table=table_id)
        key = row[key_at].strip()
        if key:
            if key in seen_keys:  # a fixed row twice: which one is meant?
                raise DatasetError(f"line {line_no}: 行键 '{key}' repeats line {seen_keys[key]}",
                                   file=str(path), table=table_id)
            seen_keys[key] = line_no
        row_nos.append(row_no)
        levels.append(level)
        kinds.append(kind)
        keys.append(key)
        for column, at in texts:
            column.append(row[at].strip())
        for column, col, at in fens:
            try:
                column.append(_cell_fen(row[at], unit))
            except BadAmount as exc:
                raise BadAmount(f"line {line_no}, column '{col.printed(year)}': {exc.what}", file=str(path),
                                table=table_id) from None
    return _in_row_order(data, part)


def _positions(part, header: tuple[str, ...], year: int):
    """Where a CSV prints each column of a part: (meta positions, [(label key, i)], [(amount column, i)]),
    or the message for the first column it lacks. Kept per part, header and year: every dataset of a
    format prints the same few headers."""
    known = part.read_positions
    if (header, year) not in known:
        known[header, year] = _find_positions(part, header, year)
    return known[header, year]


def _find_positions(part, header: tuple[str, ...], year: int):
    found = {}
    for col in [*part.labels, *part.amounts]:
        idx = next((i for i, h in enumerate(header) if col.matches(h, year)), None)
        if idx is None:
            return f"column '{col.printed(year)}' missing"
        found[col.key] = idx
    meta = []
    for name in META_COLUMNS:
        cn = META_HEADERS[name]
        if cn not in header:
            return f"column '{cn}' missing"
        meta.append(header.index(cn))
    return (tuple(meta), tuple((c.key, found[c.key]) for c in part.labels),
            tuple((c, found[c.key]) for c in part.amounts))


@lru_cache(maxsize=65536)  # blanks, zeros and round amounts repeat across tables and datasets
def _cell_fen(cell: str, unit: str) -> int | None:
    return to_fen(parse_amount(cell), unit)


_TEXT = pd.array([], dtype=str).dtype  # the text columns' dtype: ``str``, python-backed unless pyarrow is there
_PYTHON_TEXT = isinstance(_TEXT, pd.StringDtype) and _TEXT.storage == "python"


def make_frame(records: list[dict], part) -> pd.DataFrame:
    """A part frame with the standard column order and dtypes (amounts ``Int64`` 分), rows by 序号.

    Built column by column from plain lists: every table of every disclosure passes here, and
    letting pandas infer each column and then cast it cost more than the rest of reading a table.
    """
    return part_columns(records, part).frame()


def part_columns(records: list[dict], part) -> PartColumns:
    """A part's records as plain columns in 序号 order: what ``make_frame`` makes its frame of, and what a
    loaded table keeps until a frame is asked for (texts blank-filled, amounts as given)."""
    row_no = np.array([r["row_no"] for r in records], dtype="int64").tolist()  # 序号 as numbers

    def texts(key: str, missing: str) -> list[str]:
        values = [r.get(key) for r in records]
        if values and set(map(type, values)) != {str}:  # a missing or non-text cell: blank, or its text
            values = [missing if _missing(v) else str(v) for v in values]
        return values

    data = {"row_no": row_no, "kind": texts("kind", LEAF), "level": [int(r["level"]) for r in records],
            "key": texts("key", "")}
    for k in part.label_keys:
        data[k] = texts(k, "")
    for k in part.amount_keys:
        data[k] = [r.get(k) for r in records]
    return _in_row_order(data, part)


def _in_row_order(data: dict[str, list], part) -> PartColumns:
    """A part's columns (row_no, kind, level, key, labels, amounts) as ``PartColumns``, rows in 序号 order."""
    row_no = data["row_no"]
    if any(a > b for a, b in zip(row_no, row_no[1:])):  # a CSV is in 序号 order already, almost always
        order = sorted(range(len(row_no)), key=row_no.__getitem__)  # stable: equal 序号 keep their order
        data = {name: [values[i] for i in order] for name, values in data.items()}
    return PartColumns(META_COLUMNS + part.label_keys + part.amount_keys, data, frozenset(part.amount_keys),
                       _frame_of)


def _frame_of(columns: PartColumns) -> pd.DataFrame:
    data, arrays = columns.data, []
    for name in columns.columns:
        if name in columns.amount_keys:
            arrays.append(_fen_array(data[name]))
        elif name in ("row_no", "level"):
            arrays.append(np.array(data[name], dtype="int64"))
        elif _PYTHON_TEXT:  # what pd.array(…, dtype=str) makes, without inferring it again
            arrays.append(pd.arrays.StringArray(np.array(data[name], dtype=object), dtype=_TEXT))
        else:
            arrays.append(pd.array(data[name], dtype=str))
    # every column is already a typed array of the frame's length: pandas need not check and convert them again
    return pd.DataFrame._from_arrays(arrays, columns=_column_index(tuple(columns.columns)),
                                     index=pd.RangeIndex(len(columns)), verify_integrity=False)


@lru_cache(maxsize=1024)  # a format's few parts: one (immutable) column index each, shared by their frames
def _column_index(names: tuple[str, ...]) -> pd.Index:
    return pd.Index(list(names))


def _fen_array(values: list) -> pd.arrays.IntegerArray:
    """An ``Int64`` column of 分 (None = blank), made from its data and mask: ten times cheaper than ``pd.array``."""
    blank = [v is None for v in values]
    if not set(map(type, values)) <= {int, type(None)}:  # NA, NaN, numpy or float values
        blank = [_missing(v) for v in values]
        if not all(b or type(v) is int for v, b in zip(values, blank)):
            return pd.array(values, dtype="Int64")  # pandas' checks and errors
    data = np.array([0 if b else v for v, b in zip(values, blank)], dtype="int64")
    return pd.arrays.IntegerArray(data, np.array(blank, dtype=bool))


def _missing(value) -> bool:
    return value is None or value is pd.NA or value != value  # None, NA or NaN


def _form_from_json(d: dict, path: Path) -> PerformanceForm:
    funds = {}
    for period, srcs in (d.get("funds") or {}).items():
        funds[period] = {}
        for src, v in srcs.items():
            try:
                funds[period][src] = to_fen(parse_amount(v), "元")
            except BadAmount as exc:
                raise BadAmount(f"form '{d.get('project')}', {period}/{src}: {exc.what}", file=str(path)) from None
    d = dict(d)
    d["funds"] = funds
    d["indicators"] = [Indicator(**i) for i in d.get("indicators", [])]
    return PerformanceForm(**d)


def load_dataset(folder: Path | str, *, verify_source: bool = True) -> Disclosure:
    """Load a dataset folder into a ``Disclosure`` (amounts in 分), validating as it goes.

    The source document's checksum is verified: a changed source raises
    ``ChecksumMismatch`` instead of being used silently.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError("no such dataset folder", file=str(folder))
    meta = _read_metadata(folder)
    try:
        template = load_template(meta["template"])
    except (FileNotFoundError, KeyError):
        raise DatasetError(f"unknown template '{meta['template']}'", file=str(folder / "metadata.json")) from None
    src = folder / meta["source"]["file"]
    if verify_source:
        if not src.is_file():
            raise ChecksumMismatch("source document missing", file=str(src))
        if sha256_file(src) != meta["source"]["sha256"]:
            raise ChecksumMismatch("source document changed since extraction (SHA-256 differs from "
                                   "metadata.json); re-extract with --force or restore it", file=str(src))
    year = meta["year"]

    base = str(folder)

    def read(table_id: str, part, tmeta: dict) -> PartColumns:
        rel = tmeta["files"].get(part.key)
        if rel is None:
            raise DatasetError(f"part '{part.key}' has no file", file=str(folder / "metadata.json"), table=table_id)
        return _read_part(os.path.join(base, rel), part, table_id, year, tmeta["unit"])  # a str: no Path per file

    return assemble(meta, folder, template, read)


def assemble(meta: dict, folder: Path, template: Template, part_frame) -> Disclosure:
    """The ``Disclosure`` of a validated metadata dict; ``part_frame(table_id, part, table_meta)`` gives each
    part, a frame or the ``PartColumns`` a frame is made of when asked for (``Parts``)."""

    year = meta["year"]
    tables: dict[str, Table] = {}
    for table_id, tmeta in meta["tables"].items():
        try:
            spec = template.table(table_id)
        except KeyError:
            raise DatasetError(f"table {table_id} is not in template {template.id}",
                               file=str(folder / "metadata.json")) from None
        parts = Parts({part.key: part_frame(table_id, part, tmeta) for part in spec.parts})
        tables[table_id] = Table(id=table_id, title=tmeta["title"], unit=tmeta["unit"], decimals=tmeta["decimals"],
                                 parts=parts, declared_empty=tmeta["declared_empty"],
                                 source_line=tmeta.get("source_line"),
                                 printed_department=tmeta.get("printed_department", ""),
                                 printed_year=tmeta.get("printed_year"),
                                 absent_columns={k: tuple(v) for k, v in (tmeta.get("absent_columns") or {}).items()})
    narrative = None
    nmeta = meta.get("narrative")
    if nmeta:
        npath = folder / nmeta["file"]
        try:
            text = npath.read_text(encoding="utf-8")
        except _NO_FILE:
            raise DatasetError("narrative file missing", file=str(npath)) from None
        lines = None
        if hashlib.sha256(text.encode("utf-8")).hexdigest() == nmeta.get("sha256"):
            lines = {start: line for start, line in nmeta.get("sentence_lines", [])}
        narrative = segment_narrative(text, lines)
        narrative.line_unit = nmeta.get("line_unit", "行")
        narrative.name = template.narrative_name
        narrative.parts = [(k, int(o)) for k, o in nmeta.get("parts", [])]
    forms: list[PerformanceForm] = []
    fpath = folder / (meta.get("forms") or "forms.json")
    try:
        text = fpath.read_text(encoding="utf-8")
    except _NO_FILE:
        text = None  # a dataset without forms
    except UnicodeDecodeError as exc:
        raise DatasetError(f"not valid JSON ({exc.__class__.__name__})", file=str(fpath)) from None
    if text is not None:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"not valid JSON ({exc.__class__.__name__})", file=str(fpath)) from None
        try:
            forms = [_form_from_json(d, fpath) for d in raw]
        except TypeError as exc:
            raise DatasetError(f"a form has unexpected fields ({exc})", file=str(fpath)) from None
    notes = [ExtractionNote(**n) for n in meta.get("notes", [])]

    normalise_codes(tables)
    notes += [n for n in structure_notes(tables, template) if n not in notes]
    m = Metadata(department=meta["department"]["name"], department_code=meta["department"]["code"], year=year,
                 template=meta["template"], slug=meta["slug"], source_file=meta["source"]["file"],
                 source_sha256=meta["source"]["sha256"], source_kind=meta["source"]["kind"],
                 scope=meta.get("scope", ""), sections=list(meta.get("sections") or []),
                 blank=bool(meta.get("blank", False)), cover=list(meta.get("cover") or []),
                 toc=list(meta.get("toc") or []))
    return Disclosure(meta=m, tables=tables, narrative=narrative, forms=forms, notes=notes, origin=folder)

