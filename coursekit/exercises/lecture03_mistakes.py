"""Exact answers and mistake rules of the exercises of lecture 03 (``lecture03`` holds the
prompts, hints and solutions, and the numbers and test cases the exercises are asked on)."""

import numpy as np
from scipy.optimize import brentq

from coursekit import info
from coursekit.estimators import kl_estimators
from coursekit.exercises import mistakes as m

# q6: a coin that always lands heads, (heads, tails) = (1, 0).
ALWAYS_HEADS = np.array([1.0, 0.0])


def coin(p):
    """A coin as a probability vector (heads, tails) = (p, 1 − p)."""
    return np.array([p, 1 - p])


def _upper_root(f, target):
    """The a in (½, 1) with f(a) = target (f monotone there)."""
    return brentq(lambda a: f(a) - target, 0.5, 1 - 1e-15, xtol=1e-15)


# -- q1: the bias of a coin from its KL to a fair coin -------------------------------------------
def bias_from_kl(kl_bits):
    """a > ½ with KL(Bernoulli(a) ‖ fair coin) = kl_bits: 1 bit − H₂(a) = kl_bits."""
    return _upper_root(lambda a: info.bernoulli_kl(a, 0.5, base=2), kl_bits)


def _bias_from_entropy(kl_bits):
    return _upper_root(lambda a: info.binary_entropy(a, base=2), kl_bits)


def _bias_from_kl_in_nats(kl_bits):
    return _upper_root(lambda a: info.bernoulli_kl(a, 0.5), kl_bits)


def _bias_from_reverse_kl(kl_bits):
    return _upper_root(lambda a: info.bernoulli_kl(0.5, a, base=2), kl_bits)


BIAS_MISTAKES = [
    m.Mistake(
        "the root below ½",
        "Your coin favours tails. Exchanging heads and tails does not change the "
        "divergence from a fair coin, so the equation has a root a on each side of "
        "½; the question asks for the one above ½.",
        lambda reference: lambda kl: 1 - reference(kl),
    ),
    m.confused_with(
        "entropy set to the KL",
        _bias_from_entropy,
        "Your coin has *entropy* 0.2 bits. The divergence from the fair coin is the "
        "entropy *missing* from the maximum: D_KL(P‖U) = H(P, U) − H(P) = 1 bit − "
        "H₂(a), because the believer in U pays log₂ 2 = 1 bit on every toss. So "
        "H₂(a) = 0.8 bits.",
    ),
    m.confused_with(
        "0.2 nats",
        _bias_from_kl_in_nats,
        "Your coin has a divergence of 0.2 *nats* from the fair coin (you used the "
        "natural log). The question gives 0.2 bits: use np.log2, or ln 2 − H(a) in "
        "nats = 0.2 × ln 2.",
    ),
    m.confused_with(
        "swapped arguments",
        _bias_from_reverse_kl,
        "Your a makes D_KL(U‖P) = 0.2 bits: the divergence with the two coins "
        "swapped. The excess surprise of the believer in U, on tosses of the real "
        "coin P, is averaged under P: D_KL(P‖U) = Σ p log₂(p/u).",
    ),
]


# -- q2: KL of two probability vectors (the reference is info.kl_divergence) ---------------------
KL_MISTAKES = [
    m.swapped_arguments("KL(P‖Q)"),
    m.bits_for_nats(),
    m.missing_minus(
        "Your results are minus the KL: you averaged log(q/p), the ratio upside "
        "down. KL(P‖Q) = Σ p log(p/q), and it is never negative."
    ),
    m.nan_from_zero_log_zero(),
    m.confused_with(
        "cross-entropy instead of KL",
        info.cross_entropy,
        "Your function returns the cross-entropy H(P, Q) = −Σ p log q, the whole "
        "average surprise of the believer in Q. KL is the *excess* over what the "
        "believer in P pays: KL(P‖Q) = H(P, Q) − H(P) = Σ p log(p/q).",
    ),
]


# -- q3: the mean of q = N(μ, σ²) from KL(q ‖ N(0, 1)) -------------------------------------------
def mean_from_kl(kl, std):
    """μ > 0 with ½(μ² + σ² − 1 − ln σ²) = kl."""
    return np.sqrt(2 * kl - (std**2 - 1 - np.log(std**2)))


def _root(square):
    """√square, NaN when a mistaken formula has no real solution."""
    with np.errstate(invalid="ignore"):
        return np.sqrt(square)


