"""Notebooks for the student-copy and grading tests, built with nbformat (no committed blobs).

``master_notebook()`` is a small master of lecture 01: a setup cell and one solution cell per
exercise (its reference solution between the markers), nothing else, so that a run takes about
a second. ``submission(...)`` starts from its student copy and fills in, deletes or adds cells
the way a student would.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit import exercises
from coursekit.exercises import ChoiceExercise, FunctionExercise
from coursekit.student import student_copy

LECTURE = "01"
MASTER_NAME = "01-exercises.ipynb"
SETUP = f'import numpy as np\nfrom coursekit import exercises\n\nex = exercises.load("{LECTURE}")'
_KEY = re.compile(r"\bex\.(\w+)\.check\(")


def exercise_set():
    return exercises.load(LECTURE)


def _numbered(cells):
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i:02d}"
    return cells


def master_notebook():
    """The master: setup, then a question and a tagged solution cell per exercise."""
    cells = [new_markdown_cell("# Exercises of lecture 01 (test fixture)"), new_code_cell(SETUP)]
    for exercise in exercise_set():
        cells.append(new_markdown_cell(f"**{exercise.key}**. {exercise.prompt}"))
        cell = new_code_cell(
            f"# BEGIN SOLUTION\n{exercise.solution_code}\n# END SOLUTION\n"
            f"ex.{exercise.key}.check({exercise.variable})"
        )
        cell.metadata["tags"] = ["solution", "hide-cell"]
        cells.append(cell)
    cells.append(new_code_cell("ex.progress()"))
    notebook = new_notebook(cells=_numbered(cells))
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    return notebook


def write(notebook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def exercise_key(cell) -> str | None:
    found = _KEY.search(cell.source) if cell.cell_type == "code" else None
    return found.group(1) if found else None


def solution(key: str) -> str:
    return exercise_set()[key].solution_code


def mistakes(exercise) -> list[tuple[str, str]]:
    """(code that makes the mistake in a notebook, the mistake's name) for each mistake the
    exercise recognises: each declared rule, and each wrong option of a choice."""
    if isinstance(exercise, ChoiceExercise):
        return [
            (f"{exercise.variable} = {option!r}", f"chose {option!r}")
            for option in exercise.options
            if option != exercise.answer
        ]
    made = []
    for index, rule in enumerate(exercise.mistakes):
        rule_code = f"_e.mistakes[{index}].mistaken(_e.reference)"
        value = rule_code if isinstance(exercise, FunctionExercise) else f"{rule_code}(*_e.args)"
        made.append(
            (
                f'_e = exercises.load("{LECTURE}").{exercise.key}\n{exercise.variable} = {value}',
                rule.name,
            )
        )
    return made


def submission(answers=None, *, drop=(), before=None, after_setup=(), at_end=()):
    """A student's notebook: the student copy of the master with

    - ``answers[key]``: code that replaces the starter of that exercise (the check stays);
    - ``drop``: exercise cells deleted;
    - ``before[key]``: code cells inserted before that exercise's cell;
    - ``after_setup`` / ``at_end``: code cells inserted after the setup cell / at the end.
    """
    answers, before = answers or {}, before or {}
    copy = student_copy(master_notebook(), LECTURE)
    cells = []
    for cell in copy.cells:
        key = exercise_key(cell)
        if key in drop:
            continue
        cells.extend(new_code_cell(source) for source in before.get(key, ()))
        if key in answers:
            starter = exercise_set()[key].starter
            assert starter in cell.source
            cell.source = cell.source.replace(starter, answers[key])
        cells.append(cell)
        if cell.source == SETUP:
            cells.extend(new_code_cell(source) for source in after_setup)
    cells.extend(new_code_cell(source) for source in at_end)
    copy.cells = _numbered(cells)
    return copy


def all_correct() -> dict[str, str]:
    return {exercise.key: exercise.solution_code for exercise in exercise_set()}


def wrong_answers() -> dict[str, str]:
    """A plainly wrong answer to every exercise (0.0, a wrong option, a function returning 0)."""
    answers = {}
    for exercise in exercise_set():
        if isinstance(exercise, ChoiceExercise):
            option = next(o for o in exercise.options if o != exercise.answer)
            answers[exercise.key] = f"{exercise.variable} = {option!r}"
        elif isinstance(exercise, FunctionExercise):
            answers[exercise.key] = f"def {exercise.signature}:\n    return 0.0"
        else:
            answers[exercise.key] = f"{exercise.variable} = 0.0"
    return answers


def sandbox_or_skip() -> None:
    """Skip a test that needs bubblewrap where it is missing, except under ``CI=true``,
    where the sandbox is part of what is tested and its absence fails the test."""
    import pytest

    from coursekit.grading.sandbox import SandboxUnavailable, check_sandbox

    try:
        check_sandbox()
    except SandboxUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true, so the grading sandbox must work: {error}")
        pytest.skip(f"needs bubblewrap (Debian/Ubuntu: apt-get install bubblewrap): {error}")
