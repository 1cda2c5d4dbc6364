"""Answers as plain data: the only thing that crosses from a student's process to the grader.

:func:`encode` runs in the student's process (inside the sandbox) and turns an answer into a
small JSON-able dict: numbers, flat lists of floats (``"nan"``, ``"inf"``, ``"-inf"`` as
strings), strings, booleans, and markers for what is not a plain value. ``decode`` runs in
the grader (:mod:`coursekit.grading.decode`) and rebuilds an object that the exercises judge
exactly as they judge the original:
``np.float32(0.5)`` comes back as ``np.float32(0.5)``, a list as a list, ``"b"`` as ``"b"``, and
an object of a class ``Liar`` as an object of a (new, empty) class ``Liar`` that cannot be
converted to a number, so the message still says "got a Liar object". An object that numpy
could convert (a ``Fraction``, a pandas ``Series``) comes back as an object that converts to
the same floats. JSON cannot carry code, so nothing the student's process sends can run in the
grader, and nothing in it can say "correct": the grader decides that from the values.

Kinds (key ``"t"``): ``missing`` (no such variable), ``placeholder`` (``...``), ``none``,
``bool``, ``str``, ``bytes``, ``num`` (with ``dtype``: ``int``, ``float`` or a numpy scalar
type), ``complex``, ``array`` (numpy arrays: ``dtype``, ``shape``, flat ``v``), ``list``,
``tuple``, ``big`` (an array or list over :data:`MAX_ITEMS` items: its shape only), ``object``
(``type`` name, ``callable``, ``name``, and ``array`` if numpy converts it) and ``function`` (a
function exercise's :class:`~coursekit.exercises.functions.Outcome` per test case). Every size is
capped, and ``decode`` checks every field.
"""

from __future__ import annotations

import builtins
import json
import math
import re

import numpy as np

from coursekit.exercises.functions import Outcome

MAX_ITEMS = 10_000  # numbers, strings... in one answer
MAX_DEPTH = 20  # nested lists
MAX_TEXT = 1_000  # characters of a string answer
MAX_NAME = 60  # characters of a type or function name
MAX_MESSAGE = 300  # characters of an exception message

#: numpy scalar and array types that travel as themselves (the type decides the wording).
DTYPES = frozenset(
    np.dtype(t).name
    for t in (
        np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
        np.uint64, np.float16, np.float32, np.float64, np.longdouble, np.complex64,
        np.complex128,
    )
)  # fmt: skip
_NAME = re.compile(r"[^A-Za-z0-9_]")
# The student's code may rebind builtins or patch numpy before encode runs: this module looks
# its builtins up in a copy taken when it was imported (before any student code ran).
__builtins__ = dict(vars(builtins))
_asarray, _shape_of_value, _isfinite = np.asarray, np.shape, math.isfinite
_escape = json.encoder.encode_basestring_ascii  # C code where available


def dumps(value) -> str:
    """JSON text of plain data (dicts with string keys, lists, strings, finite numbers,
    booleans, None), written by this module alone: ``json.dumps`` is Python code that looks
    up builtins the student's code may have replaced (``builtins.isinstance = ...``)."""
    out: list[str] = []
    _dump(value, out, 0)
    return "".join(out)


