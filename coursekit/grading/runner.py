"""The runner: executes one submission inside its sandbox and reports, as plain data, what it saw.

Started by the grader as ``python -I -B -X pycache_prefix=... -m coursekit.grading.runner``,
with its settings and the submission's code cells on stdin and the write end of a pipe (the
*channel*, whose file descriptor the settings name) inherited. It

1. reads its settings and the cells, and sets its limits (memory, processes, CPU time, file
   size: ``setrlimit``, which nothing in the process can raise again); takes a session
   keyring of its own and loads the sandbox's seccomp filter
   (:func:`~coursekit.grading.syscalls.install_seccomp`: bwrap filters the program it starts,
   a runner forked by the zygote filters itself);
2. imports the modules every lecture uses (:data:`PRELOAD`, compiled in the grader's bytecode
   cache) and the lecture's exercises, and says ``{"ready": ...}``: the submission's time
   limit starts there, and a notebook's own import cell takes no time;
3. runs each code cell in an IPython shell, as a kernel would (magics, ``display``, the last
   expression shown as text), under the per-cell time limit: a ``SIGALRM`` timer interrupts the
   cell with ``KeyboardInterrupt`` and the next cell runs. After each cell it reports
   ``{"cell": i, "error": ..., "stopped": ...}`` and the answers that changed
   (:mod:`coursekit.grading.extract`);
4. after the last cell, extracts every answer once more and says ``{"done": ...}``.

Nothing here decides a grade. The grader reads the channel (size-capped, every line parsed
defensively), and a notebook can write to it too: whatever it writes is at most a claim about
its own answers, which the grader judges like any other. Outputs of the notebook go to
``/dev/null``; the runner needs no kernel, no network and no other process.
"""

from __future__ import annotations

import builtins
import json
import os
import resource
import signal
import sys

from coursekit.grading.plain import dumps

__builtins__ = dict(vars(builtins))  # the student may rebind builtins: use a private copy
#: What lecture notebooks import: imported before the first cell (and compiled into the
#: bytecode cache before each batch).
PRELOAD = (
    "numpy",
    "scipy",
    "scipy.integrate",
    "scipy.optimize",
    "scipy.spatial.distance",
    "scipy.special",
    "scipy.stats",
    "matplotlib",
    "matplotlib.pyplot",
    "ipywidgets",
    "coursekit",  # and every coursekit module a notebook may import (not the instructors')
)
_INSTRUCTORS_ONLY = ("coursekit.grading", "coursekit.cli", "coursekit.student")


class Channel:
    """One JSON object per line to the grader, on file descriptor ``fd``."""

    def __init__(self, fd: int):
        self.fd = fd
        os.set_inheritable(fd, False)  # programs the notebook starts do not get it

    def send(self, message: dict) -> None:
        try:
            data = (dumps(message) + "\n").encode()
        except (TypeError, ValueError, RecursionError):  # a message broken by the notebook
            data = b'{"unsendable": true}\n'

        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self.fd, view) :]
        except OSError:  # the grader is gone: nothing left to do
            os._exit(3)


class Alarm:
    """A time limit that interrupts the running code with ``KeyboardInterrupt``."""

    def __init__(self) -> None:
        self.armed = self.fired = False

    def _ring(self, signum, frame) -> None:
        if self.armed:  # a stray alarm of the notebook's own is ignored
            self.armed, self.fired = False, True
            raise KeyboardInterrupt

    def start(self, seconds: float) -> None:
        self.fired = False
        signal.signal(signal.SIGALRM, self._ring)  # again: a cell may have replaced it
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds)

    def stop(self) -> None:
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)

    def limited(self, seconds: float, function):
        """``function()`` under a time limit; ``TimeoutError`` when it is stopped or escapes
        with a ``BaseException`` that is not an ``Exception``."""
        self.start(seconds)
        try:
            return function()
        except BaseException:
            raise TimeoutError from None
        finally:
            self.stop()


def set_limits(limits: dict) -> None:
    """Hard and soft limits at once, so that nothing in this process can raise them."""
    for name, key in (
        ("RLIMIT_AS", "memory"),
        ("RLIMIT_NPROC", "processes"),
        ("RLIMIT_CPU", "cpu"),
        ("RLIMIT_FSIZE", "file_size"),
        ("RLIMIT_NOFILE", "open_files"),
        ("RLIMIT_CORE", "core"),
    ):
        value = limits.get(key)
        if value is not None and hasattr(resource, name):
            try:
                resource.setrlimit(getattr(resource, name), (int(value), int(value)))
            except (ValueError, OSError):
                pass


