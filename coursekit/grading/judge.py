"""Judging, in the grader's process: from what a run sent (plain data) to statuses and points.

This is where every grade is decided, and it never runs the student's code. The exercise set
is the grader's own (imported from its installation). Each answer's plain data is decoded
(:func:`coursekit.grading.decode.decode`) and judged by the exercise: ``evaluate`` for a value
or a choice, ``judge_outputs`` for a function's outcomes on the test cases. Points come from
the exercise's own ``points`` for a correct answer, nothing else; a status, a message or a
"correct" in the data is ignored (there is no field for it).

Credit is per question. An answer that arrived stands whatever happened later in the notebook
(an exception, a time limit, a dead process); a question whose answer never arrived is "not
attempted" if the notebook ran to its end (the variable was deleted or renamed), else "not
graded" (the notebook stopped before it).
"""

from __future__ import annotations

from coursekit.exercises.functions import FunctionExercise, Outcome
from coursekit.grading.decode import MISSING, PlainDataError, decode, decode_outcomes
from coursekit.grading.results import (
    CORRECT,
    FAILED,
    GRADED,
    GRADED_WITH_ERRORS,
    INCORRECT,
    NOT_GRADED,
    TIMED_OUT,
    SubmissionResult,
    question,
)
from coursekit.grading.session import STARTUP_TIMEOUT, Run, Settings

MAX_ERRORS = 20  # errors listed per submission


def _seconds(value: float) -> str:
    return f"{value:g}"


def snippet(source: str) -> str:
    """The first non-empty line of a cell, shortened, in backticks."""
    for line in source.splitlines():
        line = line.strip()
        if line:
            return f"`{line if len(line) <= 40 else line[:37] + '...'}`"
    return "an empty cell"


def cell_label(sources: dict[int, str], index: int | None) -> str:
    if index is None or index not in sources:
        return "the kernel start"
    return f"cell {index + 1} ({snippet(sources[index])})"


def judge_run(
    result: SubmissionResult, run: Run, exercise_set, sources: dict[int, str], settings: Settings
) -> None:
    """Fill ``result`` (questions, status, reason, errors) from ``run``."""
    errors = []
    for index in sorted(run.cells):
        error, stopped = run.cells[index]
        label = cell_label(sources, index)
        if stopped:
            limit = _seconds(settings.cell_timeout)
            errors.append(f"{label} was stopped after {limit} s (time limit per cell)")
        elif error:
            errors.append(f"{label} raised {error}")
    errors += run.problems
    if run.ignored:
        errors.append(
            f"{run.ignored} unreadable or unexpected messages from the notebook's process "
            "were ignored"
        )
    ending = _ending(run, sources, settings)
    completed = run.ended == "done"
    checker_failures = []
    for exercise in exercise_set:
        key = exercise.key
        data = run.answers.get(key)
        if (data is None or data == {"t": "missing"}) and not completed:
            result.questions[key] = question(
                key,
                NOT_GRADED,
                f"Your notebook stopped before this answer was given: {ending}.",
                exercise.points,
            )
            continue
        record, problem = judge_answer(exercise, data, run, settings)
        result.questions[key] = record
        if problem and record["status"] == NOT_GRADED:
            checker_failures.append(f"{key}: {problem}")
        elif problem:
            errors.append(f"{key}: {problem}")
    if len(errors) > MAX_ERRORS:
        errors[MAX_ERRORS:] = [f"and {len(errors) - MAX_ERRORS} more"]
    result.errors = errors + checker_failures
    result.kernel_cpu = run.cpu
    result.runtime = run.runtime
    if not run.process_cap and settings.sandboxed:
        result.warnings.append(
            "no process cap: the grader runs as root and could not create a cgroup"
        )
    if completed:
        result.status = FAILED if checker_failures else GRADED_WITH_ERRORS if errors else GRADED
        parts = list(result.errors)
    else:
        result.status = TIMED_OUT if run.ended in ("timeout", "cell limit") else FAILED
        parts = [ending]
    result.reason = "; ".join(parts + [f"warning: {w}" for w in result.warnings])


def _ending(run: Run, sources: dict[int, str], settings: Settings) -> str:
    where = cell_label(sources, run.current)
    if run.ended == "done":
        return "the notebook ran to its end"
    if run.ended == "timeout":
        place = f"while checking {run.checking}" if run.checking else f"in {where}"
        return f"timed out after {_seconds(settings.timeout)} s ({place})"
    if run.ended == "cell limit":
        return (
            f"{where} did not stop at its time limit of {_seconds(settings.cell_timeout)} s "
            "and was killed; the cells after it did not run"
        )
    if run.ended == "check limit":
        return f"checking {run.checking} did not stop at its time limit and was killed"
    if run.ended == "startup":
        return f"the kernel did not start: no answer within {STARTUP_TIMEOUT} s"
    if run.ended == "fatal":
        return f"the kernel did not start: {run.fatal}"
    if run.ended == "flood":
        return "the notebook's process sent more data than the grader accepts"
    if not run.ready:
        detail = run.stderr.strip().splitlines()[-1:] or ["it exited"]
        return f"the kernel did not start: {detail[0][:200]}"
    return (
        f"the kernel died in {where} (the notebook exited, crashed or ran out of memory)"
        if run.current is not None
        else "the kernel died while the answers were being checked"
    )


def judge_answer(exercise, data, run: Run, settings: Settings) -> tuple[dict, str | None]:
    """One question's record from its plain data, and a problem to report (or None)."""
    key, points = exercise.key, exercise.points
    if run.ended in ("check limit", "timeout") and run.checking == key:
        data = {"t": "function", "cases": [{"timed_out": float(settings.check_timeout)}]}
    try:
        if data is None:
            value = MISSING
        elif isinstance(exercise, FunctionExercise) and _is_function(data):
            outcomes = decode_outcomes(data)
            verdict = exercise.judge_outputs(outcomes)
            return _record(verdict), _function_problem(key, outcomes, settings)
        else:
            value = decode(data)
        if value is MISSING:
            verdict = exercise.missing()
            where = f"no variable {exercise.variable} in the notebook"
            return _record(verdict), f"{where} (cell deleted or name changed?)"
        return _record(exercise.evaluate(value)), None
    except (PlainDataError, ValueError, TypeError, RecursionError):
        message = "The grader could not read this answer (its data was damaged or forged)."
        return question(key, INCORRECT, message, points, mistake="unreadable answer"), None
    except Exception as error:  # the grader's own checker failed: say so, grade nothing
        why = f"{type(error).__name__}: {str(error)[:200]}"
        return question(key, NOT_GRADED, f"Could not be checked: {why}", points), why


def _is_function(data) -> bool:
    return isinstance(data, dict) and data.get("t") == "function"


def _function_problem(key: str, outcomes: list[Outcome], settings: Settings) -> str | None:
    if any(o.timed_out is not None for o in outcomes):
        return f"checking the answer was stopped after {_seconds(settings.check_timeout)} s"
    return None


def _record(verdict) -> dict:
    points = verdict.max_points if verdict.status == CORRECT else 0.0
    return question(
        verdict.question,
        verdict.status,
        verdict.message,
        verdict.max_points,
        points=points,
        mistake=verdict.mistake,
    )
