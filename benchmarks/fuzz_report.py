"""Run the fuzz suite (tests/test_fuzz_*.py) and print how many cases ran and which errors they met.

    .venv/bin/python benchmarks/fuzz_report.py [--json]

The counts come from the tests themselves (``tests/fuzz_damage.RECORD``, merged into a
temporary JSON file through ``BUDGETKIT_FUZZ_REPORT``), so they are the cases CI runs:
the strategies are derandomized and the numbers repeat from run to run. A traceback
anywhere would be a failed test; the exit code is pytest's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "fuzz.json"
        env = {**os.environ, "BUDGETKIT_FUZZ_REPORT": str(report)}
        tests = sorted(str(p) for p in (ROOT / "tests").glob("test_fuzz_*.py"))
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=ROOT,
                              env=env, capture_output=True, text=True)
        data = json.loads(report.read_text("utf-8")) if report.is_file() else {}
    cases, outcomes, errors, messages = (Counter(data.get(k, {})) for k in ("cases", "outcomes", "errors",
                                                                             "messages"))
    summary = {
        "pytest_exit_code": proc.returncode,
        "pytest_summary": proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "",
        "all_properties_held": proc.returncode == 0,
        "cases_total": sum(cases.values()),
        "cases_by_test": dict(sorted(cases.items())),
        "outcomes": dict(sorted(outcomes.items())),
        "one_line_errors_total": sum(errors.values()),
        "distinct_error_messages": len(messages),
        "distinct_error_kinds": len(errors),
        "errors": dict(errors.most_common()),
    }
    if "--json" in sys.argv:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        print(f"pytest: {summary['pytest_summary']} (exit {proc.returncode})")
        print(f"fuzz cases run: {summary['cases_total']}")
        for name, n in summary["cases_by_test"].items():
            detail = ", ".join(f"{k.split(':', 1)[1]} {v}" for k, v in summary["outcomes"].items()
                               if k.startswith(name + ":"))
            print(f"  {name:16} {n:4}  ({detail})")
        print(f"one-line errors: {summary['one_line_errors_total']}, distinct messages: "
              f"{summary['distinct_error_messages']}, distinct kinds (file names dropped, numbers as N, "
              f"quoted values as '…'): {summary['distinct_error_kinds']}")
        for msg, n in summary["errors"].items():
            print(f"  {n:4}  {msg}")
        if proc.returncode:
            print(proc.stdout[-4000:])
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
