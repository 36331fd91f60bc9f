"""A dataset folder with a file missing, a folder where a file should be, or a file that is not text.

Issue 14 made the loader find out by opening each file instead of asking the file system first (a
``stat`` per file cost ≈ 0.1 ms per department-year); these tests pin the one-line errors it gives,
on a copy of the shipped dataset (data/changzhishi-tunliuqu-caizhengju/2024).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from project_files import SHIPPED

from budgetkit.core.errors import DatasetError
from budgetkit.dataset.store import load_dataset


@pytest.fixture()
def copy(tmp_path) -> Path:
    folder = tmp_path / "2024"
    shutil.copytree(SHIPPED, folder)
    return folder


def _meta(folder: Path) -> dict:
    return json.loads((folder / "metadata.json").read_text(encoding="utf-8"))


def _a_part_file(folder: Path) -> Path:
    table = next(iter(_meta(folder)["tables"].values()))
    return folder / next(iter(table["files"].values()))


def _error(folder: Path) -> DatasetError:
    with pytest.raises(DatasetError) as info:
        load_dataset(folder)
    return info.value


def test_the_copy_loads_with_its_forms(copy):
    assert load_dataset(copy).forms  # the shipped dataset has 项目支出绩效目标表 forms


def test_no_metadata_is_not_a_dataset(copy):
    (copy / "metadata.json").unlink()
    assert "not a budgetkit dataset (no metadata.json)" in str(_error(copy))


def test_metadata_as_a_folder_is_not_a_dataset(copy):
    (copy / "metadata.json").unlink()
    (copy / "metadata.json").mkdir()
    assert "no metadata.json" in str(_error(copy))


def test_a_missing_table_file_is_named(copy):
    part = _a_part_file(copy)
    part.unlink()
    err = _error(copy)
    assert "file missing" in str(err) and part.name in str(err)


def test_a_folder_instead_of_a_table_file_is_a_missing_file(copy):
    part = _a_part_file(copy)
    part.unlink()
    part.mkdir()
    assert "file missing" in str(_error(copy))


def test_a_table_file_that_is_not_utf8(copy):
    part = _a_part_file(copy)
    part.write_bytes(part.read_text(encoding="utf-8").encode("gb18030"))
    assert "not UTF-8 text" in str(_error(copy))


def test_a_missing_narrative_file_is_named(copy):
    (copy / "narrative.txt").unlink()
    assert "narrative file missing" in str(_error(copy))


def test_without_forms_json_the_dataset_has_no_forms(copy):
    (copy / "forms.json").unlink()
    disclosure = load_dataset(copy)
    assert disclosure.forms == [] and disclosure.tables


@pytest.mark.parametrize("content, word", [(b"[{", "JSONDecodeError"), ("[]".encode("utf-16"), "UnicodeDecodeError")])
def test_forms_json_that_is_not_json(copy, content, word):
    (copy / "forms.json").write_bytes(content)
    assert f"not valid JSON ({word})" in str(_error(copy))


def test_forms_json_holding_null_is_no_list_of_forms(copy):
    (copy / "forms.json").write_text("null", encoding="utf-8")
    assert "a form has unexpected fields" in str(_error(copy))
