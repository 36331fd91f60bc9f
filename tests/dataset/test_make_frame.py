"""make_frame: the one way a table part becomes a frame (text, PDF, CSV and the generator all use it)."""

from __future__ import annotations

import pandas as pd

from budgetkit.core.template import load_template
from budgetkit.dataset.store import make_frame


def test_rows_in_their_numbered_order_and_missing_text_blank():
    part = load_template("shanxi-county-13").table("T3").parts[0]
    label, amount = part.label_keys[0], part.amount_keys[0]
    records = [{"row_no": "10", "level": 1, "kind": None, "key": pd.NA, label: pd.NA, amount: 5},
               {"row_no": 2, "level": 0, "kind": "total", "key": "", label: "合计", amount: None}]
    frame = make_frame(records, part)
    assert frame["row_no"].tolist() == [2, 10]  # by number, not as text ("10" < "2")
    assert frame["kind"].tolist() == ["total", "leaf"] and frame["key"].tolist() == ["", ""]
    assert frame[label].tolist() == ["合计", ""]
    assert frame[amount].dtype == "Int64" and frame[amount].isna().tolist() == [True, False]

