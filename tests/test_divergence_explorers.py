"""The explorers of lectures 02 and 03: their numbers against reference values and the maths layer.

The generic checks (blitting, controls, kernel-free frames) run over every registered explorer
in test_explorers.py; this file checks what each of these explorers *says*.
"""

import numpy as np
import pytest
import scipy.integrate

from coursekit import explorers, info
from coursekit.estimators import ESTIMATORS, gaussian_shift_moments
from coursekit.explorers import lecture03
from coursekit.explorers.lecture02 import CrossEntropyExplorer
from coursekit.explorers.lecture03 import EstimatorSpreadExplorer, KLIntegrandExplorer
from coursekit.gaussians import Gaussian, Mixture, gaussian_kl


def test_registered_under_their_names():
    available = explorers.available()
    assert available["cross_entropy"] is CrossEntropyExplorer
    assert available["kl_integrand"] is KLIntegrandExplorer
    assert available["kl_estimators"] is EstimatorSpreadExplorer


# --- lecture 02: cross-entropy ---------------------------------------------------------------


@pytest.fixture(scope="module")
def cross_entropy():
    return CrossEntropyExplorer()


def test_starts_on_olahs_word_distributions(cross_entropy):
    # reference-values.md, "Cross-entropy" and "KL divergence": Olah's pair, in bits.
    r = cross_entropy.update(truth="Bob", t=1.0)
    np.testing.assert_allclose(r["p"], [1 / 2, 1 / 4, 1 / 8, 1 / 8])
    np.testing.assert_allclose(r["q"], [1 / 8, 1 / 2, 1 / 4, 1 / 8])
    assert r["entropy_p"] == pytest.approx(1.75, abs=1e-12)
    assert r["entropy_q"] == pytest.approx(1.75, abs=1e-12)
    assert r["cross_pq"] == pytest.approx(2.375, abs=1e-12)
    assert r["cross_qp"] == pytest.approx(2.25, abs=1e-12)
    assert r["kl_pq"] == pytest.approx(0.625, abs=1e-12)
    assert r["kl_qp"] == pytest.approx(0.5, abs=1e-12)
    shown = [label.get_text() for label in cross_entropy.total_labels + cross_entropy.gap_labels]
    # Each gap says its direction: KL(P‖Q) on H(P,Q), KL(Q‖P) on H(Q,P).
    assert shown == ["1.750", "2.375", "1.750", "2.250", "KL(P‖Q)\n0.625", "KL(Q‖P)\n0.500"]
    described = cross_entropy.describe(r)
    assert "H(P,Q) = 2.375 bits" in described and "H(Q,P) = 2.250 bits" in described


def test_swapping_the_truth_swaps_the_cross_entropies(cross_entropy):
    r = cross_entropy.update(truth="Alice", t=1.0)
    assert r["cross_pq"] == pytest.approx(2.25, abs=1e-12)
    assert r["cross_qp"] == pytest.approx(2.375, abs=1e-12)


@pytest.mark.parametrize("truth", ["Bob", "Alice"])
def test_gibbs_inequality_along_the_whole_slider(cross_entropy, truth):
    previous = -1.0
    for t in np.linspace(0, 1, 21):
        r = cross_entropy.update(truth=truth, t=float(t))
        assert r["q"].sum() == pytest.approx(1.0, abs=1e-12)
        assert r["cross_pq"] - r["entropy_p"] == pytest.approx(r["kl_pq"], abs=1e-12)
        assert r["cross_pq"] >= r["entropy_p"] - 1e-12
        assert r["cross_pq"] >= previous  # moving Q away from P only costs more
        previous = r["cross_pq"]
        assert r["cross_pq"] == pytest.approx(info.cross_entropy(r["p"], r["q"], base=2))
    at_p = cross_entropy.update(truth=truth, t=0.0)
    assert at_p["kl_pq"] == pytest.approx(0.0, abs=1e-15)
    assert at_p["cross_pq"] == pytest.approx(at_p["entropy_p"], abs=1e-15)


