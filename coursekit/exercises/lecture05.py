"""Exercises of lecture 05 (Maximum likelihood is forward KL).

The exact answers and the mistake rules are in ``lecture05_mistakes``.
"""

import numpy as np

from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import lecture05_mistakes as r
from coursekit.exercises import mistakes as m
from coursekit.exercises.core import MISTAKE_RTOL, significant_tolerance

#: The lecture works with x = (1, 2, 3, 4, 5); the value exercises ask for the same ideas on
#: other data, so that no answer is printed in the lecture.
DATA = np.array([2.0, 3.0, 5.0, 7.0, 8.0])
KNOWN_MEAN = 4.0
#: A small sample from the source P = N(0, 1), and the model's fixed σ (goal 3: the NLL's
#: minimum is not the cross-entropy's).
SMALL_SAMPLE = np.array([0.5, -0.3, 1.2, 0.6])
MODEL_SIGMA = 1.0
#: Rolls of a three-sided die, as counts, and a model that is not fitted (goal 1, discrete).
COUNTS = np.array([5, 3, 2])
MODEL_Q = np.array([0.25, 0.25, 0.5])
#: The fixed mean of a model N(μ, σ²) whose σ is fitted to data from N(0, 1) (goals 1 and 3).
FIXED_MEAN = 2.0
#: Two clusters with nothing in between (goal 4: maximum likelihood covers both).
CLUSTERS = np.array([-3.0, -2.5, -2.0, 2.0, 2.5, 3.0])
IN_GAP, IN_CLUSTER = 0.0, 2.5


def _shortened(value, expected) -> bool:
    """Whether ``value`` is ``expected`` rounded or cut off to some significant figures."""
    if not np.all(np.isfinite(value)) or not np.all(expected):
        return False
    exponent = np.floor(np.log10(np.abs(expected)))
    for figures in range(1, 12):
        scale = 10.0 ** (exponent - figures + 1)
        for shorten in (np.round, np.trunc):
            if np.allclose(value, shorten(expected / scale) * scale, rtol=1e-12, atol=0):
                return True
    return False


def estimated_not_derived(
    digits: int, others, reference, message: str, band: float = 2.0, within: float = 0.02
) -> m.Predicate:
    """A value near the exact answer (beyond ``band`` half-units of its last asked figure,
    within ``within`` of it) that is neither a rounding of it nor explained by ``others``, the
    exercise's other rules: most likely a sample estimate where an exact value was asked.
    ``message`` says what to compute instead."""

    def test(result, args, expected):
        if result.shape != expected.shape or not np.all(np.isfinite(result)):
            return False
        off = np.abs(result - expected)
        if np.all(off <= band * significant_tolerance(expected, digits)):
            return False  # the checker's own near-miss message speaks to this
        if np.any(off > within * np.abs(expected)) or _shortened(result, expected):
            return False
        return not any(
            rule.explains(result, args, reference, expected, rtol=MISTAKE_RTOL) for rule in others
        )

    return m.Predicate(
        "a sample estimate",
        message,
        test,
        lambda ref: lambda *a: np.asarray(ref(*a), dtype=float) * (1 - within / 4),
    )


LIMIT_ESTIMATED = estimated_not_derived(
    6,
    r.LIMIT_MISTAKES,
    r.fitted_nll_limit,
    "Close, but not the exact limit. If you simulated data and averaged, that is an "
    "estimate: a Monte Carlo average scatters in the 3rd or 4th figure even with a "
    "million points. Compute the limit exactly instead, as an expectation under P. If you "
    "did use the formulas, keep full precision in every step.",
)

