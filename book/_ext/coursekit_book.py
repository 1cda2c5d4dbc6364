"""Small Sphinx fixes for the course book (loaded through `_config.yml`, local_extensions).

- sphinx-thebe and sphinx-togglebutton register their inline scripts twice under Sphinx 7,
  which makes every page throw "Identifier 'THEBE_JS_URL' has already been declared" in the
  console; here each page gets every script once.
- Accessibility (axe-core, WCAG 2.5.3 and ARIA): myst-nb names every folded cell "Toggle
  hidden content" while it shows "Show code cell source" or "Show the solution", and docutils
  puts doc-biblioentry items in a list; both are repaired in each page's body. Two theme
  buttons are overridden in book/_templates, and the sidebar's section toggles get a name.
- The notebooks' explorers include their kernel-free view only when asked to, as here.
- The API reference links each "Introduced in lecture NN" of a docstring to that lecture, and
  resolves names that docstrings give where they are re-exported (``coursekit.fitting.x``).
- A print stylesheet (book/_static/print.css, with print-fit.js for wide equations) keeps
  equations, code and tables inside the page on paper.
"""

import importlib
import os
import re
from pathlib import Path


def _script_key(script):
    attributes = getattr(script, "attributes", {}) or {}
    return str(getattr(script, "filename", script) or ""), tuple(sorted(attributes.items()))


def unique_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


#: Markup of myst-nb and docutils that fails an accessibility audit, and its repair.
ACCESSIBLE_MARKUP = {
    # A folded cell's name must contain what it shows ("Show code cell source").
    '<summary aria-label="Toggle hidden content">': "<summary>",
    # The bibliography is a list, so each entry is a list item (not doc-biblioentry, which
    # a list may not contain).
    'role="doc-biblioentry"': 'role="listitem"',
}


#: The theme's toggle of a sidebar entry with sections is an icon alone: give it a name.
SIDEBAR_TOGGLE = '<summary><span class="toctree-toggle" role="presentation">'
NAMED_TOGGLE = (
    '<summary aria-label="Show or hide the sections">'
    '<span class="toctree-toggle" role="presentation">'
)


def accessible_markup(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body:
        for markup, repair in ACCESSIBLE_MARKUP.items():
            body = body.replace(markup, repair)
        context["body"] = body
    sidebar = context.get("generate_toctree_html")
    if callable(sidebar):

        def named_toggles(*args, **kwargs):
            return str(sidebar(*args, **kwargs)).replace(SIDEBAR_TOGGLE, NAMED_TOGGLE)

        context["generate_toctree_html"] = named_toggles


ABSOLUTE_VALUE = re.compile(r"(?<![`\\|])\|([^|`\s][^|`]{0,20}?)\|(?![`|_])")
LECTURE_MENTION = re.compile(r"(?<![`/\w])([Ll]ecture) (\d{2})\b")


def link_lectures(app, what, name, obj, options, lines):
    """In the API reference, "Introduced in lecture 03 (...)" links to lecture 03's page (and
    an absolute value written |x| is escaped, not read as a substitution)."""
    pages = {
        path.name[:2]: f"/notebooks/{path.stem}"
        for path in Path(app.srcdir, "notebooks").glob("[0-9][0-9]-*.ipynb")
    }

    def link(match):
        page = pages.get(match.group(2))
        if page is None:
            return match.group(0)
        return f":doc:`{match.group(1)} {match.group(2)} <{page}>`"

    for index, line in enumerate(lines):
        if not line.lstrip().startswith((">>>", "...")):
            # |x − μ| in a docstring is an absolute value, not a reStructuredText substitution.
            line = ABSOLUTE_VALUE.sub(r"\\|\1\\|", line)
            lines[index] = LECTURE_MENTION.sub(link, line)


def _import_object(name: str):
    """The object a dotted name refers to, or None (modules first, then attributes)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attribute in parts[cut:]:
                obj = getattr(obj, attribute)
        except AttributeError:
            return None
        return obj
    return None


def resolve_reexports(app, env, node, contnode):
    """Resolve a Python cross-reference that names an object where it is re-exported.

    ``coursekit.fitting.fit_forward_kl`` is documented where it is defined
    (``coursekit.fitting.forward``); a docstring may name it either way. A name that exists
    but has no entry of its own (a module constant) is shown as code, without a link; a name
    that does not exist still warns.
    """
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip("~.")
    module, klass = node.get("py:module"), node.get("py:class")
    candidates = [target]
    if module:
        candidates.insert(0, f"{module}.{target}")
        if klass:
            candidates.insert(0, f"{module}.{klass}.{target}")
    domain = env.get_domain("py")
    for name in candidates:
        obj = _import_object(name)
        if obj is None:
            continue
        defined_in = getattr(obj, "__module__", None)
        qualname = getattr(obj, "__qualname__", None)
        if defined_in and qualname and f"{defined_in}.{qualname}" != name:
            found = domain.resolve_any_xref(
                env, node["refdoc"], app.builder, f"{defined_in}.{qualname}", node, contnode
            )
            if found:
                return found[0][1]
        return contnode
    return None


def setup(app):
    # The book executes the notebooks: ask their explorers for the kernel-free view, which is
    # what a reader without a kernel sees (see coursekit.explorers.base.static_views_wanted).
    os.environ["COURSEKIT_STATIC_EXPLORERS"] = "1"
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("html-page-context", unique_scripts, priority=900)
    app.connect("html-page-context", accessible_markup, priority=900)  # after the theme's
    app.connect("autodoc-process-docstring", link_lectures)
    app.connect("missing-reference", resolve_reexports)
    app.add_css_file("print.css", media="print")
    app.add_js_file("print-fit.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
