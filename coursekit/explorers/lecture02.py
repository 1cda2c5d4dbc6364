"""Explorer of lecture 02 (Cross-entropy)."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from coursekit import info, plotting
from coursekit.explorers.base import Explorer

OUTCOMES = ("dog", "cat", "fish", "bird")
#: Word frequencies of Bob and Alice in C. Olah's "Visual Information Theory" (2015).
WORDS = {
    "Bob": np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8]),
    "Alice": np.array([1 / 8, 1 / 2, 1 / 4, 1 / 8]),
}
#: The gaps on the two cross-entropies of the right panel, in the order of its bars.
GAP_NAMES = ("KL(P‖Q)", "KL(Q‖P)")
WORDS["Bob"].flags.writeable = WORDS["Alice"].flags.writeable = False  # results share them


class CrossEntropyExplorer(Explorer):
    """Cross-entropy as the average surprise you pay when the world is P but you believe Q.

    The true word distribution P is Bob's or Alice's (Olah's example over dog, cat, fish,
    bird); the belief Q = (1 − t)·P + t·(the other person's distribution) moves from P (t = 0)
    to the other distribution (t = 1). Each outcome is a block of width p(x): its height is the
    surprise −log₂ q(x) you pay for it, so the total area is H(P, Q) = −Σ p(x) log₂ q(x). The
    part above the ideal −log₂ p(x) is the excess, whose net area is KL(P‖Q) = H(P, Q) − H(P)
    ≥ 0 (Gibbs). At t = 1 the figure shows Olah's numbers: H(P) = H(Q) = 1.75 bits but
    H(P, Q) = 2.375 and H(Q, P) = 2.25 bits (Bob's words as P): cross-entropy is not symmetric.
    Introduced in lecture 02 (Cross-entropy).
    """

    name = "cross_entropy"
    title = "Cross-entropy: the surprise you pay for believing Q when the world is P"
    params = {
        "truth": {"options": ["Bob", "Alice"], "value": "Bob", "label": "P (true words)"},
        "t": {
            "min": 0.0,
            "max": 1.0,
            "value": 1.0,
            "step": 0.05,
            "label": "belief Q: from P (0) to the other's words (1)",
        },
    }
    book_values = {"t": [round(0.1 * k, 1) for k in range(11)]}
    figsize = (8.4, 3.1)

    @staticmethod
    def compute(truth: str, t: float) -> dict:
        p = WORDS[truth]
        other = WORDS["Alice" if truth == "Bob" else "Bob"]
        q = (1 - t) * p + t * other
        return {
            "truth": truth,
            "t": t,
            "p": p,
            "q": q,
            "surprise_p": info.surprise(p, base=2),
            "surprise_q": info.surprise(q, base=2),
            "entropy_p": info.entropy(p, base=2),
            "entropy_q": info.entropy(q, base=2),
            "cross_pq": info.cross_entropy(p, q, base=2),
            "cross_qp": info.cross_entropy(q, p, base=2),
            "kl_pq": info.kl_divergence(p, q, base=2),
            "kl_qp": info.kl_divergence(q, p, base=2),
        }

    def build(self, figure) -> None:
        dist, blocks, totals = figure.subplots(1, 3, width_ratios=[1, 1.35, 1.05])
        k = np.arange(len(OUTCOMES))
        self.p_bars = [
            self.animated(b)
            for b in dist.bar(k - 0.2, np.zeros(4), 0.4, color=plotting.P_COLOR, label="P (true)")
        ]
        self.q_bars = [
            self.animated(b)
            for b in dist.bar(k + 0.2, np.zeros(4), 0.4, color=plotting.Q_COLOR, label="Q (belief)")
        ]
        dist.set_xticks(k, OUTCOMES)
        dist.set_xlim(-0.6, 3.6)
        dist.set_ylim(0, 0.68)
        dist.set_ylabel("probability")
        dist.set_title("P and Q")
        dist.legend(loc="upper right", handlelength=1.0)
        dist.grid(axis="x", visible=False)

        # Blocks of width p(x), so areas are p-weighted: the surprise −log₂ q(x) paid under the
        # belief Q (orange top line), split into the part an ideal code for P would pay too
        # (blue), the extra paid (purple) or the part saved (green hatching) against
        # −log₂ p(x). The blue and purple area minus the hatched area is H(P, Q).
        self.ideal = [
            self.animated(
                blocks.add_patch(Rectangle((0, 0), 0, 0, color=plotting.P_COLOR, alpha=0.35, lw=0))
            )
            for _ in OUTCOMES
        ]
        self.excess = [
            self.animated(blocks.add_patch(Rectangle((0, 0), 0, 0, lw=0))) for _ in OUTCOMES
        ]
        self.ideal_top = [
            self.animated(
                blocks.plot([], [], color=plotting.P_COLOR, lw=2.5, solid_capstyle="butt")[0]
            )
            for _ in OUTCOMES
        ]
        self.paid = [
            self.animated(
                blocks.plot([], [], color=plotting.Q_COLOR, lw=2.5, solid_capstyle="butt")[0]
            )
            for _ in OUTCOMES
        ]
        self.block_labels = [
            self.animated(blocks.text(0, 0.08, "", ha="center", va="bottom", fontsize=8))
            for _ in OUTCOMES
        ]
        self.dividers = self.animated(blocks.vlines([], [], [], color="white", lw=1.5))
        self.mean_p = self.animated(blocks.axhline(0, color=plotting.P_COLOR, lw=1.3, ls="--"))
        self.mean_q = self.animated(blocks.axhline(0, color=plotting.Q_COLOR, lw=1.3, ls="--"))
        blocks.set_xlim(0, 1)
        blocks.set_ylim(0, 4.55)  # the legend above the blocks (at most 3.2 bits tall)
        blocks.set_yticks(range(4))
        blocks.set_xlabel("outcomes, each as wide as its probability p(x)")
        blocks.set_ylabel("surprise (bits)")
        blocks.set_title("surprise of each outcome, weighted by p(x)")
        blocks.grid(axis="x", visible=False)
        # In columns: the two surprises and what both pay; what Q pays extra or saves; the
        # two averages (the dashed lines).
        handles = [
            Line2D([], [], color=plotting.P_COLOR, lw=2.5),
            Line2D([], [], color=plotting.Q_COLOR, lw=2.5),
            Rectangle((0, 0), 1, 1, color=plotting.P_COLOR, alpha=0.35, lw=0),
            Rectangle((0, 0), 1, 1, color=plotting.KL_COLOR, alpha=0.8, lw=0),
            Rectangle(
                (0, 0), 1, 1, facecolor="white", edgecolor=plotting.SAVED_COLOR, hatch="////", lw=0
            ),
            Line2D([], [], color=plotting.P_COLOR, lw=1.3, ls="--"),
            Line2D([], [], color=plotting.Q_COLOR, lw=1.3, ls="--"),
        ]
        blocks.legend(
            handles,
            [
                "ideal −log₂ p",
                "paid −log₂ q",
                "paid either way",
                "extra paid",
                "saved",
                "mean H(P)",
                "mean H(P,Q)",
            ],
            loc="upper center",
            ncols=3,
            fontsize=7.5,
            handlelength=1.3,
            columnspacing=0.9,
            borderaxespad=0.2,
        )

        # Averages: H(P) and H(P, Q) = H(P) + KL(P‖Q); H(Q) and H(Q, P) = H(Q) + KL(Q‖P).
        x = np.arange(4)
        colors = [plotting.P_COLOR, plotting.P_COLOR, plotting.Q_COLOR, plotting.Q_COLOR]
        self.base_bars = [
            self.animated(b) for b in totals.bar(x, np.zeros(4), 0.62, color=colors, alpha=0.85)
        ]
        self.gap_bars = [
            self.animated(b)
            for b in totals.bar(x[[1, 3]], np.zeros(2), 0.62, color=plotting.KL_COLOR, alpha=0.8)
        ]
        self.total_labels = [
            self.animated(totals.text(i, 0, "", ha="center", va="bottom", fontsize=8.5)) for i in x
        ]
        self.gap_labels = [
            self.animated(
                totals.text(
                    i,
                    0,
                    "",
                    ha="center",
                    va="bottom",
                    fontsize=7.5,
                    color=plotting.text_color(plotting.KL_COLOR),
                )
            )
            for i in x[[1, 3]]
        ]
        totals.set_xticks(x, ["H(P)", "H(P,Q)", "H(Q)", "H(Q,P)"])
        totals.axvline(1.5, color=plotting.GREY, lw=0.8, ls=":")
        totals.set_xlim(-0.55, 3.55)
        totals.set_ylim(0, 3.05)
        totals.set_ylabel("bits")
        totals.set_title("averages: gap = KL")
        totals.grid(axis="x", visible=False)

    def draw(self, result: dict) -> None:
        p, q = result["p"], result["q"]
        for bar, value in zip(self.p_bars, p, strict=True):
            bar.set_height(value)
        for bar, value in zip(self.q_bars, q, strict=True):
            bar.set_height(value)

        left = np.concatenate([[0.0], np.cumsum(p)[:-1]])
        sp, sq = result["surprise_p"], result["surprise_q"]
        for i, name in enumerate(OUTCOMES):
            x0, w = left[i], p[i]
            low, high = sorted((sp[i], sq[i]))
            self.ideal[i].set_bounds(x0, 0, w, low)
            extra = sq[i] > sp[i]
            patch = self.excess[i]
            patch.set_bounds(x0, low, w, high - low)
            patch.set_facecolor(plotting.KL_COLOR if extra else "white")
            patch.set_alpha(0.8 if extra else None)
            patch.set_edgecolor(plotting.SAVED_COLOR)
            patch.set_hatch(None if extra else "////")
            patch.set_linewidth(0)
            self.paid[i].set_data([x0, x0 + w], [sq[i], sq[i]])
            self.ideal_top[i].set_data([x0, x0 + w], [sp[i], sp[i]])
            self.block_labels[i].set_position((x0 + w / 2, 0.06))
            self.block_labels[i].set_text(name)
        self.dividers.set_segments([[[x, 0], [x, 3.2]] for x in left[1:]])
        self.mean_p.set_ydata([result["entropy_p"]] * 2)
        self.mean_q.set_ydata([result["cross_pq"]] * 2)

        kls = (result["kl_pq"], result["kl_qp"])
        bases = [result["entropy_p"], result["entropy_p"], result["entropy_q"], result["entropy_q"]]
        tops = [result["entropy_p"], result["cross_pq"], result["entropy_q"], result["cross_qp"]]
        for bar, label, base, top in zip(
            self.base_bars, self.total_labels, bases, tops, strict=True
        ):
            bar.set_height(base)
            label.set_y(top + 0.03)
            label.set_text(plotting.number(top))
        gaps = zip(self.gap_bars, self.gap_labels, kls, GAP_NAMES, strict=True)
        for k, (bar, label, kl, gap) in enumerate(gaps):
            top = tops[2 * k + 1]
            bar.set_y(bases[2 * k + 1])
            bar.set_height(kl)
            label.set_y(top + 0.2)
            label.set_text(f"{gap}\n{plotting.number(kl)}")

    def describe(self, result: dict) -> str:
        other = "Alice" if result["truth"] == "Bob" else "Bob"
        q = ", ".join(plotting.number(v) for v in result["q"])
        bits = {
            key: f"{plotting.number(result[key])} bits"
            for key in ("entropy_p", "cross_pq", "kl_pq", "entropy_q", "cross_qp", "kl_qp")
        }
        return (
            f"Words follow {result['truth']}'s distribution P and the belief Q has moved "
            f"{result['t']:.2f} of the way to {other}'s, Q = ({q}) over dog, cat, fish, bird: "
            f"cross-entropy H(P,Q) = {bits['cross_pq']} against the entropy "
            f"H(P) = {bits['entropy_p']}, a gap KL(P‖Q) = {bits['kl_pq']}; the other way round "
            f"H(Q,P) = {bits['cross_qp']} against H(Q) = {bits['entropy_q']}, a gap "
            f"KL(Q‖P) = {bits['kl_qp']}."
        )
