"""coursekit.divergences: the α-divergence's limits, its relation to Hellinger, and fit_alpha
sliding from the reverse-KL fit (α → 0) to the forward-KL fit (α → 1)."""

import doctest

import numpy as np
import pytest
import scipy.integrate
from hypothesis import given
from hypothesis import strategies as st

import coursekit.divergences
from coursekit.divergences import alpha_divergence, fit_alpha, hellinger_squared
from coursekit.fitting import fit_forward_kl, fit_reverse_kl, forward_kl, reverse_kl
from coursekit.gaussians import Gaussian, Mixture, gaussian_kl

BIMODAL = Mixture.symmetric(3.0)
PAIRS = [
    (Gaussian(0, 1), Gaussian(1, 2)),
    (Gaussian(-1, 0.3), Gaussian(2, 1.5)),
    (BIMODAL, Gaussian(1, 1.5)),
    (Gaussian(0.5, 2.5), BIMODAL),
]


def test_doctests():
    assert doctest.testmod(coursekit.divergences).failed == 0


@pytest.mark.parametrize(("p", "q"), PAIRS)
def _kl_by_quad(a, b):
    return scipy.integrate.quad(
        lambda x: a.pdf(x) * (a.logpdf(x) - b.logpdf(x)), -40, 40, limit=400, epsabs=1e-13
    )[0]


def test_kl_references_agree_with_the_library():
    p, q = BIMODAL, Gaussian(1, 1.5)
    assert _kl_by_quad(p, q) == pytest.approx(forward_kl(p, q), abs=1e-9)
    assert _kl_by_quad(q, p) == pytest.approx(reverse_kl(q, p), abs=1e-9)
    assert _kl_by_quad(q, BIMODAL) == pytest.approx(gaussian_kl(q, q) + reverse_kl(q, p), abs=1e-9)


@pytest.mark.parametrize(("p", "q"), PAIRS)
def test_limits_are_the_two_kls(p, q):
    forward, reverse = _kl_by_quad(p, q), _kl_by_quad(q, p)
    assert alpha_divergence(p, q, 1.0) == pytest.approx(forward, abs=1e-9)
    assert alpha_divergence(p, q, 0.0) == pytest.approx(reverse, abs=1e-9)
    # the limits are reached continuously: D_α − KL = O(distance to the end)
    assert alpha_divergence(p, q, 1 - 1e-6) == pytest.approx(forward, rel=1e-4)
    assert alpha_divergence(p, q, 1e-6) == pytest.approx(reverse, rel=1e-4)


@pytest.mark.parametrize(("p", "q"), PAIRS)
@pytest.mark.parametrize("alpha", [0.1, 0.5, 0.8])
def test_matches_the_definition_by_scipy_quadrature(p, q, alpha):
    def integrand(x):
        return (
            alpha * p.pdf(x) + (1 - alpha) * q.pdf(x) - p.pdf(x) ** alpha * q.pdf(x) ** (1 - alpha)
        )

    value = scipy.integrate.quad(integrand, -40, 40, limit=200, epsabs=1e-13)[0]
    expected = value / (alpha * (1 - alpha))
    assert alpha_divergence(p, q, alpha) == pytest.approx(expected, abs=1e-9)


def test_half_is_four_times_squared_hellinger():
    for p, q in PAIRS:
        assert alpha_divergence(p, q, 0.5) == pytest.approx(4 * hellinger_squared(p, q), abs=1e-12)
    # closed form for two Gaussians
    p, q = Gaussian(0, 1), Gaussian(1, 2)
    bc = np.sqrt(2 * 1 * 2 / 5) * np.exp(-1 / (4 * 5))
    assert hellinger_squared(p, q) == pytest.approx(1 - bc, abs=1e-12)


def test_symmetry_swaps_alpha():
    p, q = BIMODAL, Gaussian(1, 1.5)
    for alpha in (0.2, 0.35, 0.7):
        assert alpha_divergence(p, q, alpha) == pytest.approx(
            alpha_divergence(q, p, 1 - alpha), abs=1e-12
        )


@given(
    alpha=st.floats(0, 1),
    mean=st.floats(-5, 5),
    std=st.floats(0.2, 5),
)
def test_non_negative_and_zero_only_at_equality(alpha, mean, std):
    q = Gaussian(mean, std)
    assert alpha_divergence(BIMODAL, q, alpha) > 0
    assert abs(alpha_divergence(q, q, alpha)) < 1e-12


def test_bits():
    p, q = Gaussian(0, 1), Gaussian(2, 1)
    assert alpha_divergence(p, q, 0.3, base=2) == pytest.approx(
        alpha_divergence(p, q, 0.3) / np.log(2)
    )


# -- fit_alpha -------------------------------------------------------------------------------------


