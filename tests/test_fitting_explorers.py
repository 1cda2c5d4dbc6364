"""The explorers of lectures 04 and 05: their numbers against the references and coursekit.fitting.

The generic checks (blitting, controls, kernel-free frames) run over every registered explorer
in test_explorers.py; this file checks what each of these explorers *says*.
"""

import numpy as np
import pytest

from coursekit import explorers, fitting, plotting
from coursekit.explorers import lecture04, lecture05
from coursekit.explorers.lecture04 import ForwardReverseExplorer, MeanFieldExplorer, bimodal
from coursekit.explorers.lecture05 import MLELandscapeExplorer, mle_data
from coursekit.gaussians import Gaussian, Mixture, gaussian_entropy, gaussian_kl, mvn_kl


def test_registered_under_their_names():
    available = explorers.available()
    assert available["forward_reverse"] is ForwardReverseExplorer
    assert available["mean_field"] is MeanFieldExplorer
    assert available["mle_landscape"] is MLELandscapeExplorer
    names = list(available)
    start = names.index("forward_reverse")
    assert names[start : start + 3] == ["forward_reverse", "mean_field", "mle_landscape"]
    assert start > names.index("kl_estimators")  # lecture order: after lecture 03's explorers


# --- lecture 04: forward vs reverse ----------------------------------------------------------


@pytest.fixture(scope="module")
def forward_reverse():
    return ForwardReverseExplorer()


def shown(explorer):
    return " ".join(t.get_text() for t in explorer.texts.values())


def test_forward_fit_reference_d3(forward_reverse):
    r = forward_reverse.update(d=3.0, w=0.5, init="right")
    assert r["p"] == Mixture.symmetric(3)
    assert r["forward"].mean == pytest.approx(0.0, abs=1e-12)
    assert r["forward"].var == pytest.approx(10.0, abs=1e-12)
    assert r["forward_kl"] == pytest.approx(0.461995, abs=1e-6)
    assert "KL(p‖q) = 0.462" in shown(forward_reverse)
    assert "N(0.00, 3.16²) with KL(p‖q) = 0.462" in forward_reverse.describe(r)
    # Started on the right mode, the reverse fit stays there (d = 3 is above d* ≈ 2.41).
    assert r["reverse"].mean == pytest.approx(2.9843, abs=1e-4)
    assert r["reverse_kl"] == pytest.approx(fitting.reverse_kl(r["reverse"], r["p"]), abs=1e-12)
    left = forward_reverse.update(init="left")["reverse"]
    assert left.mean == pytest.approx(-r["reverse"].mean, abs=1e-9)
    centre = forward_reverse.update(init="centre")
    assert centre["reverse"].mean == pytest.approx(0.0, abs=1e-9)
    assert centre["reverse_kl"] > r["reverse_kl"]  # the central optimum is the worse one here


@pytest.mark.parametrize("init", ["left", "centre", "right"])
def test_reverse_fit_reference_d2_is_central_from_every_start(forward_reverse, init):
    r = forward_reverse.update(d=2.0, w=0.5, init=init)
    assert r["reverse"].mean == pytest.approx(0.0, abs=1e-9)
    assert r["reverse"].std == pytest.approx(2.0470, abs=5e-5)
    assert r["reverse_kl"] == pytest.approx(0.226508, abs=1e-6)
    assert "N(0.00, 2.05²)" in shown(forward_reverse)
    assert "KL(q‖p) = 0.227" in forward_reverse.describe(r)


@pytest.mark.parametrize(("d", "w", "init"), [(0.7, 0.65, "left"), (3.6, 0.85, "right")])
def test_results_agree_with_the_maths_layer(forward_reverse, d, w, init):
    r = forward_reverse.update(d=d, w=w, init=init)
    p = bimodal(d, w)
    assert p.weights == (w, 1 - w) and p.components[0] == Gaussian(-d, 1.0)
    assert r["forward"] == fitting.fit_forward_kl(p)
    expected = fitting.fit_reverse_kl(p, Gaussian(lecture04.STARTS[init] * d, 1.0))
    assert r["reverse"] == expected
    assert r["forward_reverse_kl"] == pytest.approx(fitting.reverse_kl(r["forward"], p))
    assert r["reverse_forward_kl"] == pytest.approx(fitting.forward_kl(p, r["reverse"]))
    # Each fit wins by its own measure (the reverse fit at its best optimum).
    assert r["forward_kl"] <= r["reverse_forward_kl"] + 1e-12
    best = min(fitting.reverse_kl(q, p) for q in fitting.reverse_kl_optima(p))
    assert best <= r["forward_reverse_kl"] + 1e-12
    np.testing.assert_allclose(r["p_pdf"], p.pdf(lecture04._X))
    # The profiles have their valleys at the fits.
    stds, kls = fitting.reverse_kl_profile(p, lecture04._MU)
    np.testing.assert_allclose(r["reverse_profile"], kls)
    assert r["forward_profile"].min() >= r["forward_kl"] - 1e-12
    assert best - 1e-9 <= r["reverse_profile"].min() <= best + 0.01  # on a grid of μ


