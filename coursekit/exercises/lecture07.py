"""Exercises of lecture 07 (Between the two KLs: α-divergences).

Minka's convention: D_α(P‖Q) = (1/(α(1 − α))) ∫ [α p + (1 − α) q − p^α q^(1−α)], with
α → 0 the reverse KL(Q‖P), α → 1 the forward KL(P‖Q) and D_½ = 4 H², H² = 1 − ∫ √(p q) the
squared Hellinger distance. The lecture fits P = ½N(−3, 1) + ½N(3, 1); the value exercises
ask for the same ideas on other targets, so that no answer can be copied from the lecture.
"""

import numpy as np

from coursekit.divergences import alpha_divergence, fit_alpha
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.fitting import fit_reverse_kl
from coursekit.gaussians import Gaussian, Mixture


def _alpha_discrete(p, q, alpha):
    """Minka's α-divergence of two discrete distributions, for 0 < α < 1, in nats."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    integrand = alpha * p + (1 - alpha) * q - p**alpha * q ** (1 - alpha)
    return np.sum(integrand) / (alpha * (1 - alpha))


def _half_divergence(shift):
    return alpha_divergence(Gaussian(0.0, 1.0), Gaussian(shift, 1.0), 0.5)


def _overlap(shift):
    """∫ √(p q) for N(0, 1) and N(shift, 1): the Bhattacharyya coefficient exp(−Δμ²/8)."""
    return np.exp(-(shift**2) / 8)


def _alpha_fit_std(d, alpha, init_mean):
    """σ of the local optimum of D_α(P‖Q) reached from N(init_mean, 1), P = ½N(∓d, 1)."""
    return fit_alpha(Mixture.symmetric(d), alpha, Gaussian(init_mean, 1.0)).std


def _moment_matching_std(d, *rest):
    """σ of the α = 1 (forward-KL) fit: √(1 + d²)."""
    return np.sqrt(1 + d**2)


def _best_alpha_fit_std(d, alpha):
    """σ of the global optimum: the better of the fits from a mode and from the centre."""
    target = Mixture.symmetric(d)
    fits = [fit_alpha(target, alpha, Gaussian(start, 1.0)) for start in (d, 0.0)]
    return min(fits, key=lambda q: alpha_divergence(target, q, alpha)).std


def _worse_alpha_fit_std(d, alpha):
    """σ of the other (local, not global) optimum."""
    target = Mixture.symmetric(d)
    fits = [fit_alpha(target, alpha, Gaussian(start, 1.0)) for start in (d, 0.0)]
    return max(fits, key=lambda q: alpha_divergence(target, q, alpha)).std


def _swapped_alpha():
    return m.Mistake(
        "swapped arguments",
        "Your function computes D_α(Q‖P): p and q have traded places (or, the same thing for "
        "normalised distributions, the powers α and 1 − α have). The family is not "
        "symmetric: D_α(Q‖P) = D_{1−α}(P‖Q), the divergence from the other end of the scale. "
        "In D_α(P‖Q) the first distribution, p, carries the power α and the weight α: "
        "p**alpha * q**(1 - alpha).",
        lambda reference: lambda p, q, alpha: reference(q, p, alpha),
    )


def _sign_flipped():
    return m.Mistake(
        "wrong sign",
        "Your result has the right size but the wrong sign, and D_α is never negative. The "
        "integrand is the arithmetic mean minus the geometric mean, "
        "α p + (1 − α) q − p^α q^(1−α) ≥ 0, not the other way round.",
        lambda reference: lambda *args: -np.asarray(reference(*args), dtype=float),
    )


PAIRS = [
    (np.array([0.5, 0.25, 0.25]), np.full(3, 1 / 3), 0.5),
    (np.array([0.9, 0.1]), np.array([0.5, 0.5]), 0.3),
    (np.array([0.2, 0.3, 0.5]), np.array([0.6, 0.3, 0.1]), 0.8),
    (np.array([0.7, 0.2, 0.1]), np.array([0.1, 0.2, 0.7]), 0.6),
]

EXERCISES = ExerciseSet(
    "07",
    "Between the two KLs",
    {
        "q1": ChoiceExercise(
            prompt="In Minka's family D_α(P‖Q), which divergence is the limit α → 0?",
            variable="answer_alpha_zero",
            options={
                "a": "the forward KL(P‖Q)",
                "b": "the reverse KL(Q‖P)",
                "c": "the squared Hellinger distance",
                "d": "the Jensen–Shannon divergence",
            },
            answer="b",
            explanations={
                "a": "The forward KL(P‖Q) is the other end, α → 1, where the fit covers the "
                "mass of P.",
                "b": "α → 0 gives the reverse KL(Q‖P), the mode-seeking end used by "
                "variational inference.",
                "c": "Hellinger is the middle of the family, α = ½ (D_½ = 4 × the squared "
                "Hellinger distance).",
                "d": "Jensen–Shannon compares both distributions to their mixture; it is not a "
                "member of this family.",
            },
            hints=["At α → 0 the weight p^α q^(1−α) keeps only q: which KL averages under Q?"],
            solution_code='answer_alpha_zero = "b"',
        ),
        "q2": FunctionExercise(
            prompt="Write alpha_divergence(p, q, alpha) for two discrete distributions and "
            "0 < α < 1: (1/(α(1 − α))) Σ [α p + (1 − α) q − p^α q^(1−α)], in nats. It is "
            "checked on four pairs to 6 significant figures.",
            variable="alpha_divergence",
            signature="alpha_divergence(p, q, alpha)",
            reference=_alpha_discrete,
            cases=PAIRS,
            mistakes=[
                _swapped_alpha(),
                _sign_flipped(),
                m.confused_with(
                    "normalisation left out",
                    lambda p, q, alpha: np.sum(
                        alpha * p + (1 - alpha) * q - p**alpha * q ** (1 - alpha)
                    ),
                    "You left out the factor 1/(α(1 − α)), which makes the limits α → 0 and "
                    "α → 1 the two KL divergences instead of 0.",
                ),
                m.confused_with(
                    "linear terms left out",
                    lambda p, q, alpha: (
                        -np.sum(p**alpha * q ** (1 - alpha)) / (alpha * (1 - alpha))
                    ),
                    "You left out α p + (1 − α) q. For normalised p and q these terms add up "
                    "to 1, and that 1 is what makes D_α zero when P = Q: without it the "
                    "result is negative.",
                ),
            ],
            hints=[
                "Everything is elementwise numpy: p**alpha * q**(1 - alpha).",
                "Sum over outcomes, then divide by alpha * (1 - alpha).",
            ],
            solution_code="def alpha_divergence(p, q, alpha):\n"
            "    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)\n"
            "    terms = alpha * p + (1 - alpha) * q - p**alpha * q ** (1 - alpha)\n"
            "    return np.sum(terms) / (alpha * (1 - alpha))",
        ),
        "q3": ValueExercise(
            prompt="The α = ½ divergence D_½ between N(0, 1) and N(1, 1), in nats, to 6 "
            "significant figures. (For two Gaussians with equal σ, the squared Hellinger "
            "distance is H² = 1 − exp(−Δμ²/(8σ²)).)",
            variable="half_divergence",
            reference=_half_divergence,
            args=(1.0,),
            unit="nats",
            digits=6,
            mistakes=[
                m.confused_with(
                    "Hellinger instead of D_½",
                    lambda shift: 1 - _overlap(shift),
                    "That is the squared Hellinger distance H². In Minka's normalisation "
                    "D_½ = 4 H².",
                ),
                m.confused_with(
                    "other Hellinger convention",
                    lambda shift: 2 * (1 - _overlap(shift)),
                    "That is ∫ (√p − √q)² dx = 2 H², which some texts call the squared "
                    "Hellinger distance. D_½ is twice that: D_½ = 2 ∫ (√p − √q)² = 4 H².",
                ),
                m.confused_with(
                    "overlap instead of divergence",
                    _overlap,
                    "That is the overlap ∫ √(p q) dx = 1 − H², which is 1 when P = Q. The "
                    "divergence is D_½ = 4 (1 − ∫ √(p q) dx).",
                ),
                m.bits_for_nats(),
            ],
            hints=["D_½(P‖Q) = 4 H²(P, Q) = 4 (1 − ∫ √(p q) dx)."],
            solution_code="half_divergence = 4 * (1 - np.exp(-(1.0**2) / 8))",
        ),
        "q4": ValueExercise(
            prompt="Use coursekit.divergences.fit_alpha to fit a Gaussian to "
            "P = ½N(−2.5, 1) + ½N(2.5, 1) with α = 0.9, starting from N(0, 1). What is its "
            "standard deviation, to 6 significant figures?",
            variable="alpha_std",
            reference=_alpha_fit_std,
            args=(2.5, 0.9, 0.0),
            digits=6,
            mistakes=[
                m.variance_for_std(),
                m.confused_with(
                    "moment matching (α = 1)",
                    _moment_matching_std,
                    "√(1 + d²) = √7.25 is the α = 1 fit, the forward KL's moment matching. At "
                    "α = 0.9 the fit is close to it but narrower: q still pays a little for "
                    "mass where p is small. Run fit_alpha with α = 0.9.",
                ),
                m.confused_with(
                    "α and 1 − α exchanged",
                    lambda d, alpha, init_mean: _alpha_fit_std(d, 1 - alpha, init_mean),
                    "That is the fit for α = 0.1, the other end of the scale. Check the "
                    "argument order: fit_alpha(target, alpha, init) minimises D_α(P‖Q), and "
                    "D_α(Q‖P) would be D_{1−α}(P‖Q).",
                ),
                m.confused_with(
                    "reverse-KL fit (α → 0)",
                    lambda d, alpha, init_mean: (
                        fit_reverse_kl(Mixture.symmetric(d), Gaussian(init_mean, 1.0)).std
                    ),
                    "That is the reverse-KL fit, the α → 0 end. The question asks for "
                    "α = 0.9, near the mass-covering end: use fit_alpha.",
                ),
            ],
            hints=[
                "divergences.fit_alpha(Mixture.symmetric(2.5), 0.9, Gaussian(0, 1)) returns a "
                "Gaussian; read its .std.",
                "Check: near α = 1 the fit approaches moment matching, σ² = 1 + 2.5², but "
                "does not reach it.",
            ],
            solution_code="from coursekit import divergences\n"
            "from coursekit.gaussians import Gaussian, Mixture\n\n"
            "alpha_std = divergences.fit_alpha(Mixture.symmetric(2.5), 0.9, Gaussian(0, 1)).std",
        ),
        "q5": ChoiceExercise(
            prompt="True or false: as α grows from 0 to 1, the best Gaussian for a two-mode "
            "target goes from covering both modes to sitting on one.",
            variable="answer_alpha_direction",
            options={True: "true", False: "false"},
            answer=False,
            explanations={
                True: "The other way round: α → 0 is the reverse KL (mode seeking, one mode) and "
                "α → 1 the forward KL (mass covering, both modes).",
                False: "It goes from one mode (α → 0, reverse KL) to covering both (α → 1, "
                "forward KL); the fit widens as α grows.",
            },
            hints=["Which KL is the α → 1 end, and how does its fit look?"],
            solution_code="answer_alpha_direction = False",
        ),
        "q6": ValueExercise(
            prompt="P = ½N(−3.5, 1) + ½N(3.5, 1) and α = 0.3. D_α(P‖Q) has a local optimum on "
            "each mode and one in the centre. Find the global optimum (fit from a mode and "
            "from the centre, and compare D_α) and give its standard deviation, to 6 "
            "significant figures.",
            variable="best_alpha_std",
            reference=_best_alpha_fit_std,
            args=(3.5, 0.3),
            digits=6,
            mistakes=[
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
                    "That is the reverse-KL fit on a mode, the α → 0 end. Use fit_alpha with "
                    "α = 0.3.",
                ),
            ],
            hints=[
                "target = Mixture.symmetric(3.5); fit_alpha(target, 0.3, Gaussian(3.5, 1)) "
                "and fit_alpha(target, 0.3, Gaussian(0, 1)) give the two kinds of optimum.",
                "Compare divergences.alpha_divergence(target, q, 0.3) for the two fits. (The "
                "lecture's crossover α ≈ 0.115 is for d = 3; it moves with the separation.)",
            ],
            solution_code="from coursekit import divergences\n"
            "from coursekit.gaussians import Gaussian, Mixture\n\n"
            "target = Mixture.symmetric(3.5)\n"
            "fits = [divergences.fit_alpha(target, 0.3, Gaussian(m, 1)) for m in (3.5, 0)]\n"
            "best = min(fits, key=lambda q: divergences.alpha_divergence(target, q, 0.3))\n"
            "best_alpha_std = best.std",
        ),
        "q7": ChoiceExercise(
            prompt="For P = ½N(−3, 1) + ½N(3, 1), the best Gaussian jumps from a mode to the "
            "centre at α ≈ 0.115. What happens there to the fit on the mode?",
            variable="answer_mode_fit",
            options={
                "a": "it disappears: from α ≈ 0.115 on there is no optimum on a mode",
                "b": "it survives as a local optimum, only no longer the best one",
                "c": "it slides continuously to the centre and becomes the central fit",
            },
            answer="b",
            explanations={
                "a": "Not yet: at α ≈ 0.115 the central fit only becomes *better* than the fit "
                "on the mode. The fit on the mode is still a local optimum, and an optimiser "
                "started there stays there; it disappears only near α ≈ 0.468.",
                "b": "The global optimum changes when the two optima's divergences cross; both "
                "still exist. The one on the mode survives as a local optimum until α ≈ 0.468, "
                "so a fit started on a mode can report a local optimum: compare D_α.",
                "c": "The best fit jumps: the central optimum exists all along and overtakes "
                "the one on the mode, whose mean stays near 3. No fit slides across.",
            },
            hints=[
                "Two optima coexist. Which changes at α ≈ 0.115: which one exists, or which "
                "one is lower?"
            ],
            solution_code='answer_mode_fit = "b"',
        ),
    },
)
