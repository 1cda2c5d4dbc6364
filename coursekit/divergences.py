r"""Between the two KLs: Minka's α-divergence family and the Gaussian that minimises it.

For densities p and q and 0 < α < 1 we use Minka's convention ("Divergence measures and message
passing", Microsoft Research TR-2005-173, eq. 5):

.. math:: D_\alpha(p \,\|\, q) = \frac{1}{\alpha(1-\alpha)}
          \int \big[\alpha\, p(x) + (1-\alpha)\, q(x) - p(x)^\alpha q(x)^{1-\alpha}\big]\, dx

(nats; ≥ 0, and 0 only when p = q). Its limits are the two KLs of lecture 04:
α → 1 gives the forward KL(p‖q) (mass covering), α → 0 the reverse KL(q‖p) (mode seeking), and
α = ½ is symmetric, D_½ = 4 H²(p, q) with the squared Hellinger distance
H²(p, q) = ½ ∫ (√p − √q)² dx = 1 − ∫ √(p q) dx. Also D_α(p‖q) = D_{1−α}(q‖p). (Amari's
α' = 2α − 1 parametrises the same family; some texts swap the roles of p and q.)

The integrals are one-dimensional and computed on a grid that holds both densities' mass
(±12 standard deviations of every component, :func:`coursekit.quadrature.mass_grid`): the
trapezoid rule on a fine uniform grid, which converges geometrically for these smooth,
Gaussian-tailed integrands, or Gauss–Legendre panels fitted to every component, to the
tempered product p^α q^{1−α} and to the sharp bends of log p between narrow modes, where a
uniform grid cannot resolve them (e.g. N(0, 10⁻⁶) against N(0, 100), or modes of width
0.05). Near α = 0 and α = 1 the formula is evaluated in a form without cancellation (module
code, :func:`alpha_divergence`). The integrand αp + (1 − α)q − p^α q^{1−α} is ≥ 0 at every
x (weighted AM–GM), so a rounding residue below 0 is returned as 0.

Introduced in lecture 07 (Between the two KLs).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from coursekit import _validate as check
from coursekit.fitting import fit_forward_kl, fit_reverse_kl
from coursekit.fitting._target import common_unit
from coursekit.gaussians import Gaussian, as_density, components, log_normaliser, spread
from coursekit.quadrature import mass_grid

__all__ = ["alpha_divergence", "hellinger_squared", "fit_alpha"]


def _density(d, name: str):
    return as_density(d, name, "Gaussian(0, 1) or Mixture.symmetric(3)")


def _alpha(alpha) -> float:
    alpha = check.finite_scalar(alpha, "alpha")
    if not 0 <= alpha <= 1:
        raise ValueError(
            f"alpha must be between 0 and 1 (0 gives the reverse KL(q‖p), 1 the forward "
            f"KL(p‖q), ½ four times the squared Hellinger distance), but got {alpha:g}."
        )
    return alpha


def _tempered(p, q, alpha: float) -> list[tuple[float, float]]:
    """(centre, std) of p_i^α q_j^{1−α} ∝ N(m, 1/λ), λ = α/s_i² + (1−α)/t_j², for every pair
    of components: where the integrand's product term lives. Computed from logs (no s²)."""
    if alpha in (0.0, 1.0):
        return []
    out = []
    for a in components(p):
        for b in components(q):
            la = np.log(alpha) - 2 * np.log(a.std)
            lb = np.log1p(-alpha) - 2 * np.log(b.std)
            share = float(expit(la - lb))  # α/s² / λ
            std = float(np.exp(-0.5 * np.logaddexp(la, lb)))
            out.append((share * a.mean + (1 - share) * b.mean, std))
    return out


def _frame(*densities) -> tuple[float, float]:
    """(shift, unit) such that x' = (x − shift)/unit leaves both divergences unchanged and
    keeps every density resolvable: ``unit`` a power of two (:func:`common_unit`), so that
    densities beyond 1e±100 neither overflow the grid nor lose digits, and ``shift`` the mean
    of the narrowest component where it sits more than 1e4 of its stds from 0 (a float x near
    2e7 cannot resolve a component 0.01 wide to better than 4e-7 of its std)."""
    unit = common_unit(*densities)
    narrowest = min((c for d in densities for c in components(d)), key=lambda c: c.std)
    shift = narrowest.mean if abs(narrowest.mean) > 1e4 * narrowest.std else 0.0
    return shift, unit


def _into(d, shift: float, unit: float):
    """A Gaussian or Mixture in the frame x' = (x − shift)/unit of :func:`_frame`."""
    if shift == 0.0 and unit == 1.0:
        return d
    moved = [Gaussian((c.mean - shift) / unit, c.std / unit) for c in components(d)]
    return moved[0] if isinstance(d, Gaussian) else type(d)(d.weights, moved)


def _in_common_units(p, q):
    """p and q in the frame of :func:`_frame`."""
    shift, unit = _frame(p, q)
    return _into(p, shift, unit), _into(q, shift, unit)


def _grid(p, q, alpha: float):
    return mass_grid(p, q, windows=_tempered(p, q, alpha))


