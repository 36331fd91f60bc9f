"""All 13 tables of the seed typed in by hand (data/changzhishi-tunliuqu-caizhengju/2024/source/000_b6cb000e27f50e6b.txt, lines 101-790).

Independent of the table parser: the oracle the table rules are tested against.
Each row: kind level key | labels (';'-separated) | amounts as printed ('.' = blank).
"""

from __future__ import annotations

from budgetkit.core.model import Disclosure, Metadata, Table
from budgetkit.core.money import parse_amount, to_fen
from budgetkit.core.template import load_template
from budgetkit.dataset.store import make_frame

DEPARTMENT = "长治市屯留区财政局"

T1_INCOME = """
leaf 0 general | 一、一般公共预算 | 1664.74
leaf 0 fund | 二、政府性基金预算 | .
leaf 0 soe | 三、国有资本经营预算 | .
leaf 0 special | 四、财政专户管理资金 | .
leaf 0 unit_funds | 五、单位资金 | .
subtotal 0 income_total | 本年收入合计 | 1664.74
leaf 0 carryover | 上年结转 | 51.99
total 0 grand_total | 收入总计 | 1716.73
"""
# line 113 一、一般公共服务支出 1537.92 1485.93 51.99; 118 五、教育支出 17.22 17.22; 134 八 74.18; 138 十 31.77;
# 167 二十、住房保障支出 55.63 55.63; 201-205 本年支出合计 / 支出总计 1716.73 1664.74 51.99
T1_CLASSES = {"201": "1537.92 1485.93 51.99", "205": "17.22 17.22 .", "208": "74.18 74.18 .",
              "210": "31.77 31.77 .", "221": "55.63 55.63 ."}
T1_EXP_TAIL = """
subtotal 0 expenditure_total | 本年支出合计 | 1716.73 1664.74 51.99
leaf 0 year_end_carryover | 年终结转 | . . .
total 0 grand_total | 支出总计 | 1716.73 1664.74 51.99
"""

T2 = """
total 0 | ;合计 | 1664.74 1664.74 . . . . 51.99
subtotal 1 | 201;一般公共服务支出 | 1485.93 1485.93 . . . . 51.99
subtotal 2 | 20106;财政事务 | 1485.93 1485.93 . . . . 51.99
leaf 3 | 2010601;行政运行 | 192.38 192.38 . . . . 0.57
leaf 3 | 2010602;一般行政管理事务 | 455.18 455.18 . . . . 51.42
leaf 3 | 2010607;信息化建设 | 10.00 10.00 . . . . .
leaf 3 | 2010608;财政委托业务支出 | 468.79 468.79 . . . . .
leaf 3 | 2010650;事业运行 | 359.58 359.58 . . . . .
subtotal 1 | 205;教育支出 | 17.22 17.22 . . . . .
subtotal 2 | 20508;进修及培训 | 17.22 17.22 . . . . .
leaf 3 | 2050803;培训支出 | 17.22 17.22 . . . . .
subtotal 1 | 208;社会保障和就业支出 | 74.18 74.18 . . . . .
subtotal 2 | 20805;行政事业单位养老支出 | 74.18 74.18 . . . . .
leaf 3 | 2080505;机关事业单位基本养老保险缴费支出 | 74.18 74.18 . . . . .
subtotal 1 | 210;卫生健康支出 | 31.77 31.77 . . . . .
subtotal 2 | 21011;行政事业单位医疗 | 31.77 31.77 . . . . .
leaf 3 | 2101101;行政单位医疗 | 9.27 9.27 . . . . .
leaf 3 | 2101102;事业单位医疗 | 22.51 22.51 . . . . .
subtotal 1 | 221;住房保障支出 | 55.63 55.63 . . . . .
subtotal 2 | 22102;住房改革支出 | 55.63 55.63 . . . . .
leaf 3 | 2210201;住房公积金 | 55.63 55.63 . . . . .
"""

