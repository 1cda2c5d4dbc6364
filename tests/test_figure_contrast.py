"""Figures whose words can be read: every text has a contrast of at least 4.5:1 (WCAG 2, level
AA) against the figures' white background, while lines and fills keep the colour-blind-safe
Okabe-Ito palette.

Figures always have an opaque white background, in the book's light and dark mode alike, so
white is the background every text is read against. Each explorer is drawn at its default and
at the corners of its parameter range, and every visible text (titles, axis and tick labels,
legend entries, readouts, annotations) is checked with its alpha blended onto white.
"""

import numpy as np
import pytest
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.text import Text
from test_figure_layout import corners

from coursekit import explorers, plotting

EXPLORERS = explorers.available()
AA = 4.5


def luminance(rgb) -> float:
    """WCAG 2 relative luminance of an sRGB colour (channels 0 to 1)."""
    c = np.asarray(rgb, dtype=float)
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_on_white(rgb) -> float:
    return (1.0 + 0.05) / (luminance(rgb) + 0.05)


def seen_color(text: Text) -> np.ndarray:
    """The colour a text shows on white: its RGB with its alpha blended onto white."""
    r, g, b, a = to_rgba(text.get_color(), text.get_alpha())
    return a * np.array([r, g, b]) + (1 - a) * np.ones(3)


def faint_texts(figure) -> list[str]:
    found = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        ratio = contrast_on_white(seen_color(text))
        if ratio < AA:
            found.append(f"{text.get_text()!r} in {text.get_color()} has contrast {ratio:.2f}:1")
    return found


def states(explorer) -> list[dict]:
    default = {name: spec["value"] for name, spec in explorer.params.items()}
    return [default, *corners(explorer.params)]


def test_wcag_formula_on_known_values():
    assert contrast_on_white(to_rgb("black")) == pytest.approx(21.0)
    assert contrast_on_white(to_rgb("white")) == pytest.approx(1.0)
    assert contrast_on_white(to_rgb("#E69F00")) == pytest.approx(2.25, abs=0.01)  # the issue's
    assert contrast_on_white(to_rgb("#767676")) == pytest.approx(4.54, abs=0.01)  # AA's grey


@pytest.mark.parametrize("name", plotting.PALETTE)
def test_every_palette_colour_has_a_readable_text_shade_of_the_same_hue(name):
    line = plotting.PALETTE[name]
    text = plotting.TEXT_PALETTE[name]
    assert plotting.text_color(line) == text
    assert contrast_on_white(to_rgb(text)) >= AA
    assert plotting.contrast_ratio(text) == pytest.approx(contrast_on_white(to_rgb(text)))
    if contrast_on_white(to_rgb(line)) >= 4.6:
        assert text == line.upper()  # dark enough already: unchanged
    else:
        import colorsys

        h_line, l_line, s_line = colorsys.rgb_to_hls(*to_rgb(line))
        h_text, l_text, s_text = colorsys.rgb_to_hls(*to_rgb(text))
        assert l_text < l_line
        if s_line > 0:  # a grey has no hue to keep
            assert abs(h_text - h_line) < 0.01 and abs(s_text - s_line) < 0.02


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_text_reads_on_white_at_the_default_and_the_corners(name):
    explorer = EXPLORERS[name]()
    problems = []
    for values in states(explorer):
        explorer.update(**values)
        explorer.render(full=True)
        problems += [f"{values}: {p}" for p in faint_texts(explorer.figure)]
    assert not problems, f"{name}:\n" + "\n".join(dict.fromkeys(problems))


#: Colours a line or a fill may have besides the palette: dark ink and white separators.
NEUTRAL = {plotting.INK.upper(), "#FFFFFF"}


def drawn_colors(figure) -> set[str]:
    """The RGB colours (alpha dropped) of every line, patch and collection of the data."""
    colors = []
    for axes in figure.axes:
        for line in axes.get_lines():
            colors += [line.get_color(), line.get_markerfacecolor(), line.get_markeredgecolor()]
        for patch in axes.patches:
            colors += [patch.get_facecolor(), patch.get_edgecolor()]
        for collection in axes.collections:
            colors += list(collection.get_facecolor()) + list(collection.get_edgecolor())
    rgba = [to_rgba(c) for c in colors if not (isinstance(c, str) and c == "none")]
    return {plotting.mpl.colors.to_hex(c[:3]).upper() for c in rgba if c[3] > 0}


@pytest.mark.parametrize("name", EXPLORERS)
def test_lines_and_fills_keep_the_palette(name):
    explorer = EXPLORERS[name]()
    allowed = {c.upper() for c in plotting.PALETTE.values()} | NEUTRAL
    used = set()
    for values in states(explorer):
        explorer.update(**values)
        used |= drawn_colors(explorer.figure)
    assert used <= allowed, f"{name} draws in {sorted(used - allowed)}, outside the palette"
