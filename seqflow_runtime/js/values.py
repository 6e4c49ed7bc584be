"""JavaScript values as Python objects.

=============  =========================================================
JS             Python
=============  =========================================================
undefined      :data:`undefined` (the only :class:`Undefined`)
null           ``None``
boolean        ``bool``
number         ``int`` (exact, |n| <= 2**53, never -0) or ``float``
string         ``str`` holding UTF-16 code units: an astral character is
               stored as its surrogate pair, so ``len`` and indexing are
               JavaScript's (the all-BMP common case costs nothing)
symbol         :class:`Symbol`
object         :class:`JSObject` and subclasses
=============  =========================================================

Objects implement the ECMAScript internal methods (``get``, ``set``,
``has``, ``delete``, ``own_keys``, ``get_own_property``,
``define_own_property``, prototype and extensibility). Own data properties
with the default attributes (writable, enumerable, configurable) are stored
as plain values in ``props``; other attributes live in the sparse ``flags``
map and accessors as :class:`Accessor` values, so the common case is a
single dict lookup.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from typing import Any, Final, Optional, Union

from .numconv import canonical_numeric_index, number_to_string


class Undefined:
    """The type of JavaScript's ``undefined``; falsy, one instance."""

    __slots__ = ()
    _instance: Optional["Undefined"] = None

    def __new__(cls) -> "Undefined":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "undefined"

    def __reduce__(self) -> str:
        return "undefined"


undefined: Final = Undefined()


