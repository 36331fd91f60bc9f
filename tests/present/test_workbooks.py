"""The auditor's workbooks opened with openpyxl: numbers with a number format and a unit column, sort order,
fills, autofilter, frozen header, title rows and file names — on the shipped dataset, values from the seed
(data/changzhishi-tunliuqu-caizhengju/2024/source/000_b6cb000e27f50e6b.txt)."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from project_files import SHIPPED

from budgetkit.batch.check import check_sources, write_exports
from budgetkit.core.findings import SEVERITY_CN
from budgetkit.present import report
from budgetkit.present.finding_rows import COLUMNS
from budgetkit.present.grid import PLAIN, Sheet, Style
from budgetkit.present.workbook import FILL

SHA = "ba2d0cacec7af2886edac37b2bcd114d6c9241b583b98bcc66f6a31e0ed77a30"  # sha256sum of the seed
SEVERITY_OF = {v: k for k, v in SEVERITY_CN.items()}
HEADER_ROW = 5  # 4 title rows (title, 部门名称/年度, 源文件/SHA-256, counts)
NUMBER_AS_TEXT = re.compile(r"^[≤<]?-?[\d,]+(\.\d+)?(万元|元|亿元|%)?$")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    audit = report.load("changzhishi-tunliuqu-caizhengju", 2024)
    out = tmp_path_factory.mktemp("out")
    report.save(audit, out)
    return audit, out


@pytest.fixture(scope="module")
def findings_book(saved):
    _, out = saved
    return load_workbook(out / "changzhishi-tunliuqu-caizhengju-2024-findings.xlsx")


def _rows(ws, header_row=HEADER_ROW):
    head = [c.value for c in ws[header_row]]
    return head, [dict(zip(head, (c for c in row))) for row in ws.iter_rows(min_row=header_row + 1)]


def test_file_names_carry_slug_and_year(saved):
    _, out = saved
    assert sorted(p.name for p in out.iterdir()) == [
        "changzhishi-tunliuqu-caizhengju-2024-findings.csv", "changzhishi-tunliuqu-caizhengju-2024-findings.json",
        "changzhishi-tunliuqu-caizhengju-2024-findings.xlsx", "changzhishi-tunliuqu-caizhengju-2024-tables.xlsx"]


def test_title_rows_name_department_year_source_and_checksum(findings_book):
    assert findings_book.sheetnames == ["发现", "尾差与提示", "公开情况检查表", "规则状态"]
    for ws in (findings_book[name] for name in ("发现", "尾差与提示", "规则状态")):
        assert ws["A1"].value.startswith("长治市屯留区财政局 2024年") and ws["A1"].font.bold
        assert ws["A2"].value == "部门名称：长治市屯留区财政局　　年度：2024"
        assert ws["A3"].value == f"源文件：000_b6cb000e27f50e6b.txt　　SHA-256：{SHA}"


def test_header_frozen_filtered_and_repeated_when_printed(findings_book):
    for name in ("发现", "尾差与提示"):
        ws = findings_book[name]
        assert [c.value for c in ws[HEADER_ROW]] == COLUMNS + ["审核意见"]
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        assert ws.auto_filter.ref == f"A{HEADER_ROW}:L{ws.max_row}"
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.page_setup.orientation == "landscape"
    st = findings_book["规则状态"]
    assert [c.value for c in st[HEADER_ROW - 1]] == ["规则", "规则名称", "说明", "类别", "涉及表", "状态", "原因", "发现数"]
    assert st.freeze_panes == f"A{HEADER_ROW}"


def test_errors_and_warnings_apart_from_rounding_and_confirmations(findings_book, saved):
    audit, _ = saved
    _, attention = _rows(findings_book["发现"])
    _, other = _rows(findings_book["尾差与提示"])
    counts = audit.checks.counts()["severity"]
    assert len(attention) == counts["error"] + counts["warning"] == 13  # 7 errors, 6 warnings in the seed
    assert len(other) == counts["rounding"] + counts["info"]
    assert {r["严重程度"].value for r in attention} == {"错误", "警告"}
    assert {r["严重程度"].value for r in other} == {"尾差", "提示"}
    assert findings_book["发现"]["A4"].value.startswith("错误 7 条，警告 6 条")
    assert findings_book["尾差与提示"]["A4"].value.startswith("尾差 22 条，提示 26 条")


def _table_rank(label: str) -> tuple:
    m = re.match(r"表(\d+)", label)
    return (0, int(m.group(1))) if m else ((1, 0) if label == "情况说明" else (2, 0))


def test_sorted_by_severity_then_table_and_numbered(findings_book):
    for name in ("发现", "尾差与提示"):
        _, rows = _rows(findings_book[name])
        keys = [(list(SEVERITY_CN.values()).index(r["严重程度"].value), _table_rank(r["表"].value)) for r in rows]
        assert keys == sorted(keys)
        assert [r["序号"].value for r in rows] == list(range(1, len(rows) + 1))
    _, rows = _rows(findings_book["尾差与提示"])
    assert rows[0]["表"].value == "表1" and rows[-1]["严重程度"].value == "提示"


def test_rows_are_filled_as_in_the_html(findings_book):
    for name in ("发现", "尾差与提示"):
        head, rows = _rows(findings_book[name])
        for r in rows:
            colour = FILL[SEVERITY_OF[r["严重程度"].value]]
            assert all(c.fill.fgColor.rgb.endswith(colour) for c in r.values()), r["规则"].value


def test_amounts_are_numbers_with_a_format_and_the_unit_apart(findings_book):
    _, rows = _rows(findings_book["尾差与提示"])
    # seed line 536: "工资福利支出 668.75 668.75"; its items add up to 668.78 (rounding, 万元)
    t6 = next(r for r in rows if r["规则"].value == "within.general_basic_economic.groups"
              and r["位置"].value == "工资福利支出 / 合计")
    assert (t6["应为"].value, t6["实际"].value, t6["差额"].value) == (668.78, 668.75, -0.03)
    assert t6["应为"].number_format == "#,##0.00" and t6["单位"].value == "万元" and t6["表"].value == "表6"
    _, rows = _rows(findings_book["发现"])
    # seed lines 1603-1659: 办公设备更新购置资金, 实施期 642,200 元 but 年度 300,000 元 (一次性, 1 年)
    form = next(r for r in rows if r["表"].value == "绩效目标表（办公设备更新购置资金）")
    assert (form["应为"].value, form["实际"].value, form["差额"].value) == (300000, 642200, 342200)
    assert form["应为"].number_format == "#,##0" and form["单位"].value == "元" and form["位置"].value == "项目资金"
    assert form["规则名称"].value == "一次性项目两期资金一致"
    copied = next(r for r in rows if r["规则"].value == "forms.cost_indicators_copied")
    assert copied["应为"].number_format.startswith('"≤"') and isinstance(copied["应为"].value, (int, float))


def test_no_number_is_stored_as_text(findings_book):
    for name in ("发现", "尾差与提示"):
        _, rows = _rows(findings_book[name])
        for r in rows:
            for col in ("应为", "实际", "差额"):
                v = r[col].value
                assert not (isinstance(v, str) and NUMBER_AS_TEXT.match(v)), (r["规则"].value, col, v)


def test_statuses_in_chinese_with_rule_names(findings_book):
    head, rows = _rows(findings_book["规则状态"], HEADER_ROW - 1)
    by_id = {r["规则"].value: r for r in rows}
    assert by_id["within.expenditure.hierarchy"]["状态"].value == "通过"
    assert by_id["within.fund_income.hierarchy"]["状态"].value == "不适用"  # 表7 注明本表无数据 (seed line 602)
    failed = by_id["forms.one_year_period_funds"]
    assert failed["状态"].value == "未通过" and failed["规则名称"].value == "一次性项目两期资金一致"
    assert failed["类别"].value == "绩效表" and failed["规则"].fill.fgColor.rgb.endswith(FILL["error"])
    assert {r["状态"].value for r in rows} <= {"通过", "未通过", "不适用", "数据不足"}


def test_tables_workbook_numbers_in_printed_layout(saved):
    _, out = saved
    wb = load_workbook(out / "changzhishi-tunliuqu-caizhengju-2024-tables.xlsx")
    assert wb.sheetnames == [f"表{i}" for i in range(1, 14)]
    ws = wb["表3"]
    assert ws["A1"].value.startswith("表3 ") and ws["C2"].value == "单位：万元"
    total = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "合计")
    # seed line 280: "合计 1716.73 714.11 1002.61"; 714.11 + 1002.61 = 1716.72
    head = [ws.cell(total - 1, c).value for c in range(1, 12)]
    printed, recomputed, diff = (head.index(h) + 1 for h in ("合计", "重算 合计", "差额 合计"))
    assert (ws.cell(total, printed).value, ws.cell(total, recomputed).value, ws.cell(total, diff).value) == (
        1716.73, 1716.72, 0.01)
    assert ws.cell(total, printed).number_format == "#,##0.00" and ws.cell(total, printed).font.bold
    assert ws.cell(total, printed).fill.fgColor.rgb.endswith(FILL["rounding"])
    code = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "2010601")  # seed line 286
    assert ws.cell(code, 1).data_type == "s" and ws.cell(code, printed).value == 192.95
    assert ws.cell(code, printed).fill.fill_type is None
    assert ws.freeze_panes == f"A{total}"


def test_batch_workbook(tmp_path):
    result = check_sources([SHIPPED])
    xlsx, csv_path = tmp_path / "batch.xlsx", tmp_path / "batch.csv"
    write_exports(result, excel=xlsx, csv=csv_path)
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["发现", "尾差与提示", "规则状态", "数据集"]
    ws = wb["发现"]
    head = [c.value for c in ws[3]]
    assert head[:4] == ["序号", "部门名称", "年度", "严重程度"] and "单位" in head and ws.freeze_panes == "A4"
    rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=4)]
    assert len(rows) == 13 and {r["部门名称"].value for r in rows} == {"长治市屯留区财政局"}
    form = next(r for r in rows if r["表"].value == "绩效目标表（办公设备更新购置资金）")
    assert form["应为"].value == 300000 and form["单位"].value == "元" and form["应为"].number_format == "#,##0"
    assert all(r["严重程度"].fill.fgColor.rgb.endswith(FILL[SEVERITY_OF[r["严重程度"].value]]) for r in rows)
    ds = wb["数据集"]
    assert [c.value for c in ds[3]][:5] == ["部门名称", "年度", "数据集", "源文件", "SHA-256"]
    assert ds.cell(4, 4).value == "000_b6cb000e27f50e6b.txt" and ds.cell(4, 5).value == SHA
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.startswith("序号,部门名称,年度,严重程度,规则,规则名称,表,位置,应为,实际,差额,单位,说明,数据集")
    assert ",300000,642200,342200,元," in text


def test_checklist_sheet_laid_out_like_the_paper_form(findings_book):
    ws = findings_book["公开情况检查表"]
    assert ws["A1"].value == "2024年度部门预算公开情况检查表" and ws["A1"].font.bold
    assert "A1:D1" in {str(r) for r in ws.merged_cells.ranges}  # the title spans the form
    assert ws["A2"].value == "部门名称：长治市屯留区财政局"
    assert [c.value for c in ws[3]] == ["序号", "检查项目", "是否符合要求", "存在的问题"]
    rows = {r[1].value: r for r in ws.iter_rows(min_row=4)}
    assert len(rows) == 21 and rows["表1 预算收支总表"][2].value == "是" and rows["表1 预算收支总表"][3].value is None
    # seed line 850: 比上年增加453.09万元，增长37.39% without a reason; the 2nd problem is on its own line
    answer, problems = rows["预算情况说明"][2].value, rows["预算情况说明"][3].value
    assert answer == "否" and problems.startswith("1. 第三部分 五、第15句，原文第850行")
    assert "\n2. " in problems and rows["预算情况说明"][3].alignment.wrap_text
    assert rows["预算情况说明"][2].fill.fgColor.rgb.endswith(FILL["error"])
    # seed lines 1603–1659: the 办公设备更新购置资金 form, 实施期 642200元 ≠ 年度 300000元; 11 problems, all shown
    forms = rows["项目支出绩效目标表"][3].value
    assert "642200元" in forms and forms.count("\n") == 10 and "11. " in forms
    assert ws.row_dimensions[rows["项目支出绩效目标表"][0].row].height >= 15 * 11
    # the extracted text has no cover: not checked, and the sheet says why
    assert (rows["封面"][2].value, rows["封面"][3].value) == ("未核对", "未核对：document.cover：源文件中没有封面")
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"


def xlsx_parts(path) -> dict[str, bytes]:
    """Every part of an .xlsx but its document properties (they carry the time of writing)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_tables_workbook_from_the_shown_reproduction_is_the_one_made_from_scratch(saved, tmp_path):
    from budgetkit.present import export

    audit, out = saved
    fresh = export.reproduced_to_excel(audit.disclosure, tmp_path / "fresh.xlsx")
    assert xlsx_parts(out / "changzhishi-tunliuqu-caizhengju-2024-tables.xlsx") == xlsx_parts(fresh)


