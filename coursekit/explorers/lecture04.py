"""Explorers of lecture 04 (Forward vs reverse KL): a two-mode target, and mean field."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.lines import Line2D

from coursekit import fitting, plotting
from coursekit.explorers.base import Explorer
from coursekit.explorers.controls import cache_key, slider_values
from coursekit.gaussians import Gaussian, Mixture, mvn_kl
from coursekit.plotting import number

# -- forward vs reverse KL on a two-mode target --------------------------------------------------

STARTS = {"left": -1.0, "centre": 0.0, "right": 1.0}  # the reverse fit starts at N(±d or 0, 1)
X_LIMITS = (-7.0, 7.0)
#: A KL is never negative: the profiles' axis starts at 0 (its legend stands above the panel).
PROFILE_LIMITS = (0.0, 2.6)
_X = np.linspace(*X_LIMITS, 561)
_MU = np.linspace(-6.5, 6.5, 53)  # where the KL-along-μ profiles are evaluated


def bimodal(d: float, w: float) -> Mixture:
    """The lecture's target w·N(−d, 1) + (1 − w)·N(d, 1)."""
    return Mixture((w, 1.0 - w), (Gaussian(-d, 1.0), Gaussian(d, 1.0)))


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


def _kl(value: float, decimals: int = 3) -> str:
    """A KL value for display; quadrature noise (±1e-15) around 0 shows as 0.000."""
    return number(max(value, 0.0), decimals)


def _gaussian_text(q: Gaussian) -> str:
    return f"N({number(q.mean, 2)}, {number(q.std, 2)}²)"


def _target_text(d: float, w: float) -> str:
    return f"{w:.2f}·N({number(-d, 1)}, 1) + {1 - w:.2f}·N({number(d, 1)}, 1)"


