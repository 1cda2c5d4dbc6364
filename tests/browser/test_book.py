"""The published book as a reader meets it: Chromium on the built HTML, served on 127.0.0.1."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def toc_pages() -> list[str]:
    """Every page of _toc.yml, as paths of the built HTML relative to _build/html."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [chapter["file"] for chapter in part["chapters"]]
    return [f"{page}.html" for page in pages]


PAGES = toc_pages()
LECTURES = [page for page in PAGES if page.startswith("notebooks/")]


def open_typeset(page, server, path):
    page.goto(f"{server}/{path}", wait_until="load")
    if page.locator("script[src*='mathjax']").count():  # pages without maths load no MathJax
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_without_console_errors(page, server, path):
    open_typeset(page, server, path)
    assert page.title()
    assert page.foreign_requests == [], "the book must work offline"
    assert page.console_errors == []


@pytest.mark.parametrize("path", PAGES)
def test_maths_is_typeset(page, server, path):
    open_typeset(page, server, path)
    # Code and sample output (pre, code) are shown literally and never typeset: a sample of
    # Markdown feedback may hold an escaped bracket such as counts\[i\].
    text = page.evaluate(
        """() => {
            const main = document.querySelector("main").cloneNode(true);
            main.querySelectorAll("pre, code").forEach((element) => element.remove());
            document.body.appendChild(main);
            const text = main.innerText;
            main.remove();
            return text;
        }"""
    )
    assert "\\(" not in text and "\\[" not in text and "$$" not in text
    if page.locator(".math").count():
        assert page.locator("mjx-container").count() >= page.locator(".math").count()


@pytest.mark.parametrize("path", LECTURES)
def test_every_kernel_free_explorer_moves(page, server, path):
    open_typeset(page, server, path)
    explorers = page.locator(".coursekit-static-explorer")
    assert explorers.count() >= 1
    for k in range(explorers.count()):
        explorer = explorers.nth(k)
        visible = explorer.locator("img.ck-frame:not([hidden])")
        for s in range(explorer.locator("input[type=range]").count()):
            slider = explorer.locator("input[type=range]").nth(s)
            assert visible.count() == 1
            before = visible.get_attribute("src")
            target = "0" if slider.input_value() != "0" else slider.get_attribute("max")
            slider.fill(target)
            assert visible.count() == 1
            assert visible.get_attribute("src") != before, f"explorer {k}, slider {s}"
            assert visible.get_attribute("alt")
        for b in range(explorer.locator("button[data-ck-play]").count()):
            play = explorer.locator("button[data-ck-play]").nth(b)
            before = visible.get_attribute("src")
            play.click()
            changed = page.wait_for_function(
                """([root, before]) => {
                    const img = root.querySelector("img.ck-frame:not([hidden])");
                    return img && img.getAttribute("src") !== before;
                }""",
                arg=[explorer.element_handle(), before],
                timeout=5_000,
            )
            play.click()  # stop
            assert changed, f"explorer {k}: play button {b}"


@pytest.mark.parametrize("path", LECTURES)
def test_exercise_solutions_are_collapsed_until_clicked(page, server, path):
    open_typeset(page, server, path)
    solutions = page.locator(".tag_solution details")
    assert solutions.count() >= 4
    for k in range(solutions.count()):
        details = solutions.nth(k)
        code = details.locator(".cell_input")
        assert details.get_attribute("open") is None
        assert not code.is_visible()
        details.locator("summary").click()
        assert details.get_attribute("open") is not None
        assert code.is_visible()
        assert "check(" in code.inner_text()


@pytest.mark.parametrize("path", PAGES)
def test_every_figure_has_meaningful_alt_text(page, server, path):
    open_typeset(page, server, path)
    images = page.locator("article.bd-article img")
    for k in range(images.count()):
        alt = (images.nth(k).get_attribute("alt") or "").strip()
        assert len(alt) >= 20, f"image {k} on {path} has alt text {alt!r}"
        assert not alt.startswith("<Figure") and not alt.startswith("_images"), alt


