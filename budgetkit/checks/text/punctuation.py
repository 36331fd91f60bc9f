"""Punctuation slips review sheets list: doubled marks, a sentence without its full stop, unclosed brackets.

Only prose is held to sentence punctuation: headings, titles, list-item names,
table rows, dates, signatures, "键：值" fields and lines introducing a list are
not sentences. A bracket opened on one line and closed on the next is a title
printed over several lines, not an unclosed bracket.
"""

from __future__ import annotations

import re
from functools import lru_cache

from budgetkit.checks.text.model import SEVERITY_WARNING, TextFacts, TextProblem
from budgetkit.checks.text.text import (
    CLAUSE_PUNCT,
    SENTENCE_END,
    Paragraph,
    excerpt,
    has_amount,
    is_bracket_note,
    is_date_line,
    is_heading,
    is_numbered,
    is_table_like,
    paragraph_of,
    paragraphs,
    squash,
)
from budgetkit.checks.text.vocab import phrases


@lru_cache(maxsize=1)
def _p() -> dict:
    return phrases()["punctuation"]


@lru_cache(maxsize=1)
def _doubled() -> re.Pattern:
    marks = re.escape(_p()["marks"])
    return re.compile(rf"[{marks}](?:[ \u3000]*[{marks}])+")


def check_doubled_punctuation(text: str, facts: TextFacts) -> list[TextProblem]:
    """Two clause marks in a row: "。。", "，，", "；。".

    Marks and the spaces between them never end a line nor run past one (no line break among them), so the
    whole text is searched at once and each match lies inside one paragraph."""
    out = []
    paras = paragraphs(text)
    for m in _doubled().finditer(text):
        para = paragraph_of(paras, m.start())
        if para is None:
            continue
        if re.fullmatch(r"[0-9],[0-9]", text[m.start() - 1:m.end() + 1] if m.start() else ""):
            continue
        actual = m.group()
        expected = re.sub(r"[ \u3000]", "", actual)[-1]
        out.append(TextProblem("doubled_punctuation", SEVERITY_WARNING, m.start(), m.end(),
                               excerpt(text, para, m.start(), m.end()), expected, actual,
                               f"标点重复：“{actual}”应为一个“{expected}”"))
    return out


def _ends_sentence(s: str) -> bool:
    """Ends with 。！？…；： — or with closing quotes/brackets after one, or a bracketed remark after one."""
    p = _p()
    s = s.rstrip(" \u3000")
    while s:
        last = s[-1]
        if last in p["paragraph_end"]:
            return True
        if last in "）)":
            if s[-2:-1] and s[-2] in p["paragraph_end"]:  # "…。）"
                return True
            depth, i = 0, len(s) - 1
            while i >= 0:
                depth += s[i] in "）)"
                depth -= s[i] in "（("
                if depth == 0:
                    break
                i -= 1
            s = s[:i].rstrip(" \u3000") if i >= 0 else s[:-1]  # judge what precedes the remark
        elif last in p["closers"]:
            s = s[:-1]
        else:
            return False
    return False


def _is_enumeration(body: str) -> bool:
    """"法律顾问服务，评审服务": short names in a row, no figures, no verb — a list, not a sentence."""
    p = _p()
    items = [x for x in re.split(r"[，、；,;]", body) if x]
    return (len(items) >= 2 and all(len(x) <= p["enumeration_item_max"] for x in items)
            and not re.search(r"[0-9]", body) and not any(w in body for w in p["predicate_words"]))


def _is_field(body: str) -> bool:
    """"附件：…", "信息公开选项：主动公开": a short key, a colon and a value."""
    parts = re.split(r"[：:]", body)
    return (len(parts) == 2 and len(parts[0]) <= _p()["field_key_max"] and not CLAUSE_PUNCT.search(body)
            and not has_amount(body))


@lru_cache(maxsize=1024)
def is_prose(s: str) -> bool:
    """Whether a paragraph is held to sentence punctuation (kept per line)."""
    body = squash(s)
    return not (is_table_like(s) or is_bracket_note(body) or is_date_line(body) or is_heading(body)
                or _is_enumeration(body) or _is_field(body))


def _continues(para: Paragraph, nxt: Paragraph | None) -> bool:
    """The paragraph goes on in the next one (a line join that failed): the stop may be there.

    Seen when the next one starts with a mark or a unit ("。其中：", "万元，…"), or when the paragraph's
    last fragment is a few characters after a full stop and the next one is prose ("…。主要用" / "于：…")."""
    if nxt is None:
        return False
    p = _p()
    if nxt.text[:1] in p["continuation_start"] or nxt.text.startswith(tuple(p["continuation_words"])):
        return True
    if is_numbered(squash(nxt.text)) or (is_heading(nxt.text) and not SENTENCE_END.search(nxt.text)):
        return False
    stops = list(re.finditer(r"[。！？；;!?]", para.text))
    return bool(stops) and len(para.text) - stops[-1].end() < p["wrap_fragment_max"]


def _in_table(paras: list[Paragraph], i: int) -> bool:
    """Next to a bare row number ("2"): a row of a table printed inside the text."""
    return any(0 <= j < len(paras) and re.fullmatch(r"[0-9０-９]{1,3}", paras[j].text) for j in (i - 1, i + 1))


