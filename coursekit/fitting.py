r"""Fitting a Gaussian by forward or reverse KL, mean-field factors, and maximum likelihood.

Lecture 04 fits one Gaussian q = N(μ, σ²) to a target p in both directions (the course's
convention: P is the target or the data, Q the model):

* **forward** KL(p‖q): :func:`fit_forward_kl`, which is moment matching ("mean seeking");
* **reverse** KL(q‖p): :func:`fit_reverse_kl`, a local minimum found by optimisation
  ("mode seeking"); :func:`reverse_kl_optima` collects the distinct local minima.

:func:`mean_field` gives the best factorised Gaussian for a correlated k-dimensional Gaussian
in either direction. Lecture 05 shows that maximum likelihood is forward KL to the empirical
distribution of the data: :func:`fit_mle_gaussian` and :func:`mean_nll`.

All KL values and entropies are in nats (``base=None``) or bits (``base=2``). Targets are
:class:`coursekit.gaussians.Gaussian` or :class:`coursekit.gaussians.Mixture`; bad input raises
``ValueError`` saying what to fix.

**How E_q[·] is computed.** The reverse KL needs E_q[log p(x)] for q = N(μ, σ²), which has no
closed form for a mixture p. Writing x = μ + σz with z ~ N(0, 1), it is an integral against
the weight e^{-z²/2}. Gauss–Hermite quadrature (``numpy.polynomial.hermite_e.hermegauss``) is
the textbook rule, but log p of a two-mode mixture changes slope within ~1/separation of the
point between the modes, and once q is wide (σ of a few units) Gauss–Hermite needs thousands of
nodes to reach 1e-4 (e.g. 300 nodes still err by 5e-4 for ½N(−3, 1) + ½N(3, 1) and
q = N(0, 3.2²)). We use instead the trapezoid rule in z on [−9, 9], which converges
geometrically for such smooth integrands, with error ≈ exp(−2π a / h) where a is the distance
(in z) from the real axis to the nearest singularity of log p (a zero of the mixture density in
the complex plane, found in closed form from each pair of components). The spacing h is chosen
from a (h ≤ a/3, and h ≤ ½ always; a power-of-two fraction of ½, so that nearby q share a
rule), which keeps the error below ~1e-8 nats with 37 nodes for a narrow q and a few hundred
for a wide one (Trefethen & Weideman, "The exponentially convergent trapezoidal rule", SIAM
Review 2014). The tests check the values against ``scipy.integrate.quad``; with more than two
components the singularities are estimated pairwise, which can only add nodes.

Introduced in lectures 04 (Forward vs reverse KL) and 05 (Maximum likelihood is forward KL).
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np
from scipy.linalg import solve_triangular
from scipy.optimize import minimize

from coursekit import _validate as check
from coursekit.gaussians import (
    Gaussian,
    Mixture,
    _cholesky,
    _mean_vector,
    gaussian_entropy,
    gaussian_kl,
)

__all__ = [
    "fit_forward_kl",
    "fit_reverse_kl",
    "forward_kl",
    "reverse_kl",
    "reverse_kl_optima",
    "reverse_kl_profile",
    "forward_kl_profile",
    "mixture_entropy",
    "MeanField",
    "mean_field",
    "fit_mle_gaussian",
    "mean_nll",
]

_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)
_HALF_LOG_2PIE = 0.5 * np.log(2 * np.pi * np.e)

# -- quadrature of E_q[f] for q = N(μ, σ²) ------------------------------------------------------

_Z_MAX = 9.0  # N(0, 1) puts 2e-19 of its mass beyond ±9
_H_COARSE = 0.5  # trapezoid error for the Gaussian weight alone: exp(-2π²/h²) < 1e-34
_MAX_LEVEL = 9  # finest spacing 0.5 / 2⁹ ≈ 0.001 (18 433 nodes): q ~1000× wider than p's modes
_STRIP_FRACTION = 3.0  # spacing h ≤ (distance to the nearest singularity) / 3: error ~1e-9


@cache
def _rule(level: int) -> tuple[np.ndarray, np.ndarray]:
    """Trapezoid nodes z and weights for ∫ f(z) N(z; 0, 1) dz with spacing 0.5 / 2**level."""
    h = _H_COARSE / 2**level
    m = int(round(_Z_MAX / h))
    z = np.arange(-m, m + 1) * h
    weights = h * np.exp(-0.5 * z * z - _HALF_LOG_2PI)
    z.flags.writeable = weights.flags.writeable = False
    return z, weights


def _wsum(values: np.ndarray, weights: np.ndarray):
    """Σ_i values[..., i] weights[i], without BLAS: numpy's BLAS dot product of long vectors
    (over ~10 000 entries) turns multi-threaded, and can be a thousand times slower on a
    small machine once scipy has loaded its own BLAS as well."""
    return np.einsum("...i,i->...", values, weights)


class _LogDensity:
    """log p and its first two derivatives for a Gaussian or a Gaussian mixture p.

    The score d log p/dx = Σ_k r_k(x) (μ_k − x)/σ_k² (r_k the responsibilities) and its
    derivative are computed from the components, so the gradient of the reverse KL is exact.
    """

    def __init__(self, target, name: str = "target"):
        if isinstance(target, Gaussian):
            target = Mixture((1.0,), (target,))
        if not isinstance(target, Mixture):
            raise ValueError(
                f"{name} must be a Gaussian or a Mixture, e.g. Mixture.symmetric(2) or "
                f"Gaussian(0, 1), but got {target!r}."
            )
        self.target = target
        w = np.array(target.weights)
        keep = w > 0  # a component of weight 0 adds nothing to p
        self.mu = np.array([c.mean for c in target.components])[keep]
        self.sigma = np.array([c.std for c in target.components])[keep]
        self.inv_var = 1.0 / self.sigma**2
        self.offset = np.log(w[keep]) - np.log(self.sigma) - _HALF_LOG_2PI
        self.singularities = self._singularities()

    def _singularities(self) -> np.ndarray:
        """Complex points nearest the real axis where log p is singular (p = 0).

        For two components p = e^{ℓ_j} (1 + e^{t}) with t = ℓ_k − ℓ_j = A x² + B x + C, so p = 0
        where t = ±iπ. With more components this is a conservative guess (a third component
        may keep p away from 0 there), which only costs extra nodes.
        """
        roots = []
        k = len(self.mu)
        for a in range(k):
            for b in range(a + 1, k):
                quad = 0.5 * (self.inv_var[a] - self.inv_var[b])
                lin = self.mu[b] * self.inv_var[b] - self.mu[a] * self.inv_var[a]
                const = (
                    self.offset[b]
                    - self.offset[a]
                    - 0.5 * self.mu[b] ** 2 * self.inv_var[b]
                    + 0.5 * self.mu[a] ** 2 * self.inv_var[a]
                )
                c = const - 1j * np.pi
                if abs(quad) <= 1e-12 * max(abs(lin), 1e-300):
                    if lin != 0:
                        roots.append(-c / lin)
                else:
                    disc = np.sqrt(complex(lin * lin - 4 * quad * c))
                    roots += [(-lin + disc) / (2 * quad), (-lin - disc) / (2 * quad)]
        return np.array(roots, dtype=complex)

    def levels(self, mean, std) -> np.ndarray:
        """For each q = N(mean, std²) (arrays), the trapezoid level whose spacing resolves
        log p: h = 0.5 / 2**level ≤ a / 4, with a the distance in z from the real axis to
        the nearest singularity whose real part lies within the nodes' range."""
        mean, std = np.broadcast_arrays(np.asarray(mean, float), np.asarray(std, float))
        if self.singularities.size == 0:
            return np.zeros(mean.shape, dtype=int)
        z = (self.singularities - mean[..., None]) / std[..., None]
        distance = np.where(np.abs(z.real) <= _Z_MAX + 1, np.abs(z.imag), np.inf).min(axis=-1)
        with np.errstate(divide="ignore"):
            wanted = np.log2(_STRIP_FRACTION * _H_COARSE / distance)
        return np.clip(np.ceil(wanted), 0, _MAX_LEVEL).astype(int)

    def level(self, mean: float, std: float) -> int:
        """The trapezoid level for one q = N(mean, std²) (see :meth:`levels`)."""
        return int(self.levels(mean, std))

    def __call__(self, x: np.ndarray, order: int = 0):
        """log p(x) and, for order ≥ 1, its first (and for order 2, second) derivative.

        The components run along a new leading axis (reductions over a short leading axis
        are much faster in numpy than over a short trailing one).
        """
        shape = (-1,) + (1,) * np.ndim(x)
        mu, inv_var = self.mu.reshape(shape), self.inv_var.reshape(shape)
        diff = x - mu
        u = diff * inv_var  # (x − μ_k)/σ_k², minus the score of component k
        log_k = self.offset.reshape(shape) - 0.5 * u * diff
        top = log_k.max(axis=0)
        # Clipping at −200 changes nothing (e^−200 ≈ 1e-87 next to the top term, 1) but keeps
        # numpy off its slow paths for exponents that underflow and for subnormal numbers.
        e = np.exp(np.maximum(log_k - top, -200.0))
        total = e.sum(axis=0)
        log_p = top + np.log(total)
        if order == 0:
            return log_p
        r = e / total
        score = -(r * u).sum(axis=0)
        if order == 1:
            return log_p, score
        d2 = (r * (u * u - inv_var)).sum(axis=0) - score * score
        return log_p, score, d2


