"""Document rules: the disclosure's own structure — every section of the format printed, the 目录 listing
what the document prints (no more, no less), the cover naming the department, the year and the kind.
"""

from __future__ import annotations

from budgetkit.checks.registry import VIOLATION, InsufficientData, rule
from budgetkit.core.words import squash


@rule("document.sections_present", "各部分齐全", "格式规定的各部分（主要职能、机构设置、名词解释、编制说明等）均已公开",
      family="document")
def sections_present(ctx):
    found = ctx.disclosure.meta.sections
    if not found:
        raise InsufficientData("源文件未记录其各部分（旧数据集或节选），无法核对")
    return [ctx.finding(VIOLATION, "", s["title"], "有", "缺", "", f"缺少“{s['title']}”部分")
            for s in ctx.template.sections if s["key"] not in found and not s.get("optional")]


@rule("document.toc_matches", "目录与正文一致", "目录列出的各部分和各表与正文实际公开的一致（不多列、不漏列）",
      family="document")
def toc_matches(ctx):
    toc = ctx.disclosure.meta.toc
    if not toc:
        raise InsufficientData("源文件中没有目录")
    listed_tables, listed_sections = set(), set()
    findings = []
    for entry in toc:
        spec = ctx.template.spec_for_title(entry)
        if spec is not None:
            listed_tables.add(spec.id)
            if spec.id not in ctx.disclosure.tables:
                findings.append(ctx.finding(VIOLATION, spec.id, f"目录“{entry}”", "正文有此表", "正文没有", "",
                                            f"目录列出《{spec.title}》，但正文中没有这张表"))
            continue
        for s in ctx.template.sections:
            if any(squash(n) in squash(entry) for n in (s["title"], *s.get("aliases", ()))):
                listed_sections.add(s["key"])
                if s["key"] not in ctx.disclosure.meta.sections and ctx.disclosure.meta.sections:
                    findings.append(ctx.finding(VIOLATION, "", f"目录“{entry}”", "正文有此部分", "正文没有", "",
                                                f"目录列出“{entry}”，但正文中没有这一部分"))
    for table_id, table in ctx.disclosure.tables.items():
        if table_id not in listed_tables:
            spec = ctx.template.table(table_id)
            findings.append(ctx.finding(VIOLATION, table_id, "目录", "列出", "未列出", "",
                                        f"正文有{spec.label}《{spec.title}》，但目录中没有列出"))
    for key in ctx.disclosure.meta.sections:
        s = ctx.template.section(key)
        if s is not None and key not in listed_sections:
            findings.append(ctx.finding(VIOLATION, "", "目录", "列出", "未列出", "",
                                        f"正文有“{s['title']}”部分，但目录中没有列出"))
    return findings


@rule("document.cover", "封面信息完整", "封面写明部门（单位）名称、年度和文件类别（预算/决算）", family="document")
def cover(ctx):
    lines = ctx.disclosure.meta.cover
    if not lines:
        raise InsufficientData("源文件中没有封面")
    text = squash("".join(lines))
    meta = ctx.disclosure.meta
    kind = {"budget": "预算", "final_accounts": "决算"}[ctx.template.kind]
    missing = [(what, value) for what, value in (("部门名称", meta.department), ("年度", f"{meta.year}年"),
                                                 ("文件类别", kind)) if value and squash(value) not in text]
    return [ctx.finding(VIOLATION, "", "封面", value, "未写明", "", f"封面没有写明{what}“{value}”")
            for what, value in missing]
