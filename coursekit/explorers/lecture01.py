"""Explorers of lecture 01 (Surprise and entropy)."""

from __future__ import annotations

import numpy as np
from matplotlib import transforms

from coursekit import info, plotting
from coursekit.explorers.base import Explorer
from coursekit.gaussians import Gaussian, gaussian_entropy

_P_GRID = np.linspace(0.0, 1.0, 401)
_H2_CURVE = info.binary_entropy(_P_GRID, base=2)
#: Outcome numbers under the categorical bars: their distance below the axis and the x label's
#: below the axis (points), as matplotlib's tick labels (3.5 pt tick + 3.5 pt pad) and a line.
OUTCOME_PAD = 7.0
OUTCOME_LABELPAD = 20.0
#: Top of the Gaussian's density axis: peaks of σ < 1/(2.2 √(2π)) ≈ 0.18 are cut and marked.
DENSITY_TOP = 2.2
SURPRISE_CAP = 7.0  # bits; taller bars are drawn at the cap and labelled "∞" or by value


class CoinExplorer(Explorer):
    """A coin with P(heads) = p: the surprise of each face and the binary entropy curve.

    Surprise of a face with probability p is −log₂ p bits; the entropy is their average,
    H₂(p) = −p log₂ p − (1 − p) log₂(1 − p), largest (1 bit) for a fair coin and 0 for a
    two-headed one. Introduced in lecture 01 (Surprise and entropy).
    """

    name = "coin"
    title = "Surprise and entropy of a biased coin"
    params = {"p": {"min": 0.0, "max": 1.0, "value": 0.3, "step": 0.01, "label": "P(heads)"}}
    book_values = {"p": [round(v, 2) for v in np.linspace(0, 1, 21)]}
    figsize = (7.2, 2.9)

    @staticmethod
    def compute(p: float) -> dict:
        probs = np.array([p, 1.0 - p])
        return {
            "p": p,
            "surprise": info.surprise(probs, base=2),
            "entropy": info.entropy(probs, base=2),
        }

    def build(self, figure) -> None:
        left, right = figure.subplots(1, 2, width_ratios=[1, 1.35])
        self.bars = [
            self.animated(bar)
            for bar in left.bar(
                ["heads", "tails"], [0, 0], color=[plotting.P_COLOR, plotting.Q_COLOR], width=0.6
            )
        ]
        self.bar_labels = [
            self.animated(left.text(i, 0, "", ha="center", va="bottom", fontsize=9))
            for i in range(2)
        ]
        left.set_ylim(0, SURPRISE_CAP + 0.8)
        left.set_ylabel("surprise −log₂ p (bits)")
        left.set_title("surprise of each face")
        right.plot(_P_GRID, _H2_CURVE, color=plotting.PALETTE["black"], lw=1.5)
        self.drop = self.animated(right.vlines([0], [0], [0], color=plotting.ACCENT, lw=1, ls="--"))
        # Not clipped: at P(heads) = 0 or 1 the marker sits on the corner of the axes.
        self.marker = self.animated(
            right.plot([], [], "o", color=plotting.ACCENT, ms=8, clip_on=False)[0]
        )
        self.entropy_text = self.animated(right.text(0.5, 1.08, "", ha="center", fontsize=9))
        right.set_xlim(0, 1)
        right.set_ylim(0, 1.2)
        right.set_xlabel("P(heads)")
        right.set_ylabel("entropy H (bits)")
        right.set_title("binary entropy curve")

    def draw(self, result: dict) -> None:
        for bar, label, s in zip(self.bars, self.bar_labels, result["surprise"], strict=True):
            bar.set_height(min(s, SURPRISE_CAP))
            label.set_y(min(s, SURPRISE_CAP) + 0.1)
            label.set_text("∞" if np.isinf(s) else plotting.number(s, 2))
        p, h = result["p"], result["entropy"]
        self.marker.set_data([p], [h])
        self.drop.set_segments([[[p, 0], [p, h]]])
        self.entropy_text.set_text(f"H = {plotting.number(h)} bits")

    def describe(self, result: dict) -> str:
        s_heads, s_tails = result["surprise"]
        return (
            f"A coin with P(heads) = {result['p']:.2f}: heads carries "
            f"{_bits(s_heads)} of surprise, tails {_bits(s_tails)}; the entropy, "
            f"their average, is {plotting.number(result['entropy'])} bits on the binary "
            "entropy curve."
        )


