"""Exact answers and mistake rules of the exercises of lecture 06 (``lecture06`` holds the
prompts, hints and solutions, and the answers and rules of exercises 7 and 9; the models are
described there)."""

import numpy as np

from coursekit.exercises import mistakes as m

LOG_2PI = float(np.log(2 * np.pi))


# -- the conjugate model, in closed form ---------------------------------------------------------


def log_normal(v, mean, var):
    """log N(v; mean, var), with var a variance."""
    return -0.5 * (LOG_2PI + np.log(var)) - (v - mean) ** 2 / (2 * var)


def kl_gauss(m1, s1, m2, s2):
    """KL(N(m1, s1²) ‖ N(m2, s2²)), standard deviations s1, s2, in nats."""
    return np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


def log_joint(x, z):
    return log_normal(z, 0.0, 1.0) + log_normal(x, z, 1.0)


def log_evidence(x):
    return log_normal(x, 0.0, 2.0)


def reconstruction(x, mu, s):
    """E_q[log N(x; z, 1)] = −½ log 2π − ((x − μ)² + s²)/2."""
    return -0.5 * LOG_2PI - ((x - mu) ** 2 + s**2) / 2


def kl_prior(mu, s):
    """KL(N(μ, s²) ‖ N(0, 1)) = ½(μ² + s² − 1 − log s²)."""
    return 0.5 * (mu**2 + s**2 - 1 - np.log(s**2))


def elbo(x, mu, s):
    """ELBO of q = N(μ, s²), in nats: reconstruction − KL to the prior."""
    return reconstruction(x, mu, s) - kl_prior(mu, s)


# -- q1: the evidence from the joint and the posterior at one z ----------------------------------


def evidence_from_posterior(x, z, posterior_var=0.5):
    """log p(x) = log p(x, z) − log p(z | x), the same at every z."""
    return log_joint(x, z) - log_normal(z, x / 2, posterior_var)


EVIDENCE_MISTAKES = [
    m.missing_minus(
        "Your value has the right size but the wrong sign. Bayes' theorem gives "
        "p(x) = p(x, z)/p(z | x), so log p(x) = log p(x, z) − log p(z | x): the joint first, "
        "the posterior subtracted. (A density of x below 1 has a negative log.)",
    ),
    m.confused_with(
        "posterior variance used as standard deviation",
        lambda x, z: evidence_from_posterior(x, z, 0.5**2),
        "You used 0.5 as the posterior's standard deviation; 0.5 is its variance, so its "
        "standard deviation is √0.5 ≈ 0.7071.",
    ),
    m.confused_with(
        "likelihood for the joint",
        lambda x, z: log_normal(x, z, 1.0) - log_normal(z, x / 2, 0.5),
        "You divided the likelihood p(x | z) by the posterior. Bayes needs the joint, "
        "p(x) = p(x, z)/p(z | x) with p(x, z) = p(x | z) p(z): add log p(z) = log N(z; 0, 1).",
    ),
    m.confused_with(
        "posterior added",
        lambda x, z: log_joint(x, z) + log_normal(z, x / 2, 0.5),
        "You added log p(z | x). Since p(x) = p(x, z)/p(z | x), its log subtracts the log "
        "posterior from the log joint.",
    ),
    m.confused_with(
        "the log joint alone",
        log_joint,
        "That is log p(x, z) at z = 0, the log *joint*. It still depends on z; dividing by "
        "the posterior p(z | x) removes that dependence and leaves p(x): subtract "
        "log p(z = 0 | x) = log N(0; 1.5, 0.5).",
    ),
    m.confused_with(
        "the log posterior alone",
        lambda x, z: log_normal(z, x / 2, 0.5),
        "That is log p(z = 0 | x) = log N(0; 1.5, 0.5), the log *posterior* alone. Bayes "
        "gives p(x) = p(x, z)/p(z | x): start from the log joint and subtract this.",
    ),
    m.confused_with(
        "the log joint at z = 1",
        lambda x, z: log_joint(x, 1.0),
        "That is log p(x, z) at z = 1, the log joint alone. Subtract the log posterior at the "
        "same z: log p(x) = log p(x, z) − log p(z | x), and the question takes z = 0.",
    ),
    m.confused_with(
        "log base 10",
        lambda x, z: evidence_from_posterior(x, z) / np.log(10),
        "Your logarithms are base 10 (np.log10): nats use the natural log, np.log.",
    ),
    m.confused_with(
        "p(x) instead of log p(x)",
        lambda x, z: np.exp(evidence_from_posterior(x, z)),
        "That is p(x) itself, a density value; the question asks for its log, in nats.",
    ),
    m.confused_with(
        "the lecture's x = 2",
        lambda x, z: evidence_from_posterior(2.0, z),
        "That is log p(x) for the lecture's observation x = 2. This exercise observes x = 3: "
        "the joint, the posterior N(1.5, 0.5) and the evidence all change with x.",
    ),
    m.confused_with(
        "variance of z alone for the evidence",
        lambda x, z: log_normal(x, 0.0, 1.0),
        "That is log N(3; 0, 1): you gave x the prior's variance 1. But x = z + noise adds "
        "the noise's variance too, p(x) = N(x; 0, 2); the joint and the posterior give it "
        "without that reasoning.",
    ),
    m.bits_for_nats(),
]


