"""Every claim extracted from a narrative as one table row (what was read, before any rule checks it)."""

from __future__ import annotations

import pandas as pd

from budgetkit.checks.claims.claims import KIND_CN, Claim, extract_claims, location
from budgetkit.core.model import Narrative
from budgetkit.core.template import Template

COLUMNS_CN = {"index": "序号", "kind": "类型", "section": "节", "sentence": "句", "subject": "所指", "value": "数值",
              "refers_to": "关联", "location": "位置"}


def _value(c: Claim) -> str:
    if c.kind == "amount":
        figure = {"budget": "（年初预算）", "prior": "（上年执行数）"}.get(c.measure, "")
        return f"{c.money}{figure}" + ("（标准金额）" if c.threshold else "")
    if c.kind == "share":
        return f"{c.percent}%"
    if c.kind == "change":
        word = {1: "增加", -1: "减少", 0: "持平"}[c.direction]
        amount = f"{c.money}" if c.money else ""
        rate = f"，{c.percent}%" if c.percent is not None else ""
        return f"{c.basis}{word}{amount}{rate}"
    if c.kind == "completion":
        return f"完成{c.percent}%"
    if c.kind == "versus":
        return {1: "决算数大于预算数", -1: "决算数小于预算数", 0: "决算数与预算数持平"}[c.direction]
    if c.kind == "count":
        return f"{c.count}{c.count_unit}"
    if c.kind == "items":
        return "、".join(c.items)
    return c.reason


def claims_listing(narrative: Narrative, template: Template | None = None, *, chinese: bool = False) -> pd.DataFrame:
    """One row per claim: kind, section, sentence, what it is about, its value and where it is."""
    rows = [{"index": c.index, "kind": KIND_CN[c.kind] if chinese else c.kind, "section": c.section,
             "sentence": c.sentence + 1, "subject": c.subject, "value": _value(c),
             "refers_to": "" if c.refers_to is None else c.refers_to, "location": location(narrative, c)}
            for c in extract_claims(narrative, template)]
    frame = pd.DataFrame(rows, columns=list(COLUMNS_CN))
    return frame.rename(columns=COLUMNS_CN) if chinese else frame
