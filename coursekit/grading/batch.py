"""Grading many submissions: reading them, choosing their lecture, running them N at a time.

``grade_batch(paths, jobs=N)`` grades each notebook in a sandbox of its own
(:mod:`coursekit.grading.session`), ``jobs`` at a time, and returns one
:class:`~coursekit.grading.results.SubmissionResult` per notebook, in input order. Nothing one
submission does stops the batch: a file that is not a notebook, a notebook of no known
lecture, a run that fails, each becomes that submission's status and reason.

Before the first submission the grader fills its bytecode cache (one run of the runner on a
trusted cell, :func:`~coursekit.grading.cache.prepare_cache`), so that every sandbox imports
compiled modules; with ``sandbox=False`` that cache is a temporary one of the batch, because
an unsandboxed notebook could write to it.

A submission is read and parsed once it has a slot, in a worker thread (at most ``jobs`` in
memory at once, and parsing never holds up the time limits of the others), and refused when
it holds more than :data:`MAX_VALUES` JSON values. Every text of a result that may quote the
submission is made safe (:func:`~coursekit.grading.results.safe_text`) before anything shows
it: no control sequence reaches a terminal, no lone surrogate a UTF-8 report.
"""

from __future__ import annotations

import asyncio
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from coursekit.grading import sandbox as sandboxing
from coursekit.grading import syscalls
from coursekit.grading.cache import prepare_cache
from coursekit.grading.judge import judge_run
from coursekit.grading.results import (
    CHECK_TIMEOUT,
    DEFAULT_CELL_TIMEOUT,
    DEFAULT_TIMEOUT,
    NOT_GRADED,
    SubmissionResult,
    question,
)
from coursekit.grading.session import Settings, run_submission
from coursekit.grading.zygote import Zygote, ZygoteError
from coursekit.lectures import lecture_number

MAX_NOTEBOOK = 64 * 2**20  # bytes of a submitted file
MAX_VALUES = 1_000_000  # JSON values of a submitted file (a lecture notebook has a few thousand)
NO_SANDBOX_WARNING = (
    "graded without a sandbox (--no-sandbox): the notebook ran with the grader's rights and "
    "could read or change its files, other submissions and these reports"
)
_LOAD_CALL = re.compile(r"""exercises\.load\(\s*["']?(\d{1,2})\b""")


def _metadata_lecture(notebook) -> str | None:
    meta = notebook.metadata.get("coursekit", {})
    if isinstance(meta, dict) and re.fullmatch(r"[0-9]{1,2}", str(meta.get("lecture", ""))):
        return str(meta["lecture"]).zfill(2)
    return None


def lecture_of_submission(path: Path, notebook) -> str | None:
    """The lecture of a submission: the student copy's metadata, else an ``NN-`` in the file
    name that is a lecture with exercises, else the ``exercises.load("NN")`` of its setup cell."""
    from coursekit.exercises import lectures

    meta = _metadata_lecture(notebook)
    if meta:
        return meta
    # The last "NN-" that names a lecture: "s07-01-surprise.ipynb" is lecture 01.
    number = lecture_number(path, known=lectures())
    if number:
        return number
    for cell in notebook.cells:
        if cell.get("cell_type") == "code":
            found = _LOAD_CALL.search(cell.get("source", ""))
            if found:
                return found.group(1).zfill(2)
    return None


def choose_lecture(path: Path, notebook, override: str | None) -> tuple[str | None, list[str]]:
    """The lecture to grade a submission as, and warnings when the notebook disagrees.

    ``override`` (``--lecture``) is the instructor's choice and wins. Otherwise the metadata
    wins, with a warning when the file name names another lecture or none: both come from the
    student (the metadata can be edited), so only ``--lecture`` settles it."""
    from coursekit.exercises import lectures

    meta = _metadata_lecture(notebook)
    named = lecture_number(path, known=lectures())
    if override:
        if meta and meta != override:
            return override, [
                f"the notebook's metadata says lecture {meta}; graded as lecture {override} "
                "(--lecture)"
            ]
        return override, []
    if meta and named and meta != named:
        return meta, [
            f"the notebook's metadata says lecture {meta} but its file name says {named}: "
            f"graded as lecture {meta}; pass --lecture NN to choose"
        ]
    if meta and not named:
        return meta, [
            f"graded as lecture {meta} because the notebook's metadata says so (its file name "
            "names no lecture); pass --lecture NN to choose"
        ]
    return lecture_of_submission(path, notebook), []


