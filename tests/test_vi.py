"""coursekit.vi: the conjugate model's reference values, the ELBO identity, Monte Carlo ELBO and
gradient estimators against their exact moments, and Gaussian VI against the grid posterior."""

import doctest

import numpy as np
import pytest
import scipy.integrate
from hypothesis import given
from hypothesis import strategies as st

import coursekit.vi
from coursekit.gaussians import Gaussian, gaussian_entropy, gaussian_kl, mvn_kl
from coursekit.vi import (
    ConjugateGaussian,
    LogisticRegression2D,
    elbo_mc,
    fit_gaussian_vi,
    gaussian_elbo,
    gradient_moments,
    reparam_gradient,
    score_gradient,
)

MODEL = ConjugateGaussian(1.0, 1.0)
X = 2.0


def log_joint(z):
    return MODEL.log_joint(z, X)


def grad_log_joint(z):
    return MODEL.grad_log_joint(z, X)


@pytest.fixture(scope="module")
def logistic():
    model = LogisticRegression2D()
    return model, model.grid_posterior()


@pytest.fixture(scope="module")
def fits(logistic):
    model, _ = logistic
    return {family: fit_gaussian_vi(model, family) for family in ("full", "mean_field")}


def test_doctests():
    assert doctest.testmod(coursekit.vi).failed == 0


# -- the conjugate model: reference-values.md, "Variational inference, conjugate model" ---------


def test_reference_values():
    post = MODEL.posterior(X)
    assert post.mean == pytest.approx(1.0, abs=1e-12)
    assert post.var == pytest.approx(0.5, abs=1e-12)
    log_px = MODEL.log_evidence(X)
    assert log_px == pytest.approx(-0.5 * np.log(4 * np.pi) - 1, abs=1e-12)
    assert log_px == pytest.approx(-2.265512, abs=1e-6)
    assert MODEL.elbo(X, post) == pytest.approx(-2.265512, abs=1e-6)
    assert MODEL.reconstruction(X, post) == pytest.approx(-1.668939, abs=1e-6)
    assert MODEL.kl_to_prior(post) == pytest.approx(0.596574, abs=1e-6)
    assert MODEL.elbo(X, Gaussian(0, 1)) == pytest.approx(-3.418939, abs=1e-6)
    assert log_px - MODEL.elbo(X, Gaussian(0, 1)) == pytest.approx(1.153426, abs=1e-6)
    assert log_px - MODEL.elbo(X, Gaussian(1, 1)) == pytest.approx(0.153426, abs=1e-6)


def test_bayes_rule_holds_pointwise():
    # log p(x, z) = log p(x) + log p(z | x) for every z.
    model = ConjugateGaussian(1.7, 0.6)
    z = np.linspace(-4, 4, 17)
    np.testing.assert_allclose(
        model.log_joint(z, 1.3),
        model.log_evidence(1.3) + model.posterior(1.3).logpdf(z),
        atol=1e-12,
    )


def test_elbo_is_expected_log_joint_plus_entropy_by_quadrature():
    model, q = ConjugateGaussian(1.5, 0.8), Gaussian(0.4, 0.9)
    expected, _ = scipy.integrate.quad(
        lambda z: q.pdf(z) * model.log_joint(z, -0.7), -np.inf, np.inf, epsabs=1e-12
    )
    assert model.elbo(-0.7, q) == pytest.approx(expected + gaussian_entropy(q.std), abs=1e-9)


@given(
    prior_std=st.floats(0.2, 5),
    noise_std=st.floats(0.2, 5),
    x=st.floats(-10, 10),
    mean=st.floats(-10, 10),
    std=st.floats(0.05, 10),
)
def test_elbo_is_a_lower_bound_and_the_gap_is_the_reverse_kl(prior_std, noise_std, x, mean, std):
    model, q = ConjugateGaussian(prior_std, noise_std), Gaussian(mean, std)
    gap = model.log_evidence(x) - model.elbo(x, q)
    assert gap >= -1e-9
    assert gap == pytest.approx(gaussian_kl(q, model.posterior(x)), rel=1e-9, abs=1e-9)


