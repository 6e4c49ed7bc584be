"""The static methods of the ``Object`` constructor (ES2017, plus ES2019 ``Object.fromEntries``).

The constructor itself and ``Object.prototype`` live in :mod:`.core`; this
module adds ``Object.keys``, ``Object.defineProperty``, ``Object.freeze``
and the rest to ``rt.intrinsics["Object"]``.

It also exports the descriptor conversions the spec shares between
``Object``, ``Reflect`` and ``Proxy`` (:func:`to_property_descriptor`,
:func:`from_property_descriptor`, :func:`is_compatible_descriptor`) and
:func:`property_key`, the key normalisation every one of them needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import ops
from ..numconv import to_uint32
from .deferred import later, methods, pend
from ..values import (
    CONFIGURABLE,
    DEFAULT_FLAGS,
    ENUMERABLE,
    HOLE,
    MISSING,
    WRITABLE,
    Descriptor,
    JSArray,
    JSObject,
    Symbol,
    describe,
    is_callable,
    range_error,
    same_value,
    type_error,
    undefined,
)

if TYPE_CHECKING:
    from ..runtime import Runtime

#: The order ToPropertyDescriptor reads the fields in (observable through getters and proxies).
_DESCRIPTOR_FIELDS = ("enumerable", "configurable", "value", "writable", "get", "set")


def property_key(o: JSObject, key: Any) -> Any:
    """ToPropertyKey, in the form ``o`` stores keys: ``int`` only for arrays, else ``str``/Symbol.

    ``rt.key_for`` keeps ints for every ``int_keys`` object, but only arrays
    store ints (a String wrapper stores extra keys as strings), so the
    built-ins here normalise for themselves.
    """
    t = type(key)
    if t is not str and t is not Symbol:
        key = ops.to_property_key(key)
        if type(key) is int and not isinstance(o, JSArray):
            key = str(key)
    return key


def js_key(key: Any) -> Any:
    """A key as JS sees it: array indices stored as ints become strings."""
    return str(key) if type(key) is int else key


def to_property_descriptor(obj: Any) -> Descriptor:
    """ToPropertyDescriptor: a JS descriptor object as a :class:`Descriptor` (with validation)."""
    if not isinstance(obj, JSObject):
        raise type_error(f"Property description must be an object: {describe(obj)}")
    desc = Descriptor()
    proto = obj.proto
    if type(obj) is JSObject and obj.flags is None and (proto is None or (
        type(proto) is JSObject and proto.proto is None and not any(f in proto.props for f in _DESCRIPTOR_FIELDS)
    )):
        # A plain literal like {value: 1, writable: true} over a field-free
        # prototype: no getter or proxy can observe the reads, so use the dict.
        props = obj.props

        def get_field(name: str) -> Any:
            return props.get(name, MISSING)
    else:
        def get_field(name: str) -> Any:
            return obj.get(name) if obj.has(name) else MISSING
    v = get_field("enumerable")
    if v is not MISSING:
        desc.enumerable = ops.truthy(v)
    v = get_field("configurable")
    if v is not MISSING:
        desc.configurable = ops.truthy(v)
    v = get_field("value")
    if v is not MISSING:
        desc.value = v
    v = get_field("writable")
    if v is not MISSING:
        desc.writable = ops.truthy(v)
    v = get_field("get")
    if v is not MISSING:
        if v is not undefined and not is_callable(v):
            raise type_error(f"Getter must be a function: {describe(v)}")
        desc.get = v
    v = get_field("set")
    if v is not MISSING:
        if v is not undefined and not is_callable(v):
            raise type_error(f"Setter must be a function: {describe(v)}")
        desc.set = v
    if (desc.get is not MISSING or desc.set is not MISSING) and (
        desc.value is not MISSING or desc.writable is not MISSING
    ):
        raise type_error(
            "Invalid property descriptor. Cannot both specify accessors and a value or writable attribute, #<Object>"
        )
    return desc


def from_property_descriptor(rt: "Runtime", desc: Descriptor | None) -> Any:
    """FromPropertyDescriptor: a :class:`Descriptor` as a JS object (``undefined`` for none)."""
    if desc is None:
        return undefined
    o = rt.new_object()
    props = o.props
    # Field order is the spec's: value, writable, get, set, enumerable, configurable.
    if desc.value is not MISSING:
        props["value"] = desc.value
    if desc.writable is not MISSING:
        props["writable"] = bool(desc.writable)
    if desc.get is not MISSING:
        props["get"] = desc.get
    if desc.set is not MISSING:
        props["set"] = desc.set
    if desc.enumerable is not MISSING:
        props["enumerable"] = bool(desc.enumerable)
    if desc.configurable is not MISSING:
        props["configurable"] = bool(desc.configurable)
    return o


def complete_descriptor(desc: Descriptor) -> Descriptor:
    """CompletePropertyDescriptor: absent fields get their defaults (a new object)."""
    out = Descriptor(desc.value, desc.get, desc.set, desc.writable, desc.enumerable, desc.configurable)
    if desc.is_accessor:
        if out.get is MISSING:
            out.get = undefined
        if out.set is MISSING:
            out.set = undefined
    else:
        if out.value is MISSING:
            out.value = undefined
        if out.writable is MISSING:
            out.writable = False
    if out.enumerable is MISSING:
        out.enumerable = False
    if out.configurable is MISSING:
        out.configurable = False
    return out


def is_compatible_descriptor(extensible: bool, desc: Descriptor, current: Descriptor | None) -> bool:
    """IsCompatiblePropertyDescriptor, by replaying the definition on a scratch object."""
    scratch = JSObject(None)
    if current is not None:
        scratch.define_own_property("k", complete_descriptor(current))
    scratch.extensible = extensible
    return scratch.define_own_property("k", desc)


def prepare_length_descriptor(o: JSObject, key: Any, desc: Descriptor) -> None:
    """ArraySetLength's conversion: an array's new ``length`` must be a valid uint32."""
    if key == "length" and isinstance(o, JSArray) and desc.value is not MISSING:
        value = desc.value
        if type(value) is not int or not 0 <= value < 4294967296:
            # The spec converts twice (ToUint32 and ToNumber): both are observable.
            new_len = to_uint32(ops.to_number(value))
            if new_len != ops.to_number(value):
                raise range_error("Invalid array length")
            desc.value = new_len


def define_or_throw(o: JSObject, key: Any, desc: Descriptor) -> None:
    """DefinePropertyOrThrow."""
    prepare_length_descriptor(o, key, desc)
    if not o.define_own_property(key, desc):
        raise type_error(f"Cannot redefine property: {ops.to_string(js_key(key)) if not isinstance(key, Symbol) else describe(key)}")


def set_integrity_level(o: JSObject, frozen: bool) -> bool:
    """SetIntegrityLevel(o, sealed/frozen); ``False`` when ``o`` refuses to stop extending."""
    if not o.prevent_extensions():
        return False
    t = type(o)
    if t is JSObject or t is JSArray:
        # Fast path: rewrite the attribute bits directly. Freezing keeps only
        # ENUMERABLE (accessors never carry WRITABLE); sealing drops CONFIGURABLE.
        keep = ENUMERABLE if frozen else ENUMERABLE | WRITABLE
        flags = o.flags if o.flags is not None else {}
        for key in o.props:
            flags[key] = flags.get(key, DEFAULT_FLAGS) & keep
        if t is JSArray:
            assert isinstance(o, JSArray)
            for i, v in enumerate(o.items):
                if v is not HOLE:
                    flags[i] = flags.get(i, DEFAULT_FLAGS) & keep
            if frozen:
                o.length_writable = False
        # A flags map (even empty) sends JSArray writes down the checked slow path.
        o.flags = flags
        return True
    # Exotic objects (proxies) observe every definition; for the others, re-defining
    # a property that is already locked would change nothing, so it is skipped (that
    # also keeps virtual properties, like a String object's characters, virtual).
    ordinary = type(o).get_own_property is JSObject.get_own_property
    for key in o.own_keys():
        if frozen or ordinary:
            current = o.get_own_property(key)
            if current is None:
                continue
            if ordinary and not current.configurable and not (frozen and current.is_data and current.writable):
                continue
            if frozen:
                desc = Descriptor(configurable=False) if current.is_accessor else Descriptor(
                    configurable=False, writable=False)
            else:
                desc = Descriptor(configurable=False)
        else:
            desc = Descriptor(configurable=False)
        define_or_throw(o, key, desc)
    return True


def has_integrity_level(o: JSObject, frozen: bool) -> bool:
    """TestIntegrityLevel(o, sealed/frozen)."""
    if o.is_extensible():
        return False
    t = type(o)
    if t is JSObject or t is JSArray:
        flags = o.flags or {}
        mask = CONFIGURABLE | (WRITABLE if frozen else 0)
        for key in o.props:
            if flags.get(key, DEFAULT_FLAGS) & mask:
                return False
        if t is JSArray:
            assert isinstance(o, JSArray)
            if frozen and o.length_writable:
                return False
            for i, v in enumerate(o.items):
                if v is not HOLE and flags.get(i, DEFAULT_FLAGS) & mask:
                    return False
        return True
    for key in o.own_keys():
        current = o.get_own_property(key)
        if current is None:
            continue
        if current.configurable:
            return False
        if frozen and current.is_data and current.writable:
            return False
    return True


def enumerable_own_keys(o: JSObject) -> list[Any]:
    """EnumerableOwnPropertyNames(o, key): own enumerable string keys in spec order."""
    t = type(o)
    if o.flags is None and (t is JSObject or t is JSArray):
        # No attribute overrides: every own property is enumerable (except an array's length).
        keys = [k for k in o.own_keys() if type(k) is str]
        if t is JSArray:
            keys.remove("length")
        return keys
    out = []
    for k in o.own_keys():
        if type(k) is str:
            d = o.get_own_property(k)
            if d is not None and d.enumerable:
                out.append(k)
    return out


def install(rt: "Runtime") -> None:
    """Add the static methods to the ``Object`` constructor and register ``intrinsics["freeze"]``."""
    O: JSObject = rt.intrinsics["Object"]
    pend(rt, O)  # the statics are made when a script first looks at Object

    def statics() -> None:
        """Object's static methods (20.1.2), made when a script first looks at Object."""
        def require_object(v: Any, method: str) -> JSObject:
            if not isinstance(v, JSObject):
                raise type_error(f"{method} called on non-object")
            return v

        def check_proto(proto: Any) -> None:
            if proto is not None and not isinstance(proto, JSObject):
                raise type_error(f"Object prototype may only be an Object or null: {describe(proto)}")

        # -- enumeration ----------------------------------------------------------------

        def keys(this: Any, o: Any = undefined, *_: Any) -> JSArray:
            return rt.new_array(enumerable_own_keys(rt.to_object(o)))

        def plain_array_values(arr: JSArray) -> list[Any]:
            """The enumerable own values of an array without attribute overrides (indices, then props)."""
            out = [v for v in arr.items if v is not HOLE]
            props = arr.props
            out.extend(props[k] for k in JSObject.own_keys(arr) if type(k) is str)
            return out

        def values(this: Any, o: Any = undefined, *_: Any) -> JSArray:
            obj = rt.to_object(o)
            if type(obj) is JSObject and obj.flags is None:
                # Plain data properties: no getters can run, so read the dict.
                props = obj.props
                return rt.new_array([props[k] for k in obj.own_keys() if type(k) is str])
            if type(obj) is JSArray and obj.flags is None:
                return rt.new_array(plain_array_values(obj))
            out = []
            for k in obj.own_keys():
                if type(k) is str:
                    d = obj.get_own_property(k)
                    if d is not None and d.enumerable:
                        out.append(obj.get(k))
            return rt.new_array(out)

        def entries(this: Any, o: Any = undefined, *_: Any) -> JSArray:
            obj = rt.to_object(o)
            if type(obj) is JSObject and obj.flags is None:
                props = obj.props
                return rt.new_array([rt.new_array([k, props[k]]) for k in obj.own_keys() if type(k) is str])
            if type(obj) is JSArray and obj.flags is None:
                return rt.new_array([rt.new_array([k, v]) for k, v in zip(enumerable_own_keys(obj),
                                                                           plain_array_values(obj))])
            out = []
            for k in obj.own_keys():
                if type(k) is str:
                    d = obj.get_own_property(k)
                    if d is not None and d.enumerable:
                        out.append(rt.new_array([k, obj.get(k)]))
            return rt.new_array(out)

        def assign(this: Any, target: Any = undefined, *sources: Any) -> JSObject:
            to = rt.to_object(target)
            for source in sources:
                if source is None or source is undefined:
                    continue
                src = rt.to_object(source)
                plain = type(src) is JSObject and src.flags is None
                for k in src.own_keys():
                    if plain:
                        v = src.props[k]
                    else:
                        d = src.get_own_property(k)
                        if d is None or not d.enumerable:
                            continue
                        v = src.get(k)
                    if not to.set(k, v):
                        raise type_error(f"Cannot assign to read only property '{ops.to_string(k) if type(k) is not Symbol else describe(k)}' of object")
            return to

        # -- integrity ------------------------------------------------------------------------

        def freeze(this: Any, o: Any = undefined, *_: Any) -> Any:
            if isinstance(o, JSObject) and not set_integrity_level(o, True):
                raise type_error("Cannot freeze")
            return o

        def is_frozen(this: Any, o: Any = undefined, *_: Any) -> bool:
            return not isinstance(o, JSObject) or has_integrity_level(o, True)

        def seal(this: Any, o: Any = undefined, *_: Any) -> Any:
            if isinstance(o, JSObject) and not set_integrity_level(o, False):
                raise type_error("Cannot seal")
            return o

        def is_sealed(this: Any, o: Any = undefined, *_: Any) -> bool:
            return not isinstance(o, JSObject) or has_integrity_level(o, False)

        def prevent_extensions(this: Any, o: Any = undefined, *_: Any) -> Any:
            if isinstance(o, JSObject) and not o.prevent_extensions():
                raise type_error("Cannot prevent extensions")
            return o

        def is_extensible(this: Any, o: Any = undefined, *_: Any) -> bool:
            return isinstance(o, JSObject) and o.is_extensible()

        # -- properties -----------------------------------------------------------------------

        def define_properties(o: JSObject, properties: Any) -> None:
            props = rt.to_object(properties)
            descriptors: list[tuple[Any, Descriptor]] = []
            for k in props.own_keys():
                d = props.get_own_property(k)
                if d is not None and d.enumerable:
                    descriptors.append((property_key(o, js_key(k)), to_property_descriptor(props.get(k))))
            for k, desc in descriptors:
                define_or_throw(o, k, desc)

        def create(this: Any, proto: Any = undefined, properties: Any = undefined, *_: Any) -> JSObject:
            check_proto(proto)
            o = JSObject(proto)
            if properties is not undefined:
                define_properties(o, properties)
            return o

        def define_property(this: Any, o: Any = undefined, p: Any = undefined, attributes: Any = undefined,
                            *_: Any) -> JSObject:
            obj = require_object(o, "Object.defineProperty")
            key = property_key(obj, p)
            define_or_throw(obj, key, to_property_descriptor(attributes))
            return obj

        def define_properties_fn(this: Any, o: Any = undefined, properties: Any = undefined, *_: Any) -> JSObject:
            obj = require_object(o, "Object.defineProperties")
            define_properties(obj, properties)
            return obj

        def get_own_property_descriptor(this: Any, o: Any = undefined, p: Any = undefined, *_: Any) -> Any:
            obj = rt.to_object(o)
            return from_property_descriptor(rt, obj.get_own_property(property_key(obj, p)))

        def get_own_property_descriptors(this: Any, o: Any = undefined, *_: Any) -> JSObject:
            obj = rt.to_object(o)
            out = rt.new_object()
            for k in obj.own_keys():
                d = obj.get_own_property(k)
                if d is not None:
                    out.put(js_key(k), from_property_descriptor(rt, d))
            return out

        def get_own_property_names(this: Any, o: Any = undefined, *_: Any) -> JSArray:
            obj = rt.to_object(o)
            return rt.new_array([js_key(k) for k in obj.own_keys() if type(k) is not Symbol])

        def get_own_property_symbols(this: Any, o: Any = undefined, *_: Any) -> JSArray:
            obj = rt.to_object(o)
            return rt.new_array([k for k in obj.own_keys() if type(k) is Symbol])

        # -- prototypes --------------------------------------------------------------------------

        def get_prototype_of(this: Any, o: Any = undefined, *_: Any) -> Any:
            return rt.to_object(o).get_prototype_of()

        def set_prototype_of(this: Any, o: Any = undefined, proto: Any = undefined, *_: Any) -> Any:
            if o is None or o is undefined:
                raise type_error("Object.setPrototypeOf called on null or undefined")
            check_proto(proto)
            if not isinstance(o, JSObject):
                return o
            if not o.set_prototype_of(proto):
                if not o.is_extensible():
                    raise type_error(f"{describe_object(o)} is not extensible")
                raise type_error("Cyclic __proto__ value")
            return o

        def describe_object(o: JSObject) -> str:
            return "#<Object>" if not isinstance(o, JSArray) else "[object Array]"

        def is_(this: Any, a: Any = undefined, b: Any = undefined, *_: Any) -> bool:
            return same_value(a, b)

        def has_own(this: Any, o: Any = undefined, key: Any = undefined, *_: Any) -> bool:
            """Object.hasOwn (ECMA-262 20.1.2.13, ES2022): ToObject first, then ToPropertyKey."""
            obj = rt.to_object(o)
            return obj.get_own_property(property_key(obj, key)) is not None

        def from_entries(this: Any, iterable: Any = undefined, *_: Any) -> JSObject:
            if iterable is None or iterable is undefined:
                raise type_error(f"{describe(iterable)} is not iterable")
            out = rt.new_object()
            for entry in rt.iterate(iterable):
                if not isinstance(entry, JSObject):
                    raise type_error(f"Iterator value {describe(entry)} is not an entry object")
                if type(entry) is JSArray and entry.flags is None and len(entry.items) >= 2:
                    k, v = entry.items[0], entry.items[1]
                    k = undefined if k is HOLE else k
                    v = undefined if v is HOLE else v
                else:
                    k = rt.get(entry, 0)
                    v = rt.get(entry, 1)
                key = property_key(out, k)
                if type(key) is str and out.flags is None:
                    out.props[key] = v
                else:
                    define_or_throw(out, key, Descriptor(v, writable=True, enumerable=True, configurable=True))
            return out

        methods(rt, O, (
            ("keys", keys, 1),
            ("values", values, 1),
            ("entries", entries, 1),
            ("assign", assign, 2),
            ("freeze", freeze, 1),
            ("isFrozen", is_frozen, 1),
            ("seal", seal, 1),
            ("isSealed", is_sealed, 1),
            ("preventExtensions", prevent_extensions, 1),
            ("isExtensible", is_extensible, 1),
            ("create", create, 2),
            ("defineProperty", define_property, 3),
            ("defineProperties", define_properties_fn, 2),
            ("getOwnPropertyDescriptor", get_own_property_descriptor, 2),
            ("getOwnPropertyDescriptors", get_own_property_descriptors, 1),
            ("getOwnPropertyNames", get_own_property_names, 1),
            ("getOwnPropertySymbols", get_own_property_symbols, 1),
            ("getPrototypeOf", get_prototype_of, 1),
            ("setPrototypeOf", set_prototype_of, 2),
            ("is", is_, 2),
            ("fromEntries", from_entries, 1),
            ("hasOwn", has_own, 2),
        ))

    later(O, statics)

    def freeze_object(o: JSObject) -> JSObject:
        """Freeze ``o`` (template objects); a Python-side helper."""
        set_integrity_level(o, True)
        return o

    rt.intrinsics["freeze"] = freeze_object
    rt.intrinsics["to_property_descriptor"] = to_property_descriptor
    rt.intrinsics["from_property_descriptor"] = lambda d: from_property_descriptor(rt, d)

