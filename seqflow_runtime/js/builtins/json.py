"""The ``JSON`` object: ``JSON.parse`` and ``JSON.stringify`` (ES2019 well-formed output).

``JSON.parse`` lets Python's C JSON scanner do the work (hooks build the JS
objects directly) and falls back to :func:`parse_precise`, an iterative
scanner of the JSON grammar, only when that fails: to produce V8's error
message and position, or to parse what Python cannot (very deep nesting,
integers with thousands of digits).

``JSON.stringify`` is one recursive serializer whose per-object checks let
plain objects and arrays (no ``toJSON``, no accessors, no attribute
overrides) skip the generic property protocol.
"""

from __future__ import annotations

import json
import re
import sys
from json import decoder as _decoder
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, Callable

from seqflow_transpile.utf16 import to_js_string

from .. import ops
from ..numconv import number_to_string
from ..regexp_support import lazy_pattern
from ..values import (
    CONFIGURABLE,
    HOLE,
    SYM_TO_STRING_TAG,
    WRITABLE,
    Descriptor,
    JSArray,
    JSObject,
    Symbol,
    call,
    is_callable,
    range_error,
    syntax_error,
    type_error,
    undefined,
)
from .core import JSPrimitiveWrapper
from .deferred import later, method, pend
from .object import enumerable_own_keys, js_key

if TYPE_CHECKING:
    from ..runtime import Runtime

#: 2**53: integers beyond it are floats in the value model.
MAX_SAFE = 9007199254740992

#: An escape that may decode to half of an astral character (needs the UTF-16 split).
_SURROGATE_ESCAPE = lazy_pattern(r"\\u[dD][89abAB]")
_WS = lazy_pattern(r"[ \t\n\r]*")
_DIGITS = lazy_pattern(r"[0-9]*")
_STRING_BODY = lazy_pattern(r'(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*')
_HEX = "0123456789abcdefABCDEF"
_SURROGATE = lazy_pattern("[\ud800-\udfff]")
_QUOTE_SLOW = lazy_pattern('([\ud800-\udbff][\udc00-\udfff])|([\x00-\x1f"\\\\\ud800-\udfff])')
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


#: The standard library's string-literal decoder (C-accelerated; absent from the type stubs).
scanstring: Callable[[str, int, bool], tuple[str, int]] = getattr(_decoder, "scanstring")


class _Reject(Exception):
    """Raised from the ``parse_constant`` hook: NaN/Infinity are not JSON."""


def _reject_constant(name: str) -> Any:
    raise _Reject(name)


def _parse_int_text(s: str) -> int | float:
    """An integer literal as a JS number (``-0`` keeps its sign; beyond 2**53 it is a float)."""
    if s == "-0":
        return -0.0
    if len(s) <= 16:
        return int(s)
    # float() of the text rounds correctly (and gives inf past the range) with no digit limit.
    f = float(s)
    return int(s) if -MAX_SAFE <= f <= MAX_SAFE else f


def _big_int(n: int) -> float:
    """An integer literal beyond 2**53 as the nearest double (Infinity past the range)."""
    try:
        return float(n)
    except OverflowError:
        return float("inf") if n > 0 else float("-inf")


def _parse_float_text(s: str) -> int | float:
    """A number with a fraction or exponent as a JS number (integral values in range become ints)."""
    f = float(s)
    if f.is_integer() and -MAX_SAFE <= f <= MAX_SAFE and (f != 0 or s[0] != "-"):
        return int(f)
    return f


def _error_at(text: str, pos: int) -> Exception:
    """V8's (pre-2022) JSON.parse SyntaxError for the token at ``pos``."""
    if pos >= len(text):
        return syntax_error("Unexpected end of JSON input")
    c = text[pos]
    if c in "-0123456789":
        return syntax_error(f"Unexpected number in JSON at position {pos}")
    if c == '"':
        return syntax_error(f"Unexpected string in JSON at position {pos}")
    return syntax_error(f"Unexpected token {c} in JSON at position {pos}")


def quote(s: str) -> str:
    """QuoteJSONString (well-formed: lone surrogates become ``\\udXXX``, pairs stay raw)."""
    if s.isascii() or _SURROGATE().search(s) is None:
        return encode_basestring(s)

    def esc(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1)
        c = m.group(2)
        e = _ESCAPES.get(c)
        return e if e is not None else f"\\u{ord(c):04x}"

    return '"' + _QUOTE_SLOW().sub(esc, s) + '"'


