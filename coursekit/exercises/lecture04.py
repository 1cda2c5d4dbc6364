"""Exercises of lecture 04 (Forward vs reverse KL).

The targets are two-mode mixtures p = ½N(−d, s²) + ½N(d, s²). The lecture works with
s = 1 and d = 3 (and prints its fits, the fold d* ≈ 2.412 and the crossover d ≈ 2.800); the
value exercises ask for the same ideas the other way round (a separation from a fitted σ) or on
other numbers (modes of standard deviation 0.5, a separation below the fold), so that no answer
can be copied from the lecture.
"""

import functools

import numpy as np
from scipy.optimize import brentq

from coursekit import fitting
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian, Mixture

#: The fold of lecture 04: below this separation the reverse KL has no optimum on a mode.
FOLD_D = 2.412
#: The crossover of lecture 04 (unit modes): above it the fits on the modes are the best.
CROSSOVER_D = 2.800


def _mixture(weights, means, stds):
    return Mixture(list(weights), [Gaussian(mu, s) for mu, s in zip(means, stds, strict=True)])


def _moment_match(weights, means, stds):
    """Mean and standard deviation of the forward-KL Gaussian fit of a 1-D mixture."""
    fit = fitting.fit_forward_kl(_mixture(weights, means, stds))
    return np.array([fit.mean, fit.std])


# -- exercise 1: the separation from the forward fit's σ -----------------------------------------
def _separation(sigma, s):
    """d such that the forward fit of ½N(−d, s²) + ½N(d, s²) has std σ: σ² = s² + d²."""
    return np.sqrt(sigma**2 - s**2)


# -- exercise 2: moment matching -----------------------------------------------------------------
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


def _mean_not_subtracted(weights, means, stds):
    """The second moment Σ w_k (σ_k² + μ_k²) taken for the variance (the mean² not subtracted)."""
    w, mu, s = _weighted(weights, means, stds)
    return np.array([np.sum(w * mu), np.sqrt(np.sum(w * (s**2 + mu**2)))])


# -- exercise 5: the reverse mean-field variance -------------------------------------------------
def _covariance(var1, var2, rho):
    c = rho * np.sqrt(var1 * var2)
    return np.array([[var1, c], [c, var2]])


def _mean_field_reverse_variance(var1, var2, rho):
    """Variance of the factor q₁(x₁) of the reverse-KL mean-field fit: 1/Λ₁₁."""
    return fitting.mean_field(
        np.array([1.0, 2.0]), _covariance(var1, var2, rho), "reverse"
    ).variances[0]


# -- exercise 6: a reverse fit started on a mode below the fold ----------------------------------
def _reverse_fit(d, init_mean):
    """[mean, std] of the reverse fit to ½N(−d, 1) + ½N(d, 1) from N(init_mean, 1); a mean that
    is 0 up to rounding (the symmetric central fit) is reported as 0."""
    q = fitting.fit_reverse_kl(Mixture.symmetric(d), Gaussian(init_mean, 1.0))
    return np.array([0.0 if abs(q.mean) < 1e-6 else q.mean, q.std])


def _looks_like_a_mode_fit(result, args, expected):
    """A fit on the right mode (mean well away from 0) where the fit is central."""
    return result.shape == (2,) and result[0] > 1.0 and 0.5 < result[1] < 1.6


# -- exercise 7: the crossover for modes of standard deviation s ---------------------------------
@functools.cache
def _crossover(s):
    """The separation above which the fits on the modes of ½N(−d, s²) + ½N(d, s²) have a smaller
    reverse KL than the central fit (root of the difference, as in the lecture)."""

    def mode_minus_central(d):
        p = Mixture.symmetric(d, s)
        on_mode = fitting.fit_reverse_kl(p, Gaussian(d, s))
        central = fitting.fit_reverse_kl(p, Gaussian(0.0, np.sqrt(s**2 + d**2)))
        return fitting.reverse_kl(on_mode, p) - fitting.reverse_kl(central, p)

    return brentq(mode_minus_central, 2.5 * s, 3.0 * s, xtol=1e-9 * s)


