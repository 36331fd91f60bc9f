"""Year over year on a real series: the 万里街道 department budgets of 2023, 2024 and 2025 (Shanghai PDFs).

Each year is extracted with ``budgetkit extract`` into a temporary project; the check command
(``--prior``), the notebook's loader (``present.report.load``, prior year by department and year) and
the batch (``batch.check.prior_folders``, by slug and year) must all pair a year with the one before,
and ``narrative.change_vs_prior_year`` must then really compare the narrative's "比上年预算增加/减少"
with the prior document's figures.

Read by hand (``pdftotext -layout``, page numbers of the PDF):
- 2023 p6: 收入预算16497.86万元, 财政拨款收入16497.86万元; p28 表9: “三公”经费 22.91, 公务用车购置及运行费
  21.56 (购置费 0.00, 运行费 21.56), 公务接待费 1.35, 因公出国(境)费 0.00.
- 2024 p6: 收入预算15621.11万元 …"比2023年预算减少876.75万元" (16497.86 − 15621.11 = 876.75);
  p32: "三公"经费 47.91万元"比2023年预算增加25万元" (47.91 − 22.91), 公务用车购置及运行费 46.56万元 增加25万元,
  购置费25万元 增加25万元 (0 → 25), 运行费21.56万元 持平, 公务接待费1.35万元 持平: every change agrees.
- 2025 p6: 收入预算18,976.76万元 …"比2024年预算增加3,355.65万元" (18976.76 − 15621.11); p30: "三公"经费
  37.91万元"比2024年预算减少10万元", 公务用车购置及运行费36.56万元 减少10万元, 购置费15万元 减少10万元: agree.
- The item-by-item lines of 2024 p6–9 ("2023年当年预算执行数为A万元…比2023年预算执行数增加X%") compare with
  the 2023 *execution*, which no table of the 2023 budget prints: they are not checked against the prior
  dataset (the rule leaves "执行数" bases to narrative.change_rate_consistent).
- No table of the three documents prints a prior-year column (headers 预算数 only; "上年结转资金" on the
  2023 performance forms is this year's funding source, not last year's figure), so there is no
  table-to-prior-dataset comparison to make for this format.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from project_files import SAMPLES

from budgetkit.batch.check import check_datasets, prior_folders
from budgetkit.checks import run_rules
from budgetkit.dataset.store import load_dataset
from budgetkit.run.cli import main

YEARS = (2023, 2024, 2025)
RULE = "narrative.change_vs_prior_year"


def _pdf(year: int) -> Path:
    path = SAMPLES / f"shanghai-putuo-wanli-{year}-dept-budget.pdf"
    assert path.is_file(), f"development PDF missing: {path}"
    return path


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project folder (data/ + params/) holding the three years as extracted by the CLI."""
    root = tmp_path_factory.mktemp("wanli-series")
    (root / "params").mkdir()
    for year in YEARS:
        assert main(["extract", str(_pdf(year)), "--out", str(root / "data" / "wanli" / str(year)),
                     "--slug", "wanli"]) == 0
    return root


def _status(report: dict, rule: str = RULE) -> str:
    return next(r["status"] for r in report["rules"] if r["id"] == rule)


