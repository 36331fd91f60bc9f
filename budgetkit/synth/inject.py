"""Labelled errors of every rule family, injected into a generated disclosure (placeholder, filled below)."""

from __future__ import annotations

from dataclasses import dataclass

FAMILIES = ("within", "cross", "completeness", "narrative", "forms")


@dataclass(frozen=True)
class Injected:
    family: str
    rule: str
    table: str
    location: str
    description: str


def inject(disclosure, families, rng):
    raise NotImplementedError
