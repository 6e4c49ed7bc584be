"""Expressions: every JS expression becomes one Python expression.

What Python cannot say inline (a nested function) is hoisted to a ``def``
just before the statement; assignments inside expressions use ``:=``.
"""

from __future__ import annotations

import ast
import keyword
import math
from typing import Any

from .. import pyast as P
from ..errors import JSSyntaxError
from ..parse import js_position
from ..types import BOOLEAN, FLOAT, NULL, STRING, UNDEFINED, is_float_literal, is_number
from ..utf16 import to_js_string
from .base import GenBase, _NeedsDef
from .context import ClassCtx
from .chains import LOGICAL_ASSIGNMENT, ChainGen

_ARITH = {
    "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "**": "pow",
    "&": "bit_and", "|": "bit_or", "^": "bit_xor", "<<": "shl", ">>": "shr", ">>>": "ushr",
}
_COMPARE = {
    "<": "lt", ">": "gt", "<=": "le", ">=": "ge", "==": "loose_eq", "!=": "loose_ne",
    "===": "strict_eq", "!==": "strict_ne", "instanceof": "instanceof",
}
#: Comparisons Python's operators perform as JS does on two numbers or two strings.
_PYTHON_COMPARE: dict[str, type[ast.cmpop]] = {
    "<": ast.Lt, ">": ast.Gt, "<=": ast.LtE, ">=": ast.GtE,
    "===": ast.Eq, "!==": ast.NotEq, "==": ast.Eq, "!=": ast.NotEq,
}
#: Arithmetic Python's float operators perform as JS does (overflow gives infinities, -0 kept).
_FLOAT_OPS: dict[str, type[ast.operator]] = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult}
#: Static types with one value each (``true``/``false`` are Python's singletons too).
_SINGLETONS = (BOOLEAN, NULL, UNDEFINED)
_GLOBAL_CONSTANTS = {"undefined", "NaN", "Infinity"}
#: How an unsupported expression is named in its error (by ESTree node type).
_FEATURE_NAMES = {"ImportExpression": "dynamic import() (ES modules)"}
MAX_SAFE = 2**53
#: Binary chains longer than this are written flat (:meth:`ExpressionGen.flat_chain`).
CHAIN_LIMIT = 32


def number_literal(value: float | int, fraction: bool = False) -> ast.expr:
    """A JS number literal as Python: exact ints stay ints (unless written as a
    ``fraction``, ``1.0``: a float), infinity is ``Infinity``."""
    if fraction and abs(value) <= MAX_SAFE:
        return P.const(float(value))
    if isinstance(value, float):
        if math.isinf(value):
            inf = P.name("Infinity")
            return inf if value > 0 else ast.UnaryOp(op=ast.USub(), operand=inf)
        if value.is_integer() and abs(value) <= MAX_SAFE:
            return P.const(int(value))
    elif abs(value) > MAX_SAFE:
        return P.const(float(value))
    return P.const(value)


