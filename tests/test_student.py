"""Student copies: solutions replaced by placeholders, outputs cleared, everything else intact.

The copies of the fixture master (tests/submissions.py) and of every real master in notebooks/
that has exercise cells run top to bottom without an error, each check reporting "not
attempted".
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_output
from submissions import MASTER_NAME, exercise_key, exercise_set, master_notebook, write

from coursekit.cli import main
from coursekit.student import (
    EXERCISE_TAG,
    SOLUTION_TAG,
    MasterNotebookError,
    make_student_copy,
    write_student_copies,
)

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _with_outputs(notebook):
    """The master as it is after `make notebooks`: outputs, counts, stored widget state."""
    for count, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code":
            cell.execution_count = count
            cell.outputs = [new_output("stream", name="stdout", text="the answer\n")]
            cell.metadata["execution"] = {"iopub.status.busy": "2024-01-01T00:00:00Z"}
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return notebook


@pytest.fixture
def master(tmp_path):
    return write(_with_outputs(master_notebook()), tmp_path / "masters" / MASTER_NAME)


def test_solutions_become_starters_and_everything_else_stays(master):
    original = nbformat.read(master, as_version=4)
    copy = make_student_copy(master)
    assert len(copy.cells) == len(original.cells)
    solutions = 0
    for before, after in zip(original.cells, copy.cells, strict=True):
        assert after.id == before.id and after.cell_type == before.cell_type
        if before.cell_type == "markdown":
            assert after == before
            continue
        assert after.outputs == [] and after.execution_count is None
        assert "execution" not in after.metadata
        if SOLUTION_TAG not in before.metadata.get("tags", []):
            assert after.source == before.source
            continue
        solutions += 1
        key = exercise_key(before)
        exercise = exercise_set()[key]
        assert after.source == f"{exercise.starter}\nex.{key}.check({exercise.variable})"
        assert exercise.solution_code not in after.source
        assert after.metadata["tags"] == [EXERCISE_TAG]  # "hide-cell" is gone too
    assert solutions == len(exercise_set())
    assert "widgets" not in copy.metadata
    assert copy.metadata["coursekit"] == {"lecture": "01"}
    assert copy.metadata["kernelspec"] == original.metadata["kernelspec"]


def test_the_book_folding_metadata_is_removed(tmp_path):
    notebook = master_notebook()
    cell = next(c for c in notebook.cells if SOLUTION_TAG in c.metadata.get("tags", []))
    cell.metadata["tags"] = ["solution", "hide-cell", "keep-me"]
    cell.metadata["mystnb"] = {"code_prompt_show": "Show the solution", "other": 1}
    copy = make_student_copy(write(notebook, tmp_path / MASTER_NAME))
    changed = copy.cells[notebook.cells.index(cell)]
    assert changed.metadata["tags"] == [EXERCISE_TAG, "keep-me"]
    assert changed.metadata["mystnb"] == {"other": 1}


def test_copies_are_deterministic_and_idempotent(master, tmp_path):
    first = write_student_copies(master.parent, tmp_path / "a")
    second = write_student_copies([master], tmp_path / "b")
    again = write_student_copies(first, tmp_path / "c")  # a copy of the copy
    assert [p.name for p in first] == [MASTER_NAME]
    assert first[0].read_bytes() == second[0].read_bytes() == again[0].read_bytes()


def _solution_cell(notebook, key="q1"):
    return next(c for c in notebook.cells if exercise_key(c) == key)


def _break_without_check(nb):
    _solution_cell(nb).source = "# BEGIN SOLUTION\nentropy_remainder = 1.0\n# END SOLUTION"


def _break_unknown_key(nb):
    cell = _solution_cell(nb)
    cell.source = cell.source.replace("ex.q1.check", "ex.q99.check")


def _break_untagged(nb):
    _solution_cell(nb).metadata["tags"] = []


def _break_missing_end(nb):
    cell = _solution_cell(nb)
    cell.source = cell.source.replace("# END SOLUTION\n", "")


def _break_wrong_variable(nb):
    cell = _solution_cell(nb)
    cell.source = cell.source.replace("entropy_remainder = ", "entropy = ").replace(
        "check(entropy_remainder)", "check(entropy)"
    )


def _break_twice_checked(nb):
    _solution_cell(nb, "q2").source = _solution_cell(nb, "q2").source.replace(
        "ex.q2.check", "ex.q1.check"
    )


def _break_solution_drift(nb):
    cell = _solution_cell(nb)
    cell.source = cell.source.replace(
        "# END SOLUTION", "entropy_remainder = float(entropy_remainder)\n# END SOLUTION"
    )


@pytest.mark.parametrize(
    ("breaking", "message"),
    [
        (_break_without_check, "has no ex.qN.check(...) call"),
        (_break_unknown_key, "checks ex.q99, but lecture 01 has only q1, q2"),
        (_break_untagged, "is not tagged 'solution'"),
        (_break_missing_end, "needs exactly one # BEGIN SOLUTION line"),
        (_break_wrong_variable, "does not define entropy_remainder, the variable the grader reads"),
        (_break_twice_checked, "both check ex.q1"),
        (_break_solution_drift, "differs from the solution_code of q1"),
    ],
)
def test_a_broken_master_is_an_error_that_says_where(tmp_path, breaking, message):
    notebook = master_notebook()
    breaking(notebook)
    path = write(notebook, tmp_path / MASTER_NAME)
    with pytest.raises(MasterNotebookError, match="cell") as raised:
        write_student_copies(path, tmp_path / "out")
    assert message in str(raised.value) and str(path) in str(raised.value)
    assert not (tmp_path / "out").exists()  # nothing written


def test_solution_cells_need_a_lecture_number_in_the_file_name(tmp_path):
    path = write(master_notebook(), tmp_path / "exercises.ipynb")
    with pytest.raises(MasterNotebookError, match="name the notebook NN-slug.ipynb"):
        make_student_copy(path)
    path = write(master_notebook(), tmp_path / "99-nothing.ipynb")
    with pytest.raises(MasterNotebookError, match="no exercises for lecture '99'"):
        make_student_copy(path)


def test_a_notebook_without_exercises_is_copied_with_outputs_cleared(tmp_path):
    notebook = _with_outputs(nbformat.v4.new_notebook(cells=[new_code_cell("1 + 1")]))
    copy = make_student_copy(write(notebook, tmp_path / "notes.ipynb"))
    assert copy.cells[0].outputs == [] and copy.cells[0].source == "1 + 1"
    assert "coursekit" not in copy.metadata


def test_the_masters_are_never_overwritten(master):
    with pytest.raises(MasterNotebookError, match="choose another --out"):
        write_student_copies(master, master.parent)


def test_cli_student(master, tmp_path, capsys):
    assert main(["student", str(master.parent), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / MASTER_NAME).is_file()
    assert f"wrote {tmp_path / 'out' / MASTER_NAME}" in capsys.readouterr().out
    broken = master_notebook()
    _break_without_check(broken)
    write(broken, tmp_path / "broken" / MASTER_NAME)
    assert main(["student", str(tmp_path / "broken"), "--out", str(tmp_path / "o2")]) == 1
    assert "nothing written" in capsys.readouterr().err
    assert main(["student", str(tmp_path / "missing"), "--out", str(tmp_path / "o3")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["student", str(tmp_path / "empty"), "--out", str(tmp_path / "o3")]) == 2


def _run_and_collect_checks(notebook, cwd: Path) -> list[str]:
    """Execute a notebook (any error fails the test) and return the checks' text outputs."""
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        store_widget_state=False,
    )
    client.execute()
    texts = []
    for cell in notebook.cells:
        if EXERCISE_TAG in cell.metadata.get("tags", []):
            results = [o for o in cell.outputs if o.output_type == "execute_result"]
            assert len(results) == 1, cell.source
            texts.append(results[0].data["text/plain"])
    return texts


def test_the_student_copy_of_the_fixture_runs_with_every_check_not_attempted(master):
    texts = _run_and_collect_checks(make_student_copy(master), master.parent)
    assert len(texts) == len(exercise_set())
    for text, key in zip(texts, exercise_set().keys(), strict=True):
        assert text.startswith(f"○ {key}: not attempted."), text


MASTERS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("master_path", MASTERS, ids=[p.stem for p in MASTERS])
def test_the_student_copy_of_each_real_master_runs_with_every_check_not_attempted(master_path):
    master_cells = nbformat.read(master_path, as_version=4).cells
    solutions = [c for c in master_cells if SOLUTION_TAG in c.metadata.get("tags", [])]
    if not solutions:
        pytest.skip("no exercise cells in this master yet")
    texts = _run_and_collect_checks(make_student_copy(master_path), master_path.parent)
    assert len(texts) == len(solutions)
    assert all("○" == text[0] and ": not attempted." in text for text in texts), texts
