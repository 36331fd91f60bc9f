"""项目支出绩效目标表: values read by hand off the seed (line numbers of
data/changzhishi-tunliuqu-caizhengju/2024/source/000_b6cb000e27f50e6b.txt in comments), plus small made-up blocks
for the error paths."""


import pytest
from project_files import SEED

from budgetkit.core.errors import BadAmount, TruncatedDisclosure
from budgetkit.core.model import FUND_SOURCES
from budgetkit.core.template import load_template
from budgetkit.extract.document import Line, split_document, to_lines
from budgetkit.extract.forms import normalize_name, parse_forms, split_goal_columns


@pytest.fixture(scope="module")
def parsed():
    tpl = load_template()
    parts = split_document(to_lines(SEED.read_text(encoding="utf-8")), tpl)
    return parse_forms(parts.forms, tpl, "seed.txt")


@pytest.fixture(scope="module")
def forms(parsed):
    return {f.project: f for f in parsed[0]}


def _yuan(v):  # the form prints 元; the model holds 分
    return v * 100


def _indicator(form, period, name):
    hits = [i for i in form.indicators if i.period == period and i.name == name]
    assert len(hits) == 1, [(i.period, i.name) for i in form.indicators]
    return hits[0]


def test_sixteen_forms_in_printed_order(parsed):
    forms, _ = parsed
    assert [f.index for f in forms] == list(range(1, 17))
    assert forms[0].project == "财政票据电子化管理系统运维费"  # line 927
    assert forms[-1].project == "预算绩效管理费"  # line 6618
    assert forms[0].source_line == 923


def test_wrapped_project_name_is_joined_without_whitespace(forms):
    # lines 4108-4110: '… PPP 项目工程结算审核及竣' / '工财务决算审计费用'
    name = "煤化工工业园区污水处理厂一期工程PPP项目工程结算审核及竣工财务决算审计费用"
    assert name in forms
    assert normalize_name("一期工程 PPP 项目\n竣 工") == "一期工程PPP项目竣工"


def test_header_fields(forms):
    f = forms["财政票据电子化管理系统运维费"]  # lines 927-935
    assert (f.department_code, f.department) == ("017", "长治市屯留区财政局")
    assert f.implementer == "长治市屯留区财政局"
    assert (f.nature, f.nature_detail, f.period_years) == ("一次性项目", "1 年结束", 1)
    # line 1944: '017-长治市屯留区财政局 实施单位 长治市屯留区财政局' on one line
    g = forms["财政性建设资金投资项目工程预决（结）算评审费"]
    assert (g.department_code, g.department, g.implementer) == ("017", "长治市屯留区财政局", "长治市屯留区财政局")
    h = forms["长治市屯留区人民医院新医院建设项目全过程造价咨询服务"]  # line 5156
    assert (h.nature, h.nature_detail, h.period_years) == ("延续性项目", "阶段开展", 3)
    assert forms["长治市屯留区老军庄粮食和物资储备库项目全过程造价咨询服务"].period_years == 2  # line 4798
    assert forms["工作经费"].period_years == 1  # line 3350 '项目期 1年'


@pytest.mark.parametrize("project, implementation, annual", [
    ("财政票据电子化管理系统运维费", 47_600, 47_600),  # lines 945, 949
    ("办公设备更新购置资金", 642_200, 300_000),  # lines 1621, 1625
    ("财政性建设资金投资项目工程预决（结）算评审费", 3_000_000, 2_000_000),  # '3,000,0'/'00' 1952-54; 1960
    ("财政一体化管理系统运行维护费", 1_654_500, 1_654_500),  # '1,654,'/'500'
    ("农村财会人员培训经费", 172_200, 172_200),  # '172,20'/'0'
    ("长治市屯留区人民医院新医院建设项目全过程造价咨询服务", 3_450_000, 1_552_500),  # 5166-68; 5174
    ("预算绩效管理费", 360_000, 360_000),  # line 6628-29: '360,0 年度资金总 360,000' / '（元） 额： 00 额：'
])
def test_fund_totals(forms, project, implementation, annual):
    f = forms[project]
    assert f.fund("implementation") == _yuan(implementation)
    assert f.fund("annual") == _yuan(annual)


