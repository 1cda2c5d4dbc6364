"""Explorer of lecture 05 (Maximum likelihood is forward KL): the NLL landscape."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.lines import Line2D

from coursekit import fitting, plotting
from coursekit.explorers.base import Explorer
from coursekit.explorers.controls import cache_key, slider_values
from coursekit.gaussians import Gaussian, gaussian_entropy, gaussian_kl, normal_logpdf
from coursekit.plotting import number

MLE_SEED = 505
MLE_MAX_N = 1000
SAMPLE_SIZES = [5, 20, 100, 1000]
TRUE_P = Gaussian(0.0, 1.0)
TRUE_ENTROPY = float(gaussian_entropy(1.0))  # h(p) = ½ ln(2πe) = 1.418939 nats
_DATA = TRUE_P.sample(MLE_MAX_N, MLE_SEED)  # nested: the first n of one seeded sample
_DATA.flags.writeable = False
_MU_GRID = np.linspace(-2.0, 2.0, 201)
_BINS = np.linspace(-4.0, 4.0, 17)
_XH = np.linspace(-4.0, 4.0, 321)
NLL_LIMITS = (0.0, 4.6)
GAP_AT = (-1.5, -1.2, -0.9, -0.6, -0.4)  # where the arrow showing the gap h(p) may stand
#: The NLL and its minimiser, the fitted model, in the colour of a forward-KL fit (lecture 04).
NLL_COLOR = plotting.FORWARD_COLOR


def mle_data(n: int) -> np.ndarray:
    """The first ``n`` of the explorer's fixed sample from p = N(0, 1) (seed 505)."""
    return _DATA[:n]


@lru_cache(maxsize=64)
def _mle_result(n: int, sigma: float) -> dict:
    x = mle_data(n)
    # Mean NLL of q = N(μ, σ²) for every μ on the grid, straight from the data.
    nll = -np.mean(normal_logpdf(x[None, :], _MU_GRID[:, None], sigma), axis=1)
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
    """Maximum likelihood is forward KL: the mean NLL of data against KL(p‖q) + h(p).

    n points are drawn from p = N(0, 1) (a fixed seed; a larger n adds points to the same
    sample). For a model q = N(μ, σ²) with σ set by the slider, the left panel shows, along μ,
    the mean negative log-likelihood −(1/n) Σ log q(xᵢ) (computed from the data), the
    cross-entropy H(p, q) that it estimates, and the forward KL(p‖q) = H(p, q) − h(p). The KL
    and the cross-entropy differ by the constant h(p) = ½ ln(2πe) ≈ 1.419 nats, the
    differential entropy of p, so they have the same minimiser; the NLL is the cross-entropy
    from the data's empirical distribution and approaches it as n grows, so its minimiser, the
    MLE μ̂ = x̄, approaches the KL's, μ = 0. The NLL and the fitted model are drawn in the
    colour of a forward-KL fit. The right panel shows the data and the fitted model N(μ̂, σ²).
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
        return _mle_result(int(n), cache_key(sigma))

    def build(self, figure) -> None:
        # Work out every control setting once (about 0.1 s), so a move only looks it up.
        for n in SAMPLE_SIZES:
            for sigma in slider_values(self.params["sigma"]):
                _mle_result(n, cache_key(sigma))
        land, hist = figure.subplots(1, 2, width_ratios=[1.3, 1])
        self.cross_line = self.animated(land.plot(_MU_GRID, _MU_GRID, color="black", lw=1.8)[0])
        self.kl_line = self.animated(
            land.plot(_MU_GRID, _MU_GRID, color=plotting.KL_COLOR, lw=1.8, ls="--")[0]
        )
        self.nll_line = self.animated(land.plot(_MU_GRID, _MU_GRID, color=NLL_COLOR, lw=2)[0])
        self.gap = self.animated(
            land.annotate(
                "",
                xy=(GAP_AT[0], 1.0),
                xytext=(GAP_AT[0], 0.0),
                arrowprops={"arrowstyle": "<->", "color": plotting.GREY, "lw": 1.2},
            )
        )
        self.mle_dot = self.animated(land.plot([], [], "o", color=NLL_COLOR, ms=7)[0])
        self.mle_drop = self.animated(land.axvline(0, color=NLL_COLOR, lw=1, ls=":"))
        self.true_dot = self.animated(land.plot([], [], "o", color="black", ms=6)[0])
        # The KL's minimum sits on the axis (KL = 0): drawn whole, not clipped.
        self.kl_dot = self.animated(
            land.plot([], [], "o", color=plotting.KL_COLOR, ms=6, clip_on=False)[0]
        )
        land.set_xlim(_MU_GRID[0], _MU_GRID[-1])
        land.set_ylim(*NLL_LIMITS)
        land.set_xlabel("mean μ of the model q = N(μ, σ²)")
        land.set_ylabel("nats")
        land.legend(
            [
                Line2D([], [], color=NLL_COLOR, lw=2),
                Line2D([], [], color="black", lw=1.8),
                Line2D([], [], color=plotting.KL_COLOR, lw=1.8, ls="--"),
                Line2D([], [], color=plotting.GREY, marker="$↕$", ms=9, ls="none"),
            ],
            [
                "mean NLL of the data",
                "H(p, q) = KL + h(p)",
                "KL(p‖q)",
                f"gap h(p) = {TRUE_ENTROPY:.3f}",
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
        self.model_line = self.animated(hist.plot(_XH, _XH, color=plotting.FORWARD_COLOR, lw=2)[0])
        self.rug = self.animated(hist.vlines([], 0, 0, color=plotting.P_COLOR, lw=0.8, alpha=0.6))
        self.fit_text = self.readout(
            hist, 0.02, 0.97, fontsize=8, linespacing=1.4, bbox=plotting.text_box(0.3)
        )
        hist.set_xlim(_BINS[0], _BINS[-1])
        hist.set_ylim(-0.04, 1.0)
        hist.set_xlabel("x")
        hist.set_ylabel("density")
        hist.legend(
            [
                Line2D([], [], color=plotting.P_COLOR, lw=6, alpha=0.35),
                Line2D([], [], color=plotting.P_COLOR, lw=1.3, ls=":"),
                Line2D([], [], color=plotting.FORWARD_COLOR, lw=2),
            ],
            ["data", "true p = N(0, 1)", "model N(μ̂, σ²)"],
            loc="upper right",
            fontsize=7.5,
            handlelength=1.6,
        )

    def narrow_layout(self, figure) -> None:
        # On a phone the five lines of the readout, in larger type, reach half-way down the
        # panel: a higher density axis keeps the model's peak (0.8 at σ = 0.5) below them.
        figure.axes[1].set_ylim(-0.04, 1.7)

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
            f"n = {result['n']}\nMLE μ̂ = x̄ = {number(mle.mean)}\n1/N std σ̂ = {mle.std:.3f}\n"
            f"model σ = {result['sigma']:.1f}\nNLL at μ̂: {result['nll_at_mu_hat']:.3f} nats"
        )

    def describe(self, result: dict) -> str:
        return (
            f"With n = {result['n']} draws from p = N(0, 1) and a model q = N(μ, "
            f"{result['sigma']:.1f}²): the mean negative log-likelihood of the data is lowest at "
            f"the MLE μ̂ = x̄ = {result['mu_hat']:+.3f} ({result['nll_at_mu_hat']:.3f} nats); it "
            f"estimates the cross-entropy H(p, q), which is lowest at μ = 0 and lies exactly "
            f"h(p) = {TRUE_ENTROPY:.3f} nats above the forward KL(p‖q) for every μ."
        )
