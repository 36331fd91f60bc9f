"""The standard sentences of the narrative, written from the tables: what the department should have said.

Each format has its own: the Shanxi 第三部分 一…十, the Shanghai 预算编制说明 and
其他相关情况说明 (收入预算…其中…；财政拨款支出主要内容 by 功能科目 项; “三公”经费; 机关运行经费),
the national 决算情况说明 一…十一. A reviewer reads them next to what was written
(``side_by_side``). Amounts in 万元 with 2 decimals (rounded half up from 元 tables),
shares with 2 decimals; what no table holds (reasons, 上年执行数, 年初预算 of a 项,
政府采购) is said to be the department's to fill in, never guessed; a section whose
table is missing says so.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.checks.claims.arithmetic import round_percent
from budgetkit.checks.claims.vocabulary import cell_label, cell_value, leaf_rows
from budgetkit.core.model import Disclosure
from budgetkit.core.money import UNIT_FEN, format_wan
from budgetkit.core.template import load_template
from budgetkit.core.words import squash

SECTIONS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def wan(fen: int | None) -> str:
    return format_wan(fen or 0, grouped=True)


def pct(part: int | None, whole: int | None) -> str:
    if not whole:
        return "0%"
    return f"{round_percent(Decimal(part or 0) / Decimal(whole), 2)}%"


class _Cells:
    """Cell lookups that remember which tables were missing."""

    def __init__(self, disclosure: Disclosure):
        self.d = disclosure
        self.missing: set[str] = set()

    def __call__(self, ref: str) -> int | None:
        v = cell_value(self.d, ref)
        if v is None:
            self.missing.add(cell_label(load_template(self.d.meta.template), ref))
        return v


def _table(d: Disclosure, role: str):
    spec = load_template(d.meta.template).by_role(role)
    return None if spec is None else d.tables.get(spec.id)


def _economic_items(d: Disclosure, column: str) -> list[str]:
    t6 = _table(d, "general_basic_economic")
    if t6 is None:
        return []
    rows = leaf_rows(t6.part("main"))
    names: list[str] = []
    for _, r in rows[rows[column].notna() & (rows[column].fillna(0) != 0)].iterrows():
        if r["dept_econ"] and r["dept_econ"] not in names:
            names.append(str(r["dept_econ"]))
    return names


def _classes(d: Disclosure, role: str, column: str) -> list[tuple[str, int]]:
    template = load_template(d.meta.template)
    out = []
    two_sided = template.by_role(role).layout == "two_sided"
    for code, name in template.functional_classes:
        ref = (f"{role}.expenditure.key=class_{code}.{column}" if two_sided else f"{role}.main.code={code}.{column}")
        v = cell_value(d, ref)
        if v:
            out.append((name, v))
    return out


def change_phrase(current: int | None, prior: int | None, basis: str = "上年") -> str:
    """'比上年增加A万元，增长R%' / '与上年持平'; '' when either value is missing."""
    if current is None or prior is None:
        return ""
    if current == prior:
        return f"，与{basis}持平"
    up = current > prior
    rate = f"，{'增长' if up else '下降'}{pct(abs(current - prior), prior)}" if prior else ""
    return f"，比{basis}{'增加' if up else '减少'}{wan(abs(current - prior))}{rate}"


def generate_narrative(disclosure: Disclosure, prior: Disclosure | None = None) -> dict[str, str]:
    """Part → the standard text of the disclosure's format (with changes when the prior year is given)."""
    generator = GENERATORS.get(disclosure.meta.template, _shanxi)
    return generator(disclosure, prior)


