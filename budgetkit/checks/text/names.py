"""Names that disagree with the rest of the document: a functional class, the department itself.

A class written in the narrative under another name than the tables print for
the same code (or under a name the 2019 classification retired) is what a
review sheet calls "类级科目名称与表格不一致". The department's own name is
only compared where the text plainly speaks of itself ("XX（部门）主要职能",
"本部门（XX）", "XX2024年度收入支出总计…", "截至…，XX共有车辆…"); the text also
names subordinate units, other departments and the district government, which
are not misspellings of the cover name and are left alone.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from budgetkit.checks.text.model import SEVERITY_WARNING, TextFacts, TextProblem
from budgetkit.checks.text.text import (
    HEADING_LEAD,
    YEAR_WORD,
    excerpt,
    is_heading,
    is_table_like,
    paragraph_of,
    paragraphs,
    squash,
)
from budgetkit.checks.text.vocab import phrases

_YEAR_SRC = rf"(?:{YEAR_WORD})"
_LEAD = HEADING_LEAD
_NAME_MAX = 30  # characters of a name before its suffix


@lru_cache(maxsize=1)
def _classes():
    """The national classification (current names, names the reform retired) from the one shared list."""
    from budgetkit.core.template import classifications

    shared = classifications()
    national = shared["functional_classes"]["national"]
    c = phrases()["classes"]
    current = {k["code"]: k["name"] for k in national}
    code_of = {name: code for code, name in current.items()}
    outdated = {old: {"old": old, "new": k["name"], "code": k["code"], "since": shared["former_names_retired_in"]}
                for k in national for old in k.get("former", ())}
    for old, o in outdated.items():
        code_of[old] = o["code"]
    rx = re.compile("|".join(map(re.escape, sorted(code_of, key=len, reverse=True))))
    return code_of, outdated, current, tuple(c["lower_level_markers"]), tuple(c["lower_level_before"]), rx


def check_class_names(text: str, facts: TextFacts) -> list[TextProblem]:
    """A 类 name in the narrative that is neither the current name of its code nor what this document's tables print.

    The name is recognised by the current classification or the list of retired names; an old name is
    reported against the tables' name when they print another, or against the current name when the
    document's year is after the rename."""
    code_of, outdated, current, lower, lower_before, rx = _classes()
    tables = {code: squash(name) for code, name in facts.table_class_names.items()}
    paras = paragraphs(text)
    out = []
    for m in rx.finditer(text):
        name = m.group()
        if text.startswith(lower, m.end()) or text[max(0, m.start() - 2):m.start()].endswith(lower_before):
            continue
        code = code_of[name]
        if name == current.get(code):
            continue  # the current name: right whatever the tables print (their own check reports them)
        para = paragraph_of(paras, m.start())
        if para is None or is_table_like(para.text):  # asked only of a name that may be reported
            continue
        printed = tables.get(code)
        old = outdated.get(name)
        if printed and printed != name:
            expected = printed
            why = f"本文件表格中{code}类为“{printed}”"
            if old:
                why += f"（“{name}”是{old['since']}年科目调整前的旧名称）"
        elif old and facts.year is not None and facts.year >= old["since"]:
            expected = old["new"]
            why = f"“{name}”是{old['since']}年科目调整前的旧名称，现行{code}类为“{old['new']}”"
        else:
            continue
        out.append(TextProblem("class_name_mismatch", SEVERITY_WARNING, m.start(), m.end(),
                               excerpt(text, para, m.start(), m.end()), expected, name,
                               f"功能分类科目名称与表格不一致：说明中写作“{name}”，{why}"))
    return out


