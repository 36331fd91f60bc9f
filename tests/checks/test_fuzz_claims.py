"""Fuzz the narrative claim extractor (第三部分) and the narrative rules on damaged sentences.

Properties, over hypothesis-drawn damage to the seed's 情况说明:

1. Any damage (stray characters, deleted spans, duplicated or cut text, swapped
   digits, full-width numbers) ends in claims + a report, or a one-line
   ``BudgetkitError`` — nothing else escapes segmentation, extraction and N.* rules.
2. Full-width digits/punctuation and thousands separators in a number change no
   claim: same kinds, same exact values (分 and %).
3. A changed number is reported as written and never passes silently: after
   swapping two digits of an amount (…万元) or a percentage (…%), the extractor
   reports the new value at that place, and either an N.* rule fails with a new
   finding, or (amounts) narrative.amount_matches_table lists the new amount among the ones
   it could not check.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from fuzz_damage import (
    STRAY,
    Baseline,
    check_one_line,
    core_text,
    fuzz_record,
    fuzz_settings,
    record,
    seed_lines,
    swap_digits,
    to_fullwidth,
    with_separators,
)
from hypothesis import given
from hypothesis import strategies as st

from budgetkit.checks import run_rules
from budgetkit.checks.claims.claims import extract_claims
from budgetkit.core.errors import BudgetkitError
from budgetkit.dataset.narrative import segment_narrative
from budgetkit.extract import parse_text

__all__ = ["fuzz_record"]

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(?=\s*(万元|元|%|％))")


@pytest.fixture(scope="module")
def clean(fuzz_record):
    d = parse_text(core_text(seed_lines()), "seed-core.txt")
    report = run_rules(d, select=["narrative."])
    return Baseline(disclosure=d, text=d.narrative.text, report=report, claims=extract_claims(d.narrative),
                    numbers=list(NUMBER.finditer(d.narrative.text)))


def _values(claims) -> list[tuple]:
    return [(c.kind, c.money.fen if c.money else None, c.percent, c.count) for c in claims]


def _run(clean, text: str, test: str):
    try:
        narrative = segment_narrative(text)
        claims = extract_claims(narrative)
        report = run_rules(replace(clean["disclosure"], narrative=narrative), select=["narrative."])
        return narrative, claims, report
    except BudgetkitError as exc:
        check_one_line(exc)
        record(test, "error", exc)
        return None


def _damage(text: str, op: str, a: int, b: int) -> str:
    n = max(len(text), 1)
    if op == "stray":
        p = a % (n + 1)
        return text[:p] + STRAY[b % len(STRAY)] + text[p:]
    if op == "delete_span":
        p = a % n
        return text[:p] + text[p + 1 + b % 40:]
    if op == "duplicate_span":
        p = a % n
        return text[:p] + text[p:p + 1 + b % 200] + text[p:]
    if op == "truncate":
        return text[: a % n]
    m = list(NUMBER.finditer(text))
    if not m:
        return text
    m = m[a % len(m)]
    new = {"swap": swap_digits(m.group(), b) or m.group(), "fullwidth": to_fullwidth(m.group()),
           "blank": " " * len(m.group())}[op]
    return text[: m.start()] + new + text[m.end():]


OPS = ["stray", "delete_span", "duplicate_span", "truncate", "swap", "fullwidth", "blank"]


@fuzz_settings(60)
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1,
                max_size=4))
def test_damaged_narrative_gives_claims_or_one_line_error(clean, ds):
    text = clean["text"]
    for op, a, b in ds:
        text = _damage(text, op, a, b)
    if _run(clean, text, "claims_any") is not None:
        record("claims_any", "extracted")


@fuzz_settings(25)
@given(st.lists(st.tuples(st.sampled_from(["fullwidth", "separators"]), st.integers(0, 10**6)), min_size=1,
                max_size=8))
def test_fullwidth_numbers_and_separators_change_no_claim(clean, ds):
    text = clean["text"]
    for op, a in ds:
        m = list(NUMBER.finditer(text))
        m = m[a % len(m)]
        tok = m.group()
        if op == "separators":
            if "," in tok or not re.fullmatch(r"\d+(\.\d+)?", tok):
                continue
            new = with_separators(tok)
        else:
            new = to_fullwidth(tok)
        text = text[: m.start()] + new + text[m.end():]
    claims = extract_claims(segment_narrative(text))
    record("claims_same", "extracted")
    assert _values(claims) == _values(clean["claims"])


@fuzz_settings(40)
@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_changed_number_is_reported_as_written_and_never_passes_silently(clean, a, b):
    m = clean["numbers"][a % len(clean["numbers"])]
    tok, unit = m.group(), m.group(1)
    new = swap_digits(tok, b)
    if new is None:
        record("claims_changed", "not_applicable")
        return
    text = clean["text"][: m.start()] + new + clean["text"][m.end():]
    result = _run(clean, text, "claims_changed")
    assert result is not None, "swapping two digits must not make the narrative unreadable"
    narrative, claims, report = result
    at = [c for c in claims if c.start <= m.start() < c.end or c.start == m.start()]
    written = {(c.money.text if c.money else None) for c in at} | {str(c.percent) for c in at if c.percent}
    # as written: the same number ('010' is read as 10, as a reader would)
    assert Decimal(new.replace(",", "")) in {Decimal(w.replace(",", "")) for w in written if w}, (tok, new, at)

    def bad(rep):
        return {(f.rule, f.location, f.message) for f in rep.findings if f.severity in ("error", "warning")}

    fresh = bad(report) - bad(clean["report"])
    unchecked = [f.message for f in report.result("narrative.amount_matches_table").findings if f.severity == "info"]
    listed = unit in ("万元", "元") and any(f"{new}{unit}" in u for u in unchecked)
    assert fresh or listed, f"{tok}{unit} → {new}{unit}: no N.* rule reports it and it is not listed as unchecked"
    record("claims_changed", "detected" if fresh else "listed_unchecked")
