"""The maths library at its edges, beyond the list of issue 11: the other extreme but valid
inputs found by probing every public function (huge and tiny data, units far from 1, narrow
modes far from 0, bends of log p, primitives given bad input).

Every value is checked against a computation that does not use the code under test: a closed
form, ``scipy.integrate.quad`` between breakpoints, or an exact change of units by a power of
two.
"""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from coursekit import divergences, estimators, fitting, quadrature, vi
from coursekit.gaussians import Gaussian, Mixture, half_log_det, log_normaliser, normal_logpdf


def test_shift_moments_of_a_huge_shift_are_inf_not_nan():
    moments = estimators.gaussian_shift_moments(1e200)
    for name in estimators.ESTIMATORS:
        assert not any(np.isnan(v) for v in moments[name].values())
    assert moments["k1"]["bias"] == 0.0 and moments["k3"]["bias"] == 0.0
    big = estimators.gaussian_shift_moments(30.0)
    assert big["k3"]["std"] == pytest.approx(math.exp(450.0), rel=1e-14)
    assert big["k2"]["bias"] == pytest.approx(30.0**4 / 8)


@pytest.mark.parametrize(
    ("x", "mean", "std"),
    [
        ([1e308, -1e308], 0.0, 1e308),
        ([1e-320, 0.0], 5e-321, 5e-321),
        ([1e200, -1e200, 3e200], 1e200, math.sqrt(8 / 3) * 1e200),
    ],
)
def test_maximum_likelihood_for_huge_and_tiny_data(x, mean, std):
    fit = fitting.fit_mle_gaussian(x)
    assert fit.mean == pytest.approx(mean, rel=1e-14, abs=1e-323)
    assert fit.std == pytest.approx(std, rel=1e-14)


@pytest.mark.parametrize("k", [-600, -300, 300, 600])
def test_fits_and_entropies_change_with_a_power_of_two_unit_as_they_should(k):
    c = 2.0**k
    p = Mixture.symmetric(3.0)
    pc = Mixture.symmetric(3.0 * c, std=c)
    q = fitting.fit_reverse_kl(p, Gaussian(2, 1))
    qc = fitting.fit_reverse_kl(pc, Gaussian(2 * c, c))
    # the fits are accurate to ~1e-8 (relative); in exact power-of-two units they agree fully
    assert qc.mean == pytest.approx(q.mean * c, rel=1e-7)
    assert qc.std == pytest.approx(q.std * c, rel=1e-7)
    assert fitting.mixture_entropy(pc) == pytest.approx(fitting.mixture_entropy(p) + math.log(c))
    assert fitting.reverse_kl(qc, pc) == pytest.approx(fitting.reverse_kl(q, p), abs=1e-10)
    assert divergences.alpha_divergence(pc, qc, 0.4) == pytest.approx(
        divergences.alpha_divergence(p, q, 0.4), abs=1e-10
    )
    a, ac = (
        divergences.fit_alpha(p, 0.4, Gaussian(3, 1)),
        divergences.fit_alpha(pc, 0.4, Gaussian(3 * c, c)),
    )
    assert ac.std == pytest.approx(a.std * c, rel=1e-8)


def test_a_mode_a_million_times_narrower_than_its_place():
    q = fitting.fit_reverse_kl(Mixture.symmetric(1.0, std=1e-6), Gaussian(1, 1))
    assert q.mean == pytest.approx(1.0, abs=1e-15)
    assert q.std == pytest.approx(1e-6, rel=1e-9)


def test_reverse_kl_profile_at_huge_separations():
    for d in (1e3, 1e9, 1e11):
        stds, kls = fitting.reverse_kl_profile(Mixture.symmetric(d), [0.0, d])
        assert stds[0] / d == pytest.approx(math.sqrt(2 / math.pi), rel=1e-3)
        assert kls[1] == pytest.approx(math.log(2), rel=1e-9)


def test_what_floating_point_cannot_hold_is_a_clear_error():
    with pytest.raises(ValueError, match="at most 1e\\+12 is supported"):
        fitting.fit_reverse_kl(Mixture.symmetric(1e13), Gaussian(0, 1))
    with pytest.raises(ValueError, match="ratio beyond 1e300"):
        fitting.mixture_entropy(Mixture((0.5, 0.5), (Gaussian(0, 1e-200), Gaussian(0, 1e200))))


