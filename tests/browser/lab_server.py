"""A throw-away JupyterLab server for the browser tests, isolated from the user and the network.

``LabServer.start(notebooks, workdir)`` copies the notebooks folder into ``workdir`` and serves
that copy (running cells never touches the master notebooks) from the project's environment
on 127.0.0.1, at a free port, with a random token. Jupyter's config, data, runtime, settings
and workspace directories and IPython's profile all live in ``workdir``, so nothing of the
user's (extensions, kernels, startup files, saved layouts) leaks in. News, update checks and
the PyPI extension manager are off, so the server never reaches the network.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

START_TIMEOUT = 90  # seconds until /api/status answers
STOP_TIMEOUT = 20  # seconds for a clean shutdown before the process is terminated

#: Lab settings that differ from the defaults, written to the temporary user-settings folder.
#: Lab 4 attaches cells outside the viewport lazily ("windowing"); the tests count outputs in
#: the DOM, so every cell is attached.
LAB_SETTINGS = {"@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"}}


def jupyter_command() -> list[str]:
    """`jupyter` of the environment running the tests (the project's .venv)."""
    script = Path(sys.executable).with_name("jupyter")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "jupyter"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    def __init__(self, process: subprocess.Popen, url: str, token: str, root: Path, log: Path):
        self.process = process
        self.url = url
        self.token = token
        self.root = root
        self.log = log

    # -- starting and stopping ------------------------------------------------------------
    @classmethod
    def start(cls, notebooks: Path, workdir: Path, attempts: int = 3) -> LabServer:
        root = workdir / "notebooks"
        shutil.copytree(notebooks, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        dirs = {
            name: workdir / name
            for name in ("config", "data", "runtime", "ipython", "settings", "workspaces")
        }
        for path in dirs.values():
            path.mkdir(exist_ok=True)
        for name, values in LAB_SETTINGS.items():
            target = dirs["settings"] / f"{name}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))

        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTER_DATA_DIR=str(dirs["data"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            JUPYTER_PREFER_ENV_PATH="1",
            IPYTHONDIR=str(dirs["ipython"]),
            PYDEVD_DISABLE_FILE_VALIDATION="1",
        )
        token = secrets.token_hex(24)
        for attempt in range(1, attempts + 1):
            port = free_port()
            log = workdir / f"jupyterlab-{attempt}.log"
            command = [
                *jupyter_command(),
                "lab",
                "--no-browser",
                "--allow-root",  # containers run as root; harmless otherwise
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--ServerApp.root_dir={root}",
                f"--IdentityProvider.token={token}",
                "--ServerApp.terminals_enabled=False",
                f"--LabApp.user_settings_dir={dirs['settings']}",
                f"--LabApp.workspaces_dir={dirs['workspaces']}",
                # No network: no news feed, no update check, no PyPI extension manager.
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class="
                "jupyterlab.handlers.announcements.NeverCheckForUpdate",
                "--LabApp.extension_manager=readonly",
            ]
            with log.open("wb") as out:
                process = subprocess.Popen(
                    command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT
                )
            server = cls(process, f"http://127.0.0.1:{port}", token, root, log)
            if server._wait_until_up():
                return server
            server.stop()
            if attempt == attempts:
                raise RuntimeError(f"JupyterLab did not start; its log:\n{server.log_tail()}")
        raise AssertionError("unreachable")

    def _wait_until_up(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # exited, e.g. the port was taken meanwhile
            try:
                self.api("GET", "status", timeout=2)
                return True
            except (OSError, urllib.error.URLError):
                time.sleep(0.25)
        return False

    def stop(self) -> None:
        """POST /api/shutdown and wait; terminate, then kill, only if that does not work."""
        if self.process.poll() is None:
            try:
                self.api("POST", "shutdown", timeout=5)
            except (OSError, urllib.error.URLError):
                pass
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()

    # -- helpers --------------------------------------------------------------------------
    def api(self, method: str, path: str, timeout: float = 10):
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session (and its kernel), e.g. after a notebook's tests."""
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")

    def lab_url(self, notebook: str) -> str:
        """The notebook in JupyterLab, with a reset (empty) workspace, logged in by token."""
        return f"{self.url}/lab/tree/{notebook}?reset&token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.is_file() else ""
        return "\n".join(text.splitlines()[-lines:])
