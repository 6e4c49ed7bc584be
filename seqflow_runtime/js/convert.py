"""Crossing the boundary: JS values to plain Python data and back.

Results handed to callers are JSON-shaped Python (objects → dict, arrays →
list, undefined → None, integral numbers → int); response data handed to
guests becomes JS values. Nothing else crosses: no Python object reaches JS.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from seqflow_transpile.utf16 import from_js_string, to_js_string

from .values import HOLE, JSArray, JSFunction, JSObject, Symbol, undefined

if TYPE_CHECKING:
    from .runtime import Runtime

MAX_DEPTH = 1000


def to_python(rt: "Runtime", value: Any, _depth: int = 0, _seen: frozenset[int] = frozenset(),
              _count: list[int] | None = None) -> Any:
    """A JS value as JSON-shaped Python data (cycles and functions become ``None``).

    Every value converted is a step, and a result may hold at most
    ``max_result_nodes`` values: an object graph that shares its nodes (a DAG
    of 2**40 paths) would otherwise expand without end.
    """
    if _count is None:
        _count = [0]
    _count[0] += 1
    if _count[0] > rt.limits.max_result_nodes:
        rt.hit_limit("max_result_nodes", f"Result too large (more than {rt.limits.max_result_nodes} values)")
    rt.tick()
    if value is undefined or value is None:
        return None
    t = type(value)
    if t is bool:
        return value
    if t is int:
        return value
    if t is float:
        if value != value or math.isinf(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**63 else value
    if t is str:
        return from_js_string(value)
    if isinstance(value, Symbol) or isinstance(value, JSFunction):
        return None
    if not isinstance(value, JSObject) or _depth > MAX_DEPTH or id(value) in _seen:
        return None
    seen = _seen | {id(value)}
    to_json = value.get("toJSON")
    if isinstance(to_json, JSFunction):
        return to_python(rt, rt.call_method(value, "toJSON"), _depth + 1, seen, _count)
    wrapper = rt.intrinsics["JSPrimitiveWrapper"]
    if isinstance(value, wrapper):
        return to_python(rt, value.value, _depth + 1, seen, _count)
    if isinstance(value, JSArray):
        return [to_python(rt, undefined if v is HOLE else v, _depth + 1, seen, _count) for v in value.items]
    special = rt.intrinsics.get("to_python_special")
    if special is not None:
        handled, converted = special(value)
        if handled:
            return [to_python(rt, v, _depth + 1, seen, _count) for v in converted] if isinstance(converted, list) else converted
    out: dict[str, Any] = {}
    for key in value.own_keys():
        if type(key) is not str:
            continue
        desc = value.get_own_property(key)
        if desc is None or not desc.enumerable:
            continue
        item = value.get(key)
        if item is undefined or isinstance(item, (JSFunction, Symbol)):
            continue
        out[from_js_string(key)] = to_python(rt, item, _depth + 1, seen, _count)
    return out


def from_python(rt: "Runtime", data: Any) -> Any:
    """JSON-shaped Python data as a JS value (dict → object, list → array)."""
    t = type(data)
    if t is str:
        return data if data.isascii() else to_js_string(data)
    if t is bool or t is float or data is None:
        return data
    if t is int:
        return data if -(2**53) <= data <= 2**53 else float(data)
    if t is dict:
        o = rt.new_object()
        props = o.props
        for k, v in data.items():
            key = k if type(k) is str and k.isascii() else to_js_string(str(k))
            if key[:1].isdigit():
                o.put(rt.key_for(o, key), from_python(rt, v))
            else:
                props[key] = from_python(rt, v)
        return o
    if isinstance(data, dict):
        return from_python(rt, dict(data))
    if isinstance(data, (list, tuple)):
        return rt.new_array([from_python(rt, v) for v in data])
    raise TypeError(f"cannot pass a {type(data).__name__} to JavaScript")
