"""Every attack of the adversarial review, graded in one batch next to honest submissions.

The batch (two jobs, every notebook in its sandbox) holds each attack of tests/attacks.py, a
friend who answered everything wrong, three students who answered everything right, one whose
folder name is not UTF-8, and three submissions whose feedback file names would collide. Each
attack must get exactly the score of its honest answers, the others must be unaffected,
nothing may be written outside the output folder, no process may outlive the grading, and no
text of a notebook may reach the console or a report as a control sequence. The grader runs
with a key in its session keyring that no notebook may read.
"""

import contextlib
import csv
import ctypes
import io
import json
import os
import platform
import time
from pathlib import Path

import pytest
from attacks import TOKEN, attacks, survive
from submissions import (
    all_correct,
    exercise_set,
    sandbox_or_skip,
    submission,
    write,
    wrong_answers,
)

from coursekit import grading
from coursekit.cli import main
from coursekit.grading import cgroup, sandbox, syscalls

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


_KEYCTL = {"x86_64": (250, 248), "aarch64": (219, 217)}  # keyctl, add_key


def _instructor_key():
    """A key in this process's session keyring (a new one of its own) and its user keyring,
    readable by its user, like the Kerberos ticket of an instructor's session; returns what
    removes it (nothing is added where keyrings are refused)."""
    keyctl, add_key = _KEYCTL.get(platform.machine(), (None, None))
    if keyctl is None:
        return lambda: None
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall(keyctl, 1, None)  # KEYCTL_JOIN_SESSION_KEYRING: an anonymous one
    key = libc.syscall(add_key, b"user", f"{TOKEN}-key".encode(), b"s3cret", 6, -3)
    if key > 0:
        libc.syscall(keyctl, 5, key, 0x3F3F0000)  # KEYCTL_SETPERM: its possessor and user
        libc.syscall(keyctl, 8, key, -4)  # KEYCTL_LINK into the user keyring: kept alive
    return lambda: key > 0 and libc.syscall(keyctl, 21, key)  # KEYCTL_INVALIDATE


ODD = os.fsdecode(b"odd-\xff")  # a folder name that is not UTF-8 (a surrogate in Python)


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
        if isinstance(notebook, str):  # JSON that nbformat would not write
            (folder / name).mkdir(parents=True)
            (folder / name / NAME).write_text(notebook)
        else:
            write(notebook, folder / name / NAME)
        expected[name] = points
    write(submission(wrong_answers()), folder / "friend" / NAME)
    for i in range(3):
        write(submission(all_correct()), folder / f"correct-{i}" / NAME)
    write(submission(all_correct()), folder / ODD / NAME)
    for clash in ("clash/a/01-b.ipynb", "clash/z/01-b.ipynb", "clash/a__01-b.ipynb"):
        write(submission(), folder / clash)
    before = _snapshot(root, out)
    os.environ["COURSEKIT_ATTACK_SECRET"] = "s3cret"
    remove_key = _instructor_key()
    console = io.StringIO()
    start = time.monotonic()
    try:
        with contextlib.redirect_stdout(console):
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
        remove_key()
    seconds = time.monotonic() - start
    print(console.getvalue())
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
        "console": console.getvalue(),
    }


ATTACKS = list(attacks(submissions="", out="", master=str(MASTER), cache="").keys())  # names only


@pytest.mark.parametrize("name", ATTACKS)
def test_an_attack_gets_the_score_of_its_honest_answers(batch, name):
    entry = batch["by"][name]
    if name in ("processes", "cpu") and any("no process cap" in w for w in entry["warnings"]):
        pytest.skip("the grader runs as root without a cgroup: no process cap to test")
    if name == "cpu" and os.geteuid() != 0:
        pytest.skip("a CPU cap for the whole sandbox needs a cgroup (a grader running as root)")
    assert entry["points"] == batch["expected"][name], (entry["status"], entry["reason"])
    if not entry["reason"].startswith("not a readable notebook"):
        assert entry["max_points"] == N
    for question in entry["questions"].values():
        assert question["message"] != "forged" and "forged" not in str(question["mistake"])


