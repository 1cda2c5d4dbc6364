"""coursekit.estimators: Schulman's k1, k2, k3 against exact moments, quadrature and fixed-seed MC.

The Monte Carlo checks use fixed seeds and tolerances of 4 standard errors, so they are
deterministic and would fail by chance with probability < 1e-4 for another seed.
"""

import doctest

import numpy as np
import pytest
import scipy.integrate
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import coursekit.estimators
from coursekit.estimators import (
    ESTIMATORS,
    estimate_kl,
    estimator_spread,
    gaussian_shift_moments,
    kl_estimators,
)
from coursekit.gaussians import Gaussian, Mixture, gaussian_kl

Q = Gaussian(0.0, 1.0)


def integrate(f):
    """⟨f(x)⟩ for x ~ N(0, 1), by quadrature."""
    value = scipy.integrate.quad(
        lambda x: f(x) * Q.pdf(x), -14, 14, epsabs=1e-14, epsrel=1e-12, limit=400
    )[0]
    return value


def term(name, mu):
    """The per-sample term of estimator ``name`` for p = N(μ, 1), as a function of x."""
    p = Gaussian(mu, 1.0)
    return lambda x: float(kl_estimators([p.logpdf(x)], [Q.logpdf(x)])[name][0])


def std_error_of_std(values):
    """Standard error of the sample standard deviation, from the sample's own kurtosis."""
    centred = values - values.mean()
    kurtosis = np.mean(centred**4) / np.mean(centred**2) ** 2
    return values.std(ddof=1) * np.sqrt((kurtosis - 1) / (4 * values.size))


# --- the per-sample terms ------------------------------------------------------------------------


def test_terms_follow_the_formulas():
    log_p = np.array([-1.0, -2.0, -0.5])
    log_q = np.array([-1.5, -1.0, -0.5])
    log_r = log_p - log_q
    terms = kl_estimators(log_p, log_q)
    assert set(terms) == set(ESTIMATORS)
    np.testing.assert_allclose(terms["k1"], -log_r)
    np.testing.assert_allclose(terms["k2"], 0.5 * log_r**2)
    np.testing.assert_allclose(terms["k3"], (np.exp(log_r) - 1) - log_r)


def test_terms_keep_the_shape_of_the_input():
    terms = kl_estimators(np.zeros((3, 4)), np.ones((3, 4)))
    assert all(t.shape == (3, 4) for t in terms.values())


def test_k3_is_accurate_when_r_is_close_to_one():
    # (r − 1) − log r ≈ (log r)²/2 for small log r; the naive formula would give 0 or noise.
    log_r = 1e-9
    k3 = kl_estimators([log_r], [0.0])["k3"][0]
    assert k3 == pytest.approx(log_r**2 / 2, rel=1e-6)


# Up to ±1000, so that r = exp(log r) overflows to inf in some examples.
finite = st.floats(-1000, 1000, allow_nan=False, allow_infinity=False)


@given(
    hnp.arrays(np.float64, st.integers(1, 20), elements=finite),
    hnp.arrays(np.float64, st.integers(1, 20), elements=finite),
)
def test_k2_and_k3_are_never_negative(a, b):
    n = min(a.size, b.size)
    terms = kl_estimators(a[:n], b[:n])
    for name in ("k2", "k3"):
        assert not np.isnan(terms[name]).any()
        assert (terms[name] >= 0).all(), name


@given(finite, finite)
def test_k1_is_negative_exactly_where_p_exceeds_q(log_p, log_q):
    k1 = kl_estimators([log_p], [log_q])["k1"][0]
    assert (k1 < 0) == (log_p > log_q)


# --- exact moments for q = N(0, 1), p = N(μ, 1) ------------------------------------------------

MUS = [0.1, 0.5, 1.0, 2.0]