def _expected_log_p(logp: _LogDensity, mean: float, std: float) -> float:
    """E_q[log p(x)] for q = N(mean, std²), by the trapezoid rule (see the module docstring)."""
    z, weights = _rule(logp.level(mean, std))
    return float(_wsum(logp(mean + std * z), weights))


def _reverse_kl_terms(logp: _LogDensity, mean: float, log_std: float, order: int = 1):
    """KL(q‖p) for q = N(mean, e^{2 log_std}) and its gradient (and Hessian for order 2)
    with respect to (mean, log_std).

    KL(q‖p) = −H(q) − E_q[log p], H(q) = ½ log(2πe) + log σ. With x = μ + σz,
    ∂/∂μ E_q[log p] = E[g'(x)], ∂/∂log σ E_q[log p] = E[g'(x) σz], and the second derivatives
    E[g''], E[g'' σz], E[g'' σ²z² + g' σz] (g = log p).
    """
    std = float(np.exp(log_std))
    z, weights = _rule(logp.level(mean, std))
    x = mean + std * z
    if order == 1:
        log_p, g1 = logp(x, 1)
    else:
        log_p, g1, g2 = logp(x, 2)
    kl = -(_HALF_LOG_2PIE + log_std) - _wsum(log_p, weights)
    wg1 = weights * g1
    grad = np.array([-wg1.sum(), -1.0 - std * _wsum(wg1, z)])
    if order == 1:
        return float(kl), grad
    wg2 = weights * g2
    h_mm = -wg2.sum()
    h_ms = -std * _wsum(wg2, z)
    h_ss = -(std * std * _wsum(wg2, z * z) + std * _wsum(wg1, z))
    return float(kl), grad, np.array([[h_mm, h_ms], [h_ms, h_ss]])


