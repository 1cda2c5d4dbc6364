"""The one pattern behind every interactive figure: compute → draw → controls.

An explorer is a class with

* ``params``: its controls, ``{name: {"min", "max", "value", "step"}}`` for a number or
  ``{name: {"options": [...], "value": ...}}`` for a choice;
* ``compute(**values)``: a pure function of the control values (maths only, fast);
* ``build(figure)``: creates the axes and artists once;
* ``draw(result)``: updates those artists in place (``set_data``, ``set_height``…);
* ``describe(result)``: one sentence saying what the figure shows now (alt text and readout).

``update(**values)`` recomputes and redraws in place. Displayed in a notebook, an explorer
offers two views in one output: a live ipywidgets view (sliders and an image that is redrawn
on every change, :mod:`~coursekit.explorers.live_view`) that JupyterLab shows, and a
kernel-free HTML view (pre-rendered frames with working sliders,
:mod:`~coursekit.explorers.static_view`) that the published book shows, because the book
prefers ``text/html`` and drops the widget view (``nb_mime_priority_overrides`` in
``_config.yml``). The format of ``params`` is in :mod:`~coursekit.explorers.controls`.

Introduced in lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import base64
from typing import Any, ClassVar

import numpy as np

from coursekit import plotting
from coursekit.explorers import controls, live_view, static_view
from coursekit.explorers.static_view import (
    BOOK_COLORS,
    BOOK_DPI,
    MAX_FRAMES,
    STATIC_VIEWS_VARIABLE,
    static_views_wanted,
)
from coursekit.explorers.text_cache import CachedTextCanvas

# The view settings stay importable from here (coursekit.cli and the tests use them).
__all__ = [
    "Explorer",
    "LIVE_DPI",
    "BOOK_DPI",
    "BOOK_COLORS",
    "MAX_FRAMES",
    "STATIC_VIEWS_VARIABLE",
    "static_views_wanted",
]

LIVE_DPI = 96


class Explorer:
    """Base class of the course's interactive figures (see the module docstring)."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    params: ClassVar[dict[str, dict[str, Any]]] = {}
    #: Values of each control that the kernel-free book view pre-renders; by default the
    #: slider's own grid. Override where the product of the grids would exceed MAX_FRAMES.
    book_values: ClassVar[dict[str, list]] = {}
    figsize: ClassVar[tuple[float, float]] = (7.0, 3.0)
    #: Figure size (inches) of the book's frames for phones; by default the panels of
    #: ``figsize`` stacked in one column, static_view.NARROW_WIDTH wide (see ``narrow_layout``).
    narrow_figsize: ClassVar[tuple[float, float] | None] = None
    #: What the static (not animated) part of the figure shows besides the fixed axes: ``draw``
    #: sets it when it changes such an artist (e.g. a legend entry that follows a choice).
    #: The static part is drawn once per state and resolution and kept.
    background_state: Any = None

    def __init__(self, **values: Any) -> None:
        self.values = self._checked({k: spec["value"] for k, spec in self.params.items()}, values)
        self._dynamic: list = []
        self._backgrounds: dict = {}  # (dpi, background_state) → the static part's pixels
        with plotting.style():
            self.figure, _ = plotting.new_figure(figsize=self.figsize)
            self.figure.clear()
            self.build(self.figure)
        # Agg, with each string's layout and each glyph's bitmap rendered once (text is most
        # of a redraw); pixel-identical to matplotlib's own canvas.
        self._canvas = CachedTextCanvas(self.figure)
        self.result = None
        self.update()
        # Lay the figure out once; the axes do not move afterwards, so later redraws skip
        # the (slow) constrained-layout solver.
        self.render(full=True)
        self.figure.set_layout_engine("none")

    # -- to be written by each explorer -------------------------------------------------
    @staticmethod
    def compute(**values: Any) -> dict[str, Any]:
        raise NotImplementedError

    def build(self, figure) -> None:
        raise NotImplementedError

    def draw(self, result: dict[str, Any]) -> None:
        raise NotImplementedError

    def describe(self, result: dict[str, Any]) -> str:
        return self.title

    # -- the pattern --------------------------------------------------------------------
    def update(self, **values: Any) -> dict[str, Any]:
        """Set some controls, recompute, and redraw the figure in place; return the result."""
        self.values = self._checked(self.values, values)
        self.result = self.compute(**self.values)
        with plotting.style():
            self.draw(self.result)
        return self.result

    def animated(self, artist):
        """Mark an artist that ``draw`` changes; the rest of the figure is drawn only once.

        Called in ``build``. Only the marked artists are redrawn on an update (blitting), which
        keeps a slider move within a few milliseconds instead of a full matplotlib redraw.
        """
        artist.set_animated(True)
        artist.set_in_layout(False)
        self._dynamic.append(artist)
        return artist

    def readout(self, axes, x: float, y: float, **style):
        """An animated, empty text at axes coordinates (0 to 1) that ``draw`` fills in.

        Called in ``build``; aligned by its top edge unless ``style`` sets ``va``.
        """
        style.setdefault("va", "top")
        return self.animated(axes.text(x, y, "", transform=axes.transAxes, **style))

    def render(self, dpi: int = LIVE_DPI, full: bool = False) -> np.ndarray:
        """Draw the figure with the Agg renderer and return its pixels (height × width × 3).

        The static part is drawn once per resolution and cached; ``full=True`` redraws
        everything, as a change of layout would need.
        """
        return self._render_rgba(dpi, full)[..., :3]

    def _render_rgba(self, dpi: int = LIVE_DPI, full: bool = False) -> np.ndarray:
        """``render``'s pixels with the (opaque) alpha channel: Agg's buffer, not a copy."""
        if full or dpi != self.figure.dpi:
            self._backgrounds.clear()
        key = (dpi, self.background_state)
        if key in self._backgrounds:
            self._canvas.restore_region(self._backgrounds[key])
        else:
            with plotting.style():  # ticks and their labels are made at draw time
                self.figure.set_dpi(dpi)
                self._canvas.draw()  # everything but the animated artists
            self._backgrounds[key] = self._canvas.copy_from_bbox(self.figure.bbox)
        # The animated artists carry every property they were built with: drawing them reads
        # no style setting (and entering the style costs about 1 ms a frame).
        for artist in self._dynamic:
            self.figure.draw_artist(artist)
        return np.asarray(self._canvas.buffer_rgba())

    def png(self, dpi: int = LIVE_DPI, colors: int | None = None, level: int = 6) -> bytes:
        """The figure as it is now, as PNG bytes.

        ``colors`` reduces it to a palette of that many colours; ``level`` is zlib's
        compression level (1 is fastest, 6 Pillow's default, 9 smallest).
        """
        return plotting.png_bytes(self._render_rgba(dpi), colors=colors, level=level)

    def _checked(self, current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        return controls.checked(self.params, current, changes, type(self).__name__)

    # -- views --------------------------------------------------------------------------
    def widget(self):
        """The live view: one control per parameter and the figure, redrawn on every change."""
        return live_view.widget(self)

    def frame_values(self) -> dict[str, list]:
        """The values of each control that the kernel-free view pre-renders."""
        return static_view.frame_values(self)

    def static_html(self, dpi: int = BOOK_DPI, narrow: bool = True) -> str:
        """The kernel-free view: every combination of the book's control values, pre-rendered.

        The sliders pick which frame is visible, so the figure really changes without a kernel;
        with ``narrow``, each frame is drawn for phones too. The current values of the live
        explorer are restored afterwards.
        """
        return static_view.static_html(self, dpi, narrow)

    def narrow_layout(self, figure) -> None:
        """Adjust the built figure for the book's frames on phones (nothing by default).

        Called on a second explorer of this kind (narrow_view.narrow_twin) after its panels
        were stacked in one column of ``narrow_figsize`` and its small fonts raised, before the
        layout is solved: e.g. move a legend that would cover the data at that size.
        """

    def _repr_mimebundle_(self, include=None, exclude=None):
        # text/plain and one light PNG of the current state are what a stored notebook keeps
        # (GitHub, nbviewer and a JupyterLab that has not run the notebook show the PNG);
        # the widget view is the live one, and the frames are rendered only where wanted.
        bundle = {
            "text/plain": f"<{self.title}: {self.describe(self.result)}>",
            "image/png": base64.b64encode(self.png(colors=BOOK_COLORS)).decode("ascii"),
        }
        if static_views_wanted():
            bundle["text/html"] = self.static_html()
        live = self.widget()._repr_mimebundle_()
        bundle["application/vnd.jupyter.widget-view+json"] = live[
            "application/vnd.jupyter.widget-view+json"
        ]
        return bundle

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{type(self).__name__}({settings})"
