"""Run parameters: one ``params/<slug>-<year>.yaml`` per department-year, validated before use.

A params file names a department slug, a year and optionally a data folder
(relative, inside the project). Anything that would read outside the project —
``..``, an absolute path, a symlink leading out — is refused with one line.
The notebooks' parameters cell and ``budgetkit run`` both go through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from budgetkit.core.errors import BudgetkitError, UnsafeInput
from budgetkit.dataset.paths import (
    check_slug,
    check_year,
    dataset_dir,
    project_root,
    resolve_data_root,
)

#: The notebook whose parameters cell names the shipped default department-year.
DEFAULT_NOTEBOOK = "notebooks/report.ipynb"
KNOWN_KEYS = {"department", "year", "data_root", "department_code"}


class ParamsError(BudgetkitError):
    """A params file that cannot be read or lacks what a run needs."""

    cn = "参数文件无法使用"


@dataclass(frozen=True)
class RunParams:
    department: str
    year: int
    data_root: str = ""  # relative to the project root; '' = data/
    source: str = ""  # the params file, for messages
    department_code: str = ""  # when given, the dataset's recorded code must be this one (checked by the runner)

    @property
    def slug(self) -> str:
        """Deterministic output name of this department-year."""
        return f"{self.department}-{self.year}"

    def notebook_parameters(self) -> dict:
        return {"department": self.department, "year": self.year, "data_root": self.data_root}

    def dataset_dir(self, root: Path | None = None) -> Path:
        return dataset_dir(self.department, self.year, self.data_root, root)


def parse_params(raw, source: str = "") -> RunParams:
    """Validate an already-loaded YAML mapping."""
    where = source or "params"
    if not isinstance(raw, dict):
        raise ParamsError("expected a mapping with 'department' and 'year'", file=where)
    unknown = sorted(set(map(str, raw)) - KNOWN_KEYS)
    if unknown:
        raise ParamsError(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(KNOWN_KEYS))}",
                          file=where)
    for key in ("department", "year"):
        if key not in raw or raw[key] in (None, ""):
            raise ParamsError(f"'{key}' is missing", file=where)
    code = raw.get("department_code")
    if code is not None and not isinstance(code, str):
        raise ParamsError(f"department_code {code!r} must be quoted (\"017\"): unquoted, YAML changes it (leading zeros, octal)",
                          file=where)
    if isinstance(raw["year"], bool):
        raise ParamsError(f"year {raw['year']!r} is not a year", file=where)
    try:
        department = check_slug(raw["department"])
        year = check_year(raw["year"])
        data_root = raw.get("data_root") or ""
        resolve_data_root(data_root)  # refuse early, before any run starts
    except UnsafeInput as exc:
        raise UnsafeInput(exc.what, file=where) from None
    return RunParams(department=department, year=year, data_root=str(data_root), source=where,
                     department_code=code or "")


def load_params(path: Path | str) -> RunParams:
    """Read and validate one params YAML file (``yaml.safe_load``: no object tags)."""
    path = Path(path)
    if not path.is_file():
        raise ParamsError("params file not found", file=str(path))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ParamsError("not UTF-8 text", file=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise ParamsError(f"not valid YAML{at}", file=str(path)) from None
    return parse_params(raw, str(path))


def default_department_year(root: Path | None = None) -> tuple[str, int]:
    """The default department-year: the defaults of the report notebook's parameters cell (one place to change)."""
    import ast
    import json

    nb = (Path(root) if root is not None else project_root()) / DEFAULT_NOTEBOOK
    try:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        source = next("".join(c["source"]) for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
        values = {}
        for node in ast.parse(source).body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                values[node.target.id] = ast.literal_eval(node.value)
        return check_slug(values["department"]), check_year(values["year"])
    except (OSError, ValueError, KeyError, StopIteration, SyntaxError) as exc:
        raise ParamsError(f"cannot read the default department-year from its parameters cell ({exc.__class__.__name__})",
                          file=str(nb)) from None


def default_params() -> RunParams:
    department, year = default_department_year()
    return RunParams(department, year, "", "default")


def all_params_files(root: Path | None = None) -> list[Path]:
    """Every ``params/*.yaml`` (and ``*.yml``) of the project, sorted by name."""
    folder = (Path(root) if root is not None else project_root()) / "params"
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")], key=lambda p: p.name)