def test_fund_sources_by_period(forms):
    f = forms["办公设备更新购置资金"]  # lines 1621-1671
    assert set(f.funds["implementation"]) == set(FUND_SOURCES)
    assert f.funds["implementation"] == {"total": _yuan(642_200), "central": 0, "provincial": 0,
                                         "local": _yuan(642_200), "self_raised": 0, "other": None}
    assert f.funds["annual"] == {"total": _yuan(300_000), "central": 0, "provincial": 0,
                                 "local": _yuan(300_000), "self_raised": 0, "other": None}
    g = forms["预算绩效管理费"]  # local row wraps too: lines 6655-6665
    assert g.fund("implementation", "local") == g.fund("annual", "local") == _yuan(360_000)


def test_wrapped_numbers_are_noted(parsed):
    _, notes = parsed
    wrapped = [n for n in notes if n.kind == "wrapped_value"]
    assert any("预算绩效管理费" in n.location and "'360,0' + '00'" in n.message for n in wrapped)
    assert all(n.severity == "info" for n in wrapped)


def test_sections_present_and_joined(forms):
    for f in forms.values():
        assert list(f.sections) == ["项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施",
                                    "项目实施计划", "实施期目标", "年度目标"]
        assert all(f.sections[k] for k in f.sections), f.project
    f = forms["财政网络安全等级保护"]  # lines 1372-1374
    assert f.sections["立项依据"] == "《长治市财政局关于 2023 年全市财政网络安全督查检查的情况通报》（长财办（2023）7 号）"
    g = forms["财政性建设资金投资项目工程预决（结）算评审费"]  # label split: '项目设立必要' / '性'
    assert g.sections["项目设立必要性"].startswith("为加强财政性建设资金投资项目预算管理")


def test_work_funds_differ_between_overview_and_annual_goal(forms):
    f = forms["工作经费"]
    # line 3418 (项目概况): '委托业务费 10 万元'; line 3479 (年度 column): ' 托业务费 6 万元，工会经费 12'
    assert "委托业务费10万元" in normalize_name(f.sections["项目概况"])
    assert "委托业务费6万元" in normalize_name(f.sections["年度目标"])
    assert "委托业务费10万元" in normalize_name(f.sections["实施期目标"])  # line 3462
    assert "工会经费12万元" in normalize_name(f.sections["年度目标"])


def test_goal_columns_split_when_left_is_short(forms):
    f = forms["财政一体化管理系统运行维护费"]  # lines 2617-2646: 实施期 says only the first sentence
    assert normalize_name(f.sections["实施期目标"]) == "为顺利完成省财政厅一体化管理2.0系统的推进实施，推动预算管理模式和业务规范化建设的深入开展。"
    assert normalize_name(f.sections["年度目标"]).endswith("9、一体化系统资产管理模块运维费9万元。")


def test_goal_columns_interleaved_across_a_page_break(forms):
    f = forms["政府采购信息化系统运维费"]  # line 5721 (page start) continues the 实施期 column
    left, right = normalize_name(f.sections["实施期目标"]), normalize_name(f.sections["年度目标"])
    assert left.endswith("在全省范围内建立网上商城信息跨部门、跨层次的实时共享、共用机制。每年运维费7.98万元。")
    assert right.endswith("在全省范围内建立网上商城信息跨部门、跨层次的实时共享、共用机制。每年运维费7.98万元。")
    assert left.count("每年运维费") == 1 and right.count("每年运维费") == 1


def test_goal_columns_unsplittable_fall_back_to_whole_block():
    assert split_goal_columns(["完全不同的文字甲乙丙", "另一段毫无重复的内容"]) is None