@pytest.mark.parametrize("mu", MUS)
@pytest.mark.parametrize("name", ESTIMATORS)
def test_exact_moments_match_quadrature(mu, name):
    f = term(name, mu)
    mean = integrate(f)
    std = np.sqrt(integrate(lambda x: (f(x) - mean) ** 2))
    exact = gaussian_shift_moments(mu)[name]
    assert exact["mean"] == pytest.approx(mean, rel=1e-8)
    assert exact["std"] == pytest.approx(std, rel=1e-7)
    assert exact["true_kl"] == pytest.approx(gaussian_kl(Q, Gaussian(mu, 1.0)), rel=1e-12)


@pytest.mark.parametrize("mu", [0.1, 0.25, 0.5, 1.0, 2.0, -1.5])
def test_schulman_ratios(mu):
    m = gaussian_shift_moments(mu)
    kl = mu**2 / 2
    assert m["k1"]["bias"] == 0 and m["k3"]["bias"] == 0  # unbiased
    assert m["k1"]["std"] / kl == pytest.approx(2 / abs(mu), rel=1e-12)
    assert m["k2"]["bias"] / kl == pytest.approx(mu**2 / 4, rel=1e-12)


def test_k3_spread_matches_the_reference_values():
    # reference-values.md: std/KL ≈ 1.42 at μ = 0.1 and ≈ 1.70 at μ = 1 (Schulman's table).
    for mu, ratio in [(0.1, 1.42), (1.0, 1.70)]:
        m = gaussian_shift_moments(mu)["k3"]
        assert m["std"] / m["true_kl"] == pytest.approx(ratio, abs=0.01)
    # and the exact values, for the prose
    assert gaussian_shift_moments(0.1)["k3"]["std"] / 0.005 == pytest.approx(1.416575, abs=1e-6)
    assert gaussian_shift_moments(1.0)["k3"]["std"] / 0.5 == pytest.approx(1.695030, abs=1e-6)


def test_moments_of_an_average_of_n_samples():
    one, many = gaussian_shift_moments(1.0), gaussian_shift_moments(1.0, n=100)
    for name in ESTIMATORS:
        assert many[name]["mean"] == one[name]["mean"]
        assert many[name]["std"] == pytest.approx(one[name]["std"] / 10, rel=1e-12)


def test_moments_at_zero_shift_are_zero():
    for values in gaussian_shift_moments(0.0).values():
        assert values == {"mean": 0.0, "std": 0.0, "bias": 0.0, "true_kl": 0.0}


# --- Monte Carlo with fixed seeds ---------------------------------------------------------------


@pytest.mark.parametrize(("mu", "n"), [(0.5, 20), (1.0, 50), (1.0, 5)])
def test_spread_agrees_with_the_exact_moments(mu, n):
    repeats = 4000
    spread = estimator_spread(Q, Gaussian(mu, 1.0), n, repeats, rng=12345)
    exact = gaussian_shift_moments(mu, n=n)
    for name in ESTIMATORS:
        s, e = spread[name], exact[name]
        assert s["estimates"].shape == (repeats,)
        assert s["true_kl"] == e["true_kl"]
        standard_error = e["std"] / np.sqrt(repeats)
        assert abs(s["mean"] - e["mean"]) < 4 * standard_error, name
        assert abs(s["bias"] - e["bias"]) < 4 * standard_error, name
        assert abs(s["std"] - e["std"]) < 4 * std_error_of_std(s["estimates"]), name


def test_k1_and_k3_are_unbiased_and_k2_is_not():
    mu, n, repeats = 1.0, 10, 20_000
    spread = estimator_spread(Q, Gaussian(mu, 1.0), n, repeats, rng=7)
    kl = mu**2 / 2
    for name in ("k1", "k3"):
        se = spread[name]["std"] / np.sqrt(repeats)
        assert abs(spread[name]["bias"]) < 4 * se, name
    se = spread["k2"]["std"] / np.sqrt(repeats)
    assert spread["k2"]["bias"] > 20 * se  # clearly biased ...
    assert spread["k2"]["bias"] / kl == pytest.approx(mu**2 / 4, abs=4 * se / kl)  # ... by μ²/4


def test_k3_spreads_less_than_k1_for_close_distributions():
    spread = estimator_spread(Q, Gaussian(0.1, 1.0), 100, 2000, rng=3)
    assert spread["k3"]["std"] < spread["k1"]["std"] / 10  # exact ratio 1.42 / 20


