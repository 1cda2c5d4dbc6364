"""The grader's parts that need no sandbox: plain data, judging, reports, the output folder.

Plain data must be judged exactly as the object it stands for (every exercise of every lecture,
every kind of answer a student gives); forged fields must change nothing; reports must escape
and cap student text and never follow a link out of the output folder.
"""

import csv
import fractions
import io
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from submissions import submission

from coursekit import exercises, grading
from coursekit.exercises import FunctionExercise, ValueExercise
from coursekit.grading import decode, plain, reports
from coursekit.grading.extract import Extractor
from coursekit.grading.judge import judge_run
from coursekit.grading.results import SubmissionResult
from coursekit.grading.session import Run, Settings

ALL = [(n, e.key) for n in exercises.lectures() for e in exercises.load(n)]


class Liar:
    def __eq__(self, other):
        return True


class ArrayLike:
    def __array__(self, dtype=None, copy=None):
        return np.array([0.5, 0.5])


def _function():
    pass


ANSWERS = [
    1.79,
    np.log(6),
    np.float32(1.79),
    2,
    np.int64(2),
    True,
    np.bool_(False),
    "b",
    " B) ",
    np.str_("b"),
    "1.7917594692280547",
    b"b",
    None,
    Ellipsis,
    [1.79],
    (1.79, 2.0),
    np.array([1.79]),
    np.array([[1.0, 2.0], [3.0, 4.0]]),
    [[1, 2], [3]],
    ["a", "b"],
    np.array(["1.5"]),
    Liar(),
    ArrayLike(),
    fractions.Fraction(1, 2),
    {"a": 1},
    _function,
    math.nan,
    -math.inf,
    [math.nan, 1.0],
    1j,
    np.ones(20_000),
    list(range(20_000)),
    np.array([True, False]),
    "x" * 5000,
]


def _roundtrip(data):
    return json.loads(plain.dumps(data))


@pytest.mark.parametrize(("number", "key"), ALL)
def test_plain_data_is_judged_as_the_original_answer(number, key):
    exercise = exercises.load(number)[key]
    candidates = list(ANSWERS)
    if isinstance(exercise, ValueExercise):
        candidates.append(exercise.expected)
        for rule in exercise.mistakes:
            with np.errstate(all="ignore"):
                candidates.append(rule.mistaken(exercise.reference)(*exercise.args))
    elif not isinstance(exercise, FunctionExercise):
        candidates += list(exercise.options)
    for answer in candidates:
        if isinstance(exercise, FunctionExercise) and callable(answer):
            continue
        with np.errstate(all="ignore"):
            expected = exercise.evaluate(answer).to_dict()
            got = exercise.evaluate(decode.decode(_roundtrip(plain.encode(answer)))).to_dict()
        assert got == expected, repr(answer)[:60]


@pytest.mark.parametrize(
    ("number", "key"),
    [(n, k) for n, k in ALL if isinstance(exercises.load(n)[k], FunctionExercise)],
)
def test_a_function_is_judged_from_its_outcomes_as_it_is_in_the_notebook(number, key):
    exercise = exercises.load(number)[key]

    def placeholder(*args):
        raise NotImplementedError

    functions = [exercise.reference, placeholder, lambda *a: 1 / 0, lambda *a: "x"]
    functions += [lambda *a: Liar(), lambda *a: np.nan, lambda *a: [1.0, 2.0]]
    functions += [rule.mistaken(exercise.reference) for rule in exercise.mistakes]
    for function in functions:
        expected = exercise.evaluate(function).to_dict()
        data = _roundtrip(plain.encode_outcomes(exercise.run_cases(function)))
        assert exercise.judge_outputs(decode.decode_outcomes(data)).to_dict() == expected


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"t": "exec", "v": "import os"},
        {"t": "num", "dtype": "object", "v": 1},
        {"t": "num", "dtype": "float", "v": "1e309"},
        {"t": "array", "dtype": "float64", "shape": [3], "v": [1.0]},
        {"t": "array", "dtype": "float64", "shape": [-1], "v": []},
        {"t": "array", "dtype": "V8", "shape": [1], "v": [1.0]},
        {"t": "str", "v": "x" * 100_000},
        {"t": "bool", "v": 1},
        {"t": "object", "type": "x", "callable": "yes"},
        {"t": "list", "v": [{"t": "list", "v": []}] * 20_000},
    ],
)
def test_malformed_plain_data_is_refused(data):
    with pytest.raises(decode.PlainDataError):
        decode.decode(data)


