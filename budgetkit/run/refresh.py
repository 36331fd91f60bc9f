"""Re-execute the committed notebooks in place with their default parameters (``python -m budgetkit.run.refresh``).

The committed notebooks carry the outputs of the default department-year so
that nbval can compare them; after a deliberate change (new rule, corrected
data) this rewrites those outputs. It runs them with nbclient, not papermill,
so no parameters cell is injected and no run metadata (timings, paths) is saved.
"""

from __future__ import annotations

import sys
from pathlib import Path

from budgetkit.dataset.paths import project_root
from budgetkit.run.kernel import kernel_config


def refresh_notebook(path: Path, kernel: str) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, kernel_name=kernel, timeout=600, record_timing=False, config=kernel_config(),
                            resources={"metadata": {"path": str(project_root() / "notebooks")}})
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" or out.get("name") == "stderr":
                raise SystemExit(f"{path.name}: a cell wrote an error or to stderr; not saving")
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"name": "budgetkit", "display_name": "Python (budgetkit)", "language": "python"}
    nbformat.write(nb, str(path))


def main(argv: list[str] | None = None) -> int:
    from budgetkit.run.runner import kernel_name, notebooks

    args = argv if argv is not None else sys.argv[1:]
    paths = [Path(a) for a in args] or notebooks()
    kernel = kernel_name()
    for p in paths:
        print(f"refreshing {p.name} with kernel '{kernel}'", flush=True)
        refresh_notebook(p, kernel)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