def test_honest_neighbours_are_unaffected(batch):
    by = batch["by"]
    assert by["friend"]["points"] == 0 and by["friend"]["status"] == "graded"
    for name in ("correct-0", "correct-1", "correct-2", "odd-\ufffd"):
        entry = by[name]
        assert (entry["status"], entry["points"], entry["reason"]) == ("graded", N, ""), name


def test_the_batch_is_intact(batch):
    assert batch["code"] == 1  # late-crash is "failed": its answers count, its run did not end
    names = set(batch["by"])
    honest = {"friend", "correct-0", "correct-1", "correct-2", "odd-\ufffd"}
    assert set(ATTACKS) | honest <= names
    assert len(names) == len(ATTACKS) + len(honest) + 3
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
    names = ("json-dumps", "import-module", "pre-run-cell", "audit-hook", "isclose", "undecodable")
    for name in names:
        statuses = {q["status"] for q in batch["by"][name]["questions"].values()}
        assert statuses == {"incorrect"}, (name, batch["by"][name]["questions"])
    # Data that decodes to no value reads as damaged, not as the grader's own failure.
    entry = batch["by"]["undecodable"]
    assert entry["status"] == "graded"
    assert {q["mistake"] for q in entry["questions"].values()} == {"unreadable answer"}


def test_damaged_messages_are_ignored_not_fatal(batch):
    entry = batch["by"]["unreadable-lines"]
    assert entry["status"] == "graded with errors" and entry["points"] == N
    assert "3 unreadable or unexpected messages" in entry["reason"]


def test_a_notebook_that_is_costly_or_invalid_to_parse_is_refused(batch):
    by = batch["by"]
    assert by["parse-bomb"]["reason"] == "not a readable notebook: more than 1,000,000 JSON values"
    assert by["no-cell-type"]["reason"] == "not a readable notebook: TypeError"


def test_no_control_sequence_reaches_the_console_or_a_report(batch):
    out = batch["out"]
    texts = {"console": batch["console"], "csv": (out / "grades.csv").read_text()}
    texts["json"] = (out / "grades.json").read_text()
    for name in ("escapes", "surrogate"):
        texts[name] = (out / batch["by"][name]["feedback"]).read_text()
    assert "escapes" in texts["console"] and "PWNED" in texts["console"]  # listed, defused
    for where, text in texts.items():
        for character in ("\x1b", "\x07", "\x9b", "\u202e", "\udc80"):
            assert character not in text, (where, character)
    assert all(c >= " " for c in batch["by"]["escapes"]["reason"])
    # The forged "did not start" is ignored: the kernel started, then died.
    assert batch["by"]["escapes"]["reason"].startswith("the kernel died in cell")
    assert "\ufffd cannot be written" in batch["by"]["surrogate"]["reason"]


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


def test_without_a_cgroup_no_process_outlives_the_grading(tmp_path, monkeypatch):
    """As for an instructor who is not root: no cgroup kills what is left of a sandbox, and a
    runner that bwrap started is the sandbox's first process, free to outlive bwrap."""
    sandbox_or_skip()
    monkeypatch.setattr(cgroup.ControlGroup, "create", classmethod(lambda *a: None))
    paths = [write(submission(wrong_answers(), at_end=[survive()]), tmp_path / "a" / NAME)]
    paths.append(write(submission(all_correct()), tmp_path / "b" / NAME))
    results = grading.grade_batch(
        paths, jobs=2, progress=False, timeout=60, cell_timeout=10, preload=False
    )
    survivors = _processes(TOKEN) + _children("bwrap")
    assert [r.points for r in results] == [0, N]
    assert survivors == []


