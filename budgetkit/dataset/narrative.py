"""The narrative text (情况说明, kept whole in ``narrative.txt``) → its sections and sentences.

The same ``segment_narrative`` runs at extraction and at load time, so a hand correction to
``narrative.txt`` is segmented exactly like extracted text.
"""

from __future__ import annotations

import re

from budgetkit.core.model import Narrative, Section, Sentence

_CN_NUM = "一二三四五六七八九十"
SECTION_HEADING = re.compile(rf"^\s*([{_CN_NUM}]{{1,3}})、\s*(\S.*)$")
_SENTENCE_END = re.compile(r"[。！？!?]|\n")


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
