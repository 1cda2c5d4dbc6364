"""A cgroup per sandbox: a process cap, a memory cap and a CPU cap for all of its processes.

The kernel exempts a process whose user is root outside the sandbox from ``RLIMIT_NPROC``, and
per-process limits do not add up over a fork bomb, so a grader that may create cgroups (root,
with the cgroup file system writable) gives each sandbox one (:class:`ControlGroup`); where
none can be created, each report says so. Used by :mod:`coursekit.grading.session`.

Introduced with ``coursekit grade``, for the instructors.
"""

from __future__ import annotations

import os
import signal
import subprocess
from functools import cache
from pathlib import Path

from coursekit.grading.sandbox import Limits

_CPU_PERIOD = 100_000  # microseconds


class ControlGroup:
    """A cgroup per sandbox with a process cap (``pids.max``), a memory cap and a CPU cap
    (:attr:`Limits.cpus`: however many processes a notebook starts, its neighbours keep their
    share of the machine), for a grader that may create cgroups (root, with the cgroup file
    system mounted writable).

    The sandbox enters it before bwrap starts (:meth:`wrap`), so every process of the
    sandbox is counted; :meth:`close` kills whatever is left and removes it.
    """

    def __init__(self, dirs: list[Path]):
        self.dirs = dirs

    @classmethod
    def create(cls, name: str, limits: Limits) -> ControlGroup | None:
        dirs: list[Path] = []
        try:
            for base in dict.fromkeys(_controller_bases().values()):
                path = base / name
                path.mkdir()
                dirs.append(path)
                quota = max(1000, int(limits.cpus * _CPU_PERIOD))
                for file, value in (
                    ("pids.max", limits.processes),
                    ("memory.limit_in_bytes", limits.memory),  # cgroup v1
                    ("memory.max", limits.memory),  # cgroup v2
                    ("memory.swap.max", 0),
                    ("cpu.cfs_period_us", _CPU_PERIOD),  # cgroup v1
                    ("cpu.cfs_quota_us", quota),
                    ("cpu.max", f"{quota} {_CPU_PERIOD}"),  # cgroup v2
                ):
                    if (path / file).exists():
                        (path / file).write_text(str(value))
        except OSError:
            cls(dirs).close()
            return None
        return cls(dirs) if dirs else None

    @property
    def has_process_cap(self) -> bool:
        return any((d / "pids.max").exists() for d in self.dirs)

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv`` started from inside the cgroup (a shell enters it, then execs)."""
        script = 'for f do [ "$f" = -- ] && break; echo $$ > "$f" || exit 125; shift; done; '
        script += 'shift; exec "$@"'
        procs = [str(d / "cgroup.procs") for d in self.dirs]
        return ["/bin/sh", "-c", script, "sh", *procs, "--", *argv]

    def close(self) -> None:
        for _ in range(50):
            pids = set()
            for d in self.dirs:
                try:
                    pids |= {int(p) for p in (d / "cgroup.procs").read_text().split()}
                except (OSError, ValueError):
                    pass
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            _sleep(0.02)
        for d in self.dirs:
            try:
                d.rmdir()
            except OSError:
                pass


def _sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)


_CONTROLLERS = ("pids", "memory", "cpu")


@cache
def _controller_bases() -> dict[str, Path]:
    """Where this process may create child cgroups, per controller (pids, memory): only
    where a probe shows that a process can be moved into one."""
    bases = _find_bases()
    if not bases:
        return {}
    probe = ControlGroup([])
    try:
        for base in dict.fromkeys(bases.values()):
            path = base / f"coursekit-probe-{os.getpid()}"
            path.mkdir()
            probe.dirs.append(path)
        done = subprocess.run(probe.wrap(["/bin/true"]), capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    finally:
        probe.close()
    return bases if done.returncode == 0 else {}


def _find_bases() -> dict[str, Path]:
    if os.geteuid() != 0:
        return {}
    try:
        mountinfo = Path("/proc/self/mountinfo").read_text().splitlines()
        own = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return {}
    paths = {}
    for line in own:
        number, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [f"v2:{number}"]:
            paths[controller] = path
    bases: dict[str, Path] = {}
    for line in mountinfo:
        before, _, after = line.partition(" - ")
        fields, kind = before.split(), after.split()
        if len(fields) < 5 or len(kind) < 3:
            continue
        root, mountpoint = fields[3], fields[4]
        if kind[0] == "cgroup":
            for controller in _CONTROLLERS:
                if controller in kind[2].split(",") and controller in paths:
                    relative = os.path.relpath(paths[controller], root)
                    base = Path(mountpoint, relative).resolve()
                    if os.access(base, os.W_OK) and controller not in bases:
                        bases[controller] = base
    if bases:
        return bases
    for line in mountinfo:  # cgroup v2: only from the root cgroup (no internal processes rule)
        before, _, after = line.partition(" - ")
        fields, kind = before.split(), after.split()
        if kind[:1] == ["cgroup2"] and paths.get("v2:0") == "/" and len(fields) > 4:
            base = Path(fields[4])
            try:
                controllers = set((base / "cgroup.controllers").read_text().split())
                wanted = set(_CONTROLLERS) & controllers
                (base / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in wanted))
            except OSError:
                return {}
            return {c: base for c in wanted} if os.access(base, os.W_OK) else {}
    return {}
