"""Exercises of lecture 07 (Between the two KLs: α-divergences).

Minka's convention: D_α(P‖Q) = (1/(α(1 − α))) ∫ [α p + (1 − α) q − p^α q^(1−α)], with
α → 0 the reverse KL(Q‖P), α → 1 the forward KL(P‖Q) and D_½ = 4 H², H² = 1 − ∫ √(p q) the
squared Hellinger distance. For 0 < α < 1, D_α contains no logarithm: it is a pure number (no
unit), scaled so that its limits are the KLs in nats. The lecture fits
P = ½N(−3, 1) + ½N(3, 1); the value exercises ask inverse questions or the same ideas on other
targets, so that no answer can be copied from the lecture.
The exact answers and the mistake rules are in ``lecture07_mistakes``.
"""

import numpy as np

from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import lecture07_mistakes as r

# q2: the test cases (p, q, α).
PAIRS = [
    (np.array([0.5, 0.25, 0.25]), np.full(3, 1 / 3), 0.5),
    (np.array([0.9, 0.1]), np.array([0.5, 0.5]), 0.3),
    (np.array([0.2, 0.3, 0.5]), np.array([0.6, 0.3, 0.1]), 0.0),
    (np.array([0.7, 0.2, 0.1]), np.array([0.1, 0.2, 0.7]), 1.0),
    (np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5]), 0.2),
    (np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5]), 0.0),
    (np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5]), 1.0),
    (np.array([0.25, 0.25, 0.5]), np.array([0.5, 0.5, 0.0]), 0.0),
    (np.array([0.25, 0.25, 0.5]), np.array([0.5, 0.5, 0.0]), 1.0),
]

