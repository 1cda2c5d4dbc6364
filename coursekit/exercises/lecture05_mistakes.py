"""Exact answers and mistake rules of the exercises of lecture 05 (``lecture05`` holds the
prompts, hints and solutions, and the data the exercises are asked on)."""

import numpy as np

from coursekit import info
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian, gaussian_entropy

#: The source P = N(0, 1) of the data of exercises 3 and 5.
SOURCE = Gaussian(0.0, 1.0)
#: h(P) = ½ ln(2πe), the differential entropy of the source.
H_SOURCE = float(gaussian_entropy(1.0))

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


def _counted(mean_by: str, var_by: str):
    """A mistaken mle_from_counts: the mean and the variance each divide the count-weighted
    sum by N (``"N"``) or by the number of distinct values (``"distinct"``), or the mean is
    the plain average of the distinct values (``"unweighted"``)."""

    def mistaken(values, counts):
        values, counts = np.asarray(values, dtype=float), np.asarray(counts, dtype=float)
        by = {"N": counts.sum(), "distinct": len(values)}
        mean = np.mean(values) if mean_by == "unweighted" else counts @ values / by[mean_by]
        return np.array([mean, counts @ (values - mean) ** 2 / by[var_by]])

    return lambda reference: mistaken


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
        _counted("distinct", "distinct"),
    ),
    m.Mistake(
        "variance divided by the number of distinct values",
        "Your mean is right, but your variance divides the weighted sum of squares by the "
        "number of distinct values, len(values). Like the mean, it is an average over the "
        "N = counts.sum() data points: divide by N (weights count/N).",
        _counted("N", "distinct"),
    ),
    m.Mistake(
        "mean divided by the number of distinct values",
        "Your mean divides Σ count·value by the number of distinct values, len(values); "
        "N = counts.sum() data points were seen, so divide by N (weights count/N).",
        _counted("distinct", "N"),
    ),
    m.Mistake(
        "unweighted mean",
        "Your variance weights the values by their counts, but your mean is the plain "
        "average of the distinct values, as if each had been seen once. The mean is an "
        "average over the data too: μ̂ = Σ (count/N) value.",
        _counted("unweighted", "N"),
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


def _cross_entropy_from_source(mu, var):
    """H(P, Q) for P = N(0, 1) and Q = N(mu, var), var a variance."""
    return 0.5 * np.log(2 * np.pi * var) + (1.0 + mu**2) / (2 * var)


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
        lambda x, s: _nll(x, np.mean(x), s) - _cross_entropy_from_source(np.mean(x), s**2),
        "That compares the two curves at the same μ = x̄. The question compares their "
        "lowest points, which lie at different μ: x̄ for the NLL, 0 for the "
        "cross-entropy.",
    ),
    m.confused_with(
        "compared at μ = 0",
        lambda x, s: _nll(x, 0.0, s) - _cross_entropy_from_source(0.0, s**2),
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
    m.confused_with(
        "h(P)",
        lambda x, s: H_SOURCE,
        "That is h(P) = ½ ln(2πe), the constant gap between the cross-entropy and the *KL*. "
        "The question compares the NLL with the cross-entropy itself: two parabolas of the "
        "same curvature, each with its own lowest point. How high is each?",
    ),
    m.bits_for_nats(),
]


# -- q4: how much the best categorical model gains over a given one ----------------------------


def _frequencies(counts):
    counts = np.asarray(counts, dtype=float)
    return counts / counts.sum()


def _mean_nll(counts, q):
    """The average NLL of the categorical model q on rolls with these counts: H(P_D, Q)."""
    return info.cross_entropy(_frequencies(counts), q)


def nll_drop(counts, q):
    """How much lower the best model's average NLL is than q's: NLL(q) − H(P_D) = KL(P_D‖q)."""
    return info.kl_divergence(_frequencies(counts), q)


