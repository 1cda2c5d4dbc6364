"""Value exercises: the answer is a number or an array, judged to the figures asked for.

A ``ValueExercise(digits=6)`` is right when the answer's first six significant figures are the
exact value's; an answer that is the exact value rounded or cut off to fewer figures is told so,
a small error in the last figures is called a rounding difference, and anything larger gets
"X is not the answer (off by Y %)" unless a mistake rule recognises it (made exactly, or made
and then rounded by the student).

Introduced with the exercises of lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from coursekit.exercises.core import (
    CORRECT,
    INCORRECT,
    MISTAKE_RTOL,
    NOT_ATTEMPTED,
    ROUNDING_BAND,
    ZERO,
    AnswerFormatError,
    Exercise,
    Result,
    _with_pairs,
    as_float_array,
    format_number,
    is_placeholder,
    round_significant,
    significant_tolerance,
)
from coursekit.exercises.mistakes import Rule


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
    if percent >= 1000 and np.all(answer * expected > 0):
        ratio = float(np.max(np.abs(answer / expected)))
        ratio = ratio if ratio >= 1 else float(np.max(np.abs(expected / answer)))
        size = (
            "times the answer"
            if np.max(np.abs(answer)) > np.max(np.abs(expected))
            else ("times smaller than the answer")
        )
        return f"about {ratio:.0f} {size}" if ratio >= 100 else f"about {ratio:.3g} {size}"
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
            f"{format_number(value, 10, tiny_as_zero=False)} is not the answer{off}. Try the hint: "
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
