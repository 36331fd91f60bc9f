"""`budgetkit extract`: the seed into a canonical dataset, round trip, hand corrections, bad inputs."""

import csv
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from project_files import SEED

from budgetkit.core.errors import ChecksumMismatch
from budgetkit.dataset.store import load_dataset
from budgetkit.extract import parse_source
from budgetkit.run.cli import main

SEED_SHA256 = "ba2d0cacec7af2886edac37b2bcd114d6c9241b583b98bcc66f6a31e0ed77a30"  # sha256sum of the seed


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("ds") / "tunliu" / "2024"
    assert main(["extract", str(SEED), "--out", str(out), "--slug", "tunliu"]) == 0
    return out


def test_dataset_files(extracted):
    files = sorted(str(p.relative_to(extracted)) for p in extracted.rglob("*") if p.is_file())
    expected_tables = {"tables/T1.income.csv", "tables/T1.expenditure.csv", "tables/T4.income.csv",
                       "tables/T4.expenditure.csv", "tables/T9.income.csv", "tables/T9.expenditure.csv"} | {
        f"tables/T{n}.csv" for n in (2, 3, 5, 6, 7, 8, 10, 11, 12, 13)}
    assert expected_tables <= set(files)
    assert {"metadata.json", "narrative.txt", "forms.json", "source/000_b6cb000e27f50e6b.txt"} <= set(files)
    assert (extracted / "source/000_b6cb000e27f50e6b.txt").read_bytes() == SEED.read_bytes()


def test_metadata(extracted):
    meta = json.loads((extracted / "metadata.json").read_text(encoding="utf-8"))
    assert meta["department"] == {"name": "长治市屯留区财政局", "code": "017"}
    assert meta["year"] == 2024
    assert meta["source"]["sha256"] == SEED_SHA256
    assert {t: m["unit"] for t, m in meta["tables"].items()} == {f"T{n}": "万元" for n in range(1, 14)}
    assert [t for t, m in meta["tables"].items() if m["declared_empty"]] == ["T7", "T8", "T9", "T10"]


def test_csv_is_tidy_with_printed_headers_and_codes_as_strings(extracted):
    df = pd.read_csv(extracted / "tables/T3.csv", dtype=str, keep_default_na=False)
    assert list(df.columns) == ["序号", "行类型", "层级", "行键", "科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    row = df[df["科目编码"] == "2010602"].iloc[0]
    assert (row["科目名称"], row["合计"], row["基本支出"], row["项目支出"], row["行类型"]) == (
        "一般行政管理事务", "506.60", "", "506.60", "明细")
    assert df[df["科目编码"] == "201"].iloc[0]["行类型"] == "小计"
    assert df.iloc[0]["行类型"] == "合计" and df.iloc[0]["合计"] == "1716.73"


def test_round_trip_every_amount_identical(extracted):
    parsed = parse_source(SEED, slug="tunliu")
    loaded = load_dataset(extracted)
    assert set(parsed.tables) == set(loaded.tables)
    for tid, table in parsed.tables.items():
        for key, frame in table.parts.items():
            pd.testing.assert_frame_equal(frame.reset_index(drop=True), loaded.tables[tid].parts[key], check_dtype=True)
    assert [(f.project, f.funds) for f in parsed.forms] == [(f.project, f.funds) for f in loaded.forms]
    assert parsed.narrative.text == loaded.narrative.text
    assert [s.line for s in parsed.narrative.sentences] == [s.line for s in loaded.narrative.sentences]


def test_hand_correction_is_what_loads(extracted, tmp_path):
    ds = tmp_path / "ds"
    shutil.copytree(extracted, ds)
    path = ds / "tables/T3.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header = rows[0]
    for r in rows[1:]:
        if r[header.index("科目编码")] == "2010607":
            r[header.index("合计")] = "11.00"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    t3 = load_dataset(ds).tables["T3"].part()
    assert int(t3.loc[t3["code"] == "2010607", "total"].iloc[0]) == 11_000_000  # 11.00 万元 in 分


def test_changed_source_is_reported_not_used(extracted, tmp_path):
    ds = tmp_path / "ds"
    shutil.copytree(extracted, ds)
    src = ds / "source/000_b6cb000e27f50e6b.txt"
    src.write_bytes(src.read_bytes() + b"\n")
    with pytest.raises(ChecksumMismatch):
        load_dataset(ds)
    assert main(["check", str(ds)]) == 2


def test_existing_dataset_is_not_overwritten_without_force(extracted, capsys):
    before = (extracted / "metadata.json").read_bytes()
    assert main(["extract", str(SEED), "--out", str(extracted)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (extracted / "metadata.json").read_bytes() == before


def test_gbk_encoded_source_gives_the_same_tables(tmp_path):
    gbk = tmp_path / "seed-gbk.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    a, b = parse_source(SEED, slug="x"), parse_source(gbk, slug="x")
    for tid in a.tables:
        for key in a.tables[tid].parts:
            pd.testing.assert_frame_equal(a.tables[tid].parts[key], b.tables[tid].parts[key])


def _damaged(tmp_path, name, transform):
    p = tmp_path / name
    p.write_text(transform(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    return p


def _one_line_error(tmp_path, capsys, source, *needles):
    out = tmp_path / "out" / "x" / "2024"
    code = main(["extract", str(source), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert str(source) in err
    for n in needles:
        assert n in err, err
    assert not out.exists() and not any(p.name.startswith(".") for p in out.parent.glob("*")) if out.parent.exists() else True
    return err


def test_not_a_disclosure(tmp_path, capsys):
    src = tmp_path / "notes.txt"
    src.write_text("会议纪要\n今天讨论了食堂菜单。\n", encoding="utf-8")
    _one_line_error(tmp_path, capsys, src, "not a department budget disclosure")


def test_binary_file(tmp_path, capsys):
    src = tmp_path / "image.txt"
    src.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _one_line_error(tmp_path, capsys, src)


def test_truncated_disclosure(tmp_path, capsys):
    src = _damaged(tmp_path, "cut.txt", lambda t: "\n".join(t.split("\n")[:400]))  # stops inside table 4
    _one_line_error(tmp_path, capsys, src)


def test_non_numeric_amount_names_the_table(tmp_path, capsys):
    # table 6: "退休费 离退休费 14.32 14.32" with a letter in the amount
    src = _damaged(tmp_path, "bad-amount.txt", lambda t: t.replace("退休费 离退休费 14.32 14.32", "退休费 离退休费 14.3x 14.32"))
    _one_line_error(tmp_path, capsys, src, "T6", "14.3x")


def test_unknown_unit_names_the_table(tmp_path, capsys):
    # table 5's header line without its unit
    src = _damaged(tmp_path, "no-unit.txt", lambda t: t.replace(
        "部门名称：长治市屯留区财政局 单位：万元\n\n项目 2024年预算数\n\n科目编码 科目名称 合计 基本支出 项目支出\n\n合计 1664.74",
        "部门名称：长治市屯留区财政局\n\n项目 2024年预算数\n\n科目编码 科目名称 合计 基本支出 项目支出\n\n合计 1664.74"))
    assert "单位：万元\n\n项目 2024年预算数\n\n科目编码 科目名称 合计 基本支出 项目支出\n\n合计 1664.74" not in src.read_text(encoding="utf-8")
    _one_line_error(tmp_path, capsys, src, "T5", "unit")


def test_cli_entry_point_exits_2_without_traceback(tmp_path):
    src = tmp_path / "empty.txt"
    src.write_text("", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "budgetkit.run.cli", "extract", str(src), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
