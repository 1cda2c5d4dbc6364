"""A throw-away JupyterHub for a class, and students and an instructor who use it over HTTP.

``Hub.start(workdir, students=[...], instructor="instructor")`` runs JupyterHub from the
project's environment on 127.0.0.1 (free ports; its proxy is configurable-http-proxy from
``node_modules``) with the DummyAuthenticator (any password; only the listed users) and
``SimpleLocalProcessSpawner``: every user's server is a ``jupyterhub-singleuser`` process of
this environment with its own home folder ``workdir/homes/<name>`` (it also runs as root in a
container). The students form the group ``students``; the instructor is an admin and has the
role ``instructor`` of the guide's sample configuration, ``book/hub/config.yaml``.

``Person`` is what a web browser does for one user: log in through the hub's form, follow a
link (including the hub's "launch server" button and the spawn-pending page), follow an
nbgitpuller link the way its page's script does (``git-pull/api``, an event stream), and call
the Jupyter server's REST API with the cookies and XSRF token a browser would send.
``run_notebook`` runs a notebook top to bottom through the kernel websocket, as JupyterLab's
"Run all" does, and saves it through the contents API.

Used by tests/hub/test_class_on_a_hub.py and benchmarks/bench_hub.py.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import httpx
import nbformat
import websocket
import yaml
from nbformat.v4 import output_from_msg

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the project's .venv/bin
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_CONFIG = ROOT / "book" / "hub" / "config.yaml"  # the guide's sample Zero to JupyterHub config
START_TIMEOUT = 60  # seconds for the hub to answer
SPAWN_TIMEOUT = 120  # seconds for a user's server to start
CELL_TIMEOUT = 300  # seconds for one cell (several kernels share two cores)

#: The course's nbgitpuller link, relative to the hub: clone (or update) REPO's BRANCH into
#: the user's home and open URLPATH. The same link is in book/hub/config.yaml.
LINK = "/hub/user-redirect/git-pull?{query}"


def pull_link(repo: str, branch: str, urlpath: str) -> str:
    """An nbgitpuller link (path and query, relative to the hub's address)."""
    query = urllib.parse.urlencode({"repo": repo, "branch": branch, "urlpath": urlpath})
    return LINK.format(query=query)


def missing_tools() -> list[str]:
    """What this machine lacks to run a hub, each with how to get it."""
    missing = []
    if shutil.which("node") is None:
        missing.append("Node.js (`apt-get install nodejs npm`)")
    if not PROXY.is_file():
        missing.append("configurable-http-proxy (`make js` installs it into node_modules)")
    for tool in ("git", "curl"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} (`apt-get install {tool}`)")
    if not (BIN / "jupyterhub").is_file():
        missing.append("jupyterhub in the project's environment (`make sync`)")
    return missing


def instructor_scopes() -> list[str]:
    """The permissions of the role ``instructor`` in the sample Zero to JupyterHub config."""
    config = yaml.safe_load(HUB_CONFIG.read_text(encoding="utf-8"))
    return config["hub"]["loadRoles"]["instructor"]["scopes"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def git(*args: str, cwd: Path) -> str:
    """Run git with a fixed identity and no user or system configuration."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Instructor",
        "GIT_AUTHOR_EMAIL": "instructor@example.org",
        "GIT_COMMITTER_NAME": "Instructor",
        "GIT_COMMITTER_EMAIL": "instructor@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def course_repository(repo: Path, message: str) -> Path:
    """A git repository (branch main) of the student copies of the lectures, at ``repo``: what
    an instructor publishes for nbgitpuller."""
    subprocess.run(
        [str(BIN / "coursekit"), "student", str(ROOT / "notebooks"), "--out", str(repo)],
        check=True,
        capture_output=True,
    )
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", message, cwd=repo)
    return repo


# -- the hub ----------------------------------------------------------------------------------

CONFIG = """\
# Written by tests/hub/classhub.py: a class on one machine, for the tests only.
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.JupyterHub.db_url = "sqlite:///{workdir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{workdir}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{workdir}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.ConfigurableHTTPProxy.command = ["{proxy}"]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = "{workdir}/proxy.pid"
c.ConfigurableHTTPProxy.auth_token = "{proxy_token}"

c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {users!r}
c.Authenticator.admin_users = {{{instructor!r}}}
c.JupyterHub.load_groups = {{"students": {{"users": {students!r}}}}}
c.JupyterHub.load_roles = [
    {{"name": "instructor", "scopes": {instructor_scopes!r}, "users": [{instructor!r}]}}
]

c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = "{workdir}/homes/{{username}}"
c.Spawner.cmd = ["{singleuser}"]
c.Spawner.args = [
    "--allow-root",  # containers run as root; harmless otherwise
    "--ServerApp.terminals_enabled=False",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
]
c.Spawner.environment = {{
    "OPENBLAS_NUM_THREADS": "1",  # as in the Makefile: tiny matrices, one BLAS thread
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "JUPYTER_PREFER_ENV_PATH": "1",
}}
c.Spawner.start_timeout = {spawn_timeout}
c.Spawner.http_timeout = {spawn_timeout}
c.JupyterHub.concurrent_spawn_limit = 0
"""


class Hub:
    def __init__(self, process, url, workdir, log, students, instructor):
        self.process = process
        self.url = url
        self.workdir = workdir
        self.log = log
        self.students = students
        self.instructor = instructor

    @classmethod
    def start(
        cls, workdir: Path, students: list[str], instructor: str = "instructor", attempts=3
    ) -> Hub:
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "homes").mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        for attempt in range(1, attempts + 1):
            port = free_port()
            config = workdir / "jupyterhub_config.py"
            config.write_text(
                CONFIG.format(
                    port=port,
                    hub_port=free_port(),
                    proxy_api_port=free_port(),
                    proxy_token=secrets.token_hex(32),
                    workdir=workdir,
                    proxy=PROXY,
                    singleuser=BIN / "jupyterhub-singleuser",
                    users=sorted([*students, instructor]),
                    students=list(students),
                    instructor=instructor,
                    instructor_scopes=instructor_scopes(),
                    spawn_timeout=SPAWN_TIMEOUT,
                )
            )
            log = workdir / f"jupyterhub-{attempt}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [str(BIN / "jupyterhub"), "-f", str(config)],
                    cwd=workdir,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            hub = cls(process, f"http://127.0.0.1:{port}", workdir, log, students, instructor)
            if hub._wait_until_up():
                return hub
            hub.stop()
            if attempt == attempts:
                raise RuntimeError(f"JupyterHub did not start; its log:\n{hub.log_tail()}")
        raise AssertionError("unreachable")

    def _wait_until_up(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if httpx.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        return False

    def stop(self) -> None:
        """SIGTERM: the hub stops the users' servers and its proxy, then exits."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def home(self, name: str) -> Path:
        return self.workdir / "homes" / name

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.is_file() else ""
        return "\n".join(text.splitlines()[-lines:])

    def person(self, name: str) -> Person:
        return Person(self.url, name)


# -- a person with a web browser --------------------------------------------------------------


class Person:
    """One user's browser: cookies, the hub's login form, links, the server's REST API."""

    def __init__(self, hub_url: str, name: str):
        self.hub_url = hub_url
        self.name = name
        self.client = httpx.Client(base_url=hub_url, follow_redirects=True, timeout=60)
        self.server_xsrf: str | None = None

    @property
    def server(self) -> str:
        return f"/user/{self.name}"

    def close(self) -> None:
        self.client.close()

    # -- the hub ---------------------------------------------------------------------------
    def visit(self, path: str) -> httpx.Response:
        """Open a page like a browser: log in when asked, press "Launch server" when the
        server is not running, and wait on the spawn-pending page until it sends us on."""
        response = self.client.get(path)
        if urllib.parse.urlsplit(str(response.url)).path == "/hub/login":
            response = self._log_in(response)
        if response.status_code == 424:  # the hub's "server not running" page
            spawn = re.search(r'href="(/hub/spawn/[^"]+)"', response.text)
            assert spawn, f"no launch button on the not-running page:\n{response.text[:2000]}"
            response = self.client.get(html.unescape(spawn.group(1)))
        deadline = time.monotonic() + SPAWN_TIMEOUT
        while "/hub/spawn-pending/" in str(response.url):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}'s server did not start")
            time.sleep(0.5)
            response = self.client.get(response.url)
        response.raise_for_status()
        return response

    def _log_in(self, page: httpx.Response) -> httpx.Response:
        xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page.text)
        assert xsrf, "no _xsrf field in the login form"
        form = {"username": self.name, "password": "any password", "_xsrf": xsrf.group(1)}
        return self.client.post(page.url, data=form)

    def hub_api(self, method: str, path: str, **kwargs) -> httpx.Response:
        """The hub's REST API with the login cookie (and the XSRF header it then needs)."""
        xsrf = self.client.cookies.get("_xsrf", path="/hub/")
        headers = {"X-XSRFToken": xsrf} if xsrf else {}
        response = self.client.request(method, f"/hub/api/{path}", headers=headers, **kwargs)
        response.raise_for_status()
        return response

    def new_token(self, note: str) -> str:
        """What the hub's token page does: a new API token with the user's permissions."""
        body = {"note": note, "expires_in": 3600}
        return self.hub_api("POST", f"users/{self.name}/tokens", json=body).json()["token"]

    # -- nbgitpuller -------------------------------------------------------------------------
    def follow_pull_link(self, link: str) -> list[str]:
        """Follow an nbgitpuller link to the end: the status page, its event stream
        (``git-pull/api``, as the page's script calls it) until "finished", then the page it
        redirects to. Returns git's output."""
        page = self.visit(link)
        data = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', page.text))
        assert "repo" in data and "xsrf" in data, f"not nbgitpuller's page:\n{page.text[:2000]}"
        data = {key: urllib.parse.unquote(html.unescape(value)) for key, value in data.items()}
        self.server_xsrf = data["xsrf"]
        params = {"_xsrf": data["xsrf"], "repo": data["repo"], "targetpath": data["targetpath"]}
        for optional in ("depth", "branch", "backup"):
            if optional in data:
                params[optional] = data[optional]
        output, finished = [], False
        api = f"{data['base-url']}git-pull/api"
        with self.client.stream("GET", api, params=params, timeout=SPAWN_TIMEOUT) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                event = json.loads(line[len("data:") :])
                if "output" in event:
                    output.append(event["output"])
                if event.get("phase") == "error":
                    raise RuntimeError(f"nbgitpuller failed: {event.get('message')}\n{output}")
                if event.get("phase") == "finished":
                    finished = True
                    break
        assert finished, f"nbgitpuller's event stream ended early:\n{output}"
        self.visit(data["base-url"] + data["path"])  # where the page's script goes next
        return output

    # -- the Jupyter server ------------------------------------------------------------------
    def _xsrf_header(self) -> dict[str, str]:
        token = self.server_xsrf or self.client.cookies.get("_xsrf", path=f"{self.server}/")
        return {"X-XSRFToken": token} if token else {}

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        """The user's Jupyter server REST API, e.g. api("GET", "contents/x.ipynb")."""
        response = self.client.request(
            method, f"{self.server}/api/{path}", headers=self._xsrf_header(), **kwargs
        )
        response.raise_for_status()
        return response

    def open_notebook(self, path: str):
        model = self.api("GET", f"contents/{urllib.parse.quote(path)}", params={"content": 1})
        return nbformat.from_dict(model.json()["content"])

    def save_notebook(self, path: str, notebook) -> None:
        body = {"type": "notebook", "format": "json", "content": notebook}
        self.api("PUT", f"contents/{urllib.parse.quote(path)}", json=body)

    def kernel_connection(self, kernel_id: str, session_id: str) -> websocket.WebSocket:
        ws_url = self.hub_url.replace("http", "ws", 1)
        url = f"{ws_url}{self.server}/api/kernels/{kernel_id}/channels?session_id={session_id}"
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies.jar)
        return websocket.create_connection(
            url, cookie=cookies, header=self._xsrf_header(), timeout=CELL_TIMEOUT
        )


