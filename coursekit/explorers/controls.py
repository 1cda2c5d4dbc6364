"""The controls of an explorer: the format of ``params`` and the values each control takes.

A numeric control is ``{"min": …, "max": …, "value": …, "step": …}`` (an integer slider when
all four are integers), a choice ``{"options": [...], "value": …}``; either may carry a
``"label"``. The explorer (``base``), its live view and its kernel-free view all read a
control's spec through these helpers.

Introduced in lecture 01 (Surprise and entropy).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def is_integer_control(spec: dict[str, Any]) -> bool:
    """Whether a numeric control takes integers only (its min, max, step and value are ints)."""
    return all(
        isinstance(spec[k], int) and not isinstance(spec[k], bool)
        for k in ("min", "max", "step", "value")
    )


def slider_values(spec: dict[str, Any]) -> list:
    """Every position of a numeric control, min to max in steps (ints for an integer slider)."""
    count = int(round((spec["max"] - spec["min"]) / spec["step"])) + 1
    grid = np.round(spec["min"] + spec["step"] * np.arange(count), 10)
    return [int(v) for v in grid] if is_integer_control(spec) else [float(v) for v in grid]


def random_values(params: dict[str, dict[str, Any]], rng: np.random.Generator) -> dict:
    """One random setting of every control, on the control's own grid (for tests and
    benchmarks that move the explorers as a student would)."""
    values = {}
    for name, spec in params.items():
        if "options" in spec:
            values[name] = spec["options"][rng.integers(len(spec["options"]))]
        else:
            values[name] = slider_values(spec)[rng.integers(len(slider_values(spec)))]
    return values


def cache_key(value: float) -> float:
    """A slider value as a cache key: 0.30000000000000004 and 0.3 share one entry."""
    return round(float(value), 9)


def checked(
    params: dict[str, dict[str, Any]], current: dict[str, Any], changes: dict[str, Any], owner: str
) -> dict[str, Any]:
    """``current`` control values updated with ``changes``, each checked against its spec.

    A numeric value is converted to the control's type (an integer slider gets an int); an
    unknown control, a choice not offered or a number outside [min, max] raises ValueError
    naming the explorer (``owner``) and saying what it accepts.
    """
    unknown = sorted(set(changes) - set(params))
    if unknown:
        raise ValueError(
            f"{owner} has no control named {', '.join(map(repr, unknown))}. "
            f"Its controls are: {', '.join(params)}."
        )
    merged = dict(current)
    for key, value in changes.items():
        spec = params[key]
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
            value = int(round(number)) if is_integer_control(spec) else number
        merged[key] = value
    return merged
