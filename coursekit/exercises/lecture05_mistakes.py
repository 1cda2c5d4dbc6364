"""Exact answers and mistake rules of the exercises of lecture 05 (``lecture05`` holds the
prompts, hints and solutions, and the data the exercises are asked on)."""

import numpy as np

from coursekit import info
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian, gaussian_entropy, gaussian_kl

#: The source P = N(0, 1) of the data of exercise 5.
SOURCE = Gaussian(0.0, 1.0)

NLL_SIGN = (
    "Your result has the right size but the wrong sign. The average NLL is "
    "−(1/N) Σ log q(xᵢ): the minus sign in front turns log-likelihoods into a loss."
)


# -- q1: the variance, when the mean is known ---------------------------------------------------


def mle_variance_known_mean(x, mu):
    """MLE of σ² for N(mu, σ²) with mu known: (1/N) Σ (xᵢ − mu)²."""
    return np.mean((np.asarray(x, dtype=float) - mu) ** 2)


VARIANCE_MISTAKES = [
    m.confused_with(
        "centred at the sample mean",
        lambda x, mu: np.var(x),
        "That is the MLE of σ² when μ is fitted too: the squares are centred at the "
        "sample mean x̄ = 5. Here μ = 4 is known. Redo the derivative in σ² with "
        "μ = 4 fixed: which squares does it average?",
    ),
    m.confused_with(
        "divided by N − 1",
        lambda x, mu: np.sum((x - mu) ** 2) / (len(x) - 1),
        "You divided by N − 1. Setting the derivative of the average NLL to zero "
        "gives the average of the squares, a division by N.",
    ),
    m.confused_with(
        "unbiased sample variance",
        lambda x, mu: np.var(x, ddof=1),
        "That is the unbiased sample variance, np.var(x, ddof=1): centred at x̄ and "
        "divided by N − 1. Maximum likelihood with the mean known to be 4 averages "
        "the squares (xᵢ − 4)², dividing by N.",
    ),
    m.std_for_variance(),
    m.sum_for_mean(lambda x, mu: len(x)),
    m.confused_with(
        "not centred",
        lambda x, mu: np.mean(x**2),
        "You averaged xᵢ², not (xᵢ − μ)²: subtract the known mean μ = 4 from every "
        "point before squaring.",
    ),
    m.confused_with(
        "the sample mean",
        lambda x, mu: np.mean(x),
        "That is the sample mean x̄, the maximum-likelihood *mean* when μ is "
        "unknown. The question asks for the variance σ̂², with μ = 4 known.",
    ),
    m.missing_minus(
        "Your result has the right size but the wrong sign. A variance is an "
        "average of squares and is never negative."
    ),
]


# -- q2: the Gaussian MLE from counts ---------------------------------------------------------


def mle_from_counts(values, counts):
    """Mean and 1/N variance of the data ``values`` repeated ``counts`` times."""
    values, counts = np.asarray(values, dtype=float), np.asarray(counts, dtype=float)
    weights = counts / counts.sum()
    mean = np.sum(weights * values)
    return np.array([mean, np.sum(weights * (values - mean) ** 2)])


def _counts_ignored(reference):
    return lambda values, counts: np.array([np.mean(values), np.var(values)])


def _divided_by_distinct_values(reference):
    def mistaken(values, counts):
        values, counts = np.asarray(values, dtype=float), np.asarray(counts, dtype=float)
        mean = np.sum(counts * values) / len(values)
        return np.array([mean, np.sum(counts * (values - mean) ** 2) / len(values)])

    return mistaken


def _unbiased_from_counts(reference):
    def mistaken(values, counts):
        mean, var = reference(values, counts)
        n = np.sum(counts)
        return np.array([mean, var * n / (n - 1)])

    return mistaken


def _std_from_counts(reference):
    def mistaken(values, counts):
        mean, var = reference(values, counts)
        return np.array([mean, np.sqrt(var)])

    return mistaken


def _not_centred_from_counts(reference):
    def mistaken(values, counts):
        mean, _ = reference(values, counts)
        weights = np.asarray(counts, dtype=float) / np.sum(counts)
        return np.array([mean, np.sum(weights * np.asarray(values, dtype=float) ** 2)])

    return mistaken


COUNTS_MISTAKES = [
    m.Mistake(
        "counts ignored",
        "Your function treats each distinct value once, as if it had been seen "
        "once. The empirical distribution gives a value seen k times the "
        "probability k/N: weight each value by its count (or rebuild the data with "
        "np.repeat(values, counts)).",
        _counts_ignored,
    ),
    m.Mistake(
        "divided by the number of distinct values",
        "You divided by the number of distinct values, len(values). N is the number "
        "of data points, counts.sum(): each value has probability count/N.",
        _divided_by_distinct_values,
    ),
    m.Mistake(
        "unbiased variance",
        "Your variance divides by N − 1 (the unbiased estimate). The "
        "maximum-likelihood variance divides by N, the number of data points.",
        _unbiased_from_counts,
    ),
    m.Mistake(
        "standard deviation for variance",
        "Your second number is the standard deviation σ̂; the function should "
        "return the variance σ̂² (square it).",
        _std_from_counts,
    ),
    m.Mistake(
        "variance not centred",
        "Your second number is the average of the squared values, not of "
        "(value − μ̂)²: subtract the mean before squaring.",
        _not_centred_from_counts,
    ),
]


