"""The sandbox of one submission: bubblewrap (``bwrap``), its limits and its environment.

Each submission's runner (:mod:`coursekit.grading.runner`) runs inside its own bubblewrap
sandbox, the tool Flatpak uses (Debian/Ubuntu package ``bubblewrap``): started by bwrap, or
(faster) forked into the sandbox's namespaces by the zygote (:mod:`coursekit.grading.zygote`),
which then drops every privilege as bwrap would. The sandbox is the same either way:

- **namespaces**: ``--unshare-all --unshare-user --disable-userns``: its own user, PID,
  network (no interface but loopback), IPC, UTS and cgroup namespaces, and no new user
  namespaces inside; ``--uid 65534 --gid 65534`` (nobody) with no capabilities;
  ``--new-session`` (no terminal); ``--die-with-parent``.
- **files**: an empty root (read-only after setup) with read-only binds of ``/usr`` (and the
  host's ``/bin``, ``/lib*`` links), a few files of ``/etc`` (the loader cache, ``passwd``,
  fonts), the Python installation, the virtual environment and the ``coursekit`` package, and
  the bytecode cache. Writable: only size-capped tmpfs for ``/tmp``, ``/dev/shm`` and the work
  folder ``/home/student``, which holds a copy of the one notebook and nothing else. No master
  notebook, other submission, grader file or output folder is visible; nothing the notebook
  writes reaches the disk.
- **environment**: only :func:`environment` (an allow-list): nothing of the grader's.
- **limits**: the runner sets ``RLIMIT_AS`` (``--memory``, default 2 GB), ``RLIMIT_NPROC``,
  ``RLIMIT_CPU``, ``RLIMIT_FSIZE`` and ``RLIMIT_NOFILE`` before the first cell. The kernel
  exempts a process whose user is root outside the sandbox from ``RLIMIT_NPROC``, so when the
  grader runs as root the process cap (and a whole-sandbox memory cap) is a cgroup of its
  own (:class:`ControlGroup`) where the cgroup file system allows it.
- **the end**: the sandbox's PID namespace dies with its first process, so every process the
  notebook started (a ``start_new_session`` daemon too) is killed when the runner ends or the
  grader kills it; with a cgroup, its remaining processes are killed as well.

Results leave only through the channel pipe (:mod:`coursekit.grading.session`).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import coursekit

SANDBOX_UID = 65534
WORK = "/home/student"
INSTALL_HINT = (
    "coursekit grade runs each notebook in a bubblewrap sandbox, and `bwrap` was not found. "
    "Install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf "
    "install bubblewrap`; Arch: `sudo pacman -S bubblewrap`), or pass --no-sandbox to run "
    "the notebooks with your own rights (only for notebooks you trust)."
)
_ETC = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "passwd",
    "group",
    "nsswitch.conf",
    "fonts",
    "alternatives",
    "mime.types",
)


@dataclass(frozen=True)
class Limits:
    """What one submission may use (see the module docstring)."""

    memory: int = 2 * 2**30  # bytes of address space per process (and of the cgroup)
    processes: int = 64  # tasks (threads count) of the sandbox's user
    file_size: int = 128 * 2**20  # bytes per file written
    tmp_size: int = 256 * 2**20  # bytes of each tmpfs (/tmp, the work folder)
    open_files: int = 1024

    def rlimits(self, cpu_seconds: float) -> dict[str, int]:
        return {
            "memory": self.memory,
            "processes": self.processes,
            "cpu": int(cpu_seconds) + 1,
            "file_size": self.file_size,
            "open_files": self.open_files,
            "core": 0,
        }


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox here (the message says why)."""


def find_bwrap() -> str | None:
    return shutil.which("bwrap") or next(
        (p for p in ("/usr/bin/bwrap", "/bin/bwrap") if os.access(p, os.X_OK)), None
    )


@cache
def check_sandbox() -> str:
    """The path of a working ``bwrap``, or :class:`SandboxUnavailable` saying why not."""
    bwrap = find_bwrap()
    if bwrap is None:
        raise SandboxUnavailable(INSTALL_HINT)
    argv = [bwrap, *_isolation(), *_system_binds(), "--", "/usr/bin/true"]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SandboxUnavailable(f"bwrap could not start: {error}") from error
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip()[:300]
        raise SandboxUnavailable(
            f"bwrap cannot create a sandbox on this machine ({why}). Unprivileged user "
            "namespaces may be disabled (sysctl kernel.unprivileged_userns_clone, or "
            "AppArmor's kernel.apparmor_restrict_unprivileged_userns on Ubuntu); run the "
            "grader as root, or allow them."
        )
    return bwrap


