"""Read many canonical datasets into a few long frames: one per table part, keyed by dataset.

This is the column-wise form the batch checks work on: instead of one small
DataFrame per table per department-year, every row of e.g. table 3 of all
datasets sits in one frame with a ``ds`` column (the dataset's position in the
batch). Amount strings are converted to integer 分 column-wise, exactly
(integer arithmetic on the digits, no floats). Validation matches
``budgetkit.dataset.store.load_dataset`` for what the checks need; a bad file raises
the same one-line ``DatasetError``/``BadAmount``.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from budgetkit.dataset.store import META_HEADERS, assemble, load_dataset, sha256_file
from budgetkit.core.errors import BadAmount, ChecksumMismatch, DatasetError
from budgetkit.core.model import META_COLUMNS, ROW_KIND_FROM_CN, Disclosure
from budgetkit.core.money import UNIT_FEN
from budgetkit.core.template import Template, load_template


FLUSH = 500  # datasets read before their rows are typed (bounds the memory of raw cell strings)


@dataclass
class LongTables:
    """All datasets of a batch, column-wise."""

    folders: list[Path]
    meta: pd.DataFrame  # one row per (ds, table): unit, decimals, declared_empty, printed_year, printed_department
    datasets: pd.DataFrame  # one row per ds: department, year, slug, template
    parts: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)  # (table, part) → rows of all ds
    raw_meta: list[dict] = field(default_factory=list)  # metadata.json of each ds


_AMOUNT = re.compile(r"(-?)(\d+)(?:\.(\d+))?")


def _fen_column(text: pd.Series, factor: pd.Series, path_of, table_id: str) -> pd.Series:
    """'1,716.73' (万元) → 17 167 300 分, exactly (integer digits, no floats); blank → <NA>.

    One tight pass over the cells: cheaper than chains of string methods on object columns.
    """
    out = []
    for i, (cell, fac) in enumerate(zip(text.tolist(), factor.tolist())):
        s = cell.strip().replace(",", "") if cell else ""
        if s in ("", "-", "—"):
            out.append(None)
            continue
        m = _AMOUNT.fullmatch(s)
        if m is None:
            raise BadAmount(f"'{cell}' is not an amount", file=str(path_of(i)), table=table_id)
        sign, whole, frac = m.groups()
        frac = frac or ""
        scale, rest = divmod(fac, 10 ** len(frac))
        if rest:
            raise BadAmount(f"'{cell}' is finer than 0.01 元", file=str(path_of(i)), table=table_id)
        v = int(whole) * fac + (int(frac) * scale if frac else 0)
        out.append(-v if sign else v)
    return pd.array(out, dtype="Int64")


def load_long(folders: list[Path], template: Template | None = None) -> LongTables:
    """Read every dataset's metadata and table CSVs (not narrative or forms) into long frames."""
    template = template or load_template()
    meta_rows, ds_rows, raw_meta = [], [], []
    factor: dict[tuple[int, str], int] = {}
    frames: dict[tuple[str, str], list[pd.DataFrame]] = {}
    raw: dict[tuple[str, str], list[list]] = {}
    paths: dict[tuple[str, str], list[str]] = {}
    for ds, folder in enumerate(folders):
        if ds and ds % FLUSH == 0:  # typed frames are far smaller than lists of cell strings
            for key, rows in raw.items():
                if not rows:
                    continue
                spec = template.table(key[0])
                frames.setdefault(key, []).append(_to_frame(rows, paths[key], spec, spec.part(key[1]), factor))
            raw.clear()
            paths.clear()
        folder = Path(folder)
        try:
            meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DatasetError("not a budgetkit dataset (no metadata.json)", file=str(folder)) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DatasetError(f"metadata.json is not valid JSON ({exc.__class__.__name__})",
                               file=str(folder / "metadata.json")) from None
        try:
            year, slug, name = meta["year"], meta["slug"], meta["department"]["name"]
            source, checksum, tables_meta = meta["source"]["file"], meta["source"]["sha256"], meta["tables"]
            if meta.get("template") != template.id or not isinstance(year, int):
                raise TypeError
        except (KeyError, TypeError):
            # malformed or another template: the careful loader names the problem in one line
            load_dataset(folder)
            raise DatasetError("metadata.json is not what the batch loader expects", file=str(folder)) from None
        src = folder / source
        if not src.is_file():
            raise ChecksumMismatch("source document missing", file=str(src))
        if sha256_file(src) != checksum:
            raise ChecksumMismatch("source document changed since extraction (SHA-256 differs from "
                                   "metadata.json); re-extract with --force or restore it", file=str(src))
        raw_meta.append(meta)
        ds_rows.append({"ds": ds, "department": name, "year": year, "slug": slug, "template": meta["template"]})
        for table_id, tm in tables_meta.items():
            spec = template.table(table_id)
            factor[(ds, table_id)] = UNIT_FEN.get(tm["unit"], 1)
            meta_rows.append({"ds": ds, "table": table_id, "unit": tm["unit"], "decimals": tm["decimals"],
                              "declared_empty": tm["declared_empty"], "printed_year": tm.get("printed_year"),
                              "printed_department": tm.get("printed_department", "")})
            for part in spec.parts:
                rel = tm["files"].get(part.key)
                if rel is None:
                    raise DatasetError(f"part '{part.key}' has no file", file=str(folder / "metadata.json"),
                                       table=table_id)
                path = folder / rel
                try:
                    with open(path, encoding="utf-8-sig", newline="") as f:
                        rows = list(csv.reader(f))
                except FileNotFoundError:
                    raise DatasetError("file missing", file=str(path), table=table_id) from None
                except UnicodeDecodeError:
                    raise DatasetError("not UTF-8 text", file=str(path), table=table_id) from None
                if not rows:
                    raise DatasetError("empty file (no header)", file=str(path), table=table_id)
                key = (table_id, part.key)
                want = [META_HEADERS[c] for c in META_COLUMNS] + [c.printed(year) for c in part.labels] + \
                       [c.printed(year) for c in part.amounts]
                header = [h.strip() for h in rows[0]]
                if header != want:  # reordered or renamed columns: the careful loader knows the aliases
                    frame_src = load_dataset(folder, verify_source=False).tables[table_id].parts[part.key]
                    body = frame_src.astype(object).where(frame_src.notna(), "").values.tolist()
                    rows = [want] + [[str(v) for v in r] for r in body]
                    _as_text_amounts(rows, part, tm["unit"], tm["decimals"])
                width = len(want)
                bucket = raw.setdefault(key, [])
                where = paths.setdefault(key, [])
                for r in rows[1:]:
                    if not any(c.strip() for c in r):
                        continue
                    r = (r + [""] * width)[:width]
                    bucket.append([ds, *r])
                    where.append(str(path))
    meta_df = pd.DataFrame(meta_rows, columns=["ds", "table", "unit", "decimals", "declared_empty", "printed_year",
                                               "printed_department"])
    long = LongTables(folders=[Path(f) for f in folders], meta=meta_df,
                      datasets=pd.DataFrame(ds_rows, columns=["ds", "department", "year", "slug", "template"]),
                      raw_meta=raw_meta)
    for spec in template.tables:
        for part in spec.parts:
            key = (spec.id, part.key)
            pieces = frames.get(key, [])
            if raw.get(key):
                pieces.append(_to_frame(raw[key], paths[key], spec, part, factor))
            df = pd.concat(pieces, ignore_index=True) if pieces else _to_frame([], [], spec, part, factor)
            df["pos"] = df.groupby("ds").cumcount()
            long.parts[key] = df
    return long


