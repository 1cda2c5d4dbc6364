"""Exercises of lecture 01 (Surprise and entropy)."""

import numpy as np

from coursekit import info
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import gaussian_entropy


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


def _entropy_of_counts(counts, base=2):
    """Entropy, in the unit of ``base``, of the frequencies ``counts / counts.sum()``."""
    counts = np.asarray(counts, dtype=float)
    return info.entropy(counts / counts.sum(), base=base)


def _observed_surprises(counts, base):
    """The surprises −log_base p of the outcomes that were observed (count > 0)."""
    counts = np.asarray(counts, dtype=float)
    p = counts[counts > 0] / counts.sum()
    return -np.log(p) / np.log(base)


def _unnormalised_counts(counts, base=2):
    """−Σ c log c: the counts used as if they were probabilities."""
    counts = np.asarray(counts, dtype=float)
    counts = counts[counts > 0]
    return float(-np.sum(counts * np.log(counts)) / np.log(base))


def _unweighted_mean(result, args, expected):
    """The surprises averaged as if every outcome were equally likely, in the asked base or
    in base 2, e or 10 (∞ where a count is 0 and the zero was not left out)."""
    counts, base = args
    if np.isposinf(result):
        return bool(np.any(np.asarray(counts) == 0))
    return any(
        m.close(result, np.mean(_observed_surprises(counts, b))) for b in (base, 2, np.e, 10)
    )


def _in_base(base):
    """A mistake that computes the entropy in one fixed ``base``, whatever base is asked."""
    return lambda reference: lambda counts, asked=2: reference(counts, base)


def _red_face_surprise(p_red, p_face):
    """Surprise in bits of learning two independent facts: −log₂(p_red · p_face)."""
    return -np.log2(p_red * p_face)


def _confusions(*rows):
    """``m.confused_with`` rules from rows (name, the wrong value as a function of the
    exercise's arguments, message): the tables below are kept compact (``fmt: off``)."""
    return [m.confused_with(*row) for row in rows]


ENTROPY_SIGN = (
    "Your result has the right size but the wrong sign. Entropy is the average of −log p(x), "
    "and each −log p(x) is positive (a probability is at most 1): keep the minus sign of "
    "−Σ p log p."
)

# fmt: off
REMAINDER_MISTAKES = [
    m.bits_for_nats(),
    m.missing_minus(ENTROPY_SIGN),
    *_confusions(
        ("entropy of the sum", lambda faces: _sum_entropy(faces),
         "That is the entropy of the sum itself (2 to 12, with 7 the most likely). You are told "
         "only the remainder, which folds the eleven sums onto six values: count how many of the "
         "36 pairs give each remainder."),
        ("entropy of the pair", lambda faces: 2 * np.log(faces),
         "That is the entropy of the pair of faces, 36 equally likely outcomes (ln 36 = 2 ln 6: "
         "the two dice's entropies add). The remainder tells you less than the pair: find its own "
         "distribution."),
        ("one term of the sum", lambda faces: np.log(faces) / faces,
         "That is one term, p log(1/p), of the entropy. The entropy adds such a term for every "
         "value of the remainder."),
        ("log base 10", lambda faces: _remainder_entropy(faces) / np.log(10),
         "You used log₁₀: base 10 gives neither bits nor nats (its unit is the hartley). Nats use "
         "the natural logarithm, np.log."),
        ("the eleven sums as equally likely", lambda faces: np.log(2 * faces - 1),
         "That is ln 11, the entropy of eleven equally likely values: the sums 2 to 12 taken as "
         "equally likely. They are not (7 comes from six pairs, 2 from one), and you are told only "
         "the remainder, which folds the eleven sums onto six values: count how many of the 36 "
         "pairs give each remainder."),
        ("twelve equally likely values", lambda faces: np.log(2 * faces),
         "That is ln 12, the entropy of twelve equally likely values, as if the sum ran from 1 to "
         "12. The remainder after division by 6 takes only six values, 0 to 5: count how many of "
         "the 36 pairs give each."),
    ),
    m.Predicate(
        "one outcome too few or too many",
        "Your result is ln 5 or ln 7: a uniform distribution over one value too few or too many. "
        "The remainder after division by 6 takes the six values 0, 1, 2, 3, 4 and 5.",
        _one_outcome_too_few_or_many, lambda reference: lambda faces: np.log(faces + 1),
    ),
]

