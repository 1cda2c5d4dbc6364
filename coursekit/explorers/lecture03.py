"""Explorers of lecture 03 (KL divergence): the KL integrand and Monte Carlo estimators."""

from __future__ import annotations

from functools import cache

import numpy as np
from matplotlib.patches import Polygon

from coursekit import estimators, plotting
from coursekit.explorers.base import Explorer
from coursekit.gaussians import Gaussian, Mixture, gaussian_kl
from coursekit.quadrature import mass_grid

# -- the KL integrand ----------------------------------------------------------------------------

TARGETS = {"N(0,1)": Gaussian(0.0, 1.0), "bimodal": Mixture.symmetric(2.0)}
TARGET_NAMES = {"N(0,1)": "P = N(0, 1)", "bimodal": "P = ½N(−2, 1) + ½N(2, 1)"}
#: p log(p/q) ≥ −q/e (its minimum over p is at p = q/e), and q peaks at 1/(σ√(2π)) ≤ 0.798 for
#: σ ≥ 0.5: the integrand never goes below −0.294, so the band under it holds the KL readout.
INTEGRAND_FLOOR = -1 / (0.5 * np.sqrt(2 * np.pi) * np.e)
INTEGRAND_LIMITS = (-0.58, 0.8)


def _grid_kl(a, b, points: int = 2401) -> float:
    """KL(a‖b) in nats by the trapezoid rule on an interval holding a's mass (±12σ).

    For the smooth, Gaussian-tailed integrands here the trapezoid rule converges very fast;
    the tests check it against ``scipy.integrate.quad``.
    """
    x, w = mass_grid(a, points=points)
    log_a = a.logpdf(x)
    return float(w @ (np.exp(log_a) * (log_a - b.logpdf(x))))


