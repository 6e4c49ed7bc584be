"""Short builders for the Python ``ast`` nodes the code generator emits."""

from __future__ import annotations

import ast
from typing import Any, Sequence

#: Line markers are name statements (``__L12_5__``) the renderer turns into ``# L12``
#: comments; JS code can never produce such a statement (``__`` names are renamed).
MARKER_PREFIX = "__L"


def name(id_: str) -> ast.Name:
    """A variable read."""
    return ast.Name(id=id_, ctx=ast.Load())


def store(id_: str) -> ast.Name:
    """A variable write target."""
    return ast.Name(id=id_, ctx=ast.Store())


def const(value: Any) -> ast.expr:
    """A literal (negative numbers as unary minus, as Python writes them)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and (
        value < 0 or (value == 0 and str(value).startswith("-"))
    ):
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=-value))
    return ast.Constant(value=value)


def rt(attr: str) -> ast.Attribute:
    """``rt.<attr>``: a runtime helper."""
    return ast.Attribute(value=name("rt"), attr=attr, ctx=ast.Load())


def call(func: ast.expr, *args: ast.expr, keywords: Sequence[ast.keyword] = ()) -> ast.Call:
    """``func(*args)``."""
    return ast.Call(func=func, args=list(args), keywords=list(keywords))


def rt_call(helper: str, *args: ast.expr, **kwargs: ast.expr) -> ast.Call:
    """``rt.helper(*args, **kwargs)``."""
    return call(rt(helper), *args, keywords=[ast.keyword(arg=k, value=v) for k, v in kwargs.items()])


def starred(value: ast.expr) -> ast.Starred:
    """``*value`` in a call."""
    return ast.Starred(value=value, ctx=ast.Load())


def assign(target: str, value: ast.expr) -> ast.Assign:
    """``target = value``."""
    return ast.Assign(targets=[store(target)], value=value, lineno=0)


def assign_many(targets: Sequence[str], value: ast.expr) -> ast.Assign:
    """``a = b = value``."""
    return ast.Assign(targets=[store(t) for t in targets], value=value, lineno=0)


def walrus(target: str, value: ast.expr) -> ast.NamedExpr:
    """``(target := value)``."""
    return ast.NamedExpr(target=store(target), value=value)


def expr_stmt(value: ast.expr) -> ast.Expr:
    """An expression statement."""
    return ast.Expr(value=value)


def marker(line: int, column: int) -> ast.Expr:
    """A source-position marker for the renderer."""
    return ast.Expr(value=name(f"{MARKER_PREFIX}{line}_{column}__"))


def is_marker(stmt: ast.stmt) -> bool:
    """Whether ``stmt`` is a position marker."""
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Name)
        and stmt.value.id.startswith(MARKER_PREFIX)
    )


def body_or_pass(stmts: list[ast.stmt]) -> list[ast.stmt]:
    """A statement list Python accepts (``pass`` when only markers or nothing)."""
    if all(is_marker(s) for s in stmts):
        return stmts + [ast.Pass()]
    return stmts


def if_(test: ast.expr, body: list[ast.stmt], orelse: list[ast.stmt] | None = None) -> ast.If:
    """An ``if`` statement."""
    return ast.If(test=test, body=body_or_pass(body), orelse=orelse or [])


def not_(value: ast.expr) -> ast.expr:
    """``not value`` (folding double negation)."""
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
        return value.operand
    return ast.UnaryOp(op=ast.Not(), operand=value)


def is_(left: ast.expr, right: ast.expr, negate: bool = False) -> ast.Compare:
    """``left is right`` / ``left is not right``."""
    op: ast.cmpop = ast.IsNot() if negate else ast.Is()
    return ast.Compare(left=left, ops=[op], comparators=[right])


def eq(left: ast.expr, right: ast.expr, negate: bool = False) -> ast.Compare:
    """``left == right`` / ``left != right``."""
    op: ast.cmpop = ast.NotEq() if negate else ast.Eq()
    return ast.Compare(left=left, ops=[op], comparators=[right])


def bool_op(op: str, values: list[ast.expr]) -> ast.BoolOp:
    """``a and b`` / ``a or b``."""
    return ast.BoolOp(op=ast.And() if op == "and" else ast.Or(), values=values)


def function_def(
    fname: str, params: list[str], body: list[ast.stmt], defaults: int = 0, vararg: str | None = None
) -> ast.FunctionDef:
    """``def fname(params...):`` where the last ``defaults`` params default to ``undefined``."""
    arguments = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(arg=p) for p in params],
        vararg=ast.arg(arg=vararg) if vararg else None,
        kwonlyargs=[],
        kw_defaults=[],
        kwarg=None,
        defaults=[name("undefined") for _ in range(defaults)],
    )
    return ast.FunctionDef(
        name=fname, args=arguments, body=body_or_pass(body), decorator_list=[], returns=None,
        lineno=0,
    )


def lambda_(params: list[str], body: ast.expr, defaults: int = 0) -> ast.Lambda:
    """``lambda params: body``."""
    arguments = ast.arguments(
        posonlyargs=[], args=[ast.arg(arg=p) for p in params], vararg=None, kwonlyargs=[],
        kw_defaults=[], kwarg=None, defaults=[name("undefined") for _ in range(defaults)],
    )
    return ast.Lambda(args=arguments, body=body)


def contains_yield(node: ast.AST) -> bool:
    """Whether ``node`` yields, not counting nested functions."""
    stack: list[ast.AST] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.Yield, ast.YieldFrom)):
            return True
        for child in ast.iter_child_nodes(n):
            if not isinstance(child, (ast.FunctionDef, ast.Lambda, ast.AsyncFunctionDef)):
                stack.append(child)
    return False
