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

Introduced in lecture 04 (Forward vs reverse KL).
"""

from __future__ import annotations

import numpy as np

from coursekit.gaussians import Gaussian, Mixture, as_density, as_gaussian, log_normaliser
from coursekit.quadrature import Z_MAX, normal_trapezoid, trapezoid_level, weighted_sum


def as_model(q, name: str, example: str = "Gaussian(mean=0, std=1)") -> Gaussian:
    """Check that the model ``q`` of a fit is a Gaussian; the error says how to make one."""
    note = ""
    if isinstance(q, tuple | list) and len(q) == 2:
        note = f" To turn a pair (mean, std) into one, write Gaussian(*{name})."
    elif isinstance(q, Mixture):
        note = " The model q of a fit is a single Gaussian; the target p may be a Mixture."
    return as_gaussian(q, name, example, note)


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
        self.inv_var = 1.0 / self.sigma**2
        self.offset = np.log(w[keep]) - log_normaliser(np.log(self.sigma))
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
        log p: h = 0.5 / 2**level ≤ a / 3, with a the distance in z from the real axis to
        the nearest singularity whose real part lies within the nodes' range."""
        mean, std = np.broadcast_arrays(np.asarray(mean, float), np.asarray(std, float))
        if self.singularities.size == 0:
            return np.zeros(mean.shape, dtype=int)
        z = (self.singularities - mean[..., None]) / std[..., None]
        distance = np.where(np.abs(z.real) <= Z_MAX + 1, np.abs(z.imag), np.inf).min(axis=-1)
        return trapezoid_level(distance)

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
    z, weights = normal_trapezoid(logp.level(mean, std))
    return float(weighted_sum(logp(mean + std * z), weights))
