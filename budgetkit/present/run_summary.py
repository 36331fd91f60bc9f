"""The run summary across department-years: ``summary.json`` and a small ``summary.html``.

Entries from earlier runs into the same output folder are kept (one per slug), so
running department-years one at a time still builds the cross-department table.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from budgetkit.core.atomic import write_text
from budgetkit.core.findings import SEVERITIES, SEVERITY_CN

SUMMARY_FORMAT = "budgetkit-run-summary/1"


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




def write_summary(out: Path, results: list[dict], pages: list[str] | None = None) -> dict:
    """Write summary.json and summary.html into ``out``; return the summary.

    ``pages``: cross-department report pages (relative to ``out``) to link from summary.html.
    """
    out = Path(out)
    entries = _merged_entries(out, results)
    by_rule: dict[str, dict[str, int]] = {}
    for e in entries:
        for rule_id, n in (e.get("findings_by_rule") or {}).items():
            by_rule.setdefault(rule_id, {})[e["slug"]] = n
    summary = {"format": SUMMARY_FORMAT, "entries": entries,
               "findings_by_rule": {k: by_rule[k] for k in sorted(by_rule)}, "pages": list(pages or [])}
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    write_text(out / "summary.html", summary_html(summary))
    return summary


def _cell(value) -> str:
    return f"<td>{html.escape(str(value))}</td>"


def summary_html(summary: dict) -> str:
    """A self-contained page: one row per department-year, then findings by rule × department-year."""
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in
                   ["部门-年度", "状态", "用时（秒）", *(SEVERITY_CN[s] for s in SEVERITIES), "失败位置", "报告"])
    rows = []
    for en in summary["entries"]:
        sev = en.get("findings_by_severity") or {}
        failed = en.get("failed") or {}
        where = "" if not failed else f"{failed.get('notebook')} 单元格 {failed.get('cell_index')}: " \
                                      f"{failed.get('ename')}: {failed.get('evalue')}"
        links = " ".join(f'<a href="{e(en["slug"])}/{e(name)}">{e(name)}</a>'
                         for name in en.get("outputs", []) if name.endswith((".html", ".xlsx", ".csv", ".json")))
        status = "成功" if en.get("status") == "ok" else "失败"
        rows.append(f'<tr class="{e(str(en.get("status")))}">' + _cell(en["slug"]) + _cell(status)
                    + _cell(en.get("duration_s", "")) + "".join(_cell(sev.get(s, "")) for s in SEVERITIES)
                    + _cell(where) + f"<td>{links}</td></tr>")
    slugs = [en["slug"] for en in summary["entries"]]
    rule_head = "".join(f"<th>{e(s)}</th>" for s in slugs)
    rule_rows = "".join(
        f"<tr><td>{e(rule)}</td>" + "".join(_cell(counts.get(s, "")) for s in slugs) + "</tr>"
        for rule, counts in summary["findings_by_rule"].items())
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>budgetkit 运行汇总</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;margin-bottom:2em}}
td,th{{border:1px solid #999;padding:4px 8px}}tr.failed{{background:#fdd}}</style></head>
<body><h1>运行汇总</h1>
{''.join(f'<p>跨部门汇总：<a href="{e(p)}">{e(p)}</a></p>' for p in summary.get("pages", []))}
<h2>各部门-年度</h2>
<table id="entries"><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>
<h2>按规则统计的发现（条）</h2>
<table id="by-rule"><thead><tr><th>规则</th>{rule_head}</tr></thead><tbody>{rule_rows}</tbody></table>
</body></html>
"""