T3 = """
total 0 | ;合计 | 1716.73 714.11 1002.61
subtotal 1 | 201;一般公共服务支出 | 1537.92 552.53 985.39
subtotal 2 | 20106;财政事务 | 1537.92 552.53 985.39
leaf 3 | 2010601;行政运行 | 192.95 192.95 .
leaf 3 | 2010602;一般行政管理事务 | 506.60 . 506.60
leaf 3 | 2010607;信息化建设 | 10.00 . 10.00
leaf 3 | 2010608;财政委托业务支出 | 468.79 . 468.79
leaf 3 | 2010650;事业运行 | 359.58 359.58 .
subtotal 1 | 205;教育支出 | 17.22 . 17.22
subtotal 2 | 20508;进修及培训 | 17.22 . 17.22
leaf 3 | 2050803;培训支出 | 17.22 . 17.22
subtotal 1 | 208;社会保障和就业支出 | 74.18 74.18 .
subtotal 2 | 20805;行政事业单位养老支出 | 74.18 74.18 .
leaf 3 | 2080505;机关事业单位基本养老保险缴费支出 | 74.18 74.18 .
subtotal 1 | 210;卫生健康支出 | 31.77 31.77 .
subtotal 2 | 21011;行政事业单位医疗 | 31.77 31.77 .
leaf 3 | 2101101;行政单位医疗 | 9.27 9.27 .
leaf 3 | 2101102;事业单位医疗 | 22.51 22.51 .
subtotal 1 | 221;住房保障支出 | 55.63 55.63 .
subtotal 2 | 22102;住房改革支出 | 55.63 55.63 .
leaf 3 | 2210201;住房公积金 | 55.63 55.63 .
"""

T4_INCOME = """
leaf 0 general | 一、一般公共预算 | 1664.74
leaf 0 fund | 二、政府性基金预算 | .
leaf 0 soe | 三、国有资本经营预算 | .
subtotal 0 income_total | 本年收入合计 | 1664.74
subtotal 0 carryover | 上年财政拨款结转 | 51.99
leaf 1 carryover_general | 一、一般公共预算 | 51.99
leaf 1 carryover_fund | 二、政府性基金预算 | .
leaf 1 carryover_soe | 三、国有资本经营预算 | .
total 0 grand_total | 收入总计 | 1716.73
"""
T4_CLASSES = {"201": "1537.92 1537.92 . .", "205": "17.22 17.22 . .", "208": "74.18 74.18 . .",
              "210": "31.77 31.77 . .", "221": "55.63 55.63 . ."}
T4_EXP_TAIL = """
subtotal 0 expenditure_total | 本年支出合计 | 1716.73 1716.73 . .
leaf 0 year_end_carryover | 年终结转 | . . . .
total 0 grand_total | 支出总计 | 1716.73 1716.73 . .
"""

T5 = """
total 0 | ;合计 | 1664.74 713.55 951.19
subtotal 1 | 201;一般公共服务支出 | 1485.93 551.96 933.97
subtotal 2 | 20106;财政事务 | 1485.93 551.96 933.97
leaf 3 | 2010601;行政运行 | 192.38 192.38 .
leaf 3 | 2010602;一般行政管理事务 | 455.18 . 455.18
leaf 3 | 2010607;信息化建设 | 10.00 . 10.00
leaf 3 | 2010608;财政委托业务支出 | 468.79 . 468.79
leaf 3 | 2010650;事业运行 | 359.58 359.58 .
subtotal 1 | 205;教育支出 | 17.22 . 17.22
subtotal 2 | 20508;进修及培训 | 17.22 . 17.22
leaf 3 | 2050803;培训支出 | 17.22 . 17.22
subtotal 1 | 208;社会保障和就业支出 | 74.18 74.18 .
subtotal 2 | 20805;行政事业单位养老支出 | 74.18 74.18 .
leaf 3 | 2080505;机关事业单位基本养老保险缴费支出 | 74.18 74.18 .
subtotal 1 | 210;卫生健康支出 | 31.77 31.77 .
subtotal 2 | 21011;行政事业单位医疗 | 31.77 31.77 .
leaf 3 | 2101101;行政单位医疗 | 9.27 9.27 .
leaf 3 | 2101102;事业单位医疗 | 22.51 22.51 .
subtotal 1 | 221;住房保障支出 | 55.63 55.63 .
subtotal 2 | 22102;住房改革支出 | 55.63 55.63 .
leaf 3 | 2210201;住房公积金 | 55.63 55.63 .
"""