class ExpressionGen(ChainGen):
    """Translation of JS expressions."""

    # -- dispatch -------------------------------------------------------------------

    def expr(self, node: Any) -> ast.expr:
        """Translate an expression."""
        method = getattr(self, "x_" + node.type, None)
        if method is None:
            raise self.unsupported(node, _FEATURE_NAMES.get(node.type, node.type))
        result: ast.expr = method(node)
        return result

    def cond(self, node: Any) -> ast.expr:
        """Translate an expression used as a test; the result is a Python bool."""
        t = node.type
        if t == "UnaryExpression" and node.operator == "!":
            return P.not_(self.cond(node.argument))
        if t == "LogicalExpression" and node.operator != "??":
            return P.bool_op("and" if node.operator == "&&" else "or",
                             [self.cond(node.left), self.cond(node.right)])
        if t == "BinaryExpression" and (node.operator in _COMPARE or node.operator == "in"):
            return self.expr(node)
        if t == "Literal" and isinstance(node.value, bool):
            return P.const(node.value)
        if self.types.of(node) == BOOLEAN:
            return self.expr(node)  # already a Python bool: no ToBoolean
        return P.rt_call("truthy", self.expr(node))

    # -- leaves ------------------------------------------------------------------------

    def x_Literal(self, node: Any) -> ast.expr:
        regex = getattr(node, "regex", None)
        if regex is not None:
            return P.rt_call("regexp", P.const(to_js_string(regex.pattern)), P.const(regex.flags))
        if getattr(node, "bigint", None) is not None:
            # Very long literals stay text: Python will not convert them to int at once.
            digits = str(node.bigint)
            return P.rt_call("bigint", P.const(int(digits) if len(digits) <= 4000 else digits))
        value = node.value
        if value is None:
            return P.const(None)
        if isinstance(value, bool):
            return P.const(value)
        if isinstance(value, (int, float)):
            return number_literal(value, is_float_literal(node))
        return P.const(to_js_string(value))

    def x_Identifier(self, node: Any) -> ast.expr:
        if id(node) in self.a.with_refs:
            return self.with_read(node, self.identifier(node))
        return self.identifier(node)

    def identifier(self, node: Any) -> ast.expr:
        """A name read (where ``with`` is not in the way)."""
        binding = self.binding_of(node)
        if binding is not None:
            if self.in_tdz(binding):
                return P.rt_call("uninitialized", P.const(node.name))
            return self.read(binding)
        if node.name in _GLOBAL_CONSTANTS:
            return P.name(node.name)
        return self.free_read(node.name, self.global_read(node.name))

    def global_read(self, js_name: str) -> ast.expr:
        """A global variable: ``rt.globals.X`` when X reads safely as an attribute."""
        if (js_name.isidentifier() and js_name.isascii() and not js_name.startswith("_")
                and not keyword.iskeyword(js_name)):
            return ast.Attribute(value=P.rt("globals"), attr=js_name, ctx=ast.Load())
        return P.rt_call("get_global", P.const(js_name))

    def x_ThisExpression(self, node: Any) -> ast.expr:
        return P.name(self.this_var())

    def this_var(self) -> str:
        """The Python name holding ``this`` (an arrow's is its enclosing function's)."""
        ctx = self.ctx
        while ctx.this_name == "" and ctx.parent is not None:
            ctx = ctx.parent
        return ctx.this_name or "this"

    def x_TemplateLiteral(self, node: Any) -> ast.expr:
        parts: list[ast.expr] = []
        for i, quasi in enumerate(node.quasis):
            cooked = quasi.value.cooked
            if cooked:
                parts.append(P.const(to_js_string(cooked)))
            if i < len(node.expressions):
                parts.append(self.expr(node.expressions[i]))
        if not parts:
            return P.const("")
        return P.rt_call("template", *parts)

    def x_TaggedTemplateExpression(self, node: Any) -> ast.expr:
        quasi = node.quasi
        cooked = ast.Tuple(elts=[P.const(to_js_string(q.value.cooked)) for q in quasi.quasis],
                           ctx=ast.Load())
        raw = ast.Tuple(elts=[P.const(to_js_string(q.value.raw)) for q in quasi.quasis],
                        ctx=ast.Load())
        strings = P.rt_call("template_object", cooked, raw)
        args = [strings] + [self.expr(e) for e in quasi.expressions]
        return self.call_expr(node.tag, args)

    # -- literals with structure ---------------------------------------------------------

    def x_ArrayExpression(self, node: Any) -> ast.expr:
        items: list[ast.expr] = []
        for el in node.elements:
            if el is None:
                items.append(P.rt("HOLE"))
            elif el.type == "SpreadElement":
                items.append(P.starred(P.rt_call("spread", self.expr(el.argument))))
            else:
                items.append(self.expr(el))
        return P.rt_call("array", *items)

    def property_key(self, prop: Any) -> ast.expr:
        """A property's key: a constant for ``a``/``'a'``/``1``, else the computed key.

        A computed key is converted where it is evaluated (ToPropertyKey comes
        before the value's evaluation, ECMA-262 13.2.5.4).
        """
        key = prop.key
        if prop.computed:
            value = self.expr(key)
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value
            return P.rt_call("to_property_key", value)
        if key.type == "Identifier":
            # An identifier may hold astral letters (\u{1d453}): its string is UTF-16 as well.
            return P.const(to_js_string(key.name))
        if getattr(key, "bigint", None) is not None:
            return P.const(key.bigint)
        if isinstance(key.value, str):
            return P.const(to_js_string(key.value))
        return self.numeric_key(key.value)

    @staticmethod
    def integer_key(value: float | int) -> str | None:
        """``"3"`` for a numeric key with an integral value, else ``None``."""
        if float(value).is_integer() and abs(value) < 1e21:
            return str(int(value))
        return None

    def numeric_key(self, value: float | int) -> ast.expr:
        """A numeric key; non-integers are converted by the runtime (JS number formatting)."""
        text = self.integer_key(value)
        if text is not None:
            return P.const(text)
        return P.rt_call("to_property_key", number_literal(value))

    def static_key_name(self, prop: Any) -> str | None:
        """The key's text when it is not computed."""
        if prop.computed:
            return None
        key = prop.key
        if key.type == "Identifier":
            return str(key.name)
        if getattr(key, "bigint", None) is not None:
            return str(key.bigint)
        if isinstance(key.value, str):
            return str(key.value)
        return self.integer_key(key.value)

    def x_ObjectExpression(self, node: Any) -> ast.expr:
        keys: list[ast.expr | None] = []
        values: list[ast.expr] = []
        extras: list[ast.expr] = []
        # Methods using `super` look it up from their home object: this literal.
        home = self.object_home(node)
        for prop in node.properties:
            if prop.type == "SpreadElement":
                extras.append(P.rt_call("spread_props", self.expr(prop.argument)))
                continue
            key_name = self.static_key_name(prop)
            hint = key_name or "method"
            accessor = prop.kind in ("get", "set")
            key = self.property_key(prop)
            name: str | ast.expr = f"{prop.kind} {key_name}" if accessor else key_name or ""
            if key_name is None and (accessor or prop.method or self.is_anonymous_definition(prop.value)):
                # The function is named after the key, so ToPropertyKey runs first, once.
                held = self.temp("key")
                key = P.walrus(held, key)
                name = P.rt_call("function_name", P.name(held), *([P.const(prop.kind)] if accessor else []))
            if accessor:
                fn = self.function_expr(prop.value, hint, name, home, method=True)
                extras.append(P.rt_call(prop.kind + "ter", key, fn))
                continue
            if prop.method:
                value = self.function_expr(prop.value, hint, name, home, method=True)
            elif key_name == "__proto__" and not prop.shorthand:
                value = self.expr(prop.value)  # the prototype setter is no NamedEvaluation
            else:
                value = self.named_value(prop.value, name)
            if key_name is not None and not extras and key_name != "__proto__":
                keys.append(P.const(to_js_string(key_name)))
                values.append(value)
            elif key_name == "__proto__" and not prop.computed and not prop.shorthand:
                extras.append(P.rt_call("proto_prop", value))
            else:
                extras.append(ast.Tuple(elts=[key, value], ctx=ast.Load()))
        first = ast.Dict(keys=keys, values=values)
        value = P.rt_call("object", first, *extras) if extras or keys else P.rt_call("object")
        return value if home is None else P.walrus(home.ref, value)

    def object_home(self, node: Any) -> ClassCtx | None:
        """A temporary to hold an object literal whose methods use ``super``, if any do."""
        for prop in node.properties:
            if prop.type == "Property" and (prop.method or prop.kind in ("get", "set")) \
                    and self.a.funcs[id(prop.value)].uses_super:
                return ClassCtx(ref=self.home_name(), static=True)
        return None

    def home_name(self) -> str:
        """A name for an object literal's home object, stored where its methods can read it."""
        name = self.temp("home")
        if self.ctx.in_lambda:
            raise _NeedsDef()
        return name

    def x_FunctionExpression(self, node: Any) -> ast.expr:
        name = node.id.name if node.id is not None else ""
        return self.function_expr(node, name or "function", name)

    def x_ArrowFunctionExpression(self, node: Any) -> ast.expr:
        return self.function_expr(node, "arrow", "")

    def x_ClassExpression(self, node: Any) -> ast.expr:
        return self.class_expr(node, None)

    # -- operators -----------------------------------------------------------------------

    def x_UnaryExpression(self, node: Any) -> ast.expr:
        op = node.operator
        arg = node.argument
        if op == "-" and self.is_number_literal(arg):
            return P.const(-0.0) if arg.value == 0 else number_literal(-arg.value, is_float_literal(arg))
        if op == "-" and self.types.of(arg) == FLOAT:
            return ast.UnaryOp(op=ast.USub(), operand=self.expr(arg))
        if op == "!":
            return P.not_(self.cond(arg))
        if op == "typeof":
            if arg.type == "Identifier" and id(arg) in self.a.with_refs:
                return self.with_typeof(arg, self.typeof_plain(arg))
            return self.typeof_plain(arg)
        if op == "void":
            if arg.type == "Literal":
                return P.name("undefined")
            return ast.Subscript(
                value=ast.Tuple(elts=[self.expr(arg), P.name("undefined")], ctx=ast.Load()),
                slice=P.const(1), ctx=ast.Load(),
            )
        if op == "delete":
            if arg.type == "ChainExpression":
                return self.chain_delete(arg)
            if arg.type == "MemberExpression" and arg.object.type == "Super":
                self.super_home(arg)
                return P.rt_call("delete_super", self.member_key(arg))
            if arg.type == "MemberExpression":
                return P.rt_call(self.helper("delete"), self.expr(arg.object), self.member_key(arg))
            if arg.type == "Identifier":
                plain = self.free_delete(arg.name) if self.binding_of(arg) is None else P.const(False)
                return self.with_delete(arg, plain) if id(arg) in self.a.with_refs else plain
            return ast.Subscript(
                value=ast.Tuple(elts=[self.expr(arg), P.const(True)], ctx=ast.Load()),
                slice=P.const(1), ctx=ast.Load(),
            )
        helper = {"-": "neg", "+": "to_number", "~": "bit_not"}[op]
        return P.rt_call(helper, self.expr(arg))

    def typeof_plain(self, arg: Any) -> ast.expr:
        """``typeof arg`` (no ReferenceError for an undeclared name)."""
        if arg.type == "Identifier" and self.binding_of(arg) is None and arg.name not in _GLOBAL_CONSTANTS:
            return self.free_typeof(arg.name)
        return P.rt_call("typeof", self.identifier(arg) if arg.type == "Identifier" else self.expr(arg))

    @staticmethod
    def is_number_literal(node: Any) -> bool:
        """Whether ``node`` is a numeric literal."""
        return (
            node.type == "Literal"
            and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool)
        )

    def x_BinaryExpression(self, node: Any) -> ast.expr:
        chain = self.binary_chain(node)
        if len(chain) > CHAIN_LIMIT:
            return self.flat_chain(chain)
        op = node.operator
        if node.left.type == "PrivateIdentifier":
            return self.private_in(node)
        if op in ("===", "!==", "==", "!="):
            special = self.equality_shortcut(node)
            if special is not None:
                return special
        return self.binary_op(node, self.expr(node.left), self.expr(node.right))

    def binary_op(self, node: Any, left: ast.expr, right: ast.expr) -> ast.expr:
        """``left <node.operator> right`` through its runtime helper, or Python's where types allow."""
        op = node.operator
        typed = self.typed_comparison(node, left, right)
        if typed is not None:
            return typed
        if op in _ARITH:
            return self.arithmetic(op, node.left, node.right, left, right)
        if op in _COMPARE:
            return P.rt_call(_COMPARE[op], left, right)
        if op == "in":
            return P.rt_call("in_", left, right)
        raise self.unsupported(node, f"operator {op}")

    def arithmetic(self, op: str, left_node: Any, right_node: Any, left: ast.expr, right: ast.expr) -> ast.expr:
        """``left op right``: Python's ``+ - *`` on two numbers one of which is a float
        (IEEE arithmetic, as JS's; no exact integer to keep in range), else the runtime helper."""
        lt, rt = self.types.of(left_node), self.types.of(right_node)
        if op in _FLOAT_OPS and FLOAT in (lt, rt) and is_number(lt) and is_number(rt):
            return ast.BinOp(left=left, op=_FLOAT_OPS[op](), right=right)
        if op in ("+", "-") and self.is_number_literal(right_node) and type(right_node.value) is int:
            step = self.counter_step(left_node, right_node.value if op == "+" else -right_node.value)
            if step is not None:
                return step
        return P.rt_call(_ARITH[op], left, right)

    def counter_step(self, ident: Any, delta: int) -> ast.expr | None:
        """``x + delta`` for a local ``x`` known to be a number: ``x + 1 if x < 9007199254740991 else rt.add(x, 1)``.

        Python's ``+`` is JS's while an ``int`` result stays within ±2**53 (a
        float operand is IEEE's anyway); past the guard the helper rounds as a
        double. ``None`` when ``x`` is not such a local or ``delta`` is large.
        """
        if (ident.type != "Identifier" or id(ident) in self.a.with_refs or not is_number(self.types.of(ident))
                or not 0 < abs(delta) <= 1 << 31):
            return None
        x = self.identifier(ident)
        size = abs(delta)
        if delta > 0:
            guard = ast.Compare(left=x, ops=[ast.Lt()], comparators=[P.const(MAX_SAFE - size)])
            fast = ast.BinOp(left=self.identifier(ident), op=ast.Add(), right=P.const(size))
            slow = P.rt_call("add", self.identifier(ident), P.const(size))
        else:
            guard = ast.Compare(left=x, ops=[ast.Gt()], comparators=[P.const(size - MAX_SAFE)])
            fast = ast.BinOp(left=self.identifier(ident), op=ast.Sub(), right=P.const(size))
            slow = P.rt_call("sub", self.identifier(ident), P.const(size))
        return ast.IfExp(test=guard, body=fast, orelse=slow)

    def update_value(self, ident: Any, increment: bool) -> ast.expr:
        """The new value of ``x`` for ``++x``/``x--`` (ToNumeric, then plus or minus one)."""
        step = self.counter_step(ident, 1 if increment else -1)
        return step if step is not None else P.rt_call("inc" if increment else "dec", self.identifier(ident))

    def typed_comparison(self, node: Any, left: ast.expr, right: ast.expr) -> ast.expr | None:
        """A comparison as Python's own operator, where the operands' static types make it JS's.

        Two numbers (``int``/``float``, exact within ±2**53) or two strings
        (UTF-16 code units) compare in Python as in JS, NaN included; ``===``
        with a side known to be a boolean, ``null`` or ``undefined`` is identity.
        """
        op = node.operator
        python_op = _PYTHON_COMPARE.get(op)
        if python_op is None:
            return None
        lt, rt = self.types.of(node.left), self.types.of(node.right)
        if (is_number(lt) and is_number(rt)) or lt == rt == STRING:
            return ast.Compare(left=left, ops=[python_op()], comparators=[right])
        if op in ("===", "!==") and (lt in _SINGLETONS or rt in _SINGLETONS):
            return P.is_(left, right, op == "!==")
        return None

    @staticmethod
    def binary_chain(node: Any) -> list[Any]:
        """The binary expressions down ``node``'s left spine, innermost first."""
        chain = [node]
        while chain[-1].left.type == "BinaryExpression":
            chain.append(chain[-1].left)
        chain.reverse()
        return chain

    def flat_chain(self, chain: list[Any]) -> ast.expr:
        """A long left-associative chain (``a + b + c + ...``) as one flat tuple of steps.

        Nested calls that deep exceed what CPython compiles (200 nested
        parentheses); ``(_t := a, _t := rt.add(_t, b), ...)[-1]`` keeps JS's
        order (left operand, right operand, then the operation) at depth one.
        """
        acc = self.temp("acc")
        steps: list[ast.expr] = [P.walrus(acc, self.expr(chain[0].left))]
        for node in chain:
            steps.append(P.walrus(acc, self.binary_op(node, P.name(acc), self.expr(node.right))))
        return ast.Subscript(value=ast.Tuple(elts=steps, ctx=ast.Load()), slice=P.const(-1),
                             ctx=ast.Load())

    def equality_shortcut(self, node: Any) -> ast.expr | None:
        """``x === undefined`` → ``x is undefined``; ``x === 'a'`` → ``x == 'a'``."""
        op = node.operator
        negate = op in ("!==", "!=")
        left, right = node.left, node.right
        if self.is_nullish_literal(left) and not self.is_nullish_literal(right):
            left, right = right, left
        if self.is_nullish_literal(right):
            value = self.expr(left)
            if op in ("==", "!="):
                test = P.rt_call("is_nullish", value)
                return P.not_(test) if negate else test
            literal = P.const(None) if right.type == "Literal" else P.name("undefined")
            return P.is_(value, literal, negate)
        if op in ("===", "!==") and right.type == "Literal" and isinstance(right.value, str) and getattr(right, "regex", None) is None:
            return P.eq(self.expr(left), P.const(to_js_string(right.value)), negate)
        return None

    def is_nullish_literal(self, node: Any) -> bool:
        """``null`` or an unshadowed ``undefined``."""
        if (node.type == "Literal" and node.value is None and getattr(node, "regex", None) is None
                and getattr(node, "bigint", None) is None):
            return True
        return node.type == "Identifier" and node.name == "undefined" and self.binding_of(node) is None

    def x_LogicalExpression(self, node: Any) -> ast.expr:
        if node.operator == "??":
            return self.nullish_coalescing(node)
        # `a || b` keeps a's value, so a must be evaluated once: a plain name or
        # literal can simply be read twice, anything else goes through a temporary.
        if self.types.of(node.left) == BOOLEAN:  # Python's and/or keep JS's values for a bool
            return P.bool_op("and" if node.operator == "&&" else "or", [self.expr(node.left), self.expr(node.right)])
        first, again = self.reusable(node.left)
        test = P.rt_call("truthy", first)
        right = self.expr(node.right)
        if node.operator == "&&":
            return ast.IfExp(test=test, body=right, orelse=again)
        return ast.IfExp(test=test, body=again, orelse=right)

    def x_ConditionalExpression(self, node: Any) -> ast.expr:
        return ast.IfExp(test=self.cond(node.test), body=self.expr(node.consequent),
                         orelse=self.expr(node.alternate))

    def x_SequenceExpression(self, node: Any) -> ast.expr:
        items = [self.expr(e) for e in node.expressions]
        return ast.Subscript(value=ast.Tuple(elts=items, ctx=ast.Load()), slice=P.const(-1),
                             ctx=ast.Load())

    # -- member access and calls ------------------------------------------------------------

    def member_key(self, node: Any) -> ast.expr:
        """The key of a MemberExpression: ``'name'`` or the computed expression."""
        if node.computed:
            prop = node.property
            if self.is_number_literal(prop):
                value = prop.value
                if float(value).is_integer() and 0 <= value < 4294967295:
                    return P.const(int(value))
                return self.numeric_key(value)
            return self.expr(prop)
        return P.const(to_js_string(node.property.name))

    def x_MemberExpression(self, node: Any) -> ast.expr:
        if node.object.type == "Super":
            return self.super_get(node, self.member_key(node))
        return self.member_read(self.expr(node.object), node)

    def super_home(self, node: Any) -> list[ast.expr]:
        """What locates ``super`` in a method: its home (class or object) and whether it is static."""
        klass = self.ctx.klass
        if klass is None:
            raise self.super_outside_method(node)
        return [P.name(klass.ref), P.const(klass.static)]

    def super_get(self, node: Any, key: ast.expr) -> ast.expr:
        """``super.key`` inside a method (``node`` is the member expression)."""
        return P.rt_call("super_get", *self.super_home(node), key, P.name(self.this_var()))

    def super_assign(self, target: Any, op: str, right: Any) -> ast.expr:
        """``super.key = v`` and ``super.key op= v``: a [[Set]] on the home's prototype with ``this`` as receiver."""
        home = self.super_home(target)
        this = P.name(self.this_var())
        if op == "=":
            return P.rt_call(self.helper("super_set"), *home, self.member_key(target), this, self.expr(right))
        key, key_again = self.super_key(target)
        value = P.rt_call(_ARITH[op[:-1]], self.super_get(target, key_again), self.expr(right))
        return P.rt_call(self.helper("super_set"), *home, key, this, value)

    def super_key(self, target: Any) -> tuple[ast.expr, ast.expr]:
        """The key of a read-then-write of ``super[key]``: evaluated and converted once."""
        if not target.computed or self.is_simple(target.property):
            return self.member_key(target), self.member_key(target)
        tmp = self.temp()
        return P.walrus(tmp, P.rt_call("to_property_key", self.expr(target.property))), P.name(tmp)

    def arguments(self, nodes: list[Any]) -> list[ast.expr]:
        """Call arguments, with spread as ``*rt.spread(x)``."""
        out: list[ast.expr] = []
        for arg in nodes:
            if arg.type == "SpreadElement":
                out.append(P.starred(P.rt_call("spread", self.expr(arg.argument))))
            else:
                out.append(self.expr(arg))
        return out

    def x_CallExpression(self, node: Any) -> ast.expr:
        callee = node.callee
        if callee.type == "Super":
            return self.super_call(node)
        if id(node) in self.a.direct_evals:
            return self.direct_eval_call(node, self.arguments(node.arguments))
        direct = self.direct_def(self.direct_call_target(callee, node.arguments))
        if direct is not None:
            # The name always holds that function (see `direct_def`): its `def` is called as is.
            return ast.Call(func=P.name(direct), args=[P.name("undefined"), *self.arguments(node.arguments)],
                            keywords=[])
        result = self.call_expr(callee, self.arguments(node.arguments))
        if self.dialect == "sequential" and self.is_sequential_async_call(node):
            return ast.Yield(value=result)
        return result

    def call_expr(self, callee: Any, args: list[ast.expr]) -> ast.expr:
        """A call with ``this`` bound as JS binds it."""
        if callee.type == "MemberExpression":
            if callee.object.type == "Super":
                klass = self.ctx.klass
                if klass is None:
                    raise self.super_outside_method(callee)
                return P.rt_call("super_call_method", P.name(klass.ref), P.const(klass.static),
                                 self.member_key(callee), P.name(self.this_var()), *args)
            return self.method_call(self.expr(callee.object), callee, args)
        if callee.type == "ChainExpression":
            return self.chain_call(callee, args)
        if callee.type == "Identifier" and id(callee) in self.a.with_refs:
            return self.with_call(callee, args, P.rt_call("call", self.identifier(callee), *args))
        return P.rt_call("call", self.expr(callee), *args)

    def is_sequential_async_call(self, node: Any) -> bool:
        """In the sequential dialect, calls of ``fetch`` and of functions that reach it are awaited."""
        callee = node.callee
        if callee.type == "Identifier":
            binding = self.binding_of(callee)
            if binding is None:
                return bool(callee.name == "fetch")
            return id(binding) in self.async_functions
        return False

    def super_call(self, node: Any) -> ast.expr:
        """``super(...)`` in a derived constructor: creates ``this``."""
        klass = self.ctx.klass
        if klass is None or not self.ctx.derived_ctor:
            raise self.unsupported(node, "'super()' outside a derived class constructor")
        value = P.rt_call("construct_super", P.name(klass.ref), P.name("new_target"),
                          *self.arguments(node.arguments))
        if id(node) != klass.sole_super:
            # `this` may be bound already: a second super() throws once its construct has run.
            value = P.rt_call("bind_this", value, P.lambda_([], P.name("this")))
        if klass.fields is not None:
            value = P.rt_call("init_fields", value, P.name(klass.fields))
        if self.ctx.this_name != "this":
            self.ctx.nonlocals.add("this")
        return P.walrus("this", value)

    def x_NewExpression(self, node: Any) -> ast.expr:
        return P.rt_call("new", self.expr(node.callee), *self.arguments(node.arguments))

    def x_AwaitExpression(self, node: Any) -> ast.expr:
        return ast.Yield(value=self.expr(node.argument))

    def x_YieldExpression(self, node: Any) -> ast.expr:
        arg = self.expr(node.argument) if node.argument is not None else P.name("undefined")
        if self.ctx.info.is_async:  # an async generator: its awaits are the bare yields
            if node.delegate:
                return ast.YieldFrom(value=P.rt_call("async_delegate", arg))
            return ast.Yield(value=P.rt_call("async_yield", arg))
        if node.delegate:
            return ast.YieldFrom(value=P.rt_call("delegate", arg))
        return ast.Yield(value=arg)

    def x_MetaProperty(self, node: Any) -> ast.expr:
        if node.meta.name == "new" and self.scope_name and self.function_info() is None:
            return self.scope_attr("new_target")  # eval code's top level: its caller's
        if node.meta.name == "new" and not self.ctx.derived_ctor:
            info = self.ctx.info
            while info.is_arrow and info.parent is not None:
                info = info.parent
            if info.node is None:
                # An early error: only code inside a (non-arrow) function may read new.target.
                line, column = js_position(node)
                raise JSSyntaxError("new.target expression is not allowed here", line, column)
        if node.meta.name == "new":
            # A derived constructor receives it as a parameter; any other function reads it on entry.
            return P.name("new_target")
        raise self.unsupported(node, f"{node.meta.name}.{node.property.name}")

    # -- assignment ---------------------------------------------------------------------------

    def x_AssignmentExpression(self, node: Any) -> ast.expr:
        target = node.left
        op = node.operator
        if op in LOGICAL_ASSIGNMENT:
            return self.logical_assignment(node)
        if target.type in ("ObjectPattern", "ArrayPattern"):
            return self.pattern_assign_expr(target, self.expr(node.right))
        if target.type == "Identifier":
            value = self.named_value(node.right, target.name) if op == "=" else self.expr(node.right)
            if op != "=" and id(target) in self.a.with_refs:
                plain = self.assign_plain(target, P.rt_call(_ARITH[op[:-1]], self.identifier(target), value))
                return self.with_compound(target, _ARITH[op[:-1]], value, plain)
            if op != "=":
                value = self.arithmetic(op[:-1], target, node.right, self.expr(target), value)
            return self.assign_identifier(target, value)
        if target.type == "MemberExpression":
            return self.assign_member(target, op, node.right)
        raise self.unsupported(target, f"assignment to {target.type}")

    def assign_identifier(self, ident: Any, value: ast.expr) -> ast.expr:
        """``x = value`` as an expression."""
        if id(ident) in self.a.with_refs:
            return self.with_write(ident, value, self.assign_plain(ident, value))
        return self.assign_plain(ident, value)

    def assign_plain(self, ident: Any, value: ast.expr) -> ast.expr:
        """``x = value`` where ``with`` is not in the way."""
        binding = self.binding_of(ident)
        if binding is None:
            return self.free_write(ident.name, value)
        if self.in_tdz(binding):
            return P.rt_call("uninitialized", P.const(ident.name), value)
        if binding.kind == "const":
            return P.rt_call("assign_const", value, P.const(ident.name))
        if binding.kind == "self":
            return value  # assigning a function expression's own name is ignored (sloppy)
        if self.a.eval_vars:
            return self.shadowed_write(binding, value, P.walrus(self.note_write(binding), value))
        return P.walrus(self.note_write(binding), value)

    def assign_member(self, target: Any, op: str, right: Any) -> ast.expr:
        """``o.k = v`` and ``o.k op= v``."""
        obj_node = target.object
        if obj_node.type == "Super":
            return self.super_assign(target, op, right)
        if target.property.type == "PrivateIdentifier":
            return self.private_assign(target, op, right, _ARITH)
        if op == "=":
            return P.rt_call(self.helper("set"), self.expr(obj_node), self.member_key(target), self.expr(right))
        obj, obj_again = self.reusable(obj_node)
        key, key_again = self.reusable_key(target, obj_again)
        current = P.rt_call("get", obj_again, key_again)
        value = P.rt_call(_ARITH[op[:-1]], current, self.expr(right))
        return P.rt_call(self.helper("set"), obj, key, value)

    def reusable(self, node: Any) -> tuple[ast.expr, ast.expr]:
        """An expression to evaluate once and a second expression that reads the same value."""
        if self.is_simple(node):
            return self.expr(node), self.expr(node)
        tmp = self.temp()
        return P.walrus(tmp, self.expr(node)), P.name(tmp)

    def reusable_key(self, member: Any, base: ast.expr) -> tuple[ast.expr, ast.expr]:
        """Like :meth:`reusable` for the key of a read-then-write of ``base[key]``.

        The key is converted to a property key once, after ``base`` (a re-read
        of the object) is checked: GetValue's order (ECMA-262 6.2.5.5).
        """
        if not member.computed or (member.property.type == "Literal"
                                   and getattr(member.property, "regex", None) is None):
            return self.member_key(member), self.member_key(member)
        tmp = self.temp()
        key = P.rt_call("reference_key", base, self.expr(member.property))
        return P.walrus(tmp, key), P.name(tmp)

    def x_UpdateExpression(self, node: Any) -> ast.expr:
        helper = "inc" if node.operator == "++" else "dec"
        target = node.argument
        if target.type == "Identifier":
            new_value = self.update_value(target, node.operator == "++")
            assigned = self.assign_plain(target, new_value)
            plain = assigned if node.prefix else P.rt_call("post", self.identifier(target), assigned)
            if id(target) in self.a.with_refs:
                return self.with_update(target, 1 if node.operator == "++" else -1, bool(node.prefix), plain)
            return plain
        if target.type == "MemberExpression" and target.property.type == "PrivateIdentifier":
            return self.private_update(node)
        if target.type == "MemberExpression" and target.object.type == "Super":
            key, key_again = self.super_key(target)
            old = self.temp()
            read = P.rt_call("to_number", self.super_get(target, key_again))
            new = P.rt_call(helper, P.walrus(old, read))
            write = P.rt_call(self.helper("super_set"), *self.super_home(target), key, P.name(self.this_var()), new)
            if node.prefix:
                return write
            return ast.Subscript(value=ast.Tuple(elts=[write, P.name(old)], ctx=ast.Load()), slice=P.const(1),
                                 ctx=ast.Load())
        if target.type == "MemberExpression":
            return P.rt_call("update", self.expr(target.object), self.member_key(target),
                             P.const(1 if node.operator == "++" else -1), P.const(bool(node.prefix)))
        raise self.unsupported(target, "update of this target")

    def pattern_assign_expr(self, pattern: Any, value: ast.expr) -> ast.expr:
        """A destructuring assignment used as an expression: a hoisted helper does the work."""
        fname = self.local_name("_assign")
        param = self.temp("v")
        saved = self.ctx
        inner = self.new_ctx(self.helper_unit(), saved.info, saved.this_name)
        self.ctx = inner
        try:
            body = self.bind_pattern(pattern, P.name(param), declare=False)
        finally:
            self.ctx = saved
        if inner.nonlocals:
            body.insert(0, ast.Nonlocal(names=sorted(inner.nonlocals)))
        body.append(ast.Return(value=P.name(param)))
        saved.pending.append(P.function_def(fname, [param], body))
        if any(P.contains_yield(s) for s in body):
            # A `yield`/`await` in a default makes the helper a generator: delegate to it.
            return ast.YieldFrom(value=P.call(P.name(fname), value))
        return P.call(P.name(fname), value)
