"""Exercises of lecture 06 (Variational inference)."""

import numpy as np

from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian
from coursekit.vi import ConjugateGaussian

MODEL = ConjugateGaussian(prior_std=1.0, noise_std=1.0)  # z ~ N(0, 1), x | z ~ N(z, 1)


def _elbo(x, mu, sigma):
    """ELBO of q = N(mu, sigma²) in the conjugate model, in nats (closed form)."""
    return MODEL.elbo(x, Gaussian(mu, float(sigma)))


def _gap(x, mu, sigma):
    return MODEL.log_evidence(x) - _elbo(x, mu, sigma)


def _reconstruction(x, mu, sigma):
    return MODEL.reconstruction(x, Gaussian(mu, float(sigma)))


def _kl_added(x, mu, sigma):
    q = Gaussian(mu, float(sigma))
    return MODEL.reconstruction(x, q) + MODEL.kl_to_prior(q)


EXERCISES = ExerciseSet(
    "06",
    "Variational inference",
    {
        "q1": ValueExercise(
            prompt="In the model z ~ N(0, 1), x | z ~ N(z, 1), with x = 2, the ELBO of "
            "q = N(0, 1), in nats.",
            variable="elbo_standard",
            reference=_elbo,
            args=(2.0, 0.0, 1.0),
            unit="nats",
            mistakes=[
                m.missing_minus(),
                m.confused_with(
                    "log evidence",
                    lambda x, mu, sigma: MODEL.log_evidence(x),
                    "That is log p(x), which the ELBO bounds from below. The ELBO of this q is "
                    "smaller, by KL(q‖p(z|x)).",
                ),
            ],
            hints=[
                "ELBO = E_q[log p(x|z)] − KL(q‖p(z)); here q is the prior, so the KL is 0.",
                "E_q[log N(x; z, 1)] = −½ log(2π) − ((x − μ)² + σ²)/2 for q = N(μ, σ²).",
            ],
            solution_code="x, mu, s = 2.0, 0.0, 1.0\n"
            "reconstruction = -0.5 * np.log(2 * np.pi) - ((x - mu) ** 2 + s**2) / 2\n"
            "kl_prior = 0.5 * (mu**2 + s**2 - 1 - np.log(s**2))\n"
            "elbo_standard = reconstruction - kl_prior",
        ),
        "q2": ValueExercise(
            prompt="For the same model and data, the gap log p(x) − ELBO(q) of q = N(0, 1), in "
            "nats. (It equals KL(q‖p(z|x)); compute it either way.)",
            variable="gap_standard",
            reference=_gap,
            args=(2.0, 0.0, 1.0),
            unit="nats",
            mistakes=[
                m.missing_minus(),
                m.confused_with(
                    "the ELBO itself",
                    _elbo,
                    "That is the ELBO, not the gap. The gap is log p(x) − ELBO, with "
                    "log p(x) = log N(2; 0, 2).",
                ),
            ],
            hints=[
                "log p(x) = log N(x; 0, 1 + 1) for this model.",
                "Or: the posterior is N(1, 0.5), and the gap is KL(N(0, 1)‖N(1, 0.5)).",
            ],
            solution_code="x, mu, s = 2.0, 0.0, 1.0\n"
            "log_evidence = -0.5 * np.log(2 * np.pi * 2) - x**2 / (2 * 2)\n"
            "elbo_q = -0.5 * np.log(2 * np.pi) - ((x - mu) ** 2 + s**2) / 2 "
            "- 0.5 * (mu**2 + s**2 - 1 - np.log(s**2))\n"
            "gap_standard = log_evidence - elbo_q",
        ),
        "q3": FunctionExercise(
            prompt="Write elbo(x, mu, sigma): the ELBO, in nats, of q = N(mu, sigma²) for one "
            "observation x in the model z ~ N(0, 1), x | z ~ N(z, 1).",
            variable="elbo",
            signature="elbo(x, mu, sigma)",
            reference=_elbo,
            cases=[(2.0, 0.0, 1.0), (2.0, 1.0, np.sqrt(0.5)), (-1.0, 0.5, 2.0), (0.3, -0.2, 0.3)],
            mistakes=[
                m.missing_minus(),
                m.variance_passed_as_std(position=2),
                m.confused_with(
                    "KL to the prior added",
                    _kl_added,
                    "You added KL(q‖p(z)) to the reconstruction term; the ELBO subtracts it: "
                    "ELBO = E_q[log p(x|z)] − KL(q‖p(z)).",
                ),
                m.confused_with(
                    "KL to the prior left out",
                    _reconstruction,
                    "Your function returns only the reconstruction term E_q[log p(x|z)]. "
                    "Subtract KL(q‖p(z)) = ½(μ² + σ² − 1 − ln σ²).",
                ),
            ],
            hints=[
                "Reconstruction: −½ log(2π) − ((x − μ)² + σ²)/2.",
                "KL(N(μ, σ²)‖N(0, 1)) = ½(μ² + σ² − 1 − ln σ²); ELBO = reconstruction − KL.",
            ],
            solution_code="def elbo(x, mu, sigma):\n"
            "    reconstruction = -0.5 * np.log(2 * np.pi) - ((x - mu) ** 2 + sigma**2) / 2\n"
            "    kl_prior = 0.5 * (mu**2 + sigma**2 - 1 - np.log(sigma**2))\n"
            "    return reconstruction - kl_prior",
        ),
        "q4": ChoiceExercise(
            prompt="A classmate's code prints ELBO = +3.42 nats for a q in a model where "
            "log p(x) = −2.27 nats. What is wrong?",
            variable="answer_wrong_elbo",
            options={
                "a": "nothing: the ELBO can exceed log p(x) for a good q",
                "b": "the sign: the code returns the negative ELBO (the loss to minimise)",
                "c": "the posterior was computed wrongly",
                "d": "the data x should have been standardised first",
            },
            answer="b",
            explanations={
                "a": "Never: ELBO(q) = log p(x) − KL(q‖p(z|x)) and the KL is ≥ 0, so the ELBO is "
                "at most log p(x) = −2.27. A value above it is a bug.",
                "b": "+3.42 is −(−3.42): the code returns the loss −ELBO that optimisers "
                "minimise. An ELBO above log p(x) is impossible, so a sign error is the first "
                "suspect.",
                "c": "The ELBO never uses the posterior: that is its point. It needs only the "
                "joint p(x, z) and q.",
                "d": "Rescaling the data changes log p(x) and the ELBO together; it cannot push "
                "the ELBO above the evidence.",
            },
            hints=["Which of ELBO and log p(x) is always the larger?"],
            solution_code='answer_wrong_elbo = "b"',
        ),
        "q5": ChoiceExercise(
            prompt="True or false: maximising the ELBO over q minimises the forward KL "
            "KL(p(z|x)‖q).",
            variable="answer_elbo_forward",
            options={True: "true", False: "false"},
            answer=False,
            explanations={
                True: "It minimises the *reverse* KL(q‖p(z|x)): log p(x) = ELBO(q) + "
                "KL(q‖p(z|x)), with expectations under q. That is why VI is mode seeking and "
                "tends to underestimate posterior variance.",
                False: "Maximising the ELBO minimises the reverse KL(q‖p(z|x)), since "
                "log p(x) = ELBO(q) + KL(q‖p(z|x)): VI inherits the mode seeking of lecture 04.",
            },
            hints=["Write log p(x) − ELBO(q) as an expectation: under which distribution?"],
            solution_code="answer_elbo_forward = False",
        ),
    },
)
