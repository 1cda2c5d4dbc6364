"""Grade submitted notebooks: run each in a sandbox, judge its answers outside it.

``grade_batch(paths, jobs=N)`` grades many notebooks, N at a time; ``write_reports`` writes a
CSV, a JSON report and one feedback file per submission into a fresh output folder. Nothing a
submission does stops a batch or reaches another submission: an exception, an infinite loop,
a deleted cell, a process that dies, a file that is not a notebook each becomes that
submission's status and reason.

The trust boundary
    The student's code runs in one process, the **runner**, inside a bubblewrap sandbox of
    its own (:mod:`~coursekit.grading.sandbox`: own user, PID, network and IPC namespaces,
    uid nobody, read-only system, private ``/tmp``, only its own notebook visible, memory,
    process and CPU caps, allow-listed environment, a seccomp filter and no keyring of the
    grader's, every process killed at the end). The runner (:mod:`~coursekit.grading.runner`)
    executes the cells and, after every cell, turns the notebook's answers into **plain data**
    (:mod:`~coursekit.grading.plain`: numbers, lists of floats, strings, booleans, markers for
    "missing" or "not a plain value", and for a function exercise the function's outcome on
    each test case, :mod:`~coursekit.grading.extract`), sent as JSON lines on a pipe. The
    grader (:mod:`~coursekit.grading.session`) reads that pipe with size caps and time limits
    of its own, never runs the student's code, rebuilds the answers
    (:mod:`~coursekit.grading.decode`) and the exercises from its own installation, and
    decides every status, message and point (:mod:`~coursekit.grading.judge`). The data has
    no field that could say "correct": a submission can only choose its answers, never its
    grade.

Time limits and credit
    ``cell_timeout`` per cell (the cell is interrupted, the next cells run), ``timeout`` per
    submission from its first cell, ``check_timeout`` per question for running a function on
    its test cases. Credit is per question: answers leave the sandbox after every cell, so a
    time limit, an exception, a dead process or a closed output later in the notebook never
    erases an answer already given.

Speed
    A fresh Python in every sandbox would spend about a second importing numpy, scipy,
    matplotlib, IPython and coursekit. Instead a *zygote* (:mod:`~coursekit.grading.zygote`)
    imports them once per batch, outside any sandbox and without ever running a notebook, and
    for each submission forks a child that enters the sandbox bwrap has just made for it
    (joins its namespaces, checks where it landed, drops every privilege) and becomes its
    runner. Modules are read from the grader's bytecode cache
    (:mod:`~coursekit.grading.cache`), which sandboxes can read but not write. Cells run in
    an IPython shell with text-only outputs. ``make bench`` measures a batch
    (``benchmarks/bench_grading.py``).

Without bubblewrap, :func:`grade_batch` raises :class:`SandboxUnavailable` (with install
instructions) unless ``sandbox=False``, which runs each notebook as a plain process with the
grader's rights and marks every result with a warning.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "batch": [
        "NO_SANDBOX_WARNING",
        "choose_lecture",
        "grade_batch",
        "grade_submission",
        "lecture_of_submission",
        "read_submission",
        "submission_names",
    ],
    "reports": [
        "OutputFolderError",
        "check_output_folder",
        "csv_text",
        "feedback_markdown",
        "feedback_name",
        "feedback_names",
        "json_text",
        "write_reports",
    ],
    "results": [
        "CHECK_TIMEOUT",
        "CORRECT",
        "DEFAULT_CELL_TIMEOUT",
        "DEFAULT_TIMEOUT",
        "FAILED",
        "GRADED",
        "GRADED_WITH_ERRORS",
        "INCORRECT",
        "NOT_ATTEMPTED",
        "NOT_GRADED",
        "TIMED_OUT",
        "SubmissionResult",
    ],
    "sandbox": ["INSTALL_HINT", "Limits", "SandboxUnavailable", "check_sandbox", "find_bwrap"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    # Imported on first use: the runner, inside the sandbox, needs none of the grader's code.
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
