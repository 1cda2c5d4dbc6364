"""Explorers of lectures 04 (Forward vs reverse KL) and 05 (Maximum likelihood is forward KL)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.lines import Line2D

from coursekit import fitting, plotting
from coursekit.explorers.base import Explorer
from coursekit.gaussians import Gaussian, Mixture, gaussian_entropy, gaussian_kl, mvn_kl

FORWARD_COLOR = plotting.Q_COLOR  # the forward (mean-seeking) fit
REVERSE_COLOR = plotting.PALETTE["vermillion"]  # the reverse (mode-seeking) fit
KL_COLOR = plotting.PALETTE["purple"]  # a KL divergence, as in lecture 03's explorers
GREY = plotting.PALETTE["grey"]
BOX = {"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}

# -- lecture 04: forward vs reverse KL on a two-mode target -------------------------------------

STARTS = {"left": -1.0, "centre": 0.0, "right": 1.0}  # the reverse fit starts at N(±d or 0, 1)
X_LIMITS = (-7.0, 7.0)
PROFILE_LIMITS = (0.0, 2.6)
_X = np.linspace(*X_LIMITS, 561)
_MU = np.linspace(-6.5, 6.5, 53)  # where the KL-along-μ profiles are evaluated


def bimodal(d: float, w: float) -> Mixture:
    """The lecture's target w·N(−d, 1) + (1 − w)·N(d, 1)."""
    return Mixture((w, 1.0 - w), (Gaussian(-d, 1.0), Gaussian(d, 1.0)))


def _key(value: float) -> float:
    """Slider values such as 0.30000000000000004 share one cache entry."""
    return round(float(value), 9)


@lru_cache(maxsize=512)
def _target_summary(d: float, w: float) -> dict:
    """Everything that depends on the target only: densities, forward fit, both KL profiles."""
    p = bimodal(d, w)
    forward = fitting.fit_forward_kl(p)
    _, forward_profile = fitting.forward_kl_profile(p, _MU)
    _, reverse_profile = fitting.reverse_kl_profile(p, _MU)
    return {
        "p": p,
        "p_pdf": p.pdf(_X),
        "forward": forward,
        "forward_pdf": forward.pdf(_X),
        "forward_kl": fitting.forward_kl(p, forward),
        "forward_reverse_kl": fitting.reverse_kl(forward, p),
        "forward_profile": forward_profile,
        "reverse_profile": reverse_profile,
    }


@lru_cache(maxsize=1024)
def _reverse_fit(d: float, w: float, init: str) -> dict:
    p = bimodal(d, w)
    start = Gaussian(STARTS[init] * d, 1.0)
    q = fitting.fit_reverse_kl(p, start)
    return {
        "start": start,
        "reverse": q,
        "reverse_pdf": q.pdf(_X),
        "reverse_kl": fitting.reverse_kl(q, p),
        "reverse_forward_kl": fitting.forward_kl(p, q),
    }


def _num(value: float, digits: int = 3) -> str:
    """A number rounded for display, never as −0.000 (rounding noise around zero)."""
    return f"{round(float(value), digits) + 0.0:.{digits}f}"


def _kl(value: float) -> str:
    """A KL value for display; quadrature noise (±1e-15) around 0 shows as 0.000."""
    return _num(max(value, 0.0))


def _gaussian_text(q: Gaussian) -> str:
    return f"N({_num(q.mean, 2)}, {_num(q.std, 2)}²)"


def _target_text(d: float, w: float) -> str:
    return f"{w:.2f}·N({_num(-d, 1)}, 1) + {1 - w:.2f}·N({_num(d, 1)}, 1)"


