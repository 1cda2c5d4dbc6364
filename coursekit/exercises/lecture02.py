"""Exercises of lecture 02 (Cross-entropy)."""

import numpy as np
from scipy.special import log_softmax

from coursekit import info
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m

# Olah's word distributions (Visual Information Theory): same entropy, different shapes.
P_WORDS = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
Q_WORDS = np.array([1 / 8, 1 / 2, 1 / 4, 1 / 8])
# Exercise 1: the weather (sun, cloud, rain) and a forecaster's belief about it.
P_WEATHER = np.array([0.6, 0.3, 0.1])
Q_WEATHER = np.array([0.2, 0.5, 0.3])
PREDICTED = np.array([0.15, 0.45, 0.3, 0.1])  # a classifier's probabilities for classes 1-4
LOGITS = np.array([1.5, 0.2, 3.0, -0.5])  # a network's logits for classes 1-4
# Exercise 7: Alice's code for dog, cat, fish, bird, used on Carol's words.
ALICE_CODE = ("110", "0", "10", "111")
P_CAROL = np.array([0.3, 0.1, 0.2, 0.4])


def _label_loss(predicted, label):
    """Cross-entropy loss of a one-based class label: −log q(label)."""
    return -np.log(predicted[label - 1])


def _logit_loss(logits, label):
    """Cross-entropy loss of a one-based class label from logits: −log softmax(z)[label]."""
    return -log_softmax(logits)[label - 1]


def _cross_entropy_bits(p, q):
    return info.cross_entropy(p, q, base=2)


def _mean_code_length(p, codewords):
    """Mean length Σ p(x) ℓ(x) of a code used on outcomes drawn from p."""
    return float(np.sum(np.asarray(p) * np.array([len(word) for word in codewords])))


def _swapped_cross_entropy() -> m.Mistake:
    """H(Q, P) given for H(P, Q), with a message about cross-entropy's two roles."""
    return m.Mistake(
        "swapped arguments",
        "Your result is H(Q, P): the two distributions are swapped. In "
        "H(P, Q) = −Σ p(x) log q(x) the first distribution, P, is where the outcomes come from "
        "and gives the weights; the second, Q, is the belief and sets the surprise −log q(x) "
        "paid for each outcome. Swap them back.",
        lambda reference: lambda a, b, *rest: reference(b, a, *rest),
    )


def _unweighted_surprise() -> m.Mistake:
    """The surprises −log₂ q(x) averaged as if every outcome were equally likely."""

    def unweighted(p, q):
        with np.errstate(divide="ignore"):
            return float(np.mean(-np.log2(np.asarray(q, dtype=float))))

    return m.confused_with(
        "unweighted mean of code lengths",
        unweighted,
        "Your result is the plain average of the surprises (code lengths) −log₂ q(x), as if "
        "every outcome were equally likely. Cross-entropy weights each outcome's surprise by "
        "how often it happens: H(P, Q) = Σ p(x) · (−log₂ q(x)).",
    )


