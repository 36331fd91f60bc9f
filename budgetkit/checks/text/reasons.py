"""Reasons left empty ("主要原因是。") or cut off ("主要原因是由于。", "…主要原因是" at paragraph end).

Review sheets flag both: the template asks for a reason after every change and
the writer left the slot blank or stopped mid-clause. A reason that introduces a
list on the following lines ("主要原因：" then "1.…") is neither.
"""

from __future__ import annotations

import re
from functools import lru_cache

from budgetkit.checks.text.model import SEVERITY_WARNING, TextFacts, TextProblem
from budgetkit.checks.text.text import (
    SENTENCE_END,
    Paragraph,
    excerpt,
    is_heading,
    paragraphs,
)
from budgetkit.checks.text.vocab import phrases

_REASON_WORD = "原因"


@lru_cache(maxsize=1)
def _patterns():
    r = phrases()["reasons"]
    markers = sorted(r["markers"] + ["其原因是"], key=len, reverse=True)
    marker = re.compile(f"(?:{'|'.join(map(re.escape, markers))})(?P<tail>{r['marker_tail']})")
    lead = sorted(r["dangling_lead"], key=len, reverse=True)
    tail = sorted(r["dangling_tail"], key=len, reverse=True)
    # a word every marker holds: a paragraph without it is not searched ("" when there is none: every one is)
    word = _REASON_WORD if all(_REASON_WORD in w for w in markers) else ""
    return marker, set(lead), tuple(tail), set(r["none_words"]), tuple(r["change_words"]), word


def _nothing_follows(paras: list[Paragraph], i: int) -> bool:
    """No paragraph follows, or the next one is a heading: nothing continues the reason.

    A numbered line that is itself a sentence ("1.人员增加。") is the first reason of a list, not a heading."""
    if i + 1 >= len(paras):
        return True
    nxt = paras[i + 1].text
    return is_heading(nxt) and not SENTENCE_END.search(nxt)


@lru_cache(maxsize=4)
def _reason_problems(text: str) -> tuple[TextProblem, ...]:
    """Empty and cut-off reasons together, found once per text for both checks."""
    marker, leads, tails, nones, changes, word = _patterns()
    out: list[TextProblem] = []
    paras = paragraphs(text)
    for i, para in enumerate(paras):
        if word not in para.text:
            continue
        for m in marker.finditer(text, para.start, para.end):
            rest_start = m.end()
            stop = SENTENCE_END.search(text, rest_start, para.end)
            rest_end = stop.start() if stop else para.end
            rest = text[rest_start:rest_end].strip(" \u3000")
            span_end = stop.end() if stop else para.end
            colon = any(c in m.group("tail") for c in "：:")
            said = text[m.start():span_end]
            if not rest:
                if stop:
                    out.append(_problem("empty_reason", text, para, m.start(), span_end, said,
                                        f"原因未填写：“{said}”后没有写明原因"))
                elif _nothing_follows(paras, i):
                    check = "empty_reason" if colon else "truncated_reason"
                    what = "原因未填写" if colon else "原因没有写完"
                    out.append(_problem(check, text, para, m.start(), span_end, said,
                                        f"{what}：段落在“{said}”处结束，后面没有原因"))
            elif rest in nones:
                sentence_start = max([para.start] + [s.end() for s in SENTENCE_END.finditer(text, para.start, m.start())])
                before = text[sentence_start:m.start()]
                if any(w in before for w in changes):
                    out.append(_problem("empty_reason", text, para, m.start(), span_end, said,
                                        f"说明了增减变动，原因却写作“{rest}”：应写明变动的原因"))
            elif rest in leads:
                out.append(_problem("truncated_reason", text, para, m.start(), span_end, said,
                                    f"原因没有写完：“{said}”在连接词“{rest}”后就结束了"))
            elif rest.endswith(tails) and stop:
                tail = next(t for t in tails if rest.endswith(t))
                out.append(_problem("truncated_reason", text, para, m.start(), span_end, said,
                                    f"原因没有写完：“{said}”以“{tail}”结尾，后面的内容缺失"))
    return tuple(out)


def _problem(check: str, text: str, para: Paragraph, start: int, end: int, said: str, message: str) -> TextProblem:
    return TextProblem(check=check, severity=SEVERITY_WARNING, start=start, end=end,
                       excerpt=excerpt(text, para, start, end), expected="写明具体原因", actual=said, message=message)


def check_empty_reasons(text: str, facts: TextFacts) -> list[TextProblem]:
    """A reason slot with nothing in it: "主要原因是。", "原因：。", "主要原因：无。" after a stated change."""
    return [p for p in _reason_problems(text) if p.check == "empty_reason"]


def check_truncated_reasons(text: str, facts: TextFacts) -> list[TextProblem]:
    """A reason that stops mid-way: "主要原因是由于。", "…主要原因是" ending the paragraph, "…增加和。"."""
    return [p for p in _reason_problems(text) if p.check == "truncated_reason"]