class CategoricalExplorer(Explorer):
    """A categorical distribution over n outcomes with p_i ∝ exp(−s·i): entropy vs log₂ n.

    s = 0 is the uniform distribution, whose entropy log₂ n is the largest possible; as s
    grows the mass piles onto the first outcome and the entropy falls towards 0.
    Introduced in lecture 01 (Surprise and entropy).
    """

    name = "categorical"
    title = "Entropy of a categorical distribution against its maximum"
    params = {
        "n": {"min": 2, "max": 8, "value": 4, "step": 1, "label": "outcomes n"},
        "s": {"min": 0.0, "max": 3.0, "value": 0.5, "step": 0.05, "label": "concentration s"},
    }
    book_values = {"s": [round(v, 2) for v in np.arange(0, 3.01, 0.25)]}
    figsize = (7.2, 2.9)

    @staticmethod
    def compute(n: int, s: float) -> dict:
        weights = np.exp(-s * np.arange(n))
        probs = weights / weights.sum()
        return {"probs": probs, "entropy": info.entropy(probs, base=2), "max": np.log2(n)}

    def build(self, figure) -> None:
        left, right = figure.subplots(1, 2, width_ratios=[1.45, 1])
        # Only the n outcomes of the distribution are drawn: n bars spread over the width,
        # each numbered under the axis (animated texts, since the axis itself is drawn once),
        # so no empty slot reads as an outcome of probability 0.
        self.bars = [
            self.animated(bar)
            for bar in left.bar(np.arange(8), np.zeros(8), color=plotting.P_COLOR, width=0.7)
        ]
        self.labels = [
            self.animated(left.text(i, 0, "", ha="center", va="bottom", fontsize=8))
            for i in range(8)
        ]
        under_axis = transforms.offset_copy(
            left.get_xaxis_transform(), figure, y=-OUTCOME_PAD, units="points"
        )
        self.outcomes = [
            self.animated(
                left.text(i, 0, "", ha="center", va="top", fontsize=9, transform=under_axis)
            )
            for i in range(8)
        ]
        left.set_xlim(0, 8)
        left.set_ylim(0, 1.15)
        left.set_xticks([])
        left.set_xlabel("outcome i (label: its surprise in bits)", labelpad=OUTCOME_LABELPAD)
        left.set_ylabel("probability $p_i$")
        left.set_title("the distribution")
        # Direct labels instead of a legend: the entropy's value left of its bar, the
        # maximum's right of its line, so they never meet however close H is to log₂ n.
        self.h_bar = self.animated(right.bar([0], [0], color=plotting.P_COLOR, width=0.4)[0])
        self.max_line = self.animated(right.hlines([0], -0.3, 0.3, color=plotting.ACCENT, lw=2.5))
        label = {"va": "center", "fontsize": 8.5, "linespacing": 1.2}
        self.h_text = self.animated(
            right.text(
                -0.38, 0, "", ha="right", color=plotting.text_color(plotting.P_COLOR), **label
            )
        )
        self.max_text = self.animated(
            right.text(0.34, 0, "", ha="left", color=plotting.text_color(plotting.ACCENT), **label)
        )
        right.set_xlim(-1.0, 1.25)
        right.set_xticks([])
        right.set_ylim(0, 3.4)
        right.set_ylabel("bits")
        right.set_title("entropy vs its maximum")

    def narrow_layout(self, figure) -> None:
        # The outcome numbers grow with the phone's fonts: the x label moves down with them.
        size = self.outcomes[0].get_fontsize()
        figure.axes[0].xaxis.labelpad = max(OUTCOME_LABELPAD, OUTCOME_PAD + 1.4 * size)

    def draw(self, result: dict) -> None:
        probs = result["probs"]
        surprise = info.surprise(probs, base=2)
        n = len(probs)
        slot = 8 / n
        width = min(0.7 * slot, 1.4)
        for i, (bar, label, outcome) in enumerate(
            zip(self.bars, self.labels, self.outcomes, strict=True)
        ):
            visible = i < n
            centre = (i + 0.5) * slot
            bar.set_visible(visible)
            bar.set_x(centre - width / 2)
            bar.set_width(width)
            bar.set_height(probs[i] if visible else 0)
            for text in (label, outcome):
                text.set_x(centre)
                text.set_visible(visible)
            label.set_y(probs[i] + 0.02 if visible else 0)
            label.set_text(plotting.number(surprise[i], 1) if visible else "")
            outcome.set_text(str(i + 1) if visible else "")
        h, top = result["entropy"], result["max"]
        self.h_bar.set_height(h)
        self.max_line.set_segments([[[-0.3, top], [0.3, top]]])
        self.h_text.set_y(max(h, 0.25))
        self.h_text.set_text(f"entropy\nH = {plotting.number(h, 2)}")
        self.max_text.set_y(top)
        self.max_text.set_text(f"maximum\nlog₂ n = {plotting.number(top, 2)}")

    def describe(self, result: dict) -> str:
        probs = ", ".join(_probability(p) for p in result["probs"])
        return (
            f"A distribution over {len(result['probs'])} outcomes with probabilities "
            f"{probs}: entropy {plotting.number(result['entropy'])} bits against the maximum "
            f"log₂ n = {plotting.number(result['max'])} bits."
        )


