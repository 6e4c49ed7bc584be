"""Class fields, private names (``#x``) and the calls optional chaining needs.

A private name is a :class:`PrivateName` made each time its class definition
is evaluated (two evaluations of one class expression give distinct names, so
their brands differ). The objects that carry it are kept in a weak table on
the name, never among their properties: private members are invisible to
reflection, proxies and spread, and reading ``#x`` of an object that lacks it
is a TypeError (the brand check).
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from . import ops
from .values import ORDINARY_TYPES, Descriptor, JSObject, call, describe, type_error, undefined

#: What the weak table holds for an object branded with a private method or accessor.
_BRAND = object()


class PrivateName:
    """One ``#name`` of one evaluation of a class body."""

    __slots__ = ("description", "kind", "method", "getter", "setter", "table")

    def __init__(self, description: str, kind: str = "field", method: Any = undefined,
                 getter: Any = undefined, setter: Any = undefined) -> None:
        self.description = description
        self.kind = kind  # "field" | "method" | "accessor"
        self.method = method
        self.getter = getter
        self.setter = setter
        self.table: WeakKeyDictionary[JSObject, Any] = WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"PrivateName({self.description})"


class ClassElements:
    """The ``rt`` helpers for class elements (mixed into the Runtime)."""

    @staticmethod
    def private_name(description: str) -> PrivateName:
        """A private field's name (``#x = ...``)."""
        return PrivateName(description)

    @staticmethod
    def private_method(description: str, fn: Any) -> PrivateName:
        """A private method's name, holding its (shared, read-only) function."""
        return PrivateName(description, "method", method=fn)

    @staticmethod
    def private_accessor(description: str, getter: Any, setter: Any) -> PrivateName:
        """A private getter and/or setter pair."""
        return PrivateName(description, "accessor", getter=getter, setter=setter)

    @staticmethod
    def private_get(o: Any, name: PrivateName) -> Any:
        """``o.#x``."""
        if not isinstance(o, JSObject) or o not in name.table:
            raise type_error(f"Cannot read private member {name.description} from an object "
                             "whose class did not declare it")
        if name.kind == "field":
            return name.table[o]
        if name.kind == "method":
            return name.method
        if name.getter is undefined:
            raise type_error(f"'{name.description}' was defined without a getter")
        return call(name.getter, o)

    @staticmethod
    def private_set(o: Any, name: PrivateName, value: Any) -> Any:
        """``o.#x = value``; returns ``value``."""
        if not isinstance(o, JSObject) or o not in name.table:
            raise type_error(f"Cannot write private member {name.description} to an object "
                             "whose class did not declare it")
        if name.kind == "field":
            name.table[o] = value
        elif name.kind == "method":
            raise type_error(f"Private method '{name.description}' is not writable")
        elif name.setter is undefined:
            raise type_error(f"'{name.description}' was defined without a setter")
        else:
            call(name.setter, o, value)
        return value

    @staticmethod
    def private_define(o: JSObject, name: PrivateName, value: Any) -> None:
        """Initialise the private field ``name`` on a new instance (once per object)."""
        if o in name.table:
            raise type_error(f"Cannot initialize {name.description} twice on the same object")
        name.table[o] = value

    @staticmethod
    def private_brand(o: JSObject, *names: PrivateName) -> None:
        """Give a new instance (or the class, for static ones) its private methods and accessors."""
        for name in names:
            if o in name.table:
                raise type_error("Cannot initialize private methods of class twice on the same object")
            name.table[o] = _BRAND

    @staticmethod
    def private_in(name: PrivateName, o: Any) -> bool:
        """``#x in o``: whether ``o`` carries the private name (no error for a plain object)."""
        if not isinstance(o, JSObject):
            raise type_error(f"Cannot use 'in' operator to search for '{name.description}' in {describe(o)}")
        return o in name.table

    @staticmethod
    def define_field(o: Any, key: Any, value: Any) -> None:
        """A public field: CreateDataPropertyOrThrow on the instance (or the class)."""
        if type(o) in ORDINARY_TYPES and type(key) is str and o.flags is None and o.extensible:
            # Every own property of `o` is then a configurable data property with the default attributes,
            # so defining `key` (new or not) is storing the value (OrdinaryDefineOwnProperty).
            o.props[key] = value
            return
        assert isinstance(o, JSObject)
        key = ops.to_property_key(key)
        if type(key) is int and not o.int_keys:
            key = str(key)
        desc = Descriptor(value=value, writable=True, enumerable=True, configurable=True)
        if not o.define_own_property(key, desc):
            raise type_error(f"Cannot define property {ops.to_string(key) if isinstance(key, str) else key}, "
                             "object is not extensible")

    @staticmethod
    def init_fields(o: Any, initialise: Any) -> Any:
        """Run a class's field initialiser on ``o`` (an instance, or the class itself); returns ``o``."""
        initialise(o)
        return o

    @staticmethod
    def call_this(f: Any, this: Any, *args: Any) -> Any:
        """``f(...args)`` with an explicit ``this`` (``o.m?.()``, ``(o?.m)()``, ``o.#m()``)."""
        return call(f, this, *args)

