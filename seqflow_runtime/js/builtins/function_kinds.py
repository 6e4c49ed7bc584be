"""%GeneratorFunction%, %AsyncGeneratorFunction%, %AsyncFunction% and their prototypes.

None is a global; each is reached as ``Object.getPrototypeOf(fn).constructor`` of a
function of its kind (ES2025 27.3, 27.4, 27.7). Their prototypes are the
``[[Prototype]]`` of every ``function*``, ``async function*`` and ``async
function``; the first two link to %GeneratorPrototype% and %AsyncGeneratorPrototype%
through ``prototype``/``constructor``. Called or constructed, each builds a function
of its kind from source text, as ``Function`` does (CreateDynamicFunction).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..async_iteration import async_generator_prototype
from ..values import CONFIGURABLE, SYM_TO_STRING_TAG, JSObject, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime


def install(rt: "Runtime") -> None:
    """The three constructors and their prototypes (intrinsics ``<Name>.prototype``)."""
    install_kind(rt, "GeneratorFunction", "function*", rt.GeneratorPrototype)
    install_kind(rt, "AsyncGeneratorFunction", "async function*", async_generator_prototype(rt))
    install_kind(rt, "AsyncFunction", "async function", None)


def install_kind(rt: "Runtime", name: str, keyword: str, instance_prototype: JSObject | None) -> None:
    """``%<name>%`` (its [[Prototype]] is %Function%) and ``%<name>.prototype%`` (over %Function.prototype%)."""
    create = rt.intrinsics["create_dynamic_function"]
    prototype = JSObject(rt.FunctionPrototype)
    prototype.write_slot(SYM_TO_STRING_TAG, name, CONFIGURABLE)
    if instance_prototype is not None:
        prototype.write_slot("prototype", instance_prototype, CONFIGURABLE)
        instance_prototype.write_slot("constructor", prototype, CONFIGURABLE)

    def call(this: Any, *args: Any) -> Any:
        return create(keyword, args, undefined)

    ctor = rt.constructor(name, 1, call, lambda args, new_target: create(keyword, args, new_target), prototype,
                          global_=False)
    prototype.write_slot("constructor", ctor, CONFIGURABLE)
    ctor.proto = rt.intrinsics["Function"]
    rt.intrinsics[f"{name}.prototype"] = prototype
