"""The drawing helpers shared by the explorers (plotting) and the parts of the explorer pattern
(controls, static view, live view)."""

import doctest

import numpy as np
import pytest

import coursekit.plotting
from coursekit import explorers, plotting
from coursekit.explorers import base, controls, live_view, static_view

# -- plotting: ellipse, number, colours, text box -------------------------------------------------


@pytest.mark.parametrize("radius", [1.0, 2.0])
def test_ellipse_points_lie_on_the_mahalanobis_contour(radius):
    mean, cov = np.array([1.0, 2.0]), np.array([[2.0, 0.9], [0.9, 1.0]])
    points = plotting.ellipse(mean, cov, radius, points=50)
    assert points.shape == (2, 50)
    d = points.T - mean
    np.testing.assert_allclose(np.einsum("ni,ij,nj->n", d, np.linalg.inv(cov), d), radius**2)
    np.testing.assert_allclose(points[:, 0], points[:, -1])  # a closed curve


def test_number_never_prints_minus_zero():
    assert plotting.number(-1e-15) == "0.000"
    assert plotting.number(-0.0004, 3) == "0.000"
    assert plotting.number(2.04697, 2) == "2.05"
    assert plotting.number(-3.0, 1) == "-3.0"
    assert plotting.number(0.3, None) == "0.3"
    assert plotting.number(1.0, None) == "1"
    assert plotting.number(200, None) == "200"
    assert plotting.number("Bob", None) == "Bob"


def test_colour_vocabulary_is_the_palette():
    palette = set(plotting.PALETTE.values())
    for name in ("P_COLOR", "Q_COLOR", "FORWARD_COLOR", "REVERSE_COLOR", "KL_COLOR", "GREY"):
        assert getattr(plotting, name) in palette, name
    assert plotting.SAVED_COLOR == plotting.PALETTE["green"]
    assert plotting.FORWARD_COLOR != plotting.REVERSE_COLOR


def test_text_box():
    assert plotting.text_box()["boxstyle"] == "round,pad=0.25"
    assert plotting.text_box(0.3)["boxstyle"] == "round,pad=0.3"


def test_plotting_docstring_examples():
    result = doctest.testmod(coursekit.plotting)
    assert result.attempted >= 1 and result.failed == 0


# -- controls -------------------------------------------------------------------------------------

FLOAT = {"min": 0.0, "max": 1.0, "value": 0.3, "step": 0.25}
INTEGER = {"min": 2, "max": 8, "value": 4, "step": 2}
CHOICE = {"options": ["a", "b"], "value": "a"}


def test_slider_values_and_integer_controls():
    assert controls.slider_values(FLOAT) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert controls.slider_values(INTEGER) == [2, 4, 6, 8]
    assert all(type(v) is int for v in controls.slider_values(INTEGER))
    assert controls.is_integer_control(INTEGER) and not controls.is_integer_control(FLOAT)
    assert controls.slider_values({"min": 0.0, "max": 0.95, "value": 0.9, "step": 0.05})[6] == 0.3
    assert controls.cache_key(0.1 + 0.2) == controls.cache_key(0.3)


def test_checked_converts_and_rejects_values():
    params = {"x": FLOAT, "n": INTEGER, "c": CHOICE}
    current = {"x": 0.3, "n": 4, "c": "a"}
    merged = controls.checked(params, current, {"n": 6.0, "c": "b"}, "Demo")
    assert merged == {"x": 0.3, "n": 6, "c": "b"} and type(merged["n"]) is int
    assert current == {"x": 0.3, "n": 4, "c": "a"}  # not changed in place
    with pytest.raises(ValueError, match="Demo has no control named 'y'"):
        controls.checked(params, current, {"y": 1}, "Demo")
    with pytest.raises(ValueError, match="outside the control's range"):
        controls.checked(params, current, {"x": 2.0}, "Demo")
    with pytest.raises(ValueError, match="not one of the choices"):
        controls.checked(params, current, {"c": "z"}, "Demo")
    with pytest.raises(ValueError, match="x must be a number"):
        controls.checked(params, current, {"x": "high"}, "Demo")


# -- the two views are the explorer's methods -----------------------------------------------------


def test_views_live_in_their_own_modules_and_the_explorer_delegates():
    explorer = explorers.CoinExplorer()
    assert explorer.frame_values() == static_view.frame_values(explorer)
    assert explorer.static_html(dpi=40) == static_view.static_html(explorer, dpi=40)
    box = live_view.widget(explorer)
    assert "coursekit-explorer" in box._dom_classes
    assert type(explorer.widget()) is type(box)
    # base keeps the names that coursekit.cli and the tests import from it
    assert base.STATIC_VIEWS_VARIABLE == "COURSEKIT_STATIC_EXPLORERS"
    assert base.MAX_FRAMES == static_view.MAX_FRAMES


def test_readout_is_an_animated_text_in_axes_coordinates():
    explorer = explorers.CoinExplorer()
    axes = explorer.figure.axes[0]
    text = explorer.readout(axes, 0.1, 0.9, fontsize=8)
    assert text.get_transform() is axes.transAxes
    assert text.get_va() == "top" and text.get_animated() and text in explorer._dynamic
    assert explorer.readout(axes, 0.1, 0.1, va="baseline").get_va() == "baseline"


def test_explorers_are_grouped_by_lecture():
    for name, cls in explorers.available().items():
        module = cls.__module__.rsplit(".", 1)[1]
        assert module.startswith("lecture"), name
        assert f"lecture {module[-2:]}" in cls.__doc__, name
