"""The explorers' frames for narrow screens: panels in one column, text a phone can read.

The kernel-free view (:mod:`coursekit.explorers.static_view`) draws every frame twice: as the
explorer lays it out and for phones, by a twin of the explorer (:func:`narrow_twin`) whose
panels stand one above the other, ``NARROW_WIDTH`` inches wide, with no text under
:func:`narrow_font` (``MIN_TEXT_PX`` CSS pixels when shown ``NARROW_DISPLAY_PX`` wide), titles
and readouts wrapped and kept apart (:func:`fit_texts`). A narrow frame holds only the pixels
that differ from the figure's static layer (:class:`NarrowFrames`), as lossless WebP.

Introduced in lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import io
import weakref

import numpy as np
from matplotlib.gridspec import GridSpec
from matplotlib.text import Text
from PIL import Image

from coursekit import plotting

#: Below this viewport width the book shows the frames drawn for narrow screens (phones).
NARROW_MEDIA = "screen and (max-width: 600px)"
#: The width (CSS px) the narrow frames are designed for: a phone 360 px wide less the
#: book's margins. A 390-px phone shows them 358 px wide, so their text is a little larger.
NARROW_DISPLAY_PX = 328
#: The smallest text of a narrow frame shown NARROW_DISPLAY_PX wide, in CSS px.
MIN_TEXT_PX = 11
#: Width of the narrow frames' figure, height of each of its rows of panels and at most of
#: the whole figure (inches): 2 rows show 509 CSS px tall on a 390-px phone, 3 rows 716.
NARROW_WIDTH = 4.5
NARROW_ROW = 3.2
NARROW_HEIGHT = 9.0


def figure_texts(figure) -> list[Text]:
    """Every text artist of the figure: titles, labels, tick labels, legends, annotations."""
    return figure.findobj(Text)


def smallest_font(texts) -> float:
    """The size in points of the smallest of ``texts`` (:func:`figure_texts`) that is drawn
    now: visible and not empty."""
    drawn = [text for text in texts if text.get_visible() and text.get_text().strip()]
    return min((text.get_fontsize() for text in drawn), default=np.inf)


def narrow_font(width: float) -> float:
    r"""The smallest font (points) of a figure ``width`` inches wide that reads as
    ``MIN_TEXT_PX`` CSS pixels when the figure is shown ``NARROW_DISPLAY_PX`` wide:

    .. math:: \text{CSS px} = \text{points} \cdot \frac{\text{dpi}}{72}
              \cdot \frac{\text{display width}}{\text{width} \cdot \text{dpi}}
              = \frac{\text{points}}{72} \cdot \frac{\text{display width}}{\text{width}}

    whatever the resolution the frames are rendered at.
    """
    return MIN_TEXT_PX * 72 * width / NARROW_DISPLAY_PX


class NarrowFrames:
    """The frames of an explorer for narrow screens, drawn by a second explorer of its kind
    laid out for a phone (:func:`narrow_twin`).

    Each frame is stored as what it adds to the figure's static layer (``base_png``: axes,
    ticks, labels, everything but the animated artists): the pixels that differ from it, the
    rest transparent. The page draws the static layer under every narrow frame, so a phone
    sees the whole figure for a third to a half of the bytes of full frames.
    """

    def __init__(self, explorer, dpi: int, colors: int) -> None:
        self.dpi, self.colors = dpi, colors
        self.twin = narrow_twin(explorer, dpi)
        self.figure = self.twin.figure
        self.stacks = readout_stacks(self.figure)
        self.texts = figure_texts(self.figure)
        self.twin.render(dpi)
        with plotting.style():
            self.figure.canvas.draw()  # the static layer: matplotlib leaves animated artists out
        self.base = np.array(self.figure.canvas.buffer_rgba())
        self.smallest = np.inf

    def frame(self, values: dict, result: dict) -> bytes:
        """The narrow frame of the explorer's state ``values`` (whose ``compute`` gave
        ``result``: the twin draws it without computing it again), as WebP bytes."""
        twin = self.twin
        twin.values, twin.result = dict(values), result
        with plotting.style():
            twin.draw(result)
        fit_texts(self.figure, self.stacks, changing=True)
        twin.render(self.dpi)
        self.smallest = min(self.smallest, smallest_font(self.texts))
        return overlay_webp(np.asarray(self.figure.canvas.buffer_rgba()), self.base, self.colors)

    def base_png(self) -> bytes:
        return plotting.png_bytes(np.ascontiguousarray(self.base[..., :3]), colors=self.colors)


def overlay_webp(pixels: np.ndarray, base: np.ndarray, colors: int) -> bytes:
    """Lossless WebP of ``pixels`` where they differ from ``base`` (both opaque RGBA, height ×
    width × 4), transparent where they do not: drawn over ``base`` it shows ``pixels`` (in
    ``colors - 1`` colours). WebP holds these sparse frames in about two thirds of a PNG's
    bytes; every browser of the last five years shows it, and one that does not falls back
    to the wide PNG frame."""
    image = Image.fromarray(np.ascontiguousarray(pixels[..., :3])).quantize(
        colors - 1, method=Image.Quantize.FASTOCTREE
    )
    index = np.asarray(image).copy()
    same = np.ascontiguousarray(pixels).view(np.uint32) == base.view(np.uint32)
    index[same[..., 0]] = colors - 1
    overlay = Image.fromarray(index, mode="P")
    palette = image.getpalette()[: 3 * (colors - 1)]
    overlay.putpalette(palette + [0] * (3 * (colors - 1) - len(palette)) + [255, 255, 255])
    overlay.info["transparency"] = colors - 1
    buffer = io.BytesIO()
    overlay.convert("RGBA").save(buffer, format="webp", lossless=True, method=1, quality=25)
    return buffer.getvalue()


def narrow_twin(explorer, dpi: int):
    """A second explorer of the same kind and values, laid out for a phone.

    Generic for every explorer: right after ``build``, a row of panels
    (``figure.subplots(1, n)``) becomes a column, the figure becomes ``narrow_figsize`` (the
    explorer's, or ``NARROW_WIDTH`` inches wide and ``NARROW_ROW`` per row) and no text stays
    smaller than :func:`narrow_font`, so it reads at ``MIN_TEXT_PX`` CSS px or more on a
    phone; then the explorer's ``narrow_layout(figure)`` hook runs (see
    :class:`~coursekit.explorers.base.Explorer`), and the layout is solved once for that.
    Titles wider than their panel and texts that run off the figure are broken into lines
    (:func:`fit_texts`), and the layout is solved again if they were, or if a text reaches
    beyond its axes (the wide layout leaves animated texts out of it; on a phone a label under
    a plot may reach the next panel).
    """
    kind = type(explorer)

    class Narrow(kind):
        def render(self, dpi: int = dpi, full: bool = False):  # laid out at the frames' dpi
            return super().render(dpi, full)

        def build(self, figure) -> None:
            super().build(figure)
            rows = _stack_panels(figure)
            width, height = self.narrow_figsize or (
                NARROW_WIDTH,
                min(NARROW_ROW * rows, NARROW_HEIGHT),
            )
            figure.set_size_inches(width, height)
            floor = narrow_font(width)
            _raise_fonts(figure, floor)
            self.narrow_layout(figure)
            _raise_fonts(figure, floor)

    Narrow.__name__, Narrow.__qualname__ = kind.__name__, kind.__qualname__
    twin = Narrow(**explorer.values)  # built, laid out and drawn once, at the narrow size
    figure = twin.figure
    renderer = figure.canvas.get_renderer()  # text is measured at the frames' resolution
    in_layout = {text: text.get_in_layout() for ax in figure.axes for text in ax.texts}
    for _ in range(3):  # the layout moves the panels, which may change what has to break
        wrapped = fit_texts(figure, titles=True)
        spilling = [t for t in in_layout if not t.get_in_layout() and _spills(t, renderer)]
        if not (wrapped or spilling):
            break
        for text in spilling:
            text.set_in_layout(True)
        figure.set_layout_engine("constrained")
        twin.render(dpi, full=True)
        figure.set_layout_engine("none")
        renderer = figure.canvas.get_renderer()
    for text, flag in in_layout.items():
        text.set_in_layout(flag)
    return twin


def _spills(text, renderer) -> bool:
    """Whether a drawn text reaches above or below its axes."""
    if not text.get_visible() or not text.get_text().strip():
        return False
    box, frame = text.get_window_extent(renderer), text.axes.bbox
    return box.y0 < frame.y0 - 1 or box.y1 > frame.y1 + 1


def _stack_panels(figure) -> int:
    """Turn one row of panels into one column; return the number of rows of panels."""
    specs = [ax.get_subplotspec() for ax in figure.axes]
    grids = {id(spec.get_gridspec()): spec.get_gridspec() for spec in specs if spec is not None}
    if len(grids) != 1:
        return 1
    (grid,) = grids.values()
    if grid.nrows != 1 or grid.ncols == 1:
        return grid.nrows
    column = GridSpec(grid.ncols, 1, figure=figure)
    for ax, spec in zip(figure.axes, specs, strict=True):
        if spec is not None:
            ax.set_subplotspec(column[spec.colspan.start : spec.colspan.stop, 0])
    return grid.ncols


def _raise_fonts(figure, floor: float) -> None:
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            sizes = [label.get_fontsize() for label in axis.get_ticklabels(which="both")]
            axis.set_tick_params(which="both", labelsize=max([floor, *sizes]))
    for text in figure.findobj(Text):
        if text.get_fontsize() < floor:
            text.set_fontsize(floor)


def readout_stacks(figure) -> list[list[tuple[Text, float]]]:
    """Texts placed one under another in an axes (same x, aligned by their top), each with
    its position y in axes coordinates, top to bottom."""
    stacks: dict[tuple, list] = {}
    for ax in figure.axes:
        for text in ax.texts:
            if text.get_transform() is ax.transAxes and text.get_verticalalignment() == "top":
                x, y = text.get_position()
                key = (id(ax), round(x, 3), text.get_horizontalalignment())
                stacks.setdefault(key, []).append((text, y))
    return [sorted(stack, key=lambda item: -item[1]) for stack in stacks.values() if len(stack) > 1]


def fit_texts(figure, stacks=(), titles: bool = False, changing: bool = False) -> bool:
    """Keep the texts of the axes inside the figure, and apart, after a draw changed them.

    A text that runs past the figure's edge is broken at spaces into lines; with ``titles``,
    so is a title wider than its panel; with ``changing``, only the texts that ``draw``
    changes (animated artists) are looked at. Each text of a stack (:func:`readout_stacks`)
    moves below the one above it where larger or broken lines would run into it (2 points
    apart). Return whether any text was broken.
    """
    renderer = figure.canvas.get_renderer()
    edge = figure.bbox
    wrapped = False
    for ax in figure.axes:
        if titles:
            wrapped |= _wrap(ax.title, ax.get_window_extent(renderer).width, renderer)
        for text in ax.texts:
            if changing and not text.get_animated():
                continue
            if not text.get_visible() or not text.get_text().strip():
                continue
            box = text.get_window_extent(renderer)
            if box.x0 >= edge.x0 and box.x1 <= edge.x1:
                continue
            align = text.get_horizontalalignment()
            anchor = {"left": box.x0, "right": box.x1}.get(align, (box.x0 + box.x1) / 2)
            room = {
                "left": edge.x1 - anchor,
                "right": anchor - edge.x0,
            }.get(align, 2 * min(anchor - edge.x0, edge.x1 - anchor))
            wrapped |= _wrap(text, room - 2, renderer)
    gap = 2 * figure.dpi / 72
    for stack in stacks:
        bottom = None
        for text, y in stack:
            text.set_y(y)
            if not text.get_visible() or not text.get_text().strip():
                continue
            ax = text.axes
            if bottom is not None:
                limit = ax.transAxes.inverted().transform((0, bottom - gap))[1]
                text.set_y(min(y, limit))
            bottom = text.get_window_extent(renderer).y0
    return wrapped


_WIDTHS: dict[tuple, float] = {}  # pixel widths of words, by word, font and resolution


_WRAPPED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # text: (broken, original)


def _wrap(text, room: float, renderer) -> bool:
    """Break each line of ``text`` at spaces into lines at most ``room`` pixels wide (a word
    wider than that keeps a line of its own); return whether the text changed. A text this
    function broke before is broken again from its original lines."""
    entry = text.get_text()
    broken, original = _WRAPPED.get(text, (None, None))
    if entry != broken:
        original = entry
    text.set_text(original)
    if text.get_window_extent(renderer).width > room:
        _WRAPPED[text] = (_break(text, original, room, renderer), original)
    return text.get_text() != entry


def _break(text, original: str, room: float, renderer) -> str:
    if "$" not in original:  # plain text: add up the widths of the words
        font = text.get_fontproperties()

        def width(string: str) -> float:
            key = (string, hash(font), renderer.dpi)
            if key not in _WIDTHS:
                if len(_WIDTHS) > 50_000:
                    _WIDTHS.clear()
                _WIDTHS[key] = renderer.get_text_width_height_descent(string, font, False)[0]
            return _WIDTHS[key]

        space = width("a a") - width("aa")
        lines = []
        for paragraph in original.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                size = width(word) if word else 0.0
                if line.strip() and used + space + size > room:
                    lines.append(line.rstrip())
                    line, used = word, size
                else:
                    line, used = (f"{line} {word}", used + space + size) if line else (word, size)
            lines.append(line.rstrip())
        text.set_text("\n".join(lines))
        if text.get_window_extent(renderer).width <= room + 1:
            return text.get_text()
    lines = []  # mathematics, or the sum was off: measure every candidate line
    for paragraph in original.split("\n"):
        words = paragraph.split(" ")
        line = words[0]
        for word in words[1:]:
            text.set_text(f"{line} {word}")
            if line.strip() and text.get_window_extent(renderer).width > room:
                lines.append(line.rstrip())
                line = word
            else:
                line = f"{line} {word}"
        lines.append(line.rstrip())
    text.set_text("\n".join(lines))
    return text.get_text()
