"""From an exact ``Plan`` to the 13 printed tables: exact sums, each printed cell rounded on its own.

Rounding is half-up to the printed quantum (0.01 万元 = 10 000 分), applied to
every cell independently after summing the exact leaves — which is why a printed
subtotal can differ from the sum of its printed items by a rounding difference.
"""

from __future__ import annotations

from budgetkit.core.model import LEAF, SUBTOTAL, TOTAL, Table
from budgetkit.core.template import Template
from budgetkit.dataset.store import make_frame
from budgetkit.synth import catalog
from budgetkit.synth.plan import Plan

UNIT, DECIMALS, QUANTUM = "万元", 2, 10_000
NOT_CURRENT = "（不含上年结转）"


def printed(exact: int | None) -> int | None:
    """The printed cell for an exact amount: rounded half-up to the quantum, blank when zero."""
    if not exact:
        return None
    sign = -1 if exact < 0 else 1
    return sign * ((abs(exact) + QUANTUM // 2) // QUANTUM) * QUANTUM


def _table(template: Template, plan: Plan, table_id: str, parts: dict[str, list[dict]],
           declared_empty: bool = False) -> Table:
    spec = template.table(table_id)
    frames = {}
    for part in spec.parts:
        records = []
        for i, rec in enumerate(parts.get(part.key, []), start=1):
            r = {"row_no": i, "kind": LEAF, "level": 0, "key": ""}
            r.update({k: "" for k in part.label_keys})
            r.update(rec)
            if r["kind"] == TOTAL and "level" not in rec and spec.layout in ("functional", "functional_two_sided",
                                                                               "economic"):
                r["level"] = -1  # the 合计 row sits above the 类/group rows, as extracted
            for k in part.amount_keys:
                r[k] = printed(r.get(k))
            records.append(r)
        frames[part.key] = make_frame(records, part)
    return Table(id=table_id, title=spec.title, unit=UNIT, decimals=DECIMALS, parts=frames,
                 declared_empty=declared_empty, printed_department=plan.department, printed_year=plan.year)


def _functional_rows(template: Template, values: dict[str, dict[str, int]], columns: list[str]) -> list[dict]:
    """合计 row, then 类/款/项 rows in code order; every row's values are sums of exact 项 values."""
    subclass_names = {c: n for c, (n, _) in catalog.SUBCLASSES.items()}
    item_names = {c + s: n for c, (_, items) in catalog.SUBCLASSES.items() for s, n in items.items()}
    sums: dict[str, dict[str, int]] = {}
    for code, vals in values.items():
        for prefix in ("", code[:3], code[:5], code):
            acc = sums.setdefault(prefix, {c: 0 for c in columns})
            for c in columns:
                acc[c] += vals.get(c, 0)
    # levels as the extractor prints them: 合计 -1, 类 0, 款 1, 项 2
    rows = [{"kind": TOTAL, "level": -1, "name": "合计", **sums[""]}]
    for code in sorted(k for k in sums if k):
        name = template.class_name(code) if len(code) == 3 else (
            subclass_names[code] if len(code) == 5 else item_names[code])
        kind = LEAF if len(code) == 7 else SUBTOTAL
        rows.append({"kind": kind, "level": {3: 0, 5: 1, 7: 2}[len(code)], "code": code, "name": name, **sums[code]})
    return rows


def _per_code(plan: Plan) -> dict[str, dict[str, int]]:
    """Per 项 code: basic, general-budget project, fund project and carried-over money (分, exact)."""
    proj, fund, carry = plan.project_by_code(), plan.project_by_code(source="fund"), plan.project_by_code(carry=True)
    out = {}
    for code in plan.codes():
        out[code] = {"basic": plan.basic.get(code, 0), "project": proj.get(code, 0), "fund": fund.get(code, 0),
                     "carry": carry.get(code, 0)}
    return out


def _t1(template, plan, per_code) -> Table:
    cur, carry = plan.current_total, plan.carryover_total
    income = [
        {"key": "general", "item": "一、一般公共预算", "amount": plan.general_total},
        {"key": "fund", "item": "二、政府性基金预算", "amount": plan.fund_total},
        {"key": "soe", "item": "三、国有资本经营预算"},
        {"key": "special", "item": "四、财政专户管理资金"}, {"key": "unit_funds", "item": "五、单位资金"},
        {"key": "income_total", "kind": SUBTOTAL, "item": "本年收入合计", "amount": cur},
        {"key": "carryover", "item": "上年结转", "amount": carry},
        {"key": "grand_total", "kind": TOTAL, "item": "收入总计", "amount": cur + carry},
    ]
    expenditure = []
    spec = template.table("T1").part("expenditure")
    for row in spec.rows:
        if row.code:
            c = sum(v["basic"] + v["project"] + v["fund"] for k, v in per_code.items() if k[:3] == row.code)
            k = sum(v["carry"] for k, v in per_code.items() if k[:3] == row.code)
            expenditure.append({"key": row.key, "item": row.label, "total": c + k, "current": c, "carryover": k})
    expenditure += [
        {"key": "expenditure_total", "kind": SUBTOTAL, "item": "本年支出合计", "total": cur + carry,
         "current": cur, "carryover": carry},
        {"key": "year_end_carryover", "item": "年终结转"},
        {"key": "grand_total", "kind": TOTAL, "item": "支出总计", "total": cur + carry, "current": cur,
         "carryover": carry},
    ]
    return _table(template, plan, "T1", {"income": income, "expenditure": expenditure})


def _t4(template, plan, per_code) -> Table:
    cur, carry = plan.current_total, plan.carryover_total
    income = [
        {"key": "general", "item": "一、一般公共预算", "amount": plan.general_total},
        {"key": "fund", "item": "二、政府性基金预算", "amount": plan.fund_total},
        {"key": "soe", "item": "三、国有资本经营预算"},
        {"key": "income_total", "kind": SUBTOTAL, "item": "本年收入合计", "amount": cur},
        {"key": "carryover", "kind": SUBTOTAL, "item": "上年财政拨款结转", "amount": carry},
        {"key": "carryover_general", "level": 1, "item": "一、一般公共预算", "amount": carry},
        {"key": "carryover_fund", "level": 1, "item": "二、政府性基金预算"},
        {"key": "carryover_soe", "level": 1, "item": "三、国有资本经营预算"},
        {"key": "grand_total", "kind": TOTAL, "item": "收入总计", "amount": cur + carry},
    ]
    expenditure = []
    for row in template.table("T4").part("expenditure").rows:
        if row.code:
            g = sum(x["basic"] + x["project"] + x["carry"] for k, x in per_code.items() if k[:3] == row.code)
            f = sum(x["fund"] for k, x in per_code.items() if k[:3] == row.code)
            expenditure.append({"key": row.key, "item": row.label, "total": g + f, "general": g, "fund": f})
    g, f = plan.general_total + carry, plan.fund_total
    expenditure += [
        {"key": "expenditure_total", "kind": SUBTOTAL, "item": "本年支出合计", "total": g + f, "general": g, "fund": f},
        {"key": "year_end_carryover", "item": "年终结转"},
        {"key": "grand_total", "kind": TOTAL, "item": "支出总计", "total": g + f, "general": g, "fund": f},
    ]
    return _table(template, plan, "T4", {"income": income, "expenditure": expenditure})


def _t6(template, plan) -> Table:
    rows = []
    total = {"total": 0, "personnel": 0, "public": 0}
    for group, _side in template.economic_groups:
        items = [i for i in plan.econ if i.group == group]
        if not items:
            continue
        g = {"total": 0, "personnel": 0, "public": 0}
        block = []
        for i in items:
            block.append({"level": 1, "dept_econ": i.dept_econ, "gov_econ": i.gov_econ, "total": i.amount,
                          i.side: i.amount})
            g["total"] += i.amount
            g[i.side] += i.amount
        rows.append({"kind": SUBTOTAL, "level": 0, "dept_econ": group, **g})
        rows += block
        for k in total:
            total[k] += g[k]
    return _table(template, plan, "T6", {"main": [{"kind": TOTAL, "level": -1, "dept_econ": "合计", **total}, *rows]})


def _t10(template, plan) -> Table:
    s = plan.sangong
    vehicles = s["vehicle_purchase"] + s["vehicle_operation"]
    grand = s["abroad"] + s["reception"] + vehicles
    labels = {r.key: r.label for r in template.table("T10").part("main").rows}
    values = {"abroad": s["abroad"], "reception": s["reception"], "vehicles": vehicles,
              "vehicle_purchase": s["vehicle_purchase"], "vehicle_operation": s["vehicle_operation"],
              "grand_total": grand}
    kinds = {"vehicles": SUBTOTAL, "grand_total": TOTAL}
    rows = [{"key": k, "item": labels[k], "kind": kinds.get(k, LEAF),
             "level": 1 if k.startswith("vehicle_") else 0, "total": v, "general": v} for k, v in values.items()]
    return _table(template, plan, "T10", {"main": rows}, declared_empty=grand == 0)


def _t11(template, plan) -> Table:
    total = sum(plan.unit_public.values())
    rows = [{"kind": TOTAL, "unit": "部门合计", "total": total, "general": total}]
    rows += [{"level": 1, "unit": u, "total": v, "general": v} for u, v in plan.unit_public.items()]
    return _table(template, plan, "T11", {"main": rows})


def _projects(template, plan, table_id: str, projects) -> Table:
    if not projects:
        return _table(template, plan, table_id, {"main": []}, declared_empty=True)
    def sums(ps):
        by = {"general": 0, "fund": 0}
        for p in ps:
            by[p.source] += p.amount
        return {"total": by["general"] + by["fund"], **by}

    rows = [{"kind": TOTAL, "level": 0, "project": plan.department, **sums(projects)}]
    for unit in plan.units:
        mine = [p for p in projects if p.unit == unit]
        if not mine:
            continue
        rows.append({"kind": SUBTOTAL, "level": 1, "project": unit, **sums(mine)})
        rows += [{"level": 2, "project": p.name, **sums([p])} for p in mine]
    return _table(template, plan, table_id, {"main": rows})


def _t7(template, plan) -> Table:
    """政府性基金预算收入: the fund money by income code (103 / 10301 / 10301xx), else declared empty."""
    fund = plan.fund_total
    if not fund:
        return _table(template, plan, "T7", {"main": [{"kind": TOTAL, "name": "合计"}]}, declared_empty=True)
    codes = sorted({p.code[:5] for p in plan.projects if p.source == "fund"})
    rows = [{"kind": TOTAL, "level": -1, "name": "合计", "amount": fund}]
    for code, name in catalog.FUND_INCOME_PARENTS.items():
        rows.append({"kind": SUBTOTAL, "level": {3: 0, 5: 1, 7: 2}[len(code)], "code": code, "name": name, "amount": fund})
    for sub in codes:
        income_code, name = catalog.FUND_INCOME[sub]
        amount = sum(p.amount for p in plan.projects if p.source == "fund" and p.code[:5] == sub)
        rows.append({"level": 2, "code": income_code, "name": name, "amount": amount})
    return _table(template, plan, "T7", {"main": rows})


def _t8(template, plan, per_code) -> Table:
    fund = {c: {"total": v["fund"], "project": v["fund"]} for c, v in per_code.items() if v["fund"]}
    if not fund:
        return _table(template, plan, "T8", {"main": [{"kind": TOTAL, "name": "合计"}]}, declared_empty=True)
    return _table(template, plan, "T8", {"main": _functional_rows(template, fund, ["total", "basic", "project"])})


def build_tables(plan: Plan, template: Template) -> dict[str, Table]:
    """All 13 tables of the plan, in template order (T9 declared empty: no SOE money; T7/T8 when no fund money)."""
    per_code = _per_code(plan)
    t2 = {c: {"total": v["basic"] + v["project"] + v["fund"], "general": v["basic"] + v["project"],
              "fund": v["fund"], "carryover": v["carry"]} for c, v in per_code.items()}
    t3 = {c: {"total": v["basic"] + v["project"] + v["fund"] + v["carry"], "basic": v["basic"],
              "project": v["project"] + v["fund"] + v["carry"]} for c, v in per_code.items()}
    t5 = {c: {"total": v["basic"] + v["project"], "basic": v["basic"], "project": v["project"]}
          for c, v in per_code.items() if v["basic"] + v["project"]}
    tables = {
        "T1": _t1(template, plan, per_code),
        "T2": _table(template, plan, "T2", {"main": _functional_rows(
            template, t2, ["total", "general", "fund", "carryover"])}),
        "T3": _table(template, plan, "T3", {"main": _functional_rows(template, t3, ["total", "basic", "project"])}),
        "T4": _t4(template, plan, per_code),
        "T5": _table(template, plan, "T5", {"main": _functional_rows(template, t5, ["total", "basic", "project"])}),
        "T6": _t6(template, plan),
        "T7": _t7(template, plan),
        "T8": _t8(template, plan, per_code),
        "T9": _table(template, plan, "T9", {"income": [{"kind": TOTAL, "name": "合计"}],
                                            "expenditure": [{"kind": TOTAL, "name": "合计"}]}, declared_empty=True),
        "T10": _t10(template, plan),
        "T11": _t11(template, plan),
        "T12": _projects(template, plan, "T12", plan.projects),
        "T13": _projects(template, plan, "T13", plan.carryover),
    }
    for tid in ("T5", "T6", "T7", "T8", "T9"):
        tables[tid].title += NOT_CURRENT
    return tables
