"""Cross-department summary over a run folder of findings JSON files."""

import json

import pytest

from budgetkit.batch.check import check_datasets
from budgetkit.present import summary
from budgetkit.synth import generate_series
from budgetkit.synth.tables import printed
from budgetkit.synth.write import write_batch


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    data = root / "datasets"
    paths = write_batch(data, 3, seed=5, inject_every=2, years=2)  # departments 0 and 2 get errors (last year)
    result = check_datasets(paths)
    out = root / "out"
    out.mkdir()
    for rep in result.reports():  # one findings file per department-year, like a notebook run leaves
        name = rep["source"].replace("/", "_")
        (out / f"{name}.findings.json").write_text(json.dumps(rep, ensure_ascii=False), encoding="utf-8")
    (out / "summary.json").write_text("{\"entries\": []}", encoding="utf-8")  # not a findings file: ignored
    labels = json.loads((data / "labels.json").read_text(encoding="utf-8"))
    return out, data, paths, labels


def test_findings_by_rule_and_department(run):
    out, data, paths, labels = run
    findings = summary.load_findings(out)
    assert findings["source"].nunique() == 6
    table = summary.by_rule_and_department(findings)
    for rel in labels:  # the injected completeness error shows up once per broken department-year
        assert table.loc["completeness.same_department", rel] == 1
    clean = [str(p.relative_to(data)) for p in paths if str(p.relative_to(data)) not in labels]
    assert all(c not in table.columns or table[c].sum() == 0 for c in clean)


def test_worst_departments_are_the_broken_ones(run):
    out, _, _, labels = run
    worst = summary.worst_departments(summary.load_findings(out), n=2)
    assert set(worst.index) == set(labels)
    assert (worst["错误"] >= 5).all()


def test_family_heatmap_has_one_row_per_failing_family(run):
    out, _, _, _ = run
    fig = summary.family_heatmap(summary.load_findings(out))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert {"表内", "跨表", "完整性", "说明", "绩效表"} <= set(labels)


def test_yearly_totals_per_department(run):
    out, data, _, _ = run
    totals = summary.yearly_totals(summary.dataset_sources(summary.load_findings(out)))
    assert list(totals.columns) == [2023, 2024] and len(totals) == 3
    series = generate_series(5 * 1_000_003 + 1, years=2, index=1)  # department 1, as write_batch made it
    plan = series[-1].plan
    expected = printed(plan.current_total + plan.carryover_total) / 1_000_000
    assert totals.loc[plan.department, 2024] == pytest.approx(expected, abs=0)


def test_empty_run_folder(tmp_path):
    findings = summary.load_findings(tmp_path / "nothing")
    assert findings.empty and summary.worst_departments(findings).empty
    assert summary.yearly_totals([]).empty
