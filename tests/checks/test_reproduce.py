"""Reproduction of the 13 tables: printed layout, recomputed sums in exact 分, rounding vs error."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seed_tables_hand import hand_seed

from budgetkit.checks import rules_for
from budgetkit.checks.reproduce import (
    format_reproduction,
    reproduce_all,
    reproduce_table,
    table_identities,
)
from budgetkit.core.model import Table
from budgetkit.core.money import parse_amount, quantum_fen, rounding_tolerance, to_fen
from budgetkit.core.template import load_template
from budgetkit.dataset.store import make_frame

TPL = load_template("shanxi-county-13")
Q = quantum_fen("万元", 2)  # 0.01 万元 = 10 000 分


def w(text: str) -> int:
    """万元 as printed → 分."""
    return to_fen(parse_amount(text), "万元")


@pytest.fixture(params=["hand", "parsed"])
def seed(request):
    return hand_seed() if request.param == "hand" else request.getfixturevalue("seed_disclosure")


def _row(rep, **match):
    hits = rep
    for k, v in match.items():
        hits = hits[hits[k].astype(str).str.replace(r"\s", "", regex=True) == v]
    assert len(hits) >= 1, match
    return hits.iloc[0]


def test_one_row_per_printed_row(seed):
    rep = reproduce_table(seed.tables["T3"], TPL)
    # seed lines 280-318: 合计 + 20 code rows
    assert len(rep) == 21 == len(seed.tables["T3"].parts["main"])
    assert list(rep["row_no"]) == sorted(rep["row_no"])
    t1 = reproduce_table(seed.tables["T1"], TPL)
    assert set(t1["part"]) == {"income", "expenditure"}


def test_t3_total_row_rebuilt_from_classes(seed):
    row = _row(reproduce_table(seed.tables["T3"], TPL), kind="total")
    # 1537.92 + 17.22 + 74.18 + 31.77 + 55.63 = 1716.72 against printed 1716.73 (line 284)
    assert (row["total"], row["total_recomputed"], row["total_diff"]) == (w("1716.73"), w("1716.72"), w("0.01"))
    assert row["total_status"] == "rounding"
    assert (row["basic_recomputed"], row["basic_status"]) == (w("714.11"), "ok")  # 552.53+74.18+31.77+55.63
    assert (row["project_recomputed"], row["project_status"]) == (w("1002.61"), "ok")  # 985.39 + 17.22


def test_t6_wage_group_uses_fifteen_printed_values(seed):
    row = _row(reproduce_table(seed.tables["T6"], TPL), dept_econ="工资福利支出")
    # 14 items (lines 537-563) sum to 668.78, printed 668.75: tolerance 15 × 0.005 万元
    assert row["total_recomputed"] == w("668.78") and row["total"] == w("668.75")
    assert row["total_diff"] == -w("0.03") and row["total_n_terms"] == 15
    assert rounding_tolerance(15, Q) == w("0.075") and row["total_status"] == "rounding"


def test_leaf_cells_are_not_recomputed(seed):
    rep = reproduce_table(seed.tables["T3"], TPL)
    row = _row(rep, code="2010601")
    assert row["basic_status"] == "leaf" and pd.isna(row["basic_recomputed"])
    assert row["total_status"] == "ok"  # 192.95 = 192.95 + blank


def test_error_beyond_tolerance(seed):
    d = copy.deepcopy(seed)
    frame = d.tables["T3"].parts["main"]
    idx = frame.index[frame["code"].str.strip() == "2101101"][0]
    frame.at[idx, "basic"] = w("9.37")  # printed 9.27 (line 257)
    row = _row(reproduce_table(d.tables["T3"], TPL), code="21011")
    assert row["basic_status"] == "error" and row["basic_diff"] == -w("0.11")  # 31.77 − (9.37 + 22.51)


def test_empty_tables_reproduce_without_differences(seed):
    for t in ("T7", "T8", "T9", "T10"):
        rep = reproduce_table(seed.tables[t], TPL)
        statuses = {v for c in rep.columns if c.endswith("_status") for v in rep[c]}
        assert statuses <= {"ok", "leaf", ""}, t


def test_reproduce_all_and_formatted_view(seed):
    reps = reproduce_all(seed)
    assert list(reps) == [f"T{i}" for i in range(1, 14)]
    view = format_reproduction(reps["T3"], "万元", 2)
    total = view[view["kind"] == "total"].iloc[0]
    assert (total["total"], total["total_recomputed"], total["total_diff"]) == ("1716.73", "1716.72", "0.01")


def test_every_identity_belongs_to_a_registered_rule(seed):
    ids = {r.id for r in rules_for(TPL)}
    for table in seed.tables.values():
        for ident in table_identities(table, TPL):
            assert ident.rule in ids, ident.rule


def test_holding_identities_are_only_counted(seed):
    """With a ``holding`` set, the identities that hold are left out and their rules named: the failing ones
    are exactly the full list's non-zero differences, in the same order."""
    for table in seed.tables.values():
        every = table_identities(table, TPL)
        holding: set[str] = set()
        failing = table_identities(table, TPL, holding=holding)
        assert failing == [i for i in every if i.difference != 0]
        assert holding == {i.rule for i in every if i.difference == 0}
    holding = set()
    (t3_total,) = [i for i in table_identities(seed.tables["T3"], TPL, holding=holding)
                   if i.location == "合计行 / 合计" and i.rule == "within.expenditure.hierarchy"]
    assert t3_total.difference == w("0.01") and "within.expenditure.hierarchy" in holding  # 1716.73 vs 1716.72


