"""Object.prototype, Function.prototype, the Function constructor and primitive wrappers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import ops
from .deferred import intrinsic, later, methods, pend
from ..values import (
    CONFIGURABLE,
    HIDDEN,
    Accessor,
    SYM_HAS_INSTANCE,
    Accessor,
    SYM_TO_STRING_TAG,
    JSArray,
    JSFunction,
    JSObject,
    Symbol,
    call,
    is_callable,
    type_error,
    undefined,
)

if TYPE_CHECKING:
    from ..runtime import Runtime


class JSPrimitiveWrapper(JSObject):
    """A String, Number, Boolean or Symbol object wrapping a primitive."""

    __slots__ = ("value",)

    def __init__(self, proto: JSObject | None, value: Any) -> None:
        JSObject.__init__(self, proto)
        self.value = value

    @property
    def class_name(self) -> str:  # type: ignore[override]
        t = type(self.value)
        if t is str:
            return "String"
        if t is bool:
            return "Boolean"
        if t is Symbol:
            return "Symbol"
        return "Number"


class JSStringWrapper(JSPrimitiveWrapper, named_props=True):
    """A String object: its characters are read-only indexed properties."""

    __slots__ = ()
    int_keys = True

    def write_slot(self, key: Any, slot: Any, flags: int) -> None:
        """Own properties beyond the string's indices are ordinary (string-keyed) ones."""
        JSObject.write_slot(self, str(key) if type(key) is int else key, slot, flags)

    def get_own_slot(self, key: Any) -> Any:
        """Indices and ``length`` come from the wrapped string."""
        s: str = self.value
        if type(key) is int:
            return s[key] if 0 <= key < len(s) else JSObject.get_own_slot(self, str(key))
        if key == "length":
            return len(s)
        if type(key) is str and key.isdigit():
            from ..values import array_index

            i = array_index(key)
            if i is not None and i < len(s):
                return s[i]
        return JSObject.get_own_slot(self, key)

    def own_flags(self, key: Any) -> int:
        """String indices and ``length`` are read-only."""
        if key == "length":
            return 0
        if type(key) is int or (type(key) is str and key.isdigit()):
            from ..values import array_index

            i = array_index(key)
            if i is not None and i < len(self.value):
                return 2  # enumerable only
        return JSObject.own_flags(self, key)

    def delete(self, key: Any) -> bool:
        """[[Delete]]: the string's indices and ``length`` are not configurable (ECMA-262 10.4.3)."""
        if key == "length" or (type(key) is int and 0 <= key < len(self.value)) or (
                type(key) is str and key.isdigit() and self.own_flags(key) == 2):
            return False
        return JSObject.delete(self, str(key) if type(key) is int else key)

    def own_keys(self) -> list[Any]:
        """Indices first, then ``length``, then the rest."""
        return [str(i) for i in range(len(self.value))] + ["length"] + JSObject.own_keys(self)


def this_primitive(this: Any, kind: str, method: str) -> Any:
    """``thisNumberValue`` and friends: the primitive behind ``this`` (kind: a ``typeof`` name)."""
    if isinstance(this, JSPrimitiveWrapper):
        this = this.value
    if ops.typeof(this) == kind:
        return this
    raise type_error(f"{method} requires that 'this' be a {kind.capitalize()}")