class ForwardReverseExplorer(Explorer):
    """Fitting one Gaussian q to a two-mode target p by forward and by reverse KL.

    p = w·N(−d, 1) + (1 − w)·N(d, 1). The forward fit, argmin KL(p‖q), is moment matching:
    it sits between the modes and covers both ("mean seeking"), putting mass where p has
    little. The reverse fit, argmin KL(q‖p), is found by descent from a start on the left mode,
    the centre or the right mode: once the modes are far enough apart (d above about 2.41)
    each mode has its own optimum and the fit locks onto one ("mode seeking"), depending on
    where it starts; below that separation every start ends at the one central fit. The right
    panel shows both KLs along the mean μ of q (with the best σ for each μ): the forward KL
    has a single valley, the reverse KL one valley per optimum. Each fit is printed with both
    KLs, so you can see it wins by its own measure and loses by the other.
    Introduced in lecture 04 (Forward vs reverse KL).
    """

    name = "forward_reverse"
    title = "Forward vs reverse KL: fitting one Gaussian to two modes"
    params = {
        "d": {"min": 0.0, "max": 4.0, "value": 3.0, "step": 0.1, "label": "separation d"},
        "w": {
            "min": 0.5,
            "max": 0.9,
            "value": 0.5,
            "step": 0.05,
            "label": "weight w of the left mode",
        },
        "init": {
            "options": list(STARTS),
            "value": "right",
            "label": "reverse fit starts at",
        },
    }
    book_values = {
        "d": [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0],
        "w": [0.5, 0.8],
    }  # 9 × 2 × 3 starts = 54 frames, about 1.2 MB
    figsize = (8.4, 3.3)

    @staticmethod
    def compute(d: float, w: float, init: str) -> dict:
        d, w = _key(d), _key(w)
        return {"d": d, "w": w, "init": init, **_target_summary(d, w), **_reverse_fit(d, w, init)}

    def build(self, figure) -> None:
        dens, prof = figure.subplots(1, 2, width_ratios=[1.25, 1])
        zeros = np.zeros_like(_X)
        self.p_fill = self.animated(
            dens.fill_between(_X, zeros, color=plotting.P_COLOR, alpha=0.18, lw=0)
        )
        self.p_line = self.animated(dens.plot(_X, zeros, color=plotting.P_COLOR, lw=1.8)[0])
        self.forward_line = self.animated(
            dens.plot(_X, zeros, color=FORWARD_COLOR, lw=2.2, ls="--")[0]
        )
        self.reverse_line = self.animated(dens.plot(_X, zeros, color=REVERSE_COLOR, lw=2.2)[0])
        self.start_marker = self.animated(
            dens.plot(
                [], [], marker="^", ms=8, color=REVERSE_COLOR, mfc="white", mew=1.6, ls="none"
            )[0]
        )
        # Three coloured lines of text above the curves: the target, then each fit with both
        # KLs (the one it minimises first), in the colour and line style of its curve.
        self.texts = {}
        for k, (key, color) in enumerate(
            (("p", plotting.P_COLOR), ("forward", FORWARD_COLOR), ("reverse", REVERSE_COLOR))
        ):
            self.texts[key] = self.animated(
                dens.text(
                    0.015,
                    0.975 - 0.085 * k,
                    "",
                    transform=dens.transAxes,
                    va="top",
                    fontsize=8,
                    color=color,
                )
            )
        self.texts["note"] = self.animated(
            dens.text(
                0.015,
                0.975 - 0.085 * 3,
                "",
                transform=dens.transAxes,
                va="top",
                fontsize=7.5,
                color="#555555",
            )
        )
        dens.set_xlim(*X_LIMITS)
        dens.set_ylim(-0.025, 0.8)
        dens.set_yticks(np.arange(0, 0.45, 0.1))
        dens.set_xlabel("x")
        dens.set_ylabel("density")
        dens.set_title("target p and the two Gaussian fits", fontsize=10)

        self.forward_profile = self.animated(
            prof.plot(_MU, np.zeros_like(_MU), color=FORWARD_COLOR, lw=1.8, ls="--")[0]
        )
        self.reverse_profile = self.animated(
            prof.plot(_MU, np.zeros_like(_MU), color=REVERSE_COLOR, lw=1.8)[0]
        )
        self.start_dot = self.animated(
            prof.plot([], [], "^", color=REVERSE_COLOR, mfc="white", mew=1.6, ms=8)[0]
        )
        self.forward_dot = self.animated(prof.plot([], [], "o", color=FORWARD_COLOR, ms=7)[0])
        self.reverse_dot = self.animated(prof.plot([], [], "o", color=REVERSE_COLOR, ms=7)[0])
        prof.set_xlim(_MU[0], _MU[-1])
        prof.set_ylim(*PROFILE_LIMITS)
        prof.set_xlabel("mean μ of q (best σ for each μ)")
        prof.set_ylabel("KL (nats)")
        prof.set_title("KL along μ: valleys are optima", fontsize=10)
        prof.legend(
            [Line2D([], [], color=FORWARD_COLOR, ls="--"), Line2D([], [], color=REVERSE_COLOR)],
            ["forward KL(p‖q)", "reverse KL(q‖p)"],
            loc="upper center",
            ncols=2,
            fontsize=7.5,
            handlelength=1.6,
            frameon=True,
            framealpha=0.9,
            edgecolor="none",
        )

    def draw(self, result: dict) -> None:
        self.p_line.set_ydata(result["p_pdf"])
        self.p_fill.set_data(_X, 0, result["p_pdf"])
        self.forward_line.set_ydata(result["forward_pdf"])
        self.reverse_line.set_ydata(result["reverse_pdf"])
        start = result["start"]
        self.start_marker.set_data([start.mean], [0.0])
        d, w = result["d"], result["w"]
        fwd, rev = result["forward"], result["reverse"]
        self.texts["p"].set_text(f"target p = {_target_text(d, w)}")
        self.texts["forward"].set_text(
            f"– – forward fit {_gaussian_text(fwd)}:  KL(p‖q) = {_kl(result['forward_kl'])},  "
            f"KL(q‖p) = {_kl(result['forward_reverse_kl'])}"
        )
        self.texts["reverse"].set_text(
            f"—— reverse fit {_gaussian_text(rev)}:  KL(q‖p) = {_kl(result['reverse_kl'])},  "
            f"KL(p‖q) = {_kl(result['reverse_forward_kl'])}"
        )
        self.texts["note"].set_text(
            f"reverse fit started at △ ({result['init']}), N({_num(start.mean, 1)}, 1); KLs in nats"
        )
        self.forward_profile.set_ydata(result["forward_profile"])
        self.reverse_profile.set_ydata(result["reverse_profile"])
        self.forward_dot.set_data([fwd.mean], [result["forward_kl"]])
        self.reverse_dot.set_data([rev.mean], [result["reverse_kl"]])
        start_kl = np.interp(start.mean, _MU, result["reverse_profile"])
        self.start_dot.set_data([start.mean], [min(start_kl, PROFILE_LIMITS[1] - 0.05)])

    def describe(self, result: dict) -> str:
        fwd, rev = result["forward"], result["reverse"]
        return (
            f"Target p = {_target_text(result['d'], result['w'])}. The forward fit (moment "
            f"matching) is {_gaussian_text(fwd)} with KL(p‖q) = {_kl(result['forward_kl'])} "
            f"nats; the reverse fit started at the {result['init']} (μ = "
            f"{_num(result['start'].mean, 1)}) ends at {_gaussian_text(rev)} with KL(q‖p) = "
            f"{_kl(result['reverse_kl'])} nats."
        )