def test_search_finds_divergence(page, server):
    page.goto(f"{server}/search.html?q=divergence", wait_until="load")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15_000)
    assert results.count() >= 1
    assert "divergence" in page.locator("#search-results").inner_text().lower()


@pytest.mark.parametrize("path", LECTURES)
def test_figures_stay_opaque_in_dark_mode(page, server, path):
    """Figures are drawn on white, so they stay legible on the dark theme."""
    page.emulate_media(color_scheme="dark")
    open_typeset(page, server, path)
    page.evaluate("() => document.documentElement.dataset.theme")
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    images = page.locator("article.bd-article img")
    assert images.count() >= 1
    for k in range(images.count()):
        image = images.nth(k)
        opaque = page.evaluate(
            """(img) => new Promise((resolve) => {
                const probe = new Image();
                probe.onload = () => {
                    const canvas = document.createElement("canvas");
                    canvas.width = probe.naturalWidth; canvas.height = probe.naturalHeight;
                    const context = canvas.getContext("2d");
                    context.drawImage(probe, 0, 0);
                    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
                    for (let i = 3; i < data.length; i += 4) {
                        if (data[i] < 255) { resolve(false); return; }
                    }
                    resolve(true);
                };
                probe.src = img.src;
            })""",
            image.element_handle(),
        )
        assert opaque, f"image {k} on {path} has transparent pixels"


