"""Exercises of lecture 03 (KL divergence)."""

import numpy as np

from coursekit import info
from coursekit.estimators import kl_estimators
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian, gaussian_kl

STANDARD_NORMAL = Gaussian(0.0, 1.0)
# Olah's word distributions (lecture 02): the test cases of q2.
P_WORDS = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
Q_WORDS = np.array([1 / 8, 1 / 2, 1 / 4, 1 / 8])
# q1: how often it is sunny, cloudy, rainy (P) and what a forecaster believes (Q). The lecture
# prints KL for Olah's words; the exercise asks for the same idea on new numbers.
WEATHER = np.array([0.5, 0.3, 0.2])
FORECAST = np.array([0.7, 0.2, 0.1])


def _kl_bits(p, q):
    return info.kl_divergence(p, q, base=2)


def _kl_to_standard_normal(mean, std):
    """KL(N(mean, std²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − ln σ²)."""
    return gaussian_kl(Gaussian(mean, float(std)), STANDARD_NORMAL)


def _coin(p):
    return np.array([p, 1 - p])


# -- the estimators of KL(q‖p) from samples of q (goal 5) --------------------------------------


def _estimates(log_p, log_q):
    """The k1, k2, k3 estimates of KL(q‖p): each per-sample term averaged over the samples."""
    terms = kl_estimators(log_p, log_q)
    return np.array([terms[name].mean() for name in ("k1", "k2", "k3")])


def _log_densities(p, q, x):
    x = np.asarray(x, dtype=float)
    return p.logpdf(x), q.logpdf(x)


ESTIMATOR_CASES = [
    # (log p(x), log q(x)) at points x that stand for samples of q
    _log_densities(Gaussian(1.0, 1.0), STANDARD_NORMAL, [-1.3, -0.2, 0.4, 0.9, 2.1]),
    _log_densities(Gaussian(0.3, 1.0), STANDARD_NORMAL, [0.5, -0.7, 1.2, -1.9, 0.1, 0.8, -0.4]),
    _log_densities(Gaussian(0.0, 2.0), Gaussian(1.0, 0.5), [0.6, 1.4, 0.9, 1.1]),
    _log_densities(STANDARD_NORMAL, STANDARD_NORMAL, [-0.5, 0.0, 1.5]),  # p = q: all zero
]


def _k2_without_half(reference):
    def mistaken(log_p, log_q):
        k1, k2, k3 = reference(log_p, log_q)
        return np.array([k1, 2 * k2, k3])

    return mistaken


def _k3_without_control_variate(reference):
    def mistaken(log_p, log_q):
        k1, k2, _ = reference(log_p, log_q)
        return np.array([k1, k2, k1])

    return mistaken


def _samples_for_k1(mu, relative_std):
    """n for which the k1 estimate of KL(N(0,1)‖N(μ,1)) has std = relative_std × KL.

    Per term std(k1) = |μ| and KL = μ²/2, so std/KL = 2/|μ| per term and (2/|μ|)/√n for
    an average of n terms.
    """
    return (2 / abs(mu) / relative_std) ** 2


def _k3_per_term_ratio(mu):
    return np.sqrt(np.expm1(mu**2) - mu**2) / (mu**2 / 2)


