"""Text rules (family ``text``): the checks of this package as registered rules, one per check.

The checks run once per narrative (``find_text_problems``, which reports a slip once even where two
checks see it); each rule reports the problems of its own check, located by section and sentence.
"""

from __future__ import annotations

import bisect
import re

from budgetkit.checks.registry import VIOLATION, Context, InsufficientData, rule
from budgetkit.checks.text import TextFacts, TextProblem, find_text_problems
from budgetkit.core.findings import Finding
from budgetkit.core.model import column_list

FAMILY = "text"

#: check id → (规则名称, description); severity warning unless said
RULES = {
    "empty_reason": ("原因为空", "说明了增减的“主要原因是…”不能为空（如“主要原因是。”）"),
    "truncated_reason": ("原因不完整", "原因表述不能只剩连接词或半句（如“主要原因是由于。”）"),
    "template_phrase": ("模板用语未修改", "不得保留模板中的选择项或占位符（如“增加（减少）”“XX局”“××”“（此处…）”）"),
    "doubled_punctuation": ("标点重复", "不得出现重复的标点（如“。。”“，，”）"),
    "missing_end_punctuation": ("句末缺标点", "成段的文字须以句号等标点结束"),
    "unbalanced_brackets": ("引号括号不成对", "引号、括号、书名号须成对（“ ” （ ） 《 》 【 】）"),
    "kind_misnamed": ("文件类型名称不符", "部门预算中不写作单位预算、单位预算中不写作部门预算，预算与决算不混称"),
    "class_name_mismatch": ("功能分类名称不符", "说明中的功能分类名称与表格及现行科目一致（不用改革前的旧名称）"),
    "department_name_mismatch": ("部门名称不符", "说明中自称的部门名称与封面一致"),
    "year_mismatch": ("年度不符", "标题和时点中的年度与本文件的年度一致"),
    "conflicting_amounts": ("同段金额矛盾", "同一段落中同一事项、同一年度的金额前后一致"),
}
ERRORS = {"conflicting_amounts"}
_SPACE = re.compile(r"\s+")


def facts_of(ctx: Context) -> TextFacts:
    """What the text checks need to know about the document: year, kind, scope, name, class names of its tables."""
    d, template = ctx.disclosure, ctx.template
    shortest = min(template.functional_code_lengths)
    names: dict[str, str] = {}
    for spec in template.tables:
        table = d.tables.get(spec.id)
        if table is None or not spec.layout.startswith("functional"):
            continue
        for frame in map(table.view, table.parts):
            if "code" not in frame.columns or "name" not in frame.columns:
                continue
            for code, name in zip(column_list(frame, "code"), column_list(frame, "name")):  # plain lists: every row is read
                code = _SPACE.sub("", str(code))
                if len(code) == shortest and code.isdigit() and str(name).strip():
                    names.setdefault(code, _SPACE.sub("", str(name)))
    return TextFacts(year=d.meta.year, kind=template.kind, scope=d.meta.scope or template.scope,
                     department=d.meta.department, table_class_names=names)


def problems_of(ctx: Context) -> list[TextProblem]:
    narrative = ctx.disclosure.narrative
    if narrative is None or not narrative.text.strip():
        raise InsufficientData("没有情况说明文本")
    if "text_problems" not in ctx.cache:
        ctx.cache["text_problems"] = find_text_problems(narrative.text, facts_of(ctx))
    return ctx.cache["text_problems"]


def where(ctx: Context, p: TextProblem) -> str:
    """Section and sentence of a problem, with the words as printed."""
    narrative = ctx.disclosure.narrative
    starts = [s.start for s in narrative.sentences]
    k = bisect.bisect_right(starts, p.start) - 1
    if k < 0:
        return f"{narrative.name}：“{p.excerpt}”"
    s = narrative.sentences[k]
    line = f"，原文第{s.line}{narrative.line_unit}" if s.line else ""
    section = f"{s.section}、" if s.section else ""
    return f"{narrative.name} {section}第{s.index + 1}句{line}：“{p.excerpt}”"


def _check(check_id: str):
    def check(ctx: Context) -> list[Finding]:
        return [ctx.finding(VIOLATION, "narrative", where(ctx, p), p.expected, p.actual, "", p.message, anchor=p.start)
                for p in problems_of(ctx) if p.check == check_id]

    check.__name__ = f"text_{check_id}"
    return check


for _id, (_name, _description) in RULES.items():
    rule(f"text.{_id}", _name, _description, family=FAMILY,
         severity="error" if _id in ERRORS else "warning")(_check(_id))
