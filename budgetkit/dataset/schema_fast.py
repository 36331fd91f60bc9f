"""A fast yes/no test of metadata.json against its JSON Schema, so that ``jsonschema`` loads only for errors.

Importing ``jsonschema`` costs seconds on a slow machine (its format checkers build grammars at
import), more than the whole check of a dataset. Every dataset that loads is valid, so this test
answers "valid" for the keywords the schema uses; anything it cannot decide ("no", or a keyword it
does not know) goes to ``jsonschema``, which stays the authority and gives the error message.
"""

from __future__ import annotations

import re
from typing import Any, Callable

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


def _same(a, b) -> bool:  # JSON equality: True is not 1
    return type(a) is type(b) and a == b


def is_valid(value, schema: dict) -> bool:
    """True when ``value`` certainly conforms; False when it does not or this test cannot tell."""
    return validator(schema)(value)


def validator(schema: dict) -> Callable[[Any], bool]:
    """``is_valid`` against one schema, its keywords turned into checks once: a batch tests thousands of files."""
    check = _compile(schema)

    def valid(value) -> bool:
        try:
            return check(value)
        except Undecided:
            return False

    return valid


Check = Callable[[Any], bool]


def _compile(s: dict) -> Check:
    checks = [_keyword(key, want, s) for key, want in s.items() if key not in _IGNORED]
    if len(checks) == 1:
        return checks[0]

    def all_hold(v) -> bool:
        for check in checks:
            if not check(v):
                return False
        return True

    return all_hold


def _keyword(key: str, want, s: dict) -> Check:
    """One keyword of a schema as a check; one this test does not know raises ``Undecided`` when reached."""
    if key == "type":
        tests = [_TYPES[t] for t in ([want] if isinstance(want, str) else want)]
        return tests[0] if len(tests) == 1 else (lambda v: any(t(v) for t in tests))
    if key == "const":
        return lambda v: _same(v, want)
    if key == "enum":
        return lambda v: any(_same(v, w) for w in want)
    if key in ("required", "properties", "additionalProperties"):
        test = _object_keyword(key, want, s)
        return lambda v: not isinstance(v, dict) or test(v)
    if key in ("items", "prefixItems", "minItems", "maxItems"):
        test = _array_keyword(key, want, s)
        return lambda v: not isinstance(v, list) or test(v)
    if key == "minLength":
        return lambda v: not isinstance(v, str) or len(v) >= want
    if key == "pattern":
        search = re.compile(want).search
        return lambda v: not isinstance(v, str) or search(v) is not None
    if key in ("minimum", "maximum"):
        number = _TYPES["number"]
        return (lambda v: not number(v) or v >= want) if key == "minimum" else (lambda v: not number(v) or v <= want)

    def undecided(v):
        raise Undecided(key)

    return undecided


def _object_keyword(key: str, want, s: dict) -> Check:
    if key == "required":
        return lambda v: all(k in v for k in want)
    if key == "properties":
        subs = [(k, _compile(sub)) for k, sub in want.items()]
        return lambda v: all(check(v[k]) for k, check in subs if k in v)
    props = s.get("properties", {})
    if isinstance(want, dict):
        sub = _compile(want)
        return lambda v: all(sub(x) for k, x in v.items() if k not in props)
    return lambda v: bool(want) or all(k in props for k in v)


def _array_keyword(key: str, want, s: dict) -> Check:
    if key == "minItems":
        return lambda v: len(v) >= want
    if key == "maxItems":
        return lambda v: len(v) <= want
    if key == "prefixItems":
        subs = [_compile(sub) for sub in want]
        return lambda v: all(check(x) for x, check in zip(v, subs))
    skip = len(s.get("prefixItems", []))
    if isinstance(want, dict):
        sub = _compile(want)
        return lambda v: all(sub(x) for x in v[skip:])
    return lambda v: bool(want) or len(v) <= skip
