"""Many datasets at once: the batch gives each dataset the one engine's report, finds every injected error."""

import json
from collections import Counter

import pytest

from budgetkit.batch.check import FINDING_FIELDS, check_datasets
from budgetkit.checks import run_rules
from budgetkit.dataset.paths import dataset_folders
from budgetkit.dataset.store import load_dataset
from budgetkit.run.cli import main
from budgetkit.synth import generate
from budgetkit.synth.write import write_batch, write_synthetic


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch")
    # 5 departments; departments 0 and 3 get one error of every family; department 4 has two years
    paths = write_batch(out, 4, seed=3, inject_every=3)
    paths += write_batch(out / "series", 1, seed=4, years=2)
    paths.append(write_synthetic(generate(23), out / "fund"))  # 政府性基金 money: tables 7 and 8 filled
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    return out, paths, labels


def _key(rows):
    return Counter(tuple(r) for r in rows)


def test_batch_agrees_with_per_dataset_engine(batch):
    out, paths, _ = batch
    result = check_datasets(paths)
    for p in paths:
        p = str(p)
        prior = None
        if p.startswith(str(out / "series")) and p.endswith("2024"):  # the batch pairs it with its 2023
            prior = load_dataset(p[:-4] + "2023")
        report = run_rules(load_dataset(p), prior=prior, source=p)
        mine = result.findings[result.findings["dataset"] == p]
        assert _key(mine[FINDING_FIELDS].itertuples(index=False)) == _key(
            tuple(f.to_dict()[k] for k in FINDING_FIELDS) for f in report.findings)
        st = result.statuses[result.statuses["dataset"] == p]
        assert list(zip(st["rule"], st["status"])) == [(r.rule, r.status) for r in report.results]
    # the two years of one department were paired: the later one got its year-over-year check
    st = result.statuses.set_index(["dataset", "rule"])["status"]
    later = next(str(p) for p in paths if str(p).startswith(str(out / "series")) and str(p).endswith("2024"))
    assert st[(later, "narrative.change_vs_prior_year")] == "pass"
    assert st[(str(paths[0]), "narrative.change_vs_prior_year")] == "insufficient_data"


def test_batch_recall_and_clean_datasets(batch):
    out, paths, labels = batch
    result = check_datasets(paths)
    f = result.findings
    assert len(labels) == 2
    found = 0
    total = 0
    for rel, injected in labels.items():
        mine = f[f["dataset"] == str(out / rel)]
        for lab in injected:
            total += 1
            hit = mine[(mine["rule"] == lab["rule"]) & (mine["table"] == lab["table"])
                       & mine["location"].str.contains(lab["location"], regex=False)
                       & mine["severity"].isin(["error", "warning"])]
            found += len(hit) > 0
    assert total == 10 and found == total  # recall 100%: every family, at its labelled place
    clean = [str(p) for p in paths if str(p.relative_to(out)) not in labels]
    assert len(clean) == 5
    assert f[f["dataset"].isin(clean) & (f["severity"] == "error")].empty


def test_check_folder_of_datasets_json(batch, capsys, tmp_path):
    out, paths, _ = batch
    csv_path = tmp_path / "f.csv"
    assert main(["check", str(out / "series"), "--json", "--csv", str(csv_path)]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert [r["source"].endswith(y) for r, y in zip(reports, ["2023", "2024"])] == [True, True]
    assert {"id", "status"} <= set(reports[0]["rules"][0])
    assert csv_path.read_text(encoding="utf-8-sig").startswith("序号,部门名称,年度,严重程度,规则,规则名称")


def test_folder_without_datasets_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["check", str(tmp_path / "empty"), str(tmp_path / "empty")]) == 2
    assert "no datasets" in capsys.readouterr().err
    with pytest.raises(Exception):
        dataset_folders([tmp_path / "missing"])


def test_changed_source_or_broken_metadata_is_refused(tmp_path, capsys):
    (p,) = write_batch(tmp_path, 1, seed=21)
    src = next((p / "source").iterdir())
    src.write_text(src.read_text(encoding="utf-8") + "x", encoding="utf-8")
    assert main(["check", str(tmp_path), str(p)]) == 2
    assert "SHA-256" in capsys.readouterr().err
    (q,) = write_batch(tmp_path / "b", 1, seed=22)
    meta = q / "metadata.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"slug"', '"sluggish"'), encoding="utf-8")
    assert main(["check", str(tmp_path / "b"), str(q)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "metadata.json" in err


def test_documents_and_datasets_in_one_check(batch, tmp_path, capsys):
    out, paths, labels = batch
    injected = next(p for p in paths if str(p.relative_to(out)) in labels)
    doc = next((injected / "source").iterdir())  # the rendered disclosure text of a broken department-year
    xlsx = tmp_path / "f.xlsx"
    assert main(["check", str(doc), str(paths[1]), "--json", "--excel", str(xlsx)]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert [r["source"] for r in reports] == [str(paths[1]), str(doc)]
    rules = {f["rule"] for f in reports[1]["findings"] if f["severity"] == "error"}
    assert {"within.expenditure.row_total", "cross.public_vs_office_running", "completeness.same_department"} <= rules or \
        {"within.general_functional.row_total", "cross.public_vs_office_running", "completeness.same_department"} <= rules
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["发现", "尾差与提示", "规则状态", "数据集"] and wb["发现"].max_row > 3
