"""Plain data back into objects, in the grader: the other half of :mod:`coursekit.grading.plain`.

:func:`decode` rebuilds, from data that :func:`~coursekit.grading.plain.encode` wrote in the
student's process, an object that the exercises judge exactly as the original (see that
module). Nothing here runs code from the data: an object that was not a plain value comes back
as an instance of a new, empty class of the same name (:class:`Opaque`). Every field is checked;
anything ``encode`` could not have written raises :class:`PlainDataError` (so does data that
makes numpy refuse it, an int64 of infinity say: it reads as a damaged answer, and an answer
that names more than :data:`MAX_CLASSES` kinds of objects, each of which would cost the
grader a class).
"""

from __future__ import annotations

import math

import numpy as np

from coursekit.exercises.functions import Outcome
from coursekit.grading.plain import (
    DTYPES,
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_MESSAGE,
    MAX_NAME,
    MAX_TEXT,
    safe_name,
)

MISSING = type("Missing", (), {"__repr__": lambda self: "<missing>"})()
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class PlainDataError(ValueError):
    """Data that :func:`~coursekit.grading.plain.encode` could not have written."""


MAX_CLASSES = 100  # names of objects in one answer (each becomes a class, a few kB)
_classes: dict[tuple, type] = {}  # those of the answer being decoded, emptied for each


class Opaque:
    """Stands for an object that is not a plain value; its class has the original's name."""

    _array: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object>"


def _opaque(name: str, is_callable: bool, array: np.ndarray | None, function: str = ""):
    key = (name, is_callable, array is not None)
    if key not in _classes:
        _expect(len(_classes) < MAX_CLASSES, "fewer kinds of objects")
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
    """The object that :func:`coursekit.grading.plain.encode` described (see the module
    docstring)."""
    _classes.clear()
    try:
        return _decode(data, 0)
    except PlainDataError:
        raise
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as error:
        # e.g. an int64 of "inf", a complex number of no parts: data encode never writes
        raise PlainDataError(f"{type(error).__name__} while decoding") from None
    finally:
        _classes.clear()  # no class outlives its answer, none is shared with another's


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
    _expect(dtype in DTYPES, "a numpy type")
    scalar = np.dtype(dtype).type
    if np.dtype(scalar).kind in "iub":
        _expect(number == int(number), "an integer")
        return scalar(int(number))
    return scalar(number)


def _decode_array(data, depth: int) -> np.ndarray:
    dtype, items = data.get("dtype"), data.get("v")
    _expect(dtype in DTYPES or dtype in ("str", "object"), "an array type")
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
    """The outcomes that :func:`coursekit.grading.plain.encode_outcomes` described."""
    _classes.clear()
    try:
        return _decode_outcomes(data)
    except PlainDataError:
        raise
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as error:
        raise PlainDataError(f"{type(error).__name__} while decoding") from None
    finally:
        _classes.clear()


def _decode_outcomes(data) -> list[Outcome]:
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
