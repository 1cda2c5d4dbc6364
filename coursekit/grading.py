"""Grade submitted notebooks: run each in its own kernel, re-check it with a fresh checker.

``grade_submission(path)`` runs one submission top to bottom in a fresh IPython kernel process
(working directory: the submission's folder) and then checks its answers *in the same kernel*,
so that functions the student wrote can be called. ``grade_batch(paths, jobs=N)`` grades many,
N at a time, with a progress bar; ``write_csv``, ``write_json`` and ``write_feedback`` write the
reports. Nothing a submission does stops a batch: an exception, an infinite loop, a deleted
cell, a kernel that dies or a file that is not a notebook each becomes a status and a reason.

Time limits
    ``cell_timeout`` per cell: the cell is interrupted (KeyboardInterrupt) and the next cells
    still run, so the other questions are graded. ``timeout`` per submission, from its first
    cell to its last: when it runs out the kernel is killed and the submission gets 0, "timed
    out after S s". Checking the answers afterwards has its own limit, ``check_timeout``
    seconds per question (a student's function that loops forever), and a kernel must answer
    within ``STARTUP_TIMEOUT`` seconds of its start.

The injected grading cell
    After the notebook ran, the grader executes a cell of its own in the kernel. That cell
    ``exec``\\ s the grading code in a private namespace whose builtins are the real ones (so
    a notebook that rebinds ``open``, ``print`` or ``json`` cannot break it) and, for each
    question, (1) removes every ``coursekit`` module from ``sys.modules``, (2) imports
    ``coursekit.exercises`` afresh, from the grader's own installation only (``sys.path``
    starts with it and ``sys.meta_path`` holds just the standard finders during the import;
    the module's file is verified), (3) grades that question's variable in the notebook's
    namespace with ``load(NN)`` of the fresh module, and (4) appends the result as one JSON
    line, with a random token, to a file the grader chose in its own temporary folder. So a
    notebook that replaced ``ex.q1.check``, patched ``coursekit.exercises.core.close`` or put a
    fake ``coursekit`` package next to itself is graded by code it never touched. The results
    travel by file, not stdout, so a notebook that redirected ``sys.stdout`` or rebound
    ``print`` does not lose them. Points are recomputed by the grader from each status.

    Not covered (the checker runs in the student's process): a notebook that patches numpy or
    the standard library, or a submitted function that patches the checker while it is being
    called, can still fool it. Those are deliberate cheats that a reader of the notebook sees.

Speed
    With ``preload=True`` (the default of ``grade_batch``) one helper process imports numpy,
    scipy, matplotlib, ipykernel and coursekit once and forks a kernel for each submission
    (Linux): each kernel is still its own process, but starts in about 0.1 s instead of
    several seconds of imports. Up to ``jobs`` further kernels are started ahead, while others
    run (a start is mostly waiting). Grading kernels keep to what grading needs: matplotlib
    draws with Agg, and displayed results are formatted as text/plain only (the grader keeps no
    outputs; the explorers' pre-rendered book views were 80 % of a lecture-01 run). Every cell
    still runs. The kernel environment has ``COURSEKIT_GRADING=1``.

Introduced with ``coursekit grade`` (issue 3).
"""

from __future__ import annotations

import asyncio
import csv
import json
import logging
import math
import os
import re
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.lectures import lecture_number

DEFAULT_TIMEOUT = 300  # seconds per submission
DEFAULT_CELL_TIMEOUT = 60  # seconds per cell
CHECK_TIMEOUT = 10  # seconds per question when checking the answers

# Submission statuses.
GRADED = "graded"
GRADED_WITH_ERRORS = "graded with errors"
TIMED_OUT = "timed out"
FAILED = "failed"
# Question statuses: those of coursekit.exercises, and one for a question that could not be
# checked at all (the notebook never ran, the checker failed).
CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
NOT_GRADED = "not graded"
MARKS = {CORRECT: "✓", INCORRECT: "✗", NOT_ATTEMPTED: "○", NOT_GRADED: "?"}

#: Modules the preloader imports once for all kernels (missing ones are skipped).
PRELOAD_MODULES = (
    "numpy",
    "scipy",
    "scipy.integrate",
    "scipy.optimize",
    "scipy.special",
    "scipy.stats",
    "matplotlib",
    "matplotlib.pyplot",
    "PIL.Image",
    "ipywidgets",
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",  # imports debugpy: a large part of a kernel's start
    "IPython.core.debugger",
    "IPython.core.completerlib",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "sqlite3",
    "coursekit",  # and every coursekit module a notebook may import (see _preloader_main)
)
_NOT_PRELOADED = {"cli", "grading", "student"}

#: Grading kernels compute only the text/plain form of displayed results: the grader keeps no
#: outputs, and rich forms can be costly (an explorer pre-renders its book view as PNG frames).
KERNEL_ARGUMENTS = ("--BaseFormatter.enabled=False", "--PlainTextFormatter.enabled=True")

