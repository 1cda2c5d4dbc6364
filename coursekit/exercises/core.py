"""Exercises that check an answer and say why it is wrong: values, functions and choices.

In a notebook::

    ex = exercises.load("01")
    entropy_die = ...            # the placeholder: reads as "not attempted"
    ex.q1.check(entropy_die)     # feedback that names the mistake
    ex.q1.hint()                 # the next hint of a ladder
    ex.q1.solution()             # the reference solution
    ex.progress()                # attempted / passed, per question

Answers are converted to float arrays and compared with tolerances (so an object that claims
to equal everything does not pass); a wrong type or shape gets one sentence, never a
traceback. Each exercise declares the mistakes it recognises (``coursekit.exercises.mistakes``)
and tests itself with ``self_test()``.

Judging never needs the student's objects, only what they are worth as plain data: a
``ValueExercise`` or ``ChoiceExercise`` judges a number, an array, a string or a boolean, and a
``FunctionExercise`` is judged in two steps, ``run_cases(function)`` (the function's
:class:`Outcome` on each test case, computed where the function lives) and
``judge_outputs(outcomes)`` (the verdict, computed anywhere). ``evaluate`` is the two together,
so ``ex.q3.check(f)`` in a notebook and ``coursekit grade`` (which runs the cases in the
student's sandbox and judges in its own process) give the same result.

Introduced with the exercises of lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from coursekit.exercises.mistakes import Mistake, Rule, close

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
#: A wrong number within this many tolerances of the answer reads as a rounding difference.
ROUNDING_BAND = 20
#: An expected value this small is 0 up to rounding (a fitted mean of 1e-15): it has no
#: significant figures, and an answer of 0 is right.
ZERO = 1e-9
#: Relative tolerance at which a mistake rule still recognises a value a student rounded.
MISTAKE_RTOL = 2e-3
_EMPHASIS = re.compile(r"\*([^*\s][^*]*?)\*")


def rich_text(text: str) -> str:
    """Feedback as HTML: escaped, with ``*emphasis*`` rendered as emphasis."""
    return _EMPHASIS.sub(r"<em>\1</em>", html.escape(text))


class AnswerFormatError(ValueError):
    """An answer of the wrong type or shape; its message is one sentence for the student."""


@dataclass
class Result:
    """The outcome of one check: a status, a message for the student, and the points."""

    question: str
    status: str
    message: str
    points: float = 0.0
    max_points: float = 1.0
    mistake: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "status": self.status,
            "points": self.points,
            "max_points": self.max_points,
            "mistake": self.mistake,
            "message": self.message,
        }

    def __str__(self) -> str:
        mark = {CORRECT: "✓", INCORRECT: "✗", NOT_ATTEMPTED: "○"}[self.status]
        return f"{mark} {self.question}: {self.status}. {self.message}".rstrip()

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {CORRECT: "#009E73", INCORRECT: "#D55E00", NOT_ATTEMPTED: "#7F7F7F"}
        mark = {CORRECT: "✓ Correct", INCORRECT: "✗ Not yet", NOT_ATTEMPTED: "○ Not attempted"}
        return (
            f'<div class="coursekit-check" style="border-left:4px solid '
            f'{colour[self.status]};padding:0.3em 0.8em;margin:0.3em 0">'
            f"<strong>{self.question}: {mark[self.status]}.</strong> "
            f"{rich_text(self.message)}</div>"
        )


@dataclass
class _Note:
    """A hint or a solution: plain text in a terminal, formatted in JupyterLab."""

    title: str
    body: str
    code: bool = False

    def __str__(self) -> str:
        return f"{self.title}\n{self.body}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = (
            f"<pre><code>{html.escape(self.body)}</code></pre>"
            if self.code
            else f"<p>{rich_text(self.body)}</p>"
        )
        return (
            f'<div class="coursekit-note" style="border-left:4px solid #56B4E9;'
            f'padding:0.3em 0.8em;margin:0.3em 0"><strong>{html.escape(self.title)}</strong>'
            f"{body}</div>"
        )


@dataclass
class Exercise:
    """What every kind of exercise shares: a prompt, hints, a solution and bookkeeping.

    ``variable`` is the name the student's answer is stored under in the notebook; the
    grader reads it from there. ``starter`` is the placeholder code of the student copy.
    """

    prompt: str
    variable: str
    solution_code: str
    hints: Sequence[str] = ()
    points: float = 1.0
    key: str = ""
    attempts: int = field(default=0, init=False)
    passed: bool = field(default=False, init=False)
    hints_shown: int = field(default=0, init=False)

    @property
    def starter(self) -> str:
        return f"{self.variable} = ...  # your answer here"

    # -- the student's commands -----------------------------------------------------------
    def check(self, answer) -> Result:
        """Check an answer and say what is right or wrong about it."""
        result = self.evaluate(answer)
        if result.status != NOT_ATTEMPTED:
            self.attempts += 1
            self.passed = self.passed or result.passed
        return result

    def hint(self) -> _Note | None:
        """Show the next hint (each call climbs one step of the ladder).

        In a notebook the hint is displayed at once, wherever the call stands in the cell (a
        hint that is used up is always seen); elsewhere it is returned.
        """
        if not self.hints:
            return _shown(_Note(f"{self.key}: no hints", "This exercise has no hints."))
        index = min(self.hints_shown, len(self.hints) - 1)
        self.hints_shown = min(self.hints_shown + 1, len(self.hints))
        last = " (the last hint)" if index == len(self.hints) - 1 else ""
        title = f"{self.key}, hint {index + 1} of {len(self.hints)}{last}"
        return _shown(_Note(title, self.hints[index]))

    def solution(self) -> _Note | None:
        """Show a reference solution (displayed at once in a notebook, else returned)."""
        return _shown(_Note(f"{self.key}: a solution", self.solution_code, code=True))

    # -- to be written by each kind ---------------------------------------------------------
    def evaluate(self, answer) -> Result:
        raise NotImplementedError

    def self_test(self) -> list[str]:
        """Problems with this exercise's own checks (an empty list when all is well)."""
        raise NotImplementedError

    def _result(self, status: str, message: str, mistake: str | None = None) -> Result:
        points = self.points if status == CORRECT else 0.0
        return Result(self.key, status, message, points, self.points, mistake)

    def missing(self) -> Result:
        """The result for a notebook that has no variable for this exercise at all."""
        return self._result(
            NOT_ATTEMPTED,
            f"No variable named {self.variable!r} was found: the exercise cell may "
            "have been deleted, or the name changed.",
        )


