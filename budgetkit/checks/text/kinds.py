"""The document misnaming itself: "部门预算" in a 单位预算, "单位预算" in a 部门预算, "预算" for a 决算.

Only phrases that name the document itself count: its year before the words
("2024年部门预算"), its own department's name before them, a heading naming
one of its own parts ("四、部门预算编制说明"), "本部门" in a unit's document.
A department's text legitimately speaks of "预算单位", "下属单位", its units'
budgets, "单位：万元", the "部门预算经济分类"; a 决算 speaks of "年初预算",
"预算数" and "完成年初预算的…" — none of those is the document's own name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from budgetkit.checks.text.model import TextFacts, TextProblem
from budgetkit.checks.text.text import (
    HEADING_LEAD,
    YEAR_WORD,
    Problems,
    is_heading,
    norm_digits,
    paragraph_of,
    paragraphs,
)
from budgetkit.checks.text.vocab import phrases

_YEAR_SRC = rf"(?P<year>{YEAR_WORD})"
_LEAD = HEADING_LEAD
_DOC_CN = {"budget": "预算", "final_accounts": "决算"}


@lru_cache(maxsize=1)
def _k() -> dict:
    return phrases()["kind"]


@lru_cache(maxsize=1)
def _own_sections() -> str:
    """The document's own parts as one alternation, longest first."""
    return "|".join(map(re.escape, sorted(_k()["own_sections"], key=len, reverse=True)))


def _legit(text: str, pos: int) -> bool:
    return any(text.startswith(c, pos) for c in _k()["legit_compounds"])


def _own_reference(text: str, paras, at: int, facts: TextFacts) -> bool:
    """Nothing but numbering, "本部门/本单位" or the document's own name before these words in their clause."""
    para = paragraph_of(paras, at)
    if para is None:
        return False
    start = max([para.start] + [m.end() for m in re.compile(r"[，。；：,;:]").finditer(text, para.start, at)])
    before = re.sub(_LEAD, "", re.sub(r"[\s\u3000]", "", text[start:at]))
    if facts.department:
        before = before.replace(re.sub(r"\s", "", facts.department), "")
    for w in sorted(_k()["own_reference_before"], key=len, reverse=True):
        before = before.replace(w, "")
    return before == ""


def check_kind_misnamed(text: str, facts: TextFacts) -> list[TextProblem]:
    k = _k()
    paras = paragraphs(text)
    found = Problems("kind_misnamed", text, paras)

    def add(start: int, end: int, wrong: str, right: str, message: str) -> None:
        found.add(start, end, text[start:end].replace(wrong, right, 1), message)

    doc_cn = _DOC_CN.get(facts.kind, "")
    scope_words = k["scope_word"]
    if facts.scope in scope_words:
        right = scope_words[facts.scope]
        wrong = next(w for s, w in scope_words.items() if s != facts.scope)
        what = f"本文件是{right}{doc_cn}"
        kinds = "|".join(k["kind_word"].values())
        heads = [_YEAR_SRC] + ([re.escape(facts.department) + r"\s*"] if facts.department else [])
        # the patterns hold the department's name, so each is compiled anew; only when the words are there at all
        named_wrong = re.search(f"{wrong}(?:{kinds})", text) is not None
        for head in heads if named_wrong else ():  # "2024年部门预算", "<本部门名称>部门预算"
            for m in re.finditer(rf"(?:{head})(?P<w>{wrong}(?:{kinds}))", text):
                if _legit(text, m.start("w")) or not _own_reference(text, paras, m.start(), facts):
                    continue
                add(m.start("w"), m.end("w"), wrong, right,
                    f"文件类别写错：{what}，“{m.group().strip()}”中的“{wrong}”应为“{right}”")
        sections = _own_sections()
        name = f"(?:{re.escape(facts.department)}\\s*)?" if facts.department else ""
        own_part = re.compile(f"{wrong}(?:{sections})")
        for para in paras:  # headings naming the document's own parts: "四、部门预算编制说明", "部门主要职能"
            if not is_heading(para.text) or not own_part.search(para.text):
                continue
            m = re.match(rf"{_LEAD}{name}(?:{_YEAR_SRC})?(?P<w>{wrong}(?:{sections}))", para.text)
            if m and not _legit(para.text, m.start("w")):
                add(para.start + m.start("w"), para.start + m.end("w"), wrong, right,
                    f"文件类别写错：{what}，标题“{para.text}”中的“{wrong}”应为“{right}”")
        if facts.scope == "unit":  # "本部门" in a unit's document
            for m in re.finditer(f"本{wrong}", text):
                add(m.start(), m.end(), wrong, right, f"文件类别写错：{what}，“本{wrong}”应为“本{right}”")
    own_kind = k["kind_word"].get(facts.kind)
    other_kind = next((w for kk, w in k["kind_word"].items() if kk != facts.kind), None)
    if own_kind and other_kind:
        what = f"本文件是{doc_cn}"
        scopes = "|".join(scope_words.values())
        explain = "|".join(map(re.escape, k["own_explanations"]))
        # "部门预算编制说明" inside a 决算, "单位决算情况说明" inside a 预算: the document's own explanation
        for m in re.finditer(rf"(?:{scopes}){other_kind}(?:{explain})", text):
            if _legit(text, m.start()):
                continue
            add(m.start(), m.end(), other_kind, own_kind,
                f"文件类别写错：{what}，“{m.group()}”中的“{other_kind}”应为“{own_kind}”")
        # "2024年部门预算" heading a 决算; "2024年部门决算" anywhere in the 2024 预算 (its 决算 does not exist yet)
        for m in re.finditer(rf"{_YEAR_SRC}(?P<w>(?:{scopes}){other_kind})", text):
            para = paragraph_of(paras, m.start())
            year = int(norm_digits(m.group("year"))[:4])
            if _legit(text, m.start("w")):
                continue
            heading = para is not None and is_heading(para.text)
            not_yet = facts.kind == "budget" and facts.year is not None and year >= facts.year
            if heading or not_yet:
                add(m.start("w"), m.end("w"), other_kind, own_kind,
                    f"文件类别写错：{what}，“{m.group().strip()}”中的“{other_kind}”应为“{own_kind}”")
    return sorted(found, key=lambda p: p.start)
