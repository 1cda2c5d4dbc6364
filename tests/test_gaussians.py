"""coursekit.gaussians against quadrature, Monte Carlo with fixed seeds, and scipy.stats."""

import dataclasses
import doctest

import numpy as np
import pytest
import scipy.integrate
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

import coursekit.gaussians
from coursekit.gaussians import (
    Gaussian,
    Mixture,
    gaussian_entropy,
    gaussian_kl,
    mvn_entropy,
    mvn_kl,
)

means = st.floats(-5, 5)
stds = st.floats(0.2, 5)
gaussians = st.builds(Gaussian, means, stds)


def integrate(f, lo, hi):
    return scipy.integrate.quad(f, lo, hi, epsabs=1e-12, epsrel=1e-12, limit=200)[0]


def around(d):
    """Integration limits holding all but < 1e-30 of the mass of the density d."""
    return d.mean - 12 * d.std, d.mean + 12 * d.std


def random_spd(rng, k):
    a = rng.normal(size=(k, k))
    return a @ a.T + 0.5 * np.eye(k)


# --- Gaussian ------------------------------------------------------------------------------------

PAIRS = [
    (Gaussian(0, 1), Gaussian(1, 2)),
    (Gaussian(1, 2), Gaussian(0, 1)),
    (Gaussian(-3, 0.5), Gaussian(2, 3)),
    (Gaussian(0, 0.1), Gaussian(0.05, 0.2)),
    (Gaussian(5, 4), Gaussian(4, 5)),
    (Gaussian(0, 1), Gaussian(0, 1)),
]


@pytest.mark.parametrize(("p", "q"), PAIRS)
def test_gaussian_kl_matches_quadrature(p, q):
    integrand = lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x))  # noqa: E731
    assert gaussian_kl(p, q) == pytest.approx(integrate(integrand, *around(p)), abs=1e-9)


@pytest.mark.parametrize("std", [0.1, 1 / np.sqrt(2 * np.pi * np.e), 1.0, 7.0])
def test_gaussian_entropy_matches_quadrature(std):
    g = Gaussian(2.0, std)
    h = integrate(lambda x: -g.pdf(x) * g.logpdf(x), *around(g))
    assert gaussian_entropy(std) == pytest.approx(h, abs=1e-9)
    assert gaussian_entropy(std, base=2) == pytest.approx(h / np.log(2), abs=1e-9)


def test_gaussian_entropy_is_vectorised():
    stds = np.array([[0.1, 1.0], [2.0, 3.0]])
    h = gaussian_entropy(stds)
    assert h.shape == (2, 2)
    np.testing.assert_allclose(h, scipy.stats.norm(scale=stds).entropy(), rtol=1e-12)
    assert type(gaussian_entropy(1.0)) is float


@given(gaussians, gaussians)
def test_gaussian_kl_properties(p, q):
    assert gaussian_kl(p, q) >= 0
    assert gaussian_kl(p, p) == 0.0
    assert gaussian_kl(p, q, base=2) == pytest.approx(gaussian_kl(p, q) / np.log(2))
    one_d = mvn_kl([p.mean], [[p.var]], [q.mean], [[q.var]])
    assert one_d == pytest.approx(gaussian_kl(p, q), rel=1e-9, abs=1e-12)


@given(gaussians, st.lists(st.floats(-20, 20), min_size=1, max_size=20))
def test_density_agrees_with_scipy(g, xs):
    ref = scipy.stats.norm(g.mean, g.std)
    np.testing.assert_allclose(g.logpdf(xs), ref.logpdf(xs), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g.pdf(xs), ref.pdf(xs), rtol=1e-12, atol=1e-300)