def _cell_format(c) -> tuple:
    """A cell as openpyxl reads it back: value, number format, font, fill, alignment, borders (colours as RGB,
    a font without name or size as the workbook's Calibri 11)."""
    def rgb(colour):
        return colour.rgb[-6:] if colour is not None and isinstance(colour.rgb, str) and colour.type == "rgb" else None

    f, a, b = c.font, c.alignment, c.border
    sides = tuple((s.style, rgb(s.color) if s.style else None) if s is not None else (None, None)
                  for s in (b.left, b.right, b.top, b.bottom))
    return (c.value, type(c.value), c.number_format, (bool(f.b), f.sz or 11.0, rgb(f.color), f.name or "Calibri"),
            (c.fill.fill_type, rgb(c.fill.fgColor) if c.fill.fill_type else None),
            (a.horizontal, a.vertical, bool(a.wrap_text), a.indent or 0), sides)


def _sheet_layout(ws) -> tuple:
    widths = {i: d.width for d in ws.column_dimensions.values() if d.customWidth for i in range(d.min, d.max + 1)}
    return (ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows, ws.page_setup.orientation,
            ws.page_setup.paperSize, ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight,
            sorted(str(r) for r in ws.merged_cells.ranges), widths,
            {r: d.height for r, d in ws.row_dimensions.items() if d.height})


