r"""Mean field: the best factorised Gaussian for a correlated Gaussian, in either direction.

Introduced in lecture 04 (Forward vs reverse KL).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.linalg import solve_triangular

from coursekit import _validate as check

__all__ = ["MeanField", "mean_field"]


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
    chol = check.cholesky(cov, "cov")
    k = chol.shape[0]
    mean = check.mean_vector(mean, k, "mean", "cov").copy()
    if direction == "forward":
        variances = np.diag(chol @ chol.T).copy()
    else:
        inv_chol = solve_triangular(chol, np.eye(k), lower=True)  # L⁻¹, Σ⁻¹ = L⁻ᵀ L⁻¹
        variances = 1.0 / np.sum(inv_chol * inv_chol, axis=0)
    return MeanField(mean, variances)
