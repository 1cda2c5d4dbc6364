"""Exercises of lecture 05 (Maximum likelihood is forward KL)."""

import numpy as np

from coursekit import fitting
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian

DATA = np.array([1.0, 2.0, 3.0, 4.0, 5.0])


def _mle_variance(x):
    return fitting.fit_mle_gaussian(x).var


def _mean_nll(x, mu, sigma):
    """Average negative log-likelihood of N(mu, sigma²) on the data x, in nats."""
    return fitting.mean_nll(x, Gaussian(mu, float(sigma)))


def _nll_at_mle(x):
    return fitting.mean_nll(x, fitting.fit_mle_gaussian(x))


EXERCISES = ExerciseSet(
    "05",
    "Maximum likelihood is forward KL",
    {
        "q1": ValueExercise(
            prompt="The maximum-likelihood variance σ̂² of a Gaussian fitted to the data "
            "x = (1, 2, 3, 4, 5).",
            variable="mle_variance",
            reference=_mle_variance,
            args=(DATA,),
            mistakes=[
                m.confused_with(
                    "divided by N − 1",
                    lambda x: np.var(x, ddof=1),
                    "You divided by N − 1 (the unbiased estimate, np.var(x, ddof=1)). The "
                    "maximum-likelihood estimate divides by N: np.var(x).",
                ),
                m.std_for_variance(),
                m.sum_for_mean(lambda x: len(x)),
            ],
            hints=[
                "Set the derivative of the log-likelihood with respect to σ² to zero.",
                "σ̂² = (1/N) Σ (xᵢ − x̄)², with x̄ the sample mean.",
            ],
            solution_code="x = np.array([1.0, 2, 3, 4, 5])\n"
            "mle_variance = np.mean((x - x.mean()) ** 2)",
        ),
        "q2": FunctionExercise(
            prompt="Write mean_nll(x, mu, sigma): the average negative log-likelihood, in nats, "
            "of the data x under N(mu, sigma²) (sigma is the standard deviation).",
            variable="mean_nll",
            signature="mean_nll(x, mu, sigma)",
            reference=_mean_nll,
            cases=[
                (DATA, 3.0, np.sqrt(2.0)),
                (DATA, 0.0, 1.0),
                (np.array([-0.3, 0.1, 2.2, 0.7]), 0.5, 2.0),
                (np.array([10.0, 11.0, 9.5]), 10.0, 0.5),
            ],
            mistakes=[
                m.sum_for_mean(lambda x, mu, sigma: len(x)),
                m.missing_minus(),
                m.variance_passed_as_std(position=2),
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
            prompt="The average negative log-likelihood, in nats, of x = (1, 2, 3, 4, 5) under "
            "its maximum-likelihood Gaussian.",
            variable="nll_at_mle",
            reference=_nll_at_mle,
            args=(DATA,),
            unit="nats",
            mistakes=[
                m.sum_for_mean(lambda x: len(x)),
                m.missing_minus(),
                m.confused_with(
                    "unbiased variance",
                    lambda x: fitting.mean_nll(x, Gaussian(x.mean(), np.std(x, ddof=1))),
                    "That is the NLL under N(x̄, s²) with the unbiased variance s² (÷ N − 1). "
                    "The maximum-likelihood Gaussian uses σ̂² = 2 (÷ N).",
                ),
            ],
            hints=[
                "The MLE is N(3, 2).",
                "At the MLE the mean NLL is ½ log(2π σ̂²) + ½.",
            ],
            solution_code=(
                "x = np.array([1.0, 2, 3, 4, 5])\n"
                "nll_at_mle = 0.5 * np.log(2 * np.pi * x.var()) + 0.5  # at the MLE the squared term averages to 1/2"
            ),
        ),
        "q4": ChoiceExercise(
            prompt="Fitting a model Q_φ by minimising the forward KL(P_D‖Q_φ) from the data's "
            "empirical distribution P_D is the same as…",
            variable="answer_forward_kl_is",
            options={
                "a": "maximising the likelihood of the data",
                "b": "minimising the reverse KL(Q_φ‖P_D)",
                "c": "maximising the entropy of Q_φ",
                "d": "minimising the entropy of the data",
            },
            answer="a",
            explanations={
                "a": "KL(P_D‖Q_φ) = −⟨log q_φ(x)⟩_{P_D} − H(P_D): the average negative "
                "log-likelihood plus a constant. Minimising one maximises the likelihood.",
                "b": "The reverse KL averages under Q_φ, and Q_φ puts mass where the data has "
                "none, where log P_D is −∞: it is not even finite. Maximum likelihood is the "
                "*forward* direction.",
                "c": "The entropy of Q_φ is not what is fitted: forward KL is the cross-entropy "
                "H(P_D, Q_φ) minus H(P_D), and the cross-entropy is the negative log-likelihood.",
                "d": "The data's entropy H(P_D) does not depend on φ at all: it is the constant "
                "that separates the KL from the negative log-likelihood.",
            },
            hints=["Write KL(P_D‖Q_φ) = H(P_D, Q_φ) − H(P_D) and look at each term."],
            solution_code='answer_forward_kl_is = "a"',
        ),
        "q5": ChoiceExercise(
            prompt="True or false: the constant that separates the average negative "
            "log-likelihood from the forward KL depends on the model's parameters φ.",
            variable="answer_constant_depends_on_phi",
            options={True: "true", False: "false"},
            answer=False,
            explanations={
                True: "It does not: the constant is the data's entropy, a property of the data "
                "alone. That is why the NLL and KL curves over φ have the same shape and the "
                "same minimiser.",
                False: "The constant is the entropy of the data distribution; it does not "
                "involve φ, so the NLL and the forward KL have the same minimiser.",
            },
            hints=["Which term of KL(P‖Q_φ) = H(P, Q_φ) − H(P) contains φ?"],
            solution_code="answer_constant_depends_on_phi = False",
        ),
    },
)
