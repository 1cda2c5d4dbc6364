"""Explorer of lecture 06 (Variational inference): Gaussian VI step by step."""

from __future__ import annotations

from functools import cache

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D

from coursekit import plotting
from coursekit.explorers.base import Explorer
from coursekit.plotting import number
from coursekit.vi import LogisticRegression2D, fit_gaussian_vi

VI_STEPS = 200
VI_SEED = 0
FAMILIES = {"full": "full covariance", "mean_field": "mean field"}
FAMILY_COLORS = {"full": plotting.Q_COLOR, "mean_field": plotting.PALETTE["green"]}
W0_LIMITS, W1_LIMITS = (-8.2, 2.6), (-2.3, 4.3)
ELBO_BELOW = 8.0  # the ELBO axis shows log p(D) − 8 … log p(D) + 1 nats


@cache
def _vi_model() -> tuple[LogisticRegression2D, object]:
    model = LogisticRegression2D()
    return model, model.grid_posterior(301)


@cache
def _vi_run(family: str):
    """One seeded optimisation run of ``VI_STEPS`` steps (about 0.05 s), computed once."""
    model, _ = _vi_model()
    return fit_gaussian_vi(model, family, steps=VI_STEPS, rng=VI_SEED)


class VIStepsExplorer(Explorer):
    """Gaussian VI step by step: q, the ELBO and the gap KL(q‖posterior) as q is fitted.

    The posterior of the lecture's Bayesian logistic regression (intercept w₀ and slope w₁,
    24 points, prior N(0, 2²I)) is computed on a fine grid (blue contours: the regions holding
    39%, 86% and 99% of its mass, as 1, 2 and 3 standard deviations would for a Gaussian).
    q = N(m, LLᵀ) starts at N(0, I) and climbs the ELBO by Adam with reparameterised gradients
    (64 samples a step, seed 0), with a full covariance or a mean-field (diagonal) one. The
    right panel shows the ELBO trace below log p(D) (dashed): the gap is exactly
    KL(q‖posterior). The full-covariance q ends about 0.008 nats below log p(D); the mean-field
    q cannot tilt, so it stays about 1 nat below, too narrow (variances ≈ 1/Λᵢᵢ).
    Introduced in lecture 06 (Variational inference).
    """

    name = "vi_steps"
    title = "Gaussian VI, step by step: q, the ELBO and the gap"
    params = {
        "step": {"min": 0, "max": VI_STEPS, "value": 20, "step": 1, "label": "optimisation step"},
        "family": {"options": list(FAMILIES), "value": "full", "label": "family of q"},
    }
    book_values = {"step": [0, 5, 10, 20, 40, 80, 120, 200]}
    figsize = (8.6, 3.4)

    @staticmethod
    def compute(step: int, family: str) -> dict:
        _, grid = _vi_model()
        run, other = _vi_run(family), _vi_run("mean_field" if family == "full" else "full")
        step = int(step)
        elbo = float(run.elbo[step])
        return {
            "step": step,
            "family": family,
            "mean": run.means[step],
            "cov": run.covs[step],
            "path": run.means[: step + 1],
            "elbo": elbo,
            "trace": run.elbo[: step + 1],
            "other_trace": other.elbo[: step + 1],
            "log_evidence": grid.log_evidence,
            "gap": grid.log_evidence - elbo,
            "posterior_mean": grid.mean,
            "posterior_cov": grid.cov,
        }

    def build(self, figure) -> None:
        post, trace = figure.subplots(1, 2, width_ratios=[1, 1.1])
        model, grid = _vi_model()
        density = np.exp(grid.log_density)
        # Highest-density levels holding 1 − e^{−c²/2} of the mass (c = 3, 2, 1).
        order = np.sort(density.ravel())[::-1]
        mass = np.cumsum(order) / order.sum()
        levels = [order[np.searchsorted(mass, 1 - np.exp(-c * c / 2))] for c in (3, 2, 1)]
        w0, w1 = grid.axes
        fills = [to_rgba(plotting.P_COLOR, a) for a in (0.12, 0.24, 0.4)]
        post.contourf(w0, w1, density.T, [*levels, density.max() * 1.01], colors=fills)
        post.contour(w0, w1, density.T, levels, colors=plotting.P_COLOR, linewidths=0.8)
        post.plot(*grid.mean, "+", color=plotting.P_COLOR, ms=9, mew=1.8)
        self.path = self.animated(post.plot([], [], color=plotting.GREY, lw=1.0)[0])
        self.ellipses = [
            self.animated(post.plot([], [], color=plotting.Q_COLOR, lw=lw, ls=ls)[0])
            for lw, ls in ((2.0, "-"), (1.3, "--"))
        ]
        self.q_mean = self.animated(post.plot([], [], "o", color=plotting.Q_COLOR, ms=5)[0])
        self.q_text = self.readout(post, 0.03, 0.97, fontsize=8.5, bbox=plotting.text_box())
        post.set_xlim(*W0_LIMITS)
        post.set_ylim(*W1_LIMITS)
        post.set_xlabel("intercept w₀")
        post.set_ylabel("slope w₁")
        post.set_title("posterior p(w | D) (blue) and q (ellipses: 1 and 2 sd)", fontsize=9.5)
        # Only the chosen family's q is drawn, so the legend names that one (set in ``draw``;
        # the static part of the figure is kept for each family, ``background_state``).
        self.background_state = "full"
        self.post_legend = post.legend(
            [
                Line2D([], [], color=plotting.P_COLOR, lw=0.8),
                Line2D([], [], color=FAMILY_COLORS["full"], lw=2),
                Line2D([], [], color=plotting.GREY, lw=1),
            ],
            ["posterior (grid)", f"q, {FAMILIES['full']}", "path of q's mean"],
            loc="lower left",
            fontsize=8,
            handlelength=1.4,
        )

        log_z = grid.log_evidence
        trace.axhline(log_z, color=plotting.INK, lw=1.2, ls="--")
        steps = np.arange(VI_STEPS + 1)
        self.steps = steps
        self.other_line = self.animated(trace.plot([], [], color=plotting.GREY, lw=1.2)[0])
        self.elbo_line = self.animated(trace.plot([], [], color=plotting.Q_COLOR, lw=2.0)[0])
        self.gap_bar = self.animated(
            trace.plot([], [], color=plotting.ACCENT, lw=1.6, marker="_", ms=8)[0]
        )
        self.gap_text = self.readout(
            trace,
            0.97,
            0.6,
            ha="right",
            va="center",
            fontsize=8.5,
            color=plotting.text_color(plotting.ACCENT),
            bbox=plotting.text_box(),
        )
        self.off_text = self.readout(trace, 0.97, 0.04, ha="right", fontsize=8, va="baseline")
        trace.set_xlim(-4, VI_STEPS + 4)
        trace.set_ylim(log_z - ELBO_BELOW, log_z + 1.0)
        trace.set_xlabel("optimisation step")
        trace.set_ylabel("ELBO (nats)")
        trace.set_title("ELBO ≤ log p(D); the gap is KL(q‖posterior)", fontsize=9.5)
        self.trace_legend = trace.legend(
            [
                Line2D([], [], color=plotting.INK, lw=1.2, ls="--"),
                *(Line2D([], [], color=c, lw=2) for c in FAMILY_COLORS.values()),
            ],
            [
                f"log p(D) = {log_z:.3f} (grid)",
                *(f"ELBO, {label}" for label in FAMILIES.values()),
            ],
            loc="lower center",
            bbox_to_anchor=(0.5, 0.08),
            fontsize=8,
        )

    def draw(self, result: dict) -> None:
        family, step = result["family"], result["step"]
        other = "mean_field" if family == "full" else "full"
        color = FAMILY_COLORS[family]
        mean, cov = result["mean"], result["cov"]
        for line, radius in zip(self.ellipses, (1.0, 2.0), strict=True):
            line.set_data(*plotting.ellipse(mean, cov, radius))
            line.set_color(color)
        self.q_mean.set_data([mean[0]], [mean[1]])
        self.q_mean.set_color(color)
        if family != self.background_state:
            self.background_state = family
            self.post_legend.legend_handles[1].set_color(color)
            self.post_legend.get_texts()[1].set_text(f"q, {FAMILIES[family]}")
        self.path.set_data(result["path"][:, 0], result["path"][:, 1])
        sd = np.sqrt(np.diag(cov))
        rho = cov[0, 1] / (sd[0] * sd[1])
        corr = number(rho, 2)
        if corr[0] != "-" and corr != "0.00":
            corr = "+" + corr
        self.q_text.set_text(
            f"step {step}, {FAMILIES[family]}\nq: mean {_pair(mean)}\nsd {_pair(sd)}, corr {corr}"
        )
        steps = self.steps[: step + 1]
        self.elbo_line.set_data(steps, result["trace"])
        self.elbo_line.set_color(color)
        self.other_line.set_data(steps, result["other_trace"])
        self.other_line.set_color(FAMILY_COLORS[other])
        self.other_line.set_alpha(0.45)
        log_z, elbo = result["log_evidence"], result["elbo"]
        bottom = log_z - ELBO_BELOW
        self.gap_bar.set_data([step, step], [max(elbo, bottom), log_z])
        self.gap_text.set_text(
            f"gap at step {step} (vertical bar)\n= log p(D) − ELBO = KL(q‖posterior)\n"
            f"= {number(result['gap'])} nats"
        )
        self.off_text.set_text(
            f"ELBO at this step: {number(elbo, 2)} (below the axis)" if elbo < bottom else ""
        )

    def describe(self, result: dict) -> str:
        mean, cov = result["mean"], result["cov"]
        sd = np.sqrt(np.diag(cov))
        post_sd = np.sqrt(np.diag(result["posterior_cov"]))
        return (
            f"Step {result['step']} of Gaussian VI ({FAMILIES[result['family']]}) on the "
            f"logistic-regression posterior: q has mean {_pair(mean)} and sds {_pair(sd)} "
            f"against the posterior's mean {_pair(result['posterior_mean'])} and sds "
            f"{_pair(post_sd)}; ELBO = {number(result['elbo'])} nats and "
            f"log p(D) = {number(result['log_evidence'])} nats, so the gap "
            f"KL(q‖posterior) = {number(result['gap'])} nats."
        )


def _pair(values) -> str:
    return f"({number(values[0], 2)}, {number(values[1], 2)})"