def _shanxi(disclosure: Disclosure, prior: Disclosure | None = None) -> dict[str, str]:
    """Section number → the standard text for sections 一 … 十 of the Shanxi 第三部分."""
    d, c = disclosure, _Cells(disclosure)

    def vs_prior(ref: str) -> str:
        return change_phrase(cell_value(d, ref), cell_value(prior, ref)) if prior is not None else ""

    todo = "（原因须由部门说明。）" if prior is not None else ""
    who = f"{d.meta.year}年度{d.meta.department}"
    out: dict[str, str] = {}

    grand, income, carry = c("summary.income.key=grand_total.amount"), c("summary.income.key=income_total.amount"), \
        c("summary.income.key=carryover.amount")
    spend = c("summary.expenditure.key=grand_total.total")
    current = c("summary.expenditure.key=expenditure_total.current")
    out["一"] = (f"{who}预算收入总计{wan(grand)}，其中：本年收入{wan(income)}，上年结转{wan(carry)}"
                f"{vs_prior('summary.income.key=grand_total.amount')}；"
                f"本年部门预算支出总计{wan(spend)}，其中：本年预算安排{wan(current)}，上年结转{wan(spend and current and spend - current)}"
                f"{vs_prior('summary.expenditure.key=grand_total.total')}。"
                + (todo or "（与上年相比的增减额、增减率及原因须依据上年数据填写。）"))

    sources = [("一般公共预算拨款收入", "general"), ("政府性基金预算拨款收入", "fund"),
               ("国有资本经营预算拨款收入", "soe"), ("财政专户管理资金收入", "special"), ("单位资金", "unit_funds"),
               ("上年结转", "carryover")]
    parts = [f"{label}{wan(v := c(f'summary.income.key={key}.amount'))}，占{pct(v, grand)}" for label, key in sources]
    out["二"] = f"{who}预算收入{wan(grand)}，主要包括" + "；".join(parts) + "。"

    total, basic, project = (c(f"expenditure.main.kind=total.{k}") for k in ("total", "basic", "project"))
    out["三"] = (f"{who}支出预算{wan(total)}，其中：基本支出{wan(basic)}，占{pct(basic, total)}；"
                f"项目支出{wan(project)}，占{pct(project, total)}。")

    f_grand = c("fiscal_summary.income.key=grand_total.amount")
    kinds = [(label, c(f"fiscal_summary.income.key={k}.amount"), cell_value(d, f"fiscal_summary.income.key=carryover_{k}.amount") or 0)
             for label, k in (("一般公共预算拨款", "general"), ("政府性基金预算拨款", "fund"),
                              ("国有资本经营预算拨款", "soe"))]
    classes = "、".join(f"{n}{wan(v)}" for n, v in _classes(d, "fiscal_summary", "total"))
    out["四"] = (f"{who}财政拨款收支总预算{wan(f_grand)}。其中：" + "，".join(f"{l}{wan((a or 0) + b)}" for l, a, b in kinds)
                + f"。其中：当年拨款收入{wan(c('fiscal_summary.income.key=income_total.amount'))}，"
                f"上年结转收入{wan(c('fiscal_summary.income.key=carryover.amount'))}。支出包括：{classes or '无'}。")

    g_total = c("general_functional.main.kind=total.total")
    by_class = "；".join(f"{n}{wan(v)}，占{pct(v, g_total)}" for n, v in _classes(d, "general_functional", "total"))
    out["五"] = (f"{who}一般公共预算当年支出{wan(g_total)}{vs_prior('general_functional.main.kind=total.total')}。"
                + (todo or "（与上年相比的变化须依据上年数据填写。）")
                + f"{who}一般公共预算当年支出{wan(g_total)}，主要用于以下方面：{by_class or '无'}。")

    personnel, public = c("general_basic_economic.main.kind=total.personnel"), c("general_basic_economic.main.kind=total.public")
    out["六"] = (f"{who}一般公共预算安排基本支出{wan(c('general_functional.main.kind=total.basic'))}，其中：人员经费{wan(personnel)}，"
                f"主要包括：{'、'.join(_economic_items(d, 'personnel')) or '无'}；公用经费{wan(public)}，"
                f"主要包括：{'、'.join(_economic_items(d, 'public')) or '无'}。")

    three = c("three_public.main.key=grand_total.total")
    if not three:
        out["七"] = "本部门无“三公”经费预算。"
    else:
        items = [(label, c(f"three_public.main.key={k}.total")) for label, k in (
            ("因公出国（境）费", "abroad"), ("公务接待费", "reception"), ("公务用车购置费", "vehicle_purchase"),
            ("公务用车运行维护费", "vehicle_operation"))]
        out["七"] = f"本部门{d.meta.year}年“三公”经费预算{wan(three)}，其中：" + \
            "，".join(f"{l}{wan(v)}" for l, v in items) + "。"

    out["八"] = (f"本部门{d.meta.year}年机关运行经费财政拨款预算{wan(c('office_running.main.kind=total.total'))}"
                f"{vs_prior('office_running.main.kind=total.total')}。" + (todo or "（增减及原因须依据上年数据填写。）"))
    out["九"] = "政府采购预算不在13张公开表中，须依据部门政府采购预算填写（总额 = 货物 + 工程 + 服务）。"

    t12 = _table(d, "projects")
    n_projects = len(leaf_rows(t12.part("main"))) if t12 is not None else 0
    p_sum = c("projects.main.leaves.total")
    forms_sum = sum(f.fund("annual") or 0 for f in d.forms)
    out["十"] = (f"{d.meta.year}年编报部门整体支出绩效目标，涉及部门预算资金{wan(g_total)}，其中基本支出"
                f"{wan(c('general_functional.main.kind=total.basic'))}，项目支出{wan(c('general_functional.main.kind=total.project'))}。"
                f"{d.meta.year}年{d.meta.department}纳入绩效目标管理的二级项目{n_projects}个，共计金额{wan(p_sum)}。"
                f"公开项目绩效目标{len(d.forms)}个，涉及项目金额{wan(forms_sum)}，"
                f"占部门（单位）项目支出总额的{pct(forms_sum, p_sum)}。")
    if c.missing:
        note = f"（缺少{'、'.join(sorted(c.missing, key=lambda t: int(t[1:])))}，相关数字按0列示，不可直接使用。）"
        out = {k: v + note for k, v in out.items()}
    return out


