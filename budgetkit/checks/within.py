"""Within-table rules: every printed subtotal, total and row identity of the 13 tables.

The identities come from ``budgetkit.checks.reproduce``; each rule here owns those
whose ``Identity.rule`` equals its id, so reproduction and checks never disagree.
"""

from __future__ import annotations

from budgetkit.checks.amounts import identities, identity_finding, require_filled, table_cn
from budgetkit.checks.registry import InsufficientData, rule

_ROW_TOTAL = {
    "T1": "支出各行 合计 = 当年预算安排 + 上年结转安排",
    "T2": "每行 合计 = 一般公共预算 + 政府性基金 + 国有资本经营预算 + 财政专户管理资金 + 单位资金",
    "T3": "每行 合计 = 基本支出 + 项目支出",
    "T4": "支出各行 小计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算",
    "T5": "每行 合计 = 基本支出 + 项目支出",
    "T6": "每行 合计 = 人员经费 + 公用经费",
    "T8": "每行 合计 = 基本支出 + 项目支出",
    "T9": "支出各行 合计 = 基本支出 + 项目支出",
    "T10": "每行 合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算",
    "T11": "每行 合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算",
    "T12": "每个项目 合计 = 各资金来源之和",
    "T13": "每个项目 合计 = 各资金来源之和",
}

#: rule id → one-line description (Chinese, for auditors).
WITHIN_RULES: dict[str, str] = {
    "T1.income_sums": "表1 本年收入合计 = 各项收入之和；收入总计 = 本年收入合计 + 上年结转",
    "T1.expenditure_sums": "表1 本年支出合计 = 各功能分类之和；支出总计 = 本年支出合计 + 年终结转（各列）",
    "T1.balance": "表1 收入总计 = 支出总计",
    "T2.hierarchy": "表2 类 = Σ款、款 = Σ项，合计行 = Σ类（各列）",
    "T3.hierarchy": "表3 类 = Σ款、款 = Σ项，合计行 = Σ类（各列）",
    "T4.income_sums": "表4 本年收入合计 = 各项财政拨款之和；上年财政拨款结转 = 其分项之和；收入总计 = 两者之和",
    "T4.expenditure_sums": "表4 本年支出合计 = 各功能分类之和；支出总计 = 本年支出合计 + 年终结转（各列）",
    "T4.balance": "表4 收入总计 = 支出总计",
    "T5.hierarchy": "表5 类 = Σ款、款 = Σ项，合计行 = Σ类（各列）",
    "T6.groups": "表6 各经济分类 = 所属明细之和；合计行 = 各经济分类之和（各列）",
    "T7.hierarchy": "表7 类 = Σ款、款 = Σ项，合计行 = Σ类",
    "T8.hierarchy": "表8 类 = Σ款、款 = Σ项，合计行 = Σ类（各列）",
    "T9.hierarchy": "表9 收入、支出两部分 类 = Σ款、款 = Σ项，合计行 = Σ类",
    "T10.fixed_rows": "表10 公务用车购置及运行费 = 购置费 + 运行维护费；合计 = 三项之和（各列）",
    "T11.unit_sum": "表11 部门合计 = 各单位之和（各列）",
    "T12.project_sum": "表12 部门合计 = 单位小计 = 所属项目之和（各列）",
    "T13.project_sum": "表13 部门合计 = 单位小计 = 所属项目之和（各列）",
    **{f"{t}.row_total": f"表{t[1:]} {text}" for t, text in _ROW_TOTAL.items()},
}


def _make(rule_id: str):
    table_id = rule_id.split(".")[0]

    def check(ctx):
        table = require_filled(ctx, table_id)
        mine = [i for i in identities(ctx, table) if i.rule == rule_id]
        if not mine:
            raise InsufficientData(f"{table_cn(table_id)} 没有可核对的行（表结构未识别）")
        return [f for f in (identity_finding(i, table) for i in mine) if f is not None]

    check.__name__ = "check_" + rule_id.replace(".", "_")
    check.__doc__ = WITHIN_RULES[rule_id]
    return check


for _id, _description in WITHIN_RULES.items():
    rule(_id, _description, family="within", tables=(_id.split(".")[0],), severity="error")(_make(_id))
