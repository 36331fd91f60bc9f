"""What a text check is given and what it returns.

Checks are pure functions of the narrative text and a few facts about the
document (its year, kind, scope, cover name and the class names its tables
print); they return problems with offsets into the text, so a wrapper can point
an auditor at the exact words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITY_WARNING = "warning"
SEVERITY_ERROR = "error"


@dataclass(frozen=True)
class TextFacts:
    year: int | None  # the document's year (budget year, or the final-account year); None when unknown
    kind: str  # "budget" (预算) | "final_accounts" (决算)
    scope: str | None  # "department" (部门…) | "unit" (单位…) | None when unknown
    department: str = ""  # the name on the cover / 编制部门
    # 3-digit functional class code -> name as printed in this document's tables
    table_class_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TextProblem:
    check: str  # stable id, see CHECKS in __init__
    severity: str  # "warning", except conflicting_amounts = "error"
    start: int  # offsets of the offending words in the text given: text[start:end]
    end: int
    excerpt: str  # the clause around them as printed, short, never cut mid-amount
    expected: str
    actual: str
    message: str  # one line in Chinese for an auditor