# -- q2: the mean μ at which the ELBO of q = N(μ, s²) takes a given value -----------------------


def larger_root(elbo_of, x, s, target):
    """The larger μ with elbo_of(x, μ, s) = target; every ELBO here (even a wrong one) is a
    quadratic or a line in μ, so three values of it give its coefficients."""
    f0, f1, fm = (elbo_of(x, mu, s) for mu in (0.0, 1.0, -1.0))
    a, b, c = (f1 + fm) / 2 - f0, (f1 - fm) / 2, f0 - target
    if abs(a) < 1e-12:
        return -c / b
    disc = b * b - 4 * a * c
    if disc < 0:
        return np.nan
    return max((-b + np.sqrt(disc)) / (2 * a), (-b - np.sqrt(disc)) / (2 * a))


def elbo_root(x, s, target):
    return larger_root(elbo, x, s, target)


def _root_rule(name, wrong_elbo, message):
    return m.confused_with(name, lambda x, s, t: larger_root(wrong_elbo, x, s, t), message)


ROOT_MISTAKES = [
    m.confused_with(
        "the smaller root",
        lambda x, s, t: x - elbo_root(x, s, t),  # the roots are symmetric about x/2
        "That is the *smaller* of the two means with ELBO = −4.5; the question asks for the "
        "larger. Notice that the two lie symmetrically about 1.5 = x/2, the posterior mean.",
    ),
    _root_rule(
        "the lecture's x = 2",
        lambda x, mu, s: elbo(2.0, mu, s),
        "That is the larger μ for the lecture's observation x = 2 (its elbo(mu, s) reads the "
        "x = 2 set above it). Here x = 3: pass x in, or set it before calling.",
    ),
    _root_rule(
        "KL to the prior added",
        lambda x, mu, s: reconstruction(x, mu, s) + kl_prior(mu, s),
        "Your ELBO adds KL(q‖p(z)) to the reconstruction term; the ELBO subtracts it: "
        "ELBO = ⟨log p(x|z)⟩_q − KL(q‖p(z)). (Fitting the data is rewarded, straying from the "
        "prior is penalised.)",
    ),
    _root_rule(
        "KL to the prior left out",
        lambda x, mu, s: reconstruction(x, mu, s),
        "Your ELBO is only the reconstruction term ⟨log p(x|z)⟩_q. Subtract the KL to the "
        "prior, KL(q‖p(z)) = ½(μ² + s² − 1 − log s²).",
    ),
    _root_rule(
        "log p(x|z) at the mean of q",
        lambda x, mu, s: elbo(x, mu, s) + s**2 / 2,
        "Your reconstruction term is log p(x|z) at z = μ, not its average over q: it misses "
        "the s² of ⟨(x − z)²⟩_q = (x − μ)² + s². A wider q predicts x less sharply, and the "
        "ELBO must pay for it.",
    ),
    _root_rule(
        "log s for log s²",
        lambda x, mu, s: reconstruction(x, mu, s) - 0.5 * (mu**2 + s**2 - 1 - np.log(s)),
        "Your KL to the prior has ½ log s where it needs ½ log s² = log s: the formula is "
        "½(μ² + s² − 1 − log s²), with the variance s² inside the log.",
    ),
    _root_rule(
        "sign of log s²",
        lambda x, mu, s: reconstruction(x, mu, s) - 0.5 * (mu**2 + s**2 - 1 + np.log(s**2)),
        "Your KL to the prior has + log s² where the formula has − log s²: "
        "KL(q‖p(z)) = ½(μ² + s² − 1 − log s²), which is 0 at q = p(z) (μ = 0, s = 1).",
    ),
    _root_rule(
        "variance used as standard deviation",
        lambda x, mu, s: elbo(x, mu, s**2),
        "You gave q the standard deviation s² = 0.25 instead of s = 0.5: the variance was used "
        "where the formula takes the standard deviation.",
    ),
    _root_rule(
        "standard deviation used as variance",
        lambda x, mu, s: elbo(x, mu, np.sqrt(s)),
        "You treated 0.5 as q's variance; it is its standard deviation, so the variance in the "
        "formulas is s² = 0.25.",
    ),
]


