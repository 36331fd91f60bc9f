"""The look-ups the rules keep per run or per template give what reading the frame afresh gives.

Issue 14 made rules read cells, codes, fixed rows, amounts and header matches once and keep them;
each kept answer is compared here with the plain computation on the shipped dataset (the seed,
2024 budget of 长治市屯留区财政局) and on hand-made cases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from project_files import SHIPPED

from budgetkit.checks.claims import grammar
from budgetkit.checks.claims.claims import _statement_bounds
from budgetkit.checks.expressions import (
    Reader,
    bind,
    evaluate,
    holds,
    parse_expression,
    total,
)
from budgetkit.checks.identities import (
    Cells,
    _fixed_row_index,
    _is_total_row,
    fixed_row_index,
    is_total_row,
)
from budgetkit.checks.registry import Context
from budgetkit.core.template import _header_matches, load_template
from budgetkit.dataset.store import _fen_array, load_dataset


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(SHIPPED)


def _parts(disclosure):
    template = load_template(disclosure.meta.template)
    for table in disclosure.tables.values():
        spec = template.table(table.id)
        for part in spec.parts:
            if part.key in table.parts:
                yield table, part, table.parts[part.key]


def test_cells_amounts_codes_and_fixed_rows_equal_the_frame(shipped):
    checked_amounts = 0
    for table, part, frame in _parts(shipped):
        cells = Cells(frame)
        for col in part.amount_keys:
            for i in frame.index:
                v = frame.at[i, col]
                assert cells.amount(i, col) == (None if pd.isna(v) else int(v))
                checked_amounts += 1
        codes = [str(c).replace(" ", "") for c in frame["code"]] if "code" in frame.columns else [""] * len(frame)
        assert list(cells.codes().values()) == codes
        for code in set(codes):
            assert cells.first_row_of_code(code) == frame.index[codes.index(code)]
        assert cells.first_row_of_code("no such code") is None
        assert fixed_row_index(cells, part) == _fixed_row_index(frame, part)
        assert fixed_row_index(cells, part) is fixed_row_index(cells, part)  # kept, not rebuilt
    assert checked_amounts > 500  # the seed's 13 tables: every amount cell was compared


def test_total_rows_read_by_column_equal_the_row_by_row_answer(shipped):
    totals = 0
    for table, part, frame in _parts(shipped):
        cells = Cells(frame)
        for i in frame.index:
            assert is_total_row(cells, i, part) == _is_total_row(frame, i, part)
            totals += _is_total_row(frame, i, part)
    assert totals >= 10  # the seed's tables print their 合计行


def test_one_cells_per_frame_and_run(shipped):
    template = load_template(shipped.meta.template)
    ctx = Context(disclosure=shipped, template=template)
    frame = shipped.tables["T3"].parts["main"]
    assert ctx.cells(frame) is ctx.cells(frame)
    other = frame.copy()
    assert ctx.cells(other) is not ctx.cells(frame)  # an equal frame is another frame
    assert Context(disclosure=shipped, template=template).cells(frame) is not ctx.cells(frame)  # per run


def test_statement_bounds_equal_the_separator_scan():
    text = "一、收入合计100万元；其中：财政拨款80万元。\n二、支出（含项目；结转）50万元;完\n\n末尾没有句号"
    for pos in range(len(text) + 1):
        start = max((m.end() for m in grammar.STATEMENT_SEP.finditer(text, 0, pos)), default=0)
        m = grammar.STATEMENT_SEP.search(text, pos)
        assert _statement_bounds(text, pos) == (start, m.start() if m else len(text)), pos


def test_fen_array_is_the_int64_array_pandas_makes():
    values = [12, None, 0, -5, 10**15, pd.NA]
    made = _fen_array(values)
    assert made.dtype == "Int64" and made.equals(pd.array(values, dtype="Int64"))
    numpy_ints = [np.int64(3), None]  # not plain int: pandas' own conversion
    assert _fen_array(numpy_ints).equals(pd.array(numpy_ints, dtype="Int64"))
    with pytest.raises((TypeError, ValueError)):
        _fen_array([1.5])  # never silently truncated to 1


def test_header_matches_are_kept_per_column_and_equal_a_fresh_match():
    template = load_template("shanxi-county-13")
    headers = ["合计", "2024年合计", " 项目 支出 ", "科目编码", "基本支出", "xx"]
    for spec in template.tables:
        for part in spec.parts:
            for col in (*part.labels, *part.amounts):
                for header in headers:
                    for year in (2024, None):
                        assert col.matches(header, year) == _header_matches(col, header, year)
                        assert col.matches(header, year) == _header_matches(col, header, year)  # from the cache


def test_bind_substitutes_given_names_and_keeps_the_rest():
    variables = {"code": "201", "key": "class_201", "n": 7}
    assert bind("code={code}", variables) == "code=201"
    assert bind("{n}", variables) == "7"
    assert bind("a{key}b{missing}", variables) == "aclass_201b{missing}"  # a name not given stays as written
    assert bind("x{{key}}", variables) == "x{class_201}"  # a brace that is no placeholder: literal
    assert bind("{header:summary.income.{key}}", variables) == "{header:summary.income.class_201}"
    assert bind("total", variables) == "total"


def test_a_condition_without_variables_is_decided_once_per_reader(shipped):
    template = load_template(shipped.meta.template)
    reader = Reader(shipped.tables, template)
    general = evaluate("summary.income[general].amount", reader, {}).total
    assert general > 0
    condition = "summary.income[general].amount != 0 and summary.income[general].amount == income[total].general"
    expected = general == evaluate("income[total].general", reader, {}).total
    assert holds(condition, reader, {"code": "201"}) is expected
    assert reader.decided == {condition: expected}
    reader.decided[condition] = not expected  # what is kept is what is answered
    assert holds(condition, reader, {}) is (not expected)
    with_variable = "income[code={code}].total != 0"
    assert holds(with_variable, reader, {"code": "201"}) is True
    assert holds(with_variable, reader, {"code": "999"}) is False  # decided row by row, never kept
    assert with_variable not in reader.decided


def test_total_is_evaluate_total_for_every_cross_comparison_of_the_format(shipped):
    """``total`` (what a comparison is decided on) gives what ``evaluate`` adds up, for every expression and
    row a cross rule of the shipped format reads; and a cell a term names by code is the code's first row."""
    from budgetkit.checks.cross import _each

    template = load_template(shipped.meta.template)
    reader, fresh = Reader(shipped.tables, template), Reader(shipped.tables, template)
    compared = nonzero = 0
    for entry in template.cross:
        for check in entry.get("checks", ()):
            for variables in _each(check, reader, template):
                for text in (check["actual"], check.get("at_most") or check["expected"]):
                    value = evaluate(text, fresh, variables)
                    assert total(text, reader, variables) == value.total == sum(
                        t.sign * (v or 0) for t in parse_expression(text) for v in fresh.values(t, variables))
                    compared += 1
                    nonzero += value.total != 0
    assert compared > 300 and nonzero > 100  # the seed's cross rules: hundreds of comparisons, most of real money
    cells = reader.cells("general_functional", "main")
    code = next(c for c in cells.codes().values() if c.isdigit())
    term = parse_expression(f"general_functional[code={code}].total")[0]
    assert reader.values(term, {}) == (cells.amount(cells.first_row_of_code(code), "total"),)
