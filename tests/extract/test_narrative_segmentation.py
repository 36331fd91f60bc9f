"""The narrative part (第三部分) is kept whole, with its numbered sections and sentence positions."""


from project_files import SEED

from budgetkit.core.template import load_template
from budgetkit.dataset.narrative import segment_narrative
from budgetkit.extract.document import split_document, to_lines
from budgetkit.extract.narrative import parse_narrative


def _parts():
    return split_document(to_lines(SEED.read_text(encoding="utf-8")), load_template())


def test_sixteen_form_blocks_are_cut_out_of_the_narrative():
    parts = _parts()
    assert len(parts.forms) == 16  # `grep -c '项目名称'` minus the two table headers of T12/T13
    assert all("项目支出绩效目标表" in block[0].text for block in parts.forms)
    assert not any("项目支出绩效目标表" in l.text for l in parts.narrative)


def test_section_headings_as_printed():
    n = parse_narrative(_parts().narrative)
    assert [s.heading for s in n.sections] == [
        "一、部门预算收支数据变动情况及原因", "二、收入预算情况说明", "三、支出预算情况说明",
        "四、财政拨款收支预算总体情况说明", "五、一般公共预算支出情况说明", "六、一般公共预算基本支出情况说明",
        "七、“三公”经费增减变动原因说明", "八、机关运行经费增减变动原因说明", "九、政府采购情况",
        "十、绩效管理情况", "十一、国有资产占有使用情况", "十二、其他说明",
    ]


def test_wrapped_lines_are_joined_and_positions_point_back():
    n = parse_narrative(_parts().narrative)
    # printed over two lines in the PDF: "…其中：本年收入" / "1,664.74万元，上年结转51.99万元…"
    assert "其中：本年收入1,664.74万元，上年结转51.99万元" in n.text
    s = next(s for s in n.sentences if "占41.60%" in s.text)
    assert s.section == "三" and n.text[s.start:s.end] == s.text
    assert s.line == 831  # the sentence starts on line 831 of the seed
    # "占\n1.03%" must not be taken for a "1." sub-heading
    assert "教育支出17.22万元，占1.03%" in n.section_text("五")


def test_hand_edited_text_segments_the_same_way():
    n = parse_narrative(_parts().narrative)
    again = segment_narrative(n.text)
    assert [s.text for s in again.sentences] == [s.text for s in n.sentences]
    assert [s.heading for s in again.sections] == [s.heading for s in n.sections]