# -- q3: the NLL's minimum against the cross-entropy's ------------------------------------------


def minimum_offset(x, sigma):
    """min over μ of the mean NLL of N(μ, σ²) minus min over μ of H(P, Q) for P = N(0, 1).

    NLL(μ) = ½ log(2πσ²) + (S + (x̄ − μ)²)/(2σ²) is lowest at μ = x̄, H(P, Q) =
    ½ log(2πσ²) + (1 + μ²)/(2σ²) at μ = 0: the difference is (S − 1)/(2σ²).
    """
    return (np.var(x) - 1.0) / (2 * sigma**2)


def _nll(x, mu, sigma):
    x = np.asarray(x, dtype=float)
    return 0.5 * np.log(2 * np.pi * sigma**2) + np.mean((x - mu) ** 2) / (2 * sigma**2)


def _cross_entropy_from_source(mu, sigma):
    """H(P, Q) for P = N(0, 1) and Q = N(mu, sigma²)."""
    return 0.5 * np.log(2 * np.pi * sigma**2) + (1.0 + mu**2) / (2 * sigma**2)


OFFSET_MISTAKES = [
    m.missing_minus(
        "Your result has the right size but the wrong sign. The question asks for "
        "min NLL − min H(P, Q): which of the two minima is lower here?"
    ),
    m.confused_with(
        "unbiased variance",
        lambda x, s: (np.var(x, ddof=1) - 1) / (2 * s**2),
        "You used the unbiased variance (÷ N − 1). The NLL is an average over the "
        "N data points: its squared term is (1/N) Σ (xᵢ − μ)², so S divides by N.",
    ),
    m.confused_with(
        "compared at the same μ",
        lambda x, s: _nll(x, np.mean(x), s) - _cross_entropy_from_source(np.mean(x), s),
        "That compares the two curves at the same μ = x̄. The question compares their "
        "lowest points, which lie at different μ: x̄ for the NLL, 0 for the "
        "cross-entropy.",
    ),
    m.confused_with(
        "compared at μ = 0",
        lambda x, s: _nll(x, 0.0, s) - _cross_entropy_from_source(0.0, s),
        "That compares the two curves at μ = 0, where the cross-entropy is lowest "
        "but the NLL is not. The NLL is lowest at the MLE μ̂ = x̄.",
    ),
    m.confused_with(
        "against the KL",
        lambda x, s: _nll(x, np.mean(x), s),
        "That is the NLL's minimum itself, or its height above the minimum of the "
        "KL, which is 0. The question compares it with the cross-entropy "
        "H(P, Q) = KL(P‖Q) + h(P), which lies h(P) higher.",
    ),
    m.confused_with(
        "missing ½",
        lambda x, s: (np.var(x) - 1) / s**2,
        "Twice the answer: both curves have the squared term divided by 2σ², so the "
        "difference of their minima is (S − 1)/(2σ²).",
    ),
    m.bits_for_nats(),
]


# -- q4, q5: what the NLL is, for discrete and for continuous data ------------------------------


def best_mean_nll(counts):
    """The smallest average NLL of a categorical model: the entropy of the frequencies."""
    counts = np.asarray(counts, dtype=float)
    return info.entropy(counts / counts.sum())


BEST_NLL_MISTAKES = [
    m.bits_for_nats(),
    m.missing_minus(NLL_SIGN),
    m.sum_for_mean(lambda counts: int(np.sum(counts))),
    m.confused_with(
        "the fair model",
        lambda counts: np.log(len(counts)),
        "That is the average NLL of the fair model q = (⅓, ⅓, ⅓): ln 3 for any "
        "rolls. Another model does better on these rolls.",
    ),
    m.confused_with(
        "the KL at the best model",
        lambda counts: 0.0,
        "At the best model the *KL* from the data's frequencies is 0, but the NLL "
        "is that KL plus a constant that no model can remove.",
    ),
]


def nll_limit(mu, sigma):
    """The limit of the average NLL of N(mu, sigma²) on data from N(0, 1): H(P, Q)."""
    return _cross_entropy_from_source(mu, sigma)


