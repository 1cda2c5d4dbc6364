"""Running one submission, grader side: start its sandbox, feed it the cells, read the channel.

:func:`run_submission` creates a bubblewrap sandbox (:mod:`coursekit.grading.sandbox`) and has
the zygote fork a runner into it (:mod:`coursekit.grading.zygote`), or starts a fresh runner
(:mod:`coursekit.grading.runner`) in it, or with ``--no-sandbox`` as a plain process; it writes
the runner's settings and the notebook's code cells to it, and reads the channel: one JSON object
per line, each line at most :data:`MAX_LINE` bytes and :data:`MAX_TOTAL` in all, each parsed
and checked (an unreadable or unexpected line is counted and dropped). It records what it saw
in a :class:`Run` (cells that raised or were stopped, the last plain data of every answer, how
the run ended) and never judges anything: that is :mod:`coursekit.grading.judge`.

The grader keeps the time limits even if the notebook defeats the runner's own (a cell that
ignores its interrupt, a function that blocks the alarm): the sandbox is killed when a cell or
a check has run half its limit again plus :data:`GRACE` seconds, or at the submission's ``timeout``
(counted from its first cell), or :data:`STARTUP_TIMEOUT` seconds after the start if the runner
never says it is ready. Answers received until then stand. Stopping a sandbox kills its first
process (whose PID bwrap reports on ``--info-fd``; held as a pidfd), which ends every process in
it, and bwrap.

The channel is read defensively: a line that is not JSON, too deep to parse, or a message of
the wrong shape (a cell number that is not an integer, a "fatal" after the runner said it was
ready) is counted as ignored, never an error of the grader's.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.grading import cgroup, sandbox, syscalls
from coursekit.grading.zygote import CHANNEL, HOLDER, fork_runner, read_info

STARTUP_TIMEOUT = 60  # seconds from the start to "ready" (imports)
GRACE = 10  # seconds (plus half the limit) past the runner's own cell or check limit before
# the grader stops the sandbox: the runner's interrupt waits for the Python code to run again
MAX_LINE = 2 * 2**20  # bytes of one channel message
MAX_TOTAL = 64 * 2**20  # bytes of all channel messages of one submission
MAX_TEXT = 300  # characters of an error message kept from the channel


@dataclass
class Settings:
    """How submissions are run (one object for a whole batch)."""

    timeout: float
    cell_timeout: float
    check_timeout: float
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    sandboxed: bool = True
    bwrap: str | None = None
    cache: Path = field(default_factory=sandbox.cache_dir)  # bytecode and font caches
    zygote: object | None = None  # a coursekit.grading.zygote.Zygote: runners forked ready


@dataclass
class Run:
    """What the grader saw of one run (all of it plain data, checked on arrival)."""

    ready: bool = False
    fatal: str | None = None
    cells: dict[int, tuple[str | None, bool]] = field(default_factory=dict)  # error, stopped
    current: int | None = None  # the cell running
    checking: str | None = None  # the function exercise whose cases are running
    answers: dict[str, object] = field(default_factory=dict)  # key -> plain data (last wins)
    problems: list[str] = field(default_factory=list)  # extraction errors, long lines
    ignored: int = 0  # messages that were unreadable or unexpected (forged, damaged)
    done: bool = False
    ended: str = ""  # done, timeout, cell limit, check limit, died, startup, flood, fatal
    runtime: float = 0.0  # seconds from the first cell to the end
    cpu: float | None = None  # CPU seconds, as the runner counted them
    stderr: str = ""  # the end of the runner's stderr (for a runner that failed to start)
    process_cap: bool = True  # whether a process cap was in force


def _text(value, limit: int = MAX_TEXT) -> str | None:
    return value[:limit] if isinstance(value, str) else None


class _Reader:
    """Applies channel messages to a :class:`Run` and keeps its deadlines."""

    def __init__(self, run: Run, settings: Settings, cells: set[int], keys: set[str]):
        self.run, self.settings, self.cells, self.keys = run, settings, cells, keys
        self.start = time.monotonic()
        self.ready_at: float | None = None
        self.phase_at = self.start
        self.total = 0

    def deadline(self) -> tuple[float, str]:
        run, s = self.run, self.settings
        if self.ready_at is None:
            return self.start + STARTUP_TIMEOUT, "startup"
        limits = [(self.ready_at + s.timeout, "timeout")]
        if run.current is not None:
            limits.append((self.phase_at + 1.5 * s.cell_timeout + GRACE, "cell limit"))
        elif run.checking is not None:
            limits.append((self.phase_at + 1.5 * s.check_timeout + GRACE, "check limit"))
        return min(limits)

    def line(self, data: bytes) -> None:
        try:  # RecursionError: a line of ten thousand "["
            message = json.loads(data)
            applied = isinstance(message, dict) and self._apply(message)
        except (ValueError, TypeError, RecursionError):
            applied = False
        if not applied:
            self.run.ignored += 1

    def _apply(self, m: dict) -> bool:
        run, now = self.run, time.monotonic()
        if "checking" not in m:
            run.checking = None
        if m.get("ready") is True and self.ready_at is None:
            self.ready_at = now
            run.ready = True
        elif "fatal" in m and self.ready_at is None:  # only a runner that never started
            run.fatal = _text(m["fatal"]) or "unknown error"
        elif "cell" in m and m.get("start") is True:
            if type(m["cell"]) is not int or m["cell"] not in self.cells:
                return False
            run.current, self.phase_at = m["cell"], now
        elif "cell" in m and "stopped" in m:
            error, stopped = m.get("error"), m["stopped"]
            if type(m["cell"]) is not int or m["cell"] not in self.cells:
                return False
            if type(stopped) is not bool:
                return False
            run.cells[m["cell"]] = (_text(error), stopped)
            run.current = None
        elif "checking" in m:
            if type(m["checking"]) is not str or m["checking"] not in self.keys:
                return False
            run.checking, self.phase_at = m["checking"], now
        elif isinstance(m.get("answers"), dict):
            if not set(m["answers"]) <= self.keys:
                return False
            run.answers.update(m["answers"])
        elif "extract_error" in m and len(run.problems) < 20:
            run.problems.append(f"extracting the answers failed: {_text(m['extract_error'])}")
        elif m.get("done") is True:
            run.done = True
            cpu = m.get("cpu")
            run.cpu = float(cpu) if type(cpu) in (int, float) and 0 <= cpu < 1e7 else None
        else:
            return False
        return True


async def run_submission(
    cells: list[tuple[int, str]],
    notebook: bytes,
    name: str,
    lecture: str,
    keys: list[str],
    settings: Settings,
) -> Run:
    """Run one submission's cells in a fresh sandbox; what happened, as a :class:`Run`."""
    run = Run()
    read_fd, write_fd = os.pipe()
    owned = [read_fd, write_fd]  # descriptors to close if something fails
    scratch = None
    group = None
    sandbox_fd = None  # a pidfd of the sandbox's first process
    try:
        limits = settings.limits
        cpu = settings.timeout + STARTUP_TIMEOUT + settings.check_timeout * (2 * len(keys) + 2)
        rlimits = limits.rlimits(cpu + 30)
        pycache = str(settings.cache / "pycache")
        group = cgroup.ControlGroup.create(f"coursekit-{os.getpid()}-{id(run)}", limits)
        procs = [str(d / "cgroup.procs") for d in group.dirs] if group else []
        has_cap = group is not None and group.has_process_cap
        run.process_cap = has_cap or (settings.sandboxed and os.geteuid() != 0)
        settings_fd = None
        if settings.sandboxed:
            notebook_fd = os.memfd_create("notebook")
            owned.append(notebook_fd)
            os.write(notebook_fd, notebook)
            os.lseek(notebook_fd, 0, os.SEEK_SET)
            filter_fd = syscalls.seccomp_fd()  # for every process of the sandbox
            extra = () if filter_fd is None else (filter_fd,)
            owned += extra
            argv = sandbox.bwrap_argv(
                settings.bwrap,
                limits,
                settings.cache,
                notebook_fd,
                sandbox.work_name(name),
                seccomp=filter_fd,
            )
            env, cwd = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, None
            info_r, info_w = os.pipe()  # bwrap says there the PID of the sandbox's first process
            owned += [info_r, info_w]
            argv[-1:] = ["--info-fd", str(info_w), "--"]
            if settings.zygote is not None:  # a placeholder holds the namespaces; see zygote.py
                argv += HOLDER
                fds = (info_w, notebook_fd, *extra)
            else:
                argv += [*sandbox.runner_argv(pycache), "-m", "coursekit.grading.runner"]
                fds = (write_fd, notebook_fd, info_w, *extra)
        else:
            scratch = Path(tempfile.mkdtemp(prefix="coursekit-unsandboxed-"))
            (scratch / sandbox.work_name(name)).write_bytes(notebook)
            for folder in ("matplotlib", "ipython"):
                (scratch / folder).mkdir()
            for font_list in (settings.cache / "matplotlib").glob("fontlist-v*.json"):
                shutil.copy(font_list, scratch / "matplotlib" / font_list.name)
            env = sandbox.environment(pycache)
            env.update(HOME=str(scratch), MPLCONFIGDIR=str(scratch / "matplotlib"))
            env.update(IPYTHONDIR=str(scratch / "ipython"))
            argv = [*sandbox.runner_argv(pycache), "-m", "coursekit.grading.runner"]
            fds, cwd = (write_fd,), str(scratch)
            rlimits["processes"] = None  # would count every process of the grader's user
        if group is not None:  # the process cap RLIMIT_NPROC cannot give root, a memory cap
            argv = group.wrap(argv)  # for the whole run, every process it started found
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=fds,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        for fd in fds:
            os.close(fd)
            owned.remove(fd)
        if settings.sandboxed:
            owned.remove(info_r)  # read_info closes it
            try:
                pid1 = await asyncio.to_thread(read_info, info_r)
                # Killing the sandbox's first process ends every process of the sandbox, even
                # one that outlived bwrap (a runner bwrap started is that process, and can
                # take away the signal that kills it with bwrap). A descriptor of the process
                # itself, so that its PID cannot be another's later.
                sandbox_fd = os.pidfd_open(pid1)
            except (OSError, RuntimeError, ValueError):
                pid1 = None  # bwrap failed to set the sandbox up: its stderr will say why
        if settings.sandboxed and settings.zygote is not None:
            try:
                if pid1 is None:
                    raise RuntimeError("bwrap gave no information")
                settings_fd = await fork_runner(settings.zygote, pid1, procs, write_fd)
            except Exception:  # the zygote failed: this and later runners start from scratch
                _kill(process, True, sandbox_fd)
                await process.wait()
                settings.zygote = None
                return await run_submission(cells, notebook, name, lecture, keys, settings)
            owned += [settings_fd]
            owned.remove(write_fd)
            os.close(write_fd)
        header = {
            "channel": fds[0] if settings_fd is None else CHANNEL,
            "lecture": lecture,
            "cell_timeout": settings.cell_timeout,
            "check_timeout": settings.check_timeout,
            "limits": rlimits,
        }
        payload = (json.dumps(header) + "\n" + json.dumps(cells) + "\n").encode()
        reader = _Reader(run, settings, {index for index, _ in cells}, set(keys))
        if settings_fd is None:
            feeding = asyncio.ensure_future(_feed(process, payload))
        else:
            owned.remove(settings_fd)
            feeding = asyncio.ensure_future(
                asyncio.to_thread(_write_and_close, settings_fd, payload)
            )
        errors = asyncio.ensure_future(_tail(process.stderr))
        try:
            owned.remove(read_fd)  # _read_channel closes it
            await _read_channel(read_fd, reader)
            if reader.ready_at is not None:
                run.runtime = time.monotonic() - reader.ready_at
        finally:
            _kill(process, settings.sandboxed, sandbox_fd)
            if group is not None:
                group.close()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                pass
            feeding.cancel()
            try:  # a process that escaped (possible only without a sandbox) may hold stderr
                run.stderr = await asyncio.wait_for(errors, 5)
            except TimeoutError:
                pass
        if not run.ended:
            run.ended = "done" if run.done else ("fatal" if run.fatal else "died")
        return run
    finally:
        for fd in owned:
            os.close(fd)
        if sandbox_fd is not None:
            _kill(None, True, sandbox_fd)
            os.close(sandbox_fd)
        if group is not None:
            group.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _write_and_close(fd: int, payload: bytes) -> None:
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except OSError:
        pass
    finally:
        os.close(fd)