# -- lecture 04: mean field on a correlated Gaussian ---------------------------------------------

MF_MEAN = np.array([1.0, 2.0])
_RHO_CURVE = np.linspace(0.0, 0.99, 200)


def _ellipse_points(cov: np.ndarray, radius: float, n: int = 121) -> np.ndarray:
    """Points of the contour (x − μ)ᵀ Σ⁻¹ (x − μ) = radius² around MF_MEAN."""
    t = np.linspace(0, 2 * np.pi, n)
    circle = np.stack([np.cos(t), np.sin(t)])
    return (MF_MEAN[:, None] + radius * np.linalg.cholesky(cov) @ circle).T


@lru_cache(maxsize=256)
def _mean_field_result(rho: float) -> dict:
    cov = np.array([[1.0, rho], [rho, 1.0]])
    reverse = fitting.mean_field(MF_MEAN, cov, "reverse")
    forward = fitting.mean_field(MF_MEAN, cov, "forward")
    return {
        "rho": rho,
        "cov": cov,
        "reverse": reverse,
        "forward": forward,
        "reverse_kl": mvn_kl(reverse.means, reverse.cov, MF_MEAN, cov),
        "forward_kl": mvn_kl(MF_MEAN, cov, forward.means, forward.cov),
        # each fit judged by the other direction
        "reverse_other_kl": mvn_kl(MF_MEAN, cov, reverse.means, reverse.cov),
        "forward_other_kl": mvn_kl(forward.means, forward.cov, MF_MEAN, cov),
        "contours": {
            name: [_ellipse_points(c, radius) for radius in (1.0, 2.0)]
            for name, c in (("p", cov), ("reverse", reverse.cov), ("forward", forward.cov))
        },
    }


