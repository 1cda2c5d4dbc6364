"""Preloaded runners: a process that imported everything once forks one runner per sandbox.

Starting a fresh Python in each sandbox costs about a second of imports (numpy, scipy,
matplotlib, IPython, coursekit) per submission. The *zygote* imports them once per batch,
outside any sandbox, and never runs a notebook's code. For each submission the grader first
creates the submission's bubblewrap sandbox as usual
(:func:`~coursekit.grading.sandbox.bwrap_argv`), with a placeholder command (``sleep``, the
sandbox's first process) that holds its namespaces, and then asks the zygote for a runner.
The zygote forks a child that

1. joins the submission's cgroup (if any), then the sandbox's namespaces, exactly those that
   bwrap made (``setns``: its user namespace's parent, then mount, network, IPC, UTS, cgroup
   and PID, then the sandbox's own user namespace), and forks again to enter the PID
   namespace;
2. checks that it is where it should be (its root directory and every namespace are the
   placeholder's, or it stops);
3. drops every privilege as bubblewrap does: no capabilities (effective, permitted,
   inheritable, ambient, bounding set), ``no_new_privs``, a new session, only the two
   descriptors it needs, the sandbox's environment, and checks the result in
   ``/proc/self/status`` (or stops);
4. becomes the runner (:func:`coursekit.grading.runner.main`), settings and cells read from a
   pipe, results written to the channel; the runner loads the sandbox's seccomp filter before
   the first cell, as bwrap did for the placeholder.

So the process that runs a notebook is in the same namespaces, with the same user, files,
limits and lack of privileges as one that bwrap started itself, and it dies with the sandbox.
Where any of this is refused (a kernel or container that forbids ``setns``), the grader falls
back to starting a fresh runner in each sandbox.
"""

from __future__ import annotations

import asyncio
import ctypes
import fcntl
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from coursekit.grading import sandbox

NS_GET_PARENT = 0xB702  # ioctl: the parent of a user namespace
_CLONE = {
    "user": 0x10000000,
    "mnt": 0x00020000,
    "net": 0x40000000,
    "ipc": 0x08000000,
    "uts": 0x04000000,
    "cgroup": 0x02000000,
    "pid": 0x20000000,
}
_ORDER = ("mnt", "net", "ipc", "uts", "cgroup", "pid")
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 38, 47, 4
_CAPABILITY_VERSION_3 = 0x20080522
CHANNEL, SETTINGS = 3, 0  # descriptors of the runner: channel out, settings and cells in


READY_TIMEOUT = 60  # seconds for bwrap to set a sandbox up


class ZygoteError(RuntimeError):
    pass


