"""Input checks shared by the mathematics modules (numpy only).

Every check raises ``ValueError`` with one or two plain sentences: what was wrong (naming the
argument and the offending value or shape) and how to fix it. The fast path of each check is a
couple of reductions over the array, so checking costs little next to the computation it guards.
"""

from numbers import Integral, Real

import numpy as np

SUM_TOL = 1e-9
"""How far from 1 the entries of a probability distribution may sum."""


def as_float_array(x, name: str) -> np.ndarray:
    """Return ``x`` as a float64 array (no copy if it already is one), or raise ValueError."""
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        return x
    try:
        arr = np.asarray(x)
    except ValueError:
        raise ValueError(
            f"{name} is a ragged nested list (its rows have different lengths). "
            "Every row must have the same number of entries."
        ) from None
    if arr.dtype.kind not in "biuf":
        if arr.dtype.kind in "USO" and arr.ndim == 0:
            got = f"{x!r} of type {type(x).__name__}"
        else:
            got = f"an array of dtype {arr.dtype}"
        raise ValueError(
            f"{name} must be a number or an array of numbers, but got {got}. "
            "Pass real numbers, e.g. np.array([0.5, 0.5])."
        )
    return arr.astype(np.float64, copy=False)


def _where(arr: np.ndarray, mask: np.ndarray) -> str:
    """Describe the first position where ``mask`` is true, e.g. ``at index 2``."""
    idx = tuple(int(i) for i in np.argwhere(mask)[0])
    if not idx:
        return ""
    return f" at index {idx[0] if len(idx) == 1 else idx}"


def _check_not_empty(arr: np.ndarray, name: str) -> None:
    if arr.size == 0:
        raise ValueError(
            f"{name} is empty (shape {arr.shape}), so there is nothing to compute. "
            "Pass at least one value" + (" along each axis." if arr.ndim > 1 else ".")
        )


def _check_finite(arr: np.ndarray, name: str) -> None:
    if np.isnan(arr).any():
        raise ValueError(
            f"{name} contains NaN{_where(arr, np.isnan(arr))}. "
            f"Check the computation that produced {name} (0 * log 0, 0 / 0 or inf - inf give NaN)."
        )
    if np.isinf(arr).any():
        raise ValueError(
            f"{name} contains an infinite value{_where(arr, np.isinf(arr))}. "
            f"Every entry of {name} must be a finite number."
        )


def distribution(p, name: str) -> np.ndarray:
    """Check that ``p`` holds probability distributions along its last axis; return it as floats.

    Entries must be finite, non-negative and sum to 1 within ``SUM_TOL`` along the last axis.
    """
    arr = as_float_array(p, name)
    if arr.ndim == 0:
        raise ValueError(
            f"{name} is a single number ({float(arr):g}), but a distribution is needed: an array "
            "of probabilities along its last axis. For a coin with P(heads) = x pass [1 - x, x]."
        )
    _check_not_empty(arr, name)
    sums = arr.sum(axis=-1)
    # One fast test: a NaN makes min() NaN (so the test fails), and an inf entry with no
    # negative entries makes its sum inf. Only a failing input pays for the diagnosis.
    if arr.min() >= 0 and np.all(np.abs(sums - 1) <= SUM_TOL):
        return arr
    _check_finite(arr, name)
    if (arr < 0).any():
        neg = arr < 0
        value = arr[tuple(np.argwhere(neg)[0])]
        raise ValueError(
            f"{name} has a negative entry ({value:.6g}{_where(arr, neg)}), but probabilities must "
            f"be non-negative. If {name} is the output of a model, pass it through a softmax; "
            f"if it is rounding error, use np.clip({name}, 0, None) and renormalise."
        )
    bad = ~(np.abs(sums - 1) <= SUM_TOL)
    where = f"{name}[{', '.join(map(str, np.argwhere(bad)[0]))}]" if sums.ndim else name
    total = sums[bad].flat[0] if sums.ndim else float(sums)
    message = (
        f"{where} sums to {total:.12g} along its last axis, but a probability distribution must "
        f"sum to 1 (within 1e-9). Divide by {name}.sum(axis=-1, keepdims=True) to "
        "normalise it."
    )
    if arr.ndim == 2 and np.all(np.abs(arr.sum(axis=0) - 1) <= SUM_TOL):
        message += f" (Its columns sum to 1: if the distributions are columns, pass {name}.T.)"
    raise ValueError(message)


def probability(p, name: str) -> np.ndarray:
    """Check that every entry of ``p`` is a probability in [0, 1]; return it as floats."""
    arr = as_float_array(p, name)
    _check_not_empty(arr, name)
    if arr.min() >= 0 and arr.max() <= 1:
        return arr
    _check_finite(arr, name)
    out = (arr < 0) | (arr > 1)
    value = arr[tuple(np.argwhere(out)[0])]
    raise ValueError(
        f"{name} must hold probabilities between 0 and 1, but it has {value:.6g}"
        f"{_where(arr, out)}. If these are percentages divide by 100; if they are logits, "
        "use scipy.special.expit or softmax."
    )


def same_shape(p: np.ndarray, q: np.ndarray, names: str = "p and q") -> None:
    """Check that two distributions have the same shape."""
    if p.shape != q.shape:
        a, b = names.split(" and ")
        raise ValueError(
            f"{a} has shape {p.shape} but {b} has shape {q.shape}; they must have the same shape, "
            "one probability for each outcome (distributions along the last axis)."
        )


def broadcast(p: np.ndarray, q: np.ndarray, names: str = "p and q") -> None:
    """Check that two arrays broadcast against each other (for elementwise functions)."""
    try:
        np.broadcast_shapes(p.shape, q.shape)
    except ValueError:
        a, b = names.split(" and ")
        raise ValueError(
            f"{a} has shape {p.shape} and {b} has shape {q.shape}, which do not broadcast "
            "together. Pass arrays of the same shape, or a single number for one of them."
        ) from None


