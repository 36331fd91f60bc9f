"""``budgetkit run``: execute the auditor notebooks with papermill for one or many department-years.

Per department-year ``<out>/<slug>-<year>/`` receives the executed notebooks, an
HTML report per notebook with the code hidden, ``findings.json`` / ``.csv`` / ``.xlsx``,
``tables.xlsx`` (reproduced tables in printed layout) and ``run.json`` (status,
duration, findings by severity, the failing cell).
Everything is first written to a temporary sibling folder that then takes the
entry's place, so a re-run replaces exactly that entry's outputs, whole.
``<out>/summary.json`` / ``summary.html`` collect every entry ever run into that
folder (findings by severity per department-year and by rule across them).
One failing entry never stops the others; the exit code says whether any failed.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from budgetkit.core.atomic import replace_dir, share_like_umask
from budgetkit.batch.distributed import dask_client, scheduler_address
from budgetkit.core.errors import BudgetkitError
from budgetkit.core.findings import SEVERITIES
from budgetkit.run.params import RunParams, all_params_files, default_params, load_params
from budgetkit.dataset.paths import project_root
from budgetkit.present.run_summary import write_summary

KERNEL = "budgetkit"
EXIT_OK, EXIT_FAILED, EXIT_BAD_PARAMS = 0, 1, 2
CELL_TIMEOUT = 600  # seconds one cell may run before the entry counts as failed
SUMMARY_DIR = "_summary"  # cross-department notebooks' outputs ('_' never starts a slug)


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
    import papermill

    return set(papermill.inspect_notebook(str(nb)))


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


#: The lab template without the two CDN scripts (require.js, MathJax): the report opens offline.
_HTML_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}
<style>body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei",
 sans-serif; } .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { text-align: left; }</style>
{%- endblock html_head_js_mathjax -%}
"""


def notebook_html(executed: Path, target: Path) -> Path:
    """The executed notebook as a self-contained HTML page with the code hidden (images embedded)."""
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file="budgetkit_report.html.j2",
                            extra_loaders=[DictLoader({"budgetkit_report.html.j2": _HTML_TEMPLATE})],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    nb = nbformat.read(str(executed), as_version=4)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": executed.stem}})
    target.write_text(body, encoding="utf-8")
    return target


def _findings(params: RunParams, folder: Path) -> dict:
    """findings.json/.csv/.xlsx and tables.xlsx of the entry (same checks as the notebook); counts for the summary."""
    from budgetkit.present import export
    from budgetkit.present.report import load

    audit = load(params.department, params.year, params.data_root)  # with the prior year when there is one
    report = audit.checks
    export.findings_to_json(report, folder / "findings.json")
    export.findings_to_csv(report, folder / "findings.csv")
    export.findings_to_excel(report, folder / "findings.xlsx")
    export.reproduced_to_excel(audit.disclosure, folder / "tables.xlsx")
    by_rule: dict[str, int] = {}
    for f in report.findings:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    counts = report.counts()
    return {"findings_by_severity": counts["severity"], "rules_by_status": counts["status"],
            "findings_by_rule": dict(sorted(by_rule.items()))}


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
    result = {"slug": params.slug, "department": params.department, "year": params.year,
              "params": params.source, "status": "ok", "failed": None,
              "findings_by_severity": {}, "rules_by_status": {}, "findings_by_rule": {}, "outputs": []}
    try:
        for nb in notebook_paths or entry_notebooks():
            executed = tmp / nb.name
            try:
                papermill.execute_notebook(str(nb), str(executed), parameters=params.notebook_parameters(),
                                           kernel_name=kernel, cwd=str(project_root()), progress_bar=False,
                                           log_output=False, request_save_on_cell_execute=False,
                                           execution_timeout=CELL_TIMEOUT)
            except Exception as exc:  # the notebook failed: keep it (with its error) and report the cell
                result["failed"] = _failure_from(exc, nb.name)
            if executed.exists():
                notebook_html(executed, tmp / f"{nb.stem}.html")
            if result["failed"]:
                break
        if not result["failed"]:
            try:
                result.update(_findings(params, tmp))
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
    if workers == 1 and scheduler_address() is None:
        for i, p in enumerate(entries, start=1):
            print(f"[{i}/{n}] {p.slug}: running", flush=True)
            try:
                results.append(run_entry(p, out, kernel, per_entry))
            except Exception as exc:  # writing the outputs failed; the previous outputs stay in place
                results.append(_crashed(p, exc))
            print(_progress(i, n, results[-1]), flush=True)
    else:  # a local Dask cluster, or the configured scheduler (BUDGETKIT_DASK_SCHEDULER)
        from distributed import as_completed

        with dask_client(workers) as client:
            futures = {client.submit(run_entry, p, out.resolve(), kernel, per_entry, pure=False): p for p in entries}
            for i, fut in enumerate(as_completed(list(futures)), start=1):
                p = futures[fut]
                try:
                    results.append(fut.result())
                except Exception as exc:  # writing the outputs failed, or the worker died
                    results.append(_crashed(p, exc))
                print(_progress(i, n, results[-1]), flush=True)
    summary_failures = run_summary_notebooks(out, kernel)
    pages = sorted(f"{SUMMARY_DIR}/{p.name}" for p in (out / SUMMARY_DIR).glob("*.html")) \
        if (out / SUMMARY_DIR).is_dir() else []
    write_summary(out, results, pages)
    failed = [r for r in results if r["status"] != "ok"]
    print(f"{n - len(failed)} of {n} department-year(s) ok; summary: {out / 'summary.html'}", flush=True)
    for r in sorted(failed, key=lambda r: r["slug"]):
        print(f"failed: {r['slug']}: {describe_failure(r['failed'])}", file=sys.stderr)
    for f in summary_failures:
        print(f"failed: {SUMMARY_DIR}: {describe_failure(f)}", file=sys.stderr)
    if invalid:
        return EXIT_BAD_PARAMS
    return EXIT_FAILED if failed or summary_failures else EXIT_OK


def run_summary_notebooks(out: Path, kernel: str) -> list[dict]:
    """Execute the cross-department notebooks (``run_dir`` parameter) once over ``out`` into ``out/_summary/``."""
    import papermill

    nbs = run_notebooks()
    if not nbs:
        return []
    failures: list[dict] = []
    tmp = Path(tempfile.mkdtemp(prefix=f".{SUMMARY_DIR}.tmp-", dir=out))
    share_like_umask(tmp, folder=True)
    try:
        for nb in nbs:
            executed = tmp / nb.name
            try:
                papermill.execute_notebook(str(nb), str(executed), parameters={"run_dir": str(Path(out).resolve())},
                                           kernel_name=kernel, cwd=str(project_root()), progress_bar=False,
                                           log_output=False, request_save_on_cell_execute=False,
                                           execution_timeout=CELL_TIMEOUT)
            except Exception as exc:
                failures.append(_failure_from(exc, nb.name))
            try:
                if executed.exists():
                    notebook_html(executed, tmp / f"{nb.stem}.html")
            except Exception as exc:
                failures.append(_failure_from(exc, f"{nb.stem}.html"))
        replace_dir(tmp, Path(out) / SUMMARY_DIR)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(f"cross-department notebook(s): {', '.join(nb.name for nb in nbs)} → {Path(out) / SUMMARY_DIR}/"
          + (" (FAILED)" if failures else ""), flush=True)
    return failures