def _to_frame(rows: list[list], where: list[str], spec, part, factor: dict) -> pd.DataFrame:
    """Raw CSV rows of one table part (several datasets) → typed frame (amounts Int64 分), sorted."""
    cols = ["ds", *META_COLUMNS, *part.label_keys, *part.amount_keys]
    df = pd.DataFrame(rows, columns=cols)
    try:
        df["row_no"] = df["row_no"].astype("int64")
        df["level"] = df["level"].replace("", "0").astype("int64")
    except ValueError:
        raise DatasetError("序号/层级 must be whole numbers", file=where[0] if where else "", table=spec.id) from None
    bad_kind = ~df["kind"].isin(list(ROW_KIND_FROM_CN))
    if bad_kind.any():
        i = bad_kind[bad_kind].index[0]
        raise DatasetError(f"行类型 '{df.at[i, 'kind']}' is not one of 明细/小计/合计", file=where[i], table=spec.id)
    df["kind"] = df["kind"].map(ROW_KIND_FROM_CN)
    df["key"] = df["key"].str.strip()
    for k in part.label_keys:
        df[k] = df[k].str.strip()
    fac = pd.Series([factor.get((d, spec.id), 1) for d in df["ds"]], index=df.index, dtype="int64")
    for k in part.amount_keys:
        df[k] = _fen_column(df[k], fac, lambda i: where[i], spec.id)
    return df.sort_values(["ds", "row_no"], kind="stable").reset_index(drop=True)


def _as_text_amounts(rows: list[list[str]], part, unit: str, decimals: int) -> None:
    """Rows from a carefully loaded frame hold 分; print them back in the table's unit for the fast parser."""
    from budgetkit.core.money import format_amount

    n_meta, n_labels = len(META_COLUMNS), len(part.labels)
    kind_cn = {v: k for k, v in ROW_KIND_FROM_CN.items()}
    for r in rows[1:]:
        r[1] = kind_cn.get(r[1], r[1])
        for j in range(n_meta + n_labels, len(r)):
            r[j] = "" if r[j] in ("", "<NA>") else format_amount(int(r[j]), unit, decimals)


def disclosure_of(long: LongTables, ds: int, template: Template | None = None) -> Disclosure:
    """The ``Disclosure`` of one dataset of the batch, cut from the long frames (no CSV read twice).

    Same content as ``load_dataset`` (tables, narrative, forms, notes); the
    per-dataset rules run on it.
    """
    template = template or load_template()
    meta, folder = long.raw_meta[ds], long.folders[ds]

    def part_frame(table_id: str, part, _tmeta: dict) -> pd.DataFrame:
        df = long.parts[(table_id, part.key)]
        ds_col = df["ds"].to_numpy()
        a, b = np.searchsorted(ds_col, ds, "left"), np.searchsorted(ds_col, ds, "right")
        return df.iloc[a:b].drop(columns=["ds", "pos"]).reset_index(drop=True)

    return assemble(meta, folder, template, part_frame)
