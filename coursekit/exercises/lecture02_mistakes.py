"""Exact answers and mistake rules of the exercises of lecture 02 (``lecture02`` holds the
prompts, hints and solutions, and the numbers the exercises are asked on)."""

import numpy as np
from scipy.special import log_softmax

from coursekit import info
from coursekit.exercises import mistakes as m


def _confusions(*rows):
    """``m.confused_with`` rules from rows (name, the wrong value as a function of the
    exercise's arguments, message): the tables below are kept compact (``fmt: off``)."""
    return [m.confused_with(*row) for row in rows]


def cross_entropy_bits(p, q):
    """H(P, Q) in bits: the reference of exercise 3, and the ideal code length of exercise 7."""
    return info.cross_entropy(p, q, base=2)


def _entropy_bits(p, q):
    return info.entropy(p, base=2)


# -- exercise 1: the fraction of rainy days from the forecaster's average surprise ---------------
def rain_fraction(surprise, q, sunny, log=np.log2):
    """r such that H(P, Q) = surprise for P = (sunny, 1 − sunny − r, r): H is linear in P."""
    cost = -log(np.asarray(q, dtype=float))  # what each kind of day costs her
    return (surprise - sunny * cost[0] - (1 - sunny) * cost[1]) / (cost[2] - cost[1])


def _rain_fraction_nats(surprise, q, sunny):
    return rain_fraction(surprise, q, sunny, log=np.log)


# fmt: off
RAIN_MISTAKES = [*_confusions(
    ("cloudy fraction", lambda surprise, q, sunny: 1 - sunny - rain_fraction(surprise, q, sunny),
     "That is the fraction of *cloudy* days, 0.4 − r. The question asks for the rainy days, r."),
    ("nats instead of bits", _rain_fraction_nats,
     "Your r comes from an equation in nats (np.log), but the surprise of 1.9 is in bits: use "
     "log₂. (Your r is also more than 0.4, which leaves no room for the cloudy days: a sign "
     "that something is off.)"),
), m.Mistake(
    "percentage", "That is a percentage; the question asks for a fraction (divide by 100).",
    lambda reference: lambda *args: 100 * reference(*args),
), m.missing_minus(
    "A fraction of days cannot be negative: your r has the right size but the wrong sign. "
    "Check the signs as you solve the equation for r: H(P, Q) adds p(x) · (−log₂ q(x)), and "
    "every −log₂ q(x) is positive."
)]
# fmt: on


# -- exercise 2: the best constant spam filter --------------------------------------------------
def _binary_ce(f, p_hat):
    """Mean binary cross-entropy (nats) of a constant prediction p̂ on a fraction f of positives."""
    return -(f * np.log(p_hat) + (1 - f) * np.log(1 - p_hat))


def best_constant(f):
    """The best constant prediction p̂ = f and its mean loss, the entropy of (f, 1 − f) in nats."""
    return np.array([f, _binary_ce(f, f)])


