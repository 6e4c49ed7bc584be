"""Annex B web-compatibility built-ins that belong to no other module.

``Object.prototype.__defineGetter__``/``__defineSetter__``/``__lookupGetter__``/
``__lookupSetter__`` (ECMA-262 B.2.2.2-B.2.2.5). The rest of Annex B lives
next to what it extends: ``__proto__`` in ``core``, ``escape``/``unescape``
in ``globals_functions``, ``substr`` and the HTML methods in ``string``,
``getYear``/``setYear``/``toGMTString`` in ``date``, ``compile`` in ``regexp``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import ops
from .deferred import methods
from ..values import MISSING, Descriptor, JSObject, describe, is_callable, type_error, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime


def install(rt: "Runtime") -> None:
    """The legacy accessor methods of ``Object.prototype``."""
    OP = rt.ObjectPrototype

    def define_accessor(this: Any, key: Any, fn: Any, getter: bool) -> Any:
        """B.2.2.2 / B.2.2.3: DefinePropertyOrThrow(O, key, {[[Get]] or [[Set]]: fn, enumerable, configurable})."""
        o = rt.to_object(this)
        kind = "getter" if getter else "setter"
        if not is_callable(fn):
            raise type_error(f"Object.prototype.__define{kind.title()}__: Expecting function")
        desc = Descriptor(enumerable=True, configurable=True)
        if getter:
            desc.get = fn
        else:
            desc.set = fn
        k = ops.to_property_key(key)
        if not o.define_own_property(k, desc):
            raise type_error(f"Cannot redefine property: {k if type(k) is str else describe(k)}")
        return undefined

    def define_getter(this: Any, key: Any = undefined, fn: Any = undefined, *_: Any) -> Any:
        return define_accessor(this, key, fn, True)

    def define_setter(this: Any, key: Any = undefined, fn: Any = undefined, *_: Any) -> Any:
        return define_accessor(this, key, fn, False)

    def lookup_accessor(this: Any, key: Any, getter: bool) -> Any:
        """B.2.2.4 / B.2.2.5: the getter or setter of the first object on the chain that has ``key``."""
        o: JSObject | None = rt.to_object(this)
        k = ops.to_property_key(key)
        while o is not None:
            desc = o.get_own_property(k)
            if desc is not None:
                if not desc.is_accessor:
                    return undefined
                found = desc.get if getter else desc.set
                return undefined if found is MISSING else found
            o = o.get_prototype_of()
        return undefined

    def lookup_getter(this: Any, key: Any = undefined, *_: Any) -> Any:
        return lookup_accessor(this, key, True)

    def lookup_setter(this: Any, key: Any = undefined, *_: Any) -> Any:
        return lookup_accessor(this, key, False)

    methods(rt, OP, (("__defineGetter__", define_getter, 2), ("__defineSetter__", define_setter, 2),
                     ("__lookupGetter__", lookup_getter, 1), ("__lookupSetter__", lookup_setter, 1)))
