"""Exercises of lecture 02 (Cross-entropy).

The lecture works with Olah's word distributions, the labels (0.1, 0.7, 0.2), p̂ = 0.8 and the
logits (1, 2, 0.5). The value exercises ask for the same ideas the other way round (find a
frequency from a cross-entropy, a likelihood from a loss, the best constant prediction) or on
numbers where the lecture's code does not carry over unchanged (logits that overflow, a code
whose lengths are not powers of ½), so that no answer can be copied from the lecture.
The exact answers and the mistake rules are in ``lecture02_mistakes``.
"""

import numpy as np

from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import lecture02_mistakes as r

# Olah's word distributions (Visual Information Theory): same entropy, different shapes.
P_WORDS = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
Q_WORDS = np.array([1 / 8, 1 / 2, 1 / 4, 1 / 8])
# Exercise 1: a forecaster's fixed belief about sun, cloud, rain; her average surprise over
# many days (bits per day); the fraction of sunny days.
Q_FORECAST = np.array([0.2, 0.5, 0.3])
LONG_RUN_SURPRISE = 1.9
SUNNY = 0.6
# Exercise 2: the fraction of spam in a data set.
SPAM_FRACTION = 0.3
# Exercise 5: a test set's mean cross-entropy loss (nats) and its size.
MEAN_LOSS, TEST_SIZE = 0.2, 50
# Exercise 6: logits so large that exp overflows (the logits (1, −1, 3, −2) + 800).
BIG_LOGITS = np.array([801.0, 799.0, 803.0, 798.0])
# Exercise 7: Carol's word frequencies over dog, cat, fish, bird (not powers of ½).
Q_CAROL = np.array([0.3, 0.1, 0.2, 0.4])

