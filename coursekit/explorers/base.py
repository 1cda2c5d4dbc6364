"""The one pattern behind every interactive figure: compute → draw → controls.

An explorer is a class with

* ``params``: its controls, ``{name: {"min", "max", "value", "step"}}`` for a number or
  ``{name: {"options": [...], "value": ...}}`` for a choice;
* ``compute(**values)``: a pure function of the control values (maths only, fast);
* ``build(figure)``: creates the axes and artists once;
* ``draw(result)``: updates those artists in place (``set_data``, ``set_height``…);
* ``describe(result)``: one sentence saying what the figure shows now (alt text and readout).

``update(**values)`` recomputes and redraws in place. Displayed in a notebook, an explorer
offers two views in one output: a live ipywidgets view (sliders and an image that is redrawn
on every change) that JupyterLab shows, and a kernel-free HTML view (pre-rendered frames with
working sliders) that the published book shows, because the book prefers ``text/html`` and
drops the widget view (``nb_mime_priority_overrides`` in ``_config.yml``).

Introduced in lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import os
from typing import Any, ClassVar

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from coursekit import plotting

#: Upper bound on the number of pre-rendered frames of one kernel-free view; it keeps the
#: stored notebooks and the book pages small.
MAX_FRAMES = 160
LIVE_DPI = 96
BOOK_DPI = 90
#: Environment variable that asks displayed explorers for their kernel-free view too.
STATIC_VIEWS_VARIABLE = "COURSEKIT_STATIC_EXPLORERS"
BOOK_COLORS = 64  # palette size of the book's frames: a third of the bytes, no visible loss


class Explorer:
    """Base class of the course's interactive figures (see the module docstring)."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    params: ClassVar[dict[str, dict[str, Any]]] = {}
    #: Values of each control that the kernel-free book view pre-renders; by default the
    #: slider's own grid. Override where the product of the grids would exceed MAX_FRAMES.
    book_values: ClassVar[dict[str, list]] = {}
    figsize: ClassVar[tuple[float, float]] = (7.0, 3.0)

    def __init__(self, **values: Any) -> None:
        self.values = self._checked({k: spec["value"] for k, spec in self.params.items()}, values)
        self._dynamic: list = []
        self._background = None
        with plotting.style():
            self.figure, _ = plotting.new_figure(figsize=self.figsize)
            self.figure.clear()
            self.build(self.figure)
        self._canvas = FigureCanvasAgg(self.figure)
        self.result = None
        self.update()
        # Lay the figure out once; the axes do not move afterwards, so later redraws skip
        # the (slow) constrained-layout solver.
        self.render(full=True)
        self.figure.set_layout_engine("none")

    # -- to be written by each explorer -------------------------------------------------
    @staticmethod
    def compute(**values: Any) -> dict[str, Any]:
        raise NotImplementedError

    def build(self, figure) -> None:
        raise NotImplementedError

    def draw(self, result: dict[str, Any]) -> None:
        raise NotImplementedError

    def describe(self, result: dict[str, Any]) -> str:
        return self.title

    # -- the pattern --------------------------------------------------------------------
    def update(self, **values: Any) -> dict[str, Any]:
        """Set some controls, recompute, and redraw the figure in place; return the result."""
        self.values = self._checked(self.values, values)
        self.result = self.compute(**self.values)
        with plotting.style():
            self.draw(self.result)
        return self.result

    def animated(self, artist):
        """Mark an artist that ``draw`` changes; the rest of the figure is drawn only once.

        Called in ``build``. Only the marked artists are redrawn on an update (blitting), which
        keeps a slider move within a few milliseconds instead of a full matplotlib redraw.
        """
        artist.set_animated(True)
        artist.set_in_layout(False)
        self._dynamic.append(artist)
        return artist

    def render(self, dpi: int = LIVE_DPI, full: bool = False) -> np.ndarray:
        """Draw the figure with the Agg renderer and return its pixels (height × width × 3).

        The static part is drawn once per resolution and cached; ``full=True`` redraws
        everything, as a change of layout would need.
        """
        with plotting.style():
            if full or self._background is None or self._background[0] != dpi:
                self.figure.set_dpi(dpi)
                self._canvas.draw()  # everything but the animated artists
                self._background = (dpi, self._canvas.copy_from_bbox(self.figure.bbox))
            else:
                self._canvas.restore_region(self._background[1])
            for artist in self._dynamic:
                self.figure.draw_artist(artist)
        return np.asarray(self._canvas.buffer_rgba())[..., :3]

    def png(self, dpi: int = LIVE_DPI, colors: int | None = None) -> bytes:
        """The figure as it is now, as PNG bytes; ``colors`` reduces it to a small palette."""
        return plotting.png_bytes(self.render(dpi), colors=colors)

    def _checked(self, current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(changes) - set(self.params))
        if unknown:
            raise ValueError(
                f"{type(self).__name__} has no control named {', '.join(map(repr, unknown))}. "
                f"Its controls are: {', '.join(self.params)}."
            )
        merged = dict(current)
        for key, value in changes.items():
            spec = self.params[key]
            if "options" in spec:
                if value not in spec["options"]:
                    raise ValueError(
                        f"{key}={value!r} is not one of the choices {spec['options']}. "
                        "Pick one of those."
                    )
            else:
                try:
                    number = float(value)
                except (TypeError, ValueError):
                    raise ValueError(f"{key} must be a number, got {value!r}.") from None
                if not spec["min"] <= number <= spec["max"]:
                    raise ValueError(
                        f"{key}={value!r} is outside the control's range "
                        f"[{spec['min']}, {spec['max']}]. Choose a value inside it."
                    )
                value = int(round(number)) if _is_integer_control(spec) else number
            merged[key] = value
        return merged

    # -- views --------------------------------------------------------------------------
    def widget(self):
        """The live view: one control per parameter and the figure, redrawn on every change."""
        import ipywidgets as widgets

        image = widgets.Image(value=self.png(), format="png", layout={"max_width": "100%"})
        readout = widgets.HTML(value=html.escape(self.describe(self.result)))
        controls = {
            name: _make_control(widgets, name, spec, self.values[name])
            for name, spec in self.params.items()
        }

        def on_change(change):
            result = self.update(**{change["owner"].description_key: change["new"]})
            image.value = self.png()
            readout.value = html.escape(self.describe(result))

        for control in controls.values():
            control.observe(on_change, names="value")
        box = widgets.VBox(
            [
                widgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"}),
                image,
                readout,
            ]
        )
        box.add_class("coursekit-explorer")
        return box

    def frame_values(self) -> dict[str, list]:
        """The values of each control that the kernel-free view pre-renders."""
        grids = {}
        for name, spec in self.params.items():
            if name in self.book_values:
                grids[name] = list(self.book_values[name])
            elif "options" in spec:
                grids[name] = list(spec["options"])
            else:
                grids[name] = _slider_grid(spec)
            if spec.get("value") not in grids[name] and "options" not in spec:
                grids[name] = sorted(set(grids[name]) | {spec["value"]})
        count = int(np.prod([len(v) for v in grids.values()]))
        if count > MAX_FRAMES:
            raise ValueError(
                f"{type(self).__name__} would pre-render {count} frames for the book, more than "
                f"{MAX_FRAMES}. Give it coarser book_values."
            )
        return grids

    def static_html(self, dpi: int = BOOK_DPI) -> str:
        """The kernel-free view: every combination of the book's control values, pre-rendered.

        The sliders pick which frame is visible, so the figure really changes without a kernel.
        The current values of the live explorer are restored afterwards.
        """
        grids = self.frame_values()
        saved = dict(self.values)
        frames = []
        for combo in itertools.product(*grids.values()):
            result = self.update(**dict(zip(grids, combo, strict=True)))
            png = self.png(dpi, colors=BOOK_COLORS)
            frames.append((base64.b64encode(png).decode("ascii"), self.describe(result)))
        self.update(**saved)
        start = [
            grids[name].index(saved[name])
            if saved[name] in grids[name]
            else _nearest(grids[name], saved[name])
            for name in grids
        ]
        return _static_page(self.title, self.params, grids, frames, start)

    def _repr_mimebundle_(self, include=None, exclude=None):
        # text/plain and one light PNG of the current state are what a stored notebook keeps
        # (GitHub, nbviewer and a JupyterLab that has not run the notebook show the PNG);
        # the widget view is the live one, and the frames are rendered only where wanted.
        bundle = {
            "text/plain": f"<{self.title}: {self.describe(self.result)}>",
            "image/png": base64.b64encode(self.png(colors=BOOK_COLORS)).decode("ascii"),
        }
        if static_views_wanted():
            bundle["text/html"] = self.static_html()
        live = self.widget()._repr_mimebundle_()
        bundle["application/vnd.jupyter.widget-view+json"] = live[
            "application/vnd.jupyter.widget-view+json"
        ]
        return bundle

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{type(self).__name__}({settings})"