NLL_DROP_MISTAKES = [
    m.bits_for_nats(),
    m.missing_minus(
        "Your result has the right size but the wrong sign: that is best − q. The question "
        "asks how far the best model *lowers* the NLL, NLL(q) − NLL(best), which is positive."
    ),
    m.sum_for_mean(lambda counts, q: int(np.sum(counts))),
    m.confused_with(
        "the reverse KL",
        lambda counts, q: info.kl_divergence(q, _frequencies(counts)),
        "That is KL(Q‖P_D), the divergence with the roles swapped. The NLL averages −log q "
        "over the *rolls*, that is under P_D: the drop is KL(P_D‖Q) = Σ p_D log(p_D/q).",
    ),
    m.confused_with(
        "the NLL of q",
        _mean_nll,
        "That is q's own average NLL, H(P_D, Q). The question asks how much lower the best "
        "model's is: subtract the NLL of the best model.",
    ),
    m.confused_with(
        "the best model's NLL",
        lambda counts, q: info.entropy(_frequencies(counts)),
        "That is the average NLL of the best model, the entropy H(P_D) of the frequencies. "
        "The question asks for the *difference* between q's NLL and that one.",
    ),
    m.confused_with(
        "the gain over the fair model",
        lambda counts, q: np.log(len(counts)) - info.entropy(_frequencies(counts)),
        "That is how far the best model lowers the NLL of the *fair* model (⅓, ⅓, ⅓), "
        "ln 3 − H(P_D). The question starts from q = (0.25, 0.25, 0.5).",
    ),
    m.confused_with(
        "the likelihood ratio",
        lambda counts, q: np.exp(np.sum(counts) * nll_drop(counts, q)),
        "That is how many times more *likely* the rolls are under the best model than under "
        "q: e to the power N·(drop). The question asks for the drop of the *average* NLL, "
        "in nats.",
    ),
    m.confused_with(
        "log base 10",
        lambda counts, q: nll_drop(counts, q) / np.log(10),
        "Your logarithms are base 10 (np.log10): nats use the natural log, np.log.",
    ),
]


# -- q5: where the average NLL of a fitted model goes as N grows ---------------------------------


def fitted_nll_limit(mu):
    """The limit of the average NLL of N(mu, σ̂²), mu fixed and σ̂ fitted by maximum
    likelihood, on data from N(0, 1): σ̂² → ⟨(x − mu)²⟩_p = 1 + mu², and the NLL →
    min over σ of H(P, Q) = ½ log(2π(1 + mu²)) + ½."""
    return _cross_entropy_from_source(mu, 1.0 + mu**2)


def _wrong_variance(name, variance, message):
    """Two rules for a wrong fitted variance v: put into ½ log(2πv) + ½ (the MLE's NLL, as
    if v were right) or into H(P, Q) = ½ log(2πv) + ⟨(x − μ)²⟩_p/(2v)."""
    return [
        m.confused_with(name, lambda mu: 0.5 * np.log(2 * np.pi * variance(mu)) + 0.5, message),
        m.confused_with(name, lambda mu: _cross_entropy_from_source(mu, variance(mu)), message),
    ]


