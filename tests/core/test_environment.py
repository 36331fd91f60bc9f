"""environment.yml (conda) must list exactly what pyproject.toml (the source of truth) lists."""

import re
import tomllib

import yaml
from project_files import ROOT

# conda-forge splits some PyPI packages with extras into separate packages.
CONDA_NAMES = {"pyyaml": "pyyaml", "dask[distributed]": ["dask", "distributed"]}


def _req(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", spec)
    return m.group(1).lower(), m.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    specs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    out = {}
    for spec in specs:
        name, version = _req(spec)
        names = CONDA_NAMES.get(name, name)
        for n in names if isinstance(names, list) else [names]:
            out[n] = version
    return out


def environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for spec in dep.get("pip", []):
                if spec.strip() not in ("-e .", "-e ."):
                    name, version = _req(spec)
                    out[name] = version
            continue
        name, version = _req(dep)
        if name not in ("python", "pip"):
            out[name] = version
    return out


def test_environment_yml_matches_pyproject():
    assert environment_requirements() == pyproject_requirements()


def test_environment_yml_is_conda_forge_and_installs_the_package():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    last = env["dependencies"][-1]
    assert isinstance(last, dict) and last["pip"][-1] == "-e ."


def test_comparison_notices_a_difference(tmp_path, monkeypatch):
    """The agreement test can fail: a version bump on one side only is seen."""
    text = (ROOT / "environment.yml").read_text(encoding="utf-8").replace("pandas>=2.2", "pandas>=9.9")
    env = yaml.safe_load(text)
    deps = {(_req(d)[0]): _req(d)[1] for d in env["dependencies"] if isinstance(d, str)}
    assert deps["pandas"] != pyproject_requirements()["pandas"]