def test_heavier_left_mode_pulls_the_forward_fit_left(forward_reverse):
    r = forward_reverse.update(d=3.0, w=0.8, init="centre")
    assert r["forward"].mean == pytest.approx(0.8 * -3 + 0.2 * 3)
    assert r["reverse"].mean < 0  # from the centre, the descent goes to the heavier mode


def test_no_separation_means_every_fit_is_the_target(forward_reverse):
    r = forward_reverse.update(d=0.0, w=0.7, init="left")
    for q in (r["forward"], r["reverse"]):
        assert q.mean == pytest.approx(0.0, abs=1e-9) and q.std == pytest.approx(1.0, abs=1e-9)
    text = shown(forward_reverse)
    assert "-0.000" not in text and "KL(p‖q) = 0.000" in text
    assert "-0.0" not in forward_reverse.describe(r)


def test_start_marker_and_dots_sit_where_the_numbers_say(forward_reverse):
    r = forward_reverse.update(d=2.5, w=0.5, init="left")
    assert forward_reverse.start_marker.get_xdata()[0] == -2.5
    assert forward_reverse.reverse_dot.get_xdata()[0] == pytest.approx(r["reverse"].mean)
    assert forward_reverse.reverse_dot.get_ydata()[0] == pytest.approx(r["reverse_kl"])
    assert forward_reverse.forward_dot.get_ydata()[0] == pytest.approx(r["forward_kl"])
    assert r["reverse"].mean < -2  # just above d*, the left mode has its own optimum


# --- lecture 04: mean field --------------------------------------------------------------------


def test_mean_field_reference():
    explorer = MeanFieldExplorer()
    r = explorer.update(rho=0.9)
    np.testing.assert_allclose(r["reverse"].means, [1, 2])
    np.testing.assert_allclose(r["reverse"].variances, [0.19, 0.19], atol=1e-12)
    np.testing.assert_allclose(r["forward"].variances, [1, 1], atol=1e-12)
    assert r["reverse_kl"] == pytest.approx(0.830366, abs=1e-6)
    assert r["forward_kl"] == pytest.approx(0.830366, abs=1e-6)
    # Judged the other way, each fit does worse, by ρ²/(1 − ρ²) + ½ ln(1 − ρ²).
    other = 0.81 / 0.19 + 0.5 * np.log(0.19)
    assert r["reverse_other_kl"] == pytest.approx(other, abs=1e-9)
    assert r["forward_other_kl"] == pytest.approx(other, abs=1e-9)
    assert "0.830" in explorer.kl_text.get_text()
    assert "variances 0.190" in explorer.describe(r) and "0.830 nats" in explorer.describe(r)
    # The reverse fit's 1σ contour is a circle of radius √0.19 around the means.
    x, y = explorer.reverse_lines[0].get_data()
    np.testing.assert_allclose(np.hypot(x - 1, y - 2), np.sqrt(0.19), rtol=1e-12)
    assert explorer.reverse_dot.get_ydata()[0] == pytest.approx(0.19)


@pytest.mark.parametrize("rho", [0.0, 0.35, 0.95])
def test_mean_field_matches_the_maths_layer(rho):
    r = MeanFieldExplorer.compute(rho=rho)
    cov = np.array([[1, rho], [rho, 1]])
    assert r["reverse_kl"] == pytest.approx(-0.5 * np.log(1 - rho**2), abs=1e-12)
    assert r["forward_kl"] == pytest.approx(r["reverse_kl"], abs=1e-12)
    rev = fitting.mean_field([1, 2], cov, "reverse")
    assert mvn_kl(rev.means, rev.cov, [1, 2], cov) == pytest.approx(r["reverse_kl"])


# --- lecture 05: maximum likelihood ------------------------------------------------------------


@pytest.fixture(scope="module")
def mle():
    return MLELandscapeExplorer()


def test_data_are_nested_and_fixed():
    big = mle_data(1000)
    assert big.shape == (1000,)
    np.testing.assert_array_equal(mle_data(20), big[:20])
    np.testing.assert_array_equal(big, Gaussian(0, 1).sample(1000, lecture05.MLE_SEED))
    assert abs(big.mean()) < 0.1 and big.std() == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("n", [5, 20, 100, 1000])
