"""Gaussians and Gaussian mixtures: densities, sampling, entropies and KL divergences.

Continuous counterparts of :mod:`coursekit.info`. ``Gaussian(mean, std)`` and
``Mixture(weights, components)`` are one-dimensional and immutable; ``mvn_entropy`` and ``mvn_kl``
handle k-dimensional Gaussians given by a mean vector and a covariance matrix.

Conventions: a Gaussian is parametrised by its standard deviation ``std`` (not the variance);
densities are vectorised over ``x`` and return a float for a scalar, an ndarray otherwise;
``base=None`` gives nats, ``base=2`` bits; ``sample(n, rng)`` needs a numpy Generator or an
integer seed, so every draw is reproducible. Bad input raises ``ValueError`` saying what to fix.
"""

import math
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
    "LOG_2PI",
    "log_normaliser",
    "normal_logpdf",
    "half_log_det",
]

LOG_2PI = float(np.log(2 * np.pi))
"""log 2π, the constant of every Gaussian log-density (nats)."""


def log_normaliser(half_logdet, dim: int = 1):
    r"""Log normalising constant of a k-dimensional Gaussian, elementwise.

    .. math:: \log Z = \tfrac12 \log\det(2\pi\Sigma) = \tfrac12 \log\det\Sigma
              + \tfrac k2 \log 2\pi

    ``half_logdet`` is ½ log det Σ, which is log σ in one dimension (``dim=1``) and
    Σ_i log L_ii for the Cholesky factor L of Σ (:func:`half_log_det`). Every Gaussian
    log-density of the course is −½ uᵀu − log Z with u = L⁻¹(x − μ) (u = (x − μ)/σ in 1-D),
    and its differential entropy is log Z + k/2. Units: nats. Only the types are checked (a
    number or array, a positive integer ``dim``), so it stays as fast as the arithmetic.

    Introduced in lecture 01 (Surprise and entropy).

    >>> round(log_normaliser(0.0), 6)  # ½ log 2π for N(0, 1)
    0.918939
    """
    if not isinstance(half_logdet, float | np.ndarray):
        half_logdet = check.as_float_array(half_logdet, "half_logdet")
    if type(dim) is not int or dim < 1:
        dim = check.count(dim, "dim")
        if dim < 1:
            raise ValueError("dim must be at least 1 (the number of coordinates).")
    return half_logdet + 0.5 * dim * LOG_2PI


def normal_logpdf(x, mean=0.0, std=1.0):
    r"""The Gaussian log-density log N(x; μ, σ²), elementwise with numpy broadcasting.

    .. math:: \log N(x; \mu, \sigma^2) = -\frac{(x - \mu)^2}{2\sigma^2} - \log\sigma
              - \tfrac12 \log 2\pi

    The one implementation behind :meth:`Gaussian.logpdf`, :meth:`Mixture.logpdf` and the
    fitting, VI and divergence code. ``std`` must be > 0 (a ValueError says so); a float
    ``std`` is checked with one comparison, so it stays as fast as the arithmetic. Units: nats.

    Introduced in lecture 01 (Surprise and entropy).

    >>> round(float(normal_logpdf(1.0)), 6)  # -1/2 - ½ log 2π
    -1.418939
    """
    if not (isinstance(std, float) and std > 0):
        std = check.positive(std, "std")
    if not isinstance(x, float | int | np.ndarray):
        x = check.as_float_array(x, "x")
    if not isinstance(mean, float | int | np.ndarray):
        mean = check.as_float_array(mean, "mean")
    z = (x - mean) / std
    return -0.5 * z * z - log_normaliser(np.log(std))


