"""The Agg canvas the charts are drawn on: matplotlib's, with each text's font looked up once per chart.

For every text it measures and draws, Agg looks its font up again (``FontManager._find_fonts_by_props``:
a cached lookup, but behind seven rcParams reads and a hash of the properties per family), and
``Text._get_layout`` reads the font's line metrics (three sfnt tables) again. A chart has a few hundred such
lookups and three or four distinct fonts. ``Renderer`` keeps the answers for the draw it serves (the
rcParams cannot change within one draw); the fonts, their sizes and so the pixels are matplotlib's own.
A text's extent is FreeType's answer for that string in that font, size and hinting, the same on every
chart: the tick labels ('0', '500' …) and axis labels that recur across a report's charts are measured
once per process (a fifth of the texts).
"""

from __future__ import annotations

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import fontManager, get_font

#: The font's vertical metrics, as ``Text._get_layout`` reads them: (table, line gap, ascender, descender).
HEIGHT_TABLES = [("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"), ("hhea", "lineGap", "ascent", "descent")]


_EXTENTS: dict[tuple, tuple[float, float, float]] = {}  # (text, font, size, dpi, hinting) → width, height, descent
MAX_EXTENTS = 10_000


def _key(prop) -> tuple:
    """What ``FontProperties.__hash__`` hashes: the font chosen and its size."""
    return (tuple(prop.get_family()), prop.get_slant(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
            prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())


class Renderer(RendererAgg):
    """RendererAgg remembering, per font properties, the font file chain and the line metrics."""

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._fonts: dict[tuple, object] = {}
        self._heights: dict[tuple, tuple] = {}

    def _font(self, prop, key: tuple):
        font = self._fonts.get(key)
        if font is None:
            font = self._fonts[key] = get_font(fontManager._find_fonts_by_props(prop))
        return font

    def _prepare_font(self, font_prop):
        """RendererAgg's: the font for ``font_prop``, its buffer cleared, set to its size."""
        font = self._font(font_prop, _key(font_prop))
        font.clear()
        font.set_size(font_prop.get_size_in_points(), self.dpi)
        return font

    def get_text_width_height_descent(self, s, prop, ismath):
        """RendererAgg's for plain text, remembered for the process (keyed by the font object itself, its size,
        the dpi and hinting); mathtext and TeX as RendererAgg does them."""
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = _key(prop)
        font = self._font(prop, key)
        memo = (s, font, key[5], self.dpi, matplotlib.rcParams["text.hinting"],
                matplotlib.rcParams["text.hinting_factor"])
        known = _EXTENTS.get(memo)
        if known is None:
            known = super().get_text_width_height_descent(s, prop, ismath)
            if len(_EXTENTS) < MAX_EXTENTS:
                _EXTENTS[memo] = known
        return known

    def _get_font_height_metrics(self, prop):
        """(ascent, descent, line gap) in pixels, computed as ``Text._get_layout`` does without this hook."""
        key = _key(prop)
        known = self._heights.get(key)
        if known is None:
            font = self._font(prop, key)
            known = (None, None, None)
            for table_name, gap_key, ascent_key, descent_key in HEIGHT_TABLES:
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * self.dpi / 72
                known = (table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale)
                break
            self._heights[key] = known
        return known


class Canvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing with ``Renderer``."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
