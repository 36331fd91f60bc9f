"""The exact department-year behind a generated disclosure: every leaf amount in 分, before rounding.

A ``Plan`` holds what a finance bureau knows before printing: economic items,
projects, carry-over, 三公 items, to the 元. The tables are derived from it
(``budgetkit.synth.tables``) by summing exact leaves and rounding every printed
cell on its own, so rounding differences appear the way they do in real documents.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from budgetkit.synth import catalog

YUAN = 100  # 分 per 元


@dataclass
class EconItem:
    dept_econ: str
    gov_econ: str
    group: str  # 工资福利支出 / 商品和服务支出 / 对个人和家庭的补助
    side: str  # personnel | public
    amount: int  # 分


@dataclass
class Project:
    name: str
    unit: str
    code: str  # functional 项 code the project is paid from
    amount: int  # 分, whole 元 (forms print 元)
    nature: str  # 一次性项目 / 延续性项目
    period_years: int
    items: list[tuple[str, int]] = field(default_factory=list)  # itemised costs in the description (分)
    quantity: int = 0  # 数量指标 value
    quantity_unit: str = "项"
    source: str = "general"  # general (一般公共预算) | fund (政府性基金预算)


@dataclass
class Plan:
    department: str
    department_code: str
    slug: str
    year: int
    units: list[str]  # the department itself first, then subordinate units
    main_subclass: str
    econ: list[EconItem]
    basic: dict[str, int]  # functional 项 code → basic expenditure (分)
    projects: list[Project]
    carryover: list[Project]
    sangong: dict[str, int]  # T10 row key → 分 (abroad, reception, vehicle_purchase, vehicle_operation)
    unit_public: dict[str, int]  # T11: unit → 公用经费 (分)
    procurement: tuple[int, int, int]  # 政府采购 goods, works, services (分)
    reasons: dict[str, str] = field(default_factory=dict)  # 'total', 'running' → 原因

    @property
    def general_total(self) -> int:
        """一般公共预算 this year: basic expenditure and general-budget projects."""
        return sum(self.basic.values()) + sum(p.amount for p in self.projects if p.source == "general")

    @property
    def fund_total(self) -> int:
        """政府性基金预算 this year (fund projects only)."""
        return sum(p.amount for p in self.projects if p.source == "fund")

    @property
    def current_total(self) -> int:
        return self.general_total + self.fund_total

    @property
    def carryover_total(self) -> int:
        return sum(p.amount for p in self.carryover)

    def project_by_code(self, carry: bool = False, source: str | None = "general") -> dict[str, int]:
        """Project money per 项 code (carry-over projects with ``carry``; ``source`` None = every source)."""
        out: dict[str, int] = {}
        for p in (self.carryover if carry else self.projects):
            if source is None or p.source == source:
                out[p.code] = out.get(p.code, 0) + p.amount
        return out

    def codes(self) -> list[str]:
        """Every 项 code with money, sorted (the printed order of tables 2, 3, 5)."""
        return sorted(set(self.basic) | set(self.project_by_code(source=None)) | set(self.project_by_code(True)))


def _yuan(rng: random.Random, low: float, high: float, step: int = 1) -> int:
    """A whole-元 amount (as 分) between low and high 元, log-uniform, a multiple of ``step`` 元."""
    value = low * (high / low) ** rng.random()
    return max(step, int(round(value / step)) * step) * YUAN


def _project_code(rng: random.Random, subclasses: list[str]) -> str:
    sub = rng.choice(subclasses)
    items = [s for s in catalog.SUBCLASSES[sub][1] if s not in ("01", "50")]
    return sub + rng.choice(items)


def _make_project(rng: random.Random, name: str, unit: str, subclasses: list[str], amount: int | None = None
                  ) -> Project:
    amount = amount if amount is not None else _yuan(rng, 5_000, 2_500_000, step=100)
    one_off = rng.random() < 0.6
    n_items = rng.choice([0, 2, 3])
    items: list[tuple[str, int]] = []
    if n_items:
        labels = rng.sample(["办公费", "印刷费", "咨询费", "劳务费", "委托业务费", "差旅费", "培训费", "维修费"], n_items)
        left = amount // YUAN
        for i, label in enumerate(labels):
            share = left if i == n_items - 1 else max(1, int(left * rng.uniform(0.2, 0.6)))
            left -= share
            items.append((label, share * YUAN))
    return Project(name=name, unit=unit, code=_project_code(rng, subclasses), amount=amount,
                   nature="一次性项目" if one_off else "延续性项目", period_years=1 if one_off else rng.choice([2, 3]),
                   items=items, quantity=rng.randint(2, 300), quantity_unit=rng.choice(["项", "次", "家", "人次", "个"]))


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    """``total`` 分 in n positive whole-元 parts."""
    if n == 1:
        return [total]
    cuts = sorted(rng.sample(range(1, total // YUAN), n - 1))
    bounds = [0, *cuts, total // YUAN]
    return [(b - a) * YUAN for a, b in zip(bounds, bounds[1:])]


def new_plan(rng: random.Random, year: int, index: int = 0) -> Plan:
    """A fresh department-year (the earliest of a series)."""
    kind = rng.choice(catalog.DEPARTMENTS)
    city = rng.choice(sorted(catalog.CITIES))
    county = rng.choice(catalog.CITIES[city])
    department = f"{city}{county}{kind['name']}"
    units = [department]
    if rng.random() < 0.4:
        units.append(f"{city}{county}{kind['name'][:-1]}{rng.choice(catalog.SUBORDINATE_UNITS)}")
    staff = rng.randint(8, 120)
    econ = []
    for dept, gov, group, weight in catalog.PERSONNEL_ITEMS:
        if weight < 2 and rng.random() < 0.3:
            continue
        econ.append(EconItem(dept, gov, group, "personnel", _yuan(rng, 700, 1300) * weight * staff))
    for dept, gov, group, weight in catalog.PUBLIC_ITEMS:
        if rng.random() < 0.3:
            continue
        econ.append(EconItem(dept, gov, group, "public", _yuan(rng, 60, 140) * weight * staff))
    sangong = {k: 0 for k in ("abroad", "reception", "vehicle_purchase", "vehicle_operation")}
    if rng.random() < 0.5:
        for key, (dept, gov) in catalog.SANGONG_ITEMS.items():
            amount = _yuan(rng, 2_000, 60_000)
            sangong[key] = amount
            econ.append(EconItem(dept, gov, "商品和服务支出", "public", amount))
    names = rng.sample(kind["projects"], rng.randint(2, min(6, len(kind["projects"]))))
    projects = [_make_project(rng, n, rng.choice(units), kind["project"]) for n in names]
    if kind.get("fund") and rng.random() < 0.5:  # some money from the 政府性基金预算: tables 7 and 8 filled
        fund = _make_project(rng, rng.choice(kind["fund_projects"]), units[0], [kind["fund"]])
        fund.source = "fund"
        projects.append(fund)
    carry = []
    if rng.random() < 0.6:
        for n in rng.sample(names, rng.randint(1, min(2, len(names)))):
            p = next(q for q in projects if q.name == n)
            carry.append(Project(name=n, unit=p.unit, code=p.code, amount=_yuan(rng, 2_000, 400_000, step=10),
                                 nature=p.nature, period_years=p.period_years))
    plan = Plan(department=department, department_code=f"{rng.randint(1, 399):03d}",
                slug=f"synth-{index:05d}-{rng.randrange(16**6):06x}", year=year, units=units,
                main_subclass=kind["main"], econ=econ, basic={}, projects=projects, carryover=carry,
                sangong=sangong, unit_public={}, procurement=(0, 0, 0))
    _derive(rng, plan)
    return plan


def _derive(rng: random.Random, plan: Plan) -> None:
    """Functional basic lines, T11 split and procurement from the economic items."""
    basic: dict[str, int] = {}
    rest = 0
    for item in plan.econ:
        line = catalog.PERSONNEL_LINES.get(item.dept_econ)
        if item.dept_econ == "退休费":
            line = "2080501"
        if line:
            basic[line] = basic.get(line, 0) + item.amount
        else:
            rest += item.amount
    main = plan.main_subclass
    if len(plan.units) > 1:
        share = int(rest * rng.uniform(0.2, 0.45)) // YUAN * YUAN
        basic[main + "50"] = share
        rest -= share
    basic[main + "01"] = rest
    plan.basic = {c: v for c, v in basic.items() if v}
    public = sum(i.amount for i in plan.econ if i.side == "public")
    plan.unit_public = dict(zip(plan.units, _split(rng, public, len(plan.units))))
    goods = _yuan(rng, 5_000, 300_000, step=100)
    services = _yuan(rng, 5_000, 500_000, step=100) if rng.random() < 0.8 else 0
    works = _yuan(rng, 50_000, 900_000, step=100) if rng.random() < 0.15 else 0
    plan.procurement = (goods, works, services)
    change = rng.choice(catalog.INCREASE_REASONS + catalog.DECREASE_REASONS)
    plan.reasons = {"total": change, "running": change, "sangong": change}


def next_year(rng: random.Random, plan: Plan) -> Plan:
    """The same department a year later: items grow or shrink, some projects end, new ones start."""
    kind = next(k for k in catalog.DEPARTMENTS if k["main"] == plan.main_subclass)
    econ = [EconItem(i.dept_econ, i.gov_econ, i.group, i.side,
                     max(YUAN, int(i.amount * rng.uniform(0.9, 1.12)) // YUAN * YUAN)) for i in plan.econ]
    sangong = dict(plan.sangong)
    for item in econ:
        for key, (dept, _gov) in catalog.SANGONG_ITEMS.items():
            if item.dept_econ == dept:
                sangong[key] = item.amount
    kept = [p for p in plan.projects if p.nature == "延续性项目" or rng.random() < 0.3]
    projects = [Project(p.name, p.unit, p.code, max(100 * YUAN, int(p.amount * rng.uniform(0.8, 1.2)) // (100 * YUAN)
                                                    * 100 * YUAN), p.nature, p.period_years, [], p.quantity,
                        p.quantity_unit, p.source) for p in kept]
    fresh = [n for n in kind["projects"] if n not in {p.name for p in projects}]
    for n in rng.sample(fresh, min(len(fresh), rng.randint(1, 2))):
        projects.append(_make_project(rng, n, rng.choice(plan.units), kind["project"]))
    for p in projects:
        if p.items:
            continue
        p.items = _make_project(rng, p.name, p.unit, kind["project"], p.amount).items
    carry = []
    general = [p for p in projects if p.source == "general"]
    if rng.random() < 0.6:
        for p in rng.sample(general, min(len(general), rng.randint(1, 2))):
            carry.append(Project(p.name, p.unit, p.code, _yuan(rng, 2_000, 400_000, step=10), p.nature,
                                 p.period_years))
    nxt = Plan(department=plan.department, department_code=plan.department_code, slug=plan.slug,
               year=plan.year + 1, units=list(plan.units), main_subclass=plan.main_subclass, econ=econ, basic={},
               projects=projects, carryover=carry, sangong=sangong, unit_public={}, procurement=(0, 0, 0))
    _derive(rng, nxt)
    return nxt
