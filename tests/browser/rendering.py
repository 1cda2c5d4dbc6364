"""What a student sees of a lecture's markdown in JupyterLab: typeset formulas, no raw markup.

``markdown_report(page)`` waits until MathJax has typeset the expected number of formulas in
the notebook's rendered markdown, then returns what went wrong: formulas MathJax could not
typeset (its error nodes), literal ``\\command`` text outside formulas and code, and raw MyST
syntax (``{cite}`…```, ``{ref}``, ``:::{note}``, ``(label)=``) that plain JupyterLab, Colab and
VS Code show as it is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for test_formulas

from test_formulas import notebook_formulas  # noqa: E402

TYPESET_TIMEOUT = 60_000  # ms

MARKDOWN = ".jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown"

COUNT_TYPESET = """
(selector) => [...document.querySelectorAll(selector)]
    .reduce((n, el) => n + el.querySelectorAll("mjx-container").length, 0)
"""

PROBLEMS = r"""
(selector) => {
    const report = {formulas: 0, errors: [], literal: [], myst: [], dollars: []};
    const role = /\{(cite|ref|numref|doc|eq|term|math|download|abbr)(:[a-z]+)?\}/;
    const block = /^\s*:::|^\s*```\{|^\s*\([\w-]+\)=\s*$/m;
    for (const el of document.querySelectorAll(selector)) {
        report.formulas += el.querySelectorAll("mjx-container").length;
        // A parse error is an merror node; an undefined macro (MathJax's noundefined
        // extension) is its own name in red text, visible in the assistive MathML.
        const failed = "mjx-merror, [data-mjx-error], merror, mtext[mathcolor='red']";
        for (const formula of el.querySelectorAll("mjx-container")) {
            const bad = [...formula.querySelectorAll(failed)].map(
                (e) => e.getAttribute("data-mjx-error") || e.textContent);
            for (const e of formula.querySelectorAll("mjx-assistive-mml mtext")) {
                if (/^\\[A-Za-z]+/.test(e.textContent)) bad.push(e.textContent);
            }
            if (bad.length) report.errors.push([...new Set(bad)].join(" "));
        }
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (node.parentElement.closest("mjx-container, code, pre")) continue;
            const text = node.textContent;
            const command = text.match(/\\[A-Za-z]+/);
            if (command) report.literal.push(text.trim().slice(0, 80));
            if (text.includes("$")) report.dollars.push(text.trim().slice(0, 80));
            if (role.test(text) || block.test(text)) report.myst.push(text.trim().slice(0, 80));
        }
    }
    return report;
}
"""


def expected_formulas(notebook: Path) -> int:
    """How many formulas the notebook's markdown cells hold (figure captions are book-only)."""
    return len(notebook_formulas(notebook, captions=False))


def markdown_report(page, notebook: Path) -> dict:
    """Wait for MathJax to typeset every formula, then report what did not render."""
    expected = expected_formulas(notebook)
    page.wait_for_function(
        f"(s) => ({COUNT_TYPESET})(s) >= {expected}",
        arg=MARKDOWN,
        timeout=TYPESET_TIMEOUT,
        polling=250,
    )
    report = page.evaluate(PROBLEMS, MARKDOWN)
    report["expected"] = expected
    return report


def describe(report: dict) -> str:
    return (
        f"{report['formulas']} formulas typeset of {report['expected']}; "
        f"MathJax errors: {report['errors']}; literal commands: {report['literal']}; "
        f"raw MyST: {report['myst']}"
    )
