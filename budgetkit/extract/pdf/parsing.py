"""One page's glyphs and drawn rules, as the reader sees them.

pdfminer (under pdfplumber) interprets the content stream but ignores clipping
paths. Spreadsheet exports draw a long text flow on every page and clip it to the
page's window, so without clipping a page also "contains" the hidden lines of its
neighbours. The interpreter below tracks the clip rectangle (the bounding box of
each ``W n`` path, intersected, saved and restored with ``q``/``Q``) and the device
drops characters and paths drawn wholly outside it.

Rules are only what a reader would see: stroked lines/rects and filled thin
rects in a non-white colour. White-filled rectangles (cell backgrounds, invisible
layout boxes around a table of contents) are not rules.

The page is read straight into small tuples, not pdfplumber's per-object
dictionaries (they cost more than the rest of our work): the device computes each
character and painted path as pdfminer's ``LTChar`` / ``LTRect`` / ``LTLine`` /
``LTCurve`` would have it, without building those objects (``light_objects``; off,
pdfminer builds them and the device copies them: the tests compare the two).
"""

from __future__ import annotations

import logging
import re
import time
from typing import NamedTuple
from weakref import WeakKeyDictionary

from pdfminer import settings
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTContainer, LTImage, LTRect
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import PSKeyword, keyword_name
from pdfminer.utils import apply_matrix_pt, get_bound, mult_matrix

from budgetkit.extract.pdf.content import read_objects

MAX_GLYPHS_PER_PAGE = 200_000
MAX_PATHS_PER_PAGE = 100_000
CLIP_TOLERANCE = 1.0
THIN = 3.0  # a filled rect thinner than this (points) is a drawn line
log = logging.getLogger("pdfminer.pdfdevice")  # where pdfminer reports a string it cannot show


