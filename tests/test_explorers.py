"""Every explorer builds headless, updates for random control values, and has working views."""

import base64
import itertools
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.text import Text
from test_figure_layout import corners

from coursekit import explorers
from coursekit.explorers.base import MAX_FRAMES, Explorer

EXPLORERS = explorers.available()


def control_values(spec):
    """A strategy for the values one control can take."""
    if "options" in spec:
        return st.sampled_from(spec["options"])
    count = int(round((spec["max"] - spec["min"]) / spec["step"]))
    return st.integers(0, count).map(
        lambda k: type(spec["value"])(min(spec["min"] + k * spec["step"], spec["max"]))
    )


_BUILT = {}


def _built(name):
    """One explorer per class, shared by the examples of a property test (building is slow)."""
    if name not in _BUILT:
        _BUILT[name] = EXPLORERS[name]()
    return _BUILT[name]


def test_available_maps_names_to_explorer_classes():
    assert len(EXPLORERS) >= 3
    for name, cls in EXPLORERS.items():
        assert issubclass(cls, Explorer)
        assert cls.name == name
        assert cls.title and cls.__doc__


@pytest.mark.parametrize("name", EXPLORERS)
def test_params_follow_the_documented_format(name):
    for control, spec in EXPLORERS[name].params.items():
        if "options" in spec:
            assert spec["value"] in spec["options"], control
        else:
            assert {"min", "max", "value", "step"} <= set(spec), control
            assert spec["min"] <= spec["value"] <= spec["max"], control
            assert spec["step"] > 0, control


@pytest.mark.parametrize("name", EXPLORERS)
def test_builds_with_no_arguments_on_a_matplotlib_figure(name):
    explorer = EXPLORERS[name]()
    assert isinstance(explorer.figure, Figure)
    assert explorer.values == {k: s["value"] for k, s in explorer.params.items()}
    pixels = explorer.render()
    assert pixels.ndim == 3 and pixels.shape[2] == 3
    assert pixels.std() > 0  # something is drawn


@pytest.mark.parametrize("name", EXPLORERS)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_updates_for_random_values_and_redraws_in_place(name, data):
    explorer = _built(name)
    figure, axes = explorer.figure, list(explorer.figure.axes)
    values = {k: data.draw(control_values(s), label=k) for k, s in explorer.params.items()}
    result = explorer.update(**values)
    assert isinstance(result, dict) and result
    assert explorer.figure is figure and explorer.figure.axes == axes  # in place
    assert explorer.describe(result)
    # The cached (blitted) drawing equals a full redraw from scratch.
    np.testing.assert_array_equal(explorer.render(), explorer.render(full=True))


@pytest.mark.parametrize("name", EXPLORERS)
def test_moving_each_control_changes_the_figure(name):
    explorer = EXPLORERS[name]()
    for control, spec in explorer.params.items():
        before = explorer.render().copy()
        if "options" in spec:
            other = next(o for o in spec["options"] if o != explorer.values[control])
        else:
            other = spec["max"] if explorer.values[control] != spec["max"] else spec["min"]
        explorer.update(**{control: other})
        assert not np.array_equal(before, explorer.render()), control


@pytest.mark.parametrize("name", EXPLORERS)
def test_bad_control_values_raise_a_clear_error(name):
    explorer = EXPLORERS[name]()
    with pytest.raises(ValueError, match="no control named"):
        explorer.update(nonsense=1)
    control, spec = next(iter(explorer.params.items()))
    bad = "not a choice" if "options" in spec else spec["max"] + 10 * spec["step"]
    with pytest.raises(ValueError, match=control):
        explorer.update(**{control: bad})


@pytest.mark.parametrize("name", EXPLORERS)
def test_kernel_free_view_has_one_distinct_described_frame_per_combination(name):
    explorer = EXPLORERS[name]()
    grids = explorer.frame_values()
    count = int(np.prod([len(v) for v in grids.values()]))
    assert 2 <= count <= MAX_FRAMES
    page = explorer.static_html()
    frames = re.findall(
        r'<img class="ck-frame" src="data:image/png;base64,([^"]+)" alt="([^"]+)"', page
    )
    assert len(frames) == count
    assert len({data for data, _ in frames}) == count, "every frame shows a different picture"
    assert all(len(alt) > 20 and "Figure size" not in alt for _, alt in frames)
    assert page.count(" hidden") == count - 1  # exactly one frame visible
    assert len(re.findall(r'type="range"', page)) == len(explorer.params)
    # Rendering the frames leaves the explorer where it was.
    assert explorer.values == {k: s["value"] for k, s in explorer.params.items()}


