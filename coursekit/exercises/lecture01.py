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


def _pair_probabilities(p_heads):
    """Probabilities of the pairs HH, HT, TH, TT of two independent tosses."""
    p, q = p_heads, 1.0 - p_heads
    return np.array([p * p, p * q, q * p, q * q])


def _bits_per_toss(p_heads, lengths):
    """Mean length per toss of a code for pairs: Σ p(pair) · length(pair) / 2."""
    return float(np.sum(_pair_probabilities(p_heads) * np.asarray(lengths))) / 2


def _unweighted_lengths(result, args, expected):
    """The codeword lengths averaged as if every pair were equally likely (per toss or pair)."""
    plain = float(np.mean(args[1]))
    return m.close(result, plain / 2) or m.close(result, plain)


EXERCISES = ExerciseSet(
    "01",
    "Surprise and entropy",
    {
        "q1": ValueExercise(
            prompt="The entropy of a fair six-sided die, in nats, to 6 significant figures.",
            variable="entropy_die",
            reference=info.entropy,
            args=(np.full(6, 1 / 6),),
            unit="nats",
            digits=6,
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
            "of 52 cards, to 6 significant figures.",
            variable="surprise_ace",
            reference=lambda p: info.surprise(p, base=2),
            args=(1 / 52,),
            unit="bits",
            digits=6,
            mistakes=[
                m.nats_for_bits(),
                m.missing_minus(),
                m.confused_with(
                    "an ace, not the ace of spades",
                    lambda p: -np.log2(4 * p),
                    "Your result is the surprise of drawing *an* ace (4 of the 52 cards, "
                    "p = 1/13). The ace of spades is one card: it is an ace *and* a spade, and "
                    "for independent facts the surprises add, so add the surprise of a spade "
                    "(p = 1/4), or use p = 1/52 directly.",
                ),
            ],
            hints=[
                "Surprise is −log p(x) of the outcome that happened; bits use np.log2.",
                "The ace of spades is one card of 52. Or use additivity: it is an ace "
                "(p = 1/13) and a spade (p = 1/4), two independent facts whose surprises add.",
            ],
            solution_code="surprise_ace = -np.log2(1 / 52)",
        ),
        "q3": FunctionExercise(
            prompt="Write entropy_bits(p): the entropy in bits of a probability vector p, "
            "which may contain zeros (checked to a relative precision of 1e-6).",
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
                "outcome is more predictable than another (Jensen's inequality gives "
                "H ≤ log n, with equality only for the uniform distribution).",
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
                "σ < 1/√(2πe) ≈ 0.242, and the uniform density on [0, ½] has −ln 2. A "
                "probability is at most 1, so a discrete surprise is never negative; a density "
                "can exceed 1.",
            },
            hints=["Try a narrow Gaussian in the explorer: what happens below σ ≈ 0.24?"],
            solution_code="answer_never_negative = False",
        ),
        "q6": ValueExercise(
            prompt="The standard deviation σ at which N(0, σ²) has a differential entropy of "
            "exactly 1 bit, to 6 significant figures.",
            variable="sigma_one_bit",
            reference=_sigma_for_bits,
            args=(1.0,),
            digits=6,
            mistakes=[
                m.variance_for_std(),
                m.confused_with(
                    "solved in nats",
                    lambda h: np.sqrt(np.exp(2 * h) / (2 * np.pi * np.e)),
                    "That σ gives an entropy of 1 nat, not 1 bit. Solve ½ log₂(2πeσ²) = 1, i.e. "
                    "2πeσ² = 2² (in nats the right side would be e²).",
                ),
                m.confused_with(
                    "missing ½",
                    lambda h: np.sqrt(2.0**h / (2 * np.pi * np.e)),
                    "That σ solves log₂(2πeσ²) = 1: the factor ½ of the formula "
                    "h = ½ log₂(2πeσ²) is missing. With it, 2πeσ² = 2² = 4.",
                ),
            ],
            hints=[
                "In bits the differential entropy is ½ log₂(2πeσ²). Set it to 1 and solve for σ.",
                "½ log₂(2πeσ²) = 1 means 2πeσ² = 4.",
            ],
            solution_code=(
                "# (1/2) log2(2 pi e sigma^2) = 1 means 2 pi e sigma^2 = 2^2 = 4\n"
                "sigma_one_bit = np.sqrt(4 / (2 * np.pi * np.e))"
            ),
        ),
        "q7": ValueExercise(
            prompt="Tosses of a coin with P(heads) = 0.8 are written down two at a time with the "
            "prefix code HH → 0, HT → 10, TH → 110, TT → 111 (a Huffman code for pairs). How many "
            "bits per toss does it use on average? The answer is exact: give 6 significant "
            "figures.",
            variable="bits_per_toss",
            reference=_bits_per_toss,
            args=(0.8, (1, 2, 3, 3)),
            unit="bits per toss",
            digits=6,
            mistakes=[
                m.confused_with(
                    "bits per pair",
                    lambda p, lengths: 2 * _bits_per_toss(p, lengths),
                    "Your result is the mean length of a codeword, and each codeword stands for "
                    "*two* tosses: that is bits per pair. Divide by 2 for bits per toss.",
                ),
                m.Predicate(
                    "unweighted mean of code lengths",
                    "Your result is the plain average of the four codeword lengths, as if the "
                    "four pairs were equally likely. They are not: HH happens with probability "
                    "0.8 × 0.8 = 0.64 and TT with 0.04. Weight each length by its pair's "
                    "probability: Σ p(pair) · length(pair).",
                    _unweighted_lengths,
                    lambda reference: lambda p, lengths: float(np.mean(lengths)) / 2,
                ),
                m.confused_with(
                    "entropy instead of code length",
                    lambda p, lengths: info.binary_entropy(p, base=2),
                    "Your result is the entropy H₂(0.8) of one toss: the lower bound that no code "
                    "can beat, not the length this code uses. A code with whole-bit codewords "
                    "needs more; compute this code's own mean length per toss.",
                ),
            ],
            hints=[
                "Independent tosses multiply: the pairs HH, HT, TH, TT have probabilities "
                "0.64, 0.16, 0.16 and 0.04.",
                "The mean length per pair is Σ p(pair) · length(pair); each codeword covers "
                "two tosses.",
                "Check: the answer lies between H₂(0.8) per toss and the 1 bit per toss that a "
                "code for single tosses needs.",
            ],
            solution_code=(
                "p, q = 0.8, 0.2  # heads, tails\n"
                "p_pairs = np.array([p * p, p * q, q * p, q * q])  # HH, HT, TH, TT\n"
                "lengths = np.array([1, 2, 3, 3])  # codewords 0, 10, 110, 111\n"
                "bits_per_toss = np.sum(p_pairs * lengths) / 2  # each codeword covers two tosses"
            ),
        ),
    },
)
