"""第三部分 情况说明 in the standard phrasings, computed from the printed tables.

Shares and changes are computed the way departments do: from printed amounts,
percentages to two decimals, every change with its reason (原因是…).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from budgetkit.core.money import format_amount
from budgetkit.core.template import Template
from budgetkit.synth.plan import Plan
from budgetkit.synth.tables import printed

PARTS_HEAD = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


@dataclass
class Prior:
    """The prior year's printed figures the narrative compares with (分)."""

    grand_total: int
    general_current: int
    running: int  # 机关运行经费
    sangong: int


def prior_of(plan: Plan) -> Prior:
    return Prior(grand_total=printed(plan.current_total + plan.carryover_total) or 0,
                 general_current=printed(plan.general_total) or 0,
                 running=printed(sum(plan.unit_public.values())) or 0,
                 sangong=printed(sum(plan.sangong.values())) or 0)


def invented_prior(rng: random.Random, plan: Plan) -> Prior:
    """For the first year of a series: plausible prior-year figures that are not in any dataset."""
    p = prior_of(plan)
    f = lambda v: printed(int(v * rng.uniform(0.8, 1.15))) or 0  # noqa: E731
    return Prior(f(p.grand_total), f(p.general_current), f(p.running), f(p.sangong) if p.sangong else 0)


def wan(fen: int | None, commas: bool = True) -> str:
    s = format_amount(fen or 0, "万元", 2)
    if not fen:
        return "0"
    if commas:
        whole, frac = s.split(".")
        s = f"{int(whole):,}.{frac}"
    return s


def pct(part: int, whole: int) -> str:
    if not part or not whole:
        return "0"
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def change(current: int, prior: int, reason: str, with_reason: bool = True) -> str:
    """'比上年增加210.23万元，增长13.95%，主要原因是…' from printed amounts."""
    diff = current - prior
    if diff == 0 or not prior:
        return "与上年持平"
    word, rate_word = ("增加", "增长") if diff > 0 else ("减少", "下降")
    text = f"比上年{word}{wan(abs(diff))}万元，{rate_word}{pct(abs(diff), prior)}%"
    return text + (f"，主要原因是{reason}" if with_reason else "")


