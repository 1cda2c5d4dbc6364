r"""Variational inference: the ELBO, its Monte Carlo estimates and gradients, Gaussian VI.

For a latent-variable model p(x, z) = p(x | z) p(z) and any density q(z),

.. math:: \log p(x) = \underbrace{\mathbb E_q[\log p(x, z)] + H(q)}_{\mathrm{ELBO}(q)}
          + KL(q \,\|\, p(z \mid x)),

so the ELBO is a lower bound on the log evidence, and maximising it over q is minimising the
*reverse* KL(q‖posterior) (the course's convention: P is the target, Q the model). Equivalently
ELBO(q) = E_q[log p(x | z)] − KL(q‖p(z)), "reconstruction minus KL to the prior".

* :class:`ConjugateGaussian`: z ~ N(0, σ₀²), x | z ~ N(z, σ²); posterior, evidence and the
  ELBO of any Gaussian q in closed form, so q = posterior reaches the bound exactly.
* :func:`elbo_mc`: the Monte Carlo ELBO for a Gaussian q (z = μ + L ε, the
  reparameterisation).
* :func:`reparam_gradient`, :func:`score_gradient` and :func:`gradient_moments`: the two
  unbiased estimators of ∇ELBO for a 1-D Gaussian q, and the exact mean and covariance of one
  sample of each (Gauss–Hermite quadrature), so their variances can be compared exactly.
* :class:`LogisticRegression2D`: the lecture's non-conjugate model (Bayesian logistic
  regression with an intercept and a slope on 24 synthetic points), with its posterior on a
  fine grid as ground truth (:meth:`LogisticRegression2D.grid_posterior`).
* :func:`fit_gaussian_vi`: Gaussian VI by stochastic gradient ascent (Adam) with
  reparameterised gradients, mean-field or full covariance; :func:`gaussian_elbo` evaluates
  the ELBO of a multivariate Gaussian q by quadrature (for the ELBO trace).

Every ELBO, evidence and KL is in nats. A "model" for the multivariate functions is any object
with ``dim`` (the number k of latent coordinates), ``log_joint(z)`` and ``grad_log_joint(z)``
vectorised over z of shape (..., k). Bad input raises ``ValueError`` saying what to fix.

Introduced in lecture 06 (Variational inference).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy.special import expit, logsumexp

from coursekit import _validate as check
from coursekit.gaussians import Gaussian, _cholesky, _mean_vector, gaussian_kl

__all__ = [
    "ConjugateGaussian",
    "MonteCarlo",
    "elbo_mc",
    "GradientEstimate",
    "GradientMoments",
    "reparam_gradient",
    "score_gradient",
    "gradient_moments",
    "LogisticRegression2D",
    "GridPosterior",
    "gaussian_elbo",
    "VIFit",
    "fit_gaussian_vi",
]

_LOG_2PI = np.log(2 * np.pi)
_HALF_LOG_2PIE = 0.5 * np.log(2 * np.pi * np.e)


def _q_gaussian(q, name: str = "q") -> Gaussian:
    if not isinstance(q, Gaussian):
        raise ValueError(
            f"{name} must be a Gaussian, e.g. Gaussian(mean=1, std=0.5), but got {q!r}. "
            "For a multivariate q pass a pair (mean vector, covariance matrix) where allowed."
        )
    return q


def _positive_scalar(value, name: str) -> float:
    value = check.finite_scalar(value, name)
    if value <= 0:
        raise ValueError(
            f"{name} must be greater than 0, but got {value:g}. It is a standard deviation "
            "(the square root of a variance), not a variance or a log."
        )
    return value


# -- the conjugate model -----------------------------------------------------------------------


class ConjugateGaussian:
    r"""The conjugate Gaussian model z ~ N(0, σ₀²), x | z ~ N(z, σ²), everything in closed form.

    ``prior_std`` is σ₀ and ``noise_std`` is σ (standard deviations, not variances). With
    precisions λ₀ = 1/σ₀², λ = 1/σ²:

    .. math:: p(z \mid x) = N\Big(\frac{\lambda x}{\lambda_0 + \lambda},
              \frac1{\lambda_0 + \lambda}\Big), \qquad p(x) = N(x; 0, \sigma_0^2 + \sigma^2).

    With σ₀ = σ = 1 and x = 2: posterior N(1, 0.5), log p(x) = −½ ln(4π) − 1 = −2.265512
    nats.

    Introduced in lecture 06 (Variational inference).

    >>> model = ConjugateGaussian(1.0, 1.0)
    >>> model.posterior(2.0)
    Gaussian(mean=1, std=0.7071067811865476)
    >>> round(model.log_evidence(2.0), 6)
    -2.265512
    """

    def __init__(self, prior_std: float = 1.0, noise_std: float = 1.0):
        self.prior_std = _positive_scalar(prior_std, "prior_std")
        self.noise_std = _positive_scalar(noise_std, "noise_std")
        self.prior = Gaussian(0.0, self.prior_std)

    def __repr__(self) -> str:
        return f"ConjugateGaussian(prior_std={self.prior_std:g}, noise_std={self.noise_std:g})"

    @property
    def posterior_precision(self) -> float:
        """λ₀ + λ = 1/σ₀² + 1/σ², the curvature −d² log p(x, z)/dz² (the same for every x)."""
        return 1.0 / self.prior_std**2 + 1.0 / self.noise_std**2

    def posterior(self, x) -> Gaussian:
        r"""The exact posterior p(z | x) = N(λx/(λ₀ + λ), 1/(λ₀ + λ))."""
        x = check.finite_scalar(x, "x")
        precision = self.posterior_precision
        return Gaussian(x / self.noise_std**2 / precision, np.sqrt(1.0 / precision))

    def log_evidence(self, x) -> float:
        r"""log p(x) = log N(x; 0, σ₀² + σ²) in nats (the marginal likelihood)."""
        x = check.finite_scalar(x, "x")
        return float(Gaussian(0.0, np.hypot(self.prior_std, self.noise_std)).logpdf(x))

    def log_joint(self, z, x):
        r"""log p(x, z) = log N(z; 0, σ₀²) + log N(x; z, σ²), elementwise over ``z``."""
        x = check.finite_scalar(x, "x")
        z = check.as_float_array(z, "z")
        a, b = self.prior_std**2, self.noise_std**2
        out = -0.5 * z * z / a - 0.5 * (x - z) ** 2 / b - _LOG_2PI - 0.5 * np.log(a * b)
        return check.as_result(out)

    def grad_log_joint(self, z, x):
        r"""d log p(x, z)/dz = −z/σ₀² + (x − z)/σ², elementwise over ``z``."""
        x = check.finite_scalar(x, "x")
        z = check.as_float_array(z, "z")
        return check.as_result(-z / self.prior_std**2 + (x - z) / self.noise_std**2)

    def reconstruction(self, x, q: Gaussian) -> float:
        r"""E_q[log p(x | z)] = −½ log(2πσ²) − ((x − μ)² + s²)/(2σ²) for q = N(μ, s²), nats."""
        x = check.finite_scalar(x, "x")
        q = _q_gaussian(q)
        b = self.noise_std**2
        return float(-0.5 * np.log(2 * np.pi * b) - ((x - q.mean) ** 2 + q.var) / (2 * b))

    def kl_to_prior(self, q: Gaussian) -> float:
        r"""KL(q‖p(z)) with p(z) = N(0, σ₀²), in closed form (nats)."""
        return gaussian_kl(_q_gaussian(q), self.prior)

    def elbo(self, x, q: Gaussian) -> float:
        r"""The ELBO of a Gaussian q = N(μ, s²) in closed form, in nats.

        .. math:: \mathrm{ELBO}(q) = \mathbb E_q[\log p(x \mid z)] + \mathbb E_q[\log p(z)]
                  + H(q) = \underbrace{-\tfrac12\log(2\pi\sigma^2)
                  - \frac{(x-\mu)^2 + s^2}{2\sigma^2}}_{\text{reconstruction}}
                  - KL(q \,\|\, N(0, \sigma_0^2))

        It equals log p(x) − KL(q‖p(z | x)) ≤ log p(x), with equality only at the posterior.
        σ₀ = σ = 1, x = 2: ELBO(N(0, 1)) = −3.418939, a gap of 1.153426 nats.
        """
        return self.reconstruction(x, q) - self.kl_to_prior(q)

    def elbo_gradient(self, x, q: Gaussian) -> np.ndarray:
        r"""The exact gradient of :meth:`elbo` with respect to (μ, log s).

        .. math:: \partial_\mu \mathrm{ELBO} = \frac{x - \mu}{\sigma^2} - \frac{\mu}{\sigma_0^2},
                  \qquad \partial_{\log s} \mathrm{ELBO} = 1 - s^2 (\lambda_0 + \lambda)
        """
        x = check.finite_scalar(x, "x")
        q = _q_gaussian(q)
        return np.array(
            [
                (x - q.mean) / self.noise_std**2 - q.mean / self.prior_std**2,
                1.0 - q.var * self.posterior_precision,
            ]
        )


# -- Monte Carlo ELBO ---------------------------------------------------------------------------


class MonteCarlo(NamedTuple):
    """A Monte Carlo estimate and its standard error (the sample std over √n)."""

    estimate: float
    stderr: float


def _multivariate(q, name: str = "q") -> tuple[np.ndarray, np.ndarray]:
    """(mean, Cholesky factor) of a Gaussian q or a pair (mean vector, covariance matrix)."""
    if isinstance(q, Gaussian):
        return np.array([q.mean]), np.array([[q.std]])
    if isinstance(q, tuple | list) and len(q) == 2:
        chol = _cholesky(q[1], f"{name}'s covariance")
        mean = _mean_vector(q[0], chol.shape[0], f"{name}'s mean", f"{name}'s covariance")
        return mean, chol
    raise ValueError(
        f"{name} must be a Gaussian (1-D) or a pair (mean vector, covariance matrix), "
        f"e.g. Gaussian(0, 1) or (np.zeros(2), np.eye(2)), but got {q!r}."
    )


def _callable(f, name: str):
    if not callable(f):
        raise ValueError(
            f"{name} must be a function of z, e.g. lambda z: model.log_joint(z, x), but got {f!r}."
        )
    return f


def elbo_mc(log_joint, q, n: int, rng) -> MonteCarlo:
    r"""Monte Carlo estimate of ELBO(q) = E_q[log p(x, z) − log q(z)], in nats.

    Draws z_s = μ + L ε_s with ε_s ~ N(0, I) (the reparameterisation; L the Cholesky factor of
    q's covariance) and averages log p(x, z_s) − log q(z_s). ``log_joint`` maps the samples to
    log p(x, z): shape (n,) for a 1-D :class:`~coursekit.gaussians.Gaussian` q, shape (n, k)
    for q given as ``(mean, cov)``. Returns ``(estimate, stderr)``. At q = posterior every term
    equals log p(x), so the estimate is exact with zero variance.

    Introduced in lecture 06 (Variational inference).
    """
    log_joint = _callable(log_joint, "log_joint")
    mean, chol = _multivariate(q)
    n = check.count(n)
    if n < 2:
        raise ValueError(f"n must be at least 2 to estimate a standard error, but got {n}.")
    eps = check.rng(rng).standard_normal((n, mean.size))
    z = mean + eps @ chol.T
    log_q = (
        -0.5 * np.sum(eps * eps, axis=1)
        - np.log(np.diag(chol)).sum()
        - 0.5 * mean.size * (_LOG_2PI)
    )
    values = np.asarray(log_joint(z[:, 0] if isinstance(q, Gaussian) else z), float) - log_q
    if values.shape != (n,):
        raise ValueError(
            f"log_joint returned shape {values.shape} for {n} samples; it must return one "
            "log p(x, z) per sample."
        )
    return MonteCarlo(float(values.mean()), float(values.std(ddof=1) / np.sqrt(n)))


# -- gradient estimators (1-D q) ----------------------------------------------------------------


class GradientEstimate(NamedTuple):
    """A gradient estimate with respect to (μ, log σ): the average ``estimate`` (shape (2,))
    of the single-sample estimates ``samples`` (shape (n, 2))."""

    estimate: np.ndarray
    samples: np.ndarray


class GradientMoments(NamedTuple):
    """Exact mean (shape (2,)) and covariance (2 × 2) of one single-sample gradient estimate.

    ``var`` is the diagonal: the variances of the (μ, log σ) components.
    """

    mean: np.ndarray
    cov: np.ndarray

    @property
    def var(self) -> np.ndarray:
        return np.diag(self.cov).copy()


def _reparam_terms(grad_log_joint, q: Gaussian, eps: np.ndarray) -> np.ndarray:
    g = np.asarray(grad_log_joint(q.mean + q.std * eps), float)
    return np.column_stack([g, g * q.std * eps + 1.0])


def _score_terms(log_joint, q: Gaussian, eps: np.ndarray) -> np.ndarray:
    f = np.asarray(log_joint(q.mean + q.std * eps), float)
    return np.column_stack([f * eps / q.std, f * (eps * eps - 1.0) + 1.0])


def reparam_gradient(grad_log_joint, q: Gaussian, n: int, rng) -> GradientEstimate:
    r"""Reparameterisation ("pathwise") estimate of ∇ELBO with respect to (μ, log σ).

    ELBO(q) = E_q[log p(x, z)] + H(q) with H(q) = ½ log(2πe) + log σ differentiated exactly.
    With z = μ + σε, ε ~ N(0, 1), and g = d log p(x, z)/dz:

    .. math:: \partial_\mu \approx \frac1n \sum_s g(z_s), \qquad
              \partial_{\log\sigma} \approx \frac1n \sum_s g(z_s)\,\sigma\varepsilon_s + 1

    It uses the *gradient* of the log joint. Unbiased; typically far lower variance than
    :func:`score_gradient`. Returns a :class:`GradientEstimate`.

    Introduced in lecture 06 (Variational inference).
    """
    grad_log_joint = _callable(grad_log_joint, "grad_log_joint")
    q = _q_gaussian(q)
    eps = check.rng(rng).standard_normal(check.count(n))
    samples = _reparam_terms(grad_log_joint, q, eps)
    return GradientEstimate(samples.mean(axis=0), samples)


def score_gradient(log_joint, q: Gaussian, n: int, rng) -> GradientEstimate:
    r"""Score-function (REINFORCE) estimate of ∇ELBO with respect to (μ, log σ).

    Uses ∇E_q[f] = E_q[f ∇log q] with f = log p(x, z) (only its *values*), plus the exact
    entropy gradient. With z = μ + σε, ∇_μ log q = ε/σ and ∇_{log σ} log q = ε² − 1:

    .. math:: \partial_\mu \approx \frac1n \sum_s f(z_s)\,\frac{\varepsilon_s}{\sigma}, \qquad
              \partial_{\log\sigma} \approx \frac1n \sum_s f(z_s)\,(\varepsilon_s^2 - 1) + 1

    Unbiased, and works for non-differentiable models, but its variance grows with the size of
    f (no baseline is subtracted here). Returns a :class:`GradientEstimate`.

    Introduced in lecture 06 (Variational inference).
    """
    log_joint = _callable(log_joint, "log_joint")
    q = _q_gaussian(q)
    eps = check.rng(rng).standard_normal(check.count(n))
    samples = _score_terms(log_joint, q, eps)
    return GradientEstimate(samples.mean(axis=0), samples)


@lru_cache(maxsize=8)
def _hermite(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Hermite nodes and weights for E[f(ε)], ε ~ N(0, 1)."""
    eps, weights = hermegauss(nodes)
    weights = weights / np.sqrt(2 * np.pi)
    eps.flags.writeable = weights.flags.writeable = False
    return eps, weights


def gradient_moments(log_joint, grad_log_joint, q: Gaussian, method: str, nodes: int = 64):
    r"""Exact mean and covariance of ONE sample of a gradient estimator, by quadrature.

    ``method`` is ``"reparam"`` or ``"score"`` (see :func:`reparam_gradient` and
    :func:`score_gradient`). The moments E[t] and E[t tᵀ] of the single-sample term t(ε) are
    integrals against N(ε; 0, 1), computed with ``nodes``-point Gauss–Hermite quadrature, which
    is exact when t is a polynomial of degree < ``nodes`` (as for :class:`ConjugateGaussian`)
    and very accurate for smooth models. The estimate from n samples has covariance cov / n.
    Both methods have the same mean, the exact ∇ELBO.

    Introduced in lecture 06 (Variational inference).
    """
    q = _q_gaussian(q)
    nodes = check.count(nodes, "nodes")
    eps, weights = _hermite(nodes)
    if method == "reparam":
        terms = _reparam_terms(_callable(grad_log_joint, "grad_log_joint"), q, eps)
    elif method == "score":
        terms = _score_terms(_callable(log_joint, "log_joint"), q, eps)
    else:
        raise ValueError(f"method must be 'reparam' or 'score', but got {method!r}.")
    mean = weights @ terms
    centred = terms - mean
    return GradientMoments(mean, (centred * weights[:, None]).T @ centred)


# -- the non-conjugate model --------------------------------------------------------------------


class GridPosterior(NamedTuple):
    """The posterior of a 2-D model evaluated on a regular grid (ground truth for VI).

    ``axes`` are the two 1-D grids, ``log_density`` the normalised log posterior on their
    product (indexed ``[i, j]`` for ``axes[0][i], axes[1][j]``), ``log_evidence`` log p(D) in
    nats, ``mean`` and ``cov`` the posterior mean and covariance.
    """

    axes: tuple[np.ndarray, np.ndarray]
    log_density: np.ndarray
    log_evidence: float
    mean: np.ndarray
    cov: np.ndarray

    @property
    def precision(self) -> np.ndarray:
        """Λ = cov⁻¹; 1/Λᵢᵢ are the variances of the reverse-KL mean-field fit of a Gaussian."""
        return np.linalg.inv(self.cov)

    def kl_from(self, mean, cov) -> float:
        r"""KL(q‖posterior) = ∫ q (log q − log p(z | D)) for q = N(mean, cov), on the grid.

        Accurate only if the grid holds q's mass too (widen it with ``width`` for a wide q).
        """
        chol = _cholesky(cov, "cov")
        mean = _mean_vector(mean, 2, "mean", "cov")
        z = np.stack(np.meshgrid(*self.axes, indexing="ij"), axis=-1)
        u = np.linalg.solve(chol, (z - mean).reshape(-1, 2).T).T.reshape(z.shape)
        log_q = -0.5 * np.sum(u * u, axis=-1) - np.log(np.diag(chol)).sum() - _LOG_2PI
        cell = np.diff(self.axes[0][:2])[0] * np.diff(self.axes[1][:2])[0]
        return float(np.sum(np.exp(log_q) * (log_q - self.log_density)) * cell)


class LogisticRegression2D:
    r"""Bayesian logistic regression with an intercept and a slope: the lecture's 2-D posterior.

    Data (x_i, y_i), i = 1…N, y_i ∈ {0, 1}; latent z = (w₀, w₁) with prior N(0, s² I) and

    .. math:: p(y_i = 1 \mid x_i, z) = \sigma(w_0 + w_1 x_i), \qquad
              \log p(D, z) = \sum_i \big[y_i \eta_i - \log(1 + e^{\eta_i})\big]
              - \frac{\lVert z\rVert^2}{2 s^2} - \log(2\pi s^2),\quad \eta_i = w_0 + w_1 x_i.

    The default data set: N = 24 points, x_i ~ N(2, 1) and y_i drawn with true weights
    (−2.5, 1.5), seed 2; prior std s = 2. Its posterior is non-Gaussian (no closed form) and
    strongly correlated (ρ ≈ −0.86, because the x_i are not centred): the mean-field q is
    visibly too narrow. Pass ``x``, ``y`` to use your own data.

    Introduced in lecture 06 (Variational inference).
    """

    dim = 2
    SEED = 2
    TRUE_WEIGHTS = (-2.5, 1.5)

    def __init__(self, x=None, y=None, prior_std: float = 2.0):
        if x is None and y is None:
            rng = np.random.default_rng(self.SEED)
            x = rng.normal(2.0, 1.0, 24)
            y = (rng.random(24) < expit(self.TRUE_WEIGHTS[0] + self.TRUE_WEIGHTS[1] * x)) * 1.0
        if x is None or y is None:
            raise ValueError("Pass both x and y (or neither, for the lecture's data set).")
        x = check.as_float_array(x, "x")
        y = check.as_float_array(y, "y")
        if x.ndim != 1 or x.shape != y.shape or x.size == 0:
            raise ValueError(
                f"x and y must be 1-D arrays of the same length (one input and one label per "
                f"point), but have shapes {x.shape} and {y.shape}."
            )
        if not np.isfinite(x).all():
            raise ValueError("x contains NaN or infinite values; every input must be finite.")
        if not np.all((y == 0) | (y == 1)):
            raise ValueError("y must hold class labels 0 or 1 only.")
        self.x, self.y = x, y
        self.prior_std = _positive_scalar(prior_std, "prior_std")
        self.design = np.column_stack([np.ones_like(x), x])  # rows (1, x_i)

    def __repr__(self) -> str:
        return f"LogisticRegression2D(N={self.x.size}, prior_std={self.prior_std:g})"

    def _z(self, z) -> np.ndarray:
        z = check.as_float_array(z, "z")
        if z.ndim == 0 or z.shape[-1] != 2:
            raise ValueError(
                f"z must have shape (..., 2), one (intercept, slope) pair per row, but has "
                f"shape {z.shape}."
            )
        return z

    def log_joint(self, z):
        """log p(D, z) in nats, vectorised over z of shape (..., 2); returns shape (...)."""
        z = self._z(z)
        eta = z @ self.design.T
        likelihood = np.sum(self.y * eta - np.logaddexp(0.0, eta), axis=-1)
        s2 = self.prior_std**2
        return likelihood - 0.5 * np.sum(z * z, axis=-1) / s2 - np.log(2 * np.pi * s2)

    def grad_log_joint(self, z):
        r"""∇_z log p(D, z) = Σ_i (y_i − σ(η_i)) (1, x_i) − z/s², shape (..., 2)."""
        z = self._z(z)
        eta = z @ self.design.T
        return (self.y - expit(eta)) @ self.design - z / self.prior_std**2

    def hessian_log_joint(self, z) -> np.ndarray:
        r"""∇²_z log p(D, z) = −Σ_i σ(η_i)(1 − σ(η_i)) (1, x_i)ᵀ(1, x_i) − I/s² for one z."""
        z = self._z(z)
        p = expit(self.design @ z)
        return -(self.design.T * (p * (1 - p))) @ self.design - np.eye(2) / self.prior_std**2

    def mode(self) -> np.ndarray:
        """The posterior mode (MAP), by Newton's method (log p(D, z) is strictly concave)."""
        z = np.zeros(2)
        for _ in range(50):
            step = np.linalg.solve(self.hessian_log_joint(z), self.grad_log_joint(z))
            z = z - step
            if np.abs(step).max() < 1e-12:
                break
        return z

    def grid_posterior(self, points: int = 401, width: float = 9.0) -> GridPosterior:
        r"""The posterior on a ``points`` × ``points`` grid: ground truth for VI.

        The grid spans the mode ± ``width`` Laplace standard deviations in each coordinate
        (the Laplace approximation N(mode, (−∇² log p)⁻¹) only sets the window). On it,

        .. math:: \log p(D) = \log \sum_{ij} p(D, z_{ij})\,\Delta w_0 \Delta w_1

        (computed with logsumexp), and the mean and covariance are the weighted sums. For a
        smooth integrand decaying this fast the sum converges geometrically: the default grid
        gives log p(D) to ~1e-10. Results are cached per (points, width).
        """
        points = check.count(points, "points")
        width = _positive_scalar(width, "width")
        if points < 3:
            raise ValueError(f"points must be at least 3, but got {points}.")
        return self._grid(points, width)

    @lru_cache(maxsize=4)  # noqa: B019 (a few small results per model, freed with the model)
    def _grid(self, points: int, width: float) -> GridPosterior:
        mode = self.mode()
        half = width * np.sqrt(np.diag(np.linalg.inv(-self.hessian_log_joint(mode))))
        axes = tuple(np.linspace(m - h, m + h, points) for m, h in zip(mode, half, strict=True))
        z = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)
        log_joint = self.log_joint(z)
        cell = (axes[0][1] - axes[0][0]) * (axes[1][1] - axes[1][0])
        log_evidence = float(logsumexp(log_joint) + np.log(cell))
        log_density = log_joint - log_evidence
        weights = np.exp(log_density) * cell
        mean = np.einsum("ij,ijk->k", weights, z)
        d = z - mean
        cov = np.einsum("ij,ijk,ijl->kl", weights, d, d)
        for a in (*axes, log_density, mean, cov):
            a.flags.writeable = False
        return GridPosterior(axes, log_density, log_evidence, mean, cov)


