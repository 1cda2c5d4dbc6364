r"""The target p of a fit: log p with its derivatives, and E_q[log p] by quadrature.

The reverse KL needs E_q[log p(x)] for q = N(μ, σ²), which has no closed form for a mixture p.
Writing x = μ + σz with z ~ N(0, 1), it is an integral against the weight e^{-z²/2}.
Gauss–Hermite quadrature is the textbook rule, but log p of a two-mode mixture changes slope
within ~1/separation of the point between the modes, and once q is wide (σ of a few units)
Gauss–Hermite needs thousands of nodes to reach 1e-4 (e.g. 300 nodes still err by 5e-4 for
½N(−3, 1) + ½N(3, 1) and q = N(0, 3.2²)). We use instead the trapezoid rule in z on [−9, 9]
(:func:`coursekit.quadrature.normal_trapezoid`), which converges geometrically for such smooth
integrands, with error ≈ exp(−2π a / h) where a is the distance (in z) from the real axis to
the nearest singularity of log p (a zero of the mixture density in the complex plane, found in
closed form from each pair of components). The spacing h is chosen from a (h ≤ a/3, and
h ≤ ½ always; a power-of-two fraction of ½, so that nearby q share a rule), which keeps the
error below ~1e-8 nats with 37 nodes for a narrow q and a few hundred for a wide one
(Trefethen & Weideman, "The exponentially convergent trapezoidal rule", SIAM Review 2014). The
tests check the values against ``scipy.integrate.quad``; with more than two components the
singularities are estimated pairwise, which can only add nodes.

When the singularity is closer to the real axis than the finest trapezoid rule resolves
(a < :data:`~coursekit.quadrature.FINEST_STRIP` ≈ 0.003: a wide q across the sharp bend of
log p between narrow, well-separated modes, e.g. modes of width 0.01 at ±1 or of width 1 at
±30), Gauss–Legendre panels graded towards the bend take over
(:func:`coursekit.quadrature.normal_graded`); a few hundred nodes then reach ~1e-12.

Introduced in lecture 04 (Forward vs reverse KL).
"""

from __future__ import annotations

import numpy as np

from coursekit.gaussians import (
    Gaussian,
    Mixture,
    as_density,
    as_gaussian,
    components,
    log_normaliser,
)
from coursekit.quadrature import (
    FINEST_STRIP,
    Z_MAX,
    _level_of,
    mixture_singularities,
    normal_graded,
    normal_trapezoid,
    weighted_sum,
)

GRADED = -1
"""The level :meth:`LogDensity.levels` gives a q that needs :func:`normal_graded`."""


def as_model(q, name: str, example: str = "Gaussian(mean=0, std=1)") -> Gaussian:
    """Check that the model ``q`` of a fit is a Gaussian; the error says how to make one."""
    note = ""
    if isinstance(q, tuple | list) and len(q) == 2:
        note = f" To turn a pair (mean, std) into one, write Gaussian(*{name})."
    elif isinstance(q, Mixture):
        note = " The model q of a fit is a single Gaussian; the target p may be a Mixture."
    return as_gaussian(q, name, example, note)


