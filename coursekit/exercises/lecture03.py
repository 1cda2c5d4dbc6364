"""Exercises of lecture 03 (KL divergence).

The lecture prints KL for Olah's words, Bernoulli coins, the uniform distribution and a few
Gaussians. The value exercises ask for the same ideas the other way round or combined (the bias
a of a coin from D_KL(coin ‖ fair coin), D_KL(N(0, 1) ‖ q) from D_KL(q ‖ N(0, 1)), the coin whose
Jensen–Shannon divergence is a quarter of the bound, the number of steps of a path of small
KLs), so that no answer can be copied from a cell with new numbers.
The exact answers and the mistake rules are in ``lecture03_mistakes``.
"""

import numpy as np

from coursekit import info
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import lecture03_mistakes as r
from coursekit.gaussians import Gaussian

# Olah's word distributions (lecture 02): the test cases of q2.
P_WORDS = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
Q_WORDS = np.array([1 / 8, 1 / 2, 1 / 4, 1 / 8])
# q1: a coin's excess surprise per toss (bits) for someone who believes it fair.
COIN_KL_BITS = 0.2
# q3: D_KL(q ‖ N(0, 1)) in nats for q = N(μ, σ²), and q's standard deviation σ.
PRIOR_KL, Q_STD = 1.5, 0.5
# q5: from N(0, 1) to N(3, 1) in equal steps whose KLs add up to 0.75 nats.
PATH_TOTAL, PATH_SHIFT = 0.75, 3.0
# q6: the Jensen–Shannon divergence between a coin that always lands heads and Bernoulli(b), as
# a fraction of its largest value (1 bit).
JS_FRACTION = 0.25


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


EXERCISES = ExerciseSet(
    "03",
    "KL divergence",
    {
        "q1": ValueExercise(
            prompt="A coin lands heads with probability a > ½. Someone who believes it is fair "
            "pays, on average, 0.2 bits of excess surprise per toss: D_KL(P‖U) = 0.2 bits, with "
            "P the coin and U the fair coin. Find a, to 6 significant figures.",
            variable="heads_probability",
            reference=r.bias_from_kl,
            args=(COIN_KL_BITS,),
            digits=6,
            mistakes=r.BIAS_MISTAKES,
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
                (r.coin(0.5), r.coin(0.9)),
                (np.array([0.0, 1.0]), r.coin(0.5)),
                (r.coin(0.5), np.array([0.0, 1.0])),
                (np.array([0.3, 0.7, 0.0]), np.array([0.6, 0.4, 0.0])),
            ],
            mistakes=r.KL_MISTAKES,
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
            "q = N(μ, σ²) pays D_KL(q ‖ N(0, 1)) to the prior N(0, 1). A q with standard "
            "deviation σ = 0.5 pays 1.5 nats. How large is the divergence the other way round, "
            "D_KL(N(0, 1) ‖ q), in nats? Give 6 significant figures.",
            variable="kl_prior_q",
            reference=r.prior_kl_from_posterior_kl,
            args=(PRIOR_KL, Q_STD),
            digits=6,
            unit="nats",
            mistakes=r.PRIOR_KL_MISTAKES,
            hints=[
                "Two steps. The 1.5 nats tell you what you do not yet know about q; the answer "
                "needs it too. Which parameter is unknown, and in which form does it enter?",
                "The mean enters only as μ²: solve ½(μ² + σ² − 1 − ln σ²) = 1.5 for μ² (with "
                "σ = 0.5). Then use the general formula of the lecture with N(0, 1) as the "
                "*first* argument and q as the second.",
                "D_KL(N(0, 1) ‖ N(μ, σ²)) = ln(σ/1) + (1 + μ²)/(2σ²) − ½, with "
                "μ² = 3 − (0.25 − 1 − ln 0.25).",
            ],
            solution_code="sigma, kl_q_prior = 0.5, 1.5\n"
            "# q's mean from the first closed form: ½(μ² + σ² − 1 − ln σ²) = 1.5\n"
            "mu_sq = 2 * kl_q_prior - (sigma**2 - 1 - np.log(sigma**2))\n"
            "# the general formula with P = N(0, 1) first and q second:\n"
            "# ln(σ_q/σ_P) + (σ_P² + (μ_P − μ_q)²)/(2σ_q²) − ½\n"
            "kl_prior_q = np.log(sigma / 1) + (1 + mu_sq) / (2 * sigma**2) - 0.5",
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
            reference=r.steps_for_total,
            args=(PATH_TOTAL, PATH_SHIFT),
            digits=6,
            mistakes=r.PATH_MISTAKES,
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
            reference=r.js_coin,
            args=(JS_FRACTION,),
            digits=6,
            mistakes=r.JS_COIN_MISTAKES,
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
            reference=r.estimates,
            cases=ESTIMATOR_CASES,
            mistakes=r.ESTIMATOR_MISTAKES,
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
            reference=r.samples_for_k1,
            args=(0.5, 0.1),
            digits=6,
            mistakes=r.SAMPLE_SIZE_MISTAKES,
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