# -- Gaussian VI --------------------------------------------------------------------------------


def _model(model):
    if not all(hasattr(model, a) for a in ("dim", "log_joint", "grad_log_joint")):
        raise ValueError(
            f"model must have dim, log_joint(z) and grad_log_joint(z) (vectorised over z of "
            f"shape (..., dim)), like LogisticRegression2D(); got {model!r}."
        )
    return model


@lru_cache(maxsize=8)
def _product_rule(dim: int, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    eps, weights = _hermite(nodes)
    grids = np.meshgrid(*([eps] * dim), indexing="ij")
    points = np.stack([g.ravel() for g in grids], axis=-1)
    w = np.ones(points.shape[0])
    for g in np.meshgrid(*([weights] * dim), indexing="ij"):
        w = w * g.ravel()
    return points, w


def gaussian_elbo(model, mean, cov, nodes: int = 24) -> float:
    r"""ELBO(q) = E_q[log p(x, z)] + H(q) for q = N(mean, cov), by Gauss–Hermite quadrature.

    E_q[log p] = Σ_j w_j log p(x, mean + L ε_j) on the tensor product of ``nodes``-point
    Gauss–Hermite rules (``nodes``^k points, so for small k only), and
    H(q) = ½ log det(2πe cov). For the logistic model the default is accurate to ~1e-8 nats
    near the posterior. log p(x) − ELBO(q) = KL(q‖posterior) ≥ 0.

    Introduced in lecture 06 (Variational inference).
    """
    model = _model(model)
    chol = _cholesky(cov, "cov")
    mean = _mean_vector(mean, chol.shape[0], "mean", "cov")
    eps, weights = _product_rule(chol.shape[0], check.count(nodes, "nodes"))
    expected = float(weights @ model.log_joint(mean + eps @ chol.T))
    return expected + chol.shape[0] * _HALF_LOG_2PIE + float(np.log(np.diag(chol)).sum())


class VIFit(NamedTuple):
    """The result of :func:`fit_gaussian_vi`.

    ``mean`` (k,) and ``cov`` (k, k) of the final q; the traces have one row per step,
    starting with the initial q (step 0): ``means`` (steps + 1, k), ``covs``
    (steps + 1, k, k) and ``elbo`` (steps + 1,), the ELBO of each q by quadrature
    (:func:`gaussian_elbo`), in nats.
    """

    mean: np.ndarray
    cov: np.ndarray
    elbo: np.ndarray
    means: np.ndarray
    covs: np.ndarray
    family: str


def fit_gaussian_vi(
    model,
    family: str = "full",
    steps: int = 200,
    lr: float = 0.1,
    n_samples: int = 64,
    rng=0,
    init=None,
    decay: float = 50.0,
) -> VIFit:
    r"""Gaussian VI: maximise ELBO(q) over q = N(m, L Lᵀ) by stochastic gradient ascent.

    ``family="full"``: L lower triangular (any covariance); ``"mean_field"``: L diagonal
    (independent coordinates). The diagonal is L_ii = e^{ρ_i}, so it stays positive. Each step
    draws ``n_samples`` ε_s ~ N(0, I), sets z_s = m + L ε_s (reparameterisation) and uses the
    analytic gradient g_s = ∇ log p(x, z_s) and the exact entropy gradient
    (H(q) = Σ_i ρ_i + const):

    .. math:: \nabla_m \approx \bar g, \qquad \nabla_{L_{ij}} \approx
              \overline{g_i \varepsilon_j}\ (i > j), \qquad
              \nabla_{\rho_i} \approx \overline{g_i \varepsilon_i} L_{ii} + 1.

    The steps are Adam's (β = 0.9, 0.999) with step size lr / (1 + t/decay). Deterministic for
    a fixed ``rng`` (a seed or Generator). ``init`` is (mean, cov) of the starting q, by
    default N(0, I). Returns a :class:`VIFit` with the ELBO trace (by quadrature, so it is the
    true ELBO of each iterate, not a noisy estimate).

    With the lecture's :class:`LogisticRegression2D` the full-covariance fit ends ~0.01 nats
    below log p(D); the mean-field one stays further below, with variances close to 1/Λᵢᵢ
    (smaller than the posterior's marginal variances).

    Introduced in lecture 06 (Variational inference).
    """
    model = _model(model)
    if family not in ("full", "mean_field"):
        raise ValueError(
            f"family must be 'full' (any covariance) or 'mean_field' (diagonal covariance), "
            f"but got {family!r}."
        )
    steps = check.count(steps, "steps")
    n_samples = check.count(n_samples, "n_samples")
    if n_samples < 1:
        raise ValueError("n_samples must be at least 1.")
    lr = _positive_scalar(lr, "lr")
    decay = _positive_scalar(decay, "decay")
    rng = check.rng(rng)
    k = int(model.dim)
    if init is None:
        mean, chol = np.zeros(k), np.eye(k)
    else:
        chol = _cholesky(init[1], "init covariance")
        mean = _mean_vector(init[0], k, "init mean", "init covariance").copy()
    if family == "mean_field":
        chol = np.diag(np.sqrt(np.diag(chol @ chol.T)))
    rows, cols = np.tril_indices(k, -1)
    if family == "mean_field":
        rows, cols = rows[:0], cols[:0]
    theta = np.concatenate([mean, np.log(np.diag(chol)), chol[rows, cols]])
    diag = np.arange(k)

    def unpack(theta):
        m = theta[:k]
        L = np.diag(np.exp(theta[k : 2 * k]))
        L[rows, cols] = theta[2 * k :]
        return m, L

    first, second = np.zeros_like(theta), np.zeros_like(theta)
    b1, b2, tiny = 0.9, 0.999, 1e-8
    means, covs = np.empty((steps + 1, k)), np.empty((steps + 1, k, k))
    for t in range(steps + 1):
        m, L = unpack(theta)
        means[t], covs[t] = m, L @ L.T
        if t == steps:
            break
        eps = rng.standard_normal((n_samples, k))
        g = np.asarray(model.grad_log_joint(m + eps @ L.T), float)
        outer = g.T @ eps / n_samples  # [i, j] = mean of g_i ε_j
        grad = np.concatenate(
            [g.mean(axis=0), outer[diag, diag] * L[diag, diag] + 1.0, outer[rows, cols]]
        )
        first = b1 * first + (1 - b1) * grad
        second = b2 * second + (1 - b2) * grad * grad
        hat1 = first / (1 - b1 ** (t + 1))
        hat2 = second / (1 - b2 ** (t + 1))
        theta = theta + lr / (1 + t / decay) * hat1 / (np.sqrt(hat2) + tiny)
    elbo = np.array([gaussian_elbo(model, mu, c) for mu, c in zip(means, covs, strict=True)])
    for a in (means, covs, elbo):
        a.flags.writeable = False
    return VIFit(means[-1], covs[-1], elbo, means, covs, family)