@pytest.mark.parametrize("project, name, value", [
    ("担保补偿补贴资金", "担保费补贴", "36.82万元"),  # lines 3239, 3243 ('36.82 万' / '元')
    ("担保补偿补贴资金", "风险金补偿", "8.37万元"),  # line 3247
    ("财政票据电子化管理系统运维费", "单位端运维费", "400元/家"),  # lines 1171-1185: '400 元 /' / '家'
    ("财政票据电子化管理系统运维费", "单位端", "107个"),  # line 1121
    ("行政事业单位国有资产管理绩效评价费", "绩效评价付费标准", "1000元/家"),  # line 3981
    ("行政事业单位国有资产管理绩效评价费", "开展国有资产管理绩效评价单位数量", "150家"),  # line 3925
    ("农村财会人员培训经费", "培训费标准", "≤200元/人天"),  # lines 4671-4681
    ("农村财会人员培训经费", "计划培训人数", "287人"),  # line 4615
    ("农村财会人员培训经费", "计划每期培训天数", "3天"),  # line 4625
    ("财政网络安全等级保护", "测评费用", "≤10万元"),
    ("财政一体化管理系统运行维护费", "一体化门户系统运维费", "4.85万元"),
    ("财政一体化管理系统运行维护费", "联通50兆专网运维费", "4万元"),
    ("工作经费", "办公设备维修量", "≥50件次"),  # right half prints '≥ 50 件' / '次'
    ("财政性建设资金投资项目工程预决（结）算评审费", "项目单位送审资料", "真实、完整、合法"),
    ("财政性建设资金投资项目工程预决（结）算评审费", "付费标准", "山西省工程造价咨询服务费收费标准"),
])
def test_indicator_values_in_both_periods(forms, project, name, value):
    f = forms[project]
    for period in ("implementation", "annual"):
        assert _indicator(f, period, name).value == value


def test_indicator_levels(forms):
    f = forms["担保补偿补贴资金"]
    cost = _indicator(f, "implementation", "担保费补贴")
    assert (cost.level1, cost.level2) == ("产出指标", "成本指标")
    sat = _indicator(f, "annual", "中小企业满意度")  # lines 3306-3316
    assert (sat.level1, sat.level2, sat.value) == ("满意度指标", "服务对象满意度指标", "≥85%")
    g = forms["办公设备更新购置资金"]  # four cost rows, lines 1807-1833
    costs = [i.name for i in g.indicators if i.period == "annual" and i.level2 == "成本指标"]
    assert costs == ["中高速复印件", "便携式电脑", "台式电脑", "A4打印机"]


def test_every_form_has_indicators_in_both_periods(parsed):
    forms, notes = parsed
    for f in forms:
        periods = {i.period for i in f.indicators}
        assert periods == {"implementation", "annual"}, f.project
        assert all(i.name and i.value for i in f.indicators), f.project
    assert not [n for n in notes if n.severity != "info"]


def test_name_cut_by_a_page_break_is_completed_from_the_other_half(parsed, forms):
    # lines 3712-3725: the 年度 half prints '工作人' / '员满意' and its last '度' lands in the
    # page-bottom line ' 标 度指标 度指标 度'
    f = forms["工作经费"]
    assert _indicator(f, "annual", "工作人员满意度").value == "≥90%"
    assert any(n.kind == "form_indicator_name" and "工作经费" in n.location for n in parsed[1])


# --- made-up blocks: errors and degraded input -------------------------------------------

_FORM = """屯留区县(区)级预算部门（单位）项目支出绩效目标表
项目名称 测试项目
主管部门及代码 001-某某局
实施单位 某某局
项目属性 一次性项目（1 年结束） 项目期 1 年
项目资金
（元）
实施期资金
总额：
{total} 年度资金总额： 5,000
其中：中央
财政资金
0 其中：中央财政资金
0
省级财政资金 省级财政资金 1,000
市县（区）财政资金 5,000 市县（区）财政资金 4,000
单位自筹 0 单位自筹 0
其他资金 其他资金
项目概况 概况文字
立项依据 依据文字
项目设立必要性 必要性文字
保证项目实施的制度、措施 措施文字
项目实施计划 计划文字
实施期目标 年度目标
甲乙丙丁戊己庚辛壬癸子丑
甲乙丙丁戊己庚辛壬癸子丑寅
绩
效
指
标
三级指标 指标值 二级指标 三级指标 指标值
{indicators}
负
责
人：
"""
_ROWS = """产出指标 数量指标
培训人数 10 人 数量指标
培训人数 8 人
成本指标 培训费 ≤200 元/人 成本指标 培训费 ≤200 元/人"""


def _block(text):
    return [Line(i, t) for i, t in enumerate(text.split("\n"), start=1)]


def _one(text):
    forms, notes = parse_forms([_block(text)], load_template(), "made-up.txt")
    return forms[0], notes


