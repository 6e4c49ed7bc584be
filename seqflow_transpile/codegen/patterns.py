"""Destructuring: ``[a, b = 2, ...rest]`` and ``{a, b: {c}, ...rest}`` as plain statements.

Array patterns use ``rt.unpack`` (the iterator protocol, with a fast path for
arrays), object patterns read properties one by one; defaults are
``if x is undefined:`` checks, evaluated only when needed, as in JS.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import pyast as P
from .base import GenBase


class PatternGen(GenBase):
    """Translation of binding and assignment patterns."""

    def bind_pattern(self, pattern: Any, value: ast.expr, declare: bool) -> list[ast.stmt]:
        """Statements assigning ``value`` to ``pattern``.

        ``declare`` is true for declarations (``let``/``const``/``var``/params),
        where assigning a ``const`` is its initialisation rather than an error.
        """
        t = pattern.type
        if t == "Identifier":
            return self.bind_identifier(pattern, value, declare)
        if t == "MemberExpression" and pattern.property.type == "PrivateIdentifier":
            return self.private_target(pattern, value)
        if t == "MemberExpression":
            return [P.expr_stmt(P.rt_call(self.helper("set"), self.expr(pattern.object),
                                          self.member_key(pattern), value))]
        if t == "AssignmentPattern":
            return self.bind_with_default(pattern.left, pattern.right, value, declare)
        if t == "ArrayPattern":
            return self.bind_array(pattern, value, declare)
        if t == "ObjectPattern":
            return self.bind_object(pattern, value, declare)
        raise self.unsupported(pattern, f"destructuring target {t}")

    def bind_identifier(self, ident: Any, value: ast.expr, declare: bool) -> list[ast.stmt]:
        """``x = value`` for a declared or assigned name."""
        if id(ident) in self.a.with_refs:
            return [P.expr_stmt(self.assign_identifier(ident, value))]
        binding = self.binding_of(ident)
        if binding is None:
            return [P.expr_stmt(self.free_write(ident.name, value))]
        if binding.kind == "const" and not declare:
            return [P.expr_stmt(P.rt_call("assign_const", value, P.const(ident.name)))]
        return [P.assign(self.note_write(binding), value)]

    def bind_with_default(self, target: Any, default: Any, value: ast.expr,
                          declare: bool) -> list[ast.stmt]:
        """``target = value`` unless it is undefined, then the default."""
        if target.type == "Identifier" and self.binding_of(target) is not None:
            name = self.binding_of(target).py_name  # type: ignore[union-attr]
            out = self.bind_identifier(target, value, declare)
            if isinstance(out[0], ast.Assign):
                fill = self.default_value(default, target.name)
                out.append(P.if_(P.is_(P.name(name), P.name("undefined")),
                                 [P.assign(name, fill)]))
                return out
        tmp = self.temp()
        fill = self.default_value(default, target.name if target.type == "Identifier" else "")
        return [
            P.assign(tmp, value),
            P.if_(P.is_(P.name(tmp), P.name("undefined")), [P.assign(tmp, fill)]),
            *self.bind_pattern(target, P.name(tmp), declare),
        ]

    def default_value(self, node: Any, name: str) -> ast.expr:
        """A default's value; an anonymous function or class default takes the target's name.

        (NamedEvaluation of the initializer, ES2025 8.4.5 IsAnonymousFunctionDefinition.)
        """
        anonymous = node.type == "ArrowFunctionExpression" or (
            node.type == "FunctionExpression" and node.id is None
        )
        if anonymous:
            return self.function_expr(node, name or "arrow", name)
        if node.type == "ClassExpression" and node.id is None and name:
            return self.class_expr_named(node, name)
        return self.expr(node)

    def class_expr_named(self, node: Any, name: str) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def bind_array(self, pattern: Any, value: ast.expr, declare: bool) -> list[ast.stmt]:
        """``[a, , b = 1, ...rest] = value``."""
        elements = list(pattern.elements)
        rest = None
        if elements and elements[-1] is not None and elements[-1].type == "RestElement":
            rest = elements.pop().argument
        names: list[str] = []
        follow: list[ast.stmt] = []
        for el in elements:
            if el is None:
                names.append("_")
                continue
            direct = self.direct_target(el, declare)
            if direct is not None:
                names.append(direct)
            else:
                tmp = self.temp()
                names.append(tmp)
                follow.extend(self.bind_pattern(el, P.name(tmp), declare))
        if rest is not None:
            direct = self.direct_target(rest, declare)
            if direct is not None:
                names.append(direct)
            else:
                tmp = self.temp()
                names.append(tmp)
                follow.extend(self.bind_pattern(rest, P.name(tmp), declare))
        count = P.const(len(elements))
        unpack = (P.rt_call("unpack", value, count, rest=P.const(True)) if rest is not None
                  else P.rt_call("unpack", value, count))
        if not names:
            return [P.expr_stmt(unpack)]
        target: ast.expr = ast.Tuple(elts=[P.store(n) for n in names], ctx=ast.Store())
        if len(names) == 1:
            target = ast.Tuple(elts=[P.store(names[0])], ctx=ast.Store())
        return [ast.Assign(targets=[target], value=unpack, lineno=0), *follow]

    def direct_target(self, el: Any, declare: bool) -> str | None:
        """The Python name to unpack straight into, when ``el`` is a plain local name."""
        if el.type != "Identifier":
            return None
        binding = self.binding_of(el)
        if binding is None or (binding.kind == "const" and not declare) or binding.kind == "self":
            return None
        return self.note_write(binding)

    def bind_object(self, pattern: Any, value: ast.expr, declare: bool) -> list[ast.stmt]:
        """``{a, b: c, [k]: d = 1, ...rest} = value``."""
        out: list[ast.stmt] = []
        if isinstance(value, ast.Name):
            source = value.id
        else:
            source = self.temp()
            out.append(P.assign(source, value))
        out.append(P.expr_stmt(P.rt_call("require_object_coercible", P.name(source))))
        used_keys: list[ast.expr] = []
        for prop in pattern.properties:
            if prop.type == "RestElement":
                keys = ast.List(elts=used_keys, ctx=ast.Load())
                out.extend(self.bind_pattern(
                    prop.argument, P.rt_call("rest_object", P.name(source), keys), declare))
                continue
            key = self.property_key(prop)
            if prop.computed and not isinstance(key, ast.Constant):
                tmp = self.temp()
                out.append(P.assign(tmp, P.rt_call("to_property_key", key)))
                key = P.name(tmp)
            used_keys.append(key)
            out.extend(self.bind_pattern(prop.value, P.rt_call("get", P.name(source), key), declare))
        return out
