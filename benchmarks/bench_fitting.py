"""Time and check coursekit.fitting's reverse-KL fit, which runs inside a slider callback.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_fitting.py``). Prints markdown
tables and never fails. Goals: ``fit_reverse_kl`` median under 30 ms, and within 1e-4 (in
mean and std) of a brute-force minimum: the KL by the trapezoid rule in x on a fine grid,
minimised by zooming 5 × 5 grids of (μ, log σ) around the fit until the step is 1e-7.
"""

import statistics
import time

import numpy as np

from coursekit import fitting
from coursekit.gaussians import Gaussian, Mixture

REPEATS = 21
HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def median_ms(action) -> float:
    action()  # warm-up
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def grid_kl(p, mu, sigma, points=4001):
    """KL(N(μ, σ²)‖p) by the trapezoid rule in x on μ ± 12σ, vectorised over μ and σ."""
    t = np.linspace(-12, 12, points)
    x = mu[..., None] + sigma[..., None] * t
    log_q = -0.5 * t * t - np.log(sigma)[..., None] - HALF_LOG_2PI
    return np.trapezoid(np.exp(log_q) * (log_q - p.logpdf(x)), x, axis=-1)


def brute_force_minimum(p, q: Gaussian) -> tuple[float, float]:
    """Zoom in on the minimum of grid_kl near q (5 × 5 grids, step / 3 when centred),
    starting 0.04 away in μ and log σ so the search has to find the minimum itself."""
    mu, s, h_mu, h_s = q.mean + 0.04, np.log(q.std) - 0.04, 0.05, 0.05
    steps = np.arange(-2, 3)
    while h_s > 1e-7:
        a, b = np.meshgrid(steps * h_mu, steps * h_s, indexing="ij")
        values = grid_kl(p, mu + a, np.exp(s + b))
        k = np.unravel_index(np.argmin(values), values.shape)
        if a[k] == 0 and b[k] == 0:
            h_mu, h_s = h_mu / 3, h_s / 3
        else:
            mu, s = mu + a[k], s + b[k]
    return float(mu), float(np.exp(s))


def target(w: float, d: float) -> Mixture:
    return Mixture((w, 1 - w), (Gaussian(-d, 1.0), Gaussian(d, 1.0)))


CASES = [
    ("½N(−1,1)+½N(1,1)", target(0.5, 1.0), ["left", "centre"]),
    ("½N(−2,1)+½N(2,1)", target(0.5, 2.0), ["left", "centre", "right"]),
    ("½N(−3,1)+½N(3,1)", target(0.5, 3.0), ["left", "centre", "right"]),
    ("½N(−5,1)+½N(5,1)", target(0.5, 5.0), ["left", "centre"]),
    (".9N(−4,1)+.1N(4,1)", target(0.9, 4.0), ["centre", "right"]),
    (
        "½N(−2,.5²)+½N(2,1.5²)",
        Mixture((0.5, 0.5), (Gaussian(-2, 0.5), Gaussian(2, 1.5))),
        ["left", "right"],
    ),
]


def start(p: Mixture, where: str) -> Gaussian:
    means = [c.mean for c in p.components]
    return Gaussian({"left": min(means), "centre": 0.0, "right": max(means)}[where], 1.0)


def main() -> None:
    print(f"## fit_reverse_kl (median of {REPEATS} runs, ms; error against a brute-force grid)\n")
    print("goals: median < 30 ms; |Δμ|, |Δσ| < 1e-4\n")
    print("| target p | start | fit q | KL(q‖p) nats | median ms | max(|Δμ|, |Δσ|) |")
    print("|---|---|---|---:|---:|---:|")
    for name, p, starts in CASES:
        for where in starts:
            try:
                init = start(p, where)
                q = fitting.fit_reverse_kl(p, init)
                ms = median_ms(lambda p=p, init=init: fitting.fit_reverse_kl(p, init))
                mu, sigma = brute_force_minimum(p, q)
                error = max(abs(q.mean - mu), abs(q.std - sigma))
                fit = f"N({round(q.mean, 4) + 0.0:.4f}, {q.std:.4f}²)"
                kl = fitting.reverse_kl(q, p)
                print(f"| {name} | {where} | {fit} | {kl:.6f} | {ms:.2f} | {error:.1e} |")
            except Exception as error:  # a benchmark reports, it never fails
                print(f"| {name} | {where} | failed: {error!r} | | | |")

    print("\n## Other fitting functions (median ms)\n")
    print("| call | median ms |")
    print("|---|---:|")
    p = target(0.5, 3.0)
    means = np.linspace(-6.5, 6.5, 53)
    x = Gaussian(0, 1).sample(1000, 0)
    calls = [
        ("fit_forward_kl(p)", lambda: fitting.fit_forward_kl(p)),
        ("forward_kl(p, q)", lambda: fitting.forward_kl(p, Gaussian(0, 2))),
        ("reverse_kl(q, p)", lambda: fitting.reverse_kl(Gaussian(0, 2), p)),
        ("reverse_kl_optima(p)", lambda: fitting.reverse_kl_optima(p)),
        ("reverse_kl_profile(p, 53 means)", lambda: fitting.reverse_kl_profile(p, means)),
        (
            "mean_field(2-D, 'reverse')",
            lambda: fitting.mean_field([1, 2], [[1, 0.9], [0.9, 1]], "reverse"),
        ),
        ("fit_mle_gaussian(1000 points)", lambda: fitting.fit_mle_gaussian(x)),
    ]
    for label, call in calls:
        try:
            print(f"| {label} | {median_ms(call):.2f} |")
        except Exception as error:
            print(f"| {label} | failed: {error!r} |")


if __name__ == "__main__":
    main()
