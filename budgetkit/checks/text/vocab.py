"""The vocabulary file (phrases.yaml) read once: word lists are data, kept out of the code."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from budgetkit.core.template import read_yaml


@lru_cache(maxsize=1)
def phrases() -> dict:
    text = resources.files("budgetkit.checks.text").joinpath("phrases.yaml").read_text(encoding="utf-8")
    return read_yaml(text)
