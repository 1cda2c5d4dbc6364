r"""Monte Carlo ELBO and the two unbiased estimators of its gradient, with their exact moments.

Introduced in lecture 06 (Variational inference).
"""

from __future__ import annotations

from numbers import Integral
from typing import NamedTuple

import numpy as np

from coursekit import _validate as check
from coursekit.gaussians import Gaussian, half_log_det, log_normaliser
from coursekit.quadrature import MAX_HERMITE_NODES, normal_hermite
from coursekit.vi._checks import function_of_z, mean_and_cholesky, q_gaussian

__all__ = [
    "MonteCarlo",
    "elbo_mc",
    "GradientEstimate",
    "GradientMoments",
    "reparam_gradient",
    "score_gradient",
    "gradient_moments",
]


class MonteCarlo(NamedTuple):
    """A Monte Carlo estimate and its standard error (the sample std over √n)."""

    estimate: float
    stderr: float


def elbo_mc(log_joint, q, n: int, rng) -> MonteCarlo:
    r"""Monte Carlo estimate of ELBO(q) = E_q[log p(x, z) − log q(z)], in nats.

    Draws z_s = μ + L ε_s with ε_s ~ N(0, I) (the reparameterisation; L the Cholesky factor of
    q's covariance) and averages log p(x, z_s) − log q(z_s). ``log_joint`` maps the samples to
    log p(x, z): shape (n,) for a 1-D :class:`~coursekit.gaussians.Gaussian` q, shape (n, k)
    for q given as ``(mean, cov)``. Returns ``(estimate, stderr)``. At q = posterior every term
    equals log p(x), so the estimate is exact with zero variance.

    Introduced in lecture 06 (Variational inference).
    """
    log_joint = function_of_z(log_joint, "log_joint")
    mean, chol = mean_and_cholesky(q)
    n = check.count(n)
    if n < 2:
        raise ValueError(f"n must be at least 2 to estimate a standard error, but got {n}.")
    eps = check.rng(rng).standard_normal((n, mean.size))
    z = mean + eps @ chol.T
    log_q = -0.5 * np.sum(eps * eps, axis=1) - log_normaliser(half_log_det(chol), mean.size)
    values = np.asarray(log_joint(z[:, 0] if isinstance(q, Gaussian) else z), float) - log_q
    if values.shape != (n,):
        raise ValueError(
            f"log_joint returned shape {values.shape} for {n} samples; it must return one "
            "log p(x, z) per sample."
        )
    return MonteCarlo(float(values.mean()), float(values.std(ddof=1) / np.sqrt(n)))


class GradientEstimate(NamedTuple):
    """A gradient estimate with respect to (μ, log σ): the average ``estimate`` (shape (2,))
    of the single-sample estimates ``samples`` (shape (n, 2))."""

    estimate: np.ndarray
    samples: np.ndarray


class GradientMoments(NamedTuple):
    """Exact mean (shape (2,)) and covariance (2 × 2) of one single-sample gradient estimate.

    ``var`` is the diagonal: the variances of the (μ, log σ) components.
    """

    mean: np.ndarray
    cov: np.ndarray

    @property
    def var(self) -> np.ndarray:
        return np.diag(self.cov).copy()


def _reparam_terms(grad_log_joint, q: Gaussian, eps: np.ndarray) -> np.ndarray:
    g = np.asarray(grad_log_joint(q.mean + q.std * eps), float)
    return np.column_stack([g, g * q.std * eps + 1.0])


def _score_terms(log_joint, q: Gaussian, eps: np.ndarray) -> np.ndarray:
    f = np.asarray(log_joint(q.mean + q.std * eps), float)
    return np.column_stack([f * eps / q.std, f * (eps * eps - 1.0) + 1.0])


def _estimate(terms, f, q, n, rng) -> GradientEstimate:
    """Average the single-sample ``terms(f, q, ε)`` over n draws ε ~ N(0, 1)."""
    q = q_gaussian(q)
    n = check.count(n)
    if n < 1:
        raise ValueError(
            "n must be at least 1: an estimate averages n single-sample gradients, and the "
            "average of none is undefined. Use n=1 for one sample, more for less noise."
        )
    eps = check.rng(rng).standard_normal(n)
    samples = terms(f, q, eps)
    return GradientEstimate(samples.mean(axis=0), samples)


def reparam_gradient(grad_log_joint, q: Gaussian, n: int, rng) -> GradientEstimate:
    r"""Reparameterisation ("pathwise") estimate of ∇ELBO with respect to (μ, log σ).

    ELBO(q) = E_q[log p(x, z)] + H(q) with H(q) = ½ log(2πe) + log σ differentiated exactly.
    With z = μ + σε, ε ~ N(0, 1), and g = d log p(x, z)/dz:

    .. math:: \partial_\mu \approx \frac1n \sum_s g(z_s), \qquad
              \partial_{\log\sigma} \approx \frac1n \sum_s g(z_s)\,\sigma\varepsilon_s + 1

    It uses the *gradient* of the log joint. Unbiased; typically far lower variance than
    :func:`score_gradient`. ``n`` ≥ 1. Returns a :class:`GradientEstimate`.

    Introduced in lecture 06 (Variational inference).
    """
    grad_log_joint = function_of_z(grad_log_joint, "grad_log_joint")
    return _estimate(_reparam_terms, grad_log_joint, q, n, rng)


