"""The lectures as a class meets them: each notebook run in a real JupyterLab, in Chromium.

A JupyterLab server from the project's environment serves a temporary copy of notebooks/
(see lab_server.py). For each lecture the notebook is opened, its stored outputs cleared and
every cell run from the Run menu; then no cell may show an error, every explorer must be a
live widget (not the book's kernel-free fallback, not "Error displaying widget"), and every
control of every explorer must redraw its figure through the kernel.

In every lecture, and in the student copies of `make student`, every formula must be typeset
by JupyterLab's MathJax (no error, no literal \\command) and no MyST-only markup may show raw.

Uses the `browser` fixture, so it skips without Chromium, and fails without it under CI.
"""

import json
import re
import time
from pathlib import Path

import pytest
from lab_server import LabServer
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from rendering import describe, markdown_report

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
STUDENT_COPIES = ROOT / "_build" / "student" / "surprise-to-vi-notebooks"
LECTURES = sorted(path.name for path in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
EXPLORER_CALL = re.compile(r"^explorers\.\w+Explorer\(", re.M)

OPEN_TIMEOUT = 60_000  # ms: the page, the notebook and a started kernel
RUN_TIMEOUT = 120_000  # ms: every cell of one lecture (about 10 s today)
WIDGET_TIMEOUT = 30_000  # ms: widget views render after the kernel is idle
REDRAW_TIMEOUT = 20_000  # ms: one control change -> kernel -> new PNG

CODE_PROMPTS = ".jp-Notebook .jp-CodeCell .jp-InputPrompt"
KERNEL_STATUS = ".jp-NotebookPanel .jp-Notebook-ExecutionIndicator"
# JupyterLab 4 renders stderr streams and errors (tracebacks) with this MIME type.
ERROR_OUTPUTS = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
LIVE_EXPLORERS = ".jp-OutputArea-output .coursekit-explorer"
STATIC_EXPLORERS = ".jp-OutputArea-output .coursekit-static-explorer"
WIDGET_FAILURES = (
    "Error displaying widget",  # also "…: model not found"
    "Loading widget...",  # a view that never got its model
)

RUN_FINISHED = """
([prompts, status]) => {
    const texts = [...document.querySelectorAll(prompts)].map((p) => p.textContent.trim());
    const indicator = document.querySelector(status);
    return indicator !== null && indicator.dataset.status === "idle"
        && texts.some((t) => /^\\[\\d+\\]:$/.test(t)) && !texts.includes("[*]:");
}
"""
IMAGE_DIGEST = """
async (img) => {
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const hash = await crypto.subtle.digest("SHA-256", bytes);
    return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("");
}
"""

pytestmark = pytest.mark.skipif(not LECTURES, reason="no lecture notebooks")


def stored_cells(name: str) -> tuple[int, int]:
    """(number of cells, number of explorer cells) of the master notebook."""
    cells = json.loads((NOTEBOOKS / name).read_text())["cells"]
    explorers = sum(
        bool(EXPLORER_CALL.search("".join(cell["source"])))
        for cell in cells
        if cell["cell_type"] == "code"
    )
    return len(cells), explorers


@pytest.fixture(scope="session")
def lab_server(browser, tmp_path_factory):
    """JupyterLab on a temporary copy of notebooks/, shut down through its API at the end."""
    server = LabServer.start(NOTEBOOKS, tmp_path_factory.mktemp("jupyterlab"))
    yield server
    server.stop()


def open_menu_item(page, menu: str, command: str) -> None:
    page.locator("#jp-MainMenu .lm-MenuBar-item", has_text=re.compile(f"^{menu}$")).click()
    page.locator(f".lm-Menu-item[data-command='{command}']").click()


@pytest.fixture(scope="module", params=LECTURES)
def lab_notebook(request, browser, lab_server):
    """A lecture open in JupyterLab after Edit → Clear Outputs and Run → Run All Cells."""
    name = request.param
    cell_count, explorer_count = stored_cells(name)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.lecture = name
    page.explorer_count = explorer_count
    page.console_errors = []
    page.foreign_requests = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))

    def record(r):
        if not r.url.startswith((lab_server.url, "data:", "blob:", "about:")):
            page.foreign_requests.append(r.url)

    page.on("request", record)
    page.set_default_timeout(OPEN_TIMEOUT)  # actions; each expect() below has its own
    try:
        page.goto(lab_server.lab_url(name))
        cells = page.locator(".jp-Notebook .jp-Cell")
        expect(cells).to_have_count(cell_count, timeout=OPEN_TIMEOUT)
        kernel = page.locator(KERNEL_STATUS)
        expect(kernel).to_have_attribute("data-status", "idle", timeout=OPEN_TIMEOUT)

        # Start from empty outputs, so everything checked below comes from this run.
        open_menu_item(page, "Edit", "editmenu:clear-all")
        expect(page.locator(CODE_PROMPTS).filter(has_text=re.compile(r"\d"))).to_have_count(0)
        expect(page.locator(LIVE_EXPLORERS)).to_have_count(0)
        expect(page.locator(STATIC_EXPLORERS)).to_have_count(0)

        open_menu_item(page, "Run", "runmenu:run-all")
        try:
            page.wait_for_function(
                RUN_FINISHED, arg=[CODE_PROMPTS, KERNEL_STATUS], timeout=RUN_TIMEOUT, polling=250
            )
        except PlaywrightTimeoutError:
            pytest.fail(
                f"{name}: Run All Cells did not finish within {RUN_TIMEOUT // 1000} s; kernel "
                f"{kernel.get_attribute('data-status')}, prompts "
                f"{page.locator(CODE_PROMPTS).all_inner_texts()}.\n"
                f"JupyterLab's log:\n{lab_server.log_tail()}"
            )
        yield page
    finally:
        context.close()
        lab_server.shutdown_kernels()


