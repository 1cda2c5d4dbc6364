"""Exercises of lecture 04 (Forward vs reverse KL)."""

import numpy as np

from coursekit import fitting
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian, Mixture


def _mixture(weights, means, stds):
    return Mixture(list(weights), [Gaussian(mu, s) for mu, s in zip(means, stds, strict=True)])


def _moment_match(weights, means, stds):
    """Mean and standard deviation of the forward-KL Gaussian fit of a 1-D mixture."""
    fit = fitting.fit_forward_kl(_mixture(weights, means, stds))
    return np.array([fit.mean, fit.std])


def _forward_fit_variance(d):
    return fitting.fit_forward_kl(Mixture.symmetric(d)).var


def _reverse_fit_std(d, init_mean):
    return fitting.fit_reverse_kl(Mixture.symmetric(d), Gaussian(init_mean, 1.0)).std


def _mean_field_reverse_variance(rho):
    cov = np.array([[1.0, rho], [rho, 1.0]])
    return fitting.mean_field(np.array([1.0, 2.0]), cov, "reverse").variances[0]


def _weighted(weights, means, stds):
    return (np.asarray(weights, float), np.asarray(means, float), np.asarray(stds, float))


def _without_component_spread(weights, means, stds):
    w, mu, _ = _weighted(weights, means, stds)
    mean = np.sum(w * mu)
    return np.array([mean, np.sqrt(np.sum(w * (mu - mean) ** 2))])


def _unweighted(weights, means, stds):
    w, mu, s = _weighted(weights, means, stds)
    equal = np.full_like(w, 1 / len(w))
    return _moment_match(equal, mu, s)


MIXTURES = [
    ((0.5, 0.5), (-3.0, 3.0), (1.0, 1.0)),
    ((0.3, 0.7), (-1.0, 2.0), (0.5, 1.5)),
    ((0.2, 0.5, 0.3), (-2.0, 0.0, 4.0), (1.0, 0.5, 2.0)),
    ((0.9, 0.1), (0.0, 5.0), (1.0, 1.0)),
]