EXERCISES = ExerciseSet(
    "05",
    "Maximum likelihood is forward KL",
    {
        "q1": ValueExercise(
            prompt="The mean of a Gaussian model is known, μ = 4, and only its variance σ² is "
            "fitted by maximum likelihood to the data x = (2, 3, 5, 7, 8). What is σ̂²? To 6 "
            "significant figures.",
            variable="mle_variance",
            reference=r.mle_variance_known_mean,
            args=(DATA, KNOWN_MEAN),
            digits=6,
            mistakes=r.VARIANCE_MISTAKES,
            hints=[
                "Only one parameter is fitted now. Write the average NLL as a function of "
                "v = σ², with μ = 4 fixed.",
                "Repeat the lecture's derivative in v: ∂NLL/∂v = 1/(2v) − (1/N) Σ (xᵢ − μ)²/(2v²). "
                "Where is it zero?",
                "It is zero at v = (1/N) Σ (xᵢ − μ)² with μ = 4: the squares are centred at the "
                "known mean, not at x̄.",
            ],
            solution_code="x = np.array([2.0, 3, 5, 7, 8])\n"
            "mle_variance = np.mean((x - 4.0) ** 2)  # centred at the known mean",
        ),
        "q2": FunctionExercise(
            prompt="Data are often stored as counts: the distinct values `values` and how often "
            "each was seen, `counts`. Write mle_from_counts(values, counts), returning the "
            "maximum-likelihood mean and variance (μ̂, σ̂²) of a Gaussian fitted to the data. "
            "The check tries four test cases (one with a count of 0), to a relative precision "
            "of 1e-6.",
            variable="mle_from_counts",
            signature="mle_from_counts(values, counts)",
            reference=r.mle_from_counts,
            cases=[
                (np.array([1.0, 2.0, 3.0, 4.0, 5.0]), np.array([1, 1, 1, 1, 1])),
                (np.array([0.0, 1.0]), np.array([3, 1])),
                (np.array([2.0, 3.5, 10.0]), np.array([4, 0, 1])),
                (np.array([-1.0, 0.0, 2.0]), np.array([2, 5, 3])),
            ],
            mistakes=r.COUNTS_MISTAKES,
            hints=[
                "The empirical distribution gives each distinct value the probability "
                "count/N, with N = counts.sum().",
                "Maximum likelihood matches the mean and the 1/N variance of that "
                "distribution: averages weighted by count/N.",
                "μ̂ = Σ (kⱼ/N) vⱼ and σ̂² = Σ (kⱼ/N) (vⱼ − μ̂)², with vⱼ the values and kⱼ the "
                "counts; or np.mean and np.var of np.repeat(values, counts).",
            ],
            solution_code="def mle_from_counts(values, counts):\n"
            "    values = np.asarray(values, dtype=float)\n"
            "    weights = np.asarray(counts, dtype=float) / np.sum(counts)  # k/N\n"
            "    mu = np.sum(weights * values)\n"
            "    return mu, np.sum(weights * (values - mu) ** 2)",
        ),
        "q3": ValueExercise(
            prompt="Four points x = (0.5, −0.3, 1.2, 0.6) are drawn from the source "
            "P = N(0, 1), and the model is Q = N(μ, 1), with σ = 1 fixed. What is the lowest "
            "value over μ of the average NLL minus the lowest value over μ of the "
            "cross-entropy H(P, Q)? In nats, to 6 significant figures (negative if the NLL's "
            "minimum is the lower one).",
            variable="minimum_offset",
            reference=r.minimum_offset,
            args=(SMALL_SAMPLE, MODEL_SIGMA),
            unit="nats",
            digits=6,
            mistakes=r.OFFSET_MISTAKES,
            hints=[
                "Both curves are parabolas in μ with the same curvature (the lecture's "
                "explorer section). Find the lowest point of each: at which μ, and how high?",
                "For the NLL split Σ (xᵢ − μ)² = N·S + N(x̄ − μ)², with S = (1/N) Σ (xᵢ − x̄)²; "
                "for the cross-entropy use ⟨(x − μ)²⟩_p = Var(x) + (0 − μ)² = 1 + μ² under "
                "P = N(0, 1). Which μ removes the μ-dependent part of each?",
                "At their lowest points the squared terms are S/2 and 1/2, and the "
                "½ log(2π) is common to both: it cancels in the difference.",
            ],
            solution_code="x = np.array([0.5, -0.3, 1.2, 0.6])\n"
            "S = np.mean((x - x.mean()) ** 2)\n"
            "# min NLL = 0.5 log(2 pi) + S/2 (at mu = x.mean()); "
            "min H(P, Q) = 0.5 log(2 pi) + 1/2 (at mu = 0)\n"
            "minimum_offset = (S - 1) / 2",
        ),
        "q4": ValueExercise(
            prompt="A three-sided die is rolled 10 times: outcome 1 comes up five times, "
            "outcome 2 three times and outcome 3 twice. A model q = (0.25, 0.25, 0.5) is "
            "proposed. By how much does the best categorical model (the maximum-likelihood "
            "one) lower the average NLL of these rolls below q's? In nats, to 6 significant "
            "figures. (Predict first: which divergence, between which two distributions, is "
            "this drop?)",
            variable="nll_drop",
            reference=r.nll_drop,
            args=(COUNTS, MODEL_Q),
            unit="nats",
            digits=6,
            mistakes=r.NLL_DROP_MISTAKES,
            hints=[
                "Which categorical model maximises the likelihood of the rolls? (The "
                "lecture's loaded die.)",
                "For every model, the average NLL is KL(P_D‖Q) + H(P_D), with P_D the "
                "frequencies of the rolls. What is the KL at the best model?",
                "At the best model the KL is 0, so the drop is KL(P_D‖Q) for q = "
                "(0.25, 0.25, 0.5): Σ p_D log(p_D/q) with p_D = (0.5, 0.3, 0.2).",
            ],
            solution_code="frequencies = np.array([5, 3, 2]) / 10  # P_D, also the best model\n"
            "q = np.array([0.25, 0.25, 0.5])\n"
            "# NLL(q) - NLL(best) = [KL(P_D||q) + H(P_D)] - [0 + H(P_D)] = KL(P_D||q)\n"
            "nll_drop = np.sum(frequencies * np.log(frequencies / q))",
        ),
        "q5": ValueExercise(
            prompt="Data x₁, …, x_N are drawn from the source P = N(0, 1). The model "
            "Q = N(2, σ²) has its mean held at 2, and only σ is fitted by maximum "
            "likelihood. As N grows, what number does the average NLL of the fitted model "
            "approach? In nats, to 6 significant figures.",
            variable="fitted_nll_limit",
            reference=r.fitted_nll_limit,
            args=(FIXED_MEAN,),
            unit="nats",
            digits=6,
            mistakes=[*r.LIMIT_MISTAKES, LIMIT_ESTIMATED],
            hints=[
                "By the law of large numbers the average NLL of a model approaches an "
                "expectation: the cross-entropy H(P, Q) = ⟨−log q(x)⟩_p. As N grows, which σ "
                "minimises it?",
                "With q = N(2, σ²), H(P, Q) = ½ log(2πσ²) + ⟨(x − 2)²⟩_p/(2σ²). Minimise over "
                "σ² as the lecture did for the MLE: the best σ² is ⟨(x − 2)²⟩_p.",
                "Under P = N(0, 1), ⟨(x − 2)²⟩ = Var(x) + (0 − 2)² = 5; at σ² = 5 the squared "
                "term is ½.",
            ],
            solution_code="mu = 2.0\n"
            "var = 1 + mu**2  # the fitted sigma^2 -> <(x - mu)^2> under N(0, 1)\n"
            "# the average NLL -> H(P, Q) at that sigma: 0.5 log(2 pi var) + var / (2 var)\n"
            "fitted_nll_limit = 0.5 * np.log(2 * np.pi * var) + 0.5",
        ),
        "q6": ValueExercise(
            prompt="The data x = (−3, −2.5, −2, 2, 2.5, 3) lie in two clusters, with nothing "
            "between −2 and 2. Fit one Gaussian to them by maximum likelihood. How many times "
            "larger is its density at 0, in the empty gap, than at 2.5, the centre of a "
            "cluster? To 6 significant figures.",
            variable="density_ratio",
            reference=r.density_ratio,
            args=(CLUSTERS, IN_GAP, IN_CLUSTER),
            digits=6,
            mistakes=r.RATIO_MISTAKES,
            hints=[
                "Maximum likelihood gives one Gaussian with the data's mean and 1/N variance. "
                "Where is its peak?",
                "For a ratio of two densities of the same Gaussian the normalising constants "
                "cancel: q(a)/q(b) = exp(((b − μ̂)² − (a − μ̂)²)/(2σ̂²)).",
                "Here μ̂ = 0, so the ratio is exp(2.5²/(2σ̂²)) with σ̂² = np.var(x).",
            ],
            solution_code="from scipy import stats\n\n"
            "x = np.array([-3.0, -2.5, -2, 2, 2.5, 3])\n"
            "fit = stats.norm(x.mean(), x.std())  # the MLE: mean and 1/N standard deviation\n"
            "density_ratio = fit.pdf(0.0) / fit.pdf(2.5)  # densest in the gap, where no data are",
        ),
        "q7": ChoiceExercise(
            prompt="Real-valued data x₁, …, x_N, all different, are drawn from a source P, and "
            "a Gaussian model Q_φ is fitted by maximum likelihood. Which statement is true?",
            variable="answer_continuous",
            options={
                "a": "KL(P_D‖Q_φ) is finite for every φ, and the MLE is the φ that minimises it.",
                "b": "KL(P_D‖Q_φ) is infinite for every φ, so maximum likelihood is unrelated to "
                "any KL divergence.",
                "c": "For two models φ and φ′, NLL(φ) − NLL(φ′) estimates "
                "KL(P‖Q_φ) − KL(P‖Q_φ′): the NLL ranks models as the forward KL from the "
                "source does, up to sampling noise.",
                "d": "When P is in the model family, the average NLL at the MLE is an unbiased "
                "estimate of h(P), the differential entropy of the source.",
            },
            answer="c",
            explanations={
                "a": "KL(P_D‖Q_φ) is infinite for every φ: P_D puts probability 1/N on each "
                "data point, and a density gives every single point probability 0, so Q_φ "
                "calls impossible what P_D says happens. What stays finite is the "
                "cross-entropy H(P_D, Q_φ), the average NLL.",
                "b": "The KL from P_D is infinite, but the link survives through the source: "
                "the average NLL estimates H(P, Q_φ) = KL(P‖Q_φ) + h(P), and h(P) is the same "
                "for every φ.",
                "c": "The average NLL estimates H(P, Q_φ) = KL(P‖Q_φ) + h(P) for every φ. In a "
                "difference between two models the unknown h(P) cancels, so the NLL ranks "
                "models as the forward KL from the source does, up to the sampling noise of "
                "the averages.",
                "d": "The NLL at the MLE is biased *low*: μ̂ and σ̂ are chosen to fit this very "
                "sample, so the sample looks more likely than new data would. With σ = 1 "
                "fixed, exercise 3's offset (S − 1)/2 is −1/(2N) on average, since S "
                "averages (N − 1)/N.",
            },
            hints=[
                "Write H(P, Q_φ) = KL(P‖Q_φ) + h(P) and ask, for each statement, which terms "
                "depend on φ and which on the sample."
            ],
            solution_code='answer_continuous = "c"',
        ),
    },
)
