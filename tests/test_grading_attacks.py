"""Every attack of the adversarial review, graded in one batch next to honest submissions.

The batch (two jobs, every notebook in its sandbox) holds each attack of tests/attacks.py, a
friend who answered everything wrong, three students who answered everything right, and three
submissions whose feedback file names would collide. Each attack must get exactly the score of
its honest answers, the others must be unaffected, nothing may be written outside the output
folder, and no process may outlive the grading.
"""

import csv
import json
import os
import time
from pathlib import Path

import pytest
from attacks import TOKEN, attacks
from submissions import (
    all_correct,
    exercise_set,
    sandbox_or_skip,
    submission,
    write,
    wrong_answers,
)

from coursekit.cli import main
from coursekit.grading import sandbox

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "notebooks" / "01-surprise-and-entropy.ipynb"
N = len(exercise_set())
NAME = "01-exercises.ipynb"


def _snapshot(folder: Path, skip: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in folder.rglob("*")
        if p != skip and skip not in p.parents
    }


def _processes(marker: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in command:
            found.append(command.replace(b"\0", b" ").decode(errors="replace"))
    return found


def _children(name: str) -> list[str]:
    """Processes named ``name`` whose parent is this test process."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
        if fields.get("Name", "").strip() == name and fields.get("PPid", "").strip() == str(
            os.getpid()
        ):
            found.append(pid)
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    sandbox_or_skip()
    root = tmp_path_factory.mktemp("attacks")
    folder, out = root / "submissions", root / "out"
    crafted = attacks(
        submissions=str(folder),
        out=str(out),
        master=str(MASTER),
        cache=str(sandbox.cache_dir() / "pycache"),
    )
    expected = {}
    for name, (notebook, points) in crafted.items():
        write(notebook, folder / name / NAME)
        expected[name] = points
    write(submission(wrong_answers()), folder / "friend" / NAME)
    for i in range(3):
        write(submission(all_correct()), folder / f"correct-{i}" / NAME)
    for clash in ("clash/a/01-b.ipynb", "clash/z/01-b.ipynb", "clash/a__01-b.ipynb"):
        write(submission(), folder / clash)
    before = _snapshot(root, out)
    os.environ["COURSEKIT_ATTACK_SECRET"] = "s3cret"
    start = time.monotonic()
    try:
        code = main(
            [
                "grade",
                str(folder),
                "--out",
                str(out),
                "--jobs",
                "2",
                "--timeout",
                "90",
                "--cell-timeout",
                "10",
                "--check-timeout",
                "3",
                "--no-progress",
            ]
        )
    finally:
        del os.environ["COURSEKIT_ATTACK_SECRET"]
    seconds = time.monotonic() - start
    grades = (out / "grades.csv").read_bytes()
    survivors = _processes(TOKEN) + _children("bwrap")
    report = json.loads((out / "grades.json").read_text())
    by_name = {s["submission"].removesuffix(f"/{NAME}"): s for s in report["submissions"]}
    time.sleep(3)  # time for an escaped daemon to rewrite the grades, if one had escaped
    return {
        "code": code,
        "by": by_name,
        "expected": expected,
        "root": root,
        "out": out,
        "before": before,
        "after": _snapshot(root, out),
        "grades": grades,
        "survivors": survivors,
        "seconds": seconds,
    }


ATTACKS = list(attacks(submissions="", out="", master=str(MASTER), cache="").keys())  # names only


@pytest.mark.parametrize("name", ATTACKS)
def test_an_attack_gets_the_score_of_its_honest_answers(batch, name):
    entry = batch["by"][name]
    if name == "processes" and any("no process cap" in w for w in entry["warnings"]):
        pytest.skip("the grader runs as root without a cgroup: no process cap to test")
    assert entry["points"] == batch["expected"][name], (entry["status"], entry["reason"])
    assert entry["max_points"] == N
    for question in entry["questions"].values():
        assert question["message"] != "forged" and "forged" not in str(question["mistake"])


def test_honest_neighbours_are_unaffected(batch):
    by = batch["by"]
    assert by["friend"]["points"] == 0 and by["friend"]["status"] == "graded"
    for i in range(3):
        entry = by[f"correct-{i}"]
        assert (entry["status"], entry["points"], entry["reason"]) == ("graded", N, "")


def test_the_batch_is_intact(batch):
    assert batch["code"] == 1  # late-crash is "failed": its answers count, its run did not end
    names = set(batch["by"])
    assert set(ATTACKS) | {"friend", "correct-0", "correct-1", "correct-2"} <= names
    assert len(names) == len(ATTACKS) + 4 + 3
    for entry in batch["by"].values():
        assert entry["status"] in ("graded", "graded with errors", "failed"), entry


def test_no_process_outlives_the_grading(batch):
    assert batch["survivors"] == []
    assert _processes(TOKEN) == []


def test_nothing_is_written_outside_the_output_folder(batch):
    assert batch["after"] == batch["before"]  # the submissions are untouched, nothing added
    assert not list(Path("/tmp").glob(f"{TOKEN}*"))
    assert not list(sandbox.cache_dir().rglob(f"{TOKEN}*"))
    assert not list(MASTER.parent.glob(f"{TOKEN}*"))
    assert not list(batch["out"].rglob(f"{TOKEN}*"))


def test_an_escaped_daemon_could_not_rewrite_the_grades(batch):
    assert (batch["out"] / "grades.csv").read_bytes() == batch["grades"]


def test_forged_claims_leave_every_answer_incorrect(batch):
    for name in ("json-dumps", "import-module", "pre-run-cell", "audit-hook", "isclose"):
        statuses = {q["status"] for q in batch["by"][name]["questions"].values()}
        assert statuses == {"incorrect"}, (name, batch["by"][name]["questions"])


def test_limits_keep_the_answers_given(batch):
    by = batch["by"]
    assert "MemoryError" in by["memory"]["reason"]
    q3 = by["interrupt-in-check"]["questions"]["q3"]
    assert q3["status"] == "incorrect" and "KeyboardInterrupt" in q3["message"]
    assert by["late-crash"]["status"] == "failed"
    assert by["late-crash"]["reason"].startswith("the kernel died in cell")
    assert by["disk"]["questions"]["q5"]["status"] == "correct"
    assert by["environment"]["questions"]["q1"]["status"] == "correct"
    assert by["environment"]["questions"]["q2"]["status"] == "correct"


def test_a_huge_message_is_capped_and_escaped_in_every_report(batch):
    entry = batch["by"]["huge-message"]
    assert "ValueError" in entry["reason"] and len(entry["reason"]) < 2000
    with (batch["out"] / "grades.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))  # Python's csv reader refuses fields over 128 kB
    assert len(rows) == len(batch["by"])
    for row in rows:
        assert row["reason"][:1] not in ("=", "+", "-", "@")
        assert len(row["reason"]) <= 2000
    feedback = (batch["out"] / entry["feedback"]).read_text()
    assert "<script>" not in feedback and "[x](http" not in feedback  # shown, not rendered
    assert "\\<script\\>" in feedback and "\\[x\\](http" in feedback
    assert len(feedback) < 20_000


def test_feedback_names_are_unique(batch):
    files = {e["feedback"] for e in batch["by"].values()}
    assert len(files) == len(batch["by"])
    clash = {e["feedback"] for name, e in batch["by"].items() if "01-b" in name}
    assert clash == {"feedback/a__01-b.md", "feedback/z__01-b.md", "feedback/a__01-b-2.md"}


def test_the_attack_batch_stays_quick(batch):
    print(f"attack batch: {len(batch['by'])} submissions in {batch['seconds']:.0f} s")
    assert batch["seconds"] < 240
