"""What grading one submission gives: :class:`SubmissionResult`, statuses and question records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_TIMEOUT = 300  # seconds per submission
DEFAULT_CELL_TIMEOUT = 60  # seconds per cell
CHECK_TIMEOUT = 10  # seconds per question when checking the answers

# Submission statuses.
GRADED = "graded"
GRADED_WITH_ERRORS = "graded with errors"
TIMED_OUT = "timed out"
FAILED = "failed"
# Question statuses: those of coursekit.exercises, and one for a question that could not be
# checked at all (the notebook stopped before the answer existed, the checker failed).
CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
NOT_GRADED = "not graded"
MARKS = {CORRECT: "✓", INCORRECT: "✗", NOT_ATTEMPTED: "○", NOT_GRADED: "?"}

_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Control characters (C0 but tab and newline, DEL, C1: a terminal runs ESC and CSI sequences)
# and the characters that reorder text (bidirectional overrides and isolates, line separators).
_HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def safe_text(text: str, one_line: bool = True) -> str:
    """Text that came from a submission (its file name, an error message, a value), made safe
    to print, write and show: lone surrogates (which no UTF-8 file can hold, so they would stop
    the reports of a whole batch) become "\ufffd"; control characters (a terminal would run an
    escape sequence) and bidirectional controls (which make text read differently than it is)
    become spaces, and so do tabs and newlines when ``one_line``."""
    text = _SURROGATE.sub("\ufffd", str(text))
    text = _HIDDEN.sub(" ", text)
    return " ".join(text.split()) if one_line else text


@dataclass
class SubmissionResult:
    """The outcome of grading one notebook.

    ``questions`` maps each question key to a record (status, points, max_points, mistake,
    message) decided by the grader. ``errors`` lists what went wrong in the notebook (a cell
    that raised or was stopped, a deleted answer variable...), ``warnings`` what the
    instructor should know (the lecture was guessed, no sandbox); ``reason`` sums up both.
    Points count per question: a submission that timed out or died keeps the points of the
    answers it had given.
    """

    path: Path
    name: str
    lecture: str | None = None
    title: str = ""
    status: str = FAILED
    reason: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    prompts: dict[str, str] = field(default_factory=dict, repr=False)
    runtime: float = 0.0  # seconds from the first cell to the end
    kernel_cpu: float | None = None  # CPU seconds of the notebook's process (as it counted)
    feedback: str = ""  # the name of its feedback file (set when the reports are written)

    @property
    def points(self) -> float:
        return float(sum(q["points"] for q in self.questions.values()))

    @property
    def max_points(self) -> float:
        return float(sum(q["max_points"] for q in self.questions.values()))

    @property
    def graded(self) -> bool:
        return self.status in (GRADED, GRADED_WITH_ERRORS)

    def make_safe(self) -> None:
        """Every text of the result that may quote the submission, through :func:`safe_text`
        (the console, the CSV, the JSON and the feedback all show them)."""
        self.name = safe_text(self.name)
        self.reason = safe_text(self.reason)
        self.errors = [safe_text(e) for e in self.errors]
        self.warnings = [safe_text(w) for w in self.warnings]
        for record in self.questions.values():
            if isinstance(record.get("message"), str):
                record["message"] = safe_text(record["message"], one_line=False)
            if record.get("mistake") is not None:
                record["mistake"] = safe_text(record["mistake"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "submission": self.name,
            "path": str(self.path),
            "lecture": self.lecture,
            "status": self.status,
            "reason": self.reason,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "points": self.points,
            "max_points": self.max_points,
            "runtime_seconds": round(self.runtime, 2),
            "kernel_cpu_seconds": None if self.kernel_cpu is None else round(self.kernel_cpu, 2),
            "feedback": self.feedback,
            "questions": {key: dict(value) for key, value in self.questions.items()},
        }


def question(key, status, message, max_points, points=0.0, mistake=None) -> dict[str, Any]:
    """One question's record, as reports show it."""
    return {
        "question": key,
        "status": status,
        "points": float(points),
        "max_points": float(max_points),
        "mistake": mistake,
        "message": message,
    }
