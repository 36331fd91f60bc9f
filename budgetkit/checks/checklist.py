"""The disclosure inspection checklist (公开情况检查表), filled from the rule results.

One row per item of the format's checklist (``checklist:`` in the template): 及时性, 封面, 目录, each
section, each table by its printed title. An item is 否 when any error or warning concerns it
(its problems, one line each, with location and numbers), 是 when the rules concerning it ran and
passed on it (any that could not run are listed beside it), and 未核对 when none could run or the
item's own evidence is missing (no publication date, an optional section not published) — never 是
by default.

Which findings concern an item: a table's, those naming the table (``Finding.table``, several for
a cross-table finding); a section's, the completeness findings naming the section and the narrative
and text findings anchored in its part of the narrative.
"""

from __future__ import annotations

from budgetkit.checks.registry import Rule
from budgetkit.core.findings import ChecklistItem, CheckReport, Finding, RuleResult
from budgetkit.core.model import Disclosure
from budgetkit.core.template import Template

YES, NO, UNCHECKED = "是", "否", "未核对"
SCOPE_CN = {"department": "部门", "unit": "单位"}
#: rules that concern every table (present, declared, named, numbered alike)
TABLE_WIDE = ("completeness.all_tables_present", "completeness.empty_declared", "completeness.same_department",
              "completeness.same_year", "completeness.same_unit", "extraction.ambiguity")
#: the rule that answers each item that is not a section or a table
ITEM_RULES = {"cover": ("document.cover",), "toc": ("document.toc_matches",), "timeliness": ()}
TABLE_FAMILIES = ("within", "cross", "completeness", "extraction")


def title(template: Template, disclosure: Disclosure) -> str:
    """'2024年度部门预算公开情况检查表'."""
    scope = SCOPE_CN.get(disclosure.meta.scope or template.scope, "部门")
    return template.checklist.get("title", "{year}年度公开情况检查表").format(year=disclosure.meta.year, scope=scope)


def _problem(f: Finding) -> str:
    """One line: where and what (the message alone when it already says where)."""
    said = f.location.replace(" / ", " ") if f.location else ""
    return f.message if not said or said in f.message else f"{f.location}：{f.message}"


def _judge(item: str, rule_ids: list[str], findings: list[Finding], status: dict[str, RuleResult],
           extra_unchecked: list[str] = ()) -> ChecklistItem:
    """否 with the problems; 是 when rules concerning the item ran and passed (what they could not check is
    listed with it); 未核对 when none ran, with why (each rule's reason, or the item's own).
    ``status``: each rule's result by id."""
    problems = [_problem(f) for f in findings if f.severity in ("error", "warning")]
    ran = [r for r in rule_ids if r in status and status[r].status in ("pass", "fail")]
    unchecked = [f"{r}：{status[r].reason}" for r in rule_ids
                 if r in status and status[r].status == "insufficient_data"] + list(extra_unchecked)
    if problems:
        return ChecklistItem(item, NO, problems, unchecked)
    if ran and not extra_unchecked:
        return ChecklistItem(item, YES, [], unchecked)
    if not unchecked:  # nothing could run: say why each rule did not apply
        unchecked = list(dict.fromkeys(status[r].reason for r in rule_ids if r in status and status[r].reason))
    return ChecklistItem(item, UNCHECKED, [], unchecked or ["没有可核对此项的规则结果"])


def _by_table(findings: list[Finding], families: dict[str, str]) -> dict[str, list[Finding]]:
    """The table families' findings under each table they name (``Finding.table``: 'T1' or 'T1/T3'), in report order."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        if f.table and families.get(f.rule) in TABLE_FAMILIES:
            for table_id in dict.fromkeys(f.table.split("/")):
                out.setdefault(table_id, []).append(f)
    return out


def build(report: CheckReport, disclosure: Disclosure, template: Template, rules: list[Rule]) -> list[ChecklistItem]:
    """The checklist of one department-year, from its report (the engine's results) and its format's rules."""
    narrative = disclosure.narrative
    findings = report.findings
    status = {r.rule: r for r in report.results}
    families = {r.id: r.family for r in rules}
    out: list[ChecklistItem] = []
    for spec_item in template.checklist.get("items", ()):
        if spec_item.get("tables") == "all":
            by_table = _by_table(findings, families)
            for spec in template.tables:
                rule_ids = [r.id for r in rules if spec.role in r.tables and r.family in TABLE_FAMILIES]
                rule_ids += list(TABLE_WIDE)
                out.append(_judge(f"{spec.label} {spec.title}", rule_ids, by_table.get(spec.id, []), status))
            continue
        name = spec_item["item"]
        if "section" in spec_item:
            key = spec_item["section"]
            section = template.section(key) or {}
            rule_ids = ["document.sections_present"]
            mine = [f for f in findings if f.rule == "document.sections_present"
                    and f.location == section.get("title")]
            extra = []
            if section.get("narrative"):
                rule_ids += [r.id for r in rules if r.family in ("narrative", "text")]
                mine += [f for f in findings if f.anchor is not None and narrative is not None
                         and _part(narrative, f.anchor) == key]
                if narrative is None and key in disclosure.meta.sections:
                    extra.append("没有读到该部分的文字")
            if key not in disclosure.meta.sections and section.get("optional") and not mine:
                out.append(ChecklistItem(name, UNCHECKED, [], ["本文件未公开此部分（格式允许不公开）"]))
                continue
            out.append(_judge(name, rule_ids, mine, status, extra))
            continue
        check = spec_item.get("check")
        rule_ids = list(ITEM_RULES.get(check, ())) or [r.id for r in rules if r.family == check]
        mine = [f for f in findings if f.rule in rule_ids]
        extra = ["公开文件中没有公开日期，须对照公开时间人工核对"] if check == "timeliness" else []
        out.append(_judge(name, rule_ids, mine, status, extra))
    return out


def _part(narrative, offset: int) -> str:
    """The document section of a narrative offset; a narrative with no recorded parts is the explanation."""
    return narrative.part_at(offset) or ("explanation" if not narrative.parts else "")