def submission_names(paths: Sequence[str | Path]) -> list[str]:
    """Short unique names: the file name, with as many parent folders as it takes to be
    unique (``alice.ipynb``, or ``alice/01-surprise-and-entropy.ipynb`` when every student
    has a folder)."""
    parts = [Path(p).absolute().parts for p in paths]
    depth = [1] * len(parts)
    while True:
        names = ["/".join(p[-d:]) for p, d in zip(parts, depth, strict=True)]
        counts = Counter(names)
        clashing = [i for i, n in enumerate(names) if counts[n] > 1 and depth[i] < len(parts[i])]
        if not clashing:
            return names
        for i in clashing:
            depth[i] += 1


def read_submission(path: Path):
    """The notebook's bytes and its ``nbformat`` notebook, or an error message. Symbolic links
    are refused: a link could make the grader copy any of its own files into a sandbox. So is
    a file of more than :data:`MAX_VALUES` JSON values: parsed, a few megabytes of ``[{}, {},
    ...]`` would take the grader gigabytes of memory and a minute."""
    import nbformat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, None, "not a readable notebook: a symbolic link"
        return None, None, f"not a readable notebook: {error.strerror}"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None, None, "not a readable notebook: not a regular file"
        data = handle.read(MAX_NOTEBOOK + 1)
    if len(data) > MAX_NOTEBOOK:
        return None, None, f"not a readable notebook: larger than {MAX_NOTEBOOK // 2**20} MB"
    # Every JSON value but the first of its list or object follows a comma: this bounds them.
    if data.count(b",") + data.count(b"[") + data.count(b"{") > MAX_VALUES:
        return None, None, f"not a readable notebook: more than {MAX_VALUES:,} JSON values"
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
        for cell in notebook.cells:  # nbformat only logs what its schema refuses
            if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
                raise TypeError("a cell without a type")
            cell.setdefault("source", "")
            cell.setdefault("metadata", {})
            if not isinstance(cell.source, str):
                raise TypeError("a cell's source is not text")
    except Exception as error:  # the message could quote the file: only its kind is kept
        return None, None, f"not a readable notebook: {type(error).__name__}"
    return data, notebook, None


async def _grade_one(path: Path, name: str, settings: Settings, lecture, slots) -> SubmissionResult:
    result = SubmissionResult(path=path, name=name)
    if not settings.sandboxed:
        result.warnings.append(NO_SANDBOX_WARNING)
    try:
        # Read in a slot, off the event loop: at most `jobs` notebooks in memory at once, and
        # a notebook that is slow to parse delays no other submission's time limits.
        async with slots:
            await _grade_in_slot(result, settings, lecture)
    except Exception as error:  # never let one submission stop a batch
        result.status = "failed"
        result.reason = f"grading failed: {type(error).__name__}: {str(error)[:200]}"
    result.make_safe()  # the console, the CSV, the JSON and the feedback show these texts
    return result


async def _grade_in_slot(result: SubmissionResult, settings: Settings, lecture) -> None:
    from coursekit import exercises

    path = result.path
    data, notebook, problem = await asyncio.to_thread(read_submission, path)
    if problem is None:
        number, warnings = choose_lecture(path, notebook, lecture)
        result.warnings += warnings
        if number is None:
            problem = "cannot tell the lecture: name the file NN-slug.ipynb or pass --lecture NN"
    if problem is None:
        try:
            exercise_set = exercises.load(number)
        except ValueError as error:
            problem = str(error)
    if problem is not None:
        result.reason = "; ".join([problem] + [f"warning: {w}" for w in result.warnings])
        return
    result.lecture, result.title = exercise_set.lecture, exercise_set.title
    for exercise in exercise_set:
        result.prompts[exercise.key] = exercise.prompt
        result.questions[exercise.key] = question(exercise.key, NOT_GRADED, "", exercise.points)
    sources = {i: c.source for i, c in enumerate(notebook.cells) if c.cell_type == "code"}
    del notebook
    run = await run_submission(
        list(sources.items()),
        data,
        result.name,
        exercise_set.lecture,
        exercise_set.keys(),
        settings,
    )
    judge_run(result, run, exercise_set, sources, settings)


