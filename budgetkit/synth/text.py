"""A disclosure as PDF-extracted text, in the seed's layout, from a (generated) ``Disclosure``.

What real extracted text looks like, reproduced on purpose: page-start lines
beginning with a space, the two-line table title block (表一… / 预算公开表1), the
部门名称/单位 line, rows separated by blank lines, blank cells as runs of spaces,
two-sided tables printed side by side, long labels wrapped, U+3000-indented project
names, and forms with the two-column (实施期 / 年度) fund and indicator blocks.
"""

from __future__ import annotations

from budgetkit.core.model import SUBTOTAL, TOTAL, Disclosure, Table
from budgetkit.core.money import format_amount
from budgetkit.core.template import chinese_numerals
from budgetkit.synth.forms import SECTION_NAMES, yuan_text

IDEO = "\u3000"
_HEADERS = {
    "T1": ["收入 支出", "项目 {y}年 项目 {y}年合计 当年预算安排", "上年结转安", "", "排"],
    "T2": ["项目 本年收入", "上年结转", "", "科目编码 科目名称 合计 一般公共预算 政府性基金", "国有资本经营预", "", "算",
           "财政专户管理资", "", "金", "单位资金"],
    "T3": ["项目 {y}年预算数", "", "科目编码 科目名称 合计 基本支出 项目支出"],
    "T4": ["收入 支出", "", "项目 金额 项目", "金额", "", "小计 一般公共预算", "政府性基", "金预算", "",
           "国有资本经", "营预算"],
    "T5": ["项目 {y}年预算数", "", "科目编码 科目名称 合计 基本支出 项目支出"],
    "T6": ["部门预算支出经济科目名称", "政府预算支出经济科目名", "", "称", "", "{y}年预算数", "", "合计 人员经费 公用经费"],
    "T7": ["项目", "政府性基金收入预算", "", "收入科目编码 科目名称"],
    "T8": ["科目编码 科目名称 合计 基本支出 项目支出"],
    "T9": ["国有资本经营预算收入 国有资本经营预算支出", "", "项目", "国有资本经", "营收入预算", "",
           "科目编码 科目名称 合计 基本支出 项目支出", "收入科目编码 科目名称"],
    "T10": ["项目", "{y}年预算数", "", "合计 一般公共预算 政府性基金预算", "国有资本经营预", "", "算"],
    "T11": ["单位名称", "{y}预算数", "", "合计 一般公共预算 政府性基金预算 国有资本经营预算"],
    "T12": ["项目名称 合计", "", "{y}年财政拨款", "财政专户管", "", "理资金", "单位资金", "", "一般公共预算", "政府性",
            "基金预", "", "算", "", "国有资本经", "营预算", "", "1 2 3 4 5 6 7"],
    "T13": ["项目名称 合计", "{y}年财政拨款", "", "一般公共预算", "政府性基金", "", "预算", "国有资本", "经营预算", "",
            "1 2 3 4 5"],
}
_WRAP = {"T1": 12, "T4": 10}
PROJECT_WRAP = 16  # characters (with the U+3000 indent) before a project name wraps, as in the seed


def _amt(v, table: Table) -> str:
    return "" if v is None or v != v else format_amount(int(v), table.unit, table.decimals)


def _cells(rec, keys, table) -> list[str]:
    return [_amt(rec[k], table) for k in keys]


def _rows(lines: list[str], texts: list[str]) -> None:
    for t in texts:
        lines.append(t)
        lines.append("")


def _two_sided(d: Disclosure, table: Table, spec) -> list[str]:
    left = table.parts["income"].to_dict("records")
    right = table.parts["expenditure"].to_dict("records")
    lkeys, rkeys = spec.part("income").amount_keys, spec.part("expenditure").amount_keys
    wrap = _WRAP.get(table.id, 99)
    out = []
    # totals of both sides line up at the bottom, as printed
    lbody = [r for r in left if r["key"] not in ("income_total", "carryover", "grand_total")
             and not str(r["key"]).startswith("carryover_")]
    ltail = [r for r in left if r not in lbody]
    rbody = [r for r in right if r["key"] not in ("expenditure_total", "year_end_carryover", "grand_total")]
    rtail = [r for r in right if r not in rbody]
    for i, r in enumerate(rbody):
        lcell = [lbody[i]["item"], *_cells(lbody[i], lkeys, table)] if i < len(lbody) else ["", ""]
        rlabel, ramts = r["item"], _cells(r, rkeys, table)
        lefttext = " ".join(lcell)
        if len(rlabel) > wrap:
            out.append(lefttext + " ")
            out.append(rlabel[:wrap])
            out.append(rlabel[wrap:])
            out.append("")
            out.append(" ".join(ramts) + " ")
        else:
            joiner = "" if lcell[-1] else " "
            out.append(lefttext + joiner + " ".join([rlabel, *ramts]) + " ")
        out.append("")
    for i in range(max(len(ltail), len(rtail))):
        lcell = [ltail[i]["item"], *_cells(ltail[i], lkeys, table)] if i < len(ltail) else ["", ""]
        rcell = [rtail[i]["item"], *_cells(rtail[i], rkeys, table)] if i < len(rtail) else [""] * (1 + len(rkeys))
        joiner = "" if lcell[-1] else " "
        out.append(" ".join(lcell) + joiner + " ".join(rcell))
        out.append("")
    return out


