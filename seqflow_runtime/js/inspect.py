"""Node-style rendering of JS values for ``console.log`` (a small ``util.inspect``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from . import ops
from .values import HOLE, JSArray, JSFunction, JSObject, Symbol, key_repr, undefined

if TYPE_CHECKING:
    from .runtime import Runtime

MAX_DEPTH = 2
MAX_ITEMS = 100


def format_log_args(rt: "Runtime", args: tuple[Any, ...]) -> str:
    """``console.log(a, b)`` as Node's ``util.format``: a first string's ``%`` directives take the
    arguments they name; the rest are appended, strings as they are, other values inspected."""
    rest = list(args)
    head = ""
    if rest and type(rest[0]) is str and "%" in rest[0]:
        head = _format_directives(rt, rest.pop(0), rest)
        return " ".join([head, *(a if type(a) is str else inspect(rt, a) for a in rest)])
    return " ".join(a if type(a) is str else inspect(rt, a) for a in rest)


def _format_directives(rt: "Runtime", text: str, rest: list[Any]) -> str:
    """Replace ``%s %d %i %f %j %o %O %c %%`` in ``text``, consuming ``rest`` from the front."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "%" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        d = text[i + 1]
        if d == "%":
            out.append("%")
        elif d in "sdifjoOc" and rest:
            out.append(_directive(rt, d, rest.pop(0)))
        else:
            out.append(c + d)
        i += 2
    return "".join(out)


def _directive(rt: "Runtime", d: str, v: Any) -> str:
    if d == "s":
        if isinstance(v, JSObject):
            return inspect(rt, v, MAX_DEPTH)
        return v if type(v) is str else inspect(rt, v)
    if d in "di":
        if isinstance(v, JSObject):
            return "NaN"
        n = ops.to_number(v) if not isinstance(v, Symbol) else math.nan
        return inspect(rt, float(math.trunc(n)) if d == "i" and math.isfinite(n) else n)
    if d == "f":
        return "NaN" if isinstance(v, Symbol) else inspect(rt, ops.to_number(ops.to_string(v)) if type(v) is str
                                                         else ops.to_number(v))
    if d == "j":
        text = rt.call_method(rt.intrinsics["JSON"], "stringify", v)
        return "undefined" if text is undefined else str(text)
    if d == "c":
        return ""
    return inspect(rt, v, 0, quote_strings=True)


def inspect_thrown(rt: "Runtime", v: Any) -> str:
    """A thrown value as Node's REPL shows it after ``Uncaught``: strings quoted, the rest inspected."""
    return _quote(v) if type(v) is str else inspect(rt, v)


def _quote(s: str) -> str:
    if "'" not in s:
        return "'" + s.replace("\\", "\\\\").replace("\n", "\\n") + "'"
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _key(k: Any) -> str:
    if isinstance(k, Symbol):
        return f"[{key_repr(k)}]"
    if k.isidentifier():
        return str(k)
    return _quote(str(k))


def inspect(rt: "Runtime", v: Any, depth: int = 0, seen: frozenset[int] = frozenset(),
            quote_strings: bool = False) -> str:
    """One value as Node's ``util.inspect`` would show it (depth 2, cycles as [Circular]).

    A string at the top is shown as it is, unless ``quote_strings`` (as ``util.inspect`` itself does).
    """
    if type(v) is str:
        return _quote(v) if depth > 0 or quote_strings else v
    if not isinstance(v, JSObject):
        if isinstance(v, Symbol):
            return key_repr(v)
        if type(v) is float and v == 0 and math.copysign(1.0, v) < 0:
            return "-0"  # util.inspect shows the sign String() drops
        return ops.to_string(v) if v is not None else "null"
    if id(v) in seen:
        return "[Circular *1]"
    seen = seen | {id(v)}
    if isinstance(v, JSFunction):
        kind = "class" if v.kind in ("class", "derived") else "Function"
        return f"[{kind}: {v.name}]" if v.name else f"[{kind} (anonymous)]"
    if v.class_name == "Error":
        stack = v.get("stack")
        return stack if type(stack) is str else ops.to_string(rt.call_method(v, "toString"))
    custom = rt.intrinsics.get("inspect_special")
    if custom is not None:
        special = custom(v, depth)
        if special is not None:
            return str(special)
    if depth > MAX_DEPTH:
        return "[Array]" if isinstance(v, JSArray) else "[Object]"
    parts: list[str] = []
    if isinstance(v, JSArray):
        holes = 0
        for item in v.items[:MAX_ITEMS]:
            if item is HOLE:
                holes += 1
                continue
            if holes:
                parts.append(f"<{holes} empty item{'s' if holes > 1 else ''}>")
                holes = 0
            parts.append(inspect(rt, item if item is not undefined else undefined, depth + 1, seen))
        if holes:
            parts.append(f"<{holes} empty item{'s' if holes > 1 else ''}>")
        if len(v.items) > MAX_ITEMS:
            parts.append(f"... {len(v.items) - MAX_ITEMS} more items")
        extra = [k for k in v.props if type(k) is str]
        parts.extend(f"{_key(k)}: {inspect(rt, v.get(k), depth + 1, seen)}" for k in extra)
        return "[]" if not parts else "[ " + ", ".join(parts) + " ]"
    for k in v.own_keys():
        d = v.get_own_property(k)
        if d is None or not d.enumerable:
            continue
        if d.is_accessor:
            parts.append(f"{_key(k)}: [Getter{'/Setter' if d.set is not undefined else ''}]")
        else:
            parts.append(f"{_key(k)}: {inspect(rt, d.value, depth + 1, seen)}")
    prefix = ""
    ctor = v.get("constructor") if v.proto is not None else undefined
    if isinstance(ctor, JSFunction) and ctor.name and ctor.name != "Object":
        prefix = ctor.name + " "
    elif v.proto is None:
        prefix = "[Object: null prototype] "
    if not parts:
        return prefix + "{}"
    return prefix + "{ " + ", ".join(parts) + " }"
