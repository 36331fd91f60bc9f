"""The shared text helpers the checks read lines through: digits half-width, spaces gone."""

from budgetkit.checks.text.text import norm_digits, squash


def test_full_width_digits_point_and_comma_become_half_width():
    assert norm_digits("预算１，２３４．５０万元，比上年增加") == "预算1,234.50万元,比上年增加"
    assert norm_digits("收入，支出") == "收入,支出"  # the comma alone
    assert norm_digits("２０２４年") == "2024年"  # digits alone
    assert norm_digits("无全角字符。") == "无全角字符。"


def test_squash_drops_every_kind_of_space():
    assert squash(" 2024 年\u3000度\t收入\u00a0总计\r\n１２．５ 万元，") == "2024年度收入总计12.5万元,"
    assert squash("\u3000 \n") == ""
