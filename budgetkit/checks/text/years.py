"""Years that do not belong to the document: last year's heading or stock date copied into this year's text.

Which years are legitimate depends on the kind. A budget for year Y speaks of Y,
of Y−1 (the prior-year budget and its execution, "比2023年预算增加") and dates
its assets in Y−1 or early Y ("截至2023年8月31日"). A final account for Y speaks
of Y, of Y−1 ("与2023年度相比") and dates its assets at the end of Y (or the
publication in Y+1). Only places where the year names the document itself are
checked: headings, stock dates, "YYYY年部门预算/决算", and a paragraph that opens on
a year and then states the document's own figures. Dates of documents cited
("2023年9月7日印发", "〔2023〕36号") and years inside project descriptions are not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from budgetkit.checks.text.model import SEVERITY_WARNING, TextFacts, TextProblem
from budgetkit.checks.text.text import (
    CITED,
    DATE_AFTER_YEAR,
    SENTENCE_END,
    YEAR,
    excerpt,
    is_heading,
    norm_digits,
    paragraphs,
)
from budgetkit.checks.text.vocab import phrases


@lru_cache(maxsize=1)
def _y() -> dict:
    return phrases()["years"]


@lru_cache(maxsize=1)
def _stock_words() -> str:
    """The words that give a stock date as one alternation, longest first."""
    return "|".join(map(re.escape, sorted(_y()["stock_date_words"], key=len, reverse=True)))


def _allowed(facts: TextFacts, where: str) -> frozenset[int]:
    return _allowed_years(facts.year, facts.kind, where)


@lru_cache(maxsize=64)  # asked for every year a text names; a few (year, kind) pairs exist
def _allowed_years(y: int, kind: str, where: str) -> frozenset[int]:
    if kind == "final_accounts":
        return frozenset({"heading": {y}, "stock": {y, y + 1}, "self": {y - 1, y}, "opening": {y}}[where])
    return frozenset({"heading": {y}, "stock": {y - 1, y}, "self": {y - 1, y}, "opening": {y}}[where])


def _describe(facts: TextFacts) -> str:
    return f"{facts.year}年{'决算' if facts.kind == 'final_accounts' else '预算'}"


def check_years(text: str, facts: TextFacts) -> list[TextProblem]:
    if facts.year is None:
        return []
    y = _y()
    kind_word = "决算" if facts.kind == "final_accounts" else "预算"
    stock_rx = re.compile(rf"(?:{_stock_words()})\s*{YEAR.pattern}")
    self_rx = re.compile(rf"{YEAR.pattern}\s*(?:部门|单位)\s*{kind_word}")
    out: list[TextProblem] = []
    seen: set[int] = set()

    def add(para, m, where: str, what: str) -> None:
        year = int(norm_digits(m.group("y")))
        if year in _allowed(facts, where) or m.start("y") in seen:
            return
        seen.add(m.start("y"))
        s = m.start("y")
        e = text.index("年", m.end("y")) + 1
        ok = sorted(_allowed(facts, where))
        expected = "或".join(f"{v}年" for v in ok)
        out.append(TextProblem("year_mismatch", SEVERITY_WARNING, s, e, excerpt(text, para, s, e), expected,
                               text[s:e], f"年份与文件不符：本文件是{_describe(facts)}，{what}写作{year}年，应为{expected}"))

    for para in paragraphs(text):
        for m in stock_rx.finditer(text, para.start, para.end):
            add(para, m, "stock", "资产统计时点")
        for m in self_rx.finditer(text, para.start, para.end):
            add(para, m, "self", f"“{m.group().strip()}”")
        if is_heading(para.text):
            if not any(w in para.text for w in y["heading_topic_words"]):
                continue
            cited = [(para.start + c.start(), para.start + c.end()) for c in CITED.finditer(para.text)]
            prior_ok = y["prior_year_heading_words"].get(facts.kind, [])
            for m in YEAR.finditer(text, para.start, para.end):
                if DATE_AFTER_YEAR.match(text, m.end()) or any(s <= m.start() < e for s, e in cited):
                    continue  # a date, or the year of a cited document, not the year the heading is about
                year = int(norm_digits(m.group("y")))
                if year == facts.year - 1 and any(w in para.text for w in prior_ok):
                    continue
                add(para, m, "heading", f"标题“{para.text}”")
            continue
        m = YEAR.match(text, para.start)
        if m and not DATE_AFTER_YEAR.match(text, m.end()):
            stop = SENTENCE_END.search(text, m.end(), para.end)
            sentence = text[m.end():stop.start() if stop else para.end]
            if kind_word not in sentence:  # the commonest way out, decided before the sentence's years are read
                continue
            first_clause = re.split(r"[，,；;]", sentence.lstrip("，, "), maxsplit=1)[0]
            also_own_year = any(int(norm_digits(o.group("y"))) == facts.year for o in YEAR.finditer(sentence))
            if not also_own_year and not any(w in first_clause for w in y["prior_year_sentence_words"]):
                add(para, m, "opening", "段首年份")
    return sorted(out, key=lambda p: p.start)