def test_elbo_gradient_matches_finite_differences():
    model, x = ConjugateGaussian(1.3, 0.7), 0.9
    mean, log_std, h = 0.3, np.log(0.8), 1e-6

    def elbo(m, s):
        return model.elbo(x, Gaussian(m, np.exp(s)))

    fd = [
        (elbo(mean + h, log_std) - elbo(mean - h, log_std)) / (2 * h),
        (elbo(mean, log_std + h) - elbo(mean, log_std - h)) / (2 * h),
    ]
    np.testing.assert_allclose(
        model.elbo_gradient(x, Gaussian(mean, np.exp(log_std))), fd, atol=1e-8
    )


def test_grad_log_joint_matches_finite_differences():
    model, z, h = ConjugateGaussian(1.3, 0.7), np.linspace(-3, 3, 7), 1e-6
    fd = (model.log_joint(z + h, 0.9) - model.log_joint(z - h, 0.9)) / (2 * h)
    np.testing.assert_allclose(model.grad_log_joint(z, 0.9), fd, atol=1e-7)


# -- Monte Carlo ELBO -----------------------------------------------------------------------------


def test_monte_carlo_elbo_agrees_with_the_closed_form():
    for q in (Gaussian(0, 1), Gaussian(1, 1), Gaussian(-0.5, 2.0)):
        estimate, stderr = elbo_mc(log_joint, q, 4000, rng=1)
        assert abs(estimate - MODEL.elbo(X, q)) < 4 * stderr


def test_monte_carlo_elbo_is_exact_at_the_posterior():
    estimate, stderr = elbo_mc(log_joint, MODEL.posterior(X), 100, rng=2)
    assert estimate == pytest.approx(MODEL.log_evidence(X), abs=1e-12)
    assert stderr < 1e-12


def test_multivariate_monte_carlo_elbo_agrees_with_quadrature(logistic):
    model, grid = logistic
    mean, cov = np.array([-2.0, 1.0]), np.array([[1.0, -0.4], [-0.4, 0.25]])
    estimate, stderr = elbo_mc(model.log_joint, (mean, cov), 4000, rng=3)
    exact = gaussian_elbo(model, mean, cov)
    assert abs(estimate - exact) < 4 * stderr
    # and the quadrature ELBO is log p(D) − KL(q‖posterior), the KL computed on the grid
    assert grid.log_evidence - exact == pytest.approx(grid.kl_from(mean, cov), abs=1e-7)


# -- gradient estimators --------------------------------------------------------------------------

Q = Gaussian(0.3, 0.8)


@pytest.mark.parametrize("method", ["reparam", "score"])
def test_both_estimators_have_the_exact_gradient_as_mean(method):
    moments = gradient_moments(log_joint, grad_log_joint, Q, method)
    np.testing.assert_allclose(moments.mean, MODEL.elbo_gradient(X, Q), atol=1e-12)


def test_reparam_variance_matches_its_closed_form():
    # One sample: ∂μ = −P(d + σε), ∂logσ = −P(d + σε)σε + 1 with P = 1/σ₀² + 1/σ², d = μ − m*.
    precision, d, s = MODEL.posterior_precision, Q.mean - MODEL.posterior(X).mean, Q.std
    moments = gradient_moments(log_joint, grad_log_joint, Q, "reparam")
    expected = [[precision**2 * s**2, precision**2 * s**2 * d], [0, 0]]
    expected[1] = [expected[0][1], precision**2 * s**2 * d**2 + 2 * precision**2 * s**4]
    np.testing.assert_allclose(moments.cov, expected, atol=1e-12)


