"""The ``with`` statement (sloppy mode; ECMA-262 14.11, object environment records).

The object is held in a temporary; a name inside the body that is not
declared inside it is looked up on the object first (``rt.with_has`` is
HasProperty minus ``Symbol.unscopables``), then where it would be without
``with``. Only code inside a ``with`` pays::

    with (o) { x = f(y) }
    →   _with1 = rt.with_object(o)
        rt.set(_with1, 'x', ...) if rt.with_has(_with1, 'x') else (x := ...)

A function called by a name the object has gets the object as ``this``.
"""

from __future__ import annotations

import ast
import copy
from typing import Any

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

    def with_read(self, ident: Any, plain: ast.expr) -> ast.expr:
        """A name read inside ``with``: the object's property when it has one."""
        for held in reversed(self._checks(ident)):
            plain = ast.IfExp(test=self._has(held, ident.name),
                              body=P.rt_call("get", P.name(held), P.const(ident.name)), orelse=plain)
        return plain

    def with_write(self, ident: Any, value: ast.expr, plain: ast.expr) -> ast.expr:
        """An assignment inside ``with`` (``value`` is evaluated once, in whichever branch runs)."""
        for held in reversed(self._checks(ident)):
            store = P.rt_call(self.helper("set"), P.name(held), P.const(ident.name), copy.deepcopy(value))
            plain = ast.IfExp(test=self._has(held, ident.name), body=store, orelse=plain)
        return plain

    def with_call(self, ident: Any, args: list[ast.expr], plain: ast.expr) -> ast.expr:
        """``f(...)`` inside ``with``: a method call on the object when it has ``f``."""
        for held in reversed(self._checks(ident)):
            method = P.rt_call("call_method", P.name(held), P.const(ident.name), *copy.deepcopy(args))
            plain = ast.IfExp(test=self._has(held, ident.name), body=method, orelse=plain)
        return plain

    def with_typeof(self, ident: Any, plain: ast.expr) -> ast.expr:
        """``typeof x`` inside ``with``."""
        for held in reversed(self._checks(ident)):
            value = P.rt_call("typeof", P.rt_call("get", P.name(held), P.const(ident.name)))
            plain = ast.IfExp(test=self._has(held, ident.name), body=value, orelse=plain)
        return plain