@pytest.mark.parametrize("path", LECTURES)
def test_launch_buttons_point_at_the_repository(page, server, path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repository = config["repository"]["url"].removeprefix("https://github.com/")
    notebook = Path(path).with_suffix(".ipynb").as_posix()
    page.goto(f"{server}/{path}", wait_until="load")
    links = [
        page.locator("a").nth(k).get_attribute("href") or ""
        for k in range(page.locator("a").count())
    ]
    for host in (
        "mybinder.org",
        "colab.research.google.com",
        config["launch_buttons"]["jupyterhub_url"].removeprefix("https://"),
    ):
        matching = [link for link in links if host in link]
        assert matching, f"no launch button for {host}"
        assert all(repository.split("/")[-1] in link and notebook in link for link in matching)


def test_introduction_offers_the_student_notebooks(page, server):
    import io
    import zipfile

    page.goto(f"{server}/book/intro.html", wait_until="load")
    link = page.locator("a[href$='surprise-to-vi-notebooks.zip']")
    assert link.count() == 1
    response = page.request.get(f"{server}/book/{link.get_attribute('href')}")
    assert response.ok
    names = zipfile.ZipFile(io.BytesIO(response.body())).namelist()
    lectures = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert sorted(Path(n).name for n in names if n.endswith(".ipynb")) == lectures


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    """Serious and critical violations that axe-core finds on the page as it is now."""
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `make js` (npm ci)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [*PAGES, "search.html", "genindex.html"])
def test_no_serious_accessibility_violations(browser, server, path, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        open_typeset(page, server, path)
        violations = axe_violations(page)
    finally:
        context.close()
    assert violations == [], f"{path} ({scheme}):\n" + "\n".join(violations)


PRINTED_WIDTH = 718  # CSS px: the text width of an A4 page with Chromium's default margins
PAST_THE_PAGE = """
(limit) => {
    const found = [];
    for (const el of document.querySelectorAll("main *")) {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (!box.width || !box.height || style.display === "none") continue;
        const clipped = ["auto", "scroll", "hidden"].includes(style.overflowX)
            && el.scrollWidth > el.clientWidth + 8;
        if (box.right > limit + 1 || clipped) {
            found.push(`${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className}: `
                + `right ${Math.round(box.right)} px, content ${el.scrollWidth} px `
                + `"${(el.textContent || "").trim().slice(0, 50)}"`);
        }
    }
    return found;
}
"""


def test_a_printed_lecture_stays_inside_the_page(browser, server):
    """Lecture 04 (wide equations, code, tables) printed as the browser prints it."""
    lecture = next(page for page in LECTURES if "04-" in page)
    context = browser.new_context(viewport={"width": PRINTED_WIDTH, "height": 1000})
    page = context.new_page()
    try:
        page.emulate_media(media="print")
        open_typeset(page, server, lecture)
        width = page.evaluate("() => document.documentElement.clientWidth")
        past = page.evaluate(PAST_THE_PAGE, width)
        pdf = page.pdf(format="A4")
    finally:
        context.close()
    assert past == [], f"{len(past)} elements wider than the printed page:\n" + "\n".join(past[:20])
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 3


# -- the explorers on a phone (issue 12, item 3) ----------------------------------------------

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
MIN_TEXT_PX = 11  # the smallest text of a frame, in CSS px, as shown
MIN_TARGET_PX = 24  # WCAG 2.5.8: the smallest touch target
SHOWN_FRAME = """
(root) => {
    const img = root.querySelector("img.ck-frame:not([hidden])");
    if (!img || !img.complete || !img.naturalWidth) return null;
    // The size of the smallest text in image px is stored with the frame's source: the
    // narrow <source> a phone picks, or the <img> itself.
    let carrier = img;
    if (img.currentSrc !== img.src) {
        carrier = Array.from(img.parentElement.querySelectorAll("source"))
            .find((source) => source.srcset === img.currentSrc);
    }
    const box = img.getBoundingClientRect();
    return {
        src: img.currentSrc,
        narrow: img.currentSrc !== img.src,
        textPx: Number(carrier.dataset.ckFontPx) * box.width / img.naturalWidth,
        left: box.left, right: box.right, width: box.width,
        under: getComputedStyle(img).backgroundImage,
    };
}
"""


def shown_frame(explorer):
    explorer.page.wait_for_function(
        """(root) => { const i = root.querySelector("img.ck-frame:not([hidden])");
                       return i && i.complete && i.naturalWidth > 0; }""",
        arg=explorer.element_handle(),
    )
    return explorer.evaluate(SHOWN_FRAME)


@pytest.mark.parametrize("path", LECTURES)
def test_explorers_read_and_work_on_a_phone(browser, server, path):
    """At 390 × 844 CSS px (device scale 3), each explorer shows its frame for narrow screens:
    text of 11 CSS px or more, inside the screen, over its static layer; every slider and
    play button is a 24 × 24 px touch target or larger; the sliders still change the frame."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        open_typeset(page, server, path)
        width = page.evaluate("() => document.documentElement.clientWidth")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        explorers = page.locator(".coursekit-static-explorer")
        assert explorers.count() >= 1
        for k in range(explorers.count()):
            explorer = explorers.nth(k)
            explorer.scroll_into_view_if_needed()
            frame = shown_frame(explorer)
            assert frame["narrow"], f"explorer {k}: a phone gets the frames for narrow screens"
            assert frame["under"].startswith('url("data:image/png'), f"explorer {k}"
            assert frame["textPx"] >= MIN_TEXT_PX, f"explorer {k}: text {frame['textPx']:.1f} px"
            assert 0 <= frame["left"] and frame["right"] <= width, f"explorer {k}: {frame}"
            controls = explorer.locator("input[type=range], button[data-ck-play]")
            for c in range(controls.count()):
                box = controls.nth(c).bounding_box()
                assert box["width"] >= MIN_TARGET_PX and box["height"] >= MIN_TARGET_PX, (
                    f"explorer {k}, control {c}: {box['width']:.0f} × {box['height']:.0f} px"
                )
                assert 0 <= box["x"] and box["x"] + box["width"] <= width
            for s in range(explorer.locator("input[type=range]").count()):
                slider = explorer.locator("input[type=range]").nth(s)
                before = shown_frame(explorer)
                slider.fill("0" if slider.input_value() != "0" else slider.get_attribute("max"))
                after = shown_frame(explorer)
                assert after["narrow"], f"explorer {k}, slider {s}"
                assert after["src"] != before["src"], f"explorer {k}, slider {s}"
                assert after["textPx"] >= MIN_TEXT_PX
    finally:
        context.close()
