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


def _remainder_distribution(faces):
    """Probabilities of (a + b) mod ``faces`` for two independent fair dice with ``faces`` sides."""
    sides = np.arange(1, faces + 1)
    remainders = np.add.outer(sides, sides) % faces
    return np.bincount(remainders.ravel(), minlength=faces) / remainders.size


def _remainder_entropy(faces):
    """Entropy in nats of the remainder of the sum of two fair dice divided by ``faces``."""
    return info.entropy(_remainder_distribution(faces))


def _sum_entropy(faces):
    """Entropy in nats of the sum itself of two fair dice (2 to 2·faces)."""
    sides = np.arange(1, faces + 1)
    sums = np.add.outer(sides, sides).ravel()
    return info.entropy(np.bincount(sums)[2:] / sums.size)


def _one_outcome_too_few_or_many(result, args, expected):
    """ln(n − 1) or ln(n + 1): a uniform distribution over one outcome too few or too many."""
    n = args[0]
    return any(m.close(result, np.log(k), rtol=2e-3) for k in (n - 1, n + 1))


def _entropy_bits(p):
    return info.entropy(p, base=2)


EXERCISES = ExerciseSet(
    "01",
    "Surprise and entropy",
    {
        "q1": ValueExercise(
            prompt="Two fair six-sided dice are rolled independently, and you are told only the "
            "remainder of their sum after division by 6 (a number from 0 to 5). What is the "
            "entropy of that remainder, in nats, to 6 significant figures?",
            variable="entropy_die",
            reference=_remainder_entropy,
            args=(6,),
            unit="nats",
            digits=6,
            mistakes=[
                m.bits_for_nats(),
                m.missing_minus(
                    "Your result has the right size but the wrong sign. Entropy is the average "
                    "of −log p(x), and each −log p(x) is positive (a probability is at most 1): "
                    "keep the minus sign of −Σ p log p."
                ),
                m.confused_with(
                    "entropy of the sum",
                    lambda faces: _sum_entropy(faces),
                    "That is the entropy of the sum itself (2 to 12, with 7 the most likely). You "
                    "are told only the remainder, which folds the eleven sums onto six values: "
                    "count how many of the 36 pairs give each remainder.",
                ),
                m.confused_with(
                    "entropy of the pair",
                    lambda faces: 2 * np.log(faces),
                    "That is the entropy of the pair of faces, 36 equally likely outcomes "
                    "(ln 36 = 2 ln 6: the two dice's entropies add). The remainder tells you "
                    "less than the pair: find its own distribution.",
                ),
                m.confused_with(
                    "one term of the sum",
                    lambda faces: np.log(faces) / faces,
                    "That is one term, p log(1/p), of the entropy. The entropy adds such a term "
                    "for every value of the remainder.",
                ),
                m.confused_with(
                    "log base 10",
                    lambda faces: _remainder_entropy(faces) / np.log(10),
                    "You used log₁₀: base 10 gives neither bits nor nats (its unit is the "
                    "hartley). Nats use the natural logarithm, np.log.",
                ),
                m.Predicate(
                    "one outcome too few or too many",
                    "Your result is ln 5 or ln 7: a uniform distribution over one value too few "
                    "or too many. The remainder after division by 6 takes the six values "
                    "0, 1, 2, 3, 4 and 5.",
                    _one_outcome_too_few_or_many,
                    lambda reference: lambda faces: np.log(faces + 1),
                ),
            ],
            hints=[
                "The entropy depends only on the probabilities of the six remainders: find "
                "them first.",
                "List the 36 equally likely pairs of faces, e.g. "
                "np.add.outer(faces, faces) % 6 with faces = np.arange(1, 7), and count how many "
                "pairs give each remainder (np.bincount).",
                "Every remainder comes from the same number of pairs. Which entropy does a "
                "distribution of that shape have (lecture section on the extremes)?",
            ],
            solution_code=(
                "faces = np.arange(1, 7)\n"
                "remainders = np.add.outer(faces, faces) % 6  # the 36 equally likely pairs\n"
                "p = np.bincount(remainders.ravel(), minlength=6) / remainders.size\n"
                "entropy_die = -np.sum(p * np.log(p))  # p is uniform over 6 values: ln 6"
            ),
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
                m.confused_with(
                    "a spade, not the ace of spades",
                    lambda p: -np.log2(13 * p),
                    "Your result is the surprise of drawing *a spade* (13 of the 52 cards, "
                    "p = 1/4): 2 bits. The ace of spades is also an ace, a second independent "
                    "fact: add the surprise of an ace (p = 1/13), or use p = 1/52 directly.",
                ),
                m.confused_with(
                    "log base 10",
                    lambda p: -np.log10(p),
                    "You used log₁₀: base 10 gives neither bits nor nats (its unit is the "
                    "hartley). Bits use np.log2, or divide by log₁₀ 2.",
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
            prompt="Write my_entropy_bits(p): the entropy in bits of a probability vector p, "
            "which may contain zeros (a new name, so that the lecture's own entropy_bits stays "
            "as it is). The check tries six test cases, [1, 0, 0] among them, to a relative "
            "precision of 1e-6.",
            variable="my_entropy_bits",
            signature="my_entropy_bits(p)",
            reference=_entropy_bits,
            cases=[
                (np.array([0.5, 0.5]),),
                (np.array([0.9, 0.1]),),
                (np.full(8, 1 / 8),),
                (np.array([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 64, 1 / 64, 1 / 64, 1 / 64]),),
                (np.array([1.0, 0.0, 0.0]),),
                (np.array([0.25, 0.0, 0.25, 0.5]),),
            ],
            mistakes=[
                m.nats_for_bits(),
                m.Mistake(
                    "converted the wrong way",
                    "Your result is 1/ln 2 ≈ 1.443 times the entropy in bits: a conversion went "
                    "the wrong way, or was made twice. np.log2 already gives bits; to turn nats "
                    "(np.log) into bits, *divide* by ln 2; to turn bits into nats, multiply.",
                    lambda reference: lambda p: np.asarray(reference(p), dtype=float) / LN2,
                ),
                m.missing_minus(
                    "Your result has the right size but the wrong sign. Entropy is the average "
                    "of −log₂ p(x), and each −log₂ p(x) is positive (a probability is at most 1): "
                    "keep the minus sign of −Σ p log₂ p."
                ),
                m.nan_from_zero_log_zero(),
            ],
            hints=[
                "Start from −Σ p log₂ p with numpy: np.sum and np.log2.",
                "Outcomes with p = 0 must contribute 0 (0 · log 0 = 0), but numpy computes "
                "0 · (−inf) = nan. Keep only the non-zero probabilities: p[p > 0].",
            ],
            solution_code=(
                "def my_entropy_bits(p):\n"
                "    p = np.asarray(p, dtype=float)\n"
                "    p = p[p > 0]  # 0 log 0 = 0: impossible outcomes contribute nothing\n"
                "    return -np.sum(p * np.log2(p))"
            ),
        ),
        "q4": ChoiceExercise(
            prompt="Which distribution over four outcomes has the largest entropy? Decide by "
            "reasoning first, then check with your my_entropy_bits.",
            variable="answer_largest_entropy",
            options={
                "a": "(1/3, 1/3, 1/3, 0)",
                "b": "(0.4, 0.2, 0.2, 0.2)",
                "c": "(0.5, 0.5, 0, 0)",
                "d": "(0.7, 0.1, 0.1, 0.1)",
            },
            answer="b",
            explanations={
                "a": "(1/3, 1/3, 1/3, 0) is uniform, but only over three outcomes: its entropy "
                "is log₂ 3 ≈ 1.585 bits, the most that three outcomes allow. Another option is "
                "not uniform, yet it makes all four outcomes possible and beats it: Jensen's "
                "bound log₂ n is reached only by the uniform distribution over *all* n outcomes.",
                "b": "(0.4, 0.2, 0.2, 0.2) has 1.922 bits: it is not uniform, but all four "
                "outcomes are possible and none dominates. The uniform distribution over three "
                "of the outcomes has only log₂ 3 ≈ 1.585 bits: an impossible outcome lowers the "
                "bound from log₂ 4 to log₂ 3.",
                "c": "(0.5, 0.5, 0, 0) is uniform over two outcomes: 1 bit, the most that two "
                "outcomes allow, and far below what four allow.",
                "d": "(0.7, 0.1, 0.1, 0.1) makes all four outcomes possible, but one dominates: "
                "most draws are unsurprising, and the entropy is only 1.357 bits.",
            },
            hints=[
                "Entropy is largest when the outcome is hardest to predict, but being uniform "
                "is not the whole story: count how many outcomes each distribution makes "
                "possible.",
                "A distribution with k possible outcomes has at most log₂ k bits. Compare the "
                "bounds, then compute the candidates with my_entropy_bits.",
            ],
            solution_code='answer_largest_entropy = "b"',
        ),
        "q5": ChoiceExercise(
            prompt="True or false: a density that never exceeds 1 can still have a negative "
            "differential entropy.",
            variable="answer_never_negative",
            options={True: "true", False: "false"},
            answer=False,
            explanations={
                True: "Not so: where p(x) ≤ 1, −log p(x) ≥ 0, and h = ⟨−log p(x)⟩ is an average "
                "of such numbers, so h ≥ 0. A negative differential entropy needs a density "
                f"above 1 somewhere: N(0, 0.1²) peaks at {1 / (0.1 * np.sqrt(2 * np.pi)):.2f} and "
                f"has h = −{-gaussian_entropy(0.1):.3f} nats.",
                False: "Where p(x) ≤ 1, every −log p(x) ≥ 0, and so is their average h. A "
                "density must exceed 1 somewhere for h to be negative, but that alone is not "
                f"enough: N(0, 0.3²) peaks at {1 / (0.3 * np.sqrt(2 * np.pi)):.2f} and still has "
                f"h = +{gaussian_entropy(0.3):.3f} nats. For a Gaussian, h < 0 exactly when the "
                "peak rises above √e ≈ 1.65 (explorer 1.3).",
            },
            hints=[
                "The differential entropy is an average: h = ⟨−log p(x)⟩ over x drawn from p.",
                "What sign does −log p(x) have at a point where p(x) ≤ 1? And an average of "
                "such numbers?",
            ],
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
                m.confused_with(
                    "where h = 0",
                    lambda h: 1 / np.sqrt(2 * np.pi * np.e),
                    "That σ = 1/√(2πe) is where the differential entropy is 0, not 1 bit. One "
                    "bit more needs a wider Gaussian: doubling σ adds log₂ 2 = 1 bit.",
                ),
            ],
            hints=[
                "Write the differential entropy in bits: the formula ½ log(2πeσ²) with log₂.",
                "Multiply both sides of ½ log₂(2πeσ²) = 1 by 2 and undo the log₂ "
                "(log₂ y = b means y = 2ᵇ); then solve for σ.",
                "Check with the rescaling rule: doubling σ adds exactly 1 bit, so your σ is "
                "twice the σ at which h = 0.",
            ],
            solution_code=(
                "# (1/2) log2(2 pi e sigma^2) = 1 means 2 pi e sigma^2 = 2^2 = 4\n"
                "sigma_one_bit = np.sqrt(4 / (2 * np.pi * np.e))"
            ),
        ),
        "q7": ValueExercise(
            prompt="Tosses of a coin with P(heads) = 0.8 are written down two at a time with the "
            "prefix code HH → 0, HT → 10, TH → 110, TT → 111 (a Huffman code for pairs). How many "
            "bits per toss does it use on average? Give the exact value (the check accepts it "
            "to 6 significant figures).",
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
                m.confused_with(
                    "heads and tails swapped",
                    lambda p, lengths: _bits_per_toss(1 - p, lengths),
                    "Your result gives the short codewords to the rare pairs: it is the length "
                    "per toss if *tails* had probability 0.8. Heads has P = 0.8, so HH "
                    "(probability 0.64) gets the 1-bit codeword 0 and TT (0.04) a 3-bit one.",
                ),
                m.confused_with(
                    "heads and tails swapped, per pair",
                    lambda p, lengths: 2 * _bits_per_toss(1 - p, lengths),
                    "Two slips: the short codewords went to the rare pairs (heads, not tails, "
                    "has P = 0.8, so HH with probability 0.64 gets the codeword 0), and the "
                    "result is per pair: each codeword covers two tosses, so divide by 2.",
                ),
                m.confused_with(
                    "entropy of a pair",
                    lambda p, lengths: 2 * info.binary_entropy(p, base=2),
                    "That is the entropy of a pair of tosses, 2 H₂(0.8): the lower bound for a "
                    "code for pairs, per pair. The question asks for the mean length this "
                    "particular code uses, per toss.",
                ),
                m.confused_with(
                    "the upper bound H + 1/2",
                    lambda p, lengths: info.binary_entropy(p, base=2) + 0.5,
                    "That is H₂(0.8) + ½, the *upper bound* the theorem guarantees for the best "
                    "code for pairs, per toss. This code's own mean length lies inside the band "
                    "from H₂(0.8) to H₂(0.8) + ½: compute Σ p(pair) · length(pair), per toss.",
                ),
                m.confused_with(
                    "the lecture's coin",
                    lambda p, lengths: _bits_per_toss(0.9, lengths),
                    "That is the pair code of the lecture's coin, with P(heads) = 0.9. This coin "
                    "has P(heads) = 0.8: its pairs have other probabilities.",
                ),
            ],
            hints=[
                "The mean length is the average of the codeword lengths, weighted by how often "
                "each pair occurs.",
                "Independent tosses multiply: P(HH) = 0.8 × 0.8, and so on. Then "
                "Σ p(pair) · length(pair) is the mean length per *pair*.",
                "Each codeword covers two tosses. Check: the answer per toss lies between "
                "H₂(0.8) ≈ 0.722 and the 1 bit per toss that a code for single tosses needs.",
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
