"""Exercises of lecture 04 (Forward vs reverse KL).

The targets are two-mode mixtures p = ½N(−d, s²) + ½N(d, s²). The lecture works with
s = 1 and d = 3 (and prints its fits, the fold d* ≈ 2.412 and the crossover d ≈ 2.800); the
value exercises ask for the same ideas the other way round (a separation from a fitted σ), on
other numbers (modes of standard deviation 0.5, a separation below the fold, a covariance with
Σ₂₂ ≠ 1) or combined (the forward mean-field fit of a 2-D mixture; a reverse fit found by
minimising over σ once the fold has told where it ends), so that no answer can be copied from
the lecture. The exact answers and the mistake rules are in ``lecture04_mistakes``.
"""

import numpy as np

from coursekit import fitting
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import lecture04_mistakes as r
from coursekit.exercises.lecture04_mistakes import FOLD_D

#: The test cases of exercise 2: mixtures of 2-D Gaussians (weights, means, covariances).
MIXTURES_2D = [
    tuple(np.array(a, dtype=float) for a in case)
    for case in [
        ((1.0,), ((1.0, 2.0),), (((1.0, 0.9), (0.9, 1.0)),)),  # the lecture's correlated p
        ((0.5, 0.5), ((-3.0, 0.0), (3.0, 0.0)), (((1.0, 0.0), (0.0, 1.0)),) * 2),
        (
            (0.3, 0.7),
            ((-1.0, 2.0), (2.0, -1.0)),
            (((0.25, 0.1), (0.1, 1.0)), ((2.25, -0.9), (-0.9, 1.0))),
        ),
        (
            (0.2, 0.5, 0.3),
            ((-2.0, 1.0), (0.0, 0.0), (4.0, -3.0)),
            (((1.0, 0.5), (0.5, 2.0)), ((0.25, 0.0), (0.0, 0.25)), ((4.0, -1.6), (-1.6, 1.0))),
        ),
    ]
]


def _reverse_kl(label):
    """The reverse KL of a candidate of exercise 3, in nats, for its explanations."""
    return f"{fitting.reverse_kl(r.CANDIDATES[label], r.HEAVY_LEFT):.2f}"


