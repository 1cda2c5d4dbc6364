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

# The colour of each idea, the same in every explorer of the course.
FORWARD_COLOR = Q_COLOR  #: the forward-KL (mean-seeking) fit
REVERSE_COLOR = PALETTE["vermillion"]  #: the reverse-KL (mode-seeking) fit
KL_COLOR = PALETTE["purple"]  #: a KL divergence: the surprise paid on top of the ideal
SAVED_COLOR = PALETTE["green"]  #: surprise saved: the negative parts of a KL integrand
GREY = PALETTE["grey"]  #: reference lines, paths and secondary labels
INK = "#333333"  #: dark lines that are not a distribution (an integrand, a bound)

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


def text_box(pad: float = 0.25) -> dict:
    """The ``bbox`` of a label drawn over curves: a rounded, almost opaque white box."""
    return {
        "boxstyle": f"round,pad={pad}",
        "facecolor": "white",
        "edgecolor": "none",
        "alpha": 0.85,
    }


def ellipse(mean, cov, radius: float = 1.0, points: int = 121) -> np.ndarray:
    r"""Points, shape (2, ``points``), on the contour of a 2-D Gaussian N(mean, cov):

    .. math:: \{z : (z - \mu)^\top \Sigma^{-1} (z - \mu) = r^2\}
              = \{\mu + r L u : \lVert u \rVert = 1\}

    with L the Cholesky factor of Σ; r = 1, 2 are the 1 and 2 standard-deviation contours.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    t = np.linspace(0, 2 * np.pi, points)
    circle = np.stack([np.cos(t), np.sin(t)])
    return np.asarray(mean)[:, None] + radius * np.linalg.cholesky(cov) @ circle


def number(value, decimals: int | None = 3) -> str:
    """A number as text on a figure: ``decimals`` decimals, never '−0.000'.

    Rounding noise around zero (−1e-15) would print as −0.000; it prints as 0.000. With
    ``decimals=None``, floats get three significant digits (1.0 → '1', 0.05 → '0.05') and
    anything else (an integer, a choice) its ``str``, as the labels of a slider need.

    >>> number(-1e-15), number(2.04697, 2), number(0.25, None), number(20, None)
    ('0.000', '2.05', '0.25', '20')
    """
    if decimals is None:
        return f"{value:.3g}" if isinstance(value, float) else str(value)
    return f"{round(float(value), decimals) + 0.0:.{decimals}f}"


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