def _shown(note: _Note) -> _Note | None:
    """Display a note now when running in IPython (and return None), else return it."""
    try:
        from IPython import get_ipython
    except ImportError:
        return note
    if get_ipython() is None:
        return note
    from IPython.display import display

    display(note)
    return None


def is_placeholder(answer) -> bool:
    return answer is Ellipsis


def describe_value(value) -> str:
    """A few words for what a student passed: "a 2×3 array", "the string '1.5'", "a dict"."""
    if isinstance(value, bool | np.bool_):
        return f"the boolean {value}"
    if isinstance(value, str | bytes):
        text = value if len(value) < 30 else value[:27] + "..."
        return f"the string {text!r}"
    if value is None:
        return "None (did you forget to assign or return the result?)"
    if isinstance(value, int | float | np.number):
        return f"the number {value}"
    if isinstance(value, np.ndarray | list | tuple):
        try:
            shape = np.shape(value)
        except ValueError:
            return f"a ragged {type(value).__name__}"
        if len(shape) == 0:
            return "a number"
        if len(shape) == 1:
            return (
                f"a {type(value).__name__ if not isinstance(value, np.ndarray) else 'vector'}"
                f" of length {shape[0]}"
            )
        return f"a {'×'.join(map(str, shape))} array"
    if callable(value):
        return f"a function ({getattr(value, '__name__', type(value).__name__)})"
    return f"a {type(value).__name__} object"


def describe_shape(shape: tuple, kind: str | None) -> str:
    if kind:
        return (
            kind
            if not shape
            else f"{kind} of length {shape[0]}"
            if len(shape) == 1
            else f"{kind} of shape {'×'.join(map(str, shape))}"
        )
    if not shape:
        return "a number"
    if len(shape) == 1:
        return f"a vector of length {shape[0]}"
    return f"a {'×'.join(map(str, shape))} array"


