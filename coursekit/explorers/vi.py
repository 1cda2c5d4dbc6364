"""Explorers of lectures 06 (Variational inference) and 07 (Between the two KLs)."""

from __future__ import annotations

from functools import cache

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D

from coursekit import plotting
from coursekit.divergences import alpha_divergence, fit_alpha
from coursekit.explorers.base import Explorer
from coursekit.fitting import fit_forward_kl, fit_reverse_kl
from coursekit.gaussians import Gaussian, Mixture
from coursekit.vi import LogisticRegression2D, fit_gaussian_vi

GREY = plotting.PALETTE["grey"]
BOX = {"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}

# -- lecture 06: stepping through Gaussian VI ----------------------------------------------------

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


def _ellipse(mean: np.ndarray, cov: np.ndarray, radius: float) -> np.ndarray:
    """Points (2, 121) on the ellipse {z : (z − mean)ᵀ cov⁻¹ (z − mean) = radius²}."""
    t = np.linspace(0, 2 * np.pi, 121)
    return mean[:, None] + radius * np.linalg.cholesky(cov) @ np.stack([np.cos(t), np.sin(t)])


class VIStepsExplorer(Explorer):
    """Gaussian VI step by step: q, the ELBO and the gap KL(q‖posterior) as q is fitted.

    The posterior of the lecture's Bayesian logistic regression (intercept w₀ and slope w₁,
    24 points, prior N(0, 2²I)) is computed on a fine grid (blue contours: the regions holding
    39%, 86% and 99% of its mass, as 1, 2 and 3 standard deviations would for a Gaussian).
    q = N(m, LLᵀ) starts at N(0, I) and climbs the ELBO by Adam with reparameterised gradients
    (64 samples a step, seed 0), with a full covariance or a mean-field (diagonal) one. The
    right panel shows the ELBO trace below log p(D) (dashed): the gap is exactly
    KL(q‖posterior). The full-covariance q ends about 0.02 nats below log p(D); the mean-field
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
        self.path = self.animated(post.plot([], [], color=GREY, lw=1.0)[0])
        self.ellipses = [
            self.animated(post.plot([], [], color=plotting.Q_COLOR, lw=lw, ls=ls)[0])
            for lw, ls in ((2.0, "-"), (1.3, "--"))
        ]
        self.q_mean = self.animated(post.plot([], [], "o", color=plotting.Q_COLOR, ms=5)[0])
        self.q_text = self.animated(
            post.text(0.03, 0.97, "", transform=post.transAxes, va="top", fontsize=8.5, bbox=BOX)
        )
        post.set_xlim(*W0_LIMITS)
        post.set_ylim(*W1_LIMITS)
        post.set_xlabel("intercept w₀")
        post.set_ylabel("slope w₁")
        post.set_title("posterior p(w | D) (blue) and q (ellipses: 1 and 2 sd)", fontsize=9.5)
        post.legend(
            [
                Line2D([], [], color=plotting.P_COLOR, lw=0.8),
                *(Line2D([], [], color=c, lw=2) for c in FAMILY_COLORS.values()),
                Line2D([], [], color=GREY, lw=1),
            ],
            [
                "posterior (grid)",
                *(f"q, {label}" for label in FAMILIES.values()),
                "path of q's mean",
            ],
            loc="lower left",
            fontsize=8,
            handlelength=1.4,
        )

        log_z = grid.log_evidence
        trace.axhline(log_z, color="#333333", lw=1.2, ls="--")
        steps = np.arange(VI_STEPS + 1)
        self.steps = steps
        self.other_line = self.animated(trace.plot([], [], color=GREY, lw=1.2)[0])
        self.elbo_line = self.animated(trace.plot([], [], color=plotting.Q_COLOR, lw=2.0)[0])
        self.gap_bar = self.animated(
            trace.plot([], [], color=plotting.ACCENT, lw=1.6, marker="_", ms=8)[0]
        )
        self.gap_text = self.animated(
            trace.text(
                0.97,
                0.6,
                "",
                transform=trace.transAxes,
                ha="right",
                va="center",
                fontsize=8.5,
                color=plotting.ACCENT,
                bbox=BOX,
            )  # fmt: skip
        )
        self.off_text = self.animated(
            trace.text(0.97, 0.04, "", transform=trace.transAxes, ha="right", fontsize=8)
        )
        trace.set_xlim(-4, VI_STEPS + 4)
        trace.set_ylim(log_z - ELBO_BELOW, log_z + 1.0)
        trace.set_xlabel("optimisation step")
        trace.set_ylabel("ELBO (nats)")
        trace.set_title("ELBO ≤ log p(D); the gap is KL(q‖posterior)", fontsize=9.5)
        self.trace_legend = trace.legend(
            [
                Line2D([], [], color="#333333", lw=1.2, ls="--"),
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
            line.set_data(*_ellipse(mean, cov, radius))
            line.set_color(color)
        self.q_mean.set_data([mean[0]], [mean[1]])
        self.q_mean.set_color(color)
        self.path.set_data(result["path"][:, 0], result["path"][:, 1])
        sd = np.sqrt(np.diag(cov))
        rho = cov[0, 1] / (sd[0] * sd[1])
        self.q_text.set_text(
            f"step {step}, {FAMILIES[family]}\nq: mean ({mean[0]:.2f}, {mean[1]:.2f})\n"
            f"sd ({sd[0]:.2f}, {sd[1]:.2f}), corr {rho:+.2f}"
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
            f"= {result['gap']:.3f} nats"
        )
        self.off_text.set_text(
            f"ELBO at this step: {elbo:.2f} (below the axis)" if elbo < bottom else ""
        )

    def describe(self, result: dict) -> str:
        mean, cov = result["mean"], result["cov"]
        sd = np.sqrt(np.diag(cov))
        post_sd = np.sqrt(np.diag(result["posterior_cov"]))
        return (
            f"Step {result['step']} of Gaussian VI ({FAMILIES[result['family']]}) on the "
            f"logistic-regression posterior: q has mean ({mean[0]:.2f}, {mean[1]:.2f}) and sds "
            f"({sd[0]:.2f}, {sd[1]:.2f}) against the posterior's mean "
            f"({result['posterior_mean'][0]:.2f}, {result['posterior_mean'][1]:.2f}) and sds "
            f"({post_sd[0]:.2f}, {post_sd[1]:.2f}). ELBO = {result['elbo']:.3f} nats, "
            f"log p(D) = {result['log_evidence']:.3f} nats, so the gap KL(q‖posterior) = "
            f"{result['gap']:.3f} nats."
        )


# -- lecture 07: the α-divergence fit ------------------------------------------------------------

ALPHA_D = 3.0
ALPHA_TARGET = Mixture.symmetric(ALPHA_D)
ALPHAS = np.round(np.arange(1, 100) / 100, 2)
ALPHA_COLOR = plotting.Q_COLOR
CENTRAL_COLOR = plotting.PALETTE["purple"]


@cache
def _alpha_fits(alpha: float) -> tuple[Gaussian | None, Gaussian, float | None, float]:
    """The two local optima of D_α(p‖q): from the right-hand mode (None once it has merged
    into the central fit) and the central one; with their divergences."""
    mode = fit_alpha(ALPHA_TARGET, alpha, Gaussian(ALPHA_D, 1.0))
    central = fit_alpha(ALPHA_TARGET, alpha, fit_forward_kl(ALPHA_TARGET))
    d_central = alpha_divergence(ALPHA_TARGET, central, alpha)
    if abs(mode.mean) < 1e-3:
        return None, central, None, d_central
    return mode, central, alpha_divergence(ALPHA_TARGET, mode, alpha), d_central


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


def _signed(value: float) -> str:
    """A number to 2 decimals, without a minus sign on a rounded zero."""
    return f"{round(value, 2) + 0.0:.2f}"


class AlphaFitExplorer(Explorer):
    """Between the two KLs: the Gaussian that minimises Minka's α-divergence D_α(p‖q).

    The target is p = ½N(−3, 1) + ½N(3, 1). D_α runs from the reverse KL(q‖p) at α → 0 (mode
    seeking) to the forward KL(p‖q) at α → 1 (mass covering, moment matching: σ² = 10); at
    α = ½ it is four times the squared Hellinger distance. For small α the best q sits on one
    mode (σ ≈ 1.02; the fit on the left mode is its mirror image); a second, central optimum
    exists for every α and becomes the better one at α ≈ 0.115; the mode optimum disappears at
    α ≈ 0.465. The right panel follows σ of both optima (solid where that optimum is the
    global one). Faint lines: the reverse-KL fit on the mode and the forward-KL fit of
    lecture 04.
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
        dens.plot(x, ALPHA_TARGET.pdf(x), color=plotting.P_COLOR, label="target p")
        dens.plot(x, reverse.pdf(x), color=GREY, lw=1.0, ls=":", label="reverse-KL fit (α → 0)")
        dens.plot(x, forward.pdf(x), color=GREY, lw=1.0, ls="-.", label="forward-KL fit (α → 1)")
        self.other_line = self.animated(
            dens.plot(x, zeros, color=ALPHA_COLOR, lw=1.2, ls="--", label="other local optimum")[0]
        )
        self.q_line = self.animated(
            dens.plot(x, zeros, color=ALPHA_COLOR, lw=2.4, label="best q for this α")[0]
        )
        self.q_text = self.animated(
            dens.text(
                0.98,
                0.97,
                "",
                transform=dens.transAxes,
                ha="right",
                va="top",
                fontsize=8.5,
                bbox=BOX,
            )  # fmt: skip
        )
        dens.set_xlim(x[0], x[-1])
        dens.set_ylim(0, 0.5)
        dens.set_xlabel("x")
        dens.set_ylabel("density")
        dens.set_title("p = ½N(−3, 1) + ½N(3, 1) and the Gaussian minimising D_α(p‖q)", fontsize=9)
        dens.legend(loc="upper left", fontsize=7.5, handlelength=1.8)

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
        sig.axhline(np.sqrt(ALPHA_TARGET.var), color=GREY, lw=0.8, ls="-.")
        sig.text(0.5, 3.22, "moment matching: σ = √10", fontsize=7.5, color=GREY, ha="center")
        self.marker = self.animated(sig.plot([], [], "o", color="#333333", ms=6)[0])
        self.alpha_line = self.animated(sig.axvline(0.1, color=GREY, lw=0.8, ls=":"))
        sig.set_xlim(0, 1)
        sig.set_ylim(0, 3.6)
        sig.set_xlabel("α")
        sig.set_ylabel("σ of the optimal q")
        sig.set_title("σ of each local optimum (solid: the best)", fontsize=9)
        sig.legend(
            [
                Line2D([], [], color=ALPHA_COLOR, lw=2),
                Line2D([], [], color=CENTRAL_COLOR, lw=2),
                Line2D([], [], color=GREY, lw=1.2, ls="--"),
            ],
            ["optimum on a mode (μ ≈ 3)", "central optimum (μ = 0)", "local, not global"],
            loc="center right",
            fontsize=7.5,
        )

    def draw(self, result: dict) -> None:
        q = result["q"]
        self.q_line.set_ydata(result["q_density"])
        other = result["other_density"]
        self.other_line.set_ydata(np.full_like(self._X, np.nan) if other is None else other)
        self.q_text.set_text(
            f"α = {result['alpha']:.2f}\nq = N({_signed(q.mean)}, {q.std:.2f}²)\n"
            f"D_α = {result['divergence']:.3f} nats"
        )
        self.marker.set_data([result["alpha"]], [q.std])
        self.marker.set_color(ALPHA_COLOR if result["mode_seeking"] else CENTRAL_COLOR)
        self.alpha_line.set_xdata([result["alpha"]] * 2)

    def describe(self, result: dict) -> str:
        q, other = result["q"], result["other"]
        kind = "sits on one mode (mode seeking)" if result["mode_seeking"] else (
            "covers both modes (mass covering)"
        )  # fmt: skip
        text = (
            f"For α = {result['alpha']:.2f} the Gaussian minimising D_α(p‖q) for "
            f"p = ½N(−3, 1) + ½N(3, 1) is q = N({_signed(q.mean)}, {q.std:.2f}²), D_α = "
            f"{result['divergence']:.3f} nats: it {kind}."
        )
        if other is not None:
            text += f" Another local optimum, N({_signed(other.mean)}, {other.std:.2f}²), is worse."
        return text
