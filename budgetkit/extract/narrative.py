"""The narrative (情况说明) as text: PDF lines joined into paragraphs, then segmented like a loaded one
(``budgetkit.dataset.narrative``), each sentence pointing back to its source line.
"""

from __future__ import annotations

import re

from budgetkit.core.model import Narrative
from budgetkit.dataset.narrative import SECTION_HEADING, segment_narrative
from budgetkit.extract.document import Line

_CN_NUM = "一二三四五六七八九十"
_SUB_HEADING = re.compile(rf"^\s*(（[{_CN_NUM}]{{1,3}}）|\([{_CN_NUM}]{{1,3}}\)|\d{{1,2}}(、|[.．](?!\d)))")
_PARAGRAPH_END = ("。", "！", "？")  # "：" and "；" also end wrapped lines; short lines end paragraphs


def _starts_block(text: str) -> bool:
    return bool(SECTION_HEADING.match(text) or _SUB_HEADING.match(text) or text.lstrip().startswith("第三部分")
                or text.lstrip().startswith("（") and text.rstrip().endswith("）"))


def display_width(text: str) -> int:
    """Width as printed: CJK characters are twice as wide as digits and Latin letters."""
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def join_lines(lines: list[Line]) -> tuple[str, list[tuple[int, int]]]:
    """Join wrapped PDF lines into paragraphs (one per line of the result).

    Returns the text and anchors (offset in text, source line number) for each
    joined piece, so sentences can point back to their source line.
    """
    out: list[str] = []
    anchors: list[tuple[int, int]] = []
    pos = 0
    prev = ""
    texts = [l.text.strip().replace("\u3000", "") for l in lines]
    widths = sorted(display_width(t) for t in texts if t)
    # a line well short of the full printed width ends its paragraph (headings, last lines)
    full = widths[int(len(widths) * 0.8)] if widths else 0
    for line, t in zip(lines, texts):
        if not t:
            continue
        if out and (prev.endswith(_PARAGRAPH_END) or _starts_block(t) or display_width(prev) < 0.75 * full):
            out.append("\n")
            pos += 1
        anchors.append((pos, line.no))
        out.append(t)
        pos += len(t)
        prev = t
    return "".join(out), anchors


def parse_narrative(lines: list[Line]) -> Narrative:
    text, anchors = join_lines(lines)
    # map each sentence start to the source line of the piece it falls in
    starts = [a for a, _ in anchors]
    narrative = segment_narrative(text)
    import bisect

    for s in narrative.sentences:
        i = bisect.bisect_right(starts, s.start) - 1
        s.line = anchors[i][1] if i >= 0 else 0
    return narrative
