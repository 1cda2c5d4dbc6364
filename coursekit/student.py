"""Student copies of the master notebooks: solutions replaced by placeholders, outputs cleared.

A master notebook holds each exercise's solution in one code cell tagged ``solution``::

    # BEGIN SOLUTION
    entropy_remainder = -np.sum(p * np.log(p))
    # END SOLUTION
    ex.q1.check(entropy_remainder)

The exercise is the one named by the ``ex.qN.check(`` call of the cell; the lines from
``# BEGIN SOLUTION`` to ``# END SOLUTION`` (markers included) become that exercise's ``starter``
(``entropy_remainder = ...  # your answer here``), so the check reads "not attempted" until the
student answers. The lecture number comes from the file name, ``NN-slug.ipynb``.

In the student copy:

- every output and execution count is cleared, and the notebook-level ``widgets`` metadata
  (stored widget state) is removed;
- each solution cell is tagged ``exercise`` instead of ``solution`` and loses what folds it
  away in the book (the ``hide-cell`` / ``hide-input`` / ``hide-output`` tags and the
  ``mystnb`` prompts ``Show the solution...``): the student has to see and edit it;
- the notebook metadata gets ``coursekit: {"lecture": "NN"}``, which lets ``coursekit grade``
  tell the lecture of a submission whose file was renamed;
- everything else (cell ids, markdown, the other cells and their metadata) is unchanged.

Making a copy is deterministic and idempotent: a student copy of a student copy is the same
notebook. A broken master (a solution cell without a check call, a key the lecture does not
have, markers in an untagged cell...) raises :class:`MasterNotebookError` and nothing is
written.

Introduced with ``coursekit student``, for the instructors (see the instructors' guide).
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterable
from pathlib import Path

from coursekit.lectures import lecture_number

SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
#: Tags that fold a solution cell away in the book; a student copy drops them.
FOLDING_TAGS = ("hide-cell", "hide-input", "hide-output")

_CHECK_CALL = re.compile(r"\bex\.([A-Za-z_]\w*)\.check\s*\(")


class MasterNotebookError(ValueError):
    """A master notebook that does not follow the exercise convention (the message says where)."""


def make_student_copy(master_path: str | Path):
    """The student copy of a master notebook, as an ``nbformat`` notebook (not written)."""
    import nbformat

    path = Path(master_path)
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # unreadable JSON, not a notebook...
        raise MasterNotebookError(f"{path}: not a readable notebook ({error})") from error
    problems: list[str] = []
    copy = student_copy(notebook, lecture_number(path), problems)
    if problems:
        raise MasterNotebookError("\n".join(f"{path}: {problem}" for problem in problems))
    return copy


def student_copy(notebook, lecture: str | None, problems: list[str] | None = None):
    """Turn a master notebook (an ``nbformat`` notebook, changed in place) into its student copy.

    Problems are appended to ``problems`` when given, else the first one is raised as a
    :class:`MasterNotebookError`.
    """
    collected: list[str] = [] if problems is None else problems
    start = len(collected)
    notebook.metadata.pop("widgets", None)
    exercise_set = None
    seen: dict[str, int] = {}
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)
        tags = list(cell.metadata.get("tags", []))
        has_markers = any(line.strip() in (BEGIN, END) for line in cell.source.splitlines())
        if SOLUTION_TAG not in tags:
            if has_markers:
                collected.append(
                    f"cell {number} has a {BEGIN} block but is not tagged {SOLUTION_TAG!r}: "
                    "tag it, or its solution would reach the students"
                )
            continue
        if exercise_set is None:
            exercise_set = _exercise_set(lecture, number, collected)
            if exercise_set is None:
                break
        source = _replace_solution(cell.source, number, exercise_set, seen, collected)
        if source is None:
            continue
        cell.source = source
        cell.metadata["tags"] = [
            EXERCISE_TAG if tag == SOLUTION_TAG else tag for tag in tags if tag not in FOLDING_TAGS
        ]
        mystnb = cell.metadata.get("mystnb")
        if isinstance(mystnb, dict):
            mystnb.pop("code_prompt_show", None)
            mystnb.pop("code_prompt_hide", None)
            if not mystnb:
                del cell.metadata["mystnb"]
        jupyter = cell.metadata.get("jupyter")
        if isinstance(jupyter, dict):
            jupyter.pop("source_hidden", None)
            if not jupyter:
                del cell.metadata["jupyter"]
    if exercise_set is not None:
        notebook.metadata["coursekit"] = {"lecture": exercise_set.lecture}
    if problems is None and len(collected) > start:
        raise MasterNotebookError(collected[start])
    return notebook


def _exercise_set(lecture: str | None, number: int, problems: list[str]):
    from coursekit import exercises

    if lecture is None:
        problems.append(
            f"cell {number} is a solution cell, but the lecture number is unknown: name the "
            "notebook NN-slug.ipynb (e.g. 01-surprise-and-entropy.ipynb)"
        )
        return None
    try:
        return exercises.load(lecture)
    except ValueError as error:
        problems.append(f"cell {number} is a solution cell, but {error}")
        return None


def _replace_solution(source, number, exercise_set, seen, problems) -> str | None:
    keys = list(dict.fromkeys(_CHECK_CALL.findall(source)))
    if not keys:
        problems.append(
            f"solution cell {number} has no ex.qN.check(...) call, so its exercise is unknown"
        )
        return None
    if len(keys) > 1:
        problems.append(f"solution cell {number} checks several exercises ({', '.join(keys)})")
        return None
    key = keys[0]
    if key not in exercise_set.keys():
        problems.append(
            f"solution cell {number} checks ex.{key}, but lecture {exercise_set.lecture} has "
            f"only {', '.join(exercise_set.keys())}"
        )
        return None
    if key in seen:
        problems.append(f"solution cells {seen[key]} and {number} both check ex.{key}")
        return None
    seen[key] = number
    lines = source.split("\n")
    begins = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if len(begins) != 1 or len(ends) != 1 or begins[0] > ends[0]:
        problems.append(
            f"solution cell {number} (ex.{key}) needs exactly one {BEGIN} line followed by "
            f"one {END} line"
        )
        return None
    begin, end = begins[0], ends[0]
    exercise = exercise_set[key]
    block = "\n".join(lines[begin + 1 : end])
    if not _binds(block, exercise.variable):
        problems.append(
            f"the solution in cell {number} (ex.{key}) does not define {exercise.variable}, "
            "the variable the grader reads"
        )
        return None
    if textwrap.dedent(block).strip() != exercise.solution_code.strip():
        problems.append(
            f"the solution in cell {number} (ex.{key}) differs from the solution_code of "
            f"{key} in coursekit/exercises/lecture{exercise_set.lecture}.py, which is what "
            f"ex.{key}.solution() shows: make the two the same"
        )
        return None
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    starter = [indent + line if line else line for line in exercise.starter.split("\n")]
    return "\n".join(lines[:begin] + starter + lines[end + 1 :])


def _binds(code: str, name: str) -> bool:
    """Whether ``code`` assigns or defines ``name`` (True when it cannot be parsed: magics)."""
    try:
        tree = ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name:
            return True
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.name == name
        ):
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
            return True
    return False


def notebooks_in(sources: str | Path | Iterable[str | Path]) -> list[Path]:
    """The notebooks named by ``sources``: files as given, folders as their ``*.ipynb`` files."""
    if isinstance(sources, str | Path):
        sources = [sources]
    found: list[Path] = []
    for source in map(Path, sources):
        if source.is_dir():
            found.extend(sorted(p for p in source.glob("*.ipynb") if p.is_file()))
        else:
            found.append(source)
    return found


def write_student_copies(
    sources: str | Path | Iterable[str | Path], out_dir: str | Path
) -> list[Path]:
    """Write the student copy of each master notebook into ``out_dir`` (same file names).

    ``sources`` are notebooks or folders of notebooks. Every master is checked before anything
    is written: one broken master raises :class:`MasterNotebookError` listing all problems.
    Returns the paths written.
    """
    import nbformat

    out = Path(out_dir)
    masters = notebooks_in(sources)
    problems: list[str] = []
    copies = []
    names: dict[str, Path] = {}
    for master in masters:
        if not master.is_file():
            problems.append(f"{master}: no such notebook")
            continue
        if master.resolve().parent == out.resolve():
            problems.append(f"{master}: the output folder holds the masters; choose another --out")
            continue
        if master.name in names:
            problems.append(
                f"{master}: a second notebook named {master.name} ({names[master.name]})"
            )
            continue
        names[master.name] = master
        try:
            copies.append((out / master.name, make_student_copy(master)))
        except MasterNotebookError as error:
            problems.append(str(error))
    if problems:
        raise MasterNotebookError("\n".join(problems))
    out.mkdir(parents=True, exist_ok=True)
    for target, notebook in copies:
        nbformat.write(notebook, target)
    return [target for target, _ in copies]


__all__ = [
    "BEGIN",
    "END",
    "EXERCISE_TAG",
    "SOLUTION_TAG",
    "MasterNotebookError",
    "make_student_copy",
    "notebooks_in",
    "student_copy",
    "write_student_copies",
]
