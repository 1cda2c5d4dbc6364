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
        # Between 1e-100 and 1e100 the textbook formulas (with σ², 1/σ²) cannot over- or
        # underflow; outside, everything is written with ratios of standard deviations.
        self._ordinary = all(1e-100 <= v <= 1e100 for v in (self.prior_std, self.noise_std))

    def __repr__(self) -> str:
        return f"ConjugateGaussian(prior_std={self.prior_std:g}, noise_std={self.noise_std:g})"

    @property
    def posterior_precision(self) -> float:
        """λ₀ + λ = 1/σ₀² + 1/σ², the curvature −d² log p(x, z)/dz² (the same for every x);
        ``inf`` if it exceeds the largest float (σ₀ or σ below 1e-154)."""
        if self._ordinary:
            return 1.0 / self.prior_std**2 + 1.0 / self.noise_std**2
        a, b = 1.0 / self.prior_std, 1.0 / self.noise_std
        return a * a + b * b

    def posterior(self, x) -> Gaussian:
        r"""The exact posterior p(z | x) = N(λx/(λ₀ + λ), 1/(λ₀ + λ)).

        Equivalently mean x σ₀²/(σ₀² + σ²) and std σ₀σ/√(σ₀² + σ²), the form used when σ₀
        or σ lies outside [1e-100, 1e100], so the posterior is right for any σ₀, σ > 0.
        """
        x = check.finite_scalar(x, "x")
        if self._ordinary:
            precision = self.posterior_precision
            return Gaussian(x / self.noise_std**2 / precision, np.sqrt(1.0 / precision))
        small, large = sorted((self.prior_std, self.noise_std))
        ratio = small / large
        std = small / np.sqrt(1.0 + ratio * ratio)
        if self.prior_std >= self.noise_std:  # x σ₀²/(σ₀² + σ²) = x / (1 + (σ/σ₀)²)
            mean = x / (1.0 + ratio * ratio)
        else:  # = x ρ² / (1 + ρ²) with ρ = σ₀/σ
            mean = x * ratio * ratio / (1.0 + ratio * ratio)
        return Gaussian(mean, std)

    def log_evidence(self, x) -> float:
        r"""log p(x) = log N(x; 0, σ₀² + σ²) in nats (the marginal likelihood)."""
        x = check.finite_scalar(x, "x")
        return float(Gaussian(0.0, np.hypot(self.prior_std, self.noise_std)).logpdf(x))

    def log_joint(self, z, x):
        r"""log p(x, z) = log N(z; 0, σ₀²) + log N(x; z, σ²), elementwise over ``z``."""
        x = check.finite_scalar(x, "x")
        z = check.as_float_array(z, "z")
        with np.errstate(over="ignore"):  # a square beyond 1e308: log p = −inf
            out = normal_logpdf(z, 0.0, self.prior_std) + normal_logpdf(x, z, self.noise_std)
        return check.as_result(out)

    def grad_log_joint(self, z, x):
        r"""d log p(x, z)/dz = −z/σ₀² + (x − z)/σ², elementwise over ``z``."""
        x = check.finite_scalar(x, "x")
        z = check.as_float_array(z, "z")
        if self._ordinary:
            with np.errstate(over="ignore"):
                return check.as_result(-z / self.prior_std**2 + (x - z) / self.noise_std**2)
        with np.errstate(over="ignore", invalid="ignore"):
            out = (
                -(z / self.prior_std) / self.prior_std + ((x - z) / self.noise_std) / self.noise_std
            )
        return check.as_result(out)

    def reconstruction(self, x, q: Gaussian) -> float:
        r"""E_q[log p(x | z)] = −½ log(2πσ²) − ((x − μ)² + s²)/(2σ²) for q = N(μ, s²), nats.

        Computed as −½ log(2πσ²) − ½ [((x − μ)/σ)² + (s/σ)²], which forms no σ², so it is right
        for tiny or huge σ (and −inf only where the true value is below −1e308).
        """
        x = check.finite_scalar(x, "x")
        q = q_gaussian(q)
        d, r = (x - q.mean) / self.noise_std, q.std / self.noise_std
        return float(-log_normaliser(np.log(self.noise_std)) - 0.5 * (d * d + r * r))

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

        (written with ratios of standard deviations, so tiny or huge σ₀, σ, s do not overflow).
        """
        x = check.finite_scalar(x, "x")
        q = q_gaussian(q)
        a, b = q.std / self.prior_std, q.std / self.noise_std
        return np.array(
            [
                ((x - q.mean) / self.noise_std) / self.noise_std
                - (q.mean / self.prior_std) / self.prior_std,
                1.0 - (a * a + b * b),
            ]
        )