def as_float_array(answer, shape: tuple, kind: str | None = None) -> np.ndarray:
    """Convert an answer to a float array of the expected shape, or explain in one sentence."""
    wanted = describe_shape(shape, kind)
    if isinstance(answer, str | bytes | bool | np.bool_) or answer is None or callable(answer):
        raise AnswerFormatError(f"Expected {wanted}, got {describe_value(answer)}.")
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise AnswerFormatError(f"Expected {wanted}, got {describe_value(answer)}.") from None
    if value.shape != tuple(shape):
        if value.size == 1 and not shape:
            return value.reshape(())
        raise AnswerFormatError(f"Expected {wanted}, got {describe_value(answer)}.")
    return value


def format_number(value, digits: int = 6) -> str:
    """A number or an array as a student would write it, to ``digits`` significant figures
    (a value below ``ZERO``, such as a fitted mean of 1e-15, is written 0)."""
    array = np.asarray(value, dtype=float)
    array = np.where(np.abs(array) < ZERO, 0.0, array)
    if array.ndim == 0:
        return f"{float(array):.{digits}g}"
    return np.array2string(
        array, separator=", ", formatter={"float_kind": lambda x: f"{x:.{digits}g}"}
    )


def significant_tolerance(expected, digits: int) -> np.ndarray:
    """Half a unit in the ``digits``-th significant figure of each expected value.

    An answer within it rounds to the same ``digits`` significant figures as the exact value
    (or lies between the two roundings of a value that ends in 5), so a student who gives the
    asked number of figures of the exact answer is always right, and one who rounds earlier is
    not. Introduced with the exercises of lecture 01.
    """
    magnitude = np.abs(np.asarray(expected, dtype=float))
    with np.errstate(divide="ignore"):
        exponent = np.floor(np.log10(np.where(magnitude > 0, magnitude, 1.0)))
    return 0.5 * 10.0 ** (exponent - digits + 1) * (1 + 1e-9) + 1e-15


def round_significant(value, digits: int, half_up: bool = True) -> np.ndarray:
    """``value`` rounded to ``digits`` significant figures: halves away from zero, as by hand
    (2.625 → 2.63), or to even as numpy does (2.625 → 2.62) with ``half_up=False``."""
    value = np.asarray(value, dtype=float)
    magnitude = np.abs(np.where(value == 0, 1.0, value))
    scale = 10.0 ** (np.floor(np.log10(magnitude)) - digits + 1)
    if half_up:
        return np.sign(value) * np.floor(np.abs(value) / scale + 0.5) * scale
    return np.round(value / scale) * scale


def _same_rounding(answer: np.ndarray, expected: np.ndarray, digits: int) -> bool:
    """Whether the answer, rounded to ``digits`` figures, is the expected value so rounded
    (halves either way); an expected 0 has no significant figures, so there the answer must
    be within half a unit of the ``digits``-th decimal of 1."""
    if not (np.all(np.isfinite(answer)) and np.all(np.isfinite(expected))):
        return False
    mine = round_significant(answer, digits)
    same = np.zeros(np.shape(expected), dtype=bool)
    for half_up in (True, False):
        same |= np.isclose(mine, round_significant(expected, digits, half_up), rtol=1e-12, atol=0)
    zero = (np.abs(expected) < ZERO) & (np.abs(answer) <= significant_tolerance(1.0, digits))
    return bool(np.all(same | zero))


def _shortened_to(answer: np.ndarray, expected: np.ndarray) -> str | None:
    """ "rounded to 3 significant figures" (or "cut off after 5") when ``answer`` is exactly
    the expected value shortened that way, else None."""
    if not (np.all(np.isfinite(answer)) and np.all(np.isfinite(expected))) or not np.any(expected):
        return None
    magnitude = np.abs(np.where(expected == 0, 1.0, expected))
    exponent = np.floor(np.log10(magnitude))
    for figures in range(3, 12):  # fewer figures can be several percent off: not rounding
        scale = 10.0 ** (exponent - figures + 1)
        shortened = {
            "rounded to": (
                round_significant(expected, figures),
                round_significant(expected, figures, half_up=False),
            ),
            "cut off after": (np.trunc(expected / scale) * scale,),
        }
        for how, candidates in shortened.items():
            if any(np.allclose(answer, c, rtol=1e-12, atol=0) for c in candidates):
                unit = "significant figure" if figures == 1 else "significant figures"
                return f"{how} {figures} {unit}"
    return None


