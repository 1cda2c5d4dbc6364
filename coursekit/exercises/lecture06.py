"""Exercises of lecture 06 (Variational inference).

The conjugate model of the lecture: z ~ N(0, 1), x | z ~ N(z, 1) (noise standard deviation
σ = 1), posterior N(x/2, 1/2), evidence N(x; 0, 2); q = N(μ, s²) with s its standard
deviation. The non-conjugate model: Bayesian logistic regression with weights w = (w₀, w₁),
prior N(0, 2² I) and p(y = 1 | w) = sigm(w₀ + w₁ x).
"""

import numpy as np

from coursekit.exercises import ChoiceExercise, ExerciseSet, FunctionExercise, ValueExercise
from coursekit.exercises import mistakes as m

LOG_2PI = float(np.log(2 * np.pi))
PRIOR_VAR = 2.0**2  # prior variance of each logistic-regression weight


# -- the conjugate model, in closed form ---------------------------------------------------------


def _log_normal(v, mean, var):
    """log N(v; mean, var), with var a variance."""
    return -0.5 * (LOG_2PI + np.log(var)) - (v - mean) ** 2 / (2 * var)


def _kl_gauss(m1, s1, m2, s2):
    """KL(N(m1, s1²) ‖ N(m2, s2²)), standard deviations s1, s2, in nats."""
    return np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


def _log_joint(x, z):
    return _log_normal(z, 0.0, 1.0) + _log_normal(x, z, 1.0)


def _log_evidence(x):
    return _log_normal(x, 0.0, 2.0)


def _posterior(x):
    """Mean and standard deviation of p(z | x) = N(x/2, 1/2)."""
    return x / 2, np.sqrt(0.5)


def _reconstruction(x, mu, s):
    """E_q[log N(x; z, 1)] = −½ log 2π − ((x − μ)² + s²)/2."""
    return -0.5 * LOG_2PI - ((x - mu) ** 2 + s**2) / 2


def _kl_prior(mu, s):
    """KL(N(μ, s²) ‖ N(0, 1)) = ½(μ² + s² − 1 − log s²)."""
    return 0.5 * (mu**2 + s**2 - 1 - np.log(s**2))


def _elbo(x, mu, s):
    """ELBO of q = N(μ, s²), in nats: reconstruction − KL to the prior."""
    return _reconstruction(x, mu, s) - _kl_prior(mu, s)


def _gap(x, mu, s):
    return _log_evidence(x) - _elbo(x, mu, s)


# -- q1: the evidence from the joint and the posterior at one z ----------------------------------


def _evidence_from_posterior(x, z):
    """log p(x) = log p(x, z) − log p(z | x), the same at every z."""
    mean, std = _posterior(x)
    return _log_joint(x, z) - _log_normal(z, mean, std**2)


def _evidence_posterior_var_as_std(x, z):
    mean, std = _posterior(x)
    return _log_joint(x, z) - _log_normal(z, mean, std**4)


def _evidence_likelihood_for_joint(x, z):
    mean, std = _posterior(x)
    return _log_normal(x, z, 1.0) - _log_normal(z, mean, std**2)


def _evidence_posterior_added(x, z):
    mean, std = _posterior(x)
    return _log_joint(x, z) + _log_normal(z, mean, std**2)


# -- q2 to q4: mistakes in the ELBO of a Gaussian q ------------------------------------------------


def _negated(message: str) -> m.Mistake:
    """The sign flipped; ``message`` says what the flipped quantity is."""
    return m.Mistake(
        "wrong sign",
        message,
        lambda reference: lambda *args: -np.asarray(reference(*args), dtype=float),
    )


def _kl_added(x, mu, s):
    return _reconstruction(x, mu, s) + _kl_prior(mu, s)


def _without_width(x, mu, s):
    """log p(x | z) at z = μ instead of its average over q: the s² of ⟨(x − z)²⟩ left out."""
    return _elbo(x, mu, s) + s**2 / 2


def _kl_prior_swapped(x, mu, s):
    """KL(p(z) ‖ q) subtracted instead of KL(q ‖ p(z))."""
    return _reconstruction(x, mu, s) - _kl_gauss(0.0, 1.0, mu, s)


def _log_s_for_log_s2(x, mu, s):
    """½ log s where the KL to the prior has ½ log s² = log s."""
    return _reconstruction(x, mu, s) - 0.5 * (mu**2 + s**2 - 1 - np.log(s))


