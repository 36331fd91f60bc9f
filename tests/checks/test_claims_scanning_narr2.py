"""Claim scanning paths made quicker (second speed round): the amount pattern checks its look-behind after the
first digit, thresholds are matched at the amount's end and at the phrase's end, paragraphs take their section
in one walk over the sections."""

from budgetkit.checks.claims import grammar as g
from budgetkit.checks.claims.claims import _depths, _paragraphs, extract_claims
from budgetkit.core.model import Narrative, Section
from budgetkit.dataset.narrative import segment_narrative


def amounts(text):
    return [(m.group("num"), m.group("unit"), m.start()) for m in g.AMOUNT.finditer(text)]


def test_amount_numbers_are_not_glued_to_digits_points_or_commas_before_them():
    assert amounts("1,234.56万元，12,345,678元") == [("1,234.56", "万元", 0), ("12,345,678", "元", 11)]
    # a number glued to a point or comma before it is no amount of its own; nor is a rate
    assert amounts("3.5.6万元，,123元，12万元/年，9,999万元每人") == []
    # a comma not between groups of three: no number, and the digits after it are glued to it
    assert amounts("1,23万元") == []
    assert amounts("1，23万元") == [("23", "万元", 2)]  # a full-width comma there is the text's own comma
    assert amounts("１，２３４．５万元，0万元") == [("１，２３４．５", "万元", 0), ("0", "万元", 10)]
    # searched from an offset (as the text checks do), the character before the offset still counts
    assert [m.group("num") for m in g.AMOUNT.finditer("金额12万元", 3)] == []
    assert [m.group("num") for m in g.AMOUNT.finditer("金额12万元", 2)] == ["12"]


def test_thresholds_before_and_after_an_amount():
    text = ("购置单价50万元以上的设备2台，价值100万元（原值）以上的资产0项，标准化建设支出12万元，"
            "单价不超过限额为5万元，维修费8万元及以下。")
    claims = [c for c in extract_claims(segment_narrative(text)) if c.kind == "amount"]
    assert [(c.money.fen, c.threshold) for c in claims] == [
        (50_000_000, True), (100_000_000, True), (12_000_000, False), (5_000_000, True), (8_000_000, True)]


def test_a_paragraph_is_in_the_last_listed_section_begun_before_it():
    text = "甲\n乙\n丙\n丁"  # paragraphs at offsets 0, 2, 4, 6
    sections = [Section("二", "", 4, 7), Section("一", "", 0, 4), Section("三", "", 2, 7)]
    paras = _paragraphs(Narrative(text=text, sections=sections))
    # at 0 only 一 has begun; at 2 三 is listed after 一; at 4 and 6 三 is still the last listed of those begun
    assert [p.section for p in paras] == ["一", "三", "三", "三"]
    assert [p.section for p in _paragraphs(Narrative(text=text, sections=[Section("一", "", 3, 7)]))] == \
        ["", "", "一", "一"]


def test_bracket_depths_outside_and_inside_brackets():
    # a stray closing bracket and a newline outside brackets leave 0; a newline closes every open bracket
    assert _depths("a）\nb（c(d)e）f") == (0, 0, 0, 0, 0, 1, 1, 2, 1, 1, 0, 0)
    assert _depths("（a（b\nc）") == (0, 1, 1, 2, 0, 0, 0)
    assert _depths("") == ()


def test_item_rows_of_one_part_share_its_leaf_names(seed_disclosure):
    from budgetkit.checks.claims.vocabulary import CellReader, load_vocabulary
    from budgetkit.core.template import load_template

    sources = load_vocabulary(load_template(seed_disclosure.meta.template)).item_sources
    reader = CellReader(seed_disclosure)
    personnel, public, basic = (reader.item_rows(sources[k]) for k in ("personnel", "public", "basic"))
    assert "基本工资" in personnel.with_money and "基本工资" not in public.with_money
    assert "办公费" in public.with_money and "办公费" not in personnel.with_money
    assert personnel.with_money | public.with_money == basic.with_money and len(basic.with_money) == 22
    assert personnel.anywhere == public.anywhere == basic.anywhere
    # asked in another order by another reader: the same rows (the part's names do not depend on who asked first)
    other = CellReader(seed_disclosure)
    assert [other.item_rows(sources[k]) for k in ("basic", "public", "personnel")] == [basic, public, personnel]


def test_claimless_paragraphs_are_remembered_and_give_the_same_claims(monkeypatch):
    from budgetkit.checks.claims import claims as cl
    from budgetkit.checks.claims.vocabulary import load_vocabulary
    from budgetkit.core.template import DEFAULT_TEMPLATE, load_template

    text = ("一、部门职责\n本部门负责全县农业农村工作（另见附件）。\n"
            "一般公共服务支出（类）财政事务（款）行政运行（项）\n基本支出10万元，比上年增加1万元。")
    first = [(c.kind, c.start, c.text, c.topic) for c in extract_claims(segment_narrative(text))]
    remembered = cl._claimless(load_vocabulary(load_template(DEFAULT_TEMPLATE)).grammar)
    assert "本部门负责全县农业农村工作（另见附件）。" in remembered
    # a paragraph with a classification path or with claims is searched every time
    assert not any("（类）" in t or "万元" in t for t in remembered)
    assert [(c.kind, c.start, c.text, c.topic) for c in extract_claims(segment_narrative(text))] == first
    assert [k for k, *_ in first] == ["amount", "change"]
    assert first[0][3] == "一般公共服务支出/财政事务/行政运行"
    # full: forgotten at once, then learnt again
    monkeypatch.setattr(cl, "_CLAIMLESS_KEPT", len(remembered))
    extract_claims(segment_narrative("另一段没有数字的话。"))
    assert remembered == {"另一段没有数字的话。"}


def test_claims_without_a_list_carry_no_list_of_their_own():
    text = "公用经费50万元，较上年减少5万元，主要包括：办公费、水费等。减少原因：压减办公费。"
    claims = extract_claims(segment_narrative(text))
    kinds = {c.kind: c for c in claims}
    assert kinds["amount"].items == () and kinds["amount"].explains == ()
    assert kinds["items"].items == ["办公费", "水费"] and kinds["items"].explains == ()
    assert kinds["reason"].explains == [kinds["amount"].index, kinds["change"].index]  # a list made for it
