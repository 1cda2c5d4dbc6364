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


# -- q1: the bias of a coin from D_KL(coin ‖ fair coin) -----------------------------------------
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
        "Your coin favours tails. Exchanging heads and tails does not change "
        "D_KL(P‖U) against the fair coin U, so the equation has a root a on each side "
        "of ½; the question asks for the one above ½.",
        lambda reference: lambda kl: 1 - reference(kl),
    ),
    m.confused_with(
        "entropy set to the KL",
        _bias_from_entropy,
        "Your coin has *entropy* 0.2 bits. D_KL(P‖U) against the fair coin U is the "
        "entropy *missing* from the maximum: D_KL(P‖U) = H(P, U) − H(P) = 1 bit − "
        "H₂(a), because the believer in U pays log₂ 2 = 1 bit on every toss. So "
        "H₂(a) = 0.8 bits.",
    ),
    m.confused_with(
        "0.2 nats",
        _bias_from_kl_in_nats,
        "Your coin has D_KL(P‖U) = 0.2 *nats* against the fair coin U (you used the "
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
    m.Predicate(
        "NaN from 0·log 0",
        "Your result is NaN for the pairs where P has an outcome of probability 0. In floating "
        "point 0 · log 0 is 0 · (−∞) = NaN, but in KL the term is 0 (p log p → 0 as p → 0): "
        "leave the outcomes with p = 0 out of the sum (p[p > 0]) or use "
        "scipy.special.rel_entr.",
        lambda result, args, expected: (
            bool(np.any(np.isnan(result))) and bool(np.any(np.asarray(args[0]) == 0))
        ),
        lambda reference: lambda p, q: np.nan if np.any(np.asarray(p) == 0) else reference(p, q),
    ),
    m.Predicate(
        "NaN not from 0·log 0",
        "Your result is NaN, also for pairs in which every p is positive, so 0 · log 0 cannot "
        "be the (only) cause. Look for a 0/0, a log of a negative number, or arrays of "
        "different lengths combined.",
        lambda result, args, expected: bool(np.any(np.isnan(result))),
        lambda reference: lambda p, q: np.nan,
    ),
    m.Mistake(
        "inf wherever q = 0",
        "Your function returns inf for a pair where q = 0 only on an outcome that P never "
        "produces (p = 0 there too). Such an outcome contributes 0 · log(0/0) = 0, whatever "
        "q is: the KL is infinite only where q = 0 *and* p > 0.",
        lambda reference: lambda p, q: np.inf if np.any(np.asarray(q) == 0) else reference(p, q),
    ),
    m.confused_with(
        "cross-entropy instead of KL",
        info.cross_entropy,
        "Your function returns the cross-entropy H(P, Q) = −Σ p log q, the whole "
        "average surprise of the believer in Q. KL is the *excess* over what the "
        "believer in P pays: KL(P‖Q) = H(P, Q) − H(P) = Σ p log(p/q).",
    ),
]


# -- q3: D_KL(N(0, 1) ‖ q) from D_KL(q ‖ N(0, 1)) -------------------------------------------------
def mean_square_from_kl(kl, std):
    """μ² with D_KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − ln σ²) = kl (the sign of μ never
    matters)."""
    return 2 * kl - (std**2 - 1 - np.log(std**2))


def _prior_first(mean_square, std):
    """D_KL(N(0, 1) ‖ N(μ, σ²)) = ln(σ/1) + (1 + μ²)/(2σ²) − ½."""
    return np.log(std) + (1 + mean_square) / (2 * std**2) - 0.5


def prior_kl_from_posterior_kl(kl, std):
    """D_KL(N(0, 1) ‖ q) for the q = N(μ, σ²) with D_KL(q ‖ N(0, 1)) = kl: the first closed
    form gives μ², the general one the divergence the other way round."""
    return _prior_first(mean_square_from_kl(kl, std), std)


def _with_mean_square(mean_square):
    """The right second step after a wrong first one (μ² found from a wrong formula)."""
    return lambda kl, std: _prior_first(mean_square(kl, std), std)


