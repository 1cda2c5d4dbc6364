"""Reusable mistake rules: each recognises one common error of this subject and says why.

A rule looks at a student's (wrong) result for one set of arguments of the exercise's
reference function and answers with a message if the result is explained by the mistake.
Most rules are *transformations*: the mistaken result is a known function of the arguments
(the arguments swapped, the value in the other unit, the sign flipped...). Every rule can also
*make* its mistake (``mistaken``), which is how each exercise tests its own feedback.

Introduced with the exercises of lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

LN2 = float(np.log(2))


def close(a, b, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """True when two results agree elementwise (same shape; inf equals inf of the same sign)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    return bool(np.all(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=False)))


@dataclass(frozen=True)
class Mistake:
    """A mistake that maps the correct computation to a wrong one.

    ``transform(reference)`` returns a function with the reference's signature that makes the
    mistake; a result equal to that function's value (and different from the correct one) is
    recognised, and ``message`` is shown.
    """

    name: str
    message: str
    transform: Callable[[Callable], Callable] = field(repr=False)

    def mistaken(self, reference: Callable) -> Callable:
        """A function that makes this mistake (used by the exercises' self-tests)."""
        return self.transform(reference)

    def explains(
        self, result, args: tuple, reference: Callable, expected, rtol: float = 1e-6
    ) -> bool:
        """Whether ``result`` is this mistake's value (within ``rtol``; a looser ``rtol``
        recognises a mistaken value the student rounded, unless it is that close to the
        answer too)."""
        try:
            with np.errstate(all="ignore"):
                wrong = self.transform(reference)(*args)
        except Exception:
            return False
        distinct = not close(wrong, expected, rtol=3 * max(rtol, 1e-6))
        return distinct and close(result, wrong, rtol=rtol)


@dataclass(frozen=True)
class Predicate:
    """A mistake recognised by a property of the result rather than by its value."""

    name: str
    message: str
    test: Callable[[np.ndarray, tuple, np.ndarray], bool] = field(repr=False)
    make: Callable[[Callable], Callable] = field(repr=False)

    def mistaken(self, reference: Callable) -> Callable:
        return self.make(reference)

    def explains(
        self, result, args: tuple, reference: Callable, expected, rtol: float = 1e-6
    ) -> bool:
        try:
            return bool(
                self.test(np.asarray(result, dtype=float), args, np.asarray(expected, dtype=float))
            )
        except Exception:
            return False


Rule = Mistake | Predicate


def _scaled(factor: float) -> Callable[[Callable], Callable]:
    return lambda reference: lambda *args: np.asarray(reference(*args), dtype=float) * factor


def swapped_arguments(what: str = "KL(P‖Q)") -> Mistake:
    """The first two arguments exchanged, e.g. KL(Q‖P) computed for KL(P‖Q)."""
    return Mistake(
        "swapped arguments",
        f"Your result is what {what} gives with its two distributions swapped. The order "
        "matters: the average is taken under the *first* distribution, and log p/q compares "
        "the first to the second. Swap them back.",
        lambda reference: lambda a, b, *rest: reference(b, a, *rest),
    )


def swapped_arguments_explained(message: str) -> Mistake:
    """The first two arguments exchanged, as in :func:`swapped_arguments`, with the exercise's
    own ``message`` on why their order matters (a cross-entropy's belief and data, the power
    α of D_α...). Used by lectures 02 and 07."""
    return Mistake(
        "swapped arguments",
        message,
        lambda reference: lambda a, b, *rest: reference(b, a, *rest),
    )


def bits_for_nats() -> Mistake:
    """Bits given where nats were asked: too large by a factor 1/ln 2 ≈ 1.443."""
    return Mistake(
        "bits instead of nats",
        "Your result is in bits, but the question asks for nats: it is 1/ln 2 ≈ 1.443 times "
        "too large. Use the natural logarithm (np.log), or multiply bits by ln 2.",
        _scaled(1 / LN2),
    )


def nats_for_bits() -> Mistake:
    """Nats given where bits were asked: too small by a factor ln 2 ≈ 0.693."""
    return Mistake(
        "nats instead of bits",
        "Your result is in nats, but the question asks for bits: it is ln 2 ≈ 0.693 times "
        "the answer. Use np.log2, or divide nats by ln 2.",
        _scaled(LN2),
    )


def missing_minus(message: str | None = None) -> Mistake:
    """The sign flipped, typically the minus of −log p forgotten; ``message`` says why the
    quantity of the exercise has its sign (the default speaks of surprise)."""
    return Mistake(
        "missing minus sign",
        message
        or "Your result has the right size but the wrong sign. Surprise is −log p: the log of "
        "a probability is negative, and the minus sign makes information positive.",
        _scaled(-1.0),
    )