# Each wrong formula solved for μ. In the general form the right one reads
# KL = ln(σ_q/σ_p) + (σ_p² + μ²)/(2σ_q²) − ½ with σ_p = σ and σ_q = 1.
PRIOR_MEAN_MISTAKES = [
    m.Mistake(
        "μ² for μ",
        "Your answer is μ², not μ: take the square root of what you solved for.",
        lambda reference: lambda kl, std: reference(kl, std) ** 2,
    ),
    m.Mistake(
        "the negative root",
        "The KL depends on μ only through μ², so −μ gives the same divergence; the question asks "
        "for the root with μ > 0.",
        lambda reference: lambda kl, std: -reference(kl, std),
    ),
    m.variance_passed_as_std(position=1),
    m.std_passed_as_variance(position=1),
    m.confused_with(
        "log term upside down",
        lambda kl, std: _root(2 * (kl - np.log(std)) + 1 - std**2),
        "Your μ solves the formula with ln(σ_p/σ_q) where it has ln(σ_q/σ_p): the log term is "
        "upside down. Here σ_q = 1 and σ_p = 0.5, so the term is ln(1/0.5) = +ln 2: a q narrower "
        "than the prior pays for it.",
    ),
    m.confused_with(
        "−½ forgotten",
        lambda kl, std: _root(2 * (kl + np.log(std)) - std**2),
        "Your μ solves the general formula without its final −½. KL(N(μ_p, σ_p²) ‖ "
        "N(μ_q, σ_q²)) = ln(σ_q/σ_p) + (σ_p² + (μ_p − μ_q)²)/(2σ_q²) − ½; the −½ is what makes "
        "the KL zero when the two Gaussians are equal.",
    ),
    m.confused_with(
        "σ_p not squared",
        lambda kl, std: _root(2 * (kl + np.log(std)) + 1 - std),
        "Your μ solves the formula with σ_p where it has σ_p²: the term (σ_p² + (μ_p − μ_q)²)/"
        "(2σ_q²) takes the variance 0.25 of q, not its standard deviation 0.5.",
    ),
    m.confused_with(
        "ln of the variances in the general form",
        lambda kl, std: _root(2 * (kl + 2 * np.log(std)) + 1 - std**2),
        "Your μ solves the general formula with ln(σ_q²/σ_p²) for its log term. That term is "
        "ln(σ_q/σ_p), of the standard deviations (the ½ ln of the variances): with σ_q = 1 it "
        "is ln(1/0.5) = ln 2.",
    ),
    m.confused_with(
        "ln σ for ln σ²",
        lambda kl, std: _root(2 * kl - (std**2 - 1 - np.log(std))),
        "Your μ solves ½(μ² + σ² − 1 − ln σ) = 1.5: the formula has ln σ² = 2 ln σ, the log of "
        "the variance, like the σ² beside it.",
    ),
    m.confused_with(
        "missing ½",
        lambda kl, std: _root(kl - (std**2 - 1 - np.log(std**2))),
        "Your μ solves μ² + σ² − 1 − ln σ² = 1.5, without the ½ in front: the KL is "
        "½(μ² + σ² − 1 − ln σ²), so μ² + σ² − 1 − ln σ² = 2 × 1.5 = 3.",
    ),
    m.confused_with(
        "reverse KL",
        lambda kl, std: _root(2 * std**2 * (kl - np.log(std) + 0.5) - 1),
        "Your μ makes KL(N(0, 1) ‖ N(μ, 0.5²)) equal 1.5 nats: the divergence the other way "
        "round. The question is about KL(q ‖ prior) = KL(N(μ, 0.5²) ‖ N(0, 1)), for which "
        "KL = ½(μ² + σ² − 1 − ln σ²).",
    ),
]


# -- q5: a path of small KLs ---------------------------------------------------------------------
def steps_for_total(total, shift):
    """n equal steps from N(0, 1) to N(shift, 1): each costs (shift/n)²/2, together shift²/(2n)."""
    return shift**2 / (2 * total)


PATH_MISTAKES = [
    m.confused_with(
        "intermediate Gaussians",
        lambda total, shift: steps_for_total(total, shift) - 1,
        "That is the number of Gaussians *between* P and R. A path with that many "
        "stops in between has one step more.",
    ),
    m.confused_with(
        "KL without ½",
        lambda total, shift: shift**2 / total,
        "Your n uses a KL of (Δμ)² for a step of Δμ. Between two Gaussians of "
        "standard deviation 1 it is (Δμ)²/2: KL(N(0,1)‖N(2,1)) = 2 nats, not 4.",
    ),
    m.confused_with(
        "one step for the path",
        lambda total, shift: shift / np.sqrt(2 * total),
        "Your n makes *one* step cost 0.75 nats. The question adds up all n steps: n × (3/n)²/2.",
    ),
]


