"""A fast yes/no test of metadata.json against its JSON Schema, so that ``jsonschema`` loads only for errors.

Importing ``jsonschema`` costs seconds on a slow machine (its format checkers build grammars at
import), more than the whole check of a dataset. Every dataset that loads is valid, so this test
answers "valid" for the keywords the schema uses; anything it cannot decide ("no", or a keyword it
does not know) goes to ``jsonschema``, which stays the authority and gives the error message.
"""

from __future__ import annotations

import re
from functools import cache

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}
_IGNORED = {"$schema", "title", "description"}


class Undecided(Exception):
    """The schema uses a keyword this test does not know."""


@cache
def _pattern(p: str) -> re.Pattern:
    return re.compile(p)


def _same(a, b) -> bool:  # JSON equality: True is not 1
    return type(a) is type(b) and a == b


def is_valid(value, schema: dict) -> bool:
    """True when ``value`` certainly conforms; False when it does not or this test cannot tell."""
    try:
        return _ok(value, schema)
    except Undecided:
        return False


def _ok(v, s: dict) -> bool:
    for key, want in s.items():
        if key in _IGNORED:
            continue
        if key == "type":
            if not any(_TYPES[t](v) for t in ([want] if isinstance(want, str) else want)):
                return False
        elif key == "const":
            if not _same(v, want):
                return False
        elif key == "enum":
            if not any(_same(v, w) for w in want):
                return False
        elif key in ("required", "properties", "additionalProperties"):
            if isinstance(v, dict) and not _object_ok(v, key, want, s):
                return False
        elif key in ("items", "prefixItems", "minItems", "maxItems"):
            if isinstance(v, list) and not _array_ok(v, key, want, s):
                return False
        elif key in ("minLength", "pattern"):
            if isinstance(v, str) and not (len(v) >= want if key == "minLength" else _pattern(want).search(v)):
                return False
        elif key in ("minimum", "maximum"):
            if _TYPES["number"](v) and not (v >= want if key == "minimum" else v <= want):
                return False
        else:
            raise Undecided(key)
    return True


def _object_ok(v: dict, key: str, want, s: dict) -> bool:
    if key == "required":
        return all(k in v for k in want)
    if key == "properties":
        return all(_ok(v[k], sub) for k, sub in want.items() if k in v)
    props = s.get("properties", {})
    extra = [x for k, x in v.items() if k not in props]
    return all(_ok(x, want) for x in extra) if isinstance(want, dict) else (want or not extra)


def _array_ok(v: list, key: str, want, s: dict) -> bool:
    if key == "minItems":
        return len(v) >= want
    if key == "maxItems":
        return len(v) <= want
    if key == "prefixItems":
        return all(_ok(x, sub) for x, sub in zip(v, want))
    rest = v[len(s.get("prefixItems", [])):]
    return all(_ok(x, want) for x in rest) if isinstance(want, dict) else (want or not rest)