_ROOT = str(Path(__file__).resolve().parent.parent)  # the folder that holds this coursekit
_log = logging.getLogger("coursekit.grading.kernel")
_log.addHandler(logging.NullHandler())
_log.propagate = False


# -- results ---------------------------------------------------------------------------------
@dataclass
class SubmissionResult:
    """The outcome of grading one notebook.

    ``questions`` maps each question key to ``Result.to_dict()`` of the fresh checker (status,
    points, max_points, mistake, message). ``errors`` lists what went wrong in the notebook
    (a cell that raised or was stopped, a deleted answer variable...); ``reason`` sums up why
    a submission is not simply "graded".
    """

    path: Path
    name: str
    lecture: str | None = None
    title: str = ""
    status: str = FAILED
    reason: str = ""
    errors: list[str] = field(default_factory=list)
    questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    prompts: dict[str, str] = field(default_factory=dict, repr=False)
    runtime: float = 0.0  # seconds from the first cell to the last check
    kernel_cpu: float | None = None  # CPU seconds of the kernel process (Linux)

    @property
    def points(self) -> float:
        return float(sum(q["points"] for q in self.questions.values()))

    @property
    def max_points(self) -> float:
        return float(sum(q["max_points"] for q in self.questions.values()))

    @property
    def graded(self) -> bool:
        return self.status in (GRADED, GRADED_WITH_ERRORS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "submission": self.name,
            "path": str(self.path),
            "lecture": self.lecture,
            "status": self.status,
            "reason": self.reason,
            "errors": list(self.errors),
            "points": self.points,
            "max_points": self.max_points,
            "runtime_seconds": round(self.runtime, 2),
            "kernel_cpu_seconds": None if self.kernel_cpu is None else round(self.kernel_cpu, 2),
            "questions": {key: dict(value) for key, value in self.questions.items()},
        }


def _question(key, status, message, max_points, points=0.0, mistake=None) -> dict[str, Any]:
    return {
        "question": key,
        "status": status,
        "points": float(points),
        "max_points": float(max_points),
        "mistake": mistake,
        "message": message,
    }


# -- finding the lecture ---------------------------------------------------------------------
_LOAD_CALL = re.compile(r"""exercises\.load\(\s*["']?(\d{1,2})\b""")


def lecture_of_submission(path: Path, notebook) -> str | None:
    """The lecture of a submission: the student copy's metadata, else an ``NN-`` in the file
    name that is a lecture with exercises, else the ``exercises.load("NN")`` of its setup cell."""
    meta = notebook.metadata.get("coursekit", {})
    if isinstance(meta, dict) and str(meta.get("lecture", "")).isdigit():
        return str(meta["lecture"]).zfill(2)
    from coursekit.exercises import lectures

    # The last "NN-" that names a lecture: "s07-01-surprise.ipynb" is lecture 01.
    number = lecture_number(path, known=lectures())
    if number:
        return number
    for cell in notebook.cells:
        if cell.get("cell_type") == "code":
            found = _LOAD_CALL.search(cell.get("source", ""))
            if found:
                return found.group(1).zfill(2)
    return None


def submission_names(paths: Sequence[str | Path]) -> list[str]:
    """Short unique names: the file name, with as many parent folders as it takes to be
    unique (``alice.ipynb``, or ``alice/01-surprise-and-entropy.ipynb`` when every student
    has a folder)."""
    parts = [Path(p).absolute().parts for p in paths]
    depth = [1] * len(parts)
    while True:
        names = ["/".join(p[-d:]) for p, d in zip(parts, depth, strict=True)]
        counts = Counter(names)
        clashing = [i for i, n in enumerate(names) if counts[n] > 1 and depth[i] < len(parts[i])]
        if not clashing:
            return names
        for i in clashing:
            depth[i] += 1


def feedback_name(name: str) -> str:
    """The feedback file of a submission: ``alice.ipynb`` → ``alice.md``."""
    stem = name[: -len(".ipynb")] if name.endswith(".ipynb") else name
    return stem.replace("/", "__").replace("\\", "__") + ".md"


# -- the kernel preloader ----------------------------------------------------------------------
def _kernel_env() -> dict[str, str]:
    """The environment of a grading kernel: the grader's, Agg figures, one BLAS thread."""
    env = dict(os.environ)
    env.update(MPLBACKEND="agg", COURSEKIT_GRADING="1", PYDEVD_DISABLE_FILE_VALIDATION="1")
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    return env


