"""``Reflect`` and ``Proxy`` (ES2017, with the later spec's invariant fixes).

:class:`JSProxy` is a Proxy exotic object: every internal method of
:class:`~..values.JSObject` is overridden to call the handler's trap (or
forward to the target when the trap is absent) and to enforce the spec's
invariants. Traps only ever see JS values: keys are strings or Symbols,
descriptors are plain JS objects, argument lists are JS arrays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from .. import ops
from ..values import (
    CONFIGURABLE,
    DEFAULT_FLAGS,
    ENUMERABLE,
    MISSING,
    SYM_TO_STRING_TAG,
    WRITABLE,
    Accessor,
    Descriptor,
    JSArray,
    JSFunction,
    JSObject,
    Symbol,
    call,
    describe,
    is_callable,
    same_value,
    type_error,
    undefined,
)
from .core import list_from_array_like
from .object import (
    from_property_descriptor,
    is_compatible_descriptor,
    js_key,
    prepare_length_descriptor,
    property_key,
    to_property_descriptor,
)

if TYPE_CHECKING:
    from ..runtime import Runtime


def _key_text(key: Any) -> str:
    """A key as a proxy error message quotes it."""
    if isinstance(key, Symbol):
        return f"Symbol({key.description or ''})"
    return str(key)


class _Forward(JSObject):
    """A callable stand-in a proxy puts in a lookup's path (never reachable from JS).

    The base class's [[Get]]/[[Set]] loops walk the prototype chain reading
    raw slots; when they reach a proxy, the spec says to delegate the whole
    operation to the proxy's [[Get]]/[[Set]] with the original receiver. A
    proxy's :meth:`JSProxy.get_own_slot` therefore answers with an
    :class:`Accessor` whose getter/setter are these forwarders, and the base
    loop calls them with the receiver.
    """

    __slots__ = ("proxy", "key", "setter")

    def __init__(self, proxy: "JSProxy", key: Any, setter: bool) -> None:
        JSObject.__init__(self, None)
        self.proxy = proxy
        self.key = key
        self.setter = setter

    def call_hook(self, this: Any, args: list[Any]) -> Any:
        """Run the proxy's [[Get]] or [[Set]] with ``this`` as the receiver."""
        if self.setter:
            self.proxy.set(self.key, args[0] if args else undefined, this)
            return undefined
        return self.proxy.get(self.key, this)