NLL_LIMIT_MISTAKES = [
    m.confused_with(
        "the KL",
        lambda mu, s: gaussian_kl(SOURCE, Gaussian(mu, s)),
        "That is the forward KL(P‖Q). The average NLL estimates the cross-entropy "
        "H(P, Q) = KL(P‖Q) + h(P), which lies h(P) = ½ ln(2πe) above it.",
    ),
    m.confused_with(
        "the entropy of the source",
        lambda mu, s: float(gaussian_entropy(1.0)),
        "That is h(P), the limit for the model Q = P. This Q differs from P: its "
        "average NLL approaches H(P, Q) = KL(P‖Q) + h(P).",
    ),
    m.Predicate(
        "infinite",
        "KL(P_D‖Q) is infinite, but the average NLL is finite for every N: "
        "−(1/N) Σ log q(xᵢ) with q(xᵢ) > 0. By the law of large numbers it "
        "approaches an expectation under the source P.",
        lambda result, args, expected: bool(np.all(np.isinf(result))),
        lambda reference: lambda mu, s: np.inf,
    ),
    m.confused_with(
        "variance passed as σ",
        lambda mu, s: _cross_entropy_from_source(mu, s**2),
        "That is the limit for a model whose *standard deviation* is 4: the variance "
        "σ² = 4 went where σ goes. N(1, 2²) has σ = 2.",
    ),
    m.confused_with(
        "the roles swapped",
        lambda mu, s: 0.5 * np.log(2 * np.pi) + (s**2 + mu**2) / 2,
        "That is H(Q, P) = ⟨−log p(x)⟩_q, with the roles of source and model swapped "
        "(here it equals the limit for N(2, 1²), the model with μ and σ swapped). "
        "The data come from P = N(0, 1) and the NLL scores them with "
        "Q = N(1, 2²): ⟨−log q(x)⟩_p.",
    ),
    m.confused_with(
        "2π left out",
        lambda mu, s: _cross_entropy_from_source(mu, s) - 0.5 * np.log(2 * np.pi),
        "The 2π is missing: −log q(x) = ½ log(2πσ²) + (x − μ)²/(2σ²), and the "
        "½ log(2π) does not cancel here (it adds ½ log(2π) ≈ 0.919 nats).",
    ),
    m.confused_with(
        "divided by 2σ",
        lambda mu, s: 0.5 * np.log(2 * np.pi * s**2) + (1 + mu**2) / (2 * s),
        "The squared term divides by 2σ², not 2σ: "
        "−log q(x) = ½ log(2πσ²) + (x − μ)²/(2σ²), with σ² = 4.",
    ),
    m.confused_with(
        "the mean left out",
        lambda mu, s: _cross_entropy_from_source(0.0, s),
        "That leaves out the model's mean: under P = N(0, 1), ⟨(x − μ)²⟩ = 1 + μ², not 1.",
    ),
    m.bits_for_nats(),
]


# -- q6: where the maximum-likelihood Gaussian is densest --------------------------------------


def density_ratio(x, at_gap, at_cluster):
    """Density of the maximum-likelihood Gaussian of x at ``at_gap`` over that at ``at_cluster``."""
    fit = Gaussian(np.mean(x), np.std(x))
    return float(fit.pdf(at_gap) / fit.pdf(at_cluster))


def _ratio_under(x, at_gap, at_cluster, mean, std):
    fit = Gaussian(mean, std)
    return float(fit.pdf(at_gap) / fit.pdf(at_cluster))


RATIO_MISTAKES = [
    m.confused_with(
        "ratio upside down",
        lambda x, a, b: 1 / density_ratio(x, a, b),
        "That is the ratio upside down: the density at 2.5 divided by the density "
        "at 0. The question asks how many times larger the density at 0 is.",
    ),
    m.confused_with(
        "the log of the ratio",
        lambda x, a, b: np.log(density_ratio(x, a, b)),
        "That is the logarithm of the ratio, log q(0) − log q(2.5). Exponentiate it "
        "to get the ratio itself.",
    ),
    m.confused_with(
        "unbiased variance",
        lambda x, a, b: _ratio_under(x, a, b, np.mean(x), np.std(x, ddof=1)),
        "That uses the unbiased variance (÷ N − 1). The maximum-likelihood fit has "
        "σ̂² = (1/N) Σ (xᵢ − x̄)², np.var(x).",
    ),
    m.confused_with(
        "variance passed as σ",
        lambda x, a, b: _ratio_under(x, a, b, np.mean(x), np.var(x)),
        "That is the ratio for a Gaussian whose *standard deviation* is σ̂²: the "
        "variance went where σ goes. Use σ̂ = √σ̂² (np.std(x)).",
    ),
    m.confused_with(
        "fitted to one cluster",
        lambda x, a, b: _ratio_under(x, a, b, np.mean(x[x > 0]), np.std(x[x > 0])),
        "That is the ratio for a Gaussian fitted to the right cluster alone. Maximum "
        "likelihood with one Gaussian must explain every point, so it matches the "
        "mean and variance of all six.",
    ),
]
