"""第三部分 情况说明 as text: PDF lines joined into paragraphs, then sections and sentences.

The same ``segment_narrative`` runs at extraction and at load time, so a hand
correction to ``narrative.txt`` is segmented exactly like extracted text.
"""

from __future__ import annotations

import re

from budgetkit.core.model import Narrative, Section, Sentence
from budgetkit.extract.document import Line

_CN_NUM = "一二三四五六七八九十"
SECTION_HEADING = re.compile(rf"^\s*([{_CN_NUM}]{{1,3}})、\s*(\S.*)$")
_SUB_HEADING = re.compile(rf"^\s*(（[{_CN_NUM}]{{1,3}}）|\([{_CN_NUM}]{{1,3}}\)|\d{{1,2}}(、|[.．](?!\d)))")
_PARAGRAPH_END = ("。", "！", "？")  # "：" and "；" also end wrapped lines; short lines end paragraphs
_SENTENCE_END = re.compile(r"[。！？!?]|\n")


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


def segment_narrative(text: str, line_of_offset: dict[int, int] | None = None) -> Narrative:
    """Sections (一 … 十二) and sentences of the narrative text, with offsets.

    ``line_of_offset`` maps sentence start offsets to source lines when known.
    """
    sections: list[Section] = []
    offset = 0
    for para in text.split("\n"):
        m = SECTION_HEADING.match(para)
        if m:
            if sections:
                sections[-1].end = offset - 1 if offset else 0
            sections.append(Section(number=m.group(1), heading=para.strip(), start=offset, end=len(text)))
        offset += len(para) + 1
    sentences: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text + "\n"):
        end = m.end() if m.group() != "\n" else m.start()
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        if body:
            s_start = start + lead
            sec = next((s.number for s in reversed(sections) if s.start <= s_start), "")
            line = (line_of_offset or {}).get(s_start, 0)
            sentences.append(Sentence(index=len(sentences), section=sec, text=body, start=s_start,
                                      end=s_start + len(body), line=line))
        start = m.end()
    return Narrative(text=text, sections=sections, sentences=sentences)


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
