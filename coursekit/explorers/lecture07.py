"""Explorer of lecture 07 (Between the two KLs): the α-divergence fit."""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
from matplotlib.lines import Line2D

from coursekit import plotting
from coursekit.divergences import alpha_divergence, fit_alpha
from coursekit.explorers.base import Explorer
from coursekit.fitting import fit_forward_kl, fit_reverse_kl
from coursekit.gaussians import Gaussian, Mixture
from coursekit.plotting import number

ALPHA_D = 3.0
ALPHA_TARGET = Mixture.symmetric(ALPHA_D)
ALPHAS = np.round(np.arange(1, 100) / 100, 2)
ALPHA_COLOR = plotting.Q_COLOR
CENTRAL_COLOR = plotting.PALETTE["purple"]


@cache
def _alpha_fits(alpha: float) -> tuple[Gaussian | None, Gaussian, float | None, float]:
    """The two local optima of D_α(p‖q): from the right-hand mode (None once it has merged
    into the central fit) and the central one; with their divergences.

    A figure prints no warnings: the descent may try widths whose densities overflow on its
    way (the results are finite, and checked by the tests), so numpy's floating-point
    warnings are silenced here, and here only.
    """
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mode = fit_alpha(ALPHA_TARGET, alpha, Gaussian(ALPHA_D, 1.0))
        central = fit_alpha(ALPHA_TARGET, alpha, fit_forward_kl(ALPHA_TARGET))
        d_central = alpha_divergence(ALPHA_TARGET, central, alpha)
        d_mode = None if abs(mode.mean) < 1e-3 else alpha_divergence(ALPHA_TARGET, mode, alpha)
    if d_mode is None:
        return None, central, None, d_central
    return mode, central, d_mode, d_central


@cache
def _alpha_branches() -> dict:
    """σ of the mode and the central optimum on the α grid (about 0.4 s, once)."""
    rows = [_alpha_fits(float(a)) for a in ALPHAS]
    mode_std = np.array([np.nan if m is None else m.std for m, *_ in rows])
    central_std = np.array([c.std for _, c, *_ in rows])
    mode_wins = np.array([dm is not None and dm < dc for _, _, dm, dc in rows])
    return {"mode_std": mode_std, "central_std": central_std, "mode_wins": mode_wins}


@cache
def _alpha_references() -> tuple[Gaussian, Gaussian]:
    return fit_reverse_kl(ALPHA_TARGET, Gaussian(ALPHA_D, 1.0)), fit_forward_kl(ALPHA_TARGET)


