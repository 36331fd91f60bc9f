"""One-line errors in Chinese first (the English follows), saying what is supported; truncation reported as such
wherever the seed (data/changzhishi-tunliuqu-caizhengju/2024/source/000_b6cb000e27f50e6b.txt) is cut."""

from __future__ import annotations

import zipfile

import pytest
from project_files import SEED

from budgetkit.run.cli import main

SUPPORTED = ("预算公开：上海市区级部门（单位）预算公开表（9张表）、山西省县级部门预算公开表（13张表）；"
             "决算公开：部门决算公开表（全国统一格式，9张表）")  # the shipped templates
LINES = SEED.read_text(encoding="utf-8").split("\n")


def _error(capsys, *argv) -> str:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def _cut(tmp_path, n: int) -> str:
    path = tmp_path / f"cut-{n}.txt"
    path.write_text("\n".join(LINES[:n]), encoding="utf-8")
    return str(path)


def test_word_file_says_save_as_pdf(tmp_path, capsys):
    docx = tmp_path / "预算公开.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    err = _error(capsys, "check", str(docx))
    assert err.startswith(f"budgetkit check: {docx}: 不支持 Word 文件，请在 Word/WPS 中另存为 PDF 后再处理。")
    assert SUPPORTED in err and err.endswith("— a Word file is not supported: save it as PDF")
    rtf = tmp_path / "说明.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi 2024")
    assert "不支持 Word 文件" in _error(capsys, "extract", str(rtf), "--out", str(tmp_path / "o"))


def test_not_a_disclosure_says_what_is_supported(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("会议纪要\n今天讨论了食堂菜单。\n", encoding="utf-8")
    err = _error(capsys, "check", str(notes))
    assert err.startswith(f"budgetkit check: {notes}: 不是可处理的部门预算或决算公开文件。支持：PDF，或由 PDF 提取的文字")
    assert SUPPORTED in err and "not a department budget disclosure" in err


def test_cut_inside_the_performance_forms(tmp_path, capsys):
    # the first form starts at seed line 923; line 1000 is inside it (its signature comes at line 1284)
    err = _error(capsys, "check", _cut(tmp_path, 1000))
    assert "绩效目标表: 文件在第1张项目支出绩效目标表（原文第923行起）中间中断（被截断）" in err
    assert "truncated" in err
    # the fourth form starts at line 1932; cut at 2000 while extracting
    err = _error(capsys, "extract", _cut(tmp_path, 2000), "--out", str(tmp_path / "ds"))
    assert "文件在第4张项目支出绩效目标表（原文第1932行起）中间中断" in err and not (tmp_path / "ds").exists()


def test_cut_inside_the_narrative_or_after_a_form(tmp_path, capsys):
    # seed line 850 is in 第三部分 五; line 7100 follows the last form (第四部分 starts at line 7158)
    assert "文件在第三部分（原文第850行）中断，缺少第四部分（被截断）" in _error(capsys, "check", _cut(tmp_path, 850))
    err = _error(capsys, "check", _cut(tmp_path, 7100))
    assert "文件在第三部分（原文第7099行）中断" in err  # line 7100 is blank: the last printed line is named


def test_cut_inside_a_table(tmp_path, capsys):
    err = _error(capsys, "check", _cut(tmp_path, 400))  # inside table 4 (seed lines 321-463)
    assert "文件在表4中间中断（被截断） — " in err and "the text stops inside table T4" in err


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_cut_in_the_middle_of_a_character(tmp_path, capsys, encoding):
    data = SEED.read_text(encoding="utf-8").encode(encoding)
    end = data.index("第四部分".encode(encoding)) + 1  # one byte into 第
    path = tmp_path / f"cut-{encoding}.txt"
    path.write_bytes(data[:end])
    err = _error(capsys, "check", str(path))
    assert "文件在一个字符的中间中断（被截断）" in err and "neither UTF-8 nor GBK" not in err


def test_bad_amount_and_missing_unit_in_chinese(tmp_path, capsys):
    text = "\n".join(LINES).replace("退休费 离退休费 14.32 14.32", "退休费 离退休费 14.3x 14.32")  # table 6
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    err = _error(capsys, "check", str(path))
    assert f"{path}: T6: “14.3x”不是金额 — row" in err


def test_existing_dataset_and_changed_source(tmp_path, capsys):
    out = tmp_path / "ds"
    assert main(["extract", str(SEED), "--out", str(out)]) == 0
    capsys.readouterr()
    err = _error(capsys, "extract", str(SEED), "--out", str(out))
    assert "目标文件夹已有数据集，未覆盖（确需覆盖请加 --force" in err and "--force" in err
    src = out / "source" / SEED.name
    src.write_bytes(src.read_bytes() + b"\n")
    assert "源文件自抽取以来已被改动（SHA-256 不符）" in _error(capsys, "check", str(out))


def test_default_slug_reads_changzhi(tmp_path, capsys):
    import json

    out = tmp_path / "ds"
    assert main(["extract", str(SEED), "--out", str(out)]) == 0  # no --slug
    assert json.loads((out / "metadata.json").read_text(encoding="utf-8"))["slug"] == "changzhishi-tunliuqu-caizhengju"
