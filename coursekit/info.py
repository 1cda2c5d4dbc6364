"""Surprise, entropy, cross-entropy and divergences of discrete distributions.

Conventions shared by every function here:

* A distribution lies along the **last axis** of an array; leading axes are a batch. ``p`` and ``q``
  must have exactly the same shape (no broadcasting: a mismatch is more often a mistake than a
  wish, so it raises ``ValueError``).
* The result is a Python ``float`` for one distribution (a 1-D input) and an ``ndarray`` of shape
  ``p.shape[:-1]`` for a batch.
* ``base=None`` gives nats (natural log, as in scipy), ``base=2`` bits; any base > 0 other than 1
  works.
* 0 log 0 = 0 (by continuity), and a divergence is ``inf`` where q = 0 but p > 0.
* Divergences are never negative: rounding can leave a sum like −1e-17 where the exact value is
  0 (p = q), and since KL ≥ 0 and JS ≥ 0 hold for every pair of distributions (Gibbs'
  inequality), such a result is returned as 0 (:func:`coursekit._validate.nonnegative`). No
  result is −0.0.
* Invalid input (negative, NaN or infinite entries, rows not summing to 1 within 1e-9, mismatched
  shapes, empty or scalar input, a bad base) raises ``ValueError`` saying what to fix.

The elementwise helpers (:func:`surprise`, :func:`binary_entropy`, :func:`bernoulli_kl`) take
probabilities of any shape, return a float for a scalar and an array otherwise, and broadcast.
"""

import numpy as np
from scipy.special import entr, rel_entr, xlogy

from coursekit import _validate as check

__all__ = [
    "surprise",
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "binary_entropy",
    "bernoulli_kl",
]


def surprise(p, base=None):
    r"""Surprise (self-information) of outcomes with probability ``p``, elementwise.

    .. math:: I(x) = -\log p(x)

    Units: nats for ``base=None``, bits for ``base=2``. An impossible outcome (p = 0) has
    infinite surprise; a certain one (p = 1) has none.

    Introduced in lecture 01 (Surprise and entropy).

    >>> surprise(0.5, base=2)
    1.0
    """
    p = check.probability(p, "p")
    ln_base = check.log_base(base)
    with np.errstate(divide="ignore"):
        # + 0.0 turns the -0.0 of -log 1 into 0.0.
        return check.as_result(check.in_base(-np.log(p) + 0.0, ln_base))


def entropy(p, base=None):
    r"""Shannon entropy of the distribution(s) ``p``: the expected surprise.

    .. math:: H(P) = -\sum_x p(x) \log p(x), \qquad 0 \log 0 = 0

    Units: nats for ``base=None``, bits for ``base=2``. Between 0 (a certain outcome) and
    log n (uniform over n outcomes).

    Introduced in lecture 01 (Surprise and entropy).

    >>> entropy([0.5, 0.5], base=2)
    1.0
    """
    p = check.distribution(p, "p")
    ln_base = check.log_base(base)
    return check.as_result(check.in_base(entr(p).sum(axis=-1), ln_base))


def cross_entropy(p, q, base=None):
    r"""Cross-entropy of ``q`` relative to ``p``: expected surprise under beliefs ``q``.

    .. math:: H(P, Q) = -\sum_x p(x) \log q(x)

    Outcomes follow ``p``; ``q`` is what we believe (or the code we use). Units: nats for
    ``base=None``, bits for ``base=2``. ``inf`` if q = 0 where p > 0. With a one-hot ``p`` this
    is the classification loss -log q(true class).

    Introduced in lecture 02 (Cross-entropy).

    >>> cross_entropy([0.5, 0.5], [0.5, 0.5], base=2)
    1.0
    """
    p, q = _pair(p, q)
    ln_base = check.log_base(base)
    # numpy's vectorised log is several times faster than xlogy everywhere. It goes wrong only
    # where q = 0 (0 * log 0 is NaN in floating point); there xlogy gives 0, or -inf if p > 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = p * np.log(q)
    zero = q == 0
    if zero.any():
        terms[zero] = xlogy(p[zero], 0.0)
    # Every term p log q is ≤ 0, so the sum is ≥ 0; + 0.0 turns the -0.0 of a certain outcome
    # (p = q = one-hot) into 0.0.
    return check.as_result(check.in_base(0.0 - terms.sum(axis=-1), ln_base))


