"""Exercises of lecture 05 (Maximum likelihood is forward KL).

The exact answers and the mistake rules are in ``lecture05_mistakes``.
"""

import numpy as np

from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import lecture05_mistakes as r

#: The lecture works with x = (1, 2, 3, 4, 5); the value exercises ask for the same ideas on
#: other data, so that no answer is printed in the lecture.
DATA = np.array([2.0, 3.0, 5.0, 7.0, 8.0])
KNOWN_MEAN = 4.0
#: A small sample from the source P = N(0, 1), and the model's fixed σ (goal 3: the NLL's
#: minimum is not the cross-entropy's).
SMALL_SAMPLE = np.array([0.5, -0.3, 1.2, 0.6])
MODEL_SIGMA = 1.0
#: Rolls of a three-sided die, as counts (goal 1, discrete data).
COUNTS = np.array([5, 3, 2])
#: A model that is not fitted, N(1, 2²), against the source N(0, 1) (goal 1, continuous data).
MODEL = (1.0, 2.0)
#: Two clusters with nothing in between (goal 4: maximum likelihood covers both).
CLUSTERS = np.array([-3.0, -2.5, -2.0, 2.0, 2.5, 3.0])
IN_GAP, IN_CLUSTER = 0.0, 2.5

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
                "explorer section): find the lowest point of each.",
                "The NLL is lowest at μ̂ = x̄, with value ½ log(2π) + S/2, where "
                "S = (1/N) Σ (xᵢ − x̄)²; the cross-entropy is lowest at μ = 0, with value "
                "½ log(2π) + ½.",
                "The ½ log(2π) cancels: the answer depends on the data only through S.",
            ],
            solution_code="x = np.array([0.5, -0.3, 1.2, 0.6])\n"
            "S = np.mean((x - x.mean()) ** 2)\n"
            "# min NLL = 0.5 log(2 pi) + S/2 (at mu = x.mean()); "
            "min H(P, Q) = 0.5 log(2 pi) + 1/2 (at mu = 0)\n"
            "minimum_offset = (S - 1) / 2",
        ),
        "q4": ValueExercise(
            prompt="A three-sided die is rolled 10 times: outcome 1 comes up five times, "
            "outcome 2 three times and outcome 3 twice. Among all categorical models "
            "q = (q₁, q₂, q₃), what is the smallest average NLL of these rolls? In nats, to 6 "
            "significant figures.",
            variable="best_mean_nll",
            reference=r.best_mean_nll,
            args=(COUNTS,),
            unit="nats",
            digits=6,
            mistakes=r.BEST_NLL_MISTAKES,
            hints=[
                "Which categorical model maximises the likelihood of the rolls? (The "
                "lecture's loaded die.)",
                "At that model KL(P_D‖Q) = 0, so the average NLL, KL + H(P_D), equals the "
                "other term.",
            ],
            solution_code="frequencies = np.array([5, 3, 2]) / 10  # the best model\n"
            "best_mean_nll = -np.sum(frequencies * np.log(frequencies))  # = H(P_D)",
        ),
        "q5": ValueExercise(
            prompt="Data are drawn from the source P = N(0, 1), and the model Q = N(1, 2²) "
            "(mean 1, standard deviation 2) is not fitted. As the number of data points N "
            "grows, what number does the average NLL of Q approach? In nats, to 6 significant "
            "figures.",
            variable="nll_limit",
            reference=r.nll_limit,
            args=MODEL,
            unit="nats",
            digits=6,
            mistakes=r.NLL_LIMIT_MISTAKES,
            hints=[
                "By the law of large numbers an average over the data approaches an "
                "expectation: of −log q(x), with x drawn from which distribution?",
                "It is the cross-entropy H(P, Q) = ⟨−log q(x)⟩_p. With q = N(μ, σ²), "
                "−log q(x) = ½ log(2πσ²) + (x − μ)²/(2σ²).",
                "Under P = N(0, 1), ⟨(x − μ)²⟩ = 1 + μ².",
            ],
            solution_code="mu, sigma = 1.0, 2.0\n"
            "# H(P, Q) = <-log q(x)> for x ~ N(0, 1), where <(x - mu)^2> = 1 + mu^2\n"
            "nll_limit = 0.5 * np.log(2 * np.pi * sigma**2) + (1 + mu**2) / (2 * sigma**2)",
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