def test_block_areas_add_up_to_the_cross_entropy(cross_entropy):
    r = cross_entropy.update(truth="Bob", t=0.6)
    widths = [line.get_xdata()[1] - line.get_xdata()[0] for line in cross_entropy.paid]
    np.testing.assert_allclose(widths, r["p"])  # each block is as wide as p(x)
    area = sum(
        (line.get_xdata()[1] - line.get_xdata()[0]) * line.get_ydata()[0]
        for line in cross_entropy.paid
    )
    assert area == pytest.approx(r["cross_pq"], abs=1e-12)


# --- lecture 03: the KL integrand ------------------------------------------------------------


def quad_kl(a, b):
    lo = min(c.mean - 14 * c.std for c in getattr(a, "components", (a,)))
    hi = max(c.mean + 14 * c.std for c in getattr(a, "components", (a,)))
    value = scipy.integrate.quad(
        lambda x: a.pdf(x) * (a.logpdf(x) - b.logpdf(x)),
        lo,
        hi,
        epsabs=1e-12,
        epsrel=1e-12,
        limit=400,
        points=[b.mean] if lo < b.mean < hi else None,
    )[0]
    return value


def test_kl_integrand_reference_values():
    # reference-values.md: KL(N(0,1)‖N(1,2²)) = 0.443147; reverse 1.306853. The default view.
    r = KLIntegrandExplorer().result
    assert (r["target"], r["mu"], r["sigma"]) == ("N(0,1)", 1.0, 2.0)
    assert r["kl_forward"] == pytest.approx(0.443147, abs=1e-6)
    assert r["kl_reverse"] == pytest.approx(1.306853, abs=1e-6)
    assert r["positive_area"] + r["negative_area"] == pytest.approx(r["kl_forward"], abs=1e-9)
    assert "0.443" in KLIntegrandExplorer().describe(r)


@pytest.mark.parametrize("mu", [-2.0, 0.0, 1.5])
@pytest.mark.parametrize("sigma", [0.5, 1.0, 3.0])
def test_gaussian_target_uses_the_closed_form(mu, sigma):
    r = KLIntegrandExplorer.compute("N(0,1)", mu, sigma)
    p, q = Gaussian(0, 1), Gaussian(mu, sigma)
    assert r["kl_forward"] == gaussian_kl(p, q)
    assert r["kl_reverse"] == gaussian_kl(q, p)
    # the shaded areas are computed on a grid; they add up to the closed form
    assert r["positive_area"] + r["negative_area"] == pytest.approx(r["kl_forward"], abs=1e-8)
    assert r["negative_area"] <= 0 <= r["positive_area"]


@pytest.mark.parametrize(("mu", "sigma"), [(0.0, 1.0), (2.0, 1.0), (-1.5, 0.5), (1.0, 3.0)])
def test_mixture_target_matches_quadrature(mu, sigma):
    r = KLIntegrandExplorer.compute("bimodal", mu, sigma)
    p, q = Mixture.symmetric(2.0), Gaussian(mu, sigma)
    assert r["kl_forward"] == pytest.approx(quad_kl(p, q), abs=1e-8)
    assert r["kl_reverse"] == pytest.approx(quad_kl(q, p), abs=1e-8)


def test_mixture_target_agrees_with_lecture_04():
    # reference-values.md: for ½N(−2,1) + ½N(2,1) the reverse-KL optimum is N(0, 2.0470²)
    # with KL = 0.226508.
    r = KLIntegrandExplorer.compute("bimodal", 0.0, 2.0470)
    assert r["kl_reverse"] == pytest.approx(0.226508, abs=1e-5)


def test_integrand_is_p_log_p_over_q():
    r = KLIntegrandExplorer.compute("bimodal", 0.5, 1.5)
    x = KLIntegrandExplorer._X
    p, q = Mixture.symmetric(2.0), Gaussian(0.5, 1.5)
    np.testing.assert_allclose(r["integrand"], p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), atol=1e-12)
    np.testing.assert_allclose(r["p"], p.pdf(x))
    np.testing.assert_allclose(r["q"], q.pdf(x))