# -- q6: the coin whose JS divergence from "always heads" is a fraction of its bound -------------
def _js_from_always_heads(b, base=2):
    return info.js_divergence(ALWAYS_HEADS, coin(b), base=base)


def _lower_root(f, target):
    """The b in (0, 1) with f(b) = target (f decreasing from its value at 0 to 0 at 1)."""
    return brentq(lambda b: f(b) - target, 1e-15, 1 - 1e-15, xtol=1e-15)


def js_coin(fraction):
    """b with JS(always heads, Bernoulli(b)) = fraction × its maximum, log 2 = 1 bit."""
    return _lower_root(_js_from_always_heads, fraction)


def _js_coin_max_one_nat(fraction):
    return _lower_root(lambda b: _js_from_always_heads(b, base=None), fraction)


def _js_coin_distance(fraction):
    return _lower_root(lambda b: np.sqrt(_js_from_always_heads(b)), fraction)


def _js_coin_without_halves(fraction):
    return _lower_root(lambda b: 2 * _js_from_always_heads(b), fraction)


def _js_coin_kl(fraction):
    return _lower_root(lambda b: info.kl_divergence(ALWAYS_HEADS, coin(b), base=2), fraction)


JS_COIN_MISTAKES = [
    m.Mistake(
        "b as the probability of tails",
        "Your b is the probability of *tails* of the right coin. Q = Bernoulli(b) "
        "lands heads with probability b: Q = (b, 1 − b) over (heads, tails).",
        lambda reference: lambda fraction: 1 - reference(fraction),
    ),
    m.confused_with(
        "maximum of 1 nat",
        _js_coin_max_one_nat,
        "Your b makes JS = 0.25 *nats*. The largest JS is log 2: 1 bit, or "
        "ln 2 ≈ 0.693 nats, so a quarter of it is 0.25 bits = ¼ ln 2 nats.",
    ),
    m.confused_with(
        "Jensen–Shannon distance",
        _js_coin_distance,
        "Your b makes the square root √JS equal 0.25 (in bits): that is the "
        "Jensen–Shannon *distance* of scipy.spatial.distance.jensenshannon. The "
        "question is about the divergence JS itself.",
    ),
    m.confused_with(
        "without the halves",
        _js_coin_without_halves,
        "Your b makes KL(P‖M) + KL(Q‖M) equal a quarter bit: JS = ½ KL(P‖M) + "
        "½ KL(Q‖M) averages the two divergences to the mixture M; it does not add "
        "them.",
    ),
    m.confused_with(
        "KL instead of JS",
        _js_coin_kl,
        "Your b makes D_KL(P‖Q) = 0.25 bits. The question asks about the "
        "Jensen–Shannon divergence, which compares both coins with their mixture "
        "M = (P + Q)/2. (D_KL(Q‖P) would be infinite here: Q produces tails, which "
        "P calls impossible. JS never is.)",
    ),
]


# -- q7: the estimators of KL(q‖p) from samples of q (goal 5) -----------------------------------
def estimates(log_p, log_q):
    """The k1, k2, k3 estimates of KL(q‖p): each per-sample term averaged over the samples."""
    terms = kl_estimators(log_p, log_q)
    return np.array([terms[name].mean() for name in ("k1", "k2", "k3")])


def _with_terms(k1=None, k2=None, k3=None):
    """A mistake that replaces some of the three averaged terms (functions of log r)."""

    def transform(reference):
        def mistaken(log_p, log_q):
            right = reference(log_p, log_q)
            log_r = np.asarray(log_p, dtype=float) - np.asarray(log_q, dtype=float)
            made = [k1, k2, k3]
            return np.array(
                [np.mean(f(log_r)) if f else right[i] for i, f in enumerate(made)], dtype=float
            )

        return mistaken

    return transform


