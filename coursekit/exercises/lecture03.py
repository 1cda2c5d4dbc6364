"""Exercises of lecture 03 (KL divergence).

The lecture prints KL for Olah's words, Bernoulli coins, the uniform distribution and a few
Gaussians. The value exercises ask for the same ideas the other way round (the bias of a coin
from its divergence from a fair one, the mean of a Gaussian from its divergence from N(0, 1), the
coin whose Jensen–Shannon divergence is a quarter of the bound, the number of steps of a path of
small KLs), so that no answer can be copied from a cell with new numbers.
"""

import numpy as np
from scipy.optimize import brentq

from coursekit import info
from coursekit.estimators import kl_estimators
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian

# Olah's word distributions (lecture 02): the test cases of q2.
P_WORDS = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
Q_WORDS = np.array([1 / 8, 1 / 2, 1 / 4, 1 / 8])
# q1: a coin's excess surprise per toss (bits) for someone who believes it fair.
COIN_KL_BITS = 0.2
# q3: the KL (nats) of q = N(μ, σ²) from the prior N(0, 1), and q's standard deviation.
PRIOR_KL, Q_STD = 1.5, 0.5
# q5: from N(0, 1) to N(3, 1) in equal steps whose KLs add up to 0.75 nats.
PATH_TOTAL, PATH_SHIFT = 0.75, 3.0
# q6: the Jensen–Shannon divergence between a coin that always lands heads and Bernoulli(b), as
# a fraction of its largest value (1 bit).
JS_FRACTION = 0.25
ALWAYS_HEADS = np.array([1.0, 0.0])


def _coin(p):
    return np.array([p, 1 - p])


def _upper_root(f, target):
    """The a in (½, 1) with f(a) = target (f monotone there)."""
    return brentq(lambda a: f(a) - target, 0.5, 1 - 1e-15, xtol=1e-15)


# -- q1: the bias of a coin from its KL to a fair coin -------------------------------------------
def _bias_from_kl(kl_bits):
    """a > ½ with KL(Bernoulli(a) ‖ fair coin) = kl_bits: 1 bit − H₂(a) = kl_bits."""
    return _upper_root(lambda a: info.bernoulli_kl(a, 0.5, base=2), kl_bits)


def _bias_from_entropy(kl_bits):
    return _upper_root(lambda a: info.binary_entropy(a, base=2), kl_bits)


def _bias_from_kl_in_nats(kl_bits):
    return _upper_root(lambda a: info.bernoulli_kl(a, 0.5), kl_bits)


def _bias_from_reverse_kl(kl_bits):
    return _upper_root(lambda a: info.bernoulli_kl(0.5, a, base=2), kl_bits)


# -- q3: the mean of q = N(μ, σ²) from KL(q ‖ N(0, 1)) -------------------------------------------
def _mean_from_kl(kl, std):
    """μ > 0 with ½(μ² + σ² − 1 − ln σ²) = kl."""
    return np.sqrt(2 * kl - (std**2 - 1 - np.log(std**2)))


def _root(square):
    """√square, NaN when a mistaken formula has no real solution."""
    with np.errstate(invalid="ignore"):
        return np.sqrt(square)