EXERCISES = ExerciseSet(
    "07",
    "Between the two KLs",
    {
        "q1": ChoiceExercise(
            prompt="Q gives probability 0.2 to an outcome that P never produces (p = 0 "
            "there); on the other outcomes both are positive. How does D_α(P‖Q) behave?",
            variable="answer_mass_outside",
            options={
                "a": "it is infinite for every α, like a KL with a support mismatch",
                "b": "it is finite for every 0 < α < 1, and grows without bound as α → 0",
                "c": "it is finite for every 0 < α < 1, and grows without bound as α → 1",
                "d": "that outcome adds nothing to it, because p^α q^(1−α) = 0 there",
            },
            answer="b",
            explanations={
                "a": "For 0 < α < 1 nothing is infinite: at that outcome the integrand is "
                "(1 − α) q, which adds q/α = 0.2/α to D_α. Only the limit α → 0, the "
                "reverse KL(Q‖P), is infinite.",
                "b": "At that outcome the integrand is (1 − α) q, so it adds q/α = 0.2/α: "
                "finite for every α > 0, without bound as α → 0, where D_α becomes the "
                "reverse KL(Q‖P), infinite because q > 0 where p = 0.",
                "c": "α → 1 is the forward KL(P‖Q), which averages over P, and P has no mass "
                "at that outcome: its contribution 0.2/α tends to 0.2. The forward KL is "
                "infinite in the opposite case, p > 0 where q = 0.",
                "d": "The geometric mean p^α q^(1−α) vanishes there, but the arithmetic mean "
                "α p + (1 − α) q = 0.2 (1 − α) does not: the outcome adds "
                "0.2 (1 − α)/(α(1 − α)) = 0.2/α.",
            },
            hints=[
                "Evaluate the integrand α p + (1 − α) q − p^α q^(1−α) at that outcome, where "
                "p = 0 and q = 0.2, and divide by α(1 − α).",
                "Which KL is the limit α → 0, and is it finite when q > 0 where p = 0?",
            ],
            solution_code="# There the integrand is (1 - alpha) q: it adds 0.2/alpha, finite for\n"
            "# 0 < alpha < 1, without bound as alpha -> 0 (the reverse KL(Q||P) is infinite).\n"
            'answer_mass_outside = "b"',
        ),
        "q2": FunctionExercise(
            prompt="Write alpha_divergence(p, q, alpha) for two discrete distributions and "
            "every α in the closed interval 0 ≤ α ≤ 1: Minka's formula for 0 < α < 1 and its "
            "limits at α = 0 and α = 1, where the formula is 0/0. Some test cases have zero "
            "probabilities; the answer may be ∞. It is checked on nine cases to 6 "
            "significant figures.",
            variable="alpha_divergence",
            signature="alpha_divergence(p, q, alpha)",
            reference=r.alpha_discrete,
            cases=PAIRS,
            mistakes=r.ALPHA_MISTAKES,
            hints=[
                "For 0 < α < 1 use the lecture's formula. At the ends the formula is 0/0: "
                "which divergence is D_α there?",
                "At α = 0 return the reverse KL(Q‖P), at α = 1 the forward KL(P‖Q). A KL "
                "must take 0 · log 0 as 0 and may be ∞: info.kl_divergence (lecture 03) does "
                "both.",
                "if alpha == 0: return info.kl_divergence(q, p); if alpha == 1: return "
                "info.kl_divergence(p, q); otherwise the formula.",
            ],
            solution_code="from coursekit import info\n\n\n"
            "def alpha_divergence(p, q, alpha):\n"
            "    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)\n"
            "    if alpha == 0:\n"
            "        return info.kl_divergence(q, p)  # the reverse KL(Q||P)\n"
            "    if alpha == 1:\n"
            "        return info.kl_divergence(p, q)  # the forward KL(P||Q)\n"
            "    terms = alpha * p + (1 - alpha) * q - p**alpha * q ** (1 - alpha)\n"
            "    return np.sum(terms) / (alpha * (1 - alpha))",
        ),
        "q3": ValueExercise(
            prompt="P = N(0, 2²) and Q = N(Δμ, 2²): for which Δμ > 0 is D_½(P‖Q) = 0.4? Give "
            "Δμ to 6 significant figures.",
            variable="shift_half",
            reference=r.shift_for_half,
            args=(0.4, 2.0),
            digits=6,
            mistakes=r.SHIFT_MISTAKES,
            hints=[
                "For two Gaussians of equal width the lecture gives D_½ in closed form: write "
                "D_½ = 4 (1 − overlap) with the overlap ∫ √(p q) dx.",
                "The overlap is exp(−Δμ²/(8σ²)) with σ² = 4. Solve 4 (1 − exp(−Δμ²/32)) = 0.4 "
                "for the exponential first.",
                "exp(−Δμ²/32) = 0.9, so Δμ = √(32 ln(1/0.9)).",
            ],
            solution_code="shift_half = np.sqrt(8 * 2.0**2 * np.log(1 / (1 - 0.4 / 4)))",
        ),
        "q4": ValueExercise(
            prompt="P = N(0, 1) and Q = N(Δμ, 2²), different widths: for which Δμ > 0 is "
            "D_0.25(P‖Q) = 1? (Before you solve: is D_0.25 zero at Δμ = 0?) Give Δμ to 6 "
            "significant figures.",
            variable="shift_widths",
            reference=r.shift_for_alpha,
            args=(1.0, 0.25, 1.0, 2.0),
            digits=6,
            mistakes=r.WIDTHS_MISTAKES,
            hints=[
                "D_α = (1 − overlap)/(α(1 − α)): which overlap ∫ p^α q^(1−α) dx makes "
                "D_0.25 = 1? The lecture's overlap for different widths is a constant times "
                "an exponential in Δμ².",
                "The overlap must be 1 − 0.25 · 0.75 = 0.8125. With σ1 = 1 (P) and σ2 = 2 (Q), "
                "s² = α σ2² + (1 − α) σ1² = 1.75 (the weights cross) and the constant is "
                "σ1^(1−α) σ2^α / s. Divide the overlap by the constant, then take the log.",
                "exp(−α(1 − α) Δμ²/(2 s²)) = 0.8125 s / 2^0.25, so "
                "Δμ = s √(2 ln(2^0.25/(0.8125 s))/(α(1 − α))) with s = √1.75.",
            ],
            solution_code="alpha, s1, s2 = 0.25, 1.0, 2.0  # P = N(0, s1^2), Q = N(shift, s2^2)\n"
            "s = np.sqrt(alpha * s2**2 + (1 - alpha) * s1**2)  # the weights cross\n"
            "constant = s1 ** (1 - alpha) * s2**alpha / s\n"
            "overlap = 1 - alpha * (1 - alpha) * 1.0  # D_alpha = 1\n"
            "shift_widths = s * np.sqrt(2 * np.log(constant / overlap) / (alpha * (1 - alpha)))",
        ),
        "q5": ValueExercise(
            prompt="For the lecture's target P = ½N(−3, 1) + ½N(3, 1), the central optimum "
            "of D_α(P‖Q) widens as α grows. At which α is its standard deviation exactly 3? "
            "Give α to 4 significant figures.",
            variable="alpha_sigma_3",
            reference=r.alpha_for_central_std,
            args=(3.0, 3.0),
            digits=4,
            mistakes=r.CENTRAL_ALPHA_MISTAKES,
            hints=[
                "σ of the central fit grows steadily with α (the lecture's table), so "
                "σ(α) − 3 changes sign once. Which two α of the table bracket it?",
                "Write a function of α that fits from the centre, divergences.fit_alpha(target, "
                "alpha, start) with start = fitting.fit_forward_kl(target), and returns the "
                "fit's .std minus 3.",
                "Hand that function and the bracket 0.3, 0.4 to scipy.optimize.brentq.",
            ],
            solution_code="from scipy.optimize import brentq\n\n"
            "from coursekit import divergences, fitting\n"
            "from coursekit.gaussians import Mixture\n\n"
            "target = Mixture.symmetric(3.0)\n"
            "start = fitting.fit_forward_kl(target)\n\n\n"
            "def central_std_minus_3(alpha):\n"
            "    return divergences.fit_alpha(target, alpha, start).std - 3\n\n\n"
            "alpha_sigma_3 = brentq(central_std_minus_3, 0.3, 0.4)",
        ),
        "q6": ChoiceExercise(
            prompt="For the lecture's target P = ½N(−3, 1) + ½N(3, 1), someone fits a "
            "Gaussian Q by minimising D_0.9(Q‖P), with the arguments the other way round. "
            "Which Gaussian do they get?",
            variable="answer_swapped_fit",
            options={
                "a": "one that covers both modes, close to the forward-KL fit, since α = 0.9 "
                "is near the mass-covering end",
                "b": "one on a mode, close to the reverse-KL fit",
                "c": "the central fit of α = 0.1",
                "d": "the same as for D_0.9(P‖Q): swapping the arguments does not change the "
                "best Q",
            },
            answer="b",
            explanations={
                "a": "With the arguments swapped the scale runs the other way: "
                "D_0.9(Q‖P) = D_0.1(P‖Q), near the *mode-seeking* end. (The same trap waits "
                "in Rényi VI, the lecture's paragraph on Rényi's divergence: Li and Turner put "
                "Q first, so that there α → 1 is the reverse KL.)",
                "b": "D_0.9(Q‖P) = D_0.1(P‖Q), and for this target the best fit at α = 0.1 "
                "sits on a mode: the jump to the centre comes only at α ≈ 0.115.",
                "c": "D_0.9(Q‖P) is indeed D_0.1(P‖Q), but at α = 0.1 the central fit is only "
                "a local optimum: the fit on a mode has the smaller divergence until "
                "α ≈ 0.115.",
                "d": "Only D_½ is symmetric. In general D_α(Q‖P) = D_{1−α}(P‖Q), here "
                "D_0.1(P‖Q), whose best fit is not the one of D_0.9(P‖Q).",
            },
            hints=[
                "The lecture's symmetry D_α(P‖Q) = D_{1−α}(Q‖P) turns D_0.9(Q‖P) into a member "
                "of the family with P first. Which α?",
                "Then compare that α with the crossover of the lecture's target.",
            ],
            solution_code="# D_0.9(Q||P) = D_0.1(P||Q), and at alpha = 0.1, below the jump at\n"
            "# 0.115, the best fit sits on a mode.\n"
            'answer_swapped_fit = "b"',
        ),
        "q7": ValueExercise(
            prompt="P = ½N(−d, 1) + ½N(d, 1) with modes at ±d, here d = 3.5, and α = 0.3. "
            "D_α(P‖Q) has a local optimum on each mode and one in the centre. Find the "
            "global optimum and give its standard deviation, to 6 significant figures.",
            variable="best_alpha_std",
            reference=r.best_alpha_fit_std,
            args=(3.5, 0.3),
            digits=6,
            mistakes=r.BEST_FIT_MISTAKES,
            hints=[
                "fit_alpha descends to the optimum nearest its start, so one fit cannot tell "
                "you which optimum is global.",
                "Start one fit on the right mode, Gaussian(3.5, 1), and one in the centre, "
                "fitting.fit_forward_kl(target); compute divergences.alpha_divergence(target, "
                "q, 0.3) for each.",
                "Keep the fit with the smaller D_α and read its .std. Do not trust the "
                "lecture's crossover α ≈ 0.115 here: it belongs to modes at ±3 (d = 3), not ±3.5.",
            ],
            solution_code="from coursekit import divergences, fitting\n"
            "from coursekit.gaussians import Gaussian, Mixture\n\n"
            "target = Mixture.symmetric(3.5)\n"
            "starts = (Gaussian(3.5, 1), fitting.fit_forward_kl(target))\n"
            "fits = [divergences.fit_alpha(target, 0.3, start) for start in starts]\n"
            "best = min(fits, key=lambda q: divergences.alpha_divergence(target, q, 0.3))\n"
            "best_alpha_std = best.std",
        ),
        "q8": ChoiceExercise(
            prompt="P = ½N(−d, 1) + ½N(d, 1) with modes at ±d, here d = 2.5 (the lecture "
            "has d = 3), and α = 0.05, near the reverse-KL end. Predict from lecture 04's "
            "thresholds for the reverse KL (optima on the modes exist for d above about "
            "2.41; the central optimum is the better one for d below 2.8), then check with "
            "fit_alpha and alpha_divergence. Which is true of D_α(P‖Q) over Gaussians Q?",
            variable="answer_three_optima",
            options={
                "a": "three optima (one on each mode and a central one); one on a mode is the best",
                "b": "three optima; the central one is the best, those on the modes are only local",
                "c": "one optimum, the central one: a fit started on a mode slides to the centre",
                "d": "two optima, one on each mode, and none in the centre",
            },
            answer="b",
            explanations={
                "a": "The optima are there, but compare their divergences: D_α = 0.687 on a "
                "mode against 0.465 for the central fit. For d = 2.5 < 2.8 the central fit "
                "is already the better one at the reverse-KL end, and small α keeps it so.",
                "b": "d = 2.5 lies between lecture 04's two thresholds: the optima on the modes "
                "exist (a fit from N(2.5, 1) stays at N(2.36, 1.17²)), but the central fit "
                "N(0, 2.42²) has the smaller divergence, 0.465 against 0.687. A fit started on "
                "a mode reports a local optimum.",
                "c": "Not yet at α = 0.05: a fit from N(2.5, 1) stays near the mode, at "
                "N(2.36, 1.17²). For d = 2.5 that optimum ends at α ≈ 0.10; beyond it your "
                "description becomes right.",
                "d": "D_α of a symmetric target always has a central optimum here: a fit from "
                "the moment-matched N(0, 7.25) stays central, N(0, 2.42²), and it is the best.",
            },
            hints=[
                "At α → 0 this is the reverse KL: where does d = 2.5 sit relative to 2.41 and 2.8?",
                "Check: fit from Gaussian(2.5, 1) and from fitting.fit_forward_kl(target) with "
                "α = 0.05; does the first stay on the mode? Which has the smaller D_α?",
            ],
            solution_code="# Near the reverse KL, and d = 2.5 lies between 2.41 (optima on the\n"
            "# modes exist) and 2.8 (they win): three optima, the central one the best.\n"
            'answer_three_optima = "b"',
        ),
    },
)