# -- checks ------------------------------------------------------------------------------------


def _gaussian(q, name: str, example: str = "Gaussian(mean=0, std=1)") -> Gaussian:
    if not isinstance(q, Gaussian):
        hint = ""
        if isinstance(q, tuple | list) and len(q) == 2:
            hint = f" To turn a pair (mean, std) into one, write Gaussian(*{name})."
        elif isinstance(q, Mixture):
            hint = " The model q of a fit is a single Gaussian; the target p may be a Mixture."
        raise ValueError(f"{name} must be a Gaussian, e.g. {example}, but got {q!r}.{hint}")
    return q


def _observations(x, name: str = "x") -> np.ndarray:
    arr = check.as_float_array(x, name)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of observations x₁, …, x_N, but has shape {arr.shape}. "
            f"Flatten it with np.ravel({name}) if every entry is one observation."
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty: pass at least one observation.")
    if not np.isfinite(arr).all():
        bad = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise ValueError(
            f"{name} contains {arr[bad]} at index {bad}; every observation must be a finite "
            "number. Drop or impute the missing values first."
        )
    return arr


# -- forward KL ----------------------------------------------------------------------------------


def mixture_entropy(target, base=None) -> float:
    r"""Differential entropy H(p) = −∫ p(x) log p(x) dx of a Gaussian or a Gaussian mixture.

    For a mixture, H(p) = −Σ_k w_k E_{N(μ_k, σ_k²)}[log p(x)], each expectation by the
    trapezoid rule of the module docstring (no closed form exists); for a Gaussian,
    ½ log(2πeσ²). Units: nats for ``base=None``, bits for ``base=2``.

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> round(mixture_entropy(Mixture.symmetric(0.0)), 6)  # two copies of N(0, 1)
    1.418939
    """
    ln_base = check.log_base(base)
    if isinstance(target, Gaussian):
        h = float(gaussian_entropy(target.std))
    else:
        logp = _LogDensity(target)
        weights = np.array(target.weights)
        h = -sum(
            w * _expected_log_p(logp, c.mean, c.std)
            for w, c in zip(weights, target.components, strict=True)
            if w > 0
        )
    return float(check.in_base(h, ln_base))