def _expm1_over(t: float, r: np.ndarray) -> np.ndarray:
    """(e^{t r} − 1)/t, and its limit r at t = 0, without overflow (r may be huge)."""
    if t == 0:
        return r
    return np.expm1(np.minimum(t * r, 700.0)) / t


def _divergence(log_a: np.ndarray, log_b: np.ndarray, t: float, w: np.ndarray) -> float:
    r"""D_t(a‖b) for 0 ≤ t ≤ ½ on the grid, in a form without cancellation:

    D_t = [∫ (a − b) − ∫ b (e^{t r} − 1)/t] / (1 − t), r = log a − log b.
    """
    a, b = np.exp(log_a), np.exp(log_b)
    r = log_a - log_b
    # Where t·r is large, b (e^{tr} − 1) = a^t b^{1−t} − b is computed directly.
    big = t * r > 30
    middle = np.where(big, 0.0, b * _expm1_over(t, np.where(big, 0.0, r)))
    if big.any():
        middle[big] = (np.exp(t * log_a[big] + (1 - t) * log_b[big]) - b[big]) / t
    return float(w @ ((a - b) - middle)) / (1 - t)


def alpha_divergence(p, q, alpha, base=None) -> float:
    r"""Minka's α-divergence D_α(p‖q) between two 1-D densities (Gaussians or mixtures).

    .. math:: D_\alpha(p \,\|\, q) = \frac{1}{\alpha(1-\alpha)}
              \int \big[\alpha p + (1-\alpha) q - p^\alpha q^{1-\alpha}\big]\, dx,
              \qquad 0 \le \alpha \le 1,

    with D_1 = KL(p‖q) (forward) and D_0 = KL(q‖p) (reverse), the limits; D_½ = 4 H²(p, q)
    (:func:`hellinger_squared`). Computed on the grid of the module docstring; for α ≤ ½
    as [∫(p − q) − ∫ q (e^{α log(p/q)} − 1)/α]/(1 − α), and for α > ½ through the symmetry
    D_α(p‖q) = D_{1−α}(q‖p), so nothing cancels as α approaches 0 or 1. Accurate to ~1e-10;
    never negative (a rounding residue is returned as 0). For 0 < α < 1 the integral holds
    no logarithm, so D_α has no unit; the factor 1/(α(1−α)) scales it so that its limits
    are the KLs in nats. ``base=2`` rescales the whole family by 1/ln 2, so that its limits
    are the KLs in bits.

    Introduced in lecture 07 (Between the two KLs).

    >>> round(alpha_divergence(Gaussian(0, 1), Gaussian(2, 1), 1.0), 6)  # KL = 2² / 2
    2.0
    """
    p, q = _density(p, "p"), _density(q, "q")
    alpha = _alpha(alpha)
    ln_base = check.log_base(base)
    p, q = _in_common_units(p, q)
    x, w = _grid(p, q, alpha)
    log_p, log_q = np.asarray(p.logpdf(x)), np.asarray(q.logpdf(x))
    if alpha <= 0.5:
        value = _divergence(log_p, log_q, alpha, w)
    else:
        value = _divergence(log_q, log_p, 1 - alpha, w)
    return float(check.in_base(check.nonnegative(value), ln_base))


def hellinger_squared(p, q) -> float:
    r"""The squared Hellinger distance H²(p, q) = ½ ∫ (√p − √q)² dx = 1 − ∫ √(p q) dx.

    Between 0 (p = q) and 1 (disjoint supports); D_½(p‖q) = 4 H²(p, q). For two Gaussians
    1 − H² = √(2σ₁σ₂/(σ₁² + σ₂²)) exp(−(μ₁ − μ₂)²/(4(σ₁² + σ₂²))) (used in the tests).
    Computed on the grid of the module docstring; a rounding residue above 1 is returned
    as 1.

    Introduced in lecture 07 (Between the two KLs).
    """
    p, q = _in_common_units(_density(p, "p"), _density(q, "q"))
    x, w = _grid(p, q, 0.5)
    h2 = float(w @ (0.5 * (np.exp(0.5 * p.logpdf(x)) - np.exp(0.5 * q.logpdf(x))) ** 2))
    return min(h2, 1.0)


