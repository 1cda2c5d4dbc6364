r"""The lecture's non-conjugate model: Bayesian logistic regression with a 2-D posterior.

Introduced in lecture 06 (Variational inference).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np
from scipy.special import expit, logsumexp

from coursekit import _validate as check
from coursekit.gaussians import half_log_det, log_normaliser, normal_logpdf

__all__ = ["GridPosterior", "LogisticRegression2D"]


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
        Never negative.
        """
        chol = check.cholesky(cov, "cov")
        mean = check.mean_vector(mean, 2, "mean", "cov")
        z = np.stack(np.meshgrid(*self.axes, indexing="ij"), axis=-1)
        u = np.linalg.solve(chol, (z - mean).reshape(-1, 2).T).T.reshape(z.shape)
        log_q = -0.5 * np.sum(u * u, axis=-1) - log_normaliser(half_log_det(chol), 2)
        cell = np.diff(self.axes[0][:2])[0] * np.diff(self.axes[1][:2])[0]
        kl = np.sum(np.exp(log_q) * (log_q - self.log_density)) * cell
        return float(check.nonnegative(kl))  # KL ≥ 0; a grid residue below 0 is returned as 0


class LogisticRegression2D:
    r"""Bayesian logistic regression with an intercept and a slope: the lecture's 2-D posterior.

    Data (x_i, y_i), i = 1…N, y_i ∈ {0, 1}; the latent variable z is the weight vector
    w = (w₀, w₁), with prior N(0, σ₀² I) (σ₀ = ``prior_std``), and with η_i = w₀ + w₁ x_i

    .. math:: p(y_i = 1 \mid x_i, w) = \mathrm{sigm}(\eta_i), \qquad
              \log p(D, w) = \sum_i \big[y_i \eta_i - \log(1 + e^{\eta_i})\big]
              - \frac{\lVert w\rVert^2}{2 \sigma_0^2} - \log(2\pi \sigma_0^2),

    where sigm(η) = 1/(1 + e^{−η}) is the logistic function. As in the lecture, σ stands for
    standard deviations only (σ₀ for the prior's) and s for those of q; sigm is often written
    σ(η) elsewhere.

    The default data set: N = 24 points, x_i ~ N(2, 1) and y_i drawn with true weights
    (−2.5, 1.5), seed 2; prior std σ₀ = 2. Its posterior is non-Gaussian (no closed form) and
    strongly correlated (ρ ≈ −0.92, −0.9226 from :meth:`grid_posterior`, because the x_i sit
    around 2, not 0): the mean-field q is visibly too narrow. Pass ``x``, ``y`` to use your
    own data.

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
        self.prior_std = check.positive_scalar(prior_std, "prior_std")
        if self.prior_std < 1e-150:  # 1/σ₀² would overflow the posterior's curvature
            raise ValueError(
                f"prior_std = {self.prior_std:g} pins the weights to 0 more tightly than "
                "float64 can represent the posterior's curvature (1/σ₀² overflows below "
                "1e-154); use a prior_std of at least 1e-150."
            )
        try:
            self._prior_var = self.prior_std**2
        except OverflowError:  # beyond 1.3e154 the prior is flat to float precision
            self._prior_var = np.inf
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
        """log p(D, w) in nats, vectorised over w of shape (..., 2); returns shape (...)."""
        z = self._z(z)
        eta = z @ self.design.T
        likelihood = np.sum(self.y * eta - np.logaddexp(0.0, eta), axis=-1)
        return likelihood + np.sum(normal_logpdf(z, 0.0, self.prior_std), axis=-1)

    def grad_log_joint(self, z):
        r"""∇_w log p(D, w) = Σ_i (y_i − sigm(η_i)) (1, x_i) − w/σ₀², shape (..., 2)."""
        z = self._z(z)
        eta = z @ self.design.T
        return (self.y - expit(eta)) @ self.design - z / self._prior_var

    def hessian_log_joint(self, z) -> np.ndarray:
        r"""∇²_w log p(D, w) = −Σ_i sigm(η_i)(1 − sigm(η_i)) (1, x_i)ᵀ(1, x_i) − I/σ₀² for
        one w."""
        z = self._z(z)
        p = expit(self.design @ z)
        return -(self.design.T * (p * (1 - p))) @ self.design - np.eye(2) / self._prior_var

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
        width = check.positive_scalar(width, "width")
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
