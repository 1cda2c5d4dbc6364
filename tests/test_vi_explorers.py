"""The explorers of lectures 06 and 07: what they say, against the maths layer.

The generic checks (blitting, controls, kernel-free frames) run over every registered explorer
in test_explorers.py.
"""

import numpy as np
import pytest

from coursekit import explorers
from coursekit.divergences import alpha_divergence, fit_alpha, hellinger_squared
from coursekit.explorers import lecture07
from coursekit.explorers.lecture06 import VIStepsExplorer
from coursekit.explorers.lecture07 import AlphaFitExplorer
from coursekit.gaussians import Gaussian, Mixture
from coursekit.vi import LogisticRegression2D, fit_gaussian_vi


def test_registered_under_their_names():
    available = explorers.available()
    assert available["vi_steps"] is VIStepsExplorer
    assert available["alpha_fit"] is AlphaFitExplorer


@pytest.fixture(scope="module")
def vi_steps():
    return VIStepsExplorer()


@pytest.fixture(scope="module")
def alpha_fit():
    return AlphaFitExplorer()


def test_vi_steps_show_the_seeded_run_and_the_exact_gap(vi_steps):
    model = LogisticRegression2D()
    grid = model.grid_posterior()
    wide = model.grid_posterior(401, 15.0)  # holds the mass of the initial q = N(0, I) too
    run = fit_gaussian_vi(model, "full", steps=200, rng=0)
    for step in (0, 20, 200):
        r = vi_steps.update(step=step, family="full")
        np.testing.assert_allclose(r["mean"], run.means[step])
        assert r["elbo"] == pytest.approx(run.elbo[step])
        assert r["log_evidence"] == pytest.approx(grid.log_evidence, abs=1e-9)
        assert r["gap"] == pytest.approx(wide.kl_from(r["mean"], r["cov"]), abs=1e-4)
        assert len(r["trace"]) == step + 1
        assert f"{r['gap']:.3f} nats" in vi_steps.describe(r)
    assert vi_steps.update(step=0)["gap"] == pytest.approx(12.035, abs=1e-3)
    # The docstring: "the full-covariance q ends about 0.008 nats below log p(D)" (0.0083).
    assert vi_steps.update(step=200)["gap"] == pytest.approx(0.008, abs=5e-4)
    assert "about 0.008 nats below" in " ".join(type(vi_steps).__doc__.split())


def test_vi_steps_mean_field_stays_about_a_nat_below(vi_steps):
    full = vi_steps.update(step=200, family="full")
    mean_field = vi_steps.update(step=200, family="mean_field")
    assert mean_field["cov"][0, 1] == 0
    assert 0.8 < mean_field["gap"] < 1.1
    assert mean_field["gap"] > 30 * full["gap"]
    assert "mean field" in vi_steps.describe(mean_field)


def test_vi_steps_book_frames(vi_steps):
    grids = vi_steps.frame_values()
    assert grids["step"] == [0, 5, 10, 20, 40, 80, 120, 200]
    assert len(grids["step"]) * len(grids["family"]) == 16


def test_alpha_fit_slides_from_a_mode_to_moment_matching(alpha_fit):
    small = alpha_fit.update(alpha=0.01)
    assert small["mode_seeking"]
    assert small["q"].mean == pytest.approx(2.98, abs=0.01)
    assert small["q"].std == pytest.approx(1.02, abs=0.01)
    assert small["other"].mean == pytest.approx(0, abs=1e-6)  # the central local optimum
    large = alpha_fit.update(alpha=0.99)
    assert not large["mode_seeking"] and large["other"] is None
    assert large["q"].mean == pytest.approx(0, abs=1e-6)
    assert large["q"].std == pytest.approx(np.sqrt(10), abs=0.01)
    assert "N(0.00, 3.16²)" in alpha_fit.describe(large)


def test_alpha_fit_numbers_come_from_the_maths_layer(alpha_fit):
    target = Mixture.symmetric(3)
    r = alpha_fit.update(alpha=0.5)
    q = fit_alpha(target, 0.5, Gaussian(0, np.sqrt(10)))
    assert r["q"].std == pytest.approx(q.std, abs=1e-7)
    assert r["divergence"] == pytest.approx(alpha_divergence(target, q, 0.5), abs=1e-9)
    assert r["divergence"] == pytest.approx(4 * hellinger_squared(target, q), abs=1e-9)
    # the best fit switches from the mode to the centre near α ≈ 0.115
    assert alpha_fit.update(alpha=0.11)["mode_seeking"]
    assert not alpha_fit.update(alpha=0.12)["mode_seeking"]