# ---------------------------------------------------------------- Shanghai 部门预算 / 单位预算


def wan_text(fen: int | None) -> str:
    """'18,976.76万元': 万元 to 2 decimals, rounded half up (the tables print 元)."""
    q = 10_000  # 0.01 万元 in 分
    fen = fen or 0
    units, rest = divmod(abs(fen), q)
    units += 1 if 2 * rest >= q else 0
    sign = "-" if fen < 0 else ""
    return f"{sign}{units // 100:,}.{units % 100:02d}万元"


def _pct_half_up(part: int | None, whole: int | None) -> str:
    if not whole:
        return "0.00%"
    return f"{round_percent(Decimal(part or 0) / Decimal(whole), 2)}%"


def _vs(d: Disclosure, prior: Disclosure | None, ref: str, basis: str, *, rate: bool = False) -> str:
    """'，比2024年预算增加3,355.65万元' / '，与2024年预算持平' ('' without the prior year)."""
    if prior is None:
        return ""
    current, before = cell_value(d, ref), cell_value(prior, ref)
    if current is None or before is None:
        return ""
    if current == before:
        return f"，与{basis}持平"
    up = current > before
    tail = f"，{'增长' if up else '下降'}{_pct_half_up(abs(current - before), before)}" if rate and before else ""
    return f"，比{basis}{'增加' if up else '减少'}{wan_text(abs(current - before))}{tail}"


def _items(d: Disclosure, role: str) -> list[tuple[str, str, str, int]]:
    """The 项 of a functional table with money: (类 name, 款 name, 项 name, amount), in table order."""
    t = _table(d, role)
    if t is None:
        return []
    frame = t.part("main")
    codes = frame["code"].astype(str).str.replace(r"\s+", "", regex=True)
    names = dict(zip(codes, frame["name"].astype(str).str.strip()))
    out = []
    for code, (_, row) in zip(codes, frame.iterrows()):
        if len(code) == 7 and not pd.isna(row["total"]) and int(row["total"]) != 0:
            out.append((names.get(code[:3], ""), names.get(code[:5], ""), names[code], int(row["total"])))
    return out