@pytest.mark.parametrize("target", ["N(0,1)", "bimodal"])
def test_the_integrand_never_enters_the_band_that_holds_the_readout(target):
    # p log(p/q) ≥ −q/e ≥ −1/(σ√(2π) e) for the smallest σ; the readout sits below that floor.
    spec = KLIntegrandExplorer.params
    lowest = min(
        KLIntegrandExplorer.compute(target, float(mu), float(sigma))["integrand"].min()
        for mu in np.arange(spec["mu"]["min"], spec["mu"]["max"] + 1e-9, 0.25)
        for sigma in (0.5, 0.55, 0.7, 1.0, 2.0, 3.0)
    )
    assert lecture03.INTEGRAND_FLOOR <= lowest < 0
    assert lecture03.INTEGRAND_LIMITS[0] < lecture03.INTEGRAND_FLOOR - 0.2


def test_the_names_of_p_and_q_stand_away_from_q():
    explorer = KLIntegrandExplorer(mu=-2.0, sigma=0.5)
    assert explorer.q_name.get_horizontalalignment() == "right"
    assert explorer.q_name.get_text() == "Q = N(-2.00, 0.50²)"
    explorer.update(mu=0.0)
    assert explorer.p_name.get_horizontalalignment() == "left"
    assert explorer.q_name.get_text() == "Q = N(0.00, 0.50²)"


# --- lecture 03: Monte Carlo estimators ----------------------------------------------------------


@pytest.fixture(scope="module")
def estimator_explorer():
    return EstimatorSpreadExplorer()


@pytest.mark.parametrize(("mu", "n"), [(0.1, 100), (0.5, 30), (1.0, 10), (1.0, 1000), (2.0, 300)])
def test_estimator_explorer_agrees_with_the_exact_moments(estimator_explorer, mu, n):
    r = estimator_explorer.update(mu=mu, n=n)
    repeats = lecture03.REPEATS
    exact = gaussian_shift_moments(mu, n=n)
    assert r["kl"] == pytest.approx(mu**2 / 2)
    for name in ESTIMATORS:
        s, e = r["stats"][name], exact[name]
        estimates = s["estimates"]
        assert estimates.shape == (repeats,)
        assert abs(s["mean"] - e["mean"]) < 4 * e["std"] / np.sqrt(repeats), name
        assert s["bias"] == pytest.approx(s["mean"] - r["kl"])
        if name == "k3" and mu == 2.0:
            continue  # k3's variance at μ = 2 comes from rare huge r: the sample std is unreliable
        centred = estimates - estimates.mean()
        kurtosis = np.mean(centred**4) / np.mean(centred**2) ** 2
        se_std = s["std"] * np.sqrt((kurtosis - 1) / (4 * repeats))
        assert abs(s["std"] - e["std"]) < 4 * se_std, name


def test_estimator_explorer_shows_schulmans_lessons(estimator_explorer):
    r = estimator_explorer.update(mu=0.1, n=10)
    stats = r["stats"]
    assert stats["k1"]["negative"] > 0.3  # k1 is often negative
    assert stats["k2"]["negative"] == 0 and stats["k3"]["negative"] == 0
    assert stats["k1"]["std"] > 10 * stats["k3"]["std"]
    r = estimator_explorer.update(mu=2.0, n=1000)
    # k2's error levels off at its bias μ²/4 = 100 % of the KL; k1's keeps falling like 1/√n
    assert r["stats"]["k2"]["rms_curve"][-1] == pytest.approx(1.0, rel=0.01)
    assert r["stats"]["k1"]["rms_points"][-1] < 0.05


def test_rms_points_follow_the_exact_curves(estimator_explorer):
    r = estimator_explorer.update(mu=0.5, n=100)
    exact_curve = np.interp(
        np.log(lecture03.SAMPLE_SIZES),
        np.log(lecture03._N_CURVE),
        r["stats"]["k1"]["rms_curve"],
    )
    np.testing.assert_allclose(r["stats"]["k1"]["rms_points"], exact_curve, rtol=0.1)


def test_estimator_explorer_is_deterministic():
    first = EstimatorSpreadExplorer(mu=0.5, n=30)
    pixels = first.render().copy()
    estimates = first.result["stats"]["k3"]["estimates"].copy()
    # Recompute from scratch: the seeds come from the control values, not from global state.
    lecture03._spread.cache_clear()
    lecture03._summary.cache_clear()
    second = EstimatorSpreadExplorer(mu=0.5, n=30)
    np.testing.assert_array_equal(second.result["stats"]["k3"]["estimates"], estimates)
    np.testing.assert_array_equal(second.render(), pixels)
    second.update(mu=2.0, n=10)
    second.update(mu=0.5, n=30)
    np.testing.assert_array_equal(second.render(), pixels)


