"""Exact answers and mistake rules of the exercises of lecture 04 (``lecture04`` holds the
prompts, hints and solutions, and the numbers and test cases the exercises are asked on)."""

import functools

import numpy as np
from scipy.optimize import brentq

from coursekit import fitting
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian, Mixture

#: The fold of lecture 04: below this separation the reverse KL has no optimum on a mode.
FOLD_D = 2.412
#: The crossover of lecture 04 (unit modes): above it the fits on the modes are the best.
CROSSOVER_D = 2.800


# -- exercise 1: the separation from the forward fit's σ -----------------------------------------
def separation(sigma, s):
    """d such that the forward fit of ½N(−d, s²) + ½N(d, s²) has std σ: σ² = s² + d²."""
    return np.sqrt(sigma**2 - s**2)


SEPARATION_MISTAKES = [
    m.missing_minus(
        "d is the distance from 0 to each mode, so it is positive: the modes sit at −d and +d. "
        "Take the positive root of d² = σ² − 0.5² (the negative one names the same target)."
    ),
    m.confused_with(
        "unit modes assumed",
        lambda sigma, s: np.sqrt(sigma**2 - 1),
        "σ² = 1 + d² is the lecture's formula for modes of variance 1. Here each mode has "
        "standard deviation 0.5: its own variance is 0.5² = 0.25, so σ² = 0.25 + d².",
    ),
    m.confused_with(
        "mode's std subtracted as a variance",
        lambda sigma, s: np.sqrt(sigma**2 - s),
        "You subtracted the modes' standard deviation, 0.5, where their variance 0.5² = 0.25 "
        "belongs: σ² = 0.5² + d².",
    ),
    m.confused_with(
        "modes' own variance left out",
        lambda sigma, s: sigma,
        "d = σ would hold if the modes had no width: the variance of the mixture is the modes' "
        "own variance *plus* the spread of their centres, σ² = 0.5² + d².",
    ),
    m.confused_with(
        "d squared", lambda sigma, s: sigma**2 - s**2, "That is d², not d: take the square root."
    ),
    m.confused_with(
        "σ taken as a variance",
        lambda sigma, s: np.sqrt(sigma - s**2),
        "2.5 is the fit's standard deviation σ; its variance is σ² = 6.25. The law of total "
        "variance adds variances: 6.25 = 0.5² + d².",
    ),
    m.confused_with(
        "standard deviations subtracted",
        lambda sigma, s: sigma - s,
        "Standard deviations do not add; variances do: σ² = 0.5² + d², so d = √(σ² − 0.5²), "
        "not σ − 0.5.",
    ),
    m.confused_with(
        "distance between the modes",
        lambda sigma, s: 2 * np.sqrt(sigma**2 - s**2),
        "That is the distance between the two centres, 2d. The modes sit at −d and +d: give d.",
    ),
]


# -- exercise 2: the forward mean-field fit to a mixture of 2-D Gaussians ------------------------
def _parts(weights, means, covs):
    """The weights, the (K, 2) means and the (K, 2) diagonal variances of the components."""
    w, mu, c = (np.asarray(a, dtype=float) for a in (weights, means, covs))
    return w, mu, np.diagonal(c, axis1=1, axis2=2)


def forward_mean_field(weights, means, covs):
    """[factor means, factor variances] of argmin KL(p‖q₁q₂) for p = Σ w_k N(μ_k, C_k) in 2-D:
    each factor is the moment-matched fit to its coordinate's marginal, the 1-D mixture
    Σ w_k N(μ_k,i, C_k,ii)."""
    w, mu, v = _parts(weights, means, covs)
    mean = w @ mu
    return np.array([mean, w @ (v + mu**2) - mean**2])


def _with_variances(variances):
    """A mistake in the variances only: the right means, ``variances(w, mu, v, mean)``."""

    def transform(reference):
        def mistaken(weights, means, covs):
            w, mu, v = _parts(weights, means, covs)
            mean = w @ mu
            return np.array([mean, variances(w, mu, v, mean)])

        return mistaken

    return transform


def _reverse_on_mixture_covariance(weights, means, covs):
    """1/Λᵢᵢ of the mixture's full covariance: the reverse recipe on the moment-matched p."""
    w, mu, c = (np.asarray(a, dtype=float) for a in (weights, means, covs))
    mean = w @ mu
    centred = mu - mean
    cov = np.einsum("k,kij->ij", w, c) + np.einsum("k,ki,kj->ij", w, centred, centred)
    return np.array([mean, 1 / np.diag(np.linalg.inv(cov))])


