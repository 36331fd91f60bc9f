"""Margins for the report's one-axes charts, from the extents of their texts measured once.

Matplotlib's constrained layout measures the whole axes (tick machinery, label placement, every text
again) twice before each draw. The charts only need room for their tick labels, axis labels and
title, so ``MeasuredLayout`` measures each of those texts once, at a first position, and then
computes the margins by arithmetic. The draw that follows reuses the measured text metrics
(matplotlib caches them per renderer). The pad between the texts and the figure's edge is
constrained layout's own (3/72 inch), so the charts look the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.layout_engine import LayoutEngine

PAD_INCHES = 3 / 72  # constrained layout's default w_pad / h_pad
OFFSET_TEXT_PAD_POINTS = 3  # matplotlib's Axis.OFFSETTEXTPAD


@dataclass(frozen=True)
class Box:
    """A text's extent in pixels relative to an anchor at axes fraction (fx, fy)."""

    fx: float
    fy: float
    x0: float
    x1: float
    y0: float
    y1: float


class MeasuredLayout(LayoutEngine):
    """Place each axes so that its tick labels, axis labels, offset texts and title lie inside the figure.

    Texts inside the axes (bar annotations, the legend) are not considered: they are clipped to the axes
    as with constrained layout. The y side and the title are measured once; the x tick labels depend on
    the axes' width, so they are measured again whenever the placed axes gets other ticks.
    """

    _adjust_compatible = False
    _colorbar_gridspec = False

    def execute(self, fig) -> None:
        renderer = fig._get_renderer()  # the renderer the draw uses: its text metrics are cached for it
        width, height = fig.bbox.width, fig.bbox.height
        pad = PAD_INCHES * fig.dpi

        def place(ax, boxes):
            left, right, bottom, top = _margins(boxes, width, height, pad)
            ax.set_position([left / width, bottom / height, (width - left - right) / width,
                             (height - bottom - top) / height])

        for ax in fig.axes:
            ax.set_position([pad / width, pad / height, 1 - 2 * pad / width, 1 - 2 * pad / height])
            fixed = _y_boxes(ax, renderer)  # the y side and the title: their offsets do not depend on the axes' size
            place(ax, fixed)
            shown = None
            for _ in range(3):  # the x ticks depend on the axes' width: measured again only if they changed
                texts = [t.get_text() for t in ax.xaxis.get_majorticklabels()]
                if texts == shown:
                    break
                shown = texts
                place(ax, fixed + _x_boxes(ax, renderer))


def _fractions(ax, x: float, y: float) -> tuple[float, float]:
    """Data coordinates as fractions of the axes."""
    return tuple(ax.transAxes.inverted().transform(ax.transData.transform((x, y))))


def _relative(ext, ax, fx: float, fy: float) -> Box:
    """A measured extent relative to its anchor point on the axes box."""
    ax_box = ax.bbox
    ox, oy = ax_box.x0 + fx * ax_box.width, ax_box.y0 + fy * ax_box.height
    return Box(fx, fy, ext.x0 - ox, ext.x1 - ox, ext.y0 - oy, ext.y1 - oy)


def _tick_label_boxes(ax, axis, renderer) -> list[Box]:
    """The tick labels that will be drawn (inside the view interval, not empty), each anchored at its tick."""
    labels = axis.get_majorticklabels()  # updates the ticks for the current view, as the draw will
    low, high = sorted(axis.get_view_interval())
    tolerance = 1e-10 * max(abs(high - low), 1.0)
    is_x = axis is ax.xaxis
    boxes = []
    for label in labels:
        if not label.get_visible() or not label.get_text():
            continue
        x, y = label.get_position()
        loc = x if is_x else y
        if not low - tolerance <= loc <= high + tolerance:
            continue
        fx, fy = _fractions(ax, loc, loc)
        boxes.append(_relative(label.get_window_extent(renderer), ax, fx if is_x else 0.0, 0.0 if is_x else fy))
    return boxes


def _size(text, renderer) -> tuple[float, float]:
    ext = text.get_window_extent(renderer)
    return ext.width, ext.height