def _books_equal(one, other) -> None:
    a, b = load_workbook(one), load_workbook(other)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        wa, wb = a[name], b[name]
        assert _sheet_layout(wa) == _sheet_layout(wb), name
        hidden = {(r, c) for m in wa.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)
                  for c in range(m.min_col, m.max_col + 1)} - {(m.min_row, m.min_col) for m in wa.merged_cells.ranges}
        for r in range(1, max(wa.max_row, wb.max_row) + 1):
            for c in range(1, max(wa.max_column, wb.max_column) + 1):
                if (r, c) not in hidden:
                    assert _cell_format(wa.cell(r, c)) == _cell_format(wb.cell(r, c)), (name, r, c)


def to_openpyxl(sheet: Sheet, ws) -> None:
    """Write ``sheet`` into an openpyxl worksheet: a second, independent writer of the same sheets."""
    from copy import copy

    from openpyxl.utils import get_column_letter

    styles: dict[Style, object] = {}
    for (row, col), cell in sorted(sheet.cells.items()):
        target = ws.cell(row, col)
        target.value = cell.value
        if isinstance(cell.value, str) and cell.value.startswith("="):
            target.data_type = "s"  # text, as XlsxWriter writes it, never a formula
        if cell.style is PLAIN:
            continue
        known = styles.get(cell.style)
        if known is None:
            _apply(target, cell.style)
            styles[cell.style] = copy(target._style)
        else:
            target._style = copy(known)
    for col, width in sheet.widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, height in sheet.heights.items():
        ws.row_dimensions[row].height = height
    for r0, c0, r1, c1 in sheet.merged:
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    if sheet.freeze:
        ws.freeze_panes = ws.cell(sheet.freeze, 1).coordinate
    if sheet.autofilter:
        r0, c0, r1, c1 = sheet.autofilter
        ws.auto_filter.ref = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
    if sheet.print_rows:
        ws.print_title_rows = f"{sheet.print_rows[0]}:{sheet.print_rows[1]}"
    if sheet.orientation:
        ws.page_setup.orientation = sheet.orientation
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    if sheet.tab_color:
        ws.sheet_properties.tabColor = sheet.tab_color