# -- the grader's side ---------------------------------------------------------------------------
class Zygote:
    """The grader's handle on a zygote process (one per batch). :meth:`start` is thread-safe."""

    def __init__(self, cache, timeout: float = 120):
        pycache = str(cache / "pycache")
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = sandbox.environment(pycache)
        env.update(MPLCONFIGDIR=str(cache / "matplotlib"), HOME="/", IPYTHONDIR="/nonexistent")
        argv = [*sandbox.runner_argv(pycache), "-m", "coursekit.grading.zygote"]
        self.process = subprocess.Popen(
            [*argv, str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd="/",
            start_new_session=True,
        )
        theirs.close()
        self.socket = mine
        self.lock = threading.Lock()
        try:
            mine.settimeout(timeout)
            reply = json.loads(mine.recv(65536) or b"{}")
        except (OSError, ValueError) as error:
            self.close()
            raise ZygoteError(f"the zygote did not start: {error}") from error
        if not reply.get("ready") or reply.get("threads") != 1:
            self.close()
            raise ZygoteError(f"the zygote is not usable: {reply}")

    def start(self, pids, cgroup_procs: list[str], settings_fd: int, channel_fd: int):
        """Fork a runner into the sandbox of the placeholder process (``pids``: bwrap's first
        process in the sandbox and the placeholder, its child)."""
        request = {"pid1": pids[0], "holder": pids[1], "cgroup": cgroup_procs}
        request = json.dumps(request).encode()
        with self.lock:
            try:
                self.socket.settimeout(30)
                socket.send_fds(self.socket, [request], [settings_fd, channel_fd])
                reply = json.loads(self.socket.recv(65536) or b"{}")
            except (OSError, ValueError) as error:
                raise ZygoteError(f"the zygote stopped: {error}") from error
        if reply.get("status") != 0:
            raise ZygoteError(f"a runner could not enter its sandbox: {reply}")

    def close(self) -> None:
        self.socket.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


HOLDER = ("/usr/bin/sleep", "infinity")  # the placeholder that holds a sandbox's namespaces


async def fork_runner(zygote, pid1: int, procs: list[str], channel_fd: int) -> int:
    """Ask the zygote for a runner in the sandbox whose first process is ``pid1`` (from bwrap's
    ``--info-fd``, :func:`read_info`); the descriptor to write the settings and cells to."""
    holder = await asyncio.to_thread(_wait_for_holder, pid1)
    settings_r, settings_w = os.pipe()
    try:
        await asyncio.to_thread(zygote.start, (pid1, holder), procs, settings_r, channel_fd)
    except BaseException:
        os.close(settings_w)
        raise
    finally:
        os.close(settings_r)
    return settings_w


def read_info(fd: int) -> int:
    """The host PID of the sandbox's first process, from bwrap's ``--info-fd``."""
    data = b""
    try:
        while not data.rstrip().endswith(b"}"):
            ready = select.select([fd], [], [], READY_TIMEOUT)[0]
            chunk = os.read(fd, 4096) if ready else b""
            if not chunk:
                raise RuntimeError("bwrap gave no information")
            data += chunk
    finally:
        os.close(fd)
    return int(json.loads(data)["child-pid"])


def _wait_for_holder(pid1: int) -> int:
    """The placeholder's PID, once bwrap has set the sandbox up and started it: the sandbox's
    first process itself (``--as-pid-1``), or a child of it."""
    want = ("\0".join(HOLDER) + "\0").encode()
    end = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < end:
        try:
            children = Path(f"/proc/{pid1}/task/{pid1}/children").read_text().split()
            for candidate in [str(pid1), *children]:
                if Path(f"/proc/{candidate}/cmdline").read_bytes() == want:
                    return int(candidate)
        except OSError:
            pass
        time.sleep(0.002)
    raise RuntimeError("the sandbox's placeholder did not start")


# -- the zygote --------------------------------------------------------------------------------
_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def main() -> None:  # pragma: no cover - runs in the zygote process (tested through the grader)
    from coursekit.grading import runner

    control = socket.socket(fileno=int(sys.argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    failed = runner.preload(runner.PRELOAD)
    import IPython.core.interactiveshell  # noqa: F401 - what make_shell needs, imported once
    import traitlets.config  # noqa: F401

    import coursekit.grading.extract  # noqa: F401

    if os.geteuid() == 0:
        os.setgroups([])  # no supplementary groups for the runners
    threads = len(os.listdir("/proc/self/task"))  # fork() is safe from a single thread only
    control.send(json.dumps({"ready": True, "threads": threads, "failed": failed}).encode())
    if threads != 1:
        return
    while True:
        message, fds, _, _ = socket.recv_fds(control, 65536, 2)
        if not message:
            return
        try:
            request = json.loads(message)
            if len(fds) != 2:
                raise ValueError("two descriptors expected")
            pid = os.fork()
        except (ValueError, OSError) as error:
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"status": -1, "error": str(error)}).encode())
            continue
        if pid == 0:
            control.close()
            _enter(request, fds)  # never returns
        for fd in fds:
            os.close(fd)
        _, status = os.waitpid(pid, 0)
        control.send(json.dumps({"status": status}).encode())


