"""Content-stream operands and operators, read the way pdfminer reads them, several times faster.

Reading a page is mostly tokenizing its content stream, and pdfminer's tokenizer
is a character state machine that logs every token (at debug level, discarded but
paid for). This reader turns each stream into the same objects — numbers,
names (interned ``PSLiteral``), strings, arrays, dicts, interned ``PSKeyword``
operators — with one regular expression, following pdfminer's own rules
(psparser.py) in every case it handles: a number is ``[-+0-9][0-9]*`` with an
optional ``.digits``, a name ends at a delimiter and decodes ``#xx``, a string's
unknown escape drops the character, an odd hex digit is one byte.

Anything it does not handle the same way — inline images (``BI … ID … EI``), a
token or string cut by a stream boundary, a stray ``>``, an odd dict — makes
``read_objects`` return None, and the caller falls back to pdfminer's parser for
that content, so pages read exactly as before.
"""

from __future__ import annotations

import re

from pdfminer.psparser import KWD, LIT, literal_name

_TOKEN = re.compile(  # whitespace, NULs and comments before a token are skipped with it
    rb"(?:[\s\x00]+|%[^\r\n]*)*"
    rb"(?:(?P<num>[-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*)"
    rb"|(?P<kw>[A-Za-z][^#/%\[\]()<>{}\s]*)"
    rb"|/(?P<name>(?:[^#/%\[\]()<>{}\s]|#[0-9a-fA-F]{0,2})*)"
    rb"|\((?P<str>[^()\\]*)\)"
    rb"|(?P<strx>\()"
    rb"|<(?P<hex>[0-9a-fA-F\s]*)>(?!>)"
    rb"|(?P<open>\[|\{|<<)"
    rb"|(?P<close>\]|\}|>>)"
    rb"|(?P<other>[^<>\s%\x00])"
    rb"|(?P<end>\Z))"
)
_CLOSING = {b"]": b"[", b"}": b"{", b">>": b"<<"}
_NAME_HEX = re.compile(rb"#([0-9a-fA-F]{0,2})")
_SPACE = re.compile(rb"\s")
_ESCAPES = {ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("f"): 12, ord("r"): 13,
            ord("("): 40, ord(")"): 41, ord("\\"): 92}
_OCTAL = b"01234567"
_INLINE = {KWD(b"BI"), KWD(b"ID"), KWD(b"EI")}


class Unsupported(Exception):
    """Content this reader does not read exactly like pdfminer: use pdfminer's parser."""


def _name(raw: bytes):
    if b"#" in raw:
        raw = _NAME_HEX.sub(lambda m: bytes((int(m.group(1), 16),)) if m.group(1) else b"", raw)
    try:
        return LIT(str(raw, "utf-8"))
    except UnicodeDecodeError:
        return LIT(raw)


def _hex(raw: bytes) -> bytes:
    digits = _SPACE.sub(b"", raw)
    if len(digits) % 2:
        return bytes.fromhex(digits[:-1].decode()) + bytes((int(digits[-1:], 16),))
    return bytes.fromhex(digits.decode())


def _string(data: bytes, start: int) -> tuple[bytes, int]:
    """A literal string opening at ``data[start] == '('``: its bytes and the index after it."""
    out = bytearray()
    depth, i, n = 1, start + 1, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            if i >= n:
                break
            c = data[i]
            if c in _OCTAL:
                j = i
                while j < n and j - i < 3 and data[j] in _OCTAL:
                    j += 1
                code = int(data[i:j], 8)
                if code >= 256:
                    raise Unsupported("octal escape above 255")
                out.append(code)
                i = j
                continue
            if c in _ESCAPES:
                out.append(_ESCAPES[c])
            elif c == 0x0D and i + 1 < n and data[i + 1] == 0x0A:
                i += 1
            i += 1  # any other escaped character is dropped, as pdfminer does
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(c)
        i += 1
    raise Unsupported("string runs past the end of its stream")


def read_objects(datas: list[bytes]) -> list | None:
    """The top-level objects of the concatenated streams, as pdfminer's content parser yields them."""
    try:
        return _objects(datas)
    except Unsupported:
        return None


def _objects(datas: list[bytes]) -> list:
    out: list = []
    context: list[tuple[bytes, list]] = []  # (opening bracket, the list it interrupted)
    current = out
    keywords: dict[bytes, object] = {b"true": True, b"false": False}
    for data in datas:
        pos = 0
        while pos is not None:
            pos, current = _scan(data, pos, current, context, keywords)
    return out


def _scan(data: bytes, pos: int, current: list, context: list, keywords: dict) -> tuple[int | None, list]:
    """Tokens of ``data`` from ``pos`` appended to ``current`` (arrays, dicts nested through ``context``).

    Returns where to carry on (after a string with escapes or nested parentheses,
    read by ``_string``) or None at the end of the data, and the list being filled.
    """
    append = current.append
    for m in _TOKEN.finditer(data, pos):
        if m.start() != pos:  # finditer skipped what no token matches: a stray '>' or '<'
            raise Unsupported("stray '>' or '<'")
        pos = m.end()
        kind = m.lastgroup
        if kind == "num":
            token = m.group(kind)
            try:
                append(float(token) if b"." in token else int(token))
            except ValueError:  # "-", "." alone: pdfminer drops them too
                pass
        elif kind == "kw":
            word = m.group(kind)
            value = keywords.get(word)
            if value is None:
                value = keywords[word] = KWD(word)
                if value in _INLINE:
                    raise Unsupported("inline image")
            append(value)
        elif kind == "name":
            append(_name(m.group(kind)))
        elif kind == "str":
            append(m.group(kind))
        elif kind == "hex":
            append(_hex(m.group(kind)))
        elif kind == "open":
            context.append((m.group(kind), current))
            current = []
            append = current.append
        elif kind == "close":
            bracket = m.group(kind)
            if not context or context[-1][0] != _CLOSING[bracket]:
                raise Unsupported("unbalanced array, dict or procedure")
            objs = current
            current = context.pop()[1]
            append = current.append
            if bracket == b">>":
                if len(objs) % 2:
                    raise Unsupported("odd dict")
                objs = {literal_name(k): v for k, v in zip(objs[::2], objs[1::2]) if v is not None}
            append(objs)
        elif kind == "strx":
            value, after = _string(data, m.start(kind))
            append(value)
            return after, current
        elif kind == "other":
            append(KWD(m.group(kind)))
        else:  # end
            return None, current
    raise Unsupported("stray '>' or '<'")  # not reached: the pattern matches the end