def test_every_cell_runs_without_error(lab_notebook):
    page = lab_notebook
    errors = page.locator(ERROR_OUTPUTS)
    assert errors.count() == 0, f"{page.lecture}: error output:\n" + "\n---\n".join(
        errors.all_inner_texts()
    )
    prompts = [p.strip() for p in page.locator(CODE_PROMPTS).all_inner_texts()]
    not_run = [k for k, p in enumerate(prompts) if not re.fullmatch(r"\[\d+\]:", p)]
    assert not not_run, f"{page.lecture}: code cells {not_run} did not run: {prompts}"
    assert page.locator(KERNEL_STATUS).get_attribute("data-status") == "idle"
    assert page.foreign_requests == [], "JupyterLab must work offline"


def test_every_explorer_is_a_live_widget(lab_notebook):
    page = lab_notebook
    assert page.explorer_count >= 1, f"{page.lecture}: the stored notebook shows no explorer"
    expect(
        page.locator(LIVE_EXPLORERS),
        f"{page.lecture}: live explorers; browser console errors: {page.console_errors}",
    ).to_have_count(page.explorer_count, timeout=WIDGET_TIMEOUT)
    outputs = page.locator(".jp-OutputArea-output")
    for text in WIDGET_FAILURES:
        failed = outputs.filter(has_text=text)
        assert failed.count() == 0, f"{page.lecture}: {failed.all_inner_texts()}"
    assert page.locator(".jupyter-widgets-error-widget").count() == 0
    # JupyterLab must prefer the widget view: the kernel-free fallback is for the book only.
    assert page.locator(STATIC_EXPLORERS).count() == 0
    for k in range(page.explorer_count):
        explorer = page.locator(LIVE_EXPLORERS).nth(k)
        assert explorer.locator("img.widget-image").count() == 1, f"explorer {k}: one figure"
        controls = explorer.locator(".widget-slider, .widget-toggle-buttons")
        assert controls.count() >= 1, f"explorer {k}: no controls"