def _check_json(capsys, *argv: str) -> dict:
    capsys.readouterr()
    assert main(["check", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_check_with_prior_compares_changes(project, capsys):
    data = project / "data" / "wanli"
    alone = _check_json(capsys, str(data / "2024"))
    assert _status(alone) == "insufficient_data"
    for year in (2024, 2025):
        paired = _check_json(capsys, str(data / str(year)), "--prior", str(data / str(year - 1)))
        assert _status(paired) == "pass"  # every "比上年预算" change of p6 and the 三公 page agrees (see above)
        assert not [f for f in paired["findings"] if f["rule"] == RULE]
        # the prior year only adds its own rule's verdict: the other findings are those of the year alone
        if year == 2024:
            assert [f for f in paired["findings"] if f["rule"] != RULE] == alone["findings"]


def test_report_loader_finds_prior_year(project, monkeypatch):
    from budgetkit.present.report import load

    monkeypatch.setenv("BUDGETKIT_HOME", str(project))
    audit = load("wanli", 2024, "")
    assert audit.prior is not None and audit.prior.meta.year == 2023
    assert next(r.status for r in audit.checks.results if r.rule == RULE) == "pass"
    first = load("wanli", 2023, "")
    assert first.prior is None  # no 2022 in the data root
    assert next(r.status for r in first.checks.results if r.rule == RULE) == "insufficient_data"


def test_batch_pairs_by_slug_and_year(project):
    folders = [str(project / "data" / "wanli" / str(y)) for y in YEARS]
    assert prior_folders(folders) == [None, folders[0], folders[1]]
    result = check_datasets([Path(f) for f in folders])
    by_year = {r["year"]: _status(r) for r in result.entries}
    assert by_year == {2023: "insufficient_data", 2024: "pass", 2025: "pass"}


def _edit_cell(dataset: Path, table_file: str, row_key: str | None, column: str, value: str) -> None:
    """Hand-correct one CSV cell (as an auditor may: the loader reads corrected tables)."""
    path = dataset / "tables" / table_file
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0].keys())
    hit = [r for r in rows if row_key is None or r["行键"] == row_key]
    assert len(hit) == 1 and column in fields
    hit[0][column] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def test_a_different_prior_figure_is_reported(project, tmp_path):
    """The pass above is a comparison, not a shrug: change the prior year's printed figures and the
    2024 narrative's stated changes no longer agree with them."""
    prior = tmp_path / "2023"
    shutil.copytree(project / "data" / "wanli" / "2023", prior)
    _edit_cell(prior, "T9.csv", None, "“三公”经费预算数/合计", "23.91")  # printed 22.91 (p28)
    _edit_cell(prior, "T1.income.csv", "grand_total", "预算数", "174978640")  # 收入总计 printed 164978640 元 (p10)
    for key in ("fiscal", "general"):  # 财政拨款收入 (and its 一般公共预算) with it: neither reading of p6 holds
        _edit_cell(prior, "T1.income.csv", key, "预算数", "174978640")
    report = run_rules(load_dataset(project / "data" / "wanli" / "2024"), prior=load_dataset(prior))
    result = next(r for r in report.results if r.rule == RULE)
    assert result.status == "fail"
    messages = [f.message for f in result.findings if f.severity == "error"]
    assert any("三公" in m and "24.00万元" in m for m in messages), messages  # 47.91 − 23.91, not the written 25
    # the income sentence's change is read against 收入总计 (17497.86 − 15621.11), not the written 876.75; it
    # could be read against 财政拨款收入 too ("其中：财政拨款收入…，比2023年预算减少…"), equal here
    assert any("收入" in m and ("1,876.75万元" in m or "1876.75万元" in m) for m in messages), messages


def test_fiscal_income_change_is_read_against_fiscal_income(tmp_path):
    """社会福利院 2024 unit budget, p6 (情况说明): "收入预算1,212.12万元，其中：财政拨款收入950.12万元，比2023年
    预算增加0.46万元；事业收入262.00万元". Its 2023 document is not in the development set, so the prior year
    here is made by hand and consistent with that sentence: 财政拨款收入 0.46万元 lower (949.66万元), 事业收入
    10万元 higher (272.00万元). The stated change is then right and must not be reported."""
    pdf = SAMPLES / "shanghai-putuo-welfare-home-2024-unit-budget.pdf"
    current = tmp_path / "welfare" / "2024"
    assert main(["extract", str(pdf), "--out", str(current), "--slug", "welfare"]) == 0
    prior = tmp_path / "welfare" / "2023"
    shutil.copytree(current, prior)
    meta = json.loads((prior / "metadata.json").read_text(encoding="utf-8"))
    meta["year"] = 2023
    (prior / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    _edit_cell(prior, "T1.income.csv", "fiscal", "预算数", "9496564")  # 9,501,164 元 − 4,600
    _edit_cell(prior, "T1.income.csv", "general", "预算数", "9496564")
    _edit_cell(prior, "T1.income.csv", "business", "预算数", "2720000")  # 2,620,000 元 + 100,000
    _edit_cell(prior, "T1.income.csv", "grand_total", "预算数", "12216564")
    report = run_rules(load_dataset(current), prior=load_dataset(prior))
    result = next(r for r in report.results if r.rule == RULE)
    assert not [f.message for f in result.findings if "收入" in f.message]
