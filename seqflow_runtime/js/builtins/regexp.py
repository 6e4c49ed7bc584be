"""``RegExp``: the constructor, ``RegExp.prototype`` and the regexp string iterator.

Patterns are translated to Python ``re`` by
:mod:`seqflow_runtime.js.regexp_syntax` (which documents the few semantic
gaps). Subjects are runtime strings (UTF-16 code units), so match offsets
are JS indices as they are.

A :class:`JSRegExp` holds its ``[[OriginalSource]]``/``[[OriginalFlags]]``
and compiled matcher; ``lastIndex`` is a real own data property (writable,
not enumerable, not configurable), read and written with JS semantics.

The ``@@match``/``@@replace``/``@@search``/``@@split`` methods follow the
spec's generic algorithms, which go through ``exec``, ``flags``, ``global``
and friends with observable Gets and Sets. When nothing of that machinery
has been touched (see :func:`install`'s ``pristine``) they take a fast path
that drives the compiled pattern directly (``Pattern.sub``, ``finditer``),
with identical results.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, NoReturn, Optional

import re

from .. import ops
from ..numconv import to_uint32
from ..regexp_support import MAX_UINT32, expand_replacement, small_lru_cache
from ..values import (
    CONFIGURABLE,
    SYM_MATCH,
    SYM_REPLACE,
    SYM_SEARCH,
    SYM_SPECIES,
    SYM_SPLIT,
    SYM_TO_STRING_TAG,
    WRITABLE,
    Accessor,
    JSArray,
    JSObject,
    call,
    describe,
    is_callable,
    range_error,
    same_value,
    syntax_error,
    type_error,
    undefined,
)
from .symbol import SYM_MATCH_ALL

if TYPE_CHECKING:
    from ..regexp_syntax import Match, Pattern
    from ..runtime import Runtime


# The prefix regexp_syntax puts in front of every ``u`` pattern so that no
# match starts inside a surrogate pair. Only used to see past it when
# deciding whether a pattern can match the empty string (if the translator
# changes it, that check just becomes more conservative).
_UNICODE_PREFIX: Final = "(?<![\\ud800-\\udbff](?=[\\udc00-\\udfff]))(?:"
_LOOKAROUNDS: Final = ("(?=", "(?!", "(?<=", "(?<!")
#: Each flag and its getter, in the order the ``flags`` getter reads them (ES2024 22.2.6.4).
FLAG_PROPERTIES: Final = (("d", "hasIndices"), ("g", "global"), ("i", "ignoreCase"), ("m", "multiline"),
                          ("s", "dotAll"), ("u", "unicode"), ("v", "unicodeSets"), ("y", "sticky"))


class JSRegExp(JSObject):
    """A RegExp instance: ``[[RegExpMatcher]]``, ``[[OriginalSource]]``, ``[[OriginalFlags]]``."""

    __slots__ = ("source", "flags_text", "pattern", "names", "has_named", "global_", "sticky", "unicode",
                 "has_indices", "duplicate_names")
    class_name = "RegExp"

    def __init__(self, proto: JSObject | None) -> None:
        JSObject.__init__(self, proto)
        self.source = ""
        self.flags_text = ""
        self.pattern: Pattern = _EMPTY_PATTERN
        #: The JS name of each capture group (``None``: unnamed); its length is the group count.
        self.names: tuple[str | None, ...] = ()
        self.has_named = False
        self.global_ = False
        self.sticky = False
        self.unicode = False
        self.has_indices = False
        #: Some name is given to several groups: templates then go through the ``groups`` object.
        self.duplicate_names = False
        # lastIndex: writable, not enumerable, not configurable (ES2017 21.2.3.2.1).
        self.write_slot("lastIndex", 0, WRITABLE)


# A `re` pattern: the translator and the `regex` engine are imported when a realm first compiles a RegExp.
_EMPTY_PATTERN: Final = re.compile("")
#: The regex engine notices its timeout late (about four times the time given, measured on
#: CPython 3.11 with regex 2026.12): it is given this fraction of the time left.
REGEX_TIMEOUT_SLACK = 4.0


@small_lru_cache(maxsize=512)
def _never_matches_empty(source: str, flags: str) -> bool:
    """Whether ``/source/flags`` can never match the empty string anywhere.

    Such patterns give the same matches under Python's ``finditer``/``sub``
    as under JS's lastIndex loop (they differ only after an empty match,
    where Python may retry a non-empty match at the same position). Without
    lookarounds (which is also how the translator spells ``^ $ \\b``), an
    empty match does not depend on the context, so trying ``""`` decides it.
    """
    from ..regexp_syntax import compile_js_regexp, translate_js_regexp

    text = translate_js_regexp(source, flags)
    if text.startswith(_UNICODE_PREFIX):
        text = text[len(_UNICODE_PREFIX):]
    if any(token in text for token in _LOOKAROUNDS):
        return False
    return compile_js_regexp(source, flags).match("") is None


#: A compiled replacement template part: literal text, a group number
#: (0: the whole match), or _BEFORE/_AFTER for "$`" and "$'".
_Part = str | int
_BEFORE: Final = -1
_AFTER: Final = -2


@small_lru_cache(maxsize=256)
def compile_template(template: str, names: tuple[str | None, ...]) -> tuple[_Part, ...]:
    """Parse a replacement template once (GetSubstitution, the same rules as
    :func:`expand_replacement`) for a regexp whose capture groups are ``names``.

    ``$n``/``$nn`` read two digits when that names an existing group, else
    one; indexes outside 1..m stay literal; ``$<name>`` (only when the regexp
    has named groups) is that group, or empty when the name is unknown.
    """
    count = len(names)
    has_named = any(n is not None for n in names)
    parts: list[_Part] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            parts.append("".join(literal))
            literal.clear()

    i, n = 0, len(template)
    while i < n:
        ch = template[i]
        if ch != "$" or i + 1 >= n:
            literal.append(ch)
            i += 1
            continue
        nxt = template[i + 1]
        if nxt == "$":
            literal.append("$")
            i += 2
        elif nxt in "&`'":
            flush()
            parts.append(0 if nxt == "&" else _BEFORE if nxt == "`" else _AFTER)
            i += 2
        elif "0" <= nxt <= "9":
            digits = 2 if i + 2 < n and "0" <= template[i + 2] <= "9" else 1
            number = int(template[i + 1:i + 1 + digits])
            if number > count and digits == 2:
                digits, number = 1, int(nxt)
            if 1 <= number <= count:
                flush()
                parts.append(number)
            else:
                literal.append(template[i:i + 1 + digits])
            i += 1 + digits
        elif nxt == "<" and has_named:
            close = template.find(">", i + 2)
            if close < 0:
                literal.append("$<")
                i += 2
            else:
                name = template[i + 2:close]
                if name in names:
                    flush()
                    parts.append(names.index(name) + 1)
                i = close + 1
        else:
            literal.append("$")
            i += 1
    flush()
    return tuple(parts)


def python_template(parts: tuple[_Part, ...]) -> str | None:
    """The ``re.sub`` template equivalent to ``parts`` (None if it needs "$`" or "$'")."""
    out: list[str] = []
    for part in parts:
        if type(part) is str:
            out.append(part.replace("\\", "\\\\"))
        elif part < 0:  # type: ignore[operator]
            return None
        else:
            out.append(f"\\g<{part}>")
    return "".join(out)


def is_regexp(v: Any) -> bool:
    """IsRegExp (ES2017 7.2.8): ``@@match`` decides, else the ``[[RegExpMatcher]]`` slot."""
    if not isinstance(v, JSObject):
        return False
    matcher = v.get(SYM_MATCH)
    if matcher is not undefined:
        return ops.truthy(matcher)
    return isinstance(v, JSRegExp)


def advance_string_index(s: str, index: int, unicode: bool) -> int:
    """AdvanceStringIndex: one code unit, or a whole surrogate pair with ``u``."""
    if not unicode or index + 1 >= len(s):
        return index + 1
    if "\ud800" <= s[index] <= "\udbff" and "\udc00" <= s[index + 1] <= "\udfff":
        return index + 2
    return index + 1


def escape_pattern(source: str) -> str:
    """EscapeRegExpPattern: the ``source`` text that reads back as the same literal."""
    if not source:
        return "(?:)"
    if "/" not in source and "\n" not in source and "\r" not in source and "\u2028" not in source \
            and "\u2029" not in source:
        return source
    out: list[str] = []
    in_class = False
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n:
            nxt = source[i + 1]
            # An escaped line terminator reads the same as its escape sequence.
            out.append(_LINE_ESCAPES[nxt] if nxt in _LINE_ESCAPES else "\\" + nxt)
            i += 2
            continue
        if ch == "/" and not in_class:
            out.append("\\/")
        elif ch in _LINE_ESCAPES:
            out.append(_LINE_ESCAPES[ch])
        else:
            if ch == "[":
                in_class = True
            elif ch == "]":
                in_class = False
            out.append(ch)
        i += 1
    return "".join(out)


# EncodeForRegExpEscape (ES2025 22.2.5.1.1): punctuators, WhiteSpace and LineTerminator become hex escapes.
_ESCAPE_AS_HEX: Final = frozenset(",-=<>#&!%:;@~'`\"\t\x0b\x0c\ufeff\n\r\u2028\u2029"
                                  + "".join(chr(cp) for cp in (0x20, 0xA0, 0x1680, *range(0x2000, 0x200B),
                                                               0x202F, 0x205F, 0x3000)))
_CONTROL_LETTERS: Final = {"\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f", "\r": "r"}


def regexp_escape(s: str) -> str:
    """The body of RegExp.escape: ``s`` (UTF-16 code units) with every character a pattern could read as syntax escaped."""
    out: list[str] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if "\ud800" <= ch <= "\udbff" and i + 1 < n and "\udc00" <= s[i + 1] <= "\udfff":
            out.append(s[i:i + 2])  # a surrogate pair is one code point: never escaped
            i += 2
            continue
        i += 1
        if not out and ch.isascii() and ch.isalnum():
            out.append(f"\\x{ord(ch):02x}")  # a leading digit or letter could extend a preceding escape
        elif ch in "^$\\.*+?()[]{}|/":
            out.append("\\" + ch)
        elif ch in _CONTROL_LETTERS:
            out.append("\\" + _CONTROL_LETTERS[ch])
        elif ch in _ESCAPE_AS_HEX or "\ud800" <= ch <= "\udfff":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) <= 0xFF else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


_LINE_ESCAPES: Final = {"\n": "\\n", "\r": "\\r", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class _NamedCaptures(Mapping[str, Optional[str]]):
    """A JS ``groups`` object seen as the mapping :func:`expand_replacement` reads."""

    def __init__(self, rt: "Runtime", obj: JSObject) -> None:
        self.rt = rt
        self.obj = obj

    def __getitem__(self, key: str) -> str | None:
        value = self.rt.get(self.obj, key)
        return None if value is undefined else ops.to_string(value)

    def __iter__(self) -> Iterator[str]:
        return (k for k in self.obj.own_keys() if type(k) is str)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def install(rt: "Runtime") -> None:
    """``RegExp``, ``RegExp.prototype``, ``make_regexp``/``regexp_create`` intrinsics."""
    RP = JSObject(rt.ObjectPrototype)
    AP = rt.ArrayPrototype
    rt.intrinsics["RegExp.prototype"] = RP
    tick = rt.tick

    def limited(method: Any, *args: Any) -> Any:
        """``method(*args)`` of a compiled pattern, interrupted at the run's deadline."""
        if isinstance(getattr(method, "__self__", None), re.Pattern):
            return method(*args)  # a pattern compiled by `re` (huge counts) cannot be interrupted
        try:
            return method(*args, timeout=rt.remaining_seconds() / REGEX_TIMEOUT_SLACK)
        except TimeoutError:
            return timed_out()

    def timed_out() -> NoReturn:
        rt.hit_limit("max_run_seconds",
                     f"Run time limit exceeded ({rt.limits.max_run_seconds:g} s) in a regular expression")

    # -- creation ------------------------------------------------------------------

    def initialize(obj: JSRegExp, pattern: Any, flags: Any) -> JSRegExp:
        """RegExpInitialize."""
        p = "" if pattern is undefined else ops.to_string(pattern)
        f = "" if flags is undefined else ops.to_string(flags)
        from ..regexp_syntax import RegExpSyntaxError, compile_js_regexp, group_names

        try:
            compiled = compile_js_regexp(p, f)
            names = group_names(p, f)
        except RegExpSyntaxError as exc:
            raise syntax_error(str(exc)) from None
        obj.source = p
        obj.flags_text = f
        obj.pattern = compiled
        obj.names = names
        obj.has_named = any(name is not None for name in names)
        named = [name for name in names if name is not None]
        obj.duplicate_names = len(set(named)) < len(named)
        obj.global_ = "g" in f
        obj.sticky = "y" in f
        obj.unicode = "u" in f or "v" in f
        obj.has_indices = "d" in f
        set_last_index(obj, 0)
        return obj

    def regexp_create(pattern: Any, flags: Any) -> JSRegExp:
        """RegExpCreate (used by String.prototype.match/search/matchAll)."""
        return initialize(JSRegExp(RP), pattern, flags)

    def make_regexp(source: str, flags: str) -> JSRegExp:
        """A regular expression literal: a new object per evaluation."""
        return initialize(JSRegExp(RP), source, flags)

    rt.intrinsics["make_regexp"] = make_regexp
    rt.intrinsics["regexp_create"] = regexp_create

    def regexp_call(this: Any, pattern: Any = undefined, flags: Any = undefined, *_: Any) -> Any:
        pattern_is_regexp = is_regexp(pattern)
        # RegExp(re) without flags returns re itself when its constructor is RegExp.
        if pattern_is_regexp and flags is undefined and rt.get(pattern, "constructor") is ctor:
            return pattern
        return construct_regexp(pattern, flags, ctor, pattern_is_regexp)

    def regexp_construct(args: list[Any], new_target: Any) -> JSRegExp:
        pattern = args[0] if args else undefined
        flags = args[1] if len(args) > 1 else undefined
        return construct_regexp(pattern, flags, new_target, is_regexp(pattern))

    def construct_regexp(pattern: Any, flags: Any, new_target: Any, pattern_is_regexp: bool) -> JSRegExp:
        """The RegExp constructor after IsRegExp(pattern) (ES2017 21.2.3.1 steps 4-10)."""
        if isinstance(pattern, JSRegExp):
            p: Any = pattern.source
            f: Any = pattern.flags_text if flags is undefined else flags
        elif pattern_is_regexp:
            p = rt.get(pattern, "source")
            f = rt.get(pattern, "flags") if flags is undefined else flags
        else:
            p, f = pattern, flags
        obj = JSRegExp(rt.proto_from(new_target, RP))
        return initialize(obj, p, f)

    ctor = rt.constructor("RegExp", 2, regexp_call, regexp_construct, RP)

    def escape(this: Any, string: Any = undefined, *_: Any) -> str:
        """RegExp.escape (ES2025 22.2.5.1)."""
        if type(string) is not str:
            raise type_error("RegExp.escape requires a string")
        return rt.check_string(regexp_escape(string))

    rt.define(ctor, "escape", escape, 1)
    species = Accessor(rt.native(lambda this, *_: this, "get [Symbol.species]"))
    ctor.write_slot(SYM_SPECIES, species, CONFIGURABLE)

    # -- lastIndex -----------------------------------------------------------------

    def set_last_index(rx: Any, value: Any) -> None:
        """Set(R, "lastIndex", value, true)."""
        if type(rx) is JSRegExp:
            # Always an own non-configurable data property (it can never become an
            # accessor or disappear): a dict write unless it was made read-only.
            flags = rx.flags
            if flags is None or flags.get("lastIndex", WRITABLE) & WRITABLE:
                rx.props["lastIndex"] = value
                return
            raise type_error("Cannot assign to read only property 'lastIndex' of object "
                             f"'/{escape_pattern(rx.source)}/{rx.flags_text}'")
        rt.set_strict(rx, "lastIndex", value)

    def get_last_index(rx: Any) -> int:
        """ToLength(Get(R, "lastIndex"))."""
        value = rx.get("lastIndex")
        if type(value) is int and value >= 0:
            return value
        return ops.to_length(value)

    # -- matching ------------------------------------------------------------------

    def builtin_match(rx: JSRegExp, s: str) -> Match | None:
        """RegExpBuiltinExec up to the match (lastIndex read and updated as JS does)."""
        props = rx.props
        value = props.get("lastIndex")
        if type(value) is int and value >= 0:
            last_index = value
        else:
            last_index = ops.to_length(value)  # may run valueOf: always observable
        sticky = rx.sticky
        if not rx.global_ and not sticky:
            return limited(rx.pattern.search, s)  # type: ignore[no-any-return]
        if last_index > len(s):
            m = None
        elif sticky:
            m = limited(rx.pattern.match, s, last_index)
        else:
            m = limited(rx.pattern.search, s, last_index)
        # lastIndex is an own data property of every RegExp (non-configurable), so
        # Set(R, "lastIndex", e, true) is a dict write unless it was made read-only.
        flags = rx.flags
        if flags is not None and not flags.get("lastIndex", WRITABLE) & WRITABLE:
            set_last_index(rx, 0 if m is None else m.end())  # throws the TypeError
        props["lastIndex"] = 0 if m is None else m.end()
        return m

    def groups_object(rx: JSRegExp, captures: list[Any]) -> Any:
        """The ``groups`` object of a match (undefined without named groups)."""
        if not rx.has_named:
            return undefined
        o = JSObject(None)
        props = o.props
        for i, name in enumerate(rx.names):
            # A name given to several groups (ES2025) takes the one that participated.
            if name is not None and (captures[i] is not undefined or name not in props):
                props[name] = captures[i]
        return o

    def captures_of(rx: JSRegExp, m: Match) -> list[Any]:
        """Captures 1..n of a match as JS values (undefined for non-participating groups)."""
        n = len(rx.names)
        if not n:
            return []
        caps = list(m.groups(undefined))
        return caps if len(caps) == n else caps[:n]

    def match_array(rx: JSRegExp, m: Match, s: str) -> JSArray:
        """The exec result: [match, ...captures] with index, input and groups."""
        if rx.names:
            captures = captures_of(rx, m)
            a = JSArray(AP, [m.group(), *captures])
            groups = groups_object(rx, captures) if rx.has_named else undefined
        else:
            a = JSArray(AP, [m.group()])
            groups = undefined
        a.props = {"index": m.start(), "input": s, "groups": groups}
        if rx.has_indices:
            a.props["indices"] = indices_array(rx, m)
        return a

    def indices_array(rx: JSRegExp, m: Match) -> JSArray:
        """MakeMatchIndicesIndexPairArray (ES2022 22.2.7.8): ``[start, end]`` per group, with ``groups``."""
        pairs: list[Any] = [rt.new_array(list(m.span()))]
        for number in range(1, len(rx.names) + 1):
            start, end = m.span(number)
            pairs.append(undefined if start < 0 else rt.new_array([start, end]))
        a = JSArray(AP, pairs)
        a.props = {"groups": groups_object(rx, pairs[1:])}
        return a

    def builtin_exec(rx: JSRegExp, s: str) -> Any:
        m = builtin_match(rx, s)
        return None if m is None else match_array(rx, m, s)

    def regexp_exec(r: JSObject, s: str) -> Any:
        """RegExpExec: a user ``exec`` if there is one, else the built-in."""
        exec_fn = r.get("exec")
        if exec_fn is not exec_native and is_callable(exec_fn):
            result = call(exec_fn, r, s)
            if result is not None and not isinstance(result, JSObject):
                raise type_error("The result of a RegExp exec method must be an object or null")
            return result
        if not isinstance(r, JSRegExp):
            raise type_error("RegExp exec method called on an incompatible receiver")
        return builtin_exec(r, s)

    def global_matches(rx: JSRegExp, s: str) -> Iterator[Match]:
        """All matches of a ``g`` regexp from index 0, as JS's lastIndex loop finds them."""
        pattern = rx.pattern
        if not rx.sticky and _never_matches_empty(rx.source, rx.flags_text):
            try:
                for found in limited(pattern.finditer, s):
                    tick()
                    yield found
            except TimeoutError:
                timed_out()
            return
        pos, n = 0, len(s)
        unicode = rx.unicode
        step = pattern.match if rx.sticky else pattern.search
        while pos <= n:
            tick()
            m = limited(step, s, pos)
            if m is None:
                return
            yield m
            end = m.end()
            pos = end if end > m.start() else advance_string_index(s, end, unicode)

    # The slots a fast path relies on; a script that replaces any of them
    # (or gives a regexp own properties) gets the generic algorithms.
    watched: dict[str, Any] = {}

    def pristine(rx: Any) -> bool:
        """Whether ``rx`` behaves exactly as the built-in algorithms assume."""
        if type(rx) is not JSRegExp or rx.proto is not RP or len(rx.props) != 1 or rx.duplicate_names:
            return False
        if type(rx.props.get("lastIndex")) is not int or rx.own_flags("lastIndex") != WRITABLE:
            return False
        props = RP.props
        for key, slot in watched.items():
            if props.get(key) is not slot:
                return False
        return ctor.props.get(SYM_SPECIES) is species

    def require_object(this: Any, method: str) -> JSObject:
        if not isinstance(this, JSObject):
            raise type_error(f"{method} called on non-object {describe(this)}")
        return this

    # -- RegExp.prototype.exec / test / toString -------------------------------------

    def exec_(this: Any, string: Any = undefined, *_: Any) -> Any:
        if not isinstance(this, JSRegExp):
            raise type_error(f"RegExp.prototype.exec called on incompatible receiver {describe(this)}")
        s = string if type(string) is str else ops.to_string(string)
        return builtin_exec(this, s)

    exec_native = rt.define(RP, "exec", exec_, 1)

    def test(this: Any, string: Any = undefined, *_: Any) -> bool:
        r = require_object(this, "RegExp.prototype.test")
        s = string if type(string) is str else ops.to_string(string)
        if pristine(r):
            return builtin_match(r, s) is not None  # type: ignore[arg-type]
        return regexp_exec(r, s) is not None

    rt.define(RP, "test", test, 1)

    def to_string(this: Any, *_: Any) -> str:
        r = require_object(this, "RegExp.prototype.toString")
        return f"/{ops.to_string(r.get('source'))}/{ops.to_string(r.get('flags'))}"

    rt.define(RP, "toString", to_string, 0)

    def compile_(this: Any, pattern: Any = undefined, flags: Any = undefined, *_: Any) -> Any:
        """RegExp.prototype.compile (ECMA-262 B.2.4.1): re-initialize ``this`` in place."""
        if not isinstance(this, JSRegExp):
            raise type_error(f"RegExp.prototype.compile called on incompatible receiver {describe(this)}")
        if isinstance(pattern, JSRegExp):
            if flags is not undefined:
                raise type_error("Cannot supply flags when constructing one RegExp from another")
            return initialize(this, pattern.source, pattern.flags_text)
        return initialize(this, pattern, flags)

    rt.define(RP, "compile", compile_, 2)

    # -- accessors ---------------------------------------------------------------------

    def flags_getter(this: Any, *_: Any) -> str:
        r = require_object(this, "RegExp.prototype.flags getter")
        out = ""
        for ch, name in FLAG_PROPERTIES:
            if ops.truthy(r.get(name)):
                out += ch
        return out

    rt.define_getter(RP, "flags", flags_getter)

    def flag_getter(name: str, ch: str) -> None:
        def getter(this: Any, *_: Any) -> Any:
            if isinstance(this, JSRegExp):
                return ch in this.flags_text
            if this is RP:
                return undefined
            raise type_error(f"RegExp.prototype.{name} getter called on non-RegExp {describe(this)}")

        rt.define_getter(RP, name, getter)

    for flag_char, flag_name in FLAG_PROPERTIES:
        flag_getter(flag_name, flag_char)

    def source_getter(this: Any, *_: Any) -> str:
        if isinstance(this, JSRegExp):
            return escape_pattern(this.source)
        if this is RP:
            return "(?:)"
        raise type_error(f"RegExp.prototype.source getter called on non-RegExp {describe(this)}")

    rt.define_getter(RP, "source", source_getter)

    # -- @@match ---------------------------------------------------------------------

    def symbol_match(this: Any, string: Any = undefined, *_: Any) -> Any:
        rx = require_object(this, "RegExp.prototype[Symbol.match]")
        s = string if type(string) is str else ops.to_string(string)
        if pristine(rx):
            assert isinstance(rx, JSRegExp)
            if not rx.global_:
                return builtin_exec(rx, s)
            set_last_index(rx, 0)
            found = [m.group() for m in global_matches(rx, s)]
            return rt.new_array(found) if found else None
        if not ops.truthy(rx.get("global")):
            return regexp_exec(rx, s)
        full_unicode = ops.truthy(rx.get("unicode"))
        set_last_index(rx, 0)
        items: list[Any] = []
        while True:
            tick()
            result = regexp_exec(rx, s)
            if result is None:
                return rt.new_array(items) if items else None
            match_str = ops.to_string(rt.get(result, "0"))
            items.append(match_str)
            if match_str == "":
                this_index = get_last_index(rx)
                set_last_index(rx, advance_string_index(s, this_index, full_unicode))

    rt.define(RP, SYM_MATCH, symbol_match, 1)

    # -- @@replace -------------------------------------------------------------------

    def symbol_replace(this: Any, string: Any = undefined, replace_value: Any = undefined, *_: Any) -> str:
        rx = require_object(this, "RegExp.prototype[Symbol.replace]")
        s = string if type(string) is str else ops.to_string(string)
        functional = is_callable(replace_value)
        template = "" if functional else (
            replace_value if type(replace_value) is str else ops.to_string(replace_value))
        if pristine(rx):
            assert isinstance(rx, JSRegExp)
            return replace_fast(rx, s, functional, replace_value, template)
        is_global = ops.truthy(rx.get("global"))
        full_unicode = False
        if is_global:
            full_unicode = ops.truthy(rx.get("unicode"))
            set_last_index(rx, 0)
        results: list[Any] = []
        while True:
            tick()
            result = regexp_exec(rx, s)
            if result is None:
                break
            results.append(result)
            if not is_global:
                break
            if ops.to_string(rt.get(result, "0")) == "":
                this_index = get_last_index(rx)
                set_last_index(rx, advance_string_index(s, this_index, full_unicode))
        out: list[str] = []
        size = 0
        next_position = 0
        length = len(s)
        for result in results:
            tick()
            n_captures = max(ops.to_length(rt.get(result, "length")) - 1, 0)
            matched = ops.to_string(rt.get(result, "0"))
            position = int(max(min(ops.to_integer(rt.get(result, "index")), length), 0))
            captures: list[Any] = []
            for n in range(1, n_captures + 1):
                cap = rt.get(result, str(n))
                captures.append(cap if cap is undefined else ops.to_string(cap))
            named = rt.get(result, "groups")
            if functional:
                args: list[Any] = [matched, *captures, position, s]
                if named is not undefined:
                    args.append(named)
                replacement = ops.to_string(call(replace_value, undefined, *args))
            else:
                mapping = None if named is undefined else _NamedCaptures(rt, rt.to_object(named))
                replacement = expand_replacement(
                    template, matched, position, s,
                    [None if c is undefined else c for c in captures], mapping)
            if position >= next_position:
                size += position - next_position + len(replacement)
                if size > rt.guard.max_string_length:
                    raise range_error("Invalid string length")
                out.append(s[next_position:position])
                out.append(replacement)
                next_position = position + len(matched)
        if next_position < length:
            out.append(s[next_position:])
        return rt.check_string("".join(out))

    def replace_fast(rx: JSRegExp, s: str, functional: bool, fn: Any, template: str) -> str:
        """@@replace driving the compiled pattern directly (same results, no exec arrays)."""
        parts = () if functional else compile_template(template, rx.names)
        limit = rt.guard.max_string_length
        if rx.global_:
            set_last_index(rx, 0)
            if not functional and not rx.sticky and _never_matches_empty(rx.source, rx.flags_text):
                py_template = python_template(parts)
                if py_template is not None:
                    # Bound the result before building it: at most len(s)+1 matches, and
                    # group references never copy more than the subject.
                    literal = sum(len(p) for p in parts if type(p) is str)
                    refs = len(parts) - sum(1 for p in parts if type(p) is str)
                    if len(s) + (len(s) + 1) * literal + len(s) * refs <= limit:
                        return rt.check_string(limited(rx.pattern.sub, py_template, s))
            matches: Iterator[Match] = global_matches(rx, s)
        else:
            m = builtin_match(rx, s)
            if m is None:
                return s
            matches = iter((m,))
        out: list[str] = []
        size = 0
        next_position = 0
        has_named = rx.has_named
        for m in matches:
            start, end = m.span()
            if functional:
                captures = captures_of(rx, m)
                args: list[Any] = [m.group(), *captures, start, s]
                if has_named:
                    args.append(groups_object(rx, captures))
                value = call(fn, undefined, *args)
                replacement = value if type(value) is str else ops.to_string(value)
            else:
                pieces: list[str] = []
                for part in parts:
                    if type(part) is str:
                        pieces.append(part)
                    elif part == _BEFORE:
                        pieces.append(s[:start])
                    elif part == _AFTER:
                        pieces.append(s[end:])
                    else:
                        pieces.append(m.group(part) or "")
                replacement = "".join(pieces)
            size += start - next_position + len(replacement)
            if size > limit:
                raise range_error("Invalid string length")
            out.append(s[next_position:start])
            out.append(replacement)
            next_position = end
        if not out:
            return s
        out.append(s[next_position:])
        return rt.check_string("".join(out))

    rt.define(RP, SYM_REPLACE, symbol_replace, 2)

    # -- @@search --------------------------------------------------------------------

    def symbol_search(this: Any, string: Any = undefined, *_: Any) -> Any:
        rx = require_object(this, "RegExp.prototype[Symbol.search]")
        s = string if type(string) is str else ops.to_string(string)
        if pristine(rx):
            assert isinstance(rx, JSRegExp)
            # lastIndex is saved and restored around the match: unobservable here.
            m = limited(rx.pattern.match, s, 0) if rx.sticky else limited(rx.pattern.search, s)
            return -1 if m is None else m.start()
        previous = rx.get("lastIndex")
        if not same_value(previous, 0):
            set_last_index(rx, 0)
        result = regexp_exec(rx, s)
        current = rx.get("lastIndex")
        if not same_value(current, previous):
            set_last_index(rx, previous)
        if result is None:
            return -1
        return rt.get(result, "index")

    rt.define(RP, SYM_SEARCH, symbol_search, 1)

    # -- @@split ---------------------------------------------------------------------

    def species_constructor(o: JSObject) -> Any:
        """SpeciesConstructor(O, %RegExp%)."""
        c = o.get("constructor")
        if c is undefined:
            return ctor
        if not isinstance(c, JSObject):
            raise type_error("object.constructor is not an object")
        s = c.get(SYM_SPECIES)
        if s is undefined or s is None:
            return ctor
        if getattr(s, "constructible", False) or getattr(s, "construct_hook", None) is not None:
            return s
        raise type_error("object.constructor[Symbol.species] is not a constructor")

    def symbol_split(this: Any, string: Any = undefined, limit: Any = undefined, *_: Any) -> JSArray:
        rx = require_object(this, "RegExp.prototype[Symbol.split]")
        s = string if type(string) is str else ops.to_string(string)
        if pristine(rx):
            assert isinstance(rx, JSRegExp)
            lim = MAX_UINT32 if limit is undefined else to_uint32(ops.to_number(limit))
            return rt.new_array(split_fast(rx, s, lim))
        c = species_constructor(rx)
        flags = ops.to_string(rx.get("flags"))
        unicode_matching = "u" in flags or "v" in flags
        new_flags = flags if "y" in flags else flags + "y"
        splitter = rt.construct(c, [rx, new_flags], c)
        out: list[Any] = []
        lim = MAX_UINT32 if limit is undefined else to_uint32(ops.to_number(limit))
        if lim == 0:
            return rt.new_array(out)
        size = len(s)
        if size == 0:
            if regexp_exec(splitter, s) is None:
                out.append(s)
            return rt.new_array(out)
        p = q = 0
        while q < size:
            tick()
            set_last_index(splitter, q)
            z = regexp_exec(splitter, s)
            if z is None:
                q = advance_string_index(s, q, unicode_matching)
                continue
            e = min(get_last_index(splitter), size)
            if e == p:
                q = advance_string_index(s, q, unicode_matching)
                continue
            out.append(s[p:q])
            if len(out) == lim:
                return rt.new_array(out)
            p = e
            n_captures = max(ops.to_length(rt.get(z, "length")) - 1, 0)
            for i in range(1, n_captures + 1):
                out.append(rt.get(z, str(i)))
                if len(out) == lim:
                    return rt.new_array(out)
            q = p
        out.append(s[p:])
        return rt.new_array(out)

    def split_fast(rx: JSRegExp, s: str, lim: int) -> list[Any]:
        """@@split with the built-in sticky splitter emulated by searching ahead.

        The spec tries a sticky match at every position q; ``search`` from q
        finds the first q that matches, with the same match.
        """
        if lim == 0:
            return []
        pattern = rx.pattern
        size = len(s)
        if size == 0:
            return [] if limited(pattern.match, s, 0) is not None else [s]
        out: list[Any] = []
        unicode = rx.unicode
        p = q = 0
        while q < size:
            tick()
            m = limited(pattern.search, s, q)
            if m is None:
                break
            q = m.start()
            if q >= size:
                break
            e = min(m.end(), size)
            if e == p:
                q = advance_string_index(s, q, unicode)
                continue
            out.append(s[p:q])
            if len(out) == lim:
                return out
            p = e
            for cap in captures_of(rx, m):
                out.append(cap)
                if len(out) == lim:
                    return out
            q = p
        out.append(s[p:])
        return out

    rt.define(RP, SYM_SPLIT, symbol_split, 2)

    # -- @@matchAll and the RegExp String Iterator --------------------------------------

    RSIP = JSObject(rt.IteratorPrototype)
    rt.intrinsics["RegExpStringIteratorPrototype"] = RSIP
    RSIP.write_slot(SYM_TO_STRING_TAG, "RegExp String Iterator", CONFIGURABLE)

    def symbol_match_all(this: Any, string: Any = undefined, *_: Any) -> JSObject:
        r = require_object(this, "RegExp.prototype[Symbol.matchAll]")
        s = string if type(string) is str else ops.to_string(string)
        c = species_constructor(r)
        flags = ops.to_string(r.get("flags"))
        matcher = rt.construct(c, [r, flags], c)
        set_last_index(matcher, get_last_index(r))
        return JSRegExpStringIterator(RSIP, matcher, s, "g" in flags, "u" in flags or "v" in flags)

    rt.define(RP, SYM_MATCH_ALL, symbol_match_all, 1)
    result = rt.intrinsics["iter_result"]

    def iterator_next(this: Any, *_: Any) -> JSObject:
        if not isinstance(this, JSRegExpStringIterator):
            raise type_error(f"%RegExpStringIterator%.next called on incompatible receiver {describe(this)}")
        if this.done:
            return result(undefined, True)  # type: ignore[no-any-return]
        match = regexp_exec(this.matcher, this.string)
        if match is None:
            this.done = True
            return result(undefined, True)  # type: ignore[no-any-return]
        if this.global_:
            if ops.to_string(rt.get(match, "0")) == "":
                this_index = get_last_index(this.matcher)
                set_last_index(this.matcher, advance_string_index(this.string, this_index, this.unicode))
        else:
            this.done = True
        return result(match, False)  # type: ignore[no-any-return]

    rt.define(RSIP, "next", iterator_next, 0)

    # Snapshot what the fast paths assume (after every method exists).
    for key in ("exec", "flags", *(name for _, name in FLAG_PROPERTIES), "source", "constructor"):
        watched[key] = RP.props[key]

    # console.log(/a/g) shows the literal (chaining any earlier hook).
    previous_inspect = rt.intrinsics.get("inspect_special")

    def inspect_special(v: Any, depth: int) -> Any:
        if isinstance(v, JSRegExp):
            return f"/{escape_pattern(v.source)}/{v.flags_text}"
        return previous_inspect(v, depth) if previous_inspect is not None else None

    rt.intrinsics["inspect_special"] = inspect_special


class JSRegExpStringIterator(JSObject):
    """%RegExpStringIteratorPrototype% instances (``matchAll`` results)."""

    __slots__ = ("matcher", "string", "global_", "unicode", "done")
    class_name = "RegExp String Iterator"

    def __init__(self, proto: JSObject | None, matcher: JSObject, string: str, global_: bool,
                 unicode: bool) -> None:
        JSObject.__init__(self, proto)
        self.matcher = matcher
        self.string = string
        self.global_ = global_
        self.unicode = unicode
        self.done = False