class _Missing:
    """Marks an absent property slot (distinct from ``undefined``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Final = _Missing()

#: An array hole: an index below ``length`` with no property.
HOLE: Final = _Missing()

#: An argument not passed: the default of the fixed parameters of the call entry points
#: (``Runtime.call``, ``Runtime.call_method``); never a JS value.
NO_ARGUMENT: Final = _Missing()

#: :attr:`JSFunction.max_args` of a function that takes any number of arguments.
ANY_NUMBER: Final = sys.maxsize

#: The characters an array index starts with (a key starting otherwise is a plain name).
DIGITS: Final = "0123456789"


class Symbol:
    """A JavaScript symbol; compared by identity."""

    __slots__ = ("description", "registry_key")

    def __init__(self, description: str | None = None, registry_key: str | None = None) -> None:
        self.description = description
        self.registry_key = registry_key

    def __repr__(self) -> str:
        return f"Symbol({self.description or ''})"


#: The well-known symbols, shared by every realm (the spec shares them too).
SYM_ITERATOR: Final = Symbol("Symbol.iterator")
SYM_HAS_INSTANCE: Final = Symbol("Symbol.hasInstance")
SYM_TO_PRIMITIVE: Final = Symbol("Symbol.toPrimitive")
SYM_TO_STRING_TAG: Final = Symbol("Symbol.toStringTag")
SYM_SPECIES: Final = Symbol("Symbol.species")
SYM_IS_CONCAT_SPREADABLE: Final = Symbol("Symbol.isConcatSpreadable")
SYM_UNSCOPABLES: Final = Symbol("Symbol.unscopables")
SYM_MATCH: Final = Symbol("Symbol.match")
SYM_REPLACE: Final = Symbol("Symbol.replace")
SYM_SEARCH: Final = Symbol("Symbol.search")
SYM_SPLIT: Final = Symbol("Symbol.split")
SYM_ASYNC_ITERATOR: Final = Symbol("Symbol.asyncIterator")
WELL_KNOWN_SYMBOLS: Final = {
    s.description[7:]: s  # type: ignore[index]
    for s in (
        SYM_ITERATOR,
        SYM_HAS_INSTANCE,
        SYM_TO_PRIMITIVE,
        SYM_TO_STRING_TAG,
        SYM_SPECIES,
        SYM_IS_CONCAT_SPREADABLE,
        SYM_UNSCOPABLES,
        SYM_MATCH,
        SYM_REPLACE,
        SYM_SEARCH,
        SYM_SPLIT,
        SYM_ASYNC_ITERATOR,
    )
}

PropertyKey = Union[str, Symbol]

# Attribute bits; an own property absent from ``flags`` has all three.
WRITABLE: Final = 1
ENUMERABLE: Final = 2
CONFIGURABLE: Final = 4
DEFAULT_FLAGS: Final = 7
#: Built-in methods and ``prototype``-like slots: writable, configurable, not enumerable.
HIDDEN: Final = WRITABLE | CONFIGURABLE


class Accessor:
    """A getter/setter pair stored in a property slot."""

    __slots__ = ("get", "set")

    def __init__(self, get: Any = undefined, set: Any = undefined) -> None:
        self.get = get
        self.set = set


class Descriptor:
    """A property descriptor; absent fields are :data:`MISSING`."""

    __slots__ = ("value", "get", "set", "writable", "enumerable", "configurable")

    def __init__(
        self,
        value: Any = MISSING,
        get: Any = MISSING,
        set: Any = MISSING,
        writable: Any = MISSING,
        enumerable: Any = MISSING,
        configurable: Any = MISSING,
    ) -> None:
        self.value = value
        self.get = get
        self.set = set
        self.writable = writable
        self.enumerable = enumerable
        self.configurable = configurable

    @property
    def is_accessor(self) -> bool:
        """Whether this describes a getter/setter."""
        return self.get is not MISSING or self.set is not MISSING

    @property
    def is_data(self) -> bool:
        """Whether this describes a value."""
        return self.value is not MISSING or self.writable is not MISSING


class JSThrow(Exception):
    """A JavaScript exception in flight.

    Either ``value`` is the thrown JS value, or (for errors the runtime raises
    itself) ``kind``/``message`` name an Error to be created lazily in the
    realm that catches it: that keeps the value model free of realm lookups.
    """

    def __init__(self, value: Any = MISSING, kind: str = "Error", message: str = "") -> None:
        super().__init__(message)
        self.value = value
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        if self.value is MISSING:
            return f"{self.kind}: {self.message}"
        return f"JS exception: {self.value!r}"


def type_error(message: str) -> JSThrow:
    """A pending JS ``TypeError``; ``raise type_error(...)``."""
    return JSThrow(kind="TypeError", message=message)


def range_error(message: str) -> JSThrow:
    """A pending JS ``RangeError``."""
    return JSThrow(kind="RangeError", message=message)


def reference_error(message: str) -> JSThrow:
    """A pending JS ``ReferenceError``."""
    return JSThrow(kind="ReferenceError", message=message)


def syntax_error(message: str) -> JSThrow:
    """A pending JS ``SyntaxError``."""
    return JSThrow(kind="SyntaxError", message=message)


def function_name(key: Any, prefix: str = "") -> str:
    """The ``name`` SetFunctionName (ECMA-262 10.2.9) gives a function defined under property ``key``.

    A symbol key names it ``[description]`` (``""`` without a description);
    ``prefix`` is ``"get"``, ``"set"`` or empty.
    """
    if isinstance(key, Symbol):
        name = "" if key.description is None else f"[{key.description}]"
    else:
        name = str(key)
    return f"{prefix} {name}" if prefix else name


def key_repr(key: Any) -> str:
    """A property key as JS error messages show it."""
    if isinstance(key, Symbol):
        return f"Symbol({key.description or ''})"
    return str(key)


#: The internal methods whose base versions make an object ordinary for :data:`ORDINARY_TYPES`.
_ORDINARY_METHODS: Final = (
    "get_own_slot", "own_flags", "get", "get_proto_for_lookup", "set", "set_on_receiver",
    "define_own_property", "write_slot", "get_prototype_of",
)

#: The classes whose instances keep every own property in ``props`` (attributes in ``flags``) and
#: look up through ``proto``: none of :data:`_ORDINARY_METHODS` overridden. The runtime's fast
#: paths read and write their ``props`` directly (a dict lookup instead of method calls); any other
#: object takes the internal methods. Maintained by ``JSObject.__init_subclass__``.
ORDINARY_TYPES: Final[set[type]] = set()

#: The classes whose instances are ordinary for a string key that is neither an array index nor
#: ``length``: it lives in ``props`` and [[Get]]/[[Set]] of it are the ordinary ones (arrays, String
#: objects). Declared with ``named_props=True`` in the class statement.
NAMED_TYPES: Final[set[type]] = set()


class JSObject:
    """An ordinary JavaScript object."""

    __slots__ = ("proto", "props", "flags", "extensible", "__weakref__")

    #: The ``[[Class]]``-like tag ``Object.prototype.toString`` reports.
    class_name = "Object"
    #: Whether integer keys address indexed storage (arrays); else they become strings.
    int_keys = False

    def __init_subclass__(cls, named_props: bool = False, **kwargs: Any) -> None:
        """Register ``cls`` in :data:`ORDINARY_TYPES` when it keeps the ordinary internal methods.

        ``named_props=True`` declares that a class which overrides them does so only for
        array indices and ``length`` (see :data:`NAMED_TYPES`); its subclasses must declare it again.
        """
        super().__init_subclass__(**kwargs)
        if all(getattr(cls, name) is getattr(JSObject, name) for name in _ORDINARY_METHODS):
            ORDINARY_TYPES.add(cls)
        elif named_props:
            NAMED_TYPES.add(cls)

    def __init__(self, proto: Optional["JSObject"]) -> None:
        self.proto = proto
        self.props: dict[Any, Any] = {}
        self.flags: dict[Any, int] | None = None
        self.extensible = True

    def __repr__(self) -> str:
        return f"<JS {self.class_name}>"

    # -- own properties -------------------------------------------------

    def get_own_slot(self, key: Any) -> Any:
        """The raw own slot (value or :class:`Accessor`) or :data:`MISSING`."""
        if type(key) is int:
            # An array's index lookup walking up to an ordinary prototype.
            key = str(key)
        return self.props.get(key, MISSING)

    def own_flags(self, key: Any) -> int:
        """The attribute bits of an existing own property."""
        flags = self.flags
        if flags is None:
            return DEFAULT_FLAGS
        return flags.get(str(key) if type(key) is int else key, DEFAULT_FLAGS)

    def get_own_property(self, key: Any) -> Descriptor | None:
        """[[GetOwnProperty]]."""
        slot = self.get_own_slot(key)
        if slot is MISSING:
            return None
        f = self.own_flags(key)
        if type(slot) is Accessor:
            return Descriptor(
                get=slot.get, set=slot.set, enumerable=bool(f & ENUMERABLE),
                configurable=bool(f & CONFIGURABLE),
            )
        return Descriptor(
            value=slot, writable=bool(f & WRITABLE), enumerable=bool(f & ENUMERABLE),
            configurable=bool(f & CONFIGURABLE),
        )

    def write_slot(self, key: Any, slot: Any, flags: int) -> None:
        """Store a slot with attributes, bypassing checks (built-in setup and defineProperty)."""
        self.props[key] = slot
        if flags != DEFAULT_FLAGS:
            if self.flags is None:
                self.flags = {}
            self.flags[key] = flags
        elif self.flags is not None:
            self.flags.pop(key, None)

    def remove_slot(self, key: Any) -> None:
        """Drop a slot and its attributes."""
        del self.props[key]
        if self.flags is not None:
            self.flags.pop(key, None)

    def define_own_property(self, key: Any, desc: Descriptor) -> bool:
        """[[DefineOwnProperty]] (ValidateAndApplyPropertyDescriptor)."""
        current = self.get_own_property(key)
        if current is None:
            if not self.extensible:
                return False
            f = (
                (WRITABLE if desc.writable is True else 0)
                | (ENUMERABLE if desc.enumerable is True else 0)
                | (CONFIGURABLE if desc.configurable is True else 0)
            )
            if desc.is_accessor:
                g = undefined if desc.get is MISSING else desc.get
                s = undefined if desc.set is MISSING else desc.set
                self.write_slot(key, Accessor(g, s), f & ~WRITABLE)
            else:
                v = undefined if desc.value is MISSING else desc.value
                self.write_slot(key, v, f)
            return True
        if not current.configurable:
            if desc.configurable is True:
                return False
            if desc.enumerable is not MISSING and bool(desc.enumerable) != current.enumerable:
                return False
            if desc.is_accessor and not current.is_accessor:
                return False
            if desc.is_data and current.is_accessor:
                return False
            if current.is_accessor:
                if desc.get is not MISSING and desc.get is not current.get:
                    return False
                if desc.set is not MISSING and desc.set is not current.set:
                    return False
            elif not current.writable:
                if desc.writable is True:
                    return False
                if desc.value is not MISSING and not same_value(desc.value, current.value):
                    return False
        enumerable = current.enumerable if desc.enumerable is MISSING else bool(desc.enumerable)
        configurable = (
            current.configurable if desc.configurable is MISSING else bool(desc.configurable)
        )
        f = (ENUMERABLE if enumerable else 0) | (CONFIGURABLE if configurable else 0)
        if desc.is_accessor or (current.is_accessor and not desc.is_data):
            old = self.get_own_slot(key)
            g = desc.get if desc.get is not MISSING else (
                old.get if type(old) is Accessor else undefined)
            s = desc.set if desc.set is not MISSING else (
                old.set if type(old) is Accessor else undefined)
            self.write_slot(key, Accessor(g, s), f)
        else:
            writable = (
                bool(current.writable) if desc.writable is MISSING and current.is_data
                else desc.writable is True
            )
            value = desc.value
            if value is MISSING:
                value = current.value if current.is_data else undefined
            self.write_slot(key, value, f | (WRITABLE if writable else 0))
        return True

    def own_keys(self) -> list[Any]:
        """[[OwnPropertyKeys]]: integer keys ascending, then strings, then symbols."""
        keys = list(self.props)
        ints: list[tuple[int, str]] = []
        strs: list[Any] = []
        syms: list[Any] = []
        for k in keys:
            if type(k) is str:
                if k and k[0] in "0123456789":
                    n = canonical_numeric_index(k)
                    if n is not None:
                        ints.append((n, k))
                        continue
                strs.append(k)
            else:
                syms.append(k)
        if ints:
            ints.sort()
            return [k for _, k in ints] + strs + syms
        if syms:
            return strs + syms
        return strs

    def delete(self, key: Any) -> bool:
        """[[Delete]]."""
        if key not in self.props:
            return True
        if not self.own_flags(key) & CONFIGURABLE:
            return False
        self.remove_slot(key)
        return True

    # -- inherited lookups ------------------------------------------------

    def get(self, key: Any, receiver: Any = MISSING) -> Any:
        """[[Get]]."""
        o: JSObject | None = self
        while o is not None:
            slot = o.get_own_slot(key)
            if slot is not MISSING:
                if type(slot) is Accessor:
                    getter = slot.get
                    if getter is undefined:
                        return undefined
                    return call(getter, self if receiver is MISSING else receiver)
                return slot
            o = o.get_proto_for_lookup()
        return undefined

    def get_proto_for_lookup(self) -> Optional["JSObject"]:
        """The next object of a lookup; proxies override it to route through traps."""
        return self.proto

    def has(self, key: Any) -> bool:
        """[[HasProperty]]."""
        o: JSObject | None = self
        while o is not None:
            if o.has_own(key):
                return True
            o = o.get_proto_for_lookup()
        return False

    def has_own(self, key: Any) -> bool:
        """Whether an own property exists."""
        return self.get_own_slot(key) is not MISSING

    def set(self, key: Any, value: Any, receiver: Any = MISSING) -> bool:
        """[[Set]] (OrdinarySet); returns ``False`` where strict mode would throw."""
        props = self.props
        if receiver is MISSING or receiver is self:
            slot = props.get(key, MISSING)
            if slot is not MISSING:
                if type(slot) is not Accessor and (self.flags is None or key not in self.flags):
                    props[key] = value
                    return True
            elif type(self) in ORDINARY_TYPES and self.extensible and type(key) is str:
                # A new property (``this.x = 1`` in a constructor): create it unless an
                # inherited property (a setter, a read-only one) is in the way; only an
                # ordinary chain can be read straight from ``props``.
                holder = self.proto
                while holder is not None and type(holder) in ORDINARY_TYPES and key not in holder.props:
                    holder = holder.proto
                if holder is None:
                    props[key] = value
                    return True
            receiver = self
        o: JSObject | None = self
        while o is not None:
            slot = o.get_own_slot(key)
            if slot is not MISSING:
                if type(slot) is Accessor:
                    setter = slot.set
                    if setter is undefined:
                        return False
                    call(setter, receiver, value)
                    return True
                if not o.own_flags(key) & WRITABLE:
                    return False
                break
            o = o.get_proto_for_lookup()
        if not isinstance(receiver, JSObject):
            return False
        return receiver.set_on_receiver(key, value)

    def set_on_receiver(self, key: Any, value: Any) -> bool:
        """The tail of OrdinarySet: update or create the receiver's own data property."""
        slot = self.get_own_slot(key)
        if slot is MISSING and type(self) is JSObject:
            # A new property on an ordinary object: CreateDataProperty, without descriptors.
            if not self.extensible:
                return False
            self.props[str(key) if type(key) is int else key] = value
            return True
        if slot is not MISSING:
            if type(slot) is Accessor or not self.own_flags(key) & WRITABLE:
                return False
            return self.define_own_property(key, Descriptor(value=value))
        if not self.extensible:
            return False
        return self.define_own_property(
            key, Descriptor(value=value, writable=True, enumerable=True, configurable=True)
        )

    # -- prototype and extensibility -------------------------------------

    def get_prototype_of(self) -> Optional["JSObject"]:
        """[[GetPrototypeOf]]."""
        return self.proto

    def set_prototype_of(self, proto: Optional["JSObject"]) -> bool:
        """[[SetPrototypeOf]] with the cycle check."""
        if proto is self.proto:
            return True
        if not self.extensible:
            return False
        p = proto
        while p is not None:
            if p is self:
                return False
            p = p.proto
        if isinstance(proto, JSFunction):
            proto.materialize()
        self.proto = proto
        return True

    def is_extensible(self) -> bool:
        """[[IsExtensible]]."""
        return self.extensible

    def prevent_extensions(self) -> bool:
        """[[PreventExtensions]]."""
        self.extensible = False
        return True

    # -- Python-side helpers (never reachable from JS) ---------------------

    def put(self, key: Any, value: Any, flags: int = DEFAULT_FLAGS) -> None:
        """Set an own data property directly (object literals, built-in setup)."""
        if flags == DEFAULT_FLAGS and self.flags is None:
            self.props[key] = value
        else:
            self.write_slot(key, value, flags)

    def enumerable_own_keys(self) -> Iterator[str]:
        """Own enumerable string keys in JS order (``Object.keys``)."""
        for k in self.own_keys():
            if type(k) is str:
                d = self.get_own_property(k)
                if d is not None and d.enumerable:
                    yield k