def _log_evidence_of(x, mu, s):
    return _log_evidence(x)


def _std_argument(transform, name: str, message: str) -> m.Mistake:
    """A mistake made with q's standard deviation (the last argument) transformed."""

    def make(reference):
        def mistaken(*args):
            *rest, s = args
            return reference(*rest, transform(np.asarray(s, dtype=float)))

        return mistaken

    return m.Mistake(name, message, make)


VARIANCE_FOR_STD = _std_argument(
    np.square,
    "variance used as standard deviation",
    "Your result is the ELBO of a q whose standard deviation is s², not s: the variance was "
    "used where the formula takes the standard deviation. q = N(μ, s²) is written with its "
    "variance s²; its standard deviation is s (here q = N(1.2, 0.5²) has s = 0.5).",
)
STD_FOR_VARIANCE = _std_argument(
    np.sqrt,
    "standard deviation used as variance",
    "Your result treats s as a variance: it has s where the formulas have s² (in "
    "⟨(x − z)²⟩ = (x − μ)² + s² and in the KL ½(μ² + s² − 1 − log s²)). s is q's standard "
    "deviation; square it.",
)

ELBO_SIGN = _negated(
    "Your value has the right size but the wrong sign: it is −ELBO, the loss that optimisers "
    "minimise. The ELBO here cannot be positive, because it is at most log p(x) = "
    "log N(x; 0, 2), which is negative for this x."
)
KL_ADDED = m.confused_with(
    "KL to the prior added",
    _kl_added,
    "You added KL(q‖p(z)) to the reconstruction term; the ELBO subtracts it: "
    "ELBO = ⟨log p(x|z)⟩_q − KL(q‖p(z)). (Fitting the data is rewarded, straying from the "
    "prior is penalised.)",
)
KL_LEFT_OUT = m.confused_with(
    "KL to the prior left out",
    _reconstruction,
    "That is only the reconstruction term ⟨log p(x|z)⟩_q. Subtract the KL to the prior, "
    "KL(q‖p(z)) = ½(μ² + s² − 1 − log s²).",
)
WITHOUT_WIDTH = m.confused_with(
    "log p(x|z) at the mean of q",
    _without_width,
    "Your reconstruction term is log p(x|z) at z = μ, not its average over q: it misses the "
    "s² of ⟨(x − z)²⟩_q = (x − μ)² + s² (write z = μ + sε and average over ε). A wider q "
    "predicts x less sharply, and the ELBO must pay for it.",
)
KL_PRIOR_SWAPPED = m.confused_with(
    "KL to the prior swapped",
    _kl_prior_swapped,
    "You subtracted KL(p(z)‖q), the KL with its two distributions swapped. The ELBO's term "
    "is KL(q‖p(z)) = ⟨log q(z) − log p(z)⟩_q, averaged under q like everything in the ELBO: "
    "for q = N(μ, s²) and p(z) = N(0, 1) it is ½(μ² + s² − 1 − log s²).",
)
LOG_S = m.confused_with(
    "log s for log s²",
    _log_s_for_log_s2,
    "Your KL to the prior has ½ log s where it needs ½ log s² = log s: the formula is "
    "½(μ² + s² − 1 − log s²), with the variance s² inside the log.",
)


# -- q3: the gap -----------------------------------------------------------------------------------


def _forward_kl_posterior(x, mu, s):
    mean, std = _posterior(x)
    return _kl_gauss(mean, std, mu, s)


def _gap_posterior_var_as_std(x, mu, s):
    mean, std = _posterior(x)
    return _kl_gauss(mu, s, mean, std**2)


def _gap_prior_evidence(x, mu, s):
    return _log_normal(x, 0.0, 1.0) - _elbo(x, mu, s)


# -- q7: the gradient of the logistic-regression log joint -----------------------------------------


def _sigm(eta):
    return 1 / (1 + np.exp(-eta))


def _grad_parts(w, x, y):
    w, x, y = (np.asarray(a, dtype=float) for a in (w, x, y))
    residual = y - _sigm(w[0] + w[1] * x)
    return np.array([residual.sum(), (residual * x).sum()]), w