class GaussianEntropyExplorer(Explorer):
    """A Gaussian N(0, σ²) and its differential entropy ½ log(2πeσ²), which crosses zero.

    The entropy is negative exactly when σ < 1/√(2πe) ≈ 0.242, and rescaling x by a factor c
    adds log c: differential entropy is not an amount of information on its own.
    Introduced in lecture 01 (Surprise and entropy).
    """

    name = "gaussian_entropy"
    title = "Differential entropy of a Gaussian"
    params = {"sigma": {"min": 0.05, "max": 3.0, "value": 1.0, "step": 0.05, "label": "σ"}}
    book_values = {"sigma": [round(v, 2) for v in np.arange(0.1, 3.01, 0.1)]}
    figsize = (7.2, 2.9)

    _X = np.linspace(-6, 6, 601)
    _SIGMAS = np.geomspace(0.05, 3.0, 200)

    @staticmethod
    def compute(sigma: float) -> dict:
        pdf = Gaussian(0.0, sigma).pdf(GaussianEntropyExplorer._X)
        return {"sigma": sigma, "pdf": pdf, "entropy": float(gaussian_entropy(sigma))}

    def build(self, figure) -> None:
        left, right = figure.subplots(1, 2)
        self.fill = self.animated(
            left.fill_between(
                self._X, np.zeros_like(self._X), color=plotting.P_COLOR, alpha=0.25, lw=0
            )
        )
        self.curve = self.animated(
            left.plot(self._X, np.zeros_like(self._X), color=plotting.P_COLOR)[0]
        )
        # The peak 1/(σ√(2π)) exceeds √e exactly when σ < 1/√(2πe), where h < 0. Nothing else
        # reaches this height right of x = 0.5 (the density there is at most 0.48), so the
        # label stands there.
        left.axhline(np.sqrt(np.e), color=plotting.GREY, lw=1, ls=":")
        left.text(
            5.8,
            np.sqrt(np.e) + 0.05,
            "peak > √e ≈ 1.65\nmeans h < 0",
            ha="right",
            va="bottom",
            fontsize=7.5,
            color=plotting.text_color(plotting.GREY),
        )
        # The density's scale is fixed, so that a narrow Gaussian is seen to be tall; below
        # σ ≈ 0.18 its peak rises past the top, where a triangle marks the cut and the readout
        # gives the height. That readout stands left of x = −1, where no density of the
        # family reaches 0.25 (p(x) ≤ 1/(|x|√(2πe)) for every σ).
        below_top = left.transData + transforms.ScaledTranslation(
            0, -4.5 / 72, figure.dpi_scale_trans
        )  # the triangle's tip on the top edge of the axes
        self.cut = self.animated(
            left.plot(
                [], [], "^", color=plotting.P_COLOR, ms=9, mec="white", mew=1.2, transform=below_top
            )[0]
        )
        self.peak_text = self.readout(
            left, 0.03, 0.62, fontsize=8.5, color=plotting.text_color(plotting.P_COLOR)
        )
        left.set_xlim(-6, 6)
        left.set_ylim(0, DENSITY_TOP)
        left.set_xlabel("x")
        left.set_ylabel("density p(x)")
        left.set_title("N(0, σ²)")
        right.plot(
            self._SIGMAS, gaussian_entropy(self._SIGMAS), color=plotting.PALETTE["black"], lw=1.5
        )
        right.axhline(0, color=plotting.GREY, lw=1)
        crossing = 1 / np.sqrt(2 * np.pi * np.e)
        right.axvline(crossing, color=plotting.GREY, lw=1, ls=":")
        # Top left, left of the dotted line, where the curve (below 2 nats up to σ ≈ 1.8)
        # never goes; the readout stands bottom right, where the curve (above 0.2 nats right
        # of σ = 0.3) never goes either.
        right.text(crossing / 1.08, 2.35, "σ = 1/√(2πe)", ha="right", va="top", fontsize=8)
        # Not clipped: at either end of the σ range the marker sits on the edge of the axes.
        self.marker = self.animated(
            right.plot([], [], "o", color=plotting.ACCENT, ms=8, clip_on=False)[0]
        )
        self.h_text = self.readout(right, 0.97, 0.04, fontsize=9, ha="right", va="bottom")
        right.set_xscale("log")
        right.set_xlim(0.045, 3.4)  # room for the whole marker at either end of the range
        right.set_xticks([0.05, 0.1, 0.25, 0.5, 1, 2], ["0.05", "0.1", "0.25", "0.5", "1", "2"])
        right.minorticks_off()
        right.set_ylim(-3.0, 2.6)
        right.set_xlabel("σ (log scale)")
        right.set_ylabel("differential entropy (nats)")
        right.set_title("½ log(2πeσ²)")

    def draw(self, result: dict) -> None:
        self.curve.set_ydata(result["pdf"])
        self.fill.set_data(self._X, 0, result["pdf"])
        peak = _peak(result["sigma"])
        cut = peak > DENSITY_TOP
        self.cut.set_data([0.0] if cut else [], [DENSITY_TOP] if cut else [])
        self.peak_text.set_text(
            f"peak 1/(σ√(2π))\n= {plotting.number(peak, 2)}"
            + ("\n(above the top ▲)" if cut else "")
        )
        h = result["entropy"]
        self.marker.set_data([result["sigma"]], [h])
        self.h_text.set_text(
            f"h = {plotting.number(h)} nats\n= {plotting.number(h / np.log(2))} bits"
        )

    def describe(self, result: dict) -> str:
        h = result["entropy"]
        sign = "negative" if h < 0 else "positive" if h > 0 else "zero"
        return (
            f"A Gaussian with σ = {result['sigma']:.2f} and peak density "
            f"{plotting.number(_peak(result['sigma']), 2)}: its differential entropy "
            f"½ log(2πeσ²) is {plotting.number(h)} nats, {sign}."
        )


def _peak(sigma: float) -> float:
    """Height 1/(σ√(2π)) of the density of N(0, σ²) at its mean."""
    return 1.0 / (sigma * np.sqrt(2 * np.pi))


def _probability(p: float) -> str:
    """A probability to 3 decimals (0.125 stays 0.125); one that rounds to 0 as "< 0.001"."""
    return plotting.number(p) if p >= 0.0005 else "< 0.001"


def _bits(value: float) -> str:
    return "infinite bits" if np.isinf(value) else f"{plotting.number(value, 2)} bits"