CARD_MISTAKES = [
    m.nats_for_bits(),
    m.missing_minus(),
    *_confusions(
        ("red only", lambda p_red, p_face: -np.log2(p_red),
         "That is the surprise of *red* alone (26 of the 52 cards): 1 bit. You also learned that "
         "it is a face card, a second fact with its own surprise."),
        ("face card only", lambda p_red, p_face: -np.log2(p_face),
         "That is the surprise of *a face card* alone (12 of the 52 cards), which is also the two "
         "surprises multiplied (× 1 bit). Surprises of independent facts *add*, because their "
         "probabilities multiply: you also learned *red*."),
        ("one suit's face cards", lambda p_red, p_face: -np.log2(p_red * p_face / 2),
         "Your result is −log₂(3/52): three red face cards. Red has two suits, hearts and "
         "diamonds, each with a jack, a queen and a king: six cards."),
        ("aces counted as face cards", lambda p_red, p_face: -np.log2(p_red * (p_face + 1 / 13)),
         "Your result counts eight red face cards, −log₂(8/52): the aces are not face cards. The "
         "face cards are the jack, queen and king of each suit."),
        ("probabilities added", lambda p_red, p_face: -np.log2(p_red + p_face),
         "You added the probabilities of the two facts, 1/2 + 12/52. Both facts hold at once: for "
         "independent facts the probabilities *multiply* (and the surprises add)."),
        ("the probability, not its surprise", lambda p_red, p_face: p_red * p_face,
         "That is the probability of a red face card, 6/52. The surprise is −log₂ of it."),
        ("log base 10", lambda p_red, p_face: -np.log10(p_red * p_face),
         "You used log₁₀: base 10 gives neither bits nor nats (its unit is the hartley). Bits use "
         "np.log2, or divide by log₁₀ 2."),
    ),
]

COUNT_MISTAKES = [
    m.Mistake(
        "counts used as probabilities",
        "Your function uses the counts themselves as probabilities. Turn them into frequencies "
        "first, p = counts / counts.sum(): probabilities add up to 1 (counts [9, 1] mean "
        "p = [0.9, 0.1]).",
        lambda reference: _unnormalised_counts,
    ),
    m.Mistake(
        "bits whatever the base",
        "Your function returns bits whatever base it is given: for base = np.e it should give "
        "nats, for base = 10 the logarithm in base 10. Any base comes from the natural "
        "logarithm: log_b x = ln x / ln b.",
        _in_base(2),
    ),
    m.Mistake(
        "natural log whatever the base",
        "Your function returns nats (np.log) whatever base it is given: for base = 2 it should "
        "give bits. Any base comes from the natural logarithm: log_b x = ln x / ln b, so divide "
        "by np.log(base).",
        _in_base(np.e),
    ),
    m.Mistake(
        "log base 10 whatever the base",
        "Your function uses log₁₀ whatever base it is given. Any base comes from the natural "
        "logarithm: log_b x = ln x / ln b, so divide np.log(p) by np.log(base).",
        _in_base(10),
    ),
    m.Mistake(
        "converted the wrong way",
        "Your results are (ln b)² times the answers: you multiplied by ln b where you should "
        "divide. log_b x = ln x / ln b (for bits, ln x / ln 2 ≈ 1.443 ln x).",
        lambda reference: lambda counts, base=2: reference(counts, base) * np.log(base) ** 2,
    ),
    m.missing_minus(ENTROPY_SIGN),
    m.nan_from_zero_log_zero(),
    m.Predicate(
        "unweighted mean of surprises",
        "Your result is the plain average of the surprises −log p(x), as if every outcome were "
        "equally likely (np.mean). Entropy weights each outcome's surprise by how often it "
        "happens: Σ p(x) · (−log p(x)), with np.sum.",
        _unweighted_mean,
        lambda reference: lambda counts, base=2: float(np.mean(_observed_surprises(counts, base))),
    ),
]

SIGMA_MISTAKES = [
    m.variance_for_std(),
    *_confusions(
        ("solved in nats", lambda h: np.sqrt(np.exp(2 * h) / (2 * np.pi * np.e)),
         "That σ gives an entropy of 1 nat, not 1 bit. Solve ½ log₂(2πeσ²) = 1, i.e. 2πeσ² = 2² "
         "(in nats the right side would be e²)."),
        ("missing ½", lambda h: np.sqrt(2.0**h / (2 * np.pi * np.e)),
         "That σ solves log₂(2πeσ²) = 1: the factor ½ of the formula h = ½ log₂(2πeσ²) is missing. "
         "With it, 2πeσ² = 2² = 4."),
        ("missing +½", lambda h: np.sqrt(2.0 ** (2 * h) / (2 * np.pi)),
         "That σ solves ½ log₂(2πσ²) = 1: the e of 2πe is missing. It is the + ½ of the "
         "derivation, h = ½ ln(2πσ²) + ½ = ½ ln(2πeσ²); in bits, solve ½ log₂(2πeσ²) = 1."),
        ("where h = 0", lambda h: 1 / np.sqrt(2 * np.pi * np.e),
         "That σ = 1/√(2πe) is where the differential entropy is 0, not 1 bit. One bit more needs "
         "a wider Gaussian: doubling σ adds log₂ 2 = 1 bit."),
    ),
]

