"""Cross-department summary over a run folder of findings JSON files."""

import json

import pytest

from budgetkit.batch.check import check_datasets
from budgetkit.present import run_record, summary
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


def label_of(data, rel: str) -> str:
    """How the page names a dataset: its department name and year (from its metadata)."""
    meta = json.loads((data / rel / "metadata.json").read_text(encoding="utf-8"))
    return f"{meta['department']['name']} {meta['year']}"


def test_findings_by_rule_and_department(run):
    out, data, paths, labels = run
    findings = summary.load_findings(out)
    assert findings["source"].nunique() == 6
    table = summary.by_rule_and_department(findings)
    for rel in labels:  # the injected completeness error shows up once per broken department-year
        assert table.loc["completeness.same_department", label_of(data, rel)] == 1
    clean = [label_of(data, str(p.relative_to(data))) for p in paths if str(p.relative_to(data)) not in labels]
    assert all(c not in table.columns or table[c].sum() == 0 for c in clean)
    assert not [c for c in table.columns if "synth-" in c]  # departments by name, not by folder


def test_worst_departments_are_the_broken_ones(run):
    out, data, _, labels = run
    worst = summary.worst_departments(summary.load_findings(out), n=2)
    assert set(worst.index) == {label_of(data, rel) for rel in labels}
    assert (worst["错误"] >= 5).all()


def test_family_heatmap_has_one_row_per_failing_family(run):
    out, _, _, _ = run
    fig = summary.family_heatmap(summary.load_findings(out))
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
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


def test_heat_map_cells_carry_errors_and_warnings(run):
    out, data, _, labels = run
    findings = summary.load_findings(out)
    errors, warnings = summary.family_counts(findings)
    fig = summary.family_heatmap(findings)
    ax = fig.axes[0]
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == errors.size  # one annotation per department × family
    first = errors.index[0]
    assert first in {label_of(data, rel) for rel in labels}  # most errors first
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[0] == f"{first}（错误 {int(errors.loc[first].sum())}，警告 {int(warnings.loc[first].sum())}）"
    j = list(errors.columns).index("完整性")
    assert cells[j] == f"{int(errors.loc[first, '完整性'])} / {int(warnings.loc[first, '完整性'])}"


def test_year_over_year_filled_from_every_year_of_the_departments(run):
    out, data, _, _ = run
    latest = summary.load_findings(out)
    latest = latest[latest["source"].str.endswith("2024")]  # a run of the latest year only
    folders = summary.department_folders(latest)
    table = summary.year_over_year(folders)
    assert list(table.columns) == ["部门名称", "项目", "2023年（万元）", "2024年（万元）", "增减（万元）", "增减率"]
    assert len(table) == 6  # 3 departments × 收入总计, 支出总计
    series = generate_series(5 * 1_000_003 + 1, years=2, index=1)
    now, before = (printed(s.plan.current_total + s.plan.carryover_total) for s in (series[-1], series[0]))
    row = table[(table["部门名称"] == series[-1].plan.department) & (table["项目"] == "收入总计")].iloc[0]
    assert row["2024年（万元）"] == f"{now / 1_000_000:,.2f}" and row["增减（万元）"] == f"{(now - before) / 1_000_000:,.2f}"


def test_entries_name_departments_and_say_why_one_failed(tmp_path):
    entries = [{"slug": "dept-a-2024", "department": "dept-a", "department_name": "长治市屯留区财政局", "year": 2024,
                "status": "ok", "failed": None, "findings_by_severity": {"error": 7, "warning": 6}},
               {"slug": "dept-b-2024", "department": "dept-b", "department_name": "长治市屯留区财政局", "year": 2024,
                "status": "failed", "findings_by_severity": {},
                "failed": {"notebook": "report.ipynb", "cell_index": 4, "ename": "BadAmount",
                           "evalue": "tables/T3.csv: T3: line 5, column '合计': '一九二' is not an amount"}}]
    run_record.write_run_summary(tmp_path, entries)
    frame = summary.load_entries(tmp_path)
    assert list(frame.columns) == ["部门名称", "年度", "状态", "错误", "警告", "尾差", "提示", "失败原因", "数据集"]
    assert list(frame["部门名称"]) == ["长治市屯留区财政局"] * 2 and list(frame["状态"]) == ["成功", "失败"]
    assert frame.iloc[1]["失败原因"].startswith("report.ipynb 单元格 4：“一九二”不是金额 — BadAmount: tables/T3.csv")
    assert "用时（秒）" not in frame.columns  # no durations on the page


def test_sample_run_is_deterministic_and_has_no_paths():
    from budgetkit.present import summary_page as page

    pages = []
    for _ in range(2):
        run = summary.open_run("")
        assert run.sample and len(run.entries) == 4
        pages.append("".join(f(run) for f in (page.overview_html, page.entries_html, page.by_rule_html,
                                              page.worst_html, page.yearly_html)))
    assert pages[0] == pages[1]
    assert "/tmp" not in pages[0] and "失败" in pages[0] and "“一九二”不是金额" in pages[0]
    assert 'id="T_yearly"' in pages[0] and "太原市娄烦县商务局" in pages[0]
    errors, _ = summary.family_counts(run.findings)  # the departments' errors lie in different families
    assert errors.loc["太原市阳曲县商务局 2024", "跨表"] > 0 and errors.loc["运城市万荣县交通运输局 2024", "跨表"] == 0
    assert errors.loc["运城市万荣县交通运输局 2024", "绩效表"] > 0


def test_rule_names_are_those_of_the_runs_format():
    from budgetkit.present.summary_page import rule_name

    # the same rule id names each format's own table (shanxi 表3 预算支出总表, national 表3 支出决算表)
    assert rule_name("within.expenditure.hierarchy", ["shanxi-county-13"]) == "预算支出总表 科目层级汇总"
    assert rule_name("within.expenditure.hierarchy", ["national-final-accounts"]) == "支出决算表 科目层级汇总"
    assert rule_name("forms.one_year_period_funds", ["national-final-accounts"]) == "一次性项目两期资金一致"


def test_year_over_year_loads_only_departments_with_several_years(tmp_path):
    import shutil

    from project_files import SHIPPED

    for rel in ("a/2023", "a/2024", "b/2024", "c/2024"):
        shutil.copytree(SHIPPED, tmp_path / rel)
    # c has one year and a damaged table: never loaded for the comparison, so it cannot break it
    (tmp_path / "c/2024/tables/T3.csv").write_text("not,a,table\n", encoding="utf-8")
    table = summary.year_over_year([tmp_path])
    # a's two years only; b and c (one year each) share a's 部门名称 (the seed's), so a is named with its folder
    assert list(table["部门名称"]) == ["长治市屯留区财政局［a］"] * 2
    assert list(table["项目"]) == ["收入总计", "支出总计"]
    assert list(table["增减（万元）"]) == ["0.00", "0.00"]  # the same dataset in both years
