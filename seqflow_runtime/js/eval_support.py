"""``eval``: code transpiled at run time in the same realm, sandbox and limits.

Indirect eval (``(0, eval)(src)``, ``globalThis.eval``, any call of ``eval``
not written ``eval(...)``) runs ``src`` as a global script: its sloppy ``var``
and function declarations become configurable properties of the global
object. A direct ``eval(src)`` runs ``src`` in its caller's scope: the code
generator passes an :class:`EvalScope` that reads and writes the caller's
bindings by name (ECMA-262 19.2.1 ``eval``, 19.2.1.1 PerformEval, 19.2.1.3
EvalDeclarationInstantiation). The transpile is cached (bounded) and
deterministic, so replaying a task repeats it exactly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from . import ops
from .builtins.deferred import later
from .globals import read_global
from .values import (
    CONFIGURABLE,
    ENUMERABLE,
    MISSING,
    SYM_UNSCOPABLES,
    WRITABLE,
    Accessor,
    JSObject,
    call,
    reference_error,
    undefined,
)

if TYPE_CHECKING:
    from .runtime import Runtime


class _Unset:
    """The ``value`` an accessor gets when it is asked to read, not write."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "unset"


UNSET = _Unset()
#: The accessor a direct eval site compiles: ``accessor(name)`` reads, ``accessor(name, v)`` writes.
ScopeAccessor = Callable[..., Any]


class EvalScope:
    """What a direct ``eval``'s code can see of its caller.

    Names are looked up in the caller's bindings (``names``, through
    ``accessor``), then in the ``var``s sloppy eval code declared in the
    caller's function (``vars``), then in the scope of the eval code the
    caller itself is part of (``parent``); the globals come last.
    """

    __slots__ = ("rt", "accessor", "names", "this", "new_target", "vars", "parent", "strict",
                 "in_function", "withs", "in_parameters", "own", "in_initialiser")

    def __init__(self, rt: "Runtime", accessor: ScopeAccessor, names: tuple[str, ...], this: Any,
                 new_target: Any, vars: dict[str, Any] | None, parent: "EvalScope | None",
                 strict: bool, in_function: bool, withs: tuple[JSObject, ...] = (),
                 in_parameters: bool = False, own: int | None = None, in_initialiser: bool = False) -> None:
        self.rt = rt
        #: The eval is in a class field initialiser or static block: it may not name ``arguments``.
        self.in_initialiser = in_initialiser
        #: The eval is in a function's parameter list: it may not declare ``var arguments``.
        self.in_parameters = in_parameters
        #: The objects of the ``with`` statements around the call, innermost first.
        self.withs = withs
        self.accessor = accessor
        self.names = frozenset(names)
        #: The caller function's own bindings (the first names): an eval ``var`` shadows only the others.
        self.own = self.names if own is None else frozenset(names[:own])
        self.this = this
        self.new_target = new_target
        self.vars = vars
        self.parent = parent
        self.strict = strict
        self.in_function = in_function

    def lookup(self, name: str) -> Any:
        """The value of ``name`` in the caller's scope, or ``MISSING`` (then it is a global)."""
        scope: EvalScope | None = self
        while scope is not None:
            for obj in scope.withs:
                if self.rt.with_has(obj, name):
                    return obj.get(name)
            if name in scope.own:
                return scope.accessor(name)
            if scope.vars is not None and name in scope.vars:
                return scope.vars[name]
            if name in scope.names:
                return scope.accessor(name)
            scope = scope.parent
        return MISSING

    def assign(self, name: str, value: Any) -> bool:
        """Assign ``name`` in the caller's scope; False when it is not there (a global)."""
        scope: EvalScope | None = self
        while scope is not None:
            for obj in scope.withs:
                if self.rt.with_has(obj, name):
                    self.rt.set(obj, name, value)
                    return True
            if name in scope.own:
                scope.accessor(name, value)
                return True
            if scope.vars is not None and name in scope.vars:
                scope.vars[name] = value
                return True
            if name in scope.names:
                scope.accessor(name, value)
                return True
            scope = scope.parent
        return False

    def delete(self, name: str) -> bool:
        """``delete name`` in eval code: true for an eval-declared ``var`` (removed), false for a binding."""
        scope: EvalScope | None = self
        while scope is not None:
            if any(self.rt.with_has(obj, name) for obj in scope.withs):
                return self.rt.delete(next(o for o in scope.withs if self.rt.with_has(o, name)), name)
            if name in scope.names:
                return False
            if scope.vars is not None and name in scope.vars:
                del scope.vars[name]
                return True
            scope = scope.parent
        return True

    def declare(self, name: str, value: Any = UNSET) -> None:
        """A sloppy eval code ``var`` (or function, with its ``value``) in the caller's variable environment.

        A name the caller already binds is that binding; otherwise the ``var``
        joins the caller function's eval ``var``s, or at the top level the
        global object.
        """
        if name == "arguments" and self.in_parameters:
            raise self.rt.error("SyntaxError", "eval in a parameter list cannot declare 'arguments'")
        scope: EvalScope = self
        while True:
            if name in (scope.names if scope.vars is None else scope.own):
                if value is not UNSET:
                    scope.accessor(name, value)
                return
            if scope.vars is not None:
                if value is not UNSET:
                    scope.vars[name] = value
                else:
                    scope.vars.setdefault(name, undefined)
                return
            if scope.parent is None:
                self.rt.declare_global(name, value)
                return
            scope = scope.parent