MIXTURES = [
    tuple(np.array(a, dtype=float) for a in case)
    for case in [
        ((0.5, 0.5), (-3.0, 3.0), (1.0, 1.0)),
        ((0.3, 0.7), (-1.0, 2.0), (0.5, 1.5)),
        ((0.2, 0.5, 0.3), (-2.0, 0.0, 4.0), (1.0, 0.5, 2.0)),
        ((0.9, 0.1), (0.0, 5.0), (1.0, 1.0)),
    ]
]

EXERCISES = ExerciseSet(
    "04",
    "Forward vs reverse KL",
    {
        "q1": ValueExercise(
            prompt="The Gaussian that minimises the forward KL(P‖Q) to "
            "P = ½N(−d, 0.5²) + ½N(d, 0.5²) (two modes of standard deviation 0.5) has standard "
            "deviation σ = 2.5. What is d? Give 6 significant figures.",
            variable="separation_d",
            reference=_separation,
            args=(2.5, 0.5),
            digits=6,
            mistakes=[
                m.confused_with(
                    "unit modes assumed",
                    lambda sigma, s: np.sqrt(sigma**2 - 1),
                    "σ² = 1 + d² is the lecture's formula for modes of variance 1. Here each "
                    "mode has standard deviation 0.5: its own variance is 0.5² = 0.25, so "
                    "σ² = 0.25 + d².",
                ),
                m.confused_with(
                    "mode's std subtracted as a variance",
                    lambda sigma, s: np.sqrt(sigma**2 - s),
                    "You subtracted the modes' standard deviation, 0.5, where their variance "
                    "0.5² = 0.25 belongs: σ² = 0.5² + d².",
                ),
                m.confused_with(
                    "modes' own variance left out",
                    lambda sigma, s: sigma,
                    "d = σ would hold if the modes had no width: the variance of the mixture is "
                    "the modes' own variance *plus* the spread of their centres, σ² = 0.5² + d².",
                ),
                m.confused_with(
                    "d squared",
                    lambda sigma, s: sigma**2 - s**2,
                    "That is d², not d: take the square root.",
                ),
                m.confused_with(
                    "σ taken as a variance",
                    lambda sigma, s: np.sqrt(sigma - s**2),
                    "2.5 is the fit's standard deviation σ; its variance is σ² = 6.25. The law "
                    "of total variance adds variances: 6.25 = 0.5² + d².",
                ),
                m.confused_with(
                    "standard deviations subtracted",
                    lambda sigma, s: sigma - s,
                    "Standard deviations do not add; variances do: σ² = 0.5² + d², so "
                    "d = √(σ² − 0.5²), not σ − 0.5.",
                ),
                m.confused_with(
                    "distance between the modes",
                    lambda sigma, s: 2 * np.sqrt(sigma**2 - s**2),
                    "That is the distance between the two centres, 2d. The modes sit at −d and "
                    "+d: give d.",
                ),
            ],
            hints=[
                "Minimising KL(P‖Q) over Gaussians Q matches P's mean and variance.",
                "Law of total variance: the variance of the mixture is the mean of the modes' "
                "variances plus the variance of their centres ±d, so σ² = 0.5² + d².",
                "Solve 2.5² = 0.5² + d² for d > 0.",
            ],
            solution_code=(
                "sigma, s = 2.5, 0.5  # the fit's std, each mode's std\n"
                "separation_d = np.sqrt(sigma**2 - s**2)  # sigma^2 = s^2 + d^2 (total variance)"
            ),
        ),
        "q2": FunctionExercise(
            prompt="Write moment_match(weights, means, stds) returning np.array([mean, std]) "
            "of the Gaussian that minimises the forward KL to the 1-D Gaussian mixture "
            "Σ w_k N(μ_k, σ_k²); weights, means and stds are numpy arrays, and stds holds the "
            "standard deviations σ_k. It is checked on four mixtures to a relative precision "
            "of 1e-6.",
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
                    "mean squared not subtracted",
                    _mean_not_subtracted,
                    "Your standard deviation is the square root of the second moment "
                    "Σ w_k (σ_k² + μ_k²). That is the variance only when the mean is 0 (so the "
                    "symmetric mixtures pass); the variance is the second moment minus the "
                    "mean squared.",
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
            prompt="The figure above the exercise shows four candidate Gaussians q (a, b, c, d) "
            "for the target p = 0.8 N(−3, 1) + 0.2 N(3, 1), whose left mode is four times as "
            "heavy as its right one. Which candidate has the smallest reverse KL(Q‖P)?",
            variable="answer_reverse_fit",
            options={
                "a": "the narrow Gaussian on the light right mode",
                "b": "the wide Gaussian over both modes",
                "c": "the narrow Gaussian between the modes",
                "d": "the narrow Gaussian on the heavy left mode",
            },
            answer="d",
            explanations={
                "a": "The fit on the light mode is a local optimum of the reverse KL, but not the "
                "best: sitting on a mode of weight w, Q sees p ≈ w·N(3, 1), so log q/p ≈ −ln w, "
                "and the reverse KL is about −ln 0.2 ≈ 1.6 nats. On the heavy mode it is about "
                "−ln 0.8 ≈ 0.22 nats. (Here even the wide forward fit, about 0.90 nats, beats "
                "the light mode.)",
                "b": "The wide Gaussian is the forward-KL fit (moment matching: mean −1.8, "
                "σ = 2.6). The reverse KL averages log q/p under Q and punishes the mass it "
                "puts in the gap, where p is small: about 0.90 nats, against about 0.22 for "
                "the Gaussian on the heavy mode.",
                "c": "A narrow Gaussian in the gap puts all its mass where p is smallest, and "
                "the reverse KL averages log q/p under Q: about 3.3 nats, the worst of the four.",
                "d": "Right. On a mode of weight w, Q sees p ≈ w·N(−3, 1), so log q/p ≈ −ln w: "
                "the reverse KL is about −ln 0.8 ≈ 0.22 nats on the heavy mode, against "
                "−ln 0.2 ≈ 1.6 on the light one. Mode seeking picks a mode, and the best one is "
                "the heaviest (Explorer 4.1 with w = 0.8 shows both fits).",
            },
            hints=[
                "Which direction averages under Q, and so cares about where Q puts its mass?",
                "A Gaussian that sits on one mode of weight w sees p ≈ w · (that mode): what is "
                "log q/p there? (The lecture found ln 2 for w = ½.)",
            ],
            solution_code='answer_reverse_fit = "d"',
        ),
        "q4": ChoiceExercise(
            prompt="Q is the uniform distribution on [−5, 5] (not a Gaussian) and P the target "
            "½N(−3, 1) + ½N(3, 1) of the lecture. Which of the two divergences is infinite? "
            "(a) only the forward KL(P‖Q); (b) only the reverse KL(Q‖P); (c) both; (d) neither.",
            variable="answer_infinite_kl",
            options={
                "a": "only the forward KL(P‖Q)",
                "b": "only the reverse KL(Q‖P)",
                "c": "both",
                "d": "neither",
            },
            answer="a",
            explanations={
                "a": "Right. The forward KL averages log p/q under P, and P's tails reach beyond "
                "±5 (a little mass, but some), where q = 0 and log p/q = ∞: it is infinite. The "
                "reverse KL averages log q/p under Q, only over [−5, 5], where p > 0: it is "
                "finite (about 0.45 nats). Forward KL avoids q = 0 wherever p > 0; reverse KL "
                "does not mind a Q that ignores parts of P.",
                "b": "It is the other way round. The reverse KL averages log q/p under Q, only "
                "over [−5, 5], where p > 0 everywhere, so every term is finite (it is about "
                "0.45 nats). The forward KL averages log p/q under P, whose tails reach beyond "
                "±5, where q = 0: that term is infinite.",
                "c": "The reverse KL is finite: it averages log q/p under Q, only over [−5, 5], "
                "and p > 0 there (it is about 0.45 nats). Only the forward KL, which averages "
                "under P, meets the places where p > 0 but q = 0.",
                "d": "P has mass beyond ±5 (its Gaussian tails never end), where q = 0. The "
                "forward KL averages log p/q = ∞ there with weight p > 0, so it is infinite.",
            },
            hints=[
                "Which divergence averages under P, and which under Q?",
                "Where is q = 0? Does p put any mass there?",
            ],
            solution_code='answer_infinite_kl = "a"',
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
                    "precision of the other coordinate",
                    lambda var1, var2, rho: 1 / (var2 * (1 - rho**2)),
                    "That is Λ₂₂, the precision entry of x₂ (and a precision, not a variance). "
                    "q₁ is the factor of x₁: its variance is 1/Λ₁₁, from the first diagonal "
                    "entry of Λ = Σ⁻¹.",
                ),
                m.confused_with(
                    "inverse of Σ₁₁",
                    lambda var1, var2, rho: 1 / var1,
                    "That is 1/Σ₁₁: you inverted the entry of Σ, not the matrix. Λ₁₁ is the "
                    "first diagonal entry of Λ = Σ⁻¹ (np.linalg.inv(cov)[0, 0]), and it is not "
                    "1/Σ₁₁ when x₁ and x₂ are correlated.",
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
                "The reverse fit does not give q₁ the marginal variance of x₁: it gives the "
                "variance of x₁ when x₂ is held fixed, which is read off the precision matrix "
                "Λ = Σ⁻¹.",
                "The lecture's derivation ends with s₁² = 1/Λ₁₁.",
                "np.linalg.inv(cov)[0, 0] is Λ₁₁.",
            ],
            solution_code="cov = np.array([[4.0, 1.2], [1.2, 1.0]])\n"
            "mean_field_variance = 1 / np.linalg.inv(cov)[0, 0]",
        ),
        "q6": ValueExercise(
            prompt="P = ½N(−2.3, 1) + ½N(2.3, 1). First predict, from the lecture's fold d*, "
            "where a reverse-KL fit started on the right mode, N(2.3, 1), will end. Then run "
            "coursekit.fitting.fit_reverse_kl from that start and give the fitted "
            "np.array([mean, std]), each to 6 significant figures.",
            variable="reverse_fit",
            reference=_reverse_fit,
            args=(2.3, 2.3),
            kind="an array [mean, std]",
            digits=6,
            mistakes=[
                m.confused_with(
                    "the start",
                    lambda d, init_mean: np.array([init_mean, 1.0]),
                    "That is where the fit starts, N(2.3, 1). Run fit_reverse_kl from there and "
                    "read the mean and std of the Gaussian it returns.",
                ),
                m.Predicate(
                    "mode fit expected",
                    "A Gaussian sitting on the right mode is what you would get above the fold. "
                    f"At d = 2.3 there is no optimum on a mode (they exist only above "
                    f"d* ≈ {FOLD_D}): the fit started on the right mode slides to the centre and "
                    "widens. Run the fit and read its .mean and .std.",
                    _looks_like_a_mode_fit,
                    lambda reference: lambda *args: np.array([2.2, 1.1]),
                ),
                m.confused_with(
                    "forward fit",
                    lambda d, init_mean: np.array([0.0, np.sqrt(1 + d**2)]),
                    "N(0, 1 + d²) is the *forward*-KL fit (moment matching). The question asks "
                    "for the reverse fit, argmin KL(Q‖P), which fit_reverse_kl finds: it is "
                    "central too at this d, but narrower.",
                ),
                m.Mistake(
                    "variance instead of std",
                    "Your second number is the fit's variance σ². Give the standard deviation "
                    "σ (the Gaussian's .std).",
                    lambda reference: lambda *a: reference(*a) * np.array([1.0, reference(*a)[1]]),
                ),
            ],
            hints=[
                f"Is 2.3 above or below the fold d* ≈ {FOLD_D}, where the optima on the modes "
                "appear? What happens below the fold to a fit started on a mode?",
                "fitting.fit_reverse_kl(Mixture.symmetric(2.3), Gaussian(2.3, 1)) returns the "
                "fitted Gaussian.",
                "np.array([q.mean, q.std]) for that Gaussian q: its mean is 0 up to rounding.",
            ],
            solution_code="from coursekit import fitting\n"
            "from coursekit.gaussians import Gaussian, Mixture\n\n"
            "q = fitting.fit_reverse_kl(Mixture.symmetric(2.3), Gaussian(2.3, 1))  # below d*\n"
            "reverse_fit = np.array([q.mean, q.std])",
        ),
        "q7": ValueExercise(
            prompt="For the target P = ½N(−d, 0.5²) + ½N(d, 0.5²), whose modes have standard "
            "deviation 0.5, above what separation d are the reverse-KL fits on the modes the "
            "global optimum (smaller KL(Q‖P) than the central fit)? Give 4 significant "
            "figures.",
            variable="crossover_narrow_modes",
            reference=_crossover,
            args=(0.5,),
            digits=4,
            mistakes=[
                m.confused_with(
                    "unit modes' crossover",
                    lambda s: CROSSOVER_D,
                    f"{CROSSOVER_D:.3f} is the crossover for modes of standard deviation 1 (and "
                    "here it is 2d, the distance between the modes at the crossover). With "
                    "modes of standard deviation 0.5 the picture shrinks: measure d in units "
                    "of the modes' width.",
                ),
                m.confused_with(
                    "fold instead of crossover",
                    lambda s: s * FOLD_D,
                    "That is the fold for these modes, where the optima on the modes *appear*. "
                    "The question asks where they become the *best* fit, the crossover.",
                ),
                m.confused_with(
                    "unit modes' fold",
                    lambda s: FOLD_D,
                    f"{FOLD_D} is the fold for unit modes, where the optima on the modes appear. "
                    "The question asks for the crossover, where they become the best fit, and "
                    "for modes of standard deviation 0.5.",
                ),
                m.confused_with(
                    "scaled the wrong way",
                    lambda s: CROSSOVER_D / s,
                    "Narrower modes separate at a *smaller* d, not a larger one: with y = x/0.5 "
                    "the target becomes ½N(−2d, 1) + ½N(2d, 1), so the crossover is where 2d "
                    "equals the unit-mode crossover.",
                ),
                m.confused_with(
                    "scaled by the variance",
                    lambda s: CROSSOVER_D * s**2,
                    "You scaled by the variance 0.5² = 0.25. Distances scale with the standard "
                    "deviation: with y = x/0.5 the modes at ±d move to ±2d.",
                ),
            ],
            hints=[
                "Change the unit of x: with y = x/0.5 the target becomes ½N(−2d, 1) + ½N(2d, 1), "
                "a Gaussian q stays a Gaussian, and a KL divergence does not change when both "
                "densities are rewritten in the new variable.",
                "So the fits on the modes win when 2d is above the crossover for unit modes. "
                "(Or rerun the lecture's brentq with Mixture.symmetric(d, 0.5), starting the "
                "fits at N(d, 0.5²) and N(0, 0.5² + d²).)",
                f"d = {CROSSOVER_D:.3f} / 2.",
            ],
            solution_code=(
                "# With y = x / 0.5 the target is the lecture's with separation 2d, and a KL does\n"
                "# not change under this change of variable: the crossover is at 2d = 2.800.\n"
                "crossover_narrow_modes = 2.800 / 2"
            ),
        ),
    },
)
