"""Exercises of lecture 06 (Variational inference).

The conjugate model of the lecture: z ~ N(0, 1), x | z ~ N(z, 1) (noise standard deviation
σ = 1), posterior N(x/2, 1/2), evidence N(x; 0, 2); q = N(μ, s²) with s its standard
deviation. The non-conjugate model: Bayesian logistic regression with weights w = (w₀, w₁),
prior N(0, 2² I) and p(y = 1 | w) = sigm(w₀ + w₁ x). The reference computations and the
mistake rules are in ``lecture06_mistakes``, except those of exercises 7 (the logistic
regression's mode) and 9 (how many draws a gradient estimate needs), which are here.
"""

from functools import cache

import numpy as np
from scipy.special import expit

from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import lecture06_mistakes as r
from coursekit.exercises import mistakes as m

PRIOR_VAR = 2.0**2  # prior variance of each logistic-regression weight


# -- q7: the posterior mode of the logistic regression ---------------------------------------


@cache
def lecture_data() -> tuple[np.ndarray, np.ndarray]:
    """The lecture's 24 points: x ~ N(2, 1), y = 1 with probability sigm(−2.5 + 1.5 x),
    seed 2."""
    rng = np.random.default_rng(2)
    x = rng.normal(2.0, 1.0, 24)
    y = (rng.random(24) < expit(-2.5 + 1.5 * x)) * 1.0
    return x, y


def posterior_mode(prior_var=PRIOR_VAR):
    """The maximum of log p(D, w) over w, by Newton's method (the log joint is concave);
    ``prior_var = inf`` leaves the prior out (the maximum-likelihood weights)."""
    x, y = lecture_data()
    features = np.stack([np.ones_like(x), x], axis=1)
    w = np.zeros(2)
    for _ in range(50):
        p = expit(features @ w)
        grad = features.T @ (y - p) - w / prior_var
        hess = -(features.T * (p * (1 - p))) @ features - np.eye(2) / prior_var
        step = np.linalg.solve(hess, grad)
        w = w - step
        if np.max(np.abs(step)) < 1e-14:
            break
    return w


#: The posterior mean of the lecture's 401 × 401 grid (printed to 3 decimals).
GRID_MEAN = np.array([-2.343914, 1.204448])
#: The mean of the lecture's mean-field q (printed to 3 decimals).
MEAN_FIELD_MEAN = np.array([-2.284, 1.161])

#: The lecture's 401 × 401 grid: its first point and its spacings.
GRID_START, GRID_STEP = np.array([-12.0, -3.0]), np.array([0.045, 0.0225])
#: The grid point with the largest log p(D, w), near the mode but not on it.
GRID_ARGMAX = np.array([-2.19, 1.1175])


def _grid_point_near(result, args, expected) -> bool:
    """Whether ``result`` is a point of the lecture's grid, at most two spacings from the mode."""
    index = (result - GRID_START) / GRID_STEP
    on_grid = np.all(np.abs(index - np.round(index)) < 0.05)
    return bool(on_grid and np.all(np.abs(result - expected) <= 2 * GRID_STEP))