def is_array(v: Any) -> bool:
    """IsArray (a proxy can only exist once :mod:`.reflect`, which knows them, is imported)."""
    if isinstance(v, JSArray):
        return v.class_name == "Array"
    if type(v) is JSObject or not isinstance(v, JSObject):
        return False
    from .reflect import is_array as proxy_aware

    return proxy_aware(v)


def fmt_float(v: float) -> str:
    """A float as JSON text: Number::toString when finite, else ``null``."""
    if v - v != 0:
        return "null"
    if v == 0:
        return "0"
    r = repr(v)
    if "e" not in r:
        # repr is positional for 1e-4 <= |v| < 1e16 and then agrees with JS.
        return r[:-2] if r.endswith(".0") else r
    return number_to_string(v)


def install(rt: "Runtime") -> None:
    """The ``JSON`` namespace object."""
    OP = rt.ObjectPrototype
    AP = rt.ArrayPrototype
    J = JSObject(OP)
    guard = rt.guard
    rt.global_object.put("JSON", J, WRITABLE | CONFIGURABLE)
    rt.intrinsics["JSON"] = J
    J.write_slot(SYM_TO_STRING_TAG, "JSON", CONFIGURABLE)
    pend(rt, J)  # parse and stringify are made when a script first looks at JSON

    def methods() -> None:
        """JSON.parse and JSON.stringify (25.5.1, 25.5.2), made when a script first looks at JSON."""
        # -- parse ------------------------------------------------------------------------

        def new_array(items: list[Any]) -> JSArray:
            return rt.new_array(items)

        def parse_fast(text: str) -> Any:
            """Python's scanner with hooks; raises on anything it cannot do exactly."""
            # Escapes that decode to astral characters must be split back into UTF-16 pairs.
            split = _SURROGATE_ESCAPE().search(text) is not None
            new_object = JSObject.__new__
            # The parsed values are reachable only at the end: sampled as pending while they are made.
            start_blocks = sys.getallocatedblocks()
            made = 0

            def fix(v: Any) -> Any:
                t = type(v)
                if t is list:
                    return make_array(v)
                if t is int and not -MAX_SAFE <= v <= MAX_SAFE:
                    return _big_int(v)
                if t is str and split:
                    return to_js_string(v)
                return v

            def make_array(items: list[Any]) -> JSArray:
                for i, v in enumerate(items):
                    t = type(v)
                    if t is list or (t is int and not -MAX_SAFE <= v <= MAX_SAFE) or (t is str and split):
                        items[i] = fix(v)
                return new_array(items)

            def make_object(pairs: list[tuple[str, Any]]) -> JSObject:
                nonlocal made
                made += 1
                if not made & 1023:
                    guard.building(start_blocks)
                if split:
                    props: dict[Any, Any] = {}
                    for k, v in pairs:
                        props[to_js_string(k)] = fix(v)
                else:
                    # Duplicate keys: the last value wins, at the first key's position (as in JS).
                    props = dict(pairs)
                    for k, v in props.items():
                        t = type(v)
                        if t is list:
                            props[k] = make_array(v)
                        elif t is int and not -MAX_SAFE <= v <= MAX_SAFE:
                            props[k] = _big_int(v)
                # Built field by field: skips JSObject.__init__'s throwaway dict (the hot path of parse).
                o = new_object(JSObject)
                o.proto = OP
                o.props = props
                o.flags = None
                o.extensible = True
                return o

            try:
                value = json.loads(
                    text,
                    object_pairs_hook=make_object,
                    parse_float=_parse_float_text,
                    # Only a literal -0 needs the (slower) Python hook; big ints are fixed up above.
                    parse_int=_parse_int_text if "-0" in text else int,
                    parse_constant=_reject_constant,
                )
            finally:
                guard.pending = 0
            return fix(value)

        def parse_precise(text: str) -> Any:
            """The JSON grammar, iteratively (any depth), with V8's error messages."""
            n = len(text)
            ws = _WS().match

            def read_string(pos: int) -> tuple[str, int]:
                # text[pos] is the opening quote.
                end = _STRING_BODY().match(text, pos + 1).end()  # type: ignore[union-attr]
                if end >= n:
                    raise _error_at(text, end)
                c = text[end]
                if c != '"':
                    if c == "\\":
                        nxt = end + 1
                        if nxt < n and text[nxt] == "u":
                            for j in range(nxt + 1, nxt + 5):
                                if j >= n or text[j] not in _HEX:
                                    raise _error_at(text, j)
                        raise _error_at(text, nxt)
                    raise _error_at(text, end)
                s, after = scanstring(text, pos + 1, True)
                return to_js_string(s), after

            def read_number(pos: int) -> tuple[Any, int]:
                start = pos
                if text[pos] == "-":
                    pos += 1
                    if pos >= n or not "0" <= text[pos] <= "9":
                        raise _error_at(text, pos)
                if text[pos] == "0":
                    pos += 1
                else:
                    pos = _DIGITS().match(text, pos).end()  # type: ignore[union-attr]
                is_float = False
                if pos < n and text[pos] == ".":
                    pos += 1
                    if pos >= n or not "0" <= text[pos] <= "9":
                        raise _error_at(text, pos)
                    pos = _DIGITS().match(text, pos).end()  # type: ignore[union-attr]
                    is_float = True
                if pos < n and text[pos] in "eE":
                    pos += 1
                    if pos < n and text[pos] in "+-":
                        pos += 1
                    if pos >= n or not "0" <= text[pos] <= "9":
                        raise _error_at(text, pos)
                    pos = _DIGITS().match(text, pos).end()  # type: ignore[union-attr]
                    is_float = True
                literal = text[start:pos]
                return (_parse_float_text(literal) if is_float else _parse_int_text(literal)), pos

            def read_word(pos: int, word: str) -> int:
                for i, ch in enumerate(word):
                    if pos + i >= n or text[pos + i] != ch:
                        raise _error_at(text, pos + i)
                return pos + len(word)

            # Frames: [container, key] where key is None for arrays.
            stack: list[list[Any]] = []
            pos = ws(text, 0).end()  # type: ignore[union-attr]
            while True:
                # A value starts at pos.
                c = text[pos] if pos < n else ""
                value: Any
                if c == "{":
                    pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
                    if pos < n and text[pos] == "}":
                        value = JSObject(OP)
                        pos += 1
                    else:
                        if pos >= n or text[pos] != '"':
                            raise _error_at(text, pos)
                        key, pos = read_string(pos)
                        pos = ws(text, pos).end()  # type: ignore[union-attr]
                        if pos >= n or text[pos] != ":":
                            raise _error_at(text, pos)
                        pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
                        stack.append([{}, key])
                        continue
                elif c == "[":
                    pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
                    if pos < n and text[pos] == "]":
                        value = new_array([])
                        pos += 1
                    else:
                        stack.append([[], None])
                        continue
                elif c == '"':
                    value, pos = read_string(pos)
                elif c and c in "-0123456789":
                    value, pos = read_number(pos)
                elif c == "t":
                    value, pos = True, read_word(pos, "true")
                elif c == "f":
                    value, pos = False, read_word(pos, "false")
                elif c == "n":
                    value, pos = None, read_word(pos, "null")
                else:
                    raise _error_at(text, pos)
                # The value is complete: store it, closing containers as they end.
                while True:
                    pos = ws(text, pos).end()  # type: ignore[union-attr]
                    if not stack:
                        if pos != n:
                            raise _error_at(text, pos)
                        return value
                    frame = stack[-1]
                    container, key = frame
                    c = text[pos] if pos < n else ""
                    if key is None:
                        container.append(value)
                        if c == ",":
                            pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
                            break
                        if c == "]":
                            stack.pop()
                            value = new_array(container)
                            pos += 1
                            continue
                        raise _error_at(text, pos)
                    container[key] = value
                    if c == ",":
                        pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
                        if pos >= n or text[pos] != '"':
                            raise _error_at(text, pos)
                        key, pos = read_string(pos)
                        pos = ws(text, pos).end()  # type: ignore[union-attr]
                        if pos >= n or text[pos] != ":":
                            raise _error_at(text, pos)
                        pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
                        frame[1] = key
                        break
                    if c == "}":
                        stack.pop()
                        value = JSObject(OP)
                        value.props = container
                        pos += 1
                        continue
                    raise _error_at(text, pos)

        def internalize(holder: JSObject, name: Any, reviver: Any) -> Any:
            """InternalizeJSONProperty (keys reach the reviver as strings)."""
            rt.tick()
            val = holder.get(name)
            if isinstance(val, JSObject):
                if is_array(val):
                    length = ops.to_length(val.get("length"))
                    for i in range(length):
                        key = i if type(val) is JSArray else str(i)
                        element = internalize(val, key, reviver)
                        if element is undefined:
                            val.delete(key)
                        else:
                            val.define_own_property(key, Descriptor(element, writable=True, enumerable=True,
                                                                    configurable=True))
                else:
                    for key in enumerable_own_keys(val):
                        element = internalize(val, key, reviver)
                        if element is undefined:
                            val.delete(key)
                        else:
                            val.define_own_property(key, Descriptor(element, writable=True, enumerable=True,
                                                                    configurable=True))
            return call(reviver, holder, js_key(name), val)

        def parse(this: Any, text: Any = undefined, reviver: Any = undefined, *_: Any) -> Any:
            jtext = ops.to_string(text)
            try:
                value = parse_fast(jtext)
            except (ValueError, RecursionError, _Reject):
                value = parse_precise(jtext)
            if is_callable(reviver):
                root = rt.new_object()
                root.props[""] = value
                return internalize(root, "", reviver)
            return value

        # -- stringify ---------------------------------------------------------------------------

        def stringify(this: Any, value: Any = undefined, replacer: Any = undefined, space: Any = undefined,
                      *_: Any) -> Any:
            replacer_fn: Any = None
            property_list: list[str] | None = None
            if isinstance(replacer, JSObject):
                if is_callable(replacer):
                    replacer_fn = replacer
                elif is_array(replacer):
                    property_list = []
                    seen: set[str] = set()
                    for i in range(ops.to_length(replacer.get("length"))):
                        v = rt.get(replacer, i)
                        item: Any = None
                        if type(v) is str:
                            item = v
                        elif ops.is_number(v):
                            item = ops.to_string(v)
                        elif isinstance(v, JSPrimitiveWrapper) and type(v.value) in (str, int, float):
                            item = ops.to_string(v)
                        if item is not None and item not in seen:
                            seen.add(item)
                            property_list.append(item)
            if isinstance(space, JSPrimitiveWrapper):
                if type(space.value) in (int, float):
                    space = ops.to_number(space)
                elif type(space.value) is str:
                    space = ops.to_string(space)
            if ops.is_number(space):
                count = min(10, ops.to_integer(space))
                gap = " " * int(count) if count >= 1 else ""
            elif type(space) is str:
                gap = space[:10]
            else:
                gap = ""

            parts: list[str] = []
            out = parts.append
            stack: set[int] = set()
            budget = rt.limits.max_string_length
            # Whether a plain object/array could inherit a toJSON: checked once, not per object.
            op_clean = "toJSON" not in OP.props and type(OP) is JSObject
            ap_clean = op_clean and "toJSON" not in AP.props and type(AP) is JSArray and AP.proto is OP
            simple = replacer_fn is None

            def spend(n: int) -> None:
                # Output size is bounded as it grows: shared sub-trees could otherwise
                # expand to far more text than the limit before the final check.
                nonlocal budget
                budget -= n
                if budget < 0:
                    raise range_error("Invalid string length")

            def prepare(holder: Any, key: Any, value: Any) -> Any:
                """SerializeJSONProperty's first half: toJSON, the replacer and unwrapping."""
                if isinstance(value, JSObject):
                    t = type(value)
                    if not ((t is JSObject and value.proto is OP and op_clean and "toJSON" not in value.props)
                            or (t is JSArray and value.proto is AP and ap_clean and "toJSON" not in value.props)):
                        to_json = value.get("toJSON")
                        if is_callable(to_json):
                            value = call(to_json, value, js_key(key))
                if replacer_fn is not None:
                    if holder is None:
                        holder = rt.new_object()
                        holder.props[""] = value
                    value = call(replacer_fn, holder, js_key(key), value)
                if isinstance(value, JSPrimitiveWrapper):
                    inner = type(value.value)
                    if inner is int or inner is float:
                        value = ops.to_number(value)
                    elif inner is str:
                        value = ops.to_string(value)
                    elif inner is bool:
                        value = value.value
                return value

            def omitted(value: Any) -> bool:
                return value is undefined or type(value) is Symbol or (isinstance(value, JSObject)
                                                                        and is_callable(value))

            def plain_kind(v: Any, t: type) -> int:
                """1: a plain object, 2: a plain array (no toJSON possible, no unwrapping), 0: neither."""
                if t is JSObject:
                    return 1 if v.proto is OP and op_clean and "toJSON" not in v.props else 0
                if t is JSArray:
                    return 2 if v.proto is AP and ap_clean and "toJSON" not in v.props else 0
                return 0

            def emit(value: Any, indent: str) -> None:
                """SerializeJSONProperty's second half, for a value that is not omitted."""
                t = type(value)
                if t is str:
                    q = quote(value)
                    spend(len(q))
                    out(q)
                elif t is int:
                    out(str(value))
                elif t is bool:
                    out("true" if value else "false")
                elif value is None:
                    out("null")
                elif t is float:
                    out(fmt_float(value))
                elif is_array(value):
                    emit_array(value, indent)
                elif not isinstance(value, JSObject):  # a BigInt
                    raise type_error("Do not know how to serialize a BigInt")
                else:
                    emit_object(value, indent)

            key_cache: dict[str, str] = {}

            def quote_key(key: str) -> str:
                q = key_cache.get(key)
                if q is None:
                    q = quote(key)
                    if len(key_cache) < 4096:
                        key_cache[key] = q
                return q

            def enter(value: JSObject, n: int) -> None:
                """Cycle check, step budget and output budget for a container of ``n`` members."""
                if id(value) in stack:
                    raise type_error("Converting circular structure to JSON")
                stack.add(id(value))
                rt.steps_left -= n + 1
                if rt.steps_left < 0:
                    rt.tick()
                spend(n + 2)

            def emit_object(value: JSObject, stepback: str) -> None:
                nonlocal budget
                indent = stepback + gap
                keys: list[Any]
                plain = type(value) is JSObject and value.flags is None
                if property_list is not None:
                    keys = property_list
                    plain = False
                elif plain:
                    keys = [k for k in value.own_keys() if type(k) is str]
                else:
                    keys = enumerable_own_keys(value)
                enter(value, len(keys))
                props = value.props
                if gap:
                    first_sep = "\n" + indent
                    sep = ",\n" + indent
                    colon = ": "
                else:
                    first_sep = ""
                    sep = ","
                    colon = ":"
                lead = first_sep
                out("{")
                for key in keys:
                    v = props[key] if plain else value.get(key)
                    t = type(v)
                    if simple:
                        # Common cases inline: primitives and plain containers need no
                        # toJSON, replacer or unwrapping.
                        if t is str:
                            qk = key_cache.get(key) or quote_key(key)
                            q = encode_basestring(v) if v.isascii() else quote(v)
                            budget -= len(q) + len(qk)
                            if budget < 0:
                                spend(0)
                            out(lead + qk + colon + q)
                            lead = sep
                            continue
                        if t is int or t is float or v is None or t is bool:
                            qk = key_cache.get(key) or quote_key(key)
                            budget -= len(qk)
                            if budget < 0:
                                spend(0)
                            out(lead + qk + colon + (str(v) if t is int else fmt_float(v) if t is float
                                                      else "null" if v is None else "true" if v else "false"))
                            lead = sep
                            continue
                        kind = plain_kind(v, t)
                        if kind:
                            qk = quote_key(key)
                            spend(len(qk))
                            out(lead + qk + colon)
                            lead = sep
                            if kind == 1:
                                emit_object(v, indent)
                            else:
                                emit_array(v, indent)
                            continue
                    v = prepare(value, key, v)
                    if omitted(v):
                        continue
                    qk = quote_key(key)
                    spend(len(qk))
                    out(lead + qk + colon)
                    lead = sep
                    emit(v, indent)
                if lead is not first_sep and gap:
                    out("\n" + stepback)
                out("}")
                stack.discard(id(value))

            def emit_array(value: JSObject, stepback: str) -> None:
                nonlocal budget
                indent = stepback + gap
                if type(value) is JSArray and value.flags is None:
                    items: list[Any] = value.items
                    n = len(items)
                    get: Callable[[int], Any] | None = None
                else:
                    n = ops.to_length(value.get("length"))
                    get = (lambda i: value.get(i)) if isinstance(value, JSArray) else (lambda i: value.get(str(i)))
                enter(value, n)
                if n == 0:
                    out("[]")
                    stack.discard(id(value))
                    return
                sep = ",\n" + indent if gap else ","
                out("[\n" + indent if gap else "[")
                for i in range(n):
                    if i:
                        out(sep)
                    if get is None:
                        v = items[i]
                        t = type(v)
                        if simple:
                            if t is str:
                                q = encode_basestring(v) if v.isascii() else quote(v)
                                budget -= len(q)
                                if budget < 0:
                                    spend(0)
                                out(q)
                                continue
                            if t is int:
                                out(str(v))
                                continue
                            if v is None or v is HOLE:
                                out("null")
                                continue
                            if t is float:
                                out(fmt_float(v))
                                continue
                            kind = plain_kind(v, t)
                            if kind == 1:
                                emit_object(v, indent)
                                continue
                            if kind == 2:
                                emit_array(v, indent)
                                continue
                        if v is HOLE:
                            v = undefined
                    else:
                        v = get(i)
                    v = prepare(value, i, v)
                    if omitted(v):
                        out("null")
                    else:
                        emit(v, indent)
                out("\n" + stepback + "]" if gap else "]")
                stack.discard(id(value))

            value = prepare(None, "", value)
            if omitted(value):
                return undefined
            emit(value, "")
            return rt.check_string("".join(parts))

        method(rt, J, "parse", parse, 2)
        method(rt, J, "stringify", stringify, 3)

    later(J, methods)
    rt.intrinsics["json_quote"] = quote