LIMIT_MISTAKES = [
    m.confused_with(
        "σ not fitted",
        lambda mu: _cross_entropy_from_source(mu, 1.0),
        "That is the limit for σ = 1, the source's standard deviation. But σ is fitted: "
        "with the mean held at 2, maximum likelihood matches the average of (x − 2)², which "
        "is not 1.",
    ),
    *_wrong_variance(
        "the source's variance left out",
        lambda mu: mu**2,
        "Your fitted variance is μ² = 4, the squared offset of the mean alone. Under "
        "P = N(0, 1), ⟨(x − μ)²⟩ = Var(x) + (0 − μ)² = 1 + μ²: the source's own spread adds.",
    ),
    *_wrong_variance(
        "μ not squared",
        lambda mu: 1.0 + mu,
        "Your fitted variance is 1 + μ = 3; it is ⟨(x − μ)²⟩ = 1 + μ² = 5 (the mean is off "
        "by μ, and that offset enters squared).",
    ),
    m.confused_with(
        "the KL",
        lambda mu: fitted_nll_limit(mu) - H_SOURCE,
        "That is the forward KL(P‖Q̂) of the fitted model. The average NLL estimates the "
        "cross-entropy H(P, Q) = KL(P‖Q) + h(P), which lies h(P) = ½ ln(2πe) higher.",
    ),
    m.confused_with(
        "the reverse KL",
        lambda mu: 0.5 * (1 + mu**2 + mu**2 - 1 - np.log(1 + mu**2)),
        "That is KL(Q̂‖P), a KL with the roles swapped, and a KL besides. The average NLL "
        "averages −log q̂ over data from P: it approaches H(P, Q̂) = KL(P‖Q̂) + h(P).",
    ),
    m.confused_with(
        "the mean fitted too",
        lambda mu: H_SOURCE,
        "That is h(P), the limit when the mean is fitted as well (then Q̂ → P). Here the "
        "mean is held at 2, and the best σ̂ must make up for it.",
    ),
    m.Predicate(
        "infinite",
        "KL(P_D‖Q) is infinite, but the average NLL is finite for every N: "
        "−(1/N) Σ log q(xᵢ) with q(xᵢ) > 0. By the law of large numbers it "
        "approaches an expectation under the source P.",
        lambda result, args, expected: bool(np.all(np.isinf(result))),
        lambda reference: lambda mu: np.inf,
    ),
    m.confused_with(
        "variance used as σ",
        lambda mu: 0.5 * np.log(2 * np.pi * (1 + mu**2) ** 2) + 1 / (2 * (1 + mu**2)),
        "You found σ̂² = 5 and then used 5 as the standard deviation (σ² = 25 in the "
        "formula). 5 is the variance: −log q(x) = ½ log(2π·5) + (x − 2)²/(2·5).",
    ),
    m.confused_with(
        "the roles swapped",
        lambda mu: 0.5 * np.log(2 * np.pi) + (1 + 2 * mu**2) / 2,
        "That is H(Q̂, P) = ⟨−log p(x)⟩ under the model, with the roles of source and "
        "model swapped. The data come from P and the NLL scores them with Q̂: ⟨−log q̂(x)⟩_p.",
    ),
    m.confused_with(
        "½ missing before the log",
        lambda mu: 2 * fitted_nll_limit(mu) - 0.5,
        "The log term of a Gaussian is ½ log(2πσ²), with a ½: "
        "−log q(x) = ½ log(2πσ²) + (x − μ)²/(2σ²).",
    ),
    m.confused_with(
        "the ½ left out",
        lambda mu: fitted_nll_limit(mu) - 0.5,
        "That is ½ log(2πσ̂²) alone. The squared term adds ⟨(x − 2)²⟩/(2σ̂²) = ½ at the "
        "fitted σ̂² = ⟨(x − 2)²⟩ (as for the lecture's MLE, whose NLL is ½ log(2πσ̂²) + ½).",
    ),
    m.confused_with(
        "2π left out",
        lambda mu: fitted_nll_limit(mu) - 0.5 * np.log(2 * np.pi),
        "The 2π is missing: −log q(x) = ½ log(2πσ²) + (x − μ)²/(2σ²), and the "
        "½ log(2π) does not cancel here (it adds ½ log(2π) ≈ 0.919 nats).",
    ),
    m.missing_minus(NLL_SIGN),
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
        "the 2 of 2σ² left out",
        lambda x, a, b: np.exp(((b - np.mean(x)) ** 2 - (a - np.mean(x)) ** 2) / np.var(x)),
        "That is the ratio with (x − μ̂)²/σ̂² in the exponent: the Gaussian's exponent is "
        "−(x − μ̂)²/(2σ̂²), with a 2 in the denominator.",
    ),
    m.confused_with(
        "σ̂ where σ̂² goes",
        lambda x, a, b: np.exp(((b - np.mean(x)) ** 2 - (a - np.mean(x)) ** 2) / (2 * np.std(x))),
        "Your exponent divides by 2σ̂, not 2σ̂²: the Gaussian's exponent is "
        "−(x − μ̂)²/(2σ̂²), with the variance σ̂² = np.var(x) in the denominator.",
    ),
    m.confused_with(
        "fitted to one cluster",
        lambda x, a, b: _ratio_under(x, a, b, np.mean(x[x > 0]), np.std(x[x > 0])),
        "That is the ratio for a Gaussian fitted to the right cluster alone. Maximum "
        "likelihood with one Gaussian must explain every point, so it matches the "
        "mean and variance of all six.",
    ),
]
