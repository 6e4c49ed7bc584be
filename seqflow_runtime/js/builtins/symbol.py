"""The ``Symbol`` constructor, its registry and ``Symbol.prototype``.

Symbols are :class:`~seqflow_runtime.js.values.Symbol` instances compared by
identity. The well-known symbols (``Symbol.iterator``...) are the shared
objects of :data:`~seqflow_runtime.js.values.WELL_KNOWN_SYMBOLS`, so a symbol
key means the same thing in every realm, as the spec requires.

``Symbol.for`` uses a registry per realm (the spec's GlobalSymbolRegistry is
shared by all realms of an agent; one realm per execution makes the
difference unobservable). A registered symbol remembers its key in
``Symbol.registry_key``, which is what ``Symbol.keyFor`` reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from .. import ops
from ..values import (
    CONFIGURABLE,
    SYM_TO_PRIMITIVE,
    SYM_TO_STRING_TAG,
    WELL_KNOWN_SYMBOLS,
    Symbol,
    describe,
    type_error,
    undefined,
)
from .core import this_primitive
from .deferred import later, method, pend

if TYPE_CHECKING:
    from ..runtime import Runtime

#: ``Symbol.matchAll`` (ES2020). values.py predates it, so it is created here
#: once per process (shared by every realm, like the other well-known symbols)
#: unless values.py gains its own.
SYM_MATCH_ALL: Final[Symbol] = WELL_KNOWN_SYMBOLS.get("matchAll") or Symbol("Symbol.matchAll")


def symbol_descriptive_string(sym: Symbol) -> str:
    """SymbolDescriptiveString: ``Symbol(description)``."""
    return f"Symbol({sym.description or ''})"


def install(rt: "Runtime") -> None:
    """``Symbol``, ``Symbol.for``/``keyFor``, the well-known symbols and ``Symbol.prototype``."""
    SP = rt.SymbolPrototype
    # Per realm: each execution is its own realm, so nothing leaks between runs.
    registry: dict[str, Symbol] = {}

    def symbol_call(this: Any, description: Any = undefined, *_: Any) -> Symbol:
        return Symbol(None if description is undefined else ops.to_string(description))

    def symbol_construct(args: list[Any], new_target: Any) -> Any:
        # Symbol has [[Construct]] (so `class X extends Symbol` is legal) but
        # refuses to create wrapper objects.
        raise type_error("Symbol is not a constructor")

    ctor = rt.constructor("Symbol", 0, symbol_call, symbol_construct, SP)
    # The statics and the prototype's methods are made when a script first looks at them.
    pend(rt, ctor)
    pend(rt, SP)

    def statics() -> None:
        """Symbol.for, Symbol.keyFor and the well-known symbols (20.4.2), made when a script first looks at
        Symbol."""
        def symbol_for(this: Any, key: Any = undefined, *_: Any) -> Symbol:
            string_key = ops.to_string(key)
            sym = registry.get(string_key)
            if sym is None:
                sym = Symbol(string_key, string_key)
                registry[string_key] = sym
            return sym

        def symbol_key_for(this: Any, sym: Any = undefined, *_: Any) -> Any:
            if type(sym) is not Symbol:
                raise type_error(f"{describe(sym)} is not a symbol")
            return undefined if sym.registry_key is None else sym.registry_key

        method(rt, ctor, "for", symbol_for, 1)
        method(rt, ctor, "keyFor", symbol_key_for, 1)
        names = list(WELL_KNOWN_SYMBOLS)
        if "matchAll" not in names:
            names.append("matchAll")
        for name in names:
            sym = WELL_KNOWN_SYMBOLS.get(name) or SYM_MATCH_ALL
            # Well-known symbol properties are non-writable, non-enumerable, non-configurable.
            ctor.write_slot(name, sym, 0)

    later(ctor, statics)

    # -- Symbol.prototype -----------------------------------------------------------

    def prototype_methods() -> None:
        """Symbol.prototype's methods (20.4.3), made when a script first looks at Symbol.prototype."""
        def this_symbol(this: Any, method: str) -> Symbol:
            value: Symbol = this_primitive(this, "symbol", method)
            return value

        def to_string(this: Any, *_: Any) -> str:
            return symbol_descriptive_string(this_symbol(this, "Symbol.prototype.toString"))

        def value_of(this: Any, *_: Any) -> Symbol:
            return this_symbol(this, "Symbol.prototype.valueOf")

        def description(this: Any, *_: Any) -> Any:
            sym = this_symbol(this, "Symbol.prototype.description")
            return undefined if sym.description is None else sym.description

        def to_primitive(this: Any, hint: Any = undefined, *_: Any) -> Symbol:
            return this_symbol(this, "Symbol.prototype [ @@toPrimitive ]")

        rt.define(SP, "toString", to_string, 0)
        rt.define(SP, "valueOf", value_of, 0)
        rt.define_getter(SP, "description", description)
        # @@toPrimitive is configurable but not writable (ES2017 19.4.3.4).
        SP.write_slot(SYM_TO_PRIMITIVE, rt.native(to_primitive, "[Symbol.toPrimitive]", 1), CONFIGURABLE)
        SP.write_slot(SYM_TO_STRING_TAG, "Symbol", CONFIGURABLE)

    later(SP, prototype_methods)
    rt.intrinsics["Symbol.prototype"] = SP