# -- q3: the gap of that q, from the identity ------------------------------------------------


def gap_of_root(x, s, target):
    """KL(q‖p(z|x)) = log p(x) − ELBO(q) for the q with ELBO(q) = target."""
    return log_evidence(x) - target


def _root_q(x, s, target):
    return elbo_root(x, s, target), s


GAP_MISTAKES = [
    m.missing_minus(
        "Your value has the right size but the wrong sign: you computed ELBO − log p(x). "
        "The gap log p(x) − ELBO(q) is KL(q‖p(z|x)), never negative: the ELBO is a *lower* "
        "bound.",
    ),
    m.confused_with(
        "the lecture's x = 2",
        lambda x, s, t: log_evidence(2.0) - t,
        "You used log p(x) of the lecture's x = 2. Here x = 3, whose log evidence you found "
        "in exercise 1.",
    ),
    m.confused_with(
        "variance of z alone for the evidence",
        lambda x, s, t: log_normal(x, 0.0, 1.0) - t,
        "Your log p(x) is log N(3; 0, 1), which makes the KL negative, impossible. x = z + noise "
        "adds the two variances: p(x) = N(x; 0, 2) (exercise 1).",
    ),
    m.confused_with(
        "forward KL",
        lambda x, s, t: kl_gauss(x / 2, np.sqrt(0.5), *_root_q(x, s, t)),
        "That is the forward KL(p(z|x)‖q), with the two distributions swapped. The gap is the "
        "*reverse* KL(q‖p(z|x)) = ⟨log q(z) − log p(z|x)⟩_q: averaged under q, like the ELBO "
        "it completes.",
    ),
    m.confused_with(
        "KL to the prior",
        lambda x, s, t: kl_prior(*_root_q(x, s, t)),
        "That is KL(q‖p(z)), the KL to the *prior* N(0, 1) inside the ELBO. The gap is the KL "
        "to the *posterior*, KL(q‖p(z|x)) = log p(x) − ELBO(q).",
    ),
    m.confused_with(
        "posterior variance used as standard deviation",
        lambda x, s, t: kl_gauss(*_root_q(x, s, t), x / 2, 0.5),
        "You gave the posterior a standard deviation of 0.5; 0.5 is its variance, so its "
        "standard deviation is √0.5 ≈ 0.7071.",
    ),
    m.bits_for_nats(),
]


# -- q4: a Monte Carlo ELBO from given draws ----------------------------------------------------


