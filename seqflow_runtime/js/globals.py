"""The global object, and the ``rt.globals.X`` namespace generated code reads globals through.

``rt.globals`` is a plain Python object whose instance ``__dict__`` mirrors
the global object's data properties, so a global read is one dict lookup.
Anything else (a missing name, an accessor property) falls through to
``__getattr__``, which does the full JS lookup or throws ReferenceError.
"""

from __future__ import annotations

from typing import Any

from .values import MISSING, Accessor, JSObject, call, reference_error, undefined


class GlobalObject(JSObject):
    """The global object; keeps ``mirror`` (data properties only) in step with ``props``."""

    __slots__ = ("mirror",)

    def __init__(self, proto: JSObject | None) -> None:
        JSObject.__init__(self, proto)
        self.mirror: dict[str, Any] = {}

    def _sync(self, key: Any) -> None:
        if type(key) is not str:
            return
        slot = self.props.get(key, MISSING)
        if slot is MISSING or type(slot) is Accessor:
            self.mirror.pop(key, None)
        else:
            self.mirror[key] = slot

    def write_slot(self, key: Any, slot: Any, flags: int) -> None:
        """Write, then refresh the mirror."""
        JSObject.write_slot(self, key, slot, flags)
        self._sync(key)

    def remove_slot(self, key: Any) -> None:
        """Remove, then refresh the mirror."""
        JSObject.remove_slot(self, key)
        self._sync(key)

    def set(self, key: Any, value: Any, receiver: Any = MISSING) -> bool:
        """[[Set]], then refresh the mirror."""
        ok = JSObject.set(self, key, value, receiver)
        self._sync(key)
        return ok

    def put(self, key: Any, value: Any, flags: int = 7) -> None:
        """Direct definition (built-in setup), mirrored."""
        JSObject.put(self, key, value, flags)
        self._sync(key)


class GlobalScope:
    """``rt.globals``: attribute reads are global variable reads."""

    __slots__ = ("_global", "__dict__")

    def __init__(self, global_object: GlobalObject) -> None:
        self._global = global_object
        # The instance dict *is* the mirror: reading a data global is a dict hit.
        self.__dict__ = global_object.mirror

    def __getattr__(self, name: str) -> Any:
        return read_global(self._global, name)


def read_global(g: GlobalObject, name: str) -> Any:
    """A global variable read by name (ReferenceError when it does not exist)."""
    value = g.mirror.get(name, MISSING)
    if value is not MISSING:
        return value
    slot = g.get_own_slot(name)
    if type(slot) is Accessor:
        return undefined if slot.get is undefined else call(slot.get, g)
    if g.has(name):
        return g.get(name)
    raise reference_error(f"{name} is not defined")