# fmt: off
FILTER_MISTAKES = _confusions(
    ("hedged at one half", lambda f: np.array([0.5, np.log(2)]),
     "p̂ = 0.5 hedges between spam and not spam, but it is not the best constant here: it costs "
     "ln 2 on every email. Try p̂ = 0.3 and compare the mean loss: which p̂ does Gibbs' "
     "inequality say is best?"),
    ("loss in bits", lambda f: np.array([f, _binary_ce(f, f) / np.log(2)]),
     "Your p̂ is right, but the loss is in bits: the question asks for nats (np.log, not "
     "np.log2)."),
    ("loss of the spam emails only", lambda f: np.array([f, -np.log(f)]),
     "Your p̂ is right, but −ln p̂ is the loss on a spam email only. The mean is over all "
     "emails: 30 % of them cost −ln p̂, and the other 70 % cost −ln(1 − p̂)."),
    ("loss of the other emails only", lambda f: np.array([f, -np.log(1 - f)]),
     "Your p̂ is right, but −ln(1 − p̂) is the loss on an email that is not spam. The mean is "
     "over all emails: 70 % of them cost −ln(1 − p̂), and the 30 % that are spam cost −ln p̂."),
    ("the spam emails' share only", lambda f: np.array([f, -f * np.log(f)]),
     "Your p̂ is right, but your loss is only the spam emails' share of the mean, −0.3 ln p̂. "
     "The other 70 % of the emails add their share, −0.7 ln(1 − p̂)."),
    ("the other emails' share only", lambda f: np.array([f, -(1 - f) * np.log(1 - f)]),
     "Your p̂ is right, but your loss is only the share of the emails that are not spam, "
     "−0.7 ln(1 − p̂). The 30 % that are spam add their share, −0.3 ln p̂."),
    ("p̂ of the wrong class", lambda f: np.array([1 - f, _binary_ce(f, 1 - f)]),
     "0.7 is the probability that an email is *not* spam. p̂ is the predicted probability of "
     "spam, q(1) in the binary cross-entropy −[y log p̂ + (1 − y) log(1 − p̂)]."),
    ("p̂ of not spam, loss right", lambda f: np.array([1 - f, _binary_ce(f, f)]),
     "Your loss is right, but 0.7 is the probability that an email is *not* spam. p̂ is the "
     "predicted probability of spam, q(1). (The loss cannot tell: the entropy of (0.3, 0.7) "
     "is that of (0.7, 0.3).)"),
    ("pair in the wrong order", lambda f: np.array([_binary_ce(f, f), f]),
     "Your two numbers are in the wrong order: the answer is np.array([p_hat, loss]), p̂ first."),
    ("p̂ as a percentage", lambda f: np.array([100 * f, _binary_ce(f, f)]),
     "Your loss is right, but p̂ is a probability, 0.3, not a percentage."),
    ("loss with the wrong sign", lambda f: np.array([f, -_binary_ce(f, f)]),
     "Your loss is negative. A loss −ln q is never negative (ln q ≤ 0 for a probability): keep "
     "the minus sign of −[y ln p̂ + (1 − y) ln(1 − p̂)]."),
)
# fmt: on


