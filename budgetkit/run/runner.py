"""``budgetkit run``: execute the auditor notebooks with papermill for one or many department-years.

Per department-year ``<out>/<slug>-<year>/`` receives the executed notebooks, an HTML report per
notebook with the code hidden, the files the report notebook writes itself (``<slug>-<year>-findings.json``
/ ``.csv`` / ``.xlsx``, ``<slug>-<year>-tables.xlsx``: the findings it showed, written once) and ``run.json``
(status, duration, findings by severity, the failing cell). Everything is first written to a
temporary sibling folder that then takes the entry's place, so a re-run replaces exactly that
entry's outputs, whole. Then ``<out>/summary.json`` records every entry ever run into that folder
and the summary notebook runs over it: ``<out>/summary.html`` is the one summary page.
One failing entry never stops the others; the exit code says whether any failed.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

from budgetkit.batch.distributed import dask_client, scheduler_address
from budgetkit.core.atomic import replace_dir, share_like_umask, write_file
from budgetkit.core.errors import BudgetkitError
from budgetkit.core.findings import SEVERITIES
from budgetkit.dataset.paths import project_root
from budgetkit.present.export import export_names
from budgetkit.present.html import notebook_html
from budgetkit.present.run_record import write_run_summary
from budgetkit.run.kernel import kernel_config
from budgetkit.run.params import (
    RunParams,
    all_params_files,
    default_params,
    load_params,
)

KERNEL = "budgetkit"
EXIT_OK, EXIT_FAILED, EXIT_BAD_PARAMS = 0, 1, 2
CELL_TIMEOUT = 600  # seconds one cell may run before the entry counts as failed


# ---------------------------------------------------------------- notebooks and kernel


def notebooks_dir() -> Path:
    """The project's notebooks/ (next to data/ and params/), else the ones beside the package."""
    here = project_root() / "notebooks"
    if any(here.glob("*.ipynb")):
        return here
    return Path(__file__).resolve().parents[2] / "notebooks"


def notebooks() -> list[Path]:
    """Every notebook in notebooks/, in name order."""
    found = sorted(notebooks_dir().glob("*.ipynb"), key=lambda p: p.name)
    if not found:
        raise BudgetkitError("no notebooks to run", file=str(notebooks_dir()))
    return found