class MeanFieldExplorer(Explorer):
    """A factorised Gaussian q(x₁)q(x₂) fitted to a correlated Gaussian p in both directions.

    p has means (1, 2), unit variances and correlation ρ. The reverse fit, argmin KL(q‖p),
    gets the means right but shrinks each variance to 1/Λᵢᵢ = 1 − ρ² (Λ = Σ⁻¹): it stays
    inside p, too narrow. The forward fit, argmin KL(p‖q), takes p's marginals (variances 1):
    it covers p, too wide across the correlation. Both optimal KLs equal −½ ln(1 − ρ²); judged
    by the other direction each fit does much worse. (PRML §10.1.2, Fig. 10.2.)
    Introduced in lecture 04 (Forward vs reverse KL).
    """

    name = "mean_field"
    title = "Mean field: a factorised Gaussian fitted to a correlated one"
    params = {
        "rho": {"min": 0.0, "max": 0.95, "value": 0.9, "step": 0.05, "label": "correlation ρ"}
    }
    figsize = (8.4, 3.4)

    @staticmethod
    def compute(rho: float) -> dict:
        return _mean_field_result(_key(rho))

    def build(self, figure) -> None:
        # Work out every slider position once (about 10 ms), so a move only looks it up.
        spec = self.params["rho"]
        for k in range(int(round((spec["max"] - spec["min"]) / spec["step"])) + 1):
            _mean_field_result(_key(spec["min"] + k * spec["step"]))
        plane, var = figure.subplots(1, 2, width_ratios=[1, 1.05])
        self.p_outer = self.animated(
            plane.fill(*np.zeros((2, 3)), color=plotting.P_COLOR, alpha=0.12, lw=0)[0]
        )
        self.p_inner = self.animated(
            plane.fill(*np.zeros((2, 3)), color=plotting.P_COLOR, alpha=0.22, lw=0)[0]
        )
        self.p_lines = [
            self.animated(plane.plot([], [], color=plotting.P_COLOR, lw=lw)[0]) for lw in (1.8, 1.0)
        ]
        self.forward_lines = [
            self.animated(plane.plot([], [], color=FORWARD_COLOR, lw=lw, ls="--")[0])
            for lw in (2.0, 1.1)
        ]
        self.reverse_lines = [
            self.animated(plane.plot([], [], color=REVERSE_COLOR, lw=lw)[0]) for lw in (2.0, 1.1)
        ]
        plane.plot(*MF_MEAN, "+", color="black", ms=9, mew=1.5)
        plane.set_xlim(MF_MEAN[0] - 3.2, MF_MEAN[0] + 3.2)
        plane.set_ylim(MF_MEAN[1] - 3.2, MF_MEAN[1] + 3.2)
        plane.set_aspect("equal")
        plane.set_xlabel("x₁")
        plane.set_ylabel("x₂")
        plane.set_title("contours at 1 and 2 standard deviations", fontsize=9.5)
        plane.legend(
            [
                Line2D([], [], color=plotting.P_COLOR, lw=1.8),
                Line2D([], [], color=REVERSE_COLOR, lw=2.0),
                Line2D([], [], color=FORWARD_COLOR, lw=2.0, ls="--"),
            ],
            ["p", "reverse fit", "forward fit"],
            loc="upper left",
            fontsize=7.5,
            handlelength=1.6,
            borderaxespad=0.3,
        )

        var.plot(_RHO_CURVE, 1 - _RHO_CURVE**2, color=REVERSE_COLOR, lw=1.6)
        var.plot(_RHO_CURVE, np.ones_like(_RHO_CURVE), color=FORWARD_COLOR, lw=1.6, ls="--")
        var.text(0.03, 0.72, "reverse: 1/Λᵢᵢ = 1 − ρ²", color=REVERSE_COLOR, fontsize=8)
        var.text(0.03, 1.04, "forward: Σᵢᵢ = 1 (the marginals)", color=FORWARD_COLOR, fontsize=8)
        self.rho_line = self.animated(var.axvline(0, color=GREY, lw=1, ls=":"))
        self.reverse_dot = self.animated(var.plot([], [], "o", color=REVERSE_COLOR, ms=7)[0])
        self.forward_dot = self.animated(var.plot([], [], "o", color=FORWARD_COLOR, ms=7)[0])
        self.kl_text = self.animated(
            var.text(
                0.03, 0.05, "", transform=var.transAxes, fontsize=8, linespacing=1.45, bbox=BOX
            )
        )
        var.set_xlim(-0.02, 1.0)
        var.set_ylim(0, 1.2)
        var.set_xlabel("correlation ρ")
        var.set_ylabel("variance of each factor")
        var.set_title("factor variances and KLs", fontsize=9.5)

    def draw(self, result: dict) -> None:
        contours = result["contours"]
        inner, outer = contours["p"]
        self.p_outer.set_xy(outer)
        self.p_inner.set_xy(inner)
        for line, pts in zip(self.p_lines, (inner, outer), strict=True):
            line.set_data(pts.T)
        for lines, name in ((self.reverse_lines, "reverse"), (self.forward_lines, "forward")):
            for line, pts in zip(lines, contours[name], strict=True):
                line.set_data(pts.T)
        rho = result["rho"]
        self.rho_line.set_xdata([rho, rho])
        self.reverse_dot.set_data([rho], [result["reverse"].variances[0]])
        self.forward_dot.set_data([rho], [result["forward"].variances[0]])
        self.kl_text.set_text(
            f"reverse fit: KL(q‖p) = {_kl(result['reverse_kl'])}  (KL(p‖q) = "
            f"{_num(max(result['reverse_other_kl'], 0.0), 2)})\n"
            f"forward fit: KL(p‖q) = {_kl(result['forward_kl'])}  (KL(q‖p) = "
            f"{_num(max(result['forward_other_kl'], 0.0), 2)})\n"
            f"−½ ln(1 − ρ²) = {_kl(-0.5 * np.log(1 - rho**2))} nats"
        )

    def describe(self, result: dict) -> str:
        rev, fwd = result["reverse"], result["forward"]
        return (
            f"p is a Gaussian with means (1, 2), unit variances and correlation ρ = "
            f"{result['rho']:.2f}. The reverse mean-field fit has means (1, 2) and variances "
            f"{rev.variances[0]:.3f} (= 1 − ρ²), KL(q‖p) = {_kl(result['reverse_kl'])} nats; the "
            f"forward fit has variances {fwd.variances[0]:.3f} (the marginals), KL(p‖q) = "
            f"{_kl(result['forward_kl'])} nats."
        )


