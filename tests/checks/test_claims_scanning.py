"""The claims parser's helpers that read positions: bracket depth, the section after an offset, cached look-ups."""

from decimal import Decimal

from budgetkit.checks.claims.claims import Claim, _depths, _first_at, extract_claims
from budgetkit.checks.claims.vocabulary import load_vocabulary
from budgetkit.core.template import DEFAULT_TEMPLATE, load_template
from budgetkit.dataset.narrative import segment_narrative


def test_depths_count_brackets_and_a_newline_closes_them():
    text = "a（b(c）d）e）\n（f\ng"
    # an opening bracket stands at the depth outside it, a closing one at the depth after it; never below 0
    assert _depths(text) == (0, 0, 1, 1, 2, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0)
    assert _depths("") == ()
    assert _depths("abc") == (0, 0, 0)


def test_first_claim_at_or_after_an_offset():
    claims = [Claim(i, "amount", start, start + 2, "x", section=sec)
              for i, (start, sec) in enumerate([(0, "一"), (5, "一"), (5, "二"), (9, "三")])]
    assert _first_at(claims, 0) is claims[0]
    assert _first_at(claims, 3) is claims[1]  # the first of two claims at 5
    assert _first_at(claims, 6) is claims[3]
    assert _first_at(claims, 9) is claims[3]
    assert _first_at(claims, 10) is None
    assert _first_at([], 0) is None


def test_find_gives_the_same_match_for_the_same_squashed_phrase():
    vocab = load_vocabulary(load_template(DEFAULT_TEMPLATE))
    first = vocab.find("本部门基本支出")
    assert first is not None and first.subject.key == vocab.find("本部门 基本支出").subject.key
    assert vocab.find("本部门 基本支出") == first and first.end == len("本部门基本支出")
    assert vocab.find("与任何科目无关的话") is None


def test_claims_of_a_narrative_are_the_same_when_read_twice():
    text = ("三、一般公共预算财政拨款支出决算情况说明\n"
            "2023年度一般公共预算财政拨款支出123.45万元，其中：基本支出100.00万元，项目支出23.45万元。"
            "比上年增加10.00万元，增长8.8%，主要原因是人员增加。\n")
    once = [(c.kind, c.start, c.subject_key, c.refers_to, c.breakdown_of) for c in extract_claims(segment_narrative(text))]
    again = [(c.kind, c.start, c.subject_key, c.refers_to, c.breakdown_of) for c in extract_claims(segment_narrative(text))]
    assert once == again and len(once) >= 5
    assert [k for k, *_ in once].count("amount") == 3


def test_numbers_read_exactly_ascii_full_width_and_with_separators():
    text = "一、收支情况\n收入1,716.73万元，支出１，７１６．７０万元，结余0.03万元，占0.0017%，单位３家，较上年增长12.50%。\n"
    claims = extract_claims(segment_narrative(text))
    amounts = [(c.money.value, c.money.decimals, c.money.fen) for c in claims if c.kind == "amount"]
    assert amounts == [(Decimal("1716.73"), 2, 17_167_300_00), (Decimal("1716.70"), 2, 17_167_000_00),
                       (Decimal("0.03"), 2, 300_00)]
    assert str(amounts[1][0]) == "1716.70"  # the printed decimals are kept
    share = next(c for c in claims if c.kind == "share")
    assert (share.percent, share.percent_decimals) == (Decimal("0.0017"), 4)
    count = next(c for c in claims if c.kind == "count")
    assert (count.count, count.count_unit) == (3, "家")
    change = next(c for c in claims if c.kind == "change")
    assert (change.percent, change.percent_decimals, change.direction) == (Decimal("12.50"), 2, 1)


def test_an_amount_finer_than_a_fen_is_no_amount():
    claims = extract_claims(segment_narrative("一、收支情况\n收入1.234元，支出5.5元。\n"))
    assert [c.money.fen for c in claims if c.kind == "amount"] == [550]


def test_counts_are_numbers_not_glued_to_a_number_before_them():
    from budgetkit.checks.claims.grammar import COUNT
    found = [(m.group("num"), m.group("cls")) for m in COUNT.finditer("3家，1.5个，12,3个，a１２个，0台（套），7辆")]
    assert found == [("3", "家"), ("１２", "个"), ("0", "台（套）"), ("7", "辆")]
    assert [m.span() for m in COUNT.finditer("45个", 1)] == []  # the digit before the start still counts


def test_measure_of_a_phrase_is_the_same_when_asked_again():
    grammar = load_vocabulary(load_template(DEFAULT_TEMPLATE)).grammar
    words = "2023年一般公共预算财政拨款支出年初预算"
    first = grammar.measure_of(words)
    assert first == ("budget", words.index("年初预算")) and grammar.measure_of(words) == first
    assert grammar.measure_of("基本支出") == ("", -1)


def test_a_paragraph_without_basis_or_percent_has_no_change_or_share():
    claims = extract_claims(segment_narrative("一、收支情况\n收入增加10.00万元，增长5%，占收入的20%。\n支出增加3万元。\n"))
    kinds = [c.kind for c in claims]
    assert kinds.count("share") == 1 and kinds.count("change") == 1  # the bare change: amount and rate given
    assert [c.kind for c in claims if c.paragraph == 2] == ["amount"]


def test_a_printed_amount_knows_its_fen_and_quantum_from_the_start():
    import pytest

    from budgetkit.checks.claims.claims import Money
    from budgetkit.core.errors import BadAmount

    m = Money("1.5", Decimal("1.5"), "万元", 1)
    assert (m.fen, m.quantum) == (1_500_000, 100_000)
    assert (Money("0.03", Decimal("0.03"), "亿元", 2).fen, Money("0.03", Decimal("0.03"), "亿元", 2).quantum) == (
        300_000_000, 100_000_000)
    assert Money("2", Decimal("2"), "元", 0) == Money("2", Decimal("2"), "元", 0) and str(m) == "1.5万元"
    with pytest.raises(BadAmount):
        Money("1.234", Decimal("1.234"), "元", 3)
