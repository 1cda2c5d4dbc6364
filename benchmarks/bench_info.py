"""Time coursekit.info against scipy on distributions with 10**6 outcomes.

Run with ``uv run --locked python benchmarks/bench_info.py``. Prints a markdown table and never
fails. Goal: every coursekit function within 1.2x of scipy's time (validation included) and
identical to 1e-12.
"""

import time

import numpy as np
import scipy.spatial.distance
import scipy.special
import scipy.stats

from coursekit import info

N = 10**6
REPEATS = 21


def median_ms(ours, theirs, args) -> tuple[float, float]:
    """Median wall times of ``ours(*args)`` and ``theirs(*args)`` in milliseconds.

    The two are timed alternately, after a warm-up, so that drift in the machine's speed
    affects both alike.
    """
    ours(*args)
    theirs(*args)
    t_ours, t_theirs = [], []
    for _ in range(REPEATS):
        for func, times in ((ours, t_ours), (theirs, t_theirs)):
            start = time.perf_counter()
            func(*args)
            times.append(time.perf_counter() - start)
    return 1000 * float(np.median(t_ours)), 1000 * float(np.median(t_theirs))


def main() -> None:
    rng = np.random.default_rng(20240601)
    p = rng.random(N)
    p /= p.sum()
    q = rng.random(N)
    q /= q.sum()
    # cross_entropy has a separate branch for exact zeros in q (0 log 0): time it too.
    p0, q0 = p.copy(), q.copy()
    p0[::10] = 0
    q0[::20] = 0  # only where p0 is 0 too, so the result stays finite
    p0 /= p0.sum()
    q0 /= q0.sum()

    cases = [
        (
            "entropy",
            info.entropy,
            scipy.stats.entropy,
            (p,),
            "scipy.stats.entropy(p)",
        ),
        (
            "cross_entropy",
            info.cross_entropy,
            lambda p, q: -scipy.special.xlogy(p, q).sum(),
            (p, q),
            "-scipy.special.xlogy(p, q).sum()",
        ),
        (
            "cross_entropy, 10% zeros",
            info.cross_entropy,
            lambda p, q: -scipy.special.xlogy(p, q).sum(),
            (p0, q0),
            "-scipy.special.xlogy(p, q).sum()",
        ),
        (
            "kl_divergence",
            info.kl_divergence,
            lambda p, q: scipy.special.rel_entr(p, q).sum(),
            (p, q),
            "scipy.special.rel_entr(p, q).sum()",
        ),
        (
            "js_divergence",
            info.js_divergence,
            lambda p, q: scipy.spatial.distance.jensenshannon(p, q) ** 2,
            (p, q),
            "scipy.spatial.distance.jensenshannon(p, q) ** 2",
        ),
    ]

    print(f"# coursekit.info vs scipy, {N:,} outcomes, median of {REPEATS} runs")
    print()
    print("Goal: within 1.2x of scipy's time (input validation included) and identical to 1e-12.")
    print()
    print("| function | coursekit (ms) | scipy (ms) | ratio | max abs diff |")
    print("|---|---:|---:|---:|---:|")
    for name, ours, theirs, args, _ in cases:
        t_ours, t_theirs = median_ms(ours, theirs, args)
        diff = abs(ours(*args) - theirs(*args))
        print(f"| {name} | {t_ours:.2f} | {t_theirs:.2f} | {t_ours / t_theirs:.2f} | {diff:.1e} |")
    print()
    print("scipy reference for each row:")
    for name, *_, label in cases:
        print(f"- {name}: `{label}`")


if __name__ == "__main__":
    main()
