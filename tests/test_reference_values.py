"""Every number in shared/reference-values.md that coursekit.info and coursekit.gaussians compute.

The section headings follow that file. Values quoted to six decimals are asserted to 1e-6.
"""

import numpy as np
import pytest
import scipy.integrate
import scipy.optimize
import scipy.spatial.distance
import scipy.special
import scipy.stats

from coursekit.gaussians import (
    Gaussian,
    Mixture,
    gaussian_entropy,
    gaussian_kl,
    mvn_entropy,
    mvn_kl,
)
from coursekit.info import (
    bernoulli_kl,
    binary_entropy,
    cross_entropy,
    entropy,
    js_divergence,
    kl_divergence,
    surprise,
)

LN2 = np.log(2)


def near(value, abs=1e-6):
    return pytest.approx(value, abs=abs)


def bern(x):
    return [1 - x, x]


def expect(f, g):
    """E_f[g(x)] = ∫ f(x) g(x) dx by quadrature over mean ± 12 std (the rest holds < 1e-30)."""
    lo, hi = f.mean - 12 * f.std, f.mean + 12 * f.std
    return scipy.integrate.quad(lambda x: f.pdf(x) * g(x), lo, hi, epsabs=1e-12, limit=200)[0]


# --- Entropy -------------------------------------------------------------------------------------


def test_fair_coin():
    assert entropy([0.5, 0.5], base=2) == near(1.0)
    assert entropy([0.5, 0.5]) == near(0.693147)
    assert binary_entropy(0.5, base=2) == near(1.0)
    assert surprise(0.5, base=2) == near(1.0)


def test_biased_coin():
    assert binary_entropy(0.9, base=2) == near(0.468996)
    assert binary_entropy(0.9) == near(0.325083)
    assert entropy(bern(0.9), base=2) == near(0.468996)


def test_fair_die():
    assert entropy(np.full(6, 1 / 6), base=2) == near(2.584963)
    assert entropy(np.full(6, 1 / 6)) == near(1.791759)


def test_prefix_code():
    p = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 64, 1 / 64, 1 / 64, 1 / 64])
    code = ["0", "10", "110", "1110", "111100", "111101", "111110", "111111"]
    assert entropy(p, base=2) == pytest.approx(2.0, abs=1e-12)
    assert p @ [len(word) for word in code] == pytest.approx(2.0, abs=1e-12)
    # The code word lengths are the surprises in bits.
    assert surprise(p, base=2) == pytest.approx([len(word) for word in code])


def test_uniform_over_eight():
    assert entropy(np.full(8, 1 / 8), base=2) == near(3.0)


def test_gaussian_entropy_values():
    assert gaussian_entropy(1.0) == near(1.418939)
    assert gaussian_entropy(1.0, base=2) == near(2.047096)
    assert gaussian_entropy(0.1) == near(-0.883647)
    assert mvn_entropy([[1.0]]) == near(1.418939)


def test_gaussian_entropy_crosses_zero():
    crossing = 1 / np.sqrt(2 * np.pi * np.e)
    assert crossing == near(0.241971)
    assert gaussian_entropy(crossing) == pytest.approx(0.0, abs=1e-12)
    assert gaussian_entropy(0.2419) < 0 < gaussian_entropy(0.2420)


def test_uniform_half_entropy():
    assert scipy.stats.uniform(0, 0.5).entropy() == near(-LN2)


def test_gaussian_has_maximum_entropy_at_variance_one():
    uniform = scipy.stats.uniform(scale=np.sqrt(12))
    laplace = scipy.stats.laplace(scale=1 / np.sqrt(2))
    assert uniform.var() == near(1.0) and laplace.var() == near(1.0)
    assert uniform.entropy() == near(1.242453)
    assert laplace.entropy() == near(1.346574)
    assert uniform.entropy() < laplace.entropy() < gaussian_entropy(1.0)


# --- Cross-entropy -------------------------------------------------------------------------------

OLAH_P = [1 / 2, 1 / 4, 1 / 8, 1 / 8]
OLAH_Q = [1 / 8, 1 / 2, 1 / 4, 1 / 8]


def test_olah_cross_entropy():
    assert entropy(OLAH_P, base=2) == near(1.75)
    assert entropy(OLAH_Q, base=2) == near(1.75)
    assert cross_entropy(OLAH_P, OLAH_Q, base=2) == near(2.375)
    assert cross_entropy(OLAH_Q, OLAH_P, base=2) == near(2.25)


def test_classification_losses():
    assert cross_entropy([0, 1, 0], [0.1, 0.7, 0.2]) == near(0.356675)
    assert cross_entropy([0, 1], [0.2, 0.8]) == near(0.223144)
    one_hot = np.eye(10)[3]
    assert cross_entropy(one_hot, np.full(10, 0.1)) == near(np.log(10))
    assert np.log(10) == near(2.302585)
    q = scipy.special.softmax([1.0, 2.0, 0.5])
    assert cross_entropy([0, 1, 0], q) == near(0.464369)


