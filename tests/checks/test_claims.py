"""Claim extraction: the seed's 第三部分 counted by hand, and short excerpts in phrasings written here."""

from decimal import Decimal

import pytest

from budgetkit.checks.claims.claims import extract_claims
from budgetkit.dataset.narrative import segment_narrative


def claims_of(text):
    return extract_claims(segment_narrative(text))


def by_kind(claims, kind):
    return [c for c in claims if c.kind == kind]


@pytest.fixture(scope="module")
def seed_claims(seed_disclosure):
    return seed_disclosure.narrative, extract_claims(seed_disclosure.narrative)


def test_seed_claim_counts_by_hand(seed_claims):
    # Counted from seed lines 805-920 (第三部分 一…十二):
    # amounts: 一 6, 二 7, 三 3, 四 11, 五 7, 六 3, 八 1, 九 4, 十 10, 十一 2 (50万元, 100万元) = 54
    # shares: 二 6, 三 2, 五 5, 十 1 (100%) = 14; changes: 一 2, 五 1, 八 1 = 4; reasons: 一 2, 八 1 = 3
    # item lists: 六 2; counts: 八 1家, 十 8 (1个 ×2, 16个 ×4, 0个 ×2), 十一 12 (0辆 ×9, 4162平方米, 0台（套）×2) = 21
    _, claims = seed_claims
    counts = {k: len(by_kind(claims, k)) for k in ("amount", "share", "change", "reason", "items", "count")}
    assert counts == {"amount": 54, "share": 14, "change": 4, "reason": 3, "items": 2, "count": 21}
    assert len(claims) == 98


def test_seed_claims_keep_exact_spans_and_sections(seed_claims):
    narrative, claims = seed_claims
    for c in claims:
        assert narrative.text[c.start:c.end] == c.text
        assert c.section in {"一", "二", "三", "四", "五", "六", "八", "九", "十", "十一"}
        assert c.text in narrative.sentences[c.sentence].text


def test_seed_change_in_section_eight(seed_claims):
    # line 884: 机关运行经费财政拨款预算28.44万元，比2023年预算减少2.4万元，下降7.78%，原因是人员减少…
    _, claims = seed_claims
    change = next(c for c in by_kind(claims, "change") if c.section == "八")
    assert change.direction == -1 and change.basis == "2023年预算"
    assert change.money.value == Decimal("2.4") and change.money.decimals == 1 and change.money.fen == 2_400_000
    assert change.percent == Decimal("7.78") and change.percent_decimals == 2
    assert change.subject == "机关运行经费财政拨款预算" and change.subject_key == "office_running"  # as written
    assert claims[change.refers_to].money.fen == 28_440_000
    reason = next(c for c in by_kind(claims, "reason") if c.section == "八")
    assert reason.refers_to == change.index and reason.reason.startswith("人员减少")


def test_seed_share_numerator_and_denominator(seed_claims):
    # line 822: 预算收入1,716.73万元，主要包括一般公共预算拨款收入1,664.74万元，占96.97%
    _, claims = seed_claims
    share = next(c for c in by_kind(claims, "share") if c.percent == Decimal("96.97"))
    assert share.subject == "一般公共预算拨款收入"
    assert claims[share.refers_to].money.fen == 1_664_740_000
    assert claims[share.denominator].money.fen == 1_716_730_000
    explicit = next(c for c in by_kind(claims, "share") if c.section == "十")
    assert explicit.denominator_phrase == "部门（单位）项目支出总额"
    assert claims[explicit.denominator].subject == "项目支出"


def test_seed_items_counts_and_subjects(seed_claims):
    _, claims = seed_claims
    personnel, public = by_kind(claims, "items")
    assert personnel.subject == "人员经费" and len(personnel.items) == 10
    assert personnel.items[0] == "其他社会保障缴费" and personnel.items[-1] == "职工基本医疗保险缴费"
    assert public.subject == "公用经费"
    assert public.items == ["邮电费", "办公费", "印刷费", "电费", "其他交通费用", "差旅费"]
    projects = [c for c in by_kind(claims, "count") if c.count == 16]
    assert len(projects) == 4 and "二级项目" in projects[0].subject
    unit = next(c for c in by_kind(claims, "count") if c.section == "八")
    assert (unit.count, unit.count_unit, unit.subject) == (1, "家", "行政单位")
    # subjects as the seed names them (line 807 预算收入总计, 884 机关运行经费财政拨款预算), keyed to the vocabulary
    subjects = {c.subject for c in by_kind(claims, "amount")}
    assert {"预算收入总计", "基本支出", "项目支出", "人员经费", "公用经费", "机关运行经费财政拨款预算", "一般公共服务支出",
            "政府采购预算总额", "上年结转"} <= subjects
    keys = {c.subject_key for c in by_kind(claims, "amount")}
    assert {"income_grand_total", "office_running", "basic", "class_201"} <= keys