@pytest.mark.parametrize("name", EXPLORERS)
def test_live_widget_redraws_when_a_slider_moves(name):
    explorer = EXPLORERS[name]()
    box = explorer.widget()
    controls = [child for row in box.children[:1] for child in row.children]
    image = box.children[1]
    assert len(controls) == len(explorer.params)
    before = image.value
    slider = controls[0]
    spec = explorer.params[slider.description_key]
    slider.value = spec["options"][-1] if "options" in spec else spec["max"]
    assert image.value != before
    assert explorer.values[slider.description_key] == slider.value


@pytest.mark.parametrize("name", EXPLORERS)
def test_notebook_display_offers_widget_and_kernel_free_views(name, monkeypatch):
    monkeypatch.setenv("COURSEKIT_STATIC_EXPLORERS", "1")
    bundle = EXPLORERS[name]()._repr_mimebundle_()
    assert set(bundle) == {
        "application/vnd.jupyter.widget-view+json",
        "image/png",
        "text/html",
        "text/plain",
    }
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert "model_id" in bundle["application/vnd.jupyter.widget-view+json"]
    assert not re.search(r"0x[0-9a-f]{6,}", bundle["text/plain"])
    assert "<script>" in bundle["text/html"] and "https://" not in bundle["text/html"]


def test_live_sessions_skip_the_kernel_free_view(monkeypatch):
    monkeypatch.delenv("COURSEKIT_STATIC_EXPLORERS", raising=False)
    bundle = explorers.CoinExplorer()._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"}
    monkeypatch.setenv("COURSEKIT_STATIC_EXPLORERS", "0")
    assert "text/html" not in explorers.CoinExplorer()._repr_mimebundle_()


def test_show_builds_by_name_and_rejects_unknown_names():
    assert isinstance(explorers.show("coin", p=0.5), explorers.CoinExplorer)
    with pytest.raises(ValueError, match="no explorer called"):
        explorers.show("nope")


def test_coin_explorer_numbers():
    result = explorers.CoinExplorer().update(p=0.5)
    assert result["entropy"] == pytest.approx(1.0)
    np.testing.assert_allclose(result["surprise"], [1.0, 1.0])
    assert np.isinf(explorers.CoinExplorer(p=0.0).result["surprise"][0])


@pytest.mark.parametrize(("p", "certain"), [(0.0, 1), (1.0, 0)])
def test_coin_explorer_prints_zero_surprise_without_a_sign(p, certain):
    # info.surprise(1.0) is -0.0; the figure and the readout say 0.00 whatever the maths gives.
    coin = explorers.CoinExplorer(p=p)
    assert coin.bar_labels[certain].get_text() == "0.00"
    assert coin.bar_labels[1 - certain].get_text() == "∞"
    assert coin.entropy_text.get_text() == "H = 0.000 bits"
    assert "-0.0" not in coin.describe(coin.result) and "0.00 bits" in coin.describe(coin.result)


def test_categorical_explorer_labels_the_entropy_and_its_maximum():
    explorer = explorers.CategoricalExplorer(n=8, s=0.0)
    assert explorer.h_text.get_text().endswith("H = 3.00")
    assert explorer.max_text.get_text().endswith("log₂ n = 3.00")
    explorer.update(n=2, s=3.0)
    assert explorer.h_text.get_text().endswith("H = 0.28")
    assert explorer.max_text.get_text().endswith("log₂ n = 1.00")


def test_categorical_explorer_is_uniform_at_zero_concentration():
    result = explorers.CategoricalExplorer(n=8, s=0.0).result
    assert result["entropy"] == pytest.approx(3.0)
    assert result["max"] == pytest.approx(3.0)


def test_gaussian_entropy_explorer_crosses_zero_where_the_notes_say():
    explorer = explorers.GaussianEntropyExplorer()
    assert explorer.update(sigma=1.0)["entropy"] == pytest.approx(1.418939, abs=1e-6)
    assert explorer.update(sigma=0.2)["entropy"] < 0 < explorer.update(sigma=0.25)["entropy"]


# -- what every explorer says: one sentence, no "-0.000" -----------------------------------------

#: A number that rounds to zero printed with a minus sign: -0, -0.0, −0.000 (not -0.05).
MINUS_ZERO = re.compile(r"[-−]0(?:\.0+)?(?!\.?\d)")


