"""What every exercise shares: results, notes, the exercise base class, and answer handling.

In a notebook::

    ex = exercises.load("01")
    entropy_remainder = ...            # the placeholder: reads as "not attempted"
    ex.q1.check(entropy_remainder)     # feedback that names the mistake
    ex.q1.hint()                 # the next hint of a ladder
    ex.q1.solution()             # the reference solution
    ex.progress()                # attempted / passed, per question

The kinds of exercise are :mod:`~coursekit.exercises.values` (a number or an array),
:mod:`~coursekit.exercises.functions` (a function the student writes) and
:mod:`~coursekit.exercises.choices` (a concept question). Answers are converted to float
arrays and compared with tolerances (so an object that claims to equal everything does not
pass); a wrong type or shape gets one sentence, never a traceback. Each exercise declares the
mistakes it recognises (``coursekit.exercises.mistakes``) and tests itself with
``self_test()``.

Judging never needs the student's objects, only what they are worth as plain data: a value or
choice exercise judges a number, an array, a string or a boolean, and a function exercise is
judged from its outcomes on the test cases, so ``ex.q3.check(f)`` in a notebook and
``coursekit grade`` (which runs the cases in the student's sandbox and judges in its own
process) give the same result.

Introduced with the exercises of lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from coursekit.exercises.mistakes import Mistake, Rule

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


def format_number(value, digits: int = 6, tiny_as_zero: bool = True) -> str:
    """A number or an array as a student would write it, to ``digits`` significant figures
    (with ``tiny_as_zero``, a value below ``ZERO``, such as a fitted mean of 1e-15, is 0)."""
    array = np.asarray(value, dtype=float)
    if tiny_as_zero:
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