def fit_forward_kl(target) -> Gaussian:
    r"""The Gaussian q* that minimises the forward KL(p‖q) over all Gaussians: moment matching.

    .. math:: KL(p \| q) = -H(p) + \tfrac12 \log(2\pi\sigma^2)
              + \frac{\operatorname{Var}_p + (\mathbb E_p[x] - \mu)^2}{2\sigma^2}

    depends on p only through its mean and variance, and is smallest at μ = E_p[x],
    σ² = Var_p(x): q* has the target's mean and variance. For a two-mode target it sits between
    the modes and covers both ("mean seeking"), putting mass where p has little.

    ``target`` is anything with ``mean`` and ``var`` (a Gaussian or a Mixture).

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> fit_forward_kl(Mixture.symmetric(3))
    Gaussian(mean=0, std=3.1622776601683795)
    """
    mean, var = getattr(target, "mean", None), getattr(target, "var", None)
    if mean is None or var is None or callable(mean) or callable(var):
        raise ValueError(
            f"target must be a distribution with a mean and a var (a Gaussian or a Mixture), "
            f"but got {target!r}. To fit data, use fit_mle_gaussian(x): maximum likelihood is "
            "the forward-KL fit to the data's empirical distribution."
        )
    mean = check.finite_scalar(mean, "target.mean")
    var = check.finite_scalar(var, "target.var")
    if var <= 0:
        raise ValueError(f"target.var must be greater than 0, but it is {var:g}.")
    return Gaussian(mean, np.sqrt(var))


def forward_kl(target, q, base=None) -> float:
    r"""The forward KL(p‖q) from the target p (a Gaussian or a Mixture) to a Gaussian q.

    .. math:: KL(p \| q) = -H(p) - \mathbb E_p[\log q(x)]
              = -H(p) + \tfrac12 \log(2\pi\sigma_q^2)
              + \frac{\operatorname{Var}_p + (\mathbb E_p[x] - \mu_q)^2}{2\sigma_q^2}

    Closed form for a Gaussian p; for a mixture, H(p) comes from :func:`mixture_entropy`.
    Units: nats for ``base=None``, bits for ``base=2``. Argument order as in the notation:
    ``forward_kl(p, q)`` is KL(p‖q).

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> p = Mixture.symmetric(3)
    >>> round(forward_kl(p, fit_forward_kl(p)), 6)
    0.461995
    """
    q = _gaussian(q, "q")
    ln_base = check.log_base(base)
    if isinstance(target, Gaussian):
        return gaussian_kl(target, q, base=base)
    if not isinstance(target, Mixture):
        _LogDensity(target)  # raises the message for a wrong target
    cross = 0.5 * np.log(2 * np.pi * q.var) + (target.var + (target.mean - q.mean) ** 2) / (
        2 * q.var
    )
    return float(check.in_base(cross - mixture_entropy(target), ln_base))