def _title_pad(axes) -> float:
    """The title's distance (points) above an axes whose one-row legend stands on top of it:
    the legend's height (a line and its padding) and a gap of 3 points."""
    legend = axes.get_legend()
    size = legend.get_texts()[0].get_fontsize()
    return size * (1.2 + 2 * (legend.borderpad + legend.borderaxespad)) + 3.0


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
    narrow_figsize = (4.5, 7.4)  # a taller density panel on phones, for the readout above p

    @staticmethod
    def compute(d: float, w: float, init: str) -> dict:
        d, w = cache_key(d), cache_key(w)
        return {"d": d, "w": w, "init": init, **_target_summary(d, w), **_reverse_fit(d, w, init)}

    def build(self, figure) -> None:
        dens, prof = figure.subplots(1, 2, width_ratios=[1.25, 1])
        zeros = np.zeros_like(_X)
        self.p_fill = self.animated(
            dens.fill_between(_X, zeros, color=plotting.P_COLOR, alpha=0.18, lw=0)
        )
        self.p_line = self.animated(dens.plot(_X, zeros, color=plotting.P_COLOR, lw=1.8)[0])
        self.forward_line = self.animated(
            dens.plot(_X, zeros, color=plotting.FORWARD_COLOR, lw=2.2, ls="--")[0]
        )
        self.reverse_line = self.animated(
            dens.plot(_X, zeros, color=plotting.REVERSE_COLOR, lw=2.2)[0]
        )
        self.start_marker = self.animated(
            dens.plot(
                [],
                [],
                marker="^",
                ms=8,
                color=plotting.REVERSE_COLOR,
                mfc="white",
                mew=1.6,
                ls="none",
            )[0]
        )
        # Three coloured lines of text above the curves: the target, then each fit with both
        # KLs (the one it minimises first), in the colour and line style of its curve.
        self.texts = {}
        for k, (key, color) in enumerate(
            (
                ("p", plotting.P_COLOR),
                ("forward", plotting.FORWARD_COLOR),
                ("reverse", plotting.REVERSE_COLOR),
            )
        ):
            self.texts[key] = self.readout(
                dens, 0.015, 0.975 - 0.085 * k, fontsize=8, color=plotting.text_color(color)
            )
        self.texts["note"] = self.readout(
            dens, 0.015, 0.975 - 0.085 * 3, fontsize=7.5, color="#555555"
        )
        dens.set_xlim(*X_LIMITS)
        dens.set_ylim(-0.025, 0.8)
        dens.set_yticks(np.arange(0, 0.45, 0.1))
        dens.set_xlabel("x")
        dens.set_ylabel("density")
        dens.set_title("target p and the two Gaussian fits", fontsize=10)

        self.forward_profile = self.animated(
            prof.plot(_MU, np.zeros_like(_MU), color=plotting.FORWARD_COLOR, lw=1.8, ls="--")[0]
        )
        self.reverse_profile = self.animated(
            prof.plot(_MU, np.zeros_like(_MU), color=plotting.REVERSE_COLOR, lw=1.8)[0]
        )
        # Not clipped: an optimum with KL 0 (d = 0) sits on the axis.
        self.start_dot = self.animated(
            prof.plot(
                [], [], "^", color=plotting.REVERSE_COLOR, mfc="white", mew=1.6, ms=8, clip_on=False
            )[0]
        )
        self.forward_dot = self.animated(
            prof.plot([], [], "o", color=plotting.FORWARD_COLOR, ms=7, clip_on=False)[0]
        )
        self.reverse_dot = self.animated(
            prof.plot([], [], "o", color=plotting.REVERSE_COLOR, ms=7, clip_on=False)[0]
        )
        prof.set_xlim(_MU[0], _MU[-1])
        prof.set_ylim(*PROFILE_LIMITS)
        prof.set_yticks(np.arange(0, PROFILE_LIMITS[1], 0.5))
        prof.set_xlabel("mean μ of q (best σ for each μ)")
        prof.set_ylabel("KL (nats)")
        # The legend stands between the title and the panel, outside the axes, where no
        # profile goes; the title is raised above it (``_title_pad``).
        prof.legend(
            [
                Line2D([], [], color=plotting.FORWARD_COLOR, ls="--"),
                Line2D([], [], color=plotting.REVERSE_COLOR),
            ],
            ["forward KL(p‖q)", "reverse KL(q‖p)"],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=2,
            fontsize=7.5,
            handlelength=1.6,
            borderaxespad=0.2,
            borderpad=0.2,
        )
        prof.set_title("KL along μ: valleys are optima", fontsize=10, pad=_title_pad(prof))

    def narrow_layout(self, figure) -> None:
        # On a phone the readout, in larger type, breaks into six lines: a higher density axis
        # keeps the curves (peaks at most 0.4) below them. The larger legend text needs a
        # higher title.
        figure.axes[0].set_ylim(-0.025, 1.0)
        profile = figure.axes[1]
        profile.set_title(
            profile.get_title(), fontsize=profile.title.get_fontsize(), pad=_title_pad(profile)
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
            f"reverse fit started at △ ({result['init']}), N({number(start.mean, 1)}, 1); "
            "KLs in nats"
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
            f"Target p = {_target_text(result['d'], result['w'])}: the forward fit (moment "
            f"matching) is {_gaussian_text(fwd)} with KL(p‖q) = {_kl(result['forward_kl'])} "
            f"nats; the reverse fit started at the {result['init']} (μ = "
            f"{number(result['start'].mean, 1)}) ends at {_gaussian_text(rev)} with KL(q‖p) = "
            f"{_kl(result['reverse_kl'])} nats."
        )


# -- mean field on a correlated Gaussian -------------------------------------------------------