EXERCISES = ExerciseSet(
    "04",
    "Forward vs reverse KL",
    {
        "q1": ValueExercise(
            prompt="The variance σ² of the Gaussian that minimises the forward KL(P‖Q) to "
            "P = ½N(−3, 1) + ½N(3, 1).",
            variable="forward_variance",
            reference=_forward_fit_variance,
            args=(3.0,),
            mistakes=[
                m.std_for_variance(),
                m.confused_with(
                    "modes' spread only",
                    lambda d: d**2,
                    "That is the spread of the two modes' centres alone. The mixture's "
                    "variance adds each mode's own variance: Var = E[Var within] + Var of "
                    "the means = 1 + 3².",
                ),
            ],
            hints=[
                "Minimising KL(P‖Q) over Gaussians Q matches P's mean and variance.",
                "Law of total variance: the mean of the modes' variances plus the variance of "
                "their means.",
            ],
            solution_code="forward_variance = 1 + 3**2  # each mode's own variance plus the spread of the modes",
        ),
        "q2": FunctionExercise(
            prompt="Write moment_match(weights, means, stds) returning np.array([mean, std]) "
            "of the Gaussian that minimises the forward KL to the 1-D Gaussian mixture "
            "Σ w_k N(μ_k, σ_k²).",
            variable="moment_match",
            signature="moment_match(weights, means, stds)",
            reference=_moment_match,
            cases=MIXTURES,
            mistakes=[
                m.Mistake(
                    "variance returned as std",
                    "Your second number is the variance. The function returns the standard "
                    "deviation: take the square root.",
                    lambda reference: lambda *a: reference(*a) * np.array([1.0, reference(*a)[1]]),
                ),
                m.confused_with(
                    "component variances left out",
                    _without_component_spread,
                    "Your standard deviation only counts how far apart the means are. Each "
                    "component's own variance σ_k² counts too: Var = Σ w_k (σ_k² + μ_k²) − mean².",
                ),
                m.confused_with(
                    "weights ignored",
                    _unweighted,
                    "Your result treats every component as equally likely. Weigh each "
                    "component's mean and second moment by its weight w_k.",
                ),
            ],
            hints=[
                "The mean is Σ w_k μ_k.",
                "The second moment is Σ w_k (σ_k² + μ_k²); the variance is that minus the "
                "mean squared.",
            ],
            solution_code="def moment_match(weights, means, stds):\n"
            "    w, mu, s = (np.asarray(a, dtype=float) for a in (weights, means, stds))\n"
            "    mean = np.sum(w * mu)\n"
            "    variance = np.sum(w * (s**2 + mu**2)) - mean**2\n"
            "    return np.array([mean, np.sqrt(variance)])",
        ),
        "q3": ChoiceExercise(
            prompt="The figure above the exercise shows three Gaussians (a, b, c) fitted to "
            "the same two-mode target. Which one minimises the reverse KL(Q‖P)?",
            variable="answer_reverse_fit",
            options={
                "a": "the wide Gaussian over both modes",
                "b": "the narrow Gaussian on the right mode",
                "c": "the narrow Gaussian between the modes",
            },
            answer="b",
            explanations={
                "a": "The wide Gaussian is the forward-KL fit: KL(P‖Q) punishes q ≈ 0 where "
                "p > 0, so Q covers both modes, and puts mass in the gap where P has little.",
                "b": "Reverse KL averages log q/p under Q, so Q is punished for mass where "
                "p ≈ 0: it locks onto one mode (mode seeking). The left mode would do as well.",
                "c": "A narrow Gaussian in the gap puts its mass where p is smallest: both "
                "KLs are large there. Neither fit ends up between well-separated modes.",
            },
            hints=["Which direction averages under Q, and so cares about where Q puts its mass?"],
            solution_code='answer_reverse_fit = "b"',
        ),
        "q4": ChoiceExercise(
            prompt="True or false: the forward-KL fit of a Gaussian to a two-mode target "
            "depends on where the optimiser starts.",
            variable="answer_forward_depends_on_start",
            options={True: "true", False: "false"},
            answer=False,
            explanations={
                True: "Not the forward fit: KL(P‖Q) over Gaussians has one minimum, moment "
                "matching, found in closed form. It is the *reverse* fit that has several "
                "local optima, one per mode (and a central one), chosen by the start.",
                False: "The forward fit is unique (moment matching); only the reverse fit has "
                "several local optima and depends on the initialisation.",
            },
            hints=["Is there a formula for the forward fit?"],
            solution_code="answer_forward_depends_on_start = False",
        ),
        "q5": ValueExercise(
            prompt="p is the 2-D Gaussian with means (1, 2), unit variances and correlation "
            "ρ = 0.9. What variance does each factor of the mean-field q that minimises the "
            "reverse KL(q‖p) have?",
            variable="mean_field_variance",
            reference=_mean_field_reverse_variance,
            args=(0.9,),
            mistakes=[
                m.confused_with(
                    "forward (marginal) variance",
                    lambda rho: 1.0,
                    "1 is the marginal variance, which the *forward* KL fit gives. The reverse "
                    "fit shrinks each factor to 1/Λᵢᵢ, the conditional variance 1 − ρ².",
                ),
                m.confused_with(
                    "precision instead of variance",
                    lambda rho: 1 / (1 - rho**2),
                    "That is Λᵢᵢ, the diagonal of the precision matrix. The factor's variance "
                    "is its inverse, 1/Λᵢᵢ.",
                ),
                m.std_for_variance(),
            ],
            hints=[
                "Reverse mean-field factors have variance 1/Λᵢᵢ with Λ = Σ⁻¹.",
                "For unit variances and correlation ρ, 1/Λᵢᵢ = 1 − ρ².",
            ],
            solution_code="cov = np.array([[1.0, 0.9], [0.9, 1.0]])\n"
            "mean_field_variance = 1 / np.linalg.inv(cov)[0, 0]",
        ),
        "q6": ValueExercise(
            prompt="Use coursekit.fitting.fit_reverse_kl to fit a Gaussian to "
            "P = ½N(−2, 1) + ½N(2, 1) by minimising the reverse KL, starting from N(1, 1). "
            "What is the fitted standard deviation?",
            variable="reverse_std",
            reference=_reverse_fit_std,
            args=(2.0, 1.0),
            rtol=1e-3,
            mistakes=[m.variance_for_std()],
            hints=[
                "fitting.fit_reverse_kl(Mixture.symmetric(2), Gaussian(1, 1)) returns a "
                "Gaussian; read its .std.",
                "At d = 2 the modes are too close for mode seeking: the fit is central.",
            ],
            solution_code="reverse_std = fitting.fit_reverse_kl(Mixture.symmetric(2), Gaussian(1, 1)).std",
        ),
    },
)
