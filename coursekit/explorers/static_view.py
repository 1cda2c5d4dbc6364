"""The kernel-free view of an explorer: pre-rendered frames behind working sliders.

The published book has no kernel, so the explorer's output carries a small HTML page (with its
own style and script, no network) in which the sliders pick one of the frames rendered for
every combination of the book's control values. It is rendered only where it is wanted
(:func:`static_views_wanted`): the book build, ``coursekit execute`` and nbval.

Introduced in lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import os

import numpy as np

from coursekit.explorers.controls import slider_values
from coursekit.plotting import number

#: Upper bound on the number of pre-rendered frames of one kernel-free view; it keeps the
#: stored notebooks and the book pages small.
MAX_FRAMES = 160
BOOK_DPI = 90
#: Environment variable that asks displayed explorers for their kernel-free view too.
STATIC_VIEWS_VARIABLE = "COURSEKIT_STATIC_EXPLORERS"
BOOK_COLORS = 64  # palette size of the book's frames: a third of the bytes, no visible loss


def static_views_wanted() -> bool:
    """Whether displayed explorers also carry their kernel-free view (pre-rendered frames).

    Rendering the frames takes a second or more per explorer, which a student in JupyterLab
    (who sees the live widget) should not wait for. The view is wanted where a notebook's
    outputs are kept for readers without a kernel: the book build (its Sphinx extension sets
    the variable). Stored notebooks keep only a light PNG of each explorer instead.
    """
    return os.environ.get(STATIC_VIEWS_VARIABLE, "") not in ("", "0")


def frame_values(explorer) -> dict[str, list]:
    """The values of each control that the kernel-free view pre-renders."""
    grids = {}
    for name, spec in explorer.params.items():
        if name in explorer.book_values:
            grids[name] = list(explorer.book_values[name])
        elif "options" in spec:
            grids[name] = list(spec["options"])
        else:
            grids[name] = slider_values(spec)
        if spec.get("value") not in grids[name] and "options" not in spec:
            grids[name] = sorted(set(grids[name]) | {spec["value"]})
    count = int(np.prod([len(v) for v in grids.values()]))
    if count > MAX_FRAMES:
        raise ValueError(
            f"{type(explorer).__name__} would pre-render {count} frames for the book, more than "
            f"{MAX_FRAMES}. Give it coarser book_values."
        )
    return grids


def static_html(explorer, dpi: int = BOOK_DPI) -> str:
    """The kernel-free view: every combination of the book's control values, pre-rendered.

    The sliders pick which frame is visible, so the figure really changes without a kernel.
    The current values of the live explorer are restored afterwards.
    """
    grids = frame_values(explorer)
    saved = dict(explorer.values)
    frames = []
    for combo in itertools.product(*grids.values()):
        result = explorer.update(**dict(zip(grids, combo, strict=True)))
        png = explorer.png(dpi, colors=BOOK_COLORS)
        frames.append((base64.b64encode(png).decode("ascii"), explorer.describe(result)))
    explorer.update(**saved)
    start = [
        grids[name].index(saved[name])
        if saved[name] in grids[name]
        else _nearest(grids[name], saved[name])
        for name in grids
    ]
    return _static_page(explorer.title, explorer.params, grids, frames, start)


def _nearest(values: list, target) -> int:
    return int(np.argmin([abs(v - target) for v in values]))


_STYLE = (
    ".coursekit-static-explorer{margin:0.5em 0;font-size:0.9rem}"
    ".coursekit-static-explorer .ck-controls{display:flex;flex-wrap:wrap;gap:0.4em 1.2em;"
    "align-items:center;margin:0.3em 0}"
    ".coursekit-static-explorer label{display:inline-flex;align-items:center;gap:0.4em}"
    ".coursekit-static-explorer output{min-width:2.5em;font-variant-numeric:tabular-nums}"
    ".coursekit-static-explorer button{border:1px solid #888;border-radius:4px;background:none;"
    "color:inherit;padding:0 0.5em;cursor:pointer}"
    ".coursekit-static-explorer img{background:white;border-radius:4px}"
)

_SCRIPT = """
(function () {
  var root = document.currentScript.parentElement;
  var frames = root.querySelectorAll("img.ck-frame");
  var inputs = root.querySelectorAll("[data-ck-control]");
  var sizes = JSON.parse(root.getAttribute("data-ck-sizes"));
  function show() {
    var index = 0;
    inputs.forEach(function (input, k) {
      index = index * sizes[k] + Number(input.value);
      var out = root.querySelector("output[data-ck-for='" + k + "']");
      if (out) { out.textContent = input.getAttribute("data-ck-labels").split("|")[input.value]; }
    });
    frames.forEach(function (img, i) { img.hidden = (i !== index); });
  }
  inputs.forEach(function (input) { input.addEventListener("input", show); });
  root.querySelectorAll("button[data-ck-play]").forEach(function (button) {
    var timer = null;
    button.addEventListener("click", function () {
      if (timer) { clearInterval(timer); timer = null; button.textContent = "\\u25B6"; return; }
      var input = inputs[Number(button.getAttribute("data-ck-play"))];
      button.textContent = "\\u275A\\u275A";
      timer = setInterval(function () {
        input.value = (Number(input.value) + 1) % (Number(input.max) + 1);
        show();
      }, 250);
    });
  });
  show();
})();
"""


def _static_page(title, params, grids, frames, start) -> str:
    sizes = [len(values) for values in grids.values()]
    rows = []
    for k, (name, values) in enumerate(grids.items()):
        label = html.escape(params[name].get("label", name))
        labels = html.escape("|".join(number(v, None) for v in values), quote=True)
        play = (
            ""
            if "options" in params[name]
            else f'<button type="button" data-ck-play="{k}" title="play {label}" '
            f'aria-label="play {label}">&#9654;</button>'
        )
        rows.append(
            f'<span class="ck-row"><label class="ck-control">{label} '
            f'<input type="range" min="0" max="{len(values) - 1}" step="1" value="{start[k]}" '
            f'data-ck-control="{k}" data-ck-labels="{labels}" aria-label="{label}"> '
            f'<output data-ck-for="{k}">{html.escape(number(values[start[k]], None))}</output>'
            f"</label>{play}</span>"
        )
    index = 0
    for k, size in enumerate(sizes):
        index = index * size + start[k]
    images = "\n".join(
        f'<img class="ck-frame" src="data:image/png;base64,{data}" alt="{html.escape(alt)}"'
        f'{"" if i == index else " hidden"} style="max-width:100%;height:auto;">'
        for i, (data, alt) in enumerate(frames)
    )
    return (
        f'<div class="coursekit-static-explorer" data-ck-sizes="{json.dumps(sizes)}">\n'
        f"<style>{_STYLE}</style>\n"
        f'<div class="ck-title"><strong>{html.escape(title)}</strong> '
        f"<em>(interactive: move the sliders)</em></div>\n"
        f'<div class="ck-controls">{"".join(rows)}</div>\n{images}\n'
        f"<script>{_SCRIPT}</script>\n</div>"
    )
