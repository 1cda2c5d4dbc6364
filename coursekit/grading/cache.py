"""The grader's caches: compiled bytecode and matplotlib's font list, shared by all sandboxes.

A sandbox cannot write the cache (it is bound read-only), so the grader fills it before a batch
by running the runner once on a trusted cell of its own (:func:`prepare_cache`): every module a
lecture imports is compiled, and matplotlib writes its font list. Sandboxes then import
compiled modules instead of compiling a few thousand files each time. Without a sandbox the
batch uses a cache of its own (an unsandboxed notebook could write to it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from coursekit.grading import runner, sandbox
from coursekit.grading.session import Settings


def prepare_cache(settings: Settings) -> None:
    """Fill the bytecode and matplotlib caches by running the runner once on a trusted cell
    (no student code), so each sandbox imports compiled modules (read-only). Skipped when no
    module it compiled, and no file of coursekit, changed since the last time."""
    from coursekit import exercises

    pycache = settings.cache / "pycache"
    (settings.cache / "matplotlib").mkdir(parents=True, exist_ok=True)
    pycache.mkdir(parents=True, exist_ok=True)
    modules, stamps = settings.cache / "modules.json", settings.cache / "stamps.json"
    filled = any(pycache.iterdir()) and any((settings.cache / "matplotlib").iterdir())
    if filled and _stamps(modules) is not None and _stamps(modules) == _read_json(stamps):
        return
    with tempfile.TemporaryDirectory(prefix="coursekit-warm-up-") as folder:
        env = sandbox.environment(str(pycache))
        env.update(HOME=folder, MPLCONFIGDIR=str(settings.cache / "matplotlib"))
        env.update(IPYTHONDIR=folder, PYTHONDONTWRITEBYTECODE="")
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            header = {
                "channel": null,
                "lecture": exercises.lectures()[0],
                "cell_timeout": 60,
                "check_timeout": 10,
                "limits": {},
                "preload": list(runner.PRELOAD),
            }
            cell = (  # our own code: the list of the modules to watch
                "import json, sys\n"
                "files = sorted({getattr(m, '__file__', None) or '' for m in "
                "list(sys.modules.values())} - {''})\n"
                f"json.dump(files, open({str(modules)!r}, 'w'))"
            )
            payload = json.dumps(header) + "\n" + json.dumps([[0, cell]]) + "\n"
            argv = [sys.executable, "-I", "-X", f"pycache_prefix={pycache}"]
            done = subprocess.run(
                [*argv, "-m", "coursekit.grading.runner"],
                input=payload.encode(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(null,),
                env=env,
                cwd=folder,
                timeout=300,
                check=False,
            )
        finally:
            os.close(null)
    if done.returncode == 0 and _stamps(modules) is not None:
        stamps.write_text(json.dumps(_stamps(modules)))


def _read_json(path: Path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _stamps(modules: Path) -> dict[str, list[int]] | None:
    """Size and modification time of every module the warm-up imported and of every file of
    coursekit (a new module counts too); None before the first warm-up."""
    files = _read_json(modules)
    if not isinstance(files, list):
        return None
    package = Path(runner.__file__).resolve().parent.parent
    files = set(files) | {str(p) for p in package.rglob("*.py")}
    stamps: dict[str, list[int]] = {"python": [sys.hexversion]}
    for name in sorted(files):
        try:
            info = os.stat(name)
        except OSError:
            continue
        stamps[name] = [info.st_mtime_ns, info.st_size]
    return stamps
