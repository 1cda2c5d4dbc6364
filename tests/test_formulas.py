"""Every formula of every lecture typesets with no course configuration.

JupyterLab, Colab, VS Code and GitHub know nothing of the book's ``_config.yml``: a formula
that needs a macro defined there shows as raw red text. Each formula in the lectures' markdown
(and in their figure captions) is typeset here with KaTeX and no macros (npm ``katex``, run
with node); the browser test of JupyterLab does the same with MathJax after "run all".
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KATEX_CHECK = ROOT / "tests" / "js" / "katex_check.js"
MARKDOWN = MarkdownIt("commonmark").use(dollarmath_plugin, double_inline=True).use(amsmath_plugin)
DISPLAY = {"math_block", "math_block_label", "math_inline_double", "amsmath"}


def formulas(markdown: str) -> list[tuple[str, bool]]:
    """The formulas of a markdown text as ``(tex, display)``, as MyST and JupyterLab read it."""
    found = []

    def walk(tokens):
        for token in tokens:
            if token.type.startswith("math") or token.type == "amsmath":
                found.append((token.content.strip(), token.type in DISPLAY))
            if token.children:
                walk(token.children)

    walk(MARKDOWN.parse(markdown))
    return found


def notebook_formulas(path: Path, captions: bool = True) -> list[tuple[str, bool, str]]:
    """``(tex, display, where)`` for each formula of a notebook's markdown (and captions)."""
    notebook = nbformat.read(path, as_version=4)
    found = []
    for number, cell in enumerate(notebook.cells, start=1):
        texts = [cell.source] if cell.cell_type == "markdown" else []
        caption = cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")
        if caption and captions:
            texts.append(caption)
        for text in texts:
            found += [(tex, display, f"cell {number}") for tex, display in formulas(text)]
    return found


def katex_errors(items: list[tuple[str, bool]]) -> list[str | None]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "katex").is_dir():
        pytest.skip("needs node and npm's katex: run `make js` (npm ci)")
    payload = json.dumps([{"tex": tex, "display": display} for tex, display in items])
    done = subprocess.run(
        [node, str(KATEX_CHECK)],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    return json.loads(done.stdout)


def test_the_extractor_finds_inline_and_display_formulas_but_not_code():
    text = "a $x^2$ b $$\\int f$$\n\n$$\n\\begin{aligned} a &= b \\end{aligned}\n$$\n\n`$no$`"
    assert formulas(text) == [
        ("x^2", False),
        ("\\int f", True),
        ("\\begin{aligned} a &= b \\end{aligned}", True),
    ]


def test_katex_reports_a_macro_it_does_not_know():
    errors = katex_errors([("\\KL(P\\|Q)", False), ("D_{\\mathrm{KL}}(P\\|Q)", False)])
    assert errors[0] and "KL" in errors[0]
    assert errors[1] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_formula_typesets_without_macros(path):
    found = notebook_formulas(path)
    assert found, f"{path.name} has no formulas: the extractor is broken"
    errors = katex_errors([(tex, display) for tex, display, _ in found])
    broken = [
        f"{where}: ${tex}$ -> {error}"
        for (tex, _, where), error in zip(found, errors, strict=True)
        if error
    ]
    assert not broken, f"{len(broken)} of {len(found)} formulas fail:\n" + "\n".join(broken)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_formula_uses_a_course_macro_that_plain_latex_reads_otherwise(path):
    # \H is LaTeX's double-acute accent: without the book's macro, \H(P) typesets without an
    # error, as an accent on "(", which no error count would notice.
    wrong = [
        where for tex, _, where in notebook_formulas(path) if re.search(r"\\H(?![A-Za-z])", tex)
    ]
    assert not wrong, f"\\H (write \\mathbb{{H}}) in {', '.join(wrong)}"