def _mc_terms(x, mu, s, eps, prior=True, log_q="density"):
    x, mu, s = (float(v) for v in (x, mu, s))
    eps = np.asarray(eps, dtype=float)
    z = mu + s * eps
    joint = log_normal(x, z, 1.0) + (log_normal(z, 0.0, 1.0) if prior else 0.0)
    if log_q == "density":
        return joint - log_normal(z, mu, s**2)
    if log_q == "s² as std":
        return joint - log_normal(z, mu, s**4)
    if log_q == "of eps":
        return joint - log_normal(eps, 0.0, 1.0)
    if log_q == "entropy":
        return joint + 0.5 * np.log(2 * np.pi * np.e * s**2)
    return joint


def mc_elbo(x, mu, s, eps):
    """The average over the draws of log p(x, z_j) − log q(z_j), z_j = μ + s ε_j."""
    return float(np.mean(_mc_terms(x, mu, s, eps)))


def _mc_rule(name, message, **options):
    """A mistaken mc_elbo: the terms of ``_mc_terms`` made with ``options``, averaged."""
    return m.confused_with(
        name, lambda x, mu, s, eps: float(np.mean(_mc_terms(x, mu, s, eps, **options))), message
    )


MC_MISTAKES = [
    m.missing_minus(
        "Your function returns −ELBO, the loss that optimisers minimise: right size, wrong "
        "sign. The terms are log p(x, z_j) − log q(z_j), the log joint first."
    ),
    m.confused_with(
        "the exact ELBO",
        lambda x, mu, s, eps: elbo(x, mu, s),
        "Your function returns the exact ELBO of the closed form: it ignores the draws eps. "
        "The question asks for the Monte Carlo estimate from these draws, the average of "
        "log p(x, z_j) − log q(z_j) at z_j = mu + s·eps_j (it scatters around the exact value).",
    ),
    _mc_rule(
        "log q left out",
        "Your function averages log p(x, z_j) only. Each term is log p(x, z_j) − log q(z_j): "
        "without −log q the entropy of q is missing, and nothing stops q collapsing to a point.",
        log_q=None,
    ),
    _mc_rule(
        "log q from the density of eps",
        "You used log N(eps_j; 0, 1) for log q(z_j). The density of z = μ + sε is "
        "N(ε; 0, 1)/s (stretching by s spreads the same probability over s times the width), "
        "so log q(z_j) = log N(z_j; μ, s²) = log N(eps_j; 0, 1) − log s.",
        log_q="of eps",
    ),
    _mc_rule(
        "log q with s² as its standard deviation",
        "Your log q(z_j) uses s² as the standard deviation, as norm(mu, s**2) in scipy.stats "
        "would: scipy's norm(loc, scale) and coursekit's Gaussian(mean, std) take the standard "
        "deviation s. The samples z_j = mu + s·eps_j were right.",
        log_q="s² as std",
    ),
    _mc_rule(
        "exact entropy for −log q",
        "You added the exact entropy h(q) = ½ log(2πe s²) to the average of log p(x, z_j), as "
        "the lecture's logistic-regression code does. That is a fine estimator too (with less "
        "noise), but this question asks for the plain average of log p(x, z_j) − log q(z_j) "
        "over the given draws.",
        log_q="entropy",
    ),
    _mc_rule(
        "prior left out of the joint",
        "Your log p(x, z) is only the likelihood log N(x; z, 1). The joint is "
        "p(x, z) = p(x | z) p(z): add log p(z) = log N(z; 0, 1).",
        prior=False,
    ),
    m.Mistake(
        "variance used as standard deviation",
        "Your function uses s² where the formulas take s: z_j = mu + s·eps_j with s the standard "
        "deviation, and log q(z) = log N(z; mu, s²) with s² the variance.",
        m.variance_passed_as_std(2).transform,
    ),
    m.sum_for_mean(lambda x, mu, s, eps: len(eps)),
]


# -- q8: the best mean-field q of a correlated Gaussian ---------------------------------------


def _fit(ratio, gap):
    return lambda rho: np.array([ratio(rho), gap(rho)])


#: For a 2-D Gaussian posterior with correlation ρ, the best factorised q (maximum ELBO) has
#: each variance a fraction 1 − ρ² of the marginal one, and its gap is −½ log(1 − ρ²).
mean_field_fit = _fit(lambda rho: 1 - rho**2, lambda rho: -0.5 * np.log(1 - rho**2))
GRID_RHO = -0.92263  # the correlation of the lecture's grid posterior (printed as −0.9226)
FIT_GAP = 0.9596  # the gap of the lecture's own mean-field fit (printed to 4 decimals)