def common_unit(*densities) -> float:
    """A power of two c to measure the densities in: 1 unless a component is narrower than
    1e-100 or a mean or std exceeds 1e100, else the narrowest std rounded to a power of two.

    KL and α-divergences are unchanged by a change of units and an entropy shifts by log c. A
    power of two divides exactly, so ordinary densities keep every digit, while 1/σ² of a
    component 1e-200 wide (which overflows) becomes 1/(σ/c)² of order 1, and ±12σ of a
    component 1e307 wide no longer overflows. Components whose scales differ by more than
    1e300 cannot share one computation: ValueError.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    comps = [
        c
        for d in densities
        for c in components(as_density(d, "target", "Mixture.symmetric(2) or Gaussian(0, 1)"))
    ]
    narrowest = min(c.std for c in comps)
    largest = max(max(c.std, abs(c.mean)) for c in comps)
    if narrowest >= 1e-100 and largest <= 1e100:
        return 1.0
    if largest / narrowest > 1e300:
        raise ValueError(
            f"The components span scales from {narrowest:.3g} (the narrowest std) to "
            f"{largest:.3g}, a ratio beyond 1e300 that floating point cannot hold in one "
            "computation. Drop the components that cannot matter at the scale you study."
        )
    return 2.0 ** round(np.log2(narrowest))


def in_units(d, unit: float):
    """A Gaussian or Mixture with every mean and std divided by ``unit`` (exact for a power
    of two from :func:`common_unit`); ``d`` itself for unit 1."""
    if unit == 1.0:
        return d
    if isinstance(d, Gaussian):
        return Gaussian(d.mean / unit, d.std / unit)
    return Mixture(d.weights, [Gaussian(c.mean / unit, c.std / unit) for c in d.components])


def standardised(target) -> tuple[float, Gaussian | Mixture]:
    """``(c, target in units of c)`` with c = :func:`common_unit` of the target."""
    unit = common_unit(target)
    return unit, in_units(target, unit)


class LogDensity:
    """log p and its first two derivatives for a Gaussian or a Gaussian mixture p.

    The score d log p/dx = Σ_k r_k(x) (μ_k − x)/σ_k² (r_k the responsibilities) and its
    derivative are computed from the components, so the gradient of the reverse KL is exact.
    """

    def __init__(self, target, name: str = "target"):
        as_density(target, name, "Mixture.symmetric(2) or Gaussian(0, 1)")
        if isinstance(target, Gaussian):
            target = Mixture((1.0,), (target,))
        self.target = target
        w = np.array(target.weights)
        keep = w > 0  # a component of weight 0 adds nothing to p
        self.mu = np.array([c.mean for c in target.components])[keep]
        self.sigma = np.array([c.std for c in target.components])[keep]
        with np.errstate(over="ignore", divide="ignore"):  # 1/σ² beyond the floats: 0 or inf
            self.inv_var = 1.0 / self.sigma**2
        self.offset = np.log(w[keep]) - log_normaliser(np.log(self.sigma))
        self.near = 1e4 * float(self.sigma.min())  # see __call__
        self.singularities = self._singularities()

    def _singularities(self) -> np.ndarray:
        """Complex points nearest the real axis where log p is singular (p = 0); see
        :func:`coursekit.quadrature.mixture_singularities`. Components 1e150 apart may give
        non-finite points, which are dropped (such a bend is never inside a q that matters)."""
        with np.errstate(all="ignore"):
            found = mixture_singularities(self.mu, self.inv_var, self.offset)
        return found[np.isfinite(found)]

    def levels(self, mean, std) -> np.ndarray:
        """For each q = N(mean, std²) (arrays), the trapezoid level whose spacing resolves
        log p: h = 0.5 / 2**level ≤ a / 3, with a the distance in z from the real axis to
        the nearest singularity whose real part lies within the nodes' range; :data:`GRADED`
        where a is below :data:`~coursekit.quadrature.FINEST_STRIP`."""
        mean, std = np.broadcast_arrays(np.asarray(mean, float), np.asarray(std, float))
        if self.singularities.size == 0:
            return np.zeros(mean.shape, dtype=int)
        z = (self.singularities - mean[..., None]) / std[..., None]
        distance = np.where(np.abs(z.real) <= Z_MAX + 1, np.abs(z.imag), np.inf).min(axis=-1)
        return np.where(distance < FINEST_STRIP, GRADED, _level_of(distance))

    def level(self, mean: float, std: float) -> int:
        """The trapezoid level for one q = N(mean, std²) (see :meth:`levels`)."""
        return int(self.levels(mean, std))

    def rule(self, mean: float, std: float, level: int | None = None):
        """Nodes z and weights for E_q[f] (x = mean + std·z) that resolve log p: the trapezoid
        rule of :meth:`level`, or :func:`normal_graded` around the nearby singularities."""
        if level is None:
            level = self.level(mean, std)
        if level != GRADED:
            return normal_trapezoid(level)
        return normal_graded((self.singularities - mean) / std)

    def __call__(self, x: np.ndarray, order: int = 0, origin=0.0):
        """log p at ``origin + x`` and, for order ≥ 1, its first (and for order 2, second)
        derivative.

        The fits pass q's mean as ``origin`` and σz as ``x``. Far from 0 compared with the
        narrowest component (|origin| > 1e4 σ_min) the distance to each component is formed
        as (origin − μ_k) + σz, which keeps every digit of σz even when q is 1e-6 wide and
        sits at 1 (forming origin + σz first would lose ten of them); nearer, as
        (origin + σz) − μ_k, which loses nothing there and keeps the fits' digits as they
        were. The components run along a new leading axis (reductions over a short leading
        axis are much faster in numpy than over a short trailing one).
        """
        shape = (-1,) + (1,) * max(np.ndim(x), np.ndim(origin))
        mu, inv_var = self.mu.reshape(shape), self.inv_var.reshape(shape)
        far = (
            abs(origin) > self.near
            if isinstance(origin, float)
            else np.abs(origin).max() > self.near
        )
        if far:
            diff = (origin - mu) + x
        else:
            diff = (origin + x) - mu
        u = diff * inv_var  # (x − μ_k)/σ_k², minus the score of component k
        # log w_k + log N(x; μ_k, σ_k²) written out (offset = log w_k − log Z_k), since u and
        # diff serve the derivatives too.
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


def expected_log_p(logp: LogDensity, mean: float, std: float) -> float:
    """E_q[log p(x)] for q = N(mean, std²), by the trapezoid rule (see the module docstring)."""
    z, weights = logp.rule(mean, std)
    with np.errstate(over="ignore", invalid="ignore"):
        log_p = logp(std * z, origin=mean)
    # (x − μ_k)² overflows only where log p < −1e308: there log p is −inf, and so is E_q.
    return float(weighted_sum(np.where(np.isnan(log_p), -np.inf, log_p), weights))