PAIR_CODE_MISTAKES = [
    *_confusions(
        ("bits per pair", lambda p, lengths: 2 * _bits_per_toss(p, lengths),
         "Your result is the mean length of a codeword, and each codeword stands for *two* tosses: "
         "that is bits per pair. Divide by 2 for bits per toss."),
    ),
    m.Predicate(
        "unweighted mean of code lengths",
        "Your result is the plain average of the four codeword lengths, as if the four pairs were "
        "equally likely. They are not: HH happens with probability 0.8 × 0.8 = 0.64 and TT with "
        "0.04. Weight each length by its pair's probability: Σ p(pair) · length(pair).",
        _unweighted_lengths, lambda reference: lambda p, lengths: float(np.mean(lengths)) / 2,
    ),
    *_confusions(
        ("entropy instead of code length", lambda p, lengths: info.binary_entropy(p, base=2),
         "Your result is the entropy H₂(0.8) of one toss: the lower bound that no code can beat, "
         "not the length this code uses. A code with whole-bit codewords needs more; compute this "
         "code's own mean length per toss."),
        ("heads and tails swapped", lambda p, lengths: _bits_per_toss(1 - p, lengths),
         "Your result gives the short codewords to the rare pairs: it is the length per toss if "
         "*tails* had probability 0.8. Heads has P = 0.8, so HH (probability 0.64) gets the 1-bit "
         "codeword 0 and TT (0.04) a 3-bit one."),
        ("heads and tails swapped, per pair", lambda p, lengths: 2 * _bits_per_toss(1 - p, lengths),
         "Two slips: the short codewords went to the rare pairs (heads, not tails, has P = 0.8, so "
         "HH with probability 0.64 gets the codeword 0), and the result is per pair: each codeword "
         "covers two tosses, so divide by 2."),
        ("entropy of a pair", lambda p, lengths: 2 * info.binary_entropy(p, base=2),
         "That is the entropy of a pair of tosses, 2 H₂(0.8): the lower bound for a code for "
         "pairs, per pair. The question asks for the mean length this particular code uses, per "
         "toss."),
        ("the upper bound H + 1/2", lambda p, lengths: info.binary_entropy(p, base=2) + 0.5,
         "That is H₂(0.8) + ½, the *upper bound* the theorem guarantees for the best code for "
         "pairs, per toss. This code's own mean length lies inside the band from H₂(0.8) to "
         "H₂(0.8) + ½: compute Σ p(pair) · length(pair), per toss."),
        ("the lecture's coin", lambda p, lengths: _bits_per_toss(0.9, lengths),
         "That is the pair code of the lecture's coin, with P(heads) = 0.9. This coin has P(heads) "
         "= 0.8: its pairs have other probabilities."),
    ),
]
# fmt: on