def test_classification_losses_as_a_batch():
    labels = np.eye(3)[[1, 0]]
    predictions = np.array([[0.1, 0.7, 0.2], scipy.special.softmax([2.0, 1.0, 0.5])])
    assert cross_entropy(labels, predictions) == near([0.356675, 0.464369])


# --- KL divergence -------------------------------------------------------------------------------


def test_olah_kl():
    assert kl_divergence(OLAH_P, OLAH_Q, base=2) == near(0.625)
    assert kl_divergence(OLAH_Q, OLAH_P, base=2) == near(0.5)


def test_bernoulli_kl_values():
    assert kl_divergence(bern(0.5), bern(0.9)) == near(0.510826)
    assert kl_divergence(bern(0.9), bern(0.5)) == near(0.368064)
    assert kl_divergence(bern(0.9), bern(0.5), base=2) == near(0.531004)
    assert 1 - binary_entropy(0.9, base=2) == near(0.531004)
    assert bernoulli_kl(0.5, 0.9) == near(0.510826)
    assert bernoulli_kl(0.9, 0.5) == near(0.368064)
    assert bernoulli_kl(0.9, 0.5, base=2) == near(0.531004)


def test_kl_to_uniform():
    p, u = [0.5, 0.25, 0.25], np.full(3, 1 / 3)
    assert kl_divergence(p, u) == near(0.058892)
    assert kl_divergence(u, p) == near(0.056633)


def test_kl_support():
    assert kl_divergence(bern(0.5), bern(0.0)) == np.inf
    assert bernoulli_kl(0.5, 0.0) == np.inf
    assert kl_divergence(bern(0.0), bern(0.5)) == near(LN2)
    assert bernoulli_kl(0.0, 0.5) == near(LN2)


def test_univariate_gaussian_kl():
    assert gaussian_kl(Gaussian(0, 1), Gaussian(1, 2)) == near(0.443147)
    assert gaussian_kl(Gaussian(1, 2), Gaussian(0, 1)) == near(1.306853)


def test_gaussian_kl_to_standard_normal():
    mu, sigma = 1.0, 0.5
    value = gaussian_kl(Gaussian(mu, sigma), Gaussian(0, 1))
    assert value == near(0.818147)
    assert value == near(0.5 * (mu**2 + sigma**2 - 1 - np.log(sigma**2)))


def test_kl_is_not_a_metric():
    n = [Gaussian(m, 1) for m in (0, 1, 2)]
    assert gaussian_kl(n[0], n[2]) == near(2.0)
    assert gaussian_kl(n[0], n[1]) + gaussian_kl(n[1], n[2]) == near(1.0)
    direct = bernoulli_kl(0.1, 0.9)
    via_half = bernoulli_kl(0.1, 0.5) + bernoulli_kl(0.5, 0.9)
    assert direct == near(1.757780)
    assert via_half == near(0.878890)
    assert direct > via_half


def test_jensen_shannon():
    assert js_divergence(bern(0.5), bern(0.9)) == near(0.101749)
    assert js_divergence([1, 0], [0, 1]) == near(LN2)
    assert js_divergence([1, 0], [0, 1], base=2) == near(1.0)
    # scipy returns the square root (the Jensen-Shannon distance).
    root = scipy.spatial.distance.jensenshannon(bern(0.5), bern(0.9))
    assert root**2 == near(0.101749)


# --- Monte Carlo estimators (exact moments by quadrature) ----------------------------------------


def estimator_moments(mu):
    """Mean and std of k1, k2, k3 for x ~ q = N(0, 1), p = N(mu, 1), computed by quadrature."""
    q, p = Gaussian(0, 1), Gaussian(mu, 1)

    def log_r(x):
        return p.logpdf(x) - q.logpdf(x)

    estimators = {
        "k1": lambda x: -log_r(x),
        "k2": lambda x: 0.5 * log_r(x) ** 2,
        "k3": lambda x: np.expm1(log_r(x)) - log_r(x),
    }
    moments = {}
    for name, k in estimators.items():
        mean = expect(q, k)
        var = expect(q, lambda x, k=k, mean=mean: (k(x) - mean) ** 2)
        moments[name] = mean, np.sqrt(var)
    return moments