class Glyph(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str


class Rule(NamedTuple):
    """A visible straight rule: horizontal when top == bottom, vertical when x0 == x1."""

    x0: float
    top: float
    x1: float
    bottom: float


class _Path(NamedTuple):
    """What the reader needs of one painted (sub)path, as pdfminer's LTRect / LTLine / LTCurve has it."""

    rect: bool
    x0: float
    y0: float
    x1: float
    y1: float
    pts: list
    stroke: bool
    fill: bool
    stroking_color: object
    non_stroking_color: object


class PageContent(NamedTuple):
    number: int
    width: float
    height: float
    glyphs: list[Glyph]
    rules: list[Rule]
    images: int
    clipped_glyphs: int


class PageTooComplex(Exception):
    """A page with more objects than any disclosure page has (a bomb or a drawing)."""


def _is_white(color) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return color >= 0.95
    if isinstance(color, (tuple, list)):
        if not all(isinstance(v, (int, float)) for v in color):
            return False
        if len(color) == 1:
            return color[0] >= 0.95
        if len(color) == 3:
            return min(color) >= 0.95
        if len(color) == 4:
            return max(color) <= 0.05
    return False


_SHOWN_CACHE_LIMIT = 20_000  # distinct strings remembered per font (a hostile file may show millions)
_SHOWN_CACHE_LENGTH = 256  # bytes: longer strings are not remembered
_shown_by_font: WeakKeyDictionary = WeakKeyDictionary()  # font → {string bytes: ((text, width), …)}


def _shown(font, string: bytes, undefined):
    """(cid, text, width) of each character code in ``string``, decoded once per font and string.

    Pages of these disclosures show the same few hundred strings (digits, common
    characters) thousands of times; decoding, cid → unicode and the width lookup
    give the same each time. Long strings are decoded lazily and not remembered.
    """
    if len(string) > _SHOWN_CACHE_LENGTH:
        return _decode(font, string, undefined)
    cache = _shown_by_font.get(font)
    if cache is None:
        cache = _shown_by_font[font] = {}
    chars = cache.get(string)
    if chars is None:
        chars = tuple(_decode(font, string, undefined))
        if len(cache) < _SHOWN_CACHE_LIMIT:
            cache[string] = chars
    return chars


def _decode(font, string: bytes, undefined):
    for cid in font.decode(string):
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = undefined(font, cid)
        yield cid, text, font.char_width(cid)


class _ClipDevice(PDFPageAggregator):
    """Aggregator that keeps the characters drawn inside the interpreter's current clip.

    Characters are collected as ``(text, x0, y0, x1, y1, size, fontname)`` in
    drawing order (``chars``; those drawn outside the clip in ``clipped``), not as
    layout objects: for horizontal fonts ``show_text`` computes them in one loop,
    with exactly pdfminer's arithmetic (``render_string_horizontal`` → ``render_char``
    → ``LTChar``); vertical fonts go through pdfminer's own ``LTChar``.
    """

    def __init__(self, rsrcmgr, pageno: int, deadline: float | None):
        super().__init__(rsrcmgr, pageno=pageno, laparams=None)
        self.clip: tuple[float, float, float, float] | None = None
        self.chars: list[tuple] = []
        self.clipped: list[tuple] = []
        self.paths: list[_Path] = []
        self.glyph_count = 0
        self.path_count = 0
        self.deadline = deadline

    def _outside(self, item) -> bool:
        clip = self.clip
        if clip is None:
            return False
        t = CLIP_TOLERANCE
        return item.x1 < clip[0] - t or item.x0 > clip[2] + t or item.y1 < clip[1] - t or item.y0 > clip[3] + t

    def _count_glyph(self) -> None:
        self.glyph_count += 1
        if self.glyph_count > MAX_GLYPHS_PER_PAGE:
            raise PageTooComplex(f"more than {MAX_GLYPHS_PER_PAGE} characters")
        if self.glyph_count % 5000 == 0 and self.deadline and time.monotonic() > self.deadline:
            raise PageTooComplex("reading took too long")

    def _keep(self, char: tuple) -> None:
        """Into ``chars``, or ``clipped`` when the clip hides it (a glyph counts as shown when its centre is)."""
        clip = self.clip
        if clip is not None:
            t = CLIP_TOLERANCE
            _, x0, y0, x1, y1, _, _ = char
            if x1 < clip[0] - t or x0 > clip[2] + t or y1 < clip[1] - t or y0 > clip[3] + t:
                self.clipped.append(char)
                return
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            if not (clip[0] - t <= cx <= clip[2] + t and clip[1] - t <= cy <= clip[3] + t):
                self.clipped.append(char)
                return
        self.chars.append(char)

    light_objects = True  # False: every character and path through pdfminer's layout objects (tests compare)

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        """pdfminer's way (vertical fonts, or light_objects off): its LTChar, kept as a tuple."""
        adv = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
        item = self.cur_item._objs.pop()
        self._count_glyph()
        self._keep((item.get_text(), item.x0, item.y0, item.x1, item.y1, item.size, item.fontname))
        return adv

    def show_text(self, textstate, seq) -> None:
        """PDFTextDevice.render_string for a horizontal font, each character's box as LTChar computes it."""
        matrix = mult_matrix(textstate.matrix, self.ctm)
        font = textstate.font
        fontsize = textstate.fontsize
        scaling = textstate.scaling * 0.01
        charspace = textstate.charspace * scaling
        wordspace = textstate.wordspace * scaling
        rise = textstate.rise
        if font.is_multibyte():
            wordspace = 0
        dxscale = 0.001 * fontsize * scaling
        (a, b, c, d, e, f) = matrix
        descent = font.get_descent() * fontsize
        low, high = descent + rise, descent + rise + fontsize  # the glyph box's bottom and top in text space
        c_low, c_high, d_low, d_high = c * low, c * high, d * low, d * high
        a_0, b_0 = a * 0, b * 0
        fontname = font.fontname
        undefined = self.handle_undefined_char
        keep, count_glyph = self._keep, self._count_glyph
        (x, y) = textstate.linematrix
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid, text, width in _shown(font, obj, undefined):
                    count_glyph()
                    if needcharspace:
                        x += charspace
                    e_x = x * a + y * c + e  # utils.translate_matrix(matrix, (x, y))
                    f_x = x * b + y * d + f
                    adv = width * fontsize * scaling
                    a_adv, b_adv = a * adv, b * adv
                    # utils.apply_matrix_rect(translated, (0, low, adv, high)), term for term
                    left1, bottom1 = a_0 + c_low + e_x, b_0 + d_low + f_x
                    right1, bottom2 = a_adv + c_low + e_x, b_adv + d_low + f_x
                    right2, top1 = a_adv + c_high + e_x, b_adv + d_high + f_x
                    left2, top2 = a_0 + c_high + e_x, b_0 + d_high + f_x
                    y0, y1 = min(bottom1, bottom2, top1, top2), max(bottom1, bottom2, top1, top2)
                    keep((text, min(left1, left2, right1, right2), y0, max(left1, left2, right1, right2), y1,
                          y1 - y0, fontname))
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                log.warning("Cannot render horizontal string because %r is not a valid int, float or bytes.", obj)
        textstate.linematrix = (x, y)

    def paint_path(self, gstate, stroke, fill, evenodd, path):
        """PDFLayoutAnalyzer.paint_path, each (sub)path kept as a _Path when the clip shows it.

        The same shapes as pdfminer's (a closed axis-aligned 4-point path is a rect, a
        2-point one a line, anything else a curve) with the same points, without
        building its layout object and its transformed copy of the path.
        """
        if not self.light_objects:
            objs = self.cur_item._objs
            before = len(objs)
            super().paint_path(gstate, stroke, fill, evenodd, path)  # subpaths come back here
            for o in objs[before:]:
                self._keep_path(_Path(isinstance(o, LTRect), o.x0, o.y0, o.x1, o.y1, o.pts, o.stroke, o.fill,
                                      o.stroking_color, o.non_stroking_color))
            del objs[before:]
        else:
            self._paint(gstate, stroke, fill, evenodd, path)
        self.path_count += 1
        if self.path_count > MAX_PATHS_PER_PAGE:
            raise PageTooComplex(f"more than {MAX_PATHS_PER_PAGE} drawn paths")

    def _paint(self, gstate, stroke, fill, evenodd, path) -> None:
        shape = "".join(x[0] for x in path)
        if shape[:1] != "m":  # not a path: pdfminer draws nothing
            return
        if shape.count("m") > 1:
            for m in re.finditer(r"m[^m]+", shape):
                self.paint_path(gstate, stroke, fill, evenodd, path[m.start(0): m.end(0)])
            return
        ctm = self.ctm
        pts = [apply_matrix_pt(ctm, p[-2:] if p[0] != "h" else path[0][-2:]) for p in path]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:  # a redundant "l" before "h"
            shape = shape[:-2] + "h"
            pts.pop()
        rect = False
        if shape in {"mlh", "ml"}:
            pts = pts[:2]
        elif shape in {"mlllh", "mllll"}:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                     or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
                rect = True
                pts = [(x0, y0), (x2, y0), (x2, y2), (x0, y2)]  # LTRect's corners of (*pts[0], *pts[2])
        self._keep_path(_Path(rect, *get_bound(pts), pts, stroke, fill, gstate.scolor, gstate.ncolor))

    def _keep_path(self, path: _Path) -> None:
        if not self._outside(path):
            self.paths.append(path)


class _ClipInterpreter(PDFPageInterpreter):
    """Interpreter that keeps the clip bounding box in the graphics state."""

    inherited_clip: tuple[float, float, float, float] | None = None

    def dup(self):
        child = self.__class__(self.rsrcmgr, self.device)
        child.inherited_clip = self.clip
        return child

    def init_state(self, ctm):
        super().init_state(ctm)
        self.clip = self.inherited_clip
        self.pending_clip = False
        self.device.clip = self.clip

    def get_current_state(self):
        return (*super().get_current_state(), self.clip)

    def set_current_state(self, state):
        *base, clip = state
        super().set_current_state(tuple(base))
        self.clip = clip
        self.device.clip = clip

    def do_W(self):
        self.pending_clip = True

    def do_W_a(self):
        self.pending_clip = True

    def _apply_pending_clip(self):
        if not self.pending_clip:
            return
        self.pending_clip = False
        points = [apply_matrix_pt(self.ctm, (seg[-2], seg[-1])) for seg in self.curpath if len(seg) >= 3]
        if not points:
            return
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        box = (min(xs), min(ys), max(xs), max(ys))
        if self.clip is not None:
            c = self.clip
            box = (max(box[0], c[0]), max(box[1], c[1]), min(box[2], c[2]), min(box[3], c[3]))
        self.clip = box
        self.device.clip = box

    def do_n(self):
        self._apply_pending_clip()
        super().do_n()

    def do_Do(self, xobjid_arg):
        super().do_Do(xobjid_arg)
        self.device.clip = self.clip

    def do_TJ(self, seq):
        """Show text (Tj, ' and " come here too); horizontal fonts without pdfminer's LTChar."""
        font = self.textstate.font
        if font is None or font.is_vertical() or not self.device.light_objects:
            return super().do_TJ(seq)
        self.device.show_text(self.textstate, seq)

    fast_content = True  # False: pdfminer's own content parser (the benchmark compares the two)
    _operators: dict = {}  # keyword → (method name, argument count), per class

    def execute(self, streams):
        """pdfminer's execute, with the streams tokenized by content.read_objects when it can."""
        if not self.fast_content:
            return super().execute(streams)
        valid = [stream_value(s) for s in streams]
        if any(s.objid is None or s.objid in self.parent_stream_ids for s in valid):
            return super().execute(streams)  # pdfminer warns and skips these: let it
        objects = read_objects([s.get_data() for s in valid])
        if objects is None:
            return super().execute(streams)
        self.stream_ids.clear()
        self.stream_ids.update(s.objid for s in valid)
        operators = self._operators
        bound: dict = {}  # keyword → (this interpreter's method, argument count)
        stack = self.argstack
        push = stack.append
        for obj in objects:
            if obj.__class__ is not PSKeyword:  # what read_objects yields: only keywords are PSKeyword
                push(obj)
                continue
            known = bound.get(obj)
            if known is None:
                if obj not in operators:
                    name = keyword_name(obj)
                    method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
                    func = getattr(self, method, None)
                    operators[obj] = (method, func.__code__.co_argcount - 1) if func is not None else (None, 0)
                method, nargs = operators[obj]
                known = bound[obj] = (getattr(self, method) if method else None, nargs)
            func, nargs = known
            if func is None:
                if settings.STRICT:
                    raise PDFInterpreterError(f"Unknown operator: {keyword_name(obj)!r}")
                continue
            if nargs:  # PDFPageInterpreter.pop, without copying the stack
                if len(stack) >= nargs:
                    args = stack[-nargs:]
                    del stack[-nargs:]
                    func(*args)
                else:
                    stack.clear()
            else:
                func()
            if self.argstack is not stack:  # an operator popped its own operands (sc, scn …): a new list
                stack = self.argstack
                push = stack.append


def _images(objs) -> int:
    count = 0
    for obj in objs:
        if isinstance(obj, LTImage):
            count += 1
        elif isinstance(obj, LTContainer):
            count += _images(obj._objs)
    return count


def _rules_of(path: _Path, height: float) -> list[Rule]:
    """Visible axis-aligned rules drawn by one path object, in top-down coordinates."""
    stroke_visible = bool(path.stroke) and not _is_white(path.stroking_color)
    fill_visible = bool(path.fill) and not _is_white(path.non_stroking_color)
    if not (stroke_visible or fill_visible):
        return []
    if path.rect:
        x0, x1, top, bottom = path.x0, path.x1, height - path.y1, height - path.y0
        w, h = x1 - x0, bottom - top
        if w < THIN and h < THIN:
            return []
        if h < THIN:
            mid = (top + bottom) / 2
            return [Rule(x0, mid, x1, mid)]
        if w < THIN:
            mid = (x0 + x1) / 2
            return [Rule(mid, top, mid, bottom)]
        return [Rule(x0, top, x1, top), Rule(x0, bottom, x1, bottom), Rule(x0, top, x0, bottom), Rule(x1, top, x1, bottom)]
    if not stroke_visible:  # a filled polygon that is not a thin rect: shading, not a rule
        return []
    rules = []
    pts = path.pts
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        ta, tb = height - ay, height - by
        if abs(ay - by) < 0.5 and abs(ax - bx) >= 0.5:
            y = (ta + tb) / 2
            rules.append(Rule(min(ax, bx), y, max(ax, bx), y))
        elif abs(ax - bx) < 0.5 and abs(ay - by) >= 0.5:
            x = (ax + bx) / 2
            rules.append(Rule(x, min(ta, tb), x, max(ta, tb)))
    return rules


def parse_page(pdf, page, deadline: float | None = None) -> PageContent:
    """Interpret one pdfplumber page with clipping; return its visible glyphs and rules.

    The layout (images and figures; characters and paths are kept by the device) is
    stored on the pdfplumber page (``page._layout``), so that pdfplumber never
    interprets the page a second time (its table finder, given the rules
    explicitly, reads no objects of the page).
    """
    device = _ClipDevice(pdf.rsrcmgr, page.page_number, deadline)
    interpreter = _ClipInterpreter(pdf.rsrcmgr, device)
    interpreter.process_page(page.page_obj)
    layout = device.get_result()
    page._layout = layout
    width, height = layout.width, layout.height
    chars = device.chars
    clipped = len(device.clipped)
    if not chars and device.clipped:
        # Everything clipped away is more likely our clip arithmetic failing on an
        # unusual content stream than a page printed blank on purpose: keep it.
        chars = device.clipped
        clipped = 0
    glyphs = []
    for text, x0, y0, x1, y1, size, font in chars:
        g = Glyph(text, x0, x1, height - y1, height - y0, size, font)
        cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        if 0 <= cx <= width and 0 <= cy <= height:
            glyphs.append(g)
        else:
            clipped += 1
    rules = [r for p in device.paths for r in _rules_of(p, height)]
    return PageContent(page.page_number, width, height, glyphs, rules, _images(layout._objs), clipped)
