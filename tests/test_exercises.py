"""The exercise system: every exercise tests itself, and feedback names the mistake."""

import json
from pathlib import Path

import numpy as np
import pytest

from coursekit import exercises
from coursekit.exercises import (
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    ChoiceExercise,
    FunctionExercise,
    ValueExercise,
)
from coursekit.exercises import mistakes as m

ROOT = Path(__file__).resolve().parents[1]
ALL = [
    (number, exercise.key) for number in exercises.lectures() for exercise in exercises.load(number)
]


def fresh(number, key):
    """A copy of an exercise with its own bookkeeping, so tests do not share attempts."""
    import copy

    return copy.deepcopy(exercises.load(number)[key])


def test_every_lecture_with_a_notebook_has_exercises():
    lectures = {p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")}
    assert lectures <= set(exercises.lectures())
    for number in lectures:
        assert len(exercises.load(number)) >= 4


def test_each_lecture_has_every_kind_of_exercise():
    for number in exercises.lectures():
        kinds = {type(e) for e in exercises.load(number)}
        assert {ValueExercise, FunctionExercise, ChoiceExercise} <= kinds, number


@pytest.mark.parametrize(("number", "key"), ALL)
def test_exercise_tests_itself(number, key):
    """Reference passes, every declared mistake gets its own message, placeholder reads as
    not attempted. New exercises are picked up automatically."""
    exercise = fresh(number, key)
    assert exercise.self_test() == []
    assert exercise.prompt and exercise.solution_code and exercise.hints
    messages = {}
    for rule in getattr(exercise, "mistakes", ()):
        answer = rule.mistaken(exercise.reference)
        if isinstance(exercise, ValueExercise):
            with np.errstate(all="ignore"):
                answer = answer(*exercise.args)
        result = exercise.check(answer)
        assert result.status == INCORRECT
        messages[rule.name] = result.message
    assert len(set(messages.values())) == len(messages), "each mistake has its own message"


@pytest.mark.parametrize(("number", "key"), ALL)
def test_solution_code_passes_its_check(number, key):
    exercise = fresh(number, key)
    namespace = {"np": np}
    exec(exercise.solution_code, namespace)  # noqa: S102 - our own reference code
    assert exercise.check(namespace[exercise.variable]).status == CORRECT


@pytest.mark.parametrize(("number", "key"), ALL)
def test_wrong_types_get_one_sentence_not_a_traceback(number, key):
    exercise = fresh(number, key)

    class ClaimsEqualityWithEverything:
        def __eq__(self, other):
            return True

        __hash__ = None

    for answer in ["abc", None, {"a": 1}, ClaimsEqualityWithEverything(), [[1, 2], [3]]]:
        result = exercise.check(answer)
        assert result.status == INCORRECT, answer
        assert result.message.startswith("Expected"), result.message
        assert "Traceback" not in result.message


def test_shape_message_names_both_shapes():
    exercise = ValueExercise(
        prompt="p",
        variable="p",
        solution_code="",
        hints=["h"],
        reference=lambda: np.array([0.2, 0.3, 0.5]),
        args=(),
        kind="a probability vector",
    )
    result = exercise.check(np.ones((2, 3)) / 3)
    assert result.message == "Expected a probability vector of length 3, got a 2×3 array."


def test_unnormalised_probabilities_are_recognised():
    exercise = ValueExercise(
        prompt="p",
        variable="p",
        solution_code="",
        hints=["h"],
        reference=lambda: np.array([0.2, 0.3, 0.5]),
        args=(),
        mistakes=[m.unnormalised()],
    )
    assert exercise.check([2, 3, 5]).mistake == "unnormalised"
    assert exercise.self_test() == []


def test_sum_for_mean_and_std_for_variance_rules():
    x = np.array([1.0, 2, 3, 4, 5])
    nll_mean = ValueExercise(
        prompt="nll",
        variable="nll",
        solution_code="",
        hints=["h"],
        reference=lambda x: np.mean((x - 3) ** 2),
        args=(x,),
        mistakes=[m.sum_for_mean(len)],
    )
    assert nll_mean.check(np.sum((x - 3) ** 2)).mistake == "sum instead of mean"
    variance = ValueExercise(
        prompt="var",
        variable="var",
        solution_code="",
        hints=["h"],
        reference=np.var,
        args=(x,),
        mistakes=[m.std_for_variance()],
    )
    assert variance.check(np.std(x)).mistake == "standard deviation instead of variance"


def test_swapped_kl_arguments_and_entropy_confusions_are_recognised():
    from coursekit import info

    p, q = np.array([0.5, 0.25, 0.25]), np.full(3, 1 / 3)
    kl = FunctionExercise(
        prompt="kl",
        variable="kl",
        solution_code="",
        hints=["h"],
        signature="kl(p, q)",
        reference=info.kl_divergence,
        cases=[(p, q), (q, p), (np.array([0.9, 0.1, 0.0]), q)],
        mistakes=[m.swapped_arguments()],
    )
    assert kl.check(lambda a, b: info.kl_divergence(b, a)).mistake == "swapped arguments"
    ce = ValueExercise(
        prompt="ce",
        variable="ce",
        solution_code="",
        hints=["h"],
        reference=info.cross_entropy,
        args=(p, q),
        mistakes=[m.entropy_for_cross_entropy(lambda a, b: info.entropy(a))],
    )
    assert ce.check(info.entropy(p)).mistake == "entropy instead of cross-entropy"
    h = ValueExercise(
        prompt="h",
        variable="h",
        solution_code="",
        hints=["h"],
        reference=lambda a, b: info.entropy(a),
        args=(p, q),
        mistakes=[m.cross_entropy_for_entropy(info.cross_entropy)],
    )
    assert h.check(info.cross_entropy(p, q)).mistake == "cross-entropy instead of entropy"


def test_near_miss_says_how_close():
    exercise = fresh("01", "q1")
    result = exercise.check(1.79)
    assert result.mistake == "near miss" and "0.098 %" in result.message
    assert "rounded to 3 significant figures" in result.message
    cut = exercise.check(1.79175).message  # 1.791759 cut off, not rounded
    assert "cut off after 6 significant figures" in cut and "Round the last figure" in cut


def test_six_significant_figures_of_the_exact_answer_always_pass_and_five_do_not():
    exercise = fresh("06", "q2")  # exact 2.4422920...: its 5- and 6-figure roundings differ
    exact = float(exercise.expected)
    assert exercise.check(float(f"{exact:.6g}")).passed
    assert exercise.check(exact).passed
    five = exercise.check(float(f"{exact:.5g}"))
    assert not five.passed and "rounded to 5 significant figures" in five.message


def test_a_conceptual_error_of_a_percent_is_not_called_rounding():
    exercise = fresh("01", "q2")  # a red face card, log2(52/6); log2(51/6) is 0.9 % off
    result = exercise.check(float(np.log2(51 / 6)))
    assert result.mistake != "near miss" and "off by 0.9 %" in result.message


def test_a_mistake_is_recognised_when_the_student_rounds_it():
    exercise = fresh("03", "q3")
    for rule in exercise.mistakes:
        wrong = float(np.asarray(rule.mistaken(exercise.reference)(*exercise.args)))
        rounded = float(f"{wrong:.4g}")
        assert exercise.check(rounded).mistake == rule.name, rule.name


def test_choice_answers_written_with_brackets_read_as_the_letter():
    exercise = fresh("01", "q4")
    assert exercise.check("(b)").passed and exercise.check(" B) ").passed


def test_feedback_emphasis_is_rendered_in_html():
    from coursekit.exercises.core import Result

    html = Result("q1", "incorrect", "the *excess* surprise")._repr_html_()
    assert "<em>excess</em>" in html and "*" not in html


def test_function_placeholders_and_errors_read_as_intended():
    exercise = fresh("01", "q3")

    def placeholder(counts, base=2):
        raise NotImplementedError("write your function here")

    assert exercise.check(placeholder).status == NOT_ATTEMPTED
    assert exercise.check(...).status == NOT_ATTEMPTED
    result = exercise.check(lambda counts, base=2: 1 / 0)
    assert result.status == INCORRECT and "ZeroDivisionError" in result.message
    assert exercise.check(3.0).message == "Expected a function, got the number 3.0."


def test_student_function_cannot_change_the_test_cases():
    exercise = fresh("01", "q3")

    def vandal(counts, base=2):
        if isinstance(counts, np.ndarray):
            counts[:] = 5
        return 1.0

    exercise.check(vandal)
    assert exercise.self_test() == []


def test_hint_ladder_and_progress():
    exercise_set = exercises.load("01")
    exercise = fresh("01", "q1")
    shown = [exercise.hint().body for _ in range(len(exercise.hints) + 1)]
    assert shown[: len(exercise.hints)] == list(exercise.hints)
    assert shown[-1] == exercise.hints[-1]
    progress = exercise_set.progress()
    assert "question" in str(progress) and "<table>" in progress._repr_html_()


def test_results_render_as_text_and_html():
    result = fresh("01", "q1").check(np.log2(6))
    assert str(result).startswith("✗ q1: incorrect.")
    assert "coursekit-check" in result._repr_html_()
    assert json.loads(json.dumps(result.to_dict()))["mistake"] == "bits instead of nats"


def test_grade_reads_answers_from_a_namespace():
    results = exercises.load("01").grade({"entropy_remainder": np.log(6), "surprise_red_face": "x"})
    by_key = {r.question: r for r in results}
    assert by_key["q1"].status == CORRECT and by_key["q1"].points == 1
    assert by_key["q2"].status == INCORRECT
    assert by_key["q3"].status == NOT_ATTEMPTED and "deleted" in by_key["q3"].message


def test_load_rejects_unknown_lectures():
    with pytest.raises(ValueError, match="no exercises for lecture"):
        exercises.load("99")


def test_master_notebooks_store_only_passing_checks():
    """The master notebooks hold the solutions: every stored check output is a pass."""
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        notebook = json.loads(path.read_text())
        checks = 0
        for cell in notebook["cells"]:
            if "solution" not in cell.get("metadata", {}).get("tags", []):
                continue
            texts = [
                "".join(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])
            ]
            assert any(t.startswith("✓") for t in texts), (path.name, cell["source"])
            checks += 1
        assert checks >= 4, path.name