def forward_kl_profile(target, means) -> tuple[np.ndarray, np.ndarray]:
    r"""The forward KL along the means: for each μ, the best σ and min over σ of KL(p‖N(μ, σ²)).

    For fixed μ the forward KL is smallest at σ² = Var_p + (E_p[x] − μ)², where it equals
    ½ log(2πe σ²) − H(p): one valley, at μ = E_p[x]. Returns ``(stds, kls)``, arrays shaped
    like ``means``; the KL in nats.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    means = check.as_float_array(means, "means")
    if not np.isfinite(means).all():
        raise ValueError("means contains NaN or infinite values; pass finite numbers.")
    fit = fit_forward_kl(target)
    var = fit.var + (means - fit.mean) ** 2
    return np.sqrt(var), 0.5 * np.log(2 * np.pi * np.e * var) - mixture_entropy(target)


# -- reverse KL ----------------------------------------------------------------------------------


def reverse_kl(q, target, base=None) -> float:
    r"""The reverse KL(q‖p) from a Gaussian q to the target p (a Gaussian or a Mixture).

    .. math:: KL(q \| p) = -H(q) - \mathbb E_q[\log p(x)], \qquad
              H(q) = \tfrac12 \log(2\pi e \sigma_q^2)

    Closed form for a Gaussian p; for a mixture E_q[log p] by quadrature (module docstring;
    accurate to ~1e-8). Units: nats for ``base=None``, bits for ``base=2``. Argument order as
    in the notation: ``reverse_kl(q, p)`` is KL(q‖p).

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> round(reverse_kl(Gaussian(0, 2.046968), Mixture.symmetric(2)), 6)
    0.226508
    """
    q = _gaussian(q, "q")
    ln_base = check.log_base(base)
    if isinstance(target, Gaussian):
        return gaussian_kl(q, target, base=base)
    logp = _LogDensity(target)
    kl = -float(gaussian_entropy(q.std)) - _expected_log_p(logp, q.mean, q.std)
    return float(check.in_base(kl, ln_base))


class _Scaled:
    """The reverse KL in coordinates of order 1 for any target: u = (μ − E_p[x]) / s_p and
    v = log(σ / s_p), with s_p the target's std.

    Every optimum lies in a box (μ within 30 s_p of the target's components, σ from 1e-4 of
    the narrowest component to 10 times s_p or the widest component). Outside it the KL is
    evaluated at the nearest point of the box plus a steep quadratic penalty, so that a line
    search's trial step can never overflow (σ = e^v) but is simply pushed back.
    """

    _PENALTY = 1e3

    def __init__(self, logp: _LogDensity, target):
        self.logp = logp
        self.centre = float(target.mean)
        self.scale = float(np.sqrt(target.var))
        self.lower = np.array(
            [
                (logp.mu.min() - self.centre) / self.scale - 30,
                np.log(1e-4 * logp.sigma.min() / self.scale),
            ]
        )
        widest = max(self.scale, float(logp.sigma.max()))
        self.upper = np.array(
            [(logp.mu.max() - self.centre) / self.scale + 30, np.log(10 * widest / self.scale)]
        )
        self.jac = np.array([self.scale, 1.0])

    def to_theta(self, q: Gaussian) -> np.ndarray:
        theta = np.array([(q.mean - self.centre) / self.scale, np.log(q.std / self.scale)])
        return np.clip(theta, self.lower, self.upper)

    def to_gaussian(self, theta) -> Gaussian:
        return Gaussian(self.centre + self.scale * theta[0], self.scale * np.exp(theta[1]))

    def inside(self, theta) -> bool:
        return bool(np.all((self.lower <= theta) & (theta <= self.upper)))

    def __call__(self, theta, order: int = 1):
        clipped = np.clip(theta, self.lower, self.upper)
        mean = self.centre + self.scale * clipped[0]
        out = _reverse_kl_terms(self.logp, mean, np.log(self.scale) + clipped[1], order)
        kl, grad = out[0], out[1] * self.jac
        excess = theta - clipped
        if excess.any():
            kl += self._PENALTY * float(excess @ excess)
            grad = grad + 2 * self._PENALTY * excess
        if order == 1:
            return kl, grad
        return kl, grad, out[2] * np.outer(self.jac, self.jac)


def _eigen2(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (ascending) and unit eigenvectors (columns) of a symmetric 2 × 2 matrix,
    in closed form: LAPACK calls this small cost more than the arithmetic."""
    a, b, c = h[0, 0], h[0, 1], h[1, 1]
    mid, radius = 0.5 * (a + c), np.hypot(0.5 * (a - c), b)
    values = np.array([mid - radius, mid + radius])
    if b == 0:
        vectors = np.eye(2) if a <= c else np.array([[0.0, 1.0], [1.0, 0.0]])
    else:
        v = np.array([b, values[0] - a])
        v /= np.hypot(*v)
        vectors = np.array([[v[0], -v[1]], [v[1], v[0]]])
    return values, vectors


def _solve2(h: np.ndarray, g: np.ndarray) -> np.ndarray:
    """h⁻¹ g for a 2 × 2 matrix h (Cramer's rule)."""
    det = h[0, 0] * h[1, 1] - h[0, 1] * h[1, 0]
    return np.array([h[1, 1] * g[0] - h[0, 1] * g[1], h[0, 0] * g[1] - h[1, 0] * g[0]]) / det


def _minimise(objective: _Scaled, theta: np.ndarray) -> np.ndarray:
    # Start BFGS from the exact curvature (eigenvalues made positive and at least 0.1), so its
    # first step is a Newton-like step of sensible length instead of a jump along the raw
    # gradient, which can be huge when q starts in a gap between the modes.
    values, vectors = _eigen2(objective(theta, order=2)[2])
    start = (vectors / np.maximum(np.abs(values), 0.1)) @ vectors.T
    start = 0.5 * (start + start.T)  # exactly symmetric, as scipy checks
    result = minimize(
        objective,
        theta,
        jac=True,
        method="BFGS",
        options={"gtol": 1e-6, "maxiter": 500, "hess_inv0": start},
    )
    theta = np.clip(result.x, objective.lower, objective.upper)
    # BFGS stops when the gradient is small or rounding stalls its line search, sometimes a
    # little short of the minimum; Newton steps with the exact Hessian polish it (quadratic
    # convergence), accepted only while they lower the KL and stay in the box.
    kl, grad, hess = objective(theta, order=2)
    for _ in range(4):
        if _eigen2(hess)[0][0] <= 0 or np.abs(grad).max() < 1e-14:
            break
        candidate = theta - _solve2(hess, grad)
        if not objective.inside(candidate):
            break
        new_kl, new_grad, new_hess = objective(candidate, order=2)
        if new_kl > kl + 1e-14:
            break
        theta, kl, grad, hess = candidate, new_kl, new_grad, new_hess
    return theta


