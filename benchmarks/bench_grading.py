"""Time `coursekit grade` on 50 submissions of lecture 01, the sandbox's cost, and check calls.

Run with ``uv run --locked python benchmarks/bench_grading.py``. Prints markdown tables and
never fails. The submissions are copies of the master notebook (every answer right) and, one in
five, of its student copy (nothing attempted), each in a folder of its own as an instructor
would collect them. Every submission runs in a bubblewrap sandbox of its own, its runner forked
from a zygote that imported the lecture modules once (or a fresh Python reading the grader's
bytecode cache). Goals: 50 submissions with ``--jobs 2`` in
under 60 s on a 2-core machine; a check call in the notebook (``ex.qN.check(answer)``) under
50 ms. The sandbox's own cost is measured twice: the same submissions graded by a fresh Python
with and without it (same cache), and an empty sandbox started and ended alone; and what the
preloaded zygote saves against a fresh Python in each sandbox.
"""

import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MASTER = ROOT / "notebooks" / "01-surprise-and-entropy.ipynb"
SUBMISSIONS = 50
JOBS = 2
GOAL_SECONDS = 60
CHECK_GOAL_MS = 50
COMPARE = 10  # submissions graded with and without the sandbox


def make_submissions(folder: Path, count: int) -> list[Path]:
    import nbformat

    from coursekit.student import make_student_copy

    master = nbformat.read(MASTER, as_version=4)
    student = make_student_copy(MASTER)
    paths = []
    for i in range(count):
        path = folder / f"student{i:02d}" / MASTER.name
        path.parent.mkdir(parents=True)
        nbformat.write(student if i % 5 == 4 else master, path)
        paths.append(path)
    return paths


def bench_batch(
    paths: list[Path], jobs: int, sandbox: bool = True, preload: bool = True
) -> tuple[float, float, list]:
    """Wall seconds, CPU seconds (grader, sandboxes and notebooks) and the results."""
    from coursekit.grading import grade_batch
    from coursekit.grading.sandbox import cache_dir

    cpu = time.process_time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    results = grade_batch(
        paths,
        jobs=jobs,
        timeout=300,
        progress=False,
        sandbox=sandbox,
        cache=cache_dir(),
        preload=preload,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu
    # bwrap, the warm-up and unsandboxed runners are reaped children of this process; a
    # sandboxed runner (reaped inside its sandbox, or forked by the zygote) counts its own.
    cpu += (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if sandbox:
        cpu += sum(r.kernel_cpu or 0.0 for r in results)
    return wall, cpu, results


def bench_empty_sandbox(repeats: int = 20) -> float:
    """Median seconds to create and end an empty sandbox with the grader's bwrap options."""
    from coursekit.grading import sandbox

    bwrap = sandbox.check_sandbox()
    with tempfile.TemporaryFile() as notebook:
        argv = sandbox.bwrap_argv(
            bwrap, sandbox.Limits(), sandbox.cache_dir(), notebook.fileno(), "x.ipynb"
        )
        times = []
        for _ in range(repeats):
            notebook.seek(0)
            start = time.perf_counter()
            subprocess.run([*argv, "/usr/bin/true"], pass_fds=(notebook.fileno(),), check=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_checks(repeats: int = 51) -> list[tuple[str, float]]:
    """Median time of ``ex.qN.check(answer)`` with the reference answer, per question."""
    from coursekit import exercises

    ex = exercises.load("01")
    rows = []
    for exercise in ex:
        namespace = {"np": np}
        exec(exercise.solution_code, namespace)
        answer = namespace[exercise.variable]
        exercise.check(answer)  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            exercise.check(answer)
            times.append(time.perf_counter() - start)
        rows.append((exercise.key, 1000 * float(np.median(times))))
    return rows


def main() -> None:
    print("## Grading throughput (lecture 01, every notebook in its own sandbox)\n")
    print(
        f"{os.cpu_count()} CPUs; goal: {SUBMISSIONS} submissions with --jobs {JOBS} in under "
        f"{GOAL_SECONDS} s\n"
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        paths = make_submissions(folder, SUBMISSIONS)
        print(
            "| sandbox | runner | submissions | jobs | total s | s per submission | CPU s | "
            "CPU s per submission | CPU s / jobs | graded | goal |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        load = os.getloadavg()[0]
        scores, cpu_per = None, {}
        runs = [
            ("bubblewrap", "forked, preloaded", paths),
            ("bubblewrap", "forked, preloaded", paths[:COMPARE]),
            ("bubblewrap", "fresh Python", paths[:COMPARE]),
            ("none", "fresh Python", paths[:COMPARE]),
        ]
        for sandbox, runner, subset in runs:
            seconds, cpu, results = bench_batch(
                subset, JOBS, sandbox=sandbox != "none", preload=runner != "fresh Python"
            )
            load = max(load, os.getloadavg()[0])
            graded = sum(r.graded for r in results)
            scores = scores or Counter(f"{r.points:g}/{r.max_points:g}" for r in results)
            goal = ""
            if len(subset) == SUBMISSIONS:
                met = seconds < GOAL_SECONDS and graded == len(subset)
                goal = f"< {GOAL_SECONDS} s: {'met' if met else '**missed**'}"
            else:
                cpu_per[(sandbox, runner)] = cpu / len(subset)
            print(
                f"| {sandbox} | {runner} | {len(subset)} | {JOBS} | {seconds:.1f} | "
                f"{seconds / len(subset):.2f} | {cpu:.1f} | {cpu / len(subset):.2f} | "
                f"{cpu / JOBS:.1f} | {graded} | {goal} |"
            )
        sandbox_cost = cpu_per[("bubblewrap", "fresh Python")] - cpu_per[("none", "fresh Python")]
        fork_saving = (
            cpu_per[("bubblewrap", "fresh Python")] - cpu_per[("bubblewrap", "forked, preloaded")]
        )
        empty = bench_empty_sandbox()
        busy = " (more than the CPUs: other processes slowed this run)" if load > JOBS else ""
        print(
            f"\nThe sandbox itself costs {sandbox_cost:+.2f} CPU s per submission (fresh Python "
            f"in bubblewrap against fresh Python without it, {COMPARE} submissions each); an "
            f"empty sandbox starts and ends in {1000 * empty:.0f} ms. Forking the runner from "
            f"the preloaded zygote saves {fork_saving:.2f} CPU s per submission. CPU s counts "
            "the grader, bwrap, the cache warm-up and every notebook's process (as it counted "
            f"itself); CPU s / jobs is the time on {JOBS} otherwise idle cores if the work "
            f"packed perfectly. Load average seen: up to {load:.1f} on {os.cpu_count()} CPUs"
            f"{busy}. "
            f"Scores of the {SUBMISSIONS}: "
            + ", ".join(f"{score} × {n}" for score, n in sorted(scores.items()))
            + "."
        )
    except Exception:  # a benchmark never fails the build
        traceback.print_exc()
        print("\n(grading benchmark failed)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"\n## One check call, median (goal < {CHECK_GOAL_MS} ms)\n")
    try:
        print("| question | ms | goal |")
        print("|---|---:|---|")
        for key, ms in bench_checks():
            print(f"| {key} | {ms:.3f} | {'met' if ms < CHECK_GOAL_MS else '**missed**'} |")
    except Exception:
        traceback.print_exc()
        print("\n(check benchmark failed)")


if __name__ == "__main__":
    main()