def _apply(target, style: Style) -> None:
    from openpyxl.styles import Alignment, PatternFill, Side
    from openpyxl.styles import Border as XBorder
    from openpyxl.styles import Font as XFont

    if style.font is not None:
        f = style.font
        target.font = XFont(**{k: v for k, v in (("bold", f.bold), ("size", f.size), ("color", f.color)) if v})
    if style.fill is not None:
        target.fill = PatternFill("solid", fgColor=style.fill)
    if style.align is not None:
        a = style.align
        target.alignment = Alignment(**{k: v for k, v in (("horizontal", a.horizontal), ("vertical", a.vertical),
                                                           ("wrap_text", a.wrap), ("indent", a.indent)) if v})
    if style.border is not None:
        side = Side(style="thin", color=style.border.color)
        target.border = XBorder(bottom=side) if style.border.sides == "bottom" else \
            XBorder(left=side, right=side, top=side, bottom=side)
    if style.number_format is not None:
        target.number_format = style.number_format


def _save_openpyxl(sheets, path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        to_openpyxl(sheet, wb.create_sheet(sheet.title))
    wb.save(path)


def test_xlsxwriter_and_openpyxl_write_the_same_workbooks(saved, tmp_path):
    """The entry's workbooks (XlsxWriter) read back as the same sheets written through openpyxl (the writer
    they had before XlsxWriter, kept here as an independent second writer): cell by cell and sheet by sheet."""
    from budgetkit.present import export
    from budgetkit.present.tables_sheet import reproduced_sheet

    audit, out = saved
    sheets = export.findings_sheets(audit.checks, audit.disclosure.meta)
    _save_openpyxl(sheets, tmp_path / "findings.xlsx")
    _books_equal(out / "changzhishi-tunliuqu-caizhengju-2024-findings.xlsx", tmp_path / "findings.xlsx")
    tables = []
    for table_id, frame in report.reproduced(audit).items():
        tables.append(export.Sheet(audit.template.table(table_id).label))
        reproduced_sheet(tables[-1], audit.disclosure.table(table_id), audit.template, frame, audit.disclosure.meta)
    _save_openpyxl(tables, tmp_path / "tables.xlsx")
    _books_equal(out / "changzhishi-tunliuqu-caizhengju-2024-tables.xlsx", tmp_path / "tables.xlsx")


def test_texts_stay_texts(tmp_path):
    from budgetkit.present import xlsx
    from budgetkit.present.grid import Sheet

    sheet = Sheet("文字")
    sheet.cell(1, 1, "=SUM(A2)")  # a finding's text that starts like a formula
    sheet.cell(2, 1, "https://example.org/预算")  # and one like a link
    xlsx.save([sheet], tmp_path / "texts.xlsx")
    ws = load_workbook(tmp_path / "texts.xlsx")["文字"]
    assert [(c.value, c.data_type) for c in ws["A"]] == [("=SUM(A2)", "s"), ("https://example.org/预算", "s")]
    assert not ws._hyperlinks
