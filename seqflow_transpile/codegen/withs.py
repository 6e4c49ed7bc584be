"""The ``with`` statement (sloppy mode; ECMA-262 14.11, object environment records).

The object is held in a temporary; a name inside the body that is not
declared inside it is looked up on the object first (``rt.with_has`` is
HasProperty minus ``Symbol.unscopables``), then where it would be without
``with``. Only code inside a ``with`` pays::

    with (o) { x = f(y) }
    →   _with1 = rt.with_object(o)
        rt.with_set(_with1, 'x', ..., False) if rt.with_has(_with1, 'x') else (x := ...)

A function called by a name the object has gets the object as ``this``.
"""

from __future__ import annotations

import ast
import copy
from typing import Any, Callable

from .. import pyast as P
from .base import GenBase


class WithGen(GenBase):
    """Translation of ``with`` and of the names its body reads, writes and calls."""

    def s_WithStatement(self, node: Any) -> list[ast.stmt]:
        """``with (obj) body``: the object in a temporary, then the body."""
        held = self.temp("with")
        self.a.with_objects[id(node)] = held
        out: list[ast.stmt] = [P.assign(held, P.rt_call("with_object", self.expr(node.object)))]
        out.extend(self.block(node.body))  # type: ignore[attr-defined]
        return out

    def _checks(self, ident: Any) -> list[str]:
        """The temporaries of the ``with`` objects ``ident`` looks through, innermost first."""
        return [self.a.with_objects[id(w)] for w in self.a.with_refs.get(id(ident), ())]

    @staticmethod
    def _has(held: str, name: str) -> ast.expr:
        return P.rt_call("with_has", P.name(held), P.const(name))

    def with_levels(self, ident: Any, plain: ast.expr, make: Callable[[ast.expr], ast.expr]) -> ast.expr:
        """``make(object)`` for the innermost ``with`` object that has ``ident``, else ``plain``.

        Each level's test runs once (a name is resolved once per reference,
        even for ``x++``); ``make`` is called once per level, so a value built
        from the JS source is copied, never shared between branches.
        """
        for held in reversed(self._checks(ident)):
            plain = ast.IfExp(test=self._has(held, ident.name), body=make(P.name(held)), orelse=plain)
        return plain

    def with_read(self, ident: Any, plain: ast.expr) -> ast.expr:
        """A name read inside ``with``: the object's property when it has one."""
        return self.with_levels(ident, plain, lambda obj: self._get(obj, ident.name))

    def with_write(self, ident: Any, value: ast.expr, plain: ast.expr) -> ast.expr:
        """An assignment inside ``with`` (``value`` is evaluated once, in whichever branch runs)."""
        return self.with_levels(ident, plain, lambda obj: self._set(obj, ident.name, copy.deepcopy(value)))

    def with_compound(self, ident: Any, op: str, right: ast.expr, plain: ast.expr) -> ast.expr:
        """``x op= v`` inside ``with``: read and written on the object the name resolved to."""
        return self.with_levels(ident, plain, lambda obj: self._set(
            obj, ident.name, P.rt_call(op, self._get(obj, ident.name), copy.deepcopy(right))))

    def with_update(self, ident: Any, delta: int, prefix: bool, plain: ast.expr) -> ast.expr:
        """``x++`` and friends inside ``with``."""
        return self.with_levels(ident, plain, lambda obj: P.rt_call(
            "with_update", obj, P.const(ident.name), P.const(delta), P.const(prefix), P.const(self.ctx.info.strict)))

    def with_call(self, ident: Any, args: list[ast.expr], plain: ast.expr) -> ast.expr:
        """``f(...)`` inside ``with``: a call with the object as ``this`` when it has ``f``."""
        return self.with_levels(ident, plain, lambda obj: P.rt_call(
            "call_this", self._get(obj, ident.name), obj, *copy.deepcopy(args)))

    def with_typeof(self, ident: Any, plain: ast.expr) -> ast.expr:
        """``typeof x`` inside ``with``."""
        return self.with_levels(ident, plain, lambda obj: P.rt_call("typeof", self._get(obj, ident.name)))

    def with_delete(self, ident: Any, plain: ast.expr) -> ast.expr:
        """``delete x`` inside ``with``: deletes the object's property when it has one."""
        return self.with_levels(ident, plain, lambda obj: P.rt_call("delete", obj, P.const(ident.name)))

    def _get(self, obj: ast.expr, name: str) -> ast.expr:
        return P.rt_call("with_get", obj, P.const(name), P.const(self.ctx.info.strict))

    def _set(self, obj: ast.expr, name: str, value: ast.expr) -> ast.expr:
        return P.rt_call("with_set", obj, P.const(name), value, P.const(self.ctx.info.strict))
