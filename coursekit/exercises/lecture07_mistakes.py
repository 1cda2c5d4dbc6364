"""Exact answers and mistake rules of the exercises of lecture 07 (``lecture07`` holds the
prompts, hints and solutions, and the test cases; the conventions are described there)."""

from functools import cache

import numpy as np
from scipy.optimize import brentq
from scipy.special import rel_entr

from coursekit.divergences import alpha_divergence, fit_alpha
from coursekit.exercises import mistakes as m
from coursekit.fitting import fit_forward_kl, fit_reverse_kl
from coursekit.gaussians import Gaussian, Mixture

LN2 = float(np.log(2))


# -- q2: the divergence on the closed interval 0 ≤ α ≤ 1 -------------------------------------
def _interior(p, q, alpha):
    """Minka's formula for 0 < α < 1 (a pure number)."""
    return np.sum(alpha * p + (1 - alpha) * q - p**alpha * q ** (1 - alpha)) / (alpha * (1 - alpha))


def alpha_discrete(p, q, alpha):
    """D_α(P‖Q) of two discrete distributions for 0 ≤ α ≤ 1: the reverse KL(Q‖P) at α = 0,
    the forward KL(P‖Q) at α = 1 (nats; 0 log 0 = 0, ∞ where the support requires it)."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if alpha == 0:
        return float(np.sum(rel_entr(q, p)))
    if alpha == 1:
        return float(np.sum(rel_entr(p, q)))
    return float(_interior(p, q, alpha))


def _at_the_ends(ends, inside=None, at=(0, 1)):
    """A mistaken function: ``ends(p, q, alpha)`` at the α of ``at`` (the ends), ``inside``
    (default: the right value) elsewhere."""

    def mistaken(p, q, alpha):
        p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
        return (ends if alpha in at else inside or alpha_discrete)(p, q, alpha)

    return mistaken


def _kl_nan(a, b):
    """Σ a log(a/b) evaluated naively: 0 · log 0 = 0 · (−∞) = NaN."""
    with np.errstate(all="ignore"):
        return float(np.sum(a * np.log(a / b)))


def _front_has_zero(args) -> bool:
    """Whether the distribution that weights the KL at this end (q at α = 0, p at α = 1)
    has a zero: there a naive Σ a log(a/b) meets 0 · log 0."""
    p, q, alpha = args
    front = np.asarray(q if alpha == 0 else p, dtype=float)
    return bool(np.any(front == 0))


def _nan_from_zero_log_zero():
    return m.Predicate(
        "NaN from 0·log 0 at an end",
        "Your function is right except at an end (α = 0 or 1) for distributions with a zero: "
        "there it returns NaN. The KL of that end meets 0 · log 0, which floating point "
        "evaluates as 0 · (−∞) = NaN, but the term is 0 (p log p → 0 as p → 0). Skip the "
        "zero probabilities, or use info.kl_divergence or scipy.special.rel_entr.",
        lambda result, args, expected: (
            args[2] in (0, 1) and _front_has_zero(args) and bool(np.isnan(result))
        ),
        lambda reference: _at_the_ends(lambda p, q, a: _kl_nan(q, p) if a == 0 else _kl_nan(p, q)),
    )


def _nan_at_the_ends():
    return m.Predicate(
        "0/0 at the ends",
        "Your function returns NaN at α = 0 and α = 1. There the formula is 0/0: both "
        "α p + (1 − α) q − p^α q^(1−α) and α(1 − α) vanish. D_α at the ends is defined by its "
        "limits, which the lecture derives: at α = 0 return the reverse KL(Q‖P), at α = 1 "
        "the forward KL(P‖Q).",
        lambda result, args, expected: args[2] in (0, 1) and bool(np.isnan(result)),
        lambda reference: _at_the_ends(lambda p, q, a: np.nan),
    )


def _finite_where_infinite():
    return m.Predicate(
        "finite where the limit is infinite",
        "For p = [0.5, 0.5, 0] and q = [0.25, 0.25, 0.5] at α = 0 (or the same pair swapped "
        "at α = 1) the answer is ∞, and your function returns a finite number. Where q > 0 "
        "and p = 0, each unit of q's mass adds 1/α to D_α, which grows without bound as "
        "α → 0: the limit, the reverse KL(Q‖P), is infinite (and at α = 1, p's mass where "
        "q = 0 costs 1/(1 − α)). A tiny α or an ε added to the probabilities gives a large "
        "finite number instead; return the KL itself at the ends.",
        lambda result, args, expected: bool(np.isinf(expected) and np.isfinite(result)),
        lambda reference: (
            lambda p, q, alpha: 1e12 if np.isinf(reference(p, q, alpha)) else reference(p, q, alpha)
        ),
    )


ALPHA_MISTAKES = [
    m.confused_with(
        "the ends swapped",
        _at_the_ends(
            lambda p, q, a: alpha_discrete(p, q, 1.0 - a),
        ),
        "Your function is right for 0 < α < 1 but has the ends the wrong way "
        "round: at α = 0 it returns KL(P‖Q) and at α = 1 KL(Q‖P). For small α, "
        "p^α q^(1−α) ≈ q (1 + α log(p/q)): the weight is q, so the limit α → 0 "
        "averages under Q, the reverse KL(Q‖P).",
    ),
    m.swapped_arguments_explained(
        "Your function computes D_α(Q‖P): p and q have traded places (or, the same thing for "
        "normalised distributions, the powers α and 1 − α have). The family is not "
        "symmetric: D_α(Q‖P) = D_{1−α}(P‖Q), the divergence from the other end of the scale. "
        "In D_α(P‖Q) the first distribution, p, carries the power α and the weight α: "
        "p**alpha * q**(1 - alpha).",
    ),
    m.missing_minus(
        "Your result has the right size but the wrong sign, and D_α is never negative. The "
        "integrand is the arithmetic mean minus the geometric mean, "
        "α p + (1 − α) q − p^α q^(1−α) ≥ 0, not the other way round."
    ),
    m.confused_with(
        "H² at α = ½",
        _at_the_ends(lambda p, q, a: 1 - np.sum(np.sqrt(p * q)), at=(0.5,)),
        "At α = ½ your function returns the squared Hellinger distance "
        "H² = 1 − Σ √(p q). D_½ is four times that: the factor 1/(α(1 − α)) is 4 at "
        "α = ½, so D_½ = 4 H² = 2 Σ (√p − √q)².",
    ),
    m.confused_with(
        "2H² at α = ½",
        _at_the_ends(lambda p, q, a: np.sum((np.sqrt(p) - np.sqrt(q)) ** 2), at=(0.5,)),
        "At α = ½ your function returns Σ (√p − √q)² = 2 H², which some texts call the "
        "squared Hellinger distance. D_½ is twice that: D_½ = 4 H² = 2 Σ (√p − √q)².",
    ),
    m.confused_with(
        "normalisation left out",
        _at_the_ends(
            alpha_discrete,
            lambda p, q, a: np.sum(a * p + (1 - a) * q - p**a * q ** (1 - a)),
        ),
        "For 0 < α < 1 you left out the factor 1/(α(1 − α)), which makes the "
        "limits α → 0 and α → 1 the two KL divergences instead of 0.",
    ),
    m.confused_with(
        "divided by α only",
        _at_the_ends(
            alpha_discrete,
            lambda p, q, a: np.sum(a * p + (1 - a) * q - p**a * q ** (1 - a)) / a,
        ),
        "For 0 < α < 1 you divided by α, not by α(1 − α). Without the 1 − α the "
        "limit α → 1 is 0 instead of the forward KL(P‖Q), and the family loses "
        "its symmetry D_α(P‖Q) = D_{1−α}(Q‖P).",
    ),
    m.confused_with(
        "linear terms left out",
        _at_the_ends(
            alpha_discrete,
            lambda p, q, a: -np.sum(p**a * q ** (1 - a)) / (a * (1 - a)),
        ),
        "For 0 < α < 1 you left out α p + (1 − α) q. For normalised p and q these "
        "terms add up to 1, and that 1 is what makes D_α zero when P = Q: without "
        "it the result is negative.",
    ),
    m.confused_with(
        "Rényi's divergence",
        _at_the_ends(
            alpha_discrete,
            lambda p, q, a: np.log(np.sum(p**a * q ** (1 - a))) / (a - 1),
        ),
        "For 0 < α < 1 that is Rényi's divergence (1/(α − 1)) log Σ p^α q^(1−α), "
        "the relative of the family that the lecture meets after its first check "
        "on discrete distributions. It is a different function of the same overlap "
        "Σ p^α q^(1−α); this exercise asks for Minka's "
        "D_α = (1 − Σ p^α q^(1−α))/(α(1 − α)).",
    ),
    m.confused_with(
        "bits at the ends",
        _at_the_ends(lambda p, q, a: alpha_discrete(p, q, a) / LN2),
        "Your function is right for 0 < α < 1, but its KLs at α = 0 and α = 1 are "
        "in bits: 1/ln 2 ≈ 1.443 times too large. The limits of D_α are KLs with "
        "the natural log (they come from e^(α log(p/q)) ≈ 1 + α log(p/q)): use "
        "np.log.",
    ),
    _nan_from_zero_log_zero(),
    _nan_at_the_ends(),
    _finite_where_infinite(),
]


# -- q3: the separation that gives a chosen D_½ ------------------------------------------------
def shift_for_half(divergence, sigma):
    """Δμ > 0 with D_½(N(0, σ²)‖N(Δμ, σ²)) = divergence: 4 (1 − exp(−Δμ²/(8σ²))) = D."""
    return sigma * np.sqrt(8 * np.log(1 / (1 - divergence / 4)))


SHIFT_MISTAKES = [
    m.confused_with(
        "KL instead of D_½",
        lambda target, sigma: sigma * np.sqrt(2 * target),
        "That Δμ makes the *KL* 0.4: Δμ²/(2σ²) = 0.4. D_½ is smaller than the KL "
        "for the same pair (for equal widths, D_α = (1 − e^(−α(1−α)Δμ²/(2σ²)))/"
        "(α(1 − α)) ≤ Δμ²/(2σ²)), so D_½ = 0.4 needs the means further apart. "
        "Use D_½ = 4 (1 − exp(−Δμ²/(8σ²))).",
    ),
    m.confused_with(
        "H² instead of D_½",
        lambda target, sigma: sigma * np.sqrt(8 * np.log(1 / (1 - target))),
        "That Δμ makes the squared Hellinger distance H² = 0.4. In Minka's "
        "normalisation D_½ = 4 H², so solve 4 (1 − exp(−Δμ²/(8σ²))) = 0.4.",
    ),
    m.confused_with(
        "other Hellinger convention",
        lambda target, sigma: sigma * np.sqrt(8 * np.log(1 / (1 - target / 2))),
        "That Δμ makes ∫ (√p − √q)² dx = 2 H² equal to 0.4, which some texts call "
        "the squared Hellinger distance. D_½ is twice that: D_½ = 4 H² = "
        "4 (1 − exp(−Δμ²/(8σ²))).",
    ),
    m.confused_with(
        "overlap set to D_½",
        lambda target, sigma: sigma * np.sqrt(8 * np.log(1 / target)),
        "That Δμ makes the overlap ∫ √(p q) dx = exp(−Δμ²/(8σ²)) equal to 0.4. "
        "The overlap is 1 when P = Q; the divergence is D_½ = 4 (1 − overlap).",
    ),
    m.confused_with(
        "σ for σ²",
        lambda target, sigma: np.sqrt(8 * sigma * np.log(1 / (1 - target / 4))),
        "You used σ = 2 where the formula has σ² = 4: the overlap is "
        "exp(−Δμ²/(8σ²)), with the variance.",
    ),
    m.confused_with(
        "Δμ² instead of Δμ",
        lambda target, sigma: shift_for_half(target, sigma) ** 2,
        "That is Δμ², the square of the answer: take the square root.",
    ),
    m.confused_with(
        "σ left out",
        lambda target, sigma: shift_for_half(target, 1.0),
        "That Δμ solves 4 (1 − exp(−Δμ²/8)) = 0.4, with σ left out: it is the answer "
        "for two *unit* Gaussians. Here σ = 2, and the exponent is "
        "−Δμ²/(8σ²) = −Δμ²/32.",
    ),
    m.missing_minus(
        "D_½ depends on Δμ² only, so −Δμ and Δμ give the same divergence; the question "
        "asks for the positive one."
    ),
]


# -- q4: the same with different widths ------------------------------------------------------
def _solve(divergence, alpha, s, constant=1.0):
    """Δμ > 0 with constant · exp(−α(1 − α) Δμ²/(2 s²)) = 1 − α(1 − α) D (the overlap)."""
    overlap = 1 - alpha * (1 - alpha) * divergence
    return s * np.sqrt(2 * np.log(constant / overlap) / (alpha * (1 - alpha)))


def _s(alpha, s1, s2):
    return np.sqrt(alpha * s2**2 + (1 - alpha) * s1**2)


def shift_for_alpha(divergence, alpha, s1, s2):
    """Δμ > 0 with D_α(N(0, s1²)‖N(Δμ, s2²)) = divergence: the overlap is
    (s1^(1−α) s2^α / s) exp(−α(1 − α) Δμ²/(2 s²)), s² = α s2² + (1 − α) s1²."""
    s = _s(alpha, s1, s2)
    return _solve(divergence, alpha, s, s1 ** (1 - alpha) * s2**alpha / s)


def _kl_shifts(divergence, alpha, s1, s2):
    """Δμ at which the forward KL(P‖Q) and the reverse KL(Q‖P) equal ``divergence``."""
    return [
        np.sqrt(2 * b**2 * (divergence + 0.5 - np.log(b / a)) - a**2)  # KL(N(0, a²)‖N(Δμ, b²))
        for a, b in ((s1, s2), (s2, s1))
    ]


def _one_of(values):
    """A predicate's test: the result is one of ``values(*args)`` (to the mistakes' 0.2 %)."""
    return lambda result, args, expected: any(m.close(result, v, rtol=2e-3) for v in values(*args))


WIDTHS_MISTAKES = [
    m.confused_with(
        "D_α(Q‖P)",
        lambda divergence, alpha, s1, s2: shift_for_alpha(divergence, alpha, s2, s1),
        "That Δμ makes D_0.25(Q‖P) = D_0.75(P‖Q) equal to 1: P and Q have traded "
        "places. In D_α(P‖Q), p = N(0, 1) carries the power α, and the weights in the "
        "overlap cross: s² = α σ2² + (1 − α) σ1², constant σ1^(1−α) σ2^α / s.",
    ),
    m.confused_with(
        "constant's powers crossed",
        lambda d, a, s1, s2: _solve(d, a, _s(a, s1, s2), s1**a * s2 ** (1 - a) / _s(a, s1, s2)),
        "Your s² is right, but the constant in front has its powers crossed: it is "
        "σ1^(1−α) σ2^α / s, the normalisers' σ1^(−α) σ2^(−(1−α)) times √(2π) σ1 σ2 / s from "
        "the Gaussian integral.",
    ),
    m.confused_with(
        "constant left out",
        lambda d, a, s1, s2: _solve(d, a, _s(a, s1, s2)),
        "You set the exponential alone to the overlap 1 − α(1 − α) D and left out the "
        "constant σ1^(1−α) σ2^α / s in front of it. That constant is 1 only for equal "
        "widths; here it is below 1, so the widths alone already make D_α > 0.",
    ),
    m.Predicate(
        "equal widths",
        "That is the equal-widths answer, with both Gaussians as wide as P (σ = 1) or as Q "
        "(σ = 2). The widths differ: use the lecture's overlap for σ1 = 1 and σ2 = 2.",
        _one_of(lambda d, a, s1, s2: [_solve(d, a, s1), _solve(d, a, s2)]),
        lambda reference: lambda d, a, s1, s2: _solve(d, a, s2),
    ),
    m.Predicate(
        "a KL instead",
        "That Δμ makes a KL equal to 1: the forward KL(P‖Q) (α → 1) or the reverse KL(Q‖P) "
        "(α → 0). The question asks for D_α with α = 0.25: (1 − overlap)/(α(1 − α)) = 1.",
        _one_of(_kl_shifts),
        lambda reference: lambda *args: _kl_shifts(*args)[0],
    ),
    m.Predicate(
        "no solution (NaN)",
        "Your Δμ is NaN: you took the log of a number below 1, so the overlap you solved "
        "for, 1 − α(1 − α) D = 0.8125, exceeds your constant in front of the exponential. "
        "Check the weights of s²: they cross, s² = α σ2² + (1 − α) σ1² = 1.75 (σ2 is "
        "Q's width), and the constant σ1^(1−α) σ2^α / s is then about 0.899.",
        lambda result, args, expected: bool(np.isnan(result)),
        lambda reference: lambda *args: np.nan,
    ),
    m.missing_minus(
        "D_α depends on Δμ² only, so −Δμ and Δμ give the same divergence; the question "
        "asks for the positive one."
    ),
]


# -- q5 and q7: fits to P = ½N(−d, 1) + ½N(d, 1) --------------------------------------------
@cache
def _fits(d: float, alpha: float) -> tuple[Gaussian, Gaussian]:
    """The optimum reached from the right mode and the central one (from the moment-matched
    Gaussian), as in the lecture."""
    target = Mixture.symmetric(d)
    return (
        fit_alpha(target, alpha, Gaussian(d, 1.0)),
        fit_alpha(target, alpha, fit_forward_kl(target)),
    )


def _ranked(d: float, alpha: float) -> tuple[Gaussian, Gaussian]:
    """(best, other) of the two optima, by D_α."""
    target = Mixture.symmetric(d)
    fits = sorted(_fits(d, alpha), key=lambda q: alpha_divergence(target, q, alpha))
    return fits[0], fits[1]


def best_alpha_fit_std(d, alpha):
    """σ of the global optimum: the better of the fits from a mode and from the centre."""
    return _ranked(d, alpha)[0].std


def _worse_alpha_fit_std(d, alpha):
    """σ of the other (local, not global) optimum."""
    return _ranked(d, alpha)[1].std


def _moment_matching_std(d, *rest):
    """σ of the α = 1 (forward-KL) fit: √(1 + d²)."""
    return np.sqrt(1 + d**2)


@cache
def alpha_for_central_std(d: float, std: float) -> float:
    """The α at which the central optimum of D_α(P‖Q) has standard deviation ``std``."""
    return brentq(lambda a: _fits(d, a)[1].std - std, 0.01, 0.99, xtol=1e-12)


def _interpolated_alpha(d, std, decimals=3):
    """Linear interpolation between α = 0.3 and 0.4, with σ as the lecture's table prints it
    (3 decimals) or, for ``decimals=None``, exact."""
    s3, s4 = (_fits(d, a)[1].std for a in (0.3, 0.4))
    if decimals is not None:
        s3, s4 = round(s3, decimals), round(s4, decimals)
    return 0.3 + 0.1 * (std - s3) / (s4 - s3)


def _interpolated(result, args) -> bool:
    """Whether ``result`` is one of the two interpolations, to the 4 figures asked."""
    return any(
        m.close(result, _interpolated_alpha(*args, decimals=k), rtol=3e-4) for k in (3, None)
    )


def _interpolation():
    return m.Predicate(
        "interpolated in the table",
        "That is a straight line through the table's rows α = 0.3 (σ = 2.963) and α = 0.4 "
        "(σ = 3.011). σ(α) is not a straight line: solve σ(α) = 3 itself, with fit_alpha "
        "inside a root finder (scipy.optimize.brentq).",
        lambda result, args, expected: _interpolated(result, args),
        lambda reference: _interpolated_alpha,
    )


def _coarse_alpha():
    return m.Predicate(
        "within 0.01: a coarse scan",
        "You are within 0.01 of the answer, which is what the explorer's slider (steps of "
        "0.01) or a scan of a few α gives. The answer needs 4 significant figures: solve "
        "σ(α) = 3 with a root finder, scipy.optimize.brentq, on a bracket where σ − 3 "
        "changes sign.",
        lambda result, args, expected: (
            1e-3 < float(np.abs(result - expected)) <= 0.006 and not _interpolated(result, args)
        ),
        lambda reference: lambda *args: reference(*args) + 0.005,
    )


def _lecture_target():
    def values(d, alpha):
        mode, central = _fits(3.0, alpha)
        return mode.std, central.std

    return m.Predicate(
        "the lecture's target (d = 3)",
        "That is σ of an optimum for the lecture's target, ½N(−3, 1) + ½N(3, 1). This "
        "exercise moves the modes to ±3.5, and the answer changes more than you might expect: "
        "fit Mixture.symmetric(3.5).",
        lambda result, args, expected: any(m.close(result, v, rtol=2e-3) for v in values(*args)),
        lambda reference: lambda d, alpha: values(d, alpha)[1],
    )


def _table_row():
    return m.Predicate(
        "a row of the table",
        "In the lecture's table the central fit has σ = 2.963 at α = 0.3 and σ = 3.011 at "
        "α = 0.4: σ = 3 falls between the two rows, so neither α is the answer. Solve "
        "σ(α) = 3 with a root finder on that bracket.",
        lambda result, args, expected: any(m.close(result, a, rtol=1e-9) for a in (0.3, 0.4)),
        lambda reference: lambda *args: 0.4,
    )


CENTRAL_ALPHA_MISTAKES = [
    _interpolation(),
    _coarse_alpha(),
    _table_row(),
]


BEST_FIT_MISTAKES = [
    m.confused_with(
        "the local optimum",
        _worse_alpha_fit_std,
        "That is σ of one optimum, but not of the global one: its D_α is the "
        "larger of the two. Fit from a mode *and* from the centre, compute "
        "divergences.alpha_divergence(target, q, 0.3) for each, and keep the "
        "smaller.",
    ),
    m.variance_for_std(),
    m.confused_with(
        "moment matching (α = 1)",
        _moment_matching_std,
        "√(1 + d²) is the α = 1 fit (moment matching), not the fit for α = 0.3.",
    ),
    m.confused_with(
        "reverse-KL fit (α → 0)",
        lambda d, alpha: fit_reverse_kl(Mixture.symmetric(d), Gaussian(d, 1.0)).std,
        "That is the reverse-KL fit on a mode, the α → 0 end. Use fit_alpha with α = 0.3.",
    ),
    m.confused_with(
        "α and 1 − α exchanged",
        lambda d, alpha: best_alpha_fit_std(d, 1 - alpha),
        "That is the best fit for α = 0.7, the other side of the scale, where the "
        "fit covers both modes. Check the order of the arguments: "
        "fit_alpha(target, alpha, init) and alpha_divergence(target, q, alpha), "
        "with α = 0.3.",
    ),
    m.confused_with(
        "the mean instead of σ",
        lambda d, alpha: abs(_ranked(d, alpha)[0].mean),
        "That is the mean μ of the best fit, which sits near the mode at 3.5. The "
        "question asks for its standard deviation: read .std.",
    ),
    m.confused_with(
        "the width of a mode",
        lambda d, alpha: 1.0,
        "1 is the standard deviation of each of P's two components, not of the "
        "fitted Gaussian. Even the fit on a mode is a little wider than its mode: "
        "it also pays for the other mode. Run fit_alpha.",
    ),
    m.confused_with(
        "the divergence instead of σ",
        lambda d, alpha: alpha_divergence(Mixture.symmetric(d), _ranked(d, alpha)[0], alpha),
        "That is D_α of the best fit, the number that tells the global optimum from the "
        "local one. The question asks for that fit's standard deviation: its .std.",
    ),
    _lecture_target(),
]