def _relative_error(answer: np.ndarray, expected: np.ndarray) -> float | None:
    if not (np.all(np.isfinite(answer)) and np.all(np.isfinite(expected))):
        return None
    scale = np.maximum(np.abs(expected), 1e-12)
    return float(np.max(np.abs(answer - expected) / scale))


def how_far(answer: np.ndarray, expected: np.ndarray) -> str:
    """ "off by 0.49 %", "off by 250 %", or, where the answer is 0, "off by 0.001" (a relative
    error of a value that should be 0 means nothing); "" where either is not finite."""
    if not (np.all(np.isfinite(answer)) and np.all(np.isfinite(expected))):
        return ""
    if np.any(np.abs(expected) < ZERO):
        return f"off by {float(np.max(np.abs(answer - expected))):.3g}"
    percent = 100 * _relative_error(answer, expected)
    return f"off by {percent:.0f} %" if percent >= 10 else f"off by {percent:.2g} %"


@dataclass
class ValueExercise(Exercise):
    """The answer is a number or an array: ``reference(*args)``, compared with tolerances.

    ``mistakes`` are rules that recognise wrong values computed from the same ``args``.
    """

    reference: Callable | None = None
    args: tuple = ()
    kind: str | None = None
    unit: str = ""
    mistakes: Sequence[Rule] = ()
    rtol: float = 1e-5
    #: The significant figures the prompt asks for; when set, an answer is right when it
    #: agrees with the exact value to that many figures (see :func:`significant_tolerance`).
    digits: int | None = None

    @property
    def expected(self) -> np.ndarray:
        return np.asarray(self.reference(*self.args), dtype=float)

    def tolerance(self, expected: np.ndarray) -> np.ndarray:
        """The absolute tolerance of each element of the answer."""
        if self.digits:
            return significant_tolerance(expected, self.digits)
        return self.rtol * np.abs(expected) + 1e-9

    def _within(self, value: np.ndarray, expected: np.ndarray, factor: float = 1.0) -> bool:
        if factor == 1.0 and self.digits and np.all(np.isfinite(expected)):
            # Right when its first ``digits`` figures are those of the exact value: a longer
            # answer is judged by the figures asked for, not by its distance alone.
            return _same_rounding(value, expected, self.digits)
        with np.errstate(invalid="ignore"):
            same_infinity = np.isinf(expected) & (value == expected)
            near = np.abs(value - expected) <= factor * self.tolerance(expected)
        return bool(np.all(same_infinity | near))

    def evaluate(self, answer) -> Result:
        if is_placeholder(answer):
            return self._result(
                NOT_ATTEMPTED,
                f"Replace the ... with your answer for {self.variable}, then run the cell again.",
            )
        expected = self.expected
        try:
            value = as_float_array(answer, expected.shape, self.kind)
        except AnswerFormatError as error:
            return self._result(INCORRECT, str(error), "wrong type or shape")
        if self._within(value, expected):
            unit = f" {self.unit}" if self.unit else ""
            shown = format_number(expected, self.digits) if self.digits else format_number(value)
            return self._result(CORRECT, f"{shown}{unit} is right.")
        rules = list(_with_pairs(self.mistakes))
        for rule in rules:  # a mistake made exactly
            if rule.explains(value, self.args, self.reference, expected):
                return self._result(INCORRECT, rule.message, rule.name)
        figures = f"{self.digits} significant figures" if self.digits else "full precision"
        shortened = _shortened_to(value, expected)
        if shortened:
            return self._result(
                INCORRECT,
                f"Close: that is the answer {shortened}, {how_far(value, expected)}. "
                + ("Round the last figure instead. " if shortened.startswith("cut") else "")
                + f"Give {figures}.",
                "near miss",
            )
        if self._within(value, expected, ROUNDING_BAND):
            return self._result(
                INCORRECT,
                f"Close: {how_far(value, expected)}, in the last figures. Keep full "
                f"precision in the steps before the end, and give {figures}.",
                "near miss",
            )
        for rule in rules:  # a mistake made, then rounded by the student
            if rule.explains(value, self.args, self.reference, expected, rtol=MISTAKE_RTOL):
                return self._result(INCORRECT, rule.message, rule.name)
        far = how_far(value, expected)
        off = f" ({far})" if far else ""
        return self._result(
            INCORRECT,
            f"{format_number(value, 10)} is not the answer{off}. Try the hint: "
            f"ex.{self.key}.hint().",
        )

    def self_test(self) -> list[str]:
        problems = []
        if not self.evaluate(self.expected).passed:
            problems.append(f"{self.key}: the reference value does not pass its own check")
        if self.evaluate(Ellipsis).status != NOT_ATTEMPTED:
            problems.append(f"{self.key}: the placeholder does not read as not attempted")
        for rule in self.mistakes:
            with np.errstate(all="ignore"):
                wrong = rule.mistaken(self.reference)(*self.args)
            result = self.evaluate(wrong)
            if result.mistake != rule.name:
                problems.append(
                    f"{self.key}: the mistake {rule.name!r} is not recognised "
                    f"(got {result.mistake!r}: {result.message})"
                )
        return problems


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