def install(rt: "Runtime") -> None:
    """Object.prototype, Function.prototype, Function, wrappers and ``globalThis``."""
    OP = rt.ObjectPrototype
    FP = rt.FunctionPrototype
    rt.intrinsics["Object.prototype"] = OP
    rt.intrinsics["Function.prototype"] = FP

    # Prototypes the wrapper types need; their methods come from other installers.
    rt.StringPrototype = JSStringWrapper(OP, "")
    rt.NumberPrototype = JSPrimitiveWrapper(OP, 0)
    rt.BooleanPrototype = JSPrimitiveWrapper(OP, False)
    rt.SymbolPrototype = JSObject(OP)
    rt.ArrayPrototype = JSArray(OP)
    rt.IteratorPrototype = JSObject(OP)

    def wrap_primitive(v: Any) -> JSObject:
        t = type(v)
        if t is str:
            return JSStringWrapper(rt.StringPrototype, v)
        if t is bool:
            return JSPrimitiveWrapper(rt.BooleanPrototype, v)
        if t is Symbol:
            return JSPrimitiveWrapper(rt.SymbolPrototype, v)
        return JSPrimitiveWrapper(rt.NumberPrototype, v)

    rt.intrinsics["wrap_primitive"] = wrap_primitive
    rt.intrinsics["JSPrimitiveWrapper"] = JSPrimitiveWrapper

    # -- Object.prototype ---------------------------------------------------------

    # Object.prototype's methods are made when a script first looks at it.
    pend(rt, OP)

    def object_prototype_methods() -> None:
        """Object.prototype's methods and __proto__ (20.1.3, B.2.2.1), made when a script first looks at
        Object.prototype."""
        def has_own_property(this: Any, key: Any = undefined, *_: Any) -> bool:
            o = rt.to_object(this)
            return o.get_own_property(rt.key_for(o, key)) is not None

        def is_prototype_of(this: Any, v: Any = undefined, *_: Any) -> bool:
            if not isinstance(v, JSObject):
                return False
            o = rt.to_object(this)
            p = v.get_prototype_of()
            while p is not None:
                if p is o:
                    return True
                p = p.get_prototype_of()
            return False

        def property_is_enumerable(this: Any, key: Any = undefined, *_: Any) -> bool:
            o = rt.to_object(this)
            d = o.get_own_property(rt.key_for(o, key))
            return bool(d is not None and d.enumerable)

        def object_to_string(this: Any, *_: Any) -> str:
            if this is undefined:
                return "[object Undefined]"
            if this is None:
                return "[object Null]"
            o = rt.to_object(this)
            is_array = rt.intrinsics.get("is_array")
            if (isinstance(o, JSArray) and o.class_name == "Array") or (is_array is not None and is_array(o)):
                builtin = "Array"
            elif is_callable(o):
                builtin = "Function"
            elif o.class_name in ("Error", "Boolean", "Number", "String", "Date", "RegExp", "Arguments"):
                builtin = o.class_name
            else:
                builtin = "Object"
            tag = o.get(SYM_TO_STRING_TAG)
            return f"[object {tag if type(tag) is str else builtin}]"

        def to_locale_string(this: Any, *_: Any) -> Any:
            return rt.call_method(this, "toString")

        def value_of(this: Any, *_: Any) -> Any:
            return rt.to_object(this)

        def get_proto(this: Any, *_: Any) -> Any:
            return rt.to_object(this).get_prototype_of()

        def set_proto(this: Any, proto: Any = undefined, *_: Any) -> Any:
            if this is None or this is undefined:
                raise type_error("Object.prototype.__proto__ called on null or undefined")
            if (isinstance(proto, JSObject) or proto is None) and isinstance(this, JSObject):
                if not this.set_prototype_of(proto):
                    raise type_error("Cyclic __proto__ value")
            return undefined

        methods(rt, OP, (
            ("hasOwnProperty", has_own_property, 1),
            ("isPrototypeOf", is_prototype_of, 1),
            ("propertyIsEnumerable", property_is_enumerable, 1),
            ("toString", object_to_string, 0),
            ("toLocaleString", to_locale_string, 0),
            ("valueOf", value_of, 0),
        ))
        OP.write_slot("__proto__", Accessor(rt.native(get_proto, "get __proto__"),
                                            rt.native(set_proto, "set __proto__", 1)), 4)

    later(OP, object_prototype_methods)
    intrinsic(rt, OP, "toString", "Object.prototype.toString")

    # -- Object ----------------------------------------------------------------------

    def object_call(this: Any, value: Any = undefined, *_: Any) -> JSObject:
        if value is None or value is undefined:
            return rt.new_object()
        return rt.to_object(value)

    def object_construct(args: list[Any], new_target: Any) -> JSObject:
        if new_target is not rt.intrinsics["Object"]:
            return JSObject(rt.proto_from(new_target, OP))
        return object_call(undefined, *args[:1])

    rt.constructor("Object", 1, object_call, object_construct, OP)

    # -- Function.prototype ----------------------------------------------------------

    def fn_has_instance(this: Any, v: Any = undefined, *_: Any) -> bool:
        return ops.instance_of(v, this) if is_callable(this) else False

    # Function.prototype's other methods are made when a script first looks at it.
    pend(rt, FP)

    def function_prototype_methods() -> None:
        """call, apply, bind and toString (20.2.3), made when a script first looks at Function.prototype."""
        def fn_call(this: Any, this_arg: Any = undefined, *args: Any) -> Any:
            # Function.prototype.call (ECMA-262 20.2.3.3). A function made from JS code or a built-in is
            # called here, as `call` would (the commonest target: `Parent.call(this, ...)`).
            if type(this) is JSFunction:
                kind = this.kind
                if kind != "class" and kind != "derived":
                    arity = this.arity
                    if arity is not None and len(args) > arity:
                        args = args[:arity]
                    return this.fn(this_arg, *args)
            if not is_callable(this):
                raise type_error("Function.prototype.call called on a non-function")
            return call(this, this_arg, *args)

        def fn_apply(this: Any, this_arg: Any = undefined, arg_array: Any = undefined, *_: Any) -> Any:
            # Function.prototype.apply (ECMA-262 20.2.3.1); `call` takes a class constructor's TypeError.
            if type(this) is not JSFunction and not is_callable(this):
                raise type_error("Function.prototype.apply was called on a non-function")
            if arg_array is None or arg_array is undefined:
                return call(this, this_arg)
            return call(this, this_arg, *list_from_array_like(rt, arg_array))

        def fn_bind(this: Any, this_arg: Any = undefined, *bound: Any) -> JSFunction:
            if not is_callable(this):
                raise type_error("Bind must be called on a function")
            target = this

            def bound_call(_this: Any, *args: Any) -> Any:
                return call(target, this_arg, *bound, *args)

            def bound_construct(args: list[Any], new_target: Any) -> Any:
                nt = target if new_target is f else new_target
                return rt.construct(target, [*bound, *args], nt)

            name = target.get("name") if isinstance(target, JSObject) else ""
            length = target.get("length") if isinstance(target, JSObject) else 0
            n = max(0, int(ops.to_integer(length)) - len(bound)) if ops.is_number(length) else 0
            constructible = isinstance(target, JSFunction) and target.constructible
            # A chain of binds makes names of quadratic total size ("bound bound ..."): account for them.
            bound_name = rt.check_string("bound " + (name if type(name) is str else ""))
            f = JSFunction(target.get_prototype_of(), bound_call, bound_name,
                           n, "bound", construct_hook=bound_construct if constructible else None)
            f.bound_target = target
            return f

        def fn_to_string(this: Any, *_: Any) -> str:
            if not isinstance(this, JSFunction):
                raise type_error("Function.prototype.toString requires that 'this' be a Function")
            if this.source_text is not None:
                return this.source_text
            return f"function {this.name}() {{ [native code] }}"

        methods(rt, FP, (("call", fn_call, 1), ("apply", fn_apply, 2), ("bind", fn_bind, 1),
                         ("toString", fn_to_string, 0)))

    later(FP, function_prototype_methods)
    has_instance = rt.native(fn_has_instance, "[Symbol.hasInstance]", 1)
    FP.write_slot(SYM_HAS_INSTANCE, has_instance, 0)
    rt.intrinsics["default_has_instance"] = has_instance
    install_throw_type_error(rt)

    # -- Function constructor: the body is JavaScript, transpiled like any script.

    def create_dynamic_function(keyword: str, args: tuple[Any, ...] | list[Any], new_target: Any) -> JSFunction:
        """CreateDynamicFunction (ES2025 20.2.1.1.1): ``keyword`` is ``function``, ``function*``,
        ``async function`` or ``async function*``; the prototype comes from ``new_target``."""
        from seqflow_transpile import JSSyntaxError, transpile

        params = ",".join(ops.to_string(a) for a in args[:-1])
        body = ops.to_string(args[-1]) if args else ""
        text = f"{keyword} anonymous({params}\n) {{\n{body}\n}}"
        try:
            program = transpile("return " + text)
        except JSSyntaxError as exc:
            raise rt.error("SyntaxError", exc.description) from None
        from ..execute import run_nested

        fn = run_nested(rt, program)
        assert isinstance(fn, JSFunction)
        fn.source_text = text
        if isinstance(new_target, JSObject):
            fn.proto = rt.proto_from(new_target, fn.proto or FP)
        return fn

    rt.intrinsics["create_dynamic_function"] = create_dynamic_function

    def function_call(this: Any, *args: Any) -> JSFunction:
        return create_dynamic_function("function", args, undefined)

    rt.constructor("Function", 1, function_call, lambda args, nt: create_dynamic_function("function", args, nt), FP)

    rt.global_object.put("globalThis", rt.global_object, HIDDEN)