def test_gaussian_basics():
    g = Gaussian(1, 2)
    assert (g.mean, g.std, g.var) == (1.0, 2.0, 4.0)
    assert type(g.mean) is float and type(g.std) is float
    assert repr(g) == "Gaussian(mean=1, std=2)"
    assert repr(Gaussian(0.5, np.sqrt(2))) == f"Gaussian(mean=0.5, std={float(np.sqrt(2))!r})"
    assert g == Gaussian(1.0, 2.0) and hash(g) == hash(Gaussian(1.0, 2.0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.std = 3.0
    assert integrate(g.pdf, -np.inf, np.inf) == pytest.approx(1.0, abs=1e-10)
    assert type(g.pdf(0.0)) is float
    assert g.pdf(np.zeros((2, 3))).shape == (2, 3)
    assert g.pdf(np.inf) == 0.0 and g.logpdf(-np.inf) == -np.inf


def test_gaussian_sampling_is_reproducible():
    g = Gaussian(1, 2)
    a = g.sample(1000, 7)
    np.testing.assert_array_equal(a, g.sample(1000, np.random.default_rng(7)))
    assert not np.array_equal(a, g.sample(1000, 8))
    assert a.shape == (1000,)
    assert g.sample(0, 1).shape == (0,)
    big = g.sample(200_000, 0)
    assert big.mean() == pytest.approx(1.0, abs=4 * 2 / np.sqrt(big.size))
    assert big.std() == pytest.approx(2.0, rel=0.01)


# --- Multivariate --------------------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_mvn_entropy_matches_scipy(k):
    cov = random_spd(np.random.default_rng(k), k)
    expected = scipy.stats.multivariate_normal(cov=cov).entropy()
    assert mvn_entropy(cov) == pytest.approx(expected, rel=1e-12)
    assert mvn_entropy(cov, base=2) == pytest.approx(expected / np.log(2), rel=1e-12)


def test_mvn_entropy_of_independent_coordinates_is_a_sum():
    stds = np.array([0.1, 1.0, 3.0])
    assert mvn_entropy(np.diag(stds**2)) == pytest.approx(gaussian_entropy(stds).sum())


@pytest.mark.parametrize("k", [2, 3])
def test_mvn_kl_matches_monte_carlo(k):
    rng = np.random.default_rng(100 + k)
    mean_p, mean_q = rng.normal(size=k), rng.normal(size=k)
    cov_p, cov_q = random_spd(rng, k), random_spd(rng, k)
    p = scipy.stats.multivariate_normal(mean_p, cov_p)
    q = scipy.stats.multivariate_normal(mean_q, cov_q)
    x = p.rvs(size=200_000, random_state=rng)
    log_ratio = p.logpdf(x) - q.logpdf(x)
    standard_error = log_ratio.std() / np.sqrt(x.shape[0])
    kl = mvn_kl(mean_p, cov_p, mean_q, cov_q)
    assert kl == pytest.approx(log_ratio.mean(), abs=4 * standard_error)


def test_mvn_kl_of_diagonal_covariances_is_a_sum_of_1d_kls():
    p = [Gaussian(0, 1), Gaussian(1, 0.5), Gaussian(-2, 3)]
    q = [Gaussian(1, 2), Gaussian(0, 1), Gaussian(-2, 1)]
    total = sum(gaussian_kl(a, b) for a, b in zip(p, q, strict=True))
    kl = mvn_kl(
        [g.mean for g in p],
        np.diag([g.var for g in p]),
        [g.mean for g in q],
        np.diag([g.var for g in q]),
    )
    assert kl == pytest.approx(total, rel=1e-12)


def test_mvn_kl_basic_properties():
    rng = np.random.default_rng(5)
    mean, cov = rng.normal(size=3), random_spd(rng, 3)
    assert mvn_kl(mean, cov, mean, cov) == pytest.approx(0.0, abs=1e-12)
    other = random_spd(rng, 3)
    assert mvn_kl(mean, cov, mean + 1, other) > 0
    assert mvn_kl(mean, cov, mean + 1, other, base=2) == pytest.approx(
        mvn_kl(mean, cov, mean + 1, other) / np.log(2)
    )
    assert type(mvn_kl(mean, cov, mean, cov)) is float


# --- Mixture -------------------------------------------------------------------------------------

MIXTURES = [
    Mixture.symmetric(3),
    Mixture.symmetric(0.5, std=2.0),
    Mixture([0.2, 0.5, 0.3], [Gaussian(-4, 0.5), Gaussian(0, 1), Gaussian(5, 2)]),
    Mixture([1.0, 0.0], [Gaussian(1, 2), Gaussian(7, 1)]),
]


@pytest.mark.parametrize("m", MIXTURES)
def test_mixture_moments_match_quadrature(m):
    lo, hi = m.mean - 15 * m.std, m.mean + 15 * m.std
    assert integrate(m.pdf, lo, hi) == pytest.approx(1.0, abs=1e-10)
    mean = integrate(lambda x: x * m.pdf(x), lo, hi)
    var = integrate(lambda x: (x - mean) ** 2 * m.pdf(x), lo, hi)
    assert m.mean == pytest.approx(mean, abs=1e-9)
    assert m.var == pytest.approx(var, rel=1e-9)
    assert m.std == pytest.approx(np.sqrt(var), rel=1e-9)


@pytest.mark.parametrize("m", MIXTURES)
def test_mixture_sample_moments(m):
    x = m.sample(200_000, 42)
    assert x.shape == (200_000,)
    assert x.mean() == pytest.approx(m.mean, abs=4 * m.std / np.sqrt(x.size))
    assert x.var() == pytest.approx(m.var, rel=0.02)


def test_mixture_logpdf_is_log_pdf_and_stable():
    m = MIXTURES[2]
    x = np.linspace(-10, 12, 101)
    np.testing.assert_allclose(m.logpdf(x), np.log(m.pdf(x)), rtol=1e-12)
    manual = sum(w * c.pdf(x) for w, c in zip(m.weights, m.components, strict=True))
    np.testing.assert_allclose(m.pdf(x), manual, rtol=1e-12)
    # Far in the tail the density underflows to 0 but the log density stays exact.
    far = Mixture.symmetric(3).logpdf(100.0)
    assert far == pytest.approx(np.log(0.5) + Gaussian(3, 1).logpdf(100.0), rel=1e-12)
    assert np.isfinite(Mixture.symmetric(3).logpdf(-1e3))


def test_mixture_with_one_component_is_that_gaussian():
    g = Gaussian(1.5, 0.7)
    m = Mixture([1.0], [g])
    x = np.linspace(-3, 5, 9)
    np.testing.assert_allclose(m.logpdf(x), g.logpdf(x), rtol=1e-12)
    assert (m.mean, m.var) == pytest.approx((g.mean, g.var))


def test_mixture_basics():
    m = Mixture(np.array([0.5, 0.5]), (Gaussian(-3, 1), Gaussian(3, 1)))
    assert m == Mixture.symmetric(3)
    assert hash(m) == hash(Mixture.symmetric(3))
    assert m.weights == (0.5, 0.5) and isinstance(m.components, tuple)
    assert repr(m) == (
        "Mixture(weights=[0.5, 0.5], components=[Gaussian(mean=-3, std=1), "
        "Gaussian(mean=3, std=1)])"
    )
    assert (m.mean, m.var) == (0.0, 10.0)
    assert type(m.pdf(0.0)) is float and m.pdf([0.0, 1.0]).shape == (2,)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.weights = (1.0, 0.0)


def test_mixture_sampling_is_reproducible():
    m = MIXTURES[2]
    np.testing.assert_array_equal(m.sample(500, 3), m.sample(500, np.random.default_rng(3)))
    assert not np.array_equal(m.sample(500, 3), m.sample(500, 4))
    assert m.sample(0, 3).shape == (0,)


def test_docstring_examples():
    result = doctest.testmod(coursekit.gaussians)
    assert result.attempted >= 6 and result.failed == 0