class AlphaFitExplorer(Explorer):
    """Between the two KLs: the Gaussian that minimises Minka's α-divergence D_α(p‖q).

    The target is p = ½N(−3, 1) + ½N(3, 1). D_α runs from the reverse KL(q‖p) at α → 0 (mode
    seeking) to the forward KL(p‖q) at α → 1 (mass covering, moment matching: σ² = 10); at
    α = ½ it is four times the squared Hellinger distance. For small α the best q sits on one
    mode (σ ≈ 1.02; the fit on the left mode is its mirror image); a second, central optimum
    exists for every α and becomes the better one at α ≈ 0.115; the mode optimum disappears at
    α ≈ 0.468. Both panels colour an optimum by its branch (orange on the mode, purple
    central); the right panel follows σ of both optima (solid where that optimum is the
    global one). Grey lines, drawn over the fits: the reverse-KL fit on the mode and the
    forward-KL fit of lecture 04. D_α (0 < α < 1) has no logarithm: it is a pure number,
    printed without a unit.
    Introduced in lecture 07 (Between the two KLs).
    """

    name = "alpha_fit"
    title = "The α-divergence fit: from mode seeking (α → 0) to mass covering (α → 1)"
    params = {"alpha": {"min": 0.01, "max": 0.99, "value": 0.1, "step": 0.01, "label": "α"}}
    book_values = {
        "alpha": [0.01, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]
    }
    figsize = (8.6, 3.2)

    _X = np.linspace(-9, 9, 721)

    @staticmethod
    def compute(alpha: float) -> dict:
        alpha = round(float(alpha), 6)
        mode, central, d_mode, d_central = _alpha_fits(alpha)
        best, d_best = (mode, d_mode) if mode is not None and d_mode < d_central else (
            central, d_central
        )  # fmt: skip
        other = None if mode is None else (central if best is mode else mode)
        x = AlphaFitExplorer._X
        return {
            "alpha": alpha,
            "q": best,
            "divergence": d_best,
            "other": other,
            "p_density": ALPHA_TARGET.pdf(x),
            "q_density": best.pdf(x),
            "other_density": None if other is None else other.pdf(x),
            "mode_seeking": best is mode,
        }

    def build(self, figure) -> None:
        dens, sig = figure.subplots(1, 2, width_ratios=[1.25, 1])
        x, zeros = self._X, np.zeros_like(self._X)
        reverse, forward = _alpha_references()
        dens.fill_between(x, ALPHA_TARGET.pdf(x), color=plotting.P_COLOR, alpha=0.15, lw=0)
        dens.plot(x, ALPHA_TARGET.pdf(x), color=plotting.P_COLOR)
        # Each optimum in the colour of its branch, as on the right (set in ``draw``); the
        # grey reference fits are animated too, created after the fits so that they are drawn
        # over them: the best fit at small α (large α) lies almost on the reverse-KL
        # (forward-KL) fit and would hide it.
        self.other_line = self.animated(dens.plot(x, zeros, lw=1.2, ls="--")[0])
        self.q_line = self.animated(dens.plot(x, zeros, lw=2.4)[0])
        for reference, style in ((reverse, ":"), (forward, "-.")):
            self.animated(dens.plot(x, reference.pdf(x), color=plotting.GREY, lw=1.3, ls=style)[0])
        self.q_text = self.readout(
            dens, 0.98, 0.97, ha="right", fontsize=8.5, bbox=plotting.text_box()
        )
        dens.set_xlim(x[0], x[-1])
        dens.set_ylim(0, 0.5)
        dens.set_xlabel("x")
        dens.set_ylabel("density")
        dens.set_title("p = ½N(−3, 1) + ½N(3, 1) and the Gaussian minimising D_α(p‖q)", fontsize=9)
        # Its two optima take their branch's colour, set in ``draw`` when the best fit changes
        # branch or the other optimum appears or goes (``background_state``: is the best fit
        # on a mode, is there another optimum).
        self.background_state = (True, True)
        self.dens_legend = dens.legend(
            [
                Line2D([], [], color=plotting.P_COLOR),
                Line2D([], [], color=plotting.GREY, lw=1.3, ls=":"),
                Line2D([], [], color=plotting.GREY, lw=1.3, ls="-."),
                Line2D([], [], color=ALPHA_COLOR, lw=2.4),
                Line2D([], [], color=CENTRAL_COLOR, lw=1.2, ls="--"),
            ],
            [
                "target p",
                "reverse-KL fit (α → 0)",
                "forward-KL fit (α → 1)",
                "best q for this α",
                "other local optimum",
            ],
            loc="upper left",
            fontsize=7.5,
            handlelength=1.8,
        )

        branches = _alpha_branches()
        mode_std, central_std, wins = (
            branches["mode_std"],
            branches["central_std"],
            branches["mode_wins"],
        )
        sig.plot(ALPHAS, np.where(wins, mode_std, np.nan), color=ALPHA_COLOR, lw=2.0)
        sig.plot(ALPHAS, np.where(wins, np.nan, mode_std), color=ALPHA_COLOR, lw=1.2, ls="--")
        sig.plot(ALPHAS, np.where(wins, np.nan, central_std), color=CENTRAL_COLOR, lw=2.0)
        sig.plot(ALPHAS, np.where(wins, central_std, np.nan), color=CENTRAL_COLOR, lw=1.2, ls="--")
        sig.axhline(np.sqrt(ALPHA_TARGET.var), color=plotting.GREY, lw=0.8, ls="-.")
        sig.text(
            0.5,
            3.22,
            "moment matching: σ = √10",
            fontsize=7.5,
            color=plotting.text_color(plotting.GREY),
            ha="center",
        )
        self.marker = self.animated(sig.plot([], [], "o", color=plotting.INK, ms=6)[0])
        self.alpha_line = self.animated(sig.axvline(0.1, color=plotting.GREY, lw=0.8, ls=":"))
        sig.set_xlim(0, 1)
        sig.set_ylim(0, 3.6)
        sig.set_xlabel("α")
        sig.set_ylabel("σ of the optimal q")
        sig.set_title("σ of each local optimum (solid: the best)", fontsize=9)
        sig.legend(
            [
                Line2D([], [], color=ALPHA_COLOR, lw=2),
                Line2D([], [], color=CENTRAL_COLOR, lw=2),
                Line2D([], [], color=plotting.GREY, lw=1.2, ls="--"),
            ],
            ["optimum on a mode (μ ≈ 3)", "central optimum (μ = 0)", "local, not global"],
            loc="center right",
            fontsize=7.5,
        )

    def narrow_layout(self, figure) -> None:
        # On a phone the legend and the readout, in larger type, take more of the panel's
        # height: a higher density axis keeps them above the curves (peaks at most 0.39).
        # The dot marks α on the right: the marker line, which would cross the larger legend
        # and label there, is left out.
        figure.axes[0].set_ylim(0, 0.62)
        self.alpha_line.set_visible(False)

    def draw(self, result: dict) -> None:
        q = result["q"]
        best_color, other_color = (
            (ALPHA_COLOR, CENTRAL_COLOR) if result["mode_seeking"] else (CENTRAL_COLOR, ALPHA_COLOR)
        )
        self.q_line.set_ydata(result["q_density"])
        self.q_line.set_color(best_color)
        other = result["other_density"]
        self.other_line.set_ydata(np.full_like(self._X, np.nan) if other is None else other)
        self.other_line.set_color(other_color)
        state = (result["mode_seeking"], other is not None)
        if state != self.background_state:
            self.background_state = state
            best_handle, other_handle = self.dens_legend.legend_handles[3:]
            best_handle.set_color(best_color)
            other_handle.set_color(other_color)
            other_handle.set_visible(other is not None)
            self.dens_legend.get_texts()[4].set_text(
                "other local optimum" if other is not None else "no other local optimum"
            )
        self.q_text.set_text(
            f"α = {number(result['alpha'], None)}\nq = {_gaussian(q)}\n"
            f"D_α = {number(result['divergence'])}"  # a pure number: no unit
        )
        self.marker.set_data([result["alpha"]], [q.std])
        self.marker.set_color(best_color)
        self.alpha_line.set_xdata([result["alpha"]] * 2)

    def describe(self, result: dict) -> str:
        q, other = result["q"], result["other"]
        kind = "sits on one mode (mode seeking)" if result["mode_seeking"] else (
            "covers both modes (mass covering)"
        )  # fmt: skip
        text = (
            f"For α = {number(result['alpha'], None)} the Gaussian minimising D_α(p‖q) for "
            f"p = ½N(−3, 1) + ½N(3, 1) is q = {_gaussian(q)}, with D_α = "
            f"{number(result['divergence'])} (a pure number): it {kind}"
        )
        if other is not None:
            text += f"; another local optimum, {_gaussian(other)}, is worse"
        return text + "."


def _gaussian(q: Gaussian) -> str:
    return f"N({number(q.mean, 2)}, {number(q.std, 2)}²)"
