"""One figure style and one colour-blind-safe palette for every figure of the course.

The palette is Okabe & Ito's (2008), which stays distinguishable under the common forms of
colour blindness. Figures always have an opaque white background so that they stay legible
on the book's dark theme. Lines and fills use the palette; text uses :func:`text_color`, a
darker shade of the same hue that reads on white (WCAG AA, contrast ≥ 4.5:1), because the
lighter palette colours (orange 2.25:1, purple 3.06:1, green 3.42:1) do not.

Usage in a notebook::

    from coursekit import plotting
    plotting.use_style()            # once, at the top
    fig, ax = plotting.new_figure()  # a figure that is *not* registered with pyplot
"""

from __future__ import annotations

import colorsys
import functools
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

#: The least contrast ratio of text against the white figure background: WCAG 2 level AA for
#: normal text (https://www.w3.org/TR/WCAG21/#contrast-minimum).
TEXT_CONTRAST = 4.5
#: The contrast that :func:`text_color` aims at: a little above AA, so that anti-aliasing and the
#: book's 64-colour frames do not take a text below it.
_TEXT_TARGET = 4.6


def relative_luminance(color) -> float:
    """WCAG 2 relative luminance of a colour (any matplotlib colour), 0 for black, 1 for white.

    L = 0.2126 R + 0.7152 G + 0.0722 B with each sRGB channel c linearised as c/12.92 for
    c ≤ 0.04045, ((c + 0.055)/1.055)^2.4 above.
    """
    channels = np.asarray(mpl.colors.to_rgb(color), dtype=float)
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(color, background="white") -> float:
    """WCAG 2 contrast ratio (L_light + 0.05)/(L_dark + 0.05), from 1 (none) to 21.

    >>> round(contrast_ratio("#E69F00"), 2), round(contrast_ratio("#0072B2"), 2)
    (2.25, 5.19)
    """
    a, b = sorted((relative_luminance(color), relative_luminance(background)))
    return (b + 0.05) / (a + 0.05)


@functools.cache
def _text_shade(color: str) -> str:
    if contrast_ratio(color) >= _TEXT_TARGET:
        return color
    hue, lightness, saturation = colorsys.rgb_to_hls(*mpl.colors.to_rgb(color))
    low, high = 0.0, lightness  # darker only: the largest lightness that reaches the target
    for _ in range(40):
        middle = (low + high) / 2
        if contrast_ratio(colorsys.hls_to_rgb(hue, middle, saturation)) >= _TEXT_TARGET:
            low = middle
        else:
            high = middle
    shade = mpl.colors.to_hex(colorsys.hls_to_rgb(hue, low, saturation)).upper()
    while contrast_ratio(shade) < _TEXT_TARGET:  # rounding to 8 bits may lighten it a little
        low -= 0.002
        shade = mpl.colors.to_hex(colorsys.hls_to_rgb(hue, low, saturation)).upper()
    return shade


def text_color(color) -> str:
    """The colour to write text in for a line or fill drawn in ``color``: the same hue, darkened
    (lower HLS lightness, same saturation) just enough to be read on white (contrast ≥ 4.6:1,
    above WCAG AA's 4.5:1). Colours that already reach it are returned unchanged.

    Lines and fills keep the Okabe-Ito palette; every coloured text of a figure goes through
    this function (the shades of the palette are in :data:`TEXT_PALETTE`).

    >>> text_color(Q_COLOR), text_color(P_COLOR)
    ('#9C6C00', '#0072B2')

    Introduced in lecture 01 (Surprise and entropy).
    """
    return _text_shade(mpl.colors.to_hex(color).upper())


#: The text shade of every palette colour (see :func:`text_color`).
TEXT_PALETTE = {name: text_color(value) for name, value in PALETTE.items()}

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


def png_bytes(pixels, colors: int | None = None, level: int = 6) -> bytes:
    """Encode an RGB pixel array as PNG; ``colors`` quantises it to a palette of that size.

    An RGBA array (an opaque Agg buffer) is encoded as RGB without copying it first;
    ``level`` is zlib's compression level (1 fastest, 6 Pillow's default, 9 smallest).
    """
    pixels = np.asarray(pixels)
    if pixels.ndim == 3 and pixels.shape[2] == 4 and pixels.flags.c_contiguous:
        image = Image.frombuffer("RGBA", pixels.shape[1::-1], pixels, "raw", "RGBA", 0, 1)
        image = image.convert("RGB")
    else:
        image = Image.fromarray(np.ascontiguousarray(pixels))
    if colors:
        image = image.quantize(colors, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=level)
    return buffer.getvalue()