@pytest.mark.parametrize(
    ("method", "estimator"),
    [("reparam", lambda n, rng: reparam_gradient(grad_log_joint, Q, n, rng)),
     ("score", lambda n, rng: score_gradient(log_joint, Q, n, rng))],
)  # fmt: skip
def test_empirical_mean_and_variance_agree_with_the_exact_moments(method, estimator):
    n = 200_000
    estimate, samples = estimator(n, 7)
    moments = gradient_moments(log_joint, grad_log_joint, Q, method)
    assert samples.shape == (n, 2)
    np.testing.assert_allclose(estimate, samples.mean(axis=0))
    # the mean within 4 standard errors, the variances within 4%
    assert np.all(np.abs(estimate - moments.mean) < 4 * np.sqrt(moments.var / n))
    np.testing.assert_allclose(samples.var(axis=0), moments.var, rtol=0.04)


def test_score_function_gradient_is_much_noisier():
    reparam = gradient_moments(log_joint, grad_log_joint, Q, "reparam").var
    score = gradient_moments(log_joint, grad_log_joint, Q, "score").var
    assert np.all(score / reparam > 10)


# -- the non-conjugate model ----------------------------------------------------------------------


def test_logistic_gradients_match_finite_differences(logistic):
    model, _ = logistic
    z, h = np.array([[-2.0, 1.1], [0.5, -0.3], [-4.0, 2.5]]), 1e-6
    eye = np.eye(2)
    fd = np.stack(
        [(model.log_joint(z + h * e) - model.log_joint(z - h * e)) / (2 * h) for e in eye], -1
    )
    np.testing.assert_allclose(model.grad_log_joint(z), fd, atol=1e-6)
    for point in z:
        fd_hess = np.stack(
            [
                (model.grad_log_joint(point + h * e) - model.grad_log_joint(point - h * e))
                / (2 * h)
                for e in eye
            ],
            -1,
        )
        np.testing.assert_allclose(model.hessian_log_joint(point), fd_hess, atol=1e-6)


def test_log_joint_is_vectorised(logistic):
    model, _ = logistic
    z = np.random.default_rng(0).normal(size=(3, 4, 2))
    assert model.log_joint(z).shape == (3, 4)
    assert model.grad_log_joint(z).shape == (3, 4, 2)
    assert model.log_joint(z)[1, 2] == pytest.approx(model.log_joint(z[1, 2]))


def test_grid_posterior_is_converged(logistic):
    model, grid = logistic
    finer = model.grid_posterior(points=601, width=11.0)
    assert finer.log_evidence == pytest.approx(grid.log_evidence, abs=1e-8)
    np.testing.assert_allclose(finer.mean, grid.mean, atol=1e-8)
    np.testing.assert_allclose(finer.cov, grid.cov, atol=1e-8)
    # a clearly correlated posterior, as the lecture needs
    rho = grid.cov[0, 1] / np.sqrt(grid.cov[0, 0] * grid.cov[1, 1])
    assert rho < -0.8


def test_elbo_by_quadrature_never_exceeds_the_evidence(logistic):
    model, grid = logistic
    rng = np.random.default_rng(5)
    for _ in range(5):
        a = rng.normal(size=(2, 2))
        mean = grid.mean + rng.normal(size=2)
        assert gaussian_elbo(model, mean, a @ a.T + 0.05 * np.eye(2)) < grid.log_evidence


def test_gradient_estimators_in_two_dimensions_match_finite_differences(logistic):
    # The reparameterised VI gradient of fit_gaussian_vi, averaged over many samples, against
    # finite differences of the quadrature ELBO, for the mean and the log-diagonal of L.
    model, _ = logistic
    mean, chol = np.array([-2.0, 1.0]), np.array([[0.9, 0.0], [-0.35, 0.4]])
    eps = np.random.default_rng(11).standard_normal((400_000, 2))
    g = model.grad_log_joint(mean + eps @ chol.T)
    outer = g.T @ eps / len(eps)
    stochastic = np.concatenate([g.mean(axis=0), np.diag(outer) * np.diag(chol) + 1])

    def elbo(theta):
        m, l_ = theta[:2], chol.copy()
        l_[[0, 1], [0, 1]] = np.exp(theta[2:])
        return gaussian_elbo(model, m, l_ @ l_.T)

    theta, h = np.concatenate([mean, np.log(np.diag(chol))]), 1e-5
    fd = [(elbo(theta + h * e) - elbo(theta - h * e)) / (2 * h) for e in np.eye(4)]
    np.testing.assert_allclose(stochastic, fd, atol=0.03)