# -- exercise 3: the cross-entropy function ------------------------------------------------------
def _dropped_impossible(p, q):
    """H(P, Q) with the outcomes that Q calls impossible left out (finite where it is ∞)."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    keep = (p > 0) & (q > 0)
    return -np.sum(p[keep] * np.log2(q[keep]))


def _renormalised_on_support(p, q):
    """H(P, Q') with Q' = Q restricted to the outcomes P produces and renormalised."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    support = p > 0
    q_support = np.where(support, q, 0.0) / np.sum(q[support])
    with np.errstate(divide="ignore"):
        return -np.sum(p[support] * np.log2(q_support[support]))


def _naive_cross_entropy(p, q):
    """−Σ p log₂ q in floating point: 0 · log 0 = 0 · (−∞) = NaN where p = q = 0."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(p * np.log2(q))


def _nan_predicate(name, message, where, make):
    """A NaN result where the answer is finite (``where="finite"``), infinite (``"inf"``) or
    either (``"any"``)."""

    def test(result, args, expected):
        if not (result.ndim == 0 and np.isnan(result)) or np.isnan(expected):
            return False
        return where == "any" or (np.isinf(expected) == (where == "inf"))

    return m.Predicate(name, message, test, make)


def _nan_where_infinite(reference):
    def mistaken(p, q):
        value = reference(p, q)
        return np.nan if np.isinf(value) else value

    return mistaken


NAN_ZERO_LOG_ZERO = _nan_predicate(
    "NaN from 0·log 0",
    "Your function returns NaN for a pair where an outcome has p(x) = 0 and q(x) = 0: numpy "
    "computes that term as 0 · log₂ 0 = 0 · (−∞) = NaN. But H(P, Q) is an average over outcomes "
    "drawn from P, and an outcome with p(x) = 0 is never drawn: it adds nothing, whatever Q says "
    "about it. Sum only over the outcomes with p > 0 (p[p > 0]), or use "
    "scipy.special.xlogy(p, q), which is 0 where p = 0.",
    "finite",
    lambda reference: _naive_cross_entropy,
)
NAN_FOR_INFINITY = _nan_predicate(
    "NaN where the answer is infinite",
    "Your function returns NaN where the answer is ∞: for p = [0.5, 0.25, 0.25] and "
    "q = [0.5, 0.5, 0] the third outcome happens (p > 0) but Q calls it impossible (q = 0), so "
    "its surprise −log₂ 0 is infinite and so is H(P, Q). NaN comes from an undefined step such "
    "as ∞ − ∞ or 0 · ∞: let −p · log₂ 0 = +∞ through, and do not subtract or mask it away.",
    "inf",
    _nan_where_infinite,
)
NAN_BOTH = _nan_predicate(
    "NaN in several cases",
    "Your function returns NaN in several cases. Two things produce it: an outcome with "
    "p(x) = 0 and q(x) = 0 (numpy computes 0 · log 0 = NaN, but an outcome P never produces "
    "adds nothing: leave it out), and an undefined step such as ∞ − ∞ where the answer is ∞ "
    "(an outcome with p > 0 and q = 0 costs −log₂ 0 = ∞, and H(P, Q) is ∞).",
    "any",
    lambda reference: lambda *args: np.nan,
)


def _natural_log_nan(result, args, expected):
    """ln 2 times the answer (np.log), with NaN where p = q = 0 (no mask either)."""
    p, q = (np.asarray(a, dtype=float) for a in args)
    if np.isnan(result):
        return bool(np.any((p == 0) & (q == 0)))
    return m.close(result, expected * m.LN2)


def _epsilon_hides_infinity(result, args, expected):
    """A finite value, larger than with the impossible outcome dropped, where the answer is ∞:
    log(q + ε) or np.clip(q, ε, 1) made −log 0 finite."""
    return bool(
        np.isposinf(expected) and np.isfinite(result) and result > _dropped_impossible(*args)
    )


def _with_epsilon(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return -np.sum(p[p > 0] * np.log2(q[p > 0] + 1e-12))


NATURAL_LOG_NAN = m.Predicate(
    "natural log, and NaN from 0·log 0",
    "Your results are ln 2 ≈ 0.693 times the answers: np.log gives nats, and the question asks "
    "for bits (np.log2). And for p = [0.5, 0.5, 0], q = [0.25, 0.75, 0] you return NaN: numpy "
    "computes 0 · log 0 = 0 · (−∞) = NaN, but an outcome with p(x) = 0 is never drawn and adds "
    "nothing. Sum only over the outcomes with p > 0.",
    _natural_log_nan,
    lambda reference: lambda p, q: _naive_cross_entropy(p, q) * m.LN2,
)
EPSILON = m.Predicate(
    "epsilon hides the infinity",
    "For p = [0.5, 0.25, 0.25] and q = [0.5, 0.5, 0] your function returns a large finite "
    "number, but the answer is ∞. A small constant added to q (np.log2(q + 1e-12)) or "
    "np.clip(q, 1e-12, 1) hides the infinity: Q calls the third outcome impossible, yet it "
    "happens, so its surprise −log₂ 0 is infinite and so is H(P, Q). Training code adds such "
    "an epsilon to stay finite; the exact value is asked here: let the inf through.",
    _epsilon_hides_infinity,
    lambda reference: _with_epsilon,
)


def _unweighted_surprise(p, q):
    """The surprises −log₂ q(x) averaged as if every outcome were equally likely."""
    with np.errstate(divide="ignore"):
        return float(np.mean(-np.log2(np.asarray(q, dtype=float))))


# fmt: off
CROSS_ENTROPY_MISTAKES = [m.swapped_arguments_explained(
    "Your result is H(Q, P): the two distributions are swapped. In H(P, Q) = −Σ p(x) log q(x) "
    "the first distribution, P, is where the outcomes come from and gives the weights; the "
    "second, Q, is the belief and sets the surprise −log q(x) paid for each outcome. Swap them "
    "back."
), *_confusions(
    ("q renormalised over p's outcomes", _renormalised_on_support,
     "For p = [0, 1] and q = [0.2, 0.8] your function gives 0, but the answer is "
     "−log₂ 0.8 = 0.322 bits. It looks as if Q was cut down to the outcomes P produces and "
     "renormalised (q = [0, 1]). Q is the belief as it is: the second outcome costs −log₂ 0.8 "
     "even though the belief also spends 0.2 on an outcome that never happens. Use q(x) "
     "unchanged."),
), m.entropy_for_cross_entropy(_entropy_bits), *_confusions(
    ("entropy of the belief", lambda p, q: info.entropy(q, base=2),
     "Your result is H(Q), the entropy of the belief: the weights and the surprise both come "
     "from Q. In H(P, Q) = −Σ p(x) log₂ q(x) the weights come from P (how often each outcome "
     "happens) and only the surprise −log₂ q(x) from Q."),
    ("KL instead of cross-entropy", lambda p, q: info.kl_divergence(p, q, base=2),
     "Your result is the KL divergence D(P‖Q) = H(P, Q) − H(P), the *extra* bits paid for the "
     "wrong belief. The cross-entropy is the whole cost, −Σ p(x) log₂ q(x): don't subtract "
     "H(P)."),
    ("unweighted mean of code lengths", _unweighted_surprise,
     "Your result is the plain average of the surprises (code lengths) −log₂ q(x), as if every "
     "outcome were equally likely. Cross-entropy weights each outcome's surprise by how often "
     "it happens: H(P, Q) = Σ p(x) · (−log₂ q(x))."),
), m.nats_for_bits(), m.missing_minus(
    "Your result has the right size but the wrong sign. The surprise paid for an outcome is "
    "−log₂ q(x), and log₂ q(x) ≤ 0, so the cross-entropy −Σ p(x) log₂ q(x) is never negative: "
    "keep the minus sign."
), NAN_ZERO_LOG_ZERO, NAN_FOR_INFINITY, NAN_BOTH, NATURAL_LOG_NAN, *_confusions(
    ("impossible outcomes dropped", _dropped_impossible,
     "For p = [0.5, 0.25, 0.25] and q = [0.5, 0.5, 0] your function gives a finite number, but "
     "the answer is ∞. The third outcome happens (p > 0) while Q says it never does (q = 0): "
     "its surprise −log₂ 0 is infinite, and so is H(P, Q). Leave out only the outcomes with "
     "p = 0, never those with q = 0."),
), EPSILON]
# fmt: on


# -- exercise 5: the likelihood of a test set from its mean loss -------------------------------
def likelihood(mean_loss, n):
    """q(all n labels) = exp(−Σ losses) = exp(−n · mean loss) for independent examples."""
    return np.exp(-n * mean_loss)


# fmt: off
LIKELIHOOD_MISTAKES = _confusions(
    ("one example's probability", lambda mean_loss, n: np.exp(-mean_loss),
     "e^(−0.2) is the probability of a single typical label (the geometric mean of the 50). The "
     "likelihood of all 50 labels is their product: its −ln is the *sum* of the 50 losses, not "
     "their mean."),
    ("log-likelihood", lambda mean_loss, n: -n * mean_loss,
     "That is the log-likelihood ln q(labels) = −(sum of the losses). The question asks for the "
     "likelihood itself: exponentiate."),
    ("negative log-likelihood", lambda mean_loss, n: n * mean_loss,
     "That is the total loss, the negative log-likelihood −ln q(labels). The likelihood is a "
     "probability: q(labels) = exp(−NLL)."),
    ("inverse of the likelihood", lambda mean_loss, n: np.exp(n * mean_loss),
     "A probability cannot exceed 1: that is 1/likelihood. The total loss is −ln q(labels), so "
     "q(labels) = exp(−total loss): mind the sign."),
    ("loss read as bits", lambda mean_loss, n: 2.0 ** (-n * mean_loss),
     "The loss is in nats, a natural logarithm: undo it with exp, not with 2**."),
    ("mean loss divided by n", lambda mean_loss, n: np.exp(-mean_loss / n),
     "You divided the mean loss by 50. It is already an average: the *sum* of the 50 losses is "
     "50 × the mean, and that sum is −ln q(labels)."),
    ("loss read as an error rate", lambda mean_loss, n: (1 - mean_loss) ** n,
     "That is (1 − 0.2)⁵⁰, as if 0.2 were the chance of getting a label wrong. A loss is not a "
     "probability: each example's loss is −ln q(its label), so q(label) = exp(−loss)."),
    ("one minus the likelihood", lambda mean_loss, n: 1 - np.exp(-n * mean_loss),
     "That is 1 − exp(−total loss), the probability that the labels are *not* all what the "
     "model gives them. The likelihood itself is exp(−total loss)."),
)
# fmt: on


# -- exercise 6: the loss from logits that overflow ----------------------------------------------
def logit_loss(logits, label):
    """Cross-entropy loss of a one-based class label from logits: −log softmax(z)[label]."""
    return -log_softmax(logits)[label - 1]


def _naive_logit_loss(logits, label):
    """The softmax as written, exp(z) / Σ exp(z): NaN once exp overflows."""
    z = np.asarray(logits, dtype=float)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return -np.log(np.exp(z[label - 1]) / np.sum(np.exp(z)))


def _log_sum_exp_without_max(logits, label):
    """log Σ exp(z − m) − z_y: the largest logit taken out and never added back."""
    z = np.asarray(logits, dtype=float)
    shift = np.max(z)
    return np.log(np.sum(np.exp(z - shift))) - z[label - 1]


def _log_sum_exp_only(logits, label):
    z = np.asarray(logits, dtype=float)
    shift = np.max(z)
    return shift + np.log(np.sum(np.exp(z - shift)))


def _not_finite(result, args, expected):
    return result.ndim == 0 and not np.isfinite(result) and np.isfinite(expected)


# fmt: off
LOGIT_MISTAKES = [m.Predicate(
    "overflow",
    "Your result is not a number (nan or inf): np.exp(801) overflows to inf, and inf / inf is "
    "nan. Adding the same constant to every logit changes neither the softmax nor the loss, so "
    "subtract the largest logit first (the log-sum-exp trick), or use "
    "scipy.special.log_softmax.",
    _not_finite, lambda reference: _naive_logit_loss,
), *_confusions(
    ("largest logit not added back", _log_sum_exp_without_max,
     "You took the largest logit m out of the sum, log Σ exp(z_j − m), but did not add it back: "
     "log Σ exp(z_j) = m + log Σ exp(z_j − m). Or subtract m from z_y too: the loss is "
     "log Σ exp(z_j − m) − (z_y − m)."),
    ("log-sum-exp without the true logit", _log_sum_exp_only,
     "That is log Σ_j exp(z_j), only the first term of the loss. The loss is "
     "−log q_y = log Σ_j exp(z_j) − z_y: subtract the true class's logit."),
    ("largest logit for the log-sum-exp", lambda z, label: np.max(z) - z[label - 1],
     "That is m − z₂ = 803 − 799: you replaced log Σ_j exp(z_j) by its largest term, m. The "
     "other terms count too: log Σ_j exp(z_j) = m + log Σ_j exp(z_j − m), and the second part, "
     "the log of 1 + e⁻² + e⁻⁴ + e⁻⁵, is positive."),
    ("probability instead of loss", lambda z, label: np.exp(log_softmax(z)[label - 1]),
     "That is the softmax probability q₂ of the true class. The loss is −ln q₂."),
    ("zero-based class index", lambda z, label: -log_softmax(z)[label],
     "Your result is the loss of class 3: numpy counts from 0, so class 2 is index 1 (z[1]), "
     "not index 2. (It is also log Σ_j exp(z_j − m) for the largest logit m = 803, class 3's: "
     "if that is what you computed, subtract the true class's shifted logit z₂ − m too.)"),
    ("logits normalised as probabilities", lambda z, label: -np.log(z[label - 1] / np.sum(z)),
     "You divided the logits by their sum. Logits are not probabilities (they can be negative, "
     "and their ratios mean nothing): the softmax exponentiates them first, "
     "q_c = exp(z_c) / Σ_j exp(z_j)."),
    ("logits used as probabilities", lambda z, label: -np.log(z[label - 1]),
     "Logits are not probabilities: turn them into probabilities with the softmax, "
     "q = exp(z) / Σ exp(z), before taking −log q(label)."),
    ("softmax without its normaliser", lambda z, label: -z[label - 1],
     "Your result is −z for the true class: the log of exp(z) without dividing by Σ exp(z). The "
     "log-softmax is z − log Σ exp(z), so the loss is log Σ_j exp(z_j) − z_true."),
), m.bits_for_nats(), m.missing_minus(
    "Your result has the right size but the wrong sign. The loss is −log q_y, and log q_y ≤ 0, "
    "so the loss is never negative: it is log Σ_j exp(z_j) − z_y, not z_y − log Σ_j exp(z_j)."
)]
# fmt: on


# -- exercise 7: a code for Carol's frequencies used on Bob's words ------------------------------
def _code_lengths(q, rounding=np.ceil):
    return rounding(-np.log2(np.asarray(q, dtype=float)))


def shannon_code_length(p, q):
    """Mean length Σ p(x) ⌈−log₂ q(x)⌉ of the code built for q, used on words from p."""
    return float(np.sum(np.asarray(p) * _code_lengths(q)))


# fmt: off
CODE_LENGTH_MISTAKES = [*_confusions(
    ("ideal lengths", cross_entropy_bits,
     "That is H(P, Q), what Bob would pay if a codeword could be −log₂ q(x) bits long. "
     "Codewords have whole numbers of bits: Carol's lengths are ⌈−log₂ q(x)⌉, which costs Bob "
     "at least H(P, Q) and less than one bit more."),
    ("upper bound", lambda p, q: cross_entropy_bits(p, q) + 1,
     "H(P, Q) + 1 is the bound: the mean length is *less* than that. Compute the actual lengths "
     "⌈−log₂ q(x)⌉ and average them over Bob's words."),
    ("cross-entropy rounded up", lambda p, q: np.ceil(cross_entropy_bits(p, q)),
     "That is ⌈H(P, Q)⌉: you rounded the average up. The code rounds up each codeword's length, "
     "⌈−log₂ q(x)⌉, and Bob's mean length averages those whole lengths over his words."),
    ("Carol's own mean length", lambda p, q: float(np.sum(q * _code_lengths(q))),
     "That is Carol's own mean length, her code weighted by her frequencies. The code is "
     "Carol's, but the words are Bob's: weight each length by how often *Bob* says the word."),
    ("lengths rounded to the nearest integer",
     lambda p, q: float(np.sum(p * _code_lengths(q, np.round))),
     "Your lengths look like (2, 3, 2, 1): −log₂ q(x) rounded to the nearest whole number, or "
     "−ln q(x) rounded up (np.log is the natural log; code lengths count bits, log₂). Those "
     "lengths break Kraft's inequality: 2⁻² + 2⁻³ + 2⁻² + 2⁻¹ = 1.125 > 1, so no prefix code "
     "has them. Use ⌈−log₂ q(x)⌉."),
    ("lengths rounded down", lambda p, q: float(np.sum(p * _code_lengths(q, np.floor))),
     "You rounded −log₂ q(x) down. Those lengths break Kraft's inequality (Σ 2^(−ℓ) > 1), so no "
     "prefix code has them; your answer is even below H(P) = 1.75 bits, which no code beats. "
     "Round up: ⌈−log₂ q(x)⌉."),
    ("Bob's own code", lambda p, q: float(np.sum(p * _code_lengths(p))),
     "That is what Bob pays with his *own* code (lengths ⌈−log₂ p(x)⌉ = 1, 2, 3, 3): "
     "H(P) = 1.75 bits. He is using Carol's code, with lengths from her frequencies q."),
    ("Bob's code on Carol's words", lambda p, q: float(np.sum(q * _code_lengths(p))),
     "That is Carol's words written with Bob's code: the roles are swapped. The lengths come "
     "from Carol's q (the code), the weights from Bob's p (the words)."),
    ("unweighted mean of code lengths", lambda p, q: float(np.mean(_code_lengths(q))),
     "That is the plain average of the four codeword lengths, as if Bob said each word equally "
     "often. Weight each length by Bob's frequency p(x)."),
    ("extra bits only",
     lambda p, q: shannon_code_length(p, q) - float(np.sum(p * _code_lengths(p))),
     "That is only the *extra* cost, Bob's mean length with Carol's code minus the 1.75 bits of "
     "his own. The question asks for the whole mean length with Carol's code."),
), m.nats_for_bits()]
# fmt: on
