r"""Quadrature rules: nodes and weights for the integrals of the course's Gaussians.

Every rule returns nodes and weights, so that an integral is one weighted sum:

* :func:`mass_grid`: ∫ f(x) dx by the trapezoid rule on an interval that holds the mass of some
  Gaussians or mixtures (±12 standard deviations of every component). For the smooth,
  Gaussian-tailed integrands of the KL and α-divergences it converges geometrically.
* :func:`normal_trapezoid`: E[f(z)] for z ~ N(0, 1), by the trapezoid rule in z on [−9, 9]
  (the reverse KL of lecture 04, :mod:`coursekit.fitting`).
* :func:`normal_hermite` and :func:`normal_hermite_product`: E[f(ε)] for ε ~ N(0, I), by
  Gauss–Hermite rules (the gradient moments and the ELBO of lecture 06, :mod:`coursekit.vi`).

Introduced in lecture 03 (KL divergence), where a KL between non-Gaussian densities first has
to be computed numerically.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
from numpy.polynomial.hermite_e import hermegauss

from coursekit.gaussians import components, normal_logpdf

__all__ = [
    "SPAN",
    "mass_interval",
    "mass_grid",
    "Z_MAX",
    "normal_trapezoid",
    "trapezoid_level",
    "normal_hermite",
    "normal_hermite_product",
    "weighted_sum",
]

SPAN = 12.0
"""Standard deviations of every component that :func:`mass_interval` covers: a Gaussian puts
less than 1e-32 of its mass beyond ±12σ."""
_MIN_POINTS, _MAX_POINTS = 2001, 40001


def mass_interval(*densities) -> tuple[float, float]:
    """The interval [min_k μ_k − 12σ_k, max_k μ_k + 12σ_k] over the components of every density.

    ``densities`` are :class:`~coursekit.gaussians.Gaussian` or
    :class:`~coursekit.gaussians.Mixture` objects; the interval holds all but a negligible
    part of each one's mass.

    Introduced in lecture 03 (KL divergence).
    """
    comps = [c for d in densities for c in components(d)]
    lo = min(c.mean - SPAN * c.std for c in comps)
    hi = max(c.mean + SPAN * c.std for c in comps)
    return float(lo), float(hi)


def mass_grid(*densities, points: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Nodes x and trapezoid weights w on :func:`mass_interval` of the densities.

    .. math:: \int f(x)\, dx \approx \sum_i w_i f(x_i), \qquad
              w_i = h \ (\text{and } h/2 \text{ at both ends}), \quad h = (hi - lo)/(n - 1)

    With ``points=None`` the spacing resolves the narrowest component (8 nodes per standard
    deviation, at least 2001 and at most 40001 nodes); otherwise ``points`` nodes. The tests
    check integrals on these grids against ``scipy.integrate.quad``.

    Introduced in lecture 03 (KL divergence).

    >>> from coursekit.gaussians import Gaussian
    >>> x, w = mass_grid(Gaussian(0, 1))
    >>> round(float(w @ Gaussian(0, 1).pdf(x)), 12)
    1.0
    """
    lo, hi = mass_interval(*densities)
    if points is None:
        narrowest = min(c.std for d in densities for c in components(d))
        points = int(np.clip(np.ceil(8 * (hi - lo) / narrowest), _MIN_POINTS, _MAX_POINTS))
    x = np.linspace(lo, hi, points)
    w = np.full(points, (hi - lo) / (points - 1))
    w[[0, -1]] *= 0.5
    return x, w


# -- E[f(z)] for z ~ N(0, 1) by the trapezoid rule ------------------------------------------------

Z_MAX = 9.0
"""Half-width of :func:`normal_trapezoid`'s nodes: N(0, 1) puts 2e-19 of its mass beyond ±9."""
_H_COARSE = 0.5  # trapezoid error for the Gaussian weight alone: exp(-2π²/h²) < 1e-34
_MAX_LEVEL = 9  # finest spacing 0.5 / 2⁹ ≈ 0.001 (18 433 nodes)
_STRIP_FRACTION = 3.0  # spacing h ≤ (half-width of the strip of analyticity) / 3: error ~1e-9


@cache
def normal_trapezoid(level: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Nodes z and weights for E[f(z)], z ~ N(0, 1), by the trapezoid rule with spacing
    h = ½ / 2^level on [−9, 9].

    .. math:: \mathbb E[f(z)] \approx \sum_i h\, N(z_i; 0, 1)\, f(z_i), \qquad z_i = i h

    For f analytic in a strip ``|Im z| < a`` the error is about e^{−2πa/h} (Trefethen & Weideman,
    "The exponentially convergent trapezoidal rule", SIAM Review 2014); choose the level with
    :func:`trapezoid_level`. The arrays are cached and read-only.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    h = _H_COARSE / 2**level
    m = int(round(Z_MAX / h))
    z = np.arange(-m, m + 1) * h
    weights = h * np.exp(normal_logpdf(z))
    z.flags.writeable = weights.flags.writeable = False
    return z, weights


def trapezoid_level(distance) -> np.ndarray:
    """The :func:`normal_trapezoid` level whose spacing is at most ``distance`` / 3, elementwise.

    ``distance`` is the half-width a (in z) of the strip around the real axis where the
    integrand is analytic; the error is then ~e^{−6π} ≈ 1e-8 of the integrand's size, or
    smaller. Levels run from 0 (spacing ½, for a = inf) to 9 (spacing ≈ 0.001).

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    with np.errstate(divide="ignore"):
        wanted = np.log2(_STRIP_FRACTION * _H_COARSE / np.asarray(distance, float))
    return np.clip(np.ceil(wanted), 0, _MAX_LEVEL).astype(int)


# -- E[f(ε)] for ε ~ N(0, I) by Gauss–Hermite -----------------------------------------------------


@lru_cache(maxsize=8)
def normal_hermite(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Gauss–Hermite nodes ε_j and weights w_j for E[f(ε)], ε ~ N(0, 1).

    .. math:: \mathbb E[f(\varepsilon)] \approx \sum_j w_j f(\varepsilon_j)

    Exact for polynomials of degree < 2 · ``nodes``. The arrays are cached and read-only.

    Introduced in lecture 06 (Variational inference).
    """
    eps, weights = hermegauss(nodes)
    weights = weights / np.sqrt(2 * np.pi)  # hermegauss integrates against e^{−ε²/2}
    eps.flags.writeable = weights.flags.writeable = False
    return eps, weights


@lru_cache(maxsize=8)
def normal_hermite_product(dim: int, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """The tensor product of ``dim`` :func:`normal_hermite` rules, for ε ~ N(0, I_dim).

    Returns points of shape (nodes**dim, dim) and their weights, so only small ``dim`` is
    practical.

    Introduced in lecture 06 (Variational inference).
    """
    eps, weights = normal_hermite(nodes)
    grids = np.meshgrid(*([eps] * dim), indexing="ij")
    points = np.stack([g.ravel() for g in grids], axis=-1)
    w = np.ones(points.shape[0])
    for g in np.meshgrid(*([weights] * dim), indexing="ij"):
        w = w * g.ravel()
    return points, w


def weighted_sum(values: np.ndarray, weights: np.ndarray):
    """Σ_i values[..., i] weights[i], without BLAS.

    numpy's BLAS dot product of long vectors (over ~10 000 entries) turns multi-threaded and
    can be a thousand times slower on a small machine once scipy has loaded its own BLAS too.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    return np.einsum("...i,i->...", values, weights)