def narrative_text(plan: Plan, template: Template, prior: Prior, *, rng: random.Random) -> str:
    """The narrative as paragraphs joined by newlines (what ``narrative.txt`` holds)."""
    y, d = plan.year, plan.department
    cur, carry = printed(plan.current_total) or 0, printed(plan.carryover_total) or 0
    general, fund = printed(plan.general_total) or 0, printed(plan.fund_total) or 0
    grand = printed(plan.current_total + plan.carryover_total) or 0
    basic5 = printed(sum(plan.basic.values())) or 0
    all_projects = printed(sum(p.amount for p in plan.projects)) or 0
    basic3 = basic5
    proj3 = printed(sum(p.amount for p in plan.projects) + plan.carryover_total) or 0
    reason = plan.reasons["total"]
    classes: dict[str, tuple[int, int]] = {}
    proj_codes, carry_codes = plan.project_by_code(), plan.project_by_code(True)
    fund_codes = plan.project_by_code(source="fund")
    for code in plan.codes():
        c5 = plan.basic.get(code, 0) + proj_codes.get(code, 0)
        a, b = classes.get(code[:3], (0, 0))
        classes[code[:3]] = (a + c5, b + c5 + carry_codes.get(code, 0) + fund_codes.get(code, 0))
    names = dict(template.functional_classes)
    p = []
    p.append("一、部门预算收支数据变动情况及原因")
    p.append(f"{y}年度{d}预算收入总计{wan(grand)}万元，其中：本年收入{wan(cur)}万元，上年结转{wan(carry)}万元，"
             f"{change(grand, prior.grand_total, reason)}；本年部门预算支出总计{wan(grand)}万元，其中：本年预算安排"
             f"{wan(cur)}万元，上年结转{wan(carry)}万元，{change(grand, prior.grand_total, reason)}。")
    p.append("二、收入预算情况说明")
    p.append(f"{y}年度{d}预算收入{wan(grand)}万元，主要包括一般公共预算拨款收入{wan(general)}万元，"
             f"占{pct(general, grand)}%；政府性基金预算拨款收入{wan(fund)}万元，占{pct(fund, grand)}%；"
             f"国有资本经营预算拨款收入0万元，占0%；财政专户管理资金收入0万元，占0%；"
             f"单位资金0万元，占0%；上年结转{wan(carry)}万元，占{pct(carry, grand)}%。")
    p.append("三、支出预算情况说明")
    p.append(f"{y}年度{d}支出预算{wan(grand)}万元，其中：基本支出{wan(basic3)}万元，占{pct(basic3, grand)}%；"
             f"项目支出{wan(proj3)}万元，占{pct(proj3, grand)}%。")
    p.append("四、财政拨款收支预算总体情况说明")
    spend = "、".join(f"{names[c]}{wan(printed(v[1]))}万元" for c, v in sorted(classes.items()) if v[1])
    p.append(f"{y}年度{d}财政拨款收支总预算{wan(grand)}万元。其中：一般公共预算拨款"
             f"{wan(printed(plan.general_total + plan.carryover_total))}万元，"
             f"政府性基金预算拨款{wan(fund)}万元，国有资本经营预算拨款0万元。其中：当年拨款收入{wan(cur)}万元，"
             f"上年结转收入{wan(carry)}万元。支出包括：{spend}等。")
    p.append("五、一般公共预算支出情况说明")
    p.append("（一）一般公共预算当年支出规模变化情况")
    p.append(f"{y}年度{d}一般公共预算当年支出{wan(general)}万元，{change(general, prior.general_current, reason)}。")
    p.append("（二）一般公共预算当年支出结构情况")
    structure = "；".join(f"{names[c]}{wan(printed(v[0]))}万元，占{pct(printed(v[0]), general)}%"
                         for c, v in sorted(classes.items()) if v[0])
    p.append(f"{y}年度{d}一般公共预算当年支出{wan(general)}万元，主要用于以下方面：{structure}等。")
    p.append("六、一般公共预算基本支出情况说明")
    personnel = [i for i in plan.econ if i.side == "personnel"]
    public = [i for i in plan.econ if i.side == "public"]
    p.append(f"{y}年度{d}一般公共预算安排基本支出{wan(basic5)}万元，其中：")
    p.append(f"人员经费{wan(printed(sum(i.amount for i in personnel)))}万元，主要包括："
             f"{'、'.join(i.dept_econ for i in personnel)}等；")
    p.append(f"公用经费{wan(printed(sum(i.amount for i in public)))}万元，主要包括："
             f"{'、'.join(i.dept_econ for i in public)}等。")
    p.append("七、“三公”经费增减变动原因说明")
    s = plan.sangong
    total3 = printed(sum(s.values())) or 0
    if not total3:
        p.append("本部门无“三公”经费预算。")
    else:
        vehicles = s["vehicle_purchase"] + s["vehicle_operation"]
        p.append(f"{y}年度{d}“三公”经费预算{wan(total3)}万元，{change(total3, prior.sangong, plan.reasons['sangong'])}。"
                 f"其中：因公出国（境）费{wan(printed(s['abroad']))}万元，公务接待费{wan(printed(s['reception']))}万元，"
                 f"公务用车购置及运行费{wan(printed(vehicles))}万元（其中：公务用车购置费"
                 f"{wan(printed(s['vehicle_purchase']))}万元，公务用车运行维护费{wan(printed(s['vehicle_operation']))}万元）。")
    p.append("八、机关运行经费增减变动原因说明")
    running = printed(sum(plan.unit_public.values())) or 0
    diff = running - prior.running
    word = "增加" if diff >= 0 else "减少"
    rate = "增长" if diff >= 0 else "下降"
    p.append(f"本部门{y}年所属{len(plan.units)}家行政单位机关运行经费财政拨款预算{wan(running)}万元，比{y - 1}年预算"
             f"{word}{wan(abs(diff))}万元，{rate}{pct(abs(diff), prior.running)}%，原因是{plan.reasons['running']}。")
    p.append("九、政府采购情况")
    g, w, sv = plan.procurement
    p.append(f"{y}年{d}政府采购预算总额{wan(printed(g + w + sv))}万元。其中：政府采购货物预算{wan(printed(g))}万元、"
             f"政府采购工程预算{wan(printed(w))}万元、政府采购服务预算{wan(printed(sv))}万元。")
    p.append("十、绩效管理情况")
    k = len(plan.projects)
    p.append("1、整体绩效目标")
    p.append(f"{y}年编报部门整体支出绩效目标，涉及部门预算资金{wan(cur, False)}万元，其中基本支出"
             f"{wan(basic5, False)}万元，项目支出{wan(all_projects, False)}万元，机关及下属预算单位{len(plan.units)}个，"
             f"其中{len(plan.units)}个单位编报了单位整体绩效目标，涉及资金{wan(cur, False)}万元。")
    p.append("2、项目绩效目标")
    p.append(f"{y}年{d}纳入绩效目标管理的二级项目{k}个，共计金额{wan(all_projects, False)}万元。其中：其他运转类项目"
             f"{k}个，涉及金额{wan(all_projects, False)}万元；特定目标类项目0个，涉及金额0万元。公开项目绩效目标{k}个，"
             f"涉及项目金额{wan(all_projects, False)}万元，占部门（单位）项目支出总额的100%。")
    p.append("十一、国有资产占有使用情况")
    cars = rng.randint(0, 6)
    p.append(f"截至{y - 1}年12月31日，{d}共有公务用车{cars}辆，使用的办公用房建筑总面积{rng.randint(300, 6000)}平方米。")
    p.append("十二、其他说明")
    p.append("无")
    return "\n".join(p)
