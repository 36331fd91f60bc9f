"""The text checks' patterns written to be searched fast find exactly what their plain forms find.

A pattern that opens on a look-behind (or an alternation) is tried at every character; the same pattern with
the look-behind asked after its first character is read opens on a character class, which the regular-expression
engine searches for directly. The rewrite must not change a single match, group or substitution."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from budgetkit.checks.claims import grammar
from budgetkit.checks.forms_text import _NUMBERED
from budgetkit.checks.text import templates
from budgetkit.checks.text.names import _dept, _name_spans
from budgetkit.checks.text.text import AMOUNT, CITED, YEAR

#: the plain forms, as the patterns were first written
PLAIN_YEAR = re.compile(r"(?<![0-9０-９])(?P<y>[12０-２][0-9０-９]{3})\s*年(?P<du>度)?")
PLAIN_CITED = re.compile(r"《[^《》]*》|〈[^〈〉]*〉|<[^<>]*>|[〔【\[][^〔〕【】\[\]]*[〕】\]]|[（(][^（()）]*号[）)]")
PLAIN_NUMBERED = re.compile(r"(?:^|(?<=[；;。，,：:\s]))(\d{1,2})\s*[.、．](?!\d)")
PLAIN_AMOUNT = re.compile(rf"(?<![0-9０-９.．,])(?P<num>{grammar.NUM})\s*(?P<unit>{grammar.UNIT})(?!\s*[/／每])")


def _plain_placeholders():
    t = templates._patterns()[4]
    chars = re.escape(t["placeholder_chars"])
    units = "|".join(map(re.escape, sorted(t["placeholder_single_before"], key=len, reverse=True)))
    return (re.compile(rf"(?<![A-Za-zＡ-Ｚａ-ｚ\-_/])[{chars}]{{2,}}(?![A-Za-zＡ-Ｚａ-ｚ0-9０-９\-_])"),
            re.compile(rf"(?<![A-Za-zＡ-Ｚａ-ｚ0-9０-９{chars}])[{chars}](?=\s*(?:{units}))"))


#: the characters the patterns turn on, and some they do not
ALPHABET = list("0123456789０１２３４５６７８９.．,，、；;。：: \u3000\n/／每元万亿%％年度月日号《》〈〉<>〔〕【】[]（）()"
                "XxＸｘ×Aa-_个人项局委会办部门单位本级预算收入支出总计共有车辆（部门）商务太原市")
TEXTS = st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join)


def _found(rx: re.Pattern, s: str, pos: int = 0):
    return [(m.span(), m.groups(), m.groupdict()) for m in rx.finditer(s, pos)]


@settings(max_examples=3000, deadline=None)
@given(TEXTS, st.integers(0, 40))
def test_fast_patterns_find_what_the_plain_ones_find(s, pos):
    pos = min(pos, len(s))
    run, single = templates._patterns()[1:3]
    plain_run, plain_single = _plain_placeholders()
    for fast, plain in ((AMOUNT, PLAIN_AMOUNT), (YEAR, PLAIN_YEAR), (CITED, PLAIN_CITED), (run, plain_run),
                        (single, plain_single), (_NUMBERED, PLAIN_NUMBERED)):
        assert _found(fast, s, pos) == _found(plain, s, pos), (fast.pattern, s, pos)
        assert fast.sub("", s) == plain.sub("", s)
        m, p = fast.match(s, pos), plain.match(s, pos)
        assert (m and (m.span(), m.groupdict())) == (p and (p.span(), p.groupdict()))


def test_fast_patterns_on_examples():
    assert [m.group("num", "unit") for m in AMOUNT.finditer("收入1,716.73万元，0.5亿元，12元/年，１２３４．５元")] == [
        ("1,716.73", "万元"), ("0.5", "亿元"), ("１２３４．５", "元")]
    assert [m.group("y") for m in YEAR.finditer("12024年 2023年度 ２０２２年")] == ["2023", "２０２２"]
    assert CITED.sub("", "根据《预算法》（晋财预〔2023〕36号）规定") == "根据规定"
    assert [m.group(1) for m in _NUMBERED.finditer("1.办公费；2、差旅费，12.5万元")] == ["1", "2"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(list("商务局委员会办公室中心部门预算收入支出总计共有车辆本级下属单位（部门）2024年度 ，。太原市")),
                max_size=90).map("".join))
def test_names_searched_from_their_tails_as_everywhere(s):
    marked, _, subject, _, _, _, tails = _dept()
    for rx, tail in ((marked, tails[0]), (subject, tails[2])):
        assert list(_name_spans(rx, tail, s)) == [m.span("name") for m in rx.finditer(s)]


def test_names_searched_from_their_tails_on_an_example():
    marked, _, subject, _, _, _, tails = _dept()
    s = "2024年度太原市阳曲县商务局预算收入总计313.50万元，其中太原市阳曲县商务局（部门）主要职能"
    spans = list(_name_spans(subject, tails[2], s))
    assert [s[a:b] for a, b in spans] == ["年度太原市阳曲县商务局", "其中太原市阳曲县商务局"]
    assert [s[a:b] for a, b in _name_spans(marked, tails[0], s)] == ["其中太原市阳曲县商务局"]


def test_paragraph_of_by_bisection_as_by_scanning():
    from budgetkit.checks.text.text import paragraph_of, paragraphs

    text = "  一、概况\n\n2024年收入10万元。\r\n\u3000（一）支出\n  \n末段"
    paras = paragraphs(text)
    assert [p.text for p in paras] == ["一、概况", "2024年收入10万元。", "（一）支出", "末段"]
    for offset in range(-1, len(text) + 2):
        scanned = next((p for p in paras if p.start <= offset <= p.end), None)
        assert paragraph_of(paras, offset) is scanned
        assert paragraph_of(list(paras), offset) is scanned  # a plain list is scanned