ESTIMATOR_MISTAKES = [
    m.Mistake(
        "k1 with the wrong sign",
        "Your k1 has the wrong sign: it averages log r = log p − log q. k1 = "
        "−log r = log q − log p, because KL(Q‖P) averages log(q/p) under Q.",
        _with_terms(k1=lambda log_r: log_r),
    ),
    m.Mistake(
        "log ratio upside down",
        "Your numbers are what you get with log r = log q − log p. The ratio is "
        "r = p/q, so log r = log p − log q, and k1 = −log r = log q − log p, whose "
        "average over samples of Q is KL(Q‖P).",
        lambda reference: lambda log_p, log_q: reference(log_q, log_p),
    ),
    m.sum_for_mean(lambda log_p, log_q: len(log_p)),
    m.Mistake(
        "k2 without its ½",
        "Your k2 is twice the right value: k2 = ½ (log r)². The ½ is what makes its "
        "average match the KL to second order, KL ≈ ½ ⟨(log r)²⟩.",
        _with_terms(k2=lambda log_r: log_r**2),
    ),
    m.Mistake(
        "k3 without r − 1",
        "Your k3 equals k1. k3 = (r − 1) − log r adds r − 1 = p/q − 1 to k1 "
        "(r = np.exp(log_p − log_q)): a term of mean zero that makes every "
        "term ≥ 0 and cancels most of k1's noise.",
        _with_terms(k3=lambda log_r: -log_r),
    ),
    m.Mistake(
        "k3 with + log r",
        "Your k3 adds log r: k3 = (r − 1) − log r, which is k1 = −log r plus the "
        "mean-zero term r − 1.",
        _with_terms(k3=lambda log_r: np.expm1(log_r) + log_r),
    ),
    m.Mistake(
        "k3 with the wrong sign",
        "Your k3 is minus the right one: log r − (r − 1) is never positive "
        "(log r ≤ r − 1). k3 = (r − 1) − log r.",
        _with_terms(k3=lambda log_r: log_r - np.expm1(log_r)),
    ),
    m.Mistake(
        "k3 = log r − 1",
        "Your k3 is log r − 1: it has lost the ratio r itself. k3 = (r − 1) − log r, "
        "with r = np.exp(log_p − log_q).",
        _with_terms(k3=lambda log_r: log_r - 1),
    ),
]


# -- q8: the sample size for a k1 estimate -------------------------------------------------------
def samples_for_k1(mu, relative_std):
    """n for which the k1 estimate of KL(N(0,1)‖N(μ,1)) has std = relative_std × KL.

    Per term std(k1) = |μ| and KL = μ²/2, so std/KL = 2/|μ| per term and (2/|μ|)/√n for
    an average of n terms.
    """
    return (2 / abs(mu) / relative_std) ** 2


def _k3_per_term_ratio(mu):
    return np.sqrt(np.expm1(mu**2) - mu**2) / (mu**2 / 2)


def _near_whole_number(result, args, expected):
    return result.ndim == 0 and 0 < abs(float(result) - float(expected)) <= 2.5


SAMPLE_SIZE_MISTAKES = [
    m.Mistake(
        "square root of n",
        "Your answer is √n, not n. An average of n independent terms has a "
        "standard deviation √n times smaller than one term (not n times), so "
        "n = (per-term std ÷ wanted std)².",
        lambda reference: lambda mu, target: np.sqrt(reference(mu, target)),
    ),
    m.confused_with(
        "relative spread 2 per term",
        lambda mu, target: (2 / target) ** 2,
        "Your answer uses a per-term spread of 2 × the KL. At μ = 0.5 one k1 term "
        "has standard deviation |μ| = 0.5 (its *variance* is μ² = 0.25: did you take "
        "that for the standard deviation?) and the KL is μ²/2 = 0.125 (not μ²), so "
        "one term spreads 4 × the KL.",
    ),
    m.confused_with(
        "variance target",
        lambda mu, target: (2 / abs(mu)) ** 2 / target,
        "Your n makes the *variance* of the estimate 10 % of KL². The question asks "
        "for its *standard deviation* to be 10 % of the KL, so the variance must be "
        "(0.1)² = 1 % of KL².",
    ),
    m.confused_with(
        "k3 instead of k1",
        lambda mu, target: (_k3_per_term_ratio(mu) / target) ** 2,
        "That is the sample size for k3, whose terms spread less. The question asks "
        "about k1 = −log r, whose per-term standard deviation is |μ|.",
    ),
    m.Predicate(
        "a whole number rounded",
        "Close, but nothing needs rounding here: the condition "
        "(per-term std ÷ KL)/√n = 0.1 gives a whole number n exactly. Solve it "
        "without rounding any step.",
        _near_whole_number,
        lambda reference: lambda *args: reference(*args) + 1,
    ),
]
