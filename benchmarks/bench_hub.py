"""How many students can run lecture 01 at once on one machine: a real JupyterHub, measured.

Starts JupyterHub on 127.0.0.1 (tests/hub/classhub.py: the project's jupyterhub,
configurable-http-proxy, one local server per student), lets every student follow the course's
nbgitpuller link, then for N = 1, 2, 4, ... has N students press "Run all" on lecture 01 at
the same moment (REST and kernel websocket, as JupyterLab does). For each N it prints the time
each student waits for the run to finish (median and slowest), how much CPU one run costs, and
the peak memory (VmHWM) of each kernel and of each student's Jupyter server.

"Usable" means the slowest student waits at most USABLE_S seconds for the whole lecture to run
(about three times a run on an idle machine); the table says where that stops. Run with
``make bench`` (or ``.venv/bin/python benchmarks/bench_hub.py [N ...]``). Never fails: where a
hub cannot run it prints why.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hub"))

import psutil  # noqa: E402
from classhub import (  # noqa: E402
    Hub,
    course_repository,
    end_session,
    missing_tools,
    pull_link,
    run_notebook,
)

COURSE = "surprise-to-vi-notebooks"
LECTURE = "01-surprise-and-entropy.ipynb"
COUNTS = (1, 2, 4, 8, 16)
USABLE_S = 30.0  # the longest a student should wait for "Run all" of one lecture
GIVE_UP_S = 150.0  # stop adding students once the slowest run takes this long


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process ever used, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def kernel_process(kernel_id: str) -> psutil.Process | None:
    for process in psutil.process_iter(["cmdline"]):
        if any(f"kernel-{kernel_id}.json" in part for part in process.info["cmdline"] or ()):
            return process
    return None


def server_process(name: str) -> psutil.Process | None:
    for process in psutil.process_iter(["cmdline", "environ"]):
        try:
            cmdline = " ".join(process.info["cmdline"] or ())
            env = process.info["environ"] or {}
        except psutil.Error:
            continue
        if "jupyterhub-singleuser" in cmdline and env.get("JUPYTERHUB_USER") == name:
            return process
    return None


def one_round(people: list, path: str) -> list[dict]:
    """All of ``people`` press "Run all" at the same moment; one measurement each."""
    barrier = threading.Barrier(len(people))
    results: list[dict] = [{} for _ in people]

    def student(index: int) -> None:
        person = people[index]
        barrier.wait()
        try:
            run = run_notebook(person, path, save=False)
        except Exception as error:  # a run that breaks is reported, not raised
            results[index] = {"error": f"{type(error).__name__}: {error}"}
            return
        kernel = kernel_process(run["kernel_id"])
        measured = {"run_all": run["run_all"], "error": run["error"]}
        if kernel is not None:
            times = kernel.cpu_times()
            measured.update(cpu=times.user + times.system, rss=peak_rss_mb(kernel.pid))
        results[index] = measured
        try:
            end_session(person, run["session_id"])
        except Exception:
            pass

    threads = [threading.Thread(target=student, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main(counts: tuple[int, ...]) -> None:
    cores = os.cpu_count()
    print(f'## JupyterHub capacity: lecture 01 "Run all" by N students at once ({cores} cores)')
    print()
    missing = missing_tools()
    if missing:
        print("skipped: a JupyterHub cannot run here; missing: " + "; ".join(missing))
        return
    names = [f"student{i:02d}" for i in range(1, max(counts) + 1)]
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        work = Path(tmp)
        repo = course_repository(work / COURSE, "student copies")
        link = pull_link(f"file://{repo}", "main", f"lab/tree/{COURSE}/{LECTURE}")

        hub = Hub.start(work / "hub", names, "instructor")
        try:
            people = [hub.person(name) for name in names]
            start = time.perf_counter()
            threads = [threading.Thread(target=p.follow_pull_link, args=(link,)) for p in people]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            login = time.perf_counter() - start
            servers = [server_process(name) for name in names]
            server_rss = [peak_rss_mb(s.pid) for s in servers if s is not None]

            rows, solo, cpu_costs = [], None, []
            for n in counts:
                load = os.getloadavg()[0]
                results = one_round(people[:n], f"{COURSE}/{LECTURE}")
                broken = [r["error"] for r in results if r.get("error")]
                waits = [r["run_all"] for r in results if "run_all" in r]
                cpu = [r["cpu"] for r in results if "cpu" in r]
                rss = [r["rss"] for r in results if "rss" in r]
                if not waits:
                    rows.append(f"| {n} | – | – | – | – | – | {broken[0][:60]} |")
                    break
                solo = solo or statistics.median(waits)
                cpu_costs.extend(cpu)
                slowest = max(waits)
                verdict = "yes" if slowest <= USABLE_S and not broken else "no"
                if broken:
                    verdict += f" ({len(broken)} failed: {broken[0][:40]})"
                rows.append(
                    f"| {n} | {statistics.median(waits):.1f} | {slowest:.1f} | "
                    f"{slowest / solo:.1f}× | {statistics.median(cpu):.1f} | "
                    f"{max(rss):.0f} | {verdict} | {load:.1f} |"
                )
                if slowest > GIVE_UP_S:
                    break
            for person in people:
                person.close()
        finally:
            hub.stop()

    print(
        f"usable: the slowest student waits ≤ {USABLE_S:.0f} s. {len(names)} students logged "
        f"in and pulled the course at once in {login:.0f} s; each student's Jupyter server "
        f"peaks at {max(server_rss):.0f} MB (median {statistics.median(server_rss):.0f} MB)."
    )
    print()
    print(
        "| students at once | run all: median s | slowest s | slowdown | CPU s per run "
        "| kernel peak RSS MB | usable | load before |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    for row in rows:
        print(row)
    if cpu_costs:
        cost = statistics.median(cpu_costs)
        print()
        print(
            f"A run costs about {cost:.1f} CPU-seconds whatever N is, so one core finishes "
            f"about {USABLE_S / cost:.0f} students' runs within {USABLE_S:.0f} s when they all "
            "start together. The waits above also carry the machine's other load (last column: "
            "1-minute load average before the round)."
        )


if __name__ == "__main__":
    try:
        main(tuple(int(a) for a in sys.argv[1:]) or COUNTS)
    except Exception as error:  # a benchmark reports, it never fails the build
        print(f"failed: {type(error).__name__}: {error}")
