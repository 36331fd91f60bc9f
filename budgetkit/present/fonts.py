"""Chinese chart labels that render on a fresh machine, without network or system fonts.

The CJK font comes from the pip package ``mplfonts`` (Noto Sans CJK SC), found by
file and registered with matplotlib's font manager by path — no font-cache
rebuild, no download. The family list keeps DejaVu Sans first so digits and
the minus sign '−' keep matplotlib's usual look; glyphs DejaVu lacks (Chinese)
fall back to Noto Sans CJK SC (matplotlib >= 3.6 falls back per glyph).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from budgetkit.core.errors import BudgetkitError

CJK_FAMILY = "Noto Sans CJK SC"
LATIN_FAMILY = "DejaVu Sans"
FONT_FAMILIES = [LATIN_FAMILY, CJK_FAMILY]
_FONT_FILE = "NotoSansCJKsc-Regular.otf"


class FontMissing(BudgetkitError):
    """The bundled CJK font file is not where the mplfonts package keeps it."""

    cn = "缺少中文字体（mplfonts 软件包）"


def cjk_font_path() -> Path:
    """Path of the Noto Sans CJK SC file shipped inside the ``mplfonts`` package (not imported)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissing("the 'mplfonts' package is not installed (pip install mplfonts)")
    for base in spec.submodule_search_locations:
        path = Path(base) / "fonts" / _FONT_FILE
        if path.is_file():
            return path
    raise FontMissing(f"{_FONT_FILE} not found in the mplfonts package", file=str(spec.origin))


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Add the bundled CJK font to matplotlib's font manager (once per process); return its family."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(cjk_font_path()))
    return CJK_FAMILY


def rc_params() -> dict:
    """The rcParams charts are drawn with: DejaVu Sans, then the CJK font for what DejaVu lacks."""
    return {
        # A list of concrete families: matplotlib falls back glyph by glyph along it
        # (a generic 'sans-serif' would resolve to one font only).
        "font.family": list(FONT_FAMILIES),
        "axes.unicode_minus": True,  # DejaVu Sans has U+2212, so keep the proper minus sign
        "svg.hashsalt": "budgetkit",
    }


def use_chinese_fonts() -> None:
    """Register the CJK font and make it the fallback for every later figure in this process."""
    import matplotlib

    register_cjk_font()
    matplotlib.rcParams.update(rc_params())