class KernelPreloader:
    """A helper process that imports the heavy modules once and forks one kernel per request.

    The helper never runs notebook code: each kernel is a fresh fork of it, in its own session
    (process group), working directory and environment, and dies with the helper. Use as a
    context manager, or call :meth:`close`.
    """

    def __init__(self, modules: Sequence[str] = PRELOAD_MODULES, startup_timeout: float = 120):
        if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
            raise RuntimeError("preloading kernels needs fork() (Linux)")
        self._lock = threading.Lock()
        self._process = subprocess.Popen(
            [sys.executable, "-c", "import coursekit.grading as g; g._preloader_main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**_kernel_env(), "COURSEKIT_PRELOAD": json.dumps(list(modules))},
            start_new_session=True,
        )
        reply = self._receive(startup_timeout)
        if not reply or not reply.get("ready"):
            self.close()
            raise RuntimeError("the kernel preloader did not start")
        self.failed: list[str] = reply.get("failed", [])
        self.threads: int = reply.get("threads", 0)
        if self.threads != 1:  # a fork copies only the forking thread: locks could be held
            self.close()
            raise RuntimeError(f"the kernel preloader runs {self.threads} threads, not 1")

    def _receive(self, timeout: float) -> dict | None:
        stream = self._process.stdout
        ready, _, _ = select.select([stream], [], [], timeout)
        if not ready:
            return None
        line = stream.readline()
        return json.loads(line) if line else None

    def fork(self, args: list[str], cwd: str, env: dict[str, str]) -> int:
        """Start a kernel (``ipykernel_launcher`` arguments ``args``); returns its pid."""
        request = json.dumps({"args": args, "cwd": cwd, "env": env}) + "\n"
        with self._lock:
            if self._process.poll() is not None:
                raise RuntimeError("the kernel preloader has stopped")
            self._process.stdin.write(request.encode())
            self._process.stdin.flush()
            reply = self._receive(30)
        if not reply or "pid" not in reply:
            raise RuntimeError(f"the kernel preloader could not fork: {reply}")
        return int(reply["pid"])

    def close(self) -> None:
        process = self._process
        if process.poll() is None:
            try:
                process.stdin.close()
                process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
        for stream in (process.stdin, process.stdout):
            if stream and not stream.closed:
                stream.close()

    def __enter__(self) -> KernelPreloader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _preloader_main() -> None:  # pragma: no cover - runs in the helper process
    import importlib
    import random

    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the imports print must not reach the reply channel
    import pkgutil

    failed = []
    names = json.loads(os.environ.pop("COURSEKIT_PRELOAD", "[]"))
    if "coursekit" in names:
        import coursekit

        names += [
            f"coursekit.{info.name}"
            for info in pkgutil.iter_modules(coursekit.__path__)
            if info.name not in _NOT_PRELOADED
        ]
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException as error:  # a missing optional module is not fatal
            failed.append(f"{name}: {type(error).__name__}: {error}")
    try:  # load fonts and mathtext once, for every kernel
        import matplotlib.pyplot as plt

        figure, axes = plt.subplots()
        axes.plot([0, 1], [0, 1], label=r"$\sigma^2$")
        axes.legend()
        axes.set_title("warm-up")
        figure.canvas.draw()
        plt.close(figure)
    except Exception as error:
        failed.append(f"matplotlib warm-up: {error}")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel processes are reaped at once
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threads = threading.active_count()  # forking is safe only from a single thread
    channel.write(json.dumps({"ready": True, "failed": failed, "threads": threads}) + "\n")
    channel.flush()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                channel.close()
                os.setsid()
                for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
                    signal.signal(signum, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                _die_with_parent()
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.close(null)
                os.chdir(request["cwd"])
                os.environ.clear()
                os.environ.update(request["env"])
                sys.argv = ["ipykernel_launcher", *request["args"]]
                random.seed()
                if "numpy" in sys.modules:
                    sys.modules["numpy"].random.seed()
                from ipykernel.kernelapp import IPKernelApp

                IPKernelApp.launch_instance(argv=request["args"])
                status = 0
            finally:
                os._exit(status)
        channel.write(json.dumps({"pid": pid}) + "\n")
        channel.flush()


def _die_with_parent() -> None:  # pragma: no cover - runs in a forked kernel
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class _ForkedProcess:
    """What jupyter_client's LocalProvisioner needs of a ``Popen``, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self._pidfd = None

    def _alive(self) -> bool:
        if self._pidfd is not None:
            readable, _, _ = select.select([self._pidfd], [], [], 0)
            return not readable
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def poll(self) -> int | None:
        if self.returncode is None and not self._alive():
            self.returncode = -signal.SIGKILL
            if self._pidfd is not None:
                os.close(self._pidfd)
                self._pidfd = None
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _kernel_manager(preloader: KernelPreloader | None):
    from jupyter_client import AsyncKernelManager

    class PreloadedKernelManager(AsyncKernelManager):
        """Starts the kernel as a fork of the preloader (when it can), else as usual."""

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            args = _ipykernel_args(kernel_cmd)
            if preloader is None or args is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            cwd = str(kw.get("cwd") or os.getcwd())
            env = {str(k): str(v) for k, v in (kw.get("env") or os.environ).items()}
            try:
                pid = await asyncio.to_thread(preloader.fork, args, cwd, env)
            except Exception:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            provisioner = self.provisioner
            provisioner.process = _ForkedProcess(pid)
            provisioner.pid = provisioner.pgid = pid
            provisioner.cwd = cwd
            self._reconcile_connection_info(provisioner.connection_info)

    return PreloadedKernelManager(kernel_name="python3", log=_log)


def _ipykernel_args(cmd: list[str]) -> list[str] | None:
    for i in range(1, len(cmd)):
        if cmd[i] == "ipykernel_launcher" and cmd[i - 1] == "-m":
            return list(cmd[i + 1 :])
    return None


# -- running one submission ------------------------------------------------------------------
def _client_class():
    from nbclient import NotebookClient
    from nbformat.v4 import output_from_msg

    class GradingClient(NotebookClient):
        """Keeps only error outputs (the grader needs nothing else) and notes timed-out cells."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.current_cell: int | None = None
            self.timed_out_cells: set[int] = set()
            self.extra = 0  # grading cells appended after the notebook's own

        async def _async_handle_timeout(self, timeout, cell=None):
            self.timed_out_cells.add(self.current_cell)
            return await super()._async_handle_timeout(timeout, cell)

        def output(self, outs, msg, display_id, cell_index):
            if msg["msg_type"] != "error" or len(outs) >= 3:
                return None
            out = output_from_msg(msg)
            out["traceback"] = []
            outs.append(out)
            return out

        def clear_output(self, outs, msg, cell_index):
            return None

        def handle_comm_msg(self, outs, msg, cell_index):
            return None  # widgets need no front end here

    return GradingClient


@dataclass
class _Run:
    """The state of one run, shared between the work and its watchdog."""

    deadline: float
    phase: str = "starting"  # starting, waiting (for a free job), running, checking, done
    cell: int | None = None
    kernel_cpu: float | None = None
    started: float | None = None  # when the cells started to run


class _Slots:
    """How many kernels may run cells at once (``jobs``), and how many may be started ahead
    of time (as many again): a kernel's start is mostly waiting for its first reply, so the
    next kernel starts while the previous submission still runs."""

    def __init__(self, jobs: int):
        self.running = asyncio.Semaphore(jobs)
        self.ahead = asyncio.Semaphore(jobs)


STARTUP_TIMEOUT = 60  # seconds for a kernel to answer its first request


def _snippet(cell) -> str:
    for line in cell.source.splitlines():
        line = line.strip()
        if line:
            return f"`{line if len(line) <= 40 else line[:37] + '...'}`"
    return "an empty cell"


def _cell_label(notebook, index: int | None) -> str:
    if index is None or index >= len(notebook.cells):
        return "the kernel start"
    return f"cell {index + 1} ({_snippet(notebook.cells[index])})"


async def _grade(
    path: Path,
    name: str,
    *,
    timeout: float,
    cell_timeout: float,
    check_timeout: float,
    lecture: str | None,
    preloader: KernelPreloader | None,
    scratch: Path,
    slots: _Slots | None = None,
) -> SubmissionResult:
    result = SubmissionResult(path=path, name=name)
    try:
        await _grade_into(
            result,
            timeout=timeout,
            cell_timeout=cell_timeout,
            check_timeout=check_timeout,
            lecture=lecture,
            preloader=preloader,
            scratch=scratch,
            slots=slots or _Slots(1),
        )
    except Exception as error:  # never let one submission stop a batch
        result.status = FAILED
        result.reason = f"grading failed: {type(error).__name__}: {error}"
    return result


async def _grade_into(
    result, *, timeout, cell_timeout, check_timeout, lecture, preloader, scratch, slots
):
    import nbformat

    from coursekit import exercises

    path = result.path
    try:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            cell.setdefault("source", "")
            cell.setdefault("metadata", {})
    except Exception as error:
        result.reason = f"not a readable notebook: {type(error).__name__}: {error}"
        return
    number = lecture or lecture_of_submission(path, notebook)
    if number is None:
        result.reason = "cannot tell the lecture: name the file NN-slug.ipynb or pass --lecture NN"
        return
    try:
        exercise_set = exercises.load(number)
    except ValueError as error:
        result.reason = str(error)
        return
    result.lecture, result.title = exercise_set.lecture, exercise_set.title
    for exercise in exercise_set:
        result.prompts[exercise.key] = exercise.prompt
        result.questions[exercise.key] = _question(exercise.key, NOT_GRADED, "", exercise.points)

    run = _Run(deadline=math.inf)
    client = _client_class()(
        notebook,
        km=_kernel_manager(preloader),
        timeout=cell_timeout,
        startup_timeout=STARTUP_TIMEOUT,
        allow_errors=True,
        interrupt_on_timeout=True,
        kernel_name="python3",
        store_widget_state=False,
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(path.parent.resolve())}},
        extra_arguments=list(KERNEL_ARGUMENTS),
        log=_log,
    )
    token = secrets.token_hex(8)
    records: dict[str, dict] = {}
    task = asyncio.ensure_future(
        _execute_and_check(
            client,
            notebook,
            run,
            slots=slots,
            timeout=timeout,
            lecture=exercise_set.lecture,
            keys=exercise_set.keys(),
            records=records,
            token=token,
            # A name of its own: the token must not be readable from a folder listing.
            result_file=scratch / f"{secrets.token_hex(8)}.jsonl",
            check_timeout=check_timeout,
        )
    )
    expired = False
    while not task.done():  # the watchdog: the deadline moves with the phase, so look often
        remaining = run.deadline - time.monotonic()
        if remaining <= 0:
            expired = True
            break
        await asyncio.wait({task}, timeout=min(remaining, 1.0))
    if expired:
        _kill_kernel(client)
        task.cancel()
        await asyncio.wait({task}, timeout=15)
    error = None
    if task.done() and not task.cancelled():
        error = task.exception()
    elif not task.done():
        error = RuntimeError("the kernel could not be stopped")

    # What happened while the notebook ran.
    errors = _cell_problems(notebook, client, cell_timeout, len(notebook.cells) - client.extra)
    result.kernel_cpu = run.kernel_cpu
    if run.started is not None:
        result.runtime = time.monotonic() - run.started
    stage = run.phase
    if expired and stage == "running":
        result.status = TIMED_OUT
        result.errors = errors
        result.reason = (
            f"timed out after {_seconds(timeout)} s (in {_cell_label(notebook, run.cell)})"
        )
        return
    if stage in ("starting", "waiting", "running"):
        result.status = FAILED
        result.errors = errors
        if stage != "running":
            why = f"no answer within {STARTUP_TIMEOUT} s" if expired else _describe(error)
            result.reason = f"the kernel did not start: {why}"
        elif error is None or _is_dead_kernel(error):
            result.reason = (
                f"the kernel died in {_cell_label(notebook, run.cell)} (the notebook exited, "
                "crashed or ran out of memory)"
            )
        else:
            result.reason = (
                f"running the notebook failed in {_cell_label(notebook, run.cell)}: "
                f"{_describe(error)}"
            )
        return

    # The notebook ran to its end: turn the records of the grading cell into results.
    checker_failures = []
    for exercise in exercise_set:
        key = exercise.key
        record = records.get(key)
        if record is None:
            message = (
                "The kernel died while your answer was being checked."
                if not expired
                else "Checking your answer did not finish in time."
            )
            result.questions[key] = _question(key, NOT_GRADED, message, exercise.points)
            checker_failures.append(f"{key}: could not be checked (the kernel stopped)")
            continue
        if "timeout" in record:
            result.questions[key] = _question(
                key,
                INCORRECT,
                f"Checking your answer did not finish within {_seconds(check_timeout)} s: does "
                "your code loop forever?",
                exercise.points,
                mistake="timed out",
            )
            errors.append(
                f"{key}: checking the answer was stopped after {_seconds(check_timeout)} s"
            )
            continue
        if "raised" in record:
            result.questions[key] = _question(
                key,
                INCORRECT,
                f"Checking your answer failed: {record['raised']}",
                exercise.points,
                mistake="raised an error",
            )
            continue
        if "error" in record:
            result.questions[key] = _question(
                key, NOT_GRADED, f"Could not be checked: {record['error']}", exercise.points
            )
            checker_failures.append(f"{key}: the checker failed: {record['error']}")
            continue
        entry = record.get("result")
        if not isinstance(entry, dict) or entry.get("status") not in (
            CORRECT,
            INCORRECT,
            NOT_ATTEMPTED,
        ):
            result.questions[key] = _question(
                key, NOT_GRADED, "The checker's answer was unreadable.", exercise.points
            )
            checker_failures.append(f"{key}: the checker's answer was unreadable")
            continue
        status = entry["status"]
        mistake = entry.get("mistake")
        result.questions[key] = _question(
            key,
            status,
            str(entry.get("message", "")),
            exercise.points,
            points=exercise.points if status == CORRECT else 0.0,
            mistake=str(mistake) if mistake is not None else None,
        )
        if not record.get("defined", True):
            errors.append(
                f"{key}: no variable {exercise.variable} in the notebook (cell deleted or "
                "name changed?)"
            )
    result.errors = errors + checker_failures
    if checker_failures:
        result.status = FAILED
    else:
        result.status = GRADED_WITH_ERRORS if errors else GRADED
    result.reason = "; ".join(result.errors)


