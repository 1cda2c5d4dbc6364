r"""Quadrature rules: nodes and weights for the integrals of the course's Gaussians.

Every rule returns nodes and weights, so that an integral is one weighted sum:

* :func:`mass_grid`: ∫ f(x) dx on an interval that holds the mass of some Gaussians or mixtures
  (±12 standard deviations of every component): the trapezoid rule on a uniform grid, which
  converges geometrically for the smooth, Gaussian-tailed integrands of the KL and
  α-divergences, or, where a uniform grid cannot resolve everything with at most 40 001 nodes
  (components of very different widths, or the sharp bend of log p between two narrow modes),
  composite Gauss–Legendre panels fitted to every component and graded towards every bend.
* :func:`normal_trapezoid`: E[f(z)] for z ~ N(0, 1), by the trapezoid rule in z on [−9, 9]
  (the reverse KL of lecture 04, :mod:`coursekit.fitting`); :func:`normal_graded` for an f
  whose singularities come closer to the real axis than the finest trapezoid rule resolves.
* :func:`normal_hermite` and :func:`normal_hermite_product`: E[f(ε)] for ε ~ N(0, I), by
  Gauss–Hermite rules (the gradient moments and the ELBO of lecture 06, :mod:`coursekit.vi`).

Introduced in lecture 03 (KL divergence), where a KL between non-Gaussian densities first has
to be computed numerically.
"""

from __future__ import annotations

from functools import cache, lru_cache
from numbers import Integral

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from numpy.polynomial.legendre import leggauss

from coursekit import _validate as check
from coursekit.gaussians import Mixture, as_density, components, normal_logpdf

__all__ = [
    "SPAN",
    "mass_interval",
    "mass_grid",
    "mixture_singularities",
    "Z_MAX",
    "normal_trapezoid",
    "trapezoid_level",
    "FINEST_STRIP",
    "normal_graded",
    "MAX_HERMITE_NODES",
    "normal_hermite",
    "normal_hermite_product",
    "weighted_sum",
]


def _integer(value, name: str, least: int, most: int, meaning: str) -> int:
    """``value`` as an int in [least, most], or a ValueError saying what it is for."""
    if isinstance(value, bool) or not isinstance(value, Integral) or not least <= value <= most:
        raise ValueError(
            f"{name} must be an integer from {least} to {most} ({meaning}), but got {value!r}."
        )
    return int(value)


def _densities(densities) -> list:
    if not densities:
        raise ValueError(
            "Pass at least one density (a Gaussian or a Mixture), e.g. mass_grid(Gaussian(0, 1))."
        )
    for i, d in enumerate(densities):
        as_density(d, f"density {i + 1}", "Gaussian(0, 1) or Mixture.symmetric(2)")
    return [c for d in densities for c in components(d)]


