"""Fuzz the performance-form parser (项目支出绩效目标表) on damaged form blocks of the seed.

The seed is split once; each case damages lines of one of its 16 form blocks and re-parses
the forms only (fast), then runs the F.* rules with the damaged forms in place.

1. Any damage (stray characters, deleted/duplicated lines, swapped digits, parentheses)
   gives forms or a one-line ``BudgetkitError``.
2. When a swapped digit in a fund-like number (≥ 4 digits or thousands separators)
   changes a fund the parser reads (any period/source of any
   form, relative to the clean parse), some F.* rule reports an error or warning the
   clean forms did not have — or the parse raises.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fuzz_damage import (
    STRAY,
    Baseline,
    check_one_line,
    fuzz_record,
    fuzz_settings,
    record,
    seed_lines,
    swap_digits,
)
from hypothesis import given
from hypothesis import strategies as st

from budgetkit.checks import run_rules
from budgetkit.core.errors import BudgetkitError
from budgetkit.core.template import load_template
from budgetkit.extract import parse_text
from budgetkit.extract.document import Line, split_document, to_lines
from budgetkit.extract.forms import parse_forms

__all__ = ["fuzz_record"]

NUMBER = re.compile(r"(?<![\d,.])\d[\d,]*(?:\.\d+)?(?![\d,.])")
#: what funds in 元 look like in the forms: '3,000,000', '172,200', '51420'
FUND = re.compile(r"(?<![\d,.])(?:\d{1,3}(?:,\d{3})+|\d{4,})(?![\d,.])")


@pytest.fixture(scope="module")
def clean(fuzz_record):
    template = load_template("shanxi-county-13")
    text = "\n".join(seed_lines())
    d = parse_text(text, "seed.txt")
    blocks = split_document(to_lines(text), template).forms
    assert len(blocks) == 16 == len(d.forms)  # 16 项目支出绩效目标表 in the seed (lines 923-7137)
    return Baseline(template=template, disclosure=d, blocks=blocks, report=run_rules(d, select=["forms."]))


def _funds(forms) -> list:
    return [(f.project, f.funds) for f in forms]


def _bad(report) -> set:
    return {(f.rule, f.table, f.location, f.message) for f in report.findings if f.severity in ("error", "warning")}


def _damage(block: list[Line], op: str, a: int, b: int, pattern=NUMBER) -> list[Line] | None:
    lines = list(block)
    if op in ("swap", "paren"):
        cands = [k for k, l in enumerate(lines) if pattern.search(l.text)]
        if not cands:
            return None
        k = cands[a % len(cands)]
        ms = list(pattern.finditer(lines[k].text))
        m = ms[b % len(ms)]
        new = swap_digits(m.group(), b // 7) if op == "swap" else f"({m.group()})"
        if new is None:
            return None
        lines[k] = Line(lines[k].no, lines[k].text[: m.start()] + new + lines[k].text[m.end():])
    elif op == "stray":
        k = a % len(lines)
        p = b % (len(lines[k].text) + 1)
        lines[k] = Line(lines[k].no, lines[k].text[:p] + STRAY[b % len(STRAY)] + lines[k].text[p:])
    elif op == "delete":
        del lines[a % len(lines)]
    elif op == "duplicate":
        k = a % len(lines)
        lines.insert(k, lines[k])
    return lines or None


def _parse(clean, blocks, test):
    try:
        forms, notes = parse_forms(blocks, clean["template"], "damaged.txt")
    except BudgetkitError as exc:
        check_one_line(exc)
        record(test, "error", exc)
        return None
    d = clean["disclosure"]
    return forms, run_rules(replace(d, forms=forms, notes=d.notes + notes), select=["forms."])


@fuzz_settings(60)
@given(st.lists(st.tuples(st.integers(0, 15), st.sampled_from(["swap", "paren", "stray", "delete", "duplicate"]),
                          st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=4))
def test_damaged_forms_give_forms_or_one_line_error(clean, ds):
    blocks = list(clean["blocks"])
    for i, op, a, b in ds:
        blocks[i] = _damage(blocks[i], op, a, b) or blocks[i]
    if _parse(clean, blocks, "forms_any") is not None:
        record("forms_any", "parsed")


@fuzz_settings(120)
@given(st.integers(0, 15), st.integers(0, 10**6), st.integers(0, 10**6))
def test_changed_fund_never_passes_silently(clean, i, a, b):
    blocks = list(clean["blocks"])
    damaged = _damage(blocks[i], "swap", a, b, FUND)
    if damaged is None:
        record("forms_money", "not_applicable")
        return
    blocks[i] = damaged
    parsed = _parse(clean, blocks, "forms_money")
    if parsed is None:
        return
    forms, report = parsed
    if _funds(forms) == _funds(clean["disclosure"].forms):
        record("forms_money", "funds_unchanged")
        return
    fresh = _bad(report) - _bad(clean["report"])
    assert fresh, f"form {i}: a fund changed but no F.* rule reports anything new"
    record("forms_money", "detected")