def _shanghai(d: Disclosure, prior: Disclosure | None = None) -> dict[str, str]:
    """预算编制说明 and 其他相关情况说明 一…五 as the Shanghai documents write them."""
    c, year = _Cells(d), d.meta.year
    basis = f"{year - 1}年预算" if year else "上年预算"
    own = "单位" if d.meta.scope == "unit" else "部门"
    out: dict[str, str] = {}
    inc = "summary.income.key={}.amount"
    lines = [f"{year}年，{d.meta.department}收入预算{wan_text(c(inc.format('grand_total')))}，其中：财政拨款收入"
             f"{wan_text(c(inc.format('fiscal')))}{_vs(d, prior, inc.format('fiscal'), basis)}；事业收入"
             f"{wan_text(c(inc.format('business')))}；事业单位经营收入{wan_text(c(inc.format('operating')))}；其他收入"
             f"{wan_text(c(inc.format('other')))}。"]
    fx = "fiscal_summary.expenditure.key=grand_total.{}"
    lines.append(f"支出预算{wan_text(c('summary.expenditure.key=grand_total.total'))}，其中：财政拨款支出预算"
                 f"{wan_text(c(fx.format('total')))}{_vs(d, prior, fx.format('total'), basis)}。")
    lines.append("财政拨款支出预算中，" + "；".join(
        f"{label}{wan_text(c(fx.format(col)))}{_vs(d, prior, fx.format(col), basis) or ''}"
        for label, col in (("一般公共预算拨款支出预算", "general"), ("政府性基金拨款支出预算", "fund"),
                           ("国有资本经营预算拨款支出预算", "soe"))) + "。")
    if prior is not None:
        lines.append("（财政拨款收入支出增减的主要原因须由部门说明。）")
    lines.append("财政拨款支出主要内容如下：")
    items = _items(d, "general_functional")
    for n, (lei, kuan, xiang, v) in enumerate(items, 1):
        lines.append(f"{n}.“{lei}（类）{kuan}（款）{xiang}（项）”{wan_text(v)}。")
    lines.append("（各科目的主要用途、上年预算执行数、增减比例及原因须由部门填写。）" if items else "本年无一般公共预算拨款支出。")
    out["编制说明"] = "\n".join(lines)

    tp = "three_public.main.kind=leaf.{}"
    three = c(tp.format("total"))
    out["一"] = (f"{year}年“三公”经费预算数为{wan_text(three)}{_vs(d, prior, tp.format('total'), basis)}。其中：\n"
                f"（一）因公出国（境）费{wan_text(c(tp.format('abroad')))}{_vs(d, prior, tp.format('abroad'), basis)}。\n"
                f"（二）公务用车购置及运行费{wan_text(c(tp.format('vehicles')))}{_vs(d, prior, tp.format('vehicles'), basis)}，"
                f"其中：公务用车购置费{wan_text(c(tp.format('vehicle_purchase')))}"
                f"{_vs(d, prior, tp.format('vehicle_purchase'), basis)}；公务用车运行费"
                f"{wan_text(c(tp.format('vehicle_operation')))}{_vs(d, prior, tp.format('vehicle_operation'), basis)}。\n"
                f"（三）公务接待费{wan_text(c(tp.format('reception')))}{_vs(d, prior, tp.format('reception'), basis)}。"
                + ("\n（增减变动的原因须由部门说明。）" if prior is not None else ""))
    office = c(tp.format("office_running"))
    out["二"] = (f"{year}年{d.meta.department}财政拨款的机关运行经费预算为{wan_text(office)}。" if office
                else f"{year}年{d.meta.department}无机关运行经费。")
    out["三"] = (f"（政府采购预算不在公开表中，须依据{own}政府采购预算填写：{year}年度本{own}政府采购预算……万元，其中：政府采购货物预算"
                "……万元、政府采购工程预算……万元、政府采购服务预算……万元；总额 = 货物 + 工程 + 服务。）")
    out["四"] = f"（须依据项目绩效目标填写：{year}年度本{own}编报绩效目标的项目个数及涉及的项目预算资金。）"
    out["五"] = f"（须依据资产信息填写：车辆及单价100万元（含）以上设备的保有和{year}年预算安排购置情况。）"
    if c.missing:
        note = f"（缺少{'、'.join(sorted(c.missing))}，相关数字按0列示，不可直接使用。）"
        out = {k: v + note for k, v in out.items()}
    return out