# -- running a notebook like "Run all" -------------------------------------------------------


def _message(msg_type: str, content: dict, session: str, username: str) -> dict:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": session,
            "username": username,
            "date": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


def execute_cell(ws: websocket.WebSocket, code: str, session: str, username: str):
    """Run one cell; return (execution count, nbformat outputs, error name or None)."""
    request = _message(
        "execute_request",
        {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        session,
        username,
    )
    msg_id = request["header"]["msg_id"]
    ws.send(json.dumps(request))
    outputs, count, error, replied, idle = [], None, None, False, False
    while not (replied and idle):
        frame = ws.recv()
        if isinstance(frame, bytes):
            continue  # a message with binary buffers: widget state, not an output
        msg = json.loads(frame)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if msg["channel"] == "shell" and kind == "execute_reply":
            replied = True
            count = msg["content"].get("execution_count")
            if msg["content"]["status"] == "error":
                error = msg["content"].get("ename", "error")
        elif kind == "status":
            idle = msg["content"]["execution_state"] == "idle"
        elif kind == "clear_output":
            outputs.clear()
        elif kind == "stream" and outputs and outputs[-1].get("name") == msg["content"]["name"]:
            outputs[-1]["text"] += msg["content"]["text"]
        elif kind in ("stream", "display_data", "execute_result", "error"):
            outputs.append(output_from_msg(msg))
    return count, outputs, error


def run_notebook(
    person: Person, path: str, edit: Callable | None = None, save: bool = True
) -> dict:
    """Open ``path`` on the person's server, apply ``edit(notebook)`` (the student's typing),
    start a kernel, run every code cell in order (stopping at an error, as "Run all" does),
    save, and shut the kernel down. Returns timings, the kernel's id and any error."""
    notebook = person.open_notebook(path)
    if edit is not None:
        edit(notebook)
    started = time.perf_counter()
    body = {
        "path": path,
        "type": "notebook",
        "name": Path(path).name,
        "kernel": {"name": "python3"},
    }
    session = person.api("POST", "sessions", json=body).json()
    kernel_id = session["kernel"]["id"]
    ws = person.kernel_connection(kernel_id, session["id"])
    kernel_session = uuid.uuid4().hex
    error = None
    first_cell = None
    try:
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            cell_start = time.perf_counter()
            count, outputs, error = execute_cell(ws, cell.source, kernel_session, person.name)
            if first_cell is None:
                first_cell = time.perf_counter() - cell_start
            cell.execution_count = count
            cell.outputs = outputs
            if error:
                error = f"cell {index}: {error}"
                break
        ran = time.perf_counter() - started
        result = {"kernel_id": kernel_id, "session_id": session["id"]}
        result.update(run_all=ran, first_cell=first_cell, error=error, notebook=notebook)
        if save:
            person.save_notebook(path, notebook)
        return result
    finally:
        ws.close()


def end_session(person: Person, session_id: str) -> None:
    person.api("DELETE", f"sessions/{session_id}")


def code_cells(notebook) -> Iterable:
    return (cell for cell in notebook.cells if cell.cell_type == "code")
