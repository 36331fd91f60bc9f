"""Hand checks on the narrative text: each check finds the slip review sheets list and leaves look-alikes alone.

Excerpts restate the phrasing of real disclosures (the seed, the Shanghai samples
in ../shared/samples — see benchmarks/text_checks_survey.py for the run on the
PDFs themselves); the seed's own narrative is checked whole at the end.
"""


import pytest
from project_files import SHIPPED

from budgetkit.checks.text import (
    CHECKS,
    TextFacts,
    check_class_names,
    check_conflicting_amounts,
    check_department_names,
    check_doubled_punctuation,
    check_empty_reasons,
    check_kind_misnamed,
    check_missing_end_punctuation,
    check_template_phrases,
    check_truncated_reasons,
    check_unbalanced_brackets,
    check_years,
    find_text_problems,
)

SEED_NARRATIVE = SHIPPED / "narrative.txt"

DEPT_BUDGET = TextFacts(2024, "budget", "department", "上海市某区人民政府某街道办事处",
                        {"208": "社会保障和就业支出", "210": "卫生健康支出", "221": "住房保障支出"})
UNIT_BUDGET = TextFacts(2024, "budget", "unit", "上海市某区社会福利院",
                        {"208": "社会保障和就业支出", "210": "卫生健康支出", "221": "住房保障支出"})
FINAL = TextFacts(2024, "final_accounts", "department", "上海市某区规划和自然资源局",
                  {"210": "卫生健康支出", "220": "自然资源海洋气象等支出"})


def only(problems, check=None):
    assert len(problems) == 1, problems
    p = problems[0]
    if check:
        assert p.check == check
    return p


