"""Exact money: amounts are integer 分 (0.01 元); rounding tolerance from term counts.

Every published amount is rounded to its printed precision (its *quantum*,
e.g. 0.01 万元 = 10 000 分). An identity over n printed values (terms and the
total itself) can be off by at most n half-quanta through rounding alone;
anything larger is a real inconsistency.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from budgetkit.core.errors import BadAmount, UnitError

#: 分 per unit.
UNIT_FEN = {"分": 1, "元": 100, "万元": 1_000_000, "亿元": 10_000_000_000}

_AMOUNT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def normalize_number_text(text: str) -> str:
    """Fold full-width digits/punctuation (NFKC) and strip spaces; keep signs and separators."""
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    s = s.replace("，", ",").replace("．", ".")
    return s


def parse_amount(text: str | None) -> Decimal | None:
    """Parse a printed amount ('1,716.73', '（12.50）' negative, '' blank) to Decimal.

    Raises ``BadAmount`` for anything that is not an amount; blank gives None.
    """
    if text is None:
        return None
    return _parse_text(text if type(text) is str else str(text))


@lru_cache(maxsize=1 << 16)  # a document prints the same amounts in its tables, narrative and forms
def _parse_text(text: str) -> Decimal | None:
    s = normalize_number_text(text)
    if s in ("", "-", "—", "nan", "<NA>", "None"):
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if not _AMOUNT.match(s):
        raise BadAmount(f"'{text}' is not an amount")
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise BadAmount(f"'{text}' is not an amount") from exc
    return -value if negative else value


def is_amount(text: str) -> bool:
    try:
        return parse_amount(text) is not None
    except BadAmount:
        return False


def unit_factor(unit: str) -> int:
    try:
        return UNIT_FEN[unit]
    except KeyError:
        raise UnitError(f"unknown unit '{unit}'") from None


def to_fen(value: Decimal | None, unit: str) -> int | None:
    """Convert an amount in ``unit`` to integer 分, refusing precision finer than 1 分."""
    if value is None:
        return None
    fen = value * unit_factor(unit)
    if fen != fen.to_integral_value():
        raise BadAmount(f"{value} {unit} is finer than 0.01 元")
    return int(fen)


@lru_cache(maxsize=1 << 16)  # every comparison prints its amounts; the same ones recur across rules
def from_fen(fen: int | None, unit: str, decimals: int = 2) -> Decimal | None:
    """Back from 分 to ``unit``, at ``decimals`` places (exact for printed values)."""
    if fen is None:
        return None
    q = Decimal(1).scaleb(-decimals)
    return (Decimal(fen) / unit_factor(unit)).quantize(q)


def format_amount(fen: int | None, unit: str = "万元", decimals: int = 2) -> str:
    """The way the document prints it: '1716.73' ('' when blank)."""
    value = from_fen(fen, unit, decimals)
    return "" if value is None else f"{value:.{decimals}f}"


def format_wan(fen: int, *, grouped: bool = False) -> str:
    """An amount in 万元 to 2 decimals with its unit: '1716.73万元' (messages), '1,716.73万元' (standard text)."""
    value = from_fen(fen, "万元", 2)
    return f"{value:,.2f}万元" if grouped else f"{value:.2f}万元"


@lru_cache(maxsize=256)  # asked for every comparison; a handful of (unit, decimals) pairs exist
def quantum_fen(unit: str, decimals: int) -> int:
    """Printed precision in 分: 0.01 万元 → 10 000."""
    q = Decimal(unit_factor(unit)).scaleb(-decimals)
    if q != q.to_integral_value() or q < 1:
        raise UnitError(f"precision {decimals} decimals of {unit} is finer than 0.01 元")
    return int(q)


def rounding_tolerance(n_printed_values: int, quantum: int) -> int:
    """Largest difference (in 分) that rounding alone can cause.

    ``n_printed_values`` counts every rounded value in the identity, the total
    included; each can be off by half a quantum.
    """
    if n_printed_values < 0:
        raise ValueError("n_printed_values must be >= 0")
    return (n_printed_values * quantum) // 2


def classify_difference(difference: int, n_printed_values: int, quantum: int) -> str:
    """'ok' for zero, 'rounding' within tolerance, else 'error'."""
    if difference == 0:
        return "ok"
    if abs(difference) <= rounding_tolerance(n_printed_values, quantum):
        return "rounding"
    return "error"