async def _feed(process, payload: bytes) -> None:
    try:
        process.stdin.write(payload)
        await process.stdin.drain()
        process.stdin.close()
    except (BrokenPipeError, ConnectionResetError):
        pass


async def _tail(stream, keep: int = 4000) -> str:
    kept = b""
    while True:
        chunk = await stream.read(65536)
        if not chunk:
            return kept.decode(errors="replace")
        kept = (kept + chunk)[-keep:]


async def _read_channel(fd: int, reader: _Reader) -> None:
    """Read lines until the channel closes or a deadline passes (then ``run.ended`` says
    which); the file descriptor is closed."""
    loop = asyncio.get_running_loop()
    stream = asyncio.StreamReader(limit=MAX_LINE)
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(stream), os.fdopen(fd, "rb", buffering=0)
    )
    buffer = b""
    try:
        while True:
            deadline, why = reader.deadline()
            try:
                chunk = await asyncio.wait_for(stream.read(65536), deadline - time.monotonic())
            except TimeoutError:
                if reader.run.done:
                    return
                reader.run.ended = why
                return
            if not chunk:
                return
            reader.total += len(chunk)
            if reader.total > MAX_TOTAL:
                reader.run.ended = "flood"
                return
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                if line:
                    reader.line(line)
            if len(buffer) > MAX_LINE:
                buffer = b""
                reader.run.ignored += 1
            if reader.run.done:
                return
    finally:
        transport.close()


def _kill(process, sandboxed: bool, sandbox_fd: int | None = None) -> None:
    """Stop a run: killing the sandbox's first process (``sandbox_fd``, a pidfd) ends its PID
    namespace and with it every process inside, and so does killing bwrap
    (``--die-with-parent``) unless the notebook took that away from the first process;
    without a sandbox, the runner's process group is killed."""
    if sandbox_fd is not None:
        try:
            signal.pidfd_send_signal(sandbox_fd, signal.SIGKILL)
        except OSError:
            pass
    if process is None:
        return
    try:
        if sandboxed:
            process.kill()
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