def check_missing_end_punctuation(text: str, facts: TextFacts) -> list[TextProblem]:
    """A prose paragraph that ends without 。！？…； (a comma or 、 at the end is left alone: a line join may have failed)."""
    paras = paragraphs(text)
    out = []
    for i, para in enumerate(paras):
        s = para.text
        if s[-1] in "，、," or _ends_sentence(s) or not is_prose(s) or _in_table(paras, i):
            continue
        if _continues(para, paras[i + 1] if i + 1 < len(paras) else None):
            continue
        last = para.end - 1
        out.append(TextProblem("missing_end_punctuation", SEVERITY_WARNING, last, para.end,
                               excerpt(text, para, last, para.end), "。", s[-1],
                               f"段落结尾缺少句末标点：“…{excerpt(text, para, last, para.end)[-20:]}”后应加“。”"))
    return out


@lru_cache(maxsize=1)
def _families() -> dict[str, str]:
    """Character → the first of its family ("(" → "（"); a character in no family is its own."""
    out: dict[str, str] = {}
    for group in _p()["same_family"]:
        for ch in group:
            out.setdefault(ch, group[0])
    return out


def _family(ch: str) -> str:
    return _families().get(ch, ch)


@lru_cache(maxsize=1)
def _pairs() -> tuple[dict[str, str], dict[str, str]]:
    opens, closes = {}, {}
    for o, c in _p()["pairs"]:
        opens[_family(o)] = _family(c)
        closes[_family(c)] = _family(o)
    return opens, closes


@lru_cache(maxsize=1)
def _paired_chars() -> re.Pattern:
    """Any character that opens or closes a pair: the rest of a paragraph is skipped over, not walked."""
    opens, closes = _pairs()
    chars = {ch for pair in _p()["pairs"] for ch in pair} | set(_families())
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars) if _family(ch) in opens or
                                    _family(ch) in closes) + "]")


def _unmatched(s: str, base: int = 0) -> list[tuple[int, str]]:
    """Positions of brackets and quotes without their partner (each kind counted on its own)."""
    opens, closes = _pairs()
    family = _families()
    stacks: dict[str, list[int]] = {o: [] for o in opens}
    lone: list[tuple[int, str]] = []
    for m in _paired_chars().finditer(s):
        i, ch = m.start(), m.group()
        f = family.get(ch, ch)
        if f in opens:
            stacks[f].append(i)
        elif f in closes:
            if stacks[closes[f]]:
                stacks[closes[f]].pop()
            else:
                lone.append((base + i, ch))
    for st in stacks.values():
        if st:  # most paragraphs close every bracket they open
            lone.extend((base + i, s[i]) for i in st)
    return sorted(lone)


def _quote_slips(lone: list[tuple[int, str]]) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
    """Two lone opening quotes in a row ("“谁受益、谁补贴“原则") are one quote typed the wrong way round:
    one problem at the second, which should close. Likewise two lone closing quotes, at the first."""
    opens, closes = _pairs()
    slips, rest = [], []
    i = 0
    while i < len(lone):
        pos, ch = lone[i]
        nxt = lone[i + 1] if i + 1 < len(lone) else None
        if nxt and nxt[1] == ch and ch in "“”":
            if ch in opens:
                slips.append((nxt[0], ch, opens[ch]))
            else:
                slips.append((pos, ch, closes[ch]))
            i += 2
            continue
        rest.append((pos, ch))
        i += 1
    return slips, rest


def check_unbalanced_brackets(text: str, facts: TextFacts) -> list[TextProblem]:
    """“ ” （ ） 《 》 【 】 without their partner inside one paragraph."""
    paras = paragraphs(text)
    opens, _ = _pairs()
    paired = _paired_chars()
    out = []
    for i, para in enumerate(paras):
        if not paired.search(para.text):  # no bracket or quote at all: nothing to pair
            continue
        lone = _unmatched(para.text, para.start)  # before asking for a table row: most paragraphs balance
        if not lone or is_table_like(para.text) or _wrapped_title(paras, i):
            continue
        slips, rest = _quote_slips(lone)
        for pos, ch, should in slips:
            out.append(TextProblem("unbalanced_brackets", SEVERITY_WARNING, pos, pos + 1,
                                   excerpt(text, para, pos, pos + 1), should, ch,
                                   f"引号方向错误：此处的{ch}应为{should}"))
        for pos, ch in rest:
            is_open = _family(ch) in opens
            partner = opens[_family(ch)] if is_open else next(o for o, c in opens.items() if c == _family(ch))
            pair = f"{ch}{partner}" if is_open else f"{partner}{ch}"
            out.append(TextProblem("unbalanced_brackets", SEVERITY_WARNING, pos, pos + 1,
                                   excerpt(text, para, pos, pos + 1), f"成对的“{pair}”", ch,
                                   f"括号或引号不成对：“{ch}”没有对应的“{partner}”"))
    return sorted(out, key=lambda p: p.start)


def _wrapped_title(paras: list[Paragraph], i: int) -> bool:
    """Paragraph i is one line of a longer text whose brackets balance once its neighbours are joined."""
    for back in range(0, 3):
        for fwd in range(0, 3):
            if back == fwd == 0 or i - back < 0 or i + fwd >= len(paras):
                continue
            window = paras[i - back:i + fwd + 1]
            if any(_ends_sentence(p.text) for p in window[:-1]):
                continue
            if not _unmatched("".join(p.text for p in window)):
                return True
    return False
