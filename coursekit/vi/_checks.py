"""Argument checks of the VI functions: a Gaussian q, a function of z, a model, a (mean, cov) q.

Each raises ``ValueError`` saying what was wrong and how to fix it.

Introduced in lecture 06 (Variational inference).
"""

from __future__ import annotations

import numpy as np

from coursekit import _validate as check
from coursekit.gaussians import Gaussian, as_gaussian


def q_gaussian(q, name: str = "q") -> Gaussian:
    """Check that ``q`` is a one-dimensional :class:`~coursekit.gaussians.Gaussian`."""
    return as_gaussian(
        q,
        name,
        "Gaussian(mean=1, std=0.5)",
        " For a multivariate q pass a pair (mean vector, covariance matrix) where allowed.",
    )


def mean_and_cholesky(q, name: str = "q") -> tuple[np.ndarray, np.ndarray]:
    """(mean, Cholesky factor) of a Gaussian q or a pair (mean vector, covariance matrix)."""
    if isinstance(q, Gaussian):
        return np.array([q.mean]), np.array([[q.std]])
    if isinstance(q, tuple | list) and len(q) == 2:
        chol = check.cholesky(q[1], f"{name}'s covariance")
        mean = check.mean_vector(q[0], chol.shape[0], f"{name}'s mean", f"{name}'s covariance")
        return mean, chol
    raise ValueError(
        f"{name} must be a Gaussian (1-D) or a pair (mean vector, covariance matrix), "
        f"e.g. Gaussian(0, 1) or (np.zeros(2), np.eye(2)), but got {q!r}."
    )


def function_of_z(f, name: str):
    """Check that ``f`` (a log joint or its gradient) can be called."""
    if not callable(f):
        raise ValueError(
            f"{name} must be a function of z, e.g. lambda z: model.log_joint(z, x), but got {f!r}."
        )
    return f


def model_with_gradient(model):
    """Check that ``model`` has ``dim``, ``log_joint`` and ``grad_log_joint``."""
    if not all(hasattr(model, a) for a in ("dim", "log_joint", "grad_log_joint")):
        raise ValueError(
            f"model must have dim, log_joint(z) and grad_log_joint(z) (vectorised over z of "
            f"shape (..., dim)), like LogisticRegression2D(); got {model!r}."
        )
    return model
