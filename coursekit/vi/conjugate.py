r"""The conjugate Gaussian model: posterior, evidence and ELBO in closed form.

Introduced in lecture 06 (Variational inference).
"""

from __future__ import annotations

import numpy as np

from coursekit import _validate as check
from coursekit.gaussians import Gaussian, gaussian_kl, log_normaliser, normal_logpdf
from coursekit.vi._checks import q_gaussian

__all__ = ["ConjugateGaussian"]


class ConjugateGaussian:
    r"""The conjugate Gaussian model z ~ N(0, σ₀²), x | z ~ N(z, σ²), everything in closed form.

    ``prior_std`` is σ₀ and ``noise_std`` is σ (standard deviations, not variances). With
    precisions λ₀ = 1/σ₀², λ = 1/σ²:

    .. math:: p(z \mid x) = N\Big(\frac{\lambda x}{\lambda_0 + \lambda},
              \frac1{\lambda_0 + \lambda}\Big), \qquad p(x) = N(x; 0, \sigma_0^2 + \sigma^2).

    With σ₀ = σ = 1 and x = 2: posterior N(1, 0.5), log p(x) = −½ ln(4π) − 1 = −2.265512
    nats.

    Introduced in lecture 06 (Variational inference).

    >>> model = ConjugateGaussian(1.0, 1.0)
    >>> model.posterior(2.0)
    Gaussian(mean=1, std=0.7071067811865476)
    >>> round(model.log_evidence(2.0), 6)
    -2.265512
    """

    def __init__(self, prior_std: float = 1.0, noise_std: float = 1.0):
        self.prior_std = check.positive_scalar(prior_std, "prior_std")
        self.noise_std = check.positive_scalar(noise_std, "noise_std")
        self.prior = Gaussian(0.0, self.prior_std)

    def __repr__(self) -> str:
        return f"ConjugateGaussian(prior_std={self.prior_std:g}, noise_std={self.noise_std:g})"

    @property
    def posterior_precision(self) -> float:
        """λ₀ + λ = 1/σ₀² + 1/σ², the curvature −d² log p(x, z)/dz² (the same for every x)."""
        return 1.0 / self.prior_std**2 + 1.0 / self.noise_std**2

    def posterior(self, x) -> Gaussian:
        r"""The exact posterior p(z | x) = N(λx/(λ₀ + λ), 1/(λ₀ + λ))."""
        x = check.finite_scalar(x, "x")
        precision = self.posterior_precision
        return Gaussian(x / self.noise_std**2 / precision, np.sqrt(1.0 / precision))

    def log_evidence(self, x) -> float:
        r"""log p(x) = log N(x; 0, σ₀² + σ²) in nats (the marginal likelihood)."""
        x = check.finite_scalar(x, "x")
        return float(Gaussian(0.0, np.hypot(self.prior_std, self.noise_std)).logpdf(x))

    def log_joint(self, z, x):
        r"""log p(x, z) = log N(z; 0, σ₀²) + log N(x; z, σ²), elementwise over ``z``."""
        x = check.finite_scalar(x, "x")
        z = check.as_float_array(z, "z")
        out = normal_logpdf(z, 0.0, self.prior_std) + normal_logpdf(x, z, self.noise_std)
        return check.as_result(out)

    def grad_log_joint(self, z, x):
        r"""d log p(x, z)/dz = −z/σ₀² + (x − z)/σ², elementwise over ``z``."""
        x = check.finite_scalar(x, "x")
        z = check.as_float_array(z, "z")
        return check.as_result(-z / self.prior_std**2 + (x - z) / self.noise_std**2)

    def reconstruction(self, x, q: Gaussian) -> float:
        r"""E_q[log p(x | z)] = −½ log(2πσ²) − ((x − μ)² + s²)/(2σ²) for q = N(μ, s²), nats."""
        x = check.finite_scalar(x, "x")
        q = q_gaussian(q)
        b = self.noise_std**2
        return float(
            -log_normaliser(np.log(self.noise_std)) - ((x - q.mean) ** 2 + q.var) / (2 * b)
        )

    def kl_to_prior(self, q: Gaussian) -> float:
        r"""KL(q‖p(z)) with p(z) = N(0, σ₀²), in closed form (nats)."""
        return gaussian_kl(q_gaussian(q), self.prior)

    def elbo(self, x, q: Gaussian) -> float:
        r"""The ELBO of a Gaussian q = N(μ, s²) in closed form, in nats.

        .. math:: \mathrm{ELBO}(q) = \mathbb E_q[\log p(x \mid z)] + \mathbb E_q[\log p(z)]
                  + H(q) = \underbrace{-\tfrac12\log(2\pi\sigma^2)
                  - \frac{(x-\mu)^2 + s^2}{2\sigma^2}}_{\text{reconstruction}}
                  - KL(q \,\|\, N(0, \sigma_0^2))

        It equals log p(x) − KL(q‖p(z | x)) ≤ log p(x), with equality only at the posterior.
        σ₀ = σ = 1, x = 2: ELBO(N(0, 1)) = −3.418939, a gap of 1.153426 nats.
        """
        return self.reconstruction(x, q) - self.kl_to_prior(q)

    def elbo_gradient(self, x, q: Gaussian) -> np.ndarray:
        r"""The exact gradient of :meth:`elbo` with respect to (μ, log s).

        .. math:: \partial_\mu \mathrm{ELBO} = \frac{x - \mu}{\sigma^2} - \frac{\mu}{\sigma_0^2},
                  \qquad \partial_{\log s} \mathrm{ELBO} = 1 - s^2 (\lambda_0 + \lambda)
        """
        x = check.finite_scalar(x, "x")
        q = q_gaussian(q)
        return np.array(
            [
                (x - q.mean) / self.noise_std**2 - q.mean / self.prior_std**2,
                1.0 - q.var * self.posterior_precision,
            ]
        )
