"""The ``coursekit`` command for instructors and maintainers::

    coursekit execute notebooks/*.ipynb               re-run master notebooks, store outputs
    coursekit student notebooks/ --out student/       write the student copies
    coursekit grade submissions/ --out grades/        grade submitted notebooks

``coursekit COMMAND --help`` lists each command's options.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def execute_notebook(path: Path, timeout: int = 600) -> float:
    """Run a notebook top to bottom in a fresh kernel and store lean outputs in place.

    Each explorer keeps its text and one PNG of its initial state; its live widget view is
    dropped (no kernel will hold the widget when the file is opened again, and JupyterLab
    would say "model not found") and its kernel-free frames are not rendered (the book
    renders them when it executes the notebooks). Returns the run time in seconds.
    """
    import nbformat
    from nbclient import NotebookClient

    from coursekit.explorers.base import STATIC_VIEWS_VARIABLE

    env_before = os.environ.pop(STATIC_VIEWS_VARIABLE, None)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
        record_timing=False,
    )
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        if env_before is not None:
            os.environ[STATIC_VIEWS_VARIABLE] = env_before
    elapsed = time.perf_counter() - start
    nbformat.write(lean_notebook(notebook), path)
    return elapsed


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def lean_notebook(notebook):
    """Drop what a stored notebook cannot use: widget views and widget state."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    return notebook


