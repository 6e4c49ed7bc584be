"""Optional chaining, nullish coalescing and logical assignment.

An optional chain is one conditional expression: the nullish tests of its
optional links, joined by ``or`` (so they run left to right and stop at the
first nullish value), guard the chain's value::

    a?.b.c()    →  undefined if rt.is_nullish(a) else rt.call_method(rt.get(a, 'b'), 'c')
    a.b?.c      →  undefined if rt.is_nullish(_t1 := rt.get(a, 'b')) else rt.get(_t1, 'c')

A plain name is tested and read again; anything else is held in a temporary,
so every link is evaluated once. ``a ?? b`` is ``b if rt.is_nullish(a) else a``.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import pyast as P
from .classes import ClassGen

LOGICAL_ASSIGNMENT = ("??=", "||=", "&&=")


class ChainGen(ClassGen):
    """Translation of ``?.``, ``??`` and ``??=``/``||=``/``&&=``."""

    # Implemented by the expression part.
    def arguments(self, nodes: list[Any]) -> list[ast.expr]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def reusable_key(self, member: Any, base: ast.expr) -> tuple[ast.expr, ast.expr]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    # -- optional chains ------------------------------------------------------------

    def x_ChainExpression(self, node: Any) -> ast.expr:
        guards: list[ast.expr] = []
        value = self.chain_link(node.expression, guards)
        return self.guarded(guards, value)

    @staticmethod
    def guarded(guards: list[ast.expr], value: ast.expr) -> ast.expr:
        """``undefined if <any guard> else value`` (just ``value`` without guards)."""
        if not guards:
            return value
        test = guards[0] if len(guards) == 1 else P.bool_op("or", guards)
        return ast.IfExp(test=test, body=P.name("undefined"), orelse=value)

    def guard(self, value: ast.expr, guards: list[ast.expr]) -> ast.expr:
        """Add the nullish test of an optional link's base; returns how to read it again."""
        if isinstance(value, ast.Name):
            guards.append(P.rt_call("is_nullish", value))
            return P.name(value.id)
        tmp = self.temp()
        guards.append(P.rt_call("is_nullish", P.walrus(tmp, value)))
        return P.name(tmp)

    def hold(self, value: ast.expr) -> tuple[ast.expr, ast.expr]:
        """``value`` to evaluate once, and an expression reading it again."""
        if isinstance(value, ast.Name):
            return value, P.name(value.id)
        tmp = self.temp()
        return P.walrus(tmp, value), P.name(tmp)

    def chain_link(self, node: Any, guards: list[ast.expr]) -> ast.expr:
        """The value of one link of a chain (its base links first)."""
        t = node.type
        if t == "MemberExpression" and node.object.type != "Super":
            obj = self.chain_link(node.object, guards)
            if node.optional:
                obj = self.guard(obj, guards)
            return self.member_read(obj, node)
        if t == "CallExpression" and node.callee.type not in ("Super", "Import"):
            callee = node.callee
            if callee.type == "MemberExpression" and callee.object.type != "Super":
                obj = self.chain_link(callee.object, guards)
                if callee.optional:
                    obj = self.guard(obj, guards)
                if not node.optional:
                    return self.method_call(obj, callee, self.arguments(node.arguments))
                # `o.m?.()`: test the method, then call it with `this` = o.
                first, again = self.hold(obj)
                fn = self.guard(self.member_read(first, callee), guards)
                return P.rt_call("call_this", fn, again, *self.arguments(node.arguments))
            fn = self.chain_link(callee, guards)
            if node.optional:
                fn = self.guard(fn, guards)
            return P.rt_call("call", fn, *self.arguments(node.arguments))
        return self.expr(node)

    def chain_call(self, callee: Any, args: list[ast.expr]) -> ast.expr:
        """``(a?.b)(...)``: a parenthesised chain ending in a member keeps its ``this``."""
        member = callee.expression
        if member.type != "MemberExpression" or member.object.type == "Super":
            return P.rt_call("call", self.expr(callee), *args)
        guards: list[ast.expr] = []
        obj = self.chain_link(member.object, guards)
        if member.optional:
            obj = self.guard(obj, guards)
        first, again = self.hold(obj)
        call = P.rt_call("call_this", self.member_read(first, member), again, *args)
        # Short-circuited, the callee is undefined: the arguments are evaluated, then the call throws.
        return self.guarded_call(guards, call, args)

    @staticmethod
    def guarded_call(guards: list[ast.expr], call: ast.expr, args: list[ast.expr]) -> ast.expr:
        """``call``, or calling undefined when a guard finds a nullish link."""
        if not guards:
            return call
        test = guards[0] if len(guards) == 1 else P.bool_op("or", guards)
        return ast.IfExp(test=test, body=P.rt_call("call", P.name("undefined"), *args), orelse=call)

    def chain_delete(self, node: Any) -> ast.expr:
        """``delete a?.b``: true without deleting anything when the chain short-circuits."""
        member = node.expression
        if member.type != "MemberExpression":
            return ast.Subscript(value=ast.Tuple(elts=[self.expr(node), P.const(True)], ctx=ast.Load()),
                                 slice=P.const(1), ctx=ast.Load())
        guards: list[ast.expr] = []
        obj = self.chain_link(member.object, guards)
        if member.optional:
            obj = self.guard(obj, guards)
        deleted = P.rt_call(self.helper("delete"), obj, self.member_key(member))
        if not guards:
            return deleted
        test = guards[0] if len(guards) == 1 else P.bool_op("or", guards)
        return ast.IfExp(test=test, body=P.const(True), orelse=deleted)

    # -- ?? and logical assignment ----------------------------------------------------------

    def nullish_coalescing(self, node: Any) -> ast.expr:
        """``a ?? b``: ``b`` only when ``a`` is null or undefined (``a`` evaluated once)."""
        first, again = self.reusable(node.left)
        return ast.IfExp(test=P.rt_call("is_nullish", first), body=self.expr(node.right), orelse=again)

    def logical_assignment(self, node: Any) -> ast.expr:
        """``x ??= v``, ``x ||= v``, ``x &&= v``: assigns only when the test says so."""
        target = node.left
        if target.type == "Identifier":
            current, again = self.reusable(target)
            assigned = self.assign_identifier(target, self.named_value(node.right, target.name))
        elif target.type == "MemberExpression" and target.object.type != "Super":
            obj, obj_again = self.reusable(target.object)
            key: ast.expr | None = None
            if target.property.type == "PrivateIdentifier":
                read = self.member_read(obj, target)
            else:
                key, key_again = self.reusable_key(target, obj_again)
                read = P.rt_call("get", obj, key)
                key = key_again
            current, again = self.hold(read)
            assigned = self.member_write(obj_again, key, target, self.expr(node.right))
        else:
            raise self.unsupported(target, f"logical assignment to {target.type}")
        op = node.operator
        if op == "??=":
            return ast.IfExp(test=P.rt_call("is_nullish", current), body=assigned, orelse=again)
        test = P.rt_call("truthy", current)
        if op == "||=":
            return ast.IfExp(test=test, body=again, orelse=assigned)
        return ast.IfExp(test=test, body=assigned, orelse=again)

