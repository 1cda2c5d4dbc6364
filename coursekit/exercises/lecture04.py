"""Exercises of lecture 04 (Forward vs reverse KL).

The targets are two-mode mixtures p = ½N(−d, s²) + ½N(d, s²). The lecture works with
s = 1 and d = 3 (and prints its fits); the value exercises ask for the same ideas on other
numbers, so that no answer can be copied from the lecture.
"""

import numpy as np

from coursekit import fitting
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian, Mixture

#: The fold of lecture 04: below this separation the reverse KL has no optimum on a mode.
FOLD_D = 2.412


def _mixture(weights, means, stds):
    return Mixture(list(weights), [Gaussian(mu, s) for mu, s in zip(means, stds, strict=True)])


def _symmetric(d, s):
    """½N(−d, s²) + ½N(d, s²)."""
    return _mixture((0.5, 0.5), (-d, d), (s, s))


def _moment_match(weights, means, stds):
    """Mean and standard deviation of the forward-KL Gaussian fit of a 1-D mixture."""
    fit = fitting.fit_forward_kl(_mixture(weights, means, stds))
    return np.array([fit.mean, fit.std])


def _forward_fit_variance(d, s):
    return fitting.fit_forward_kl(_symmetric(d, s)).var


def _reverse_fit_std(d, init_mean):
    return fitting.fit_reverse_kl(Mixture.symmetric(d), Gaussian(init_mean, 1.0)).std


def _covariance(var1, var2, rho):
    c = rho * np.sqrt(var1 * var2)
    return np.array([[var1, c], [c, var2]])


def _mean_field_reverse_variance(var1, var2, rho):
    """Variance of the factor q₁(x₁) of the reverse-KL mean-field fit: 1/Λ₁₁."""
    return fitting.mean_field(
        np.array([1.0, 2.0]), _covariance(var1, var2, rho), "reverse"
    ).variances[0]


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


def _std_as_variance(weights, means, stds):
    """Moment matching with each component's σ_k written where σ_k² belongs."""
    w, mu, s = _weighted(weights, means, stds)
    mean = np.sum(w * mu)
    return np.array([mean, np.sqrt(np.sum(w * (s + mu**2)) - mean**2)])


