"""The standard sentences of 第三部分 一…十, written from the tables: what the department should have said.

A reviewer reads them next to what was written (``side_by_side``). Amounts in
万元 with 2 decimals, shares with 2 decimals; a section whose table is missing
says so instead of guessing.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.checks.claims.arithmetic import round_percent
from budgetkit.checks.claims.vocabulary import cell_label, cell_value, leaf_rows, squash
from budgetkit.core.model import Disclosure
from budgetkit.core.money import UNIT_FEN, format_wan
from budgetkit.core.template import load_template

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
    """Section number → the standard text for sections 一 … 十 (with changes when the prior year is given)."""
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
    """One row per section 一…十: what the department wrote, what the tables say it should be, and how they compare."""
    generated = generate_narrative(disclosure, prior)
    n = disclosure.narrative
    rows = []
    for number in SECTIONS:
        written = ""
        heading = ""
        if n is not None and n.section(number) is not None:
            heading = n.section(number).heading
            written = n.section_text(number)[len(heading):].strip()
        should_be = generated.get(number, "")
        verdict, numbers = compare_texts(written, should_be)
        rows.append({"section": number, "heading": heading, "written": written, "should_be": should_be,
                     "same": verdict == "相同", "verdict": verdict, "numbers": numbers})
    return pd.DataFrame(rows, columns=["section", "heading", "written", "should_be", "same", "verdict", "numbers"])
