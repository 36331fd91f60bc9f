"""What a run writes: ``<out>/summary.json``, one entry per department-year (entries from earlier runs into
the same folder are kept, one per slug). Written by the runner and by the sample run; read by ``summary``."""

from __future__ import annotations

import json
from pathlib import Path

from budgetkit.core.atomic import write_text

SUMMARY_FORMAT = "budgetkit-run-summary/2"


def _merged_entries(out: Path, results: list[dict]) -> list[dict]:
    entries: dict[str, dict] = {}
    path = out / "summary.json"
    if path.is_file():
        try:
            entries = {e["slug"]: e for e in json.loads(path.read_text(encoding="utf-8")).get("entries", [])}
        except (ValueError, KeyError, TypeError, AttributeError):
            entries = {}  # an unreadable old summary is rebuilt from this run
    for r in results:
        entries[r["slug"]] = r
    return [entries[k] for k in sorted(entries)]


def write_run_summary(out: Path, results: list[dict]) -> dict:
    """Write ``summary.json`` into ``out`` (this run's entries merged with earlier ones); return it."""
    out = Path(out)
    entries = _merged_entries(out, results)
    by_rule: dict[str, dict[str, int]] = {}
    for e in entries:
        for rule_id, n in (e.get("findings_by_rule") or {}).items():
            by_rule.setdefault(rule_id, {})[e["slug"]] = n
    summary = {"format": SUMMARY_FORMAT, "entries": entries,
               "findings_by_rule": {k: by_rule[k] for k in sorted(by_rule)}}
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    return summary
