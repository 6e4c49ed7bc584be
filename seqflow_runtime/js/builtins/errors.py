"""Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError, AggregateError.

Every constructor takes an ``options`` argument whose ``cause`` becomes an own
``cause`` property (InstallErrorCause, ECMA-262 20.5.8.1, ES2022).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .. import ops
from ..values import HIDDEN, JSObject, type_error, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime

NATIVE_ERRORS = ("TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError", "URIError")


def install(rt: "Runtime") -> None:
    """The Error constructors and their prototypes."""
    from ..runtime import JSError

    def make_constructor(name: str, proto: JSObject, aggregate: bool = False) -> None:
        """One Error constructor (20.5.1.1, 20.5.6.1.1); ``aggregate``: AggregateError's (20.5.7.1.1)."""

        def construct(args: list[Any], new_target: Any) -> JSError:
            errors = args[0] if aggregate and args else undefined
            if aggregate:
                args = args[1:]
            message = args[0] if args else undefined
            err = JSError(rt.proto_from(new_target, proto))
            if message is not undefined:
                err.write_slot("message", ops.to_string(message), HIDDEN)
            options = args[1] if len(args) > 1 else undefined
            if isinstance(options, JSObject) and options.has("cause"):
                err.write_slot("cause", options.get("cause"), HIDDEN)
            if aggregate:
                err.write_slot("errors", rt.new_array(list(rt.iterate(errors))), HIDDEN)
            from ..errors_stack import constructor_caller, js_stack, stamp_stack

            header = ops.to_string(rt.call_method(err, "toString"))
            caller = constructor_caller(sys._getframe(1), None if new_target is ctor else new_target)
            stamp_stack(err, header, js_stack(None, caller, rt.filename))
            return err

        def call_(this: Any, *args: Any) -> JSError:
            return construct(list(args), ctor)

        ctor = rt.constructor(name, 2 if aggregate else 1, call_, construct, proto)
        proto.write_slot("name", name, HIDDEN)
        proto.write_slot("message", "", HIDDEN)
        rt.intrinsics[name + ".prototype"] = proto

    base = JSObject(rt.ObjectPrototype)
    make_constructor("Error", base)

    def error_to_string(this: Any, *_: Any) -> str:
        if not isinstance(this, JSObject):
            raise type_error("Error.prototype.toString requires that 'this' be an Object")
        name = this.get("name")
        message = this.get("message")
        name_s = "Error" if name is undefined else ops.to_string(name)
        msg_s = "" if message is undefined else ops.to_string(message)
        if not name_s:
            return msg_s
        if not msg_s:
            return name_s
        return f"{name_s}: {msg_s}"

    rt.define(base, "toString", error_to_string, 0)
    error_ctor = rt.intrinsics["Error"]
    for name in NATIVE_ERRORS:
        proto = JSObject(base)
        make_constructor(name, proto)
        rt.intrinsics[name].set_prototype_of(error_ctor)
    make_constructor("AggregateError", JSObject(base), aggregate=True)
    rt.intrinsics["AggregateError"].set_prototype_of(error_ctor)