def test_seed_breakdowns(seed_claims):
    # line 890: 政府采购预算总额60.65万元。其中：货物21.65万元、工程0万元、服务39.00万元
    _, claims = seed_claims
    head = next(c for c in claims if c.subject == "政府采购预算总额")
    parts = [c for c in claims if c.breakdown_of == head.index]
    assert [c.money.fen for c in parts] == [21_650_000, 0, 39_000_000]


# ---------------------------------------------------------------- phrasings written for these tests


def test_yuan_with_thousands_separators_and_same_period():
    claims = claims_of("一、收入\n本年收入12,345,678.90元，同比增长5.2%。")
    (amount,) = by_kind(claims, "amount")
    assert amount.money.unit == "元" and amount.money.fen == 1_234_567_890
    (change,) = by_kind(claims, "change")
    assert change.basis == "同比" and change.direction == 1 and change.money is None
    assert change.percent == Decimal("5.2") and change.percent_decimals == 1
    assert change.refers_to == amount.index and change.subject == "本年收入"


def test_full_width_digits_and_hundred_million_unit():
    claims = claims_of("项目支出１．２亿元，较上年减少800万元，下降6.25%，主要原因是项目完工。")
    amount = by_kind(claims, "amount")[0]
    assert amount.money.fen == 12_000_000_000 and amount.subject == "项目支出"
    (change,) = by_kind(claims, "change")
    assert change.direction == -1 and change.money.fen == 800_000_000 and change.percent == Decimal("6.25")
    (reason,) = by_kind(claims, "reason")
    assert reason.refers_to == change.index and reason.reason == "项目完工"


def test_flat_and_named_year():
    claims = claims_of("基本支出300万元，与上年持平。机关运行经费50.5万元，比2023年增加5.5万元，增长12.22%。")
    flat, up = by_kind(claims, "change")
    assert flat.direction == 0 and flat.subject == "基本支出"
    assert up.basis == "2023年" and up.direction == 1 and up.money.fen == 5_500_000
    assert up.subject == "机关运行经费"


def test_shares_with_implicit_and_named_denominators():
    text = ("部门收入总计500万元，其中：一般公共预算拨款收入400万元，占80%；上年结转100万元，占20%。"
            "项目支出80万元，占项目支出总额的100%。")
    claims = claims_of(text)
    s1, s2, s3 = by_kind(claims, "share")
    total = next(c for c in claims if c.kind == "amount" and c.money.fen == 500_000_000)
    assert s1.denominator == total.index and s2.denominator == total.index
    assert claims[s1.refers_to].money.fen == 400_000_000
    assert s3.denominator_phrase == "项目支出总额"
    parts = [c for c in claims if c.breakdown_of == total.index]
    assert len(parts) == 2


def test_counts_with_noun_after_classifier_and_lists():
    claims = claims_of("本部门所属3家事业单位，纳入管理的项目12个。公用经费10万元，主要包括：办公费、水费、电费等。")
    counts = by_kind(claims, "count")
    assert [(c.count, c.subject) for c in counts] == [(3, "事业单位"), (12, "纳入管理的项目")]
    (items,) = by_kind(claims, "items")
    assert items.items == ["办公费", "水费", "电费"] and items.subject == "公用经费"


def test_rates_and_thresholds_are_not_amounts():
    claims = claims_of("运维费400元/年，共计47600元。")
    assert [c.money.fen for c in by_kind(claims, "amount")] == [4_760_000]


def test_rate_in_brackets_and_reason_phrasings():
    claims = claims_of("项目支出500万元，比上年增加100万元（增长25%），主要是新增信息化项目。")
    (change,) = by_kind(claims, "change")
    assert change.percent == Decimal("25") and change.money.fen == 100_000_000
    (reason,) = by_kind(claims, "reason")
    assert reason.refers_to == change.index and reason.reason == "新增信息化项目"
    claims = claims_of("公用经费50万元，较上年减少5万元，降幅9.09%。减少原因：压减办公费。")
    (change,) = by_kind(claims, "change")
    assert change.direction == -1 and change.percent == Decimal("9.09")
    (reason,) = by_kind(claims, "reason")
    assert reason.refers_to == change.index


def test_claims_frame_lists_every_claim(seed_disclosure):
    from budgetkit.checks.claims.listing import claims_listing as claims_frame

    frame = claims_frame(seed_disclosure.narrative)
    assert len(frame) == 98
    row = frame[(frame["kind"] == "change") & (frame["section"] == "八")].iloc[0]
    assert row["value"] == "2023年预算减少2.4万元，7.78%" and row["subject"] == "机关运行经费财政拨款预算"
    cn = claims_frame(seed_disclosure.narrative, chinese=True)
    assert list(cn.columns) == ["序号", "类型", "节", "句", "所指", "数值", "关联", "位置"]