def said_states(cls) -> list[dict]:
    """The default, the corners of the range and every frame of the book, by control values."""
    explorer = _built(cls.name)
    grids = explorer.frame_values()
    combos = itertools.product(*grids.values())
    frames = [dict(zip(grids, values, strict=True)) for values in combos]
    default = {k: s["value"] for k, s in cls.params.items()}
    return [default, *corners(cls.params), *frames]


@pytest.mark.parametrize("name", EXPLORERS)
def test_describe_is_one_sentence_and_no_text_shows_minus_zero(name):
    explorer = _built(name)
    for values in said_states(EXPLORERS[name]):
        result = explorer.update(**values)
        text = explorer.describe(result)
        assert text.endswith(".") and not re.search(r"[.!?]\s", text[:-1]), (values, text)
        assert not MINUS_ZERO.search(text), (values, text)
        assert "\n" not in text and "nan" not in text.lower(), (values, text)
        shown = [t.get_text() for t in explorer.figure.findobj(Text) if t.get_visible()]
        assert not [t for t in shown if MINUS_ZERO.search(t)], values


def test_minus_zero_pattern():
    assert all(MINUS_ZERO.search(t) for t in ("-0.000 nats", "is −0.00.", "(-0, 1)", "-0.0%"))
    assert not any(MINUS_ZERO.search(t) for t in ("-0.05", "−0.50", "10-0.5", "0.000", "-1.0"))


# -- lecture 01 after the cold read ---------------------------------------------------------------


def test_coin_and_entropy_markers_are_drawn_whole_on_the_edges():
    coin = explorers.CoinExplorer(p=1.0)
    assert not coin.marker.get_clip_on()
    assert coin.marker.get_xdata()[0] == 1.0
    gaussian = explorers.GaussianEntropyExplorer(sigma=3.0)
    assert not gaussian.marker.get_clip_on()


@pytest.mark.parametrize("n", [2, 4, 8])
def test_categorical_explorer_shows_only_its_n_outcomes(n):
    explorer = explorers.CategoricalExplorer(n=n, s=0.5)
    axes = explorer.figure.axes[0]
    assert not axes.get_xticks().size  # the outcomes are numbered by the explorer, not the axis
    shown = [t.get_text() for t in explorer.outcomes if t.get_visible() and t.get_text()]
    assert shown == [str(i) for i in range(1, n + 1)]
    bars = [bar for bar in explorer.bars if bar.get_visible()]
    assert len(bars) == n and all(bar.get_height() > 0 for bar in bars)
    low, high = axes.get_xlim()
    centres = [bar.get_x() + bar.get_width() / 2 for bar in bars]
    # spread over the whole axis, each number under its bar
    assert centres[0] - low == pytest.approx(high - centres[-1])
    assert centres == pytest.approx([t.get_position()[0] for t in explorer.outcomes[:n]])
    np.testing.assert_array_equal(explorer.render(), explorer.render(full=True))


def test_categorical_describe_gives_probabilities_to_three_decimals():
    uniform = explorers.CategoricalExplorer(n=8, s=0.0)
    assert "0.125, 0.125" in uniform.describe(uniform.result) and "0.12," not in uniform.describe(
        uniform.result
    )
    steep = explorers.CategoricalExplorer(n=8, s=3.0)
    assert "0.950, 0.047, 0.002, < 0.001" in steep.describe(steep.result)


@pytest.mark.parametrize(("sigma", "peak"), [(0.05, "7.98"), (0.1, "3.99"), (1.0, "0.40")])
def test_gaussian_entropy_explorer_prints_the_peak_and_marks_the_cut(sigma, peak):
    explorer = explorers.GaussianEntropyExplorer(sigma=sigma)
    top = explorer.figure.axes[0].get_ylim()[1]
    cut = 1 / (sigma * np.sqrt(2 * np.pi)) > top
    assert f"= {peak}" in explorer.peak_text.get_text()
    assert ("above the top" in explorer.peak_text.get_text()) == cut
    assert len(explorer.cut.get_xdata()) == int(cut)
    assert f"peak density {peak}" in explorer.describe(explorer.result)


def test_gaussian_entropy_peak_readout_stays_clear_of_every_density():
    # The readout stands left of x = −1, where p(x) ≤ 1/(|x|√(2πe)) < 0.25 for every σ.
    explorer = explorers.GaussianEntropyExplorer()
    axes = explorer.figure.axes[0]
    renderer = explorer.figure.canvas.get_renderer()
    box = explorer.peak_text.get_window_extent(renderer).transformed(axes.transData.inverted())
    assert box.x1 < -1 and box.y0 > 0.25
