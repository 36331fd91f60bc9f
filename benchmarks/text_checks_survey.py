"""Survey: what the text checks find in the real sample PDFs (../shared/samples) and in the seed narrative.

    PYTHONPATH=. python benchmarks/text_checks_survey.py [--all-text]

Needs ``pdftotext`` (Debian poppler-utils). Pages that are tables, the table of
contents and performance-target forms are dropped (told apart on the -layout text);
the others are read in reading order; the remaining lines are
joined into paragraphs with the extractor's own ``join_lines``; class names are
read from the coded rows of the tables ("210  卫生健康支出 …"). The facts of each
sample (year, kind, scope, cover name) are stated here, as an auditor would
enter them. Prints each problem with its check, excerpt, expected and actual.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from budgetkit.checks.text import TextFacts, find_text_problems
from budgetkit.extract.document import Line
from budgetkit.extract.narrative import join_lines

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "../shared/samples"
SEED_NARRATIVE = ROOT / "data/changzhishi-tunliuqu-caizhengju/2024/narrative.txt"

DOCS = {
    "shanghai-putuo-wanli-2023-dept-budget.pdf": (2023, "budget", "department", "上海市普陀区人民政府万里街道办事处"),
    "shanghai-putuo-wanli-2024-dept-budget.pdf": (2024, "budget", "department", "上海市普陀区人民政府万里街道办事处"),
    "shanghai-putuo-wanli-2025-dept-budget.pdf": (2025, "budget", "department", "上海市普陀区人民政府万里街道办事处"),
    "shanghai-putuo-finance-2025-dept-budget.pdf": (2025, "budget", "department", "上海市普陀区财政局"),
    "shanghai-putuo-welfare-home-2024-unit-budget.pdf": (2024, "budget", "unit", "上海市普陀区社会福利院"),
    "shanghai-putuo-finance-2024-final-accounts.pdf": (2024, "final_accounts", "department", "上海市普陀区财政局"),
    "shanghai-putuo-planning-2024-final-accounts.pdf": (2024, "final_accounts", "department", "上海市普陀区规划和自然资源局"),
    "national-final-accounts-template-2024.pdf": (2024, "final_accounts", "department", ""),
}

_CODED_CLASS = re.compile(r"^\s*(2\d\d)\s+([\u4e00-\u9fff]+支出)(?=\s|$)")
#: a figure standing alone between column gaps: a table cell
_NUMBER_CELL = re.compile(r"(?:^|(?<=\s\s))\d[\d,]*(?:\.\d+)?(?=\s{2}|\s*$)")


def pdf_pages(path: Path, layout: bool = True) -> list[str]:
    """Pages as pdftotext prints them: with -layout (columns kept, for telling tables apart) or in reading order."""
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(path), "-"]
    out = subprocess.run(args, capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")


def is_table_page(page: str) -> bool:
    lines = [l for l in page.splitlines() if l.strip()]
    if not lines:
        return True
    if any(w in page for w in ("绩效目标填报表", "绩效目标表", "……………")):
        return True
    rows = sum(1 for l in lines if _NUMBER_CELL.search(l.strip()) or re.match(r"^\s*\d{3}(\s+\d{1,2})*\s{2,}", l))
    titled = any(re.search(r"(预算|决算)?表\s*$", l.strip()) and len(l.strip()) < 40 for l in lines[:3])
    return rows / len(lines) > 0.3 or (titled and ("单位：" in page or "单位:" in page))


def class_names(pages: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for page in pages:
        for line in page.splitlines():
            m = _CODED_CLASS.match(line)
            if m:
                names.setdefault(m.group(1), m.group(2))
    return names


def narrative_of(layout_pages: list[str], reading_pages: list[str]) -> str:
    """Lines of the pages that are not tables, in reading order (-layout interleaves two-column text), joined."""
    kept = [r for lay, r in zip(layout_pages, reading_pages) if not is_table_page(lay)]
    lines = [Line(i + 1, l) for i, l in enumerate(l for p in kept for l in p.splitlines())]
    text, _ = join_lines(lines)
    return text


def report(name: str, text: str, facts: TextFacts) -> int:
    problems = find_text_problems(text, facts)
    print(f"\n== {name}  ({facts.year} {facts.kind} {facts.scope} {facts.department or '—'}; "
          f"{len(text.splitlines())} paragraphs, {len(problems)} problems)")
    for p in problems:
        print(f"  [{p.check}] {p.excerpt!r}\n      expected {p.expected!r} actual {p.actual!r}\n      {p.message}")
    return len(problems)


def main(argv: list[str]) -> int:
    if not SAMPLES.is_dir():
        print(f"samples missing: {SAMPLES}", file=sys.stderr)
        return 2
    seed_facts = TextFacts(2024, "budget", "department", "长治市屯留区财政局",
                           {"201": "一般公共服务支出", "205": "教育支出", "208": "社会保障和就业支出",
                            "210": "卫生健康支出", "221": "住房保障支出"})
    report("seed narrative (长治市屯留区财政局 2024)", SEED_NARRATIVE.read_text(encoding="utf-8"), seed_facts)
    for file, (year, kind, scope, dept) in DOCS.items():
        pages = pdf_pages(SAMPLES / file)
        text = narrative_of(pages, pdf_pages(SAMPLES / file, layout=False))
        if "--all-text" in argv:
            print(text)
        report(file, text, TextFacts(year, kind, scope, dept, class_names(pages)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