def test_balance_identity_t1(seed):
    (bal,) = [i for i in table_identities(seed.tables["T1"], TPL) if i.rule == "within.summary.balance"]
    assert (bal.printed, bal.recomputed, bal.n_printed) == (w("1716.73"), w("1716.73"), 2)  # 1716.73 both (line 205)


# ---------------------------------------------------------------- property: consistent tables reproduce exactly

amounts = st.integers(min_value=0, max_value=10**6).map(lambda v: v * Q)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(amounts, min_size=1, max_size=4), min_size=1, max_size=4))
def test_consistent_functional_table_has_no_differences(leaves_by_kuan):
    """类 201 with 款 20101.. each holding 项 leaves: exact sums → every cell ok; +1 quantum on 类 → not ok."""
    part = TPL.table("T3").part("main")
    records, kuan_rows = [], []
    for k, leaves in enumerate(leaves_by_kuan, start=1):
        kcode = f"201{k:02d}"
        kuan_rows.append((kcode, sum(leaves)))
        for j, v in enumerate(leaves, start=1):
            records.append({"code": f"{kcode}{j:02d}", "name": "项", "kind": "leaf", "level": 3,
                            "total": v, "basic": v, "project": None, "key": ""})
        records.append({"code": kcode, "name": "款", "kind": "subtotal", "level": 2, "total": sum(leaves),
                        "basic": sum(leaves), "project": None, "key": ""})
    grand = sum(s for _, s in kuan_rows)
    records.append({"code": "201", "name": "类", "kind": "subtotal", "level": 1, "total": grand, "basic": grand,
                    "project": None, "key": ""})
    records.append({"code": "", "name": "合计", "kind": "total", "level": 0, "total": grand, "basic": grand,
                    "project": None, "key": ""})
    for i, r in enumerate(records, start=1):
        r["row_no"] = i
    table = Table(id="T3", title="预算支出总表", unit="万元", decimals=2, parts={"main": make_frame(records, part)})
    rep = reproduce_table(table, TPL)
    assert {v for c in ("total_status", "basic_status") for v in rep[c]} <= {"ok", "leaf"}
    frame = table.parts["main"]
    idx = frame.index[frame["code"] == "201"][0]
    frame.at[idx, "basic"] = grand + (len(leaves_by_kuan) + 2) * Q  # beyond n/2 quanta
    rep = reproduce_table(table, TPL)
    assert rep.loc[idx, "basic_status"] == "error"