ORDINARY_TYPES.add(JSObject)


def same_value(a: Any, b: Any) -> bool:
    """SameValue: like ``===`` but NaN equals NaN and +0 differs from -0."""
    ta, tb = type(a), type(b)
    if ta in (int, float) and tb in (int, float):
        if a != a:
            return bool(b != b)
        if a == 0 and b == 0:
            return math.copysign(1.0, a) == math.copysign(1.0, b)
        return bool(a == b)
    if ta is not tb:
        return False
    if not isinstance(a, JSObject):  # strings and BigInts are equal by value
        return bool(a == b)
    return a is b


def array_index(key: Any) -> int | None:
    """The array index a property key denotes, or ``None``."""
    if type(key) is int:
        return key if 0 <= key < 4294967295 else None
    if type(key) is str and key and key[0] in "0123456789":
        return canonical_numeric_index(key)
    return None


class JSArray(JSObject, named_props=True):
    """An Array exotic object: dense ``items`` (holes are :data:`HOLE`) plus ordinary props.

    Index properties live in ``items``; the ``flags`` map may hold int keys for
    indices with non-default attributes (rare: defineProperty, freeze).
    """

    __slots__ = ("items", "length_writable")
    class_name = "Array"
    int_keys = True

    def __init__(self, proto: Optional[JSObject], items: list[Any] | None = None) -> None:
        # JSObject.__init__ written out: arrays are made in hot loops.
        self.proto = proto
        self.props = {}
        self.flags = None
        self.extensible = True
        self.items: list[Any] = [] if items is None else items
        self.length_writable = True

    def get_own_slot(self, key: Any) -> Any:
        """Index keys read ``items``; ``length`` is virtual."""
        if type(key) is str:
            # Method lookups (``arr.push``) are the common case: no index parsing for them.
            if not key or key[0] not in "0123456789":
                if key == "length":
                    return len(self.items)
                return self.props.get(key, MISSING)
            i = canonical_numeric_index(key)
            if i is None:
                return self.props.get(key, MISSING)
        elif type(key) is int:
            i = key
        else:
            return self.props.get(key, MISSING)
        items = self.items
        if 0 <= i < len(items):
            v = items[i]
            return MISSING if v is HOLE else v
        return MISSING

    def own_flags(self, key: Any) -> int:
        """``length`` is writable only; indices may carry overrides."""
        if key == "length":
            return WRITABLE if self.length_writable else 0
        flags = self.flags
        if flags is None:
            return DEFAULT_FLAGS
        i = array_index(key)
        return flags.get(key if i is None else i, DEFAULT_FLAGS)

    def get(self, key: Any, receiver: Any = MISSING) -> Any:
        """Fast path for in-range indices."""
        if type(key) is int and 0 <= key < len(self.items):
            v = self.items[key]
            if v is not HOLE and type(v) is not Accessor:
                return v
        return JSObject.get(self, key, receiver)

    def set(self, key: Any, value: Any, receiver: Any = MISSING) -> bool:
        """Fast paths for index writes: in range (into a hole too) and appends.

        Without ``flags`` every element is a writable data property; a new one
        (a hole filled, an append) is created unless the prototype chain has
        that index (an inherited setter or read-only element decides then).
        """
        if (receiver is MISSING or receiver is self) and type(key) is int and self.flags is None:
            items = self.items
            n = len(items)
            if 0 <= key < n:
                if items[key] is not HOLE:
                    items[key] = value
                    return True
                if self.extensible and not may_inherit_index(self.proto, key):
                    items[key] = value
                    return True
            elif key == n and self.extensible and self.length_writable:
                if may_inherit_index(self.proto, key):
                    return JSObject.set(self, key, value, receiver)
                if not n % APPEND_CHECK_EVERY:
                    check_growth(n + 1, APPEND_CHECK_EVERY)
                items.append(value)
                return True
        return JSObject.set(self, key, value, receiver)

    def write_slot(self, key: Any, slot: Any, flags: int) -> None:
        """Index slots go to ``items`` (growing with holes); ``length`` truncates or extends."""
        i = array_index(key)
        if i is not None:
            items = self.items
            if i >= len(items):
                grow_items(items, i + 1)
            items[i] = slot
            if flags != DEFAULT_FLAGS:
                if self.flags is None:
                    self.flags = {}
                self.flags[i] = flags
            elif self.flags is not None:
                self.flags.pop(i, None)
            return
        if key == "length":
            set_array_length(self, slot)
            self.length_writable = bool(flags & WRITABLE)
            return
        JSObject.write_slot(self, key, slot, flags)

    def remove_slot(self, key: Any) -> None:
        """Deleting an index leaves a hole."""
        i = array_index(key)
        if i is not None:
            if i < len(self.items):
                self.items[i] = HOLE
            if self.flags is not None:
                self.flags.pop(i, None)
            return
        JSObject.remove_slot(self, key)

    def delete(self, key: Any) -> bool:
        """[[Delete]] for indices and ``length``."""
        if key == "length":
            return False
        i = array_index(key)
        if i is not None:
            if i >= len(self.items) or self.items[i] is HOLE:
                return True
            if not self.own_flags(i) & CONFIGURABLE:
                return False
            self.remove_slot(i)
            return True
        return JSObject.delete(self, key)

    def define_own_property(self, key: Any, desc: Descriptor) -> bool:
        """ArraySetLength semantics for ``length``; indices beyond a fixed length fail."""
        if key == "length":
            if desc.value is not MISSING:
                if not self.length_writable and desc.value != len(self.items):
                    return False
                set_array_length(self, desc.value)
            if desc.writable is False:
                self.length_writable = False
            return desc.configurable is not True and desc.enumerable is not True
        i = array_index(key)
        if i is not None and i >= len(self.items) and not self.length_writable:
            return False
        return JSObject.define_own_property(self, key, desc)

    def own_keys(self) -> list[Any]:
        """Indices, ``length``, then the ordinary keys."""
        keys: list[Any] = [str(i) for i, v in enumerate(self.items) if v is not HOLE]
        keys.append("length")
        keys.extend(JSObject.own_keys(self))
        return keys


