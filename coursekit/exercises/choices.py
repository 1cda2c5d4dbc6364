"""Choice exercises: a multiple-choice or true/false question about a concept.

Every wrong option has its own explanation of the misconception it reveals; ``"(b)"``,
``" B) "`` and ``"b."`` read as ``"b"``, and ``"false"`` as ``False``.

Introduced with the exercises of lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from coursekit.exercises.core import (
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    Exercise,
    Result,
    describe_value,
    is_placeholder,
)


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