def test_a_sandbox_cgroup_caps_its_cpu_time():
    """However many processes a notebook starts (the cpu attack), together they get at most
    one CPU: its neighbours keep theirs."""
    if "cpu" not in cgroup._controller_bases():
        pytest.skip("no cgroup with a cpu controller here (the grader is not root)")
    group = cgroup.ControlGroup.create(f"coursekit-test-{os.getpid()}", sandbox.Limits())
    try:
        quotas = []
        for folder in group.dirs:
            if (folder / "cpu.cfs_quota_us").exists():
                quotas.append(int((folder / "cpu.cfs_quota_us").read_text()))
                quotas.append(int((folder / "cpu.cfs_period_us").read_text()))
            if (folder / "cpu.max").exists():
                quotas += [int(n) for n in (folder / "cpu.max").read_text().split()]
        assert quotas == [100_000, 100_000]
    finally:
        group.close()


def test_the_attack_batch_stays_quick(batch):
    print(f"attack batch: {len(batch['by'])} submissions in {batch['seconds']:.0f} s")
    assert batch["seconds"] < 240


# -- the defences the batch relies on, one by one ----------------------------------------------
def test_text_from_a_notebook_is_made_safe_everywhere():
    from coursekit.grading import reports
    from coursekit.grading.results import safe_text

    assert safe_text("a\x1b[2Jb\x9b31m\u202ec\udc80\r\nd") == "a [2Jb 31m c\ufffd d"
    assert safe_text("line\nline\tx", one_line=False) == "line\nline\tx"
    shown = reports.md("see https://evil.example/x, www.evil.example or me@evil.example")
    assert "https\\://" in shown and "www\\." in shown and "me\\@evil" in shown  # no autolink
    assert reports.md("0.483941 is right: x @ y") == "0.483941 is right: x @ y"
    for cell in ("  =1+1", "\t+1", "\n@SUM(A1)", "\x1b=1"):  # formulas after what is skipped
        assert reports.csv_cell(cell).startswith("'"), cell


@pytest.mark.parametrize(
    "data",
    [
        {"t": "num", "dtype": "int64", "v": "inf"},
        {"t": "num", "dtype": "int8", "v": 1000},
        {"t": "array", "dtype": "complex128", "shape": [1], "v": [[]]},
        {"t": "array", "dtype": "uint8", "shape": [1], "v": [-1]},
        {"t": "object", "type": "a\x00b", "callable": False},
        {
            "t": "list",
            "v": [{"t": "object", "type": f"C{i}", "callable": False} for i in range(200)],
        },
    ],
)
def test_data_that_decodes_to_no_value_is_refused(data):
    from coursekit.grading import decode

    with pytest.raises(decode.PlainDataError):
        decode.decode(data)
    with pytest.raises(decode.PlainDataError):
        decode.decode_outcomes({"t": "function", "cases": [{"value": data}]})


def test_the_lecture_of_the_metadata_alone_gets_a_warning():
    notebook = submission()  # its metadata says lecture 01
    lecture, warnings = grading.choose_lecture(Path("alice.ipynb"), notebook, None)
    assert lecture == "01" and "names no lecture" in warnings[0]
    notebook.metadata["coursekit"]["lecture"] = "\u0660\u0661"  # Arabic-Indic digits
    assert grading.choose_lecture(Path("01-x.ipynb"), notebook, None) == ("01", [])


def test_the_seccomp_filter_refuses_what_no_notebook_needs():
    if syscalls.seccomp_program() is None:
        pytest.skip(f"no seccomp filter for {platform.machine()}")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 1
        try:
            assert syscalls.install_seccomp()
            keyctl = _KEYCTL[platform.machine()][0]
            libc = ctypes.CDLL(None, use_errno=True)
            assert libc.syscall(keyctl, 0, -3, 0) == -1 and ctypes.get_errno() == 1
            with pytest.raises(PermissionError):
                os.memfd_create("x")
            assert os.getpid() > 0 and os.pipe()  # everything else still works
            status = 0
        finally:
            os._exit(status)
    assert os.waitpid(pid, 0)[1] == 0
