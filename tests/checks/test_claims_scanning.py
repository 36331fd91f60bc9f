"""The claims parser's helpers that read positions: bracket depth, the section after an offset, cached look-ups."""

from budgetkit.checks.claims.claims import Claim, _depths, claims_section, extract_claims
from budgetkit.checks.claims.vocabulary import load_vocabulary
from budgetkit.core.template import DEFAULT_TEMPLATE, load_template
from budgetkit.dataset.narrative import segment_narrative


def test_depths_count_brackets_and_a_newline_closes_them():
    text = "a（b(c）d）e）\n（f\ng"
    # an opening bracket stands at the depth outside it, a closing one at the depth after it; never below 0
    assert _depths(text) == (0, 0, 1, 1, 2, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0)
    assert _depths("") == ()
    assert _depths("abc") == (0, 0, 0)


def test_claims_section_is_the_section_of_the_first_claim_at_or_after():
    claims = [Claim(i, "amount", start, start + 2, "x", section=sec)
              for i, (start, sec) in enumerate([(0, "一"), (5, "一"), (5, "二"), (9, "三")])]
    assert claims_section(claims, 0, claims[-1]) == "一"
    assert claims_section(claims, 3, claims[0]) == "一"  # the first of two claims at 5
    assert claims_section(claims, 6, claims[0]) == "三"
    assert claims_section(claims, 9, claims[0]) == "三"
    assert claims_section(claims, 10, claims[1]) == "一"  # none after: the fallback's


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