def half_log_det(chol: np.ndarray) -> float:
    r"""½ log det Σ from the Cholesky factor L of Σ (Σ = L Lᵀ, so det Σ = Π_i L_ii²).

    .. math:: \tfrac12 \log\det\Sigma = \sum_i \log L_{ii}

    Introduced in lecture 03 (KL divergence), for :func:`mvn_kl`.
    """
    chol = check.as_float_array(chol, "chol")
    if chol.ndim != 2 or chol.shape[0] != chol.shape[1] or chol.size == 0:
        raise ValueError(
            f"chol must be a square k×k Cholesky factor, but has shape {chol.shape}; get it "
            "with np.linalg.cholesky(cov)."
        )
    diag = np.diag(chol)
    if not (diag > 0).all() or not np.isfinite(diag).all():
        raise ValueError(
            "chol's diagonal must be finite and positive (a Cholesky factor of a covariance "
            f"matrix), but it is {diag}. Get it with np.linalg.cholesky(cov)."
        )
    return float(np.log(diag).sum())


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
        """Variance σ²; ``inf`` when σ > 1.3e154, where σ² exceeds the largest float (1.8e308).

        Everything else in the library works with σ itself, so such a Gaussian is still
        usable.
        """
        try:
            return self.std**2
        except OverflowError:  # Python's float ** raises where numpy returns inf
            return math.inf

    def logpdf(self, x):
        r"""Log density: -(x - μ)²/(2σ²) - log σ - ½ log 2π, elementwise over ``x``.

        ``-inf`` where (x − μ)/σ is so large that its square overflows (|x − μ| > 1e154 σ).
        """
        with np.errstate(over="ignore"):
            return check.as_result(normal_logpdf(_points(x), self.mean, self.std))

    def pdf(self, x):
        """Density at ``x``, elementwise (``inf`` only where it exceeds 1.8e308, for
        σ < 2e-309; use :meth:`logpdf` there)."""
        with np.errstate(over="ignore"):
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
        r"""Variance by the law of total variance: Σ_k w_k σ_k² + Σ_k w_k (μ_k - mean)².

        ``inf`` if it exceeds the largest float (1.8e308); :attr:`std` stays exact.
        """
        with np.errstate(over="ignore"):
            return float(self._w @ self._sigma**2 + self._w @ (self._mu - self.mean) ** 2)

    @property
    def std(self) -> float:
        """Standard deviation, the square root of :attr:`var`.

        Where the variance overflows or underflows (spreads beyond 1e154 or below 1e-154), it
        is computed from the components scaled by the largest spread, so it is still right.
        """
        var = self.var
        if 1e-300 < var < math.inf:
            return float(np.sqrt(var))
        spread = np.concatenate([self._sigma, np.abs(self._mu - self.mean)])
        scale = spread.max()
        return float(scale * np.sqrt(((spread.reshape(2, -1) / scale) ** 2 @ self._w).sum()))

    def logpdf(self, x):
        r"""Log density log Σ_k w_k N(x; μ_k, σ_k²), computed stably with logsumexp."""
        with np.errstate(over="ignore"):
            log_components = normal_logpdf(_points(x)[..., None], self._mu, self._sigma)
        return check.as_result(logsumexp(log_components, b=self._w, axis=-1))

    def pdf(self, x):
        """Density at ``x``, elementwise (``inf`` only where it exceeds 1.8e308)."""
        with np.errstate(over="ignore"):
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
    h = log_normaliser(np.log(std)) + 0.5
    return check.as_result(check.in_base(h, ln_base))


def gaussian_kl(p: Gaussian, q: Gaussian, base=None) -> float:
    r"""KL divergence KL(p‖q) between two one-dimensional Gaussians, in closed form.

    .. math:: D_{KL}(p \| q) = \log\frac{\sigma_q}{\sigma_p}
              + \frac{\sigma_p^2 + (\mu_p - \mu_q)^2}{2 \sigma_q^2} - \frac12

    Computed as f(t) + ½ δ² with t = log(σ_p/σ_q), δ = (μ_p − μ_q)/σ_q and
    f(t) = (e^{2t} − 1)/2 − t ≥ 0, which never forms σ² (so tiny or huge σ neither
    underflows nor overflows) and keeps full relative accuracy when σ_p ≈ σ_q; a rounding
    residue of f below 0 is returned as 0. ``inf`` only if the KL exceeds the largest float.
    Units: nats for ``base=None``, bits for ``base=2``.

    Introduced in lecture 03 (KL divergence).

    >>> gaussian_kl(Gaussian(0, 1), Gaussian(2, 1))
    2.0
    """
    as_gaussian(p, "p")
    as_gaussian(q, "q")
    ln_base = check.log_base(base)
    ratio = p.std / q.std
    # log of the ratio where it is a normal float (full relative accuracy), else of each std.
    t = math.log(ratio) if 1e-300 < ratio < 1e300 else math.log(p.std) - math.log(q.std)
    spread = math.inf if t > 354 else max(math.expm1(2 * t) / 2 - t, 0.0)
    delta = (p.mean - q.mean) / q.std
    kl = spread + 0.5 * delta * delta
    return float(check.in_base(kl, ln_base))


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
    chol = check.cholesky(cov, "cov")
    ln_base = check.log_base(base)
    k = chol.shape[0]
    h = log_normaliser(half_log_det(chol), k) + 0.5 * k
    return float(check.in_base(h, ln_base))