def fit_reverse_kl(target, init: Gaussian) -> Gaussian:
    r"""A Gaussian q that locally minimises the reverse KL(q‖p), found by descent from ``init``.

    .. math:: KL(q \| p) = -H(q) - \mathbb E_q[\log p(x)], \qquad q = N(\mu, \sigma^2)

    is minimised over (μ, log σ) with BFGS (``scipy.optimize.minimize``) and the exact gradient

    .. math:: \partial_\mu KL = -\mathbb E_q[(\log p)'(x)], \qquad
              \partial_{\log\sigma} KL = -1 - \mathbb E_q[(\log p)'(x)\, \sigma z]

    (x = μ + σz), computed from p's score with the same quadrature as the KL (module
    docstring), then polished by Newton steps with the exact Hessian. The reverse KL punishes q
    for mass where p is small ("zero forcing"), so for a target with well-separated modes q
    locks onto one mode ("mode seeking") and there are several local minima: which one you get
    depends on ``init``.

    For p = ½N(−d, 1) + ½N(d, 1) (a mixture of two unit Gaussians d apart from the centre):

    * below the critical separation **d* ≈ 2.4122** the central fit (μ = 0) is the only
      optimum, so every ``init`` ends there (d = 2: σ = 2.0470, KL = 0.226508 nats);
    * above d* each mode has an optimum of its own as well (born at μ ≈ ±2.146, σ ≈ 1.291),
      with a higher KL than the central fit until d ≈ 2.8001 and a lower one after; as d grows
      the mode fits tend to N(±d, 1) and their KL to ln 2;
    * the wide central fit stays a (shallow) local minimum for every d: its curvature along μ
      stays positive (≈ 1.56/d² for large d), so a symmetric ``init`` (mean 0) ends on it.

    Accurate to ~1e-8 in μ and σ (benchmarks/bench_fitting.py compares with a brute-force
    grid); takes 1–5 ms. For a Gaussian target the fit is the target itself (KL = 0).

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> q = fit_reverse_kl(Mixture.symmetric(2), init=Gaussian(1, 1))
    >>> round(q.mean, 6) + 0.0, round(q.std, 4)
    (0.0, 2.047)
    >>> q = fit_reverse_kl(Mixture.symmetric(4), init=Gaussian(-1, 1))
    >>> round(q.mean, 2), round(q.std, 2)
    (-4.0, 1.0)
    """
    logp = _LogDensity(target)
    init = _gaussian(init, "init", "Gaussian(mean=2, std=1)")
    if isinstance(target, Gaussian):
        return target
    objective = _Scaled(logp, target)
    return objective.to_gaussian(_minimise(objective, objective.to_theta(init)))


def reverse_kl_optima(target, inits=None, tol: float = 1e-4) -> list[Gaussian]:
    r"""The distinct local minima of the reverse KL(q‖p) reached from several starting points.

    Runs :func:`fit_reverse_kl` from each Gaussian in ``inits`` and keeps one of every group of
    fits whose means and stds agree within ``tol`` × (the target's std). The default ``inits``
    are each component of the target and the moment-matched Gaussian, which finds the mode
    fits and the central fit. Returns the optima sorted by mean.

    For ½N(−d, 1) + ½N(d, 1): one (central) optimum for d below d* ≈ 2.4122, three (one per
    mode and the wide central one) above.

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> [round(q.mean, 3) + 0.0 for q in reverse_kl_optima(Mixture.symmetric(2))]
    [0.0]
    >>> [round(q.mean, 2) + 0.0 for q in reverse_kl_optima(Mixture.symmetric(3))]
    [-2.98, 0.0, 2.98]
    """
    logp = _LogDensity(target)
    if inits is None:
        inits = [*logp.target.components, fit_forward_kl(target)]
    try:
        inits = list(inits)
    except TypeError:
        raise ValueError(
            f"inits must be a list of Gaussians to start from, but got {inits!r}."
        ) from None
    if not inits:
        raise ValueError("inits is empty: give at least one Gaussian to start the fit from.")
    tol = check.finite_scalar(tol, "tol")
    if tol <= 0:
        raise ValueError(f"tol must be greater than 0, but got {tol:g}.")
    scale = float(np.sqrt(target.var))
    optima: list[Gaussian] = []
    for i, init in enumerate(inits):
        q = fit_reverse_kl(target, _gaussian(init, f"inits[{i}]"))
        if not any(
            abs(q.mean - o.mean) <= tol * scale and abs(q.std - o.std) <= tol * scale
            for o in optima
        ):
            optima.append(q)
    return sorted(optima, key=lambda q: q.mean)


