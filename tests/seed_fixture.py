"""A small Disclosure typed in by hand from the seed (data/changzhishi-tunliuqu-caizhengju/2024/source/000_b6cb000e27f50e6b.txt).

Independent of the extractor, so chart and report tests do not depend on it.
Values are in 万元 as printed; line numbers refer to the seed text file.
"""

from __future__ import annotations

from budgetkit.core.model import Disclosure, Metadata, Table
from budgetkit.core.money import parse_amount, to_fen
from budgetkit.core.template import load_template
from budgetkit.dataset.store import make_frame


def _fen(text):
    return to_fen(parse_amount(text), "万元")


def _table(tpl, table_id, rows_by_part):
    spec = tpl.table(table_id)
    parts = {}
    for part in spec.parts:
        records = []
        for i, row in enumerate(rows_by_part.get(part.key, []), start=1):
            kind, level, key, labels, amounts = row
            rec = {"row_no": i, "kind": kind, "level": level, "key": key}
            rec.update(dict(zip(part.label_keys, labels)))
            rec.update({k: _fen(v) for k, v in zip(part.amount_keys, amounts)})
            records.append(rec)
        parts[part.key] = make_frame(records, part)
    return Table(id=table_id, title=spec.title, unit="万元", decimals=2, parts=parts)


def hand_disclosure(year: int = 2024, scale: int = 1) -> Disclosure:
    """Tables T1 (income side), T3, T6 (totals and groups) and T12 as printed in the seed."""
    tpl = load_template("shanxi-county-13")

    def s(v):  # scaled printed value, for a made-up 'prior year'
        return v if scale == 1 or v == "" else f"{float(v) * scale:.2f}"

    t1 = _table(tpl, "T1", {
        "income": [  # seed lines 116-207
            ("leaf", 0, "general", ["一、一般公共预算"], [s("1664.74")]),
            ("leaf", 0, "fund", ["二、政府性基金预算"], [""]),
            ("subtotal", 0, "income_total", ["本年收入合计"], [s("1664.74")]),
            ("leaf", 0, "carryover", ["上年结转"], [s("51.99")]),
            ("total", 0, "grand_total", ["收入总计"], [s("1716.73")]),
        ],
        "expenditure": [
            ("total", 0, "grand_total", ["支出总计"], [s("1716.73"), s("1664.74"), s("51.99")]),
        ],
    })
    t3 = _table(tpl, "T3", {"main": [  # seed lines 280-316
        ("total", 0, "", ["", "合计"], [s("1716.73"), s("714.11"), s("1002.61")]),
        ("subtotal", 1, "", ["201", "一般公共服务支出"], [s("1537.92"), s("552.53"), s("985.39")]),
        ("subtotal", 1, "", ["205", "教育支出"], [s("17.22"), "", s("17.22")]),
        ("subtotal", 1, "", ["208", "社会保障和就业支出"], [s("74.18"), s("74.18"), ""]),
        ("subtotal", 1, "", ["210", "卫生健康支出"], [s("31.77"), s("31.77"), ""]),
        ("subtotal", 1, "", ["221", "住房保障支出"], [s("55.63"), s("55.63"), ""]),
    ]})
    t6 = _table(tpl, "T6", {"main": [  # seed lines 534-566
        ("total", 0, "", ["合计", ""], [s("713.55"), s("685.11"), s("28.44")]),
        ("subtotal", 1, "", ["工资福利支出", ""], [s("668.75"), s("668.75"), ""]),
        ("subtotal", 1, "", ["商品和服务支出", ""], [s("28.44"), "", s("28.44")]),
    ]})
    t12 = _table(tpl, "T12", {"main": [  # seed lines 723-766
        ("subtotal", 0, "", ["长治市屯留区财政局"], [s("951.19"), s("951.19"), "", "", "", ""]),
        ("leaf", 2, "", ["财政性建设资金投资项目工程预决（结）算评审费"], [s("200.00"), s("200.00"), "", "", "", ""]),
        ("leaf", 2, "", ["资产台账运维费"], [s("0.30"), s("0.30"), "", "", "", ""]),
        ("leaf", 2, "", ["农村财会人员培训经费"], [s("17.22"), s("17.22"), "", "", "", ""]),
        ("leaf", 2, "", ["财政一体化管理系统运行维护费"], [s("165.45"), s("165.45"), "", "", "", ""]),
        ("leaf", 2, "", ["长治市屯留区人民医院新医院建设项目全过程造价咨询服务"],
         [s("155.25"), s("155.25"), "", "", "", ""]),
    ]})
    meta = Metadata(department="长治市屯留区财政局", department_code="", year=year,
                    template="shanxi-county-13", slug="changzhishi-tunliuqu-caizhengju")
    return Disclosure(meta=meta, tables={t.id: t for t in (t1, t3, t6, t12)})