class KLIntegrandExplorer(Explorer):
    """The integrand p(x) log(p(x)/q(x)) of KL(P‖Q), shaded, as the Gaussian Q moves.

    P is fixed (N(0, 1), or the bimodal ½N(−2, 1) + ½N(2, 1) of lecture 04); Q = N(μ, σ²).
    Where p > q the integrand is positive (purple: Q under-believes what happens), where
    q > p negative (green); the net area is KL(P‖Q) ≥ 0. Both KL(P‖Q) and KL(Q‖P) are printed,
    in closed form for Gaussians and by fine-grid quadrature for the mixture: they differ,
    e.g. KL(N(0,1)‖N(1,2²)) = 0.443 but KL(N(1,2²)‖N(0,1)) = 1.307 nats.
    Introduced in lecture 03 (KL divergence).
    """

    name = "kl_integrand"
    title = "The KL integrand p log(p/q) as Q moves"
    params = {
        "target": {"options": list(TARGETS), "value": "N(0,1)", "label": "target P"},
        "mu": {"min": -2.0, "max": 2.0, "value": 1.0, "step": 0.1, "label": "μ of Q"},
        "sigma": {"min": 0.5, "max": 3.0, "value": 2.0, "step": 0.05, "label": "σ of Q"},
    }
    # Q at −μ mirrors Q at μ for both (symmetric) targets, so the book needs few negative μ.
    book_values = {
        "mu": [-2.0, -1.0, 0.0, 0.5, 1.0, 1.5, 2.0],
        "sigma": [0.5, 1.0, 1.5, 2.0, 3.0],
    }
    figsize = (8.4, 3.3)

    _X = np.linspace(-6, 6, 721)

    @staticmethod
    def compute(target: str, mu: float, sigma: float) -> dict:
        p, q = TARGETS[target], Gaussian(mu, sigma)
        x = KLIntegrandExplorer._X
        log_p, log_q = p.logpdf(x), q.logpdf(x)
        # The areas on either side of zero, on a grid holding all of P's mass.
        wide, w = mass_grid(p, points=2401)
        log_p_wide = p.logpdf(wide)
        f_wide = np.exp(log_p_wide) * (log_p_wide - q.logpdf(wide))
        positive = float(w @ np.clip(f_wide, 0, None))
        negative = float(w @ np.clip(f_wide, None, 0))
        if isinstance(p, Gaussian):
            forward, reverse = gaussian_kl(p, q), gaussian_kl(q, p)
        else:
            forward = positive + negative
            reverse = _grid_kl(q, p)
        integrand = np.exp(log_p) * (log_p - log_q)
        return {
            "target": target,
            "mu": mu,
            "sigma": sigma,
            "p": np.exp(log_p),
            "q": np.exp(log_q),
            "integrand": integrand,
            "positive_area": positive,
            "negative_area": negative,
            "peak": float(integrand.max()),
            "kl_forward": forward,
            "kl_reverse": reverse,
        }

    def build(self, figure) -> None:
        dens, integ = figure.subplots(1, 2)
        x, zeros = self._X, np.zeros_like(self._X)
        box = plotting.text_box()
        self.p_fill = self.animated(
            dens.fill_between(x, zeros, color=plotting.P_COLOR, alpha=0.15, lw=0)
        )
        self.p_line = self.animated(dens.plot(x, zeros, color=plotting.P_COLOR)[0])
        self.q_line = self.animated(dens.plot(x, zeros, color=plotting.Q_COLOR)[0])
        # The names stand in the upper corner away from Q's mean (see ``draw``): P never
        # reaches that high (peak 0.4), and only a narrow Q does, around its mean.
        self.p_name, self.q_name = (
            self.readout(dens, 0.02, y, fontsize=8.5, color=plotting.text_color(c), bbox=box)
            for y, c in ((0.97, plotting.P_COLOR), (0.87, plotting.Q_COLOR))
        )
        dens.set_xlim(-6, 6)
        dens.set_ylim(0, 0.95)
        dens.set_xlabel("x")
        dens.set_ylabel("density")
        dens.set_title("target P and model Q")

        self.pos_fill = self.animated(
            integ.fill_between(x, zeros, color=plotting.KL_COLOR, alpha=0.6, lw=0)
        )
        self.neg_fill = self.animated(
            integ.fill_between(x, zeros, color=plotting.SAVED_COLOR, alpha=0.6, lw=0)
        )
        self.curve = self.animated(integ.plot(x, zeros, color=plotting.INK, lw=1.3)[0])
        integ.axhline(0, color=plotting.GREY, lw=0.8)
        # The readout sits in the band below the integrand's floor, where no curve can go.
        self.kl_text = self.readout(
            integ, 0.015, 0.025, fontsize=8, linespacing=1.4, bbox=box, va="bottom"
        )
        integ.set_xlim(-6, 6)
        integ.set_ylim(*INTEGRAND_LIMITS)
        integ.set_yticks(np.arange(-0.2, 0.81, 0.2))
        integ.set_xlabel("x")
        integ.set_ylabel("p log(p/q) (nats per unit x)")
        integ.set_title("integrand of KL(P‖Q): its net area")

    def narrow_layout(self, figure) -> None:
        # On a phone the readout, in larger type, breaks into three lines: a deeper band
        # below the integrand's floor (−0.294) holds them.
        figure.axes[1].set_ylim(-0.8, INTEGRAND_LIMITS[1])

    def draw(self, result: dict) -> None:
        x, f = self._X, result["integrand"]
        self.p_line.set_ydata(result["p"])
        self.p_fill.set_data(x, 0, result["p"])
        self.q_line.set_ydata(result["q"])
        self.p_name.set_text(TARGET_NAMES[result["target"]])
        self.q_name.set_text(f"Q = N({plotting.number(result['mu'], 2)}, {result['sigma']:.2f}²)")
        side = "right" if result["mu"] < 0 else "left"
        for name in (self.p_name, self.q_name):
            name.set_x(0.98 if side == "right" else 0.02)
            name.set_horizontalalignment(side)
        self.pos_fill.set_data(x, 0, np.clip(f, 0, None))
        self.neg_fill.set_data(x, np.clip(f, None, 0), 0)
        self.curve.set_ydata(f)
        second = f"reverse KL(Q‖P) = {plotting.number(result['kl_reverse'])} nats"
        if result["peak"] > INTEGRAND_LIMITS[1]:
            second += f";  peak {result['peak']:.2f}, off scale"
        positive, negative = _areas(result)
        self.kl_text.set_text(
            f"KL(P‖Q) = {positive} − {negative}"
            f" = {plotting.number(result['kl_forward'])} nats\n{second}"
        )

    def describe(self, result: dict) -> str:
        positive, negative = _areas(result)
        return (
            f"{TARGET_NAMES[result['target']]} and Q = N({plotting.number(result['mu'], 2)}, "
            f"{result['sigma']:.2f}²): the integrand p log(p/q) encloses an area of {positive} "
            f"above zero and {negative} below it, so KL(P‖Q), the first less the second, is "
            f"{plotting.number(result['kl_forward'])} nats, and the reverse KL(Q‖P) = "
            f"{plotting.number(result['kl_reverse'])} nats."
        )


