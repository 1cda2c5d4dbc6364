"""The sandbox of one submission: bubblewrap (``bwrap``), its limits and its environment.

Each submission's runner (:mod:`coursekit.grading.runner`) runs inside its own bubblewrap
sandbox, the tool Flatpak uses (Debian/Ubuntu package ``bubblewrap``): started by bwrap, or
(faster) forked into the sandbox's namespaces by the zygote (:mod:`coursekit.grading.zygote`),
which then drops every privilege as bwrap would. The sandbox is the same either way:

- **namespaces**: ``--unshare-all --unshare-user --disable-userns``: its own user, PID,
  network (no interface but loopback), IPC, UTS and cgroup namespaces, and no new user
  namespaces inside; ``--uid 65534 --gid 65534`` (nobody) with no capabilities;
  ``--new-session`` (no terminal); ``--die-with-parent``; ``--as-pid-1``: the sandbox's first
  process is its own program, so no process of bwrap's (unfiltered, and one a notebook could
  ptrace: the same user) runs inside.
- **system calls**: a seccomp filter (:mod:`coursekit.grading.syscalls`, given to bwrap and
  installed by a forked runner itself) refuses to every process of the sandbox the kernel
  keyrings (outside its namespace the sandbox's user is the grader's, so a key the grader's
  user may read would be the notebook's to read), memory no limit counts (memfd, System V
  shared memory), ptrace, and a few kernel interfaces no notebook needs; the grader also starts
  its sandboxes with a new, empty session keyring.
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
  grader runs as root the process cap (and a whole-sandbox memory cap, and a cap of one CPU
  for all its processes together) is a cgroup of its own (:mod:`coursekit.grading.cgroup`) where the
  cgroup file system allows it.
- **the end**: the sandbox's PID namespace dies with its first process, so every process the
  notebook started (a ``start_new_session`` daemon too) is killed when the grader kills that
  process (through a pidfd taken when bwrap reported it: a notebook can take away the signal
  that kills it with bwrap) or the runner ends; with a cgroup, its remaining processes are
  killed as well.

Results leave only through the channel pipe (:mod:`coursekit.grading.session`).
"""

from __future__ import annotations

import os
import re
import shutil
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
    cpus: float = 1.0  # CPU time per second of the whole sandbox (with a cgroup)
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
        # The sandboxed program is PID 1: no process of bwrap's own runs in the sandbox
        # (a notebook can ptrace a process of its user; this one could run unfiltered).
        "--as-pid-1",
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
    bwrap: str,
    limits: Limits,
    cache: Path,
    notebook_fd: int,
    notebook_name: str,
    seccomp: int | None = None,
) -> list[str]:
    """The bwrap command line of one submission, up to (not including) the runner's;
    ``seccomp``: a descriptor of
    :func:`coursekit.grading.syscalls.seccomp_program`."""
    pycache = str(cache / "pycache")
    args = [bwrap, *_isolation(), *_system_binds(), "--proc", "/proc", "--dev", "/dev"]
    if seccomp is not None:
        args += ["--seccomp", str(seccomp)]
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


# -- system calls no notebook needs -------------------------------------------------------
def work_name(name: str) -> str:
    """The file name of the notebook's copy in the work folder."""
    base = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name)[:100].lstrip(".")
    return base or "notebook.ipynb"