@lru_cache(maxsize=1)
def _dept():
    d = phrases()["department"]
    suffix = "|".join(map(re.escape, sorted(d["org_suffixes"], key=len, reverse=True)))
    # the look-ahead for a suffix's first character spares trying every suffix after every prefix of the name
    first = "".join(sorted({re.escape(w[0]) for w in d["org_suffixes"]}))
    name = rf"(?P<name>[\u4e00-\u9fff]{{1,{_NAME_MAX}}}?(?=[{first}])(?:{suffix}))"
    marks = "|".join(map(re.escape, d["self_marks"]))
    statements = "|".join(map(re.escape, sorted(d["self_statements"], key=len, reverse=True)))
    # XX（部门）… — the template's mark that the name is the document's own
    marked = re.compile(rf"{name}\s*(?:{marks})")
    # 本部门（XX）
    self_word = re.compile(rf"(?:{'|'.join(d['self_words'])})[（(]{name}[）)]")
    # the department as the subject of its own figures: "XX2024年度收入支出总计…", "XX共有车辆…", "XX所属各预算单位…"
    # (the name is found by its ending; words before it are cut off by _closest_tail)
    subject = re.compile(rf"{name}(?:{marks})?\s*{_YEAR_SRC}?(?:{statements})")
    heading = re.compile(rf"{_LEAD}{name}(?:{marks})?\s*{_YEAR_SRC}?(?:主要职能|机构设置|概况|部门预算|部门决算|单位预算|单位决算)")
    # words each pattern cannot match without: a paragraph lacking them is not searched with it
    needs = (re.compile(marks), re.compile("|".join(d["self_words"])), re.compile(statements))
    # what follows a name from its suffix on, in the patterns that find a name by what comes after it
    tails = (re.compile(rf"(?:{suffix})\s*(?:{marks})"), None,
             re.compile(rf"(?:{suffix})(?:{marks})?\s*{_YEAR_SRC}?(?:{statements})"))
    return marked, self_word, subject, heading, d["min_similarity"], needs, tails


def _name_spans(rx: re.Pattern, tail: re.Pattern | None, s: str):
    """The spans of the names ``rx.finditer(s)`` finds. Where the pattern ends on what follows the name, it is
    searched from ``_NAME_MAX`` characters before the next place that tail is (no match can start earlier), not
    tried at every character in between."""
    if tail is None:
        yield from (m.span("name") for m in rx.finditer(s))
        return
    pos = 0
    while (t := tail.search(s, pos)) is not None:
        m = rx.search(s, max(pos, t.start() - _NAME_MAX))
        if m is None:
            return
        yield m.span("name")
        pos = m.end()


@lru_cache(maxsize=4096)  # a document names itself the same way many times
def _closest_tail(candidate: str, department: str) -> int:
    """Where the candidate's closest match to the cover name starts: a name is found by its ending,
    so words before it ("纳入…", "第三部分…") are cut off from the front."""
    matcher = difflib.SequenceMatcher(None, "", squash(department))  # the cover name indexed once, tails set in turn
    best, best_at = -1.0, 0
    for k in range(len(candidate)):
        tail = squash(candidate[k:])
        if len(tail) < 2:
            break
        matcher.set_seq1(tail)
        if matcher.real_quick_ratio() <= best:  # an upper bound of ratio(): this tail cannot do better
            continue
        ratio = matcher.ratio()
        if ratio > best:
            best, best_at = ratio, k
    return best_at


def _differs(candidate: str, department: str, min_similarity: float) -> bool:
    """A near-copy of the cover name that is not the cover name, a short form of it, or the name plus a suffix."""
    a, b = squash(candidate), squash(department)
    if a == b or b.endswith(a) or b in a:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= min_similarity


def check_department_names(text: str, facts: TextFacts) -> list[TextProblem]:
    """The department named differently from the cover where the text speaks of itself."""
    if not facts.department:
        return []
    marked, self_word, subject, heading, min_sim, needs, tails = _dept()
    paras = paragraphs(text)
    found: dict[int, tuple[int, int, str]] = {}
    for para in paras:
        spans = [span for rx, need, tail in zip((marked, self_word, subject), needs, tails)
                 if need.search(para.text) for span in _name_spans(rx, tail, para.text)]
        if is_heading(para.text):
            m = heading.match(para.text)
            if m:
                spans.append(m.span("name"))
        for s, e in spans:
            found.setdefault(para.start + s, (para.start + s, para.start + e, para.text))
    out = []
    for s, e, line in sorted(found.values()):
        s += _closest_tail(text[s:e], facts.department)
        cand = text[s:e]
        # a table row's names are not the text speaking of itself (asked only of a name that differs)
        if not _differs(cand, facts.department, min_sim) or is_table_like(line):
            continue
        para = paragraph_of(paras, s)
        out.append(TextProblem("department_name_mismatch", SEVERITY_WARNING, s, e, excerpt(text, para, s, e),
                               facts.department, cand,
                               f"部门名称与封面不一致：此处写作“{cand}”，封面为“{facts.department}”"))
    return out
