"""One figure style and one colour-blind-safe palette for every figure of the course.

The palette is Okabe & Ito's (2008), which stays distinguishable under the common forms of
colour blindness. Figures always have an opaque white background so that they stay legible
on the book's dark theme.

Usage in a notebook::

    from coursekit import plotting
    plotting.use_style()            # once, at the top
    fig, ax = plotting.new_figure()  # a figure that is *not* registered with pyplot
"""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from PIL import Image

#: Okabe-Ito colours, by role. ``P`` is the true/data distribution, ``Q`` the model.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#7F7F7F",
}
P_COLOR = PALETTE["blue"]
Q_COLOR = PALETTE["orange"]
ACCENT = PALETTE["vermillion"]
CYCLE = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]

STYLE = {
    "figure.figsize": (6.4, 3.2),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "figure.constrained_layout.use": True,
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "axes.prop_cycle": mpl.cycler(color=CYCLE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "font.size": 10,
    "svg.hashsalt": "coursekit",  # deterministic SVG ids
}


def use_style() -> None:
    """Apply the course style to matplotlib globally (plots made with ``pyplot`` too)."""
    mpl.rcParams.update(STYLE)


def style():
    """A context manager that applies the course style only inside a ``with`` block."""
    return mpl.rc_context(STYLE)


def new_figure(
    nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None, **subplot_kw
):
    """Return ``(figure, axes)`` in the course style, not registered with pyplot.

    Explorers draw on such figures, so the notebook's inline backend never shows a second,
    static copy of an interactive figure.
    """
    with style():
        fig = Figure(figsize=figsize or STYLE["figure.figsize"], layout="constrained")
        axes = fig.subplots(nrows, ncols, **subplot_kw)
    return fig, axes


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """Render a whole figure to PNG bytes (white background, no metadata, so bytes are stable)."""
    buffer = io.BytesIO()
    with style():
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def png_bytes(pixels, colors: int | None = None) -> bytes:
    """Encode an RGB pixel array as PNG; ``colors`` quantises it to a palette of that size."""
    image = Image.fromarray(np.ascontiguousarray(pixels))
    if colors:
        image = image.quantize(colors, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="png")
    return buffer.getvalue()
