"""Grading a folder of honest (and clumsy) submissions of lecture 01, through `coursekit grade`.

One batch (two jobs, 5 s per cell, 3 s per check, every notebook in its sandbox) grades: all
correct, all wrong (every mistake each exercise recognises), not attempted, an infinite loop, a
notebook that raises, one that monkeypatches the checker, one whose answer equals everything,
deleted and renamed answers, a widget cell, a function that never returns, a kernel that dies,
a file that is not a notebook, and one that shadows builtins. Scores and reasons are asserted
on the JSON report, the CSV and the feedback files. The attacks of a student who wants a
better grade are in test_grading_attacks.py; reports and plain data in test_grading_reports.py.
"""

import csv
import json
from pathlib import Path

import pytest
from submissions import (
    all_correct,
    exercise_set,
    mistakes,
    sandbox_or_skip,
    submission,
    write,
    wrong_answers,
)

from coursekit import grading
from coursekit.cli import main
from coursekit.exercises import ChoiceExercise
from coursekit.grading import sandbox

CELL_TIMEOUT, CHECK_TIMEOUT = 5, 3
# Submissions with mistakes: the i-th of each exercise's mistakes (cycling), enough for all.
WRONG = max(len(mistakes(exercise)) for exercise in exercise_set())

N = len(exercise_set())  # questions of lecture 01
MONKEYPATCHES = """\
ex.q1.check = lambda *a: "correct"
import coursekit.exercises.functions as c
import coursekit.exercises.mistakes as mm
c.close = lambda *a, **k: True
mm.close = lambda *a, **k: True
exercises.ExerciseSet.grade = lambda self, namespace: []
exercises.load = lambda *a, **k: None
# and a fake checker package next to the notebook, first on sys.path
import os
os.makedirs("coursekit/exercises", exist_ok=True)
open("coursekit/__init__.py", "w").close()
with open("coursekit/exercises/__init__.py", "w") as f:
    f.write("raise SystemExit('a fake checker')")
"""
LIAR = """\
class Liar:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


{variable} = Liar()"""
SHADOWS = """\
import io, sys
sys.stdout = io.StringIO()
open = print = exec = compile = globals = len = list = isinstance = None
json = os = importlib = None"""


def _wrong(index):
    answers = {}
    for exercise in exercise_set():
        made = mistakes(exercise)
        answers[exercise.key] = made[index % len(made)][0]
    return answers


