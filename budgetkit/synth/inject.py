"""Labelled errors of every rule family, injected into a generated disclosure.

Each injection changes the disclosure in one place, by far more than rounding can
explain, and returns a label: the rule that must report it, the table and the
location the finding must name. Tests measure recall against these labels.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from budgetkit.core.model import Disclosure
from budgetkit.core.template import load_template
from budgetkit.dataset.narrative import segment_narrative
from budgetkit.synth.tables import QUANTUM

FAMILIES = ("within", "cross", "completeness", "narrative", "forms")
DELTA = 100 * QUANTUM  # 1.00 万元: far beyond any rounding tolerance


@dataclass(frozen=True)
class Injected:
    """What was broken and where a finding must point (location: a substring of the finding's location)."""

    family: str
    rule: str
    table: str
    location: str
    description: str

    def matches(self, finding) -> bool:
        return (finding.rule == self.rule and finding.table == self.table and self.location in finding.location
                and finding.severity in ("error", "warning"))


def _within(d: Disclosure, rng: random.Random) -> Injected:
    table_id = rng.choice(["T3", "T5"])
    frame = d.tables[table_id].parts["main"]
    leaves = [i for i in frame.index if len(str(frame.at[i, "code"])) == 7]
    i = rng.choice(leaves)
    frame.loc[i, "total"] = int(frame.at[i, "total"]) + DELTA
    where = f"{frame.at[i, 'code']} {frame.at[i, 'name']} / 合计"
    role = load_template(d.meta.template).table(table_id).role
    return Injected("within", f"within.{role}.row_total", table_id, where, f"{table_id} {where} +1.00")


def _cross(d: Disclosure, rng: random.Random) -> Injected:
    frame = d.tables["T11"].parts["main"]
    for i in frame.index[:2]:  # 部门合计 and its first unit move together: T11 stays consistent in itself
        for col in ("total", "general"):
            frame.loc[i, col] = int(frame.at[i, col]) + DELTA
    return Injected("cross", "cross.public_vs_office_running", "T11/T6", "部门合计 / 合计", "T11 部门合计 and first unit +1.00")


def _completeness(d: Disclosure, rng: random.Random) -> Injected:
    table_id = rng.choice(["T7", "T8", "T9", "T11"])
    d.tables[table_id].printed_department = d.meta.department[:-1] + "办"
    return Injected("completeness", "completeness.same_department", table_id, "部门名称", f"{table_id} printed department changed")


#: A narrative claim the generator always writes, and the sentence number it lives in.
_BASIC_CLAIM = re.compile(r"(支出预算[\d,.]+万元，其中：基本支出)([\d,.]+)(万元)")
NARRATIVE_RULE = "narrative.amount_matches_table"
FORMS_RULE = "forms.annual_fund_matches_projects"


def _narrative(d: Disclosure, rng: random.Random) -> Injected:
    text = d.narrative.text
    m = _BASIC_CLAIM.search(text)
    old = m.group(2)
    value = int(round(float(old.replace(",", "")) * 100)) + 100
    new = f"{value // 100}.{value % 100:02d}"
    d.narrative = segment_narrative(text[:m.start(2)] + new + text[m.end(2):])
    return Injected("narrative", NARRATIVE_RULE, "T3", f"“{new}万元”", "三、支出预算 基本支出 +1.00")


def _forms(d: Disclosure, rng: random.Random) -> Injected:
    form = rng.choice(d.forms)
    for src in ("total", "local"):
        form.funds["annual"][src] += 1000 * 100  # +1,000 元 in every place the form prints its annual fund
    return Injected("forms", FORMS_RULE, f"form:{form.project}", "年度", f"form {form.project} annual +1000元")


_INJECTORS = {"within": _within, "cross": _cross, "completeness": _completeness, "narrative": _narrative,
              "forms": _forms}


def inject(disclosure: Disclosure, families, rng: random.Random) -> list[Injected]:
    """Break ``disclosure`` once per family (in place); return the labels."""
    unknown = [f for f in families if f not in _INJECTORS]
    if unknown:
        raise ValueError(f"unknown rule families {unknown}; known: {', '.join(FAMILIES)}")
    return [_INJECTORS[f](disclosure, rng) for f in families]
