"""Column reads without a Series (core.model.column_list / amount_list): the same values as pandas' own path."""

from __future__ import annotations

import pandas as pd

from budgetkit.core.model import Table, amount_list, column_list


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"row_no": [1, 2, 3], "name": pd.array(["合计", "一般公共服务支出", "教育支出"], dtype=str),
                         "total": pd.array([30_000, None, 10_000], dtype="Int64")})


def test_column_list_is_what_tolist_gives():
    frame = _frame()
    for name in frame.columns:
        assert column_list(frame, name) == frame[name].tolist()
    assert column_list(frame, "name") == ["合计", "一般公共服务支出", "教育支出"]


def test_amount_list_gives_plain_fen_and_none_for_a_blank():
    frame = _frame()
    values = amount_list(frame, "total")
    assert values == [30_000, None, 10_000] and all(type(v) is int for v in values if v is not None)
    assert amount_list(frame.astype({"total": "float64"}), "total") == [30_000, None, 10_000]  # not Int64: pandas' way


def test_has_values_sees_one_printed_amount_and_no_blank_one():
    blank = _frame().assign(total=pd.array([None, None, None], dtype="Int64"))
    assert Table("T1", "", "万元", 2, {"main": _frame()}).has_values
    assert not Table("T1", "", "万元", 2, {"main": blank}).has_values