# ---------------------------------------------------------------- national 部门决算


def _econ_items(d: Disclosure, prefixes: tuple[str, ...]) -> list[str]:
    t = _table(d, "general_basic_economic")
    if t is None:
        return []
    rows = leaf_rows(t.part("main"))
    codes = rows["code"].astype(str).str.replace(r"\s+", "", regex=True)
    rows = rows[codes.str.startswith(prefixes) & (rows["amount"].fillna(0) != 0)]
    return [str(n) for n in rows["name"]]


def _national(d: Disclosure, prior: Disclosure | None = None) -> dict[str, str]:
    """决算情况说明 一…十一 as the national format writes them."""
    c, year = _Cells(d), d.meta.year
    who = f"{d.meta.department}{year}年度"
    basis = f"{year - 1}年度" if year else "上年"

    def vs(ref: str, what: str) -> str:
        text = _vs(d, prior, ref, basis, rate=True)
        if not text:
            return ""
        return f"与{basis}相比，{what}" + text.replace(f"，比{basis}", "").replace(f"，与{basis}", "") + "。" + \
            ("主要原因：（须由部门说明）。" if "持平" not in text else "")

    out: dict[str, str] = {}
    grand = c("summary.income.key=grand_total.amount")
    out["一"] = f"{who}收入支出总计{wan_text(grand)}。" + vs("summary.income.key=grand_total.amount", "收入支出总计")
    income = c("summary.income.key=income_total.amount")
    fiscal = sum(cell_value(d, f"summary.income.key={k}.amount") or 0 for k in ("general", "fund", "soe"))
    parts = [f"财政拨款收入{wan_text(fiscal)}，占{_pct_half_up(fiscal, income)}"]
    for label, key in (("上级补助收入", "superior"), ("事业收入", "business"), ("经营收入", "operating"),
                       ("附属单位上缴收入", "affiliated"), ("其他收入", "other")):
        v = cell_value(d, f"summary.income.key={key}.amount") or 0
        if v:
            parts.append(f"{label}{wan_text(v)}，占{_pct_half_up(v, income)}")
    out["二"] = f"本年收入合计{wan_text(income)}，其中：" + "；".join(parts) + "。"
    spent = c("expenditure.main.kind=total.total")
    parts = []
    for label, col in (("基本支出", "basic"), ("项目支出", "project"), ("上缴上级支出", "to_superior"),
                       ("经营支出", "operating"), ("对附属单位补助支出", "to_affiliated")):
        v = cell_value(d, f"expenditure.main.kind=total.{col}") or 0
        if v or col in ("basic", "project"):
            parts.append(f"{label}{wan_text(v)}，占{_pct_half_up(v, spent)}")
    out["三"] = f"本年支出合计{wan_text(spent)}，其中：" + "；".join(parts) + "。"
    f_grand = c("fiscal_summary.income.key=grand_total.amount")
    out["四"] = f"{who}财政拨款收入支出总计{wan_text(f_grand)}。" + vs("fiscal_summary.income.key=grand_total.amount",
                                                                 "财政拨款收入支出总计")
    g_total = c("general_functional.main.kind=total.total")
    by_class = "；".join(f"{n}（类）{wan_text(v)}，占{_pct_half_up(v, g_total)}"
                         for n, v in _classes(d, "general_functional", "total"))
    items = _items(d, "general_functional")
    detail = "\n".join(f"{n}、{lei}（类）{kuan}（款）{xiang}（项）。\n支出决算为{wan_text(v)}。"
                       for n, (lei, kuan, xiang, v) in enumerate(items, 1))
    out["五"] = (f"（一）一般公共预算财政拨款支出决算总体情况\n一般公共预算财政拨款支出{wan_text(g_total)}，占本年支出合计的"
                f"{_pct_half_up(g_total, c('summary.expenditure.key=expenditure_total.total'))}。"
                + vs("general_functional.main.kind=total.total", "一般公共预算财政拨款支出")
                + f"\n（二）一般公共预算财政拨款支出决算结构情况\n一般公共预算财政拨款支出{wan_text(g_total)}，主要用于以下方面："
                f"{by_class or '无'}。\n（三）一般公共预算财政拨款支出决算具体情况\n（年初预算数不在公开表中：一般公共预算财政拨款支出及"
                "各项级科目的年初预算、完成年初预算的比例和决算数与预算数差异的原因须由部门填写。）"
                + (f"其中：\n{detail}" if detail else ""))
    personnel = c("general_basic_economic.main.key=personnel_total.amount")
    public = c("general_basic_economic.main.key=public_total.amount")
    out["六"] = (f"一般公共预算财政拨款基本支出{wan_text((personnel or 0) + (public or 0))}。\n其中：人员经费{wan_text(personnel)}，"
                f"主要包括：{'、'.join(_econ_items(d, ('301', '303'))) or '无'}；公用经费{wan_text(public)}，主要包括："
                f"{'、'.join(_econ_items(d, ('302', '310', '399'))) or '无'}。")
    tp = "three_public.main.kind=leaf.{}"
    b_total, a_total = c(tp.format("budget_total")), c(tp.format("actual_total"))
    if not b_total and not a_total:
        out["七"] = f"{who}无“三公”经费财政拨款支出。"
    else:
        def done(key: str, label: str) -> str:
            b, a = cell_value(d, tp.format(f"budget_{key}")) or 0, cell_value(d, tp.format(f"actual_{key}")) or 0
            return f"{label}决算为{wan_text(a)}" + (f"，完成预算的{_pct_half_up(a, b)}" if b else "")

        shares = "；".join(f"{label}支出决算{wan_text(v := cell_value(d, tp.format(f'actual_{key}')) or 0)}，占"
                          f"{_pct_half_up(v, a_total)}" for key, label in (("abroad", "因公出国（境）费"),
                                                                         ("vehicles", "公务用车购置及运行维护费"),
                                                                         ("reception", "公务接待费")))
        out["七"] = (f"“三公”经费财政拨款支出年初预算为{wan_text(b_total)}，支出决算为{wan_text(a_total)}"
                    + (f"，完成预算的{_pct_half_up(a_total, b_total)}" if b_total else "") + "，其中："
                    + "；".join(done(k, l) for k, l in (("abroad", "因公出国（境）费"), ("vehicles", "公务用车购置及运行维护费支出"),
                                                         ("reception", "公务接待费支出"))) + "。"
                    + ("（决算数与预算数差异的原因须由部门说明。）" if a_total != b_total else "")
                    + (f"\n“三公”经费财政拨款支出决算中，{shares}。" if a_total else ""))
    for key, role, what in (("八", "fund_functional", "政府性基金预算财政拨款"), ("九", "soe_functional", "国有资本经营预算财政拨款")):
        inc, spent_ = cell_value(d, f"{role}.main.kind=total.income"), cell_value(d, f"{role}.main.kind=total.spent")
        out[key] = (f"{who}无{what}收入和支出。" if not inc and not spent_
                    else f"{what}收入{wan_text(inc)}，支出{wan_text(spent_)}。（各项级科目的年初预算及差异原因须由部门填写。）")
    out["十"] = "（须依据本部门预算绩效管理工作填写：编报绩效目标、绩效跟踪评价、绩效自评的项目个数和涉及的预算金额。）"
    out["十一"] = "（机关运行经费、政府采购支出及国有资产占有使用情况不在公开表中，须依据部门资料填写。）"
    if c.missing:
        note = f"（缺少{'、'.join(sorted(c.missing))}，相关数字按0列示，不可直接使用。）"
        out = {k: v + note for k, v in out.items()}
    return out


