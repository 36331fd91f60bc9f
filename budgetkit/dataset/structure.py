"""Checks on the parsed tables as a whole: structure a damaged text leaves behind, and units.

Subject codes printed in full-width digits are folded to ASCII first.
The checks run after every table has been read, because both need more than one
row or table to see the problem:

- a part with amounts but no total row, with two total rows (a repeated 合计
  line), or, in an economic table, item rows printed before any economic group:
  every identity may still hold, so without a note such damage would pass silently;
- a table whose unit line contradicts its magnitudes: its largest amount matches
  no amount of any other table as labelled, but matches one exactly (within the
  other table's rounding) after a 10,000× change of unit (元 ↔ 万元) — and, read
  as 万元, it exceeds everything the other tables print (the whole budget). It is
  converted and a warning note says so. A table that exceeds the whole budget
  by 1000× or more and cannot be matched either way is a ``UnitError``.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from budgetkit.core.errors import UnitError
from budgetkit.core.model import (
    LEAF,
    SUBTOTAL,
    TOTAL,
    ExtractionNote,
    PartColumns,
    Table,
    amount_columns,
    amount_list,
    column_list,
)
from budgetkit.core.money import quantum_fen
from budgetkit.core.template import Template

#: Unit pairs a table can be mislabelled between, with the factor (分 as labelled → 分 as meant).
_SWAPS = {("万元", "元"): (1, 10_000), ("元", "万元"): (10_000, 1)}


def _amount_keys(frame: pd.DataFrame) -> list[str]:
    return [c for c, dtype in frame.dtypes.items() if str(dtype) == "Int64"]


def normalise_codes(tables: dict[str, Table]) -> None:
    """Subject codes are ASCII digits: full-width '２０１' as some PDFs print it is the code 201."""
    for table in tables.values():
        for key in list(table.parts):
            frame = table.view(key)
            if "code" in frame.columns:
                codes = column_list(frame, "code")
                folded = [unicodedata.normalize("NFKC", c).strip() for c in codes]
                if folded == codes:  # most documents print ASCII codes: their parts stay as read
                    continue
                if isinstance(frame, PartColumns):
                    table.parts[key] = frame.with_column("code", folded)
                else:
                    frame = frame.copy()
                    frame["code"] = pd.array(folded, dtype=frame["code"].dtype)
                    table.parts[key] = frame


def _rows(numbers: list[int]) -> str:
    return "、".join(map(str, numbers))


def _orphan_codes(table: Table, key: str, frame, lengths) -> list[ExtractionNote]:
    """A 款/项 code whose 类 is not printed above it, in a table that prints its 类: most likely a misprint."""
    lengths = sorted(lengths)
    codes = [str(c).replace(" ", "") for c in column_list(frame, "code")]
    printed = {c for c in codes if c.isdigit()}
    if not any(len(c) == lengths[0] for c in printed):
        return []
    out = []
    for n, code in zip(column_list(frame, "row_no"), codes):
        if code.isdigit() and len(code) > lengths[0] and code[:lengths[0]] not in printed:
            out.append(ExtractionNote("orphan_code", table.id, f"{key} 第{int(n)}行 {code}",
                                      f"科目编码“{code}”的类“{code[:lengths[0]]}”不在表中，疑为编码印刷错误，请对照原文核对",
                                      "warning"))
    return out


def structure_notes(tables: dict[str, Table], template: Template) -> list[ExtractionNote]:
    """Warnings for rows a damaged text leaves behind that no identity can catch."""
    notes = []
    for table in tables.values():
        spec = template.table(table.id)
        for key in table.parts:
            frame = table.view(key)  # its columns only: no frame is made for a loaded part
            kinds = column_list(frame, "kind")
            if spec.layout == "flat":  # a table of one line has no total row to look for
                continue
            if TOTAL not in kinds and any(any(v is not None for v in amount_list(frame, c))
                                          for c in amount_columns(frame)):
                notes.append(ExtractionNote("missing_total", table.id, key,
                                            "有金额但没有合计行（合计行缺失或被删除），无法核对合计，请对照原文核对",
                                            "warning"))
            unkeyed = [k == TOTAL and not key_ for k, key_ in zip(kinds, column_list(frame, "key"))]
            if sum(unkeyed) > 1:  # totals the template names (人员经费合计, 公用经费合计) are not repeats
                rows = [int(n) for n, u in zip(column_list(frame, "row_no"), unkeyed) if u]
                notes.append(ExtractionNote("repeated_total", table.id, f"{key} 第{_rows(rows)}行",
                                            f"合计行出现 {len(rows)} 次（第{_rows(rows)}行），可能是重复的行，请对照原文核对",
                                            "warning"))
            if spec.layout.startswith("functional") and "code" in frame.columns:
                notes += _orphan_codes(table, key, frame, spec.code_lengths or template.functional_code_lengths)
            if spec.layout == "economic":
                before = []
                for n, k in zip(column_list(frame, "row_no"), kinds):
                    if k == SUBTOTAL:
                        break
                    if k == LEAF:
                        before.append(int(n))
                if before:
                    notes.append(ExtractionNote("orphan_rows", table.id, f"{key} 第{_rows(before)}行",
                                                f"{len(before)} 个经济科目明细行出现在任何经济分类行之前，"
                                                "可能缺少分类行，请对照原文核对", "warning"))
    return notes


def _largest(table: Table) -> int:
    return max((abs(int(v)) for f in table.parts.values() for c in _amount_keys(f) for v in f[c].dropna()),
               default=0)


def _matches(value: int, others: list[tuple[int, int]]) -> bool:
    """Whether ``value`` (分) equals a nonzero amount printed elsewhere, within that amount's rounding."""
    return any(v and abs(value - v) * 2 <= q for v, q in others)