def variance_for_std() -> Mistake:
    """A variance given (or used) where a standard deviation was meant."""
    return Mistake(
        "variance instead of standard deviation",
        "Your result is the square of the answer: it looks like a variance where a standard "
        "deviation was asked. Take the square root (σ = √σ²).",
        lambda reference: lambda *args: np.asarray(reference(*args), dtype=float) ** 2,
    )


def std_for_variance() -> Mistake:
    """A standard deviation given (or used) where a variance was meant."""
    return Mistake(
        "standard deviation instead of variance",
        "Your result is the square root of the answer: it looks like a standard deviation "
        "where a variance was asked. Square it (σ² = σ·σ).",
        lambda reference: lambda *args: np.sqrt(np.asarray(reference(*args), dtype=float)),
    )


def confused_with(name: str, other: Callable, message: str) -> Mistake:
    """A related quantity given instead, e.g. the entropy where the cross-entropy was asked.

    ``other`` computes that quantity from the same arguments as the reference.
    """
    return Mistake(name, message, lambda reference: other)


def entropy_for_cross_entropy(entropy_of_first: Callable) -> Mistake:
    return confused_with(
        "entropy instead of cross-entropy",
        entropy_of_first,
        "Your result is the entropy H(P): the surprise was measured with P's own "
        "probabilities. Cross-entropy H(P, Q) = −Σ p(x) log q(x) averages the surprise under "
        "the belief Q, −log q(x), over outcomes drawn from P.",
    )


def cross_entropy_for_entropy(cross_entropy: Callable) -> Mistake:
    return confused_with(
        "cross-entropy instead of entropy",
        cross_entropy,
        "Your result is a cross-entropy: the log uses the other distribution's probabilities. "
        "The entropy H(P) = −Σ p(x) log p(x) uses P in both places.",
    )


def sum_for_mean(count: Callable[..., int]) -> Mistake:
    """A total given where an average was asked (too large by the number of terms)."""
    return Mistake(
        "sum instead of mean",
        "Your result is a sum over all the terms, but the question asks for their average: "
        "divide by the number of terms (np.mean instead of np.sum).",
        lambda reference: lambda *args: np.asarray(reference(*args), dtype=float) * count(*args),
    )


def mean_for_sum(count: Callable[..., int]) -> Mistake:
    """An average given where a total was asked."""
    return Mistake(
        "mean instead of sum",
        "Your result is an average over the terms, but the question asks for their sum: "
        "multiply by the number of terms (np.sum instead of np.mean).",
        lambda reference: lambda *args: np.asarray(reference(*args), dtype=float) / count(*args),
    )


def unnormalised() -> Predicate:
    """A probability vector that does not sum to 1 but is right once normalised."""

    def test(result, args, expected):
        total = result.sum(axis=-1, keepdims=True)
        return (
            result.ndim >= 1
            and np.all(result >= 0)
            and not close(total, 1.0)
            and close(result / total, expected)
        )

    return Predicate(
        "unnormalised",
        "Your numbers have the right proportions but do not sum to 1. Divide by their sum "
        "to turn weights into probabilities.",
        test,
        lambda reference: lambda *args: 3.0 * np.asarray(reference(*args), dtype=float),
    )


def nan_from_zero_log_zero() -> Predicate:
    """NaN in the result, from evaluating 0 · log 0 as 0 · (−∞)."""

    def test(result, args, expected):
        return bool(np.any(np.isnan(result))) and not np.any(np.isnan(expected))

    def make(reference):
        return lambda *args: np.full(np.shape(reference(*args)), np.nan)

    return Predicate(
        "NaN from 0·log 0",
        "Your result is NaN. In floating point 0 · log 0 is 0 · (−∞) = NaN, but in entropy and "
        "KL the term is 0 (by continuity: p log p → 0 as p → 0). Skip the zero probabilities "
        "(p[p > 0]) or use scipy.special.xlogy / entr / rel_entr.",
        test,
        make,
    )


def variance_passed_as_std(position: int) -> Mistake:
    """A variance σ² passed where the computation takes a standard deviation σ.

    ``position`` is the index of the standard-deviation argument of the reference function.
    """

    def transform(reference):
        def mistaken(*args):
            args = list(args)
            args[position] = np.asarray(args[position], dtype=float) ** 2
            return reference(*args)

        return mistaken

    return Mistake(
        "variance passed as standard deviation",
        "Your result is what you get with σ² in place of σ: a variance was used where the "
        "formula takes a standard deviation. N(μ, σ²) is written with the variance, but "
        "Gaussian(mean, std) and the formulas here take σ itself.",
        transform,
    )


def std_passed_as_variance(position: int) -> Mistake:
    """A standard deviation σ passed where the computation takes a variance σ²."""

    def transform(reference):
        def mistaken(*args):
            args = list(args)
            args[position] = np.sqrt(np.asarray(args[position], dtype=float))
            return reference(*args)

        return mistaken

    return Mistake(
        "standard deviation passed as variance",
        "Your result is what you get with √(σ²) in place of σ²: a standard deviation was "
        "used where the formula takes a variance. Square it first.",
        transform,
    )
