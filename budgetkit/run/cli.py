"""The ``budgetkit`` command: extract, check, run (SPEC section 4).

Unusable input ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path

from budgetkit.core.errors import BudgetkitError

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 2, 70


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="budgetkit", description="Audit department budget disclosures (部门预算公开).")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="parse a disclosure (.txt/.pdf) into a canonical dataset folder")
    e.add_argument("source", type=Path)
    e.add_argument("--out", type=Path, required=True, help="dataset folder to write, e.g. data/<slug>/<year>")
    e.add_argument("--force", action="store_true", help="replace an existing dataset (hand corrections are lost)")
    e.add_argument("--slug", help="ASCII department slug (default: pinyin of the department name)")

    c = sub.add_parser("check", help="run every rule on a disclosure, a dataset folder, or a folder of datasets")
    c.add_argument("sources", type=Path, nargs="+", metavar="SOURCE")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.add_argument("--prior", type=Path, help="prior-year dataset folder for year-over-year checks")
    c.add_argument("--excel", type=Path, help="also write the findings to this .xlsx file")
    c.add_argument("--csv", type=Path, help="also write the findings to this .csv file")
    c.add_argument("--workers", type=int, default=1, help="parallel workers for many datasets (Dask)")

    r = sub.add_parser("run", help="execute the auditor notebooks with papermill")
    r.add_argument("params", type=Path, nargs="*", metavar="PARAMS.yaml")
    r.add_argument("--all", action="store_true", help="every params/*.yaml")
    r.add_argument("--workers", type=int, default=1)
    r.add_argument("--out", type=Path, default=Path("out"))
    return p


_collector_paused = False  # set by ``command`` until the command's libraries are loaded


def _libraries_loaded() -> None:
    """Resume collecting, with what the imports made frozen: out of every later collection, never reclaimed.

    The console script (``command``) pauses the collector while a command imports pandas and
    the rules: those imports leave a few hundred thousand objects that live until exit, and a
    collection every few hundred allocations walks them again and again (about a tenth of a
    one-disclosure check). Called in-process (``main``), the collector is left as it is.
    """
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.freeze()
        gc.enable()


def _cmd_extract(args) -> int:
    from budgetkit.extract import extract

    _libraries_loaded()

    out = args.out
    if out.exists() and args.force:
        existing = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
        print(f"--force: replacing {len(existing)} files in {out}: {', '.join(existing)}", file=sys.stderr)
    disclosure, _ = extract(args.source, out, force=args.force, slug=args.slug)
    n_tables = len(disclosure.tables)
    print(f"{out}: {disclosure.meta.department} {disclosure.meta.year}: {n_tables} tables, "
          f"{len(disclosure.forms)} performance forms, "
          f"{len(disclosure.narrative.sentences) if disclosure.narrative else 0} narrative sentences, "
          f"{len(disclosure.notes)} extraction notes")
    return EXIT_OK


def load_any(source: Path, *, require_tables: bool = False):
    """A dataset folder (metadata.json) or a .txt/.pdf disclosure, complete or partial."""
    from budgetkit.dataset.store import load_dataset
    from budgetkit.extract import parse_source

    if source.is_dir():
        return load_dataset(source)
    return parse_source(source, require_tables=require_tables)


def _cmd_check(args) -> int:
    from budgetkit.checks import run_rules

    _libraries_loaded()

    if len(args.sources) > 1 or (args.sources[0].is_dir() and not (args.sources[0] / "metadata.json").exists()):
        from budgetkit.batch.check import check_many

        _libraries_loaded()
        return check_many(args.sources, as_json=args.json, workers=args.workers, excel=args.excel, csv=args.csv)
    source = args.sources[0]
    disclosure = load_any(source)
    prior = load_any(args.prior) if args.prior else None
    report = run_rules(disclosure, prior=prior, source=str(source))
    from budgetkit.present import export

    if args.excel:
        export.findings_to_excel(report, args.excel, disclosure.meta)
    if args.csv:
        export.findings_to_csv(report, args.csv)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(export.format_findings_text(report))
    return EXIT_OK


def _cmd_run(args) -> int:
    from budgetkit.run.runner import run

    _libraries_loaded()
    return run(args.params or None, all_=args.all, workers=args.workers, out=args.out)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = {"extract": _cmd_extract, "check": _cmd_check, "run": _cmd_run}[args.command]
    try:
        return handler(args)
    except BudgetkitError as exc:
        print(f"budgetkit {args.command}: {exc.one_line()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"budgetkit {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and friends: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug: one line for users, the traceback with BUDGETKIT_DEBUG=1
        if os.environ.get("BUDGETKIT_DEBUG"):
            raise
        msg = str(exc).splitlines()[0] if str(exc) else ""
        print(f"budgetkit {args.command}: internal error ({exc.__class__.__name__}: {msg}); "
              "rerun with BUDGETKIT_DEBUG=1 and report it", file=sys.stderr)
        return EXIT_INTERNAL


def command() -> int:
    """The console script: ``main`` with the collector paused until the command's libraries are loaded."""
    global _collector_paused
    was_enabled = gc.isenabled()
    _collector_paused = True
    gc.disable()
    try:
        return main()
    finally:
        _collector_paused = False
        if was_enabled:
            gc.enable()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(command())