def _grad_log_joint(w, x, y):
    """∇_w log p(D, w) = Σ_i (y_i − sigm(η_i)) (1, x_i) − w/2²."""
    likelihood, w = _grad_parts(w, x, y)
    return likelihood - w / PRIOR_VAR


def _grad_residual_flipped(w, x, y):
    likelihood, w = _grad_parts(w, x, y)
    return -likelihood - w / PRIOR_VAR


def _grad_without_prior(w, x, y):
    likelihood, _ = _grad_parts(w, x, y)
    return likelihood


def _grad_prior_std(w, x, y):
    likelihood, w = _grad_parts(w, x, y)
    return likelihood - w / np.sqrt(PRIOR_VAR)


def _grad_prior_added(w, x, y):
    likelihood, w = _grad_parts(w, x, y)
    return likelihood + w / PRIOR_VAR


def _grad_without_x(w, x, y):
    likelihood, w = _grad_parts(w, x, y)
    return np.array([likelihood[0], likelihood[0]]) - w / PRIOR_VAR


# -- q8: the mean-field gap of a correlated Gaussian -----------------------------------------------


def _mean_field_gap(rho):
    """KL(q‖p) of the best factorised q to a 2-D Gaussian p with correlation ρ: −½ log(1 − ρ²)."""
    return -0.5 * np.log(1 - rho**2)


def _mean_field_gap_marginals(rho):
    """KL(q‖p) for the factorised q with the *marginal* variances (the forward-KL fit)."""
    return 0.5 * (2 / (1 - rho**2) - 2 + np.log(1 - rho**2))


# -- q9: the variance of the reparameterisation gradient -------------------------------------------