EXERCISES = ExerciseSet(
    "01",
    "Surprise and entropy",
    {
        "q1": ValueExercise(
            prompt="Two fair six-sided dice are rolled independently, and you are told only the "
            "remainder of their sum after division by 6 (a number from 0 to 5). What is the "
            "entropy of that remainder, in nats, to 6 significant figures?",
            variable="entropy_remainder",
            reference=_remainder_entropy,
            args=(6,),
            unit="nats",
            digits=6,
            mistakes=REMAINDER_MISTAKES,
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
                "# every remainder comes from 6 of the 36 pairs: p is uniform over 6 values,\n"
                "# so the remainder has ln 6 nats, exactly as much as one die\n"
                "entropy_remainder = -np.sum(p * np.log(p))"
            ),
        ),
        "q2": ValueExercise(
            prompt="A card is drawn from a shuffled deck of 52, and you learn two facts about "
            "it: it is red (a heart or a diamond), and it is a face card (a jack, queen or "
            "king). What is the surprise, in bits, of learning both facts, to 6 significant "
            "figures?",
            variable="surprise_red_face",
            reference=_red_face_surprise,
            args=(26 / 52, 12 / 52),
            unit="bits",
            digits=6,
            mistakes=CARD_MISTAKES,
            hints=[
                "The surprise is −log₂ of the probability of what you learned: here, that the "
                "card is red *and* a face card.",
                "Count the cards that are both, or use additivity: are the two facts "
                "independent (is P(red and face) = P(red) · P(face))? Then their surprises add.",
                "Red: 26 of 52 cards, 1 bit. Face card: 12 of 52. Red face cards: the jack, "
                "queen and king of hearts and of diamonds.",
            ],
            solution_code=(
                "p_red, p_face = 26 / 52, 12 / 52  # hearts or diamonds; J, Q or K of 4 suits\n"
                "p_both = 6 / 52  # J, Q, K of hearts and diamonds: p_red * p_face, independent\n"
                "surprise_red_face = -np.log2(p_both)  # = -log2(p_red) - log2(p_face): they add"
            ),
        ),
        "q3": FunctionExercise(
            prompt="Write entropy_of_counts(counts, base=2): the entropy of the frequencies "
            "observed in counts (counts[i] is how often outcome i was seen; the probabilities "
            "are the counts divided by their total), in the unit of the logarithm's base: bits "
            "for 2, nats for np.e. Some counts are 0, and counts may be a numpy array, a list or "
            "a tuple. The check tries seven test cases, in bases 2, e and 10, to a relative "
            "precision of 1e-6.",
            variable="entropy_of_counts",
            signature="entropy_of_counts(counts, base=2)",
            reference=_entropy_of_counts,
            cases=[
                ((1, 1), 2),  # a tuple: no .sum(), and (1, 1) > 0 raises a TypeError
                (np.array([9, 1]), 2),
                (np.array([5, 0, 3, 2]), 2),
                (np.array([0, 7, 0]), 2),
                (np.full(8, 3), 2),
                (np.array([2, 1, 1]), np.e),
                (np.array([12, 6, 3, 3]), 10),
            ],
            mistakes=COUNT_MISTAKES,
            hints=[
                "Turn the counts into probabilities first; then it is the entropy of the "
                "lecture, in a base of your choice.",
                "Any base from the natural logarithm: log_b x = ln x / ln b. Outcomes never "
                "seen must contribute 0 (0 log 0 = 0), but numpy computes 0 · (−inf) = nan and "
                "math.log2(0) raises 'math domain error': keep only the non-zero probabilities.",
                "counts = np.asarray(counts, dtype=float) (a tuple has no .sum()); "
                "p = counts / counts.sum(); p = p[p > 0]; then −Σ p ln p, divided by "
                "np.log(base).",
            ],
            solution_code=(
                "def entropy_of_counts(counts, base=2):\n"
                "    counts = np.asarray(counts, dtype=float)  # a list or a tuple works too\n"
                "    p = counts / counts.sum()  # frequencies: probabilities that add up to 1\n"
                "    p = p[p > 0]  # 0 log 0 = 0: outcomes never seen contribute nothing\n"
                "    return -np.sum(p * np.log(p)) / np.log(base)  # log_b x = ln x / ln b"
            ),
        ),
        "q4": ChoiceExercise(
            prompt="Which distribution over four outcomes has the largest entropy? Decide by "
            "reasoning first, then check with your entropy_of_counts (probabilities are counts "
            "too).",
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
                "bounds, then compute the candidates with entropy_of_counts.",
            ],
            solution_code=(
                "# (1/3, 1/3, 1/3, 0) reaches log2 3, the most for three possible outcomes; "
                "(0.4, 0.2, 0.2, 0.2)\n"
                "# makes all four possible with none dominant, and has more: 1.922 bits\n"
                'answer_largest_entropy = "b"'
            ),
        ),
        "q5": ChoiceExercise(
            prompt="True or false: a density that never exceeds 1 can still have a negative "
            "differential entropy.",
            variable="answer_true_or_false",
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
            solution_code=(
                "# where p(x) <= 1, -log p(x) >= 0, and h is an average of such numbers\n"
                "answer_true_or_false = False"
            ),
        ),
        "q6": ValueExercise(
            prompt="The standard deviation σ at which N(0, σ²) has a differential entropy of "
            "exactly 1 bit, to 6 significant figures.",
            variable="sigma_one_bit",
            reference=_sigma_for_bits,
            args=(1.0,),
            digits=6,
            mistakes=SIGMA_MISTAKES,
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
            mistakes=PAIR_CODE_MISTAKES,
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
