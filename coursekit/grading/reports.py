"""The reports of a batch: a CSV, a JSON report and one Markdown feedback file per submission.

:func:`write_reports` writes them into one output folder, safely:

- the folder is new, or empty, or (with ``force``) a previous output of ``coursekit grade``
  (it holds the marker file :data:`MARKER`), which is emptied first; anything else is refused;
- every file is written to a new temporary file in its folder (``O_EXCL | O_NOFOLLOW``) and
  renamed over the target, with every path resolved from the output folder's own descriptor,
  so a symbolic link planted in the folder is replaced, never followed;
- feedback file names are unique per submission (:func:`feedback_names`: ``a/01-b.ipynb`` and
  ``a__01-b.ipynb`` get ``a__01-b.md`` and ``a__01-b-2.md``);
- text that comes from a submission (names, error messages, values quoted in feedback) is
  capped (:data:`MAX_TEXT` characters per item) and escaped: no control character, lone
  surrogate or bidirectional override (:func:`~coursekit.grading.results.safe_text`), CSV
  cells never start a formula (``= + - @``, also after spaces), and Markdown is escaped so
  that it shows as text, never as a link (an address or ``www.`` included), an image or HTML.
  Files are written with ``errors="replace"``: no text can stop the reports of a batch.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.grading.results import FAILED, MARKS, TIMED_OUT, SubmissionResult, safe_text

MARKER = ".coursekit-grade"
CSV_NAME, JSON_NAME, FEEDBACK_DIR = "grades.csv", "grades.json", "feedback"
MAX_TEXT = 300  # characters of one item of student text in a report
MAX_CELL = 2000  # characters of one CSV cell


class OutputFolderError(RuntimeError):
    """The output folder cannot be used (the message says why and what to do)."""


# -- escaping --------------------------------------------------------------------------------
def cap(text: str, limit: int = MAX_TEXT) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~$])")
_MD_LINE_START = re.compile(r"^(?:[#>+=\-]|\d{1,9}[.)](?=\s|$))")  # headings, quotes, lists
# What GitHub-flavoured Markdown turns into a link without any markup: "https://...",
# "www.x.y", "name@host.z" (an escaped ":", "." or "@" shows the same and links nothing).
_MD_AUTOLINK = re.compile(r"(?<=[A-Za-z]):(?=//)|(?<=\bwww)\.|(?<=[\w.+-])@(?=[\w-])", re.I)


def md(text: str, limit: int = MAX_TEXT) -> str:
    """Student text as inert Markdown: one line, capped, no emphasis, link, code or HTML."""
    flat = safe_text(cap(text, limit))
    escaped = _MD_AUTOLINK.sub(lambda m: "\\" + m.group(0), _MD_INLINE.sub(r"\\\1", flat))
    start = _MD_LINE_START.match(escaped)
    if start:
        escaped = escaped[: start.end() - 1] + "\\" + escaped[start.end() - 1 :]
    return escaped


def csv_cell(text: str, limit: int = MAX_CELL) -> str:
    """A CSV text cell: capped, one line, and not a formula for a spreadsheet (nor after
    leading spaces, which some spreadsheets skip)."""
    value = safe_text(text)
    if value.lstrip()[:1] in ("=", "+", "-", "@"):
        return "'" + cap(value, limit - 1)
    return cap(value, limit)


def feedback_name(name: str) -> str:
    """The feedback file of a submission: ``alice.ipynb`` → ``alice.md``, ``a/b.ipynb`` →
    ``a__b.md`` (only letters, digits, ``.``, ``_`` and ``-``)."""
    stem = name[: -len(".ipynb")] if name.endswith(".ipynb") else name
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem.replace("/", "__").replace("\\", "__"))
    return (stem.lstrip(".")[:100] or "submission") + ".md"


def feedback_names(names: Sequence[str]) -> list[str]:
    """One feedback file name per submission, unique (also ignoring case)."""
    taken: set[str] = set()
    unique = []
    for name in names:
        stem = feedback_name(name)[: -len(".md")]
        candidate, number = stem, 2
        while candidate.lower() in taken:
            candidate, number = f"{stem}-{number}", number + 1
        taken.add(candidate.lower())
        unique.append(candidate + ".md")
    return unique


# -- the output folder -----------------------------------------------------------------------
def check_output_folder(path: str | Path, force: bool = False) -> None:
    """Raise :class:`OutputFolderError` now if :class:`OutputFolder` would refuse ``path``
    later (so that a long batch is not graded for nothing). Changes nothing."""
    path = Path(path)
    if path.is_symlink():
        raise OutputFolderError(f"{path} is a symbolic link: give a real folder")
    if not path.exists():
        return
    if not path.is_dir():
        raise OutputFolderError(f"{path} is not a folder")
    entries = os.listdir(path)
    if entries and MARKER not in entries:
        raise OutputFolderError(
            f"{path} is not empty and holds no earlier grading: choose a new folder "
            "(coursekit grade only replaces its own reports)"
        )
    if entries and not force:
        raise OutputFolderError(
            f"{path} holds an earlier grading: pass --force to replace it, or choose a new folder"
        )


class OutputFolder:
    """A folder that only this object writes, through its descriptor (see the module
    docstring). Use as a context manager."""

    def __init__(self, path: str | Path, force: bool = False):
        self.path = Path(path)
        if self.path.is_symlink():
            raise OutputFolderError(f"{self.path} is a symbolic link: give a real folder")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(self.path, 0o755)
        except FileExistsError:
            pass
        try:
            self.fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError as error:
            raise OutputFolderError(f"{self.path}: {error.strerror}") from error
        try:
            entries = os.listdir(self.fd)
            if entries:
                check_output_folder(self.path, force)
            for entry in entries:
                self._remove(entry)
            self.write(MARKER, "Written by coursekit grade; --force may empty this folder.\n")
        except BaseException:
            os.close(self.fd)
            raise

    def _remove(self, name: str) -> None:
        info = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        if stat.S_ISDIR(info.st_mode):
            shutil.rmtree(name, dir_fd=self.fd)  # does not follow links (fd-based on Linux)
        else:
            os.unlink(name, dir_fd=self.fd)

    def subfolder(self, name: str) -> int:
        """A descriptor of a new subfolder ``name`` (never a link)."""
        os.mkdir(name, 0o755, dir_fd=self.fd)
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=self.fd)

    def write(self, name: str, text: str, folder: int | None = None) -> None:
        """Write ``name`` (in the folder, or in the subfolder descriptor ``folder``) anew."""
        where = self.fd if folder is None else folder
        temporary = f".{name}.{secrets.token_hex(6)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        fd = os.open(temporary, flags, 0o644, dir_fd=where)
        try:
            # errors="replace": text the escaping missed can never stop a batch's reports
            with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as handle:
                handle.write(text)
            os.replace(temporary, name, src_dir_fd=where, dst_dir_fd=where)
        except BaseException:
            try:
                os.unlink(temporary, dir_fd=where)
            except OSError:
                pass
            raise

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class Reports:
    folder: Path
    csv: Path
    json: Path
    feedback: list[Path]


def write_reports(
    results: Sequence[SubmissionResult],
    folder: str | Path,
    *,
    force: bool = False,
    settings: dict[str, Any] | None = None,
    warnings: Sequence[str] = (),
) -> Reports:
    """Write ``grades.csv``, ``grades.json`` and ``feedback/<submission>.md`` into ``folder``
    (see the module docstring); raises :class:`OutputFolderError` for an unusable folder."""
    names = feedback_names([r.name for r in results])
    for result, name in zip(results, names, strict=True):
        result.feedback = f"{FEEDBACK_DIR}/{name}"
    with OutputFolder(folder, force=force) as out:
        out.write(CSV_NAME, csv_text(results))
        out.write(JSON_NAME, json_text(results, settings or {}, warnings))
        sub = out.subfolder(FEEDBACK_DIR)
        try:
            for result, name in zip(results, names, strict=True):
                out.write(name, feedback_markdown(result), folder=sub)
        finally:
            os.close(sub)
    path = Path(folder)
    return Reports(
        path, path / CSV_NAME, path / JSON_NAME, [path / FEEDBACK_DIR / n for n in names]
    )


# -- contents --------------------------------------------------------------------------------
def _columns(results: Sequence[SubmissionResult]) -> list[tuple[str, str | None, str]]:
    """(column name, lecture, question key) for every question of the batch, in order."""
    lectures = list(dict.fromkeys(r.lecture for r in results if r.lecture))
    columns = []
    for lecture in lectures:
        keys = next(list(r.questions) for r in results if r.lecture == lecture)
        for key in keys:
            columns.append((key if len(lectures) == 1 else f"{lecture}.{key}", lecture, key))
    return columns


def _number(value: float) -> str:
    return f"{value:g}"


def csv_text(results: Sequence[SubmissionResult]) -> str:
    """One row per submission: name, points per question, total, max, status, reason."""
    columns = _columns(results)
    handle = io.StringIO()
    writer = csv.writer(handle)
    writer.writerow(["submission", *[c[0] for c in columns], "total", "max", "status", "reason"])
    for result in results:
        row = [csv_cell(result.name, MAX_TEXT)]
        for _, lecture, key in columns:
            question = result.questions.get(key) if result.lecture == lecture else None
            row.append(_number(question["points"]) if question else "")
        row += [
            _number(result.points),
            _number(result.max_points),
            result.status,
            csv_cell(result.reason),
        ]
        writer.writerow(row)
    return handle.getvalue()


def _capped(value):
    if isinstance(value, str):
        return safe_text(cap(value, MAX_CELL), one_line=False)
    if isinstance(value, dict):
        return {k: _capped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_capped(v) for v in value]
    return value


def json_text(
    results: Sequence[SubmissionResult], settings: dict[str, Any], warnings: Sequence[str] = ()
) -> str:
    """Per submission: status, reason, errors, warnings, run time and per-question feedback."""
    from coursekit import __version__

    lectures: dict[str, dict] = {}
    for result in results:
        if result.lecture and result.lecture not in lectures:
            lectures[result.lecture] = {
                "title": result.title,
                "questions": {
                    key: {"prompt": result.prompts.get(key, ""), "max_points": q["max_points"]}
                    for key, q in result.questions.items()
                },
            }
    document = {
        "coursekit": __version__,
        "settings": settings,
        "warnings": list(warnings),
        "lectures": lectures,
        "submissions": [_capped(result.to_dict()) for result in results],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def feedback_markdown(result: SubmissionResult) -> str:
    """The feedback for one student, in Markdown (student text escaped, see :func:`md`)."""
    title = f"lecture {result.lecture}: {md(result.title)}" if result.lecture else "your notebook"
    lines = [f"# Feedback on {title}", "", f"Submission: {md(result.name)}"]
    if result.questions:
        lines[-1] += "  "  # a line break in Markdown
        lines.append(f"Score: **{_number(result.points)} / {_number(result.max_points)}**")
    lines.append("")
    lines += [f"Warning: {md(warning)}  " for warning in result.warnings]
    if result.warnings:
        lines.append("")
    if result.status == TIMED_OUT:
        lines += [
            f"Your notebook did not finish running ({md(result.reason)}). The answers it had "
            "given by then were graded. Look for a cell that takes very long or never ends "
            "(an infinite loop), then run the whole notebook again (Restart Kernel and Run "
            "All Cells).",
            "",
        ]
    elif result.status == FAILED:
        lines += [f"Your notebook could not be graded completely: {md(result.reason)}", ""]
    if result.errors and result.status != FAILED:
        lines += [
            "What went wrong when your notebook was run from top to bottom:",
            "",
            *[f"- {md(error)}" for error in result.errors],
            "",
        ]
    for key, question in result.questions.items():
        mark = MARKS.get(question["status"], "?")
        lines.append(
            f"## {mark} {md(key)}: {question['status']} "
            f"({_number(question['points'])} / {_number(question['max_points'])})"
        )
        lines.append("")
        if result.prompts.get(key):
            lines += [f"*{md(result.prompts[key], 1000)}*", ""]
        if question["message"]:
            lines += [md(question["message"], 1000), ""]
    return "\n".join(lines).rstrip() + "\n"