def may_inherit_index(o: JSObject | None, index: int) -> bool:
    """Whether ``o`` or an object on its prototype chain may have the own property ``index``.

    Arrays and ordinary objects are read directly (the common chain of an
    array: ``Array.prototype``, ``Object.prototype``); any other object on the
    chain (a proxy, a typed array) may: the full [[Set]] then decides, with
    only the operations the specification performs.
    """
    name: str | None = None
    while o is not None:
        if type(o) is JSArray:
            items = o.items
            if index < len(items) and items[index] is not HOLE:
                return True
        elif type(o) in ORDINARY_TYPES:
            if name is None:
                name = str(index)
            if name in o.props:
                return True
        else:
            return True
        o = o.proto
    return False


#: Appends through index writes check the running realm's array limit every this many elements.
APPEND_CHECK_EVERY = 1024


def check_growth(n: int, added: int) -> None:
    """An array grows to ``n`` elements, ``added`` of them new: RangeError past the running realm's limit.

    Outside a run (a host building values) only the spec's bound applies.
    """
    from .guard import running_guard

    guard = running_guard()
    if guard is not None:
        guard.grow_array(n, added)
    elif n > 4294967295:
        raise range_error("Invalid array length")


def grow_items(items: list[Any], n: int) -> None:
    """Extend ``items`` with holes to length ``n`` (bounded by the array size limit)."""
    check_growth(n, n - len(items))
    items.extend([HOLE] * (n - len(items)))


