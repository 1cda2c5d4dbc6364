"""Function exercises: the student writes a function, checked on test cases.

A ``FunctionExercise`` is judged in two steps: ``run_cases(function)`` gives the function's
:class:`Outcome` on each test case (where the function lives: the notebook, or the grader's
sandbox) and ``judge_outputs(outcomes)`` gives the verdict (anywhere); ``evaluate`` is the two
together. A function that still raises ``NotImplementedError`` reads as not attempted.

Introduced with the exercises of lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from coursekit.exercises.core import (
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    AnswerFormatError,
    Exercise,
    Result,
    _with_pairs,
    as_float_array,
    describe_value,
    format_number,
    is_placeholder,
)
from coursekit.exercises.mistakes import Rule, close


@dataclass
class Outcome:
    """What a student's function did on one test case: returned ``value``, or raised.

    ``raised`` is the exception's type name and ``message`` its text; ``not_implemented`` marks
    a ``NotImplementedError`` (the placeholder). The grader adds two ways to stop that a
    notebook never sees: ``timed_out`` (the time limit in seconds that stopped the call) and
    ``ended`` (how the process running the call ended, e.g. "exit status 1").
    """

    value: Any = None
    raised: str | None = None
    message: str = ""
    not_implemented: bool = False
    timed_out: float | None = None
    ended: str | None = None

    @property
    def stopped(self) -> bool:
        """True when the call gave no value (the later test cases are not run)."""
        return (
            self.raised is not None
            or self.not_implemented
            or self.timed_out is not None
            or self.ended is not None
        )


def call_case(function: Callable, args: Sequence) -> Outcome:
    """Call a student's function on one test case; an exception becomes the outcome."""
    try:
        with np.errstate(all="ignore"):
            return Outcome(value=function(*args))
    except NotImplementedError:
        return Outcome(raised="NotImplementedError", not_implemented=True)
    except Exception as error:  # the student's code failed: say where, not a traceback
        return Outcome(raised=type(error).__name__, message=str(error))


@dataclass
class FunctionExercise(Exercise):
    """The answer is a function, checked against ``reference`` on each of ``cases``.

    ``cases`` is a list of argument tuples, edge cases included (zeros in p, say). A function
    that still raises ``NotImplementedError`` reads as not attempted.
    """

    reference: Callable | None = None
    cases: Sequence[tuple] = ()
    signature: str = ""
    kind: str | None = None
    mistakes: Sequence[Rule] = ()
    rtol: float = 1e-6
    starter_body: str = ""

    @property
    def starter(self) -> str:
        body = self.starter_body or '    raise NotImplementedError("write your function here")'
        return f"def {self.signature}:\n{body}"

    def evaluate(self, answer) -> Result:
        if is_placeholder(answer):
            return self._result(
                NOT_ATTEMPTED, f"Write the function {self.variable}, then run the cell again."
            )
        if not callable(answer):
            return self._result(
                INCORRECT,
                f"Expected a function, got {describe_value(answer)}.",
                "wrong type or shape",
            )
        return self.judge_outputs(self.run_cases(answer))

    def run_cases(
        self, function: Callable, call: Callable[[Callable, list], Outcome] = call_case
    ) -> list[Outcome]:
        """The function's outcome on each test case, in order, up to the first that gives no
        value. Each call gets its own copy of the arguments; ``call`` makes one call (the
        grader passes one with a time limit)."""
        outcomes = []
        for args in self.cases:
            outcome = call(function, [_copy(a) for a in args])
            outcomes.append(outcome)
            if outcome.stopped:
                break
        return outcomes

    def judge_outputs(self, outcomes: Sequence[Outcome]) -> Result:
        """The verdict on a function from its outcomes alone (see :meth:`run_cases`).

        Raises ``ValueError`` when ``outcomes`` is not what ``run_cases`` gives (too few)."""
        outputs = []
        for args, outcome in zip(self.cases, outcomes, strict=False):
            expected = np.asarray(self.reference(*args), dtype=float)
            if outcome.not_implemented:
                return self._result(
                    NOT_ATTEMPTED,
                    f"{self.variable} still raises "
                    "NotImplementedError: replace that line with your code.",
                )
            if outcome.timed_out is not None:
                return self._result(
                    INCORRECT,
                    f"Checking your answer did not finish within {outcome.timed_out:g} s: does "
                    "your code loop forever?",
                    "timed out",
                )
            if outcome.ended is not None:
                return self._result(
                    INCORRECT,
                    f"Your function ended the process running it ({outcome.ended}) for "
                    f"{_show_args(args, self.signature)}.",
                    "raised an error",
                )
            if outcome.raised is not None:
                return self._result(
                    INCORRECT,
                    f"Your function raised {outcome.raised} "
                    f"({outcome.message}) for {_show_args(args, self.signature)}.",
                    "raised an error",
                )
            try:
                value = as_float_array(outcome.value, expected.shape, self.kind)
            except AnswerFormatError as error:
                shown = _show_args(args, self.signature)
                return self._result(INCORRECT, f"For {shown}: {error}", "wrong type or shape")
            outputs.append((args, value, expected))
        if len(outputs) < len(self.cases):
            raise ValueError(
                f"outcomes for {len(outputs)} of the {len(self.cases)} test cases of {self.key}"
            )
        failing = [(a, v, e) for a, v, e in outputs if not close(v, e, rtol=self.rtol)]
        if not failing:
            return self._result(
                CORRECT,
                f"Your function agrees with the reference on all {len(outputs)} test cases.",
            )
        for rule in _with_pairs(self.mistakes):
            if all(rule.explains(v, a, self.reference, e) for a, v, e in failing):
                return self._result(INCORRECT, rule.message, rule.name)
        args, value, expected = failing[0]
        return self._result(
            INCORRECT,
            f"For {_show_args(args, self.signature)} your function returned "
            f"{format_number(value)}, but the answer is {format_number(expected)}"
            f" ({len(failing)} of {len(outputs)} test cases fail).",
        )

    def self_test(self) -> list[str]:
        problems = []
        if not self.evaluate(self.reference).passed:
            problems.append(f"{self.key}: the reference function does not pass its own check")

        def placeholder(*args):
            raise NotImplementedError

        if self.evaluate(placeholder).status != NOT_ATTEMPTED:
            problems.append(f"{self.key}: the placeholder does not read as not attempted")
        for rule in self.mistakes:
            result = self.evaluate(rule.mistaken(self.reference))
            if result.mistake != rule.name:
                problems.append(
                    f"{self.key}: the mistake {rule.name!r} is not recognised "
                    f"(got {result.mistake!r}: {result.message})"
                )
        return problems


def _copy(value):
    """Give the student's function its own copy, so that it cannot change the test cases (a
    list stays a list: a function must work on what a student would pass it)."""
    return copy.deepcopy(value)


def _show_args(args: tuple, signature: str = "") -> str:
    """The arguments of a test case, named after the signature: "x = 2, mu = 0, s = 1"."""
    names = re.findall(r"(\w+)\s*(?:=[^,)]*)?\s*[,)]", signature.partition("(")[2])
    shown = []
    for index, value in enumerate(args):
        array = np.asarray(value)
        text = (
            np.array2string(array, precision=4, separator=", ")
            if array.ndim
            else format_number(value)
        )
        shown.append(f"{names[index]} = {text}" if len(names) == len(args) else text)
    return ", ".join(shown)
