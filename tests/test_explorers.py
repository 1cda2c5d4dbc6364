"""Every explorer builds headless, updates for random control values, and has working views."""

import base64
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

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
