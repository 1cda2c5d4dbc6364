"""Small Sphinx fixes for the course book (loaded through `_config.yml`, local_extensions).

- sphinx-thebe and sphinx-togglebutton register their inline scripts twice under Sphinx 7,
  which makes every page throw "Identifier 'THEBE_JS_URL' has already been declared" in the
  console; here each page gets every script once.
- The notebooks' explorers include their kernel-free view only when asked to, as here.
"""

import os


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


def setup(app):
    # The book executes the notebooks: ask their explorers for the kernel-free view, which is
    # what a reader without a kernel sees (see coursekit.explorers.base.static_views_wanted).
    os.environ["COURSEKIT_STATIC_EXPLORERS"] = "1"
    app.connect("html-page-context", unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