def _execute(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for name in args.notebooks:
        path = Path(name)
        if not path.is_file():
            print(f"{path}: no such notebook", file=sys.stderr)
            status = EXIT_PROBLEMS
            continue
        try:
            seconds = execute_notebook(path, timeout=args.timeout)
        except Exception as error:  # report and go on with the next notebook
            print(f"{path}: failed: {type(error).__name__}: {error}", file=sys.stderr)
            status = EXIT_PROBLEMS
        else:
            print(f"{path}: executed in {seconds:.1f} s")
    return status


def _student(args: argparse.Namespace) -> int:
    from coursekit.student import MasterNotebookError, notebooks_in, write_student_copies

    missing = [name for name in args.sources if not Path(name).exists()]
    for name in missing:
        print(f"coursekit student: {name}: no such file or folder", file=sys.stderr)
    masters = notebooks_in(args.sources)
    if missing or not masters:
        print("coursekit student: no notebooks found in " + " ".join(args.sources), file=sys.stderr)
        return EXIT_USAGE
    try:
        written = write_student_copies(masters, args.out)
    except MasterNotebookError as error:
        print(
            f"coursekit student: nothing written, fix the masters first:\n{error}", file=sys.stderr
        )
        return EXIT_PROBLEMS
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def _submissions(sources: list[str]) -> tuple[list[Path], list[str]]:
    """The notebooks named on the command line (folders: every .ipynb inside, recursively)."""
    found, missing = [], []
    for source in map(Path, sources):
        if source.is_dir():
            found.extend(
                sorted(
                    p
                    for p in source.rglob("*.ipynb")
                    if p.is_file() and ".ipynb_checkpoints" not in p.parts
                )
            )
        elif source.is_file():
            found.append(source)
        else:
            missing.append(str(source))
    return found, missing


def _grade(args: argparse.Namespace) -> int:
    from coursekit import grading
    from coursekit.grading.reports import OutputFolderError, check_output_folder

    paths, missing = _submissions(args.notebooks)
    for name in missing:
        print(f"coursekit grade: {name}: no such file or folder", file=sys.stderr)
    if not paths:
        print("coursekit grade: no notebooks to grade", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out)
    if out.suffix.lower() == ".csv":
        print(
            f"coursekit grade: --out is the output folder (it gets grades.csv, grades.json and "
            f"feedback/): try --out {out.with_suffix('')}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        check_output_folder(out, force=args.force)
    except OutputFolderError as error:
        print(f"coursekit grade: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.no_sandbox:
        print(f"coursekit grade: warning: {grading.NO_SANDBOX_WARNING}", file=sys.stderr)
    cell_timeout = args.cell_timeout or min(args.timeout, grading.DEFAULT_CELL_TIMEOUT)
    start = time.perf_counter()
    try:
        results = grading.grade_batch(
            paths,
            jobs=args.jobs,
            timeout=args.timeout,
            progress=not args.no_progress,
            cell_timeout=cell_timeout,
            check_timeout=args.check_timeout,
            lecture=args.lecture,
            sandbox=not args.no_sandbox,
            memory=args.memory,
            preload=not args.no_preload,
        )
    except grading.SandboxUnavailable as error:
        print(f"coursekit grade: nothing graded. {error}", file=sys.stderr)
        return EXIT_USAGE
    elapsed = time.perf_counter() - start
    settings = {
        "timeout": args.timeout,
        "cell_timeout": cell_timeout,
        "check_timeout": args.check_timeout,
        "lecture": args.lecture,
        "memory_bytes": args.memory or grading.Limits().memory,
        "sandbox": "none" if args.no_sandbox else "bubblewrap",
    }
    warnings = [grading.NO_SANDBOX_WARNING] if args.no_sandbox else []
    try:
        reports = grading.write_reports(
            results, out, force=args.force, settings=settings, warnings=warnings
        )
    except OutputFolderError as error:
        print(f"coursekit grade: reports not written: {error}", file=sys.stderr)
        return EXIT_USAGE
    problems = [r for r in results if not r.graded]
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    print(f"{len(results)} submissions in {elapsed:.0f} s: {summary}")
    for result in problems:
        print(f"  {result.name}: {result.status}: {result.reason[:300]}")
    print(
        f"wrote {reports.csv}, {reports.json} and {len(reports.feedback)} feedback files in "
        f"{reports.folder / 'feedback'}/"
    )
    return EXIT_PROBLEMS if problems else EXIT_OK


def _size(text: str) -> int:
    """A size in bytes from "2G", "512M", "1.5G" or a number of bytes."""
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    value, unit = text.strip().upper().rstrip("B"), ""
    if value[-1:] in units:
        value, unit = value[:-1], value[-1]
    try:
        size = int(float(value) * units[unit])
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 2G or 512M)") from None
    if size < 256 * 2**20:
        raise argparse.ArgumentTypeError(f"at least 256M, not {text!r}")
    return size


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
        return value

    return parse


def _lecture(text: str) -> str:
    from coursekit.lectures import lecture_number

    number = lecture_number(text) if text.isdigit() else None
    if number is None:
        raise argparse.ArgumentTypeError(f"a lecture number like 01, not {text!r}")
    return number


MAIN_EPILOG = """\
examples:
  coursekit student notebooks/ --out student/
      write the student copies of every master notebook
  coursekit grade submissions/ --out grades/ --jobs 4
      grade every notebook in submissions/ (recursively), each in a sandbox; writes
      grades/grades.csv, grades/grades.json and grades/feedback/<submission>.md
  coursekit execute notebooks/*.ipynb
      re-run the master notebooks and store their outputs (as `make notebooks` does)

Run `coursekit COMMAND --help` for the options of a command.
"""

STUDENT_EPILOG = """\
A master notebook (named NN-slug.ipynb) holds each exercise's solution in a code cell tagged
`solution`, between `# BEGIN SOLUTION` and `# END SOLUTION`, followed by `ex.qN.check(...)`.
The student copy replaces that block by the exercise's placeholder, clears every output and
the stored widget state, retags the cell `exercise` and unfolds it; all other cells stay as
they are. Copies are deterministic: rerunning gives identical files.

examples:
  coursekit student notebooks/ --out student/
  coursekit student notebooks/01-surprise-and-entropy.ipynb --out handout/

exit status: 0 copies written, 1 a master is broken (the messages say where; nothing is
written), 2 usage error or no notebooks found.
"""

GRADE_EPILOG = """\
Each submission runs top to bottom in a sandbox of its own (bubblewrap): its own process,
user, network and IPC namespaces, user nobody, a read-only system, a private /tmp, a copy of
its notebook and nothing else of your files, no network, capped memory (--memory), processes
and CPU time, and every process it started killed at the end. A cell that runs longer than
--cell-timeout is interrupted and the next cells still run; a submission that runs longer than
--timeout is stopped. After every cell the sandbox sends the notebook's answers out as plain
data (numbers, strings, a function's results on the test cases); the grader, which never runs
the notebook's code, checks them with its own exercises. Credit is per question: a crash, a
time limit or an exception later in a notebook never takes away an answer already given.

The lecture of a submission comes from its metadata (set by `coursekit student`), else from a
file name containing NN-, else from its `exercises.load("NN")` cell. --lecture decides for
every submission; without it, a notebook whose metadata and file name disagree gets a warning.

outputs (in the folder --out, created fresh; --force replaces an earlier grading there):
  grades.csv    one row per submission: points per question, total, max, status, reason
  grades.json   per submission and question: status, points, mistake, feedback message, plus
                errors, warnings and run time
  feedback/     one Markdown file per submission to hand back

statuses: "graded", "graded with errors" (some cells raised or were stopped; the score
stands), "timed out" and "failed" (the notebook stopped early, or is not a notebook: the
answers given before count, the others get 0).

bubblewrap: Debian/Ubuntu `sudo apt-get install bubblewrap` (Fedora `dnf install bubblewrap`).
Without it nothing is graded, unless --no-sandbox is given: then the notebooks run with your
rights (only for notebooks you trust) and every report says so.

examples:
  coursekit grade submissions/ --out grades/
  coursekit grade alice.ipynb bob.ipynb --out grades/ --timeout 120 --jobs 2 --lecture 01

exit status: 0 every submission graded, 1 reports written but some submissions timed out or
failed (see the reason column), 2 usage error, no notebooks found, an output folder that
cannot be used, or no sandbox.
"""


def build_parser() -> argparse.ArgumentParser:
    from coursekit import __version__
    from coursekit.grading import CHECK_TIMEOUT, DEFAULT_CELL_TIMEOUT, DEFAULT_TIMEOUT

    parser = argparse.ArgumentParser(
        prog="coursekit",
        description="Tools for the course 'From surprise to variational inference': student\n"
        "copies of the lecture notebooks, grading of submissions, re-running the masters.",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    student = commands.add_parser(
        "student",
        help="write student copies of master notebooks (solutions replaced, outputs cleared)",
        description="Write the student copy of each master notebook: every solution replaced\n"
        "by its exercise's placeholder, outputs cleared.",
        epilog=STUDENT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    student.add_argument(
        "sources",
        nargs="+",
        metavar="SRC",
        help="master notebooks, or folders whose *.ipynb files are masters",
    )
    student.add_argument(
        "--out", required=True, metavar="DIR", help="folder for the copies (same file names)"
    )
    student.set_defaults(handler=_student)

    grade = commands.add_parser(
        "grade",
        help="run and grade submitted notebooks in sandboxes; write a CSV, JSON and feedback",
        description="Grade submitted notebooks: run each in a sandbox with time limits, check\n"
        "its answers outside the sandbox, and write the reports into a fresh folder.",
        epilog=GRADE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    grade.add_argument(
        "notebooks",
        nargs="+",
        metavar="NOTEBOOK",
        help="submitted notebooks, or folders to search for *.ipynb (recursively)",
    )
    grade.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="output folder for grades.csv, grades.json and feedback/ (new or empty)",
    )
    grade.add_argument(
        "--force",
        action="store_true",
        help="replace the reports of an earlier grading in --out",
    )
    grade.add_argument(
        "--timeout",
        type=_positive(float),
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"time limit per submission in seconds (default: {DEFAULT_TIMEOUT})",
    )
    grade.add_argument(
        "--cell-timeout",
        type=_positive(float),
        metavar="S",
        help=f"time limit per cell in seconds (default: {DEFAULT_CELL_TIMEOUT}, at most --timeout)",
    )
    grade.add_argument(
        "--check-timeout",
        type=_positive(float),
        default=CHECK_TIMEOUT,
        metavar="S",
        help=f"time limit for checking one answer in seconds (default: {CHECK_TIMEOUT})",
    )
    grade.add_argument(
        "--memory",
        type=_size,
        metavar="SIZE",
        help="memory of each submission, e.g. 2G or 512M (default: 2G)",
    )
    grade.add_argument(
        "--jobs",
        "-j",
        type=_positive(int),
        metavar="N",
        help="submissions graded at the same time (default: one per CPU)",
    )
    grade.add_argument(
        "--lecture",
        type=_lecture,
        metavar="NN",
        help="grade every submission as this lecture (default: found per submission)",
    )
    grade.add_argument(
        "--no-progress", action="store_true", help="do not show the progress bar on stderr"
    )
    grade.add_argument(
        "--no-preload",
        action="store_true",
        help="start a fresh Python in each sandbox instead of forking a preloaded one (slower)",
    )
    grade.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run the notebooks without a sandbox, with your rights (trusted notebooks only)",
    )
    grade.set_defaults(handler=_grade)

    execute = commands.add_parser(
        "execute",
        help="re-run master notebooks and store their outputs in place",
        description="Run each notebook top to bottom in a fresh kernel and save it with its\n"
        "outputs, as `make test` (nbval) and the book expect.",
        epilog="example:\n  coursekit execute notebooks/*.ipynb\n\nexit status: 0 all "
        "notebooks ran, 1 a notebook is missing or failed.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    execute.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="notebooks to run")
    execute.add_argument(
        "--timeout",
        type=int,
        default=600,
        metavar="S",
        help="time limit per cell in seconds (default: 600)",
    )
    execute.set_defaults(handler=_execute)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_OK
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
