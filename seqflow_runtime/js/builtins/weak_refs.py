"""``WeakRef`` and ``FinalizationRegistry`` (ECMA-262 2025, 26.1 and 26.2), deterministically.

A task must replay to the same state, and garbage collection is not
something a replay can reproduce. So this realm never collects a WeakRef's
target (``deref()`` always returns it; the spec allows an implementation to
keep targets alive, 9.10.3) and a FinalizationRegistry never calls its
cleanup callback (the spec never obliges it to). Both still validate their
arguments as the spec says. A realm lives for one run, so what they keep
alive is bounded by that run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..values import SYM_TO_STRING_TAG, CONFIGURABLE, JSObject, describe, is_callable, type_error, undefined
from .collections import can_be_held_weakly, receiver_text

if TYPE_CHECKING:
    from ..runtime import Runtime


class JSWeakRef(JSObject):
    """A WeakRef: ``[[WeakRefTarget]]``, held strongly (see the module docstring)."""

    __slots__ = ("target",)
    class_name = "WeakRef"

    def __init__(self, proto: JSObject | None, target: Any) -> None:
        JSObject.__init__(self, proto)
        self.target = target


class JSFinalizationRegistry(JSObject):
    """A FinalizationRegistry: only the unregister tokens of its cells are kept (no callback ever runs)."""

    __slots__ = ("cleanup", "tokens")
    class_name = "FinalizationRegistry"

    def __init__(self, proto: JSObject | None, cleanup: Any) -> None:
        JSObject.__init__(self, proto)
        self.cleanup = cleanup
        #: ``id(token) -> (token, number of cells registered with it)``
        self.tokens: dict[int, tuple[Any, int]] = {}


def install(rt: "Runtime") -> None:
    """The two constructors and their prototypes."""

    def required_new(name: str) -> Any:
        def call_(this: Any, *_: Any) -> Any:
            raise type_error(f"Constructor {name} requires 'new'")

        return call_

    # -- WeakRef (26.1) -------------------------------------------------------------------

    WRP = JSObject(rt.ObjectPrototype)

    def weak_ref_construct(args: list[Any], new_target: Any) -> JSWeakRef:
        """WeakRef(target) (26.1.1.1)."""
        target = args[0] if args else undefined
        if not can_be_held_weakly(target):
            raise type_error("WeakRef: invalid target")
        return JSWeakRef(rt.proto_from(new_target, WRP), target)

    def deref(this: Any, *_: Any) -> Any:
        """WeakRef.prototype.deref (26.1.3.2): the target, always (never collected)."""
        if not isinstance(this, JSWeakRef):
            raise type_error(f"Method WeakRef.prototype.deref called on incompatible receiver {receiver_text(this)}")
        return this.target

    rt.constructor("WeakRef", 1, required_new("WeakRef"), weak_ref_construct, WRP)
    rt.define(WRP, "deref", deref, 0)
    WRP.write_slot(SYM_TO_STRING_TAG, "WeakRef", CONFIGURABLE)

    # -- FinalizationRegistry (26.2) -------------------------------------------------------

    FRP = JSObject(rt.ObjectPrototype)

    def registry_construct(args: list[Any], new_target: Any) -> JSFinalizationRegistry:
        """FinalizationRegistry(cleanupCallback) (26.2.1.1)."""
        cleanup = args[0] if args else undefined
        if not is_callable(cleanup):
            raise type_error("FinalizationRegistry: cleanup must be callable")
        return JSFinalizationRegistry(rt.proto_from(new_target, FRP), cleanup)

    def this_registry(this: Any, method: str) -> JSFinalizationRegistry:
        if isinstance(this, JSFinalizationRegistry):
            return this
        raise type_error(f"Method FinalizationRegistry.prototype.{method} called on incompatible receiver "
                         f"{receiver_text(this)}")

    def register(this: Any, target: Any = undefined, held: Any = undefined, token: Any = undefined,
                 *_: Any) -> Any:
        """FinalizationRegistry.prototype.register (26.2.3.2)."""
        registry = this_registry(this, "register")
        if not can_be_held_weakly(target):
            raise type_error(f"FinalizationRegistry.prototype.register: invalid target {describe(target)}")
        if target is held:
            raise type_error("FinalizationRegistry.prototype.register: target and holdings must not be same")
        if not can_be_held_weakly(token):
            if token is not undefined:
                raise type_error(f"Invalid unregisterToken ('{describe(token)}')")
            return undefined
        _, count = registry.tokens.get(id(token), (token, 0))
        registry.tokens[id(token)] = (token, count + 1)
        return undefined

    def unregister(this: Any, token: Any = undefined, *_: Any) -> bool:
        """FinalizationRegistry.prototype.unregister (26.2.3.3): whether any cell had ``token``."""
        registry = this_registry(this, "unregister")
        if not can_be_held_weakly(token):
            raise type_error(f"Invalid unregisterToken ('{describe(token)}')")
        return registry.tokens.pop(id(token), None) is not None

    rt.constructor("FinalizationRegistry", 1, required_new("FinalizationRegistry"), registry_construct, FRP)
    rt.define(FRP, "register", register, 2)
    rt.define(FRP, "unregister", unregister, 1)
    FRP.write_slot(SYM_TO_STRING_TAG, "FinalizationRegistry", CONFIGURABLE)
