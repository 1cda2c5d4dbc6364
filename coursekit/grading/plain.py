"""Answers as plain data: the only thing that crosses from a student's process to the grader.

:func:`encode` runs in the student's process (inside the sandbox) and turns an answer into a
small JSON-able dict: numbers, flat lists of floats (``"nan"``, ``"inf"``, ``"-inf"`` as
strings), strings, booleans, and markers for what is not a plain value. :func:`decode` runs in
the grader and rebuilds an object that the exercises judge exactly as they judge the original:
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
function exercise's :class:`~coursekit.exercises.core.Outcome` per test case). Every size is
capped, and :func:`decode` checks every field (:class:`PlainDataError` otherwise).
"""

from __future__ import annotations

import builtins
import json
import math
import re

import numpy as np

from coursekit.exercises.core import Outcome

MAX_ITEMS = 10_000  # numbers, strings... in one answer
MAX_DEPTH = 20  # nested lists
MAX_TEXT = 1_000  # characters of a string answer
MAX_NAME = 60  # characters of a type or function name
MAX_MESSAGE = 300  # characters of an exception message
MISSING = type("Missing", (), {"__repr__": lambda self: "<missing>"})()

_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
#: numpy scalar and array types that travel as themselves (the type decides the wording).
_DTYPES = frozenset(
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


class PlainDataError(ValueError):
    """Data that :func:`encode` could not have written (damaged or forged)."""


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
        if dtype in _DTYPES and dtype.startswith("complex"):
            z = complex(value)
            return {"t": "complex", "dtype": dtype, "v": [_number(z.real), _number(z.imag)]}
        if dtype in _DTYPES:
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
    if dtype.kind in "biuf" and dtype.name in _DTYPES:
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


# -- decoding: in the grader ----------------------------------------------------------------
_classes: dict[tuple, type] = {}


class Opaque:
    """Stands for an object that is not a plain value; its class has the original's name."""

    _array: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object>"


def _opaque(name: str, is_callable: bool, array: np.ndarray | None, function: str = ""):
    key = (name, is_callable, array is not None)
    if key not in _classes:
        namespace: dict = {"__module__": "student"}
        if is_callable:
            namespace["__call__"] = lambda self, *a, **k: None
        if array is not None:
            namespace["__array__"] = lambda self, dtype=None, copy=None: self._array.astype(
                dtype or float
            )
        _classes[key] = type(name, (Opaque,), namespace)
    instance = _classes[key]()
    if array is not None:
        instance._array = array
    if is_callable:
        instance.__name__ = function or name
    return instance


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise PlainDataError(what)


def _text(value, limit: int = MAX_TEXT) -> str:
    _expect(type(value) is str and len(value) <= limit, "a string")
    return value


def _float_of(value) -> float:
    if type(value) is str:
        _expect(value in _NONFINITE, "a number")
        return _NONFINITE[value]
    _expect(type(value) in (int, float) and not isinstance(value, bool), "a number")
    return float(value)


def _shape_of(value, items: int | None) -> tuple[int, ...]:
    _expect(type(value) is list and len(value) <= 32, "a shape")
    for n in value:
        _expect(type(n) is int and 0 <= n, "a shape")
    shape = tuple(value)
    if items is not None:
        _expect(math.prod(shape) == items, "data that fits its shape")
    return shape


def decode(data) -> object:
    """The object that :func:`encode` described (see the module docstring)."""
    return _decode(data, 0)


def _decode(data, depth: int):
    _expect(type(data) is dict and depth <= MAX_DEPTH + 1, "an encoded value")
    kind = data.get("t")
    if kind == "missing":
        return MISSING
    if kind == "placeholder":
        return Ellipsis
    if kind == "none":
        return None
    if kind == "bool":
        _expect(type(data.get("v")) is bool, "a boolean")
        return data["v"]
    if kind == "str":
        text = _text(data.get("v"))
        return np.str_(text) if data.get("np") is True else text
    if kind == "bytes":
        return _text(data.get("v")).encode("latin-1")
    if kind == "num":
        return _decode_number(data)
    if kind == "complex":
        parts = data.get("v")
        _expect(type(parts) is list and len(parts) == 2, "a complex number")
        number = complex(_float_of(parts[0]), _float_of(parts[1]))
        dtype = data.get("dtype")
        if dtype == "complex":
            return number
        _expect(dtype in ("complex64", "complex128"), "a complex type")
        return np.dtype(dtype).type(number)
    if kind == "array":
        return _decode_array(data, depth)
    if kind in ("list", "tuple"):
        items = data.get("v")
        _expect(type(items) is list and len(items) <= MAX_ITEMS, "a list")
        decoded = [_decode(item, depth + 1) for item in items]
        return decoded if kind == "list" else tuple(decoded)
    if kind == "big":
        return _decode_big(data)
    if kind == "object":
        return _decode_object(data)
    raise PlainDataError(f"an unknown kind {str(kind)[:20]!r}")


def _decode_big(data):
    """Too large to send: the shape is all a message needs (no answer is this large)."""
    container, shape = data.get("container"), data.get("shape")
    _expect(container in ("list", "tuple", "ndarray"), "a container")
    if shape is None:  # ragged
        return _opaque(container, False, None)
    shape = _shape_of(shape, None)
    if container != "ndarray" and len(shape) == 1 and shape[0] <= 100 * MAX_ITEMS:
        items = [math.nan] * shape[0]
        return items if container == "list" else tuple(items)
    return np.broadcast_to(np.array(np.nan), shape)


def _decode_number(data):
    dtype, value = data.get("dtype"), data.get("v")
    if dtype == "int":
        _expect(type(value) is int, "an integer")
        return value
    number = _float_of(value)
    if dtype == "float":
        return number
    _expect(dtype in _DTYPES, "a numpy type")
    scalar = np.dtype(dtype).type
    if np.dtype(scalar).kind in "iub":
        _expect(number == int(number), "an integer")
        return scalar(int(number))
    return scalar(number)


def _decode_array(data, depth: int) -> np.ndarray:
    dtype, items = data.get("dtype"), data.get("v")
    _expect(dtype in _DTYPES or dtype in ("str", "object"), "an array type")
    _expect(type(items) is list and len(items) <= MAX_ITEMS, "array data")
    shape = _shape_of(data.get("shape"), len(items))
    if dtype == "str":
        return np.array([_text(s) for s in items], dtype=str).reshape(shape)
    if dtype == "object":
        array = np.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            array[i] = _decode(item, depth + 1)
        return array.reshape(shape)
    if np.dtype(dtype).kind == "c":
        pairs = [complex(_float_of(p[0]), _float_of(p[1])) for p in items if type(p) is list]
        _expect(len(pairs) == len(items), "complex data")
        return np.array(pairs, dtype=dtype).reshape(shape)
    if np.dtype(dtype).kind == "b":
        _expect(all(type(x) is bool for x in items), "boolean data")
        return np.array(items, dtype=bool).reshape(shape)
    numbers = [_float_of(x) for x in items]
    if np.dtype(dtype).kind in "iu":
        _expect(all(x == int(x) for x in numbers), "integer data")
        return np.array([int(x) for x in numbers], dtype=dtype).reshape(shape)
    return np.array(numbers, dtype=dtype).reshape(shape)


def _decode_object(data) -> Opaque:
    name = _text(data.get("type"), MAX_NAME)
    is_callable = data.get("callable")
    _expect(type(is_callable) is bool, "a flag")
    array = None
    if "array" in data:
        raw = data["array"]
        _expect(type(raw) is dict and type(raw.get("v")) is list, "array data")
        _expect(len(raw["v"]) <= MAX_ITEMS, "array data")
        shape = _shape_of(raw.get("shape"), len(raw["v"]))
        array = np.array([_float_of(x) for x in raw["v"]], dtype=float).reshape(shape)
    function = _text(data.get("name", name), MAX_NAME) if is_callable else ""
    return _opaque(name, is_callable, array, function)


def decode_outcomes(data) -> list[Outcome]:
    """The outcomes that :func:`encode_outcomes` described."""
    _expect(type(data) is dict and data.get("t") == "function", "a function's outcomes")
    cases = data.get("cases")
    _expect(type(cases) is list and len(cases) <= 1000, "outcomes")
    outcomes = []
    for case in cases:
        _expect(type(case) is dict, "an outcome")
        if "value" in case:
            outcomes.append(Outcome(value=_decode(case["value"], 0)))
        elif "timed_out" in case:
            outcomes.append(Outcome(timed_out=_float_of(case["timed_out"])))
        elif "ended" in case:
            outcomes.append(Outcome(ended=_text(case["ended"], MAX_MESSAGE)))
        elif case.get("not_implemented") is True:
            outcomes.append(Outcome(raised="NotImplementedError", not_implemented=True))
        elif "raised" in case:
            raised = safe_name(_text(case["raised"], MAX_NAME))
            outcomes.append(Outcome(raised=raised, message=_text(case.get("message", ""))))
        else:
            raise PlainDataError("an outcome")
    return outcomes
