"""Built-in methods made on first touch: a realm creates the function objects of an object it never looks at.

A fresh realm would make about 280 built-in function objects, most of which a
script never reads (``String.prototype.anchor``, ``Array.prototype.copyWithin``,
``console.table``...), and every execution and every replay makes a realm.
So an installer records the methods of such an object (:func:`method`,
:func:`methods`, :func:`getter`, :func:`alias`, :func:`later`) instead of
defining them, after :func:`pend` marked the object; anything else written
into it with ``write_slot`` while it is pending (``constructor`` by
``rt.constructor``, a constant) is recorded too, in its place. A pending
object's class is a twin of its own (same slots) whose ``__getattribute__``
installs the recorded properties, in the order they were recorded, and gives
the object its own class back, before any attribute but ``proto`` is read:
reading or writing ``props``, ``flags`` or ``items``, or calling any other
internal method (``get``, ``own_keys``, ``define_own_property``...). Nothing
can see the object before its properties are there, so property order,
attributes and ``Object.getOwnPropertyNames`` are those of an eager install,
and code that reads ``props`` directly needs no check of its own. Only
``type(o) is C`` tells a pending object apart, so such fast-path guards take
their general path until the object is touched.

Most installers go further and put the methods' definitions themselves (their
``def`` statements) in a function given to :func:`later`, so a realm makes
neither the function objects nor the Python closures of an object nothing
touches; such a function defines that object's properties (and those of
objects only its methods reach), so the order is still that of an eager
install.

Installing draws nothing from the task's random generator and reads no
clock, so when an object is materialized never changes what a replay sees.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Final

from ..values import CONFIGURABLE, HIDDEN, Accessor, JSObject, function_name
from . import Intrinsics, with_headroom

if TYPE_CHECKING:
    from ..runtime import Runtime

#: What a pending object may be asked without being installed first (walking a prototype chain
#: past it reads ``proto``).
_TRANSPARENT = frozenset(("proto", "__class__", "int_keys"))

#: A recorded property: ``(kind, key, payload, length)``; kinds "m" (method), "g" (getter-only
#: accessor), "a" (another recorded key's value), "d" (a slot written with ``length`` as its attributes),
#: "i" (not a property: the intrinsic named ``payload`` is the value of ``key`` as installed),
#: "f" (``payload()`` is run: it writes properties of its own).
_Record = tuple[str, Any, Any, int]


class _RecordsKey:
    """The type of :data:`_RECORDS`."""

    __slots__ = ()


#: Where a pending object keeps its realm and recorded properties: under this key of its own
#: ``props`` (which nothing reads before they are installed), so they live and die with the object.
_RECORDS: Final = _RecordsKey()
#: The pending twin of each class.
_TWINS: dict[type, type] = {}
#: The class a twin stands for.
_ORIGINALS: dict[type, type] = {}


def _materialize(obj: JSObject) -> None:
    """Give ``obj`` its class back, then define what was recorded for it, in order (all of it, even deep in
    the guest's recursion)."""
    with_headroom(partial(_install_records, obj))


def _install_records(obj: JSObject) -> None:
    rt, records = object.__getattribute__(obj, "props").pop(_RECORDS)
    obj.__class__ = _ORIGINALS[type(obj)]
    native = rt.native
    for kind, key, payload, length in records:
        if kind == "m":
            obj.write_slot(key, native(payload, function_name(key), length), HIDDEN)
        elif kind == "g":
            obj.write_slot(key, Accessor(native(payload, function_name(key, "get"), 0)), CONFIGURABLE)
        elif kind == "a":
            obj.write_slot(key, obj.get_own_slot(payload), HIDDEN)
        elif kind == "i":
            rt.intrinsics[payload] = obj.get_own_slot(key)
        elif kind == "f":
            payload()
        else:
            obj.write_slot(key, payload, length)


def _twin(cls: type) -> type:
    twin = _TWINS.get(cls)
    if twin is None:

        def __getattribute__(self: Any, name: str) -> Any:
            if name == "write_slot":
                return partial(_record_slot, self)
            if name not in _TRANSPARENT:
                _materialize(self)
            return object.__getattribute__(self, name)

        twin = type(cls.__name__, (cls,), {"__slots__": (), "__getattribute__": __getattribute__,
                                           "__module__": cls.__module__, "__doc__": cls.__doc__})
        _TWINS[cls] = twin
        _ORIGINALS[twin] = cls
    return twin


def pend(rt: "Runtime", obj: JSObject) -> None:
    """From now on, the properties recorded for ``obj`` wait until something looks at it."""
    if type(obj) in _ORIGINALS:
        return
    intrinsics = rt.intrinsics
    assert isinstance(intrinsics, Intrinsics)
    obj.props[_RECORDS] = (rt, [])
    obj.__class__ = _twin(type(obj))
    intrinsics.deferred.append(obj)


def is_pending(obj: JSObject) -> bool:
    """Whether ``obj`` still waits for its recorded properties."""
    return type(obj) in _ORIGINALS


def _record(obj: JSObject, record: _Record) -> bool:
    if type(obj) not in _ORIGINALS:
        return False
    object.__getattribute__(obj, "props")[_RECORDS][1].append(record)
    return True


def _record_slot(obj: JSObject, key: Any, slot: Any, flags: int) -> None:
    """``obj.write_slot(key, slot, flags)`` of a pending object: recorded, in its place."""
    object.__getattribute__(obj, "props")[_RECORDS][1].append(("d", key, slot, flags))


def method(rt: "Runtime", obj: JSObject, key: Any, fn: Callable[..., Any], length: int = 0) -> None:
    """``rt.define(obj, key, fn, length)``, made when ``obj`` is first touched if it is pending."""
    if type(obj) in _ORIGINALS:
        object.__getattribute__(obj, "props")[_RECORDS][1].append(("m", key, fn, length))
    else:
        rt.define(obj, key, fn, length)


def methods(rt: "Runtime", obj: JSObject, table: tuple[tuple[Any, Callable[..., Any], int], ...]) -> None:
    """:func:`method` for each ``(key, fn, length)`` of ``table``, in order."""
    if type(obj) in _ORIGINALS:
        object.__getattribute__(obj, "props")[_RECORDS][1].extend([("m", *entry) for entry in table])
    else:
        for key, fn, length in table:
            rt.define(obj, key, fn, length)


def getter(rt: "Runtime", obj: JSObject, key: Any, fn: Callable[..., Any]) -> None:
    """``rt.define_getter(obj, key, fn)``, made when ``obj`` is first touched if it is pending."""
    if not _record(obj, ("g", key, fn, 0)):
        rt.define_getter(obj, key, fn)


def alias(rt: "Runtime", obj: JSObject, key: Any, existing: Any) -> None:
    """``obj[key]`` is the same function as ``obj[existing]`` (``trimLeft`` and ``trimStart``)."""
    if not _record(obj, ("a", key, existing, 0)):
        obj.write_slot(key, obj.get_own_slot(existing), HIDDEN)


def later(obj: JSObject, install: Callable[[], None]) -> None:
    """Run ``install()`` (which writes ``obj``'s properties) when ``obj`` is installed, in its place among
    the recorded properties; now if ``obj`` is not pending."""
    if not _record(obj, ("f", None, install, 0)):
        install()


def intrinsic(rt: "Runtime", obj: JSObject, key: Any, name: str) -> None:
    """``rt.intrinsics[name]`` is ``obj``'s own ``key`` as installed (looking it up installs ``obj``)."""
    if _record(obj, ("i", key, name, 0)):
        intrinsics = rt.intrinsics
        assert isinstance(intrinsics, Intrinsics)
        intrinsics.waiting[name] = obj
    else:
        rt.intrinsics[name] = obj.get_own_slot(key)


def materialize(obj: JSObject) -> None:
    """Install what was recorded for ``obj`` now, if it is pending."""
    if type(obj) in _ORIGINALS:
        _materialize(obj)
