r"""Reverse KL(q‖p) and its local minima over Gaussians q ("mode seeking").

:func:`fit_reverse_kl` descends from a starting Gaussian to a local minimum,
:func:`reverse_kl_optima` collects the distinct minima, and :func:`reverse_kl_profile` shows
the KL along the mean of q (its valleys are the minima). E_q[log p] is computed by the
quadrature of :mod:`coursekit.fitting._target`. Units: nats for ``base=None``, bits for
``base=2``.

Introduced in lecture 04 (Forward vs reverse KL).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from coursekit import _validate as check
from coursekit.fitting._target import (
    GRADED,
    LogDensity,
    as_model,
    expected_log_p,
    in_units,
    standardised,
)
from coursekit.fitting.forward import fit_forward_kl
from coursekit.gaussians import Gaussian, gaussian_entropy, gaussian_kl, log_normaliser, spread
from coursekit.quadrature import normal_trapezoid, weighted_sum

__all__ = ["reverse_kl", "fit_reverse_kl", "reverse_kl_optima", "reverse_kl_profile"]


MAX_SPREAD_RATIO = 1e12
"""The largest ratio of a target's std to its narrowest component's std that
:func:`fit_reverse_kl` accepts; beyond it the optimisation is no longer reliable in float64."""


def _check_spread(logp: LogDensity, target) -> None:
    ratio = spread(target) / float(logp.sigma.min())
    if ratio > MAX_SPREAD_RATIO:
        raise ValueError(
            f"The target spreads over {ratio:.3g} times the std of its narrowest component "
            f"(at most {MAX_SPREAD_RATIO:.0e} is supported): its reverse KL then spans more "
            "orders of magnitude than a float can resolve, so no fit would be reliable. A mode "
            "more than ~40 stds from the others has its own component as its reverse-KL fit."
        )


def reverse_kl(q, target, base=None) -> float:
    r"""The reverse KL(q‖p) from a Gaussian q to the target p (a Gaussian or a Mixture).

    .. math:: KL(q \| p) = -H(q) - \mathbb E_q[\log p(x)], \qquad
              H(q) = \tfrac12 \log(2\pi e \sigma_q^2)

    Closed form for a Gaussian p; for a mixture E_q[log p] by quadrature
    (:mod:`coursekit.fitting._target`; accurate to ~1e-8 nats, also for a wide q across the
    sharp bend of log p between narrow modes, e.g. modes of width 0.01). A target beyond
    1e±100 is measured in a power-of-two unit (the KL does not change). Never negative.
    Units: nats for ``base=None``, bits for ``base=2``. Argument order as in the notation:
    ``reverse_kl(q, p)`` is KL(q‖p).

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> round(reverse_kl(Gaussian(0, 2.046968), Mixture.symmetric(2)), 6)
    0.226508
    """
    q = as_model(q, "q")
    ln_base = check.log_base(base)
    if isinstance(target, Gaussian):
        return gaussian_kl(q, target, base=base)
    unit, target = standardised(target)
    q = in_units(q, unit)
    logp = LogDensity(target)
    kl = -float(gaussian_entropy(q.std)) - expected_log_p(logp, q.mean, q.std)
    # KL ≥ 0; where q matches a mixture whose other components are negligible the computed
    # value may fall below 0 by rounding.
    return float(check.in_base(check.nonnegative(kl), ln_base))


def _entropy(log_std):
    """H(N(μ, σ²)) = ½ log(2πeσ²) = log Z + ½ from log σ, elementwise (no checks: hot loops)."""
    return log_normaliser(log_std) + 0.5


def _reverse_kl_terms(logp: LogDensity, mean: float, log_std: float, order: int = 1):
    """KL(q‖p) for q = N(mean, e^{2 log_std}) and its gradient (and Hessian for order 2)
    with respect to (mean, log_std).

    KL(q‖p) = −H(q) − E_q[log p], H(q) = ½ log(2πe) + log σ. With x = μ + σz,
    ∂/∂μ E_q[log p] = E[g'(x)], ∂/∂log σ E_q[log p] = E[g'(x) σz], and the second derivatives
    E[g''], E[g'' σz], E[g'' σ²z² + g' σz] (g = log p).
    """
    std = float(np.exp(log_std))
    z, weights = logp.rule(mean, std)
    sz = std * z
    if order == 1:
        log_p, g1 = logp(sz, 1, mean)
    else:
        log_p, g1, g2 = logp(sz, 2, mean)
    kl = -_entropy(log_std) - weighted_sum(log_p, weights)
    wg1 = weights * g1
    grad = np.array([-wg1.sum(), -1.0 - std * weighted_sum(wg1, z)])
    if order == 1:
        return float(kl), grad
    wg2 = weights * g2
    h_mm = -wg2.sum()
    h_ms = -std * weighted_sum(wg2, z)
    h_ss = -(std * std * weighted_sum(wg2, z * z) + std * weighted_sum(wg1, z))
    return float(kl), grad, np.array([[h_mm, h_ms], [h_ms, h_ss]])


class _Scaled:
    """The reverse KL in coordinates of order 1 for any target: u = (μ − E_p[x]) / s_p and
    v = log(σ / s_p), with s_p the target's std.

    Every optimum lies in a box (μ within 30 s_p of the target's components, σ from 1e-4 of
    the narrowest component to 10 times s_p or the widest component). Outside it the KL is
    evaluated at the nearest point of the box plus a steep quadratic penalty, so that a line
    search's trial step can never overflow (σ = e^v) but is simply pushed back.
    """

    _PENALTY = 1e3

    def __init__(self, logp: LogDensity, target):
        self.logp = logp
        self.centre = float(target.mean)
        self.scale = spread(target)
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
        # (b, λ − a) and (λ − c, b) are both eigenvectors for λ = values[0]. Where a < c and
        # |b| ≪ c − a, λ − a = (c − a)/2 − radius cancels to rounding noise as large as b
        # itself, which would couple μ and σ at random (a symmetric fit at μ = 0 was thrown
        # onto a mode); (λ − c, b) has no cancellation there.
        if a > c or abs(b) > 1e-4 * (c - a):
            v = np.array([b, values[0] - a])
        else:
            v = np.array([values[0] - c, b])
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

    (x = μ + σz), computed from p's score with the same quadrature as the KL
    (:mod:`coursekit.fitting._target`), then polished by Newton steps with the exact Hessian.
    The reverse KL punishes q for mass where p is small ("zero forcing"), so for a target with
    well-separated modes q locks onto one mode ("mode seeking") and there are several local
    minima: which one you get depends on ``init``.

    For p = ½N(−d, 1) + ½N(d, 1) (a mixture of two unit Gaussians d apart from the centre):

    * below the critical separation **d* ≈ 2.4122** the central fit (μ = 0) is the only
      optimum, so every ``init`` ends there (d = 2: σ = 2.0470, KL = 0.226508 nats);
    * above d* each mode has an optimum of its own as well (born at μ ≈ ±2.146, σ ≈ 1.291),
      with a higher KL than the central fit until d ≈ 2.8001 and a lower one after; as d grows
      the mode fits tend to N(±d, 1) and their KL to ln 2;
    * the wide central fit stays a (shallow) local minimum for every d: its curvature along μ
      stays positive (≈ 1.56/d² for large d), so a symmetric ``init`` (mean 0) ends on it.

    Accurate to ~1e-8 in μ and σ (benchmarks/bench_fitting.py compares with a brute-force
    grid); takes 1–5 ms. For a Gaussian target the fit is the target itself (KL = 0). A target
    beyond 1e±100 is fitted in a power-of-two unit; one spread over more than
    ``MAX_SPREAD_RATIO`` = 1e12 times its narrowest std raises ValueError (its KL spans more
    orders of magnitude than float64 resolves).

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> q = fit_reverse_kl(Mixture.symmetric(2), init=Gaussian(1, 1))
    >>> round(q.mean, 6) + 0.0, round(q.std, 4)
    (0.0, 2.047)
    >>> q = fit_reverse_kl(Mixture.symmetric(4), init=Gaussian(-1, 1))
    >>> round(q.mean, 2), round(q.std, 2)
    (-4.0, 1.0)
    """
    logp = LogDensity(target)
    init = as_model(init, "init", "Gaussian(mean=2, std=1)")
    if isinstance(target, Gaussian):
        return target
    unit, scaled = standardised(target)
    if unit != 1.0:  # a target beyond 1e±100: fit in units of its narrowest component
        q = fit_reverse_kl(scaled, in_units(init, unit))
        return Gaussian(q.mean * unit, q.std * unit)
    _check_spread(logp, target)
    objective = _Scaled(logp, target)
    return objective.to_gaussian(_minimise(objective, objective.to_theta(init)))


def reverse_kl_optima(target, inits=None, tol: float = 1e-4) -> list[Gaussian]:
    r"""The distinct local minima of the reverse KL(q‖p) reached from several starting points.

    Runs :func:`fit_reverse_kl` from each Gaussian in ``inits`` and keeps one of every group of
    fits whose means and stds agree within ``tol`` × (the target's std). The default ``inits``
    are each component of the target and the moment-matched Gaussian, which finds the mode
    fits and the central fit. Returns the optima sorted by mean.

    For ½N(−d, 1) + ½N(d, 1): one (central) optimum for d below d* ≈ 2.4122, three (one per
    mode and the wide central one) above, for every larger d (the central fit tends to
    N(0, (2/π) d²), the mode fits to the components).

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> [round(q.mean, 3) + 0.0 for q in reverse_kl_optima(Mixture.symmetric(2))]
    [0.0]
    >>> [round(q.mean, 2) + 0.0 for q in reverse_kl_optima(Mixture.symmetric(3))]
    [-2.98, 0.0, 2.98]
    """
    logp = LogDensity(target)
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
    scale = spread(target)
    optima: list[Gaussian] = []
    for i, init in enumerate(inits):
        q = fit_reverse_kl(target, as_model(init, f"inits[{i}]"))
        if not any(
            abs(q.mean - o.mean) <= tol * scale and abs(q.std - o.std) <= tol * scale
            for o in optima
        ):
            optima.append(q)
    return sorted(optima, key=lambda q: q.mean)


def _by_level(logp: LogDensity, mu: np.ndarray, std: np.ndarray):
    """Group rows by the trapezoid level they need: yields (row indices, z, weights); a row
    that needs a graded rule of its own comes alone."""
    levels = logp.levels(mu, std)
    for level in np.unique(levels):
        rows = np.flatnonzero(levels == level)
        if level == GRADED:
            for row in rows:
                yield (rows[rows == row], *logp.rule(mu[row], std[row], GRADED))
        else:
            yield (rows, *normal_trapezoid(int(level)))


def _best_log_std(logp: LogDensity, mu: np.ndarray, s: np.ndarray) -> np.ndarray:
    """For each mean μ, descend from log σ = s to a minimum of KL(N(μ, σ²)‖p) over log σ.

    Newton's method on ∂KL/∂log σ, all means at once (grouped by the quadrature level they
    need), with steps capped at 1 (and a plain downhill step where the KL is not convex in
    log σ); a row whose gradient changes sign has stepped over a minimum, so its cap is
    halved (a Newton step from the convex side can land where the KL is concave and the
    downhill step throw it back, forever); rows stop once their step is < 1e-10.
    """
    s = s.copy()
    active = np.arange(mu.size)
    cap, last = np.ones(mu.size), np.zeros(mu.size)
    for _ in range(60):
        step = np.empty(active.size)
        for rows, z, weights in _by_level(logp, mu[active], np.exp(s[active])):
            i = active[rows]
            std = np.exp(s[i])
            sz = std[:, None] * z
            _, g1, g2 = logp(sz, 2, mu[i, None])
            grad = -1.0 - weighted_sum(g1 * sz, weights)
            curv = -weighted_sum(g2 * sz * sz + g1 * sz, weights)
            cap[i] = np.where(grad * last[i] < 0, 0.5 * cap[i], cap[i])
            last[i] = grad
            newton = -grad / np.where(curv > 0, curv, 1.0)
            direction = np.where(curv > 0, newton, -np.sign(grad))
            step[rows] = np.clip(direction, -cap[i], cap[i])
        s[active] += step
        active = active[np.abs(step) >= 1e-10]
        if active.size == 0:
            break
    return s


def _kl_rows(logp: LogDensity, mu: np.ndarray, s: np.ndarray) -> np.ndarray:
    """KL(N(μ_i, e^{2 s_i})‖p) for every row i."""
    kl = np.empty(mu.size)
    for rows, z, weights in _by_level(logp, mu, np.exp(s)):
        std = np.exp(s[rows])
        log_p = logp(std[:, None] * z, origin=mu[rows, None])
        kl[rows] = -_entropy(s[rows]) - weighted_sum(log_p, weights)
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
    unit, target = standardised(target)  # also the message for a wrong target
    means = check.as_float_array(means, "means")
    if means.size == 0 or not np.isfinite(means).all():
        raise ValueError("means must hold one or more finite numbers (the means μ of q).")
    logp = LogDensity(target)
    _check_spread(logp, target)
    mu = means.ravel() / unit
    narrow = np.full(mu.shape, np.log(float(logp.sigma.min())))
    var = target.var
    wide = np.full(mu.shape, 0.5 * np.log(var) if 1e-300 < var < np.inf else np.log(spread(target)))
    best_s, best_kl = None, None
    for start in (narrow, wide):
        s = _best_log_std(logp, mu, start)
        kl = _kl_rows(logp, mu, s)
        if best_s is None:
            best_s, best_kl = s, kl
        else:
            better = kl < best_kl
            best_s, best_kl = np.where(better, s, best_s), np.where(better, kl, best_kl)
    return unit * np.exp(best_s).reshape(means.shape), best_kl.reshape(means.shape)