# Each wrong formula solved for μ. In the general form the right one reads
# KL = ln(σ_q/σ_p) + (σ_p² + μ²)/(2σ_q²) − ½ with σ_p = σ and σ_q = 1.
Q3_MISTAKES = [
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
def _steps_for_total(total, shift):
    """n equal steps from N(0, 1) to N(shift, 1): each costs (shift/n)²/2, together shift²/(2n)."""
    return shift**2 / (2 * total)


# -- q6: the coin whose JS divergence from "always heads" is a fraction of its bound -------------
def _js_from_always_heads(b, base=2):
    return info.js_divergence(ALWAYS_HEADS, _coin(b), base=base)


def _lower_root(f, target):
    """The b in (0, 1) with f(b) = target (f decreasing from its value at 0 to 0 at 1)."""
    return brentq(lambda b: f(b) - target, 1e-15, 1 - 1e-15, xtol=1e-15)


def _js_coin(fraction):
    """b with JS(always heads, Bernoulli(b)) = fraction × its maximum, log 2 = 1 bit."""
    return _lower_root(_js_from_always_heads, fraction)


def _js_coin_max_one_nat(fraction):
    return _lower_root(lambda b: _js_from_always_heads(b, base=None), fraction)


def _js_coin_distance(fraction):
    return _lower_root(lambda b: np.sqrt(_js_from_always_heads(b)), fraction)


def _js_coin_without_halves(fraction):
    return _lower_root(lambda b: 2 * _js_from_always_heads(b), fraction)


def _js_coin_kl(fraction):
    return _lower_root(lambda b: info.kl_divergence(ALWAYS_HEADS, _coin(b), base=2), fraction)


# -- q7: the estimators of KL(q‖p) from samples of q (goal 5) -----------------------------------
def _estimates(log_p, log_q):
    """The k1, k2, k3 estimates of KL(q‖p): each per-sample term averaged over the samples."""
    terms = kl_estimators(log_p, log_q)
    return np.array([terms[name].mean() for name in ("k1", "k2", "k3")])


def _log_densities(p, q, x):
    x = np.asarray(x, dtype=float)
    return p.logpdf(x), q.logpdf(x)


STANDARD_NORMAL = Gaussian(0.0, 1.0)
ESTIMATOR_CASES = [
    # (log p(x), log q(x)) at points x that stand for samples of q
    _log_densities(Gaussian(1.0, 1.0), STANDARD_NORMAL, [-1.3, -0.2, 0.4, 0.9, 2.1]),
    _log_densities(Gaussian(0.3, 1.0), STANDARD_NORMAL, [0.5, -0.7, 1.2, -1.9, 0.1, 0.8, -0.4]),
    _log_densities(Gaussian(0.0, 2.0), Gaussian(1.0, 0.5), [0.6, 1.4, 0.9, 1.1]),
    _log_densities(STANDARD_NORMAL, STANDARD_NORMAL, [-0.5, 0.0, 1.5]),  # p = q: all zero
]


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


# -- q8: the sample size for a k1 estimate -------------------------------------------------------
def _samples_for_k1(mu, relative_std):
    """n for which the k1 estimate of KL(N(0,1)‖N(μ,1)) has std = relative_std × KL.

    Per term std(k1) = |μ| and KL = μ²/2, so std/KL = 2/|μ| per term and (2/|μ|)/√n for
    an average of n terms.
    """
    return (2 / abs(mu) / relative_std) ** 2


def _k3_per_term_ratio(mu):
    return np.sqrt(np.expm1(mu**2) - mu**2) / (mu**2 / 2)


def _near_whole_number(result, args, expected):
    return result.ndim == 0 and 0 < abs(float(result) - float(expected)) <= 2.5


EXERCISES = ExerciseSet(
    "03",
    "KL divergence",
    {
        "q1": ValueExercise(
            prompt="A coin lands heads with probability a > ½. Someone who believes it is fair "
            "pays, on average, 0.2 bits of excess surprise per toss: D_KL(P‖U) = 0.2 bits, with "
            "P the coin and U the fair coin. Find a, to 6 significant figures.",
            variable="heads_probability",
            reference=_bias_from_kl,
            args=(COIN_KL_BITS,),
            digits=6,
            mistakes=[
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
            ],
            hints=[
                "The believer in the fair coin pays log₂ 2 = 1 bit on every toss, whatever "
                "happens: that is the cross-entropy H(P, U). What does that leave for the KL?",
                "D_KL(P‖U) = H(P, U) − H(P) = 1 − H₂(a) bits, with H₂(a) = −a log₂ a − "
                "(1 − a) log₂(1 − a). Solve 1 − H₂(a) = 0.2 numerically, for a between ½ and 1.",
                "For example scipy.optimize.brentq(lambda a: 1 - H2(a) - 0.2, 0.5, 1 - 1e-12), "
                "with H2 written in numpy.",
            ],
            solution_code=(
                "from scipy.optimize import brentq\n\n\n"
                "def kl_from_fair_coin(a):  # 1 bit - H2(a)\n"
                "    return 1 + a * np.log2(a) + (1 - a) * np.log2(1 - a)\n\n"
                "heads_probability = brentq(lambda a: kl_from_fair_coin(a) - 0.2, 0.5, 1 - 1e-12)"
            ),
        ),
        "q2": FunctionExercise(
            prompt="Write kl(p, q): KL(P‖Q) in nats of two probability vectors. It must give "
            "0 for outcomes with p = 0, and inf when q = 0 where p > 0. It is checked on six "
            "pairs, to 6 significant figures.",
            variable="kl",
            signature="kl(p, q)",
            reference=info.kl_divergence,
            cases=[
                (P_WORDS, Q_WORDS),
                (np.array([0.5, 0.25, 0.25]), np.full(3, 1 / 3)),
                (_coin(0.5), _coin(0.9)),
                (np.array([0.0, 1.0]), _coin(0.5)),
                (_coin(0.5), np.array([0.0, 1.0])),
                (np.array([0.3, 0.7, 0.0]), np.array([0.6, 0.4, 0.0])),
            ],
            mistakes=[
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
            ],
            hints=[
                "Σ p log(p/q) over the outcomes with p > 0.",
                "np.log(p / 0) is inf, which is the right answer when p > 0 = q; keep the "
                "p = 0 outcomes out with a mask, or use scipy.special.rel_entr.",
            ],
            solution_code=(
                "def kl(p, q):\n"
                "    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)\n"
                "    mask = p > 0  # 0 log 0 = 0\n"
                '    with np.errstate(divide="ignore"):\n'
                "        return np.sum(p[mask] * np.log(p[mask] / q[mask]))"
            ),
        ),
        "q3": ValueExercise(
            prompt="In variational inference (lecture 06) an approximate posterior "
            "q = N(μ, σ²) pays D_KL(q ‖ N(0, 1)) to the prior. A q with standard deviation "
            "σ = 0.5 pays 1.5 nats. Find its mean μ > 0, to 6 significant figures.",
            variable="mean_q",
            reference=_mean_from_kl,
            args=(PRIOR_KL, Q_STD),
            digits=6,
            mistakes=Q3_MISTAKES,
            hints=[
                "The closed form of this lecture gives the KL of N(μ, σ²) from N(0, 1); here "
                "σ is known and the KL is known, so the only unknown is μ.",
                "½(μ² + σ² − 1 − ln σ²) = 1.5 with σ² = 0.25: solve for μ², then take the "
                "positive root.",
                "μ² = 2 × 1.5 − (0.25 − 1 − ln 0.25).",
            ],
            solution_code="sigma, kl_prior = 0.5, 1.5\n"
            "# KL = ½(μ² + σ² − 1 − ln σ²), solved for μ\n"
            "mean_q = np.sqrt(2 * kl_prior - (sigma**2 - 1 - np.log(sigma**2)))",
        ),
        "q4": ChoiceExercise(
            prompt="Measurements follow P = N(0.5, 0.1²). A model Q says they are uniform on "
            "[0, 1]: density 1 there, 0 outside. Which statement is true?",
            variable="answer_infinite",
            options={
                "a": "D_KL(P‖Q) and D_KL(Q‖P) are both finite",
                "b": "D_KL(P‖Q) is infinite, D_KL(Q‖P) is finite",
                "c": "D_KL(P‖Q) is finite, D_KL(Q‖P) is infinite",
                "d": "both are infinite",
            },
            answer="b",
            explanations={
                "a": "P puts only 2Φ(−5) ≈ 5.7 × 10⁻⁷ of its probability outside [0, 1], but "
                "there Q says q(x) = 0: those measurements, which do happen, have infinite "
                "surprise under Q, and any positive weight times ∞ is ∞. Practically zero is "
                "not zero: D_KL(P‖Q) = ∞. (D_KL(Q‖P) is finite, about 2.78 nats.)",
                "b": "A Gaussian gives every x a positive density, while Q calls everything "
                "outside [0, 1] impossible. D_KL(P‖Q) averages log(p/q) under P, which puts a "
                "little probability (2Φ(−5) ≈ 5.7 × 10⁻⁷) where q = 0: infinite. D_KL(Q‖P) "
                "averages log(q/p) over [0, 1] only, where p > 0: finite, about 2.78 nats.",
                "c": "That is the rule the wrong way round. The divergence is infinite when the "
                "*second* distribution is zero where the first is not: q = 0 outside [0, 1] "
                "where p > 0, so D_KL(P‖Q) = ∞; p > 0 everywhere, so D_KL(Q‖P) is finite "
                "(about 2.78 nats).",
                "d": "D_KL(Q‖P) averages log(q/p) under Q, only over [0, 1], and the Gaussian "
                "p is positive there (everywhere, in fact): no term is infinite, and it comes "
                "to about 2.78 nats. Only D_KL(P‖Q) is infinite.",
            },
            hints=[
                "D_KL(A‖B) is infinite when B gives zero probability to something A produces. "
                "Where is each density zero?",
                "A Gaussian density is positive everywhere, even far in its tails. Does P "
                "produce values outside [0, 1], however rarely?",
            ],
            solution_code='answer_infinite = "b"',
        ),
        "q5": ValueExercise(
            prompt="Go from P = N(0, 1) to R = N(3, 1) in n equal steps, through N(3/n, 1), "
            "N(6/n, 1), ...: the KLs of the n steps add up to 0.75 nats. How many steps n? "
            "(A distance could never add up to less than the direct distance, here "
            "D_KL(P‖R) = 4.5 nats.) The answer is a whole number; give it exactly.",
            variable="steps_needed",
            reference=_steps_for_total,
            args=(PATH_TOTAL, PATH_SHIFT),
            digits=6,
            mistakes=[
                m.confused_with(
                    "intermediate Gaussians",
                    lambda total, shift: _steps_for_total(total, shift) - 1,
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
                    "Your n makes *one* step cost 0.75 nats. The question adds up all n steps: "
                    "n × (3/n)²/2.",
                ),
            ],
            hints=[
                "Each step moves the mean by 3/n. What does one step cost, and what do n of "
                "them cost together?",
                "Between N(a, 1) and N(a + h, 1) the KL is h²/2, so n steps cost "
                "n × (3/n)²/2 = 4.5/n nats.",
                "Solve 4.5/n = 0.75.",
            ],
            solution_code="shift, total = 3.0, 0.75\n"
            "# n steps of shift/n cost n (shift/n)²/2 = shift²/(2n)\n"
            "steps_needed = shift**2 / (2 * total)",
        ),
        "q6": ValueExercise(
            prompt="P is a coin that always lands heads; Q = Bernoulli(b) lands heads with "
            "probability b. For which b is the Jensen–Shannon divergence JS(P, Q) a quarter of "
            "its largest possible value? Give b to 6 significant figures.",
            variable="b_quarter_js",
            reference=_js_coin,
            args=(JS_FRACTION,),
            digits=6,
            mistakes=[
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
            ],
            hints=[
                "How large can JS be, and in which units? Start from the bound in this lecture.",
                "JS ≤ log 2 = 1 bit, so you want JS(P, Q) = 0.25 bits. JS falls as b rises "
                "(from 1 bit at b = 0 to 0 at b = 1): one root.",
                "With M = (P + Q)/2 = ((1 + b)/2, (1 − b)/2), solve ½ KL(P‖M) + ½ KL(Q‖M) = 0.25 "
                "bits for b with scipy.optimize.brentq on (0, 1), keeping 0 log 0 = 0.",
            ],
            solution_code=(
                "from scipy.optimize import brentq\n"
                "from scipy.special import rel_entr  # p log(p/q), 0 where p = 0\n\n\n"
                "def js_bits(b):\n"
                "    p, q = np.array([1.0, 0.0]), np.array([b, 1 - b])\n"
                "    m = (p + q) / 2\n"
                "    return 0.5 * (rel_entr(p, m).sum() + rel_entr(q, m).sum()) / np.log(2)\n\n"
                "b_quarter_js = brentq(lambda b: js_bits(b) - 0.25, 1e-12, 1 - 1e-12)"
            ),
        ),
        "q7": FunctionExercise(
            prompt="Write kl_estimates(log_p, log_q). Its arguments hold log p(x) and log q(x) "
            "at n points x drawn from Q. Return np.array([k1, k2, k3]): the three estimates of "
            "KL(Q‖P) in nats, each the average over the n points of its per-sample term. It is "
            "checked on four sets of points, to 6 significant figures.",
            variable="kl_estimates",
            signature="kl_estimates(log_p, log_q)",
            reference=_estimates,
            cases=ESTIMATOR_CASES,
            mistakes=[
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
            ],
            hints=[
                "Everything is a function of log r = log p − log q at each point; the three "
                "per-sample terms are in the lecture, just above the table.",
                "log_r = log_p − log_q and r = np.exp(log_r); the per-sample terms are "
                "k1 = −log r, k2 = ½ (log r)², k3 = (r − 1) − log r.",
                "Average each term with np.mean and return np.array([mean k1, mean k2, mean k3]).",
            ],
            solution_code=(
                "def kl_estimates(log_p, log_q):\n"
                "    log_r = np.asarray(log_p, dtype=float) - np.asarray(log_q, dtype=float)\n"
                "    r = np.exp(log_r)\n"
                "    return np.array([np.mean(-log_r), np.mean(0.5 * log_r**2), "
                "np.mean(r - 1 - log_r)])"
            ),
        ),
        "q8": ValueExercise(
            prompt="Take Q = N(0, 1) and P = N(0.5, 1). How many samples n must the k1 estimate "
            "of KL(Q‖P) average for its standard deviation to be 10 % of the true KL? The "
            "answer is a whole number; give it exactly.",
            variable="samples_needed",
            reference=_samples_for_k1,
            args=(0.5, 0.1),
            digits=6,
            mistakes=[
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
            ],
            hints=[
                "For this pair one k1 term has standard deviation |μ| and KL(Q‖P) = μ²/2: "
                "per term, the spread is 2/|μ| times the KL.",
                "An average of n terms has a standard deviation √n times smaller than one "
                "term. Solve (2/|μ|)/√n = 0.1 for n.",
            ],
            solution_code="mu = 0.5\nper_term = abs(mu) / (mu**2 / 2)   # std/KL of one k1 term\n"
            "samples_needed = (per_term / 0.1) ** 2",
        ),
        "q9": ChoiceExercise(
            prompt="Take Q = N(0, 1) and P = N(1.5, 1). Which of the two unbiased estimators of "
            "KL(Q‖P) has the smaller standard deviation: k1, k3, or are they equal?",
            variable="answer_less_noisy",
            options={"k1": "k1 = −log r", "k3": "k3 = (r − 1) − log r", "equal": "equal"},
            answer="k1",
            explanations={
                "k1": "Per term, k1's standard deviation is |μ| = 1.5 nats and k3's is "
                "√(exp(μ²) − 1 − μ²) ≈ 2.50 nats. This far from q, r = p/q has a heavy tail "
                "(it is lognormal here), and its rare huge values make r − 1 add more noise "
                "than it cancels. k3's advantage belongs to p close to q.",
                "k3": "k3 wins when p is close to q (at μ = 1 and below), but not here: compute "
                "both. Per term, k1's standard deviation is |μ| = 1.5, k3's is "
                "√(exp(μ²) − 1 − μ²) ≈ 2.5. With p this far from q, the ratio r = p/q has a "
                "heavy tail and the term r − 1 brings noise of its own.",
                "equal": "Both are unbiased, so their *means* are equal, not their spreads: per "
                "term 1.5 for k1 against about 2.5 for k3. The two spreads cross only at "
                "one value of μ, near 1.12.",
            },
            hints=[
                "Per term: std(k1) = |μ| and std(k3) = √(exp(μ²) − 1 − μ²). Evaluate both at "
                "μ = 1.5."
            ],
            solution_code='answer_less_noisy = "k1"',
        ),
    },
)