def _by_level(logp: _LogDensity, mu: np.ndarray, std: np.ndarray):
    """Group rows by the trapezoid level they need: yields (row indices, z, weights)."""
    levels = logp.levels(mu, std)
    for level in np.unique(levels):
        rows = np.flatnonzero(levels == level)
        yield (rows, *_rule(int(level)))


def _best_log_std(logp: _LogDensity, mu: np.ndarray, s: np.ndarray) -> np.ndarray:
    """For each mean μ, descend from log σ = s to a minimum of KL(N(μ, σ²)‖p) over log σ.

    Newton's method on ∂KL/∂log σ, all means at once (grouped by the quadrature level they
    need), with steps capped at 1 (and a plain downhill step where the KL is not convex in
    log σ); rows stop once their step is < 1e-10.
    """
    s = s.copy()
    active = np.arange(mu.size)
    for _ in range(50):
        step = np.empty(active.size)
        for rows, z, weights in _by_level(logp, mu[active], np.exp(s[active])):
            i = active[rows]
            std = np.exp(s[i])
            sz = std[:, None] * z
            _, g1, g2 = logp(mu[i, None] + sz, 2)
            grad = -1.0 - _wsum(g1 * sz, weights)
            curv = -_wsum(g2 * sz * sz + g1 * sz, weights)
            newton = -grad / np.where(curv > 0, curv, 1.0)
            step[rows] = np.clip(np.where(curv > 0, newton, -np.sign(grad)), -1.0, 1.0)
        s[active] += step
        active = active[np.abs(step) >= 1e-10]
        if active.size == 0:
            break
    return s


def _kl_rows(logp: _LogDensity, mu: np.ndarray, s: np.ndarray) -> np.ndarray:
    """KL(N(μ_i, e^{2 s_i})‖p) for every row i."""
    kl = np.empty(mu.size)
    for rows, z, weights in _by_level(logp, mu, np.exp(s)):
        std = np.exp(s[rows])
        log_p = logp(mu[rows, None] + std[:, None] * z)
        kl[rows] = -(_HALF_LOG_2PIE + s[rows]) - _wsum(log_p, weights)
    return kl