def install_throw_type_error(rt: "Runtime") -> None:
    """%ThrowTypeError% (ECMA-262 10.2.4.1) and the restricted ``caller``/``arguments`` of Function.prototype.

    Strict and unmapped ``arguments`` objects use it for ``callee`` (see
    ``Runtime.arguments``); ``caller`` and ``arguments`` of any function are
    inherited from Function.prototype, so reading them throws.
    """
    def throw_type_error(this: Any, *_: Any) -> Any:
        raise type_error("'caller', 'callee', and 'arguments' properties may not be accessed on strict mode "
                         "functions or the arguments objects for calls to them")

    thrower = rt.native(throw_type_error, "", 0)
    # Its `length` and `name` are not configurable, and it is not extensible: it is frozen.
    thrower.write_slot("length", 0, 0)
    thrower.write_slot("name", "", 0)
    thrower.extensible = False
    rt.intrinsics["ThrowTypeError"] = thrower
    for name in ("caller", "arguments"):
        rt.FunctionPrototype.write_slot(name, Accessor(thrower, thrower), CONFIGURABLE)


def list_from_array_like(rt: "Runtime", value: Any) -> list[Any]:
    """CreateListFromArrayLike (``apply``, ``Reflect.apply``)."""
    if type(value) is JSArray:
        from ..values import HOLE

        return [undefined if v is HOLE else v for v in value.items]
    if not isinstance(value, JSObject):
        raise type_error("CreateListFromArrayLike called on non-object")
    n = ops.to_length(value.get("length"))
    if n > rt.limits.max_array_length:
        raise rt.error("RangeError", "Too many arguments in function call")
    return [rt.get(value, i) for i in range(n)]
