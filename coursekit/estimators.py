r"""Monte Carlo estimators of the KL divergence from samples (Schulman's k1, k2, k3).

When KL(q‖p) has no closed form but we can draw x ~ q and evaluate both log densities, we
average a per-sample term over the draws. With the log ratio

.. math:: \log r(x) = \log p(x) - \log q(x), \qquad x \sim q,

John Schulman's note "Approximating KL divergence" [schulman2020] compares three terms:

* ``k1`` = −log r: unbiased, since ⟨−log r⟩_q = KL(q‖p), but a single term is negative
  whenever p(x) > q(x), and its variance is large when q and p are close;
* ``k2`` = ½ (log r)²: always ≥ 0 and low variance, but biased (it matches the KL only to
  second order in log r);
* ``k3`` = (r − 1) − log r: unbiased (⟨r⟩_q = 1, so the r − 1 part adds zero on average),
  always ≥ 0 (log r ≤ r − 1), and low variance.

All values are in nats. The first argument is always the distribution the samples come from:
``estimate_kl(q, p, …)`` estimates KL(q‖p). In the course's convention, with q the model and
p the target, that is the *reverse* KL of lecture 04 and the KL inside the ELBO of lecture 06.

Distributions are objects with ``sample(n, rng)`` and ``logpdf(x)``, such as
:class:`coursekit.gaussians.Gaussian` and :class:`coursekit.gaussians.Mixture`. ``rng`` is a
numpy Generator or an integer seed, so every estimate is reproducible. Bad input raises
``ValueError`` saying what to fix.

Introduced in lecture 03 (KL divergence).
"""

import math
from numbers import Integral

import numpy as np

from coursekit import _validate as check
from coursekit.gaussians import Gaussian, gaussian_kl

__all__ = [
    "ESTIMATORS",
    "kl_estimators",
    "estimate_kl",
    "estimator_spread",
    "gaussian_shift_moments",
]

#: The estimators' names, in the order of Schulman's note.
ESTIMATORS = ("k1", "k2", "k3")


def kl_estimators(log_p, log_q) -> dict[str, np.ndarray]:
    r"""Per-sample terms of the k1, k2 and k3 estimators of KL(q‖p), from log densities.

    ``log_p`` and ``log_q`` hold log p(x) and log q(x) at the same points x, drawn from q.
    With log r = log p(x) − log q(x):

    .. math:: k_1 = -\log r, \qquad k_2 = \tfrac12 (\log r)^2, \qquad
              k_3 = (r - 1) - \log r

    The average of each over x ~ q estimates KL(q‖p) in nats; k1 and k3 without bias, k2 with
    a bias (and k2, k3 are never negative). Returns ``{"k1": …, "k2": …, "k3": …}``, arrays of
    the shape of the input. k3 is computed as ``expm1(log r) − log r``, which keeps its
    accuracy when r is close to 1 (it is clipped at 0 against rounding).

    Introduced in lecture 03 (KL divergence), after [schulman2020].

    >>> terms = kl_estimators([-1.0], [-1.0])
    >>> [float(terms[k][0]) for k in ("k1", "k2", "k3")]
    [-0.0, 0.0, 0.0]
    """
    log_p = _log_densities(log_p, "log_p")
    log_q = _log_densities(log_q, "log_q")
    check.same_shape(log_p, log_q, "log_p and log_q")
    log_r = log_p - log_q
    with np.errstate(over="ignore"):  # r = inf for a huge log r: k3 is then inf, correctly
        k3 = np.maximum(np.expm1(log_r) - log_r, 0.0)
    return {"k1": -log_r, "k2": 0.5 * log_r * log_r, "k3": k3}