def grade_batch(
    paths: Iterable[str | Path],
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    progress: bool = True,
    *,
    cell_timeout: float | None = None,
    check_timeout: float = CHECK_TIMEOUT,
    lecture: str | None = None,
    sandbox: bool = True,
    memory: int | None = None,
    cache: Path | None = None,
    preload: bool = True,
) -> list[SubmissionResult]:
    """Grade many submissions, ``jobs`` at a time (default: one per CPU), in input order.

    Each submission runs in a bubblewrap sandbox of its own (``sandbox=False``: as a plain
    process, with a warning in its result); ``memory`` caps each (bytes, default 2 GB).
    ``cache`` is the bytecode cache (default: the grader's, or with ``sandbox=False`` a
    temporary one, which unsandboxed notebooks may spoil). ``preload`` forks each sandbox's
    runner from a process that imported the lecture modules once
    (:mod:`~coursekit.grading.zygote`; much faster); without it, or where that is refused,
    each sandbox starts a fresh Python. Raises
    :class:`~coursekit.grading.sandbox.SandboxUnavailable` when bwrap is missing.
    """
    unique = list(dict.fromkeys(Path(p) for p in paths))
    settings = Settings(
        timeout=timeout,
        cell_timeout=cell_timeout or min(timeout, DEFAULT_CELL_TIMEOUT),
        check_timeout=check_timeout,
        limits=replace(sandboxing.Limits(), **({"memory": int(memory)} if memory else {})),
        sandboxed=sandbox,
    )
    if sandbox:
        settings.bwrap = sandboxing.check_sandbox()
    if not unique:
        return []
    if sandbox:  # the sandboxes must not inherit the keys of the instructor's session
        syscalls.new_session_keyring()
    names = submission_names(unique)
    jobs = max(1, jobs or _cpu_count())
    scratch = None
    if cache is not None:
        settings.cache = Path(cache)
    elif not sandbox:
        scratch = settings.cache = Path(tempfile.mkdtemp(prefix="coursekit-grade-cache-"))
    bar = _progress_bar(len(unique), enabled=progress)
    try:
        prepare_cache(settings)
        if sandbox and preload:
            try:
                settings.zygote = Zygote(settings.cache)
            except ZygoteError:
                settings.zygote = None  # each sandbox starts a fresh Python instead
        return asyncio.run(_grade_all(unique, names, settings, lecture, jobs, bar))
    finally:
        if settings.zygote is not None:
            settings.zygote.close()
        bar.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


async def _grade_all(paths, names, settings, lecture, jobs, bar) -> list[SubmissionResult]:
    slots = asyncio.Semaphore(jobs)

    async def one(path, name):
        result = await _grade_one(path, name, settings, lecture, slots)
        bar.update(1)
        return result

    return list(await asyncio.gather(*(one(p, n) for p, n in zip(paths, names, strict=True))))


def grade_submission(
    path: str | Path,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    cell_timeout: float | None = None,
    check_timeout: float = CHECK_TIMEOUT,
    lecture: str | None = None,
    name: str | None = None,
    sandbox: bool = True,
    memory: int | None = None,
    preload: bool = True,
) -> SubmissionResult:
    """Run and grade one submitted notebook (see :func:`grade_batch`). Never raises for a
    problem of the submission: it becomes ``status`` and ``reason``."""
    result = grade_batch(
        [path],
        jobs=1,
        timeout=timeout,
        progress=False,
        cell_timeout=cell_timeout,
        check_timeout=check_timeout,
        lecture=lecture,
        sandbox=sandbox,
        memory=memory,
        preload=preload,
    )[0]
    if name:
        result.name = name
    return result


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class _SimpleBar:
    """A stand-in for tqdm: "grading 3/50" on one line of stderr."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.count = total, 0
        self.enabled = enabled and sys.stderr.isatty()
        self._show()

    def _show(self) -> None:
        if self.enabled:
            sys.stderr.write(f"\rgrading {self.count}/{self.total}")
            sys.stderr.flush()

    def update(self, n: int = 1) -> None:
        self.count += n
        self._show()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
        self.enabled = False


def _progress_bar(total: int, enabled: bool):
    try:
        from tqdm import tqdm
    except ImportError:
        return _SimpleBar(total, enabled)
    return tqdm(total=total, desc="grading", unit="notebook", file=sys.stderr, disable=not enabled)