def _table_lines(d: Disclosure, table: Table, spec, number: int) -> list[str]:
    y = table.printed_year or d.meta.year
    numeral = chinese_numerals(13)[number - 1]
    title = f"{y}年{table.title}"
    lines = [f" 表{numeral}{title}", "", f"预算公开表{number}", "", title, "",
             f"部门名称：{table.printed_department} 单位：{table.unit}", ""]
    lines += [h.format(y=y) for h in _HEADERS[table.id]] + [""]
    if spec.layout == "two_sided":
        lines += _two_sided(d, table, spec)
    elif spec.layout == "functional_two_sided" and not table.has_values:
        # both sides empty: one 合计 line across the page, then the blank cells, as the seed prints it
        width = sum(len(p.amounts) + len(p.labels) for p in spec.parts)
        lines += ["合计" + " " * (width - 1), "", " " * width, ""]
    else:
        for part in spec.parts:
            frame = table.parts.get(part.key)
            for r in frame.to_dict("records") if frame is not None else []:
                labels = [str(r[k]) for k in part.label_keys]
                if spec.layout in ("functional", "functional_two_sided") and r["kind"] == TOTAL:
                    labels = [r.get("name") or "合计"]
                elif spec.layout == "projects":
                    labels = [IDEO * int(r["level"]) + labels[0] if r["kind"] != TOTAL else labels[0]]
                    if len(labels[0]) > PROJECT_WRAP:  # long names wrap; the amounts follow on their own line
                        name = labels[0]
                        lines += [name[:PROJECT_WRAP], name[PROJECT_WRAP:], ""]
                        _rows(lines, [" ".join(_cells(r, part.amount_keys, table)) + " "])
                        continue
                elif spec.layout == "economic" and r["kind"] in (SUBTOTAL, TOTAL):
                    labels = [labels[0], ""]
                _rows(lines, [" ".join([*labels, *_cells(r, part.amount_keys, table)]) + " "])
    if table.declared_empty:
        lines += ["注：本表无数据", ""]
    return lines


def _pair(label: str, cut_left: int, cut_right: int, left: str, right: str) -> list[str]:
    """'其中：中央财政资金 0 / 0' printed as the seed's wrapped two-column fund cell."""
    return [label[:cut_left], label[cut_left:], f"{left} {label[:cut_right]}", label[cut_right:], right]


def _form_lines(d: Disclosure, form) -> list[str]:
    impl, annual = form.funds["implementation"], form.funds["annual"]
    f = lambda v: "" if v is None else yuan_text(v)  # noqa: E731
    lines = [f" {d.meta.department[:3]}县(区)级预算部门（单位）项目支出绩效目标表", f"（{d.meta.year} 年度）",
             f"项目名称 {form.project}", f"主管部门及代码 {form.department_code}-{form.department}",
             f"实施单位 {form.implementer}",
             f"项目属性 {form.nature}（{form.nature_detail}） 项目期 {form.period_years} 年",
             "项目资金", "（元）", "实施期资金", "总额：", f"{f(impl['total'])} 年 度 资 金 总", "额：",
             f(annual["total"])]
    lines += _pair("其中：中央财政资金", 5, 6, f(impl["central"]), f(annual["central"]))
    lines += ["省级", "财政资金", f"{f(impl['provincial'])} 省级财", "政资金", f(annual["provincial"])]
    lines += ["市县", "（区）财政", "资金", f"{f(impl['local'])} 市县", "（区）财政资", "金", f(annual["local"])]
    lines += ["单位", "自筹", f"{f(impl['self_raised'])} 单位自", "筹", f(annual["self_raised"])]
    lines += ["其他", "资金", "其他资", "金"]
    for name in SECTION_NAMES[:5]:
        text = form.sections.get(name, "")
        if name == "保证项目实施的制度、措施":
            lines += ["保证项目实施的制度、", "措施", text]
        else:
            lines.append(f"{name} {text}")
    lines += ["实施期目标 年度目标", "总", "体", "目", "标", form.sections.get("实施期目标", ""),
              form.sections.get("年度目标", "")]
    lines += ["绩", "效", "指", "标", "一级", "指标", "二级指", "标", "三级指标 指标值 二级指", "标", "三级指标 指标值"]
    impl_ind = [i for i in form.indicators if i.period == "implementation"]
    ann_ind = [i for i in form.indicators if i.period == "annual"]
    level1 = None
    for a, b in zip(impl_ind, ann_ind):
        if a.level1 != level1:
            level1 = a.level1
            lines += [level1[:2], level1[2:]]
        l2 = a.level2
        lines += [l2[:3], l2[3:], a.name, f"{a.value} {l2[:3]}", l2[3:], b.name, b.value]
    lines += ["负", "责", "人：", "经办人： 联系电话： 填报日期： 2023101", "0160252"]
    return [x for line in lines for x in (line, "")]


def _wrap(text: str, width: int = 36) -> list[str]:
    out = []
    for para in text.split("\n"):
        while len(para) > width:
            out += [para[:width], ""]
            para = para[width:]
        out += [para, ""]
    return out


def render_text(d: Disclosure, template) -> str:
    """The whole disclosure as extracted text: 第一部分 … 第四部分, tables, narrative, forms."""
    y, dept = d.meta.year, d.meta.department
    lines = [" 第一部分 概况", "", "一、本部门职责", "", f"{dept}负责本行业领域的政策执行和管理工作。", "",
             "二、机构设置情况", "", f"{dept}内设若干股（室），下设所属单位。", "",
             f"第二部分 {y}年部门预算报表", ""]
    for spec in template.tables:
        table = d.tables.get(spec.id)
        if table is not None:
            lines += _table_lines(d, table, spec, spec.number)
    narrative = d.narrative.text if d.narrative else ""
    before, sep, after = narrative.partition("\n十一、")
    lines += [f" 第三部分 {y}年度部门预算情况说明", ""] + _wrap(before)
    for form in d.forms:
        lines += _form_lines(d, form)
    if sep:
        lines += _wrap("十一、" + after)
    lines += [" 第四部分 名词解释", "", "一、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。", ""]
    return "\n".join(lines) + "\n"
