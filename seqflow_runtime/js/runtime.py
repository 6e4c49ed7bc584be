"""The runtime generated code runs against: ``rt``.

One :class:`Runtime` is one JavaScript realm: its own global object and
built-ins, so a script that patches ``Array.prototype`` patches only its own.
Generated code calls the methods here (``rt.get``, ``rt.call``, ``rt.add``...);
built-ins use the same services (errors, iteration, construction).
"""

from __future__ import annotations

import random
import sys
import time
import types
from datetime import tzinfo
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any, NoReturn, TypeVar

from ..limits import LimitExceeded, Limits
from . import ops
from .async_iteration import AsyncIterationSupport
from .bigint import JSBigInt, literal
from .bigint import install as install_bigint
from .class_elements import ClassElements
from .eval_support import EvalSupport, WithSupport
from .eval_support import install as install_eval
from .errors_stack import js_stack, stamp_stack
from .globals import GlobalObject, GlobalScope, read_global
from .guard import CHARGE_THRESHOLD, Guard, reachable_bytes, set_running_guard
from .numconv import canonical_numeric_index, number_to_string
from .values import (
    CONFIGURABLE,
    DIGITS,
    DEFAULT_FLAGS,
    HIDDEN,
    HOLE,
    MISSING,
    NAMED_TYPES,
    NO_ARGUMENT,
    ORDINARY_TYPES,
    SYM_HAS_INSTANCE,
    SYM_ITERATOR,
    Accessor,
    Descriptor,
    JSArray,
    JSFunction,
    JSObject,
    JSThrow,
    Symbol,
    call,
    describe,
    function_name,
    is_callable,
    key_repr,
    reference_error,
    type_error,
    undefined,
)

CO_VARARGS = 0x04
_F = TypeVar("_F", bound=Callable[..., Any])
#: Steps handed out at a time; between slices the slow path checks the deadline and memory.
STEP_SLICE = 10_000
#: The longest console line kept, in characters (longer ones are cut with a marker).
MAX_CONSOLE_LINE = 64 * 1024


