"""Exercises of lecture 02 (Cross-entropy)."""

import numpy as np
from scipy.special import log_softmax

from coursekit import info
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m

# Olah's word distributions (Visual Information Theory): same entropy, different shapes.
P_WORDS = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
Q_WORDS = np.array([1 / 8, 1 / 2, 1 / 4, 1 / 8])
PREDICTED = np.array([0.1, 0.7, 0.2])  # a classifier's probabilities for classes 1, 2, 3


def _label_loss(predicted, label):
    """Cross-entropy loss of a one-based class label: −log q(label)."""
    return -np.log(predicted[label - 1])


def _cross_entropy_bits(p, q):
    return info.cross_entropy(p, q, base=2)


EXERCISES = ExerciseSet(
    "02",
    "Cross-entropy",
    {
        "q1": ValueExercise(
            prompt="The cross-entropy H(P, Q) in bits of Olah's word distributions "
            "P = (1/2, 1/4, 1/8, 1/8) and Q = (1/8, 1/2, 1/4, 1/8).",
            variable="cross_entropy_pq",
            reference=_cross_entropy_bits,
            args=(P_WORDS, Q_WORDS),
            unit="bits",
            mistakes=[
                m.swapped_arguments("H(P, Q)"),
                m.entropy_for_cross_entropy(lambda p, q: info.entropy(p, base=2)),
                m.nats_for_bits(),
                m.missing_minus(),
            ],
            hints=[
                "H(P, Q) = −Σ p(x) log₂ q(x): weights from P, surprise from Q.",
                "The terms are p(x) · (−log₂ q(x)) = ½·3 + ¼·1 + ⅛·2 + ⅛·3.",
            ],
            solution_code="p = np.array([1/2, 1/4, 1/8, 1/8])\nq = np.array([1/8, 1/2, 1/4, 1/8])\n"
            "cross_entropy_pq = -np.sum(p * np.log2(q))",
        ),
        "q2": ValueExercise(
            prompt="A classifier predicts the probabilities (0.1, 0.7, 0.2) for classes 1, 2 "
            "and 3, and the true class is 2. What is its cross-entropy loss, in nats?",
            variable="loss_class_2",
            reference=_label_loss,
            args=(PREDICTED, 2),
            unit="nats",
            mistakes=[
                m.bits_for_nats(),
                m.missing_minus(),
                m.confused_with(
                    "zero-based class index",
                    lambda predicted, label: -np.log(predicted[label]),
                    "Your result is the loss of class 3: numpy indexes from 0, so class 2 is "
                    "predicted[1], not predicted[2].",
                ),
            ],
            hints=[
                "With a one-hot P the cross-entropy keeps one term: −log q(true class).",
                "The true class 2 has predicted probability 0.7.",
            ],
            solution_code=(
                "predicted = np.array([0.1, 0.7, 0.2])\n"
                "loss_class_2 = -np.log(predicted[1])  # class 2 is index 1"
            ),
        ),
        "q3": FunctionExercise(
            prompt="Write cross_entropy_bits(p, q): H(P, Q) in bits. Outcomes with p = 0 "
            "contribute nothing, even where q = 0 too.",
            variable="cross_entropy_bits",
            signature="cross_entropy_bits(p, q)",
            reference=_cross_entropy_bits,
            cases=[
                (P_WORDS, Q_WORDS),
                (Q_WORDS, P_WORDS),
                (np.full(4, 1 / 4), P_WORDS),
                (np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.75, 0.0])),
                (np.array([0.0, 1.0]), np.array([0.2, 0.8])),
            ],
            mistakes=[
                m.swapped_arguments("H(P, Q)"),
                m.entropy_for_cross_entropy(lambda p, q: info.entropy(p, base=2)),
                m.nats_for_bits(),
                m.missing_minus(),
                m.nan_from_zero_log_zero(),
            ],
            hints=[
                "Start from −Σ p log₂ q with np.sum and np.log2.",
                "Where p = 0 and q = 0 numpy computes 0 · (−inf) = nan; keep only the "
                "outcomes with p > 0: mask = p > 0.",
            ],
            solution_code=(
                "def cross_entropy_bits(p, q):\n"
                "    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)\n"
                "    mask = p > 0  # outcomes that never happen cost nothing\n"
                "    return -np.sum(p[mask] * np.log2(q[mask]))"
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
            prompt="The cross-entropy loss, in nats, of the logits (1, 2, 0.5) when the true "
            "class is 2 (classes are numbered 1, 2, 3).",
            variable="loss_logits",
            reference=lambda logits, label: -log_softmax(logits)[label - 1],
            args=(np.array([1.0, 2.0, 0.5]), 2),
            unit="nats",
            mistakes=[
                m.confused_with(
                    "logits used as probabilities",
                    lambda logits, label: -np.log(logits[label - 1]),
                    "Logits are not probabilities: turn them into probabilities with the "
                    "softmax, q = exp(z) / Σ exp(z), before taking −log q(label).",
                ),
                m.bits_for_nats(),
                m.missing_minus(),
            ],
            hints=[
                "First the softmax: q_i = exp(z_i) / Σ_j exp(z_j).",
                "Then the loss −log q₂; scipy.special.log_softmax does both stably.",
            ],
            solution_code=(
                "z = np.array([1.0, 2.0, 0.5])\n"
                "q = np.exp(z) / np.sum(np.exp(z))  # softmax turns logits into probabilities\n"
                "loss_logits = -np.log(q[1])"
            ),
        ),
    },
)