def score_gradient(log_joint, q: Gaussian, n: int, rng) -> GradientEstimate:
    r"""Score-function (REINFORCE) estimate of ∇ELBO with respect to (μ, log σ).

    Uses ∇E_q[f] = E_q[f ∇log q] with f = log p(x, z) (only its *values*), plus the exact
    entropy gradient. With z = μ + σε, ∇_μ log q = ε/σ and ∇_{log σ} log q = ε² − 1:

    .. math:: \partial_\mu \approx \frac1n \sum_s f(z_s)\,\frac{\varepsilon_s}{\sigma}, \qquad
              \partial_{\log\sigma} \approx \frac1n \sum_s f(z_s)\,(\varepsilon_s^2 - 1) + 1

    Unbiased, and works for non-differentiable models, but its variance grows with the size of
    f (no baseline is subtracted here). ``n`` ≥ 1. Returns a :class:`GradientEstimate`.

    Introduced in lecture 06 (Variational inference).
    """
    log_joint = function_of_z(log_joint, "log_joint")
    return _estimate(_score_terms, log_joint, q, n, rng)


def gradient_moments(log_joint, grad_log_joint, q: Gaussian, method: str, nodes: int = 64):
    r"""Exact mean and covariance of ONE sample of a gradient estimator, by quadrature.

    ``method`` is ``"reparam"`` or ``"score"`` (see :func:`reparam_gradient` and
    :func:`score_gradient`). The moments E[t] and E[t tᵀ] of the single-sample term t(ε) are
    integrals against N(ε; 0, 1), computed with ``nodes``-point Gauss–Hermite quadrature, which
    is exact when t is a polynomial of degree < ``nodes`` (as for
    :class:`~coursekit.vi.ConjugateGaussian`) and very accurate for smooth models. The result is
    checked against the rule with twice the nodes: where they differ by more than 1e-9
    (relative), the number of nodes is doubled until two rules agree (at most 256 nodes), so too
    few ``nodes`` (even 1, which sees only ε = 0 and reports no variance at all) give the right
    moments, not silently wrong ones; a model so rough that 256 nodes do not settle it raises
    ValueError. The estimate from n samples has covariance cov / n. Both methods have the same
    mean, the exact ∇ELBO.

    Introduced in lecture 06 (Variational inference).
    """
    q = q_gaussian(q)
    if method == "reparam":
        terms, f = _reparam_terms, function_of_z(grad_log_joint, "grad_log_joint")
    elif method == "score":
        terms, f = _score_terms, function_of_z(log_joint, "log_joint")
    else:
        raise ValueError(f"method must be 'reparam' or 'score', but got {method!r}.")
    nodes = _nodes(nodes)

    def moments(n: int) -> GradientMoments:
        eps, weights = normal_hermite(n)
        t = terms(f, q, eps)
        mean = weights @ t
        centred = t - mean
        return GradientMoments(mean, (centred * weights[:, None]).T @ centred)

    def change(a: GradientMoments, b: GradientMoments) -> float:
        diff = max(np.abs(a.mean - b.mean).max(), np.abs(a.cov - b.cov).max())
        return diff / max(1.0, np.abs(b.mean).max(), np.abs(b.cov).max())

    return _converged(moments, change, nodes, MAX_HERMITE_NODES, 1e-9, "gradient moments")


def _nodes(nodes) -> int:
    if isinstance(nodes, bool) or not isinstance(nodes, Integral):
        raise ValueError(f"nodes must be an integer from 1 to 256, but got {nodes!r}.")
    if not 1 <= nodes <= MAX_HERMITE_NODES:
        raise ValueError(
            f"nodes must be from 1 to {MAX_HERMITE_NODES} (Gauss–Hermite nodes), but got "
            f"{nodes}. The default is accurate for smooth models; too few nodes are raised "
            "automatically."
        )
    return int(nodes)


def _converged(rule, change, nodes: int, most: int, tol: float, what: str):
    """``rule(nodes)``, checked against ``rule(2 nodes)``: return the first result that differs
    from the next finer rule's by at most ``tol`` (``change`` measures the relative difference),
    doubling the nodes up to ``most``; raise ValueError if no two rules agree.

    Introduced in lecture 06 (Variational inference).
    """
    value = rule(nodes)
    while nodes < most:
        finer_nodes = min(2 * nodes, most)
        finer = rule(finer_nodes)
        if change(value, finer) <= tol:
            return value
        nodes, value = finer_nodes, finer
    raise ValueError(
        f"The {what} did not settle: Gauss–Hermite rules up to {most} nodes still disagree "
        "(the integrand is not smooth, or q is far wider than the region where log p is "
        "well behaved). Estimate them by Monte Carlo instead."
    )
