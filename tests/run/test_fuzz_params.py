"""Untrusted params files: paths that escape, slugs that are code, YAML tags — refused in one line;
whatever is accepted reaches the notebooks as data (papermill parameters), never as code.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import pytest
from fuzz_damage import fuzz_record, fuzz_settings, record
from hypothesis import given
from hypothesis import strategies as st
from project_files import ROOT

from budgetkit.core.errors import BudgetkitError, UnsafeInput
from budgetkit.run.params import load_params, parse_params

__all__ = ["fuzz_record"]

PWNED_CODE = '"; import os; os.system("touch {marker}") #'


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "data" / "dept-a" / "2024").mkdir(parents=True)
    (root / "params").mkdir()
    monkeypatch.setenv("BUDGETKIT_HOME", str(root))
    return root


def _refused(fn, *args) -> BudgetkitError:
    with pytest.raises(BudgetkitError) as exc:
        fn(*args)
    msg = str(exc.value)
    assert msg and "\n" not in msg
    return exc.value


def _write(project: Path, text: str) -> Path:
    p = project / "params" / "p.yaml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("data_root", ["../outside", "data/../../outside", "/etc", "/", "~/data", "C:\\data",
                                       "\\\\server\\share", "data/../.."])
def test_escaping_data_root_refused(project, data_root):
    err = _refused(parse_params, {"department": "dept-a", "year": 2024, "data_root": data_root}, "p.yaml")
    assert isinstance(err, UnsafeInput) and "p.yaml" in str(err)


def test_symlink_out_of_the_project_refused(project, tmp_path):
    outside = tmp_path / "elsewhere"
    (outside / "dept-a" / "2024").mkdir(parents=True)
    (project / "linked").symlink_to(outside, target_is_directory=True)
    _refused(parse_params, {"department": "dept-a", "year": 2024, "data_root": "linked"}, "p.yaml")
    # and a slug folder that is itself a symlink out of data/
    (project / "data" / "evil").symlink_to(outside / "dept-a", target_is_directory=True)
    from budgetkit.run.params import dataset_dir

    with pytest.raises(UnsafeInput):
        dataset_dir("evil", 2024, "", project)


@pytest.mark.parametrize("department", [123, 2024.0, True, None, ["dept-a"], {"a": 1}, "", "../dept-a", "/abs",
                                        "Dept-A", "dept a", "dept/a", "部门", "dept-a\n", "-dept", "."])
def test_non_slug_departments_refused(project, department):
    _refused(parse_params, {"department": department, "year": 2024}, "p.yaml")


def test_code_in_department_is_refused_by_the_slug_check(project, tmp_path):
    marker = tmp_path / "pwned"
    err = _refused(parse_params, {"department": PWNED_CODE.format(marker=marker), "year": 2024}, "p.yaml")
    assert isinstance(err, UnsafeInput) and "slug" in str(err)
    assert not marker.exists()


@pytest.mark.parametrize("yaml_text", [
    '!!python/object/apply:os.system ["touch {marker}"]\n',
    'department: !!python/object/apply:os.system ["touch {marker}"]\nyear: 2024\n',
    'department: !!python/name:os.system\nyear: 2024\n',
    'department: dept-a\nyear: !!python/object/new:int [2024]\n',
    "department: &a dept-a\nyear: *a\n",
    "department: [dept-a]\nyear: 2024\n",
    "department: dept-a\nyear: 2024\nextra: 1\n",
    "department: dept-a\nyear: '2024; rm -rf /'\n",
    "department: dept-a\nyear: true\n",
    "\tbad: [yaml\n",
])
def test_yaml_is_loaded_safely_and_checked(project, tmp_path, yaml_text):
    marker = tmp_path / "pwned"
    p = _write(project, yaml_text.format(marker=marker))
    _refused(load_params, p)
    assert not marker.exists()


def test_valid_params_reach_papermill_as_parameters_only(project, monkeypatch, tmp_path):
    """The runner hands papermill a dict of literals; papermill's injected cell is assignments of literals."""
    from papermill.translators import PythonTranslator

    from budgetkit.run import runner

    params = load_params(_write(project, "department: dept-a\nyear: 2024\n"))
    seen = []

    def fake_execute(input_path, output_path, parameters=None, **kwargs):
        seen.append(parameters)
        raise RuntimeError("stop here")

    monkeypatch.setattr("papermill.execute_notebook", fake_execute)
    nb = tmp_path / "nb.ipynb"
    nb.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")
    result = runner.run_entry(params, tmp_path / "out", "python3", [nb])
    assert result["status"] == "failed"
    assert seen == [{"department": "dept-a", "year": 2024, "data_root": ""}]
    _assert_literal_assignments(PythonTranslator.codify(seen[0]), seen[0])