def static_views_wanted() -> bool:
    """Whether displayed explorers also carry their kernel-free view (pre-rendered frames).

    Rendering the frames takes a second or more per explorer, which a student in JupyterLab
    (who sees the live widget) should not wait for. The view is wanted where a notebook's
    outputs are kept for readers without a kernel: the book build (its Sphinx extension sets
    the variable). Stored notebooks keep only a light PNG of each explorer instead.
    """
    return os.environ.get(STATIC_VIEWS_VARIABLE, "") not in ("", "0")


def _is_integer_control(spec: dict[str, Any]) -> bool:
    return all(
        isinstance(spec[k], int) and not isinstance(spec[k], bool)
        for k in ("min", "max", "step", "value")
    )


def _slider_grid(spec: dict[str, Any]) -> list:
    count = int(round((spec["max"] - spec["min"]) / spec["step"])) + 1
    grid = np.round(spec["min"] + spec["step"] * np.arange(count), 10)
    return [int(v) for v in grid] if _is_integer_control(spec) else [float(v) for v in grid]


def _nearest(values: list, target) -> int:
    return int(np.argmin([abs(v - target) for v in values]))


def _make_control(widgets, name: str, spec: dict[str, Any], value):
    style = {"description_width": "initial"}
    label = spec.get("label", name)
    if "options" in spec:
        control = widgets.ToggleButtons(
            options=spec["options"], value=value, description=label, style=style
        )
    else:
        numeric = {
            "min": spec["min"],
            "max": spec["max"],
            "step": spec["step"],
            "value": value,
            "description": label,
            "style": style,
            "continuous_update": True,
        }
        if _is_integer_control(spec):
            control = widgets.IntSlider(**numeric)
        else:
            control = widgets.FloatSlider(**numeric, readout_format=".2f")
    control.description_key = name
    return control


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


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
        labels = html.escape("|".join(_format(v) for v in values), quote=True)
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
            f'<output data-ck-for="{k}">{html.escape(_format(values[start[k]]))}</output>'
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