T6 = """
total 0 | 合计; | 713.55 685.11 28.44
subtotal 1 | 工资福利支出; | 668.75 668.75 .
leaf 2 | 基本工资;工资奖金津补贴 | 84.57 84.57 .
leaf 2 | 基本工资;工资福利支出 | 196.38 196.38 .
leaf 2 | 津贴补贴;工资奖金津补贴 | 50.09 50.09 .
leaf 2 | 津贴补贴;工资福利支出 | 25.56 25.56 .
leaf 2 | 奖金;工资奖金津补贴 | 12.39 12.39 .
leaf 2 | 绩效工资;工资福利支出 | 134.04 134.04 .
leaf 2 | 机关事业单位基本养老保险缴费;社会保障缴费 | 21.65 21.65 .
leaf 2 | 机关事业单位基本养老保险缴费;工资福利支出 | 52.53 52.53 .
leaf 2 | 职工基本医疗保险缴费;社会保障缴费 | 9.20 9.20 .
leaf 2 | 职工基本医疗保险缴费;工资福利支出 | 22.33 22.33 .
leaf 2 | 其他社会保障缴费;社会保障缴费 | 0.61 0.61 .
leaf 2 | 其他社会保障缴费;工资福利支出 | 3.79 3.79 .
leaf 2 | 住房公积金;住房公积金 | 16.24 16.24 .
leaf 2 | 住房公积金;工资福利支出 | 39.40 39.40 .
subtotal 1 | 商品和服务支出; | 28.44 . 28.44
leaf 2 | 办公费;办公经费 | 3.62 . 3.62
leaf 2 | 印刷费;办公经费 | 3.00 . 3.00
leaf 2 | 电费;办公经费 | 5.00 . 5.00
leaf 2 | 邮电费;办公经费 | 1.50 . 1.50
leaf 2 | 差旅费;办公经费 | 2.00 . 2.00
leaf 2 | 其他交通费用;办公经费 | 13.32 . 13.32
subtotal 1 | 对个人和家庭的补助; | 16.35 16.35 .
leaf 2 | 退休费;离退休费 | 14.32 14.32 .
leaf 2 | 生活补助;社会福利和救助 | 2.03 2.03 .
"""

T7 = "total 0 | ;合计 | ."
T8 = "total 0 | ;合计 | . . ."
T9_INCOME = "total 0 | ;合计 | ."
T9_EXP = "total 0 | ;合计 | . . ."
T10 = """
leaf 0 abroad | 因公出国（境）费 | . . . .
leaf 0 reception | 公务接待费 | . . . .
subtotal 0 vehicles | 公务用车购置及运行费 | . . . .
leaf 1 vehicle_purchase | ①公务用车购置费 | . . . .
leaf 1 vehicle_operation | ②公务用车运行维护费 | . . . .
total 0 grand_total | 合计 | . . . .
"""
T11 = """
total 0 | 部门合计 | 28.44 28.44 . .
leaf 1 | 长治市屯留区财政局 | 28.44 28.44 . .
"""
T12_PROJECTS = ["财政性建设资金投资项目工程预决（结）算评审费 200.00", "资产台账运维费 0.30", "农村财会人员培训经费 17.22",
                "煤化工工业园区污水处理厂一期工程PPP项目工程结算审核及竣工财务决算审计费用 94.75",
                "预算绩效管理费 36.00", "临时雇佣人员劳务费 65.00", "工作经费 75.00", "财政票据电子化管理系统运维费 4.76",
                "财政一体化管理系统运行维护费 165.45", "政府采购信息化系统运维费 18.48", "办公设备更新购置资金 30.00",
                "财政网络安全等级保护 10.00", "长治市屯留区老军庄粮食和物资储备库项目全过程造价咨询服务 18.79",
                "长治市屯留区人民医院新医院建设项目全过程造价咨询服务 155.25", "行政事业单位国有资产管理绩效评价费 15.00",
                "担保补偿补贴资金 45.19"]