def _areas(result: dict) -> tuple[str, str]:
    """The integrand's area above zero and the size of its area below zero, as text; the
    negative area's sign is said in words ("below", "−"), never printed as −0.000."""
    return plotting.number(result["positive_area"]), plotting.number(-result["negative_area"])


# -- Monte Carlo estimators ----------------------------------------------------------------------

MUS = [0.1, 0.25, 0.5, 1.0, 2.0]
SAMPLE_SIZES = [10, 30, 100, 300, 1000]
REPEATS = 1000
SPREAD_SEED = 2020
WINDOW = (-1.0, 3.0)  # the violins show estimates ÷ true KL in this range
ESTIMATOR_COLORS = {
    "k1": plotting.PALETTE["vermillion"],
    "k2": plotting.PALETTE["purple"],
    "k3": plotting.PALETTE["green"],
}
_Y = np.linspace(*WINDOW, 241)  # where the violins' densities are evaluated
_N_CURVE = np.geomspace(8, 1300, 120)


@cache
def _spread(mu: float, n: int) -> dict:
    """The repeated estimates for Q = N(0, 1), P = N(μ, 1); the seed comes from (μ, n) only."""
    rng = np.random.default_rng([SPREAD_SEED, round(mu * 1000), n])
    return estimators.estimator_spread(Gaussian(0.0, 1.0), Gaussian(mu, 1.0), n, REPEATS, rng)


def _violin(relative: np.ndarray) -> np.ndarray:
    """Gaussian kernel density of the estimates (÷ KL) on ``_Y``, scaled to a maximum of 1.

    The bandwidth is Silverman's robust rule, 0.9 min(std, IQR/1.34) N^(−1/5), which copes
    with the heavy right tail of k3 at large μ.
    """
    q75, q25 = np.percentile(relative, [75, 25])
    scale = min(relative.std(), (q75 - q25) / 1.34) or relative.std() or 1e-3
    bandwidth = 0.9 * scale * relative.size ** (-0.2)
    z = (_Y[:, None] - relative[None, :]) / bandwidth
    density = np.exp(-0.5 * z * z).sum(axis=1)
    return density / density.max() if density.max() > 0 else density


@cache
def _summary(mu: float, n: int) -> dict:
    """Everything the estimator explorer shows for (μ, n), computed once and cached."""
    kl = mu * mu / 2
    exact = estimators.gaussian_shift_moments(mu)
    stats = {}
    for name in estimators.ESTIMATORS:
        s = _spread(mu, n)[name]
        relative = s["estimates"] / kl
        e = exact[name]
        stats[name] = {
            "mean": s["mean"],
            "std": s["std"],
            "bias": s["bias"],
            "estimates": s["estimates"],
            "violin": _violin(relative),
            "above": float(np.mean(relative > WINDOW[1])),
            "below": float(np.mean(relative < WINDOW[0])),
            "negative": float(np.mean(relative < 0)),
            "rms_curve": np.sqrt(e["bias"] ** 2 + e["std"] ** 2 / _N_CURVE) / kl,
            "rms_points": np.array(
                [
                    np.sqrt(np.mean((_spread(mu, m)[name]["estimates"] - kl) ** 2)) / kl
                    for m in SAMPLE_SIZES
                ]
            ),
        }
    return {"mu": mu, "n": n, "kl": kl, "stats": stats}


def _signed_percent(fraction: float, decimals: int = 0) -> str:
    """A fraction as a signed percentage; one that rounds to zero prints as 0%, never −0%.

    >>> _signed_percent(-0.004), _signed_percent(0.24), _signed_percent(-0.0093, 1)
    ('0%', '+24%', '-0.9%')
    """
    value = round(100 * fraction, decimals) + 0.0
    return f"{value:.{decimals}f}%" if value == 0 else f"{value:+.{decimals}f}%"


def _share(fraction: float) -> str:
    """A share of the repeats as a whole percentage; a few that round to 0% or to 100% print as
    "< 1%" or "> 99%", so that a count that is not zero never reads as none (or as all).

    >>> _share(0.0), _share(0.003), _share(0.3), _share(0.996), _share(1.0)
    ('0%', '< 1%', '30%', '> 99%', '100%')
    """
    text = f"{fraction:.0%}"
    if text == "0%" and fraction > 0:
        return "< 1%"
    if text == "100%" and fraction < 1:
        return "> 99%"
    return text


