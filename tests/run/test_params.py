"""Params files: valid ones load; slugs and paths that would leave the project are refused in one line."""

from __future__ import annotations

import os

import pytest

from budgetkit.core.errors import BudgetkitError, UnsafeInput
from budgetkit.run.params import (
    ParamsError,
    all_params_files,
    dataset_dir,
    load_params,
    parse_params,
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "data" / "dept-a" / "2024").mkdir(parents=True)
    (tmp_path / "params").mkdir()
    monkeypatch.setenv("BUDGETKIT_HOME", str(tmp_path))
    return tmp_path


def _write(project, text, name="p.yaml"):
    p = project / "params" / name
    p.write_text(text, encoding="utf-8")
    return p


def test_valid_params_file(project):
    p = _write(project, 'department: "dept-a"  # slug\nyear: 2024\ndepartment_code: "017"\n')
    params = load_params(p)
    assert (params.department, params.year, params.data_root) == ("dept-a", 2024, "")
    assert params.slug == "dept-a-2024"
    assert params.dataset_dir() == (project / "data" / "dept-a" / "2024").resolve()
    assert params.notebook_parameters() == {"department": "dept-a", "year": 2024, "data_root": ""}


def test_data_root_inside_project(project):
    (project / "fixtures" / "dept-a" / "2023").mkdir(parents=True)
    params = load_params(_write(project, "department: dept-a\nyear: '2023'\ndata_root: fixtures\n"))
    assert params.year == 2023
    assert params.dataset_dir() == (project / "fixtures" / "dept-a" / "2023").resolve()


def test_shipped_params_files_are_valid():
    files = all_params_files()
    assert files, "params/ ships at least the default department-year"
    for f in files:
        load_params(f)


@pytest.mark.parametrize("department", ["../etc", "dept/../../x", "/etc/passwd", "Dept-A", "部门", "a b", "-x", "", 17])
def test_unsafe_or_malformed_slugs_refused(project, department):
    with pytest.raises(BudgetkitError) as exc:
        parse_params({"department": department, "year": 2024}, "p.yaml")
    assert "\n" not in str(exc.value) and str(exc.value).startswith("p.yaml: ")


@pytest.mark.parametrize("data_root", ["/tmp", "../outside", "data/../../outside", "~/data", "C:\\data", "..\\x"])
def test_escaping_data_roots_refused(project, data_root):
    with pytest.raises(UnsafeInput, match="p.yaml: data_root"):
        parse_params({"department": "dept-a", "year": 2024, "data_root": data_root}, "p.yaml")


def test_symlink_leading_out_of_project_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "dept-a" / "2024").mkdir(parents=True)
    os.symlink(outside, project / "linked")
    with pytest.raises(UnsafeInput, match="outside"):
        parse_params({"department": "dept-a", "year": 2024, "data_root": "linked"}, "p.yaml")
    # a symlink at the department level is caught when the dataset folder is resolved
    os.symlink(outside / "dept-a", project / "data" / "dept-b")
    with pytest.raises(UnsafeInput, match="outside"):
        dataset_dir("dept-b", 2024, "")


@pytest.mark.parametrize("text, message", [
    ("department: dept-a\n", "'year' is missing"),
    ("year: 2024\n", "'department' is missing"),
    ("department: dept-a\nyear: 2024\nkernel: x\n", "unknown key(s) kernel"),
    ("department: dept-a\nyear: 24\n", "is not a year"),
    ("department: dept-a\nyear: true\n", "is not a year"),
    ("department: dept-a\nyear: 2024\ndepartment_code: 017\n", "department_code 15 must be quoted"),  # YAML octal
    ("- a\n- b\n", "expected a mapping"),
    ("department: [unclosed\n", "not valid YAML at line"),
    ("department: !!python/object/apply:os.system ['true']\nyear: 2024\n", "not valid YAML"),
])
def test_bad_params_files_one_line(project, text, message):
    p = _write(project, text)
    with pytest.raises(BudgetkitError) as exc:
        load_params(p)
    assert message in str(exc.value)
    assert str(exc.value).startswith(str(p)) and "\n" not in str(exc.value)


def test_missing_params_file(project):
    with pytest.raises(ParamsError, match="params file not found"):
        load_params(project / "params" / "nope.yaml")
