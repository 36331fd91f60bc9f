"""Where the project's folders are, and refusing paths that escape them."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from budgetkit.core.errors import DatasetError, UnsafeInput

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")


def project_root() -> Path:
    """BUDGETKIT_HOME, else the nearest folder above the cwd holding data/ and params/, else the checkout."""
    env = os.environ.get("BUDGETKIT_HOME")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if (d / "data").is_dir() and (d / "params").is_dir():
            return d
    return Path(__file__).resolve().parents[2]


def data_root() -> Path:
    return project_root() / "data"


def check_slug(slug: str) -> str:
    """A department slug is lowercase ASCII letters, digits and '-', nothing that walks folders."""
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):  # fullmatch: "$" would accept a trailing "\n"
        raise UnsafeInput(f"department slug {slug!r} must be lowercase letters, digits and '-'")
    return slug


def check_year(year) -> int:
    try:
        y = int(str(year))
    except ValueError:
        raise UnsafeInput(f"year {year!r} is not a year") from None
    if not 1990 <= y <= 2100 or str(year).strip() != str(y):
        raise UnsafeInput(f"year {year!r} is not a year")
    return y


def inside(path: Path, root: Path) -> Path:
    """Resolve ``path`` (following symlinks) and refuse it unless it stays under ``root``."""
    resolved = Path(path).resolve()
    root_resolved = Path(root).resolve()
    if resolved != root_resolved and root_resolved not in resolved.parents:
        raise UnsafeInput(f"{path} is outside {root}")
    return resolved


def resolve_data_root(data_root: str | None, root: Path | None = None) -> Path:
    """The data folder: '' means <project>/data; otherwise a relative path that stays in the project."""
    root = Path(root) if root is not None else project_root()
    if data_root is None or str(data_root).strip() == "":
        return inside(root / "data", root)
    if not isinstance(data_root, str):
        raise UnsafeInput(f"data_root {data_root!r} must be a relative path string")
    text = data_root.strip()
    if (text.startswith(("/", "\\", "~")) or PureWindowsPath(text).drive or PurePosixPath(text).is_absolute()):
        raise UnsafeInput(f"data_root '{text}' must be relative to the project, not absolute")
    if ".." in PurePosixPath(text.replace("\\", "/")).parts:
        raise UnsafeInput(f"data_root '{text}' must not contain '..'")
    return inside(root / text, root)  # resolves symlinks: one pointing out of the project is refused


def dataset_dir(department: str, year, data_root: str | None = "", root: Path | None = None) -> Path:
    """``<data_root>/<slug>/<year>``, validated; refuses anything resolving outside the project."""
    root = Path(root) if root is not None else project_root()
    base = resolve_data_root(data_root, root)
    folder = base / check_slug(department) / str(check_year(year))
    return inside(folder, root)


def dataset_folders(sources: list[Path]) -> list[Path]:
    """Dataset folders named directly, or found (metadata.json) anywhere below the given folders."""
    out: list[Path] = []
    for src in sources:
        src = Path(src)
        if (src / "metadata.json").is_file():
            out.append(src)
        elif src.is_dir():
            found = sorted(p.parent for p in src.rglob("metadata.json"))
            if not found:
                raise DatasetError("no datasets (metadata.json) below this folder", file=str(src))
            out += found
        else:
            raise DatasetError("not a dataset folder or a folder of datasets", file=str(src))
    return out
