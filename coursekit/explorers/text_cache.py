"""Faster text on the explorers' Agg canvas: glyph layouts and bitmaps are rendered once.

Drawing text dominates an explorer's redraw: matplotlib lays out every string with FreeType
and rasterises every glyph again on every draw, which is 70–95 % of a blitted update (the
readouts change on every slider step) and much of a full redraw (tick labels, titles).
:class:`CachedTextCanvas` is an Agg canvas whose renderer keeps

* the layout of each string (glyphs and their offsets), per font, size and resolution;
* the bitmap of each glyph, per font, size, resolution, angle and sub-pixel position
  (1/64 pixel, the precision matplotlib places glyphs at).

A glyph moved by whole pixels rasterises to the same bitmap moved by those pixels (FreeType
hints in the glyph's own coordinates, before the translation), so the cached drawing is
pixel-identical to matplotlib's (``tests/test_live_view.py`` checks it on every explorer).
Maths text, TeX and anything this matplotlib does not offer in the expected form are drawn
by matplotlib itself.

Introduced in lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends import backend_agg
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

try:  # the private glyph API this module relies on (matplotlib 3.11)
    from matplotlib.ft2font import FT2Font, RenderMode

    SUPPORTED = all(hasattr(FT2Font, name) for name in ("_layout", "_render_glyph"))
    SUPPORTED = SUPPORTED and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")
except ImportError:  # pragma: no cover - another matplotlib: plain rendering
    SUPPORTED = False

#: Entries kept per cache before it is emptied (a few thousand glyphs of a few hundred bytes).
MAX_ENTRIES = 20_000


class CachedTextRenderer(RendererAgg):
    """RendererAgg that reuses string layouts and glyph bitmaps (see the module docstring)."""

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._layouts: dict = {}
        self._glyphs: dict = {}

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        font = self._prepare_font(prop)
        size = prop.get_size_in_points()
        flags = backend_agg.get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (id(font), s, size, self.dpi, flags, _hashable(features), _hashable(language))
        entry = self._layouts.get(key)
        if entry is None:
            items = font._layout(s, flags=flags, features=features, language=language)
            glyphs = tuple((item.ft_object, item.glyph_index, item.x, item.y) for item in items)
            entry = _remember(self._layouts, key, (font, glyphs))
        self._draw_text_glyphs_and_boxes(
            gc,
            x,
            y,
            angle,
            ((ft, size, index, 0, 1, dx, dy) for ft, index, dx, dy in entry[1]),
            [],
        )

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        # As RendererAgg's, with each glyph's bitmap cached per sub-pixel position.
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        flags = backend_agg.get_hinting_flag()
        antialiased = gc.get_antialiased()
        height = self.height
        for font, size, index, slant, extend, dx, dy in glyphs:  # dy is upwards.
            # FreeType's 26.6 position, as matplotlib rounds it; y is upwards.
            px = round(0x40 * (x + dx * cos - dy * sin))
            py = round(0x40 * (height - y + dx * sin + dy * cos))
            whole_x, part_x = divmod(px, 0x40)
            whole_y, part_y = divmod(py, 0x40)
            key = (id(font), size, self.dpi, index, slant, extend, angle, part_x, part_y)
            key += (flags, antialiased)
            entry = self._glyphs.get(key)
            if entry is None:
                font.set_size(size, self.dpi)
                font._set_transform(
                    (
                        0x10000
                        * np.array([[cos, -sin], [sin, cos]])
                        @ [[extend, extend * slant], [0, 1]]
                    )
                    .round()
                    .astype(int),
                    [part_x, part_y],
                )
                bitmap = font._render_glyph(
                    index, flags, RenderMode.NORMAL if antialiased else RenderMode.MONO
                )
                buffer = np.array(bitmap.buffer)  # a copy: FreeType reuses its buffer
                if not antialiased:
                    buffer *= 0xFF
                entry = _remember(self._glyphs, key, (font, buffer, bitmap.left, bitmap.top))
            _, buffer, left, top = entry
            # draw_text_image's y is downwards & the bitmap bottom side.
            self._renderer.draw_text_image(
                buffer,
                left + whole_x,
                int(height) - (top + whole_y) + buffer.shape[0],
                0,
                gc,
            )
        if boxes:
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)


class CachedTextCanvas(FigureCanvasAgg):
    """The Agg canvas of an explorer: matplotlib's, with :class:`CachedTextRenderer`."""

    def get_renderer(self):
        if not SUPPORTED:
            return super().get_renderer()
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = CachedTextRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def _hashable(value):
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    return value


def _remember(cache: dict, key, value):
    if len(cache) >= MAX_ENTRIES:
        cache.clear()
    cache[key] = value
    return value