def _y_boxes(ax, renderer) -> list[Box]:
    """The y tick labels, the y axis label, its offset text, the title and the annotations, placed as the draw
    will place them (anchored at fixed fractions of the axes)."""
    dpi = ax.get_figure(root=True).dpi
    boxes = _tick_label_boxes(ax, ax.yaxis, renderer)
    left_of = min([0.0] + [b.x0 for b in boxes])
    above = max([0.0] + [b.y1 for b in boxes if b.fy >= 1.0])
    if ax.yaxis.label.get_visible() and ax.yaxis.label.get_text():  # left of the tick labels
        w, h = _size(ax.yaxis.label, renderer)
        right = left_of - ax.yaxis.labelpad * dpi / 72
        boxes.append(Box(0.0, ax.yaxis.label.get_position()[1], right - w, right, -h / 2, h / 2))
    ax.yaxis.offsetText.set_text(ax.yaxis.major.formatter.get_offset())  # as the axis' draw sets it
    if ax.yaxis.offsetText.get_visible() and ax.yaxis.offsetText.get_text():  # left, over the tick labels
        w, h = _size(ax.yaxis.offsetText, renderer)
        bottom = above + OFFSET_TEXT_PAD_POINTS * dpi / 72
        boxes.append(Box(0.0, 1.0, 0.0, w, bottom, bottom + h))
    if ax.title.get_visible() and ax.title.get_text():
        fx, fy = ax.title.get_position()
        boxes.append(_relative(ax.title.get_window_extent(renderer), ax, fx, fy))
    for text in ax.texts:  # annotations that are not clipped may reach past the axes (a long amount beside a bar)
        if text.get_visible() and text.get_text() and text.get_in_layout() and not text.get_clip_on():
            fx, fy = ax.transAxes.inverted().transform(text.get_transform().transform(text.get_position()))
            boxes.append(_relative(text.get_window_extent(renderer), ax, fx, fy))
    return boxes


def _x_boxes(ax, renderer) -> list[Box]:
    """The x tick labels for the axes' current width, the x axis label and its offset text under them."""
    dpi = ax.get_figure(root=True).dpi
    boxes = _tick_label_boxes(ax, ax.xaxis, renderer)
    below = min([0.0] + [b.y0 for b in boxes])
    if ax.xaxis.label.get_visible() and ax.xaxis.label.get_text():
        w, h = _size(ax.xaxis.label, renderer)
        top = below - ax.xaxis.labelpad * dpi / 72
        boxes.append(Box(ax.xaxis.label.get_position()[0], 0.0, -w / 2, w / 2, top - h, top))
    ax.xaxis.offsetText.set_text(ax.xaxis.major.formatter.get_offset())  # as the axis' draw sets it
    if ax.xaxis.offsetText.get_visible() and ax.xaxis.offsetText.get_text():  # e.g. '1e9', right, under the ticks
        w, h = _size(ax.xaxis.offsetText, renderer)
        top = below - OFFSET_TEXT_PAD_POINTS * dpi / 72
        boxes.append(Box(1.0, 0.0, -w, 0.0, top - h, top))
    return boxes


def _margins(boxes: list[Box], width: float, height: float, pad: float) -> tuple[float, float, float, float]:
    """(left, right, bottom, top) in pixels so that every box lies ``pad`` inside the figure.

    A box anchored inside the axes moves when the axes shrinks, so the margins are recomputed from the
    axes they give until they no longer change (rounds of arithmetic only). Texts too large for the figure
    stop the axes from shrinking below a tenth of it, as constrained layout gives up then too."""
    margins = (pad, pad, pad, pad)
    for _ in range(100):
        left, right, bottom, top = margins
        axes_w, axes_h = width - left - right, height - bottom - top
        new = (max([pad] + [pad - b.fx * axes_w - b.x0 for b in boxes]),
               max([pad] + [pad + b.x1 - (1 - b.fx) * axes_w for b in boxes]),
               max([pad] + [pad - b.fy * axes_h - b.y0 for b in boxes]),
               max([pad] + [pad + b.y1 - (1 - b.fy) * axes_h for b in boxes]))
        if width - new[0] - new[1] < width / 10 or height - new[2] - new[3] < height / 10:
            break
        if all(abs(n - o) < 0.01 for n, o in zip(new, margins)):
            return new
        margins = new
    return margins