def _looks_like_a_mode_fit(result, args, expected):
    """A σ near 1 (a Gaussian on one unit-variance mode) where the fit is central."""
    return result.ndim == 0 and 0.85 < float(result) < 1.4 and not m.close(result, expected)


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
            "P = ½N(−2, 0.5²) + ½N(2, 0.5²) (two modes of standard deviation 0.5), to 6 "
            "significant figures.",
            variable="forward_variance",
            reference=_forward_fit_variance,
            args=(2.0, 0.5),
            digits=6,
            mistakes=[
                m.std_for_variance(),
                m.confused_with(
                    "modes' spread only",
                    lambda d, s: d**2,
                    "That is the spread of the two modes' centres alone. The mixture's "
                    "variance also counts each mode's own variance: Var = (the mean of the "
                    "modes' variances) + (the variance of their means) = 0.5² + 2².",
                ),
                m.confused_with(
                    "mode's std added as a variance",
                    lambda d, s: s + d**2,
                    "You added each mode's standard deviation, 0.5, where its variance "
                    "0.5² = 0.25 belongs: N(μ, σ²) is written with the variance.",
                ),
                m.confused_with(
                    "unit modes assumed",
                    lambda d, s: 1 + d**2,
                    "1 + d² is the lecture's answer for modes of variance 1. Here each mode "
                    "has standard deviation 0.5: use its own variance, 0.5², in place of the 1.",
                ),
            ],
            hints=[
                "Minimising KL(P‖Q) over Gaussians Q matches P's mean and variance.",
                "Law of total variance: the mean of the modes' variances plus the variance of "
                "their means.",
            ],
            solution_code=(
                "forward_variance = 0.5**2 + 2**2  # each mode's own variance + the modes' spread"
            ),
        ),
        "q2": FunctionExercise(
            prompt="Write moment_match(weights, means, stds) returning np.array([mean, std]) "
            "of the Gaussian that minimises the forward KL to the 1-D Gaussian mixture "
            "Σ w_k N(μ_k, σ_k²), where stds holds the standard deviations σ_k. It is checked "
            "on four mixtures to 6 significant figures.",
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
                    "component std used as variance",
                    _std_as_variance,
                    "Your result uses each component's standard deviation σ_k where its "
                    "variance σ_k² belongs (the mixtures with σ_k = 1 pass, the others do "
                    "not). The second moment is Σ w_k (σ_k² + μ_k²): square stds first.",
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
            prompt="The figure above the exercise shows three candidate Gaussians (a, b, c) for "
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
                "p > 0, so Q covers both modes, and puts mass in the gap where P has little. "
                "The reverse KL punishes exactly that mass in the gap.",
                "b": "Reverse KL averages log q/p under Q, so Q is punished for mass where "
                "p ≈ 0: it locks onto one mode (mode seeking). The left mode would do as well.",
                "c": "A narrow Gaussian in the gap puts all its mass where p is smallest, and "
                "the reverse KL averages log q/p under Q: it is large there. (At this "
                "separation the reverse KL does have a central local optimum, but a wide one, "
                "σ ≈ 2.7, and worse than the fits on the modes.)",
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
                "matching, found in closed form. It is the *reverse* fit that can have several "
                "local optima, one per mode (and a central one), chosen by the start.",
                False: "The forward fit is unique (moment matching); only the reverse fit has "
                "several local optima and depends on the initialisation.",
            },
            hints=["Is there a formula for the forward fit?"],
            solution_code="answer_forward_depends_on_start = False",
        ),
        "q5": ValueExercise(
            prompt="p is the 2-D Gaussian with means (1, 2), standard deviations 2 (for x₁) "
            "and 1 (for x₂) and correlation ρ = 0.6, so Σ = [[4, 1.2], [1.2, 1]]. What "
            "variance does the factor q₁(x₁) of the mean-field q that minimises the reverse "
            "KL(q‖p) have? Give 6 significant figures.",
            variable="mean_field_variance",
            reference=_mean_field_reverse_variance,
            args=(4.0, 1.0, 0.6),
            digits=6,
            mistakes=[
                m.confused_with(
                    "forward (marginal) variance",
                    lambda var1, var2, rho: var1,
                    "4 is the marginal variance Σ₁₁ of x₁, which the *forward* KL fit gives. "
                    "The reverse fit shrinks each factor to 1/Λᵢᵢ, the conditional variance.",
                ),
                m.confused_with(
                    "precision instead of variance",
                    lambda var1, var2, rho: 1 / (var1 * (1 - rho**2)),
                    "That is Λ₁₁, the diagonal entry of the precision matrix Λ = Σ⁻¹. The "
                    "factor's variance is its inverse, 1/Λ₁₁.",
                ),
                m.confused_with(
                    "unit-variance formula",
                    lambda var1, var2, rho: 1 - rho**2,
                    "1 − ρ² is 1/Λᵢᵢ only for a coordinate of variance 1 (here that is x₂'s "
                    "factor). x₁ has variance 4: 1/Λ₁₁ = Σ₁₁ (1 − ρ²). Invert Σ and take the "
                    "first diagonal entry.",
                ),
                m.std_for_variance(),
            ],
            hints=[
                "Reverse mean-field factors have variance 1/Λᵢᵢ with Λ = Σ⁻¹.",
                "np.linalg.inv(cov)[0, 0] is Λ₁₁.",
            ],
            solution_code="cov = np.array([[4.0, 1.2], [1.2, 1.0]])\n"
            "mean_field_variance = 1 / np.linalg.inv(cov)[0, 0]",
        ),
        "q6": ValueExercise(
            prompt="Use coursekit.fitting.fit_reverse_kl to fit a Gaussian to "
            "P = ½N(−2.3, 1) + ½N(2.3, 1) by minimising the reverse KL, starting on the right "
            "mode, N(2.3, 1). What is the fitted standard deviation, to 6 significant figures?",
            variable="reverse_std",
            reference=_reverse_fit_std,
            args=(2.3, 2.3),
            digits=6,
            mistakes=[
                m.variance_for_std(),
                m.confused_with(
                    "forward fit",
                    lambda d, init_mean: np.sqrt(1 + d**2),
                    "√(1 + d²) is the *forward*-KL fit (moment matching). The question asks "
                    "for the reverse fit, argmin KL(Q‖P), which fit_reverse_kl finds.",
                ),
                m.Predicate(
                    "mode fit expected",
                    "A σ near 1 is what a fit sitting on one mode would have. At d = 2.3 there "
                    f"is no optimum on a mode (they exist only above d* ≈ {FOLD_D}): the fit "
                    "started on the right mode slides to the centre and widens. Run the fit "
                    "and read its .std.",
                    _looks_like_a_mode_fit,
                    lambda reference: lambda *args: 1.05,
                ),
            ],
            hints=[
                "fitting.fit_reverse_kl(Mixture.symmetric(2.3), Gaussian(2.3, 1)) returns a "
                "Gaussian; read its .std.",
                "Is 2.3 above or below the separation d* at which optima on the modes appear?",
            ],
            solution_code="from coursekit import fitting\n"
            "from coursekit.gaussians import Gaussian, Mixture\n\n"
            "reverse_std = fitting.fit_reverse_kl(Mixture.symmetric(2.3), Gaussian(2.3, 1)).std",
        ),
        "q7": ChoiceExercise(
            prompt="At d = 2.6 the reverse KL from a Gaussian Q to P = ½N(−2.6, 1) + "
            "½N(2.6, 1) has three local optima: one on each mode and a wide central one. "
            "Which is the global optimum (the smallest KL(Q‖P))?",
            variable="answer_global_optimum",
            options={
                "a": "the central one",
                "b": "each of the two fits on a mode",
                "c": "all three are equally good",
            },
            answer="a",
            explanations={
                "a": "Between the fold d* ≈ 2.41, where the optima on the modes appear, and "
                "the crossover d ≈ 2.80, the fits on the modes are only local optima: the "
                "central fit has the smaller KL(Q‖P). Mode seeking wins only above d ≈ 2.80.",
                "b": "Not yet at d = 2.6: the optima on the modes exist (they appear at "
                "d* ≈ 2.41) but their KL(Q‖P) is larger than the central fit's. They become "
                "the global optimum only above the crossover d ≈ 2.80.",
                "c": "The two fits on the modes are mirror images and tie with each other, "
                "but not with the central fit: their KLs differ except at the crossover "
                "d ≈ 2.80.",
            },
            hints=[
                "The lecture gives two separations: where the optima on the modes appear, "
                "and where they become the best fit. Where does 2.6 lie?"
            ],
            solution_code='answer_global_optimum = "a"',
        ),
    },
)