def kl_divergence(p, q, base=None):
    r"""Kullback-Leibler divergence of ``q`` from ``p``: the expected excess surprise.

    .. math:: D_{KL}(P \| Q) = \sum_x p(x) \log \frac{p(x)}{q(x)} = H(P, Q) - H(P)

    Non-negative (a rounding residue below 0 is returned as 0), zero iff P = Q, not
    symmetric. ``inf`` if q = 0 where p > 0. Units: nats
    for ``base=None``, bits for ``base=2``. Forward KL is KL(P‖Q) with P the target or data.

    Introduced in lecture 03 (KL divergence).

    >>> kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    """
    p, q = _pair(p, q)
    ln_base = check.log_base(base)
    kl = check.nonnegative(rel_entr(p, q).sum(axis=-1))
    return check.as_result(check.in_base(kl, ln_base))


def js_divergence(p, q, base=None):
    r"""Jensen-Shannon divergence: a symmetric, bounded relative of KL.

    .. math:: JS(P, Q) = \tfrac12 D_{KL}(P \| M) + \tfrac12 D_{KL}(Q \| M),
              \qquad M = \tfrac12 (P + Q)

    Always finite, symmetric, between 0 and log 2 (1 bit, reached by disjoint supports); a
    rounding residue outside [0, log 2] is clipped to the bound.
    Units: nats for ``base=None``, bits for ``base=2``. Note that
    ``scipy.spatial.distance.jensenshannon`` returns the square root of this.

    Introduced in lecture 03 (KL divergence).

    >>> js_divergence([1.0, 0.0], [0.0, 1.0], base=2)
    1.0
    """
    p, q = _pair(p, q)
    ln_base = check.log_base(base)
    m = 0.5 * (p + q)
    js = 0.5 * (rel_entr(p, m).sum(axis=-1) + rel_entr(q, m).sum(axis=-1))
    # 0 ≤ JS ≤ log 2 for all distributions; rounding may step over either bound by an ulp.
    js = np.minimum(check.nonnegative(js), np.log(2.0))
    return check.as_result(check.in_base(js, ln_base))


def binary_entropy(p, base=None):
    r"""Entropy of a coin with P(heads) = ``p``, elementwise over ``p``.

    .. math:: H_2(p) = -p \log p - (1 - p) \log (1 - p)

    Units: nats for ``base=None``, bits for ``base=2`` (maximum 1 bit at p = 1/2).

    Introduced in lecture 01 (Surprise and entropy).

    >>> binary_entropy(0.5, base=2)
    1.0
    """
    p = check.probability(p, "p")
    ln_base = check.log_base(base)
    return check.as_result(check.in_base(entr(p) + entr(1 - p), ln_base))


def bernoulli_kl(p, q, base=None):
    r"""KL divergence between coins Bernoulli(``p``) and Bernoulli(``q``), elementwise.

    .. math:: D_{KL}(p \| q) = p \log \frac{p}{q} + (1 - p) \log \frac{1 - p}{1 - q}

    ``p`` and ``q`` are P(heads) and broadcast against each other. ``inf`` where q is 0 or 1
    but p is not. Never negative (a rounding residue such as −1e-16 for q ≈ p is returned as
    0). Units: nats for ``base=None``, bits for ``base=2``.

    Introduced in lecture 03 (KL divergence).

    >>> bernoulli_kl(0.5, 0.5)
    0.0
    """
    p = check.probability(p, "p")
    q = check.probability(q, "q")
    check.broadcast(p, q)
    ln_base = check.log_base(base)
    kl = check.nonnegative(rel_entr(p, q) + rel_entr(1 - p, 1 - q))
    return check.as_result(check.in_base(kl, ln_base))


def _pair(p, q):
    """Validate two distributions of the same shape."""
    p = check.distribution(p, "p")
    q = check.distribution(q, "q")
    check.same_shape(p, q)
    return p, q