class _Objective:
    """D_α(p‖q) and its gradient in the scaled parameters θ = ((μ − c)/s, log(σ/s))."""

    def __init__(self, target, alpha: float, x: np.ndarray, w: np.ndarray):
        self.alpha, self.x, self.w = alpha, x, w
        self.log_p = np.asarray(target.logpdf(x))
        self.centre, self.scale = target.mean, spread(target)

    def gaussian(self, theta) -> Gaussian:
        return Gaussian(self.centre + self.scale * theta[0], self.scale * np.exp(theta[1]))

    def __call__(self, theta):
        mu = self.centre + self.scale * theta[0]
        # A trial step of the line search may ask for an absurd width; keep it finite.
        sigma = self.scale * np.exp(np.clip(theta[1], -700.0, 700.0))
        u = (self.x - mu) / sigma
        log_q = -0.5 * u * u - log_normaliser(np.log(sigma))
        a = self.alpha
        if a <= 0.5:
            value = _divergence(self.log_p, log_q, a, self.w)
        else:
            value = _divergence(log_q, self.log_p, 1 - a, self.w)
        # ∂D/∂θ = −(1/α) ∫ p^α q^{1−α} ∂log q; for α ≤ ½ as −∫ q (e^{α r} − 1)/α ∂log q
        # (∫ q ∂log q = 0), which stays finite as α → 0 (the reverse KL's gradient).
        if a <= 0.5:
            r = self.log_p - log_q
            big = a * r > 30
            weight = np.exp(log_q) * _expm1_over(a, np.where(big, 0.0, r))
            if big.any():
                mixed = np.exp(a * self.log_p[big] + (1 - a) * log_q[big])
                weight[big] = (mixed - np.exp(log_q[big])) / a
        else:
            weight = np.exp(a * self.log_p + (1 - a) * log_q) / a
        weight = weight * self.w
        grad_mu = -(weight @ (u / sigma))  # ∂ log q/∂μ = (x − μ)/σ²
        grad_log_sigma = -(weight @ (u * u - 1))
        return value, np.array([grad_mu * self.scale, grad_log_sigma])


def fit_alpha(target, alpha, init: Gaussian) -> Gaussian:
    r"""The Gaussian q = N(μ, σ²) that (locally) minimises D_α(target‖q), descending from ``init``.

    Minimises :func:`alpha_divergence` over (μ, log σ) with BFGS and the exact gradient

    .. math:: \nabla_\theta D_\alpha = -\frac1\alpha \int p^\alpha q^{1-\alpha}\,
              \nabla_\theta \log q \, dx .

    As α grows the best fit goes from mode seeking to mass covering, and for a two-mode
    target it does not slide but jumps: for p = ½N(−3, 1) + ½N(3, 1) the fit on a mode
    (σ ≈ 1.0 near α = 0, the reverse-KL fit) is the best one up to α ≈ 0.115, a central fit
    beyond, and the fit on the mode, a local optimum from there on, disappears at α ≈ 0.468;
    the central fit ends at moment matching (μ = 0, σ² = 10) at α = 1. The endpoints are
    exactly the lecture-04 fits: ``alpha=0`` returns :func:`coursekit.fitting.fit_reverse_kl`
    from ``init`` and ``alpha=1`` :func:`coursekit.fitting.fit_forward_kl`. Takes a few
    milliseconds.

    Introduced in lecture 07 (Between the two KLs).
    """
    target = _density(target, "target")
    alpha = _alpha(alpha)
    if not isinstance(init, Gaussian):
        raise ValueError(
            f"init must be a Gaussian to start from, e.g. Gaussian(3, 1), not {init!r}."
        )
    if alpha == 0:
        return fit_reverse_kl(target, init)
    if alpha == 1:
        return fit_forward_kl(target)
    shift, unit = _frame(target, init)
    if shift != 0.0 or unit != 1.0:  # fit in the frame of _frame and map the fit back
        q = fit_alpha(_into(target, shift, unit), alpha, _into(init, shift, unit))
        return Gaussian(q.mean * unit + shift, q.std * unit)
    # The grid holds the target, the moment-matched Gaussian (the widest fit) and init.
    widest = fit_forward_kl(target)
    fit = _fit_on_grid(target, alpha, init, widest, init)
    if _ran_away(fit[0], widest):
        # From a start with little of the target under it (between far modes, say) the
        # descent can widen q past anything the grid resolves, where D_α looks small but is
        # not computed: start again from the moment-matched Gaussian, the widest sound fit.
        fit = _fit_on_grid(target, alpha, widest, widest, init)
    # A uniform grid resolves every q between the narrowest and widest of those; panels are
    # fitted to the densities they were built for, so they are rebuilt around the fit and
    # the fit polished on them.
    if fit[1]:
        fit = _fit_on_grid(target, alpha, fit[0], widest, init, fit[0])
    return fit[0]


def _ran_away(fit: Gaussian, widest: Gaussian) -> bool:
    """Whether a fit left the region its grid resolves: wider than three moment-matched
    widths, or centred beyond them (no optimum of D_α, 0 < α < 1, lies out there)."""
    return fit.std > 3 * widest.std or abs(fit.mean - widest.mean) > 3 * widest.std


def _fit_on_grid(target, alpha: float, start: Gaussian, *held) -> tuple[Gaussian, bool]:
    """Minimise D_α(target‖q) from ``start`` on the grid of target and the Gaussians ``held``;
    also say whether that grid was made of panels (not uniform)."""
    windows = [w for g in held for w in _tempered(target, g, alpha)]
    x, w = mass_grid(target, *held, windows=windows)
    objective = _Objective(target, alpha, x, w)
    theta = np.array(
        [(start.mean - objective.centre) / objective.scale, np.log(start.std / objective.scale)]
    )
    result = minimize(objective, theta, jac=True, method="BFGS", options={"gtol": 1e-9})
    panels = x.size > 2 and w[1] != w[len(w) // 2]  # trapezoid weights are all equal inside
    return objective.gaussian(result.x), bool(panels)