class JSProxy(JSObject):
    """A Proxy exotic object (``new Proxy(target, handler)``).

    ``call_hook``/``construct_hook`` exist only when the target is callable /
    constructible, which is what ``values.call``, ``is_callable`` (so
    ``typeof``) and ``rt.construct`` look for. ``target``/``handler`` become
    ``None`` when the proxy is revoked.
    """

    __slots__ = ("target", "handler", "realm", "call_hook", "construct_hook")

    def __init__(self, rt: "Runtime", target: JSObject, handler: JSObject) -> None:
        # The proxy's own ``proto`` stays None: ordinary code that walks raw
        # ``.proto`` links (SetPrototypeOf's cycle check) must stop here, as the spec's does.
        JSObject.__init__(self, None)
        self.target: Optional[JSObject] = target
        self.handler: Optional[JSObject] = handler
        self.realm = rt
        if is_callable(target):
            self.call_hook = self._call
            if _is_constructor(target):
                self.construct_hook = self._construct

    @property
    def class_name(self) -> str:  # type: ignore[override]
        """``Function`` for callable proxies, else ``Object``."""
        return "Function" if is_callable(self) else "Object"

    def __repr__(self) -> str:
        return "<JS Proxy>"

    # -- plumbing --------------------------------------------------------------------

    def _trap(self, name: str) -> tuple[JSObject, Any, JSObject]:
        """(target, trap or undefined, handler); TypeError once revoked.

        Each proxy operation is a step: a trap that answers with the proxy
        itself (a prototype cycle) cannot make a walk endless for free.
        """
        self.realm.tick()
        handler = self.handler
        target = self.target
        if handler is None or target is None:
            raise type_error(f"Cannot perform '{name}' on a proxy that has been revoked")
        trap = handler.get(name)
        if trap is undefined or trap is None:
            return target, undefined, handler
        if not is_callable(trap):
            raise type_error(f"{describe(trap)} returned for property '{name}' of object '#<Object>' is not a function")
        return target, trap, handler

    @staticmethod
    def _k(key: Any) -> Any:
        """Keys reach traps as JS property keys: array-index ints become strings."""
        return str(key) if type(key) is int else key

    # -- prototype and extensibility ---------------------------------------------------

    def get_prototype_of(self) -> Optional[JSObject]:
        """[[GetPrototypeOf]] through the ``getPrototypeOf`` trap."""
        target, trap, handler = self._trap("getPrototypeOf")
        if trap is undefined:
            return target.get_prototype_of()
        proto = call(trap, handler, target)
        if proto is not None and not isinstance(proto, JSObject):
            raise type_error("'getPrototypeOf' on proxy: trap returned neither object nor null")
        if target.is_extensible():
            return proto
        if proto is not target.get_prototype_of():
            raise type_error("'getPrototypeOf' on proxy: proxy target is non-extensible but the trap did not "
                             "return its actual prototype")
        return proto

    def get_proto_for_lookup(self) -> Optional[JSObject]:
        """Base-class lookups stop at a proxy: it answers for the rest of the chain itself."""
        return None

    def set_prototype_of(self, proto: Optional[JSObject]) -> bool:
        """[[SetPrototypeOf]] through the ``setPrototypeOf`` trap."""
        target, trap, handler = self._trap("setPrototypeOf")
        if trap is undefined:
            return target.set_prototype_of(proto)
        if not ops.truthy(call(trap, handler, target, proto)):
            return False
        if target.is_extensible():
            return True
        if proto is not target.get_prototype_of():
            raise type_error("'setPrototypeOf' on proxy: trap returned truish for setting a new prototype on the "
                             "non-extensible proxy target")
        return True

    def is_extensible(self) -> bool:
        """[[IsExtensible]] through the ``isExtensible`` trap."""
        target, trap, handler = self._trap("isExtensible")
        if trap is undefined:
            return target.is_extensible()
        result = ops.truthy(call(trap, handler, target))
        actual = target.is_extensible()
        if result != actual:
            raise type_error("'isExtensible' on proxy: trap result does not reflect extensibility of proxy target "
                             f"(which is '{'true' if actual else 'false'}')")
        return result

    def prevent_extensions(self) -> bool:
        """[[PreventExtensions]] through the ``preventExtensions`` trap."""
        target, trap, handler = self._trap("preventExtensions")
        if trap is undefined:
            return target.prevent_extensions()
        result = ops.truthy(call(trap, handler, target))
        if result and target.is_extensible():
            raise type_error("'preventExtensions' on proxy: trap returned truish but the proxy target is extensible")
        return result

    # -- own properties ------------------------------------------------------------------

    def get_own_property(self, key: Any) -> Descriptor | None:
        """[[GetOwnProperty]] through the ``getOwnPropertyDescriptor`` trap."""
        key = self._k(key)
        target, trap, handler = self._trap("getOwnPropertyDescriptor")
        if trap is undefined:
            return target.get_own_property(key)
        result = call(trap, handler, target, key)
        if result is not undefined and not isinstance(result, JSObject):
            raise type_error(f"'getOwnPropertyDescriptor' on proxy: trap returned neither object nor undefined for "
                             f"property '{_key_text(key)}'")
        target_desc = target.get_own_property(key)
        if result is undefined:
            if target_desc is None:
                return None
            if not target_desc.configurable:
                raise type_error(f"'getOwnPropertyDescriptor' on proxy: trap returned undefined for property "
                                 f"'{_key_text(key)}' which is non-configurable in the proxy target")
            if not target.is_extensible():
                raise type_error(f"'getOwnPropertyDescriptor' on proxy: trap returned undefined for property "
                                 f"'{_key_text(key)}' which exists in the non-extensible proxy target")
            return None
        extensible = target.is_extensible()
        desc = to_property_descriptor(result)
        # CompletePropertyDescriptor.
        if desc.is_accessor:
            if desc.get is MISSING:
                desc.get = undefined
            if desc.set is MISSING:
                desc.set = undefined
        else:
            if desc.value is MISSING:
                desc.value = undefined
            if desc.writable is MISSING:
                desc.writable = False
        if desc.enumerable is MISSING:
            desc.enumerable = False
        if desc.configurable is MISSING:
            desc.configurable = False
        if not is_compatible_descriptor(extensible, desc, target_desc):
            raise type_error(f"'getOwnPropertyDescriptor' on proxy: trap returned descriptor for property "
                             f"'{_key_text(key)}' that is incompatible with the existing property in the proxy target")
        if desc.configurable is False:
            if target_desc is None or target_desc.configurable:
                raise type_error(f"'getOwnPropertyDescriptor' on proxy: trap reported non-configurability for "
                                 f"property '{_key_text(key)}' which is either non-existent or configurable in the "
                                 "proxy target")
            if desc.is_data and desc.writable is False and target_desc.writable:
                raise type_error(f"'getOwnPropertyDescriptor' on proxy: trap reported non-configurable and writable "
                                 f"for property '{_key_text(key)}' which is non-configurable, non-writable in the "
                                 "proxy target")
        return desc

    def get_own_slot(self, key: Any) -> Any:
        """What a base-class lookup reaching this proxy sees: an accessor delegating to [[Get]]/[[Set]]."""
        key = self._k(key)
        return Accessor(_Forward(self, key, False), _Forward(self, key, True))

    def own_flags(self, key: Any) -> int:
        """The attribute bits [[GetOwnProperty]] reports (default bits when absent)."""
        d = self.get_own_property(key)
        if d is None:
            return DEFAULT_FLAGS
        return ((WRITABLE if d.writable is True else 0) | (ENUMERABLE if d.enumerable else 0)
                | (CONFIGURABLE if d.configurable else 0))

    def has_own(self, key: Any) -> bool:
        """Called only by the base [[HasProperty]] loop on reaching this proxy: answer for the whole chain."""
        return self.has(key)

    def define_own_property(self, key: Any, desc: Descriptor) -> bool:
        """[[DefineOwnProperty]] through the ``defineProperty`` trap."""
        key = self._k(key)
        target, trap, handler = self._trap("defineProperty")
        if trap is undefined:
            prepare_length_descriptor(target, key, desc)
            return target.define_own_property(key, desc)
        desc_obj = from_property_descriptor(self.realm, desc)
        if not ops.truthy(call(trap, handler, target, key, desc_obj)):
            return False
        target_desc = target.get_own_property(key)
        extensible = target.is_extensible()
        setting_config_false = desc.configurable is False
        if target_desc is None:
            if not extensible:
                raise type_error(f"'defineProperty' on proxy: trap returned truish for adding property "
                                 f"'{_key_text(key)}'  to the non-extensible proxy target")
            if setting_config_false:
                raise type_error(f"'defineProperty' on proxy: trap returned truish for defining non-configurable "
                                 f"property '{_key_text(key)}' which is either non-existent or configurable in the "
                                 "proxy target")
        else:
            if not is_compatible_descriptor(extensible, desc, target_desc):
                raise type_error(f"'defineProperty' on proxy: trap returned truish for adding property "
                                 f"'{_key_text(key)}'  that is incompatible with the existing property in the proxy "
                                 "target")
            if setting_config_false and target_desc.configurable:
                raise type_error(f"'defineProperty' on proxy: trap returned truish for defining non-configurable "
                                 f"property '{_key_text(key)}' which is either non-existent or configurable in the "
                                 "proxy target")
            if (target_desc.is_data and not target_desc.configurable and target_desc.writable
                    and desc.writable is False):
                raise type_error(f"'defineProperty' on proxy: trap returned truish for defining non-configurable "
                                 f"property '{_key_text(key)}' which cannot be non-writable, unless there exists a "
                                 "corresponding non-configurable, non-writable own property of the target object.")
        return True

    def write_slot(self, key: Any, slot: Any, flags: int) -> None:
        """Python-side definitions on a proxy go through [[DefineOwnProperty]] like any other."""
        if type(slot) is Accessor:
            desc = Descriptor(get=slot.get, set=slot.set, enumerable=bool(flags & ENUMERABLE),
                              configurable=bool(flags & CONFIGURABLE))
        else:
            desc = Descriptor(value=slot, writable=bool(flags & WRITABLE), enumerable=bool(flags & ENUMERABLE),
                              configurable=bool(flags & CONFIGURABLE))
        self.define_own_property(key, desc)

    def put(self, key: Any, value: Any, flags: int = DEFAULT_FLAGS) -> None:
        """Python-side definition: through [[DefineOwnProperty]]."""
        self.write_slot(key, value, flags)

    def remove_slot(self, key: Any) -> None:
        """Python-side removal: through [[Delete]]."""
        self.delete(key)

    def has(self, key: Any) -> bool:
        """[[HasProperty]] through the ``has`` trap."""
        key = self._k(key)
        target, trap, handler = self._trap("has")
        if trap is undefined:
            return target.has(key)
        result = ops.truthy(call(trap, handler, target, key))
        if not result:
            target_desc = target.get_own_property(key)
            if target_desc is not None:
                if not target_desc.configurable:
                    raise type_error(f"'has' on proxy: trap returned falsish for property '{_key_text(key)}' which "
                                     "exists in the proxy target as non-configurable")
                if not target.is_extensible():
                    raise type_error(f"'has' on proxy: trap returned falsish for property '{_key_text(key)}' but the "
                                     "proxy target is not extensible")
        return result

    def get(self, key: Any, receiver: Any = MISSING) -> Any:
        """[[Get]] through the ``get`` trap."""
        key = self._k(key)
        if receiver is MISSING:
            receiver = self
        target, trap, handler = self._trap("get")
        if trap is undefined:
            return target.get(key, receiver)
        value = call(trap, handler, target, key, receiver)
        target_desc = target.get_own_property(key)
        if target_desc is not None and not target_desc.configurable:
            if target_desc.is_data and not target_desc.writable and not same_value(value, target_desc.value):
                raise type_error(f"'get' on proxy: property '{_key_text(key)}' is a read-only and non-configurable "
                                 "data property on the proxy target but the proxy did not return its actual value")
            if target_desc.is_accessor and target_desc.get is undefined and value is not undefined:
                raise type_error(f"'get' on proxy: property '{_key_text(key)}' is a non-configurable accessor "
                                 "property on the proxy target and does not have a getter function, but the trap did "
                                 "not return 'undefined'")
        return value

    def set(self, key: Any, value: Any, receiver: Any = MISSING) -> bool:
        """[[Set]] through the ``set`` trap."""
        key = self._k(key)
        if receiver is MISSING:
            receiver = self
        target, trap, handler = self._trap("set")
        if trap is undefined:
            return target.set(key, value, receiver)
        if not ops.truthy(call(trap, handler, target, key, value, receiver)):
            return False
        target_desc = target.get_own_property(key)
        if target_desc is not None and not target_desc.configurable:
            if target_desc.is_data and not target_desc.writable and not same_value(value, target_desc.value):
                raise type_error(f"'set' on proxy: trap returned truish for property '{_key_text(key)}' which exists "
                                 "in the proxy target as a non-configurable and non-writable data property with a "
                                 "different value")
            if target_desc.is_accessor and target_desc.set is undefined:
                raise type_error(f"'set' on proxy: trap returned truish for property '{_key_text(key)}' which exists "
                                 "in the proxy target as a non-configurable and non-writable accessor property "
                                 "without a setter")
        return True

    def set_on_receiver(self, key: Any, value: Any) -> bool:
        """The tail of OrdinarySet when this proxy is the receiver: its own traps decide."""
        key = self._k(key)
        existing = self.get_own_property(key)
        if existing is not None:
            if existing.is_accessor or not existing.writable:
                return False
            return self.define_own_property(key, Descriptor(value=value))
        return self.define_own_property(key, Descriptor(value, writable=True, enumerable=True, configurable=True))

    def delete(self, key: Any) -> bool:
        """[[Delete]] through the ``deleteProperty`` trap."""
        key = self._k(key)
        target, trap, handler = self._trap("deleteProperty")
        if trap is undefined:
            return target.delete(key)
        if not ops.truthy(call(trap, handler, target, key)):
            return False
        target_desc = target.get_own_property(key)
        if target_desc is None:
            return True
        if not target_desc.configurable:
            raise type_error(f"'deleteProperty' on proxy: trap returned truish for property '{_key_text(key)}' which "
                             "is non-configurable in the proxy target")
        if not target.is_extensible():
            raise type_error(f"'deleteProperty' on proxy: trap returned truish for property '{_key_text(key)}' but "
                             "the proxy target is non-extensible")
        return True

    def own_keys(self) -> list[Any]:
        """[[OwnPropertyKeys]] through the ``ownKeys`` trap (with the completeness invariants)."""
        target, trap, handler = self._trap("ownKeys")
        if trap is undefined:
            return [js_key(k) for k in target.own_keys()]
        result = call(trap, handler, target)
        if not isinstance(result, JSObject):
            raise type_error("CreateListFromArrayLike called on non-object")
        keys: list[Any] = []
        seen: set[Any] = set()
        for k in list_from_array_like(self.realm, result):
            if type(k) is not str and type(k) is not Symbol:
                raise type_error(f"{describe(k)} is not a valid property name")
            if k in seen:
                raise type_error(f"'ownKeys' on proxy: trap returned duplicate entries")
            seen.add(k)
            keys.append(k)
        extensible = target.is_extensible()
        configurable: list[Any] = []
        nonconfigurable: list[Any] = []
        for k in target.own_keys():
            d = target.get_own_property(k)
            k = js_key(k)
            if d is not None and not d.configurable:
                nonconfigurable.append(k)
            else:
                configurable.append(k)
        if extensible and not nonconfigurable:
            return keys
        unchecked = set(keys)
        for k in nonconfigurable:
            if k not in unchecked:
                raise type_error(f"'ownKeys' on proxy: trap result did not include '{_key_text(k)}'")
            unchecked.discard(k)
        if extensible:
            return keys
        for k in configurable:
            if k not in unchecked:
                raise type_error(f"'ownKeys' on proxy: trap result did not include '{_key_text(k)}'")
            unchecked.discard(k)
        if unchecked:
            raise type_error("'ownKeys' on proxy: trap returned extra keys but proxy target is non-extensible")
        return keys

    # -- calls ------------------------------------------------------------------------------

    def _call(self, this: Any, args: list[Any]) -> Any:
        """[[Call]] through the ``apply`` trap."""
        target, trap, handler = self._trap("apply")
        if trap is undefined:
            return call(target, this, *args)
        return call(trap, handler, target, this, self.realm.new_array(list(args)))

    def _construct(self, args: list[Any], new_target: Any) -> Any:
        """[[Construct]] through the ``construct`` trap."""
        target, trap, handler = self._trap("construct")
        if trap is undefined:
            return self.realm.construct(target, list(args), new_target)
        result = call(trap, handler, target, self.realm.new_array(list(args)), new_target)
        if not isinstance(result, JSObject):
            raise type_error("proxy [[Construct]] must return an object")
        return result