class EvalSupport:
    """The runtime helpers generated code calls for ``eval`` (mixed into ``Runtime``)."""

    unset = UNSET

    def eval_scope(self, accessor: ScopeAccessor, names: tuple[str, ...], this: Any, new_target: Any,
                   vars: dict[str, Any] | None, parent: EvalScope | None, strict: bool,
                   in_function: bool, withs: tuple[JSObject, ...] = (),
                   in_parameters: bool = False, own: int | None = None,
                   in_initialiser: bool = False) -> EvalScope:
        """The scope a direct ``eval`` at one call site sees (``withs``: the ``with`` objects around it)."""
        return EvalScope(self, accessor, names, this, new_target, vars, parent,  # type: ignore[arg-type]
                         strict, in_function, withs, in_parameters, own, in_initialiser)

    def eval_call(self: "Runtime", callee: Any, scope: EvalScope, *args: Any) -> Any:  # type: ignore[misc]
        """``eval(...)`` as written: a direct eval when ``eval`` is this realm's own (19.2.1.1)."""
        if callee is not self.intrinsics["eval"]:
            return self.call(callee, *args)
        source = args[0] if args else undefined
        if type(source) is not str:
            return source
        return self.run_eval(source, "direct", scope.strict, scope)

    def run_eval(self: "Runtime", source: str, mode: str, strict: bool,  # type: ignore[misc]
                 scope: EvalScope | None = None) -> Any:
        """Transpile and run eval code; a SyntaxError in it is a catchable JS ``SyntaxError``."""
        from seqflow_transpile import SeqflowError, contains_arguments, transpile_eval

        from .execute import run_nested

        if len(source) > self.limits.max_source_bytes:
            raise self.error("RangeError", f"eval source longer than {self.limits.max_source_bytes} characters")
        try:
            program = transpile_eval(source, mode, strict)
        except SeqflowError as exc:
            raise self.error("SyntaxError", getattr(exc, "description", None) or str(exc)) from None
        if scope is not None and scope.in_initialiser and contains_arguments(source):
            raise self.error("SyntaxError", "'arguments' is not allowed in class field initializer or static "
                             "initialization block")
        return run_nested(self, program, *(() if scope is None else (scope,)))

    def declare_global(self: "Runtime", name: str, value: Any = UNSET) -> None:  # type: ignore[misc]
        """A global ``var`` (or function, with its ``value``) of sloppy eval code.

        CanDeclareGlobalVar/Function, then CreateGlobalVar/FunctionBinding with
        ``deletable`` true (9.1.1.4.15-18): a new binding is configurable; a
        function may replace a configurable property, or update a writable,
        enumerable data property; anything else is a TypeError.
        """
        g = self.global_object
        slot = g.get_own_slot(name)
        if slot is MISSING:
            if not g.is_extensible():
                raise self.error("TypeError", f"Cannot declare global variable '{name}'")
            g.put(name, undefined if value is UNSET else value)
            return
        if value is UNSET:
            return
        flags = g.own_flags(name)
        if flags & CONFIGURABLE:
            g.remove_slot(name)
            g.put(name, value)
        elif type(slot) is not Accessor and flags & WRITABLE and flags & ENUMERABLE:
            g.set(name, value)
        else:
            raise self.error("TypeError", f"Cannot redefine global function '{name}'")

    # -- free names in code a sloppy direct eval may have declared ``var``s for ---------------

    def read_var(self: "Runtime", envs: tuple[Any, ...], name: str) -> Any:  # type: ignore[misc]
        """A free name: the eval ``var`` dicts and eval scopes in ``envs`` first, then the globals."""
        for env in envs:
            if type(env) is dict:
                if name in env:
                    return env[name]
            else:
                value = env.lookup(name)
                if value is not MISSING:
                    return value
        return read_global(self.global_object, name)

    def write_var(self: "Runtime", envs: tuple[Any, ...], name: str, value: Any,  # type: ignore[misc]
                  strict: bool) -> Any:
        """Assignment to a free name (see :meth:`read_var`)."""
        for env in envs:
            if type(env) is dict:
                if name in env:
                    env[name] = value
                    return value
            elif env.assign(name, value):
                return value
        return self.set_global_strict(name, value) if strict else self.set_global(name, value)

    def delete_var(self: "Runtime", envs: tuple[Any, ...], name: str) -> bool:  # type: ignore[misc]
        """``delete x`` of a free name: an eval-declared ``var`` can be deleted, a binding cannot."""
        for env in envs:
            if type(env) is dict:
                if name in env:
                    del env[name]
                    return True
            elif env.lookup(name) is not MISSING:
                deleted: bool = env.delete(name)
                return deleted
        return self.delete_global(name)

    def typeof_var(self: "Runtime", envs: tuple[Any, ...], name: str) -> str:  # type: ignore[misc]
        """``typeof`` of a free name: no ReferenceError when it is nowhere."""
        for env in envs:
            value = env.get(name, MISSING) if type(env) is dict else env.lookup(name)
            if value is not MISSING:
                return ops.typeof(value)
        return self.typeof_global(name)