def estimate_kl(q, p, n, rng) -> dict[str, float]:
    r"""Estimate KL(q‖p) from ``n`` samples of ``q`` with each of k1, k2 and k3.

    .. math:: \widehat{KL}_k = \frac1n \sum_{i=1}^n k(x_i), \qquad x_i \sim q

    where k is one of the per-sample terms of :func:`kl_estimators`. ``q`` and ``p`` need
    ``sample(n, rng)`` and ``logpdf(x)`` (e.g. ``Gaussian``, ``Mixture``); ``rng`` is a numpy
    Generator or an integer seed. Returns ``{"k1": …, "k2": …, "k3": …}`` in nats.

    Introduced in lecture 03 (KL divergence), after [schulman2020].

    >>> from coursekit.gaussians import Gaussian
    >>> estimates = estimate_kl(Gaussian(0, 1), Gaussian(1, 1), n=100_000, rng=0)
    >>> round(estimates["k3"], 2)  # the exact value is 0.5
    0.5
    """
    _check_distribution(q, "q")
    _check_distribution(p, "p")
    n = _count(n, "n", 1, "a number of samples")
    x = q.sample(n, check.rng(rng))
    terms = kl_estimators(p.logpdf(x), q.logpdf(x))
    return {name: float(values.mean()) for name, values in terms.items()}


def estimator_spread(q, p, n, repeats, rng) -> dict[str, dict]:
    r"""Repeat the estimate of KL(q‖p) from ``n`` samples ``repeats`` times: bias and spread.

    All ``repeats × n`` samples are drawn at once (one array of shape (repeats, n)), so this is
    fast enough to run inside an explorer. For each estimator the result holds

    * ``"estimates"``: the ``repeats`` independent estimates (an array),
    * ``"mean"`` and ``"std"``: their mean and standard deviation (``ddof=1``),
    * ``"true_kl"``: the exact KL(q‖p) when ``q`` and ``p`` are both ``Gaussian``
      (:func:`coursekit.gaussians.gaussian_kl`), else ``None``,
    * ``"bias"``: ``mean − true_kl`` (``None`` when the true value is unknown).

    The standard error of ``"mean"`` is ``std / √repeats``. Units: nats.

    Introduced in lecture 03 (KL divergence), after [schulman2020].

    >>> from coursekit.gaussians import Gaussian
    >>> spread = estimator_spread(Gaussian(0, 1), Gaussian(1, 1), n=100, repeats=500, rng=0)
    >>> spread["k1"]["true_kl"]
    0.5
    >>> spread["k1"]["std"] > spread["k3"]["std"]  # same mean, k3 spreads less
    True
    """
    _check_distribution(q, "q")
    _check_distribution(p, "p")
    n = _count(n, "n", 1, "a number of samples per estimate")
    repeats = _count(repeats, "repeats", 2, "how many estimates to compare; 2 or more")
    x = q.sample(repeats * n, check.rng(rng)).reshape(repeats, n)
    terms = kl_estimators(p.logpdf(x), q.logpdf(x))
    true_kl = gaussian_kl(q, p) if isinstance(q, Gaussian) and isinstance(p, Gaussian) else None
    spread = {}
    for name, values in terms.items():
        estimates = values.mean(axis=1)
        mean = float(estimates.mean())
        spread[name] = {
            "estimates": estimates,
            "mean": mean,
            "std": float(estimates.std(ddof=1)),
            "true_kl": true_kl,
            "bias": None if true_kl is None else mean - true_kl,
        }
    return spread