def at(text, words, nth=0):
    """(start, end) of the nth occurrence of words in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


# --- reasons -----------------------------------------------------------------

def test_empty_reason_is_found():
    text = "（二）公务用车购置及运行费6.40万元，与2023年预算持平，主要原因是。其中：公务用车购置费0.00万元。"
    p = only(check_empty_reasons(text, UNIT_BUDGET), "empty_reason")
    assert (p.start, p.end) == at(text, "主要原因是。")
    assert p.actual == "主要原因是。" and p.excerpt == "主要原因是。" and p.severity == "warning"


def test_reason_none_after_a_stated_change_is_empty_but_not_after_no_change():
    wrong = "机关运行经费比2023年预算减少2.40万元，主要原因：无。"
    assert only(check_empty_reasons(wrong, DEPT_BUDGET)).actual == "主要原因：无。"
    assert check_empty_reasons("公务接待费与2023年预算持平，主要原因：无。", DEPT_BUDGET) == []


def test_a_stated_reason_is_not_empty():
    text = "（三）公务接待费1.35万元。比2023年预算持平，主要原因是公务接待费保持不变。"
    assert check_empty_reasons(text, DEPT_BUDGET) == [] and check_truncated_reasons(text, DEPT_BUDGET) == []


def test_reason_colon_introducing_a_list_is_not_empty():
    text = "财政拨款收入支出总计持平。主要原因：\n基本支出中人员进出及退休变化。\n1、人员减少。"
    assert check_empty_reasons(text, FINAL) == []
    listed = "比上年增加10.00万元，主要原因：\n1.人员增加。"
    assert check_empty_reasons(listed, DEPT_BUDGET) == []


def test_reason_colon_before_the_next_heading_is_empty():
    text = "比上年增加10.00万元，主要原因：\n三、支出预算情况说明"
    p = only(check_empty_reasons(text, DEPT_BUDGET))
    assert (p.start, p.end) == at(text, "主要原因：")


def test_truncated_reasons_are_found():
    cut = "比上年增加10.00万元，主要原因是由于。"
    p = only(check_truncated_reasons(cut, DEPT_BUDGET), "truncated_reason")
    assert p.actual == "主要原因是由于。" and (p.start, p.end) == at(cut, "主要原因是由于。")
    dangling = "比上年增加10.00万元，主要原因是人员增加和。"
    assert only(check_truncated_reasons(dangling, DEPT_BUDGET)).actual == "主要原因是人员增加和。"
    at_end = "比上年增加210.23万元，增长13.95%，主要原因是\n二、收入预算情况说明"
    p = only(find_text_problems(at_end, DEPT_BUDGET))  # the missing stop is part of the same slip
    assert p.check == "truncated_reason" and p.actual == "主要原因是"


def test_reasons_that_start_with_a_connective_are_complete():
    text = "主要原因是由于人员增加。主要原因是人员增加导致的。"
    assert check_truncated_reasons(text, DEPT_BUDGET) == []


# --- template phrases --------------------------------------------------------

def test_template_alternatives_left_in():
    text = "2024 年度“三公”经费财政拨款支出决算数比 2023 年度减少 0.15 万元，下降（增长）27.78%，"
    p = only(check_template_phrases(text, FINAL), "template_phrase")
    assert p.actual == "下降（增长）" and (p.start, p.end) == at(text, "下降（增长）")
    assert p.excerpt == "下降（增长）27.78%，"


def test_template_self_reference_alternative_but_not_a_generic_one():
    wrong = "截至 2024 年 12 月 31 日，上海市某区规划和自然资源局部门（单位）共有车辆 0 辆。"
    p = only(check_template_phrases(wrong, FINAL))
    assert p.actual == "部门（单位）" and p.expected == "部门"
    # duties and form titles speak of departments (units) in general
    right = "审核批复部门（单位）的年度预决算。预算部门（单位）项目支出绩效目标表。占部门（单位）项目支出总额的100%。"
    assert check_template_phrases(right, FINAL) == []


def test_placeholders_and_notes_to_the_writer():
    text = "上海市 XX 局 2024 年度收入支出总计 XXX 万元。主要原因：XXXXXXXX。（如持平作持平表述）"
    found = check_template_phrases(text, FINAL)
    assert [p.actual for p in found] == ["XX", "XXX", "XXXXXXXX", "（如持平作持平表述）"]
    assert found[1].excerpt == "上海市 XX 局 2024 年度收入支出总计 XXX 万元。"
    note = "五、国有资产占有使用情况（增加内容）"
    assert only(check_template_phrases(note, UNIT_BUDGET)).actual == "（增加内容）"


def test_letters_in_codes_and_legitimate_remarks_are_not_placeholders():
    text = ("根据《上海市普陀区万里社区W060701单元W-07、X101街坊控制性详细规划》，用地面积约为4000.6平方米"
            "（以实测为准）。采购XXL码工作服，型号ABC-XX100。政府采购金额（以合同签订为准）为251.25万元。")
    assert check_template_phrases(text, DEPT_BUDGET) == []


# --- punctuation -------------------------------------------------------------

def test_doubled_punctuation():
    text = "主要用于人员经费。。公用经费，，主要包括办公费；。"
    found = check_doubled_punctuation(text, DEPT_BUDGET)
    assert [(p.actual, p.expected) for p in found] == [("。。", "。"), ("，，", "，"), ("；。", "。")]
    assert (found[0].start, found[0].end) == at(text, "。。")


def test_single_marks_and_thousands_separators_are_not_doubled():
    text = "收入预算1,716.73万元，其中：本年收入1,664.74万元。他说：“好。”（见附件）。"
    assert check_doubled_punctuation(text, DEPT_BUDGET) == []


def test_prose_paragraph_without_full_stop():
    text = ("二、机关运行经费预算\n"
            "2025年某街道办事处下属1家机关和1家参公事业单位财政拨款的机关运行经费预算为464.64万元\n"
            "三、政府采购预算情况")
    p = only(check_missing_end_punctuation(text, DEPT_BUDGET), "missing_end_punctuation")
    last = text.index("万元\n三") + 1
    assert (p.start, p.end) == (last, last + 1)
    assert p.actual == "元" and p.expected == "。"
    assert p.excerpt.endswith("预算为464.64万元")


def test_headings_lists_fields_dates_and_notes_need_no_full_stop():
    text = "\n".join([
        "十二、其他说明", "（一）政府购买服务指导性目录", "法律顾问服务，监督检查辅助服务，评审服务",
        "（二）其他", "无", "1、车辆情况：", "（项目绩效目标表公开情况见附件）",
        "涉及资金1664.74万元。（部门整体目标表公开情况见附件）", "附件：山西省财政厅关于印发目录（B类）的通知",
        "信息公开选项：主动公开", "长治市财政局办公室 2023年9月 7日印发", "2025年1月1日至2025年12月31日",
        "6、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）", "本年收入合计   1,664.74   1,664.74",
        "主要职能包括：", "详见单位的项目绩效目标表",
    ])
    assert check_missing_end_punctuation(text, DEPT_BUDGET) == []


def test_a_line_join_that_failed_is_not_a_missing_stop():
    text = "1、教育支出（类）普通教育（款）初中教育（项）。主要用\n于：办公费。\n财政拨款收入\n万元，占100%。"
    assert check_missing_end_punctuation(text, FINAL) == []


def test_unclosed_bracket_in_a_paragraph():
    text = ("绩效自评的2024年度项目39个，涉及预算金额4415.48万元，平均得分99.33分（其中，绩效评级为“优”的项目39个；"
            "绩效评级为“不合格”的项目0个。绩效自评中共发现问题0个。")
    p = only(check_unbalanced_brackets(text, FINAL), "unbalanced_brackets")
    assert p.actual == "（" and p.start == text.index("（其中") and p.excerpt == "平均得分99.33分（其中，"


def test_quote_typed_the_wrong_way_round_is_one_problem():
    text = "按照“谁受益、谁补贴“原则，给予补贴。"
    p = only(check_unbalanced_brackets(text, DEPT_BUDGET))
    assert p.start == text.index("“原则") and (p.actual, p.expected) == ("“", "”")


def test_balanced_and_wrapped_brackets_are_left_alone():
    balanced = "平均得分99.43分（其中，绩效评级为“优”的项目4个；正在整改的0个）。因公出国(境)费0万元。"
    assert check_unbalanced_brackets(balanced, FINAL) == []
    # a cited title printed over three lines
    wrapped = "转发《山西省财政厅关于印发〈山西省\n政府购买服务指导性目录（B 类）〉\n的通知》的通知"
    assert check_unbalanced_brackets(wrapped, DEPT_BUDGET) == []


# --- the document's own kind -------------------------------------------------

def test_unit_document_calling_itself_a_department():
    text = "四、部门预算编制说明\n2024年部门预算安排购置车辆0辆。本部门2024年政府采购预算120.60万元。"
    found = check_kind_misnamed(text, UNIT_BUDGET)
    assert [(p.actual, p.expected) for p in found] == [("部门预算编制说明", "单位预算编制说明"), ("部门预算", "单位预算"),
                                                        ("本部门", "本单位")]
    assert found[0].start == text.index("部门预算编制说明")
    assert found[1].start == text.index("部门预算安排")


def test_unit_document_naming_departments_legitimately():
    text = ("八、2024年预算单位一般公共预算基本支出部门预算经济分类预算表\n"
            "是区级预算主管部门及所属预算单位为保障其机构正常运转而编制的年度基本支出计划。\n"
            "本单位是某区民政局所属事业单位，纳入部门预算管理。\n2024年单位预算安排购置车辆0辆。")
    assert check_kind_misnamed(text, UNIT_BUDGET) == []


def test_department_document_calling_itself_a_unit():
    text = "二、单位机构设置\n本单位2024年单位预算安排如下。"
    found = check_kind_misnamed(text, DEPT_BUDGET)
    assert [(p.actual, p.expected) for p in found] == [("单位机构设置", "部门机构设置"), ("单位预算", "部门预算")]


def test_department_document_speaking_of_its_units():
    text = ("某街道办事处部门预算是包括本部以及下属 5 家预算单位的综合收支计划。\n"
            "本部门所属预算单位2024年单位预算支出合计100.00万元，单位：万元。\n"
            "各单位预算支出均按标准编制。本部门2024年所属1家行政单位机关运行经费财政拨款预算28.44万元。")
    assert check_kind_misnamed(text, DEPT_BUDGET) == []


def test_final_account_calling_itself_a_budget():
    text = "第三部分 2024年度部门预算情况说明\n一、部门预算编制说明"
    found = check_kind_misnamed(text, FINAL)
    assert [(p.actual, p.expected) for p in found] == [("部门预算情况说明", "部门决算情况说明"),
                                                        ("部门预算编制说明", "部门决算编制说明")]


def test_final_account_speaking_of_its_budget():
    text = ("一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。"
            "决算数小于预算数的主要原因：项目调整。\n本部门2024年度部门预算绩效管理工作开展情况如下：\n"
            "2024年部门预算执行情况良好。")
    assert check_kind_misnamed(text, FINAL) == []


def test_budget_calling_itself_a_final_account():
    wrong = "第三部分 2024年度部门决算情况说明"
    assert only(check_kind_misnamed(wrong, DEPT_BUDGET)).expected == "部门预算情况说明"
    assert check_kind_misnamed("2023年部门决算支出为120.00万元。", DEPT_BUDGET) == []


# --- names -------------------------------------------------------------------

def test_class_name_differing_from_the_tables():
    text = ("5. “医疗卫生与计划生育支出（类）行政事业单位医疗（款）事业单位医疗（项）”50.37万元，主要用于人员医疗保险。")
    p = only(check_class_names(text, UNIT_BUDGET), "class_name_mismatch")
    assert (p.start, p.end) == at(text, "医疗卫生与计划生育支出")
    assert (p.expected, p.actual) == ("卫生健康支出", "医疗卫生与计划生育支出")


def test_outdated_class_name_without_table_names():
    text = "文化体育与传媒支出（类）20.00万元。"
    facts = TextFacts(2024, "budget", "department", "某局")
    assert only(check_class_names(text, facts)).expected == "文化旅游体育与传媒支出"
    # a 2018 document still used the old name
    assert check_class_names(text, TextFacts(2018, "budget", "department", "某局")) == []


def test_current_class_name_is_right_even_when_the_tables_print_the_old_one():
    facts = TextFacts(2024, "budget", "unit", "某院", {"210": "医疗卫生与计划生育支出"})
    assert check_class_names("卫生健康支出（类）50.37万元。", facts) == []
    # the old name everywhere is still the old name in a 2024 document
    p = only(check_class_names("医疗卫生与计划生育支出（类）50.37万元。", facts))
    assert p.expected == "卫生健康支出"


def test_class_names_as_printed_and_lower_levels_are_fine():
    text = ("4. “社会保障和就业支出（类）社会福利（款）社会福利事业单位（项）”738.66万元。"
            "“住房保障支出（类）住房保障支出（款）住房公积金（项）”。卫生健康支出（类）60.99万元；"
            "其他文化体育与传媒支出5.00万元。")
    assert check_class_names(text, UNIT_BUDGET) == []


def test_department_name_misspelled_where_the_text_speaks_of_itself():
    text = ("2024 年，上海市某区规划与自然资源局所属各预算单位开支财政拨款的公务用车保有量为 0 辆。\n"
            "上海市某区规划与自然资源局 2024 年度无政府性基金预算财政拨款收入和支出。")
    found = check_department_names(text, FINAL)
    assert [p.actual for p in found] == ["上海市某区规划与自然资源局"] * 2
    assert (found[0].start, found[0].end) == at(text, "上海市某区规划与自然资源局")
    assert found[0].expected == "上海市某区规划和自然资源局"


def test_other_bodies_short_forms_and_subordinates_are_not_the_department():
    text = ("上海市某区规划和自然资源局2024年度收入支出总计9859.38万元。\n"
            "纳入上海市某区规划和自然资源局 2024 年度部门决算编制范围的单位包括：\n"
            "区规划和自然资源局所属各预算单位开支财政拨款的公务用车保有量为0辆。\n"
            "上海市某区土地发展中心收入预算10万元。上海市某区规划和自然资源局执法大队共有车辆1辆。\n"
            "上海市某区人民政府办公室所属各预算单位。根据上海市某区规划与自然资源局的要求开展工作。")
    assert check_department_names(text, FINAL) == []


# --- years -------------------------------------------------------------------

def test_last_years_heading_and_stock_date():
    text = "一、2023年“三公”经费预算情况说明\n截至2022年12月31日，某街道办事处共有车辆7辆。"
    found = check_years(text, DEPT_BUDGET)
    assert [(p.actual, p.expected) for p in found] == [("2023年", "2024年"), ("2022年", "2023年或2024年")]
    assert (found[1].start, found[1].end) == at(text, "2022年")


def test_final_account_dated_a_year_early():
    text = "截至2023年12月31日，本部门共有车辆0辆。\n2023年度收入支出决算总计100.00万元。"
    found = check_years(text, FINAL)
    assert [(p.actual, p.expected) for p in found] == [("2023年", "2024年或2025年"), ("2023年", "2024年")]


def test_legitimate_years_of_a_budget():
    text = ("2024年，某街道办事处收入预算15621.11万元，比2023年预算减少876.75万元。\n"
            "2023年当年预算执行数为60.13万元，2024年预算安排25.77万元。\n"
            "截至2023年8月31日，某街道办事处共有车辆7辆。\n一、2023年预算执行情况\n"
            "根据沪府规【2016】168号文关于同意《2016年控制性详细规划局部调整》的批复建设。\n"
            "长治市财政局办公室 2023年9月 7日印发\n二、2025年工作目标")
    assert check_years(text, DEPT_BUDGET) == []


def test_legitimate_years_of_a_final_account():
    text = ("上海市某区规划和自然资源局 2024 年度收入支出总计 9859.38 万元。与 2023 年度相比，收入支出总计增加 1062.85 万元。\n"
            "截至 2024 年 12 月 31 日，本部门共有车辆 0 辆。\n2023年度部门决算数为10万元，2024年度部门决算数为12万元。")
    assert check_years(text, FINAL) == []


# --- amounts stated twice ----------------------------------------------------

def test_item_amount_contradicted_by_its_own_budget_line():
    text = ("31. “住房保障支出（类）住房改革支出（款）住房公积金（项）”350.35万元，主要用于住房公积金。"
            "2023年当年预算执行数为348.52万元，2024年预算安排352.67万元，比2023年预算执行数增加0.53%。")
    p = only(check_conflicting_amounts(text, DEPT_BUDGET), "conflicting_amounts")
    assert p.severity == "error" and (p.expected, p.actual) == ("350.35万元", "352.67万元")
    assert (p.start, p.end) == at(text, "2024年预算安排352.67万元")
    assert p.excerpt == "2024年预算安排352.67万元，"


def test_same_item_named_twice_with_two_amounts():
    text = "（三）公务接待费1.35万元，主要用于接待。公务接待费2.00万元。"
    p = only(check_conflicting_amounts(text, DEPT_BUDGET))
    assert (p.expected, p.actual, p.excerpt) == ("1.35万元", "2.00万元", "公务接待费2.00万元。")


def test_prior_year_figures_changes_parts_and_thresholds_are_not_conflicts():
    text = "\n".join([
        "1. “社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）”53.84万元，主要用于福利费。"
        "2023年当年预算执行数为54.60万元，2024年预算安排53.84万元，比2023年预算执行数减少1.39%。",
        "2024年度预算收入总计1,716.73万元，其中：本年收入1,664.74万元，上年结转51.99万元，比上年增加210.23万元；"
        "本年部门预算支出总计1,716.73万元，其中：本年预算安排1,664.74万元，上年结转51.99万元。",
        "公务用车购置及运行费46.56万元，比2023年预算增加25万元。其中：公务用车购置费25万元，公务用车运行费21.56万元。",
        "占有使用价值50万元（原值）以上的通用设备0台（套）；占有使用价值100万元（原值）以上的通用设备0台（套）。",
        "其中：其他运转类项目16个，涉及金额951.19万元；特定目标类项目0个，涉及金额0万元。",
        "由中小企业供应商中标或成交的，采购金额225.10万元；在其他政府采购项目中，采购金额0.00万元。",
        "一般公共预算财政拨款支出年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的95.45%。",
        "2023年公务接待费1.00万元，2024年公务接待费1.35万元。第一季度用款计划25.88万元，第二季度用款计划180.74万元。",
        "公务用车购置费0万元，与2024年预算一致0万元；机关运行经费28.44万元，比2023年预算减少2.4万元，2023年预算为30.84万元。",
    ])
    assert check_conflicting_amounts(text, DEPT_BUDGET) == []


def test_the_department_name_is_cut_from_a_label_only_in_its_own_document():
    # labels are parsed once and reused: the same words must still be read per department
    text = "上海市某区社会福利院公务接待费1.35万元，公务接待费2.00万元。"
    for _ in range(2):
        p = only(check_conflicting_amounts(text, UNIT_BUDGET))  # its own name: the same item twice
        assert (p.expected, p.actual) == ("1.35万元", "2.00万元")
        assert check_conflicting_amounts(text, DEPT_BUDGET) == []  # another's name: another item


def test_amounts_in_different_paragraphs_are_not_compared():
    text = "一般公共服务支出1,537.92万元。\n一般公共服务支出1,485.93万元，占89.26%。"
    assert check_conflicting_amounts(text, DEPT_BUDGET) == []


# --- all checks together -----------------------------------------------------

def test_every_check_is_registered_once_and_results_are_sorted():
    assert list(CHECKS) == ["empty_reason", "truncated_reason", "template_phrase", "doubled_punctuation",
                            "missing_end_punctuation", "unbalanced_brackets", "kind_misnamed",
                            "class_name_mismatch", "department_name_mismatch", "year_mismatch",
                            "conflicting_amounts"]
    text = "比上年增加10万元，原因是：。公务接待费1.35万元，公务接待费2.00万元。增加（减少）5万元。"
    found = find_text_problems(text, DEPT_BUDGET)
    # "：。" is the empty reason itself, not also doubled punctuation
    assert [p.check for p in found] == ["empty_reason", "conflicting_amounts", "template_phrase"]
    assert [p.start for p in found] == sorted(p.start for p in found)
    # the offsets point at the words: the amount's clause for a conflict, the words themselves otherwise
    assert [text[p.start:p.end] for p in found] == ["原因是：。", "公务接待费2.00万元", "增加（减少）"]
    assert [p.actual for p in found] == ["原因是：。", "2.00万元", "增加（减少）"]


SEED_FACTS = TextFacts(2024, "budget", "department", "长治市屯留区财政局",
                       {"201": "一般公共服务支出", "205": "教育支出", "208": "社会保障和就业支出",
                        "210": "卫生健康支出", "221": "住房保障支出"})


def test_seed_narrative_exact_problems():
    text = SEED_NARRATIVE.read_text(encoding="utf-8")
    found = [(p.check, p.actual, p.excerpt) for p in find_text_problems(text, SEED_FACTS)]
    assert found == [
        # section 一 ends "…主要原因是财政委托业务支出增加，财政一体化运行维护费用增加" with no full stop,
        # right before the heading "二、收入预算情况说明"; every other paragraph of the narrative has one
        ("missing_end_punctuation", "加", "财政一体化运行维护费用增加"),
        # not "占部门（单位）项目支出总额的100%" (十、): the province's standard wording for the department's and its
        # units' project total, not an alternative left for the writer to choose
    ]


@pytest.mark.parametrize("check", list(CHECKS.values()), ids=list(CHECKS))
def test_every_check_runs_without_facts_it_cannot_use(check):
    facts = TextFacts(None, "budget", None)
    assert check("2024年部门预算。主要原因是人员增加。“医疗卫生与计划生育支出（类）”10万元。", facts) == []


def test_text_rules_report_each_problem_once_at_its_sentence():
    """The checks as registered rules (family text) on the shipped dataset."""
    from budgetkit.checks import run_rules
    from budgetkit.dataset.store import load_dataset

    report = run_rules(load_dataset(SHIPPED), select=["text."])
    assert {r.rule for r in report.results} == {f"text.{c}" for c in CHECKS}
    (f,) = report.findings
    # seed lines 816-818: "…财政一体化运行维护费用增加" ends section 一 without a full stop
    assert (f.rule, f.severity, f.table) == ("text.missing_end_punctuation", "warning", "narrative")
    assert f.location.startswith("第三部分 一、") and "财政一体化运行维护费用增加" in f.location
    assert report.status("text.template_phrase") == "pass"