def _rescale(table: Table, num: int, den: int, unit: str) -> None:
    for key, frame in table.parts.items():
        frame = frame.copy()
        for c in _amount_keys(frame):
            frame[c] = frame[c].map(lambda v: v if pd.isna(v) else int(v) * num // den).astype("Int64")
        table.parts[key] = frame
    table.unit = unit


def _amounts(table: Table) -> list[tuple[int, int]]:
    """(|amount| in 分, the table's printed quantum) of every non-blank amount cell."""
    q = quantum_fen(table.unit, table.decimals)
    return [(abs(int(v)), q) for f in table.parts.values() for c in _amount_keys(f) for v in f[c].dropna()]


def reconcile_units(tables: dict[str, Table], source_name: str) -> list[ExtractionNote]:
    """Convert tables whose unit line contradicts their magnitudes; notes say which and why."""
    notes = []
    filled = {t.id: t for t in tables.values() if _largest(t)}
    amounts = {tid: _amounts(t) for tid, t in filled.items()}  # read once: each table is every other's yardstick
    for tid, table in filled.items():
        others = [a for oid, table_amounts in amounts.items() if oid != tid for a in table_amounts]
        if not others:
            continue
        top = _largest(table)
        if _matches(top, others):
            continue
        biggest_other = max(v for v, _ in others)
        for (labelled, meant), (num, den) in _SWAPS.items():
            if table.unit != labelled or (top * num) % den:
                continue
            if den > num and top <= biggest_other:
                continue  # read as labelled it fits in the budget the other tables print: no contradiction
            if _matches(top * num // den, others):
                _rescale(table, num, den, meant)
                amounts[tid] = _amounts(table)
                notes.append(ExtractionNote(
                    "unit_converted", tid, "单位",
                    f"表头单位为{labelled}，但数值与其他表相差 10000 倍（最大数按{meant}才与其他表一致），已按{meant}换算",
                    "warning"))
                break
        else:
            if top >= 1000 * biggest_other:
                raise UnitError(f"amounts are {top // max(biggest_other, 1)}× the other tables' largest amount "
                                f"although labelled {table.unit}; the unit line contradicts the magnitudes",
                                file=source_name, table=tid)
    return notes