EXERCISES = ExerciseSet(
    "03",
    "KL divergence",
    {
        "q1": ValueExercise(
            prompt="KL(P‖Q) in bits, to 6 significant figures, where P = (0.5, 0.3, 0.2) is "
            "how often it is sunny, cloudy and rainy and Q = (0.7, 0.2, 0.1) is what a "
            "forecaster believes.",
            variable="kl_pq",
            reference=_kl_bits,
            args=(WEATHER, FORECAST),
            unit="bits",
            digits=6,
            mistakes=[
                m.swapped_arguments("KL(P‖Q)"),
                m.confused_with(
                    "cross-entropy instead of KL",
                    lambda p, q: info.cross_entropy(p, q, base=2),
                    "Your result is the cross-entropy H(P, Q), the whole expected surprise "
                    "under Q. KL is the *excess* over the entropy: KL(P‖Q) = H(P, Q) − H(P).",
                ),
                m.nats_for_bits(),
                m.missing_minus(),
            ],
            hints=[
                "KL(P‖Q) = Σ p(x) log₂(p(x)/q(x)): the average, under P, of the extra surprise.",
                "Equivalently H(P, Q) − H(P), both in bits (np.log2).",
            ],
            solution_code="p = np.array([0.5, 0.3, 0.2])\nq = np.array([0.7, 0.2, 0.1])\n"
            "kl_pq = np.sum(p * np.log2(p / q))",
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
                m.missing_minus(),
                m.nan_from_zero_log_zero(),
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
            prompt="KL(N(0.5, 2²) ‖ N(0, 1)) in nats, to 6 significant figures, from the closed "
            "form ½(μ² + σ² − 1 − ln σ²). The Gaussian N(0.5, 2²) has mean 0.5 and standard "
            "deviation 2.",
            variable="kl_gaussian",
            reference=_kl_to_standard_normal,
            args=(0.5, 2.0),
            unit="nats",
            digits=6,
            mistakes=[
                m.variance_passed_as_std(position=1),
                m.std_passed_as_variance(position=1),
                m.confused_with(
                    "reverse KL",
                    lambda mean, std: gaussian_kl(STANDARD_NORMAL, Gaussian(mean, std)),
                    "Your result is KL(N(0, 1) ‖ N(0.5, 2²)), the divergence the other way "
                    "round. The formula ½(μ² + σ² − 1 − ln σ²) is for KL(N(μ, σ²) ‖ N(0, 1)).",
                ),
                m.confused_with(
                    "ln σ for ln σ²",
                    lambda mean, std: 0.5 * (mean**2 + std**2 - 1 - np.log(std)),
                    "Your result has ln σ where the formula has ln σ² = 2 ln σ: the log, like the "
                    "σ² beside it, takes the variance.",
                ),
                m.Mistake(
                    "missing ½",
                    "Your result is twice the answer: the ½ in front of "
                    "(μ² + σ² − 1 − ln σ²) is missing.",
                    lambda reference: lambda *args: 2 * reference(*args),
                ),
                m.bits_for_nats(),
            ],
            hints=[
                "Here μ = 0.5 and σ = 2, so σ² = 4: the formula takes the variance σ², "
                "which is the square of the standard deviation.",
                "½(0.5² + 4 − 1 − ln 4).",
            ],
            solution_code="mu, sigma = 0.5, 2.0\n"
            "kl_gaussian = 0.5 * (mu**2 + sigma**2 - 1 - np.log(sigma**2))",
        ),
        "q4": ChoiceExercise(
            prompt="When is KL(P‖Q) infinite?",
            variable="answer_infinite",
            options={
                "a": "when p(x) = 0 somewhere that q(x) > 0",
                "b": "when q(x) = 0 somewhere that p(x) > 0",
                "c": "when P and Q have different means",
                "d": "never: KL is always finite",
            },
            answer="b",
            explanations={
                "a": "That costs nothing: outcomes that never happen under P carry weight "
                "p(x) = 0 in the average (0 log 0 = 0). KL(Bernoulli(0)‖Bernoulli(0.5)) = "
                "ln 2, finite.",
                "b": "An outcome that happens under P but is impossible under Q has infinite "
                "surprise −log q(x) = ∞, and it carries weight p(x) > 0: "
                "KL(Bernoulli(0.5)‖Bernoulli(0)) = ∞.",
                "c": "Different means give a finite KL when both densities are positive "
                "everywhere: KL(N(0, 1)‖N(2, 1)) = 2 nats.",
                "d": "It can be infinite: KL(Bernoulli(0.5)‖Bernoulli(0)) = ∞, because Q "
                "calls an outcome impossible that P produces half the time.",
            },
            hints=["Look at the term p(x) log(p(x)/q(x)): which factor can blow up?"],
            solution_code='answer_infinite = "b"',
        ),
        "q5": ChoiceExercise(
            prompt="True or false: the KL divergence is a distance between distributions; in "
            "particular it satisfies the triangle inequality.",
            variable="answer_is_distance",
            options={True: "true", False: "false"},
            answer=False,
            explanations={
                True: "KL is not a distance. It is not symmetric, and it breaks the triangle "
                "inequality: KL(N(0,1)‖N(2,1)) = 2 but KL(N(0,1)‖N(1,1)) + "
                "KL(N(1,1)‖N(2,1)) = 0.5 + 0.5 = 1.",
                False: "KL is asymmetric and breaks the triangle inequality: "
                "KL(N(0,1)‖N(2,1)) = 2 > KL(N(0,1)‖N(1,1)) + KL(N(1,1)‖N(2,1)) = 1. "
                "It grows with the squared distance between the means.",
            },
            hints=[
                "Compute KL between N(0,1), N(1,1) and N(2,1): it is (Δμ)²/2 for equal variances."
            ],
            solution_code="answer_is_distance = False",
        ),
        "q6": ValueExercise(
            prompt="The Jensen–Shannon divergence, in nats and to 6 significant figures, "
            "between Bernoulli(0.2) and Bernoulli(0.6).",
            variable="js_coins",
            reference=info.js_divergence,
            args=(_coin(0.2), _coin(0.6)),
            unit="nats",
            digits=6,
            mistakes=[
                m.confused_with(
                    "Jensen–Shannon distance",
                    lambda p, q: np.sqrt(info.js_divergence(p, q)),
                    "Your result is the square root of the divergence: "
                    "scipy.spatial.distance.jensenshannon returns the Jensen–Shannon "
                    "*distance*. Square it to get the divergence.",
                ),
                m.bits_for_nats(),
                m.confused_with(
                    "half the symmetrised KL",
                    lambda p, q: 0.5 * (info.kl_divergence(p, q) + info.kl_divergence(q, p)),
                    "Your result averages KL(P‖Q) and KL(Q‖P). Jensen–Shannon compares both "
                    "to their mixture M = (P + Q)/2: ½ KL(P‖M) + ½ KL(Q‖M).",
                ),
                m.confused_with(
                    "without the halves",
                    lambda p, q: 2 * info.js_divergence(p, q),
                    "Your result is twice the answer: JS = ½ KL(P‖M) + ½ KL(Q‖M) averages the "
                    "two divergences to the mixture; it does not add them.",
                ),
            ],
            hints=[
                "Form the mixture M = (P + Q) / 2 = Bernoulli(0.4).",
                "JS = ½ KL(P‖M) + ½ KL(Q‖M).",
            ],
            solution_code="p, q = np.array([0.2, 0.8]), np.array([0.6, 0.4])\nm = (p + q) / 2\n"
            "js_coins = 0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m))",
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
                    _k2_without_half,
                ),
                m.Mistake(
                    "k3 without r − 1",
                    "Your k3 equals k1. k3 = (r − 1) − log r adds r − 1 = p/q − 1 to k1 "
                    "(r = np.exp(log_p − log_q)): a term of mean zero that makes every "
                    "term ≥ 0 and cancels most of k1's noise.",
                    _k3_without_control_variate,
                ),
            ],
            hints=[
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
            "answer is a whole number; give it exactly (it is checked to 6 significant figures).",
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
                    "Your answer uses a per-term spread of 2 × the KL, the value at μ = 1 (or "
                    "what you get with KL = μ² instead of μ²/2, a missing ½). At μ = 0.5 one "
                    "k1 term has standard deviation |μ| = 0.5 and the KL is μ²/2 = 0.125.",
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
