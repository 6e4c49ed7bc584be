"""The ``JSON`` object: ``JSON.parse`` and ``JSON.stringify`` (ES2019 well-formed output).

``JSON.parse`` lets Python's C JSON scanner do the work (hooks build the JS
objects directly) and falls back to :func:`parse_precise`, an iterative
scanner of the JSON grammar, only when that fails: to produce V8's error
message and position, or to parse what Python cannot (very deep nesting,
integers with thousands of digits).

``JSON.stringify`` is one recursive serializer whose per-object checks let
plain objects and arrays (no ``toJSON``, no accessors, no attribute
overrides) skip the generic property protocol. Without a replacer or gap, a
tree of such objects is first handed to Python's C encoder
(:class:`PlainEncoder`), which gives up on anything it cannot write exactly;
the recursive serializer then writes the value from the start.
"""

from __future__ import annotations

import json
import math
import re
import sys
from json import decoder as _decoder
from json import encoder as _encoder
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, Callable

from seqflow_transpile.utf16 import to_js_string

from .. import ops
from ..numconv import canonical_numeric_index, number_to_string
from ..regexp_support import lazy_pattern
from ..values import (
    CONFIGURABLE,
    DIGITS,
    HOLE,
    SYM_TO_STRING_TAG,
    WRITABLE,
    Descriptor,
    JSArray,
    JSFunction,
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


#: The standard library's C encoder factory (absent from the type stubs).
c_make_encoder: Callable[..., Callable[[Any, int], Any]] = getattr(_encoder, "c_make_encoder")
#: The C string quoter the C encoder recognizes (it then quotes without calling back into Python).
c_encode_basestring: Callable[[str], str] = getattr(_encoder, "c_encode_basestring")


class _Reject(Exception):
    """Raised from the ``parse_constant`` hook: NaN/Infinity are not JSON."""


def _reject_constant(name: str) -> Any:
    raise _Reject(name)


#: Maps every digit to ``0`` (to find runs of digits with one substring search).
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")


def _has_long_number(text: str) -> bool:
    """Whether ``text`` has a run of 16 digits (only such a run can be an integer beyond 2**53).

    Read a megabyte at a time (overlapping by 15 characters), so a long text is not copied whole.
    """
    step = 1 << 20
    for start in range(0, len(text), step):
        chunk = text[start:start + step + 15].encode("utf-8", "surrogatepass")
        if b"0" * 16 in chunk.translate(_DIGITS_TO_ZERO):
            return True
    return False


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


def _float_value(f: float) -> int | float:
    """A parsed number with a fraction or exponent as a JS number (integral values in range become ints, -0 stays)."""
    if f.is_integer() and -MAX_SAFE <= f <= MAX_SAFE and (f != 0 or math.copysign(1.0, f) > 0):
        return int(f)
    return f


def _parse_float_text(s: str) -> int | float:
    """A number with a fraction or exponent as a JS number."""
    return _float_value(float(s))


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


class _NotPlain(Exception):
    """Raised inside :class:`PlainEncoder` for a value it cannot write exactly."""


def _plain_float(v: float) -> Any:
    """A float as a value the C encoder writes as Number::toString does; raises :class:`_NotPlain` if none.

    ``repr`` agrees with JS when both are positional (1e-4 <= |v| < 1e16, not integral) or both use an
    exponent of two or more digits (|v| >= 1e21 or |v| < 1e-9); integral values below 2**53 are
    written as the int, NaN and the infinities as ``null``, -0 as ``0``.
    """
    a = abs(v)
    if a - a != 0:  # NaN, the infinities
        return None
    if v.is_integer():
        if a < MAX_SAFE:
            return int(v)
        if a >= 1e21:
            return v
        raise _NotPlain
    if 1e-4 <= a < 1e16 or a < 1e-9:
        return v
    raise _NotPlain


#: Marks an object member :meth:`PlainEncoder.container` leaves out.
MISSING_MEMBER = object()


class PlainEncoder:
    """``JSON.stringify(value)`` (no replacer, no gap) of a tree of plain objects and arrays, by the C encoder.

    The encoder calls :meth:`container` for each JS object it meets; that returns the object's own
    ``props`` dict or ``items`` list when they can be written as they are (else a corrected copy), or
    raises :class:`_NotPlain` for anything whose JSON text needs JS code or another form: a possible
    ``toJSON`` (own or inherited), accessors or attributes, index-like or symbol keys (their order),
    lone surrogates, floats ``repr`` writes otherwise than JS, wrappers, BigInts, proxies. No JS code
    runs and nothing is changed, so giving up part way has no effect but the time spent; cycles and
    nesting beyond Python's recursion limit also make it give up (the general serializer then reports
    them). Steps are spent per container as the general serializer does; the output is bounded by
    an overestimate of its size checked against the string limit (past it, the general serializer
    decides exactly).
    """

    __slots__ = ("rt", "markers", "encode", "room", "clean_protos", "good_keys")

    def __init__(self, rt: "Runtime") -> None:
        self.rt = rt
        #: The encoder's record of the containers being written (a cycle raises ValueError).
        self.markers: dict[int, Any] = {}
        self.encode = c_make_encoder(self.markers, self.container, c_encode_basestring, None, ":", ",", False, False,
                                     True)
        self.room = 0
        #: Prototypes checked to have no ``toJSON`` along their chain (valid during one call: no code runs).
        self.clean_protos: set[JSObject] = set()
        #: Keys checked to be plain (no index, no surrogate), valid across calls.
        self.good_keys: set[str] = set()

    def run(self, value: JSObject) -> str | None:
        """The JSON text of ``value``, or ``None`` when the general serializer must write it."""
        self.room = self.rt.limits.max_string_length
        try:
            return "".join(self.encode(value, 0))
        except (_NotPlain, ValueError, RecursionError):
            # ValueError: a cycle (the general serializer throws JS's TypeError for it).
            return None
        finally:
            self.clean_protos.clear()
            self.markers.clear()  # the encoder leaves its entries behind when it stops part way

    def clean_chain(self, proto: JSObject | None) -> bool:
        """Whether no ``toJSON`` can be inherited from ``proto`` without running code."""
        while proto is not None:
            if proto in self.clean_protos:
                return True
            # Reading props first: a pending built-in prototype installs its methods then (which no
            # program can observe) and gets its own class back.
            props = proto.props
            t = type(proto)
            if (t is not JSObject and t is not JSArray) or "toJSON" in props:
                return False
            self.clean_protos.add(proto)
            proto = proto.proto
        return True

    def good_key(self, key: Any) -> bool:
        """Whether ``key`` is a string key that is no array index and has no surrogate."""
        if type(key) is not str:
            return False
        if key and key[0] in DIGITS and canonical_numeric_index(key) is not None:
            return False
        if not key.isascii() and _SURROGATE().search(key) is not None:
            return False
        if len(self.good_keys) < 4096:
            self.good_keys.add(key)
        return True

    def fix_members(self, values: Any, is_array: bool) -> Any:
        """A copy of ``values`` (items or props) with members the C encoder would write otherwise replaced."""
        fixed: Any = None
        for key, v in enumerate(values) if is_array else values.items():
            tv = type(v)
            if tv in _ENCODED_TYPES:
                continue
            if tv is float:
                w = _plain_float(v)
                if w is v:
                    continue
            elif v is HOLE or v is undefined or tv is Symbol:
                # Omitted from objects, null in arrays.
                w = None if is_array else MISSING_MEMBER
            elif tv is JSFunction or is_callable(v):
                raise _NotPlain  # a function may have a toJSON (Function.prototype's, say)
            else:
                continue  # another kind of object: the encoder passes it to this hook (which gives up)
            if fixed is None:
                fixed = list(values) if is_array else dict(values)
            if w is MISSING_MEMBER:
                del fixed[key]
            else:
                fixed[key] = w
        return values if fixed is None else fixed

    def container(self, o: Any) -> Any:
        """The C encoder's hook for a value it does not know: a plain object's ``props`` or array's ``items``."""
        t = type(o)
        if (t is not JSObject and t is not JSArray) or o.flags is not None or "toJSON" in o.props:
            raise _NotPlain
        if o.proto not in self.clean_protos and not self.clean_chain(o.proto):
            raise _NotPlain
        rt = self.rt
        is_array = t is JSArray
        values: Any = o.items if is_array else o.props
        n = len(values)
        rt.steps_left -= n + 1
        if rt.steps_left < 0:
            rt.tick()
        good_keys = self.good_keys
        # The characters of keys and strings (quoting at most sextuples them).
        chars = 0
        plain = True
        key: Any
        for key, v in enumerate(values) if is_array else values.items():
            if not is_array:
                if key not in good_keys and not self.good_key(key):
                    raise _NotPlain
                chars += len(key)
            tv = type(v)
            if tv is str:
                if not v.isascii() and _SURROGATE().search(v) is not None:
                    raise _NotPlain
                chars += len(v)
            elif tv is float:
                # The common floats inline; fix_members does the others.
                a = abs(v)
                if not (1e-4 <= a < 1e16 or 0 < a < 1e-9) or v.is_integer():
                    plain = False
            elif tv not in _ENCODED_TYPES:
                plain = False
        result = values if plain else self.fix_members(values, is_array)
        # Numbers and punctuation take at most 30 characters a member.
        self.room -= 6 * chars + 30 * n + 2
        if self.room < 0:
            raise _NotPlain
        return result


#: The member types the C encoder writes as JS does (strings once checked for lone surrogates);
#: plain objects and arrays come back to :meth:`PlainEncoder.container`.
_ENCODED_TYPES = frozenset((str, int, bool, type(None), JSObject, JSArray))


class FastParser:
    """``JSON.parse`` by Python's C scanner, its hooks building the JS values; raises on anything it cannot do exactly.

    Made once per realm: its decoders (one per set of hooks a text needs) are reused, and a call sets
    what its text needs (no JS code runs during a parse, so one call at a time uses them).
    """

    __slots__ = ("rt", "object_prototype", "new_array", "decoders", "split", "big", "made", "start_blocks")

    def __init__(self, rt: "Runtime") -> None:
        self.rt = rt
        self.object_prototype = rt.ObjectPrototype
        self.new_array = rt.new_array
        #: The decoders by (split, with -0).
        self.decoders: dict[tuple[bool, bool], json.JSONDecoder] = {}
        #: Whether escapes may decode to astral characters (to split back into UTF-16 pairs).
        self.split = False
        #: Whether an integer may be beyond 2**53.
        self.big = False
        self.made = 0
        self.start_blocks = 0

    def parse(self, text: str) -> Any:
        """The value of ``text``; ValueError (or RecursionError, :class:`_Reject`) where the scanner fails."""
        self.split = split = "\\u" in text and _SURROGATE_ESCAPE().search(text) is not None
        # Without a long run of digits no integer needs checking against 2**53.
        self.big = len(text) >= 16 and _has_long_number(text)
        # Only a literal -0 needs the (slower) Python hook for integers.
        minus_zero = "-0" in text
        decoder = self.decoders.get((split, minus_zero))
        if decoder is None:
            decoder = self.decoders[split, minus_zero] = json.JSONDecoder(
                object_hook=None if split else self.make_object,
                object_pairs_hook=self.make_split_object if split else None,
                parse_int=_parse_int_text if minus_zero else int,
                parse_constant=_reject_constant,
            )
        # The parsed values are reachable only at the end: sampled as pending while they are made (a
        # text under 2048 characters makes under 1024 objects, and is never sampled).
        self.start_blocks = sys.getallocatedblocks() if len(text) >= 2048 else 0
        self.made = 0
        try:
            return self.fix(decoder.decode(text))
        finally:
            self.rt.guard.pending = 0

    def fix(self, v: Any) -> Any:
        """A value from the scanner as a JS value (lists, floats, long integers, strings to split)."""
        t = type(v)
        if t is list:
            return self.make_array(v)
        if t is int and self.big and not -MAX_SAFE <= v <= MAX_SAFE:
            return _big_int(v)
        if t is float:
            # Floats come from the scanner: an integral one in range is an int in the value model.
            return _float_value(v)
        if t is str and self.split:
            return to_js_string(v)
        return v

    def make_array(self, items: list[Any]) -> JSArray:
        """A JS array of the scanner's list (its members fixed in place)."""
        split = self.split
        big = self.big
        for i, v in enumerate(items):
            t = type(v)
            if (t is list or (t is float and v.is_integer()) or (t is str and split)
                    or (big and t is int and not -MAX_SAFE <= v <= MAX_SAFE)):
                items[i] = self.fix(v)
        return self.new_array(items)

    def new_plain(self, props: dict[Any, Any]) -> JSObject:
        """A plain object owning ``props``."""
        made = self.made = self.made + 1
        if not made & 1023:
            self.rt.guard.building(self.start_blocks)
        # Built field by field: skips JSObject.__init__'s throwaway dict (the hot path of parse).
        o = JSObject.__new__(JSObject)
        o.proto = self.object_prototype
        o.props = props
        o.flags = None
        o.extensible = True
        return o

    def make_object(self, props: dict[str, Any]) -> JSObject:
        """The object hook: the scanner's dict (duplicate keys keep the first position, the last value, as in JS)."""
        big = self.big
        for k, v in props.items():
            t = type(v)
            if t is list or (t is float and v.is_integer()) or (big and t is int and not -MAX_SAFE <= v <= MAX_SAFE):
                props[k] = self.make_array(v) if t is list else self.fix(v)
        return self.new_plain(props)

    def make_split_object(self, pairs: list[tuple[str, Any]]) -> JSObject:
        """The pairs hook when keys may need splitting: pairs, not the dict, as two keys can become one."""
        props: dict[Any, Any] = {}
        for k, v in pairs:
            props[to_js_string(k)] = self.fix(v)
        return self.new_plain(props)


def install(rt: "Runtime") -> None:
    """The ``JSON`` namespace object."""
    OP = rt.ObjectPrototype
    AP = rt.ArrayPrototype
    J = JSObject(OP)
    rt.global_object.put("JSON", J, WRITABLE | CONFIGURABLE)
    rt.intrinsics["JSON"] = J
    J.write_slot(SYM_TO_STRING_TAG, "JSON", CONFIGURABLE)
    pend(rt, J)  # parse and stringify are made when a script first looks at JSON

    def methods() -> None:
        """JSON.parse and JSON.stringify (25.5.1, 25.5.2), made when a script first looks at JSON."""
        # -- parse ------------------------------------------------------------------------

        new_array = rt.new_array
        fast_parser = FastParser(rt)

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

            def read_member_name(pos: int) -> tuple[str, int]:
                # A member's name, its colon and the white space around them: where its value starts.
                if pos >= n or text[pos] != '"':
                    raise _error_at(text, pos)
                key, pos = read_string(pos)
                pos = ws(text, pos).end()  # type: ignore[union-attr]
                if pos >= n or text[pos] != ":":
                    raise _error_at(text, pos)
                return key, ws(text, pos + 1).end()  # type: ignore[union-attr]

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
                        key, pos = read_member_name(pos)
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
                        frame[1], pos = read_member_name(ws(text, pos + 1).end())  # type: ignore[union-attr]
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
                value = fast_parser.parse(jtext)
            except (ValueError, RecursionError, _Reject):
                value = parse_precise(jtext)
            if is_callable(reviver):
                root = rt.new_object()
                root.props[""] = value
                return internalize(root, "", reviver)
            return value

        # -- stringify ---------------------------------------------------------------------------

        plain_encoder = PlainEncoder(rt)

        def stringify(this: Any, value: Any = undefined, replacer: Any = undefined, space: Any = undefined,
                      *_: Any) -> Any:
            if (replacer is undefined or replacer is None) and (space is undefined or space is None) and (
                    type(value) is JSObject or type(value) is JSArray):
                # No replacer, no gap: a tree of plain objects and arrays is written by the C encoder
                # (before the general serializer is set up; it writes whatever the encoder gives up on).
                text = plain_encoder.run(value)
                if text is not None:
                    return rt.check_string(text)
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
