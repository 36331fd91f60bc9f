from decimal import Decimal

import pytest

from budgetkit.core.errors import BadAmount, UnitError
from budgetkit.core.money import (
    classify_difference,
    format_amount,
    parse_amount,
    quantum_fen,
    rounding_tolerance,
    to_fen,
)


@pytest.mark.parametrize("text,value", [
    ("1,716.73", Decimal("1716.73")), ("1716.73", Decimal("1716.73")), ("１，７１６．７３", Decimal("1716.73")),
    ("(12.50)", Decimal("-12.50")), ("（12.50）", Decimal("-12.50")), ("0", Decimal("0")), ("47,600", Decimal("47600")),
    ("-3.2", Decimal("-3.2")),
])
def test_parse_amount(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["", "   ", None])
def test_blank_is_none(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["12a.3", "1,71,6.73", "一百", "12..3", "1.2.3"])
def test_bad_amounts(text):
    with pytest.raises(BadAmount):
        parse_amount(text)


def test_fen_conversion_is_exact():
    assert to_fen(Decimal("1716.73"), "万元") == 1_716_730_000
    assert to_fen(Decimal("47600"), "元") == 4_760_000
    assert format_amount(1_716_730_000, "万元") == "1716.73"
    with pytest.raises(BadAmount):
        to_fen(Decimal("0.001"), "元")
    with pytest.raises(UnitError):
        to_fen(Decimal("1"), "千元")


def test_tolerance_grows_with_terms():
    q = quantum_fen("万元", 2)
    assert q == 10_000  # 0.01 万元 = 100 元
    # five class lines and their printed total: six rounded values, each off by up to half a quantum
    assert rounding_tolerance(6, q) == 30_000
    # T1: 1537.92+17.22+74.18+31.77+55.63 = 1716.72 printed as 1716.73 — rounding, not error
    diff = to_fen(Decimal("1716.73"), "万元") - to_fen(Decimal("1716.72"), "万元")
    assert classify_difference(diff, 6, q) == "rounding"
    assert classify_difference(diff, 1, q) == "error"
    assert classify_difference(0, 1, q) == "ok"