@dataclass
class ChoiceExercise(Exercise):
    """A multiple-choice or true/false question about a concept.

    ``options`` maps each accepted answer to its text; ``explanations`` says, for each wrong
    option, which misconception it reveals, and for the right one why it is right.
    """

    options: dict | None = None
    answer: Any = None
    explanations: dict | None = None

    def _normalise(self, answer):
        if isinstance(answer, str):
            text = answer.strip().lower().strip("().").strip()  # "(b)", "b)", " B." read as "b"
            for option in self.options:
                if isinstance(option, str) and option.lower() == text:
                    return option
                if isinstance(option, bool) and text == str(option).lower():
                    return option
            return answer
        if isinstance(answer, bool | np.bool_):
            return bool(answer)
        return answer

    def evaluate(self, answer) -> Result:
        if is_placeholder(answer):
            return self._result(
                NOT_ATTEMPTED,
                f"Set {self.variable} to one of {self._choices()}, then run the cell again.",
            )
        choice = self._normalise(answer)
        if not any(
            choice is option or (type(choice) is type(option) and choice == option)
            for option in self.options
        ):
            return self._result(
                INCORRECT,
                f"Expected one of {self._choices()}, got {describe_value(answer)}.",
                "wrong type or shape",
            )
        why = (self.explanations or {}).get(choice, "")
        if choice == self.answer:
            return self._result(CORRECT, why)
        return self._result(INCORRECT, why or "That is not the right choice.", f"chose {choice!r}")

    def _choices(self) -> str:
        return ", ".join(repr(option) for option in self.options)

    def self_test(self) -> list[str]:
        problems = []
        if self.answer not in self.options:
            problems.append(f"{self.key}: the answer is not one of the options")
        if not self.evaluate(self.answer).passed:
            problems.append(f"{self.key}: the right option does not pass")
        if self.evaluate(Ellipsis).status != NOT_ATTEMPTED:
            problems.append(f"{self.key}: the placeholder does not read as not attempted")
        messages = set()
        for option in self.options:
            if option == self.answer:
                continue
            result = self.evaluate(option)
            if result.passed or not (self.explanations or {}).get(option):
                problems.append(f"{self.key}: the wrong option {option!r} has no explanation")
            messages.add(result.message)
        if len(messages) < len(self.options) - 1:
            problems.append(f"{self.key}: two wrong options share one explanation")
        return problems


def _with_pairs(rules: Sequence[Rule]):
    """The rules, then every two transformation rules made together (both orders).

    Students often make two mistakes at once (nats *and* a lost minus sign); the pair is
    recognised and both messages are shown.
    """
    yield from rules
    transforms = [rule for rule in rules if isinstance(rule, Mistake)]
    for first, second in itertools.permutations(transforms, 2):
        yield Mistake(
            f"{first.name} + {second.name}",
            f"Two mistakes at once. {first.message} And: {second.message}",
            lambda reference, f=first, s=second: s.transform(f.transform(reference)),
        )


def _copy(value):
    """Give the student's function its own copy, so that it cannot change the test cases."""
    return np.array(value, copy=True) if isinstance(value, np.ndarray | list) else value


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