def _enter(request: dict, fds: list[int]) -> None:  # pragma: no cover - a forked child
    """Step 1: join the cgroup and the namespaces, fork into the PID namespace; exit 0 when
    the runner was forked, 1 otherwise."""
    status = 1
    try:
        for procs in request["cgroup"]:
            with open(procs, "w") as handle:
                handle.write(str(os.getpid()))
        holder, pid1 = int(request["holder"]), int(request["pid1"])
        alive = os.pidfd_open(holder)  # the holder itself: its PID cannot be reused meanwhile
        with open(f"/proc/{holder}/stat") as handle:
            if holder != pid1 and int(handle.read().rsplit(")", 1)[1].split()[1]) != pid1:
                raise RuntimeError("the placeholder is not bwrap's")
        links = {}
        spaces = {}
        for name in ("user", *_ORDER):
            path = f"/proc/{holder}/ns/{name}"
            if name == "cgroup" and not os.path.exists(path):
                continue
            spaces[name] = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            links[name] = os.readlink(path)
        root = os.stat(f"/proc/{holder}/root")
        if (root.st_dev, root.st_ino) == (os.stat("/").st_dev, os.stat("/").st_ino):
            raise RuntimeError("the placeholder has no sandbox root")
        if select.select([alive], [], [], 0)[0]:  # it ended: what was opened may be another's
            raise RuntimeError("the placeholder ended")
        outer = fcntl.ioctl(spaces["user"], NS_GET_PARENT)
        _check(_libc.setns(outer, _CLONE["user"]), "setns user (outer)")
        for name in _ORDER:
            if name in spaces:
                _check(_libc.setns(spaces[name], _CLONE[name]), f"setns {name}")
        _check(_libc.setns(spaces["user"], _CLONE["user"]), "setns user")
        if os.fork() == 0:
            _become_runner(fds, links, (root.st_dev, root.st_ino))  # never returns
        status = 0
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _become_runner(fds, links, root) -> None:  # pragma: no cover - a forked child
    """Steps 2 to 4 (see the module docstring)."""
    settings_fd, channel_fd = fds
    try:
        os.setsid()
        here = os.stat("/")
        if (here.st_dev, here.st_ino) != root:
            raise RuntimeError("not in the sandbox's root")
        for name, link in links.items():
            if os.readlink(f"/proc/self/ns/{name}") != link:
                raise RuntimeError(f"not in the sandbox's {name} namespace")
        drop_privileges()
        os.dup2(settings_fd, SETTINGS)
        os.dup2(channel_fd, CHANNEL)
        null = os.open("/dev/null", os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.closerange(CHANNEL + 1, 1 << 20)
        os.chdir(sandbox.WORK)
        pycache = sys.pycache_prefix or ""
        os.environ.clear()
        os.environ.update(sandbox.environment(pycache))
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # each notebook its own legacy random stream
        sys.argv = ["coursekit-runner"]
    except BaseException as error:
        try:
            message = json.dumps({"fatal": f"entering the sandbox failed: {error}"[:300]})
            os.write(channel_fd, (message + "\n").encode())
        finally:
            os._exit(1)
    from coursekit.grading import runner

    runner.main()


def drop_privileges() -> None:
    """No capabilities of any kind, no new privileges; raises unless ``/proc/self/status``
    confirms it."""
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    with open("/proc/sys/kernel/cap_last_cap") as handle:
        last = int(handle.read())
    for capability in range(last + 1):
        _check(_libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0), "dropping the bounding set")

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable for two 32-bit words
    _check(_libc.capset(ctypes.byref(Header(_CAPABILITY_VERSION_3, 0)), data), "capset")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    with open("/proc/self/status") as handle:
        status = dict(line.split(":", 1) for line in handle if ":" in line)
    for field in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        if int(status[field].strip(), 16) != 0:
            raise RuntimeError(f"{field} is not empty")
    if status["NoNewPrivs"].strip() != "1" or os.getuid() != sandbox.SANDBOX_UID:
        raise RuntimeError("privileges left")


if __name__ == "__main__":
    main()
