"""The kernel-free view on a phone (issue 12, item 3): every frame is drawn a second time for
narrow screens, with text that reads at 11 CSS px or more, over a static layer the page draws
once, behind controls that are at least 24 × 24 CSS px. The same view at phone width in a
browser is checked in tests/browser/test_book.py; that no text of the narrow frames collides,
in tests/test_figure_layout.py."""

import io
import itertools
import re

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from test_figure_layout import corners, hidden_tick_labels

from coursekit import explorers
from coursekit.explorers.narrow_view import (
    MIN_TEXT_PX,
    NARROW_DISPLAY_PX,
    NARROW_MEDIA,
    NARROW_WIDTH,
    figure_texts,
    fit_texts,
    narrow_font,
    narrow_twin,
    readout_stacks,
)
from coursekit.explorers.static_view import TARGET_PX

EXPLORERS = explorers.available()
PHONE_PX = 358  # the width a 390-px phone gives a frame in the book (390 less 2 × 16 margins)
DPI = 60  # the checks below hold at any resolution; a low one keeps them fast


def test_narrow_font_reads_min_text_px_at_the_design_width_and_on_a_390_px_phone():
    points = narrow_font(NARROW_WIDTH)
    for dpi in (40, 90, 200):
        image_px, image_width = points * dpi / 72, NARROW_WIDTH * dpi
        assert image_px * NARROW_DISPLAY_PX / image_width == pytest.approx(MIN_TEXT_PX)
        assert image_px * PHONE_PX / image_width >= 11.9
    assert narrow_font(2 * NARROW_WIDTH) == pytest.approx(2 * points)


def _drawn_texts(figure):
    hidden = hidden_tick_labels(figure)
    return [
        t
        for t in figure_texts(figure)
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]


@pytest.mark.parametrize("name", EXPLORERS)
def test_narrow_frames_stack_the_panels_and_no_text_is_small_or_cut(name):
    explorer = EXPLORERS[name]()
    wide_size = tuple(explorer.figure.get_size_inches())
    twin = narrow_twin(explorer, DPI)
    figure = twin.figure
    width = figure.get_size_inches()[0]
    assert width == (explorer.narrow_figsize or (NARROW_WIDTH,))[0]
    # One column: no panel lies beside another.
    boxes = [ax.get_position() for ax in figure.axes]
    for a, b in itertools.combinations(boxes, 2):
        assert a.x0 < b.x1 and b.x0 < a.x1, f"{name}: panels side by side on a phone"
    floor = narrow_font(width)
    stacks = readout_stacks(figure)
    twin.render(DPI)
    for values in corners(explorer.params):
        twin.update(**values)
        fit_texts(figure, stacks, changing=True)
        twin.render(DPI)
        renderer = figure.canvas.get_renderer()
        texts = _drawn_texts(figure)
        small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < floor]
        assert not small, f"{name} {values}: text under {floor:.2f} pt: {small[:5]}"
        for text in texts:
            box = text.get_window_extent(renderer)
            assert box.x0 >= -1 and box.x1 <= figure.bbox.width + 1, (
                f"{name} {values}: {text.get_text()!r} runs off the frame"
            )
    # The live explorer keeps its own figure.
    assert tuple(explorer.figure.get_size_inches()) == wide_size


def _png(data_uri: str) -> Image.Image:
    import base64

    return Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1])))


@pytest.fixture(scope="module")
def coin_page():
    explorer = EXPLORERS["coin"]()
    return explorer, explorer.static_html(dpi=DPI)


def test_every_frame_has_a_narrow_twin_shown_on_narrow_screens(coin_page):
    explorer, page = coin_page
    count = len(explorer.frame_values()["p"])
    pictures = re.findall(r"<picture>(.*?)</picture>", page)
    assert len(pictures) == count
    narrow, wide = [], []
    for picture in pictures:
        source = re.search(
            r'<source type="image/webp" media="([^"]+)" srcset="(data:image/webp;base64,[^"]+)" '
            r'data-ck-font-px="([0-9.]+)">',
            picture,
        )
        image = re.search(
            r'<img class="ck-frame" src="(data:image/png;base64,[^"]+)" alt="[^"]{20,}" '
            r'data-ck-font-px="([0-9.]+)"',
            picture,
        )
        assert source and image, picture[:200]
        assert source.group(1) == NARROW_MEDIA
        narrow.append(_png(source.group(2)))
        wide.append(_png(image.group(1)))
        # On a 390-px phone the narrow frame's smallest text reads at 11 CSS px or more.
        assert float(source.group(3)) * PHONE_PX / narrow[-1].width >= MIN_TEXT_PX
        assert float(source.group(3)) == pytest.approx(narrow_font(NARROW_WIDTH) * DPI / 72, 0.01)
    assert {im.width for im in narrow} == {round(NARROW_WIDTH * DPI)}
    assert len({im.tobytes() for im in narrow}) == count, "every narrow frame differs"
    assert all(im.height > im.width for im in narrow)  # the two panels one above the other
    assert all(im.width > im.height for im in wide)