# -- Gaussian VI ---------------------------------------------------------------------------------


def test_full_covariance_vi_matches_the_grid_posterior(logistic, fits):
    _, grid = logistic
    fit = fits["full"]
    sd = np.sqrt(np.diag(grid.cov))
    assert np.all(np.abs(fit.mean - grid.mean) < 0.05 * sd)
    np.testing.assert_allclose(fit.cov, grid.cov, rtol=0.15, atol=0.02)
    assert mvn_kl(fit.mean, fit.cov, grid.mean, grid.cov) < 0.02
    gap = grid.log_evidence - fit.elbo[-1]
    assert 0 < gap < 0.03
    assert gap == pytest.approx(grid.kl_from(fit.mean, fit.cov), abs=1e-6)


def test_mean_field_vi_is_too_narrow(logistic, fits):
    _, grid = logistic
    fit = fits["mean_field"]
    variances = np.diag(fit.cov)
    assert fit.cov[0, 1] == 0
    assert np.all(variances < 0.25 * np.diag(grid.cov))  # far below the marginal variances
    np.testing.assert_allclose(variances, 1 / np.diag(grid.precision), rtol=0.15)
    gap = grid.log_evidence - fit.elbo[-1]
    assert 0.8 < gap < 1.1  # mean field cannot tilt: about a nat of KL stays
    assert gap > grid.log_evidence - fits["full"].elbo[-1]


def test_vi_traces_and_determinism(logistic, fits):
    model, grid = logistic
    fit = fits["full"]
    assert fit.elbo.shape == (201,) and fit.means.shape == (201, 2)
    assert fit.covs.shape == (201, 2, 2)
    np.testing.assert_allclose(fit.means[0], 0)
    np.testing.assert_allclose(fit.covs[0], np.eye(2))
    assert np.all(fit.elbo < grid.log_evidence)
    assert fit.elbo[-1] - fit.elbo[0] > 10
    assert fit.elbo[50:].min() > grid.log_evidence - 0.2
    again = fit_gaussian_vi(model, "full", steps=20)
    np.testing.assert_array_equal(again.means, fit.means[:21])


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ConjugateGaussian(0.0, 1.0), "prior_std must be greater than 0"),
        (lambda: ConjugateGaussian(1.0, -1.0), "noise_std must be greater than 0"),
        (lambda: MODEL.posterior(float("nan")), "x must be a finite number"),
        (lambda: MODEL.elbo(X, (1.0, 0.5)), "q must be a Gaussian"),
        (lambda: elbo_mc(log_joint, Gaussian(0, 1), 1, 0), "at least 2"),
        (lambda: elbo_mc("log p", Gaussian(0, 1), 10, 0), "log_joint must be a function"),
        (lambda: elbo_mc(log_joint, Gaussian(0, 1), 10, "seed"), "rng must be"),
        (lambda: gradient_moments(log_joint, grad_log_joint, Q, "pathwise"), "'reparam'"),
        (lambda: fit_gaussian_vi(LogisticRegression2D(), "diagonal"), "mean_field"),
        (lambda: fit_gaussian_vi(object()), "log_joint"),
        (lambda: LogisticRegression2D(x=[1.0, 2.0], y=[0, 2]), "labels 0 or 1"),
        (lambda: LogisticRegression2D(x=[1.0, 2.0], y=[0]), "same length"),
        (lambda: LogisticRegression2D().log_joint([1.0, 2.0, 3.0]), r"shape \(\.\.\., 2\)"),
        (lambda: gaussian_elbo(LogisticRegression2D(), [0, 0], [[1, 2], [2, 1]]), "definite"),
    ],
)
def test_bad_input_raises_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
