"""Damage for the fuzz tests: what a government website's PDF-to-text does to a disclosure.

Every damage is a pure function of the text and a few drawn integers, so hypothesis
can shrink it and a failing case names the line it touched. The hypothesis
strategies live here too, so ``benchmarks/fuzz_report.py`` runs exactly the suite's
cases. Each test records its cases and the one-line errors it saw in ``RECORD``;
with ``BUDGETKIT_FUZZ_REPORT=<file>`` the counts are merged into that JSON file.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from project_files import SEED

from budgetkit.core.errors import BudgetkitError
from budgetkit.core.money import quantum_fen, rounding_tolerance
from budgetkit.core.template import load_template

AMOUNT = re.compile(r"(?<![\d.,])\d+\.\d{2}(?![\d.])")

#: Deterministic in CI; no deadline (the parser takes ~1 s on a busy 2-core box).
FUZZ = dict(deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                   HealthCheck.function_scoped_fixture])


def fuzz_settings(n: int):
    """``BUDGETKIT_FUZZ_NO_SHRINK=1`` reports the first failing case without shrinking (debugging)."""
    extra = {}
    if os.environ.get("BUDGETKIT_FUZZ_NO_SHRINK"):
        from hypothesis import Phase

        extra["phases"] = [Phase.explicit, Phase.generate]
    return settings(max_examples=n, **FUZZ, **extra)


class Baseline(dict):
    """The clean parse and its report (short repr: hypothesis prints it with every failing case)."""

    def __repr__(self) -> str:
        return "<clean seed baseline>"


# ------------------------------------------------------------------ the seed, cut for speed


def seed_lines() -> list[str]:
    if not SEED.is_file():
        pytest.fail(f"seed not found at {SEED}")
    return SEED.read_text(encoding="utf-8").split("\n")


def core_text(lines: list[str]) -> str:
    """The seed without its 16 performance forms (lines 923-7137): tables + narrative + glossary.

    Parsing it takes a third of the time; forms get their own, fewer, full-text cases.
    """
    first_form = next(i for i, l in enumerate(lines) if "项目支出绩效目标表" in l and i > 800)
    after_forms = next(i for i, l in enumerate(lines) if l.startswith("各县（区）财政局"))
    return "\n".join(lines[:first_form] + lines[after_forms:])


def table_amount_lines(text: str) -> list[int]:
    """0-based indices of lines in 第二部分 (before 第三部分) that print an amount."""
    lines = text.split("\n")
    end = next(i for i, l in enumerate(lines) if "第三部分" in l and i > 150)
    return [i for i in range(end) if AMOUNT.search(lines[i])]


# ------------------------------------------------------------------ damage operations


FULLWIDTH = {**{chr(ord("0") + k): chr(ord("０") + k) for k in range(10)},
             ".": "．", ",": "，", "(": "（", ")": "）", ":": "："}


def to_fullwidth(s: str) -> str:
    return "".join(FULLWIDTH.get(c, c) for c in s)


def with_separators(token: str) -> str:
    whole, _, frac = token.partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def swap_digits(token: str, k: int) -> str | None:
    """Swap the k-th pair of adjacent, different digits (None if there is none)."""
    pairs = [i for i in range(len(token) - 1) if token[i].isdigit() and token[i + 1].isdigit()
             and token[i] != token[i + 1]]
    if not pairs:
        return None
    i = pairs[k % len(pairs)]
    return token[:i] + token[i + 1] + token[i] + token[i + 2:]


def change_digit(token: str, k: int) -> str:
    """Misread one digit (an OCR-style error): the (k mod n)-th digit becomes another digit."""
    places = [i for i, c in enumerate(token) if c.isdigit()]
    i = places[k % len(places)]
    new = str((int(token[i]) + 1 + (k // len(places)) % 9) % 10)
    return token[:i] + new + token[i + 1:]


@dataclass(frozen=True)
class Damage:
    op: str
    line: int = 0  # index into the candidate lines (taken modulo their number)
    pick: int = 0  # which token / position on the line
    extra: int = 0  # a character, a cut point …

    def apply(self, text: str, candidates: list[int]) -> str | None:
        """The damaged text, or None when the damage does not apply (nothing changed)."""
        lines = text.split("\n")
        i = candidates[self.line % len(candidates)] if candidates else 0
        if self.op == "truncate":
            return text[: self.extra % max(len(text), 1)]
        if self.op == "delete_line":
            del lines[i]
        elif self.op == "duplicate_line":
            lines.insert(i, lines[i])
        elif self.op == "stray_char":
            ch = STRAY[self.extra % len(STRAY)]
            p = self.pick % (len(lines[i]) + 1)
            lines[i] = lines[i][:p] + ch + lines[i][p:]
        elif self.op in ("swap_digits", "change_digit", "parenthesise", "blank_cell", "separators",
                         "fullwidth_cell"):
            tokens = list(AMOUNT.finditer(lines[i]))
            if not tokens:
                return None
            m = tokens[self.pick % len(tokens)]
            tok = m.group()
            new = {"swap_digits": lambda: swap_digits(tok, self.extra),
                   "change_digit": lambda: change_digit(tok, self.extra),
                   "parenthesise": lambda: f"({tok})",
                   "blank_cell": lambda: " " * len(tok),
                   "separators": lambda: with_separators(tok),
                   "fullwidth_cell": lambda: to_fullwidth(tok)}[self.op]()
            if new is None or new == tok:
                return None
            lines[i] = lines[i][: m.start()] + new + lines[i][m.end():]
        elif self.op == "fullwidth_line":  # digits and number punctuation (names keep their brackets)
            lines[i] = "".join(FULLWIDTH.get(c, c) if c.isdigit() or c in ".," else c for c in lines[i])
        else:  # pragma: no cover
            raise ValueError(self.op)
        return "\n".join(lines)


STRAY = ["#", "x", "。", "?", "%", "\u3000", "-", "*", "a", "０", "\ufeff", "¥", "（", "一", "\t", "9", "."]

#: Damage that changes what the text says about money (or its structure).
VALUE_OPS = ["swap_digits", "change_digit", "parenthesise"]
ROW_OPS = ["delete_line", "duplicate_line", "blank_cell"]
NOISE_OPS = ["stray_char", "truncate"]
#: Damage that must not change anything: same amounts, same verdicts.
SAME_OPS = ["separators", "fullwidth_cell", "fullwidth_line"]


def damages(ops: list[str]):
    return st.builds(Damage, op=st.sampled_from(ops), line=st.integers(0, 10_000), pick=st.integers(0, 50),
                     extra=st.integers(0, 10**7))


# ------------------------------------------------------------------ comparing parses


def amount_keys(frame) -> list[str]:
    return [c for c in frame.columns if str(frame[c].dtype) == "Int64"]


def value_rows(frame) -> list[tuple]:
    """The amounts of every row that prints any (blank rows are layout, not money)."""
    keys = amount_keys(frame)
    out = []
    for rec in frame[keys].itertuples(index=False):
        vals = tuple(None if pd.isna(v) else int(v) for v in rec)
        if any(v is not None for v in vals):
            out.append(vals)
    return out


def table_changes(clean, damaged) -> dict[str, int | None]:
    """Tables whose money differs: table id → largest cell change in 分, None for a structural change."""
    changes: dict[str, int | None] = {}
    for tid, t in clean.tables.items():
        other = damaged.tables.get(tid)
        if other is None:
            changes[tid] = None
            continue
        for key, frame in t.parts.items():
            a, b = value_rows(frame), value_rows(other.parts[key]) if key in other.parts else []
            if a == b:
                continue
            if len(a) != len(b) or any(len(x) != len(y) for x, y in zip(a, b)):
                changes[tid] = None
                break
            deltas = [abs((x or 0) - (y or 0)) if (x is None) == (y is None) else None
                      for ra, rb in zip(a, b) for x, y in zip(ra, rb) if x != y]
            delta = None if None in deltas else max(deltas)
            prev = changes.get(tid, 0)
            changes[tid] = None if delta is None or prev is None else max(prev, delta)
    return changes


def printed_values(table) -> int:
    return sum(len(value_rows(f)) * len(amount_keys(f)) for f in table.parts.values())


def table_tolerance(table) -> int:
    """The largest difference rounding can explain in any identity of this table (all its printed values)."""
    return rounding_tolerance(printed_values(table), quantum_fen(table.unit, table.decimals))


def new_alarms(clean_report, report, table_id: str, rules_by_id) -> list[str]:
    """Rules that now fail with a finding the clean text did not have, and that concern ``table_id``;
    or rules listing the table that passed on the clean text and now say ``insufficient_data``.

    Concern: the rule lists the table, or it is an extraction/completeness rule whose new
    finding names the table (E.*) or which failed only now (C.*).
    """
    def bad(rep):
        return {(f.rule, f.table, f.location, f.message) for f in rep.findings if f.severity in ("error", "warning")}

    def ids(rule):  # the tables a rule concerns, as the document numbers them
        template = load_template(clean_report.template)
        return {template.by_role(role).id for role in rule.tables}

    before = bad(clean_report)
    clean_status = {r.rule: r.status for r in clean_report.results}
    alarms = []
    for r in report.results:
        if r.status == "insufficient_data" and clean_status.get(r.rule) == "pass" and table_id in ids(
                rules_by_id[r.rule]):
            alarms.append(r.rule)  # the damaged table no longer has the structure the rule checks: said so
            continue
        if r.status != "fail":
            continue
        fresh = [f for f in r.findings if f.severity in ("error", "warning")
                 and (f.rule, f.table, f.location, f.message) not in before]
        if not fresh:
            continue
        rule = rules_by_id[r.rule]
        if table_id in ids(rule):
            alarms.append(r.rule)
        elif r.rule.startswith("extraction.") and any(table_id in f.table for f in fresh):
            alarms.append(r.rule)
        elif r.rule.startswith("completeness.") and clean_status.get(r.rule) != "fail":
            alarms.append(r.rule)
    return alarms


# ------------------------------------------------------------------ recording


RECORD: dict[str, Counter] = {"cases": Counter(), "outcomes": Counter(), "errors": Counter(),
                               "messages": Counter()}


def normalise(message: str) -> str:
    """The kind of an error message: no file name, numbers as N, quoted values as '…'."""
    msg = re.sub(r"^(?:[^:\s]*[/\\<][^:]*|[^:\s]+\.(?:txt|pdf|csv|json|yaml|ipynb)): ", "", message)
    msg = re.sub(r"'[^']*'|\[[^\]]*\]", "'…'", msg)
    return re.sub(r"\d+", "N", msg)


def record(test: str, outcome: str, error: BaseException | None = None) -> None:
    RECORD["cases"][test] += 1
    RECORD["outcomes"][f"{test}:{outcome}"] += 1
    if error is not None:
        RECORD["errors"][f"{error.__class__.__name__}: {normalise(str(error))}"] += 1
        RECORD["messages"][f"{error.__class__.__name__}: {error}"] += 1


def check_one_line(exc: BudgetkitError) -> None:
    msg = str(exc)
    assert msg and "\n" not in msg and "Traceback" not in msg, repr(msg)


def dump_record() -> None:
    path = os.environ.get("BUDGETKIT_FUZZ_REPORT")
    if not path:
        return
    p = Path(path)
    old = json.loads(p.read_text("utf-8")) if p.is_file() else {}
    for key, counter in RECORD.items():
        merged = Counter(old.get(key, {}))
        merged.update(counter)
        old[key] = dict(merged)
    p.write_text(json.dumps(old, ensure_ascii=False, indent=1), encoding="utf-8")
    for counter in RECORD.values():
        counter.clear()


@pytest.fixture(scope="module", autouse=False)
def fuzz_record():
    yield RECORD
    dump_record()


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def decimal_of(token: str) -> Decimal:
    return Decimal(nfkc(token).replace(",", "").strip("()"))