# seed line 718 / 720: 长治市屯留区财政局 951.19 951.19 (department line, then unit line)
T13_PROJECTS = ["农村财会人员培训经费 7.00", "工作经费 19.38", "临时雇佣人员劳务费 25.04"]


def _fen(text: str):
    return None if text == "." else to_fen(parse_amount(text), "万元")


def _rows(text: str) -> list[tuple]:
    out = []
    for line in text.strip().splitlines():
        head, labels, amounts = (s.strip() for s in line.split("|"))
        kind, level, *key = head.split()
        out.append((kind, int(level), key[0] if key else "", labels.split(";"), amounts.split()))
    return out


def _table(tpl, table_id, rows_by_part, *, empty=False) -> Table:
    spec = tpl.table(table_id)
    parts = {}
    for part in spec.parts:
        records = []
        for i, (kind, level, key, labels, amounts) in enumerate(rows_by_part[part.key], start=1):
            assert len(amounts) == len(part.amount_keys), (table_id, labels)
            rec = {"row_no": i, "kind": kind, "level": level, "key": key}
            rec.update(dict(zip(part.label_keys, labels)))
            rec.update({k: _fen(v) for k, v in zip(part.amount_keys, amounts)})
            records.append(rec)
        parts[part.key] = make_frame(records, part)
    return Table(id=table_id, title=spec.title, unit="万元", decimals=2, parts=parts, declared_empty=empty,
                 printed_department=DEPARTMENT, printed_year=2024)


def _expenditure(tpl, table_id, classes, tail, n_amounts):
    rows = []
    for fr in tpl.table(table_id).part("expenditure").rows:
        if fr.code is not None:
            rows.append(("leaf", 0, fr.key, [fr.label], classes.get(fr.code, " ".join("." * n_amounts)).split()))
    return rows + _rows(tail)


def _projects(projects, n_sources, printed):
    """Department line, unit line (both ``printed``), then the projects; all money is 一般公共预算."""
    def row(kind, level, name, amount):
        return (kind, level, "", [name], [amount, amount] + ["."] * (n_sources - 1))

    return ([row("total", 0, DEPARTMENT, printed), row("subtotal", 1, DEPARTMENT, printed)]
            + [row("leaf", 2, *p.rsplit(" ", 1)) for p in projects])


def hand_seed() -> Disclosure:
    """The seed's 13 tables as printed, typed by hand."""
    tpl = load_template("shanxi-county-13")
    tables = [
        _table(tpl, "T1", {"income": _rows(T1_INCOME), "expenditure": _expenditure(tpl, "T1", T1_CLASSES, T1_EXP_TAIL, 3)}),
        _table(tpl, "T2", {"main": _rows(T2)}),
        _table(tpl, "T3", {"main": _rows(T3)}),
        _table(tpl, "T4", {"income": _rows(T4_INCOME), "expenditure": _expenditure(tpl, "T4", T4_CLASSES, T4_EXP_TAIL, 4)}),
        _table(tpl, "T5", {"main": _rows(T5)}),
        _table(tpl, "T6", {"main": _rows(T6)}),
        _table(tpl, "T7", {"main": _rows(T7)}, empty=True),
        _table(tpl, "T8", {"main": _rows(T8)}, empty=True),
        _table(tpl, "T9", {"income": _rows(T9_INCOME), "expenditure": _rows(T9_EXP)}, empty=True),
        _table(tpl, "T10", {"main": _rows(T10)}, empty=True),
        _table(tpl, "T11", {"main": _rows(T11)}),
        _table(tpl, "T12", {"main": _projects(T12_PROJECTS, 5, "951.19")}),
        _table(tpl, "T13", {"main": _projects(T13_PROJECTS, 3, "51.42")}),
    ]
    meta = Metadata(department=DEPARTMENT, department_code="", year=2024, template="shanxi-county-13",
                    slug="changzhishi-tunliuqu-caizhengju")
    return Disclosure(meta=meta, tables={t.id: t for t in tables})