def _assert_literal_assignments(code: str, values: dict) -> None:
    tree = ast.parse(code)
    got = {}
    for node in tree.body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, ast.dump(node)
        got[node.targets[0].id] = ast.literal_eval(node.value)
    assert got == values


def test_no_module_that_runs_notebooks_builds_code_from_values():
    """runner/params/report: no eval/exec/compile, no notebook cells made from strings."""
    pkg = ROOT / "budgetkit"
    builtins = {"eval", "exec", "compile", "__import__"}  # called by bare name (re.compile is fine)
    methods = {"new_code_cell", "system", "popen"}  # nbformat.v4.new_code_cell, os.system, os.popen
    for name in ("runner.py", "params.py", "report.py", "paths.py"):
        path = pkg / name
        if not path.is_file():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                bad = (isinstance(f, ast.Name) and f.id in builtins | methods) or \
                    (isinstance(f, ast.Attribute) and f.attr in methods)
                assert not bad, f"{name}:{node.lineno} calls {ast.unparse(f)}"


@fuzz_settings(200)
@given(st.one_of(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True),
                 st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}(\n|/\.\.|\.\.|/|\x00| |\\)[a-z0-9-]{0,8}", fullmatch=True),
                 st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                 st.lists(st.text(max_size=5), max_size=2), st.sampled_from(["../x", "a/../b", "/x", "a\\..\\b"])),
       st.one_of(st.integers(1985, 2105), st.integers(), st.text(max_size=8), st.booleans(), st.none(), st.floats()),
       st.one_of(st.none(), st.just(""), st.from_regex(r"(data|sub|\.\.|/tmp|~|C:)(/[a-z.]{0,4}){0,3}", fullmatch=True),
                 st.text(max_size=40), st.integers(), st.sampled_from(["data", "../", "/tmp", "data/.."])))
def test_any_params_mapping_is_refused_in_one_line_or_safe(department, year, data_root):
    root = Path(os.environ.get("BUDGETKIT_FUZZ_PROJECT", ""))
    raw = {"department": department, "year": year}
    if data_root is not None:
        raw["data_root"] = data_root
    try:
        p = parse_params(raw, "fuzz.yaml")
    except BudgetkitError as exc:
        assert str(exc) and "\n" not in str(exc)
        record("params", "refused", exc)
        return
    record("params", "accepted")
    assert isinstance(p.department, str) and p.department == department
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in p.department) and ".." not in p.department
    assert type(p.year) is int and 1990 <= p.year <= 2100
    folder = p.dataset_dir(root)
    assert root.resolve() in folder.parents
    _assert_literal_assignments(__import__("papermill.translators", fromlist=["x"]).PythonTranslator.codify(
        p.notebook_parameters()), p.notebook_parameters())


@pytest.fixture(autouse=True, scope="module")
def _fuzz_project(tmp_path_factory, fuzz_record):
    root = tmp_path_factory.mktemp("params-project")
    (root / "data").mkdir()
    (root / "params").mkdir()
    old = {k: os.environ.get(k) for k in ("BUDGETKIT_HOME", "BUDGETKIT_FUZZ_PROJECT")}
    os.environ["BUDGETKIT_HOME"] = os.environ["BUDGETKIT_FUZZ_PROJECT"] = str(root)
    yield root
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def test_cli_run_refuses_an_unsafe_params_file_in_one_line(project):
    import subprocess

    p = _write(project, 'department: "../../etc"\nyear: 2024\n')
    env = {**os.environ, "BUDGETKIT_HOME": str(project)}
    proc = subprocess.run([sys.executable, "-m", "budgetkit.run.cli", "run", str(p), "--out", str(project / "out")],
                          capture_output=True, text=True, timeout=300, env=env, cwd=project)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "slug" in proc.stderr
    assert not (project / "out").exists() or not any((project / "out").iterdir())


@fuzz_settings(150)
@given(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}(\n|/\.\.|\.\.|/| )?", fullmatch=True), st.integers(1985, 2105),
       st.one_of(st.just(""), st.from_regex(r"(data|sub|\.\.|/tmp|~|C:|data/\.\.)(/[a-z.]{0,4}){0,3}",
                                            fullmatch=True)))
def test_nearly_valid_params_are_accepted_only_when_safe(department, year, data_root):
    test_any_params_mapping_is_refused_in_one_line_or_safe.hypothesis.inner_test(department, year, data_root)