def _dump(value, out: list[str], depth: int) -> None:
    kind = type(value)
    if depth > 4 * MAX_DEPTH:
        raise ValueError("too deep")
    if value is None:
        out.append("null")
    elif value is True or value is False:
        out.append("true" if value else "false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        if not _isfinite(value):
            raise ValueError("not a finite number")
        out.append(float.__repr__(value))
    elif kind is str:
        out.append(_escape(value))
    elif kind is list or kind is tuple:
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _dump(item, out, depth + 1)
        out.append("]")
    elif kind is dict:
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if type(key) is not str:
                raise TypeError("a key that is not a string")
            out.append("," if i else "")
            out.append(_escape(key))
            out.append(":")
            _dump(item, out, depth + 1)
        out.append("}")
    else:
        raise TypeError(f"not plain data: {kind.__name__}")


# -- encoding: in the student's process -----------------------------------------------------
class _Budget:
    """How many more items an answer may hold (:data:`MAX_ITEMS` in all)."""

    def __init__(self) -> None:
        self.left = MAX_ITEMS

    def take(self, n: int) -> bool:
        self.left -= n
        return self.left >= 0


def safe_name(text: str) -> str:
    """A type or function name reduced to ``[A-Za-z0-9_]``, at most :data:`MAX_NAME` long."""
    name = _NAME.sub("_", str.__str__(text))[:MAX_NAME]
    return name if name and not name[0].isdigit() else f"_{name}"[:MAX_NAME]


def cap(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to ``limit`` characters (with "…" when cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(x):
    return x if _isfinite(x) else ("nan" if x != x else ("inf" if x > 0 else "-inf"))


def _shape(value) -> list[int] | None:
    try:
        return [int(n) for n in _shape_of_value(value)]
    except Exception:  # ragged, or an object that refuses
        return None


def encode(value) -> dict:
    """``value`` as plain data (see the module docstring). Never raises."""
    try:
        return _encode(value, _Budget(), 0)
    except Exception:
        return {"t": "object", "type": safe_name(type(value).__name__), "callable": False}


def _encode(value, budget: _Budget, depth: int) -> dict:
    kind = type(value)  # exact types only: isinstance() could run the student's code
    if value is Ellipsis:
        return {"t": "placeholder"}
    if value is None:
        return {"t": "none"}
    if kind is bool or kind is np.bool_:
        return {"t": "bool", "v": bool(value)}
    if kind is str or kind is np.str_:
        return {"t": "str", "v": str.__str__(value)[:MAX_TEXT], "np": kind is np.str_}
    if kind is bytes:
        return {"t": "bytes", "v": value[:MAX_TEXT].decode("latin-1")}
    if kind is int:
        if abs(value) < 10**300:
            return {"t": "num", "dtype": "int", "v": int(value)}
        return {"t": "object", "type": "int", "callable": False}
    if kind is float:
        return {"t": "num", "dtype": "float", "v": _number(value)}
    if kind is complex:
        return {"t": "complex", "dtype": "complex", "v": [_number(value.real), _number(value.imag)]}
    if issubclass(kind, np.generic) and kind.__module__ == "numpy":  # a numpy scalar
        dtype = np.dtype(kind).name
        if dtype in DTYPES and dtype.startswith("complex"):
            z = complex(value)
            return {"t": "complex", "dtype": dtype, "v": [_number(z.real), _number(z.imag)]}
        if dtype in DTYPES:
            return {"t": "num", "dtype": dtype, "v": _number(float(value.item()))}
    if kind is np.ndarray:
        return _encode_array(value, budget, depth)
    if kind is list or kind is tuple:
        if depth >= MAX_DEPTH or not budget.take(len(value)):
            return {"t": "big", "container": kind.__name__, "shape": _shape(value)}
        return {"t": kind.__name__, "v": [_encode(item, budget, depth + 1) for item in value]}
    return _encode_object(value, kind, budget)


def _encode_array(value: np.ndarray, budget: _Budget, depth: int) -> dict:
    shape = [int(n) for n in value.shape]
    if depth >= MAX_DEPTH or not budget.take(int(value.size)):
        return {"t": "big", "container": "ndarray", "shape": shape}
    flat = value.ravel()
    dtype = value.dtype
    if dtype.kind in "biuf" and dtype.name in DTYPES:
        if dtype.kind == "f":
            data = [_number(x) for x in flat.astype(np.float64).tolist()]
        else:
            data = flat.tolist()
        return {"t": "array", "dtype": dtype.name, "shape": shape, "v": data}
    if dtype.kind == "c":
        pairs = [[_number(z.real), _number(z.imag)] for z in flat.astype(np.complex128).tolist()]
        return {"t": "array", "dtype": "complex128", "shape": shape, "v": pairs}
    if dtype.kind == "U":
        return {"t": "array", "dtype": "str", "shape": shape, "v": [s[:MAX_TEXT] for s in flat]}
    if dtype.kind == "O":
        items = [_encode(item, budget, depth + 1) for item in flat.tolist()]
        return {"t": "array", "dtype": "object", "shape": shape, "v": items}
    # bytes, dates, records: nothing the exercises accept; keep the shape for the message
    items = [{"t": "object", "type": safe_name(dtype.name), "callable": False}] * len(flat)
    return {"t": "array", "dtype": "object", "shape": shape, "v": items}


def _encode_object(value, kind, budget: _Budget) -> dict:
    data = {"t": "object", "type": cap(str(kind.__name__), MAX_NAME), "callable": callable(value)}
    if data["callable"]:
        try:
            data["name"] = cap(str.__str__(value.__name__), MAX_NAME)
        except Exception:
            data["name"] = data["type"]
        return data
    try:  # what as_float_array would get (the student's __array__ or __float__ runs here)
        array = _asarray(value, dtype=float)
    except Exception:
        return data
    if type(array) is np.ndarray and budget.take(int(array.size)):
        flat = [_number(x) for x in array.ravel().tolist()]
        data["array"] = {"shape": [int(n) for n in array.shape], "v": flat}
    return data


def encode_outcomes(outcomes) -> dict:
    """A function exercise's answer: the :class:`Outcome` of each test case."""
    return {"t": "function", "cases": [encode_outcome(o) for o in outcomes]}


def encode_outcome(outcome: Outcome) -> dict:
    if outcome.timed_out is not None:
        return {"timed_out": float(outcome.timed_out)}
    if outcome.ended is not None:
        return {"ended": cap(outcome.ended)}
    if outcome.not_implemented:
        return {"not_implemented": True}
    if outcome.raised is not None:
        return {"raised": safe_name(outcome.raised), "message": cap(outcome.message)}
    return {"value": encode(outcome.value)}
