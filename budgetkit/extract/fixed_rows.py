"""Tables whose rows are fixed by the template (T1, T4 two-sided; T10): read as a token stream.

Both sides of a two-sided table share text lines ('一、一般公共预算 1664.74一、一般公共服务支出
1537.92 1485.93 51.99'), labels wrap ('七、文化旅游体育与传媒支\\n出') and values can sit on
a line of their own. So the body is one string: the template's row labels (with the
functional classes expanded) are found in it allowing whitespace anywhere inside,
and every amount belongs to the most recent label before it, on that label's side.
"""

from __future__ import annotations

import re

from budgetkit.core.money import is_amount
from budgetkit.core.template import TableSpec
from budgetkit.extract.columns import spacing_of
from budgetkit.extract.document import Line
from budgetkit.extract.rows import (
    BodyNote,
    RawRow,
    ReadContext,
    has_cjk,
    is_cell,
    is_column_number_line,
    looks_like_amount,
    nfkc,
    squeeze,
)


def _label_pattern(label: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in squeeze(nfkc(label)))


def _vocabulary(spec: TableSpec) -> dict[str, list[tuple[str, int]]]:
    """Squeezed label -> (part key, row index) in template order, aliases included."""
    vocab: dict[str, list[tuple[str, int]]] = {}
    for part in spec.parts:
        for i, row in enumerate(part.rows):
            for name in dict.fromkeys((row.label, *row.aliases)):
                vocab.setdefault(squeeze(nfkc(name)), []).append((part.key, i))
    return vocab


def read_fixed(lines: list[Line], spec: TableSpec, ctx: ReadContext) -> dict[str, list[RawRow]]:
    """Rows of every part of a fixed-row table, in printed order per part."""
    lines = [line for line in lines if not is_column_number_line(line.text)]
    # match on NFKC-folded text (full/half-width variants), report labels as printed
    printed = "\n".join(line.text for line in lines)
    folded_chars = [nfkc(ch) for ch in printed]
    origin = [i for i, ch in enumerate(folded_chars) for _ in ch] + [len(printed)]
    text = "".join(folded_chars)
    starts, pos = [], 0
    for line in lines:
        starts.append((pos, line.no))
        pos += len(line.text) + 1

    def line_at(folded_offset: int) -> int:
        offset = origin[folded_offset]
        no = starts[0][1] if starts else 0
        for p, n in starts:
            if p > offset:
                break
            no = n
        return no

    vocab = _vocabulary(spec)
    pattern = re.compile("|".join(_label_pattern(k) for k in sorted(vocab, key=len, reverse=True)))
    matches = list(pattern.finditer(text))
    segments = [text[m.end():(matches[i + 1].start() if i + 1 < len(matches) else len(text))]
                for i, m in enumerate(matches)]
    # the header may contain label-like words ('上年结转安\n排'); the body starts at the first
    # label followed by nothing but amounts and whitespace
    start = next((i for i, seg in enumerate(segments) if not has_cjk(seg)), len(matches))
    used: set[tuple[str, int]] = set()
    out: dict[str, list[RawRow]] = {p.key: [] for p in spec.parts}
    for m, segment in zip(matches[start:], segments[start:]):
        where = line_at(m.start())
        words = segment.split()
        if words and has_cjk(words[0]):
            # a label word inside other text: a header repeated on a later page, not a row
            ctx.notes.append(BodyNote(where, squeeze(m.group() + segment)[:40]))
            continue
        label = squeeze(m.group())
        shown = squeeze(printed[origin[m.start()]:origin[m.end()]])
        slot = next((s for s in vocab[label] if s not in used), None)
        if slot is None:
            ctx.notes.append(BodyNote(where, f"重复的行 {label}"))
            continue
        used.add(slot)
        part_key, index = slot
        fixed = spec.part(part_key).rows[index]
        tokens, unknown = [], []
        for tok in _unglue(segment.split()):
            if is_cell(tok):
                tokens.append(tok)
            elif looks_like_amount(tok):
                raise ctx.bad_amount(tok, label, line_at(m.end() + segment.find(tok)))
            else:
                unknown.append(tok)
        if unknown:
            ctx.notes.append(BodyNote(line_at(m.end() + segment.find(unknown[0])), " ".join(unknown)))
        spacing = spacing_of(segment.lstrip("\n") if tokens else "")
        out[part_key].append(RawRow(part_key, fixed.kind, 0, fixed.key,
                                    {spec.part(part_key).label_keys[0]: shown}, tokens, spacing,
                                    where, shown))
    for part in spec.parts:
        _nest(out[part.key], part.rows)
    return out


def _unglue(tokens: list[str]) -> list[str]:
    """'51.99未列明' → '51.99', '未列明': an amount glued to text that is not a known label."""
    out = []
    for tok in tokens:
        m = re.match(r"^([+-]?\d[\d,]*\.\d+)(.+)$", tok)  # with decimals: not a year like 2024年
        if m and is_amount(m.group(1)) and has_cjk(m.group(2)[0]):
            out += [m.group(1), m.group(2)]
        else:
            out.append(tok)
    return out


def _nest(rows: list[RawRow], fixed_rows) -> None:
    """A subtotal printed above its items (上年财政拨款结转, 公务用车购置及运行费) indents them one level."""
    by_key = {f.key: f for f in fixed_rows}
    order = {r.key: i for i, r in enumerate(rows)}
    for row in rows:
        spec_row = by_key[row.key]
        if not spec_row.sum_of:
            continue
        children = [order[k] for k in spec_row.sum_of if k in order]
        if children and min(children) > order[row.key]:
            for c in children:
                rows[c].level = row.level + 1