def test_dumps_writes_json_and_refuses_what_is_not_plain():
    data = {"a": [1, 2.5, "é\n", None, True, {"b": []}]}
    assert json.loads(plain.dumps(data)) == data
    for bad in ({"a": math.nan}, {1: 2}, {"a": object()}):
        with pytest.raises((TypeError, ValueError)):
            plain.dumps(bad)


def _settings(**kw):
    return Settings(timeout=60, cell_timeout=5, check_timeout=3, **kw)


def _judge(answers, ended="done", **run):
    exercise_set = exercises.load("01")
    result = SubmissionResult(path=Path("x.ipynb"), name="x.ipynb")
    run = Run(ready=True, done=ended == "done", ended=ended, answers=answers, **run)
    judge_run(result, run, exercise_set, {0: "import numpy"}, _settings())
    return result


def test_claims_of_correctness_in_the_data_are_ignored():
    forged = {"t": "num", "dtype": "float", "v": 0.0, "status": "correct", "points": 1}
    result = _judge({"q1": forged, "q4": {"t": "str", "v": "z", "status": "correct"}})
    assert result.points == 0
    assert result.questions["q1"]["status"] == "incorrect"
    assert result.questions["q4"]["mistake"] == "wrong type or shape"


def test_damaged_data_reads_as_an_unreadable_answer():
    result = _judge({"q1": {"t": "num", "dtype": "float", "v": "nope"}, "q3": {"t": "function"}})
    for key in ("q1", "q3"):
        assert result.questions[key]["mistake"] == "unreadable answer"


def test_answers_given_before_a_notebook_died_keep_their_credit():
    right = {"t": "num", "dtype": "float64", "v": float(exercises.load("01").q1.expected)}
    result = _judge({"q1": right}, ended="died", current=0)
    assert result.status == "failed" and result.points == 1
    assert result.questions["q2"]["status"] == "not graded"
    assert result.reason.startswith("the kernel died in cell 1 (`import numpy`)")


def test_the_extractor_sends_answers_as_plain_data_and_runs_functions_in_a_child():
    ex = exercises.load("01")
    sent = []
    right = float(ex.q1.expected)
    ns = {ex.q1.variable: right, ex.q4.variable: ex.q4.answer}
    ns[ex.q3.variable] = lambda *args: ex.q3.reference(*args)
    extractor = Extractor(ex, sent.append, 5.0, lambda s, f: f())
    extractor.after_cell(ns, 0)
    ns[ex.q3.variable] = lambda *args: os._exit(3)
    extractor.after_cell(ns, 1)
    answers = {}
    for message in sent:
        answers.update(message.get("answers", {}))
    assert answers["q1"] == {"t": "num", "dtype": "float", "v": right}
    assert answers["q2"] == {"t": "missing"}
    assert answers["q3"]["cases"] == [{"ended": "exit status 3"}]
    result = _judge(answers)
    assert (result.questions["q1"]["status"], result.questions["q4"]["status"]) == (
        "correct",
        "correct",
    )
    assert "ended the process running it (exit status 3)" in result.questions["q3"]["message"]


def test_markdown_and_csv_escaping():
    text = "# =cmd|' /C calc'!A0 <img src=x onerror=alert(1)> [link](http://x) `c` *b* $x$"
    escaped = reports.md(text)
    assert escaped.startswith("\\#") and "\n" not in reports.md("a\nb\r\nc")
    for shown in ("\\<img", "\\[link\\](", "\\`c\\`", "\\*b\\*", "\\$x\\$"):
        assert shown in escaped  # each character that would start markup is escaped
    assert reports.md("1. item").startswith("1\\.") and reports.md("- item").startswith("\\-")
    assert reports.md("0.483941 is right.") == "0.483941 is right."
    assert len(reports.md("x" * 10_000)) == reports.MAX_TEXT
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)"):
        assert reports.csv_cell(cell).startswith("'")
    assert reports.csv_cell("a\nb") == "a b"