def test_primitives_check_their_input():
    with pytest.raises(ValueError, match="std must be greater than 0"):
        normal_logpdf(0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="std must be greater than 0"):
        normal_logpdf(0.0, 0.0, np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="must be a number"):
        normal_logpdf("x")
    with pytest.raises(ValueError, match="dim"):
        log_normaliser(0.0, 0)
    with pytest.raises(ValueError, match="square"):
        half_log_det([1.0, 2.0])
    with pytest.raises(ValueError, match="diagonal must be finite and positive"):
        half_log_det([[0.0, 0.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match="same length"):
        quadrature.mixture_singularities([0.0, 1.0], [1.0], [0.0])
    with pytest.raises(ValueError, match="greater than 0"):
        quadrature.trapezoid_level(0.0)
    with pytest.raises(ValueError, match="finite complex"):
        quadrature.normal_graded(object())
    for bad in (-1, 13, 1.5, True):
        with pytest.raises(ValueError, match="level"):
            quadrature.normal_trapezoid(bad)
    with pytest.raises(ValueError, match="points"):
        quadrature.mass_grid(Gaussian(0, 1), points=1)
    with pytest.raises(ValueError, match="at least one density"):
        quadrature.mass_grid()
    with pytest.raises(ValueError, match="must be a Gaussian or a Mixture"):
        quadrature.mass_interval("N(0, 1)")
    with pytest.raises(ValueError, match="one value per weight"):
        quadrature.weighted_sum(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="one or more finite numbers"):
        fitting.forward_kl_profile(Mixture.symmetric(2), [])
    with pytest.raises(ValueError, match="init must be a pair"):
        vi.fit_gaussian_vi(vi.LogisticRegression2D(), steps=1, init=np.zeros(2))


def test_graded_rule_across_a_bend_a_million_times_narrower_than_its_panel():
    # E[√(z² + a²)] → E|z| = √(2/π) + O(a² log a); compare with quad on both sides of 0
    a = 1e-6
    z, w = quadrature.normal_graded([1j * a])
    on_rule = float(w @ np.sqrt(z * z + a * a))

    def f(t):
        return math.sqrt(t * t + a * a) * stats.norm.pdf(t)

    exact = 2 * integrate.quad(f, 0, 9, points=[1e-6, 1e-4, 1e-2], epsabs=1e-15, limit=200)[0]
    assert on_rule == pytest.approx(exact, rel=1e-12)
    assert z.size < 2000


def test_logistic_docstring_states_the_recomputed_correlation():
    post = vi.LogisticRegression2D().grid_posterior()
    rho = post.cov[0, 1] / math.sqrt(post.cov[0, 0] * post.cov[1, 1])
    doc = vi.LogisticRegression2D.__doc__
    assert f"ρ ≈ {rho:.2f}".replace("-", "−") in doc
    assert f"{rho:.4f}".replace("-", "−") in doc
    assert "sigm" in doc and "\\sigma(" not in doc


def test_logistic_model_with_extreme_prior_stds():
    flat = vi.LogisticRegression2D(prior_std=1e200)  # σ₀² overflows: the prior is flat
    assert np.isfinite(flat.grid_posterior(51).log_evidence)
    np.testing.assert_array_equal(flat.grad_log_joint(np.zeros(2)), (flat.y - 0.5) @ flat.design)
    with pytest.raises(ValueError, match="at least 1e-150"):
        vi.LogisticRegression2D(prior_std=1e-200)


def test_kl_from_the_grid_posterior_is_never_negative():
    post = vi.LogisticRegression2D().grid_posterior(101)
    assert post.kl_from(post.mean, post.cov) >= 0


def test_mass_grid_windows_are_checked():
    for bad in ([(0.0, -1.0)], "ab", [(1, 2, 3)], [(0.0, math.nan)]):
        with pytest.raises(ValueError, match="window"):
            quadrature.mass_grid(Gaussian(0, 1), windows=bad)


@pytest.mark.parametrize(
    "p",
    [
        Mixture((0.5, 0.5), (Gaussian(0, 0.001), Gaussian(0, 10))),
        Mixture((0.3, 0.7), (Gaussian(-1, 0.01), Gaussian(1, 0.01))),
        Mixture.symmetric(30.0),
    ],
)
def test_entropy_of_mixtures_with_sharp_bends(p):
    # −∫ p log p by quad between breakpoints one std apart across ±12σ of every component
    points = sorted({c.mean + k * c.std for c in p.components for k in range(-12, 13)})

    def f(x):
        lp = float(p.logpdf(x))
        return -math.exp(lp) * lp

    exact = sum(
        integrate.quad(f, a, b, epsabs=1e-14, epsrel=1e-13, limit=200)[0]
        for a, b in zip(points[:-1], points[1:], strict=False)
    )
    assert fitting.mixture_entropy(p) == pytest.approx(exact, abs=1e-12)