def _reverse_per_component(weights, means, covs):
    """Each component's own variance replaced by its conditional variance 1/Λ_k,ii."""
    w, mu, c = (np.asarray(a, dtype=float) for a in (weights, means, covs))
    conditional = 1 / np.diagonal(np.linalg.inv(c), axis1=1, axis2=2)
    mean = w @ mu
    return np.array([mean, w @ (conditional + mu**2) - mean**2])


MEAN_FIELD_MISTAKES = [
    m.Mistake(
        "standard deviations for variances",
        "Your second row holds standard deviations: the function returns the factor "
        "*variances*. Leave out the square root.",
        lambda reference: lambda *a: reference(*a) ** np.array([[1.0], [0.5]]),
    ),
    m.Mistake(
        "rows and columns exchanged",
        "Your array is the transpose of the answer: its first *row* must hold the two factor "
        "means and its second row the two variances, np.array([means, variances]).",
        lambda reference: lambda *a: reference(*a).T,
    ),
    m.Mistake(
        "spread of the centres left out",
        "Your variances only average the components' own variances C_k,ii. The centres μ_k,i "
        "spread too: Var = Σ w_k (C_k,ii + μ_k,i²) − mean² (the law of total variance).",
        _with_variances(lambda w, mu, v, mean: w @ v),
    ),
    m.Mistake(
        "components' own variances left out",
        "Your variances only count how far apart the centres are. Each component's own "
        "variance C_k,ii counts too: Var = Σ w_k (C_k,ii + μ_k,i²) − mean².",
        _with_variances(lambda w, mu, v, mean: w @ (mu - mean) ** 2),
    ),
    m.Mistake(
        "mean squared not subtracted",
        "Your variances are the second moments Σ w_k (C_k,ii + μ_k,i²). That is the variance "
        "only when the mean is 0; subtract the mean squared.",
        _with_variances(lambda w, mu, v, mean: w @ (v + mu**2)),
    ),
    m.Mistake(
        "diagonal taken for standard deviations",
        "Your result squares the diagonal of each C_k. A covariance matrix holds variances on "
        "its diagonal already: the second moment is Σ w_k (C_k,ii + μ_k,i²).",
        _with_variances(lambda w, mu, v, mean: w @ (v**2 + mu**2) - mean**2),
    ),
    m.Mistake(
        "weights ignored",
        "Your result treats every component as equally likely. Weigh each component's mean "
        "and second moment by its weight w_k.",
        lambda reference: lambda w, mu, c: reference(np.full(len(w), 1 / len(w)), mu, c),
    ),
    m.confused_with(
        "reverse recipe",
        _reverse_on_mixture_covariance,
        "Your variances are 1/Λᵢᵢ of the mixture's covariance: the *reverse* mean-field recipe, "
        "which shrinks each factor to a conditional variance. The forward fit KL(p‖q) gives each "
        "factor the whole *marginal* variance of its coordinate.",
    ),
    m.confused_with(
        "reverse recipe in each component",
        _reverse_per_component,
        "Your variances use 1/Λ_k,ii, each component's *conditional* variance, where its "
        "marginal variance C_k,ii belongs. That is the reverse mean-field recipe; the forward "
        "fit matches the marginal of each coordinate, and a component's marginal of x_i is "
        "N(μ_k,i, C_k,ii) whatever its correlation.",
    ),
]


# -- exercise 3: the candidates for the reverse fit to 0.8 N(−3, 1) + 0.2 N(3, 1) ----------------
HEAVY_LEFT = Mixture([0.8, 0.2], [Gaussian(-3.0, 1.0), Gaussian(3.0, 1.0)])
CANDIDATES = {
    "a": Gaussian(3.0, 1.0),
    "b": Gaussian(-1.8, 2.6),
    "c": Gaussian(-3.0, 0.5),
    "d": Gaussian(-3.0, 1.5),
}


# -- exercise 5: the reverse mean-field variance -------------------------------------------------
def _covariance(var1, var2, rho):
    c = rho * np.sqrt(var1 * var2)
    return np.array([[var1, c], [c, var2]])


