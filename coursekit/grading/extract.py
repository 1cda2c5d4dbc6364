"""Answer extraction, in the student's process: the notebook's answers as plain data.

The runner calls :meth:`Extractor.after_cell` after every cell and :meth:`Extractor.final` after
the last, and the extractor sends what changed to the grader: ``{"answers": {key: plain data},
"cell": index}``. Because answers leave the process as soon as they exist, a notebook that
crashes, hangs or closes its output later keeps the credit of every answer it had already given.

- A value or choice exercise's variable is encoded with :func:`~coursekit.grading.plain.encode`
  (a missing variable as ``{"t": "missing"}``). Objects that are not plain values may run their
  own code while being converted (``__array__``); that is bounded by the per-question time limit.
- A function exercise's function is run on the exercise's test cases in a **forked child
  process** (``FunctionExercise.run_cases``), which streams one outcome per case back through a
  pipe; the child is killed at the per-question time limit (the case becomes "timed out") and a
  child that exits or crashes ends only itself ("ended"). A function is re-run when its name is
  bound to a new function, and once more at the end (it may use globals defined later).

None of this is trusted: the student's code can change what the extractor sends, as it can
change its own answers. The grader only ever accepts values and outcomes, and judges them itself.
"""

from __future__ import annotations

import builtins
import copy
import json
import os
import select
import signal
import time
from collections.abc import Callable

import numpy as np

from coursekit.exercises.functions import FunctionExercise, Outcome
from coursekit.grading.plain import MAX_MESSAGE, cap, dumps, encode, encode_outcome

__builtins__ = dict(vars(builtins))  # the student may rebind builtins: use a private copy
_RUN_CASES = FunctionExercise.run_cases  # as imported, before any cell ran
MAX_CHILD_OUTPUT = 8 * 2**20  # bytes a function's outcomes may take
_PLAIN = frozenset({int, float, bool, str, bytes, complex, type(None), type(Ellipsis)})
_MISSING = object()


def _describe(error: BaseException) -> tuple[str, str]:
    """An exception's type name and message, capped; the student's ``__str__`` may fail."""
    try:
        message = str(error)
    except BaseException:
        message = BaseException.__str__(error)
    return type(error).__name__[:60], cap(message, MAX_MESSAGE)


def guarded_call(function: Callable, args) -> Outcome:
    """``call_case`` for the grader: every exception, KeyboardInterrupt and SystemExit
    included, becomes the outcome."""
    try:
        with np.errstate(all="ignore"):
            return Outcome(value=function(*args))
    except NotImplementedError:
        return Outcome(raised="NotImplementedError", not_implemented=True)
    except BaseException as error:
        name, message = _describe(error)
        return Outcome(raised=name, message=message)


