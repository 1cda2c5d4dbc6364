r"""Maximum likelihood is forward KL to the data: the MLE Gaussian and the mean NLL.

Introduced in lecture 05 (Maximum likelihood is forward KL).
"""

from __future__ import annotations

import numpy as np

from coursekit import _validate as check
from coursekit.gaussians import Gaussian

__all__ = ["fit_mle_gaussian", "mean_nll"]


def fit_mle_gaussian(x) -> Gaussian:
    r"""The maximum-likelihood Gaussian for data x₁, …, x_N: the sample mean and 1/N std.

    .. math:: \hat\mu = \frac1N \sum_i x_i, \qquad
              \hat\sigma^2 = \frac1N \sum_i (x_i - \hat\mu)^2

    (divide by N, not N − 1), computed in units of max |xᵢ| where the sums would overflow or
    the squared deviations underflow. Maximising the likelihood is minimising the forward
    KL(p_D‖q) from the data's empirical distribution p_D, so this is the forward-KL fit to the
    data (compare :func:`coursekit.fitting.fit_forward_kl`, moment matching).

    Introduced in lecture 05 (Maximum likelihood is forward KL).

    >>> fit_mle_gaussian([1, 2, 3, 4, 5])
    Gaussian(mean=3, std=1.4142135623730951)
    """
    x = _observations(x)
    if x.size < 2 or x.min() == x.max():
        raise ValueError(
            f"All {x.size} values of x are equal ({x[0]:g}), so the maximum-likelihood std "
            "is 0 and the Gaussian degenerates (its likelihood grows without bound). Pass at "
            "least two different observations."
        )
    with np.errstate(over="ignore", under="ignore"):
        mean, std = float(x.mean()), float(x.std())
    if not (np.isfinite(mean) and 1e-150 < std < 1e150):
        # Values near the largest float overflow the sum, and a spread below 1e-154 has a
        # squared deviation that underflows: redo both in units of the largest |x|.
        scale = float(np.abs(x).max())
        y = x / scale
        mean = scale * float(y.mean())
        std = scale * float(np.sqrt(np.mean((y - y.mean()) ** 2)))
    if std == 0:  # distinct values closer than the float spacing allows around their mean
        raise ValueError(
            f"The values of x differ by less than the rounding of their mean {mean:g}, so "
            "their spread cannot be computed. Subtract a constant (e.g. x - x[0]) first."
        )
    return Gaussian(mean, std)


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
