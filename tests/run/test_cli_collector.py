"""The console script pauses the garbage collector only while a command loads its libraries.

``command`` (the installed ``budgetkit`` script) must print what ``main`` prints and leave the
collector running; ``main`` called in-process (as the tests and notebooks do) leaves it alone.
"""

from __future__ import annotations

import gc
import sys

from project_files import SHIPPED

from budgetkit.run import cli


def test_command_prints_what_main_prints_and_collects_again(monkeypatch, capsys):
    assert cli.main(["check", str(SHIPPED), "--json"]) == cli.EXIT_OK
    by_main = capsys.readouterr().out
    assert gc.isenabled()
    monkeypatch.setattr(sys, "argv", ["budgetkit", "check", str(SHIPPED), "--json"])
    try:
        assert cli.command() == cli.EXIT_OK
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # the libraries were set aside once loaded
    finally:
        gc.unfreeze()
    assert capsys.readouterr().out == by_main
    # seed lines 5148-5420 (人民医院新医院…全过程造价咨询服务 form): 年度资金总额 1,552,500 元 (line 5174),
    # yet the year's cost indicator is 全过程造价咨询服务费 3450000 元 (line 5420), the 实施期 total
    assert "超过年度资金总额1552500元（等于另一期间的资金总额，疑为照抄）" in by_main


def test_main_in_process_leaves_the_collector_alone(capsys):
    gc.disable()
    try:
        assert cli.main(["check", str(SHIPPED), "--json"]) == cli.EXIT_OK
        assert not gc.isenabled()
    finally:
        gc.enable()
    capsys.readouterr()
