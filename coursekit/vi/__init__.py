r"""Variational inference: the ELBO, its Monte Carlo estimates and gradients, Gaussian VI.

For a latent-variable model p(x, z) = p(x | z) p(z) and any density q(z),

.. math:: \log p(x) = \underbrace{\mathbb E_q[\log p(x, z)] + H(q)}_{\mathrm{ELBO}(q)}
          + KL(q \,\|\, p(z \mid x)),

so the ELBO is a lower bound on the log evidence, and maximising it over q is minimising the
*reverse* KL(q‖posterior) (the course's convention: P is the target, Q the model). Equivalently
ELBO(q) = E_q[log p(x | z)] − KL(q‖p(z)), "reconstruction minus KL to the prior".

* :class:`ConjugateGaussian` (:mod:`~coursekit.vi.conjugate`): z ~ N(0, σ₀²), x | z ~ N(z, σ²);
  posterior, evidence and the ELBO of any Gaussian q in closed form, so q = posterior reaches
  the bound exactly.
* :func:`elbo_mc` (:mod:`~coursekit.vi.monte_carlo`): the Monte Carlo ELBO for a Gaussian q
  (z = μ + L ε, the reparameterisation).
* :func:`reparam_gradient`, :func:`score_gradient` and :func:`gradient_moments`: the two
  unbiased estimators of ∇ELBO for a 1-D Gaussian q, and the exact mean and covariance of one
  sample of each (Gauss–Hermite quadrature), so their variances can be compared exactly.
* :class:`LogisticRegression2D` (:mod:`~coursekit.vi.logistic`): the lecture's non-conjugate
  model (Bayesian logistic regression with an intercept and a slope on 24 synthetic points),
  with its posterior on a fine grid as ground truth (:meth:`LogisticRegression2D.grid_posterior`).
* :func:`fit_gaussian_vi` (:mod:`~coursekit.vi.gaussian_vi`): Gaussian VI by stochastic
  gradient ascent (Adam) with reparameterised gradients, mean-field or full covariance;
  :func:`gaussian_elbo` evaluates the ELBO of a multivariate Gaussian q by quadrature (for the
  ELBO trace).

Every ELBO, evidence and KL is in nats. A "model" for the multivariate functions is any object
with ``dim`` (the number k of latent coordinates), ``log_joint(z)`` and ``grad_log_joint(z)``
vectorised over z of shape (..., k). Bad input raises ``ValueError`` saying what to fix.

Introduced in lecture 06 (Variational inference).
"""

from coursekit.vi.conjugate import ConjugateGaussian
from coursekit.vi.gaussian_vi import VIFit, fit_gaussian_vi, gaussian_elbo
from coursekit.vi.logistic import GridPosterior, LogisticRegression2D
from coursekit.vi.monte_carlo import (
    GradientEstimate,
    GradientMoments,
    MonteCarlo,
    elbo_mc,
    gradient_moments,
    reparam_gradient,
    score_gradient,
)

__all__ = [
    "ConjugateGaussian",
    "MonteCarlo",
    "elbo_mc",
    "GradientEstimate",
    "GradientMoments",
    "reparam_gradient",
    "score_gradient",
    "gradient_moments",
    "LogisticRegression2D",
    "GridPosterior",
    "gaussian_elbo",
    "VIFit",
    "fit_gaussian_vi",
]

# doctest.testmod(coursekit.vi) searches only what this file defines; __test__ hands it the
# submodules' functions and classes, so their examples run in this namespace.
__test__ = {name: globals()[name] for name in __all__}