def test_estimator_explorer_computation_is_a_lookup(estimator_explorer):
    assert EstimatorSpreadExplorer.compute(1.0, 100) is EstimatorSpreadExplorer.compute(1.0, 100)


def test_estimator_explorer_never_prints_minus_zero_percent(estimator_explorer):
    assert lecture03._signed_percent(-0.004) == "0%"
    assert lecture03._signed_percent(-0.0004, 1) == "0.0%"
    assert lecture03._signed_percent(0.24) == "+24%"
    for mu in lecture03.MUS:
        for n in lecture03.SAMPLE_SIZES:
            r = estimator_explorer.update(mu=mu, n=n)
            shown = [t.get_text() for t in estimator_explorer.stat_text.values()]
            for text in [*shown, estimator_explorer.describe(r)]:
                assert "-0%" not in text and "-0.0%" not in text, (mu, n, text)


# --- after the cold read: what the labels say --------------------------------------------------


def test_cross_entropy_legend_explains_every_area_and_line(cross_entropy):
    blocks = cross_entropy.figure.axes[1]
    entries = [t.get_text() for t in blocks.get_legend().get_texts()]
    assert "paid either way" in entries  # the light-blue base of each block
    assert "mean H(P)" in entries and "mean H(P,Q)" in entries  # the two dashed lines
    described = cross_entropy.describe(cross_entropy.update(truth="Bob", t=1.0))
    assert "KL(P‖Q) = 0.625 bits" in described and "KL(Q‖P) = 0.500 bits" in described


def test_kl_integrand_at_q_equal_p_prints_no_negative_zero():
    explorer = KLIntegrandExplorer(target="N(0,1)", mu=0.0, sigma=1.0)
    readout = explorer.kl_text.get_text()
    assert readout.startswith("KL(P‖Q) = 0.000 − 0.000 = 0.000 nats")
    described = explorer.describe(explorer.result)
    assert "-0.0" not in readout + described
    assert "0.000 above zero and 0.000 below it" in described


def test_kl_integrand_gives_the_negative_area_as_its_size():
    explorer = KLIntegrandExplorer()  # N(0,1) against N(1, 2²): areas 0.546 and −0.103
    assert "KL(P‖Q) = 0.546 − 0.103 = 0.443 nats" in explorer.kl_text.get_text()
    assert "0.546 above zero and 0.103 below it" in explorer.describe(explorer.result)


def test_estimator_shares_that_round_to_zero_say_so(estimator_explorer):
    assert lecture03._share(0.0) == "0%" and lecture03._share(0.005) == "< 1%"
    assert lecture03._share(0.3) == "30%" and lecture03._share(0.996) == "> 99%"
    r = estimator_explorer.update(mu=2.0, n=100)
    above = {name: texts[0].get_text() for name, texts in estimator_explorer.overflow.items()}
    for name in ("k2", "k3"):
        share = r["stats"][name]["above"]
        assert 0 < share < 0.005 and above[name] == "▲ < 1%"
    assert "▲ 0%" not in above.values()


def test_estimator_k2_line_shows_where_it_lies_on_k3(estimator_explorer):
    r = estimator_explorer.update(mu=0.1, n=100)
    # at small μ the two exact error curves coincide (within a few per cent)
    k2, k3 = r["stats"]["k2"]["rms_curve"], r["stats"]["k3"]["rms_curve"]
    np.testing.assert_allclose(k2, k3, rtol=0.05)
    curve = estimator_explorer.curves["k2"]
    assert curve.get_linestyle() == "--"
    # drawn after k3 (the blitted layer is drawn in the order of _dynamic)
    order = estimator_explorer._dynamic
    assert order.index(curve) > order.index(estimator_explorer.curves["k3"])
    assert order.index(estimator_explorer.points["k2"]) > order.index(
        estimator_explorer.points["k3"]
    )
    legend = estimator_explorer.figure.axes[1].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == list(ESTIMATORS)
    assert legend.legend_handles[1].get_linestyle() == "--"