def _dropped_impossible(p, q):
    """H(P, Q) with the outcomes that Q calls impossible left out (finite where it is ∞)."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    keep = (p > 0) & (q > 0)
    return -np.sum(p[keep] * np.log2(q[keep]))


def _entropy_bits(p, q):
    return info.entropy(p, base=2)


EXERCISES = ExerciseSet(
    "02",
    "Cross-entropy",
    {
        "q1": ValueExercise(
            prompt="In a town the days are sunny, cloudy or rainy with frequencies "
            "P = (0.6, 0.3, 0.1), and a forecaster believes Q = (0.2, 0.5, 0.3). What is the "
            "cross-entropy H(P, Q) in bits, to 6 significant figures?",
            variable="cross_entropy_weather",
            reference=_cross_entropy_bits,
            args=(P_WEATHER, Q_WEATHER),
            unit="bits",
            digits=6,
            mistakes=[
                _swapped_cross_entropy(),
                m.entropy_for_cross_entropy(_entropy_bits),
                _unweighted_surprise(),
                m.nats_for_bits(),
                m.missing_minus(),
            ],
            hints=[
                "H(P, Q) = −Σ p(x) log₂ q(x): weights from P (what happens), surprise from Q "
                "(what the forecaster believes).",
                "The terms are 0.6 · (−log₂ 0.2) + 0.3 · (−log₂ 0.5) + 0.1 · (−log₂ 0.3).",
            ],
            solution_code=(
                "p = np.array([0.6, 0.3, 0.1])  # what happens: sun, cloud, rain\n"
                "q = np.array([0.2, 0.5, 0.3])  # what the forecaster believes\n"
                "cross_entropy_weather = -np.sum(p * np.log2(q))"
            ),
        ),
        "q2": ValueExercise(
            prompt="A classifier predicts the probabilities (0.15, 0.45, 0.3, 0.1) for classes "
            "1, 2, 3 and 4, and the true class is 3. What is its cross-entropy loss in nats, "
            "to 6 significant figures?",
            variable="loss_class_3",
            reference=_label_loss,
            args=(PREDICTED, 3),
            unit="nats",
            digits=6,
            mistakes=[
                m.bits_for_nats(),
                m.missing_minus(),
                m.confused_with(
                    "zero-based class index",
                    lambda predicted, label: -np.log(predicted[label]),
                    "Your result is the loss of class 4: numpy counts from 0, so class 3 is "
                    "predicted[2], not predicted[3].",
                ),
                m.confused_with(
                    "loss of the predicted class",
                    lambda predicted, label: -np.log(np.max(predicted)),
                    "Your result is −log of the largest predicted probability, the loss the "
                    "classifier would have if its favourite class were right. The loss uses "
                    "the probability of the *true* class, −log q(true class), however small.",
                ),
            ],
            hints=[
                "With a one-hot P the cross-entropy keeps one term: −log q(true class).",
                "The true class 3 has predicted probability 0.3 (numpy index 2).",
            ],
            solution_code=(
                "predicted = np.array([0.15, 0.45, 0.3, 0.1])\n"
                "loss_class_3 = -np.log(predicted[2])  # class 3 is index 2"
            ),
        ),
        "q3": FunctionExercise(
            prompt="Write cross_entropy_bits(p, q): H(P, Q) in bits (checked to a relative "
            "precision of 1e-6). Outcomes with p = 0 contribute nothing, even where q = 0 "
            "too; an outcome with p > 0 that Q calls impossible (q = 0) makes H(P, Q) infinite.",
            variable="cross_entropy_bits",
            signature="cross_entropy_bits(p, q)",
            reference=_cross_entropy_bits,
            cases=[
                (P_WORDS, Q_WORDS),
                (Q_WORDS, P_WORDS),
                (np.full(4, 1 / 4), P_WORDS),
                (np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.75, 0.0])),
                (np.array([0.0, 1.0]), np.array([0.2, 0.8])),
                (np.array([0.5, 0.25, 0.25]), np.array([0.5, 0.5, 0.0])),
            ],
            mistakes=[
                _swapped_cross_entropy(),
                m.entropy_for_cross_entropy(_entropy_bits),
                _unweighted_surprise(),
                m.nats_for_bits(),
                m.missing_minus(),
                m.nan_from_zero_log_zero(),
                m.confused_with(
                    "impossible outcomes dropped",
                    _dropped_impossible,
                    "For p = [0.5, 0.25, 0.25] and q = [0.5, 0.5, 0] your function gives a "
                    "finite number, but the answer is ∞. The third outcome happens (p > 0) while "
                    "Q says it never does (q = 0): its surprise −log₂ 0 is infinite, and so is "
                    "H(P, Q). Leave out only the outcomes with p = 0, never those with q = 0.",
                ),
            ],
            hints=[
                "Start from −Σ p log₂ q with np.sum and np.log2.",
                "Where p = 0 and q = 0 numpy computes 0 · (−inf) = nan; keep only the "
                "outcomes with p > 0: mask = p > 0.",
                "Don't drop outcomes with q = 0 but p > 0: there −log₂ q = inf, and the right "
                "answer is inf (numpy gives it if you let it).",
            ],
            solution_code=(
                "def cross_entropy_bits(p, q):\n"
                "    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)\n"
                "    mask = p > 0  # outcomes that never happen cost nothing\n"
                "    with np.errstate(divide='ignore'):  # q = 0 where p > 0: -log2 0 = inf\n"
                "        return -np.sum(p[mask] * np.log2(q[mask]))"
            ),
        ),
        "q4": ChoiceExercise(
            prompt="Which statement holds for every pair of distributions P and Q?",
            variable="answer_always_true",
            options={
                "a": "H(P, Q) = H(Q, P)",
                "b": "H(P, Q) ≥ H(P)",
                "c": "H(P, Q) ≤ H(P)",
                "d": "H(P, Q) ≥ H(Q)",
            },
            answer="b",
            explanations={
                "a": "Cross-entropy is not symmetric: for Olah's pair H(P, Q) = 2.375 bits but "
                "H(Q, P) = 2.25 bits, although H(P) = H(Q) = 1.75 bits.",
                "b": "Gibbs' inequality: a code built for the wrong distribution can only cost "
                "extra bits on average; the excess H(P, Q) − H(P) is the KL divergence, ≥ 0.",
                "c": "It is the other way round: believing the wrong distribution never lowers "
                "the average surprise (Gibbs' inequality), H(P, Q) ≥ H(P).",
                "d": "The bound is the entropy of P, where the outcomes come from, not of the "
                "belief Q. With P = (1, 0) and Q = (0.9, 0.1), H(P, Q) = −log₂ 0.9 = 0.152 bits, "
                "less than H(Q) = 0.469 bits.",
            },
            hints=[
                "Think of codes: can a code built for the wrong distribution ever be shorter "
                "on average than the best one?"
            ],
            solution_code='answer_always_true = "b"',
        ),
        "q5": ChoiceExercise(
            prompt="True or false: minimising the average cross-entropy loss of a classifier "
            "over a data set is the same as maximising the likelihood of the data set's labels.",
            variable="answer_loss_is_likelihood",
            options={True: "true", False: "false"},
            answer=True,
            explanations={
                True: "The loss of one example is −log q(label), so the average loss is minus "
                "the mean log-likelihood of the labels: minimising one maximises the other.",
                False: "It is the same: each example's loss is −log q(label), the negative "
                "log-likelihood of its label; summing over examples gives the negative "
                "log-likelihood of the data set.",
            },
            hints=["Write the loss of one example with a one-hot P: which term survives?"],
            solution_code="answer_loss_is_likelihood = True",
        ),
        "q6": ValueExercise(
            prompt="A network outputs the logits (1.5, 0.2, 3.0, −0.5) for classes 1, 2, 3 and "
            "4, and the true class is 2. What is the cross-entropy loss in nats, to 6 "
            "significant figures?",
            variable="loss_logits",
            reference=_logit_loss,
            args=(LOGITS, 2),
            unit="nats",
            digits=6,
            mistakes=[
                m.confused_with(
                    "logits used as probabilities",
                    lambda logits, label: -np.log(logits[label - 1]),
                    "Logits are not probabilities: turn them into probabilities with the "
                    "softmax, q = exp(z) / Σ exp(z), before taking −log q(label).",
                ),
                m.confused_with(
                    "zero-based class index",
                    lambda logits, label: -log_softmax(logits)[label],
                    "Your result is the loss of class 3: numpy counts from 0, so class 2 is "
                    "index 1 (z[1]), not index 2.",
                ),
                m.confused_with(
                    "softmax without its normaliser",
                    lambda logits, label: -logits[label - 1],
                    "Your result is −z for the true class: the log of exp(z) without dividing "
                    "by Σ exp(z). The log-softmax is z − log Σ exp(z), so the loss is "
                    "log Σ_j exp(z_j) − z_true.",
                ),
                m.bits_for_nats(),
                m.missing_minus(),
            ],
            hints=[
                "First the softmax: q_c = exp(z_c) / Σ_j exp(z_j); then the loss −log q₂.",
                "Or in one step with the log-softmax: loss = log Σ_j exp(z_j) − z₂ "
                "(scipy.special.logsumexp computes the first term stably).",
                "Class 2 is index 1 in numpy.",
            ],
            solution_code=(
                "z = np.array([1.5, 0.2, 3.0, -0.5])\n"
                "log_q = z - np.log(np.sum(np.exp(z)))  # log-softmax: log probabilities\n"
                "loss_logits = -log_q[1]  # class 2 is index 1"
            ),
        ),
        "q7": ValueExercise(
            prompt="Alice's code for her words dog, cat, fish, bird is 110, 0, 10, 111. Carol "
            "says dog, cat, fish, bird with frequencies (0.3, 0.1, 0.2, 0.4) and writes them "
            "with Alice's code. How many bits per word does she use on average? The answer is "
            "exact: give 6 significant figures.",
            variable="carol_bits_per_word",
            reference=_mean_code_length,
            args=(P_CAROL, ALICE_CODE),
            unit="bits per word",
            digits=6,
            mistakes=[
                m.confused_with(
                    "unweighted mean of code lengths",
                    lambda p, code: float(np.mean([len(word) for word in code])),
                    "Your result is the plain average of the four codeword lengths, as if Carol "
                    "said each word equally often. Weight each length by how often *Carol* says "
                    "the word: Σ p(x) · ℓ(x).",
                ),
                m.confused_with(
                    "weighted by the code's own distribution",
                    lambda p, code: _mean_code_length(Q_WORDS, code),
                    "Your result is Alice's own mean length, her words weighted by her "
                    "frequencies (1/8, 1/2, 1/4, 1/8). The code is Alice's, but the words are "
                    "Carol's: weight each length by Carol's frequency.",
                ),
                m.confused_with(
                    "entropy instead of code length",
                    lambda p, code: info.entropy(p, base=2),
                    "Your result is the entropy of Carol's words, the least any code could "
                    "use on average. Alice's code was built for other frequencies and uses "
                    "more: Σ p(x) · ℓ(x) with ℓ the lengths of Alice's codewords.",
                ),
            ],
            hints=[
                "The codeword lengths are 3, 1, 2 and 3 bits for dog, cat, fish, bird.",
                "Average them over Carol's words: Σ p(x) · ℓ(x) with p = (0.3, 0.1, 0.2, 0.4).",
            ],
            solution_code=(
                "p_carol = np.array([0.3, 0.1, 0.2, 0.4])  # dog, cat, fish, bird\n"
                "alice_lengths = np.array([3, 1, 2, 3])  # 110, 0, 10, 111\n"
                "carol_bits_per_word = np.sum(p_carol * alice_lengths)"
            ),
        ),
    },
)