def test_two_mistakes_at_once_are_both_named():
    result = fresh("01", "q2").check(np.log(6 / 52))  # nats, and the minus sign lost
    assert result.mistake == "nats instead of bits + missing minus sign"
    assert "in nats" in result.message and "wrong sign" in result.message

    def naive_nats(counts, base=2):  # natural log whatever the base, and the minus sign lost
        p = np.asarray(counts) / np.sum(counts)
        p = p[p > 0]
        return np.sum(p * np.log(p))

    result = fresh("01", "q3").check(naive_nats)
    assert result.mistake == "natural log whatever the base + missing minus sign"


def test_an_answer_is_judged_by_the_figures_asked_for():
    exercise = fresh("02", "q6")  # exact 4.14875518...
    exact = float(exercise.expected)
    assert exercise.check(round(exact, 5)).passed  # 4.14876, its 6 figures
    longer = exercise.check(4.1487503)  # 7 figures, but the 6th is wrong
    assert not longer.passed
    right = exercise.check(4.1487552)
    assert right.passed and "4.14876" in right.message  # the exact value is echoed


def test_halves_rounded_up_by_hand_pass():
    exercise = fresh("02", "q7")  # exactly 2.625: 2.63 by hand at 3 figures, 2.62 by numpy
    assert exercise.check(2.625).passed


def test_an_answer_that_should_be_zero_is_judged_absolutely():
    exercise = fresh("04", "q6")  # [mean, std] of the central fit; the mean is 0
    std = float(exercise.expected[1])
    assert exercise.check([0.0, std]).passed
    result = exercise.check([0.001, std])
    assert not result.passed and "off by 0.001" in result.message and "%" not in result.message


def test_large_errors_are_written_plainly():
    from coursekit.exercises.values import how_far

    assert how_far(np.array(3.0), np.array(1.0)) == "off by 200 %"
    assert how_far(np.array(1.0049), np.array(1.0)) == "off by 0.49 %"