def reverse_kl_profile(target, means) -> tuple[np.ndarray, np.ndarray]:
    r"""The reverse KL along the means: for each μ, the best σ and min over σ of KL(N(μ, σ²)‖p).

    The valleys of this profile are the local minima of the reverse KL (one per mode once the
    modes are well apart, and a wide central one); the crests between valleys separate the
    starting points that end in each. For each μ the best σ is found by Newton's method on
    ∂KL/∂log σ from two starts, a narrow q (the target's narrowest component) and a wide one
    (the target's spread seen from μ), keeping the lower KL. Returns ``(stds, kls)``, arrays
    shaped like ``means``; the KL in nats.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    logp = _LogDensity(target)
    means = check.as_float_array(means, "means")
    if means.size == 0 or not np.isfinite(means).all():
        raise ValueError("means must hold one or more finite numbers (the means μ of q).")
    mu = means.ravel()
    narrow = np.full(mu.shape, np.log(float(logp.sigma.min())))
    wide = np.full(mu.shape, 0.5 * np.log(target.var))
    best_s, best_kl = None, None
    for start in (narrow, wide):
        s = _best_log_std(logp, mu, start)
        kl = _kl_rows(logp, mu, s)
        if best_s is None:
            best_s, best_kl = s, kl
        else:
            better = kl < best_kl
            best_s, best_kl = np.where(better, s, best_s), np.where(better, kl, best_kl)
    return np.exp(best_s).reshape(means.shape), best_kl.reshape(means.shape)


# -- mean field ----------------------------------------------------------------------------------


class MeanField(NamedTuple):
    r"""A factorised Gaussian q(x) = Π_i N(x_i; means[i], variances[i]).

    Unpacks as ``means, variances = mean_field(...)``; ``cov`` is the diagonal covariance
    matrix and ``stds`` the standard deviations.
    """

    means: np.ndarray
    variances: np.ndarray

    @property
    def stds(self) -> np.ndarray:
        return np.sqrt(self.variances)

    @property
    def cov(self) -> np.ndarray:
        return np.diag(self.variances)


def mean_field(mean, cov, direction) -> MeanField:
    r"""The best factorised Gaussian q = Π_i N(m_i, v_i) for p = N(mean, cov), in one direction.

    * ``direction="reverse"`` minimises KL(q‖p): the factors have the right means but the
      variances v_i = 1/Λ_ii, Λ = Σ⁻¹ (the *conditional* variances), which are smaller than the
      marginal ones when the coordinates are correlated: q is too narrow (PRML §10.1.2).
    * ``direction="forward"`` minimises KL(p‖q): the factors are p's marginals, v_i = Σ_ii;
      q is too wide along the correlation's minor axis.

    For two coordinates with correlation ρ and unit variances the optimal KL in both directions
    is −½ log(1 − ρ²) nats (check it with :func:`coursekit.gaussians.mvn_kl`).

    Returns a :class:`MeanField` ``(means, variances)``.

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> means, variances = mean_field([1, 2], [[1, 0.9], [0.9, 1]], "reverse")
    >>> means.tolist(), variances.round(6).tolist()
    ([1.0, 2.0], [0.19, 0.19])
    >>> mean_field([1, 2], [[1, 0.9], [0.9, 1]], "forward").variances.tolist()
    [1.0, 1.0]
    """
    if direction not in ("forward", "reverse"):
        raise ValueError(
            f"direction must be 'forward' or 'reverse', but got {direction!r}. 'reverse' "
            "minimises KL(q‖p) (variances 1/Λᵢᵢ, too narrow); 'forward' minimises KL(p‖q) "
            "(the marginal variances Σᵢᵢ)."
        )
    chol = _cholesky(cov, "cov")
    k = chol.shape[0]
    mean = _mean_vector(mean, k, "mean", "cov").copy()
    if direction == "forward":
        variances = np.diag(chol @ chol.T).copy()
    else:
        inv_chol = solve_triangular(chol, np.eye(k), lower=True)  # L⁻¹, Σ⁻¹ = L⁻ᵀ L⁻¹
        variances = 1.0 / np.sum(inv_chol * inv_chol, axis=0)
    return MeanField(mean, variances)


# -- maximum likelihood --------------------------------------------------------------------------


def fit_mle_gaussian(x) -> Gaussian:
    r"""The maximum-likelihood Gaussian for data x₁, …, x_N: the sample mean and 1/N std.

    .. math:: \hat\mu = \frac1N \sum_i x_i, \qquad
              \hat\sigma^2 = \frac1N \sum_i (x_i - \hat\mu)^2

    (divide by N, not N − 1). Maximising the likelihood is minimising the forward
    KL(p_D‖q) from the data's empirical distribution p_D, so this is the forward-KL fit to the
    data (compare :func:`fit_forward_kl`, moment matching).

    Introduced in lecture 05 (Maximum likelihood is forward KL).

    >>> fit_mle_gaussian([1, 2, 3, 4, 5])
    Gaussian(mean=3, std=1.4142135623730951)
    """
    x = _observations(x)
    if x.size < 2 or np.ptp(x) == 0:
        raise ValueError(
            f"All {x.size} values of x are equal ({x[0]:g}), so the maximum-likelihood std "
            "is 0 and the Gaussian degenerates (its likelihood grows without bound). Pass at "
            "least two different observations."
        )
    return Gaussian(float(x.mean()), float(x.std()))


def mean_nll(x, q, base=None) -> float:
    r"""The average negative log-likelihood of data x₁, …, x_N under a model q.

    .. math:: \mathrm{NLL}(q) = -\frac1N \sum_i \log q(x_i) = H(p_D, q)
              = KL(p_D \| q) + H(p_D)

    It is the cross-entropy from the empirical distribution p_D of the data to q; as N grows it
    tends to H(p, q) = KL(p‖q) + H(p) for the distribution p the data come from. H(p) does not
    depend on q, so the q that minimises the NLL (maximum likelihood) minimises the forward KL.
    ``q`` is anything with ``logpdf`` (a Gaussian or a Mixture). Units: nats for
    ``base=None``, bits for ``base=2``.

    Introduced in lecture 05 (Maximum likelihood is forward KL).

    >>> x = [1, 2, 3, 4, 5]
    >>> round(mean_nll(x, fit_mle_gaussian(x)), 6)
    1.765512
    """
    x = _observations(x)
    if not callable(getattr(q, "logpdf", None)):
        raise ValueError(
            f"q must be a model with a logpdf method, e.g. Gaussian(mean=0, std=1), but got {q!r}."
        )
    ln_base = check.log_base(base)
    return float(check.in_base(-np.mean(q.logpdf(x)), ln_base))
