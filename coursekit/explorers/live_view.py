"""The live view of an explorer: ipywidgets controls and an image redrawn on every change.

JupyterLab shows this view. ipywidgets is imported only when a widget is built, so a headless
run that never displays an explorer does not load it.

Introduced in lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

import html
from typing import Any

from coursekit.explorers.controls import is_integer_control


def widget(explorer):
    """The live view: one control per parameter and the figure, redrawn on every change."""
    import ipywidgets as widgets

    image = widgets.Image(value=explorer.png(), format="png", layout={"max_width": "100%"})
    readout = widgets.HTML(value=html.escape(explorer.describe(explorer.result)))
    controls = {
        name: _make_control(widgets, name, spec, explorer.values[name])
        for name, spec in explorer.params.items()
    }

    def on_change(change):
        result = explorer.update(**{change["owner"].description_key: change["new"]})
        image.value = explorer.png()
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
        if is_integer_control(spec):
            control = widgets.IntSlider(**numeric)
        else:
            control = widgets.FloatSlider(**numeric, readout_format=".2f")
    control.description_key = name
    return control