async def _execute_and_check(
    client,
    notebook,
    run,
    *,
    slots,
    timeout,
    lecture,
    keys,
    records,
    token,
    result_file,
    check_timeout,
):
    try:
        async with slots.ahead:
            run.deadline = time.monotonic() + STARTUP_TIMEOUT + 10
            await client.async_start_new_kernel(
                cwd=client.resources["metadata"]["path"],
                env=_kernel_env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            await client.async_start_new_kernel_client()
            run.phase, run.deadline = "waiting", math.inf
            await slots.running.acquire()
        try:
            # The time limit of a submission counts from here, when its cells start.
            run.started = time.monotonic()
            run.phase, run.deadline = "running", run.started + timeout
            await _run_cells(
                client,
                notebook,
                run,
                lecture=lecture,
                keys=keys,
                records=records,
                token=token,
                result_file=result_file,
                check_timeout=check_timeout,
            )
        finally:
            run.kernel_cpu = _kernel_cpu(client)
            slots.running.release()
    finally:
        if client.km is not None:
            await client._async_cleanup_kernel()


async def _run_cells(
    client, notebook, run, *, lecture, keys, records, token, result_file, check_timeout
):
    from nbformat.v4 import new_code_cell

    count = len(notebook.cells)
    for index in range(count):
        cell = notebook.cells[index]
        if cell.cell_type != "code":
            continue
        run.cell = client.current_cell = index
        await client.async_execute_cell(cell, index)
    # The grading cells: a fresh checker, one question after the other.
    run.phase = "checking"
    run.cell = None
    client.timeout = check_timeout
    remaining = list(keys)
    while remaining:
        run.deadline = time.monotonic() + check_timeout * (len(remaining) + 1) + 10
        cell = new_code_cell(_grading_cell(lecture, remaining, result_file, token))
        notebook.cells.append(cell)
        client.extra += 1
        index = len(notebook.cells) - 1
        client.current_cell = index
        await client.async_execute_cell(cell, index, store_history=False)
        found = _read_records(result_file, token, remaining)
        while remaining and remaining[0] in found:
            key = remaining.pop(0)
            records[key] = found[key]
        if not remaining:
            break
        key = remaining.pop(0)
        if index in client.timed_out_cells:
            records[key] = {"timeout": True}
        else:
            records[key] = {"error": _cell_error(cell) or "the grading cell stopped early"}
    run.phase = "done"


def _kernel_cpu(client) -> float | None:
    """CPU seconds the kernel process has used so far (Linux; None elsewhere)."""
    pid = getattr(getattr(getattr(client, "km", None), "provisioner", None), "pid", None)
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, TypeError):
        return None


