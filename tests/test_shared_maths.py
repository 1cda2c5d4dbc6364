"""The maths layer's shared helpers: the one Gaussian log-density, its log-normaliser, the
covariance checks, and the quadrature rules, against scipy.stats and scipy.integrate.quad."""

import doctest

import numpy as np
import pytest
import scipy.integrate
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

import coursekit.quadrature
from coursekit import _validate as check
from coursekit.gaussians import (
    LOG_2PI,
    Gaussian,
    Mixture,
    half_log_det,
    log_normaliser,
    normal_logpdf,
)
from coursekit.quadrature import (
    Z_MAX,
    mass_grid,
    mass_interval,
    normal_hermite,
    normal_hermite_product,
    normal_trapezoid,
    trapezoid_level,
    weighted_sum,
)

finite = st.floats(-50, 50, allow_nan=False)
positive = st.floats(0.01, 20, allow_nan=False)


def quad(f, lo, hi, points=None):
    return scipy.integrate.quad(f, lo, hi, points=points, epsabs=1e-13, epsrel=1e-13, limit=500)[0]


# -- the Gaussian log-density and its normaliser --------------------------------------------------


@given(x=finite, mean=finite, std=positive)
def test_normal_logpdf_matches_scipy(x, mean, std):
    expected = scipy.stats.norm.logpdf(x, mean, std)
    assert normal_logpdf(x, mean, std) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_normal_logpdf_broadcasts_like_scipy():
    x = np.linspace(-5, 5, 11)[:, None]
    mean, std = np.array([-1.0, 0.0, 2.0]), np.array([0.5, 1.0, 3.0])
    np.testing.assert_allclose(
        normal_logpdf(x, mean, std), scipy.stats.norm.logpdf(x, mean, std), rtol=1e-13
    )
    assert normal_logpdf(0.0) == pytest.approx(-0.5 * LOG_2PI)


def test_gaussian_and_mixture_use_the_same_density():
    x = np.linspace(-6, 6, 25)
    assert Gaussian(1, 2).logpdf(x) == pytest.approx(normal_logpdf(x, 1, 2), rel=1e-15)
    mixture = Mixture((0.3, 0.7), (Gaussian(-1, 0.5), Gaussian(2, 1.5)))
    expected = np.log(
        0.3 * scipy.stats.norm.pdf(x, -1, 0.5) + 0.7 * scipy.stats.norm.pdf(x, 2, 1.5)
    )
    np.testing.assert_allclose(mixture.logpdf(x), expected, rtol=1e-12)


@given(std=positive)
def test_log_normaliser_in_one_dimension(std):
    # The density at its mean is 1/Z; the entropy is log Z + 1/2.
    log_z = log_normaliser(np.log(std))
    assert log_z == pytest.approx(-scipy.stats.norm.logpdf(0.0, 0.0, std), rel=1e-12, abs=1e-12)
    assert log_z + 0.5 == pytest.approx(scipy.stats.norm.entropy(0.0, std), rel=1e-12, abs=1e-12)


def test_log_normaliser_and_half_log_det_in_k_dimensions():
    rng = np.random.default_rng(7)
    for k in (1, 2, 3, 5):
        a = rng.normal(size=(k, k))
        cov = a @ a.T + 0.5 * np.eye(k)
        chol = check.cholesky(cov, "cov")
        assert half_log_det(chol) == pytest.approx(0.5 * np.linalg.slogdet(cov)[1], rel=1e-12)
        log_z = log_normaliser(half_log_det(chol), k)
        mvn = scipy.stats.multivariate_normal(np.zeros(k), cov)
        assert log_z == pytest.approx(-mvn.logpdf(np.zeros(k)), rel=1e-12)
        assert log_z + k / 2 == pytest.approx(mvn.entropy(), rel=1e-12)


# -- covariance checks ----------------------------------------------------------------------------


def test_covariance_checks_return_the_factor_or_say_what_is_wrong():
    chol = check.cholesky([[4.0, 2.0], [2.0, 2.0]], "cov")
    np.testing.assert_allclose(chol @ chol.T, [[4.0, 2.0], [2.0, 2.0]])
    with pytest.raises(ValueError, match="square k×k"):
        check.cholesky([1.0, 2.0], "cov")
    with pytest.raises(ValueError, match="not symmetric"):
        check.cholesky([[1.0, 0.5], [0.0, 1.0]], "cov")
    with pytest.raises(ValueError, match="not positive definite"):
        check.cholesky([[1.0, 2.0], [2.0, 1.0]], "cov")
    np.testing.assert_array_equal(check.mean_vector([1, 2], 2, "mean", "cov"), [1.0, 2.0])
    with pytest.raises(ValueError, match="mean has shape \\(3,\\) but cov is 2×2"):
        check.mean_vector([1, 2, 3], 2, "mean", "cov")
    assert check.positive_scalar(2, "lr") == 2.0
    with pytest.raises(ValueError, match="lr must be greater than 0"):
        check.positive_scalar(0, "lr")


# -- the ±12σ trapezoid grid ----------------------------------------------------------------------

DENSITIES = [
    Gaussian(0, 1),
    Gaussian(3, 0.2),
    Mixture.symmetric(2),
    Mixture((0.2, 0.8), (Gaussian(-4, 0.3), Gaussian(1, 2.0))),
]


