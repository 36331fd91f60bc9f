"""Fuzz the text parser with the damage PDF-to-text and careless editing do to a disclosure.

Properties (each over hypothesis-drawn damage to the seed, derandomized):

1. Any damage (1-3 of: deleted/duplicated lines, swapped or misread digits, parenthesised
   amounts, blank cells, stray characters, truncation) ends in a Disclosure or in a
   one-line ``BudgetkitError`` — nothing else escapes ``parse_text`` + ``run_rules``.
2. Meaning-preserving damage (full-width digits and punctuation, thousands
   separators, GBK encoding, a UTF-8 BOM, CRLF) gives exactly the clean amounts and verdicts.
3. Money damage never passes silently: when one damaged cell or line changes the
   amounts parsed for table X (relative to the clean parse), then either the parse
   raises, or some rule that concerns X fails with a finding the clean text did not
   have (a rule listing X, a new E.* warning naming X, or a newly failing C.* rule),
   or a rule listing X that passed on the clean text now says ``insufficient_data``
   (e.g. the only unit row of T11 deleted: 部门合计 = Σ单位 has nothing to add up).
   The only exemption is a single cell changed by no more than rounding could
   explain in that table: ``rounding_tolerance(all printed values of X, quantum)``;
   such cases are counted, not asserted.
"""

from __future__ import annotations

import pytest
from fuzz_damage import (
    NOISE_OPS,
    ROW_OPS,
    SAME_OPS,
    VALUE_OPS,
    Baseline,
    Damage,
    check_one_line,
    core_text,
    damages,
    fuzz_record,
    fuzz_settings,
    new_alarms,
    record,
    seed_lines,
    table_amount_lines,
    table_changes,
    table_tolerance,
    value_rows,
)
from hypothesis import given
from hypothesis import strategies as st

from budgetkit.checks import rules_for, run_rules
from budgetkit.core.errors import BudgetkitError
from budgetkit.core.template import load_template
from budgetkit.extract import parse_text
from budgetkit.extract.source import decode_text

__all__ = ["fuzz_record"]


@pytest.fixture(scope="module")
def clean(fuzz_record):
    lines = seed_lines()
    text = core_text(lines)
    disclosure = parse_text(text, "seed-core.txt")
    report = run_rules(disclosure)
    return Baseline(lines=lines, text=text, disclosure=disclosure, report=report,
                    table_lines=table_amount_lines(text), all_lines=list(range(len(text.split("\n")))))


def _apply(clean, damage: Damage, text: str) -> str | None:
    candidates = clean["all_lines"] if damage.op in NOISE_OPS else clean["table_lines"]
    return damage.apply(text, candidates)


def _parse(text: str, test: str):
    """Parse and check; a BudgetkitError is recorded and returned as None."""
    try:
        d = parse_text(text, "damaged.txt")
        return d, run_rules(d)
    except BudgetkitError as exc:
        check_one_line(exc)
        record(test, "error", exc)
        return None


@fuzz_settings(40)
@given(st.lists(damages(VALUE_OPS + ROW_OPS + NOISE_OPS), min_size=1, max_size=3))
def test_any_damage_gives_a_disclosure_or_one_line_error(clean, ds):
    text = clean["text"]
    for d in ds:
        text = _apply(clean, d, text) or text
    if _parse(text, "parser_any") is not None:
        record("parser_any", "parsed")


@fuzz_settings(15)
@given(st.lists(damages(SAME_OPS), min_size=1, max_size=6), st.sampled_from(["utf-8", "utf-8-bom", "gbk"]),
       st.booleans())
def test_meaning_preserving_damage_changes_nothing(clean, ds, encoding, crlf):
    text = clean["text"]
    for d in ds:
        text = _apply(clean, d, text) or text
    if crlf:
        text = text.replace("\n", "\r\n")
    data = {"utf-8": lambda: text.encode("utf-8"), "utf-8-bom": lambda: ("\ufeff" + text).encode("utf-8"),
            "gbk": lambda: text.encode("gbk")}[encoding]()
    text = decode_text(data, "same.txt")
    d = parse_text(text, "same.txt")  # must not raise: nothing was lost
    record("parser_same", "parsed")
    assert table_changes(clean["disclosure"], d) == {}
    for tid, t in clean["disclosure"].tables.items():
        assert d.tables[tid].unit == t.unit and d.tables[tid].decimals == t.decimals
    statuses = {r.rule: r.status for r in run_rules(d).results}
    assert statuses == {r.rule: r.status for r in clean["report"].results}


@fuzz_settings(70)
@given(damages(VALUE_OPS + ROW_OPS))
def test_damaged_money_never_passes_silently(clean, damage):
    text = _apply(clean, damage, clean["text"])
    if text is None:
        record("parser_money", "not_applicable")
        return
    parsed = _parse(text, "parser_money")
    if parsed is None:
        return
    d, report = parsed
    changes = table_changes(clean["disclosure"], d)
    if not changes:
        record("parser_money", "amounts_unchanged")
        return
    for tid, delta in changes.items():
        table = clean["disclosure"].tables[tid]
        if delta is not None and delta <= table_tolerance(table):
            record("parser_money", "within_rounding")
            continue
        alarms = new_alarms(clean["report"], report, tid, {r.id: r for r in rules_for(load_template('shanxi-county-13'))})
        assert alarms, (f"{damage}: {tid} changed by {delta} 分 (tolerance {table_tolerance(table)}) "
                        f"but no rule concerning {tid} reports it")
        record("parser_money", "detected")


@pytest.fixture(scope="module")
def full_seed(fuzz_record):
    lines = seed_lines()
    first = next(i for i, l in enumerate(lines) if "项目支出绩效目标表" in l and i > 800)
    last = next(i for i, l in enumerate(lines) if l.startswith("各县（区）财政局"))
    return Baseline(text="\n".join(lines),
                    form_lines=[i for i in range(first, last) if any(c.isdigit() for c in lines[i])])


@fuzz_settings(6)
@given(st.lists(damages(VALUE_OPS + ["delete_line", "duplicate_line", "stray_char"]), min_size=1, max_size=3))
def test_damaged_performance_forms_give_a_disclosure_or_one_line_error(full_seed, ds):
    text, form_lines = full_seed["text"], full_seed["form_lines"]
    for d in ds:
        text = d.apply(text, form_lines) or text
    if _parse(text, "parser_forms") is not None:
        record("parser_forms", "parsed")


def test_gbk_file_reads_like_the_utf8_file(clean, tmp_path):
    from budgetkit.extract import parse_source

    path = tmp_path / "gbk.txt"
    path.write_bytes(clean["text"].encode("gbk"))
    d = parse_source(path)
    assert table_changes(clean["disclosure"], d) == {}
    # hand-read: 表三 合计 1716.73 714.11 1002.61 (seed line 280)
    assert value_rows(d.tables["T3"].part())[0] == (1_716_730_000, 714_110_000, 1_002_610_000)
