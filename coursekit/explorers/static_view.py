"""The kernel-free view of an explorer: pre-rendered frames behind working sliders.

The published book has no kernel, so the explorer's output carries a small HTML page (with its
own style and script, no network) in which the sliders pick one of the frames rendered for
every combination of the book's control values. It is rendered only where it is wanted
(:func:`static_views_wanted`): the book build, ``coursekit execute`` and nbval.

Every frame is drawn twice: as the explorer lays it out (``figsize``, panels side by side) and
for narrow screens (:mod:`coursekit.explorers.narrow_view`: panels one above the other, text
a phone can read). A ``<picture>`` shows the narrow frame below ``NARROW_MEDIA``, so a phone
shows text of at least 11 CSS pixels where the wide frame, shrunk to the phone's width, would
show 4 to 6. A narrow frame holds only the pixels that differ from the figure's static layer,
which the page draws once under all of them. Each frame carries the size of its smallest text
in image pixels (``data-ck-font-px``): shown ``w`` CSS px wide, an image ``n`` px wide shows
that text at ``data-ck-font-px · w / n`` CSS px (the browser tests check it at phone width).
Sliders and play buttons are at least 24 × 24 CSS px (WCAG 2.5.8).

Introduced in lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import os

import numpy as np

from coursekit.explorers.controls import slider_values
from coursekit.explorers.narrow_view import (
    NARROW_MEDIA,
    NarrowFrames,
    figure_texts,
    smallest_font,
)
from coursekit.plotting import number

#: Upper bound on the number of pre-rendered frames of one kernel-free view; it keeps the
#: stored notebooks and the book pages small.
MAX_FRAMES = 160
BOOK_DPI = 90
#: Environment variable that asks displayed explorers for their kernel-free view too.
STATIC_VIEWS_VARIABLE = "COURSEKIT_STATIC_EXPLORERS"
BOOK_COLORS = 64  # palette size of the book's frames: a third of the bytes, no visible loss

#: The smallest touch target of the controls (WCAG 2.5.8 asks for 24 × 24 CSS px).
TARGET_PX = 32


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


def static_html(explorer, dpi: int = BOOK_DPI, narrow: bool = True) -> str:
    """The kernel-free view: every combination of the book's control values, pre-rendered.

    The sliders pick which frame is visible, so the figure really changes without a kernel.
    With ``narrow`` (the default), every frame is also drawn for narrow screens
    (:class:`NarrowFrames`), which a phone shows. The current values of the live explorer are
    restored afterwards.
    """
    grids = frame_values(explorer)
    saved = dict(explorer.values)
    phone = NarrowFrames(explorer, dpi, BOOK_COLORS) if narrow else None
    texts = figure_texts(explorer.figure)
    frames, smallest = [], np.inf
    for combo in itertools.product(*grids.values()):
        result = explorer.update(**dict(zip(grids, combo, strict=True)))
        smallest = min(smallest, smallest_font(texts))
        frame = {"png": explorer.png(dpi, colors=BOOK_COLORS), "alt": explorer.describe(result)}
        if phone is not None:
            frame["narrow"] = phone.frame(explorer.values, result)
        frames.append(frame)
    explorer.update(**saved)
    start = [
        grids[name].index(saved[name])
        if saved[name] in grids[name]
        else _nearest(grids[name], saved[name])
        for name in grids
    ]
    fonts = {"wide": smallest * dpi / 72}
    base = None
    if phone is not None:
        fonts["narrow"] = phone.smallest * dpi / 72
        base = phone.base_png()
    return _static_page(explorer.title, explorer.params, grids, frames, start, fonts, base)


def _nearest(values: list, target) -> int:
    return int(np.argmin([abs(v - target) for v in values]))


_STYLE = (
    ".coursekit-static-explorer{margin:0.5em 0;font-size:0.9rem}"
    ".coursekit-static-explorer .ck-controls{display:flex;flex-wrap:wrap;gap:0.2em 1.4em;"
    "align-items:center;margin:0.3em 0}"
    ".coursekit-static-explorer .ck-row{display:flex;align-items:center;gap:0.4em;"
    "max-width:100%}"
    ".coursekit-static-explorer .ck-control{display:flex;flex-wrap:wrap;align-items:center;"
    "gap:0 0.5em;flex:1 1 auto;min-width:0}"
    f".coursekit-static-explorer input[type=range]{{height:{TARGET_PX}px;min-width:{TARGET_PX}px;"
    "margin:0;flex:1 1 8em;max-width:14em}"
    ".coursekit-static-explorer output{min-width:2.5em;font-variant-numeric:tabular-nums}"
    ".coursekit-static-explorer button{border:1px solid #888;border-radius:4px;background:none;"
    f"color:inherit;padding:0 0.5em;cursor:pointer;min-width:{TARGET_PX}px;"
    f"min-height:{TARGET_PX}px;touch-action:manipulation}}"
    ".coursekit-static-explorer img{background:white;border-radius:4px}"
    # Phones: one control per line, its name above a slider as wide as the line.
    f"@media {NARROW_MEDIA}{{"
    ".coursekit-static-explorer .ck-row{flex:1 1 100%;align-items:flex-end}"
    ".coursekit-static-explorer .ck-name{flex:1 1 100%}"
    ".coursekit-static-explorer input[type=range]{max-width:none}}"
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


def _data_uri(data: bytes, kind: str = "png") -> str:
    return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")


def _static_page(title, params, grids, frames, start, fonts, base=None) -> str:
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
            f'<span class="ck-row"><label class="ck-control"><span class="ck-name">{label}</span> '
            f'<input type="range" min="0" max="{len(values) - 1}" step="1" value="{start[k]}" '
            f'data-ck-control="{k}" data-ck-labels="{labels}" aria-label="{label}"> '
            f'<output data-ck-for="{k}">{html.escape(number(values[start[k]], None))}</output>'
            f"</label>{play}</span>"
        )
    index = 0
    for k, size in enumerate(sizes):
        index = index * size + start[k]
    style, base_attribute = _STYLE, ""
    if base is not None:
        # The static layer under every narrow frame (which holds only what changes).
        key = hashlib.sha1(base).hexdigest()[:12]
        base_attribute = f' data-ck-base="{key}"'
        style += (
            f"@media {NARROW_MEDIA}{{.coursekit-static-explorer[data-ck-base='{key}'] "
            f"img.ck-frame{{background:#fff url({_data_uri(base)}) 0 0/100% 100% no-repeat}}}}"
        )
    images = "\n".join(
        "<picture>"
        + (
            f'<source type="image/webp" media="{NARROW_MEDIA}" '
            f'srcset="{_data_uri(frame["narrow"], "webp")}" '
            f'data-ck-font-px="{fonts["narrow"]:.2f}">'
            if "narrow" in frame
            else ""
        )
        + f'<img class="ck-frame" src="{_data_uri(frame["png"])}" alt="{html.escape(frame["alt"])}"'
        f' data-ck-font-px="{fonts["wide"]:.2f}"{"" if i == index else " hidden"}'
        ' style="max-width:100%;height:auto;"></picture>'
        for i, frame in enumerate(frames)
    )
    return (
        f'<div class="coursekit-static-explorer" data-ck-sizes="{json.dumps(sizes)}"'
        f"{base_attribute}>\n"
        f"<style>{style}</style>\n"
        f'<div class="ck-title"><strong>{html.escape(title)}</strong> '
        f"<em>(interactive: move the sliders)</em></div>\n"
        f'<div class="ck-controls">{"".join(rows)}</div>\n{images}\n'
        f"<script>{_SCRIPT}</script>\n</div>"
    )