def mean_field_reverse_variance(var1, var2, rho):
    """Variance of the factor q₁(x₁) of the reverse-KL mean-field fit: 1/Λ₁₁."""
    return fitting.mean_field(
        np.array([1.0, 2.0]), _covariance(var1, var2, rho), "reverse"
    ).variances[0]


REVERSE_VARIANCE_MISTAKES = [
    m.confused_with(
        "forward (marginal) variance",
        lambda var1, var2, rho: var1,
        "4 is the marginal variance Σ₁₁ of x₁, which the *forward* KL fit gives. The reverse "
        "fit shrinks each factor to 1/Λᵢᵢ, the conditional variance.",
    ),
    m.confused_with(
        "precision instead of variance",
        lambda var1, var2, rho: 1 / (var1 * (1 - rho**2)),
        "That is Λ₁₁, the diagonal entry of the precision matrix Λ = Σ⁻¹. The factor's variance "
        "is its inverse, 1/Λ₁₁.",
    ),
    m.confused_with(
        "precision of the other coordinate",
        lambda var1, var2, rho: 1 / (var2 * (1 - rho**2)),
        "That is Λ₂₂, the precision entry of x₂ (and a precision, not a variance). q₁ is the "
        "factor of x₁: its variance is 1/Λ₁₁, from the first diagonal entry of Λ = Σ⁻¹.",
    ),
    m.confused_with(
        "inverse of Σ₁₁",
        lambda var1, var2, rho: 1 / var1,
        "That is 1/Σ₁₁: you inverted the entry of Σ, not the matrix. Λ₁₁ is the first diagonal "
        "entry of Λ = Σ⁻¹ (np.linalg.inv(cov)[0, 0]), and it is not 1/Σ₁₁ when x₁ and x₂ are "
        "correlated.",
    ),
    m.confused_with(
        "determinant",
        lambda var1, var2, rho: var1 * var2 * (1 - rho**2),
        "That is the determinant |Σ| = Σ₁₁Σ₂₂ − Σ₁₂². For a 2 × 2 matrix Λ₁₁ = Σ₂₂/|Σ|, so "
        "1/Λ₁₁ = |Σ|/Σ₂₂: divide by Σ₂₂ = 2.25.",
    ),
    m.confused_with(
        "Σ₂₂ left out",
        lambda var1, var2, rho: var1 - rho**2 * var1 * var2,
        "That is Σ₁₁ − Σ₁₂² = 4 − 1.8². The conditional variance is Σ₁₁ − Σ₁₂²/Σ₂₂: the "
        "covariance squared is divided by the variance of the coordinate held fixed, 2.25.",
    ),
    m.confused_with(
        "unit-variance formula",
        lambda var1, var2, rho: 1 - rho**2,
        "1 − ρ² is 1/Λᵢᵢ only for a coordinate of variance 1, as in the lecture. x₁ has "
        "variance 4: 1/Λ₁₁ = Σ₁₁ (1 − ρ²). Invert Σ and take the first diagonal entry.",
    ),
    m.confused_with(
        "the shrinkage, not what is left",
        lambda var1, var2, rho: var1 * rho**2,
        "1.44 = Σ₁₂²/Σ₂₂ = ρ² Σ₁₁ is the part of x₁'s variance that knowing x₂ removes; the "
        "factor keeps the rest, Σ₁₁ − Σ₁₂²/Σ₂₂. (With these numbers 1.44 is also x₂'s factor "
        "variance 1/Λ₂₂: q₁ is the factor of x₁.)",
    ),
    m.confused_with(
        "Σ₂₂",
        lambda var1, var2, rho: var2,
        "2.25 is Σ₂₂, the marginal variance of x₂. The question asks for the factor of x₁, and "
        "for the reverse fit: 1/Λ₁₁.",
    ),
    m.confused_with(
        "ρ²",
        lambda var1, var2, rho: rho**2,
        "0.36 is ρ², the share of x₁'s variance that x₂ explains, not a variance. The factor "
        "keeps the share 1 − ρ² of Σ₁₁ = 4.",
    ),
    m.std_for_variance(),
]


# -- exercise 6: a reverse fit started on a mode below the fold ----------------------------------
def reverse_fit(d, init_mean):
    """[mean, std] of the reverse fit to ½N(−d, 1) + ½N(d, 1) from N(init_mean, 1); a mean that
    is 0 up to rounding (the symmetric central fit) is reported as 0."""
    q = fitting.fit_reverse_kl(Mixture.symmetric(d), Gaussian(init_mean, 1.0))
    return np.array([0.0 if abs(q.mean) < 1e-6 else q.mean, q.std])


