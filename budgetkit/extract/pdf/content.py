"""Content-stream operands and operators, read the way pdfminer reads them, several times faster.

Reading a page is mostly tokenizing its content stream, and pdfminer's tokenizer
is a character state machine that logs every token (at debug level, discarded but
paid for). This reader turns each stream into the same objects — numbers,
names (interned ``PSLiteral``), strings, arrays, dicts, interned ``PSKeyword``
operators — with one regular expression, following pdfminer's own rules
(psparser.py) in every case it handles: a number is ``[-+0-9][0-9]*`` with an
optional ``.digits``, a name ends at a delimiter and decodes ``#xx``, a string's
unknown escape drops the character, an odd hex digit is one byte.

The regular expression yields each token's text; a page repeats the same few
thousand (``120``, ``0``, ``TD``, ``<0015>``, ``Tj`` …), so the object a token
stands for is made once and remembered (``_ATOMS``, bounded, shared by all pages:
these objects are immutable or interned) — a dict look-up per token.

Anything it does not handle the same way — inline images (``BI … ID … EI``), a
token or string cut by a stream boundary, a string nested more than once, a stray
``>``, an odd dict — makes
``read_objects`` return None, and the caller falls back to pdfminer's parser for
that content, so pages read exactly as before.
"""

from __future__ import annotations

import re

from pdfminer.psparser import KWD, LIT, literal_name

_TOKEN = re.compile(  # whitespace, NULs and comments before a token are skipped with it
    rb"(?:[\s\x00]+|%[^\r\n]*)*"
    rb"([-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*"  # number
    rb"|[A-Za-z][^#/%\[\]()<>{}\s]*"  # keyword
    rb"|/(?:[^#/%\[\]()<>{}\s]|#[0-9a-fA-F]{0,2})*"  # name
    rb"|\((?:[^()\\]++|\\[\s\S]|\((?:[^()\\]++|\\[\s\S])*+\))*+\)"  # string (nested once at most)
    rb"|<[0-9a-fA-F\s]*>(?!>)"  # hex string
    rb"|<<|>>|[\[\]{}]"  # brackets
    rb"|[\s\S]"  # any other character: an operator, or what is left to pdfminer ('<', '>', a '(' not closed here)
    rb"|\Z)"
)
_BRACKETS = frozenset((b"[", b"{", b"<<", b"]", b"}", b">>"))
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


_ATOMS: dict[bytes, object] = {b"true": True, b"false": False}  # token → object, shared by every page
_ATOMS_LIMIT = 100_000
_ATOM_LENGTH = 64  # longer tokens are not remembered


def read_objects(datas: list[bytes]) -> list | None:
    """The top-level objects of the concatenated streams, as pdfminer's content parser yields them."""
    try:
        return _objects(datas)
    except Unsupported:
        return None


def _atom(token: bytes):
    """The object a token other than a bracket stands for (None: pdfminer drops it)."""
    first = token[:1]
    if first in b"-+.0123456789":
        try:
            return float(token) if b"." in token else int(token)
        except ValueError:  # "-", "." alone: pdfminer drops them too
            return None
    if first == b"/":
        return _name(token[1:])
    if first == b"(":
        value, after = _string(token, 0)
        if after != len(token):
            raise Unsupported("string nested too deep")
        return value
    if first == b"<":
        if len(token) < 2 or token[-1:] != b">":
            raise Unsupported("stray '<'")
        return _hex(token[1:-1])
    if first == b">":
        raise Unsupported("stray '>'")
    keyword = KWD(token)
    if keyword in _INLINE:
        raise Unsupported("inline image")
    return keyword


def _objects(datas: list[bytes]) -> list:
    out: list = []
    context: list[tuple[bytes, list]] = []  # (opening bracket, the list it interrupted)
    current = out
    append = current.append
    atoms = _ATOMS
    for data in datas:
        for match in _TOKEN.finditer(data):  # lazily: the first unusual token stops the reading
            token = match[1]
            value = atoms.get(token)
            if value is not None:
                append(value)
            elif token in _BRACKETS:
                if token in _CLOSING:
                    if not context or context[-1][0] != _CLOSING[token]:
                        raise Unsupported("unbalanced array, dict or procedure")
                    objs = current
                    current = context.pop()[1]
                    if token == b">>":
                        if len(objs) % 2:
                            raise Unsupported("odd dict")
                        objs = {literal_name(k): v for k, v in zip(objs[::2], objs[1::2]) if v is not None}
                    current.append(objs)
                else:
                    context.append((token, current))
                    current = []
                append = current.append
            elif token:
                value = _atom(token)
                if value is not None:
                    if len(token) <= _ATOM_LENGTH and len(atoms) < _ATOMS_LIMIT:
                        atoms[token] = value
                    append(value)
    return out