def preload(names=PRELOAD) -> list[str]:
    """Import ``names`` (a missing optional module is noted, not fatal)."""
    import importlib
    import pkgutil

    failed = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except Exception as error:
            failed.append(f"{name}: {type(error).__name__}: {error}"[:300])
            continue
        if name == "coursekit":
            for info in pkgutil.walk_packages(module.__path__, "coursekit."):
                if info.name.startswith(_INSTRUCTORS_ONLY):
                    continue
                try:
                    importlib.import_module(info.name)
                except Exception as error:
                    failed.append(f"{info.name}: {type(error).__name__}: {error}"[:300])
    return failed


def make_shell():
    """An IPython shell that runs cells as a kernel does, keeping no outputs."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class GradingShell(InteractiveShell):
        def enable_gui(self, gui=None):  # %matplotlib: no event loop to start
            pass

        def showtraceback(self, *args, **kwargs):  # errors are reported, not printed
            pass

        def showsyntaxerror(self, *args, **kwargs):
            pass

        def showindentationerror(self):
            pass

    config = Config()
    config.HistoryManager.enabled = False
    shell = GradingShell.instance(config=config)
    for mime, formatter in shell.display_formatter.formatters.items():
        formatter.enabled = mime == "text/plain"  # rich outputs would be computed for nothing
    return shell


def describe(error: BaseException) -> str:
    """ "Type: message", capped (a notebook's exception message can be megabytes)."""
    try:
        message = str(error)
    except BaseException:
        message = BaseException.__str__(error)
    return f"{type(error).__name__[:60]}: {message[:300]}".rstrip(": ")


def restore_outputs() -> None:
    """Give the next cell working ``stdout`` and ``stderr`` again if a cell removed them
    (``sys.stdout = None``, ``os.close(1)``): a kernel's output channel survives that too,
    and IPython needs them to run a cell at all."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_WRONLY)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        stream = getattr(sys, name)
        if stream is None or getattr(stream, "closed", True) or not hasattr(stream, "write"):
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def run_cell(shell, source: str, alarm: Alarm, seconds: float) -> tuple[str | None, bool]:
    """Run one cell under its time limit: (its error or None, whether the limit stopped it)."""
    error = None
    restore_outputs()
    alarm.start(seconds)
    try:
        result = shell.run_cell(source, store_history=True)
        error = result.error_before_exec or result.error_in_exec
    except BaseException as raised:  # raised outside the cell's code (e.g. while displaying)
        error = raised
    finally:
        alarm.stop()
    return (None if error is None else describe(error)), alarm.fired


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:  # pragma: no cover - runs in the sandbox (tested through the grader)
    """The runner started as a program: settings and cells on stdin."""
    settings = json.loads(sys.stdin.readline())
    set_limits(settings.get("limits", {}))
    cells = json.loads(sys.stdin.readline())
    run(settings, cells)


def run(settings: dict, cells: list) -> None:  # pragma: no cover - runs in the sandbox
    """Run the cells and report (see the module docstring); never returns. Limits are set
    already; the channel is the file descriptor ``settings["channel"]``."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)  # input() reads an empty stream
    os.close(null)
    channel = Channel(int(settings["channel"]))
    try:
        from coursekit.grading.syscalls import install_seccomp, new_session_keyring

        new_session_keyring()  # a keyring of its own: none shared with another sandbox
        install_seccomp()  # bwrap filtered its own program; a forked runner filters itself
        failed = preload(settings.get("preload", PRELOAD))
        from coursekit import exercises
        from coursekit.grading.extract import Extractor

        exercise_set = exercises.load(settings["lecture"])
        shell = make_shell()
        alarm = Alarm()
        extractor = Extractor(
            exercise_set, channel.send, float(settings["check_timeout"]), alarm.limited
        )
        sys.path.insert(0, "")  # as in a kernel: modules next to the notebook can be imported
    except BaseException as error:
        channel.send({"fatal": describe(error)})
        os._exit(1)
    channel.send({"ready": True, "failed": failed})
    namespace = shell.user_ns
    for index, source in cells:
        channel.send({"cell": index, "start": True})
        error, stopped = run_cell(shell, source, alarm, float(settings["cell_timeout"]))
        channel.send({"cell": index, "error": error, "stopped": stopped})
        _extract(channel, extractor.after_cell, shell, namespace, index)
    _extract(channel, extractor.final, shell, namespace, None)
    channel.send({"done": True, "cpu": round(cpu_seconds(), 3)})
    os._exit(0)  # threads and atexit handlers of the notebook do not delay the end


def _extract(channel: Channel, step, shell, namespace, index) -> None:
    try:
        step(shell.user_ns if isinstance(shell.user_ns, dict) else namespace, index)
    except BaseException as error:  # the notebook broke something the extractor uses
        channel.send({"extract_error": describe(error), "cell": index})


if __name__ == "__main__":
    main()