class WithSupport:
    """The runtime helpers of the ``with`` statement (mixed into ``Runtime``)."""

    def with_object(self: "Runtime", value: Any) -> JSObject:  # type: ignore[misc]
        """``with (value)``: ToObject (a TypeError for null and undefined; 14.11.2)."""
        return self.to_object(value)

    def with_has(self: "Runtime", obj: JSObject, name: str) -> bool:  # type: ignore[misc]
        """HasBinding of an object environment record (9.1.1.2.1): a property not in ``@@unscopables``."""
        if not obj.has(name):
            return False
        unscopables = obj.get(SYM_UNSCOPABLES)
        return not (isinstance(unscopables, JSObject) and ops.truthy(unscopables.get(name)))

    def with_get(self: "Runtime", obj: JSObject, name: str, strict: bool) -> Any:  # type: ignore[misc]
        """GetBindingValue of an object environment (9.1.1.2.6): gone since resolution → undefined,
        or a ReferenceError in strict code."""
        if not obj.has(name):
            if strict:
                raise reference_error(f"{name} is not defined")
            return undefined
        return obj.get(name)

    def with_set(self: "Runtime", obj: JSObject, name: str, value: Any,  # type: ignore[misc]
                 strict: bool) -> Any:
        """SetMutableBinding of an object environment (9.1.1.2.5)."""
        if not obj.has(name) and strict:
            raise reference_error(f"{name} is not defined")
        return self.set_strict(obj, name, value) if strict else self.set(obj, name, value)

    def with_update(self: "Runtime", obj: JSObject, name: str, delta: int, prefix: bool,  # type: ignore[misc]
                    strict: bool) -> Any:
        """``x++``/``--x``... of a name that resolved to a ``with`` object's property."""
        old = ops.to_numeric(self.with_get(obj, name, strict))
        new = ops.inc(old) if delta > 0 else ops.dec(old)
        self.with_set(obj, name, new, strict)
        return new if prefix else old

    def call_this(self: "Runtime", f: Any, this: Any, *args: Any) -> Any:  # type: ignore[misc]
        """``f(...args)`` with an explicit ``this`` (a function found on a ``with`` object)."""
        self.tick()
        return call(f, this, *args)


def install(rt: "Runtime") -> None:
    """The global ``eval`` function; called indirectly it runs its argument as a global script."""
    from .values import HIDDEN

    def eval_(this: Any, x: Any = undefined) -> Any:
        if type(x) is not str:
            return x
        return rt.run_eval(x, "global", False)

    fn = rt.native(eval_, "eval", 1)
    rt.intrinsics["eval"] = fn
    rt.global_object.put("eval", fn, HIDDEN)
    # Made with Array.prototype's other properties, when a script first looks at it.
    later(rt.ArrayPrototype, lambda: install_array_unscopables(rt))


#: The Array methods ES2015+ added, hidden from ``with`` so older code keeps its names (23.1.3.41).
ARRAY_UNSCOPABLES = ("at", "copyWithin", "entries", "fill", "find", "findIndex", "findLast",
                     "findLastIndex", "flat", "flatMap", "includes", "keys", "toReversed", "toSorted",
                     "toSpliced", "values")


def install_array_unscopables(rt: "Runtime") -> None:
    """``Array.prototype[Symbol.unscopables]``: a null-prototype object only ``with`` reads."""
    table = JSObject(None)
    for name in ARRAY_UNSCOPABLES:
        table.put(name, True)
    rt.ArrayPrototype.write_slot(SYM_UNSCOPABLES, table, CONFIGURABLE)


__all__ = ["EvalScope", "EvalSupport", "UNSET", "WithSupport", "install"]