MODE_MISTAKES = [
    m.Predicate(
        "the grid's best point",
        "That is the grid point with the largest log p(D, w). The grid's spacing, 0.045 in w₀ "
        "and 0.0225 in w₁, is too coarse for 4 significant figures: the mode lies between its "
        "points. Climb the gradient of log p(D, w) from there (or from (0, 0)) until it "
        "vanishes.",
        _grid_point_near,
        lambda reference: lambda *a: GRID_ARGMAX,
    ),
    m.Predicate(
        "the posterior mean",
        "That is (close to) the posterior *mean*, which the grid and the full-covariance q "
        "both give. The question asks for the *mode*, where log p(D, w) is largest and its "
        "gradient vanishes. For a Gaussian posterior the two coincide; this posterior is "
        "skewed, and its mode lies elsewhere.",
        lambda result, args, expected: m.close(result, GRID_MEAN, rtol=0.01, atol=0.0),
        lambda reference: lambda *a: GRID_MEAN,
    ),
    m.Predicate(
        "the mean-field q's mean",
        "That is the mean of the lecture's mean-field q, an approximation fitted by VI. The mode "
        "belongs to the exact posterior: it is the w where ∇_w log p(D, w) = 0.",
        lambda result, args, expected: m.close(result, MEAN_FIELD_MEAN, rtol=0.005, atol=0.0),
        lambda reference: lambda *a: MEAN_FIELD_MEAN,
    ),
    m.confused_with(
        "prior left out",
        lambda: posterior_mode(np.inf),
        "Those are the maximum-likelihood weights: your gradient has no prior term. The "
        "posterior's log density is log p(D, w) = log p(D | w) + log N(w; 0, 2² I) + const, "
        "whose gradient has −w/2² from the prior, pulling the mode towards 0.",
    ),
    m.confused_with(
        "prior standard deviation for variance",
        lambda: posterior_mode(2.0),
        "Your prior term is −w/2: the gradient of −‖w‖²/(2·2²) is −w/2² = −w/4, with the "
        "prior's variance 2² = 4, not its standard deviation 2.",
    ),
    m.confused_with(
        "components swapped",
        lambda: posterior_mode()[::-1],
        "Right numbers, wrong order: w₀ is the intercept (first) and w₁ the slope (second).",
    ),
]


# -- q9: how many draws the reparameterisation gradient needs ------------------------------------


def _draws(factor, s, target, spread=lambda sd, target: (sd / target) ** 2, up=np.ceil):
    """The least S with (factor·s)/√S ≤ target (``spread`` and ``up`` make mistakes)."""
    return float(up(spread(factor * s, target) - 1e-9))


def reparam_draws(noise_var, s, target):
    """g(z) = −z + (x − z)/σ² at z = μ + sε has random part −(1 + 1/σ²)sε: an average of S
    terms has standard deviation (1 + 1/σ²)s/√S."""
    return _draws(1 + 1 / noise_var, s, target)


def _draws_rule(name, message, factor=None, s=None, **options):
    return m.confused_with(
        name,
        lambda v, sd, t: _draws(factor(v) if factor else 1 + 1 / v, s or sd, t, **options),
        message,
    )


REPARAM_MISTAKES = [
    _draws_rule(
        "the lecture's noise",
        "That is S for the lecture's model, with noise variance 1 (g = x − 2z). Here the noise "
        "has standard deviation 0.5, variance 0.25: g(z) = −z + (x − z)/0.25.",
        factor=lambda v: 2.0,
    ),
    _draws_rule(
        "prior term left out",
        "Your g keeps only the likelihood's (x − z)/σ². The prior N(0, 1) contributes −z too: "
        "g(z) = −z + (x − z)/σ², whose random part is −(1 + 1/σ²)sε.",
        factor=lambda v: 1 / v,
    ),
    _draws_rule(
        "σ for σ²",
        "You divided (x − z) by the noise's standard deviation 0.5; the Gaussian log density "
        "divides by its variance, σ² = 0.25: d/dz [−(x − z)²/(2σ²)] = (x − z)/σ².",
        factor=lambda v: 1 + 1 / np.sqrt(v),
    ),
    _draws_rule(
        "0.07 as a variance",
        "You asked for a *variance* of at most 0.07. The question bounds the standard "
        "deviation: (standard deviation of one term)/√S ≤ 0.07.",
        spread=lambda sd, target: sd**2 / target,
    ),
    _draws_rule(
        "divided by S, not √S",
        "Averaging S independent terms divides the *variance* by S, so the standard "
        "deviation by √S: solve (standard deviation of one term)/√S ≤ 0.07.",
        spread=lambda sd, target: sd / target,
    ),
    m.Predicate(
        "not a whole number",
        "S counts draws, so it is a whole number: round (sd/0.07)² *up* to the next one.",
        lambda result, args, expected: bool(expected - 1 < result < expected),
        lambda reference: lambda *a: reference(*a) - 0.27,
    ),
    _draws_rule(
        "rounded down",
        "Rounded down: with that S the standard deviation is just above 0.07. S must be a "
        "whole number at least (sd/0.07)², so round *up*.",
        up=np.floor,
    ),
    _draws_rule(
        "the lecture's q",
        "That is S for the lecture's q = N(0.3, 0.8²), with s = 0.8. This q has s = 0.6.",
        s=0.8,
    ),
]


