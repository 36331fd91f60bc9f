"""The synthetic generator: valid codes, determinism, clean data raises no error, injected errors are found."""

import pytest

from budgetkit.checks import run_rules
from budgetkit.core.errors import UnsafeInput
from budgetkit.core.template import load_template
from budgetkit.extract import parse_text
from budgetkit.synth import FAMILIES, generate, generate_series
from budgetkit.synth.text import render_text
from budgetkit.synth.write import write_batch

TEMPLATE = load_template()
CLASSES = {code for code, _ in TEMPLATE.functional_classes}


def _errors(report):
    return [f for f in report.findings if f.severity == "error"]


@pytest.mark.parametrize("seed", range(4))
def test_codes_are_template_classes_and_hierarchy_is_complete(seed):
    t3 = generate(seed).disclosure.tables["T3"].parts["main"]
    codes = [c for c in t3["code"] if c]
    assert codes and all(c[:3] in CLASSES for c in codes)
    for c in codes:  # every 项 has its 款 and 类 printed above it
        if len(c) == 7:
            assert c[:5] in codes and c[:3] in codes


def test_same_seed_same_department_year():
    a, b = generate(11).disclosure, generate(11).disclosure
    assert a.meta.department == b.meta.department
    for tid in a.tables:
        for key, frame in a.tables[tid].parts.items():
            assert frame.equals(b.tables[tid].parts[key])
    assert a.narrative.text == b.narrative.text
    assert generate(12).disclosure.meta.slug != a.meta.slug


@pytest.mark.parametrize("seed", range(6))
def test_clean_generated_dataset_has_no_error(seed):
    report = run_rules(generate(seed).disclosure)
    assert _errors(report) == []
    assert report.counts()["status"]["pass"] > 30


def test_rounding_differences_appear_naturally():
    # exact leaves summed, each printed cell rounded on its own: some identities are off by 0.01
    severities = {f.severity for s in range(6) for f in run_rules(generate(s).disclosure).findings}
    assert "rounding" in severities


def test_series_gives_prior_years_for_year_over_year():
    series = generate_series(5, years=3)
    assert [s.disclosure.meta.year for s in series] == [2022, 2023, 2024]
    assert len({s.disclosure.meta.slug for s in series}) == 1
    report = run_rules(series[-1].disclosure, prior=series[-2].disclosure)
    assert _errors(report) == []
    assert report.status("narrative.change_vs_prior_year") == "pass"


@pytest.mark.parametrize("seed", range(5))
def test_every_injected_error_is_reported_at_its_place(seed):
    g = generate(seed, inject_families=FAMILIES)
    assert {x.family for x in g.injected} == set(FAMILIES)
    findings = run_rules(g.disclosure).findings
    missed = [x for x in g.injected if not any(x.matches(f) for f in findings)]
    assert missed == []


@pytest.mark.parametrize("seed", [0, 3])
def test_text_extract_check_path(seed):
    g = generate(seed)
    text = render_text(g.disclosure, TEMPLATE)
    assert "表一2024年预算收支总表" in text and "预算公开表1" in text and "\u3000\u3000" in text
    parsed = parse_text(text, "synthetic.txt")
    assert sorted(parsed.tables) == sorted(g.disclosure.tables)
    assert len(parsed.forms) == len(g.disclosure.forms)
    t5 = parsed.tables["T5"].parts["main"]
    assert t5["total"].dropna().tolist() == g.disclosure.tables["T5"].parts["main"]["total"].dropna().tolist()
    assert _errors(run_rules(parsed)) == []


def test_text_path_finds_injected_table_error():
    g = generate(2, inject_families=("within",))
    parsed = parse_text(render_text(g.disclosure, TEMPLATE), "synthetic.txt")
    (label,) = g.injected
    assert any(label.matches(f) for f in run_rules(parsed).findings)


def test_generated_data_never_goes_into_data(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETKIT_HOME", str(tmp_path))
    with pytest.raises(UnsafeInput):
        write_batch(tmp_path / "data" / "x", 1)


def test_fund_money_fills_tables_7_and_8_consistently():
    # seed 23 draws a department with a 政府性基金 project (found by listing generated departments)
    g = generate(23)
    assert g.plan.fund_total > 0
    t = g.disclosure.tables
    fund_t1 = t["T1"].parts["income"].set_index("key").at["fund", "amount"]
    t7_total = t["T7"].parts["main"].query("kind == 'total'")["amount"].iloc[0]
    t8_total = t["T8"].parts["main"].query("kind == 'total'")["total"].iloc[0]
    assert fund_t1 == t7_total == t8_total
    assert not t["T7"].declared_empty and not t["T8"].declared_empty
    assert _errors(run_rules(g.disclosure)) == []
    assert _errors(run_rules(parse_text(render_text(g.disclosure, TEMPLATE), "fund.txt"))) == []