def _marginal_gap(rho):
    """KL(q‖p) for the factorised q with the *marginal* variances (the forward-KL fit)."""
    return 0.5 * (2 / (1 - rho**2) - 2 + np.log(1 - rho**2))


def _scaled_fit(ratio_factor, gap_factor):
    return lambda ref: lambda rho: ref(rho) * np.array([ratio_factor, gap_factor])


MEAN_FIELD_MISTAKES = [
    m.confused_with(
        "marginal variances, forward KL",
        _fit(lambda rho: 1.0, lambda rho: mean_field_fit(rho)[1]),
        "Your q has the posterior's *marginal* variances: that is the fit of the forward "
        "KL(p‖q), and your gap is that forward KL. (It is the right number by coincidence: "
        "in 2-D both KLs equal the mutual information of w₀ and w₁.) The ELBO's best q "
        "minimises the *reverse* KL(q‖p), whose factors take the conditional variances "
        "1/Λᵢᵢ, narrower than the marginal ones.",
    ),
    m.confused_with(
        "marginal variances",
        _fit(lambda rho: 1.0, _marginal_gap),
        "You gave q the posterior's marginal variances (the forward-KL fit) and computed its "
        "reverse KL. The ELBO's best mean-field q minimises that reverse KL(q‖p) over the "
        "variances too: its factors have the smaller variances 1/Λᵢᵢ, and its gap is smaller.",
    ),
    m.Mistake(
        "missing ½",
        "Your gap is twice the answer: a ½ is missing in front of the log-determinant term "
        "of the Gaussian KL.",
        _scaled_fit(1.0, 2.0),
    ),
    m.Mistake(
        "the gap's sign",
        "Your gap is negative: log p(D) − ELBO(q) is KL(q‖posterior), never negative.",
        _scaled_fit(1.0, -1.0),
    ),
    m.Mistake(
        "standard deviations",
        "Your first number is a ratio of standard deviations, √(1/Λ₀₀ / Σ₀₀); the question "
        "asks for the ratio of the *variances* (square it).",
        lambda ref: lambda rho: ref(rho) ** np.array([0.5, 1.0]),
    ),
    m.Mistake(
        "ratio upside down",
        "Your first number is the marginal variance over the factor's variance, Σ₀₀ Λ₀₀; "
        "the question asks for the factor's variance as a fraction of the marginal one.",
        lambda ref: lambda rho: ref(rho) ** np.array([-1.0, 1.0]),
    ),
    m.confused_with(
        "ρ for ρ²",
        _fit(lambda rho: 1 - rho, lambda rho: -0.5 * np.log(1 - rho)),
        "You used ρ where the formulas have ρ²: for unit variances det Σ = 1 − ρ² and "
        "1/Λᵢᵢ = 1 − ρ², which depend on the strength of the correlation, not on its sign.",
    ),
    m.confused_with(
        "the grid's correlation",
        lambda rho: mean_field_fit(GRID_RHO),
        "You used the grid's correlation −0.9226 of the lecture's posterior; the question "
        "sets ρ = −0.92 exactly (a round number, for a Gaussian that is not the grid's "
        "posterior).",
    ),
    m.Predicate(
        "the fit's own gap",
        "Your gap is that of the lecture's mean-field fit, 0.9596 nats, to the real "
        "posterior, which is not Gaussian. The question asks for a Gaussian posterior with "
        "ρ = −0.92 exactly: compute the KL between the best factorised q and it.",
        lambda result, args, expected: result.shape == (2,) and abs(result[1] - FIT_GAP) < 6e-5,
        lambda ref: lambda rho: np.array([1 - rho**2, FIT_GAP]),
    ),
    m.Mistake(
        "bits instead of nats",
        "Your gap is in bits, but the question asks for nats: use the natural logarithm.",
        _scaled_fit(1.0, 1 / np.log(2)),
    ),
]