def _reparam_variance(x, mu, s, samples):
    """Variance of the average of ``samples`` terms g(μ + sε) = x − 2(μ + sε): (2s)²/S."""
    return (2 * s) ** 2 / samples


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
            reference=_evidence_from_posterior,
            args=(3.0, 0.0),
            unit="nats",
            digits=6,
            mistakes=[
                _negated(
                    "Your value has the right size but the wrong sign. Bayes' theorem gives "
                    "p(x) = p(x, z)/p(z | x), so log p(x) = log p(x, z) − log p(z | x): the "
                    "joint first, the posterior subtracted."
                ),
                m.confused_with(
                    "posterior variance used as standard deviation",
                    _evidence_posterior_var_as_std,
                    "You used 0.5 as the posterior's standard deviation; 0.5 is its variance, "
                    "so its standard deviation is √0.5 ≈ 0.7071.",
                ),
                m.confused_with(
                    "likelihood for the joint",
                    _evidence_likelihood_for_joint,
                    "You divided the likelihood p(x | z) by the posterior. Bayes needs the "
                    "joint, p(x) = p(x, z)/p(z | x) with p(x, z) = p(x | z) p(z): add "
                    "log p(z) = log N(z; 0, 1).",
                ),
                m.confused_with(
                    "posterior added",
                    _evidence_posterior_added,
                    "You added log p(z | x). Since p(x) = p(x, z)/p(z | x), its log "
                    "subtracts the log posterior from the log joint.",
                ),
            ],
            hints=[
                "Bayes' theorem: p(z | x) = p(x, z)/p(x), so p(x) = p(x, z)/p(z | x) at any z.",
                "log p(x, z) = log N(z; 0, 1) + log N(x; z, 1) and log p(z | x) = "
                "log N(z; 1.5, 0.5), with log N(v; m, var) = −½ log(2π·var) − (v − m)²/(2·var).",
            ],
            solution_code="x, z = 3.0, 0.0\n"
            "log_prior = -0.5 * np.log(2 * np.pi) - z**2 / 2\n"
            "log_likelihood = -0.5 * np.log(2 * np.pi) - (x - z) ** 2 / 2\n"
            "log_posterior = -0.5 * np.log(2 * np.pi * 0.5) - (z - 1.5) ** 2 / (2 * 0.5)\n"
            "log_evidence_x3 = log_prior + log_likelihood - log_posterior",
        ),
        "q2": ValueExercise(
            prompt="In the same model, with x = 3, the ELBO of q = N(1.2, 0.5²) (mean 1.2, "
            "standard deviation 0.5), in nats, to 6 significant figures.",
            variable="elbo_q",
            reference=_elbo,
            args=(3.0, 1.2, 0.5),
            unit="nats",
            digits=6,
            mistakes=[
                ELBO_SIGN,
                KL_ADDED,
                KL_LEFT_OUT,
                WITHOUT_WIDTH,
                KL_PRIOR_SWAPPED,
                LOG_S,
                VARIANCE_FOR_STD,
                STD_FOR_VARIANCE,
                m.confused_with(
                    "log evidence",
                    _log_evidence_of,
                    "That is log p(x), which the ELBO bounds from below. The ELBO of this q is "
                    "smaller, by KL(q‖p(z|x)), because q is not the posterior N(1.5, 0.5).",
                ),
            ],
            hints=[
                "ELBO = ⟨log p(x|z)⟩_q − KL(q‖p(z)), with p(x|z) = N(x; z, 1) and p(z) = N(0, 1).",
                "⟨log N(x; z, 1)⟩_q = −½ log(2π) − ((x − μ)² + s²)/2 and KL(N(μ, s²)‖N(0, 1)) "
                "= ½(μ² + s² − 1 − log s²), with μ = 1.2 and s = 0.5.",
            ],
            solution_code="x, mu, s = 3.0, 1.2, 0.5\n"
            "reconstruction = -0.5 * np.log(2 * np.pi) - ((x - mu) ** 2 + s**2) / 2\n"
            "kl_prior = 0.5 * (mu**2 + s**2 - 1 - np.log(s**2))\n"
            "elbo_q = reconstruction - kl_prior",
        ),
        "q3": ValueExercise(
            prompt="For the same model, data and q = N(1.2, 0.5²), the gap log p(x) − ELBO(q) "
            "in nats, to 6 significant figures. Compute it both as log p(x) − ELBO(q) and as a "
            "KL divergence between q and the posterior N(1.5, 0.5): the two must agree.",
            variable="gap_q",
            reference=_gap,
            args=(3.0, 1.2, 0.5),
            unit="nats",
            digits=6,
            mistakes=[
                _negated(
                    "Your value has the right size but the wrong sign: you computed "
                    "ELBO − log p(x). The gap log p(x) − ELBO(q) is KL(q‖p(z|x)), never "
                    "negative: the ELBO is a *lower* bound."
                ),
                m.confused_with(
                    "the ELBO itself",
                    _elbo,
                    "That is the ELBO, not the gap. The gap is log p(x) − ELBO(q), with "
                    "log p(x) = log N(3; 0, 2).",
                ),
                m.confused_with(
                    "forward KL",
                    _forward_kl_posterior,
                    "That is the forward KL(p(z|x)‖q), with the two distributions swapped. The "
                    "gap is the *reverse* KL(q‖p(z|x)) = ⟨log q(z) − log p(z|x)⟩_q: averaged "
                    "under q, like the ELBO it completes.",
                ),
                m.confused_with(
                    "posterior variance used as standard deviation",
                    _gap_posterior_var_as_std,
                    "You gave the posterior a standard deviation of 0.5; 0.5 is its variance, "
                    "so its standard deviation is √0.5 ≈ 0.7071.",
                ),
                m.confused_with(
                    "prior variance for the evidence",
                    _gap_prior_evidence,
                    "Your log p(x) uses N(x; 0, 1). The evidence of x = z + noise adds the "
                    "variances of z and of the noise: p(x) = N(x; 0, 1 + 1) = N(x; 0, 2).",
                ),
                m.confused_with(
                    "log evidence",
                    lambda x, mu, s: _log_evidence(x),
                    "That is log p(x) itself. The gap is log p(x) minus the ELBO of q "
                    "(exercise 2).",
                ),
            ],
            hints=[
                "log p(x) = log N(x; 0, 1 + 1) for this model; subtract the ELBO of exercise 2.",
                "Or: the gap is KL(q‖p(z|x)) = KL(N(1.2, 0.5²)‖N(1.5, 0.5)) — mind which "
                "numbers are variances, and which distribution comes first.",
            ],
            solution_code="x, mu, s = 3.0, 1.2, 0.5\n"
            "log_evidence = -0.5 * np.log(2 * np.pi * 2) - x**2 / (2 * 2)\n"
            "elbo_q = -0.5 * np.log(2 * np.pi) - ((x - mu) ** 2 + s**2) / 2 "
            "- 0.5 * (mu**2 + s**2 - 1 - np.log(s**2))\n"
            "gap_q = log_evidence - elbo_q\n"
            "# the same number as KL(q || posterior) = KL(N(1.2, 0.5^2) || N(1.5, 0.5)):\n"
            "kl = np.log(np.sqrt(0.5) / s) + (s**2 + (mu - 1.5) ** 2) / (2 * 0.5) - 0.5\n"
            "assert np.isclose(gap_q, kl)",
        ),
        "q4": FunctionExercise(
            prompt="Write elbo(x, mu, s): the ELBO, in nats, of q = N(mu, s²) (s is q's "
            "standard deviation) for one observation x in the model z ~ N(0, 1), "
            "x | z ~ N(z, 1). It is checked on four cases to a relative tolerance of 1e-6.",
            variable="elbo",
            signature="elbo(x, mu, s)",
            reference=_elbo,
            cases=[(2.0, 0.0, 1.0), (-1.0, 0.5, 2.0), (0.3, -0.2, 0.3), (4.0, 1.0, 0.8)],
            mistakes=[
                _negated(
                    "Your function returns −ELBO, the loss that optimisers minimise: right size, "
                    "wrong sign. The ELBO is ⟨log p(x|z)⟩_q − KL(q‖p(z)), a lower bound on "
                    "log p(x)."
                ),
                KL_ADDED,
                KL_LEFT_OUT,
                WITHOUT_WIDTH,
                KL_PRIOR_SWAPPED,
                LOG_S,
                _std_argument(
                    np.square,
                    "variance used as standard deviation",
                    "Your function computes the ELBO of a q whose standard deviation is s², not "
                    "s: the variance was used where the formula takes the standard deviation "
                    "(in Gaussian(mean, std), say). The argument s is q's standard deviation.",
                ),
                STD_FOR_VARIANCE,
            ],
            hints=[
                "Reconstruction: −½ log(2π) − ((x − μ)² + s²)/2 (the s² comes from averaging "
                "(x − z)² over q).",
                "KL(N(μ, s²)‖N(0, 1)) = ½(μ² + s² − 1 − log s²); ELBO = reconstruction − KL.",
            ],
            solution_code="def elbo(x, mu, s):\n"
            "    reconstruction = -0.5 * np.log(2 * np.pi) - ((x - mu) ** 2 + s**2) / 2\n"
            "    kl_prior = 0.5 * (mu**2 + s**2 - 1 - np.log(s**2))\n"
            "    return reconstruction - kl_prior",
        ),
        "q5": ChoiceExercise(
            prompt="A classmate's code prints ELBO = +3.42 nats for a q in a model where "
            "log p(x) = −2.27 nats. What is wrong?",
            variable="answer_wrong_elbo",
            options={
                "a": "nothing: the ELBO can exceed log p(x) for a good q",
                "b": "the sign: the code returns the negative ELBO (the loss to minimise)",
                "c": "the posterior was computed wrongly",
                "d": "the data x should have been standardised first",
            },
            answer="b",
            explanations={
                "a": "Never: ELBO(q) = log p(x) − KL(q‖p(z|x)) and the KL is ≥ 0, so the ELBO is "
                "at most log p(x) = −2.27. A value above it is a bug.",
                "b": "+3.42 is −(−3.42): the code returns the loss −ELBO that optimisers "
                "minimise. An ELBO above log p(x) is impossible, so a sign error is the first "
                "suspect.",
                "c": "The ELBO never uses the posterior: that is its point. It needs only the "
                "joint p(x, z) and q.",
                "d": "Rescaling the data changes log p(x) and the ELBO together; it cannot push "
                "the ELBO above the evidence.",
            },
            hints=["Which of ELBO and log p(x) is always the larger?"],
            solution_code='answer_wrong_elbo = "b"',
        ),
        "q6": ChoiceExercise(
            prompt="True or false: maximising the ELBO over q minimises the forward KL "
            "KL(p(z|x)‖q).",
            variable="answer_elbo_forward",
            options={True: "true", False: "false"},
            answer=False,
            explanations={
                True: "It minimises the *reverse* KL(q‖p(z|x)): log p(x) = ELBO(q) + "
                "KL(q‖p(z|x)), with expectations under q. That is why VI is mode seeking and "
                "tends to underestimate posterior variance.",
                False: "Maximising the ELBO minimises the reverse KL(q‖p(z|x)), since "
                "log p(x) = ELBO(q) + KL(q‖p(z|x)): VI inherits the mode seeking of lecture 04.",
            },
            hints=["Write log p(x) − ELBO(q) as an expectation: under which distribution?"],
            solution_code="answer_elbo_forward = False",
        ),
        "q7": FunctionExercise(
            prompt="Write gradient_logistic(w, x, y): the gradient ∇_w log p(D, w), a vector of "
            "length 2, of Bayesian logistic regression with weights w = (w₀, w₁), prior "
            "N(0, 2² I) and p(y_i = 1 | w) = sigm(w₀ + w₁ x_i), for data arrays x and y (labels "
            "0 or 1). It is checked on four cases to a relative tolerance of 1e-6.",
            variable="gradient_logistic",
            signature="gradient_logistic(w, x, y)",
            reference=_grad_log_joint,
            kind="a gradient vector",
            cases=[
                (
                    np.array([0.0, 0.0]),
                    np.array([0.5, 1.5, 2.0, 3.0]),
                    np.array([0.0, 0.0, 1.0, 1.0]),
                ),
                (
                    np.array([-2.0, 1.0]),
                    np.array([0.5, 1.5, 2.0, 3.0]),
                    np.array([0.0, 0.0, 1.0, 1.0]),
                ),
                (np.array([1.0, -0.5]), np.array([-1.0, 0.2, 2.5]), np.array([1.0, 0.0, 0.0])),
                (
                    np.array([-2.3, 1.2]),
                    np.array([2.2, 1.5, 1.6, -0.4, 3.8, 3.1]),
                    np.array([1.0, 0.0, 0.0, 0.0, 1.0, 1.0]),
                ),
            ],
            mistakes=[
                _negated(
                    "Your function returns ∇ of −log p(D, w), the loss: right size, wrong sign. "
                    "Gradient *ascent* on the ELBO needs ∇ log p(D, w) itself."
                ),
                m.confused_with(
                    "residual flipped",
                    _grad_residual_flipped,
                    "The likelihood part has the wrong sign: d/dη [yη − log(1 + e^η)] = "
                    "y − sigm(η), not sigm(η) − y. (The prior part −w/2² was right.)",
                ),
                m.confused_with(
                    "prior left out",
                    _grad_without_prior,
                    "Your gradient is that of the log-likelihood only. The prior N(0, 2² I) adds "
                    "log N(w; 0, 2² I), whose gradient is −w/2².",
                ),
                m.confused_with(
                    "prior standard deviation for variance",
                    _grad_prior_std,
                    "Your prior term is −w/2: the gradient of −‖w‖²/(2·2²) is −w/2² = −w/4, "
                    "with the prior's variance 2² = 4, not its standard deviation 2.",
                ),
                m.confused_with(
                    "prior added",
                    _grad_prior_added,
                    "Your prior term has the wrong sign: log N(w; 0, 2² I) = −‖w‖²/8 + const "
                    "falls away from 0, so its gradient −w/4 points back towards 0.",
                ),
                m.confused_with(
                    "slope without x",
                    _grad_without_x,
                    "Your slope component misses the x_i: η_i = w₀ + w₁ x_i, so "
                    "∂η_i/∂w₁ = x_i and the slope's component is Σ_i (y_i − sigm(η_i)) x_i − w₁/4.",
                ),
            ],
            hints=[
                "Each label contributes y_i η_i − log(1 + e^{η_i}) with η_i = w₀ + w₁ x_i; "
                "d/dη log(1 + e^η) = sigm(η) = 1/(1 + e^{−η}).",
                "∇_w log p(D, w) = Σ_i (y_i − sigm(η_i)) (1, x_i) − w/2².",
            ],
            solution_code="def gradient_logistic(w, x, y):\n"
            "    residual = y - 1 / (1 + np.exp(-(w[0] + w[1] * x)))\n"
            "    return np.array([residual.sum(), (residual * x).sum()]) - w / 2**2",
        ),
        "q8": ValueExercise(
            prompt="Suppose the logistic-regression posterior were exactly Gaussian, with "
            "correlation ρ = −0.92 between w₀ and w₁. The best full-covariance q would then be "
            "the posterior itself (gap 0). By how many nats would the ELBO of the best "
            "mean-field q stay below log p(D)? To 6 significant figures.",
            variable="mean_field_gap",
            reference=_mean_field_gap,
            args=(-0.92,),
            unit="nats",
            digits=6,
            mistakes=[
                _negated(
                    "Your value has the right size but the wrong sign. The gap "
                    "log p(D) − ELBO(q) is KL(q‖posterior), never negative."
                ),
                m.confused_with(
                    "missing ½",
                    lambda rho: -np.log(1 - rho**2),
                    "Your value is twice the answer: a ½ is missing. The gap is −½ log(1 − ρ²).",
                ),
                m.confused_with(
                    "ρ for ρ²",
                    lambda rho: -0.5 * np.log(1 - rho),
                    "You used ρ where the formula has ρ²: the gap −½ log(1 − ρ²) depends on "
                    "the strength of the correlation, not on its sign.",
                ),
                m.confused_with(
                    "marginal variances",
                    _mean_field_gap_marginals,
                    "You gave q the posterior's marginal variances (the forward-KL fit). The "
                    "ELBO's best mean-field q minimises the *reverse* KL(q‖p), whose factors "
                    "have the smaller variances 1/Λᵢᵢ (lecture 04); its gap is smaller.",
                ),
                m.bits_for_nats(),
            ],
            hints=[
                "The gap is KL(q‖p) for the best factorised q: the right means and variances "
                "1/Λᵢᵢ, with Λ = Σ⁻¹ (lecture 04).",
                "With equal means, KL(q‖p) = ½[tr(Λ Σ_q) − 2 + log(det Σ / det Σ_q)]; here the "
                "trace is 2 and det Σ/det Σ_q = 1/(1 − ρ²).",
            ],
            solution_code="rho = -0.92\nmean_field_gap = -0.5 * np.log(1 - rho**2)",
        ),
        "q9": ValueExercise(
            prompt="In the conjugate model z ~ N(0, 1), x | z ~ N(z, 1) with x = 2, the "
            "reparameterisation estimate of ∂ELBO/∂μ for q = N(0.5, 0.6²) averages "
            "S = 64 terms g(z_j) = d log p(x, z)/dz at z_j = μ + sε_j. What is the variance of "
            "this estimate? Exactly, to 6 significant figures.",
            variable="reparam_variance",
            reference=_reparam_variance,
            args=(2.0, 0.5, 0.6, 64),
            digits=6,
            mistakes=[
                m.confused_with(
                    "one sample",
                    lambda x, mu, s, n: (2 * s) ** 2,
                    "That is the variance of one term g(z_j). The estimate averages S = 64 "
                    "independent terms, which divides the variance by S.",
                ),
                m.confused_with(
                    "divided by √S",
                    lambda x, mu, s, n: (2 * s) ** 2 / np.sqrt(n),
                    "You divided by √S: averaging S independent terms divides the *standard "
                    "deviation* by √S and the variance by S.",
                ),
                m.confused_with(
                    "standard deviation",
                    lambda x, mu, s, n: 2 * s / np.sqrt(n),
                    "That is the standard deviation of the estimate; the question asks for its "
                    "variance (the square).",
                ),
                m.confused_with(
                    "prior term left out",
                    lambda x, mu, s, n: s**2 / n,
                    "Your g keeps only the likelihood's (x − z). d log p(x, z)/dz = −z + (x − z) "
                    "= x − 2z: the prior N(0, 1) contributes −z too, so g(μ + sε) = x − 2μ − 2sε.",
                ),
                m.confused_with(
                    "s used as variance",
                    lambda x, mu, s, n: 4 * s / n,
                    "You used s where the variance s² belongs: Var(2sε) = 4s²·Var(ε) = 4s², with "
                    "s = 0.6 q's standard deviation.",
                ),
            ],
            hints=[
                "d log p(x, z)/dz = −z + (x − z) = x − 2z; with z = μ + sε this is "
                "x − 2μ − 2sε. Which part of it varies?",
                "Var(x − 2μ − 2sε) = 4s² for ε ~ N(0, 1); the average of S independent terms "
                "has variance 4s²/S.",
            ],
            solution_code="x, mu, s, S = 2.0, 0.5, 0.6, 64\n"
            "reparam_variance = (2 * s) ** 2 / S  # Var(x - 2*(mu + s*eps)) / S",
        ),
    },
)
