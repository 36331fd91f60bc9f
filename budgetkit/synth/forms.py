"""One 项目支出绩效目标表 per current-year project, consistent with table 12.

Funds are in 元 as the forms print them; the description itemises the money
(``办公费17000元，咨询费4000元…``) so that itemised amounts add up to the fund.
"""

from __future__ import annotations

import random

from budgetkit.core.model import Indicator, PerformanceForm
from budgetkit.synth import catalog
from budgetkit.synth.plan import YUAN, Plan, Project

SECTION_NAMES = ["项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划",
                 "实施期目标", "年度目标"]


def yuan_text(fen: int) -> str:
    """47600 元 as the forms print it: '47,600'."""
    return f"{fen // YUAN:,}"


def _funds(total: int) -> dict[str, int | None]:
    return {"total": total, "central": 0, "provincial": 0, "local": total, "self_raised": 0, "other": None}


def _description(p: Project) -> str:
    if p.items:
        items = "，".join(f"{label}{amount // YUAN}元" for label, amount in p.items)
        return f"项目资金主要用于：{items}。"
    return f"用于保障{p.name}相关工作。"


def _indicators(rng: random.Random, p: Project, period: str, scale: int) -> list[Indicator]:
    quantity = p.quantity * scale
    return [
        Indicator(period, "产出指标", "数量指标", f"完成{p.name[:6]}任务", f"{quantity}{p.quantity_unit}"),
        Indicator(period, "产出指标", "质量指标", "任务完成合格率", "≥95%"),
        Indicator(period, "产出指标", "时效指标", "完成时间", f"{rng.choice([6, 10, 12])}月底前"),
        Indicator(period, "产出指标", "成本指标", "项目总成本", f"{p.amount * scale // YUAN}元"),
        Indicator(period, "效益指标", "社会效益指标", "工作水平和效率", "提升"),
        Indicator(period, "满意度指标", "服务对象满意度指标", "服务对象满意度", f"≥{rng.choice([85, 90, 95])}%"),
    ]


def build_forms(rng: random.Random, plan: Plan) -> list[PerformanceForm]:
    forms = []
    for i, p in enumerate(plan.projects, start=1):
        scale = 1 if p.nature == "一次性项目" else p.period_years
        purpose = rng.choice(catalog.FORM_PURPOSES).format(p=p.name)
        description = _description(p)
        detail = "1 年结束" if scale == 1 else f"{p.period_years} 年结束"
        forms.append(PerformanceForm(
            index=i, project=p.name, department=plan.department, department_code=plan.department_code,
            implementer=p.unit, nature=p.nature, nature_detail=detail, period_years=p.period_years,
            funds={"implementation": _funds(p.amount * scale), "annual": _funds(p.amount)},
            sections={"项目概况": description, "立项依据": f"根据{plan.year}年度部门工作安排",
                      "项目设立必要性": purpose, "保证项目实施的制度、措施": "严格执行财务管理制度，专款专用",
                      "项目实施计划": f"{plan.year}年1月至12月按计划实施",
                      "实施期目标": f"{purpose}。", "年度目标": description},
            indicators=_indicators(rng, p, "implementation", scale) + _indicators(rng, p, "annual", 1),
        ))
    return forms
