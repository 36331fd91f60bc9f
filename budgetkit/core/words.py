"""How printed words are compared everywhere: one folding, so a title, a label and a phrase written with
full-width brackets or digits, spaces from PDF letter-spacing or curly quotes still match."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


def squash(text) -> str:
    """NFKC (full-width brackets and digits), no whitespace, straight quotes."""
    return _squash(str(text or ""))


@lru_cache(maxsize=65536)  # the same titles, cells and phrases are compared tens of thousands of times
def _squash(text: str) -> str:
    s = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    return s.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