MF_MEAN = np.array([1.0, 2.0])
_RHO_CURVE = np.linspace(0.0, 0.99, 200)


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
            name: [plotting.ellipse(MF_MEAN, c, radius).T for radius in (1.0, 2.0)]
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
        return _mean_field_result(cache_key(rho))

    def build(self, figure) -> None:
        # Work out every slider position once (about 10 ms), so a move only looks it up.
        for rho in slider_values(self.params["rho"]):
            _mean_field_result(cache_key(rho))
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
            self.animated(plane.plot([], [], color=plotting.FORWARD_COLOR, lw=lw, ls="--")[0])
            for lw in (2.0, 1.1)
        ]
        # Dotted, and drawn before the others: at ρ = 0 the three contours coincide, and all
        # three must still show.
        self.reverse_lines = [
            self.animated(plane.plot([], [], color=plotting.REVERSE_COLOR, lw=lw, ls=":")[0])
            for lw in (2.6, 1.4)
        ]
        self._dynamic.sort(key=lambda artist: artist not in self.reverse_lines)
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
                Line2D([], [], color=plotting.REVERSE_COLOR, lw=2.6, ls=":"),
                Line2D([], [], color=plotting.FORWARD_COLOR, lw=2.0, ls="--"),
            ],
            ["p", "reverse fit", "forward fit"],
            loc="upper left",
            fontsize=7.5,
            handlelength=1.6,
            borderaxespad=0.3,
        )

        var.plot(_RHO_CURVE, 1 - _RHO_CURVE**2, color=plotting.REVERSE_COLOR, lw=1.6)
        var.plot(
            _RHO_CURVE, np.ones_like(_RHO_CURVE), color=plotting.FORWARD_COLOR, lw=1.6, ls="--"
        )
        self.reverse_label = var.text(
            0.03,
            0.72,
            "reverse: 1/Λᵢᵢ = 1 − ρ²",
            color=plotting.text_color(plotting.REVERSE_COLOR),
            fontsize=8,
        )
        var.text(
            0.03,
            1.04,
            "forward: Σᵢᵢ = 1 (the marginals)",
            color=plotting.text_color(plotting.FORWARD_COLOR),
            fontsize=8,
        )
        self.rho_line = self.animated(var.axvline(0, color=plotting.GREY, lw=1, ls=":"))
        self.reverse_dot = self.animated(
            var.plot([], [], "o", color=plotting.REVERSE_COLOR, ms=7)[0]
        )
        self.forward_dot = self.animated(
            var.plot([], [], "o", color=plotting.FORWARD_COLOR, ms=7)[0]
        )
        self.kl_text = self.readout(
            var,
            0.03,
            0.05,
            fontsize=8,
            linespacing=1.45,
            bbox=plotting.text_box(0.3),
            va="baseline",
        )
        var.set_xlim(-0.02, 1.0)
        var.set_ylim(0, 1.2)
        var.set_xlabel("correlation ρ")
        var.set_ylabel("variance of each factor")
        var.set_title("factor variances and KLs", fontsize=9.5)

    def narrow_layout(self, figure) -> None:
        # On a phone the texts, in larger type, would cover the data: the legend moves beside
        # the square plane, and a higher variance axis holds the readout above the curves,
        # with the reverse label below the curve it names. The two dots mark ρ: the marker
        # line, which would cross the labels, is left out.
        plane, var = figure.axes
        plane.get_legend().set_loc("center left")
        plane.get_legend().set_bbox_to_anchor((1.02, 0.5), transform=plane.transAxes)
        var.set_ylim(0, 1.9)
        self.rho_line.set_visible(False)
        self.reverse_label.set_y(0.42)
        self.kl_text.set_position((0.03, 0.96))
        self.kl_text.set_va("top")

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
            f"{_kl(result['reverse_other_kl'], 2)})\n"
            f"forward fit: KL(p‖q) = {_kl(result['forward_kl'])}  (KL(q‖p) = "
            f"{_kl(result['forward_other_kl'], 2)})\n"
            f"−½ ln(1 − ρ²) = {_kl(-0.5 * np.log(1 - rho**2))} nats"
        )

    def describe(self, result: dict) -> str:
        rev, fwd = result["reverse"], result["forward"]
        return (
            f"p is a Gaussian with means (1, 2), unit variances and correlation ρ = "
            f"{result['rho']:.2f}: the reverse mean-field fit has means (1, 2) and variances "
            f"{number(rev.variances[0])} (= 1 − ρ²), KL(q‖p) = {_kl(result['reverse_kl'])} "
            f"nats; the forward fit has variances {number(fwd.variances[0])} (the marginals), "
            f"KL(p‖q) = {_kl(result['forward_kl'])} nats."
        )