@cache
def _legendre(m: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on [−1, 1] (read-only, cached)."""
    t, w = leggauss(m)
    t.flags.writeable = w.flags.writeable = False
    return t, w


_PANEL_NODES = 16
"""Gauss–Legendre nodes per panel. A panel is never longer than the distance to the nearest
singularity of the integrand or the std of a component it holds, so 16 nodes (exact for
polynomials of degree 31) leave an error below ~1e-15 of the panel's integral."""


def _panels(edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of composite Gauss–Legendre on the panels between sorted ``edges``."""
    t, w = _legendre(_PANEL_NODES)
    mid, half = 0.5 * (edges[1:] + edges[:-1]), 0.5 * np.diff(edges)
    return (mid[:, None] + half[:, None] * t).ravel(), (half[:, None] * w).ravel()


def _graded_edges(centre: float, distance: float, lo: float, hi: float) -> np.ndarray:
    """Panel edges at centre and centre ± distance · 2^j inside [lo, hi]: each panel is about
    as long as its distance to a singularity at centre ± i·distance (geometric grading)."""
    steps = np.ceil(np.log2(max(hi - lo, distance) / distance)) + 1
    offsets = distance * 2.0 ** np.arange(int(steps) + 1)
    return np.concatenate([[centre], centre - offsets, centre + offsets])


def mixture_singularities(mu, inv_var, offset) -> np.ndarray:
    """The complex points nearest the real axis where log p is singular (p = 0), for a mixture
    p(x) = Σ_k exp(offset_k − ½ (x − μ_k)² / σ_k²) (offset_k = log w_k − log √(2π) σ_k,
    ``inv_var`` = 1/σ_k²).

    For two components p = e^{ℓ_j} (1 + e^{t}) with t = ℓ_k − ℓ_j = A x² + B x + C, so p = 0
    where t = ±iπ. With more components this is a conservative guess (a third component
    may keep p away from 0 there), which only costs extra nodes. Near a real point where two
    components are equal, log p bends from one parabola to the other within about the
    distance of these points from the real axis.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    mu, inv_var, offset = (
        check.as_float_array(a, n)
        for a, n in ((mu, "mu"), (inv_var, "inv_var"), (offset, "offset"))
    )
    if not (mu.ndim == 1 and mu.shape == inv_var.shape == offset.shape):
        raise ValueError(
            f"mu, inv_var and offset must be 1-D arrays of the same length (one entry per "
            f"component), but have shapes {mu.shape}, {inv_var.shape} and {offset.shape}."
        )
    roots = []
    k = len(mu)
    for a in range(k):
        for b in range(a + 1, k):
            quad = 0.5 * (inv_var[a] - inv_var[b])
            lin = mu[b] * inv_var[b] - mu[a] * inv_var[a]
            const = (
                offset[b]
                - offset[a]
                - 0.5 * mu[b] ** 2 * inv_var[b]
                + 0.5 * mu[a] ** 2 * inv_var[a]
            )
            c = const - 1j * np.pi
            if abs(quad) <= 1e-12 * max(abs(lin), 1e-300):
                if lin != 0:
                    roots.append(-c / lin)
            else:
                disc = np.sqrt(complex(lin * lin - 4 * quad * c))
                roots += [(-lin + disc) / (2 * quad), (-lin - disc) / (2 * quad)]
    return np.array(roots, dtype=complex)


def _bends(densities) -> np.ndarray:
    """:func:`mixture_singularities` of every Mixture among ``densities`` (in x)."""
    out = []
    for d in densities:
        if isinstance(d, Mixture) and len(d.components) > 1:
            w = np.array(d.weights)
            keep = w > 0
            mu = np.array([c.mean for c in d.components])[keep]
            sigma = np.array([c.std for c in d.components])[keep]
            offset = np.log(w[keep]) - np.log(sigma) - 0.5 * np.log(2 * np.pi)
            with np.errstate(all="ignore"):  # 1/σ² beyond the floats: no bend is found
                out.append(mixture_singularities(mu, 1.0 / sigma**2, offset))
    found = np.concatenate(out) if out else np.zeros(0, complex)
    return found[np.isfinite(found)]


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
    comps = _densities(densities)
    lo = min(c.mean - SPAN * c.std for c in comps)
    hi = max(c.mean + SPAN * c.std for c in comps)
    return float(lo), float(hi)


def mass_grid(*densities, points: int | None = None, windows=()) -> tuple[np.ndarray, np.ndarray]:
    r"""Nodes x and weights w for ∫ f(x) dx over :func:`mass_interval` of the densities.

    .. math:: \int f(x)\, dx \approx \sum_i w_i f(x_i)

    With ``points`` given: the trapezoid rule on ``points`` equally spaced nodes
    (w_i = h, and h/2 at both ends, h = (hi − lo)/(points − 1)).

    With ``points=None`` (the default) the rule resolves every component and every bend of
    log p (:func:`mixture_singularities`): the same trapezoid rule with 8 nodes per standard
    deviation of the narrowest component (at least 2001 nodes) where that takes at most
    40 001 nodes and leaves every bend at least 5 spacings from the real axis; otherwise
    composite 16-point Gauss–Legendre panels, one per standard deviation across ±12σ of every
    component and graded geometrically towards every bend, so that a component 1e-6 times
    narrower than another, or two modes of width 0.01, cost a few thousand nodes. ``windows``
    are extra (centre, std) pairs that such panels must resolve too, e.g. the tempered
    product p^α q^{1−α} of :mod:`coursekit.divergences`. The tests check integrals on these
    grids against ``scipy.integrate.quad`` and closed forms.

    Introduced in lecture 03 (KL divergence).

    >>> from coursekit.gaussians import Gaussian
    >>> x, w = mass_grid(Gaussian(0, 1))
    >>> round(float(w @ Gaussian(0, 1).pdf(x)), 12)
    1.0
    """
    comps = _densities(densities)
    lo, hi = mass_interval(*densities)
    windows = _windows(windows)
    if points is None:
        centres = np.array([c.mean for c in comps] + [m for m, _ in windows])
        stds = np.array([c.std for c in comps] + [s for _, s in windows])
        wanted = np.ceil(8 * (hi - lo) / stds[: len(comps)].min())
        bends = _bends(densities)
        bends = bends[(bends.real >= lo) & (bends.real <= hi)]
        spacing = (hi - lo) / (max(wanted, _MIN_POINTS) - 1)
        if wanted <= _MAX_POINTS and np.all(np.abs(bends.imag) >= 5 * spacing):
            points = int(max(wanted, _MIN_POINTS))
        else:
            return _panel_grid(lo, hi, centres, stds, bends)
    else:
        points = _integer(points, "points", 2, 10**7, "the number of grid nodes")
    x = np.linspace(lo, hi, points)
    w = np.full(points, (hi - lo) / (points - 1))
    w[[0, -1]] *= 0.5
    return x, w


def _windows(windows) -> list[tuple[float, float]]:
    """``windows`` as (centre, std) float pairs, finite with std > 0, or a ValueError."""
    try:
        pairs = [(float(m), float(s)) for m, s in windows]
    except (TypeError, ValueError):
        raise ValueError(
            f"windows must be a list of (centre, std) pairs of numbers, but got {windows!r}."
        ) from None
    for m, s in pairs:
        if not (np.isfinite(m) and np.isfinite(s) and s > 0):
            raise ValueError(
                f"Each window is a (centre, std) pair with a finite centre and std > 0, but "
                f"one is ({m:g}, {s:g})."
            )
    return pairs


def _panel_grid(lo, hi, centres, stds, bends) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss–Legendre on [lo, hi]: panels one std long across ±12σ of every
    (centre, std), graded towards every bend (complex singularity) of log p."""
    steps = np.arange(-SPAN, SPAN + 1)
    edges = [[lo, hi], (centres[:, None] + stds[:, None] * steps).ravel()]
    for b in bends:
        edges.append(_graded_edges(b.real, abs(b.imag), lo, hi))
    edges = np.unique(np.clip(np.concatenate(edges), lo, hi))
    return _panels(edges)


# -- E[f(z)] for z ~ N(0, 1) by the trapezoid rule ------------------------------------------------

Z_MAX = 9.0
"""Half-width of :func:`normal_trapezoid`'s nodes: N(0, 1) puts 2e-19 of its mass beyond ±9."""
_H_COARSE = 0.5  # trapezoid error for the Gaussian weight alone: exp(-2π²/h²) < 1e-34
_MAX_LEVEL = 9  # finest spacing 0.5 / 2⁹ ≈ 0.001 (18 433 nodes)
_STRIP_FRACTION = 3.0  # spacing h ≤ (half-width of the strip of analyticity) / 3: error ~1e-9
FINEST_STRIP = _STRIP_FRACTION * _H_COARSE / 2**_MAX_LEVEL
"""The narrowest strip of analyticity (≈ 0.0029) that :func:`normal_trapezoid`'s finest level
resolves; for a narrower one use :func:`normal_graded`."""


def normal_trapezoid(level: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Nodes z and weights for E[f(z)], z ~ N(0, 1), by the trapezoid rule with spacing
    h = ½ / 2^level on [−9, 9].

    .. math:: \mathbb E[f(z)] \approx \sum_i h\, N(z_i; 0, 1)\, f(z_i), \qquad z_i = i h

    For f analytic in a strip ``|Im z| < a`` the error is about e^{−2πa/h} (Trefethen & Weideman,
    "The exponentially convergent trapezoidal rule", SIAM Review 2014); choose the level with
    :func:`trapezoid_level`. ``level`` is an integer from 0 to 12. The arrays are cached and
    read-only.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    if type(level) is not int or not 0 <= level <= 12:  # cheap on the fits' fast path
        level = _integer(level, "level", 0, 12, "the spacing is ½ / 2**level")
    return _normal_trapezoid(level)


@cache
def _normal_trapezoid(level: int) -> tuple[np.ndarray, np.ndarray]:
    h = _H_COARSE / 2**level
    m = int(round(Z_MAX / h))
    z = np.arange(-m, m + 1) * h
    weights = h * np.exp(normal_logpdf(z))
    z.flags.writeable = weights.flags.writeable = False
    return z, weights


def trapezoid_level(distance) -> np.ndarray:
    """The :func:`normal_trapezoid` level whose spacing is at most ``distance`` / 3, elementwise.

    ``distance`` is the half-width a (> 0, may be inf) in z of the strip around the real axis
    where the integrand is analytic; the error is then ~e^{−6π} ≈ 1e-8 of the integrand's
    size, or smaller. Levels run from 0 (spacing ½, for a = inf) to 9 (spacing ≈ 0.001); a
    strip narrower than :data:`FINEST_STRIP` needs :func:`normal_graded` instead.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    distance = check.as_float_array(distance, "distance")
    if not (distance > 0).all():
        raise ValueError(
            "distance must hold numbers greater than 0 (the half-width of a strip around the "
            f"real axis; inf for an entire function), but got {distance.min()}."
        )
    return _level_of(distance)


def _level_of(distance: np.ndarray) -> np.ndarray:
    """:func:`trapezoid_level` without its input check, for the fits' inner loops."""
    with np.errstate(divide="ignore"):
        wanted = np.log2(_STRIP_FRACTION * _H_COARSE / distance)
    return np.clip(np.ceil(wanted), 0, _MAX_LEVEL).astype(int)


def normal_graded(singularities) -> tuple[np.ndarray, np.ndarray]:
    r"""Nodes z and weights for E[f(z)], z ~ N(0, 1), for an f that is analytic except at the
    given complex ``singularities`` (in z), however close they come to the real axis.

    .. math:: \mathbb E[f(z)] \approx \sum_i w_i\, f(z_i)

    Composite 16-point Gauss–Legendre on [−9, 9]: panels of length 1, and around the real
    part c of each singularity c ± ia with a < 1 panels whose edges are c ± a 2^j, so each
    panel is about as long as its distance from the singularity and converges geometrically
    (hp-graded quadrature; e.g. Trefethen, *Approximation Theory and Approximation Practice*,
    ch. 19). A bend of log p of width 1e-5 costs about 40 panels instead of the 10⁶ nodes a
    uniform rule would need. Error ~1e-14 of the integrand's size.

    Introduced in lecture 04 (Forward vs reverse KL), for the reverse KL to targets with
    narrow, well-separated modes.
    """
    try:
        s = np.asarray(singularities, complex).ravel()
    except (TypeError, ValueError):
        s = np.array([np.nan])
    if not np.isfinite(s).all():
        raise ValueError("singularities must be finite complex numbers (points in z).")
    edges = [np.arange(-Z_MAX, Z_MAX + 1)]
    for c, a in zip(s.real, np.abs(s.imag), strict=True):
        near = min(max(c, -Z_MAX), Z_MAX)
        a = float(np.hypot(a, c - near))  # distance from [−9, 9] to the singularity
        if 0 < a < 1:
            edges.append(_graded_edges(near, a, -Z_MAX, Z_MAX))
    edges = np.unique(np.clip(np.concatenate(edges), -Z_MAX, Z_MAX))
    z, w = _panels(edges)
    return z, w * np.exp(normal_logpdf(z))


# -- E[f(ε)] for ε ~ N(0, I) by Gauss–Hermite -----------------------------------------------------

MAX_HERMITE_NODES = 256
"""The largest Gauss–Hermite rule offered: numpy's weights underflow beyond about 300 nodes."""


def normal_hermite(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Gauss–Hermite nodes ε_j and weights w_j for E[f(ε)], ε ~ N(0, 1).

    .. math:: \mathbb E[f(\varepsilon)] \approx \sum_j w_j f(\varepsilon_j)

    Exact for polynomials of degree < 2 · ``nodes`` (an integer from 1 to 256). The arrays
    are cached and read-only.

    Introduced in lecture 06 (Variational inference).
    """
    nodes = _integer(nodes, "nodes", 1, MAX_HERMITE_NODES, "the number of quadrature nodes")
    return _normal_hermite(nodes)


@lru_cache(maxsize=8)
def _normal_hermite(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    eps, weights = hermegauss(nodes)
    weights = weights / np.sqrt(2 * np.pi)  # hermegauss integrates against e^{−ε²/2}
    eps.flags.writeable = weights.flags.writeable = False
    return eps, weights


def normal_hermite_product(dim: int, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """The tensor product of ``dim`` :func:`normal_hermite` rules, for ε ~ N(0, I_dim).

    Returns points of shape (nodes**dim, dim) and their weights, so only small ``dim`` is
    practical: nodes**dim may be at most 10⁷.

    Introduced in lecture 06 (Variational inference).
    """
    dim = _integer(dim, "dim", 1, 64, "the number of coordinates of ε")
    nodes = _integer(nodes, "nodes", 1, MAX_HERMITE_NODES, "the number of nodes per coordinate")
    if nodes**dim > 10**7:
        raise ValueError(
            f"nodes**dim = {nodes}**{dim} points is too many (at most 10**7); use fewer nodes "
            "or Monte Carlo for this many dimensions."
        )
    return _normal_hermite_product(dim, nodes)


@lru_cache(maxsize=8)
def _normal_hermite_product(dim: int, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    eps, weights = _normal_hermite(nodes)
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
    values, weights = np.asanyarray(values), np.asanyarray(weights)
    if values.shape[-1:] != weights.shape:
        raise ValueError(
            f"values has shape {np.shape(values)} but weights has shape {np.shape(weights)}: "
            "the last axis of values must hold one value per weight."
        )
    return np.einsum("...i,i->...", values, weights)
