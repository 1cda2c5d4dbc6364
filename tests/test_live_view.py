"""The live view's fast path stays correct: the picture is always that of the controls.

Unit tests, no browser: the kernel side of a widget is driven as ipywidgets' comm handler
drives it (``set_state`` with the front end's values). benchmarks/bench_lab_latency.py
measures the speed in JupyterLab; these tests check what the speed-ups must not change.
"""

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from coursekit import explorers, plotting
from coursekit.explorers import live_view, text_cache
from coursekit.explorers.controls import random_values

EXPLORERS = explorers.available()


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def controls_of(box) -> dict:
    return {child.description_key: child for child in box.children[0].children}


@pytest.mark.parametrize("name", EXPLORERS)
def test_a_burst_of_changes_ends_with_the_picture_of_the_last_values(name):
    """Messages as a drag sends them (echo and all): the last frame is the controls' values."""
    rng = np.random.default_rng(14)
    explorer = EXPLORERS[name]()
    box = explorer.widget()
    image, readout = box.children[1], box.children[2]
    controls = controls_of(box)
    for _ in range(12):
        values = random_values(explorer.params, rng)
        key = list(values)[rng.integers(len(values))]
        controls[key].set_state({"value": values[key]})  # what the comm handler calls
    shown = {key: control.value for key, control in controls.items()}
    fresh = EXPLORERS[name](**shown)
    shown_png = live_view.png_of(image)
    np.testing.assert_array_equal(pixels(shown_png), pixels(live_view.frame_bytes(fresh)))
    assert readout.value == live_view.html.escape(fresh.describe(fresh.result))
    assert explorer.values == fresh.values


def test_the_picture_follows_every_control_not_only_the_one_that_moved():
    explorer = explorers.ForwardReverseExplorer()
    box = explorer.widget()
    controls = controls_of(box)
    controls["d"].value = 1.0
    explorer.update(w=0.9)  # changed behind the widget's back: the sliders still show 0.5
    controls["d"].value = 2.0
    fresh = explorers.ForwardReverseExplorer(d=2.0, w=0.5)
    np.testing.assert_array_equal(
        pixels(live_view.png_of(box.children[1])), pixels(live_view.frame_bytes(fresh))
    )


def test_a_change_to_the_value_already_drawn_draws_nothing(monkeypatch):
    explorer = explorers.CoinExplorer()
    box = explorer.widget()
    calls = []
    monkeypatch.setattr(explorer, "update", lambda **v: calls.append(v))
    slider = controls_of(box)["p"]
    slider.set_state({"value": explorer.values["p"]})
    assert calls == []


@pytest.mark.parametrize("name", EXPLORERS)
def test_cached_text_draws_exactly_what_matplotlib_draws(name):
    """The text cache (layouts, glyph bitmaps) is pixel-identical to matplotlib's own Agg."""
    assert text_cache.SUPPORTED, f"matplotlib {matplotlib.__version__}: the cache is off"
    rng = np.random.default_rng(3)
    cached, plain = EXPLORERS[name](), EXPLORERS[name]()
    plain._canvas = FigureCanvasAgg(plain.figure)
    plain._backgrounds.clear()
    assert isinstance(cached._canvas.get_renderer(), text_cache.CachedTextRenderer)
    for k in range(6):
        values = random_values(cached.params, rng)
        cached.update(**values)
        plain.update(**values)
        full = k % 3 == 0
        np.testing.assert_array_equal(cached.render(full=full), plain.render(full=full))


def test_the_image_widget_carries_the_frame_as_a_data_url():
    explorer = explorers.CoinExplorer()
    image = explorer.widget().children[1]
    assert image.format == "url" and bytes(image.value).startswith(b"data:image/png;base64,")
    assert live_view.png_of(image) == live_view.frame_bytes(explorer)


def test_live_frames_are_small_palette_pngs_close_to_the_rendering():
    explorer = explorers.VIStepsExplorer()
    data = live_view.frame_bytes(explorer)
    image = Image.open(io.BytesIO(data))
    assert image.mode == "P" and len(image.getpalette()) // 3 <= live_view.LIVE_COLORS
    difference = np.abs(pixels(data).astype(int) - explorer.render().astype(int))
    assert difference.mean() < 2 and difference.max() < 40
    assert len(data) < len(explorer.png()) * 0.7


def test_png_bytes_takes_the_agg_buffer_as_it_is():
    explorer = explorers.CoinExplorer()
    rgba = np.asarray(explorer._canvas.buffer_rgba())
    assert plotting.png_bytes(rgba) == plotting.png_bytes(explorer.render())
    assert plotting.png_bytes(rgba, level=1) != plotting.png_bytes(rgba, level=9)


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_slider_is_as_wide_as_its_label_and_a_track(name):
    box = EXPLORERS[name]().widget()
    for control in controls_of(box).values():
        if hasattr(control, "readout_format"):
            assert f"{len(control.description)}ch" in control.layout.width, control.description