def test_mass_interval_holds_twelve_sigma_of_every_component():
    lo, hi = mass_interval(Gaussian(0, 1), Mixture.symmetric(3, std=0.5))
    assert (lo, hi) == (-12.0, 12.0)
    assert mass_interval(Gaussian(1, 2)) == (-23.0, 25.0)


@pytest.mark.parametrize("p", DENSITIES)
def test_mass_grid_integrates_the_density_to_one(p):
    x, w = mass_grid(p)
    lo, hi = mass_interval(p)
    assert x[0] == lo and x[-1] == hi
    assert w.sum() == pytest.approx(hi - lo, rel=1e-12)
    assert float(w @ p.pdf(x)) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("p", DENSITIES)
@pytest.mark.parametrize("q", [Gaussian(0.5, 1.5), Mixture.symmetric(1)])
def test_mass_grid_kl_matches_scipy_quad(p, q):
    x, w = mass_grid(p, q)
    log_p = p.logpdf(x)
    on_grid = float(w @ (np.exp(log_p) * (log_p - q.logpdf(x))))
    lo, hi = mass_interval(p, q)

    def integrand(t):
        lp = float(p.logpdf(t))
        return np.exp(lp) * (lp - float(q.logpdf(t)))

    centres = [c.mean for d in (p, q) for c in getattr(d, "components", [d])]
    assert on_grid == pytest.approx(quad(integrand, lo, hi, points=centres), abs=1e-9)


def test_mass_grid_with_a_fixed_number_of_points():
    x, w = mass_grid(Gaussian(0, 1), points=2401)
    assert x.size == w.size == 2401
    f = np.exp(-0.5 * x * x)
    assert float(w @ f) == pytest.approx(np.trapezoid(f, x), rel=1e-13)
    # The default resolves the narrowest component with 8 nodes per std, at least 2001 nodes;
    # where that would take more than 40001, Gauss–Legendre panels take over (few nodes).
    x, _ = mass_grid(Gaussian(0, 10), Gaussian(0, 0.05))
    assert x.size >= 8 * (x[-1] - x[0]) / 0.05
    assert mass_grid(Gaussian(0, 1))[0].size == 2001
    narrow, wide = Gaussian(0, 0.001), Gaussian(0, 100)
    x, w = mass_grid(wide, narrow)
    assert x.size < 2000 and np.all(np.diff(x) > 0)
    assert float(w @ narrow.pdf(x)) == pytest.approx(1.0, abs=1e-13)
    assert float(w @ wide.pdf(x)) == pytest.approx(1.0, abs=1e-13)


# -- rules for E[f(z)], z ~ N(0, 1) ---------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 1, 3, 9])
def test_normal_trapezoid_integrates_against_the_standard_normal(level):
    z, w = normal_trapezoid(level)
    assert z[0] == -Z_MAX and z[-1] == Z_MAX
    assert np.diff(z)[0] == pytest.approx(0.5 / 2**level)
    assert float(w.sum()) == pytest.approx(1.0, abs=1e-14)
    assert float(w @ z**2) == pytest.approx(1.0, abs=1e-13)
    assert float(w @ np.cos(z)) == pytest.approx(np.exp(-0.5), abs=1e-14)
    assert not w.flags.writeable and normal_trapezoid(level) is normal_trapezoid(level)


def test_normal_trapezoid_matches_quad_for_the_log_of_a_mixture():
    p, mean, std = Mixture.symmetric(3), 0.0, 3.2
    z, w = normal_trapezoid(int(trapezoid_level(0.1)))
    on_rule = float(weighted_sum(p.logpdf(mean + std * z), w))
    exact = quad(
        lambda t: float(p.logpdf(mean + std * t)) * scipy.stats.norm.pdf(t), -12, 12, [0.0]
    )
    assert on_rule == pytest.approx(exact, abs=1e-9)


def test_trapezoid_level_makes_the_spacing_a_third_of_the_strip():
    distances = np.array([np.inf, 10.0, 1.5, 0.3, 0.05, 1e-9])
    levels = trapezoid_level(distances)
    assert levels.tolist() == [0, 0, 0, 3, 5, 9]
    spacing = 0.5 / 2.0**levels
    assert np.all((spacing <= distances / 3) | (levels == 9) | (levels == 0) & (spacing <= 0.5))


def test_gauss_hermite_rules():
    eps, w = normal_hermite(5)
    assert float(w @ eps**4) == pytest.approx(3.0, rel=1e-13)  # exact below degree 10
    assert float(w @ eps**8) == pytest.approx(105.0, rel=1e-12)
    points, weights = normal_hermite_product(2, 6)
    assert points.shape == (36, 2)
    assert float(weights.sum()) == pytest.approx(1.0)
    assert float(weights @ (points[:, 0] ** 2 * points[:, 1] ** 2)) == pytest.approx(1.0)
    assert float(weights @ (points[:, 0] * points[:, 1])) == pytest.approx(0.0, abs=1e-15)


def test_weighted_sum_is_a_dot_product_over_the_last_axis():
    rng = np.random.default_rng(0)
    values, weights = rng.normal(size=(3, 50)), rng.random(50)
    np.testing.assert_allclose(weighted_sum(values, weights), values @ weights, rtol=1e-13)


def test_docstring_examples():
    result = doctest.testmod(coursekit.quadrature)
    assert result.attempted >= 3 and result.failed == 0