# -- lecture 05: maximum likelihood is forward KL -----------------------------------------------

MLE_SEED = 505
MLE_MAX_N = 1000
SAMPLE_SIZES = [5, 20, 100, 1000]
TRUE_P = Gaussian(0.0, 1.0)
TRUE_ENTROPY = float(gaussian_entropy(1.0))  # H(p) = ½ ln(2πe) = 1.418939 nats
_DATA = TRUE_P.sample(MLE_MAX_N, MLE_SEED)  # nested: the first n of one seeded sample
_DATA.flags.writeable = False
_MU_GRID = np.linspace(-2.0, 2.0, 201)
_BINS = np.linspace(-4.0, 4.0, 17)
_XH = np.linspace(-4.0, 4.0, 321)
NLL_LIMITS = (0.0, 4.6)
GAP_AT = (-1.5, -1.2, -0.9, -0.6, -0.4)  # where the arrow showing the gap H(p) may stand


def mle_data(n: int) -> np.ndarray:
    """The first ``n`` of the explorer's fixed sample from p = N(0, 1) (seed 505)."""
    return _DATA[:n]


@lru_cache(maxsize=64)
def _mle_result(n: int, sigma: float) -> dict:
    x = mle_data(n)
    # Mean NLL of q = N(μ, σ²) for every μ on the grid, straight from the data.
    z = (x[None, :] - _MU_GRID[:, None]) / sigma
    nll = 0.5 * np.mean(z * z, axis=1) + np.log(sigma) + 0.5 * np.log(2 * np.pi)
    kl = np.array([gaussian_kl(TRUE_P, Gaussian(m, sigma)) for m in _MU_GRID])
    mle = fitting.fit_mle_gaussian(x)
    model = Gaussian(mle.mean, sigma)  # the best q for this σ: μ̂ = x̄ whatever σ is
    counts, _ = np.histogram(x, _BINS)
    return {
        "n": n,
        "sigma": sigma,
        "data": x,
        "nll": nll,
        "kl": kl,
        "cross_entropy": kl + TRUE_ENTROPY,
        "mle": mle,
        "mu_hat": mle.mean,
        "nll_at_mu_hat": fitting.mean_nll(x, model),
        "kl_at_mu_hat": gaussian_kl(TRUE_P, model),
        "cross_at_zero": gaussian_kl(TRUE_P, Gaussian(0.0, sigma)) + TRUE_ENTROPY,
        "histogram": counts / (n * np.diff(_BINS)),
        "model_pdf": model.pdf(_XH),
    }