def test_made_up_form_blank_left_cell_and_differing_values():
    f, notes = _one(_FORM.format(total="5,000", indicators=_ROWS))
    assert f.project == "测试项目" and f.department_code == "001"
    assert f.funds["implementation"]["provincial"] is None  # left cell blank, right printed
    assert f.funds["annual"]["provincial"] == _yuan(1_000)
    assert f.funds["annual"]["local"] == _yuan(4_000) and f.funds["implementation"]["local"] == _yuan(5_000)
    assert f.funds["annual"]["other"] is None
    assert _indicator(f, "implementation", "培训人数").value == "10人"
    assert _indicator(f, "annual", "培训人数").value == "8人"
    assert _indicator(f, "annual", "培训费").value == "≤200元/人"
    assert f.sections["实施期目标"] == "甲乙丙丁戊己庚辛壬癸子丑"


def test_missing_project_name_is_a_one_line_error():
    text = _FORM.format(total="5,000", indicators=_ROWS).replace("项目名称 测试项目\n", "")
    with pytest.raises(TruncatedDisclosure) as e:
        _one(text)
    assert "made-up.txt" in str(e.value) and "form 1" in str(e.value) and "\n" not in str(e.value)


def test_missing_fund_block_is_a_one_line_error():
    text = _FORM.format(total="5,000", indicators=_ROWS).replace("项目资金\n", "")
    with pytest.raises(TruncatedDisclosure, match="form 1 .*项目资金"):
        _one(text)


def test_non_numeric_fund_cell_names_form_and_cell():
    with pytest.raises(BadAmount) as e:
        _one(_FORM.format(total="待定", indicators=_ROWS))
    msg = str(e.value)
    assert "made-up.txt" in msg and "测试项目" in msg and "资金总额" in msg and "待定" in msg


def test_unreadable_indicators_give_a_warning_not_a_crash():
    f, notes = _one(_FORM.format(total="5,000", indicators="一些 无法 识别 的 文字"))
    assert f.indicators == []
    assert [n.severity for n in notes if n.kind == "form_indicators"] == ["warning"]


def test_goal_columns_without_a_repeated_start_are_noted():
    text = _FORM.format(total="5,000", indicators=_ROWS).replace(
        "甲乙丙丁戊己庚辛壬癸子丑寅", "完全不同的另一段年度目标文字")
    f, notes = _one(text)
    assert f.sections["实施期目标"] == f.sections["年度目标"]
    assert "完全不同的另一段年度目标文字" in f.sections["年度目标"]
    assert [(n.kind, n.severity) for n in notes if n.kind == "form_goal_columns"] == [("form_goal_columns", "info")]


def test_right_cell_blank_left_printed():
    text = _FORM.format(total="5,000", indicators=_ROWS).replace(
        "省级财政资金 省级财政资金 1,000", "省级财政资金 2,000 省级财政资金")
    f, _ = _one(text)
    assert f.funds["implementation"]["provincial"] == _yuan(2_000)
    assert f.funds["annual"]["provincial"] is None


def test_damaged_blocks_raise_only_project_errors():
    """Lines dropped, cut, swapped or inserted: a BudgetkitError or a result, never a traceback."""
    import random

    from budgetkit.core.errors import BudgetkitError

    tpl = load_template()
    blocks = split_document(to_lines(SEED.read_text(encoding="utf-8")), tpl).forms
    rng = random.Random(20240101)
    for _ in range(200):
        b = list(rng.choice(blocks))
        for _ in range(rng.randint(1, 5)):
            i = rng.randrange(len(b))
            r = rng.random()
            if r < 0.4:
                del b[i]
            elif r < 0.7:
                b[i] = Line(b[i].no, b[i].text[:rng.randint(0, len(b[i].text))])
            elif r < 0.85:
                j = rng.randrange(len(b))
                b[i], b[j] = b[j], b[i]
            else:
                b.insert(i, Line(0, rng.choice(["abc", "1,2", "—", "数量指标", " 标", "项目资金", "3,0"])))
        try:
            parse_forms([b], tpl, "damaged.txt")
        except BudgetkitError as e:
            assert "damaged.txt" in str(e) and "\n" not in str(e)


def test_empty_project_name_is_an_error():
    text = _FORM.format(total="5,000", indicators=_ROWS).replace("项目名称 测试项目", "项目名称")
    with pytest.raises(TruncatedDisclosure, match="empty 项目名称"):
        _one(text)
