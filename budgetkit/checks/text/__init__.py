"""Text checks auditors make by hand on the narrative (情况说明 / 编制说明).

Pure functions over the narrative text (one paragraph per line) and a few facts
about the document; each check can be called on its own, ``find_text_problems``
runs them all. Every word list they use is in ``phrases.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable

from budgetkit.checks.text.amounts import check_conflicting_amounts
from budgetkit.checks.text.kinds import check_kind_misnamed
from budgetkit.checks.text.model import TextFacts, TextProblem
from budgetkit.checks.text.names import check_class_names, check_department_names
from budgetkit.checks.text.punctuation import (
    check_doubled_punctuation,
    check_missing_end_punctuation,
    check_unbalanced_brackets,
)
from budgetkit.checks.text.reasons import check_empty_reasons, check_truncated_reasons
from budgetkit.checks.text.templates import check_template_phrases
from budgetkit.checks.text.years import check_years

Check = Callable[[str, TextFacts], list[TextProblem]]

#: check id -> function, in the order find_text_problems runs them
CHECKS: dict[str, Check] = {
    "empty_reason": check_empty_reasons,
    "truncated_reason": check_truncated_reasons,
    "template_phrase": check_template_phrases,
    "doubled_punctuation": check_doubled_punctuation,
    "missing_end_punctuation": check_missing_end_punctuation,
    "unbalanced_brackets": check_unbalanced_brackets,
    "kind_misnamed": check_kind_misnamed,
    "class_name_mismatch": check_class_names,
    "department_name_mismatch": check_department_names,
    "year_mismatch": check_years,
    "conflicting_amounts": check_conflicting_amounts,
}

#: a doubled mark inside an empty reason ("原因：。"), or the missing stop of a reason cut off at the paragraph's
#: end ("…主要原因是"), is the same slip, reported once as the reason
_SUBSUMED_BY = {"doubled_punctuation": ("empty_reason", "truncated_reason"),
                "missing_end_punctuation": ("empty_reason", "truncated_reason")}


def find_text_problems(text: str, facts: TextFacts) -> list[TextProblem]:
    """Every problem of every check, sorted by position, each reported once."""
    found = [p for check in CHECKS.values() for p in check(text, facts)]
    kept: list[TextProblem] = []
    seen: set[tuple[str, int, int]] = set()
    for p in found:
        covers = _SUBSUMED_BY.get(p.check, ())
        if any(q.check in covers and q.start <= p.start and p.end <= q.end for q in found):
            continue
        if (p.check, p.start, p.end) in seen:
            continue
        seen.add((p.check, p.start, p.end))
        kept.append(p)
    return sorted(kept, key=lambda p: (p.start, p.end, p.check))


__all__ = [
    "CHECKS", "TextFacts", "TextProblem", "find_text_problems",
    "check_empty_reasons", "check_truncated_reasons", "check_template_phrases", "check_doubled_punctuation",
    "check_missing_end_punctuation", "check_unbalanced_brackets", "check_kind_misnamed", "check_class_names",
    "check_department_names", "check_years", "check_conflicting_amounts",
]
