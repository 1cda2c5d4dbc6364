"""Gaussians and Gaussian mixtures: densities, sampling, entropies and KL divergences.

Continuous counterparts of :mod:`coursekit.info`. ``Gaussian(mean, std)`` and
``Mixture(weights, components)`` are one-dimensional and immutable; ``mvn_entropy`` and ``mvn_kl``
handle k-dimensional Gaussians given by a mean vector and a covariance matrix.

Conventions: a Gaussian is parametrised by its standard deviation ``std`` (not the variance);
densities are vectorised over ``x`` and return a float for a scalar, an ndarray otherwise;
``base=None`` gives nats, ``base=2`` bits; ``sample(n, rng)`` needs a numpy Generator or an
integer seed, so every draw is reproducible. Bad input raises ``ValueError`` saying what to fix.
"""

from dataclasses import dataclass

import numpy as np
from scipy.linalg import solve_triangular
from scipy.special import logsumexp

from coursekit import _validate as check

__all__ = [
    "Gaussian",
    "Mixture",
    "gaussian_entropy",
    "gaussian_kl",
    "mvn_entropy",
    "mvn_kl",
]

_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def _number(x: float) -> str:
    """Shortest exact text for a float, without a trailing '.0' (so 1.0 prints as 1)."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def _points(x) -> np.ndarray:
    """Evaluation points as floats; NaN is an error, ±inf is allowed."""
    x = check.as_float_array(x, "x")
    if np.isnan(x).any():
        raise ValueError("x contains NaN. Evaluate the density at real numbers only.")
    return x


@dataclass(frozen=True, repr=False)
class Gaussian:
    r"""One-dimensional Gaussian N(mean, std²), immutable.

    .. math:: p(x) = \frac{1}{\sqrt{2\pi}\,\sigma} \exp\!\Big(-\frac{(x - \mu)^2}{2\sigma^2}\Big)

    ``std`` is the standard deviation σ (> 0), not the variance; ``var`` gives σ².

    Introduced in lecture 01 (Surprise and entropy) and used throughout.

    >>> Gaussian(0, 2).var
    4.0
    """

    mean: float
    std: float

    def __post_init__(self):
        object.__setattr__(self, "mean", check.finite_scalar(self.mean, "mean"))
        std = check.finite_scalar(self.std, "std")
        if std <= 0:
            raise ValueError(
                f"std must be greater than 0, but got {std:g}. std is the standard deviation "
                "(the square root of the variance) and is always positive."
            )
        object.__setattr__(self, "std", std)

    def __repr__(self) -> str:
        return f"Gaussian(mean={_number(self.mean)}, std={_number(self.std)})"

    @property
    def var(self) -> float:
        """Variance σ²."""
        return self.std**2

    def logpdf(self, x):
        r"""Log density: -(x - μ)²/(2σ²) - log σ - ½ log 2π, elementwise over ``x``."""
        z = (_points(x) - self.mean) / self.std
        return check.as_result(-0.5 * z * z - np.log(self.std) - _HALF_LOG_2PI)

    def pdf(self, x):
        """Density at ``x``, elementwise."""
        return check.as_result(np.exp(self.logpdf(x)))

    def sample(self, n, rng) -> np.ndarray:
        """``n`` independent draws, shape (n,). ``rng`` is a numpy Generator or an int seed."""
        return check.rng(rng).normal(self.mean, self.std, size=check.count(n))


@dataclass(frozen=True, repr=False)
class Mixture:
    r"""One-dimensional mixture of Gaussians, immutable.

    .. math:: p(x) = \sum_k w_k \, \mathcal N(x; \mu_k, \sigma_k^2)

    ``weights`` are non-negative and sum to 1 (within 1e-9); ``components`` is a sequence of
    :class:`Gaussian` of the same length. Both are stored as tuples.

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> Mixture.symmetric(3).var
    10.0
    """

    weights: tuple
    components: tuple

    def __post_init__(self):
        weights = check.as_float_array(self.weights, "weights")
        if weights.ndim != 1:
            raise ValueError(
                f"weights must be a 1-D list of numbers, one per component, but has shape "
                f"{weights.shape}."
            )
        weights = check.distribution(weights, "weights")
        try:
            components = tuple(self.components)
        except TypeError:
            raise ValueError(
                "components must be a list of Gaussian objects, e.g. "
                f"[Gaussian(-1, 1), Gaussian(1, 1)], but got {self.components!r}."
            ) from None
        for i, c in enumerate(components):
            if not isinstance(c, Gaussian):
                raise ValueError(
                    f"components[{i}] is {c!r}, not a Gaussian. Build each component with "
                    "Gaussian(mean, std)."
                )
        if len(components) != len(weights):
            raise ValueError(
                f"There are {len(weights)} weights but {len(components)} components; "
                "give exactly one weight per component."
            )
        object.__setattr__(self, "weights", tuple(float(w) for w in weights))
        object.__setattr__(self, "components", components)
        object.__setattr__(self, "_w", weights.copy())
        object.__setattr__(self, "_mu", np.array([c.mean for c in components]))
        object.__setattr__(self, "_sigma", np.array([c.std for c in components]))

    @classmethod
    def symmetric(cls, d, std=1.0) -> "Mixture":
        r"""The two-mode mixture ½ N(-d, std²) + ½ N(d, std²) of lecture 04."""
        d = check.finite_scalar(d, "d")
        return cls((0.5, 0.5), (Gaussian(-d, std), Gaussian(d, std)))

    def __repr__(self) -> str:
        weights = ", ".join(_number(w) for w in self.weights)
        components = ", ".join(repr(c) for c in self.components)
        return f"Mixture(weights=[{weights}], components=[{components}])"

    @property
    def mean(self) -> float:
        r"""Mean Σ_k w_k μ_k."""
        return float(self._w @ self._mu)

    @property
    def var(self) -> float:
        r"""Variance by the law of total variance: Σ_k w_k σ_k² + Σ_k w_k (μ_k - mean)²."""
        return float(self._w @ self._sigma**2 + self._w @ (self._mu - self.mean) ** 2)

    @property
    def std(self) -> float:
        """Standard deviation, the square root of :attr:`var`."""
        return float(np.sqrt(self.var))

    def logpdf(self, x):
        r"""Log density log Σ_k w_k N(x; μ_k, σ_k²), computed stably with logsumexp."""
        z = (_points(x)[..., None] - self._mu) / self._sigma
        log_components = -0.5 * z * z - np.log(self._sigma) - _HALF_LOG_2PI
        return check.as_result(logsumexp(log_components, b=self._w, axis=-1))

    def pdf(self, x):
        """Density at ``x``, elementwise."""
        return check.as_result(np.exp(self.logpdf(x)))

    def sample(self, n, rng) -> np.ndarray:
        """``n`` draws, shape (n,): pick a component by weight, then draw from it.

        ``rng`` is a numpy Generator or an int seed.
        """
        rng = check.rng(rng)
        k = rng.choice(len(self._w), size=check.count(n), p=self._w)
        return rng.normal(self._mu[k], self._sigma[k])


def gaussian_entropy(std, base=None):
    r"""Differential entropy of N(μ, σ²), elementwise over ``std``.

    .. math:: h = \tfrac12 \log(2 \pi e \sigma^2)

    Independent of the mean; negative when σ < 1/√(2πe) ≈ 0.242. Units: nats for ``base=None``,
    bits for ``base=2``. Returns a float for a scalar ``std``, an ndarray otherwise.

    Introduced in lecture 01 (Surprise and entropy).

    >>> round(gaussian_entropy(1.0), 6)
    1.418939
    """
    std = check.positive(std, "std")
    ln_base = check.log_base(base)
    h = 0.5 * np.log(2 * np.pi * np.e) + np.log(std)
    return check.as_result(check.in_base(h, ln_base))


def gaussian_kl(p: Gaussian, q: Gaussian, base=None) -> float:
    r"""KL divergence KL(p‖q) between two one-dimensional Gaussians, in closed form.

    .. math:: D_{KL}(p \| q) = \log\frac{\sigma_q}{\sigma_p}
              + \frac{\sigma_p^2 + (\mu_p - \mu_q)^2}{2 \sigma_q^2} - \frac12

    Units: nats for ``base=None``, bits for ``base=2``.

    Introduced in lecture 03 (KL divergence).

    >>> gaussian_kl(Gaussian(0, 1), Gaussian(2, 1))
    2.0
    """
    for name, g in (("p", p), ("q", q)):
        if not isinstance(g, Gaussian):
            raise ValueError(
                f"{name} must be a Gaussian, e.g. Gaussian(mean=0, std=1), but got {g!r}."
            )
    ln_base = check.log_base(base)
    kl = np.log(q.std / p.std) + (p.var + (p.mean - q.mean) ** 2) / (2 * q.var) - 0.5
    return float(check.in_base(kl, ln_base))


def _cholesky(cov, name: str) -> np.ndarray:
    """Check that ``cov`` is a finite symmetric positive-definite matrix; return its Cholesky
    factor L (lower triangular, cov = L Lᵀ)."""
    cov = check.as_float_array(cov, name)
    if cov.ndim != 2 or cov.shape[0] != cov.shape[1] or cov.size == 0:
        raise ValueError(
            f"{name} must be a square k×k covariance matrix, but has shape {cov.shape}. "
            "For independent coordinates use np.diag(variances); in 1-D use [[variance]]."
        )
    if not np.isfinite(cov).all():
        raise ValueError(f"{name} contains NaN or infinite entries; every entry must be finite.")
    asym = np.abs(cov - cov.T)
    if asym.max() > 1e-9 * np.abs(cov).max():
        i, j = (int(v) for v in np.unravel_index(asym.argmax(), asym.shape))
        raise ValueError(
            f"{name} is not symmetric: entry [{i}, {j}] is {cov[i, j]:g} but [{j}, {i}] is "
            f"{cov[j, i]:g}. A covariance matrix equals its transpose; if the difference is "
            f"rounding, use ({name} + {name}.T) / 2."
        )
    try:
        return np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        smallest = np.linalg.eigvalsh(cov).min()
        raise ValueError(
            f"{name} is not positive definite (its smallest eigenvalue is {smallest:.6g}), but a "
            "covariance matrix needs all eigenvalues > 0. Check the variances are positive and "
            "every correlation is strictly between -1 and 1."
        ) from None


def _mean_vector(mean, k: int, name: str, cov_name: str) -> np.ndarray:
    mean = check.as_float_array(mean, name)
    if mean.shape != (k,):
        raise ValueError(
            f"{name} has shape {mean.shape} but {cov_name} is {k}×{k}; the mean must be a 1-D "
            f"array of length {k}, one entry per dimension."
        )
    if not np.isfinite(mean).all():
        raise ValueError(f"{name} contains NaN or infinite entries; every entry must be finite.")
    return mean


def _half_logdet(chol: np.ndarray) -> float:
    """½ log det Σ from the Cholesky factor of Σ."""
    return float(np.log(np.diag(chol)).sum())


def mvn_entropy(cov, base=None) -> float:
    r"""Differential entropy of a k-dimensional Gaussian with covariance ``cov``.

    .. math:: h = \tfrac12 \log \det(2 \pi e \Sigma)
              = \tfrac k2 \log(2 \pi e) + \tfrac12 \log\det\Sigma

    Computed from the Cholesky factor. ``cov`` must be symmetric positive definite. Units: nats
    for ``base=None``, bits for ``base=2``.

    Introduced in lecture 04 (Forward vs reverse KL); the 1-D case is :func:`gaussian_entropy`
    (lecture 01).

    >>> round(mvn_entropy([[1.0]]), 6)
    1.418939
    """
    chol = _cholesky(cov, "cov")
    ln_base = check.log_base(base)
    k = chol.shape[0]
    h = 0.5 * k * np.log(2 * np.pi * np.e) + _half_logdet(chol)
    return float(check.in_base(h, ln_base))


def mvn_kl(mean_p, cov_p, mean_q, cov_q, base=None) -> float:
    r"""KL divergence KL(p‖q) between k-dimensional Gaussians p = N(μp, Σp), q = N(μq, Σq).

    .. math:: D_{KL}(p \| q) = \tfrac12 \Big[ \operatorname{tr}(\Sigma_q^{-1} \Sigma_p)
              + (\mu_q - \mu_p)^\top \Sigma_q^{-1} (\mu_q - \mu_p) - k
              + \log \frac{\det \Sigma_q}{\det \Sigma_p} \Big]

    Computed with Cholesky factors and triangular solves (no explicit inverse). Units: nats
    for ``base=None``, bits for ``base=2``.

    Introduced in lecture 03 (KL divergence); used for mean-field fits in lecture 04.

    >>> mvn_kl([0.0], [[1.0]], [2.0], [[1.0]])
    2.0
    """
    chol_p = _cholesky(cov_p, "cov_p")
    chol_q = _cholesky(cov_q, "cov_q")
    k = chol_p.shape[0]
    if chol_q.shape[0] != k:
        raise ValueError(
            f"cov_p is {k}×{k} but cov_q is {chol_q.shape[0]}×{chol_q.shape[0]}; both "
            "Gaussians must live in the same number of dimensions."
        )
    mean_p = _mean_vector(mean_p, k, "mean_p", "cov_p")
    mean_q = _mean_vector(mean_q, k, "mean_q", "cov_q")
    ln_base = check.log_base(base)
    # tr(Σq⁻¹ Σp) = ‖Lq⁻¹ Lp‖²_F and the Mahalanobis term = ‖Lq⁻¹ (μq − μp)‖².
    a = solve_triangular(chol_q, chol_p, lower=True)
    b = solve_triangular(chol_q, mean_q - mean_p, lower=True)
    kl = 0.5 * (np.sum(a * a) + b @ b - k) + _half_logdet(chol_q) - _half_logdet(chol_p)
    return float(check.in_base(kl, ln_base))