GENERATORS = {"shanxi-county-13": _shanxi, "shanghai-district-budget": _shanghai, "national-final-accounts": _national}

def _written(narrative, key: str) -> tuple[str, str]:
    """(heading, text) of one part of the narrative as the department wrote it."""
    if narrative is None:
        return "", ""
    if key == "编制说明":  # Shanghai: everything before 其他相关情况说明 / its first numbered section
        end = narrative.sections[0].start if narrative.sections else len(narrative.text)
        lines = narrative.text[:end].strip().split("\n")
        heading = lines[0].strip() if lines and "编制说明" in lines[0] else ""
        body = [l for l in (lines[1:] if heading else lines)
                if l.strip() and l.strip() not in ("其他相关情况说明", "其他相关说明")]
        return heading or "预算编制说明", "\n".join(body).strip()
    section = narrative.section(key)
    if section is None:
        return "", ""
    return section.heading, narrative.section_text(key)[len(section.heading):].strip()


_AMOUNT = re.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(亿元|万元|元)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")


def stated_numbers(text: str) -> dict[tuple[str, Decimal], str]:
    """The amounts (in 分) and percentages a text states, each with its first spelling: 0万元 = 0.00万元."""
    found: dict[tuple[str, Decimal], str] = {}
    for m in _AMOUNT.finditer(text):
        value = Decimal(m.group(1).replace(",", "").replace("，", "")) * UNIT_FEN[m.group(2)]
        found.setdefault(("amount", value), m.group(0))
    for m in _PERCENT.finditer(text):
        found.setdefault(("percent", Decimal(m.group(1))), m.group(0))
    return found