def _result(name, reason=""):
    result = SubmissionResult(path=Path(name), name=name, status="graded", reason=reason)
    result.questions["q1"] = {
        "question": "q1",
        "status": "incorrect",
        "points": 0.0,
        "max_points": 1.0,
        "mistake": None,
        "message": "x" * 100_000,
    }
    return result


def test_reports_go_into_a_fresh_folder_and_never_follow_links(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out"
    results = [_result("a/01-b.ipynb"), _result("a__01-b.ipynb", "=cmd" + "y" * 10**6)]
    written = grading.write_reports(results, out)
    assert [p.name for p in written.feedback] == ["a__01-b.md", "a__01-b-2.md"]
    with pytest.raises(grading.OutputFolderError, match="--force"):
        grading.write_reports(results, out)
    # An earlier grading's folder with planted links: replaced, never followed.
    (out / "grades.csv").unlink()
    (out / "grades.csv").symlink_to(victim)
    (out / "feedback" / "a__01-b.md").unlink()
    (out / "feedback" / "a__01-b.md").symlink_to(victim)
    (out / "elsewhere").symlink_to(tmp_path)
    grading.write_reports(results, out, force=True)
    assert victim.read_text() == "keep me" and not (out / "elsewhere").exists()
    assert not (out / "grades.csv").is_symlink()
    rows = list(csv.DictReader(io.StringIO((out / "grades.csv").read_text())))
    assert rows[1]["reason"].startswith("'=cmd") and len(rows[1]["reason"]) <= 2000
    document = json.loads((out / "grades.json").read_text())
    assert len(document["submissions"][0]["questions"]["q1"]["message"]) <= 2000


def test_an_output_folder_that_is_not_ours_is_refused(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    with pytest.raises(grading.OutputFolderError, match="holds no earlier grading"):
        grading.write_reports([_result("a.ipynb")], tmp_path / "mine", force=True)
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "precious"
    (tmp_path / "link").symlink_to(tmp_path / "mine")
    with pytest.raises(grading.OutputFolderError, match="symbolic link"):
        grading.write_reports([_result("a.ipynb")], tmp_path / "link")


def test_the_lecture_is_the_instructors_choice_or_a_warning():
    notebook = submission()  # its metadata says lecture 01
    assert grading.choose_lecture(Path("01-x.ipynb"), notebook, None) == ("01", [])
    lecture, warnings = grading.choose_lecture(Path("02-x.ipynb"), notebook, None)
    assert lecture == "01" and "file name says 02" in warnings[0]
    lecture, warnings = grading.choose_lecture(Path("01-x.ipynb"), notebook, "02")
    assert lecture == "02" and "graded as lecture 02 (--lecture)" in warnings[0]


def test_a_symbolic_link_is_not_read_as_a_submission(tmp_path):
    (tmp_path / "01-x.ipynb").symlink_to("/etc/passwd")
    data, notebook, problem = grading.read_submission(tmp_path / "01-x.ipynb")
    assert (data, notebook) == (None, None) and problem.endswith("a symbolic link")
    (tmp_path / "01-y.ipynb").write_text("root:x:0:0:secret")
    assert grading.read_submission(tmp_path / "01-y.ipynb")[2] == (
        "not a readable notebook: NotJSONError"
    )


def test_the_sandbox_mounts_python_over_its_private_folders(monkeypatch):
    """A clone in /tmp (as CI makes) must stay visible: binds come after the tmpfs mounts."""
    from coursekit.grading import sandbox

    monkeypatch.setattr(sandbox, "python_dirs", lambda: ["/tmp/clone/.venv", "/usr/local/py"])
    argv = sandbox.bwrap_argv("bwrap", sandbox.Limits(), Path("/tmp/cache"), 9, "x.ipynb")
    tmpfs = argv.index("/tmp", argv.index("--tmpfs"))
    for destination in ("/tmp/clone/.venv", "/tmp/cache/pycache", "/tmp/matplotlib"):
        assert argv.index(destination) > tmpfs
    assert argv[argv.index("--clearenv") :].count("--setenv") == len(
        sandbox.environment("/tmp/cache/pycache")
    )