def set_array_length(arr: JSArray, value: Any) -> None:
    """Truncate or extend ``arr`` to ``value`` (ToUint32 of it must equal ToNumber of it)."""
    if type(value) is not int and type(value) is not float:
        from .ops import to_number

        value = to_number(value)
    if type(value) is not int:
        if isinstance(value, float) and value.is_integer() and 0 <= value < 4294967296:
            value = int(value)
        else:
            raise range_error("Invalid array length")
    if not 0 <= value < 4294967296:
        raise range_error("Invalid array length")
    items = arr.items
    if value < len(items):
        del items[value:]
    else:
        grow_items(items, value)


NativeFn = Callable[..., Any]


class JSFunction(JSObject):
    """A callable object. ``fn(this, *args)`` runs it.

    ``name``/``length``/``prototype`` are materialized into ``props`` only when
    something looks at the function as an object, so creating a closure that is
    only ever called costs one Python object.
    """

    __slots__ = (
        "fn", "name", "nargs", "kind", "construct_hook", "home", "lazy", "realm_proto",
        "bound_target", "source_text", "strict", "arity", "reads_new_target", "max_args",
    )
    class_name = "Function"

    #: kinds: "normal" (callable and constructible), "arrow"/"method"/"async"
    #: (callable only), "generator", "class" (constructible only), "derived"
    #: (a class with ``extends``: ``fn(new_target, *args)`` creates ``this`` via super),
    #: "native" (callable; constructible only with a ``construct_hook``).
    def __init__(
        self,
        proto: Optional[JSObject],
        fn: NativeFn,
        name: str = "",
        nargs: int = 0,
        kind: str = "normal",
        construct_hook: Optional[Callable[[list[Any], Any], Any]] = None,
        prototype_proto: Optional[JSObject] = None,
    ) -> None:
        # JSObject.__init__ written out: closures are made in hot loops.
        self.proto = proto
        self.props = {}
        self.flags = None
        self.extensible = True
        self.fn = fn
        self.name = name
        self.nargs = nargs
        self.kind = kind
        self.construct_hook = construct_hook
        self.home: Any = None
        self.lazy = True
        # The proto of the lazily created ``prototype`` object (None: no ``prototype``).
        self.realm_proto = prototype_proto
        self.bound_target: Any = None
        self.source_text: str | None = None
        self.strict = True
        # How many arguments ``fn`` takes after ``this`` (None: any number);
        # callers drop extra JS arguments beyond it.
        self.arity: int | None = None
        # How many arguments a call may hand ``fn`` as they are: ``arity`` (ANY_NUMBER for None), or -1
        # for a class constructor, which no call runs. One comparison tells a call it can go straight
        # to ``fn``; kept in step with ``arity`` by :meth:`set_arity`.
        self.max_args = -1 if kind == "class" or kind == "derived" else ANY_NUMBER
        # Whether a [[Construct]] must record ``new.target`` for ``fn`` (None: not known yet; the
        # runtime finds out at the first construction).
        self.reads_new_target: bool | None = None

    def __repr__(self) -> str:
        return f"<JS function {self.name}>"

    def set_arity(self, arity: int | None) -> None:
        """Set :attr:`arity` (how many arguments ``fn`` takes after ``this``; None: any number)."""
        self.arity = arity
        if self.max_args >= 0:
            self.max_args = ANY_NUMBER if arity is None else arity

    def materialize(self) -> None:
        """Create the own ``length``, ``name`` (and ``prototype``) properties."""
        if not self.lazy:
            return
        self.lazy = False
        props = self.props
        own = dict(props)
        props.clear()
        flags = self.flags or {}
        self.flags = flags
        props["length"] = self.nargs
        flags["length"] = CONFIGURABLE
        props["name"] = self.name
        flags["name"] = CONFIGURABLE
        if self.kind == "normal" and not self.strict:
            # As V8 does for sloppy functions (ECMA-262 17.1 allows it): never a strict caller.
            props["arguments"] = props["caller"] = None
            flags["arguments"] = flags["caller"] = 0
        if self.realm_proto is not None and self.kind in ("normal", "class", "derived", "generator"):
            proto_obj = JSObject(self.realm_proto)
            if self.kind != "generator":
                proto_obj.write_slot("constructor", self, HIDDEN)
            props["prototype"] = proto_obj
            flags["prototype"] = 0 if self.kind in ("class", "derived") else WRITABLE
        props.update(own)

    def get_own_slot(self, key: Any) -> Any:
        """Materialize before the first own-property read."""
        if self.lazy:
            self.materialize()
        return self.props.get(key, MISSING)

    def own_keys(self) -> list[Any]:
        """Materialize before listing."""
        if self.lazy:
            self.materialize()
        return JSObject.own_keys(self)

    def write_slot(self, key: Any, slot: Any, flags: int) -> None:
        """Materialize before writing."""
        if self.lazy:
            self.materialize()
        JSObject.write_slot(self, key, slot, flags)

    def set(self, key: Any, value: Any, receiver: Any = MISSING) -> bool:
        """Materialize, then ordinary [[Set]]."""
        if self.lazy:
            self.materialize()
        return JSObject.set(self, key, value, receiver)

    @property
    def callable(self) -> bool:
        """Whether ``f()`` may run it (class constructors may not)."""
        return self.kind not in ("class", "derived")

    @property
    def constructible(self) -> bool:
        """Whether ``new f()`` may run it."""
        if self.kind == "native" or self.kind == "bound":
            return self.construct_hook is not None
        return self.kind in ("normal", "class", "derived")