def mvn_kl(mean_p, cov_p, mean_q, cov_q, base=None) -> float:
    r"""KL divergence KL(p‖q) between k-dimensional Gaussians p = N(μp, Σp), q = N(μq, Σq).

    .. math:: D_{KL}(p \| q) = \tfrac12 \Big[ \operatorname{tr}(\Sigma_q^{-1} \Sigma_p)
              + (\mu_q - \mu_p)^\top \Sigma_q^{-1} (\mu_q - \mu_p) - k
              + \log \frac{\det \Sigma_q}{\det \Sigma_p} \Big]

    Computed with Cholesky factors and triangular solves (no explicit inverse); a rounding
    residue below 0 (p = q) is returned as 0. Units: nats for ``base=None``, bits for
    ``base=2``.

    Introduced in lecture 03 (KL divergence); used for mean-field fits in lecture 04.

    >>> mvn_kl([0.0], [[1.0]], [2.0], [[1.0]])
    2.0
    """
    chol_p = check.cholesky(cov_p, "cov_p")
    chol_q = check.cholesky(cov_q, "cov_q")
    k = chol_p.shape[0]
    if chol_q.shape[0] != k:
        raise ValueError(
            f"cov_p is {k}×{k} but cov_q is {chol_q.shape[0]}×{chol_q.shape[0]}; both "
            "Gaussians must live in the same number of dimensions."
        )
    mean_p = check.mean_vector(mean_p, k, "mean_p", "cov_p")
    mean_q = check.mean_vector(mean_q, k, "mean_q", "cov_q")
    ln_base = check.log_base(base)
    # tr(Σq⁻¹ Σp) = ‖Lq⁻¹ Lp‖²_F and the Mahalanobis term = ‖Lq⁻¹ (μq − μp)‖².
    with np.errstate(over="ignore"):  # a KL beyond the largest float is inf
        a = solve_triangular(chol_q, chol_p, lower=True)
        b = solve_triangular(chol_q, mean_q - mean_p, lower=True)
        kl = 0.5 * (np.sum(a * a) + b @ b - k) + half_log_det(chol_q) - half_log_det(chol_p)
    # KL ≥ 0 (Gibbs); for p = q the terms cancel only to rounding, e.g. -2e-16.
    return float(check.in_base(check.nonnegative(kl), ln_base))


# -- argument checks shared by the modules that take Gaussians ---------------------------------


def as_gaussian(q, name: str, example: str = "Gaussian(mean=0, std=1)", note: str = ""):
    """Return ``q`` if it is a :class:`Gaussian`; else raise ValueError naming ``name``, with
    an ``example`` of a valid value and an optional ``note`` (a sentence on how to fix it).

    Introduced in lecture 03 (KL divergence), for :func:`gaussian_kl`; used by every function
    that takes a Gaussian.
    """
    if not isinstance(q, Gaussian):
        raise ValueError(f"{name} must be a Gaussian, e.g. {example}, but got {q!r}.{note}")
    return q


def as_density(d, name: str, example: str):
    """Return ``d`` if it is a :class:`Gaussian` or a :class:`Mixture`, else raise ValueError.

    Introduced in lecture 04 (Forward vs reverse KL), whose targets are mixtures.
    """
    if not isinstance(d, Gaussian | Mixture):
        raise ValueError(f"{name} must be a Gaussian or a Mixture, e.g. {example}, but got {d!r}.")
    return d


def spread(d) -> float:
    """The standard deviation of a Gaussian or a Mixture as √var where the variance is a normal
    float (so the digits are those of √var), else the exactly scaled :attr:`Mixture.std`.

    Introduced in lecture 04 (Forward vs reverse KL), to scale the fits of a target.
    """
    var = as_density(d, "d", "Mixture.symmetric(2)").var
    return float(np.sqrt(var)) if 1e-300 < var < math.inf else float(d.std)


def components(d) -> list[Gaussian]:
    """The Gaussian components of a Gaussian (itself) or of a :class:`Mixture`.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    return [d] if isinstance(d, Gaussian) else list(d.components)
