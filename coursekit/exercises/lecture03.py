"""Exercises of lecture 03 (KL divergence)."""

import numpy as np

from coursekit import info
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.exercises.lecture02 import P_WORDS, Q_WORDS
from coursekit.gaussians import Gaussian, gaussian_kl

STANDARD_NORMAL = Gaussian(0.0, 1.0)


def _kl_bits(p, q):
    return info.kl_divergence(p, q, base=2)


def _kl_to_standard_normal(mean, std):
    """KL(N(mean, std²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − ln σ²)."""
    return gaussian_kl(Gaussian(mean, float(std)), STANDARD_NORMAL)


def _coin(p):
    return np.array([p, 1 - p])


EXERCISES = ExerciseSet(
    "03",
    "KL divergence",
    {
        "q1": ValueExercise(
            prompt="KL(P‖Q) in bits for Olah's word distributions P = (1/2, 1/4, 1/8, 1/8) and "
            "Q = (1/8, 1/2, 1/4, 1/8).",
            variable="kl_pq",
            reference=_kl_bits,
            args=(P_WORDS, Q_WORDS),
            unit="bits",
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
                "KL(P‖Q) = Σ p(x) log₂(p(x)/q(x)), or H(P, Q) − H(P).",
                "From lecture 02: H(P, Q) = 2.375 bits and H(P) = 1.75 bits.",
            ],
            solution_code="p = np.array([1/2, 1/4, 1/8, 1/8])\nq = np.array([1/8, 1/2, 1/4, 1/8])\n"
            "kl_pq = np.sum(p * np.log2(p / q))",
        ),
        "q2": FunctionExercise(
            prompt="Write kl(p, q): KL(P‖Q) in nats of two probability vectors. It must give "
            "0 for outcomes with p = 0, and inf when q = 0 where p > 0.",
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
            prompt="KL(N(1, 0.5²) ‖ N(0, 1)) in nats, from the closed form ½(μ² + σ² − 1 − ln σ²).",
            variable="kl_gaussian",
            reference=_kl_to_standard_normal,
            args=(1.0, 0.5),
            unit="nats",
            mistakes=[
                m.variance_passed_as_std(position=1),
                m.confused_with(
                    "reverse KL",
                    lambda mean, std: gaussian_kl(STANDARD_NORMAL, Gaussian(mean, std)),
                    "Your result is KL(N(0, 1) ‖ N(1, 0.5²)), the divergence the other way "
                    "round. The formula ½(μ² + σ² − 1 − ln σ²) is for KL(N(μ, σ²) ‖ N(0, 1)).",
                ),
                m.bits_for_nats(),
            ],
            hints=[
                "Here μ = 1 and σ = 0.5, so σ² = 0.25.",
                "½(1 + 0.25 − 1 − ln 0.25).",
            ],
            solution_code="mu, sigma = 1.0, 0.5\n"
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
            prompt="The Jensen–Shannon divergence, in nats, between Bernoulli(0.5) and "
            "Bernoulli(0.9).",
            variable="js_coins",
            reference=info.js_divergence,
            args=(_coin(0.5), _coin(0.9)),
            unit="nats",
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
            ],
            hints=[
                "Form the mixture M = (P + Q) / 2 = Bernoulli(0.7).",
                "JS = ½ KL(P‖M) + ½ KL(Q‖M).",
            ],
            solution_code="p, q = np.array([0.5, 0.5]), np.array([0.9, 0.1])\nm = (p + q) / 2\n"
            "js_coins = 0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m))",
        ),
    },
)