def _looks_like_a_mode_fit(result, args, expected):
    """A fit on the right mode (mean well away from 0) where the fit is central."""
    return result.shape == (2,) and result[0] > 1.0 and 0.5 < result[1] < 1.6


REVERSE_FIT_MISTAKES = [
    m.confused_with(
        "the start",
        lambda d, init_mean: np.array([init_mean, 1.0]),
        "That is where the fit starts, N(2.3, 1). Where does the descent take it from there, "
        "below the fold?",
    ),
    m.Predicate(
        "mode fit expected",
        "A Gaussian sitting on the right mode is what you would get above the fold. At "
        f"d = 2.3 there is no optimum on a mode (they exist only above d* ≈ {FOLD_D}): the fit "
        "started on the right mode slides to the centre and widens.",
        _looks_like_a_mode_fit,
        lambda reference: lambda *args: np.array([2.3, 1.1594]),
    ),
    m.confused_with(
        "forward fit",
        lambda d, init_mean: np.array([0.0, np.sqrt(1 + d**2)]),
        "N(0, 1 + d²) is the *forward*-KL fit (moment matching). The question asks for the "
        "reverse fit, argmin KL(Q‖P): it is central too at this d, but narrower. Minimise the "
        "reverse KL over σ.",
    ),
    m.Mistake(
        "variance instead of std",
        "Your second number is the fit's variance σ². Give the standard deviation σ.",
        lambda reference: lambda *a: reference(*a) * np.array([1.0, reference(*a)[1]]),
    ),
    m.Mistake(
        "[std, mean]",
        "Your two numbers are in the wrong order: give np.array([mean, std]), the mean first.",
        lambda reference: lambda *a: reference(*a)[::-1],
    ),
]


# -- exercise 7: the crossover for modes of standard deviation s ---------------------------------
@functools.cache
def crossover(s):
    """The separation above which the fits on the modes of ½N(−d, s²) + ½N(d, s²) have a smaller
    reverse KL than the central fit (root of the difference, as in the lecture)."""

    def mode_minus_central(d):
        p = Mixture.symmetric(d, s)
        on_mode = fitting.fit_reverse_kl(p, Gaussian(d, s))
        central = fitting.fit_reverse_kl(p, Gaussian(0.0, np.sqrt(s**2 + d**2)))
        return fitting.reverse_kl(on_mode, p) - fitting.reverse_kl(central, p)

    return brentq(mode_minus_central, 2.5 * s, 3.0 * s, xtol=1e-9 * s)


CROSSOVER_MISTAKES = [
    m.missing_minus(
        "A separation is positive: the modes sit at −d and +d, and the question asks for the "
        "d above which the fits on the modes win."
    ),
    m.confused_with(
        "unit modes' crossover",
        lambda s: CROSSOVER_D,
        f"{CROSSOVER_D:.3f} is the crossover for modes of standard deviation 1. Modes of "
        "standard deviation 0.5 make the picture half as wide: measured in units of the modes' "
        "width (y = x/0.5), modes at ±d sit at ±2d.",
    ),
    m.confused_with(
        "fold instead of crossover",
        lambda s: s * FOLD_D,
        "That is the fold for these modes, where the optima on the modes *appear*. The question "
        "asks where they become the *best* fit, the crossover.",
    ),
    m.confused_with(
        "unit modes' fold",
        lambda s: FOLD_D,
        f"{FOLD_D} is the fold for unit modes, where the optima on the modes appear. The "
        "question asks for the crossover, where they become the best fit, and for modes of "
        "standard deviation 0.5.",
    ),
    m.confused_with(
        "scaled the wrong way",
        lambda s: CROSSOVER_D / s,
        "Narrower modes separate at a *smaller* d, not a larger one: with y = x/0.5 the target "
        "becomes ½N(−2d, 1) + ½N(2d, 1), so the crossover is where 2d equals the unit-mode "
        "crossover.",
    ),
    m.confused_with(
        "scaled by the variance",
        lambda s: CROSSOVER_D * s**2,
        "You scaled by the variance 0.5² = 0.25. Distances scale with the standard deviation: "
        "with y = x/0.5 the modes at ±d move to ±2d.",
    ),
]
