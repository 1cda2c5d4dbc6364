"""The ``coursekit`` command for instructors and maintainers.

coursekit execute notebooks/*.ipynb    re-run master notebooks and store their outputs
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def execute_notebook(path: Path, timeout: int = 600) -> float:
    """Run a notebook top to bottom in a fresh kernel and store its outputs in place.

    Widget state is not stored: the book shows each explorer's kernel-free view instead, and
    stored widget state would make the book load the widget JavaScript from a CDN.
    Returns the run time in seconds.
    """
    import nbformat
    from nbclient import NotebookClient

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
    client.execute()
    elapsed = time.perf_counter() - start
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return elapsed


def _execute(args: argparse.Namespace) -> int:
    status = 0
    for name in args.notebooks:
        path = Path(name)
        if not path.is_file():
            print(f"{path}: no such notebook", file=sys.stderr)
            status = 1
            continue
        try:
            seconds = execute_notebook(path, timeout=args.timeout)
        except Exception as error:  # report and go on with the next notebook
            print(f"{path}: failed: {type(error).__name__}: {error}", file=sys.stderr)
            status = 1
        else:
            print(f"{path}: executed in {seconds:.1f} s")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coursekit",
        description="Tools for the course 'From surprise to variational inference'.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    execute = commands.add_parser(
        "execute",
        help="re-run master notebooks and store their outputs in place",
        description="Run each notebook top to bottom in a fresh kernel and save it with its "
        "outputs, as `make test` (nbval) and the book expect.",
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
        return 0
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