def compare_texts(written: str, should_be: str) -> tuple[str, str]:
    """(verdict, detail): 相同; 仅措辞不同 (the same set of numbers); 另有数字 (every standard number is there,
    and more, e.g. changes from last year); 数字不同 (a standard number is missing); 无标准表述; 未公开."""
    if not written:
        return "未公开", ""
    if squash(written) == squash(should_be):
        return "相同", ""
    mine, standard = stated_numbers(written), stated_numbers(should_be)
    if not standard:
        return "无标准表述", ""
    missing = [v for k, v in standard.items() if k not in mine]
    extra = [v for k, v in mine.items() if k not in standard]
    detail = "；".join(x for x in (f"公开文字中没有：{'、'.join(missing)}" if missing else "",
                                   f"公开文字另有：{'、'.join(extra)}" if extra else "") if x)
    if missing:
        return "数字不同", detail
    return ("另有数字", detail) if extra else ("仅措辞不同", "")


def side_by_side(disclosure: Disclosure, prior: Disclosure | None = None) -> pd.DataFrame:
    """One row per part of the narrative: what the department wrote, what the tables say it should be, and how
    they compare."""
    generated = generate_narrative(disclosure, prior)
    rows = []
    for key, should in generated.items():
        heading, written = _written(disclosure.narrative, key)
        verdict, numbers = compare_texts(written, should)
        rows.append({"section": key, "heading": heading, "written": written, "should_be": should,
                     "same": verdict == "相同", "verdict": verdict, "numbers": numbers})
    return pd.DataFrame(rows, columns=["section", "heading", "written", "should_be", "same", "verdict", "numbers"])