EXERCISES = ExerciseSet(
    "02",
    "Cross-entropy",
    {
        "q1": ValueExercise(
            prompt="A forecaster announces the same belief every day: sun, cloud and rain with "
            "probabilities Q = (0.2, 0.5, 0.3). Over many days her average surprise at the "
            "weather was 1.9 bits per day, and 60 % of the days were sunny. What fraction of "
            "the days were rainy? Give a fraction (not a percentage) to 6 significant figures.",
            variable="rain_fraction",
            reference=r.rain_fraction,
            args=(LONG_RUN_SURPRISE, Q_FORECAST, SUNNY),
            digits=6,
            mistakes=r.RAIN_MISTAKES,
            hints=[
                "Her surprise on a day is −log₂ of what she announced for the weather that "
                "came. Her average over many days is a cross-entropy: which distribution gives "
                "the weights, and which the surprise? Which one do you not know?",
                "The days follow P = (0.6, 0.4 − r, r) and she believes Q. Write "
                "H(P, Q) = −Σ p(x) log₂ q(x) as a function of r: it is linear in r.",
                "−0.6 log₂ 0.2 − (0.4 − r) log₂ 0.5 − r log₂ 0.3 = 1.9: solve for r.",
            ],
            solution_code=(
                "q = np.array([0.2, 0.5, 0.3])  # her belief: sun, cloud, rain\n"
                "cost = -np.log2(q)  # bits of surprise on a sunny, cloudy, rainy day\n"
                "# the days follow P = (0.6, 0.4 - r, r); H(P, Q) = sum p * cost is linear in r:\n"
                "# 0.6 cost[0] + (0.4 - r) cost[1] + r cost[2] = 1.9\n"
                "rain_fraction = (1.9 - 0.6 * cost[0] - 0.4 * cost[1]) / (cost[2] - cost[1])"
            ),
        ),
        "q2": ValueExercise(
            prompt="A lazy spam filter ignores the email and always predicts the same "
            "probability p̂ that it is spam. On a data set in which 30 % of the emails are spam, "
            "which p̂ gives the smallest mean binary cross-entropy loss, and what is that "
            "smallest mean loss in nats? Give np.array([p_hat, loss]), each to 6 significant "
            "figures.",
            variable="best_constant_filter",
            reference=r.best_constant,
            args=(SPAM_FRACTION,),
            kind="an array [p_hat, loss]",
            digits=6,
            mistakes=r.FILTER_MISTAKES,
            hints=[
                "If the filter always says p̂, a spam email (y = 1) costs −ln p̂ and any other "
                "email (y = 0) costs −ln(1 − p̂). Write the mean loss over the data set.",
                "The mean loss −[0.3 ln p̂ + 0.7 ln(1 − p̂)] is the cross-entropy between "
                "P = (0.3, 0.7) and Q = (p̂, 1 − p̂). Which Q makes a cross-entropy smallest, "
                "and what is it then?",
                "Gibbs: p̂ = 0.3, and the smallest loss is the entropy of (0.3, 0.7) in nats.",
            ],
            solution_code=(
                "f = 0.3  # fraction of spam in the data set\n"
                "p_hat = f  # Gibbs: H((f, 1 - f), (p_hat, 1 - p_hat)) is smallest at p_hat = f\n"
                "loss = -(f * np.log(p_hat) + (1 - f) * np.log(1 - p_hat))  # mean BCE, nats\n"
                "best_constant_filter = np.array([p_hat, loss])"
            ),
        ),
        "q3": FunctionExercise(
            prompt="Write cross_entropy_bits(p, q): H(P, Q) in bits (checked to a relative "
            "precision of 1e-6). Outcomes with p = 0 contribute nothing, even where q = 0 "
            "too; an outcome with p > 0 that Q calls impossible (q = 0) makes H(P, Q) infinite.",
            variable="cross_entropy_bits",
            signature="cross_entropy_bits(p, q)",
            reference=r.cross_entropy_bits,
            cases=[
                (P_WORDS, Q_WORDS),
                (Q_WORDS, P_WORDS),
                (np.full(4, 1 / 4), P_WORDS),
                (np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.75, 0.0])),
                (np.array([0.0, 1.0]), np.array([0.2, 0.8])),
                (np.array([0.5, 0.25, 0.25]), np.array([0.5, 0.5, 0.0])),
            ],
            mistakes=r.CROSS_ENTROPY_MISTAKES,
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
                "on average than the best one?",
                "For (d), try a P that always gives the same outcome, and a Q that is almost "
                "sure of it.",
            ],
            solution_code=(
                "# Gibbs' inequality: H(P, Q) - H(P) = KL(P || Q) >= 0 for every P and Q.\n"
                "# (a) fails for Olah's pair (2.375 vs 2.25 bits), (c) for every Q != P,\n"
                "# (d) for P = (1, 0), Q = (0.9, 0.1): H(P, Q) = 0.152 < H(Q) = 0.469 bits\n"
                'answer_always_true = "b"'
            ),
        ),
        "q5": ValueExercise(
            prompt="A classifier's mean cross-entropy loss on a test set of 50 examples is "
            "0.2 nats. What probability does the model give to the test set's 50 labels "
            "together (the likelihood of the labels; the examples are independent)? Give 6 "
            "significant figures.",
            variable="likelihood_test_set",
            reference=r.likelihood,
            args=(MEAN_LOSS, TEST_SIZE),
            digits=6,
            mistakes=r.LIKELIHOOD_MISTAKES,
            hints=[
                "The loss of one example is −ln q(its label). What is the sum of the 50 losses?",
                "For independent examples the likelihood of all the labels is the product of "
                "their probabilities, so its −ln is the sum of the losses.",
                "The sum of the losses is 50 times their mean; the likelihood is exp(−sum).",
            ],
            solution_code=(
                "total_loss = 50 * 0.2  # sum of the 50 losses = -ln q(all labels)\n"
                "likelihood_test_set = np.exp(-total_loss)"
            ),
        ),
        "q6": ValueExercise(
            prompt="A network outputs the logits (801, 799, 803, 798) for classes 1, 2, 3 and 4, "
            "and the true class is 2. Compute its cross-entropy loss in nats with numpy, to 6 "
            "significant figures.",
            variable="loss_big_logits",
            reference=r.logit_loss,
            args=(BIG_LOGITS, 2),
            unit="nats",
            digits=6,
            mistakes=r.LOGIT_MISTAKES,
            hints=[
                "Try the softmax as written, np.exp(z) / np.sum(np.exp(z)): what does "
                "np.exp(801) give? What does the lecture say about adding the same constant "
                "to every logit?",
                "Subtract the largest logit, m = 803, from every logit; the loss is "
                "log Σ_j exp(z_j − m) − (z₂ − m) (the log-sum-exp trick).",
                "scipy.special.log_softmax(z)[1] does the same; class 2 is index 1.",
            ],
            solution_code=(
                "z = np.array([801.0, 799.0, 803.0, 798.0])\n"
                "m = np.max(z)  # take out the largest logit: no exponential overflows\n"
                "log_q = (z - m) - np.log(np.sum(np.exp(z - m)))  # log-softmax\n"
                "loss_big_logits = -log_q[1]  # class 2 is index 1"
            ),
        ),
        "q7": ValueExercise(
            prompt="Carol says dog, cat, fish, bird with frequencies Q = (0.3, 0.1, 0.2, 0.4) "
            "and builds a prefix code for her words with the lengths ⌈−log₂ q(x)⌉. Bob, whose "
            "words follow P = (1/2, 1/4, 1/8, 1/8), writes his words with Carol's code. How "
            "many bits per word does he use on average? The answer is exact: give 6 "
            "significant figures.",
            variable="bob_bits_with_carols_code",
            reference=r.shannon_code_length,
            args=(P_WORDS, Q_CAROL),
            unit="bits per word",
            digits=6,
            mistakes=r.CODE_LENGTH_MISTAKES,
            hints=[
                "First Carol's code: each codeword is ⌈−log₂ q(x)⌉ bits long (np.ceil).",
                "Then Bob's words: weight each of those lengths by how often *Bob* says the word.",
                "The lengths are ⌈1.74⌉, ⌈3.32⌉, ⌈2.32⌉, ⌈1.32⌉; average them with "
                "p = (1/2, 1/4, 1/8, 1/8).",
            ],
            solution_code=(
                "p_bob = np.array([1/2, 1/4, 1/8, 1/8])  # dog, cat, fish, bird\n"
                "q_carol = np.array([0.3, 0.1, 0.2, 0.4])\n"
                "carol_lengths = np.ceil(-np.log2(q_carol))  # her code: whole bits, rounded up\n"
                "bob_bits_with_carols_code = np.sum(p_bob * carol_lengths)"
            ),
        ),
        "q8": ChoiceExercise(
            prompt="The proof of Gibbs' inequality is the chain "
            "H(P) − H(P, Q) = Σ p log(q/p) ≤ log Σ_{x: p(x)>0} q(x) ≤ log 1 = 0: the first ≤ is "
            "Jensen's inequality, the second says that Q's probabilities on the outcomes P "
            "produces add up to at most 1. For P = (1/2, 1/2, 0) and Q = (1/4, 1/4, 1/2), "
            "which of the two ≤ is strict (<)? (a) only the first; (b) only the second; "
            "(c) both; (d) neither.",
            variable="answer_strict_step",
            options={
                "a": "only the first (Jensen's inequality)",
                "b": "only the second (Σ over p > 0 of q ≤ 1)",
                "c": "both",
                "d": "neither",
            },
            answer="b",
            explanations={
                "a": "Jensen's step is an equality here: on the outcomes P produces, "
                "q(x)/p(x) = ½ for both, and for a constant the mean of the log is the log of "
                "the mean. The loss is in the second step: Q puts ½ on an outcome P never "
                "produces.",
                "b": "Right. q(x)/p(x) = ½ on both outcomes P produces, so Jensen's step is an "
                "equality; but Q wastes half its mass on the third outcome, so "
                "Σ_{p>0} q = ½ < 1. H(P, Q) − H(P) = 2 − 1 = 1 bit = −log₂ ½.",
                "c": "Jensen's inequality for the strictly concave log is strict only if "
                "q(x)/p(x) varies over the outcomes P produces; here it is ½ for both. Only "
                "the second step is strict.",
                "d": "H(P, Q) = 2 bits (each of P's outcomes costs −log₂ ¼ = 2 bits) but "
                "H(P) = 1 bit, so one step must be strict: Q puts ½ on an outcome P never "
                "produces, so Σ_{p>0} q = ½ < 1.",
            },
            hints=[
                "Jensen's inequality is an equality exactly when the thing averaged is the "
                "same everywhere: compute q(x)/p(x) on the outcomes with p(x) > 0.",
                "Then add up q(x) over the outcomes with p(x) > 0.",
            ],
            solution_code=(
                "# on the outcomes P produces, q/p = 1/2 for both: Jensen's step is an equality;\n"
                "# Q puts 1/2 on the third outcome, so sum over p > 0 of q = 1/2 < 1: strict\n"
                'answer_strict_step = "b"'
            ),
        ),
    },
)