class Extractor:
    """Sends a notebook's answers, as plain data, after each cell (see the module docstring).

    ``send(message)`` writes one message to the grader; ``limited(seconds, function)`` calls
    ``function()`` under a time limit and returns its result, or raises ``TimeoutError``.
    """

    def __init__(self, exercise_set, send, check_timeout: float, limited):
        # Copies made before the first cell: a cell that edits the exercises (their test
        # cases, say) changes objects the extractor does not use.
        self.exercises = [copy.copy(exercise) for exercise in exercise_set]
        for exercise in self.exercises:
            if isinstance(exercise, FunctionExercise):
                exercise.cases = copy.deepcopy(list(exercise.cases))
        self.send = send
        self.check_timeout = check_timeout
        self.limited = limited
        self.sent: dict[str, str] = {}  # key -> the JSON text last sent
        self.objects: dict[str, tuple[object, dict]] = {}  # key -> (object, encoding)
        self.functions: dict[str, tuple[object, dict]] = {}  # key -> (function, outcomes)

    def after_cell(self, namespace, cell: int) -> None:
        self._round(namespace, cell, final=False)

    def final(self, namespace, cell: int | None = None) -> None:
        self._round(namespace, None, final=True)

    def _round(self, namespace, cell: int | None, final: bool) -> None:
        changed = {}
        for exercise in self.exercises:
            if isinstance(exercise, FunctionExercise):
                continue
            data = self._value(exercise.key, namespace.get(exercise.variable, _MISSING))
            if data is not None:
                changed.update(self._if_changed(exercise.key, data))
        if changed:
            self.send({"answers": changed, "cell": cell})
        for exercise in self.exercises:
            if isinstance(exercise, FunctionExercise):
                answer = namespace.get(exercise.variable, _MISSING)
                data = self._function(exercise, answer, final)
                changed = self._if_changed(exercise.key, data)
                if changed:
                    self.send({"answers": changed, "cell": cell})

    def _if_changed(self, key: str, data: dict) -> dict:
        text = dumps(data)
        if self.sent.get(key) == text:
            return {}
        self.sent[key] = text
        return {key: data}

    def _value(self, key: str, value) -> dict | None:
        if value is _MISSING:
            return {"t": "missing"}
        kind = type(value)
        if kind in _PLAIN:
            return encode(value)
        remembered = self.objects.get(key)
        if remembered is not None and remembered[0] is value and kind not in (list, np.ndarray):
            return remembered[1]
        try:  # may run the student's code (a list of objects, an object's __array__)
            data = self.limited(self.check_timeout, lambda: encode(value))
        except TimeoutError:
            return None  # keep what was sent before
        self.objects[key] = (value, data)
        return data

    def _function(self, exercise: FunctionExercise, answer, final: bool) -> dict:
        if answer is _MISSING:
            return {"t": "missing"}
        if answer is Ellipsis or not callable(answer):
            return encode(answer)
        remembered = self.functions.get(exercise.key)
        if remembered is not None and remembered[0] is answer:
            stopped = any("timed_out" in c or "ended" in c for c in remembered[1]["cases"])
            if not final or stopped:
                return remembered[1]
        self.send({"checking": exercise.key, "seconds": self.check_timeout})
        data = {"t": "function", "cases": self._run_cases(exercise, answer)}
        self.functions[exercise.key] = (answer, data)
        return data

    def _run_cases(self, exercise: FunctionExercise, function) -> list[dict]:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no more processes allowed: run the cases here, under the time limit
            os.close(read)
            os.close(write)
            return self._run_cases_here(exercise, function)
        if pid == 0:  # pragma: no cover - the child
            status = 1
            try:
                os.close(read)
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, signal.SIG_DFL)

                def call(f, args):
                    outcome = guarded_call(f, args)
                    line = dumps(encode_outcome(outcome)) + "\n"
                    _write_all(write, line.encode())
                    return outcome

                _RUN_CASES(exercise, function, call=call)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        return self._collect(pid, read)

    def _collect(self, pid: int, read: int) -> list[dict]:
        deadline = time.monotonic() + self.check_timeout
        buffer, cases, ended = b"", [], None
        try:
            while True:
                remaining = deadline - time.monotonic()
                ready = select.select([read], [], [], max(remaining, 0))[0] if remaining > 0 else []
                if not ready:
                    cases.append({"timed_out": float(self.check_timeout)})
                    break
                chunk = os.read(read, 65536)
                if not chunk:
                    break
                buffer += chunk
                if len(buffer) > MAX_CHILD_OUTPUT:
                    ended = "its results were too large"
                    break
                *lines, buffer = buffer.split(b"\n")
                try:
                    cases += [json.loads(line) for line in lines]
                except Exception:
                    ended = "its results were unreadable"
                    break
        finally:
            os.close(read)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status = os.waitpid(pid, 0)
        last = cases[-1] if cases else {}
        stopped = any(k in last for k in ("raised", "timed_out", "not_implemented"))
        if ended is None and not stopped and not (os.WIFEXITED(status) and status == 0):
            ended = _ending(status)  # the function ended the child (os._exit, a crash...)
        if ended is not None:
            cases.append({"ended": ended})
        return cases

    def _run_cases_here(self, exercise: FunctionExercise, function) -> list[dict]:
        cases: list[dict] = []

        def call(f, args):
            outcome = guarded_call(f, args)
            cases.append(encode_outcome(outcome))
            return outcome

        try:
            self.limited(self.check_timeout, lambda: _RUN_CASES(exercise, function, call=call))
        except TimeoutError:
            cases.append({"timed_out": float(self.check_timeout)})
        return cases


def _ending(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exit status {os.WEXITSTATUS(status)}"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
