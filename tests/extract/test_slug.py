"""Default slugs: pinyin with place names read as they are said (长治 is Chángzhì, 长子 is Zhǎngzǐ)."""

from budgetkit.extract import slugify


def test_place_names_read_as_said():
    assert slugify("长治市屯留区财政局") == "changzhishi-tunliuqu-caizhengju"  # the shipped dataset's slug
    assert slugify("长治市长子县教育局") == "changzhishi-zhangzixian-jiaoyuju"  # 长子 keeps zhǎng
    assert slugify("临汾市洪洞县财政局") == "linfenshi-hongtongxian-caizhengju"
    assert slugify("长沙市财政局") == "changshashi-caizhengju"  # pypinyin's own phrase data


def test_slug_is_ascii_and_never_empty():
    assert slugify("") == "department" and slugify("（）") == "department"
    assert slugify("屯留区 财政局2024") == "tunliuqu-caizhengju-2024"