def log_base(base) -> float | None:
    """Return ``ln(base)`` to divide results in nats by, or None for nats (``base=None``)."""
    if base is None:
        return None
    if isinstance(base, bool) or not isinstance(base, Real):
        raise ValueError(f"base must be a number (2 for bits, None for nats), but got {base!r}.")
    base = float(base)
    if not (np.isfinite(base) and base > 0 and base != 1):
        raise ValueError(
            f"base must be a positive number other than 1, but got {base:g}. "
            "Use base=2 for bits or base=None (the default) for nats."
        )
    return float(np.log(base))


def in_base(value, ln_base: float | None):
    """Convert a result in nats to the unit of ``ln_base`` (from :func:`log_base`)."""
    return value if ln_base is None else value / ln_base + 0.0  # + 0.0: no -0.0 for base < 1


def nonnegative(value):
    """``value`` with negative entries replaced by 0 (and -0.0 by 0.0), elementwise.

    Only for quantities that are provably ≥ 0 (a divergence, a squared distance), where a
    negative result can only be rounding: e.g. KL(p‖p) summed as −1e-17. NaN stays NaN.
    """
    return np.maximum(value, 0.0) + 0.0


def finite_scalar(x, name: str) -> float:
    """Return ``x`` as a Python float, or raise ValueError if it is not a finite real number."""
    arr = as_float_array(x, name)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, but got an array of shape {arr.shape}.")
    value = float(arr)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, but got {value}.")
    return value


def positive(x, name: str) -> np.ndarray:
    """Check that every entry of ``x`` is finite and > 0 (e.g. a standard deviation)."""
    arr = as_float_array(x, name)
    _check_not_empty(arr, name)
    if arr.min() > 0 and np.isfinite(arr.max()):
        return arr
    _check_finite(arr, name)
    bad = ~(arr > 0)
    value = arr[tuple(np.argwhere(bad)[0])]
    raise ValueError(
        f"{name} must be greater than 0, but it is {value:g}{_where(arr, bad)}. "
        f"A standard deviation is the square root of the variance and is always positive."
    )


def positive_scalar(value, name: str) -> float:
    """Return ``value`` as a float if it is a finite number > 0 (a standard deviation, a step
    size), or raise ValueError."""
    value = finite_scalar(value, name)
    if value <= 0:
        raise ValueError(
            f"{name} must be greater than 0, but got {value:g}. It is a standard deviation "
            "(the square root of a variance), not a variance or a log."
        )
    return value


def cholesky(cov, name: str) -> np.ndarray:
    """Check that ``cov`` is a finite symmetric positive-definite matrix; return its Cholesky
    factor L (lower triangular, cov = L Lᵀ)."""
    cov = as_float_array(cov, name)
    if cov.ndim != 2 or cov.shape[0] != cov.shape[1] or cov.size == 0:
        raise ValueError(
            f"{name} must be a square k×k covariance matrix, but has shape {cov.shape}. "
            "For independent coordinates use np.diag(variances); in 1-D use [[variance]]."
        )
    if not np.isfinite(cov).all():
        raise ValueError(f"{name} contains NaN or infinite entries; every entry must be finite.")
    asym = np.abs(cov - cov.T)
    if asym.max() > 1e-9 * np.abs(cov).max():
        i, j = (int(v) for v in np.unravel_index(asym.argmax(), asym.shape))
        raise ValueError(
            f"{name} is not symmetric: entry [{i}, {j}] is {cov[i, j]:g} but [{j}, {i}] is "
            f"{cov[j, i]:g}. A covariance matrix equals its transpose; if the difference is "
            f"rounding, use ({name} + {name}.T) / 2."
        )
    try:
        return np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        smallest = np.linalg.eigvalsh(cov).min()
        raise ValueError(
            f"{name} is not positive definite (its smallest eigenvalue is {smallest:.6g}), but a "
            "covariance matrix needs all eigenvalues > 0. Check the variances are positive and "
            "every correlation is strictly between -1 and 1."
        ) from None


def mean_vector(mean, k: int, name: str, cov_name: str) -> np.ndarray:
    """Check that ``mean`` is a finite vector of length ``k`` (the size of ``cov_name``)."""
    mean = as_float_array(mean, name)
    if mean.shape != (k,):
        raise ValueError(
            f"{name} has shape {mean.shape} but {cov_name} is {k}×{k}; the mean must be a 1-D "
            f"array of length {k}, one entry per dimension."
        )
    if not np.isfinite(mean).all():
        raise ValueError(f"{name} contains NaN or infinite entries; every entry must be finite.")
    return mean


def rng(seed_or_rng) -> np.random.Generator:
    """Return a numpy Generator from a Generator or an integer seed; anything else is an error."""
    if isinstance(seed_or_rng, np.random.Generator):
        return seed_or_rng
    if isinstance(seed_or_rng, Integral) and not isinstance(seed_or_rng, bool):
        return np.random.default_rng(int(seed_or_rng))
    raise ValueError(
        f"rng must be a numpy Generator or an integer seed, but got {seed_or_rng!r}. "
        "Pass np.random.default_rng(0) (or just 0) so the samples are reproducible."
    )


def count(n, name: str = "n") -> int:
    """Check that ``n`` is a non-negative integer (a number of samples)."""
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 0:
        raise ValueError(f"{name} must be a non-negative integer (a number of samples), got {n!r}.")
    return int(n)


def as_result(x):
    """Return a 0-d result as a Python float and anything else as an ndarray."""
    x = np.asarray(x)
    return float(x) if x.ndim == 0 else x
