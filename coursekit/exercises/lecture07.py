"""Exercises of lecture 07 (Between the two KLs: α-divergences)."""

import numpy as np

from coursekit.divergences import alpha_divergence, fit_alpha
from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m
from coursekit.gaussians import Gaussian, Mixture


def _alpha_discrete(p, q, alpha):
    """Minka's α-divergence of two discrete distributions, for 0 < α < 1, in nats."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    integrand = alpha * p + (1 - alpha) * q - p**alpha * q ** (1 - alpha)
    return np.sum(integrand) / (alpha * (1 - alpha))


def _alpha_fit_std(alpha):
    return fit_alpha(Mixture.symmetric(3.0), alpha, Gaussian(0.0, 1.0)).std


def _half_divergence(shift):
    return alpha_divergence(Gaussian(0.0, 1.0), Gaussian(shift, 1.0), 0.5)


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
            "0 < α < 1: (1/(α(1 − α))) Σ [α p + (1 − α) q − p^α q^(1−α)], in nats.",
            variable="alpha_divergence",
            signature="alpha_divergence(p, q, alpha)",
            reference=_alpha_discrete,
            cases=PAIRS,
            mistakes=[
                m.swapped_arguments("D_α(P‖Q)"),
                m.missing_minus(),
                m.confused_with(
                    "normalisation left out",
                    lambda p, q, alpha: np.sum(
                        alpha * p + (1 - alpha) * q - p**alpha * q ** (1 - alpha)
                    ),
                    "You left out the factor 1/(α(1 − α)), which makes the limits α → 0 and "
                    "α → 1 the two KL divergences instead of 0.",
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
            prompt="The α = ½ divergence D_½ between N(0, 1) and N(1, 1), in nats. (For two "
            "Gaussians with equal σ, the squared Hellinger distance is 1 − exp(−Δμ²/(8σ²)).)",
            variable="half_divergence",
            reference=_half_divergence,
            args=(1.0,),
            unit="nats",
            mistakes=[
                m.confused_with(
                    "Hellinger instead of D_½",
                    lambda shift: 1 - np.exp(-(shift**2) / 8),
                    "That is the squared Hellinger distance H². In Minka's normalisation "
                    "D_½ = 4 H².",
                ),
                m.bits_for_nats(),
            ],
            hints=["D_½(P‖Q) = 4 H²(P, Q) = 4 (1 − ∫ √(p q) dx)."],
            solution_code="half_divergence = 4 * (1 - np.exp(-(1.0**2) / 8))",
        ),
        "q4": ValueExercise(
            prompt="Use coursekit.divergences.fit_alpha to fit a Gaussian to "
            "P = ½N(−3, 1) + ½N(3, 1) with α = 0.99, starting from N(0, 1). Its standard "
            "deviation?",
            variable="alpha_std",
            reference=_alpha_fit_std,
            args=(0.99,),
            rtol=1e-3,
            mistakes=[m.variance_for_std()],
            hints=[
                "fit_alpha(Mixture.symmetric(3), 0.99, Gaussian(0, 1)) returns a Gaussian.",
                "Near α = 1 the fit approaches moment matching, σ² = 10.",
            ],
            solution_code="alpha_std = divergences.fit_alpha(Mixture.symmetric(3), 0.99, Gaussian(0, 1)).std",
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
    },
)
