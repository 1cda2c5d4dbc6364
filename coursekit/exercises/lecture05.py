"""Exercises of lecture 05 (Maximum likelihood is forward KL)."""

import numpy as np
from scipy.special import ndtr

from coursekit import fitting
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian

#: The lecture works with x = (1, 2, 3, 4, 5); the value exercises ask for the same ideas on
#: other data, so that no answer is printed in the lecture.
LECTURE_DATA = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
DATA = np.array([2.0, 3.0, 5.0, 7.0, 8.0])
#: Two clusters with nothing in between (goal 4: maximum likelihood covers both).
CLUSTERS = np.array([-3.0, -2.5, -2.0, 2.0, 2.5, 3.0])
GAP = 1.0  # the empty interval (−GAP, GAP)


def _mle_variance(x):
    return fitting.fit_mle_gaussian(x).var


def _mean_nll(x, mu, sigma):
    """Average negative log-likelihood of N(mu, sigma²) on the data x, in nats."""
    return fitting.mean_nll(x, Gaussian(mu, float(sigma)))


def _nll_at_mle(x):
    return fitting.mean_nll(x, fitting.fit_mle_gaussian(x))


def _gaussian_mass(a, mean, std):
    """Probability that N(mean, std²) gives to the interval (−a, a)."""
    return ndtr((a - mean) / std) - ndtr((-a - mean) / std)


def _mass_in_gap(x, a):
    """Probability that the maximum-likelihood Gaussian of x gives to (−a, a)."""
    return _gaussian_mass(a, np.mean(x), np.std(x))


# -- mistakes in the Gaussian NLL -------------------------------------------------------------


def _nll_terms(x, mu, var):
    """The two terms of the average NLL of N(mu, var): ½ log(2π var) and the squared term."""
    x = np.asarray(x, dtype=float)
    return 0.5 * np.log(2 * np.pi * var), np.mean((x - mu) ** 2) / (2 * var)


def _without_half_of_log(reference):
    def mistaken(x, mu, sigma):
        log_term, square_term = _nll_terms(x, mu, sigma**2)
        return 2 * log_term + square_term

    return mistaken


def _without_half_of_square(reference):
    def mistaken(x, mu, sigma):
        log_term, square_term = _nll_terms(x, mu, sigma**2)
        return log_term + 2 * square_term

    return mistaken


MISSING_HALF_OF_LOG = (
    "The ½ in front of log(2πσ²) is missing: log N(x; μ, σ²) = −½ log(2πσ²) − (x − μ)²/(2σ²), "
    "so the NLL of one point is ½ log(2πσ²) + (x − μ)²/(2σ²)."
)
MISSING_HALF_OF_SQUARE = (
    "The squared term is twice too large: it is (x − μ)²/(2σ²), with a 2 in the denominator "
    "(a missing ½)."
)