def test_fit_alpha_limits_are_the_lecture_04_fits():
    mode = fit_reverse_kl(BIMODAL, Gaussian(3, 1))
    assert fit_alpha(BIMODAL, 0.0, Gaussian(3, 1)) == mode
    near_zero = fit_alpha(BIMODAL, 1e-6, Gaussian(3, 1))
    assert near_zero.mean == pytest.approx(mode.mean, abs=1e-5)
    assert near_zero.std == pytest.approx(mode.std, abs=1e-5)
    central = fit_reverse_kl(BIMODAL, Gaussian(0, 3))
    near_zero = fit_alpha(BIMODAL, 1e-6, Gaussian(0, 3))
    assert near_zero.std == pytest.approx(central.std, abs=1e-5)

    forward = fit_forward_kl(BIMODAL)
    assert forward.var == pytest.approx(10.0)
    assert fit_alpha(BIMODAL, 1.0, Gaussian(3, 1)) == forward
    near_one = fit_alpha(BIMODAL, 1 - 1e-6, Gaussian(3, 1))
    assert near_one.mean == pytest.approx(0.0, abs=1e-5)
    assert near_one.var == pytest.approx(10.0, abs=1e-4)


def test_fit_alpha_is_a_stationary_point():
    for alpha, init in ((0.05, Gaussian(3, 1)), (0.3, Gaussian(3, 1)), (0.7, Gaussian(1, 1))):
        q = fit_alpha(BIMODAL, alpha, init)
        best = alpha_divergence(BIMODAL, q, alpha)
        for dm, ds in ((0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01)):
            other = Gaussian(q.mean + dm, q.std + ds)
            assert alpha_divergence(BIMODAL, other, alpha) > best


def test_fit_alpha_slides_from_mode_seeking_to_mass_covering():
    alphas = [0.01, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99]
    fits = [fit_alpha(BIMODAL, a, Gaussian(3, 1)) for a in alphas]
    stds = np.array([q.std for q in fits])
    means = np.array([q.mean for q in fits])
    assert np.all(np.diff(stds) > 0)  # σ grows with α
    assert stds[0] == pytest.approx(1.02, abs=0.01) and means[0] == pytest.approx(2.98, abs=0.01)
    assert np.all(means[:6] > 2.5)  # on the mode up to α = 0.45 ...
    assert np.all(np.abs(means[6:]) < 1e-6)  # ... covering both modes from α = 0.5
    assert stds[-1] == pytest.approx(np.sqrt(10), abs=0.01)
    # The global optimum switches from the mode to the central fit between α = 0.1 and 0.2.
    for alpha, mode_wins in ((0.1, True), (0.2, False)):
        mode = fit_alpha(BIMODAL, alpha, Gaussian(3, 1))
        central = fit_alpha(BIMODAL, alpha, Gaussian(0, 3))
        d_mode, d_central = (alpha_divergence(BIMODAL, q, alpha) for q in (mode, central))
        assert (d_mode < d_central) == mode_wins


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: alpha_divergence(BIMODAL, Gaussian(0, 1), 1.5), "between 0 and 1"),
        (lambda: alpha_divergence(BIMODAL, Gaussian(0, 1), float("nan")), "finite"),
        (lambda: alpha_divergence([0.5, 0.5], Gaussian(0, 1), 0.5), "p must be a Gaussian"),
        (lambda: hellinger_squared(BIMODAL, "q"), "q must be a Gaussian"),
        (lambda: fit_alpha(BIMODAL, 0.5, (3, 1)), "init must be a Gaussian"),
        (lambda: fit_alpha(BIMODAL, -0.1, Gaussian(3, 1)), "between 0 and 1"),
    ],
)
def test_bad_input_raises_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_an_alpha_fit_started_between_far_modes_does_not_run_away():
    # From N(0, 1) between modes at ±4 the descent used to widen q to σ ≈ 5846, past the grid;
    # the optimum is the central fit that a start from N(0, 2) finds.
    from coursekit.divergences import fit_alpha
    from coursekit.gaussians import Gaussian, Mixture

    runaway = fit_alpha(Mixture.symmetric(4), 0.3, Gaussian(0, 1))
    sound = fit_alpha(Mixture.symmetric(4), 0.3, Gaussian(0, 2))
    assert runaway.std == pytest.approx(sound.std, rel=1e-6) and sound.std < 5


def test_an_alpha_fit_past_the_end_of_the_mode_branch_warns_of_nothing():
    import warnings

    from coursekit.divergences import fit_alpha
    from coursekit.gaussians import Gaussian, Mixture

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = fit_alpha(Mixture.symmetric(3), 0.468, Gaussian(2.88, 1.2))
    assert abs(fit.mean) < 1e-6  # the mode optimum is gone at α = 0.468: q is central
