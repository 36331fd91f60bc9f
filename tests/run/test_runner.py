"""`budgetkit run` over several department-years: outputs, continue-on-error, summary, atomic re-runs.

The department-years are copies of the seed's dataset in a temporary project
(BUDGETKIT_HOME): one unchanged (with a prior year, for the year-over-year chart),
one with a hand-changed T3 amount, one with a cell that is not an amount.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from project_files import SEED, SHIPPED

from budgetkit.run import runner
from budgetkit.run.cli import main as cli_main


def seed_dataset(target: Path) -> Path:
    """The seed's canonical dataset at ``target`` (the shipped one, else extracted from the seed text)."""
    if (SHIPPED / "metadata.json").is_file():
        shutil.copytree(SHIPPED, target)
    elif SEED.is_file():
        from budgetkit.extract import extract

        extract(SEED, target)
    else:
        pytest.fail("neither the shipped dataset nor the seed is available")
    return target


def set_cell(csv_path: Path, first_cols: dict[str, str], column: str, value: str) -> str:
    """Change one cell of a tidy CSV by hand (as an auditor would); return the old value."""
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    col = head.index(column)
    for row in rows[1:]:
        if all(row[head.index(k)] == v for k, v in first_cols.items()):
            old, row[col] = row[col], value
            break
    else:
        raise AssertionError(f"no row {first_cols} in {csv_path}")
    with open(csv_path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return old


pytestmark = pytest.mark.slow  # executes notebooks on a Jupyter kernel


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "params").mkdir()
    base = seed_dataset(root / "data" / "dept-a" / "2024")
    shutil.copytree(base, root / "data" / "dept-a" / "2023")  # a prior year: same numbers
    shutil.copytree(base, root / "other-data" / "dept-b" / "2024")  # read through data_root
    shutil.copytree(base, root / "data" / "dept-broken" / "2024")
    # seed line 286: "2010601 行政运行 192.95 192.95" in table 3 — make it 193.95 in dept-b
    assert set_cell(root / "other-data/dept-b/2024/tables/T3.csv", {"科目编码": "2010601"}, "合计",
                    "193.95") == "192.95"
    set_cell(root / "data/dept-broken/2024/tables/T3.csv", {"科目编码": "2010601"}, "合计", "一九二")
    for slug in ("dept-a", "dept-b", "dept-broken"):
        extra = 'data_root: "other-data"\n' if slug == "dept-b" else ""
        (root / "params" / f"{slug}-2024.yaml").write_text(f'department: "{slug}"\nyear: 2024\n{extra}',
                                                           encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def first_run(project, tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("BUDGETKIT_HOME", str(project))
    out = tmp_path_factory.mktemp("out")
    code = runner.run(None, all_=True, workers=2, out=out)
    yield out, code, mp
    mp.undo()


def test_failing_entry_does_not_stop_the_others(first_run, capfd):
    out, code, _ = first_run
    assert code == runner.EXIT_FAILED
    for slug in ("dept-a-2024", "dept-b-2024"):
        run = json.loads((out / slug / "run.json").read_text(encoding="utf-8"))
        assert run["status"] == "ok", run
        assert {"report.ipynb", "report.html", f"{slug}-findings.json", f"{slug}-findings.csv",
                f"{slug}-findings.xlsx", f"{slug}-tables.xlsx", "run.json"} <= set(
            p.name for p in (out / slug).iterdir())
    broken = json.loads((out / "dept-broken-2024" / "run.json").read_text(encoding="utf-8"))
    assert broken["status"] == "failed"
    failed = broken["failed"]
    assert failed["notebook"] == "report.ipynb" and failed["ename"] == "BadAmount"
    assert "report.load(" in failed["cell_source"] and isinstance(failed["cell_index"], int)
    assert "一九二" in failed["evalue"]
    assert not [p.name for p in (out / "dept-broken-2024").iterdir() if "findings" in p.name]
    assert (out / "dept-broken-2024" / "report.ipynb").is_file()  # kept, with its error, for the auditor


def test_changed_amount_shows_up_as_an_error(first_run):
    out, _, _ = first_run
    a = json.loads((out / "dept-a-2024" / "dept-a-2024-findings.json").read_text(encoding="utf-8"))
    b = json.loads((out / "dept-b-2024" / "dept-b-2024-findings.json").read_text(encoding="utf-8"))
    errors_b = [f for f in b["findings"] if f["severity"] == "error" and f["table"] == "T3"]
    assert any("20106" in f["location"] for f in errors_b), errors_b  # 财政事务 1537.92 no longer adds up
    assert not [f for f in a["findings"] if f["severity"] == "error" and f["table"] == "T3"]
    html_b = (out / "dept-b-2024" / "report.html").read_text(encoding="utf-8")
    assert "193.95" in html_b and "1538.92" in html_b  # printed 1537.92 vs recomputed 1538.92 in the layout


def test_html_hides_code_and_embeds_charts_offline(first_run):
    out, _, _ = first_run
    html_a = (out / "dept-a-2024" / "report.html").read_text(encoding="utf-8")
    html_b = (out / "dept-b-2024" / "report.html").read_text(encoding="utf-8")
    assert "report.load(department, year, data_root)" not in html_a  # inputs hidden
    assert 'id="T_findings"' in html_a
    # five charts, plus year-over-year where a prior year exists (dept-a has 2023)
    embedded = re.compile(r'<img [^>]*src="data:image/png;base64,')
    assert len(embedded.findall(html_a)) == 6
    assert len(embedded.findall(html_b)) == 5
    assert not re.findall(r'<script[^>]+src="http|<link[^>]+href="http', html_a)  # no CDN scripts: opens offline
    # the findings files hold exactly the findings the report lists (same checks, prior year included):
    # errors and warnings in the list, rounding and confirmations in the folded part below it
    for slug, page in (("dept-a-2024", html_a), ("dept-b-2024", html_b)):
        listed = int(re.search(r"发现清单（(\d+) 条）", page).group(1))
        folded = int(re.search(r"尾差与核对一致的提示（(\d+) 条）", page).group(1))
        found = json.loads((out / slug / f"{slug}-findings.json").read_text(encoding="utf-8"))["findings"]
        assert listed == len([f for f in found if f["severity"] in ("error", "warning")])
        assert listed + folded == len(found)
    assert str(out) not in html_a


def test_summary_lists_every_entry(first_run, capfd):
    out, _, _ = first_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    slugs = [e["slug"] for e in summary["entries"]]
    assert slugs == ["dept-a-2024", "dept-b-2024", "dept-broken-2024"]
    # dept-b's changed 2010601 breaks the 20106 and 201 subtotals and the 合计 of table 3
    rule_counts = summary["findings_by_rule"]["within.expenditure.hierarchy"]
    assert rule_counts["dept-b-2024"] > rule_counts.get("dept-a-2024", 0)
    assert any("dept-b-2024" in counts for counts in summary["findings_by_rule"].values())
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert all(s in page for s in slugs) and "失败" in page and "BadAmount" in page
    assert "长治市屯留区财政局 2024［dept-a-2024］" in page  # copies of one department: named, told apart
    assert "“一九二”不是金额" in page  # why dept-broken failed, in Chinese first
    assert 'id="T_yearly"' in page and "2023年（万元）" in page  # dept-a has a 2023 dataset next to 2024
    # the summary notebook (a `run_dir` parameter) runs once per run, not per department-year: it is summary.html
    for nb in runner.run_notebooks():
        assert (out / f"{nb.stem}.html").is_file()
        assert not (out / "dept-a-2024" / nb.name).exists()


def run_results(out: Path) -> dict:
    """What a run found and showed, without what says when it ran: its summary entries and each entry's run.json
    (no duration), findings files, tables workbook (no dated document properties) and HTML report (without its
    cells' ids: papermill gives the cells it adds, parameters and error notice, random ones)."""
    import zipfile

    def undated(entry: dict) -> dict:
        return {k: v for k, v in entry.items() if k != "duration_s"}

    def content(f: Path):
        if f.suffix == ".html":
            return re.sub(r'id="cell-id=[^"]*"', 'id="cell-id"', f.read_text(encoding="utf-8"))
        if f.suffix != ".xlsx":
            return f.read_text(encoding="utf-8")
        with zipfile.ZipFile(f) as z:
            return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}

    found = {"summary": [undated(e) for e in json.loads((out / "summary.json").read_text(encoding="utf-8"))["entries"]]}
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        found[folder.name] = {"run": undated(json.loads((folder / "run.json").read_text(encoding="utf-8")))}
        for f in sorted(folder.glob("*.xlsx")) + sorted(folder.glob("*-findings.*")) + sorted(folder.glob("*.html")):
            found[folder.name][f.name] = content(f)
    return found


def test_every_worker_path_finds_what_one_process_finds(first_run, tmp_path, monkeypatch):
    """The 2 forked workers of first_run, and a local Dask cluster (where fork is missing), against 1 worker."""
    out, code, _ = first_run
    single = tmp_path / "single"
    assert runner.run(None, all_=True, workers=1, out=single) == code
    monkeypatch.setattr(runner, "_can_fork", lambda: False)
    dask = tmp_path / "dask"
    assert runner.run(None, all_=True, workers=2, out=dask) == code
    expected = run_results(single)
    assert sorted(expected) == ["dept-a-2024", "dept-b-2024", "dept-broken-2024", "summary"]
    assert run_results(out) == expected
    assert run_results(dask) == expected


def test_rerun_replaces_only_that_entry(first_run, project):
    out, _, _ = first_run
    b_before = (out / "dept-b-2024" / "run.json").stat()
    a_before = (out / "dept-a-2024").stat().st_ino
    code = runner.run([project / "params" / "dept-a-2024.yaml"], all_=False, workers=1, out=out)
    assert code == runner.EXIT_OK
    assert (out / "dept-a-2024").stat().st_ino != a_before  # a new folder took its place
    after = (out / "dept-b-2024" / "run.json").stat()
    assert (after.st_ino, after.st_mtime_ns) == (b_before.st_ino, b_before.st_mtime_ns)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temporary folders left
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [e["slug"] for e in summary["entries"]] == ["dept-a-2024", "dept-b-2024", "dept-broken-2024"]


def test_crash_while_writing_keeps_previous_outputs(first_run, project, monkeypatch):
    out, _, _ = first_run
    before = sorted(p.name for p in (out / "dept-b-2024").iterdir())

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runner, "notebook_html", boom)
    code = runner.run([project / "params" / "dept-b-2024.yaml"], all_=False, workers=1, out=out)
    assert code == runner.EXIT_FAILED
    assert sorted(p.name for p in (out / "dept-b-2024").iterdir()) == before
    assert json.loads((out / "dept-b-2024" / "run.json").read_text(encoding="utf-8"))["status"] == "ok"
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_cli_exit_codes_and_messages(project, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BUDGETKIT_HOME", str(project))
    bad = project / "params" / "escape.yaml"
    bad.write_text('department: "../../etc"\nyear: 2024\n', encoding="utf-8")
    try:
        # only an unusable params file: one line, exit 2, nothing written
        assert cli_main(["run", str(bad), "--out", str(tmp_path / "o1")]) == 2
        err = capsys.readouterr().err
        assert "escape.yaml" in err and "Traceback" not in err
        assert not (tmp_path / "o1").exists()
    finally:
        bad.unlink()


def test_kernel_runs_this_interpreter():
    import sys

    from jupyter_client.kernelspec import KernelSpecManager

    assert runner._runs_this_python(["python", "-m", "ipykernel_launcher"])
    assert runner._runs_this_python([sys.executable, "-m", "ipykernel_launcher"])
    assert not runner._runs_this_python(["/opt/elsewhere/bin/python3.9", "-m", "ipykernel_launcher"])
    name = runner.kernel_name()
    assert runner._runs_this_python(KernelSpecManager().get_kernel_spec(name).argv)
