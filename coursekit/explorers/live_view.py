"""The live view of an explorer: ipywidgets controls and an image redrawn on every change.

JupyterLab shows this view. ipywidgets is imported only when a widget is built, so a headless
run that never displays an explorer does not load it.

How a change reaches the pixels, kept fast (``benchmarks/bench_lab_latency.py`` measures it
in JupyterLab, from key press to pixels):

* the kernel redraws inside the control's message handler: ``update`` (compute, then draw
  the changing artists over the cached background, with cached text) and one PNG;
* stale values never queue up during a drag: ipywidgets' front end keeps at most one change
  of a control in flight and merges later ones until the kernel is idle again, and the
  kernel is idle only once the frame is sent, so each message carries the slider's latest
  value. The handler draws the values of *all* controls, so the picture is always that of
  what the controls show;
* the PNG has a 256-colour palette (no visible change, half the bytes of full colour) and
  zlib's fastest level: a few milliseconds to encode, to send and to decode; it travels as
  a data URL, which the browser decodes at once (a blob URL takes a trip through its
  loader first).

Introduced in lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import base64
import html
from typing import Any

from coursekit.explorers.controls import is_integer_control

#: Palette size and zlib level of the live view's PNGs (see the module docstring).
LIVE_COLORS = 256
LIVE_LEVEL = 1


def frame_bytes(explorer) -> bytes:
    """The live view's picture of the explorer as it is now: a 256-colour PNG, fast zlib."""
    return explorer.png(colors=LIVE_COLORS, level=LIVE_LEVEL)


def frame_url(explorer) -> bytes:
    """``frame_bytes`` as a data URL, the value of the view's Image widget (format "url").

    Chromium decodes a data URL in the page in about 1 ms; the blob URL that the widget
    makes of raw PNG bytes goes through the browser's loader first (6–9 ms measured).
    """
    return b"data:image/png;base64," + base64.b64encode(frame_bytes(explorer))


def png_of(image) -> bytes:
    """The PNG bytes that an Image widget of the live view shows (tests and benchmarks)."""
    return base64.b64decode(bytes(image.value).split(b",", 1)[1])


def widget(explorer):
    """The live view: one control per parameter and the figure, redrawn on every change."""
    import ipywidgets as widgets

    image = widgets.Image(value=frame_url(explorer), format="url", layout={"max_width": "100%"})
    readout = widgets.HTML(value=html.escape(explorer.describe(explorer.result)))
    controls = {
        name: _make_control(widgets, name, spec, explorer.values[name])
        for name, spec in explorer.params.items()
    }

    def on_change(change):
        shown = {name: control.value for name, control in controls.items()}
        changed = {k: v for k, v in shown.items() if v != explorer.values[k]}
        if not changed:
            return
        result = explorer.update(**changed)
        image.value = frame_url(explorer)
        readout.value = html.escape(explorer.describe(result))

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


def _make_control(widgets, name: str, spec: dict[str, Any], value):
    style = {"description_width": "initial"}
    label = spec.get("label", name)
    # Room for the label and a full track: with ipywidgets' fixed 300 px a long label left
    # the track 0 px wide (a drag then set the slider to NaN). 1ch is about one character.
    layout = {"width": f"calc({len(label)}ch + 240px)", "min_width": "300px"}
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
            "layout": layout,
            "continuous_update": True,
        }
        if is_integer_control(spec):
            control = widgets.IntSlider(**numeric)
        else:
            control = widgets.FloatSlider(**numeric, readout_format=".2f")
    control.description_key = name
    return control
