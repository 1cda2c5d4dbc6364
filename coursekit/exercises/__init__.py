"""The exercises of each lecture, with checks, hint ladders, solutions and a progress table.

``load("01")`` returns the exercise set of lecture 01; its questions are attributes
(``ex.q1``...). Each lecture's exercises live in ``lectureNN.py`` as ``EXERCISES``.

Introduced with the exercises of lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping

from coursekit.exercises.choices import ChoiceExercise
from coursekit.exercises.core import CORRECT, INCORRECT, NOT_ATTEMPTED, Exercise, Result
from coursekit.exercises.functions import FunctionExercise, Outcome
from coursekit.exercises.values import ValueExercise
from coursekit.lectures import lecture_number

_MISSING = object()


class ExerciseSet:
    """The exercises of one lecture, as attributes ``q1``, ``q2``... in order."""

    def __init__(self, lecture: str, title: str, exercises: Mapping[str, Exercise]):
        self.lecture = lecture
        self.title = title
        self._exercises = dict(exercises)
        for key, exercise in self._exercises.items():
            exercise.key = key
            setattr(self, key, exercise)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._exercises.values())

    def __getitem__(self, key: str) -> Exercise:
        return self._exercises[key]

    def __len__(self) -> int:
        return len(self._exercises)

    def keys(self) -> list[str]:
        return list(self._exercises)

    def progress(self) -> Progress:
        """A table of the questions: attempted, passed, hints used."""
        return Progress(self)

    def grade(self, namespace: Mapping) -> list[Result]:
        """Check every question against the variables of a notebook's namespace.

        A variable that is missing (the cell deleted, the name changed) reads as not
        attempted, with a message that says so. Used by ``coursekit grade``.
        """
        results = []
        for exercise in self:
            answer = namespace.get(exercise.variable, _MISSING)
            if answer is _MISSING:
                results.append(exercise.missing())
                continue
            try:
                results.append(exercise.evaluate(answer))
            except Exception as error:  # a broken answer must never stop the grading
                results.append(
                    exercise._result(
                        INCORRECT,
                        f"Checking the answer failed: {type(error).__name__}: {error}",
                        "check failed",
                    )
                )
        return results

    def self_test(self) -> list[str]:
        """Problems with any exercise's own checks (empty when every exercise is sound)."""
        return [problem for exercise in self for problem in exercise.self_test()]

    def __repr__(self) -> str:
        return f"<exercises of lecture {self.lecture}: {', '.join(self._exercises)}>"


class Progress:
    """Attempted / passed per question; plain text in a terminal, a table in JupyterLab."""

    def __init__(self, exercises: ExerciseSet):
        self.rows = [
            (e.key, _status(e), e.attempts, e.hints_shown, len(e.hints)) for e in exercises
        ]
        self.title = f"Lecture {exercises.lecture}: {exercises.title}"

    @property
    def passed(self) -> int:
        return sum(status == "passed" for _, status, *_ in self.rows)

    def __str__(self) -> str:
        lines = [self.title, f"{'question':10s}{'status':16s}{'attempts':>9s}{'hints':>8s}"]
        for key, status, attempts, hints, total in self.rows:
            lines.append(f"{key:10s}{status:16s}{attempts:9d}{f'{hints}/{total}':>8s}")
        lines.append(f"passed {self.passed} of {len(self.rows)}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td>{key}</td><td>{status}</td><td>{attempts}</td><td>{hints}/{total}</td></tr>"
            for key, status, attempts, hints, total in self.rows
        )
        return (
            f"<p><strong>{html.escape(self.title)}</strong>: passed {self.passed} of "
            f"{len(self.rows)}</p><table><thead><tr><th>question</th><th>status</th>"
            f"<th>attempts</th><th>hints</th></tr></thead><tbody>{body}</tbody></table>"
        )


def _status(exercise: Exercise) -> str:
    if exercise.passed:
        return "passed"
    return "attempted" if exercise.attempts else NOT_ATTEMPTED


def lectures() -> list[str]:
    """The lecture numbers that have exercises, e.g. ``["01", "02"]``."""
    return sorted(
        info.name.removeprefix("lecture")
        for info in pkgutil.iter_modules(__path__)
        if re.fullmatch(r"lecture\d{2}", info.name)
    )


def load(lecture: str) -> ExerciseSet:
    """The exercise set of a lecture: ``load("01")`` (a notebook name works too)."""
    number = lecture_number(lecture)
    if number not in lectures():
        raise ValueError(
            f"There are no exercises for lecture {lecture!r}. Lectures with "
            f"exercises: {', '.join(lectures())}."
        )
    return importlib.import_module(f"coursekit.exercises.lecture{number}").EXERCISES


__all__ = [
    "CORRECT",
    "INCORRECT",
    "NOT_ATTEMPTED",
    "ChoiceExercise",
    "Exercise",
    "ExerciseSet",
    "FunctionExercise",
    "Outcome",
    "Progress",
    "Result",
    "ValueExercise",
    "lectures",
    "load",
]