def reverse_and_forward(x, mu, s):
    """KL(q‖posterior) and KL(posterior‖q) for q = N(μ, s²) in the conjugate model."""
    return r.kl_gauss(mu, s, x / 2, np.sqrt(0.5)), r.kl_gauss(x / 2, np.sqrt(0.5), mu, s)


_A, _B = reverse_and_forward(2.0, 1.0, 0.4), reverse_and_forward(2.0, 1.0, 1.2)
_ELBO_A, _ELBO_B = (f"{r.elbo(2.0, 1.0, s):.4f}".replace("-", "−") for s in (0.4, 1.2))
_EPS = (
    np.array([-1.2, 0.3, 0.8, 2.1, -0.4]),
    np.array([0.5, -1.5, 1.1]),
    np.array([0.2, -0.7, 1.9, -2.2, 0.9, 0.05]),
    np.array([-0.3, 1.4, 0.6, -1.8]),
)

EXERCISES = ExerciseSet(
    "06",
    "Variational inference",
    {
        "q1": ValueExercise(
            prompt="In the model z ~ N(0, 1), x | z ~ N(z, 1), the posterior for x = 3 is "
            "N(1.5, 0.5) (variance 0.5). Without any integral, compute log p(x) from the joint "
            "p(x, z) and the posterior p(z | x) evaluated at z = 0, in nats, to 6 significant "
            "figures. (Then try z = 1: what do you notice?)",
            variable="log_evidence_x3",
            reference=r.evidence_from_posterior,
            args=(3.0, 0.0),
            unit="nats",
            digits=6,
            mistakes=r.EVIDENCE_MISTAKES,
            hints=[
                "Bayes' theorem, p(z | x) = p(x, z)/p(x), read the other way round.",
                "p(x) = p(x, z)/p(z | x) at any z, so log p(x) = log p(x, z) − log p(z | x) with "
                "log p(x, z) = log N(z; 0, 1) + log N(x; z, 1) and log p(z | x) = "
                "log N(z; 1.5, 0.5); log N(v; m, var) = −½ log(2π·var) − (v − m)²/(2·var).",
                "At z = 0: log p(x, z) = −6.33788 and log p(z | x) = −2.82236 (both in nats). "
                "Subtract, keeping all the digits.",
            ],
            solution_code="x, z = 3.0, 0.0\n"
            "log_prior = -0.5 * np.log(2 * np.pi) - z**2 / 2\n"
            "log_likelihood = -0.5 * np.log(2 * np.pi) - (x - z) ** 2 / 2\n"
            "log_posterior = -0.5 * np.log(2 * np.pi * 0.5) - (z - 1.5) ** 2 / (2 * 0.5)\n"
            "log_evidence_x3 = log_prior + log_likelihood - log_posterior",
        ),
        "q2": ValueExercise(
            prompt="In the same model, with x = 3, keep q's standard deviation at s = 0.5 and "
            "move its mean μ. The ELBO of q = N(μ, 0.5²) equals −4.5 nats at two values of μ. "
            "Give the larger one, to 6 significant figures. (Predict first: where does the "
            "posterior mean 1.5 lie relative to the two?)",
            variable="mu_larger",
            reference=r.elbo_root,
            args=(3.0, 0.5, -4.5),
            digits=6,
            mistakes=r.ROOT_MISTAKES,
            hints=[
                "Write the ELBO of q = N(μ, 0.5²) in closed form, as in the lecture's conjugate "
                "model, and look at how it depends on μ.",
                "Only −(x − μ)²/2 (reconstruction) and −μ²/2 (KL to the prior) contain μ, and "
                "−(x − μ)²/2 − μ²/2 = −(μ − x/2)² − x²/4. So ELBO(μ) = C − (μ − 1.5)², with C "
                "the ELBO at μ = 1.5.",
                "C = ELBO(μ = 1.5, s = 0.5) = −3.61209 nats; solve C − (μ − 1.5)² = −4.5 and take "
                "the root with the plus sign.",
            ],
            solution_code="x, s, target = 3.0, 0.5, -4.5\n\n\n"
            "def elbo_of_mean(mu):\n"
            "    reconstruction = -0.5 * np.log(2 * np.pi) - ((x - mu) ** 2 + s**2) / 2\n"
            "    kl_prior = 0.5 * (mu**2 + s**2 - 1 - np.log(s**2))\n"
            "    return reconstruction - kl_prior\n\n\n"
            "# ELBO(mu) = C - (mu - x/2)**2, a parabola with its top at the posterior mean x/2\n"
            "mu_larger = x / 2 + np.sqrt(elbo_of_mean(x / 2) - target)",
        ),
        "q3": ValueExercise(
            prompt="For the q of exercise 2 (the larger μ, s = 0.5, ELBO −4.5 nats), how large "
            "is KL(q‖p(z|x)), in nats, to 6 significant figures? No integral and no KL formula "
            "is needed: combine exercises 1 and 2. Then check your number with the Gaussian "
            "KL formula of lecture 03, against the posterior N(1.5, 0.5). Would the smaller μ of "
            "exercise 2 give a different KL? Why (not)?",
            variable="kl_q_posterior",
            reference=r.gap_of_root,
            args=(3.0, 0.5, -4.5),
            unit="nats",
            digits=6,
            mistakes=r.GAP_MISTAKES,
            hints=[
                "The identity of the lecture holds for every q: log p(x) = ELBO(q) + KL(q‖p(z|x)).",
                "You know log p(3) from exercise 1, and ELBO(q) = −4.5 nats by the way q was "
                "chosen in exercise 2.",
                "KL(q‖p(z|x)) = log p(3) − (−4.5). To check it: KL(N(μ, s²)‖N(1.5, 0.5)) = "
                "log(√0.5/s) + (s² + (μ − 1.5)²)/(2·0.5) − ½ with μ from exercise 2.",
            ],
            solution_code="x, s = 3.0, 0.5\n"
            "log_evidence = -0.5 * np.log(2 * np.pi * 2) - x**2 / (2 * 2)  # exercise 1\n"
            "kl_q_posterior = log_evidence - (-4.5)  # log p(x) = ELBO(q) + KL(q || p(z|x))\n"
            "# the check: the Gaussian KL for q = N(mu, s^2) of exercise 2, where\n"
            "# ELBO(mu) = top - (mu - x/2)**2 with top the ELBO at mu = x/2\n"
            "top = -0.5 * np.log(2 * np.pi) - ((x / 2) ** 2 + s**2) / 2\n"
            "top -= 0.5 * ((x / 2) ** 2 + s**2 - 1 - np.log(s**2))\n"
            "mu = x / 2 + np.sqrt(top + 4.5)\n"
            "kl = np.log(np.sqrt(0.5) / s) + (s**2 + (mu - 1.5) ** 2) / (2 * 0.5) - 0.5\n"
            "assert np.isclose(kl_q_posterior, kl)\n"
            "# The smaller mu gives the same KL: it has the same ELBO, -4.5, and the KL is\n"
            "# log p(x) - ELBO (in the formula, (mu - 1.5)**2 is the same for both roots).",
        ),
        "q4": FunctionExercise(
            prompt="Write mc_elbo(x, mu, s, eps): the Monte Carlo estimate of the "
            "ELBO of q = N(mu, s²) (s is q's standard deviation) for one observation x in the "
            "model z ~ N(0, 1), x | z ~ N(z, 1), from the given standard-normal draws eps (an "
            "array): with z_j = mu + s·eps_j, the average over j of log p(x, z_j) − "
            "log q(z_j). It is checked on four cases to a relative tolerance of 1e-6. Then "
            "call it with x = 2 and the posterior, mu = 1 and s = √0.5: what does every term "
            "equal, and why?",
            variable="mc_elbo",
            signature="mc_elbo(x, mu, s, eps)",
            reference=r.mc_elbo,
            cases=[
                (2.0, 0.0, 1.0, _EPS[0]),
                (3.0, 1.2, 0.5, _EPS[1]),
                (-1.0, 0.5, 2.0, _EPS[2]),
                (2.0, 1.0, float(np.sqrt(0.5)), _EPS[3]),
            ],
            mistakes=r.MC_MISTAKES,
            hints=[
                "No closed form this time: turn the draws into samples of q, evaluate the "
                "integrand of the ELBO at each, and average.",
                "z = mu + s * eps is an array of samples of q. log p(x, z) = log N(z; 0, 1) + "
                "log N(x; z, 1) and log q(z) = log N(z; mu, s²), with log N(v; m, var) = "
                "−½ log(2π·var) − (v − m)²/(2·var).",
                "Return np.mean(log_joint - log_q), both evaluated at z (arrays of the length "
                "of eps).",
            ],
            solution_code="def mc_elbo(x, mu, s, eps):\n"
            "    z = mu + s * eps\n"
            "    log_joint = -np.log(2 * np.pi) - z**2 / 2 - (x - z) ** 2 / 2\n"
            "    log_q = -0.5 * np.log(2 * np.pi * s**2) - (z - mu) ** 2 / (2 * s**2)\n"
            "    return np.mean(log_joint - log_q)\n\n\n"
            "# With q the posterior (x = 2, mu = 1, s = sqrt(0.5)) every term is\n"
            "# log p(x) = -2.265512: log p(x, z) - log p(z | x) = log p(x) at every z,\n"
            "# so the estimate has no noise at all.",
        ),
        "q5": ChoiceExercise(
            prompt="A classmate's VI code prints 'ELBO = -2.10 ± 0.03 nats (Monte Carlo "
            "estimate ± its standard error)' in a model where log p(x) = −2.27 nats exactly. "
            "What do you conclude?",
            variable="answer_elbo_estimate",
            options={
                "a": "nothing is wrong: a q close to the posterior can have an ELBO above log p(x)",
                "b": "nothing need be wrong: a Monte Carlo estimate scatters, and can land above "
                "log p(x)",
                "c": "the code has a bug: the estimate is too far above log p(x) to be noise",
                "d": "the sign is wrong: the code prints −ELBO, the loss",
            },
            answer="c",
            explanations={
                "a": "Never: ELBO(q) = log p(x) − KL(q‖p(z|x)) and the KL is ≥ 0, so the ELBO is "
                "at most log p(x), with equality only at the posterior.",
                "b": "An estimate can exceed log p(x) by a standard error or two. This one is "
                "0.17 nats above it, (−2.10 − (−2.27))/0.03 ≈ 5.7 standard errors: far beyond "
                "noise.",
                "c": "Right: the true ELBO is at most log p(x) = −2.27, and an estimate "
                "(−2.10 − (−2.27))/0.03 ≈ 5.7 standard errors above it is not noise. Look for a "
                "missing −log q term or a wrong normalising constant.",
                "d": "−ELBO would be positive, at least +2.27 nats (since ELBO ≤ log p(x) = "
                "−2.27); the printed value is negative.",
            },
            hints=[
                "Two facts: which is larger, ELBO(q) or log p(x)? And how far can a Monte Carlo "
                "estimate stray from its mean, in standard errors?",
                "Count the standard errors between −2.10 and −2.27.",
            ],
            solution_code='answer_elbo_estimate = "c"',
        ),
        "q6": ChoiceExercise(
            prompt="In the lecture's model with x = 2, the posterior is N(1, 0.5) (standard "
            "deviation 0.707). Two Gaussians have its mean but the wrong width: q_A = "
            "N(1, 0.4²), narrower, and q_B = N(1, 1.2²), wider. Which has the larger ELBO? "
            "Decide before computing, then check.",
            variable="answer_larger_elbo",
            options={
                "a": "q_A, the narrower one",
                "b": "q_B, the wider one",
                "c": "neither: with the posterior's mean, both have the same ELBO",
            },
            answer="a",
            explanations={
                "a": f"ELBO(q_A) = {_ELBO_A} and ELBO(q_B) = {_ELBO_B} nats. The ELBO "
                f"ranks q by the reverse KL(q‖p(z|x)) ({_A[0]:.4f} for q_A, {_B[0]:.4f} for q_B), "
                "which averages under q: a q wider than the posterior puts mass where the "
                "posterior has little, and pays dearly. This is why VI tends to underestimate "
                f"posterior variances. The forward KL would rank them the other way ({_A[1]:.4f} "
                f"for q_A, {_B[1]:.4f} for q_B).",
                "b": f"That is how the forward KL(p(z|x)‖q) ranks them ({_A[1]:.4f} for q_A, "
                f"{_B[1]:.4f} for q_B). The ELBO is log p(x) minus the *reverse* KL(q‖p(z|x)), "
                "which averages under q and punishes a q that spreads where the posterior has "
                "little mass: q_B does, q_A does not.",
                "c": "The widths matter too: ELBO(q) = log p(x) − KL(q‖p(z|x)), and the KL is 0 "
                "only at the posterior itself, mean *and* width. The two KLs differ.",
            },
            hints=[
                "ELBO(q) = log p(x) − KL(q‖p(z|x)): which KL, averaged under which distribution?",
                "The reverse KL averages log(q/p) under q. Where does each q put mass that the "
                "posterior lacks? Check with the closed-form ELBO of the lecture.",
            ],
            solution_code='answer_larger_elbo = "a"',
        ),
        "q7": ValueExercise(
            prompt="The posterior mean of the lecture's logistic regression is about "
            "(−2.344, 1.204) (from the grid). Where is the posterior's mode, the w with the "
            "largest posterior density? Give w = (w₀, w₁) as an array, each to 4 significant "
            "figures. Which of the two, mean or mode, does the full-covariance q's mean sit near?",
            variable="posterior_mode",
            reference=posterior_mode,
            kind="a weight vector (w₀, w₁)",
            digits=4,
            mistakes=MODE_MISTAKES,
            hints=[
                "log p(w | D) = log p(D, w) − log p(D), and log p(D) does not depend on w: the "
                "mode needs no evidence, only the log joint.",
                "At the mode ∇_w log p(D, w) = 0. Climb the gradient of the lecture "
                "(grad_log_joint) from w = (0, 0), or hand −log_joint to "
                "scipy.optimize.minimize.",
                "Plain gradient ascent w ← w + 0.02·∇_w log p(D, w) for 2000 steps from (0, 0) "
                "converges; the result differs from the mean in the second figure.",
            ],
            solution_code="# the lecture's data (as drawn for the logistic regression), and\n"
            "# gradient ascent on log p(D, w) (the lecture's grad_log_joint is the same)\n"
            "rng = np.random.default_rng(2)\n"
            "xs = rng.normal(2.0, 1.0, 24)\n"
            "ys = (rng.random(24) < 1 / (1 + np.exp(2.5 - 1.5 * xs))) * 1.0\n"
            "w = np.zeros(2)\n"
            "for _ in range(2000):\n"
            "    residual = ys - 1 / (1 + np.exp(-(w[0] + w[1] * xs)))\n"
            "    w = w + 0.02 * (np.array([residual.sum(), (residual * xs).sum()]) - w / 2**2)\n"
            "posterior_mode = w\n"
            "# The mode (-2.166, 1.107) is not the mean (-2.344, 1.204): the posterior is skewed.\n"
            "# The full-covariance q's mean (-2.352, 1.200) sits near the mean, not the mode.",
        ),
        "q8": ValueExercise(
            prompt="Suppose the logistic-regression posterior were exactly Gaussian, with "
            "correlation ρ = −0.92 between w₀ and w₁. The best full-covariance q would then be "
            "the posterior itself (gap 0). Take instead the best mean-field q (largest ELBO) "
            "and give two numbers as an array: the variance of its factor q(w₀) as a fraction "
            "of the posterior's marginal variance of w₀, and how many nats its ELBO stays "
            "below log p(D). Each to 6 significant figures.",
            variable="mean_field_fit",
            reference=r.mean_field_fit,
            args=(-0.92,),
            kind="a pair (variance fraction, gap in nats)",
            digits=6,
            mistakes=r.MEAN_FIELD_MISTAKES,
            hints=[
                "The gap is KL(q‖p) for the best factorised q. Which direction of the KL does "
                "the ELBO minimise, and what does that direction do to the widths of q "
                "(lecture 04, and the text after the lecture's fit)?",
                "The reverse KL gives each factor the posterior's mean and the conditional "
                "variance 1/Λᵢᵢ, with Λ = Σ⁻¹. Scale each coordinate to unit variance (the "
                "fraction and the KL do not change): Σ has 1 on its diagonal and ρ off it. "
                "Then use the Gaussian KL of the lecture.",
                "1/Λᵢᵢ = 1 − ρ². With equal means, KL(q‖p) = ½[tr(Λ Σ_q) − 2 + "
                "log(det Σ / det Σ_q)]; here the trace is 2 and det Σ/det Σ_q = 1/(1 − ρ²).",
            ],
            solution_code="rho = -0.92\n"
            "fraction = 1 - rho**2  # 1/Lambda_00 over Sigma_00, in unit-variance coordinates\n"
            "gap = -0.5 * np.log(1 - rho**2)  # 0.5 [2 - 2 + log(det Sigma / det Sigma_q)]\n"
            "mean_field_fit = np.array([fraction, gap])\n"
            "# The same -0.5 log(1 - rho^2) is also the *forward* KL(p || q') to the q' with the\n"
            "# marginal variances: in 2-D both equal the mutual information of w0 and w1. Only\n"
            "# the reverse KL answers the question, and it gives the narrower factors.",
        ),
        "q9": ValueExercise(
            prompt="In the model z ~ N(0, 1), x | z ~ N(z, 0.5²) (noise standard deviation "
            "0.5, not the lecture's 1) with x = 2, the reparameterisation estimate of "
            "∂ELBO/∂μ for q = N(0.5, 0.6²) averages S terms g(z_j) = d log p(x, z)/dz at "
            "z_j = μ + sε_j, with independent ε_j ~ N(0, 1). What is the smallest S for which "
            "the standard deviation of this estimate is at most 0.07? A whole number.",
            variable="reparam_draws",
            reference=reparam_draws,
            args=(0.5**2, 0.6, 0.07),
            rtol=1e-9,
            mistakes=REPARAM_MISTAKES,
            hints=[
                "Write g(z) for this model, put z = μ + sε in, and see which part of it is random.",
                "log p(x, z) = −z²/2 − (x − z)²/(2·0.25) + const, so g(z) = −z + 4(x − z) = "
                "4x − 5z, whose random part at z = μ + sε is −5sε. An average of S "
                "independent terms has variance Var(g)/S.",
                "One term has standard deviation 5s = 3, so the estimate has 3/√S. Solve "
                "3/√S ≤ 0.07 for S and round up.",
            ],
            solution_code="mu, s, noise_var, target = 0.5, 0.6, 0.5**2, 0.07\n"
            "# g(z) = -z + (x - z) / noise_var; at z = mu + s*eps its random part is\n"
            "# -(1 + 1/noise_var) * s * eps, whatever x and mu are\n"
            "sd_one = (1 + 1 / noise_var) * s  # standard deviation of one term: 3\n"
            "reparam_draws = int(np.ceil((sd_one / target) ** 2))  # sd_one / sqrt(S) <= target",
        ),
    },
)
