"""Template text that was never edited: "增加（减少）", "XX局", "XXX万元", "（如持平作持平表述）".

Disclosures are written by filling in a template; review sheets flag every
spot where the template's alternatives, blanks or notes to the writer survive
into the published text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from budgetkit.checks.text.model import TextFacts, TextProblem
from budgetkit.checks.text.text import Problems, paragraphs
from budgetkit.checks.text.vocab import phrases


@lru_cache(maxsize=1)
def _patterns():
    t = phrases()["template"]
    alts = []
    for a, b in t["alternatives"]:
        for x, y in ((a, b), (b, a)):
            alts.append((x, y, re.compile(rf"{x}\s*(?:[（(]\s*(?:或)?\s*{y}\s*[）)]|[/／]\s*{y})")))
    chars = re.escape(t["placeholder_chars"])
    # not part of a model number or code ("ABC-XX100", "XXL"); "20XX年" is a blank year. What may not come
    # before the letters is asked after the first is read: a pattern opening on a character class is searched
    # for that class alone, instead of trying the look-behind at every character of the text
    run = rf"[{chars}](?<![A-Za-zＡ-Ｚａ-ｚ\-_/][{chars}])[{chars}]+(?![A-Za-zＡ-Ｚａ-ｚ0-9０-９\-_])"
    units = "|".join(map(re.escape, sorted(t["placeholder_single_before"], key=len, reverse=True)))
    single = rf"[{chars}](?<![A-Za-zＡ-Ｚａ-ｚ0-9０-９{chars}][{chars}])(?=\s*(?:{units}))"
    bracket = re.compile(r"[（(][^（()）\n]{1,60}[）)]")
    instructions = [re.compile(re.escape(phrase)) for phrase in t["instruction_sentences"]]
    return alts, re.compile(run), re.compile(single), bracket, t, instructions


def check_template_phrases(text: str, facts: TextFacts) -> list[TextProblem]:
    """Alternatives left side by side, placeholder letters, notes to the writer."""
    alts, run, single, bracket, t, instructions = _patterns()
    paras = paragraphs(text)
    found = Problems("template_phrase", text, paras)

    def add(start: int, end: int, expected: str, message: str) -> None:
        found.add(start, end, expected, message.format(actual=text[start:end]))

    own = {"department": "部门", "unit": "单位"}.get(facts.scope or "")
    for x, y, rx in alts:
        for m in rx.finditer(text):
            if {x, y} == {"部门", "单位"}:
                # only the template's self-reference ("XX局部门（单位）共有车辆", "本部门（单位）") is a remnant;
                # "占部门（单位）项目支出总额", "审核批复部门（单位）" speak of departments (units) in general
                before = text[max(0, m.start() - 4):m.start()]
                if before.endswith(tuple(t["alternative_generic_before"])):
                    continue
                if not (before.endswith(tuple(t["alternative_self_before"]))
                        or (facts.department and before.endswith(facts.department[-4:]))):
                    continue
                expected = own or "“部门”或“单位”（按文件类别选一）"
            else:
                expected = f"“{x}”或“{y}”（按实际选一）"
            add(m.start(), m.end(), expected, "模板中的备选词“{actual}”未删改：应按实际只保留其一")
    for rx in (run, single):
        for m in rx.finditer(text):
            add(m.start(), m.end(), "实际内容", "模板占位符“{actual}”未填写：应替换为实际内容")
    for m in bracket.finditer(text):
        inner = m.group()[1:-1]
        if any(w in inner for w in t["bracket_instructions"]):
            add(m.start(), m.end(), "删除模板说明", "模板中给填报人的说明“{actual}”未删除")
    for rx in instructions:
        for m in rx.finditer(text):
            add(m.start(), m.end(), "删除模板说明", "模板中给填报人的说明“{actual}”未删除")
    return list(found)
