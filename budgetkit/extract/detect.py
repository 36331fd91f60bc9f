"""Which format a document is in, from the document itself: its table titles, cover and 目录 words.

Every shipped template is tried; the one whose table titles the document prints most wins, if its
recognising words are on the cover or in the 目录 and enough titles are found. When none fits, the
error names what was found and the closest supported format — never a quiet narrative-only check.
"""

from __future__ import annotations

from dataclasses import dataclass

from budgetkit.core.errors import NotADisclosure
from budgetkit.core.template import Template, load_template, shipped_templates
from budgetkit.extract.tables import title_spec

KIND_CN = {"budget": "预算", "final_accounts": "决算"}


@dataclass
class Detection:
    template: Template
    titles: dict[str, str]  # table id → the title as printed
    score: int


def _score(template: Template, titles: list[str], cover: str) -> Detection:
    found: dict[str, str] = {}
    for title in titles:
        spec = title_spec(title, template)
        if spec is not None:
            found.setdefault(spec.id, title)
    words = template.detect.get("words") or []
    has_words = not words or any(w in cover for w in words)
    refused = any(w in cover for w in template.detect.get("not_words") or [])
    return Detection(template, found, len(found) if has_words and not refused else 0)


def supported_formats() -> str:
    return "；".join(f"{load_template(t).name}" for t in shipped_templates())


def detect_template(titles: list[str], cover: str, name: str) -> Detection:
    """The format of a document with these table titles and this cover/目录 text (raises when none fits)."""
    scored = sorted((_score(load_template(t), titles, cover) for t in shipped_templates()),
                    key=lambda d: (d.score, len(d.titles)), reverse=True)
    best = scored[0]
    if best.score and best.score >= int(best.template.detect.get("min_titles", 1)):
        return best
    closest = max(scored, key=lambda d: len(d.titles))
    kind = next((KIND_CN[k] for k, w in (("final_accounts", "决算"), ("budget", "预算")) if w in cover), "")
    seen = f"{len(titles)} 张表" + (f"，封面为{kind}" if kind else "")
    raise NotADisclosure(
        f"无法识别文件格式（读到{seen}，其中 {len(closest.titles)} 张与“{closest.template.name}”的表名相符，"
        f"不足以确定格式）；支持的格式：{supported_formats()} / unknown format: {len(titles)} tables found, "
        f"closest supported format {closest.template.id}", file=name)
