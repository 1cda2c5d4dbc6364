"""Time every explorer's update: the computation alone, and computation plus redraw on Agg.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_explorers.py``). Prints a
markdown table and never fails. Goals: computation median under 10 ms; computation plus a
full redraw median under 100 ms (the point below which a response feels instant). The live
widget redraws only the changing artists over a cached background (blitting) and encodes a
256-colour PNG (``live_view.frame_bytes``); that path is timed too, since it is what a
student waits for (benchmarks/bench_lab_latency.py times it in JupyterLab, key press to
pixels). Times are wall-clock medians, so they grow with the machine's load (printed).
"""

import os
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from coursekit import explorers  # noqa: E402
from coursekit.explorers import live_view  # noqa: E402
from coursekit.explorers.controls import random_values  # noqa: E402

SAMPLES = 30


def median_ms(action, settings: list[dict]) -> tuple[float, float]:
    """Median wall-clock and CPU time (ms) of ``action`` over the settings."""
    wall, cpu = [], []
    for values in settings:
        start, start_cpu = time.perf_counter(), time.process_time()
        action(values)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return 1000 * statistics.median(wall), 1000 * statistics.median(cpu)


def live_frame(explorer) -> bytes:
    """The live view's encoding (older versions of the library encoded ``png()``)."""
    encode = getattr(live_view, "frame_bytes", None)
    return encode(explorer) if encode else explorer.png()


def time_explorer(cls, rng: np.random.Generator):
    """Median times (ms) of computation, computation + full redraw, and the live path."""
    explorer = cls()
    settings = [random_values(cls.params, rng) for _ in range(SAMPLES)]

    def compute(values):
        cls.compute(**{**explorer.values, **values})

    def full(values):
        explorer.update(**values)
        explorer.render(full=True)

    def live(values):
        explorer.update(**values)
        live_frame(explorer)

    compute_ms, _ = median_ms(compute, settings)
    full_ms = median_ms(full, settings)
    explorer.render()  # warm the cached background before timing the live path
    live_ms = median_ms(live, settings)
    frames = int(np.prod([len(v) for v in explorer.frame_values().values()]))
    return compute_ms, full_ms, live_ms, frames


def main() -> None:
    rng = np.random.default_rng(7)
    print(f"## Explorer updates (median of {SAMPLES} random settings, ms)\n")
    print("goals: computation < 10 ms; computation + full redraw (Agg) < 100 ms\n")
    print(
        "Wall-clock time, and in brackets the CPU time, which the load of a shared machine "
        f"does not stretch; load average (1 min) at the start: {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores.\n"
    )
    print("| explorer | computation | + full redraw (Agg) | live: + blit + PNG | book frames |")
    print("|---|---:|---:|---:|---:|")
    for name, cls in explorers.available().items():
        compute_ms, (full_ms, full_cpu), (live_ms, live_cpu), frames = time_explorer(cls, rng)
        print(
            f"| {name} | {compute_ms:.2f} | {full_ms:.1f} ({full_cpu:.1f}) "
            f"| {live_ms:.1f} ({live_cpu:.1f}) | {frames} |"
        )


if __name__ == "__main__":
    main()