def _parameter_names(nb: Path) -> set[str]:
    """The notebook's parameters, read again only when the file changed (asked for every entry)."""
    stat = nb.stat()
    return _inspected(str(nb), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _inspected(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    import papermill

    return frozenset(papermill.inspect_notebook(path))


def entry_notebooks() -> list[Path]:
    """Notebooks run once per department-year: their parameters cell declares ``department``."""
    found = [nb for nb in notebooks() if "department" in _parameter_names(nb)]
    if not found:
        raise BudgetkitError("no notebook with a 'department' parameter", file=str(notebooks_dir()))
    return found


def run_notebooks() -> list[Path]:
    """Notebooks run once per run over its output folder: they declare ``run_dir`` (e.g. the summary)."""
    return [nb for nb in notebooks() if {"run_dir"} <= _parameter_names(nb) - {"department"}]


def _runs_this_python(argv: list[str]) -> bool:
    exe = argv[0] if argv else ""
    if exe in ("python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
        return True  # jupyter_client substitutes the current interpreter for these
    return os.path.abspath(exe) == os.path.abspath(sys.executable) or \
        Path(exe).parent.absolute() == (Path(sys.prefix) / "bin").absolute()


def kernel_name() -> str:
    """'budgetkit' when registered for this interpreter, else python3 when that is this interpreter,
    else register 'budgetkit' into this environment (sys.prefix) and use it."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    for name in (KERNEL, "python3"):
        try:
            if _runs_this_python(ksm.get_kernel_spec(name).argv):
                return name
        except NoSuchKernel:
            continue
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL, display_name="Python (budgetkit)", prefix=sys.prefix)
    print(f"registered Jupyter kernel '{KERNEL}' in {sys.prefix}", file=sys.stderr)
    return KERNEL


# ---------------------------------------------------------------- one entry


def _recorded_department(params: RunParams) -> tuple[str, str, str] | None:
    """(name, code, template) as the dataset's metadata records them; None when unreadable (the notebook says why)."""
    try:
        meta = json.loads((params.dataset_dir() / "metadata.json").read_text(encoding="utf-8"))
        return str(meta["department"]["name"]), str(meta["department"]["code"]), str(meta.get("template", ""))
    except (OSError, ValueError, KeyError, TypeError, BudgetkitError):
        return None


def _code_mismatch(params: RunParams, recorded: tuple[str, str] | None) -> dict | None:
    """A params file naming a department code the dataset does not have: the entry fails before any notebook."""
    if not params.department_code or recorded is None or recorded[1] == params.department_code:
        return None
    return {"notebook": "params", "cell_index": None, "execution_count": None, "cell_source": "",
            "ename": "DepartmentCodeMismatch",
            "evalue": f"{params.source}: department_code \"{params.department_code}\" but the dataset records "
                      f"\"{recorded[1]}\" ({recorded[0]})"}


def findings_json(params: RunParams) -> str:
    """The name of the entry's findings JSON ('<slug>-<year>-findings.json')."""
    return export_names(params.department, params.year)["json"]


def _counts(folder: Path, name: str) -> dict:
    """Counts for the summary, from the entry's findings JSON (never checked again here)."""
    report = json.loads((folder / name).read_text(encoding="utf-8"))
    by_rule: dict[str, int] = {}
    severity = {s: 0 for s in SEVERITIES}
    for f in report["findings"]:
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
        severity[f["severity"]] += 1
    status: dict[str, int] = {}
    for r in report["rules"]:
        status[r["status"]] = status.get(r["status"], 0) + 1
    return {"findings_by_severity": severity,
            "rules_by_status": status, "findings_by_rule": dict(sorted(by_rule.items()))}


def _failure_from(exc: BaseException, notebook: str) -> dict:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first = next((ln.strip() for ln in (exc.source or "").splitlines() if ln.strip()), "")
        return {"notebook": notebook, "cell_index": exc.cell_index, "execution_count": exc.exec_count,
                "cell_source": first, "ename": exc.ename, "evalue": str(exc.evalue).splitlines()[0]
                if exc.evalue else ""}
    text = str(exc).splitlines()[0] if str(exc) else ""
    return {"notebook": notebook, "cell_index": None, "execution_count": None, "cell_source": "",
            "ename": exc.__class__.__name__, "evalue": text}


def describe_failure(failed: dict) -> str:
    """One line: which notebook and cell failed, and why."""
    where = failed.get("notebook") or "run"
    if failed.get("cell_index") is not None:
        where += f" cell {failed['cell_index']}"
        if failed.get("cell_source"):
            where += f" [{failed['cell_source']}]"
    return f"{where}: {failed.get('ename')}: {failed.get('evalue')}"


def run_entry(params: RunParams, out: Path, kernel: str, notebook_paths: list[Path] | None = None) -> dict:
    """Execute every notebook for one department-year into ``out/<slug>``; never raises for a failed run."""
    import papermill

    start = time.monotonic()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / params.slug
    tmp = Path(tempfile.mkdtemp(prefix=f".{params.slug}.tmp-", dir=out))
    share_like_umask(tmp, folder=True)
    recorded = _recorded_department(params)
    result = {"slug": params.slug, "department": params.department,
              "department_name": recorded[0] if recorded else "", "year": params.year,
              "template": recorded[2] if recorded else "",
              "params": params.source, "status": "ok", "failed": None,
              "findings_by_severity": {}, "rules_by_status": {}, "findings_by_rule": {}, "outputs": []}
    result["failed"] = _code_mismatch(params, recorded)
    try:
        for nb in [] if result["failed"] else notebook_paths or entry_notebooks():
            executed = tmp / nb.name
            parameters = params.notebook_parameters()
            if "outputs" in _parameter_names(nb):
                parameters["outputs"] = str(tmp)
            done = None
            try:
                done = papermill.execute_notebook(str(nb), str(executed), parameters=parameters,
                                           kernel_name=kernel, cwd=str(project_root()), progress_bar=False,
                                           log_output=False, request_save_on_cell_execute=False,
                                           execution_timeout=CELL_TIMEOUT, config=kernel_config())
            except Exception as exc:  # the notebook failed: keep it (with its error) and report the cell
                result["failed"] = _failure_from(exc, nb.name)
            if executed.exists():
                notebook_html(executed, tmp / f"{nb.stem}.html", nb=done)
            if result["failed"]:
                break
        if not result["failed"]:
            try:
                if not (tmp / findings_json(params)).is_file():  # the notebooks did not write them: check here
                    from budgetkit.present import report

                    report.save(report.load(params.department, params.year, params.data_root), tmp)
                result.update(_counts(tmp, findings_json(params)))
            except Exception as exc:
                result["failed"] = _failure_from(exc, "findings")
        result["status"] = "failed" if result["failed"] else "ok"
        result["outputs"] = sorted(p.name for p in tmp.iterdir())
        result["duration_s"] = round(time.monotonic() - start, 1)
        (tmp / "run.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


# ---------------------------------------------------------------- the command


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _local_pool(workers: int):
    """``workers`` processes forked from this one once papermill and the page exporter are loaded, so no worker
    imports them again; a local Dask cluster cost more than a whole entry to start, stop and warm (measured:
    benchmarks/README.md, Goal 3)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import papermill  # noqa: F401  (inherited by the workers)

    from budgetkit.present.html import page_exporter

    page_exporter()
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def _progress(i: int, n: int, r: dict) -> str:
    if r["status"] == "ok":
        sev = r.get("findings_by_severity") or {}
        counts = " · ".join(f"{s} {sev.get(s, 0)}" for s in SEVERITIES)
        return f"[{i}/{n}] {r['slug']}: ok in {r.get('duration_s', 0)} s ({counts})"
    return f"[{i}/{n}] {r['slug']}: FAILED in {r.get('duration_s', 0)} s — {describe_failure(r['failed'])}"


def _crashed(p: RunParams, exc: BaseException) -> dict:
    return {"slug": p.slug, "department": p.department, "year": p.year, "params": p.source, "status": "failed",
            "failed": _failure_from(exc, "run")}


def _select(params_files: list[Path] | None, all_: bool) -> tuple[list[RunParams], list[tuple[str, str]]]:
    files = list(params_files or [])
    if all_:
        files += all_params_files()
    if not files:
        return [default_params()], []
    chosen: dict[str, RunParams] = {}
    invalid: list[tuple[str, str]] = []
    for f in files:
        try:
            p = load_params(f)
        except BudgetkitError as exc:
            invalid.append((str(f), exc.one_line()))
            continue
        chosen.setdefault(p.slug, p)
    return list(chosen.values()), invalid


def run(params_files: list[Path] | None, all_: bool = False, workers: int = 1, out: Path = Path("out")) -> int:
    """Run the notebooks for the chosen department-years; 0 all ok, 1 a run failed, 2 a params file was unusable."""
    out = Path(out)
    entries, invalid = _select(params_files, all_)
    for name, message in invalid:
        print(f"skipped {name}: {message}", file=sys.stderr)
    if not entries:
        raise BudgetkitError("no usable params file" + (f" ({invalid[0][1]})" if invalid else ""))
    kernel = kernel_name()
    per_entry = entry_notebooks()
    n = len(entries)
    workers = max(1, min(int(workers), n))
    where = scheduler_address() or f"{workers} worker(s)"
    print(f"running {n} department-year(s) with kernel '{kernel}' on {where} into {out}/", flush=True)
    results: list[dict] = []

    def record(i: int, p: RunParams, outcome) -> None:
        try:
            results.append(outcome())
        except Exception as exc:  # writing the outputs failed, or the worker died; the previous outputs stay
            results.append(_crashed(p, exc))
        print(_progress(i, n, results[-1]), flush=True)

    if workers == 1 and scheduler_address() is None:
        for i, p in enumerate(entries, start=1):
            print(f"[{i}/{n}] {p.slug}: running", flush=True)
            record(i, p, lambda p=p: run_entry(p, out, kernel, per_entry))
    elif scheduler_address() is None and _can_fork():  # local workers: forks of this process, imports inherited
        from concurrent.futures import as_completed

        with _local_pool(workers) as pool:
            futures = {pool.submit(run_entry, p, out.resolve(), kernel, per_entry): p for p in entries}
            for i, fut in enumerate(as_completed(futures), start=1):
                record(i, futures[fut], fut.result)
    else:  # the configured scheduler (BUDGETKIT_DASK_SCHEDULER), or a local Dask cluster where fork is missing
        from distributed import as_completed

        with dask_client(workers) as client:
            futures = {client.submit(run_entry, p, out.resolve(), kernel, per_entry, pure=False): p for p in entries}
            for i, fut in enumerate(as_completed(list(futures)), start=1):
                record(i, futures[fut], fut.result)
    write_run_summary(out, results)
    summary_failures = run_summary_notebooks(out, kernel)
    failed = [r for r in results if r["status"] != "ok"]
    print(f"{n - len(failed)} of {n} department-year(s) ok; summary: {out / 'summary.html'}", flush=True)
    for r in sorted(failed, key=lambda r: r["slug"]):
        print(f"failed: {r['slug']}: {describe_failure(r['failed'])}", file=sys.stderr)
    for f in summary_failures:
        print(f"failed: summary: {describe_failure(f)}", file=sys.stderr)
    if invalid:
        return EXIT_BAD_PARAMS
    return EXIT_FAILED if failed or summary_failures else EXIT_OK


def run_summary_notebooks(out: Path, kernel: str) -> list[dict]:
    """Execute the summary notebook(s) (a ``run_dir`` parameter) once over ``out``: ``<out>/<name>.ipynb/.html``.

    Each file is written to a temporary name first and then renamed, so a failed summary never
    leaves half a page in place of the last good one.
    """
    import papermill

    failures: list[dict] = []
    out = Path(out)
    for nb in run_notebooks():
        tmp = Path(tempfile.mkdtemp(prefix=".summary.tmp-", dir=out))
        try:
            executed = tmp / nb.name
            try:
                papermill.execute_notebook(str(nb), str(executed), parameters={"run_dir": str(out.resolve())},
                                           kernel_name=kernel, cwd=str(project_root()), progress_bar=False,
                                           log_output=False, request_save_on_cell_execute=False,
                                           execution_timeout=CELL_TIMEOUT, config=kernel_config())
            except Exception as exc:
                failures.append(_failure_from(exc, nb.name))
            if executed.exists():
                page = notebook_html(executed, tmp / f"{nb.stem}.html")
                write_file(out / page.name, lambda p: shutil.copyfile(page, p))
                write_file(out / nb.name, lambda p: shutil.copyfile(executed, p))
        except Exception as exc:
            failures.append(_failure_from(exc, f"{nb.stem}.html"))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"summary: {', '.join(f'{nb.stem}.html' for nb in run_notebooks())} in {out}/"
          + (" (FAILED)" if failures else ""), flush=True)
    return failures