def _crafted():
    """name → (notebook or None for a broken file, subfolder)."""
    ex = exercise_set()
    q6 = ex.q6.variable
    renamed = {**all_correct(), "q6": all_correct()["q6"].replace(q6, f"{q6}_renamed")}
    deleted = submission(renamed, drop={"q2"})
    for cell in deleted.cells:
        cell.source = cell.source.replace(f"check({q6})", f"check({q6}_renamed)")
    return {
        "correct": submission(all_correct()),
        **{f"wrong-{i}": submission(_wrong(i)) for i in range(WRONG)},
        "untouched": submission(),
        "loop": submission(all_correct(), before={"q2": ["while True:\n    pass"]}),
        "raises": submission(all_correct(), after_setup=["1 / 0"]),
        "cheater/monkeypatch": submission(wrong_answers(), after_setup=[MONKEYPATCHES]),
        "liar": submission({**all_correct(), "q1": LIAR.format(variable=ex.q1.variable)}),
        "deleted": deleted,
        "widget": submission(
            all_correct(),
            at_end=["from coursekit import explorers\nexplorers.CoinExplorer().widget()"],
        ),
        "slow-function": submission(
            {**all_correct(), "q3": f"def {ex.q3.signature}:\n    while True:\n        pass"}
        ),
        "dies": submission(all_correct(), after_setup=["import os\nos._exit(1)"]),
        "shadows": submission(all_correct(), at_end=[SHADOWS]),
        "garbage": None,
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade the crafted folder once with the CLI; the reports, parsed."""
    sandbox_or_skip()
    root = tmp_path_factory.mktemp("grading")
    folder = root / "submissions"
    for name, notebook in _crafted().items():
        path = folder / f"{name}-01-exercises.ipynb"
        if notebook is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("this is not a notebook")
        else:
            write(notebook, path)
    out = root / "out"
    code = main(
        [
            "grade",
            str(folder),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--timeout",
            "60",
            "--cell-timeout",
            str(CELL_TIMEOUT),
            "--check-timeout",
            str(CHECK_TIMEOUT),
            "--no-progress",
        ]
    )
    report = json.loads((out / "grades.json").read_text())
    by_name = {
        s["submission"].removesuffix("-01-exercises.ipynb"): s for s in report["submissions"]
    }
    with (out / "grades.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {"code": code, "report": report, "by": by_name, "rows": rows, "out": out}


def _statuses(entry):
    return {key: q["status"] for key, q in entry["questions"].items()}


def test_the_batch_finishes_and_reports_the_failures_in_its_exit_code(graded):
    assert graded["code"] == 1  # "dies" and "garbage" could not be graded
    assert set(graded["by"]) == {name.split("/")[-1] for name in _crafted()}
    assert graded["report"]["settings"]["cell_timeout"] == CELL_TIMEOUT


def test_all_correct(graded):
    entry = graded["by"]["correct"]
    assert (entry["status"], entry["reason"], entry["points"], entry["max_points"]) == (
        "graded",
        "",
        N,
        N,
    )
    assert set(_statuses(entry).values()) == {"correct"}


@pytest.mark.parametrize("index", range(WRONG))
def test_each_mistake_gets_its_own_feedback(graded, index):
    entry = graded["by"][f"wrong-{index}"]
    assert entry["status"] == "graded" and entry["points"] == 0
    for exercise in exercise_set():
        question = entry["questions"][exercise.key]
        made = mistakes(exercise)
        name = made[index % len(made)][1]
        assert (question["status"], question["mistake"]) == ("incorrect", name), exercise.key
        if isinstance(exercise, ChoiceExercise):
            option = next(o for o in exercise.options if f"chose {o!r}" == name)
            assert question["message"] == exercise.explanations[option]
        else:
            rule = next(r for r in exercise.mistakes if r.name == name)
            assert question["message"] == rule.message


def test_the_wrong_submissions_cover_every_mistake():
    for exercise in exercise_set():
        assert len(mistakes(exercise)) <= WRONG, exercise.key


def test_not_attempted(graded):
    entry = graded["by"]["untouched"]
    assert entry["status"] == "graded" and entry["points"] == 0
    assert set(_statuses(entry).values()) == {"not attempted"}


def test_an_infinite_loop_is_stopped_and_the_rest_graded(graded):
    entry = graded["by"]["loop"]
    assert entry["status"] == "graded with errors" and entry["points"] == N
    assert f"(`while True:`) was stopped after {CELL_TIMEOUT} s" in entry["reason"]


def test_a_cell_that_raises_does_not_stop_the_others(graded):
    entry = graded["by"]["raises"]
    assert entry["status"] == "graded with errors" and entry["points"] == N
    assert "(`1 / 0`) raised ZeroDivisionError: division by zero" in entry["reason"]


def test_monkeypatching_the_checker_has_no_effect(graded):
    entry = graded["by"]["monkeypatch"]
    assert entry["submission"] == "monkeypatch-01-exercises.ipynb"
    assert entry["status"] == "graded" and entry["points"] == 0
    assert set(_statuses(entry).values()) == {"incorrect"}


def test_an_answer_equal_to_everything_does_not_pass(graded):
    entry = graded["by"]["liar"]
    assert entry["points"] == N - 1
    assert entry["questions"]["q1"]["status"] == "incorrect"
    assert entry["questions"]["q1"]["mistake"] == "wrong type or shape"
    assert "got a Liar object" in entry["questions"]["q1"]["message"]


def test_a_deleted_cell_and_a_renamed_variable_read_as_not_attempted(graded):
    entry = graded["by"]["deleted"]
    assert entry["status"] == "graded with errors" and entry["points"] == N - 2
    for key in ("q2", "q6"):
        variable = exercise_set()[key].variable
        question = entry["questions"][key]
        assert question["status"] == "not attempted"
        assert f"No variable named {variable!r} was found" in question["message"]
        assert f"{key}: no variable {variable} in the notebook" in entry["reason"]


def test_a_widget_cell_changes_nothing(graded):
    entry = graded["by"]["widget"]
    assert (entry["status"], entry["points"], entry["errors"]) == ("graded", N, [])


def test_a_function_that_never_returns_is_stopped_while_checking(graded):
    entry = graded["by"]["slow-function"]
    assert entry["points"] == N - 1
    q3 = entry["questions"]["q3"]
    assert (q3["status"], q3["mistake"]) == ("incorrect", "timed out")
    assert f"did not finish within {CHECK_TIMEOUT} s" in q3["message"]
    assert f"q3: checking the answer was stopped after {CHECK_TIMEOUT} s" in entry["reason"]


def test_a_kernel_that_dies_fails_that_submission_only(graded):
    entry = graded["by"]["dies"]
    assert entry["status"] == "failed" and entry["points"] == 0 and entry["max_points"] == N
    assert entry["reason"].startswith("the kernel died in cell 3 (`import os`)")
    assert set(_statuses(entry).values()) == {"not graded"}
    assert "stopped before this answer was given" in entry["questions"]["q1"]["message"]


def test_a_file_that_is_not_a_notebook_fails_that_submission_only(graded):
    entry = graded["by"]["garbage"]
    assert entry["status"] == "failed"
    assert entry["reason"].startswith("not a readable notebook: NotJSONError")


def test_shadowed_builtins_and_a_replaced_stdout_do_not_break_the_grading_cell(graded):
    entry = graded["by"]["shadows"]
    assert (entry["status"], entry["points"]) == ("graded", N)


def test_the_csv_has_one_row_per_submission_and_a_column_per_question(graded):
    rows = graded["rows"]
    assert list(rows[0]) == [
        "submission",
        *exercise_set().keys(),
        "total",
        "max",
        "status",
        "reason",
    ]
    assert len(rows) == len(graded["by"])
    for row in rows:
        entry = graded["by"][row["submission"].removesuffix("-01-exercises.ipynb")]
        assert float(row["total"]) == entry["points"]
        assert row["status"] == entry["status"] and row["reason"] == entry["reason"]
        if entry["questions"]:
            points = [float(row[key]) for key in exercise_set().keys()]
            assert sum(points) == entry["points"]


def test_one_feedback_file_per_submission(graded):
    folder = graded["out"] / "feedback"
    files = sorted(p.name for p in folder.iterdir())
    assert files == sorted(f"{name}-01-exercises.md" for name in graded["by"])
    assert {e["feedback"] for e in graded["by"].values()} == {f"feedback/{f}" for f in files}
    assert sorted(p.name for p in graded["out"].iterdir()) == [
        ".coursekit-grade",
        "feedback",
        "grades.csv",
        "grades.json",
    ]
    text = (folder / "deleted-01-exercises.md").read_text()
    assert f"Score: **{N - 2} / {N}**" in text
    assert "## ✓ q1: correct (1 / 1)" in text
    assert "## ○ q2: not attempted (0 / 1)" in text
    wrong = (folder / "wrong-0-01-exercises.md").read_text()
    assert "## ✗ q1: incorrect (0 / 1)" in wrong and "Your result is in bits" in wrong


def test_a_submission_over_its_time_limit_gets_zero(tmp_path):
    sandbox_or_skip()
    path = write(
        submission(all_correct(), after_setup=["import time\ntime.sleep(60)"]),
        tmp_path / "01-slow.ipynb",
    )
    result = grading.grade_submission(path, timeout=10, cell_timeout=60)
    assert result.status == grading.TIMED_OUT and result.points == 0
    assert result.reason == "timed out after 10 s (in cell 3 (`import time`))"
    assert set(q["status"] for q in result.questions.values()) == {grading.NOT_GRADED}
    assert result.runtime < 25  # the sandbox was killed, not waited for


def test_without_preloading_each_sandbox_starts_a_fresh_python(tmp_path):
    sandbox_or_skip()
    paths = [
        write(submission(all_correct()), tmp_path / "a" / "01-exercises.ipynb"),
        write(submission(), tmp_path / "b" / "01-exercises.ipynb"),
    ]
    results = grading.grade_batch(paths, jobs=2, timeout=120, progress=False, preload=False)
    assert [r.name for r in results] == ["a/01-exercises.ipynb", "b/01-exercises.ipynb"]
    assert [(r.status, r.points) for r in results] == [("graded", N), ("graded", 0)]


def test_without_a_sandbox_every_report_warns(tmp_path, capsys):
    paths = [
        write(submission(all_correct()), tmp_path / "a" / "01-exercises.ipynb"),
        write(submission(), tmp_path / "b" / "01-exercises.ipynb"),
    ]
    out = tmp_path / "out"
    code = main(["grade", *map(str, paths), "--out", str(out), "--no-sandbox", "--no-progress"])
    assert code == 0
    assert "warning: graded without a sandbox" in capsys.readouterr().err
    report = json.loads((out / "grades.json").read_text())
    assert report["settings"]["sandbox"] == "none" and report["warnings"]
    assert [s["points"] for s in report["submissions"]] == [N, 0]
    for entry in report["submissions"]:
        assert entry["warnings"] == [grading.NO_SANDBOX_WARNING]
    with (out / "grades.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            assert row["reason"].startswith("warning: graded without a sandbox")
    for feedback in (out / "feedback").iterdir():
        assert "graded without a sandbox" in feedback.read_text()


def test_without_bubblewrap_nothing_is_graded(tmp_path, monkeypatch, capsys):
    path = write(submission(), tmp_path / "01-exercises.ipynb")
    monkeypatch.setattr(sandbox, "find_bwrap", lambda: None)
    sandbox.check_sandbox.cache_clear()
    try:
        with pytest.raises(grading.SandboxUnavailable, match="apt-get install bubblewrap"):
            grading.grade_batch([path], progress=False)
        code = main(["grade", str(path), "--out", str(tmp_path / "out"), "--no-progress"])
    finally:
        sandbox.check_sandbox.cache_clear()
    assert code == 2
    err = capsys.readouterr().err
    assert "apt-get install bubblewrap" in err and "--no-sandbox" in err
    assert not (tmp_path / "out").exists()


def test_submission_names_are_short_and_unique():
    assert grading.submission_names(["x/alice.ipynb", "y/bob.ipynb"]) == [
        "alice.ipynb",
        "bob.ipynb",
    ]
    assert grading.submission_names(["s/alice/01.ipynb", "s/bob/01.ipynb"]) == [
        "alice/01.ipynb",
        "bob/01.ipynb",
    ]
    assert grading.feedback_name("alice/01.ipynb") == "alice__01.md"
    assert grading.feedback_names(["a/01-b.ipynb", "a__01-b.ipynb", "A__01-B.ipynb"]) == [
        "a__01-b.md",
        "a__01-b-2.md",
        "A__01-B-3.md",
    ]


def test_the_lecture_comes_from_metadata_then_name_then_setup_cell():
    notebook = submission()
    assert grading.lecture_of_submission(Path("whatever.ipynb"), notebook) == "01"
    del notebook.metadata["coursekit"]
    assert grading.lecture_of_submission(Path("s07-01-entropy.ipynb"), notebook) == "01"
    assert grading.lecture_of_submission(Path("s42-99-kl.ipynb"), notebook) == "01"  # setup
    assert grading.lecture_of_submission(Path("alice.ipynb"), notebook) == "01"
    notebook.cells = []
    assert grading.lecture_of_submission(Path("alice.ipynb"), notebook) is None


@pytest.mark.parametrize("command", [[], ["student"], ["grade"], ["execute"]])
def test_every_command_has_help_with_examples(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: coursekit") and "example" in text
    if command:
        assert "exit status" in text
