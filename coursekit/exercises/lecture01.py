"""Exercises of lecture 01 (Surprise and entropy)."""

import numpy as np

from coursekit import info
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import gaussian_entropy

LN2 = np.log(2)


def _sigma_for_bits(h_bits):
    """The σ of N(0, σ²) whose differential entropy is ``h_bits`` bits: ½ log₂(2πeσ²) = h."""
    return np.sqrt(2.0 ** (2 * h_bits) / (2 * np.pi * np.e))


EXERCISES = ExerciseSet(
    "01",
    "Surprise and entropy",
    {
        "q1": ValueExercise(
            prompt="The entropy of a fair six-sided die, in nats.",
            variable="entropy_die",
            reference=info.entropy,
            args=(np.full(6, 1 / 6),),
            unit="nats",
            mistakes=[m.bits_for_nats(), m.missing_minus()],
            hints=[
                "Entropy is the expected surprise: −Σ p(x) log p(x), here over six equally "
                "likely faces.",
                "Every face has p = 1/6, so all six terms are equal: H = −6 · (1/6) log(1/6).",
                "Nats use the natural logarithm, np.log; the result simplifies to log 6.",
            ],
            solution_code=("p = np.full(6, 1 / 6)\nentropy_die = -np.sum(p * np.log(p))"),
        ),
        "q2": ValueExercise(
            prompt="The surprise, in bits, of drawing the ace of spades from a shuffled deck "
            "of 52 cards.",
            variable="surprise_ace",
            reference=lambda p: info.surprise(p, base=2),
            args=(1 / 52,),
            unit="bits",
            mistakes=[m.nats_for_bits(), m.missing_minus()],
            hints=[
                "Surprise is −log p(x) of the outcome that happened.",
                "Bits use the base-2 logarithm, np.log2.",
            ],
            solution_code="surprise_ace = -np.log2(1 / 52)",
        ),
        "q3": FunctionExercise(
            prompt="Write entropy_bits(p): the entropy in bits of a probability vector p, "
            "which may contain zeros.",
            variable="entropy_bits",
            signature="entropy_bits(p)",
            reference=lambda p: info.entropy(p, base=2),
            cases=[
                (np.array([0.5, 0.5]),),
                (np.array([0.9, 0.1]),),
                (np.full(8, 1 / 8),),
                (np.array([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 64, 1 / 64, 1 / 64, 1 / 64]),),
                (np.array([1.0, 0.0, 0.0]),),
                (np.array([0.25, 0.0, 0.25, 0.5]),),
            ],
            mistakes=[m.nats_for_bits(), m.missing_minus(), m.nan_from_zero_log_zero()],
            hints=[
                "Start from −Σ p log₂ p with numpy: np.sum and np.log2.",
                "Outcomes with p = 0 must contribute 0 (0 · log 0 = 0), but numpy computes "
                "0 · (−inf) = nan. Keep only the non-zero probabilities: p[p > 0].",
            ],
            solution_code=(
                "def entropy_bits(p):\n"
                "    p = np.asarray(p, dtype=float)\n"
                "    p = p[p > 0]  # 0 log 0 = 0: impossible outcomes contribute nothing\n"
                "    return -np.sum(p * np.log2(p))"
            ),
        ),
        "q4": ChoiceExercise(
            prompt="Which distribution over four outcomes has the largest entropy?",
            variable="answer_largest_entropy",
            options={
                "a": "(0.7, 0.1, 0.1, 0.1)",
                "b": "(0.25, 0.25, 0.25, 0.25)",
                "c": "(0.5, 0.5, 0, 0)",
                "d": "(1, 0, 0, 0)",
            },
            answer="b",
            explanations={
                "a": "(0.7, 0.1, 0.1, 0.1) has all four outcomes possible, but one dominates: "
                "outcomes are predictable most of the time, so the average surprise is low "
                "(1.36 bits).",
                "b": "The uniform distribution has the largest entropy, log₂ 4 = 2 bits: no "
                "outcome is more predictable than another.",
                "c": "(0.5, 0.5, 0, 0) is uniform over only two of the four outcomes: its entropy "
                "is 1 bit, the maximum for two outcomes, but four possible outcomes allow 2.",
                "d": "(1, 0, 0, 0) is certain: there is never any surprise, so its entropy is 0, "
                "the smallest possible.",
            },
            hints=["Entropy is largest when the outcome is hardest to predict."],
            solution_code='answer_largest_entropy = "b"',
        ),
        "q5": ChoiceExercise(
            prompt="True or false: like the entropy of a discrete distribution, the differential "
            "entropy of a density is never negative.",
            variable="answer_never_negative",
            options={True: "true", False: "false"},
            answer=False,
            explanations={
                True: "Not for densities: a density can exceed 1, so −log p(x) can be negative. "
                f"N(0, 0.1²) has ½ log(2πe · 0.01) = {gaussian_entropy(0.1):.3f} nats.",
                False: "The differential entropy of N(0, σ²) is negative for "
                "σ < 1/√(2πe) ≈ 0.242, and the uniform density on [0, ½] has −ln 2.",
            },
            hints=["Try a narrow Gaussian in the explorer: what happens below σ ≈ 0.24?"],
            solution_code="answer_never_negative = False",
        ),
        "q6": ValueExercise(
            prompt="The standard deviation σ at which N(0, σ²) has a differential entropy of "
            "exactly 1 bit.",
            variable="sigma_one_bit",
            reference=_sigma_for_bits,
            args=(1.0,),
            mistakes=[
                m.variance_for_std(),
                m.confused_with(
                    "solved in nats",
                    lambda h: np.sqrt(np.exp(2 * h) / (2 * np.pi * np.e)),
                    "That σ gives an entropy of 1 nat, not 1 bit. Solve ½ log₂(2πeσ²) = 1, i.e. "
                    "2πeσ² = 2² (in nats the right side would be e²).",
                ),
            ],
            hints=[
                "In bits the differential entropy is ½ log₂(2πeσ²). Set it to 1 and solve for σ.",
                "½ log₂(2πeσ²) = 1 means 2πeσ² = 4.",
            ],
            solution_code="sigma_one_bit = np.sqrt(4 / (2 * np.pi * np.e))  # from (1/2) log2(2 pi e sigma^2) = 1",
        ),
    },
)
