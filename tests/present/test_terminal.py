"""`budgetkit check` text output: never an amount cut short (the seed's 1,000,000 元 and -850,000 元 differences)."""

from __future__ import annotations

import re

import pytest
from project_files import SHIPPED

from budgetkit.checks import run_rules
from budgetkit.dataset.store import load_dataset
from budgetkit.present.terminal import format_findings_text, width, wrap
from budgetkit.run.cli import main


@pytest.fixture(scope="module")
def report():
    return run_rules(load_dataset(SHIPPED), source="seed")


def test_every_value_is_printed_whole(report):
    text = format_findings_text(report)
    cells = {line for line in text.splitlines()}
    for f in report.findings:
        for value in (f.expected, f.actual, f.difference):
            if value:
                assert any(re.search(rf"(^|\s){re.escape(value)}(\s|$)", line) for line in cells), value
    # seed lines 1932-2439 (财政性建设资金投资项目工程预决（结）算评审费): 实施期 3,000,000 vs 年度 2,000,000 元;
    # 财政一体化管理系统运行维护费: its itemised plan adds up to 804,500 of 1,654,500 元
    assert " 1000000元" in text and " -850000元" in text
    assert not re.search(r"\d…|[元%]…", text)  # no amount ends in an ellipsis


def test_cli_output_has_no_shortened_amount(capsys):
    assert main(["check", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert "1000000…" not in out and "-850000…" not in out and "-850000元" in out
    amounts = re.findall(r"-?\d[\d.,]*(?:万元|元)?…", out)
    assert amounts == []


def test_long_cells_wrap_without_losing_characters():
    text = "绩效目标表（长治市屯留区老军庄粮食和物资储备库项目全过程造价咨询服务）"
    lines = wrap(text, 24)
    assert "".join(lines) == text and all(width(x) <= 24 for x in lines) and len(lines) == 3
    assert wrap("", 10) == [""]


def test_check_prints_the_checklist_with_every_problem(capsys):
    from project_files import SHIPPED

    from budgetkit.run.cli import main

    main(["check", str(SHIPPED)])
    out = capsys.readouterr().out
    start = out.index("2024年度部门预算公开情况检查表")
    form = out[start:]
    assert "共 21 项：符合 16 项，不符合 2 项，未核对 3 项" in form
    assert "   7. [是] 表1 预算收支总表" in form
    # seed line 850 (no reason given for the 453.09万元 increase), whole, under its item
    item = form.index("[否] 预算情况说明")
    assert form.index("453.09万元", item) < form.index("[是] 表1 预算收支总表")
    from budgetkit.checks import run_rules
    from budgetkit.dataset.store import load_dataset

    for c in run_rules(load_dataset(SHIPPED)).checklist:  # every problem whole, never cut
        assert all(p in form for p in c.problems)