class EstimatorSpreadExplorer(Explorer):
    """Spread of the k1, k2, k3 Monte Carlo estimates of D_KL(Q‖P) against the sample size.

    Q = N(0, 1), P = N(μ, 1), true D_KL(Q‖P) = μ²/2, with r = p/q. For each (μ, n) the explorer
    repeats the estimate from n samples of Q 1000 times (fixed seeds, so the figure is
    reproducible) and shows the distribution of the estimates divided by the true KL: k1 = −log
    r is unbiased but spreads widely (std/KL = 2/μ per sample) and goes negative; k2 = ½(log r)²
    is tight but biased (bias/KL = μ²/4); k3 = (r − 1) − log r is unbiased, never negative and
    tight. The right panel shows the root-mean-square error against n: it falls like 1/√n for k1
    and k3, but levels off at the bias for k2. (At μ = 2 the simulated k3 errors scatter about
    the exact line: its variance comes from rare, very large r, which 1000 repeats sample
    poorly.) Introduced in lecture 03 (KL divergence), after Schulman (2020).
    """

    name = "kl_estimators"
    title = "Monte Carlo estimates of D_KL(Q‖P): bias and spread of k1, k2, k3"
    params = {
        "mu": {"options": MUS, "value": 1.0, "label": "μ of P = N(μ, 1)"},
        "n": {"options": SAMPLE_SIZES, "value": 100, "label": "samples per estimate n"},
    }
    figsize = (8.4, 3.3)

    @staticmethod
    def compute(mu: float, n: int) -> dict:
        return _summary(mu, n)

    def build(self, figure) -> None:
        # Fill the caches for every control value once (a few tenths of a second), so that
        # moving a control only looks results up.
        for mu in MUS:
            for n in SAMPLE_SIZES:
                _summary(mu, n)
        violins, errors = figure.subplots(1, 2, width_ratios=[1.4, 1])
        self.violins, self.means, self.overflow, self.stat_text = {}, {}, {}, {}
        for i, name in enumerate(estimators.ESTIMATORS):
            color = ESTIMATOR_COLORS[name]
            self.violins[name] = self.animated(
                violins.add_patch(
                    Polygon(np.zeros((2, 2)), facecolor=color, alpha=0.55, edgecolor=color, lw=1.2)
                )
            )
            self.means[name] = self.animated(violins.plot([], [], "D", color="black", ms=4.5)[0])
            self.overflow[name] = (
                self.animated(
                    violins.text(i, WINDOW[1] + 0.05, "", ha="center", va="bottom", fontsize=7.5)
                ),
                self.animated(
                    violins.text(i, WINDOW[0] - 0.05, "", ha="center", va="top", fontsize=7.5)
                ),
            )
            self.stat_text[name] = self.animated(
                violins.text(
                    i,
                    WINDOW[0] - 0.4,
                    "",
                    ha="center",
                    va="top",
                    fontsize=7.5,
                    color=plotting.text_color(color),
                    linespacing=1.3,
                )
            )
        violins.axhline(1, color="black", lw=1.2, ls="--")
        violins.axhline(0, color=plotting.GREY, lw=0.8)
        # A column right of the violins holds the labels of the line and of the numbers.
        violins.text(2.58, 1.06, "true KL", ha="left", va="bottom", fontsize=7.5)
        self.kl_label = self.animated(
            violins.text(2.58, 0.94, "", ha="left", va="top", fontsize=7.5)
        )
        violins.text(
            2.6,
            WINDOW[0] - 0.4,
            "as % of\nthe true KL",
            ha="left",
            va="top",
            fontsize=7.5,
            color=plotting.text_color(plotting.GREY),
            linespacing=1.3,
        )
        violins.set_xticks(
            range(3), ["k1\n−log r", "k2\n½ (log r)²", "k3\n(r − 1) − log r"], fontsize=8
        )
        violins.xaxis.set_ticks_position("top")
        violins.tick_params(axis="x", length=0)
        violins.spines["bottom"].set_visible(False)
        violins.set_xlim(-0.5, 3.3)
        violins.set_ylim(WINDOW[0] - 1.25, WINDOW[1] + 0.3)
        violins.set_yticks(np.arange(WINDOW[0], WINDOW[1] + 0.5, 1))
        violins.set_ylabel(f"estimate ÷ true KL ({REPEATS} repeats)")
        violins.grid(axis="x", visible=False)

        # k2 is drawn last (created last: blitting draws in that order), dashed and with
        # smaller circles: at small μ its errors equal k3's (both ≈ μ/√(2n)), and the green
        # line shows through its dashes, a green circle around each of its own.
        self.curves, self.points = {}, {}
        for name in sorted(estimators.ESTIMATORS, key=lambda name: name == "k2"):
            color, on_top = ESTIMATOR_COLORS[name], name == "k2"
            self.curves[name] = self.animated(
                errors.plot(
                    _N_CURVE,
                    _N_CURVE,
                    color=color,
                    lw=1.6,
                    ls=(0, (3, 2)) if on_top else "-",
                    label=name,
                    zorder=2.2 if on_top else 2,
                )[0]
            )
            self.points[name] = self.animated(
                errors.plot(
                    SAMPLE_SIZES,
                    SAMPLE_SIZES,
                    "o",
                    color=color,
                    ms=2.8 if on_top else 4.5,
                    mfc="white",
                    zorder=2.3 if on_top else 2.1,
                )[0]
            )
        # The chosen n, up to the band of the legend (the top eighth of the panel).
        self.current = self.animated(
            errors.axvline(100, ymax=0.86, color=plotting.GREY, lw=1, ls=":")
        )
        errors.set_xscale("log")
        errors.set_yscale("log")
        errors.set_xlim(_N_CURVE[0], _N_CURVE[-1])
        errors.set_ylim(0.01, 30)
        errors.set_xticks(SAMPLE_SIZES, [str(n) for n in SAMPLE_SIZES])
        errors.minorticks_off()
        errors.set_yticks([0.01, 0.1, 1, 10], ["0.01", "0.1", "1", "10"])
        errors.set_xlabel("samples per estimate n (log scale)")
        errors.set_ylabel("rms error ÷ true KL")
        errors.set_title("error vs n: lines exact, circles simulated", fontsize=9.5)
        errors.legend(
            [self.curves[name] for name in estimators.ESTIMATORS],
            list(estimators.ESTIMATORS),
            loc="upper right",
            ncols=3,
            handlelength=1.6,
        )

    def draw(self, result: dict) -> None:
        kl = result["kl"]
        for i, name in enumerate(estimators.ESTIMATORS):
            s = result["stats"][name]
            half = 0.42 * s["violin"]
            keep = np.flatnonzero(half > 0.004)
            lo, hi = (keep[0], keep[-1] + 1) if keep.size else (0, 1)
            ys, xs = _Y[lo:hi], half[lo:hi]
            outline = np.concatenate(
                [np.column_stack([i + xs, ys]), np.column_stack([i - xs[::-1], ys[::-1]])]
            )
            self.violins[name].set_xy(outline)
            self.means[name].set_data([i], [np.clip(s["mean"] / kl, *WINDOW)])
            above, below = self.overflow[name]
            above.set_text(f"▲ {_share(s['above'])}" if s["above"] > 0 else "")
            below.set_text(f"▼ {_share(s['below'])}" if s["below"] > 0 else "")
            self.stat_text[name].set_text(
                f"bias {_signed_percent(s['bias'] / kl)}\nstd {s['std'] / kl:.0%}\n"
                f"< 0: {_share(s['negative'])}"
            )
            self.curves[name].set_ydata(s["rms_curve"])
            self.points[name].set_ydata(s["rms_points"])
        self.current.set_xdata([result["n"]] * 2)
        self.kl_label.set_text(f"= {kl:.4g} nats")

    def describe(self, result: dict) -> str:
        kl = result["kl"]
        parts = [
            f"{name} has bias {_signed_percent(s['bias'] / kl, 1)} and std {s['std'] / kl:.0%} "
            "of the KL"
            + (f" and is negative in {_share(s['negative'])} of them" if name == "k1" else "")
            for name, s in result["stats"].items()
        ]
        return (
            f"Q = N(0, 1) and P = N({result['mu']:g}, 1), true D_KL(Q‖P) = {kl:.4g} nats, "
            f"{REPEATS} estimates from n = {result['n']} samples each: " + "; ".join(parts) + "."
        )