EXERCISES = ExerciseSet(
    "04",
    "Forward vs reverse KL",
    {
        "q1": ValueExercise(
            prompt="The Gaussian that minimises the forward KL(P‖Q) to "
            "P = ½N(−d, 0.5²) + ½N(d, 0.5²) (two modes of standard deviation 0.5) has standard "
            "deviation σ = 2.5. What is d? Give 6 significant figures.",
            variable="separation_d",
            reference=r.separation,
            args=(2.5, 0.5),
            digits=6,
            mistakes=r.SEPARATION_MISTAKES,
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
            prompt="p = Σ_k w_k N(μ_k, C_k) is a mixture of 2-D Gaussians: weights has shape "
            "(K,), means (K, 2) and covs (K, 2, 2). Write forward_mean_field(weights, means, "
            "covs) returning np.array([factor_means, factor_variances]), a 2 × 2 array, for the "
            "factorised Gaussian q(x₁, x₂) = q₁(x₁) q₂(x₂) that minimises the forward KL(p‖q): "
            "its first row holds the means of q₁ and q₂, its second row their variances. It is "
            "checked on four mixtures to a relative precision of 1e-6.",
            variable="forward_mean_field",
            signature="forward_mean_field(weights, means, covs)",
            reference=r.forward_mean_field,
            cases=MIXTURES_2D,
            kind="an array [means, variances]",
            mistakes=r.MEAN_FIELD_MISTAKES,
            hints=[
                "Two results of the lecture meet here: what the forward mean-field fit gives "
                "each factor (last section), and how a Gaussian is fitted by forward KL to a "
                "1-D mixture (first section).",
                "Each factor qᵢ gets the *marginal* of xᵢ under p. A component's marginal of xᵢ "
                "is N(μ_k,i, C_k,ii), so the marginal of the mixture is the 1-D mixture "
                "Σ w_k N(μ_k,i, C_k,ii): match its mean and variance. The off-diagonal "
                "entries of C_k play no part.",
                "mean = weights @ means; variance = weights @ (v + means**2) − mean**2, with "
                "the diagonals v = np.diagonal(covs, axis1=1, axis2=2).",
            ],
            solution_code="def forward_mean_field(weights, means, covs):\n"
            "    w, mu, c = (np.asarray(a, dtype=float) for a in (weights, means, covs))\n"
            "    v = np.diagonal(c, axis1=1, axis2=2)  # each component's marginal variances\n"
            "    mean = w @ mu\n"
            "    variance = w @ (v + mu**2) - mean**2  # moment matching, one coordinate each\n"
            "    return np.array([mean, variance])",
        ),
        "q3": ChoiceExercise(
            prompt="The figure above the exercise shows four candidate Gaussians q for the "
            "target p = 0.8 N(−3, 1) + 0.2 N(3, 1): (a) N(3, 1), (b) N(−1.8, 2.6²), "
            "(c) N(−3, 0.5²) and (d) N(−3, 1.5²). Which has the smallest reverse KL(Q‖P)?",
            variable="answer_reverse_fit",
            options={
                "a": "N(3, 1), the light right mode itself",
                "b": "N(−1.8, 2.6²), wide over both modes",
                "c": "N(−3, 0.5²), on the heavy left mode, half as wide as it",
                "d": "N(−3, 1.5²), on the heavy left mode, 1.5 times as wide",
            },
            answer="d",
            explanations={
                "a": "N(3, 1) matches the light mode exactly, but where it has mass p ≈ "
                "0.2 N(3, 1), so log q/p ≈ −ln 0.2 ≈ 1.61 nats everywhere under q: reverse KL "
                f"{_reverse_kl('a')}. On the heavy mode the same price is only −ln 0.8 ≈ 0.22, "
                "and (d) pays it plus a little for its width: "
                f"{_reverse_kl('d')} nats.",
                "b": "The wide Gaussian is the forward-KL fit (moment matching: mean −1.8, "
                "σ = 2.6). The reverse KL averages log q/p under Q and punishes the mass it "
                f"puts in the gap, where p is small: {_reverse_kl('b')} nats, against "
                f"{_reverse_kl('d')} for (d).",
                "c": "Zero forcing does not make narrower always better. On the heavy mode "
                "p ≈ 0.8 N(−3, 1), so KL(q‖p) ≈ −ln 0.8 + KL(q‖N(−3, 1)), and the second term "
                "is lecture 03's ½(σ² − 1 − ln σ²): 0.32 nats for σ = 0.5, 0.22 for σ = 1.5. "
                f"Computed: {_reverse_kl('c')} for (c), {_reverse_kl('d')} for (d). A q "
                "narrower than the mode pays for being too sure of itself.",
                "d": "Right. On the heavy mode p ≈ 0.8 N(−3, 1) where q has mass, so "
                "KL(q‖p) ≈ −ln 0.8 + ½(σ² − 1 − ln σ²) (lecture 03): 0.22 + 0.22 for σ = 1.5 "
                "against 0.22 + 0.32 for σ = 0.5. Computed: "
                f"{_reverse_kl('d')} and {_reverse_kl('c')} nats (lower than the estimate for "
                "the wider q, whose right tail reaches where the light mode keeps p up); the "
                "light mode costs "
                f"{_reverse_kl('a')}, the wide fit {_reverse_kl('b')}.",
            },
            hints=[
                "Which direction averages under Q, and so cares about where Q puts its mass?",
                "Where a q sits on one mode of weight w, p ≈ w · (that mode) wherever q has "
                "mass, so KL(q‖p) ≈ −ln w + KL(q‖that mode).",
                "For q = N(−3, σ²) on the heavy mode that is −ln 0.8 + ½(σ² − 1 − ln σ²) "
                "(lecture 03). Compare σ = 0.5 with σ = 1.5, and both with the other two.",
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
            "and 1.5 (for x₂) and correlation ρ = 0.6, so Σ = [[4, 1.8], [1.8, 2.25]]. What "
            "variance does the factor q₁(x₁) of the mean-field q that minimises the reverse "
            "KL(q‖p) have? Give 6 significant figures.",
            variable="mean_field_variance",
            reference=r.mean_field_reverse_variance,
            args=(4.0, 2.25, 0.6),
            digits=6,
            mistakes=r.REVERSE_VARIANCE_MISTAKES,
            hints=[
                "The reverse fit does not give q₁ the marginal variance of x₁: it gives the "
                "variance of x₁ when x₂ is held fixed, which is read off the precision matrix "
                "Λ = Σ⁻¹.",
                "The lecture's derivation ends with s₁² = 1/Λ₁₁, which for a 2 × 2 matrix is "
                "Σ₁₁ − Σ₁₂²/Σ₂₂.",
                "np.linalg.inv(cov)[0, 0] is Λ₁₁.",
            ],
            solution_code="cov = np.array([[4.0, 1.8], [1.8, 2.25]])\n"
            "mean_field_variance = 1 / np.linalg.inv(cov)[0, 0]",
        ),
        "q6": ValueExercise(
            prompt="P = ½N(−2.3, 1) + ½N(2.3, 1). A reverse-KL fit is started on the right "
            "mode, N(2.3, 1). Predict from the fold d* where it ends; then, without "
            "fitting.fit_reverse_kl, find that Gaussian: fix what your prediction fixes and "
            "minimise the reverse KL over what is left (the lecture's grid integral and "
            "scipy.optimize.minimize_scalar will do). Give np.array([mean, std]), the mean to "
            "5 decimal places and the standard deviation to 6 significant figures.",
            variable="reverse_fit",
            reference=r.reverse_fit,
            args=(2.3, 2.3),
            kind="an array [mean, std]",
            digits=6,
            mistakes=r.REVERSE_FIT_MISTAKES,
            hints=[
                f"Is 2.3 above or below the fold d* ≈ {FOLD_D}, where the optima on the modes "
                "appear? What becomes of a fit started on a mode below the fold?",
                "Below the fold the only optimum is the central one, and the target is "
                "symmetric about 0: the fit ends at mean 0. What is left is σ: minimise the "
                "reverse KL of N(0, σ²) over σ alone.",
                "With the lecture's reverse_kl_on_grid and log_p from Mixture.symmetric(2.3): "
                "minimize_scalar(lambda s: reverse_kl_on_grid(0.0, s), bounds=(1, 4), "
                'method="bounded").',
            ],
            solution_code="from scipy.optimize import minimize_scalar\n\n"
            "from coursekit.gaussians import Mixture\n\n"
            "# 2.3 < d* = 2.412: no optimum on a mode, so the fit slides to the only optimum,\n"
            "# the central one; by symmetry its mean is 0, and only sigma is left to find.\n"
            "x = np.linspace(-30, 30, 6001)\n"
            "dx = x[1] - x[0]\n"
            "log_p = Mixture.symmetric(2.3).logpdf(x)\n\n\n"
            "def reverse_kl_centred(sigma):  # KL(N(0, sigma^2) || p) on the grid of x\n"
            "    log_q = -0.5 * np.log(2 * np.pi * sigma**2) - x**2 / (2 * sigma**2)\n"
            "    return np.sum(np.exp(log_q) * (log_q - log_p)) * dx\n\n\n"
            'best = minimize_scalar(reverse_kl_centred, bounds=(1, 4), method="bounded")\n'
            "reverse_fit = np.array([0.0, best.x])",
        ),
        "q7": ValueExercise(
            prompt="For the target P = ½N(−d, 0.5²) + ½N(d, 0.5²), whose modes have standard "
            "deviation 0.5, above what separation d are the reverse-KL fits on the modes the "
            "global optimum (smaller KL(Q‖P) than the central fit)? Give 4 significant "
            "figures.",
            variable="crossover_narrow_modes",
            reference=r.crossover,
            args=(0.5,),
            digits=4,
            mistakes=r.CROSSOVER_MISTAKES,
            hints=[
                "Change the unit of x: with y = x/0.5 the target becomes ½N(−2d, 1) + ½N(2d, 1), "
                "a Gaussian q stays a Gaussian, and a KL divergence does not change when both "
                "densities are rewritten in the new variable.",
                "So the fits on the modes win for this target exactly when they win for unit "
                "modes at ±2d. (Or rerun the lecture's brentq with Mixture.symmetric(d, 0.5), "
                "fits started at Gaussian(d, 0.5) and Gaussian(0, np.sqrt(0.5**2 + d**2)): "
                "Gaussian takes a standard deviation. Bracket the root above the fold of these "
                "modes: below it both fits end at the centre and the difference is 0.)",
                "Set 2d equal to the lecture's crossover for unit modes and solve for d.",
            ],
            solution_code=(
                "# With y = x / 0.5 the target is the lecture's with separation 2d, and a KL does\n"
                "# not change under this change of variable: the crossover is at 2d = 2.800.\n"
                "crossover_narrow_modes = 2.800 / 2"
            ),
        ),
    },
)
