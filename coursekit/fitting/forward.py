r"""Forward KL(p‖q) and its minimiser over Gaussians q: moment matching ("mean seeking").

Also the differential entropy of a mixture, which the forward KL needs (KL = H(p, q) − H(p)).
Units: nats for ``base=None``, bits for ``base=2``.

Introduced in lecture 04 (Forward vs reverse KL).
"""

from __future__ import annotations

import numpy as np

from coursekit import _validate as check
from coursekit.fitting._target import LogDensity, as_model, expected_log_p, standardised
from coursekit.gaussians import (
    Gaussian,
    Mixture,
    gaussian_entropy,
    gaussian_kl,
    log_normaliser,
    spread,
)

__all__ = ["mixture_entropy", "fit_forward_kl", "forward_kl", "forward_kl_profile"]


def mixture_entropy(target, base=None) -> float:
    r"""Differential entropy H(p) = −∫ p(x) log p(x) dx of a Gaussian or a Gaussian mixture.

    For a mixture, H(p) = −Σ_k w_k E_{N(μ_k, σ_k²)}[log p(x)], each expectation by the
    trapezoid rule of :mod:`coursekit.fitting._target` (no closed form exists); for a Gaussian,
    ½ log(2πeσ²). Units: nats for ``base=None``, bits for ``base=2``.

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> round(mixture_entropy(Mixture.symmetric(0.0)), 6)  # two copies of N(0, 1)
    1.418939
    """
    ln_base = check.log_base(base)
    if isinstance(target, Gaussian):
        h = float(gaussian_entropy(target.std))
    else:
        unit, target = standardised(target)  # h(p) = h(p in units of c) + log c
        logp = LogDensity(target)
        weights = np.array(target.weights)
        h = -sum(
            w * expected_log_p(logp, c.mean, c.std)
            for w, c in zip(weights, target.components, strict=True)
            if w > 0
        )
        if unit != 1.0:
            h += np.log(unit)
    return float(check.in_base(h, ln_base))


def fit_forward_kl(target) -> Gaussian:
    r"""The Gaussian q* that minimises the forward KL(p‖q) over all Gaussians: moment matching.

    .. math:: KL(p \| q) = -H(p) + \tfrac12 \log(2\pi\sigma^2)
              + \frac{\operatorname{Var}_p + (\mathbb E_p[x] - \mu)^2}{2\sigma^2}

    depends on p only through its mean and variance, and is smallest at μ = E_p[x],
    σ² = Var_p(x): q* has the target's mean and variance. For a two-mode target it sits between
    the modes and covers both ("mean seeking"), putting mass where p has little.

    ``target`` is anything with ``mean`` and ``var`` (a Gaussian or a Mixture).

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> fit_forward_kl(Mixture.symmetric(3))
    Gaussian(mean=0, std=3.1622776601683795)
    """
    mean, var = getattr(target, "mean", None), getattr(target, "var", None)
    if mean is None or var is None or callable(mean) or callable(var):
        raise ValueError(
            f"target must be a distribution with a mean and a var (a Gaussian or a Mixture), "
            f"but got {target!r}. To fit data, use fit_mle_gaussian(x): maximum likelihood is "
            "the forward-KL fit to the data's empirical distribution."
        )
    mean = check.finite_scalar(mean, "target.mean")
    if isinstance(target, Gaussian | Mixture):
        # √var where the variance is an ordinary float; where it overflows or underflows
        # (a spread beyond 1e154 or below 1e-154) the exact std.
        return Gaussian(mean, spread(target))
    var = check.finite_scalar(var, "target.var")
    if var <= 0:
        raise ValueError(f"target.var must be greater than 0, but it is {var:g}.")
    return Gaussian(mean, np.sqrt(var))


def forward_kl(target, q, base=None) -> float:
    r"""The forward KL(p‖q) from the target p (a Gaussian or a Mixture) to a Gaussian q.

    .. math:: KL(p \| q) = -H(p) - \mathbb E_p[\log q(x)]
              = -H(p) + \tfrac12 \log(2\pi\sigma_q^2)
              + \frac{\operatorname{Var}_p + (\mathbb E_p[x] - \mu_q)^2}{2\sigma_q^2}

    Closed form for a Gaussian p; for a mixture, H(p) comes from :func:`mixture_entropy`.
    Units: nats for ``base=None``, bits for ``base=2``. Argument order as in the notation:
    ``forward_kl(p, q)`` is KL(p‖q).

    Introduced in lecture 04 (Forward vs reverse KL).

    >>> p = Mixture.symmetric(3)
    >>> round(forward_kl(p, fit_forward_kl(p)), 6)
    0.461995
    """
    q = as_model(q, "q")
    ln_base = check.log_base(base)
    if isinstance(target, Gaussian):
        return gaussian_kl(target, q, base=base)
    if not isinstance(target, Mixture):
        LogDensity(target)  # raises the message for a wrong target
    # H(p, q) = −E_p[log q] depends on p only through its mean and variance; written with
    # ratios to σ_q, so no variance under- or overflows.
    r, delta = spread(target) / q.std, (target.mean - q.mean) / q.std
    cross = log_normaliser(np.log(q.std)) + 0.5 * (r * r + delta * delta)
    # KL ≥ 0; H(p) comes from quadrature, so at q = p a residue of ~1e-16 may fall below 0.
    kl = check.nonnegative(cross - mixture_entropy(target))
    return float(check.in_base(kl, ln_base))


def forward_kl_profile(target, means) -> tuple[np.ndarray, np.ndarray]:
    r"""The forward KL along the means: for each μ, the best σ and min over σ of KL(p‖N(μ, σ²)).

    For fixed μ the forward KL is smallest at σ² = Var_p + (E_p[x] − μ)², where it equals
    ½ log(2πe σ²) − H(p): one valley, at μ = E_p[x]. Returns ``(stds, kls)``, arrays shaped
    like ``means``; the KL in nats.

    Introduced in lecture 04 (Forward vs reverse KL).
    """
    means = check.as_float_array(means, "means")
    if means.size == 0 or not np.isfinite(means).all():
        raise ValueError("means must hold one or more finite numbers (the means μ of q).")
    fit = fit_forward_kl(target)
    std = np.hypot(fit.std, means - fit.mean)  # √(Var_p + (E_p[x] − μ)²), no overflow
    kl = check.nonnegative(log_normaliser(np.log(std)) + 0.5 - mixture_entropy(target))
    return std, kl