def test_the_static_layer_under_the_narrow_frames_completes_them(coin_page):
    """Each narrow frame holds only what differs from the static layer; the page draws that
    layer under it (a CSS background of the same size), which together give the figure."""
    explorer, page = coin_page
    key = re.search(r'class="coursekit-static-explorer"[^>]* data-ck-base="([0-9a-f]+)"', page)
    assert key
    rule = re.search(
        r"@media ([^{]+)\{\.coursekit-static-explorer\[data-ck-base='"
        + key.group(1)
        + r"'\] img\.ck-frame\{background:#fff url\((data:image/png;base64,[^)]+)\) "
        r"0 0/100% 100% no-repeat\}\}",
        page,
    )
    assert rule and rule.group(1) == NARROW_MEDIA
    base = _png(rule.group(2)).convert("RGBA")
    twin = narrow_twin(explorer, DPI)
    stacks = readout_stacks(twin.figure)
    sources = re.findall(r'<source [^>]*srcset="(data:image/webp;base64,[^"]+)"', page)
    for p, uri in zip(explorer.frame_values()["p"], sources, strict=True):
        overlay = _png(uri).convert("RGBA")
        alpha = np.asarray(overlay)[..., 3]
        assert set(np.unique(alpha)) <= {0, 255}
        assert 0.3 < (alpha == 0).mean() < 1, "mostly the static layer shows through"
        shown = np.asarray(Image.alpha_composite(base, overlay))[..., :3].astype(int)
        twin.update(p=p)
        fit_texts(twin.figure, stacks)
        truth = twin.render(DPI).astype(int)
        # 64-colour palettes: near the original everywhere, exact almost everywhere.
        difference = np.abs(shown - truth).max(axis=-1)
        assert np.percentile(difference, 99) <= 40 and (difference <= 8).mean() > 0.97


def test_controls_are_touch_targets(coin_page):
    _, page = coin_page
    assert TARGET_PX >= 24  # WCAG 2.5.8
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert re.search(rf"input\[type=range\]\{{height:{TARGET_PX}px;min-width:{TARGET_PX}px", style)
    assert f"min-width:{TARGET_PX}px;min-height:{TARGET_PX}px" in style.split("button{")[1]
    assert f"@media {NARROW_MEDIA}{{" in style  # one control per line on a phone


def test_without_narrow_frames_the_page_is_the_wide_one():
    explorer = EXPLORERS["coin"]()
    page = explorer.static_html(dpi=40, narrow=False)
    assert "<source" not in page and "data-ck-base" not in page
    assert page.count('<img class="ck-frame"') == len(explorer.frame_values()["p"])
    assert re.search(r'data-ck-font-px="([0-9.]+)"', page)


def test_readouts_of_a_stack_move_apart_and_long_texts_wrap_inside_the_figure():
    figure = Figure(figsize=(4.5, 3), dpi=72)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.1, 0.1, 0.85, 0.8))
    top = ax.text(0.02, 0.95, "short", transform=ax.transAxes, va="top", fontsize=11)
    below = ax.text(0.02, 0.8, "second", transform=ax.transAxes, va="top", fontsize=11)
    long = ax.text(0.5, 0.3, "a line " * 20, transform=ax.transAxes, fontsize=11)
    figure.canvas.draw()
    stacks = readout_stacks(figure)
    assert [[text for text, _ in stack] for stack in stacks] == [[top, below]]
    top.set_text("a first readout\nof two lines")
    fit_texts(figure, stacks)
    renderer = figure.canvas.get_renderer()
    assert below.get_position()[1] < 0.8
    assert below.get_window_extent(renderer).y1 < top.get_window_extent(renderer).y0
    assert "\n" in long.get_text()
    assert long.get_window_extent(renderer).x1 <= figure.bbox.x1
    # The stack goes back to its place when the texts shrink again.
    top.set_text("short")
    fit_texts(figure, stacks)
    assert below.get_position()[1] == pytest.approx(0.8)
    fit_texts(figure)  # no stacks: wrapping only