def test_alpha_fit_book_frames(alpha_fit):
    assert len(alpha_fit.frame_values()["alpha"]) == 15


# --- after the cold read: legends and colours that match what is drawn -------------------------


@pytest.mark.parametrize("family", ["full", "mean_field"])
def test_vi_steps_legend_names_only_the_q_drawn(vi_steps, family):
    vi_steps.update(family=family)
    legend = vi_steps.figure.axes[0].get_legend()
    entries = [t.get_text() for t in legend.get_texts()]
    label = {"full": "full covariance", "mean_field": "mean field"}[family]
    assert [e for e in entries if e.startswith("q,")] == [f"q, {label}"]
    assert legend.legend_handles[1].get_color() == vi_steps.ellipses[0].get_color()
    np.testing.assert_array_equal(vi_steps.render(), vi_steps.render(full=True))


@pytest.mark.parametrize(("alpha", "on_mode"), [(0.05, True), (0.3, False), (0.99, False)])
def test_alpha_fit_colours_each_optimum_by_its_branch_on_both_panels(alpha_fit, alpha, on_mode):
    r = alpha_fit.update(alpha=alpha)
    mode_color, central_color = lecture07.ALPHA_COLOR, lecture07.CENTRAL_COLOR
    best, other = (mode_color, central_color) if on_mode else (central_color, mode_color)
    assert r["mode_seeking"] == on_mode
    assert alpha_fit.q_line.get_color() == best == alpha_fit.marker.get_color()
    assert alpha_fit.other_line.get_color() == other
    handles = alpha_fit.dens_legend.legend_handles
    assert handles[3].get_color() == best and handles[4].get_color() == other
    assert handles[4].get_visible() == (r["other"] is not None)
    np.testing.assert_array_equal(alpha_fit.render(), alpha_fit.render(full=True))


def test_alpha_fit_draws_the_reference_fits_over_the_best_fit(alpha_fit):
    r = alpha_fit.update(alpha=0.01)
    reverse, forward = lecture07._alpha_references()
    # the best fit lies almost on the reverse-KL fit: drawn after it, the dotted line shows
    np.testing.assert_allclose(r["q_density"], reverse.pdf(alpha_fit._X), atol=0.01)
    order = alpha_fit._dynamic
    density_lines = {
        a.get_linestyle(): a for a in alpha_fit.figure.axes[0].get_lines() if a in order
    }
    for style, reference in ((":", reverse), ("-.", forward)):
        line = density_lines[style]
        np.testing.assert_allclose(line.get_ydata(), reference.pdf(alpha_fit._X))
        assert order.index(line) > order.index(alpha_fit.q_line)
        assert order.index(line) > order.index(alpha_fit.other_line)


def test_alpha_fit_prints_d_alpha_without_a_unit(alpha_fit):
    r = alpha_fit.update(alpha=0.3)
    assert "nats" not in alpha_fit.q_text.get_text()
    assert "nats" not in alpha_fit.describe(r) and "pure number" in alpha_fit.describe(r)
    assert "0.468" in " ".join(type(alpha_fit).__doc__.split())
    assert "0.465" not in type(alpha_fit).__doc__


def test_alpha_fit_prints_no_warning_where_the_mode_branch_ends(alpha_fit, recwarn):
    lecture07._alpha_fits.cache_clear()
    for alpha in (0.46, 0.468, 0.47):
        alpha_fit.update(alpha=alpha)
    assert not recwarn.list, [str(w.message) for w in recwarn.list]


def test_a_kept_background_is_that_of_the_state_shown():
    """Back and forth between the VI families: each family's static part (its legend entry) is
    drawn once and kept, and the frame always equals a redraw from scratch."""
    explorer = explorers.VIStepsExplorer()
    for family, step in [("mean_field", 30), ("full", 31), ("mean_field", 32), ("full", 33)]:
        explorer.update(family=family, step=step)
        fresh = explorers.VIStepsExplorer(family=family, step=step)
        np.testing.assert_array_equal(explorer.render(), fresh.render())
    assert {state for _, state in explorer._backgrounds} == {"full", "mean_field"}
