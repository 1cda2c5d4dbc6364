"""Fixtures for the browser tests: the built book served on 127.0.0.1 and Debian's Chromium.

The book must be built first (`make book`). Without Chromium the tests skip with a message
saying how to install it, except under CI (CI=true), where a missing browser is a failure.
"""

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def book_dir() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.fail("The book is not built: run `make book` before the browser tests.")
    return HTML


@pytest.fixture(scope="session")
def server(book_dir):
    handler = functools.partial(_QuietHandler, directory=str(book_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = (
            "Chromium is not installed, so the browser tests cannot run. Install Debian's "
            "package: `apt-get update && apt-get install -y chromium`."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records console errors and every request's host."""
    context = browser.new_context()
    page = context.new_page()
    page.console_errors = []
    page.foreign_requests = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))

    def record(request):
        if not request.url.startswith((server, "data:", "blob:", "about:")):
            page.foreign_requests.append(request.url)

    page.on("request", record)
    yield page
    context.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