# Names as in the prompt: P = N(0, 1) is the *first* argument now, q = N(μ, 0.5²) the second.
PRIOR_KL_MISTAKES = [
    m.confused_with(
        "KL taken as symmetric",
        lambda kl, std: kl,
        "1.5 nats is D_KL(q‖N(0, 1)), the divergence you were given. The KL is not symmetric: "
        "with N(0, 1) first, the average is taken under N(0, 1), whose tails reach where the "
        "narrow q (σ = 0.5) gives little density. Compute μ² from the 1.5 nats, then the other "
        "direction from the general formula.",
    ),
    m.confused_with(
        "mean left out",
        lambda kl, std: _prior_first(0.0, std),
        "Your number is D_KL(N(0, 1)‖N(0, 0.5²)): a q centred at 0. But q pays 1.5 nats, more "
        "than a centred q of σ = 0.5 would (0.318 nats): its mean is not 0. Find μ² from "
        "½(μ² + σ² − 1 − ln σ²) = 1.5 first.",
    ),
    m.confused_with(
        "log term upside down",
        lambda kl, std: _prior_first(mean_square_from_kl(kl, std), std) - 2 * np.log(std),
        "Your log term is upside down. In D_KL(P‖Q) = ln(σ_Q/σ_P) + (σ_P² + (μ_P − μ_Q)²)/(2σ_Q²) "
        "− ½ the log has the *second* argument's σ on top. Here the first argument is the prior "
        "(σ = 1) and the second is your q (σ = 0.5): ln(0.5/1) = −ln 2. (With σ = 0.5 the same "
        "number comes from μ² solved with ln σ where ½(μ² + σ² − 1 − ln σ²) has ln σ².)",
    ),
    m.confused_with(
        "−½ forgotten",
        lambda kl, std: prior_kl_from_posterior_kl(kl, std) + 0.5,
        "Your number is ½ too large: the general formula ends with − ½, which makes the KL zero "
        "when the two Gaussians are equal.",
    ),
    m.confused_with(
        "σ not squared",
        lambda kl, std: np.log(std) + (1 + mean_square_from_kl(kl, std)) / (2 * std) - 0.5,
        "Your number divides by 2σ where the formula divides by 2σ²: the second argument's "
        "*variance*, 0.5² = 0.25.",
    ),
    m.confused_with(
        "offset not scaled by q's variance",
        lambda kl, std: np.log(std) + 1 / (2 * std**2) + mean_square_from_kl(kl, std) / 2 - 0.5,
        "Your number divides μ² by 2 where the formula divides it by 2σ²: the offset of the "
        "means is measured in the width of the *second* distribution, q, so it costs "
        "μ²/(2 · 0.25) here.",
    ),
    m.confused_with(
        "μ² squared again",
        lambda kl, std: _prior_first(mean_square_from_kl(kl, std) ** 2, std),
        "Your number uses (μ²)² where μ² belongs: the first step gives μ² itself (about 2.36), "
        "not μ.",
    ),
    m.variance_passed_as_std(position=1),
    m.std_passed_as_variance(position=1),
    m.confused_with(
        "μ² without ln σ²",
        _with_mean_square(lambda kl, std: 2 * kl - (std**2 - 1)),
        "Your μ² leaves out the ln σ² of ½(μ² + σ² − 1 − ln σ²) = 1.5. With σ = 0.5 that term is "
        "ln 0.25 ≈ −1.386: it is what makes a narrow q pay for its narrowness.",
    ),
    m.confused_with(
        "μ² without the ½",
        _with_mean_square(lambda kl, std: kl - (std**2 - 1 - np.log(std**2))),
        "Your μ² solves μ² + σ² − 1 − ln σ² = 1.5, without the ½ in front: the KL is "
        "½(μ² + σ² − 1 − ln σ²), so μ² + σ² − 1 − ln σ² = 2 × 1.5 = 3.",
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


def _js_coin_distance_nats(fraction):
    return _lower_root(lambda b: np.sqrt(_js_from_always_heads(b, base=None)), fraction * np.log(2))


def _js_coin_bits_set_to_quarter_ln2(fraction):
    return _lower_root(_js_from_always_heads, fraction * np.log(2))


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
        "scipy's distance in nats",
        _js_coin_distance_nats,
        "Your b makes scipy.spatial.distance.jensenshannon(P, Q), in nats, equal ¼ ln 2. That "
        "function returns the Jensen–Shannon *distance* √JS, not the divergence JS: square it "
        "(or compute ½ KL(P‖M) + ½ KL(Q‖M) yourself) before comparing with ¼ of the maximum.",
    ),
    m.confused_with(
        "bits compared with ¼ ln 2",
        _js_coin_bits_set_to_quarter_ln2,
        "Your b makes JS = ¼ ln 2 ≈ 0.173 *bits*: the JS is in bits but the bound in nats. The "
        "largest JS is ln 2 nats = 1 bit, so a quarter of it is ¼ ln 2 nats or 0.25 bits: "
        "compare in one unit.",
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
    m.bits_for_nats(),
    m.Mistake(
        "k2 from the mean of log r",
        "Your k2 is ½ (mean of log r)²: the square of the average. k2 averages the per-sample "
        "terms ½ (log r)², np.mean(0.5 * log_r**2): square first, then average.",
        lambda reference: (
            lambda log_p, log_q: (
                reference(log_p, log_q) * np.array([1.0, 0.0, 1.0])
                + np.array([0.0, 0.5 * np.mean(np.subtract(log_p, log_q)) ** 2, 0.0])
            )
        ),
    ),
    m.Mistake(
        "k2 and k3 swapped",
        "Your second and third numbers are k3 and k2: return them in the order "
        "np.array([k1, k2, k3]), with k2 = ½ (log r)² and k3 = (r − 1) − log r.",
        lambda reference: lambda log_p, log_q: reference(log_p, log_q)[[0, 2, 1]],
    ),
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
        "the μ = 0.25 row",
        lambda mu, target: (2 / 0.25 / target) ** 2,
        "6400 is the answer for μ = 0.25, the row of the lecture's table where one k1 term "
        "spreads 8 times the KL. Here μ = 0.5: one term spreads 2/μ = 4 times the KL.",
    ),
    m.confused_with(
        "10 % forgotten",
        lambda mu, target: (2 / abs(mu)) ** 2,
        "Your n makes the standard deviation of the estimate equal to the whole KL. The "
        "question asks for 10 % of it: (per-term std ÷ KL)/√n = 0.1, not 1.",
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