def call(f: Any, this: Any, *args: Any) -> Any:
    """[[Call]]: run ``f`` with ``this`` and ``args`` (TypeError if not callable)."""
    if isinstance(f, JSFunction):
        limit = f.max_args
        if len(args) > limit:
            if limit < 0:
                raise type_error(f"Class constructor {f.name} cannot be invoked without 'new'")
            args = args[:limit]
        return f.fn(this, *args)
    if isinstance(f, JSObject):
        callable_hook = getattr(f, "call_hook", None)
        if callable_hook is not None:
            return callable_hook(this, list(args))
    raise type_error(f"{describe(f)} is not a function")


def is_callable(v: Any) -> bool:
    """IsCallable."""
    if isinstance(v, JSFunction):
        return True
    return isinstance(v, JSObject) and getattr(v, "call_hook", None) is not None


def describe(v: Any) -> str:
    """A short description of a value for error messages."""
    if v is undefined:
        return "undefined"
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return number_to_string(v)
    if isinstance(v, str):
        return repr(v) if len(v) < 40 else repr(v[:37] + "...")
    if isinstance(v, Symbol):
        return key_repr(v)
    if isinstance(v, JSFunction):
        return f"function {v.name}" if v.name else "function"
    if isinstance(v, JSArray):
        return "array"
    return "object"