def test_estimate_kl_converges_to_the_true_value():
    p = Gaussian(1.0, 1.0)
    n = 200_000
    estimates = estimate_kl(Q, p, n, rng=0)
    exact = gaussian_shift_moments(1.0, n=n)
    assert set(estimates) == set(ESTIMATORS)
    for name in ESTIMATORS:
        assert isinstance(estimates[name], float)
        assert abs(estimates[name] - exact[name]["mean"]) < 4 * exact[name]["std"], name


def test_estimate_kl_works_for_mixtures_without_a_true_value():
    target = Mixture.symmetric(2.0)
    estimates = estimate_kl(Q, target, 1000, rng=1)
    assert all(np.isfinite(v) for v in estimates.values())
    spread = estimator_spread(Q, target, 100, 50, rng=1)
    assert all(s["true_kl"] is None and s["bias"] is None for s in spread.values())
    # KL(N(0,1) ‖ mixture) by quadrature; the unbiased estimators find it.
    exact = integrate(lambda x: Q.logpdf(x) - target.logpdf(x))
    for name in ("k1", "k3"):
        se = spread[name]["std"] / np.sqrt(50)
        assert abs(spread[name]["mean"] - exact) < 4 * se, name


def test_seeds_make_estimates_reproducible():
    p = Gaussian(0.5, 1.0)
    a = estimator_spread(Q, p, 30, 10, rng=42)
    b = estimator_spread(Q, p, 30, 10, rng=np.random.default_rng(42))
    for name in ESTIMATORS:
        np.testing.assert_array_equal(a[name]["estimates"], b[name]["estimates"])
    assert estimate_kl(Q, p, 30, rng=5) == estimate_kl(Q, p, 30, rng=5)


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("log_p", "log_q", "message"),
    [
        ([0.0, 1.0], [0.0], r"log_p has shape \(2,\) but log_q has shape \(1,\)"),
        ([], [], r"log_p is empty"),
        ([np.nan], [0.0], r"log_p contains NaN at index 0"),
        ([0.0, -np.inf], [0.0, 0.0], r"log_p is -inf at index 1: p\(x\) = 0.*KL.*infinite"),
        ([0.0], [-np.inf], r"log_q is -inf.*did not come from q"),
        ([0.0], [np.inf], r"log_q is \+inf"),
        (["a"], [0.0], r"log_p must be a number or an array of numbers"),
    ],
)
def test_bad_log_densities_raise_a_clear_error(log_p, log_q, message):
    with pytest.raises(ValueError, match=message):
        kl_estimators(log_p, log_q)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, r"n must be an integer ≥ 1 \(a number of samples"),
        ({"n": 2.5}, r"n must be an integer.*got 2\.5\. Use int"),
        ({"n": True}, r"n must be an integer"),
        ({"repeats": 1}, r"repeats must be an integer ≥ 2"),
        ({"repeats": "10"}, r"repeats must be an integer"),
        ({"q": "N(0,1)"}, r"q must be a distribution with sample\(n, rng\) and logpdf\(x\)"),
        ({"p": 1.0}, r"p must be a distribution"),
        ({"rng": None}, r"rng must be a numpy Generator or an integer seed"),
    ],
)
def test_bad_arguments_raise_a_clear_error(kwargs, message):
    args = {"q": Q, "p": Gaussian(1, 1), "n": 10, "repeats": 5, "rng": 0} | kwargs
    with pytest.raises(ValueError, match=message):
        estimator_spread(**args)
    if "repeats" not in kwargs:
        del args["repeats"]
        with pytest.raises(ValueError, match=message):
            estimate_kl(**args)


@pytest.mark.parametrize(
    ("args", "message"),
    [((np.nan,), r"mu must be a finite number"), ((1.0, 0), r"n must be an integer ≥ 1")],
)
def test_bad_shift_moments_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        gaussian_shift_moments(*args)


# --- housekeeping ----------------------------------------------------------------------------


def test_docstring_examples():
    result = doctest.testmod(coursekit.estimators)
    assert result.attempted >= 6 and result.failed == 0