class _Break:
    """The signal a per-iteration loop body returns for ``break``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BREAK"


class _ParametersBound:
    """What a generator body yields once its parameters are bound (see ``binds_parameters_at_call``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "PARAMETERS_BOUND"


PARAMETERS_BOUND = _ParametersBound()


class Return:
    """The signal a per-iteration loop body returns for ``return value``."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _Part:
    """A non-plain member of an object literal (spread, accessor, ``__proto__``)."""

    __slots__ = ("kind", "key", "value")

    def __init__(self, kind: str, key: Any, value: Any) -> None:
        self.kind = kind
        self.key = key
        self.value = value


class JSError(JSObject):
    """An object made by an Error constructor (``[[ErrorData]]``)."""

    __slots__ = ("made_stack",)
    class_name = "Error"


class JSArguments(JSArray):
    """An ``arguments`` object: indexed like an array, but not one."""

    __slots__ = ()
    class_name = "Arguments"


class JSMappedArguments(JSObject):
    """A mapped ``arguments`` object (ES2017 9.4.4): mapped indices read and write parameter cells.

    ``cells`` maps an index key to the parameter's Python cell until the
    mapping is removed (delete, an accessor or a read-only redefinition).
    """

    __slots__ = ("cells",)
    class_name = "Arguments"

    def __init__(self, proto: JSObject | None, args: tuple[Any, ...], cells: dict[str, Any]) -> None:
        JSObject.__init__(self, proto)
        self.props = {str(i): v for i, v in enumerate(args)}
        self.write_slot("length", len(args), HIDDEN)
        self.cells = cells

    def get_own_slot(self, key: Any) -> Any:
        """A mapped index reads its parameter."""
        cell = self.cells.get(key if type(key) is str else str(key)) if self.cells else None
        if cell is not None:
            return cell.cell_contents
        return JSObject.get_own_slot(self, key)

    def set(self, key: Any, value: Any, receiver: Any = MISSING) -> bool:
        """A mapped index writes its parameter too (it is always a writable data property)."""
        if type(key) is int:
            key = str(key)
        cell = self.cells.get(key) if self.cells else None
        if cell is not None and (receiver is MISSING or receiver is self):
            self.props[key] = value
            cell.cell_contents = value
            return True
        return JSObject.set(self, key, value, receiver)

    def define_own_property(self, key: Any, desc: Descriptor) -> bool:
        """[[DefineOwnProperty]] (ES2017 9.4.4.2)."""
        if type(key) is int:
            key = str(key)
        cell = self.cells.get(key) if self.cells else None
        if cell is not None and not desc.is_accessor and desc.value is MISSING and desc.writable is False:
            desc = Descriptor(value=cell.cell_contents, writable=False, enumerable=desc.enumerable,
                              configurable=desc.configurable)
        if cell is not None:
            self.props[key] = cell.cell_contents  # the ordinary checks compare with the live value
        if not JSObject.define_own_property(self, key, desc):
            return False
        if cell is not None:
            if desc.is_accessor:
                del self.cells[key]
            else:
                if desc.value is not MISSING:
                    cell.cell_contents = desc.value
                if desc.writable is False:
                    del self.cells[key]
        return True

    def delete(self, key: Any) -> bool:
        """[[Delete]] (ES2017 9.4.4.5): a deleted index is no longer mapped."""
        if type(key) is int:
            key = str(key)
        if not JSObject.delete(self, key):
            return False
        if self.cells:
            self.cells.pop(key, None)
        return True


class JSGenerator(JSObject):
    """A generator object wrapping the Python generator of a ``function*``."""

    __slots__ = ("gen", "state")
    class_name = "Generator"

    def __init__(self, proto: JSObject | None, gen: Any) -> None:
        JSObject.__init__(self, proto)
        self.gen = gen
        self.state = "suspended-start"


class GeneratorReturn(BaseException):
    """Thrown into a Python generator to perform JS ``generator.return(value)``.

    A BaseException so that the guest's ``catch`` cannot intercept it, while
    its ``finally`` blocks still run.
    """

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def js_name_of(py_name: str | None) -> str:
    """The JS name behind a generated Python name (clash suffixes and ``$`` spelling undone)."""
    if not py_name:
        return "variable"
    name = py_name
    head, _, tail = name.rpartition("_")
    if head and tail.isdigit():
        name = head
    return name.replace("S_", "$").rstrip("_") or name


def _reading(key: Any, verb: str = "reading") -> str:
    """`` (reading 'key')`` for an error about a nullish base; empty for an object key.

    The base is checked before the key is converted (GetValue/PutValue,
    ECMA-262 6.2.5.5-6), so the message must not run the key's ``toString``.
    """
    if isinstance(key, JSObject):
        return ""
    return f" ({verb} '{key_repr(ops.to_property_key(key))}')"


def _arity(py: Callable[..., Any]) -> int | None:
    code = getattr(py, "__code__", None)
    if code is None or code.co_flags & CO_VARARGS:
        return None
    return int(code.co_argcount) - 1


def _assignment(strict: bool, doc: str) -> Callable[[Runtime, Any, Any, Any], Any]:
    """``Runtime.set`` or ``Runtime.set_strict``: the common writes done here, the rest by [[Set]].

    The common writes: an ordinary object's own property or an array's element
    that is not a hole, when the object has no ``flags`` (so each is a writable
    data property, as :meth:`JSArray.set` also relies on): the write is then the
    whole of [[Set]].
    """

    def assign(self: Runtime, o: Any, key: Any, value: Any) -> Any:
        if type(key) is str:
            if type(o) in ORDINARY_TYPES and o.flags is None and key in o.props:
                o.props[key] = value
                return value
        elif type(key) is int and type(o) is JSArray and o.flags is None:
            items = o.items
            if 0 <= key < len(items) and items[key] is not HOLE:
                items[key] = value
                return value
        self._put(o, key, value, strict)
        return value

    assign.__doc__ = doc
    return assign


def passed(a: Any, b: Any, c: Any, more: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arguments a call entry point was given (:meth:`Runtime.call`): its fixed ones up to the first
    not passed, then ``more``."""
    if c is not NO_ARGUMENT:
        return (a, b, c, *more)
    if b is not NO_ARGUMENT:
        return (a, b)
    if a is not NO_ARGUMENT:
        return (a,)
    return ()


def _reads_new_target(py: Callable[..., Any]) -> bool:
    """Whether the code of ``py`` may ask for ``new.target`` (:meth:`Runtime.new_target_of`, read on entry)."""
    code = getattr(py, "__code__", None)
    return code is None or "new_target_of" in code.co_names



def _no_variables() -> tuple[()]:
    """The closure of a function without parameters (see :meth:`Runtime.sloppy_arguments`)."""
    return ()

class Runtime(ClassElements, AsyncIterationSupport, EvalSupport, WithSupport):
    """A JS realm plus the services generated code and built-ins call."""

    HOLE = HOLE
    BREAK = _Break()
    PARAMETERS_BOUND = PARAMETERS_BOUND
    Return = Return
    Throw = JSThrow
    #: What a JS ``catch`` catches: JS throws, stack overflow, TDZ reads.
    Catchable = (JSThrow, RecursionError, NameError)

    # Operators are realm-free: plain functions, no bound-method cost (``add`` is per realm: it
    # checks the realm's string limit).
    sub = staticmethod(ops.sub)
    mul = staticmethod(ops.mul)
    div = staticmethod(ops.div)
    mod = staticmethod(ops.mod)
    pow = staticmethod(ops.power)
    neg = staticmethod(ops.neg)
    to_number = staticmethod(ops.to_number)
    to_string = staticmethod(ops.to_string)
    to_primitive = staticmethod(ops.to_primitive)
    to_property_key = staticmethod(ops.to_property_key)
    bit_and = staticmethod(ops.bit_and)
    bit_or = staticmethod(ops.bit_or)
    bit_xor = staticmethod(ops.bit_xor)
    bit_not = staticmethod(ops.bit_not)
    shl = staticmethod(ops.shl)
    shr = staticmethod(ops.shr)
    ushr = staticmethod(ops.ushr)
    lt = staticmethod(ops.lt)
    gt = staticmethod(ops.gt)
    le = staticmethod(ops.le)
    ge = staticmethod(ops.ge)
    strict_eq = staticmethod(ops.strict_eq)
    strict_ne = staticmethod(ops.strict_ne)
    loose_eq = staticmethod(ops.loose_eq)
    loose_ne = staticmethod(ops.loose_ne)
    typeof = staticmethod(ops.typeof)
    truthy = staticmethod(ops.truthy)
    inc = staticmethod(ops.inc)
    dec = staticmethod(ops.dec)
    #: A BigInt literal: ``10n`` is ``rt.bigint(10)``.
    bigint = staticmethod(literal)
    #: The name of a function defined under a computed key: ``{[k]: () => 1}``.
    function_name = staticmethod(function_name)

    def __init__(
        self,
        limits: Limits | None = None,
        filename: str = "script.js",
        seed: int = 0,
        clock: Callable[[], float] | None = None,
        timezone: tzinfo | None = None,
    ) -> None:
        from .builtins import Intrinsics, install_all

        self.limits = limits or Limits()
        #: ``Math.random``'s source: seeded per task, so replays draw the same numbers.
        self.rng = random.Random(seed)
        #: Milliseconds since the epoch for ``Date.now()``/``new Date()``; replay logs each reading.
        self.clock = clock or (lambda: time.time() * 1000.0)
        #: The local time zone of ``Date`` (``None``: UTC, the deterministic default).
        self.timezone = timezone
        #: The locale data release (``"CLDR 49"``) once the program used Intl; the task's log records it.
        self.locale_data: str | None = None
        self.console_output: list[dict[str, Any]] = []
        self.console_bytes = 0
        #: The first limit the program hit: it ends the task whatever the program does next.
        self.limit_hit: LimitExceeded | None = None
        #: A host interruption (Ctrl-C) that arrived while guest code ran; it must reach the host.
        self.host_interrupt: BaseException | None = None
        #: When the current run must end (``time.monotonic()``).
        self.deadline = time.monotonic() + self.limits.max_run_seconds
        #: Set between runs and while an ended task's generators are closed: any guest step stops.
        self.closing = False
        #: The program's generators (async bodies, ``function*``), held until its task ends and then
        #: closed: one the program drops is never collected mid-run, where Python would run its
        #: ``finally`` (JS never does).
        self.generators: set[Any] = set()
        self._prune_at = 1024
        self.steps_left = 0
        self._steps_reserve = 0
        self.reset_steps()
        self.guard = Guard(self.limits, self.hit_limit, self._measure)
        #: The realm's string size check (RangeError, memory accounting).
        self.check_string = self.guard.check_string
        #: The ``+`` operator (a per-realm closure over :attr:`check_string`).
        self.add = ops.make_add(self.check_string, min(self.limits.max_string_length + 1, CHARGE_THRESHOLD))
        # A new realm is its thread's running one until a run says otherwise (code run straight
        # on a fresh realm, without a runner, still gets its own limits in the value layer).
        set_running_guard(self.guard)
        #: Roots of what the program holds, beyond the realm (set by the runner).
        self.roots: list[Any] = []
        self.filename = filename
        self.jobs: Any = None  # the microtask queue (made by the Promise installer)
        #: The event loop that performs guest I/O (fetch, timers); None outside a flow.
        self.host: Any = None
        #: "standard", or "sequential" (fetch resolves to the response data).
        self.dialect = "standard"
        self.intrinsics: dict[str, Any] = Intrinsics()
        self.ObjectPrototype = JSObject(None)
        self.FunctionPrototype = JSFunction(self.ObjectPrototype, lambda this, *a: undefined, "", 0, "native")
        self.FunctionPrototype.materialize()
        self.global_object = GlobalObject(self.ObjectPrototype)
        self.global_this = self.global_object
        self.globals = GlobalScope(self.global_object)
        self.template_cache: dict[Any, JSArray] = {}
        self.constructing: dict[int, Any] = {}
        install_all(self)
        install_bigint(self)
        install_eval(self)
        start_async = self.intrinsics["start_async"]

        def start_tracked(body: Any) -> Any:
            if hasattr(body, "send"):
                self.track_generator(body)
            return start_async(body)

        self.intrinsics["start_async"] = start_tracked

    # -- runs and budgets ---------------------------------------------------------------

    def begin_run(self) -> Guard | None:
        """Start a run: a fresh deadline and step budget; this realm's guard is the thread's.

        Returns the guard that was running on this thread, for :meth:`end_run`.
        """
        self.deadline = time.monotonic() + self.limits.max_run_seconds
        self.closing = False
        self.reset_steps()
        self.guard.start()
        return set_running_guard(self.guard)

    def end_run(self, previous: Guard | None) -> None:
        """End a run begun with :meth:`begin_run`.

        Until the next run, a guest step stops at once: a generator the host
        collects meanwhile cannot run its ``finally`` past its first step.
        """
        self.stop_guest()
        # Never left as the thread's running guard: it would keep this realm (and its heap) alive.
        set_running_guard(previous if previous is not self.guard else None)

    def track_generator(self, gen: Any) -> None:
        """Hold a guest generator until the task ends (finished ones are dropped now and then)."""
        generators = self.generators
        generators.add(gen)
        if len(generators) > self._prune_at:
            finished = [g for g in generators if g.gi_frame is None]
            generators.difference_update(finished)
            self._prune_at = max(1024, 2 * len(generators))

    def stop_guest(self) -> None:
        """From now until the next run, any guest step ends the guest code running (GeneratorExit)."""
        self.closing = True
        self.steps_left = -1

    def reset_steps(self) -> None:
        """A full step budget (a new run; steps replayed from the log do not count again)."""
        self.steps_left = min(self.limits.max_steps, STEP_SLICE)
        self._steps_reserve = self.limits.max_steps - self.steps_left
        if self.limit_hit is not None or self.host_interrupt is not None or self.closing:
            self.steps_left = -1

    def hit_limit(self, limit: str, message: str) -> NoReturn:
        """End the task on a limit: recorded (the first one wins) and raised, not catchable by JS."""
        # Every later step re-raises: a `finally` cannot carry on.
        self.steps_left = -1
        if self.limit_hit is None:
            # The first one is raised itself, so its traceback names the JS line.
            self.limit_hit = LimitExceeded(limit, message)
            raise self.limit_hit
        raise LimitExceeded(self.limit_hit.limit, self.limit_hit.message)

    def interrupt(self, exc: BaseException) -> None:
        """Record a host interruption so every later guest step raises it again."""
        if self.host_interrupt is None:
            self.host_interrupt = exc
        self.steps_left = -1

    def remaining_seconds(self) -> float:
        """Seconds left before the run's deadline (raises the limit when none are)."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.check_deadline()
        return max(left, 0.001)

    def check_deadline(self) -> None:
        """Raise the run-time limit once the run's deadline has passed."""
        if time.monotonic() > self.deadline:
            self.hit_limit("max_run_seconds", f"Run time limit exceeded ({self.limits.max_run_seconds:g} s)")

    def _next_slice(self) -> None:
        # The slow path of a step: a recorded stop, the deadline, memory, then the next slice.
        if self.closing:
            self.steps_left = -1
            raise GeneratorExit
        if self.host_interrupt is not None:
            self.steps_left = -1
            raise type(self.host_interrupt)()
        if self.limit_hit is not None:
            self.hit_limit(self.limit_hit.limit, self.limit_hit.message)
        self._steps_reserve += self.steps_left
        if self._steps_reserve < 0:
            self.hit_limit("max_steps", f"Step limit exceeded ({self.limits.max_steps} steps)")
        self.check_deadline()
        refill = min(STEP_SLICE, self._steps_reserve)
        self._steps_reserve -= refill
        self.steps_left = refill
        self.guard.sample()

    def _measure(self, bound: int) -> int:
        return reachable_bytes([self, *self.roots], bound, self.check_deadline)

    # -- building built-ins ------------------------------------------------------

    def native(self, fn: Callable[..., Any], name: str, length: int = 0,
               construct: Callable[[list[Any], Any], Any] | None = None) -> JSFunction:
        """A built-in function object; ``fn(this, *args)``."""
        f = JSFunction(self.FunctionPrototype, fn, name, length, "native", construct_hook=construct)
        return f

    def define(self, obj: JSObject, name: Any, fn: Callable[..., Any], length: int = 0) -> JSFunction:
        """Define a built-in method (writable, configurable, not enumerable)."""
        f = self.native(fn, function_name(name), length)
        obj.write_slot(name, f, HIDDEN)
        return f

    def define_getter(self, obj: JSObject, name: Any, fn: Callable[..., Any]) -> None:
        """Define a built-in accessor with only a getter."""
        obj.write_slot(name, Accessor(self.native(fn, function_name(name, "get"), 0)), CONFIGURABLE)

    def constructor(self, name: str, length: int, fn: Callable[..., Any],
                    construct: Callable[[list[Any], Any], Any] | None, prototype: JSObject,
                    global_: bool = True) -> JSFunction:
        """A built-in constructor bound to ``prototype`` (and made a global)."""
        ctor = self.native(fn, name, length, construct)
        ctor.materialize()
        ctor.write_slot("prototype", prototype, 0)
        prototype.write_slot("constructor", ctor, HIDDEN)
        self.intrinsics[name] = ctor
        if global_:
            self.global_object.put(name, ctor, HIDDEN)
        return ctor

    def proto_from(self, new_target: Any, default: JSObject) -> JSObject:
        """GetPrototypeFromConstructor."""
        if isinstance(new_target, JSObject):
            proto = new_target.get("prototype")
            if isinstance(proto, JSObject):
                return proto
        return default

    # -- values -----------------------------------------------------------------------

    def new_object(self) -> JSObject:
        """``{}``."""
        return JSObject(self.ObjectPrototype)

    def new_array(self, items: list[Any] | None = None) -> JSArray:
        """An array owning ``items`` (not copied)."""
        if items is not None and len(items) >= CHARGE_THRESHOLD:
            self.guard.grow_array(len(items), len(items))
        return JSArray(self.ArrayPrototype, items)

    def array(self, *items: Any) -> JSArray:
        """An array literal."""
        if len(items) >= CHARGE_THRESHOLD:
            # Only spreads make a literal this long (`[...a, ...a]`).
            self.guard.grow_array(len(items), len(items))
        return JSArray(self.ArrayPrototype, list(items))

    def object(self, props: dict[str, Any] | None = None, *parts: Any) -> JSObject:
        """An object literal: plain ``props`` first, then the other members in order."""
        o = JSObject(self.ObjectPrototype)
        if props:
            o.props = props
        for part in parts:
            if type(part) is tuple:
                key = self.key_for(o, part[0])
                o.write_slot(key, part[1], DEFAULT_FLAGS)
            elif part.kind == "spread":
                self.copy_data_properties(o, part.value, ())
            elif part.kind == "proto":
                if isinstance(part.value, JSObject) or part.value is None:
                    o.proto = part.value
            else:
                key = self.key_for(o, part.key)
                slot = o.get_own_slot(key)
                accessor = slot if type(slot) is Accessor else Accessor()
                if part.kind == "get":
                    accessor.get = part.value
                else:
                    accessor.set = part.value
                o.write_slot(key, accessor, DEFAULT_FLAGS & ~1)
        return o

    def spread_props(self, source: Any) -> _Part:
        """``...source`` in an object literal."""
        return _Part("spread", None, source)

    def getter(self, key: Any, fn: Any) -> _Part:
        """``get key() {}`` in an object literal."""
        return _Part("get", key, fn)

    def setter(self, key: Any, fn: Any) -> _Part:
        """``set key(v) {}`` in an object literal."""
        return _Part("set", key, fn)

    def proto_prop(self, value: Any) -> _Part:
        """``__proto__: value`` in an object literal."""
        return _Part("proto", None, value)

    @staticmethod
    def key_for(o: JSObject, key: Any) -> Any:
        """A property key in the form ``o`` stores it (ints only for indexed objects)."""
        key = ops.to_property_key(key)
        if type(key) is int and not o.int_keys:
            return str(key)
        return key

    def copy_data_properties(self, target: JSObject, source: Any, excluded: Any) -> None:
        """CopyDataProperties (object spread and rest)."""
        if source is None or source is undefined:
            return
        src = self.to_object(source)
        keys = src.own_keys()
        # A step per property: a copy of a big object in a loop must reach the budget and the
        # memory samples (a slice of steps is also a bound on what it allocates).
        self.steps_left -= len(keys)
        if self.steps_left < 0:
            self.tick()
        for key in keys:
            if key in excluded:
                continue
            desc = src.get_own_property(key)
            if desc is not None and desc.enumerable:
                target.write_slot(self.key_for(target, key), src.get(key), DEFAULT_FLAGS)

    def to_object(self, v: Any) -> JSObject:
        """ToObject (primitives are wrapped)."""
        if isinstance(v, JSObject):
            return v
        if v is None or v is undefined:
            raise type_error(f"Cannot convert {describe(v)} to object")
        wrap: Callable[[Any], JSObject] = self.intrinsics["wrap_primitive"]
        return wrap(v)

    def proto_of_primitive(self, v: Any) -> JSObject:
        """The prototype a primitive's properties come from."""
        t = type(v)
        if t is str:
            return self.StringPrototype
        if t is int or t is float:
            return self.NumberPrototype
        if t is bool:
            return self.BooleanPrototype
        if t is Symbol:
            return self.SymbolPrototype
        if t is JSBigInt:
            proto: JSObject = self.intrinsics["BigInt.prototype"]
            return proto
        raise type_error(f"Cannot read properties of {describe(v)}")

    # -- property access ------------------------------------------------------------------

    def get(self, o: Any, key: Any) -> Any:
        """``o[key]``.

        Fast paths, exact for what they accept: a string key reads ``props``
        up the prototype chain while each object on it keeps that key in
        ``props`` (ordinary objects, materialized functions, and for a name
        that is neither an index nor ``length``, arrays and the String
        prototype); an array's in-range index reads ``items``; ``length`` of
        an array or a string is read directly. Anything else takes the
        objects' internal methods.
        """
        if type(key) is str:
            t = type(o)
            if t in ORDINARY_TYPES or (t is JSFunction and not o.lazy):
                holder = o
            elif key == "length" and (t is JSArray or t is str):
                return len(o.items if t is JSArray else o)
            elif key == "length" or key[:1] in DIGITS:
                return self._get(o, key)
            elif t in NAMED_TYPES:
                holder = o
            elif t is str:
                holder = self.StringPrototype
            else:
                return self._get(o, key)
            while True:
                props = holder.props
                if key in props:
                    slot = props[key]
                    if type(slot) is Accessor:
                        return undefined if slot.get is undefined else call(slot.get, o)
                    return slot
                holder = holder.proto
                if holder is None:
                    return undefined
                t = type(holder)
                if not (t in ORDINARY_TYPES or (t is JSFunction and not holder.lazy)
                        or (t in NAMED_TYPES and key != "length" and key[:1] not in DIGITS)):
                    return holder.get(key, o)
        if type(key) is int and type(o) is JSArray:
            items = o.items
            if 0 <= key < len(items):
                slot = items[key]
                if slot is not HOLE and type(slot) is not Accessor:
                    return slot
        return self._get(o, key)

    def _get(self, o: Any, key: Any) -> Any:
        """``o[key]`` through the objects' internal methods (and the primitives' prototypes)."""
        if isinstance(o, JSObject):
            tk = type(key)
            if tk is str:
                return o.get(key)
            if tk is int:
                return o.get(key if o.int_keys and key >= 0 else str(key))
            key = ops.to_property_key(key)
            if type(key) is int and not o.int_keys:
                key = str(key)
            return o.get(key)
        if o is None or o is undefined:
            raise type_error(f"Cannot read properties of {describe(o)}{_reading(key)}")
        if type(o) is str:
            key = ops.to_property_key(key)
            if type(key) is str and key[:1] in DIGITS:
                index = canonical_numeric_index(key)  # `s["1"]` is `s[1]`
                if index is not None:
                    key = index
            if type(key) is int:
                return o[key] if key < len(o) else undefined
            if key == "length":
                return len(o)
        elif type(key) is not str:
            key = ops.to_property_key(key)
            if type(key) is int:
                key = str(key)
        return self.proto_of_primitive(o).get(key, o)

    set = _assignment(False, "``o[key] = value`` in sloppy code (a failed write is ignored); returns ``value``.")
    set_strict = _assignment(True, "``o[key] = value`` in strict code: a failed write throws TypeError.")

    def _put(self, o: Any, key: Any, value: Any, strict: bool) -> None:
        """PutValue of ``o[key]``: [[Set]] with ``o`` the receiver; a failure throws in strict code."""
        if isinstance(o, JSObject):
            tk = type(key)
            if tk is int and key >= 0:
                if not o.int_keys:
                    key = str(key)
            elif tk is not str:
                key = self.key_for(o, key)
            if not o.set(key, value) and strict:
                raise type_error(f"Cannot assign to read only property '{key_repr(key)}' of object")
            return
        if o is None or o is undefined:
            raise type_error(f"Cannot set properties of {describe(o)}{_reading(key, 'setting')}")
        if strict:
            raise type_error(f"Cannot create property '{key_repr(ops.to_property_key(key))}' on {ops.typeof(o)} '{ops.to_string(o)}'")

    def delete(self, o: Any, key: Any) -> bool:
        """``delete o[key]``."""
        if o is None or o is undefined:
            raise type_error(f"Cannot convert {describe(o)} to object")
        if not isinstance(o, JSObject):
            return True
        return o.delete(self.key_for(o, key))

    def delete_strict(self, o: Any, key: Any) -> bool:
        """``delete o[key]`` in strict code: deleting a non-configurable property throws."""
        if not self.delete(o, key):
            raise type_error(f"Cannot delete property '{key_repr(ops.to_property_key(key))}' of {self.describe_receiver(o)}")
        return True

    def in_(self, key: Any, o: Any) -> bool:
        """``key in o``."""
        if not isinstance(o, JSObject):
            raise type_error(f"Cannot use 'in' operator to search for '{ops.to_string(key) if not isinstance(key, Symbol) else key_repr(key)}' in {describe(o)}")
        return o.has(self.key_for(o, key))

    def instanceof(self, v: Any, target: Any) -> bool:
        """``v instanceof target`` (honouring ``Symbol.hasInstance``)."""
        if type(target) is JSFunction and target.proto is self.FunctionPrototype and SYM_HAS_INSTANCE not in target.props:
            # The common case: the inherited `Function.prototype[@@hasInstance]`, which is non-writable and
            # non-configurable, so always the default (a symbol key is never one of a lazy function's own).
            return ops.instance_of(v, target)
        if not isinstance(target, JSObject):
            raise type_error("Right-hand side of 'instanceof' is not an object")
        handler = target.get(SYM_HAS_INSTANCE)
        if handler is not undefined and handler is not None and handler is not self.intrinsics.get("default_has_instance"):
            return ops.truthy(call(handler, target, v))
        return ops.instance_of(v, target)

    def is_nullish(self, v: Any) -> bool:
        """``v == null``."""
        return v is None or v is undefined

    # -- globals ------------------------------------------------------------------------

    def get_global(self, name: str) -> Any:
        """A global variable whose name cannot be a Python attribute."""
        return read_global(self.global_object, name)

    def set_global(self, name: str, value: Any) -> Any:
        """Assignment to an undeclared variable (sloppy: creates a global)."""
        self.global_object.set(name, value)
        return value

    def set_global_strict(self, name: str, value: Any) -> Any:
        """Assignment to an undeclared variable in strict code."""
        if not self.global_object.has(name):
            raise reference_error(f"{name} is not defined")
        return self.set_strict(self.global_object, name, value)

    def delete_global(self, name: str) -> bool:
        """``delete x`` for a global."""
        return self.global_object.delete(name)

    def typeof_global(self, name: str) -> str:
        """``typeof x`` for a global: no ReferenceError for a missing one."""
        if not self.global_object.has(name):
            return "undefined"
        return ops.typeof(read_global(self.global_object, name))

    # -- calls --------------------------------------------------------------------------

    def tick(self) -> None:
        """Spend one step of the budget (loops, calls and jobs)."""
        self.steps_left -= 1
        if self.steps_left < 0:
            self._next_slice()

    def call(self, f: Any, a: Any = NO_ARGUMENT, b: Any = NO_ARGUMENT, c: Any = NO_ARGUMENT,
             *more: Any) -> Any:
        """``f(...args)`` with ``this`` undefined.

        Up to three arguments arrive as plain parameters (unpassed ones are
        :data:`NO_ARGUMENT`) and go to ``fn`` in a plain call: packing them into
        a tuple and unpacking it again costs more than the rest of a call.
        Extra arguments are dropped here too; anything else (a class
        constructor, a callable object that is not a function) takes [[Call]].
        :meth:`call_method` ends the same way, written out there too: a shared
        helper would be one more Python frame per JS call, slower and a third
        less JS recursion depth.
        """
        self.steps_left -= 1
        if self.steps_left < 0:
            self.tick()
        if type(f) is JSFunction:
            limit = f.max_args
            if c is NO_ARGUMENT:
                if b is NO_ARGUMENT:
                    if a is NO_ARGUMENT:
                        if limit >= 0:
                            return f.fn(undefined)
                    elif limit >= 1:
                        return f.fn(undefined, a)
                elif limit >= 2:
                    return f.fn(undefined, a, b)
            elif limit >= 3 + len(more):
                return f.fn(undefined, a, b, c, *more)
            if limit >= 0:  # more arguments than fn takes: the extra ones are dropped
                return f.fn(undefined, *passed(a, b, c, more)[:limit])
        return call(f, undefined, *passed(a, b, c, more))

    def call_method(self, o: Any, key: Any, a: Any = NO_ARGUMENT, b: Any = NO_ARGUMENT, c: Any = NO_ARGUMENT,
                    *more: Any) -> Any:
        """``o.key(...args)`` with ``this`` = ``o``.

        The lookup of ``get``'s first fast path is written out here (a method
        call is the commonest call there is): up the chain of ordinary objects
        to the first that holds ``key`` as a data property; anything else
        (an accessor, a missing method, another kind of object) takes ``get``.
        The arguments are passed as by :meth:`call`.
        """
        self.steps_left -= 1
        if self.steps_left < 0:
            self.tick()
        f: Any = None
        if type(key) is str and type(o) in ORDINARY_TYPES:
            holder = o
            while True:
                props = holder.props
                if key in props:
                    f = props[key]
                    break
                holder = holder.proto
                if holder is None or type(holder) not in ORDINARY_TYPES:
                    break
        if type(f) is not JSFunction:
            f = self.get(o, key)
        if type(f) is JSFunction:
            limit = f.max_args
            if c is NO_ARGUMENT:
                if b is NO_ARGUMENT:
                    if a is NO_ARGUMENT:
                        if limit >= 0:
                            return f.fn(o)
                    elif limit >= 1:
                        return f.fn(o, a)
                elif limit >= 2:
                    return f.fn(o, a, b)
            elif limit >= 3 + len(more):
                return f.fn(o, a, b, c, *more)
            if limit >= 0:  # more arguments than fn takes: the extra ones are dropped
                return f.fn(o, *passed(a, b, c, more)[:limit])
        elif not is_callable(f):
            raise type_error(f"{self.describe_receiver(o)}.{key_repr(ops.to_property_key(key))} is not a function")
        return call(f, o, *passed(a, b, c, more))

    @staticmethod
    def describe_receiver(o: Any) -> str:
        """How an error message names the object a missing method was looked up on."""
        if isinstance(o, JSFunction):
            return o.name or "function"
        if isinstance(o, JSObject):
            return o.class_name.lower() if o.class_name != "Object" else "object"
        return ops.typeof(o)

    def new(self, f: Any, *args: Any) -> Any:
        """``new f(...args)``.

        A function or base class that never reads ``new.target`` and whose own
        ``prototype`` is an object is constructed here by :meth:`_construct_plain`
        (no list of the arguments, no probing); a derived class runs its code with
        itself as ``new.target``; a built-in constructor runs its hook. Every other
        case takes :meth:`construct`.
        """
        self.steps_left -= 1
        if self.steps_left < 0:
            self.tick()
        if type(f) is JSFunction:
            if f.reads_new_target is False:
                # Known False only once a construction of this "normal" or "class" function probed it.
                # A materialized function holds `prototype` in `props`, never as an accessor (it is
                # non-configurable); a lazy one has no `prototype` there yet, and takes `construct`.
                proto = f.props.get("prototype")
                if isinstance(proto, JSObject):
                    return self._construct_plain(f, proto, args)
            else:
                kind = f.kind
                if kind == "derived":
                    arity = f.arity
                    if arity is not None and len(args) > arity:
                        args = args[:arity]
                    return f.fn(f, *args)
                if kind == "native" and f.construct_hook is not None:
                    return f.construct_hook(list(args), f)  # a built-in constructor (`new Array(n)`)
        return self.construct(f, list(args), f)

    @staticmethod
    def _construct_plain(f: JSFunction, proto: JSObject, args: Sequence[Any]) -> Any:
        """[[Construct]] of a "normal" or "class" ``f`` that never reads ``new.target``: ``this`` inherits ``proto``.

        OrdinaryCreateFromConstructor, then the call; the result is what the
        code returns if that is an object, else ``this`` (ECMA-262 10.2.2).
        """
        obj = JSObject(proto)
        arity = f.arity
        if arity is not None and len(args) > arity:
            args = args[:arity]
        result = f.fn(obj, *args)
        return result if isinstance(result, JSObject) else obj

    def construct(self, f: Any, args: list[Any], new_target: Any) -> Any:
        """[[Construct]]."""
        if not isinstance(f, JSFunction):
            hook = getattr(f, "construct_hook", None)
            if hook is not None:
                return hook(args, new_target)
            raise type_error(f"{describe(f)} is not a constructor")
        kind = f.kind
        if kind == "normal" or kind == "class":
            # The common `new.target`, a materialized function: its `prototype` is an own data property.
            proto = new_target.props.get("prototype") if type(new_target) is JSFunction and not new_target.lazy else None
            if not isinstance(proto, JSObject):
                proto = self.proto_from(new_target, self.ObjectPrototype)
            reads_new_target = f.reads_new_target
            if reads_new_target is None:
                reads_new_target = f.reads_new_target = _reads_new_target(f.fn)
            if not reads_new_target:
                return self._construct_plain(f, proto, args)
            obj = JSObject(proto)
            arity = f.arity
            if arity is not None and len(args) > arity:
                args = args[:arity]
            # `new.target` inside the constructor: keyed by the fresh object, which only
            # this call can be running with as `this`.
            self.constructing[id(obj)] = (new_target, getattr(f.fn, "__code__", None))
            try:
                result = f.fn(obj, *args)
            finally:
                del self.constructing[id(obj)]
            return result if isinstance(result, JSObject) else obj
        if kind == "derived":
            arity = f.arity
            if arity is not None and len(args) > arity:
                args = args[:arity]
            return f.fn(new_target, *args)
        if f.construct_hook is not None:
            return f.construct_hook(args, new_target)
        raise type_error(f"{f.name or 'anonymous'} is not a constructor")

    def new_target_of(self, this: Any) -> Any:
        """``new.target`` of the calling function or base-class constructor (undefined when called).

        Called on entry: a function that merely runs with the object under
        construction as ``this`` (``G.call(this)``, ``this.m()``) is not the
        one being constructed, so the caller's code must be the constructor's.
        """
        entry = self.constructing.get(id(this))
        if entry is None or entry[1] is not sys._getframe(1).f_code:
            return undefined
        return entry[0]

    def construct_super(self, cls: JSFunction, new_target: Any, *args: Any) -> Any:
        """``super(...args)`` in a derived constructor: construct via the parent.

        ``cls`` is a class (its [[GetPrototypeOf]] is the ordinary one). A parent
        that is a function or base class never reading ``new.target`` is
        constructed by :meth:`_construct_plain` when ``new_target`` (materialized:
        a class, or any function once constructed) holds an object ``prototype``.
        """
        parent = cls.proto
        if isinstance(parent, JSFunction):
            if parent.reads_new_target is False and type(new_target) is JSFunction:
                proto = new_target.props.get("prototype")
                if isinstance(proto, JSObject):
                    return self._construct_plain(parent, proto, args)
            if parent.constructible:
                return self.construct(parent, list(args), new_target)
        raise type_error("Super constructor is not a constructor")

    @staticmethod
    def bind_this(value: Any, current: Callable[[], Any]) -> Any:
        """BindThisValue (ECMA-262 9.1.1.3.1) for ``super()``: ``value``, unless ``this`` is bound.

        ``current`` reads the constructor's ``this``; while unbound it raises
        NameError. A second ``super()`` throws after its parent constructor ran.
        """
        try:
            current()
        except NameError:
            return value
        raise reference_error("Super constructor may only be called once")

    def derived_result(self, value: Any, this: Callable[[], Any]) -> Any:
        """What ``return value`` in a derived constructor produces (ECMA-262 10.2.2 steps 10-12).

        ``this`` reads the constructor's ``this``, only for an undefined value: an
        object is returned even before ``super()``; while ``this`` is unbound it
        raises NameError (the ReferenceError).
        """
        if isinstance(value, JSObject):
            return value
        if value is not undefined:
            raise type_error("Derived constructors may only return object or undefined")
        return this()

    def super_get(self, cls: JSFunction, static: bool, key: Any, this: Any) -> Any:
        """``super.key`` in a class method."""
        home = cls if static else cls.get("prototype")
        proto = home.get_prototype_of() if isinstance(home, JSObject) else None
        if proto is None:
            return undefined
        return proto.get(self.key_for(proto, key), this)

    def super_set(self, cls: JSFunction, static: bool, key: Any, this: Any, value: Any) -> Any:
        """``super.key = value`` in sloppy code: [[Set]] on the home object's prototype, ``this`` the receiver.

        ECMA-262 13.3.7.3 and 6.2.5.6: the base is checked once the value is
        evaluated (a null prototype is a TypeError); a failed write is ignored.
        """
        self._super_write(cls, static, key, this, value)
        return value

    def super_set_strict(self, cls: JSFunction, static: bool, key: Any, this: Any, value: Any) -> Any:
        """``super.key = value`` in strict code (class bodies): a failed write throws TypeError."""
        if not self._super_write(cls, static, key, this, value):
            raise type_error(f"Cannot assign to read only property '{key_repr(ops.to_property_key(key))}' of object")
        return value

    def _super_write(self, cls: JSFunction, static: bool, key: Any, this: Any, value: Any) -> bool:
        home = cls if static else cls.get("prototype")
        proto = home.get_prototype_of() if isinstance(home, JSObject) else None
        if proto is None:
            raise type_error(f"Cannot set properties of null{_reading(key, 'setting')}")
        return proto.set(self.key_for(proto, key), value, this)

    @staticmethod
    def delete_super(key: Any) -> bool:
        """``delete super[key]``: always a ReferenceError, once the key is evaluated (ECMA-262 13.5.1.2)."""
        raise reference_error("Unsupported reference to 'super'")

    def super_call_method(self, cls: JSFunction, static: bool, key: Any, this: Any, *args: Any) -> Any:
        """``super.key(...args)``."""
        f = self.super_get(cls, static, key, this)
        if not is_callable(f):
            raise type_error(f"(intermediate value).{key_repr(key)} is not a function")
        return call(f, this, *args)

    # -- function objects ----------------------------------------------------------------

    def _function(self, py: Callable[..., Any], name: str, length: int | None, kind: str,
                  fn: Callable[..., Any] | None = None,
                  prototype_proto: JSObject | None = None, proto: JSObject | None = None) -> JSFunction:
        arity = _arity(py)
        f = JSFunction(proto or self.FunctionPrototype, fn or py, name, length if length is not None else (arity or 0),
                       kind, prototype_proto=prototype_proto)
        f.set_arity(arity)
        return f

    def function(self, py: Callable[..., Any], name: str = "", length: int | None = None,
                 strict: bool = False) -> JSFunction:
        """A ``function`` (callable and constructible); a sloppy one has own ``caller``/``arguments``."""
        f = self._function(py, name, length, "normal", prototype_proto=self.ObjectPrototype)
        f.strict = strict
        return f

    def arrow(self, py: Callable[..., Any], name: str = "", length: int | None = None) -> JSFunction:
        """An arrow function."""
        return self._function(py, name, length, "arrow")

    def method(self, py: Callable[..., Any], name: str = "", length: int | None = None) -> JSFunction:
        """An object-literal method (not constructible)."""
        return self._function(py, name, length, "method")

    def async_function(self, py: Callable[..., Any], name: str = "", length: int | None = None) -> JSFunction:
        """An ``async function``: calling it returns a promise."""
        start = self.intrinsics["start_async"]
        reject = self.intrinsics["reject_promise"]
        new_promise = self.intrinsics["new_promise"]

        def call(this: Any, *args: Any) -> Any:
            # An async body with no `await` is a plain Python function: what it throws
            # (a parameter default included) rejects the promise, as a suspending body's does.
            try:
                body = py(this, *args)
            except self.Catchable as exc:
                promise = new_promise()
                reject(promise, self.caught(exc))
                return promise
            return start(body)

        return self._function(py, name, length, "async", fn=call, proto=self.intrinsics["AsyncFunction.prototype"])

    async_arrow = async_function
    async_method = async_function

    @staticmethod
    def binds_parameters_at_call(py: _F) -> _F:
        """Mark the ``def`` of a generator whose parameters run code (defaults, patterns).

        Its body binds them, then yields :data:`PARAMETERS_BOUND`; calling the
        generator function runs it that far, so what binding throws is thrown by the
        call (FunctionDeclarationInstantiation, ES2025 10.2.11, runs before the first
        ``next()``: EvaluateGeneratorBody 15.5.2, EvaluateAsyncGeneratorBody 15.6.2).
        """
        setattr(py, "binds_parameters_at_call", True)
        return py

    @staticmethod
    def generator_body(py: Callable[..., Any], this: Any, args: tuple[Any, ...]) -> Any:
        """The Python generator of a call of a generator function, its parameters bound if marked so."""
        gen = py(this, *args)
        if getattr(py, "binds_parameters_at_call", False):
            next(gen)  # stops at its `yield rt.PARAMETERS_BOUND`, or raises what binding threw
        return gen

    def generator_function(self, py: Callable[..., Any], name: str = "", length: int | None = None) -> JSFunction:
        """A ``function*``: calling it returns a generator object."""
        f = self._function(py, name, length, "generator", prototype_proto=self.GeneratorPrototype,
                           proto=self.intrinsics["GeneratorFunction.prototype"])

        def start(this: Any, *args: Any) -> JSGenerator:
            gen = self.generator_body(py, this, args)
            proto = f.get("prototype")  # read after binding the parameters, which may change it
            self.track_generator(gen)
            return JSGenerator(proto if isinstance(proto, JSObject) else self.GeneratorPrototype, gen)

        f.fn = start
        return f

    def generator_method(self, py: Callable[..., Any], name: str = "", length: int | None = None) -> JSFunction:
        """A generator method."""
        return self.generator_function(py, name, length)

    def make_class(self, name: str, ctor: Callable[..., Any] | None, parent: Any,
                   members: list[tuple[Any, ...]], has_parent: bool = False) -> JSFunction:
        """A class constructor with its methods and accessors.

        ``members`` are ``(kind, key, def)``, or ``(kind, key, def, length)`` when the
        method's ``length`` is not its Python parameter count (defaults, rest).
        """
        derived = parent is not None or has_parent
        if derived:
            if parent is None:
                proto_parent, ctor_parent = None, self.FunctionPrototype
            elif isinstance(parent, JSFunction) and parent.constructible:
                pp = parent.get("prototype")
                if not isinstance(pp, JSObject) and pp is not None:
                    raise type_error("Class extends value does not have valid prototype property")
                proto_parent, ctor_parent = pp, parent
            else:
                raise type_error(f"Class extends value {describe(parent)} is not a constructor or null")
        else:
            proto_parent, ctor_parent = self.ObjectPrototype, self.FunctionPrototype
        if ctor is None:
            if derived:
                def default_derived(new_target: Any, *args: Any) -> Any:
                    return self.construct_super(cls, new_target, *args)
                ctor = default_derived
            else:
                def default_base(this: Any) -> Any:
                    return undefined
                ctor = default_base
        cls = JSFunction(ctor_parent, ctor, name, 0, "derived" if derived else "class")
        cls.set_arity(_arity(ctor))
        cls.nargs = max(cls.arity or 0, 0)
        cls.lazy = False
        cls.write_slot("length", cls.nargs, CONFIGURABLE)
        cls.write_slot("name", name, CONFIGURABLE)
        prototype = JSObject(proto_parent)
        prototype.write_slot("constructor", cls, HIDDEN)
        cls.write_slot("prototype", prototype, 0)
        for member in members:
            kind, key, py = member[0], member[1], member[2]
            if kind.endswith("field"):
                continue  # listed for its computed key's place in evaluation order; set per instance
            # A 4th item is the `length` when defaults or a rest make it differ from the def's arity.
            length = member[3] if len(member) > 3 else None
            static = kind.startswith("static ")
            kind = kind[7:] if static else kind
            target: JSObject = cls if static else prototype
            key = self.key_for(target, key)
            if static and key == "prototype":
                # DefinePropertyOrThrow on the non-configurable `prototype` fails (a computed key).
                raise type_error("Classes may not have a static property named 'prototype'")
            label = function_name(key)
            if kind in ("get", "set"):
                fn = self._function(py, function_name(key, kind), length, "method")
                slot = target.get_own_slot(key)
                accessor = slot if type(slot) is Accessor else Accessor()
                if kind == "get":
                    accessor.get = fn
                else:
                    accessor.set = fn
                target.write_slot(key, accessor, CONFIGURABLE)
                continue
            helper = {"method": self.method, "async method": self.async_method,
                      "generator method": self.generator_method,
                      "async generator method": self.async_generator_method}[kind]
            target.write_slot(key, helper(py, label, length), HIDDEN)
        return cls

    def arguments(self, args: tuple[Any, ...]) -> JSArguments:
        """The unmapped ``arguments`` object of a call (CreateUnmappedArgumentsObject, ECMA-262 10.4.4.6)."""
        a = JSArguments(self.ObjectPrototype, list(args))
        a.write_slot(SYM_ITERATOR, self.intrinsics["ArrayValues"], HIDDEN)
        thrower = self.intrinsics["ThrowTypeError"]
        a.write_slot("callee", Accessor(thrower, thrower), 0)
        return a

    def mapped_arguments(self, args: tuple[Any, ...], names: tuple[str, ...],
                         variables: Callable[[], Any]) -> JSMappedArguments:
        """The mapped ``arguments`` of a sloppy function with simple parameters ``names``.

        ``variables`` is a closure over the parameters: its cells are the
        variables themselves, so the object and the parameters share them.
        """
        cells = dict(zip(variables.__code__.co_freevars, variables.__closure__ or ()))
        mapped: dict[str, Any] = {}
        for index, name in enumerate(names[:len(args)]):
            if name not in names[index + 1:]:  # of duplicate names the last one is the variable
                mapped[str(index)] = cells[name]
        a = JSMappedArguments(self.ObjectPrototype, args, mapped)
        a.write_slot(SYM_ITERATOR, self.intrinsics["ArrayValues"], HIDDEN)
        return a

    def sloppy_arguments(self, args: tuple[Any, ...]) -> JSMappedArguments:
        """The ``arguments`` of a sloppy function without parameters (CreateMappedArgumentsObject,
        ECMA-262 10.4.4.7, with no parameter to map)."""
        return self.mapped_arguments(args, (), _no_variables)

    @staticmethod
    def unpack_args(args: tuple[Any, ...], n: int) -> tuple[Any, ...]:
        """The first ``n`` arguments, padded with undefined."""
        if len(args) >= n:
            return args[:n]
        return args + (undefined,) * (n - len(args))

    def rest_args(self, args: tuple[Any, ...], n: int) -> JSArray:
        """``...rest`` after ``n`` parameters."""
        return self.new_array(list(args[n:]))

    def sloppy_this(self, this: Any) -> Any:
        """``this`` in sloppy functions: the global object for undefined/null, primitives boxed."""
        if this is undefined or this is None:
            return self.global_object
        if not isinstance(this, JSObject):
            return self.to_object(this)
        return this

    # -- small expression helpers ---------------------------------------------------------------

    @staticmethod
    def post(old: Any, _new: Any) -> Any:
        """The value of ``x++``: the old value as a number."""
        return ops.to_number(old)

    @staticmethod
    def reference_key(base: Any, key: Any) -> Any:
        """The key of ``base[key] op= v``: converted once, after the base is checked (GetValue, ECMA-262 6.2.5.5)."""
        if base is None or base is undefined:
            raise type_error(f"Cannot read properties of {describe(base)}{_reading(key)}")
        return ops.to_property_key(key)

    def update(self, o: Any, key: Any, delta: int, prefix: bool) -> Any:
        """``o[key]++`` and friends."""
        if isinstance(o, JSObject):
            key = self.key_for(o, key)
        old = ops.to_number(self.get(o, key))
        new = self.add(old, delta)
        self.set(o, key, new)
        return new if prefix else old

    def script_globals(self, names: dict[str, str], variables: Callable[[], Any],
                       functions: tuple[str, ...] = (), direct: dict[str, str] | None = None) -> None:
        """Make a script's top-level ``var``s and functions properties of the global object.

        See :meth:`GlobalObject.link_script_bindings`: each property reads and
        writes the script's own variable. ``direct`` maps the functions the
        script calls directly (their ``def``, not ``rt.call``) to the variable
        holding that ``def``: once something replaces such a function through
        the global object, the variable holds a forwarder that calls whatever the
        binding holds then, as ``rt.call`` would.
        """
        self.global_object.link_script_bindings(names, variables, frozenset(functions), direct or {},
                                                self._forwarder)

    def _forwarder(self, binding: Any) -> Callable[..., Any]:
        """What a direct call of a replaced script function calls: ``rt.call`` of the binding's value."""
        def forward(this: Any, *args: Any) -> Any:
            return self.call(binding.cell_contents, *args)
        return forward

    @staticmethod
    def uninitialized(name: str, *evaluated: Any) -> Any:
        """A read of (or, after its value ``evaluated``, a write to) a binding in its TDZ: a ReferenceError.

        Used where the TDZ is known when transpiling: a parameter default that
        names a later parameter (ECMA-262 10.2.11 initialises parameters in order).
        """
        raise reference_error(f"Cannot access '{name}' before initialization")

    @staticmethod
    def assign_const(value: Any, name: str) -> Any:
        """Assignment to a ``const``."""
        raise type_error("Assignment to constant variable.")

    def template(self, *parts: Any) -> str:
        """A template literal: parts joined after ToString."""
        out = "".join(p if type(p) is str else ops.to_string(p) for p in parts)
        return self.check_string(out)

    def template_object(self, cooked: tuple[str, ...], raw: tuple[str, ...]) -> JSArray:
        """The frozen strings array a tag function receives (one per call site)."""
        key = (cooked, raw)
        cached = self.template_cache.get(key)
        if cached is None:
            raw_array = self.new_array(list(raw))
            cached = self.new_array(list(cooked))
            cached.write_slot("raw", raw_array, 0)
            self.intrinsics["freeze"](raw_array)
            self.intrinsics["freeze"](cached)
            self.template_cache[key] = cached
        return cached

    def regexp(self, source: str, flags: str) -> JSObject:
        """A regular expression literal."""
        make: Callable[[str, str], JSObject] = self.intrinsics["make_regexp"]
        return make(source, flags)

    # -- destructuring and iteration ----------------------------------------------------------

    def array_is_plain(self, a: JSArray) -> bool:
        """Whether iterating ``a`` may skip the iterator protocol and read ``items`` (nothing overridden).

        An array with attribute flags (an accessor element, a frozen element)
        takes the protocol: its ``items`` may hold accessors.
        """
        return (
            a.flags is None
            and a.proto is self.ArrayPrototype
            and SYM_ITERATOR not in a.props
            and self.ArrayPrototype.props.get(SYM_ITERATOR) is self.intrinsics["ArrayValues"]
            and self.intrinsics["ArrayIteratorPrototype"].props.get("next") is self.intrinsics["ArrayIteratorNext"]
        )

    def spread(self, value: Any) -> list[Any]:
        """The items of an iterable, as a list (``...value``)."""
        if type(value) is JSArray and self.array_is_plain(value):
            items = value.items
            if HOLE in items:
                return [value.get(i) if v is HOLE else v for i, v in enumerate(items)]
            return list(items)
        return list(self.iterate(value))

    def unpack(self, value: Any, n: int, rest: bool = False) -> list[Any]:
        """Array destructuring: the first ``n`` items (and the rest as an array)."""
        if type(value) is JSArray and self.array_is_plain(value):
            items = value.items
            if HOLE in items:
                items = [value.get(i) if v is HOLE else v for i, v in enumerate(items)]
            out = items[:n]
            if len(out) < n:
                out.extend([undefined] * (n - len(out)))
            if rest:
                out.append(self.new_array(items[n:]))
            return out
        if value is None or value is undefined:
            raise type_error(f"{describe(value)} is not iterable")
        iterator = self._iterate_protocol(value) if type(value) is not str else self._iterate_string(value)
        out = []
        for _ in range(n):
            out.append(next(iterator, undefined))
        if rest:
            out.append(self.new_array(list(iterator)))
        else:
            iterator.close()
        return out

    def require_object_coercible(self, value: Any) -> None:
        """Object destructuring of null/undefined throws."""
        if value is None or value is undefined:
            raise type_error(f"Cannot destructure '{describe(value)}' as it is {describe(value)}.")

    def rest_object(self, source: Any, keys: list[Any]) -> JSObject:
        """``{a, ...rest}``: the remaining own enumerable properties."""
        o = self.new_object()
        excluded = {self.key_for(o, k) for k in keys}
        self.copy_data_properties(o, source, excluded)
        return o

    def get_iterator(self, value: Any) -> JSObject:
        """GetIterator(value, sync)."""
        method = self.get(value, SYM_ITERATOR) if value is not None and value is not undefined else undefined
        if not is_callable(method):
            raise type_error(f"{describe(value)} is not iterable")
        iterator = call(method, value)
        if not isinstance(iterator, JSObject):
            raise type_error("Result of the Symbol.iterator method is not an object")
        return iterator

    def iterate(self, value: Any) -> Iterator[Any]:
        """A Python iterator over a JS iterable (for-of, spread); closes it on early exit."""
        if type(value) is JSArray and self.array_is_plain(value):
            return self._iterate_array(value)
        if type(value) is str:
            return self._iterate_string(value)
        return self._iterate_protocol(value)

    def _iterate_array(self, a: JSArray) -> Iterator[Any]:
        items = a.items
        i = 0
        while i < len(items):
            self.tick()
            v = items[i]
            # A hole reads through to the prototype chain, as an index lookup does.
            yield a.get(i) if v is HOLE else v
            i += 1

    def _iterate_string(self, s: str) -> Generator[str, None, None]:
        i, n = 0, len(s)
        while i < n:
            self.tick()
            c = s[i]
            if "\ud800" <= c <= "\udbff" and i + 1 < n and "\udc00" <= s[i + 1] <= "\udfff":
                yield s[i : i + 2]
                i += 2
            else:
                yield c
                i += 1

    def _iterate_protocol(self, value: Any) -> Generator[Any, None, None]:
        if value is None or value is undefined:
            raise type_error(f"{describe(value)} is not iterable")
        method = self.get(value, SYM_ITERATOR)
        if not is_callable(method):
            raise type_error(f"{describe(value)} is not iterable")
        return self.iterate_with_method(value, method)

    def iterate_with_method(self, value: Any, method: Any) -> Generator[Any, None, None]:
        """The iterator protocol over ``value`` with its ``@@iterator`` method already read.

        Leaving early (``break``, an exception in the consumer) closes the
        iterator (IteratorClose; the original error wins over one from
        ``return``); an iterator that fails itself is not closed.
        """
        iterator = call(method, value)
        if not isinstance(iterator, JSObject):
            raise type_error("Result of the Symbol.iterator method is not an object")
        next_method = iterator.get("next")
        done = False
        try:
            while True:
                self.tick()
                result = call(next_method, iterator)
                if not isinstance(result, JSObject):
                    raise type_error(f"Iterator result {describe(result)} is not an object")
                if ops.truthy(result.get("done")):
                    done = True
                    return
                yield result.get("value")
        except GeneratorExit:
            done = True
            self._close_iterator(iterator, suppress=True)
            raise
        except BaseException:
            done = True
            raise
        finally:
            if not done:
                self._close_iterator(iterator, suppress=False)

    def _close_iterator(self, iterator: JSObject, suppress: bool) -> None:
        ret = iterator.get("return")
        if ret is undefined or ret is None:
            return
        try:
            call(ret, iterator)
        except self.Catchable:
            if not suppress:
                raise

    def for_in(self, value: Any) -> Iterator[str]:
        """The keys ``for (k in value)`` visits: enumerable string keys up the prototype chain."""
        if value is None or value is undefined:
            return
        o: JSObject | None = self.to_object(value)
        seen: set[Any] = set()
        while o is not None:
            for key in o.own_keys():
                if type(key) is not str or key in seen:
                    continue
                seen.add(key)
                desc = o.get_own_property(key)
                if desc is None or not desc.enumerable:
                    continue
                self.tick()
                yield key
            o = o.get_prototype_of()

    def delegate(self, iterable: Any) -> Any:
        """``yield* iterable`` inside a generator (a Python generator to ``yield from``)."""
        iterator = self.get_iterator(iterable)
        next_method = iterator.get("next")
        received: Any = undefined
        while True:
            result = call(next_method, iterator, received)
            if not isinstance(result, JSObject):
                raise type_error("Iterator result is not an object")
            if ops.truthy(result.get("done")):
                return result.get("value")
            try:
                received = yield result.get("value")
            except GeneratorReturn as signal:
                ret = iterator.get("return")
                if ret is undefined or ret is None:
                    raise
                outcome = call(ret, iterator, signal.value)
                if ops.truthy(self.get(outcome, "done")):
                    raise GeneratorReturn(self.get(outcome, "value")) from None
                received = undefined
            except JSThrow as exc:
                thrower = iterator.get("throw")
                if thrower is undefined or thrower is None:
                    self._close_iterator(iterator, suppress=True)
                    raise type_error("The iterator does not provide a 'throw' method") from None
                outcome = call(thrower, iterator, self.caught(exc))
                if ops.truthy(self.get(outcome, "done")):
                    return self.get(outcome, "value")
                received = undefined

    # -- errors ---------------------------------------------------------------------------

    def error(self, kind: str, message: str) -> JSThrow:
        """A JS error of ``kind`` to raise (created now, with the current JS stack)."""
        return JSThrow(self.make_error(kind, message, sys._getframe(1)))

    def make_error(self, kind: str, message: str, frame: types.FrameType | None = None,
                   tb: types.TracebackType | None = None) -> JSError:
        """An Error object of ``kind`` with ``message`` and a JS ``stack``."""
        proto = self.intrinsics.get(kind + ".prototype", self.intrinsics["Error.prototype"])
        err = JSError(proto)
        if message:
            err.write_slot("message", message, HIDDEN)
        header = f"{kind}: {message}" if message else kind
        stamp_stack(err, header, js_stack(tb, frame or sys._getframe(1), self.filename))
        return err

    def caught(self, exc: BaseException) -> Any:
        """The JS value a ``catch`` clause binds for a Python exception."""
        if isinstance(exc, JSThrow):
            if exc.value is MISSING:
                exc.value = self.make_error(exc.kind, exc.message, sys._getframe(1), exc.__traceback__)
            return exc.value
        if isinstance(exc, RecursionError):
            return self.make_error("RangeError", "Maximum call stack size exceeded", sys._getframe(1),
                                   exc.__traceback__)
        if isinstance(exc, NameError):
            name = getattr(exc, "name", None) or (str(exc).split("'")[1] if str(exc).count("'") >= 2 else None)
            return self.make_error("ReferenceError", f"Cannot access '{js_name_of(name)}' before initialization",
                                   sys._getframe(1), exc.__traceback__)
        raise exc

    def random(self) -> float:
        """``Math.random()``: the task's seeded generator."""
        return self.rng.random()

    def now(self) -> float:
        """The current time in ms since the epoch (``Date.now()``), through the clock hook."""
        return float(self.clock())

    def record_console(self, level: str, text: str) -> None:
        """Keep one line of console output (bounded by ``max_console_bytes``)."""
        if len(text) > MAX_CONSOLE_LINE:
            text = text[:MAX_CONSOLE_LINE] + f"... [{len(text) - MAX_CONSOLE_LINE} more characters]"
        size = len(text.encode("utf-8", "surrogatepass"))
        if self.console_bytes + size > self.limits.max_console_bytes:
            if self.console_output and self.console_output[-1].get("truncated"):
                return
            self.console_output.append({"level": "warn", "message": "[console output truncated]", "truncated": True})
            return
        self.console_bytes += size
        self.console_output.append({"level": level, "message": text})

    def number_to_string(self, v: float | int) -> str:
        """JS number formatting (for built-ins)."""
        return number_to_string(v)

    # Intrinsic prototypes, assigned by the built-in installers.
    ArrayPrototype: JSObject
    StringPrototype: JSObject
    NumberPrototype: JSObject
    BooleanPrototype: JSObject
    SymbolPrototype: JSObject
    GeneratorPrototype: JSObject
    IteratorPrototype: JSObject
    PromisePrototype: JSObject