EXERCISES = ExerciseSet(
    "05",
    "Maximum likelihood is forward KL",
    {
        "q1": ValueExercise(
            prompt="The maximum-likelihood variance σ̂² of a Gaussian fitted to the data "
            "x = (2, 3, 5, 7, 8), to 6 significant figures.",
            variable="mle_variance",
            reference=_mle_variance,
            args=(DATA,),
            digits=6,
            mistakes=[
                m.confused_with(
                    "divided by N − 1",
                    lambda x: np.var(x, ddof=1),
                    "You divided by N − 1 (the unbiased estimate, np.var(x, ddof=1)). The "
                    "maximum-likelihood estimate divides by N: np.var(x).",
                ),
                m.std_for_variance(),
                m.sum_for_mean(lambda x: len(x)),
                m.confused_with(
                    "not centred",
                    lambda x: np.mean(x**2),
                    "You averaged x², not (x − x̄)²: subtract the sample mean x̄ from every "
                    "point before squaring.",
                ),
            ],
            hints=[
                "Set the derivative of the average NLL with respect to σ² to zero, with μ at "
                "its estimate x̄.",
                "σ̂² = (1/N) Σ (xᵢ − x̄)², with x̄ the sample mean.",
            ],
            solution_code="x = np.array([2.0, 3, 5, 7, 8])\n"
            "mle_variance = np.mean((x - x.mean()) ** 2)",
        ),
        "q2": FunctionExercise(
            prompt="Write mean_nll(x, mu, sigma): the average negative log-likelihood, in nats, "
            "of the data x under N(mu, sigma²) (sigma is the standard deviation). It is checked "
            "on four data sets, to 6 significant figures.",
            variable="mean_nll",
            signature="mean_nll(x, mu, sigma)",
            reference=_mean_nll,
            cases=[
                (LECTURE_DATA, 3.0, np.sqrt(2.0)),
                (LECTURE_DATA, 0.0, 1.0),
                (np.array([-0.3, 0.1, 2.2, 0.7]), 0.5, 2.0),
                (np.array([10.0, 11.0, 9.5]), 10.0, 0.5),
            ],
            mistakes=[
                m.sum_for_mean(lambda x, mu, sigma: len(x)),
                m.missing_minus(),
                m.variance_passed_as_std(position=2),
                m.std_passed_as_variance(position=2),
                m.Mistake("missing ½ of the log", MISSING_HALF_OF_LOG, _without_half_of_log),
                m.Mistake(
                    "missing ½ of the square", MISSING_HALF_OF_SQUARE, _without_half_of_square
                ),
                m.bits_for_nats(),
            ],
            hints=[
                "log N(x; μ, σ²) = −½ log(2πσ²) − (x − μ)² / (2σ²).",
                "Average −log N(xᵢ; μ, σ²) over the data points: np.mean.",
            ],
            solution_code="def mean_nll(x, mu, sigma):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    log_q = -0.5 * np.log(2 * np.pi * sigma**2) - (x - mu) ** 2 / (2 * sigma**2)\n"
            "    return -np.mean(log_q)",
        ),
        "q3": ValueExercise(
            prompt="The average negative log-likelihood, in nats and to 6 significant figures, "
            "of x = (2, 3, 5, 7, 8) under its maximum-likelihood Gaussian.",
            variable="nll_at_mle",
            reference=_nll_at_mle,
            args=(DATA,),
            unit="nats",
            digits=6,
            mistakes=[
                m.sum_for_mean(lambda x: len(x)),
                m.missing_minus(),
                m.bits_for_nats(),
                m.confused_with(
                    "unbiased variance",
                    lambda x: fitting.mean_nll(x, Gaussian(x.mean(), np.std(x, ddof=1))),
                    "That is the NLL under N(x̄, s²) with the unbiased variance s² (÷ N − 1). "
                    "The maximum-likelihood Gaussian uses σ̂² = (1/N) Σ (xᵢ − x̄)² (÷ N).",
                ),
                m.confused_with(
                    "variance passed as σ",
                    lambda x: fitting.mean_nll(x, Gaussian(x.mean(), np.var(x))),
                    "That is the NLL of a Gaussian whose *standard deviation* is σ̂²: the "
                    "variance was passed where σ goes (mean_nll(x, mu, sigma) takes σ = √σ̂²).",
                ),
                m.confused_with(
                    "σ in place of σ² in the log",
                    lambda x: 0.5 * np.log(2 * np.pi * np.std(x)) + 0.5,
                    "Inside the log goes the variance: ½ log(2πσ̂²), not ½ log(2πσ̂).",
                ),
                m.confused_with(
                    "missing ½ of the log",
                    lambda x: np.log(2 * np.pi * np.var(x)) + 0.5,
                    MISSING_HALF_OF_LOG,
                ),
                m.confused_with(
                    "squared term left out",
                    lambda x: 0.5 * np.log(2 * np.pi * np.var(x)),
                    "You kept only ½ log(2πσ̂²). The squared term (1/N) Σ (xᵢ − x̄)² / (2σ̂²) "
                    "does not vanish at the MLE: it equals ½ there.",
                ),
                m.confused_with(
                    "missing ½ of the square",
                    lambda x: 0.5 * np.log(2 * np.pi * np.var(x)) + 1.0,
                    "At the MLE the squared term is (1/N) Σ (xᵢ − x̄)² / (2σ̂²) = σ̂²/(2σ̂²) = ½, "
                    "not 1: the 2 in its denominator is missing.",
                ),
            ],
            hints=[
                "The MLE is N(x̄, σ̂²) with x̄ = 5 and σ̂² = (1/N) Σ (xᵢ − x̄)².",
                "At the MLE the squared term averages to ½, so the mean NLL is ½ log(2π σ̂²) + ½.",
            ],
            solution_code=(
                "x = np.array([2.0, 3, 5, 7, 8])\n"
                "nll_at_mle = 0.5 * np.log(2 * np.pi * x.var()) + 0.5  "
                "# at the MLE the squared term averages to 1/2"
            ),
        ),
        "q4": ChoiceExercise(
            prompt="For discrete data, fitting a model Q_φ by minimising the forward "
            "KL(P_D‖Q_φ) from the data's empirical distribution P_D is the same as…",
            variable="answer_forward_kl_is",
            options={
                "a": "maximising the likelihood of the data",
                "b": "minimising the reverse KL(Q_φ‖P_D)",
                "c": "maximising the entropy of Q_φ",
                "d": "minimising the entropy of the data",
            },
            answer="a",
            explanations={
                "a": "KL(P_D‖Q_φ) = H(P_D, Q_φ) − H(P_D): the average negative "
                "log-likelihood minus the entropy of the data's frequencies, which does not "
                "depend on φ. Minimising one maximises the likelihood.",
                "b": "The reverse KL averages under Q_φ, and wherever Q_φ gives probability to "
                "a value the data never showed, P_D is 0 there and the reverse KL is infinite. "
                "Maximum likelihood is the *forward* direction.",
                "c": "The entropy of Q_φ is not what is fitted: forward KL is the cross-entropy "
                "H(P_D, Q_φ) minus H(P_D), and the cross-entropy is the negative log-likelihood.",
                "d": "The data's entropy H(P_D) does not depend on φ at all: it is the constant "
                "that separates the KL from the negative log-likelihood.",
            },
            hints=["Write KL(P_D‖Q_φ) = H(P_D, Q_φ) − H(P_D) and look at each term."],
            solution_code='answer_forward_kl_is = "a"',
        ),
        "q5": ChoiceExercise(
            prompt="True or false: for discrete data, the constant that separates the average "
            "negative log-likelihood from the forward KL(P_D‖Q_φ) depends on the model's "
            "parameters φ.",
            variable="answer_constant_depends_on_phi",
            options={True: "true", False: "false"},
            answer=False,
            explanations={
                True: "It does not: the constant is H(P_D), the entropy of the data's observed "
                "frequencies, a property of the data alone. That is why the NLL and the KL, as "
                "functions of φ, have the same shape and the same minimiser.",
                False: "The constant is H(P_D), the entropy of the data's observed "
                "frequencies; it does not involve φ, so the NLL and the forward KL have the "
                "same minimiser.",
            },
            hints=["Which term of KL(P_D‖Q_φ) = H(P_D, Q_φ) − H(P_D) contains φ?"],
            solution_code="answer_constant_depends_on_phi = False",
        ),
        "q6": ValueExercise(
            prompt="The data x = (−3, −2.5, −2, 2, 2.5, 3) lie in two clusters, with nothing "
            "between −1 and 1. Fit one Gaussian to them by maximum likelihood. What probability "
            "does it give to the empty interval (−1, 1)? To 6 significant figures.",
            variable="mass_in_gap",
            reference=_mass_in_gap,
            args=(CLUSTERS, GAP),
            digits=6,
            mistakes=[
                m.confused_with(
                    "unbiased variance",
                    lambda x, a: _gaussian_mass(a, np.mean(x), np.std(x, ddof=1)),
                    "That is the mass under a Gaussian with the unbiased variance (÷ N − 1). "
                    "The maximum-likelihood fit has σ̂² = (1/N) Σ (xᵢ − x̄)².",
                ),
                m.confused_with(
                    "variance passed as σ",
                    lambda x, a: _gaussian_mass(a, np.mean(x), np.var(x)),
                    "That is the mass under a Gaussian whose *standard deviation* is σ̂²: "
                    "scipy.stats.norm(loc, scale) takes the standard deviation, √σ̂².",
                ),
                m.confused_with(
                    "P(X < 1)",
                    lambda x, a: ndtr((a - np.mean(x)) / np.std(x)),
                    "That is P(X < 1), the mass of everything below 1. The interval (−1, 1) "
                    "has P(X < 1) − P(X < −1).",
                ),
            ],
            hints=[
                "Maximum likelihood matches the data's mean and 1/N variance: μ̂ = x̄, "
                "σ̂² = np.var(x).",
                "P(−1 < X < 1) = Φ((1 − μ̂)/σ̂) − Φ((−1 − μ̂)/σ̂), with Φ = scipy.stats.norm.cdf.",
            ],
            solution_code="from scipy import stats\n\n"
            "x = np.array([-3.0, -2.5, -2, 2, 2.5, 3])\n"
            "fit = stats.norm(x.mean(), x.std())   # the MLE: mean and 1/N standard deviation\n"
            "mass_in_gap = fit.cdf(1) - fit.cdf(-1)",
        ),
        "q7": ChoiceExercise(
            prompt="For real-valued data and a Gaussian model Q_φ, what does maximum likelihood "
            "minimise?",
            variable="answer_continuous",
            options={
                "a": "KL(P_D‖Q_φ), the forward KL from the empirical distribution, which is finite",
                "b": "the average NLL H(P_D, Q_φ), which is finite and estimates "
                "KL(P‖Q_φ) + h(P) for the distribution P the data come from; KL(P_D‖Q_φ) "
                "itself is infinite",
                "c": "nothing related to KL: for continuous data the link between likelihood "
                "and KL is lost",
            },
            answer="b",
            explanations={
                "a": "KL(P_D‖Q_φ) is infinite for every φ: P_D puts probability 1/N on each "
                "data point, and a density gives every single point probability 0, so Q_φ "
                "calls impossible what P_D says happens. What stays finite is the "
                "cross-entropy H(P_D, Q_φ), the average NLL.",
                "b": "The average NLL is the cross-entropy from the empirical distribution, "
                "finite whenever q_φ(xᵢ) > 0. Its expectation over samples from P is "
                "H(P, Q_φ) = KL(P‖Q_φ) + h(P), so maximum likelihood minimises an estimate of "
                "the forward KL from the data's source, up to the constant h(P).",
                "c": "The link survives in the limit: the average NLL estimates "
                "H(P, Q_φ) = KL(P‖Q_φ) + h(P), the forward KL from the data's source plus a "
                "constant, and the MLE approaches that KL's minimiser as N grows.",
            },
            hints=[
                "What probability does a density give to one single point? And what does "
                "lecture 03 say when q = 0 where p > 0?"
            ],
            solution_code='answer_continuous = "b"',
        ),
    },
)