def _is_constructor(v: Any) -> bool:
    """IsConstructor."""
    if isinstance(v, JSFunction):
        return v.constructible
    return isinstance(v, JSObject) and getattr(v, "construct_hook", None) is not None


def is_array(v: Any) -> bool:
    """IsArray: true for Array exotic objects and proxies whose (final) target is one."""
    while True:
        if isinstance(v, JSArray):
            return v.class_name == "Array"
        if isinstance(v, JSProxy):
            if v.target is None:
                raise type_error("Cannot perform 'IsArray' on a proxy that has been revoked")
            v = v.target
            continue
        return False


def install(rt: "Runtime") -> None:
    """The ``Reflect`` namespace object and the ``Proxy`` constructor."""
    R = JSObject(rt.ObjectPrototype)
    rt.global_object.put("Reflect", R, WRITABLE | CONFIGURABLE)
    rt.intrinsics["Reflect"] = R
    R.write_slot(SYM_TO_STRING_TAG, "Reflect", CONFIGURABLE)

    def target_object(v: Any, method: str) -> JSObject:
        if not isinstance(v, JSObject):
            raise type_error(f"Reflect.{method} called on non-object")
        return v

    def check_proto(proto: Any) -> None:
        if proto is not None and not isinstance(proto, JSObject):
            raise type_error(f"Object prototype may only be an Object or null: {describe(proto)}")

    def apply(this: Any, target: Any = undefined, this_arg: Any = undefined, args: Any = undefined,
              *_: Any) -> Any:
        if not is_callable(target):
            raise type_error(f"Function.prototype.apply was called on {describe(target)}, which is "
                             f"{'an' if ops.typeof(target) in ('object', 'undefined') else 'a'} "
                             f"{ops.typeof(target)} and not a function")
        return call(target, this_arg, *list_from_array_like(rt, args))

    def construct(this: Any, target: Any = undefined, args: Any = undefined, *rest: Any) -> Any:
        if not _is_constructor(target):
            raise type_error(f"{describe(target)} is not a constructor")
        new_target = rest[0] if rest else target
        if not _is_constructor(new_target):
            raise type_error(f"{describe(new_target)} is not a constructor")
        return rt.construct(target, list_from_array_like(rt, args), new_target)

    def define_property(this: Any, target: Any = undefined, key: Any = undefined, attributes: Any = undefined,
                        *_: Any) -> bool:
        o = target_object(target, "defineProperty")
        k = property_key(o, key)
        desc = to_property_descriptor(attributes)
        prepare_length_descriptor(o, k, desc)
        return o.define_own_property(k, desc)

    def delete_property(this: Any, target: Any = undefined, key: Any = undefined, *_: Any) -> bool:
        o = target_object(target, "deleteProperty")
        return o.delete(property_key(o, key))

    def get(this: Any, target: Any = undefined, key: Any = undefined, *rest: Any) -> Any:
        o = target_object(target, "get")
        return o.get(property_key(o, key), rest[0] if rest else o)

    def get_own_property_descriptor(this: Any, target: Any = undefined, key: Any = undefined, *_: Any) -> Any:
        o = target_object(target, "getOwnPropertyDescriptor")
        return from_property_descriptor(rt, o.get_own_property(property_key(o, key)))

    def get_prototype_of(this: Any, target: Any = undefined, *_: Any) -> Any:
        return target_object(target, "getPrototypeOf").get_prototype_of()

    def has(this: Any, target: Any = undefined, key: Any = undefined, *_: Any) -> bool:
        o = target_object(target, "has")
        return o.has(property_key(o, key))

    def is_extensible(this: Any, target: Any = undefined, *_: Any) -> bool:
        return target_object(target, "isExtensible").is_extensible()

    def own_keys(this: Any, target: Any = undefined, *_: Any) -> JSArray:
        return rt.new_array([js_key(k) for k in target_object(target, "ownKeys").own_keys()])

    def prevent_extensions(this: Any, target: Any = undefined, *_: Any) -> bool:
        return target_object(target, "preventExtensions").prevent_extensions()

    def set_(this: Any, target: Any = undefined, key: Any = undefined, value: Any = undefined,
             *rest: Any) -> bool:
        o = target_object(target, "set")
        return o.set(property_key(o, key), value, rest[0] if rest else o)

    def set_prototype_of(this: Any, target: Any = undefined, proto: Any = undefined, *_: Any) -> bool:
        o = target_object(target, "setPrototypeOf")
        check_proto(proto)
        return o.set_prototype_of(proto)

    for name, fn, length in (
        ("apply", apply, 3),
        ("construct", construct, 2),
        ("defineProperty", define_property, 3),
        ("deleteProperty", delete_property, 2),
        ("get", get, 2),
        ("getOwnPropertyDescriptor", get_own_property_descriptor, 2),
        ("getPrototypeOf", get_prototype_of, 1),
        ("has", has, 2),
        ("isExtensible", is_extensible, 1),
        ("ownKeys", own_keys, 1),
        ("preventExtensions", prevent_extensions, 1),
        ("set", set_, 3),
        ("setPrototypeOf", set_prototype_of, 2),
    ):
        rt.define(R, name, fn, length)

    # -- Proxy ---------------------------------------------------------------------------------

    def create_proxy(target: Any, handler: Any) -> JSProxy:
        if not isinstance(target, JSObject) or not isinstance(handler, JSObject):
            raise type_error("Cannot create proxy with a non-object as target or handler")
        return JSProxy(rt, target, handler)

    def proxy_call(this: Any, *_: Any) -> Any:
        raise type_error("Constructor Proxy requires 'new'")

    def proxy_construct(args: list[Any], new_target: Any) -> JSProxy:
        target = args[0] if args else undefined
        handler = args[1] if len(args) > 1 else undefined
        return create_proxy(target, handler)

    # Proxy has no ``prototype`` property, so it is not built with rt.constructor.
    P = rt.native(proxy_call, "Proxy", 2, proxy_construct)
    rt.global_object.put("Proxy", P, WRITABLE | CONFIGURABLE)
    rt.intrinsics["Proxy"] = P
    rt.intrinsics["JSProxy"] = JSProxy
    rt.intrinsics["is_array"] = is_array

    def revocable(this: Any, target: Any = undefined, handler: Any = undefined, *_: Any) -> JSObject:
        proxy: list[JSProxy | None] = [create_proxy(target, handler)]

        def revoke(this: Any, *_: Any) -> Any:
            p = proxy[0]
            if p is not None:
                proxy[0] = None
                p.target = None
                p.handler = None
            return undefined

        result = rt.new_object()
        result.props["proxy"] = proxy[0]
        result.props["revoke"] = rt.native(revoke, "", 0)
        return result

    rt.define(P, "revocable", revocable, 2)


__all__ = ["JSProxy", "install", "is_array"]
