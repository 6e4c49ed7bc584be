"""%IteratorPrototype%, array iterators and generator objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..values import HIDDEN, HOLE, SYM_ITERATOR, SYM_TO_STRING_TAG, JSArray, JSObject, type_error, undefined
from .. import ops
from ..binary import JSTypedArray
from .deferred import methods, pend

if TYPE_CHECKING:
    from ..runtime import Runtime


class JSArrayIterator(JSObject):
    """An Array Iterator: ``kind`` is "keys", "values" or "entries"."""

    __slots__ = ("target", "index", "kind")
    class_name = "Array Iterator"

    def __init__(self, proto: JSObject | None, target: Any, kind: str) -> None:
        JSObject.__init__(self, proto)
        self.target = target
        self.index = 0
        self.kind = kind


def install(rt: "Runtime") -> None:
    """Iterator prototypes and the generator object methods."""
    from ..runtime import GeneratorReturn, JSGenerator

    IP = rt.IteratorPrototype
    rt.define(IP, SYM_ITERATOR, lambda this, *_: this, 0)

    def result(value: Any, done: bool) -> JSObject:
        o = JSObject(rt.ObjectPrototype)
        o.props = {"value": value, "done": done}
        return o

    rt.intrinsics["iter_result"] = result

    AIP = JSObject(IP)
    rt.intrinsics["ArrayIteratorPrototype"] = AIP

    def array_iter_next(this: Any, *_: Any) -> JSObject:
        if not isinstance(this, JSArrayIterator):
            raise type_error("next method called on incompatible receiver")
        target = this.target
        if target is None:
            return result(undefined, True)
        i = this.index
        if type(target) is JSArray:
            n = len(target.items)
        elif isinstance(target, JSTypedArray):
            # %ArrayIteratorPrototype%.next on a typed array (23.1.5.1): detached or out of bounds throws.
            if target.byte_span() < 0:
                raise type_error("Cannot perform %ArrayIteratorPrototype%.next on a detached ArrayBuffer")
            n = target.length()
        elif type(target) is str:
            n = len(target)
        else:
            n = ops.to_length(rt.get(target, "length"))
        if i >= n:
            this.target = None
            return result(undefined, True)
        this.index = i + 1
        if this.kind == "keys":
            return result(i, False)
        if type(target) is JSArray:
            v = target.items[i]
            value = target.get(i) if v is HOLE else v
        else:
            value = rt.get(target, i)
        if this.kind == "values":
            return result(value, False)
        return result(rt.new_array([i, value]), False)

    rt.intrinsics["ArrayIteratorNext"] = rt.define(AIP, "next", array_iter_next, 0)
    AIP.write_slot(SYM_TO_STRING_TAG, "Array Iterator", 4)

    def make_array_iterator(target: Any, kind: str) -> JSArrayIterator:
        return JSArrayIterator(AIP, target, kind)

    rt.intrinsics["make_array_iterator"] = make_array_iterator

    def values(this: Any, *_: Any) -> JSArrayIterator:
        return make_array_iterator(rt.to_object(this), "values")

    array_values = rt.native(values, "values", 0)
    rt.intrinsics["ArrayValues"] = array_values
    rt.ArrayPrototype.write_slot("values", array_values, HIDDEN)
    rt.ArrayPrototype.write_slot(SYM_ITERATOR, array_values, HIDDEN)
    rt.define(rt.ArrayPrototype, "keys", lambda this, *_: make_array_iterator(rt.to_object(this), "keys"), 0)
    rt.define(rt.ArrayPrototype, "entries", lambda this, *_: make_array_iterator(rt.to_object(this), "entries"), 0)

    # -- generators -------------------------------------------------------------------

    GP = JSObject(IP)
    rt.GeneratorPrototype = GP
    rt.intrinsics["Generator.prototype"] = GP
    GP.write_slot(SYM_TO_STRING_TAG, "Generator", 4)

    def resume(gen: Any, mode: str, value: Any) -> JSObject:
        if not isinstance(gen, JSGenerator):
            raise type_error(f"{mode} method called on incompatible receiver")
        if gen.state == "running":
            raise type_error("Generator is already running")
        if gen.state == "completed":
            if mode == "throw":
                raise ops_throw(value)
            return result(value if mode == "return" else undefined, True)
        if gen.state == "suspended-start" and mode != "next":
            gen.state = "completed"
            gen.gen.close()
            if mode == "throw":
                raise ops_throw(value)
            return result(value, True)
        gen.state = "running"
        try:
            if mode == "next":
                out = next(gen.gen) if _fresh(gen.gen) else gen.gen.send(value)
            elif mode == "throw":
                out = gen.gen.throw(ops_throw(value))
            else:
                out = gen.gen.throw(GeneratorReturn(value))
        except StopIteration as stop:
            gen.state = "completed"
            return result(stop.value if stop.value is not None else undefined, True)
        except GeneratorReturn as ret:
            gen.state = "completed"
            return result(ret.value, True)
        except BaseException:
            gen.state = "completed"
            raise
        gen.state = "suspended-yield"
        return result(out, False)

    def ops_throw(value: Any) -> Any:
        from ..values import JSThrow

        return JSThrow(value)

    pend(rt, GP)  # the methods are made when a script first looks at a generator's
    methods(rt, GP, (("next", lambda this, v=undefined, *_: resume(this, "next", v), 1),
                     ("return", lambda this, v=undefined, *_: resume(this, "return", v), 1),
                     ("throw", lambda this, v=undefined, *_: resume(this, "throw", v), 1)))


def _fresh(gen: Any) -> bool:
    """Whether a Python generator has not started (its first resume must be ``next``)."""
    import inspect

    return inspect.getgeneratorstate(gen) == inspect.GEN_CREATED