def _read_records(path: Path, token: str, keys: list[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return found
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if (
            isinstance(record, dict)
            and record.get("token") == token
            and record.get("key") in keys
            and record["key"] not in found
        ):
            if record.get("interrupted"):
                continue  # stopped by the time limit: the caller sees the timeout
            found[record["key"]] = record
    return found


def _cell_error(cell) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename')}: {output.get('evalue')}"
    return None


def _cell_problems(notebook, client, cell_timeout, count) -> list[str]:
    problems = []
    for index in range(min(count, len(notebook.cells))):
        cell = notebook.cells[index]
        if cell.cell_type != "code":
            continue
        label = _cell_label(notebook, index)
        if index in client.timed_out_cells:
            problems.append(
                f"{label} was stopped after {_seconds(cell_timeout)} s (time limit per cell)"
            )
            continue
        error = _cell_error(cell)
        if error:
            problems.append(f"{label} raised {error}")
    return problems


def _kill_kernel(client) -> None:
    provisioner = getattr(getattr(client, "km", None), "provisioner", None)
    pid = getattr(provisioner, "pgid", None) or getattr(provisioner, "pid", None)
    if not pid:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _is_dead_kernel(error) -> bool:
    return type(error).__name__ == "DeadKernelError"


def _describe(error) -> str:
    if error is None:
        return "unknown error"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def _seconds(value: float) -> str:
    return f"{value:g}"


# -- the grading cell ------------------------------------------------------------------------
# Runs inside the student's kernel, through exec() in a namespace of its own whose builtins are
# the real ones. USER_NS is the notebook's namespace, PARAMS what the grader chose.
_GRADER_CODE = r'''
import importlib
import importlib.machinery
import json
import os
import sys


def fresh_exercises(root):
    """coursekit.exercises imported anew, from the grader's installation and nowhere else."""
    for name in [n for n in sys.modules if n == "coursekit" or n.startswith("coursekit.")]:
        del sys.modules[name]
    saved_path, saved_meta_path = sys.path[:], sys.meta_path[:]
    sys.path[:] = [root] + [p for p in saved_path if p != root]
    sys.meta_path[:] = [
        importlib.machinery.BuiltinImporter,
        importlib.machinery.FrozenImporter,
        importlib.machinery.PathFinder,
    ]
    importlib.invalidate_caches()
    try:
        module = importlib.import_module("coursekit.exercises")
    finally:
        sys.path[:] = saved_path
        sys.meta_path[:] = saved_meta_path
    origin = os.path.realpath(getattr(module, "__file__", None) or "")
    if not origin.startswith(os.path.join(os.path.realpath(root), "coursekit") + os.sep):
        raise ImportError(f"coursekit.exercises came from {origin!r}, not from {root!r}")
    return module


def main(params, namespace):
    with open(params["path"], "a", encoding="utf-8") as out:

        def emit(key, **record):
            record.update(key=key, token=params["token"])
            out.write(json.dumps(record, default=str) + "\n")
            out.flush()

        for key in params["keys"]:
            try:
                exercises = fresh_exercises(params["root"])
                exercise_set = exercises.load(params["lecture"])
                exercise = exercise_set[key]
                single = exercises.ExerciseSet(
                    exercise_set.lecture, exercise_set.title, {key: exercise}
                )
            except KeyboardInterrupt:
                emit(key, interrupted=True)
                return
            except BaseException as error:
                emit(key, error=f"{type(error).__name__}: {error}")
                continue
            try:
                result = single.grade(namespace)[0].to_dict()
            except KeyboardInterrupt:
                emit(key, interrupted=True)
                return
            except BaseException as error:  # SystemExit and the like, from the answer
                emit(key, raised=f"{type(error).__name__}: {error}")
                continue
            emit(key, result=result, defined=exercise.variable in namespace)


main(PARAMS, USER_NS)
'''


def _grading_cell(lecture: str, keys: list[str], result_file: Path, token: str) -> str:
    params = {
        "root": _ROOT,
        "lecture": lecture,
        "keys": list(keys),
        "path": str(result_file),
        "token": token,
    }
    b = f"__coursekit_builtins_{token}"
    return (
        f"import builtins as {b}\n"
        f"try:\n"
        f"    {b}.exec({b}.compile({_GRADER_CODE!r}, '<coursekit grader>', 'exec'), "
        f"{{'__builtins__': {b}, '__name__': '__coursekit_grader__', "
        f"'PARAMS': {params!r}, 'USER_NS': {b}.globals()}})\n"
        f"finally:\n"
        f"    del {b}\n"
    )


# -- public entry points ---------------------------------------------------------------------
def grade_submission(
    path: str | Path,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    cell_timeout: float | None = None,
    check_timeout: float = CHECK_TIMEOUT,
    lecture: str | None = None,
    name: str | None = None,
    preloader: KernelPreloader | None = None,
) -> SubmissionResult:
    """Run and grade one submitted notebook (see the module docstring). Never raises for a
    problem of the submission: it becomes ``status`` and ``reason``."""
    path = Path(path)
    scratch = Path(tempfile.mkdtemp(prefix="coursekit-grade-"))
    try:
        return asyncio.run(
            _grade(
                path,
                name or path.name,
                timeout=timeout,
                cell_timeout=cell_timeout or min(timeout, DEFAULT_CELL_TIMEOUT),
                check_timeout=check_timeout,
                lecture=lecture,
                preloader=preloader,
                scratch=scratch,
            )
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def grade_batch(
    paths: Iterable[str | Path],
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
    *,
    cell_timeout: float | None = None,
    check_timeout: float = CHECK_TIMEOUT,
    lecture: str | None = None,
    preload: bool = True,
) -> list[SubmissionResult]:
    """Grade many submissions, ``jobs`` at a time (default: one per CPU), in input order.

    Each submission runs in its own kernel process. ``progress`` shows a bar on stderr.
    ``preload`` forks the kernels from a process that imported the heavy modules once
    (much faster; falls back to ordinary kernels where fork is not available).
    """
    unique = list(dict.fromkeys(Path(p) for p in paths))
    if not unique:
        return []
    names = submission_names(unique)
    jobs = max(1, jobs or _cpu_count())
    bar = _progress_bar(len(unique), enabled=progress)
    preloader = None
    scratch = Path(tempfile.mkdtemp(prefix="coursekit-grade-"))
    try:
        if preload:
            try:
                preloader = KernelPreloader()
            except Exception:
                preloader = None
        return asyncio.run(
            _grade_all(
                unique,
                names,
                jobs=jobs,
                bar=bar,
                timeout=timeout,
                cell_timeout=cell_timeout or min(timeout, DEFAULT_CELL_TIMEOUT),
                check_timeout=check_timeout,
                lecture=lecture,
                preloader=preloader,
                scratch=scratch,
            )
        )
    finally:
        bar.close()
        if preloader is not None:
            preloader.close()
        shutil.rmtree(scratch, ignore_errors=True)


async def _grade_all(paths, names, *, jobs, bar, **options) -> list[SubmissionResult]:
    slots = _Slots(jobs)

    async def one(path, name):
        result = await _grade(path, name, slots=slots, **options)
        bar.update(1)
        return result

    return list(await asyncio.gather(*(one(p, n) for p, n in zip(paths, names, strict=True))))


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class _SimpleBar:
    """A stand-in for tqdm: "grading 3/50" on one line of stderr."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.count = total, 0
        self.enabled = enabled and sys.stderr.isatty()
        self._show()

    def _show(self) -> None:
        if self.enabled:
            sys.stderr.write(f"\rgrading {self.count}/{self.total}")
            sys.stderr.flush()

    def update(self, n: int = 1) -> None:
        self.count += n
        self._show()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
        self.enabled = False


def _progress_bar(total: int, enabled: bool):
    try:
        from tqdm import tqdm
    except ImportError:
        return _SimpleBar(total, enabled)
    return tqdm(total=total, desc="grading", unit="notebook", file=sys.stderr, disable=not enabled)


# -- reports ---------------------------------------------------------------------------------
def _columns(results: Sequence[SubmissionResult]) -> list[tuple[str, str | None, str]]:
    """(column name, lecture, question key) for every question of the batch, in order."""
    lectures = list(dict.fromkeys(r.lecture for r in results if r.lecture))
    columns = []
    for lecture in lectures:
        keys = next(list(r.questions) for r in results if r.lecture == lecture)
        for key in keys:
            columns.append((key if len(lectures) == 1 else f"{lecture}.{key}", lecture, key))
    return columns


def _number(value: float) -> str:
    return f"{value:g}"


def _text(value: str) -> str:
    """A CSV text cell that a spreadsheet will not take for a formula (names and messages
    come from the submissions)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_csv(results: Sequence[SubmissionResult], path: str | Path) -> Path:
    """One row per submission: name, points per question, total, max, status, reason."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = _columns(results)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["submission", *[c[0] for c in columns], "total", "max", "status", "reason"]
        )
        for result in results:
            row = [_text(result.name)]
            for _, lecture, key in columns:
                question = result.questions.get(key) if result.lecture == lecture else None
                row.append(_number(question["points"]) if question else "")
            row += [
                _number(result.points),
                _number(result.max_points),
                result.status,
                _text(result.reason),
            ]
            writer.writerow(row)
    return path


def write_json(results: Sequence[SubmissionResult], path: str | Path, **settings: Any) -> Path:
    """Per submission: status, reason, errors, run time and per-question feedback."""
    from coursekit import __version__

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lectures: dict[str, dict] = {}
    for result in results:
        if result.lecture and result.lecture not in lectures:
            lectures[result.lecture] = {
                "title": result.title,
                "questions": {
                    key: {"prompt": result.prompts.get(key, ""), "max_points": q["max_points"]}
                    for key, q in result.questions.items()
                },
            }
    document = {
        "coursekit": __version__,
        "settings": settings,
        "lectures": lectures,
        "submissions": [result.to_dict() for result in results],
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def feedback_markdown(result: SubmissionResult) -> str:
    """The feedback for one student, in Markdown."""
    title = f"lecture {result.lecture}: {result.title}" if result.lecture else "your notebook"
    lines = [f"# Feedback on {title}", "", f"Submission: `{result.name}`"]
    if result.questions:
        lines[-1] += "  "  # a line break in Markdown
        lines.append(f"Score: **{_number(result.points)} / {_number(result.max_points)}**")
    lines.append("")
    if result.status == TIMED_OUT:
        lines += [
            f"Your notebook did not finish running ({result.reason}), so it was not graded. "
            "Look for a cell that takes very long or never ends (an infinite loop), then run "
            "the whole notebook again (Restart Kernel and Run All Cells).",
            "",
        ]
    elif result.status == FAILED:
        lines += [f"Your notebook could not be graded completely: {result.reason}", ""]
    elif result.errors:
        lines += [
            "What went wrong when your notebook was run from top to bottom:",
            "",
            *[f"- {error}" for error in result.errors],
            "",
        ]
    for key, question in result.questions.items():
        mark = MARKS.get(question["status"], "?")
        lines.append(
            f"## {mark} {key}: {question['status']} "
            f"({_number(question['points'])} / {_number(question['max_points'])})"
        )
        lines.append("")
        if result.prompts.get(key):
            lines += [f"*{result.prompts[key]}*", ""]
        if question["message"]:
            lines += [question["message"], ""]
    return "\n".join(lines).rstrip() + "\n"


def write_feedback(results: Sequence[SubmissionResult], folder: str | Path) -> list[Path]:
    """One Markdown file per submission, ``<folder>/<submission stem>.md``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        target = folder / feedback_name(result.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(feedback_markdown(result), encoding="utf-8")
        written.append(target)
    return written


__all__ = [
    "CHECK_TIMEOUT",
    "DEFAULT_CELL_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "FAILED",
    "GRADED",
    "GRADED_WITH_ERRORS",
    "NOT_GRADED",
    "TIMED_OUT",
    "KernelPreloader",
    "SubmissionResult",
    "feedback_markdown",
    "feedback_name",
    "grade_batch",
    "grade_submission",
    "lecture_of_submission",
    "submission_names",
    "write_csv",
    "write_feedback",
    "write_json",
]