class MLELandscapeExplorer(Explorer):
    """Maximum likelihood is forward KL: the mean NLL of data against KL(p‖q) + H(p).

    n points are drawn from p = N(0, 1) (a fixed seed; a larger n adds points to the same
    sample). For a model q = N(μ, σ²) with σ set by the slider, the left panel shows, along μ,
    the mean negative log-likelihood −(1/n) Σ log q(xᵢ) (computed from the data), the
    cross-entropy H(p, q) that it estimates, and the forward KL(p‖q) = H(p, q) − H(p). The KL
    and the cross-entropy differ by the constant H(p) = ½ ln(2πe) ≈ 1.419 nats, so they have
    the same minimiser; the NLL is the cross-entropy from the data's empirical distribution and
    approaches it as n grows, so its minimiser, the MLE μ̂ = x̄, approaches the KL's, μ = 0.
    The right panel shows the data and the fitted model N(μ̂, σ²).
    Introduced in lecture 05 (Maximum likelihood is forward KL).
    """

    name = "mle_landscape"
    title = "Maximum likelihood is forward KL: the NLL landscape"
    params = {
        "n": {"options": SAMPLE_SIZES, "value": 20, "label": "sample size n"},
        "sigma": {"min": 0.5, "max": 2.0, "value": 1.0, "step": 0.1, "label": "model σ"},
    }
    figsize = (8.4, 3.3)

    @staticmethod
    def compute(n: int, sigma: float) -> dict:
        return _mle_result(int(n), _key(sigma))

    def build(self, figure) -> None:
        # Work out every control setting once (about 0.1 s), so a move only looks it up.
        spec = self.params["sigma"]
        for n in SAMPLE_SIZES:
            for k in range(int(round((spec["max"] - spec["min"]) / spec["step"])) + 1):
                _mle_result(n, _key(spec["min"] + k * spec["step"]))
        land, hist = figure.subplots(1, 2, width_ratios=[1.3, 1])
        self.cross_line = self.animated(land.plot(_MU_GRID, _MU_GRID, color="black", lw=1.8)[0])
        self.kl_line = self.animated(
            land.plot(_MU_GRID, _MU_GRID, color=KL_COLOR, lw=1.8, ls="--")[0]
        )
        self.nll_line = self.animated(land.plot(_MU_GRID, _MU_GRID, color=REVERSE_COLOR, lw=2)[0])
        self.gap = self.animated(
            land.annotate(
                "",
                xy=(GAP_AT[0], 1.0),
                xytext=(GAP_AT[0], 0.0),
                arrowprops={"arrowstyle": "<->", "color": GREY, "lw": 1.2},
            )
        )
        self.mle_dot = self.animated(land.plot([], [], "o", color=REVERSE_COLOR, ms=7)[0])
        self.mle_drop = self.animated(land.axvline(0, color=REVERSE_COLOR, lw=1, ls=":"))
        self.true_dot = self.animated(land.plot([], [], "o", color="black", ms=6)[0])
        self.kl_dot = self.animated(land.plot([], [], "o", color=KL_COLOR, ms=6)[0])
        land.set_xlim(_MU_GRID[0], _MU_GRID[-1])
        land.set_ylim(*NLL_LIMITS)
        land.set_xlabel("mean μ of the model q = N(μ, σ²)")
        land.set_ylabel("nats")
        land.legend(
            [
                Line2D([], [], color=REVERSE_COLOR, lw=2),
                Line2D([], [], color="black", lw=1.8),
                Line2D([], [], color=KL_COLOR, lw=1.8, ls="--"),
                Line2D([], [], color=GREY, marker="$↕$", ms=9, ls="none"),
            ],
            [
                "mean NLL of the data",
                "H(p, q) = KL + H(p)",
                "KL(p‖q)",
                f"gap H(p) = {TRUE_ENTROPY:.3f}",
            ],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=2,
            fontsize=7.5,
            handlelength=1.6,
            columnspacing=1.2,
        )

        self.bars = self.animated(
            hist.stairs(
                np.zeros(len(_BINS) - 1), _BINS, fill=True, color=plotting.P_COLOR, alpha=0.35
            )
        )
        hist.plot(_XH, TRUE_P.pdf(_XH), color=plotting.P_COLOR, lw=1.3, ls=":")
        self.model_line = self.animated(hist.plot(_XH, _XH, color=FORWARD_COLOR, lw=2)[0])
        self.rug = self.animated(hist.vlines([], 0, 0, color=plotting.P_COLOR, lw=0.8, alpha=0.6))
        self.fit_text = self.animated(
            hist.text(
                0.02,
                0.97,
                "",
                transform=hist.transAxes,
                va="top",
                fontsize=8,
                linespacing=1.4,
                bbox=BOX,
            )
        )
        hist.set_xlim(_BINS[0], _BINS[-1])
        hist.set_ylim(-0.04, 1.0)
        hist.set_xlabel("x")
        hist.set_ylabel("density")
        hist.legend(
            [
                Line2D([], [], color=plotting.P_COLOR, lw=6, alpha=0.35),
                Line2D([], [], color=plotting.P_COLOR, lw=1.3, ls=":"),
                Line2D([], [], color=FORWARD_COLOR, lw=2),
            ],
            ["data", "true p = N(0, 1)", "model N(μ̂, σ²)"],
            loc="upper right",
            fontsize=7.5,
            handlelength=1.6,
        )

    def draw(self, result: dict) -> None:
        self.nll_line.set_ydata(result["nll"])
        self.cross_line.set_ydata(result["cross_entropy"])
        self.kl_line.set_ydata(result["kl"])
        mu_hat = result["mu_hat"]
        self.mle_dot.set_data([mu_hat], [result["nll_at_mu_hat"]])
        self.mle_drop.set_xdata([mu_hat, mu_hat])
        self.true_dot.set_data([0.0], [result["cross_at_zero"]])
        self.kl_dot.set_data([0.0], [result["cross_at_zero"] - TRUE_ENTROPY])
        # The arrow stands as far left as the curves stay on the panel.
        at = next(
            (m for m in GAP_AT if np.interp(m, _MU_GRID, result["cross_entropy"]) < 4.4),
            GAP_AT[-1],
        )
        low = float(np.interp(at, _MU_GRID, result["kl"]))
        self.gap.xy = (at, low + TRUE_ENTROPY)
        self.gap.set_position((at, low))
        x = result["data"]
        self.bars.set_data(result["histogram"])
        self.model_line.set_ydata(result["model_pdf"])
        self.rug.set_segments([[[v, -0.04], [v, 0.0]] for v in x])
        mle = result["mle"]
        self.fit_text.set_text(
            f"n = {result['n']}\nMLE μ̂ = x̄ = {_num(mle.mean)}\n1/N std σ̂ = {mle.std:.3f}\n"
            f"model σ = {result['sigma']:.1f}\nNLL at μ̂: {result['nll_at_mu_hat']:.3f} nats"
        )

    def describe(self, result: dict) -> str:
        return (
            f"With n = {result['n']} draws from p = N(0, 1) and a model q = N(μ, "
            f"{result['sigma']:.1f}²): the mean negative log-likelihood of the data is lowest at "
            f"the MLE μ̂ = x̄ = {result['mu_hat']:+.3f} ({result['nll_at_mu_hat']:.3f} nats); it "
            f"estimates the cross-entropy H(p, q), which is lowest at μ = 0 and lies exactly "
            f"H(p) = {TRUE_ENTROPY:.3f} nats above the forward KL(p‖q) for every μ."
        )
