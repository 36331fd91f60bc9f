"""Recomputing percentages from printed amounts, with the slack that printed rounding allows.

Every printed number stands for an interval: 210.23 万元 for [210.225, 210.235],
13.95% for [13.945%, 13.955%]. A printed percentage agrees with printed amounts
when the interval of the ratio meets the interval of the percentage; the
half-quantum of an amount is ``money.rounding_tolerance(1, quantum)``.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from budgetkit.core.money import rounding_tolerance

OK, ROUNDING, ERROR = "ok", "rounding", "error"
#: a percentage cut off rather than rounded (95.4571% printed 95.45%): reported with the rounding grade
TRUNCATED = "truncated"


def half(quantum: int) -> Decimal:
    return Decimal(rounding_tolerance(1, quantum)) if quantum % 2 == 0 else Decimal(quantum) / 2


def grade_sum(difference: int, printed: list[tuple[int, int]]) -> str:
    """ok / rounding / error for an identity over printed (value, quantum) pairs.

    Each non-zero printed value may be off by half its own quantum; a printed 0 is exact.
    """
    if difference == 0:
        return OK
    tolerance = sum(rounding_tolerance(1, q) for v, q in printed if v != 0)
    return ROUNDING if abs(difference) <= tolerance else ERROR


def percent_interval(value: Decimal, decimals: int) -> tuple[Decimal, Decimal]:
    h = Decimal(1).scaleb(-decimals) / 2
    return value - h, value + h


def round_percent(ratio: Decimal, decimals: int) -> Decimal:
    return (ratio * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def truncate_percent(ratio: Decimal, decimals: int) -> Decimal:
    return (ratio * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)


def classify_ratio(exact: Decimal | None, low: Decimal | None, high: Decimal | None, printed: Decimal,
                   decimals: int) -> str:
    """ok when the exact ratio rounds to the printed %, rounding when the intervals meet, truncated when the
    printed % is the ratio cut off at its decimals, else error."""
    if exact is None:
        return ERROR
    if round_percent(exact, decimals) == printed:
        return OK
    p_low, p_high = percent_interval(printed, decimals)
    if low is not None and high is not None and low * 100 <= p_high and high * 100 >= p_low:
        return ROUNDING
    if decimals > 0 and truncate_percent(exact, decimals) == printed:
        return TRUNCATED
    return ERROR


def execution_rate(current: int, q_cur: int, prior: int, q_prior: int):
    """Rate (B − A) ÷ A of a change against a stated prior value A, with its rounding interval (None when A ≤ 0)."""
    b, a = Decimal(current), Decimal(prior)
    hb, ha = half(q_cur), half(q_prior)
    if a <= 0:
        return None, None, None
    exact = (b - a) / a
    low = ((b - hb) - (a + ha)) / (a + ha)
    high = ((b + hb) - (a - ha)) / (a - ha) if a - ha > 0 else None
    return exact, low, high


def share(numerator: int, q_num: int, denominator: int, q_den: int):
    """Exact ratio and its interval under rounding of both amounts (None when the denominator is 0)."""
    if denominator == 0:
        return None, None, None
    n, d = Decimal(numerator), Decimal(denominator)
    hn, hd = half(q_num), half(q_den)
    low = (n - hn) / (d + hd)
    high = (n + hn) / (d - hd) if d - hd > 0 else None
    return n / d, low, high


def change_rate(current: int, q_cur: int, change: int, q_chg: int, direction: int):
    """Rate of a change against the prior value current − direction·change, with its rounding interval."""
    a, c = Decimal(change), Decimal(current)
    ha, hc = half(q_chg), half(q_cur)
    prior = c - direction * a
    if prior <= 0:
        return None, None, None
    exact = a / prior
    if direction > 0:
        lo_den, hi_den = (c + hc) - (a - ha), (c - hc) - (a + ha)
    else:
        lo_den, hi_den = (c + hc) + (a - ha), (c - hc) + (a + ha)
    low = (a - ha) / lo_den if lo_den > 0 else None
    high = (a + ha) / hi_den if hi_den > 0 else None
    return exact, low, high


def fmt_percent(ratio: Decimal | None, decimals: int = 2) -> str:
    return "" if ratio is None else f"{round_percent(ratio, max(decimals, 2) + 1)}%"