def test_every_control_redraws_the_figure(lab_notebook):
    page = lab_notebook
    explorers = page.locator(LIVE_EXPLORERS)
    expect(explorers).to_have_count(page.explorer_count, timeout=WIDGET_TIMEOUT)
    for k in range(explorers.count()):
        explorer = explorers.nth(k)
        image = explorer.locator("img.widget-image")
        controls = explorer.locator(".widget-slider, .widget-toggle-buttons")
        for c in range(controls.count()):
            control = controls.nth(c)
            label = f"{page.lecture}, explorer {k}, control {c}"
            src, digest = image.get_attribute("src"), image.evaluate(IMAGE_DIGEST)
            if "widget-slider" in (control.get_attribute("class") or ""):
                move_slider(control, label)
            else:
                pick_other_toggle(control, label)
            expect(image, label).not_to_have_attribute("src", src, timeout=REDRAW_TIMEOUT)
            assert image.evaluate(IMAGE_DIGEST) != digest, f"{label}: the figure did not change"
    assert page.locator(ERROR_OUTPUTS).count() == 0, page.locator(ERROR_OUTPUTS).all_inner_texts()


def explorer_calls(name: str) -> list[str]:
    """The source of each explorer cell of the master notebook (one call each), in order."""
    cells = json.loads((NOTEBOOKS / name).read_text())["cells"]
    sources = ["".join(cell["source"]).strip() for cell in cells if cell["cell_type"] == "code"]
    return [source for source in sources if EXPLORER_CALL.search(source)]


def test_a_burst_and_a_drag_end_on_the_picture_of_what_the_controls_show(lab_notebook):
    """Key presses without waiting, then a drag: the last picture is that of the sliders.

    The test renders the explorer itself at the values the controls show and compares the
    pixels, so a dropped or stale last frame fails, and so does a slider that reads NaN.
    """
    import io

    import numpy as np
    from PIL import Image

    from coursekit import explorers
    from coursekit.explorers import live_view

    page = lab_notebook
    calls = explorer_calls(page.lecture)
    live = page.locator(LIVE_EXPLORERS)
    expect(live).to_have_count(len(calls), timeout=WIDGET_TIMEOUT)
    for k, call in enumerate(calls):
        root = live.nth(k)
        label = f"{page.lecture}, explorer {k}"
        sliders = root.locator(".widget-slider")
        if sliders.count() == 0:
            continue
        handle = sliders.first.locator(".noUi-handle")
        at_max = float(handle.get_attribute("aria-valuenow")) >= float(
            handle.get_attribute("aria-valuemax")
        )
        for _ in range(8):  # as fast as Playwright types, without waiting for a frame
            handle.press("ArrowLeft" if at_max else "ArrowRight")
        track = sliders.first.locator(".noUi-base").bounding_box()
        assert track["width"] > 100, f"{label}: the slider's track is {track['width']} px wide"
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 11):
            page.mouse.move(x + (track["x"] + track["width"] / 3 - x) * step / 10, y)
        page.mouse.up()
        wait_until_settled(page, root.locator("img.widget-image"))

        settings = shown_values(root, label)
        explorer = eval(call, {"explorers": explorers})  # noqa: S307 - the notebook's call
        result = explorer.update(**as_values(explorer.params, settings))
        expected = live_view.frame_bytes(explorer)
        shown = root.locator("img.widget-image").evaluate(IMAGE_BYTES)

        def pixels(data: bytes):
            return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))

        assert np.array_equal(pixels(bytes(shown)), pixels(expected)), (
            f"{label}: the picture is not that of {settings}"
        )
        readout = root.locator(".widget-html-content").last.inner_text().strip()
        assert readout == explorer.describe(result), f"{label}: readout of {settings}"


IMAGE_BYTES = (
    "async (img) => Array.from(new Uint8Array(await (await fetch(img.src)).arrayBuffer()))"
)


def wait_until_settled(page, image, quiet: float = 1.0) -> None:
    """Until the kernel is idle and the picture has not changed for ``quiet`` seconds."""
    expect(page.locator(KERNEL_STATUS)).to_have_attribute("data-status", "idle")
    deadline = time.monotonic() + REDRAW_TIMEOUT / 1000
    src, since = image.get_attribute("src"), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = image.get_attribute("src")
        if now != src:
            src, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
    pytest.fail("the explorer's picture kept changing")