@pytest.mark.parametrize("sigma", [0.5, 1.0, 1.7])
def test_nll_landscape_matches_the_maths_layer(mle, n, sigma):
    r = mle.update(n=n, sigma=sigma)
    x = mle_data(n)
    for i in (0, 57, 100, 200):
        q = Gaussian(lecture05._MU_GRID[i], sigma)
        assert r["nll"][i] == pytest.approx(fitting.mean_nll(x, q), rel=1e-12)
        assert r["kl"][i] == pytest.approx(gaussian_kl(Gaussian(0, 1), q), rel=1e-12)
    # The cross-entropy is the KL plus the constant H(p), the same for every μ.
    np.testing.assert_allclose(r["cross_entropy"] - r["kl"], gaussian_entropy(1.0), rtol=1e-12)
    assert gaussian_entropy(1.0) == pytest.approx(1.418939, abs=1e-6)
    # The NLL's minimiser is the MLE x̄, whatever σ is; the KL's is μ = 0.
    assert r["mu_hat"] == pytest.approx(x.mean(), abs=1e-12)
    assert abs(lecture05._MU_GRID[np.argmin(r["nll"])] - x.mean()) <= 0.01
    assert lecture05._MU_GRID[np.argmin(r["kl"])] == pytest.approx(0.0, abs=1e-12)
    assert r["nll_at_mu_hat"] == pytest.approx(fitting.mean_nll(x, Gaussian(x.mean(), sigma)))
    assert r["nll_at_mu_hat"] <= r["nll"].min() + 1e-12
    assert r["mle"] == fitting.fit_mle_gaussian(x)
    inside = np.sum((x >= lecture05._BINS[0]) & (x <= lecture05._BINS[-1]))
    assert np.sum(r["histogram"] * np.diff(lecture05._BINS)) == pytest.approx(inside / n)


def test_nll_approaches_the_cross_entropy_as_n_grows(mle):
    gaps = []
    for n in (5, 20, 100, 1000):
        r = mle.update(n=n, sigma=1.0)
        gaps.append(np.abs(r["nll"] - r["cross_entropy"]).max())
    assert gaps[-1] < 0.05 and gaps[-1] < gaps[0]


def test_mle_figure_and_description(mle):
    r = mle.update(n=20, sigma=1.0)
    assert mle.mle_dot.get_xdata()[0] == pytest.approx(r["mu_hat"])
    assert mle.true_dot.get_ydata()[0] == pytest.approx(gaussian_entropy(1.0))  # H(p, p) = H(p)
    head, tail = mle.gap.xy[1], mle.gap.get_position()[1]
    assert head - tail == pytest.approx(gaussian_entropy(1.0))
    text = mle.describe(r)
    assert f"μ̂ = x̄ = {r['mu_hat']:+.3f}" in text and "h(p) = 1.419 nats" in text
    # h(p), the differential entropy, as in the lecture and book/notation.md
    labels = [t.get_text() for t in mle.figure.axes[0].get_legend().get_texts()]
    assert "H(p, q) = KL + h(p)" in labels and "gap h(p) = 1.419" in labels
    assert "H(p)" not in text + " ".join(labels)
    # the NLL is not drawn in the reverse-KL colour in the forward-KL lecture
    assert mle.nll_line.get_color() != plotting.REVERSE_COLOR
    assert mle.mle_dot.get_color() == mle.nll_line.get_color()
    assert f"MLE μ̂ = x̄ = {r['mu_hat']:.3f}" in mle.fit_text.get_text()


def test_kl_profiles_start_at_zero_with_their_legend_above_the_panel(forward_reverse):
    forward_reverse.update(d=0.0, w=0.5, init="right")  # both fits are p: KL 0 on the axis
    forward_reverse.render(full=True)
    profile = forward_reverse.figure.axes[1]
    assert profile.get_ylim()[0] == 0  # a KL is never negative
    for dot in (forward_reverse.forward_dot, forward_reverse.reverse_dot):
        assert dot.get_ydata()[0] == pytest.approx(0, abs=1e-9) and not dot.get_clip_on()
    renderer = forward_reverse.figure.canvas.get_renderer()
    legend = profile.get_legend().get_window_extent(renderer)
    frame, title = profile.bbox, profile.title.get_window_extent(renderer)
    assert frame.y1 <= legend.y0 and legend.y1 <= title.y0  # between the panel and its title