@pytest.mark.parametrize("mu", [0.1, 1.0])
def test_monte_carlo_estimators(mu):
    kl = gaussian_kl(Gaussian(0, 1), Gaussian(mu, 1))
    assert kl == pytest.approx(mu**2 / 2, rel=1e-12)
    m = estimator_moments(mu)
    assert m["k1"][0] == pytest.approx(kl, rel=1e-6)
    assert m["k1"][1] / kl == pytest.approx(2 / mu, rel=1e-6)
    assert (m["k2"][0] - kl) / kl == pytest.approx(mu**2 / 4, rel=1e-6)
    assert m["k3"][0] == pytest.approx(kl, rel=1e-6)
    assert m["k3"][1] / kl == pytest.approx({0.1: 1.42, 1.0: 1.70}[mu], abs=0.005)


# --- Forward vs reverse KL on a symmetric mixture ------------------------------------------------


def kl_quad(f, g):
    """KL(f‖g) for one-dimensional densities, by quadrature."""
    return expect(f, lambda x: f.logpdf(x) - g.logpdf(x))


def test_forward_kl_moment_matching():
    target = Mixture.symmetric(3)
    assert target.mean == near(0.0)
    assert target.var == near(10.0)
    fit = Gaussian(target.mean, np.sqrt(target.var))
    assert kl_quad(target, fit) == near(0.461995)


def test_reverse_kl_central_optimum_at_d_2():
    target = Mixture.symmetric(2)
    result = scipy.optimize.minimize_scalar(
        lambda s: kl_quad(Gaussian(0, s), target),
        bounds=(1.0, 3.0),
        method="bounded",
        options={"xatol": 1e-7},
    )
    assert result.x == pytest.approx(2.0470, abs=5e-5)
    assert result.fun == near(0.226508)
    assert kl_quad(Gaussian(0, 2.0470), target) == near(0.226508)


def test_reverse_kl_on_one_mode_tends_to_ln2():
    target = Mixture.symmetric(10)
    assert kl_quad(Gaussian(10, 1), target) == near(LN2)


# --- Mean-field on a correlated Gaussian ---------------------------------------------------------


def test_mean_field_kls():
    mean = np.array([1.0, 2.0])
    rho = 0.9
    cov = np.array([[1.0, rho], [rho, 1.0]])
    precision = np.linalg.inv(cov)
    assert 1 / np.diag(precision) == near([0.19, 0.19])
    expected = -0.5 * np.log(1 - rho**2)
    assert expected == near(0.830366)
    # Reverse KL(q‖p): q factorised with variances 1/Λii = 1 - ρ² = 0.19.
    reverse = mvn_kl(mean, np.diag(1 / np.diag(precision)), mean, cov)
    # Forward KL(p‖q): q factorised with the marginal variances 1.
    forward = mvn_kl(mean, cov, mean, np.eye(2))
    assert reverse == near(0.830366)
    assert forward == near(0.830366)


# --- Maximum likelihood --------------------------------------------------------------------------


def test_gaussian_mle():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    mu, var = x.mean(), x.var()
    assert (mu, var) == (3.0, 2.0)
    nll = -Gaussian(mu, np.sqrt(var)).logpdf(x).mean()
    assert nll == near(1.765512)
    assert nll == near(0.5 * np.log(4 * np.pi) + 0.5)


# --- Variational inference, conjugate model ------------------------------------------------------

X = 2.0
PRIOR = Gaussian(0, 1)
POSTERIOR = Gaussian(1, np.sqrt(0.5))  # N(x / (1 + σ²), σ² / (1 + σ²)) with σ² = 1, x = 2


def reconstruction(q):
    """E_q[log p(x | z)] with p(x | z) = N(x; z, 1), by quadrature."""
    return expect(q, lambda z: Gaussian(z, 1).logpdf(X))


def test_log_evidence():
    log_evidence = Gaussian(0, np.sqrt(2)).logpdf(X)
    assert log_evidence == near(-2.265512)
    assert log_evidence == near(-0.5 * np.log(4 * np.pi) - 1)


def test_elbo_at_the_posterior():
    recon = reconstruction(POSTERIOR)
    kl = gaussian_kl(POSTERIOR, PRIOR)
    assert recon == near(-1.668939)
    assert kl == near(0.596574)
    assert recon - kl == near(-2.265512)


@pytest.mark.parametrize(("q", "elbo", "gap"), [(Gaussian(0, 1), -3.418939, 1.153426)])
def test_elbo_and_gap(q, elbo, gap):
    assert reconstruction(q) - gaussian_kl(q, PRIOR) == near(elbo)
    assert gaussian_kl(q, POSTERIOR) == near(gap)
    assert elbo + gap == near(Gaussian(0, np.sqrt(2)).logpdf(X))


def test_gap_for_unit_variance_at_posterior_mean():
    q = Gaussian(1, 1)
    gap = gaussian_kl(q, POSTERIOR)
    assert gap == near(0.153426)
    assert reconstruction(q) - gaussian_kl(q, PRIOR) + gap == near(-2.265512)