def _isolation() -> list[str]:
    return [
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--hostname",
        "sandbox",
        "--new-session",
        "--die-with-parent",
    ]


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/", name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in _ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


def python_dirs() -> list[str]:
    """The folders the runner's Python needs: its installation, the environment, coursekit.

    Only the ``coursekit`` package is bound, never the folder that holds it: with an editable
    install that folder is the course repository, master notebooks included."""
    candidates = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    candidates.append(str(Path(coursekit.__file__).parent))
    dirs: list[str] = []
    for path in sorted({os.path.realpath(p) for p in candidates}, key=len):
        inside = ["/usr", *dirs]
        if not any(path == d or path.startswith(d.rstrip("/") + "/") for d in inside):
            dirs.append(path)
    return dirs


def cache_dir() -> Path:
    """The grader's cache (bytecode, matplotlib's font list): ``$COURSEKIT_CACHE``, else
    ``$XDG_CACHE_HOME/coursekit``, else ``~/.cache/coursekit``. Only the grader writes it;
    sandboxes see it read-only."""
    if os.environ.get("COURSEKIT_CACHE"):
        return Path(os.environ["COURSEKIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "coursekit")


def environment(pycache: str) -> dict[str, str]:
    """The whole environment of a runner (an allow-list; nothing of the grader's)."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": WORK,
        "USER": "student",
        "LOGNAME": "student",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "MPLBACKEND": "agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "IPYTHONDIR": "/tmp/ipython",
        "PYTHONPYCACHEPREFIX": pycache,
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "COURSEKIT_GRADING": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


def runner_argv(pycache: str) -> list[str]:
    """The runner's command line: isolated mode (no environment variables, no user site, no
    current folder on ``sys.path``), bytecode read from the grader's cache, never written."""
    return [sys.executable, "-I", "-B", "-X", f"pycache_prefix={pycache}"]


def bwrap_argv(
    bwrap: str, limits: Limits, cache: Path, notebook_fd: int, notebook_name: str
) -> list[str]:
    """The bwrap command line of one submission, up to (not including) the runner's."""
    pycache = str(cache / "pycache")
    args = [bwrap, *_isolation(), *_system_binds(), "--proc", "/proc", "--dev", "/dev"]
    for path in ("/tmp", WORK, "/dev/shm"):  # first: Python may live under /tmp (a CI clone)
        size = limits.tmp_size if path != "/dev/shm" else 64 * 2**20
        args += ["--size", str(size), "--tmpfs", path]
    for path in python_dirs():
        args += ["--ro-bind", path, path]
    args += ["--ro-bind", pycache, pycache]
    args += ["--dir", "/tmp/matplotlib", "--dir", "/tmp/ipython"]
    for font_list in sorted((cache / "matplotlib").glob("fontlist-v*.json")):
        args += ["--ro-bind", str(font_list), f"/tmp/matplotlib/{font_list.name}"]
    args += ["--perms", "0644", "--file", str(notebook_fd), f"{WORK}/{notebook_name}"]
    args += ["--remount-ro", "/", "--chdir", WORK, "--clearenv"]
    for name, value in environment(pycache).items():
        args += ["--setenv", name, value]
    return [*args, "--"]


def work_name(name: str) -> str:
    """The file name of the notebook's copy in the work folder."""
    base = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name)[:100].lstrip(".")
    return base or "notebook.ipynb"


# -- cgroups -----------------------------------------------------------------------------------
class ControlGroup:
    """A cgroup per sandbox with a process cap (``pids.max``) and a memory cap, for a grader
    that may create cgroups (root, with the cgroup file system mounted writable).

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
                for file, value in (
                    ("pids.max", limits.processes),
                    ("memory.limit_in_bytes", limits.memory),  # cgroup v1
                    ("memory.max", limits.memory),  # cgroup v2
                    ("memory.swap.max", 0),
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
            for controller in ("pids", "memory"):
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
                wanted = {"pids", "memory"} & set((base / "cgroup.controllers").read_text().split())
                (base / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in wanted))
            except OSError:
                return {}
            return {c: base for c in wanted} if os.access(base, os.W_OK) else {}
    return {}