def as_values(params: dict, shown: dict) -> dict:
    """The explorer's control values from what the page shows ({label: text})."""
    names = {spec.get("label", name): name for name, spec in params.items()}
    values = {}
    for text_label, text in shown.items():
        name = names[text_label]
        spec = params[name]
        if "options" in spec:
            values[name] = next(o for o in spec["options"] if str(o) == text)
        else:
            number = float(text.replace("\u2212", "-"))
            values[name] = int(number) if isinstance(spec["step"], int) else number
    return values


def shown_values(root, label: str) -> dict:
    """{control label: text} as the controls show them (slider readouts, active buttons)."""
    values = {}
    controls = root.locator(".widget-slider, .widget-toggle-buttons")
    for c in range(controls.count()):
        control = controls.nth(c)
        name = control.locator(".widget-label").inner_text().strip()
        if "widget-slider" in (control.get_attribute("class") or ""):
            text = control.locator(".widget-readout").inner_text().strip()
            assert re.fullmatch(r"[-\u2212]?\d+(\.\d+)?", text), f"{label}: {name} reads {text!r}"
        else:
            text = control.locator("button.widget-toggle-button.mod-active").inner_text().strip()
        values[name] = text
    return values


def move_slider(slider, label: str) -> None:
    """Press End (or Home, at the maximum) on the noUiSlider handle, as a keyboard user would."""
    handle = slider.locator(".noUi-handle")
    value = handle.get_attribute("aria-valuenow")
    at_max = float(value) >= float(handle.get_attribute("aria-valuemax"))
    key = "Home" if at_max else "End"
    handle.press(key)
    expect(handle, f"{label}: {key} did not move the slider").not_to_have_attribute(
        "aria-valuenow", value, timeout=REDRAW_TIMEOUT
    )


def pick_other_toggle(toggles, label: str) -> None:
    """Click the first button of a ToggleButtons control that is not selected."""
    buttons = toggles.locator("button.widget-toggle-button")
    classes = buttons.evaluate_all("(bs) => bs.map((b) => b.className)")
    inactive = [k for k, c in enumerate(classes) if "mod-active" not in c.split()]
    assert inactive, f"{label}: a choice with a single option"
    other = buttons.nth(inactive[0])
    other.click()
    expect(other, f"{label}: the click did not select the button").to_have_class(
        re.compile(r"\bmod-active\b"), timeout=REDRAW_TIMEOUT
    )


def test_every_formula_typesets_and_no_markup_shows_raw(lab_notebook):
    report = markdown_report(lab_notebook, NOTEBOOKS / lab_notebook.lecture)
    assert report["errors"] == [] and report["literal"] == [] and report["myst"] == [], (
        f"{lab_notebook.lecture}: {describe(report)}"
    )
    assert report["formulas"] == report["expected"], describe(report)


@pytest.fixture(scope="module")
def student_lab(browser, tmp_path_factory):
    """JupyterLab on the student copies that `make student` wrote (what Colab users open)."""
    if not STUDENT_COPIES.is_dir():
        pytest.fail("The student copies are missing: run `make student` first.")
    server = LabServer.start(STUDENT_COPIES, tmp_path_factory.mktemp("student-lab"))
    yield server
    server.stop()


@pytest.mark.parametrize("name", LECTURES)
def test_student_copies_typeset_every_formula_and_show_no_raw_markup(browser, student_lab, name):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(student_lab.lab_url(name))
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=OPEN_TIMEOUT)
        report = markdown_report(page, STUDENT_COPIES / name)
    finally:
        context.close()
        student_lab.shutdown_kernels()
    assert report["errors"] == [] and report["literal"] == [] and report["myst"] == [], (
        f"{name} (student copy): {describe(report)}"
    )
    assert report["formulas"] == report["expected"], describe(report)