def gaussian_shift_moments(mu, n=1) -> dict[str, dict[str, float]]:
    r"""Exact mean and standard deviation of k1, k2, k3 for q = N(0, 1), p = N(μ, 1).

    The reference case of [schulman2020]. For x ~ q the log ratio is
    log r = μx − μ²/2 ~ N(−μ²/2, μ²), and the true value is KL(q‖p) = μ²/2. Per sample:

    * k1 = −log r: mean μ²/2 (unbiased), std ``|μ|``, so std/KL = ``2/|μ|``;
    * k2 = ½ (log r)²: mean μ²/2 + μ⁴/8 (bias/KL = μ²/4), std ½ μ² √(2 + μ²)
      (from Var(Y²) = 2s⁴ + 4m²s² for Y ~ N(m, s²));
    * k3 = (r − 1) − log r: mean μ²/2 (unbiased), std √(e^{μ²} − 1 − μ²), from
      Var(r) = e^{μ²} − 1 (r is lognormal with E r = 1, E r² = e^{μ²}), Var(log r) = μ² and
      Cov(r, log r) = μ² (Stein's lemma: E[L e^L] = (m + s²) e^{m + s²/2} = μ²/2).

    An estimate averages ``n`` independent terms: same mean, std divided by √n. Returns
    ``{name: {"mean", "std", "bias", "true_kl"}}`` in nats. At μ = 0 everything is 0; where a
    moment exceeds the largest float (k3's std beyond |μ| ≈ 37.7, k2's mean beyond 1.9e77) it
    is ``inf``.

    Introduced in lecture 03 (KL divergence).

    >>> moments = gaussian_shift_moments(1.0)
    >>> round(moments["k3"]["std"] / moments["k3"]["true_kl"], 2)
    1.7
    """
    mu = check.finite_scalar(mu, "mu")
    n = _count(n, "n", 1, "a number of samples per estimate")
    m2 = mu * mu
    kl = m2 / 2
    k2_bias = m2 * m2 / 8
    # expm1(μ²) − μ² loses no digits for small μ (it is ≈ μ⁴/2 there). For μ² > 50 the
    # std is e^{μ²/2} to 1e-20 (relative), which stays finite up to μ² ≈ 1419.
    if m2 <= 50:
        k3_std = np.sqrt(max(np.expm1(m2) - m2, 0.0))
    else:
        k3_std = math.inf if m2 > 1419 else math.exp(m2 / 2)
    moments = {
        "k1": (kl, abs(mu), 0.0),
        "k2": (kl + k2_bias, 0.5 * m2 * np.sqrt(2 + m2), k2_bias),
        "k3": (kl, k3_std, 0.0),
    }
    root_n = np.sqrt(n)
    # The biases are exact (0 for k1 and k3) rather than mean − KL, which is inf − inf for a
    # huge μ.
    return {
        name: {"mean": mean, "std": float(std / root_n), "bias": bias, "true_kl": kl}
        for name, (mean, std, bias) in moments.items()
    }


# -- checks -------------------------------------------------------------------------------------


def _log_densities(values, name: str) -> np.ndarray:
    arr = check.as_float_array(values, name)
    if arr.size == 0:
        raise ValueError(
            f"{name} is empty (shape {arr.shape}). Pass the log density at one or more samples."
        )
    if np.isfinite(arr).all():
        return arr
    bad = ~np.isfinite(arr)
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    where = f" at index {idx[0] if len(idx) == 1 else idx}" if idx else ""
    value = arr[idx] if idx else float(arr)
    if np.isnan(value):
        raise ValueError(
            f"{name} contains NaN{where}. Check the density that produced it (log of a "
            "negative number, or 0 * inf)."
        )
    if value < 0:
        density = name.removeprefix("log_")
        raise ValueError(
            f"{name} is -inf{where}: {density}(x) = 0 at a sample. If that is p, the KL "
            "divergence KL(q‖p) is infinite (q puts mass where p has none) and no estimate "
            f"is needed; if it is q, the samples did not come from q. {name} must be finite."
        )
    raise ValueError(
        f"{name} is +inf{where}: an infinite density. Pass finite log densities, e.g. "
        "Gaussian(0, 1).logpdf(x)."
    )


def _check_distribution(d, name: str) -> None:
    if not (callable(getattr(d, "sample", None)) and callable(getattr(d, "logpdf", None))):
        raise ValueError(
            f"{name} must be a distribution with sample(n, rng) and logpdf(x) methods, e.g. "
            f"Gaussian(0, 1) or Mixture.symmetric(2), but got {d!r}."
        )


def _count(value, name: str, least: int, meaning: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < least:
        raise ValueError(
            f"{name} must be an integer ≥ {least} ({meaning}), but got {value!r}."
            + (" Use int(...) to convert it." if isinstance(value, float) else "")
        )
    return int(value)
