"""``for await`` loops (``yield`` in async generators: see ``x_YieldExpression``).

``for await (const page of pages())`` becomes a ``while`` loop over an
``rt.async_iterator``, awaiting each step; leaving it early awaits the
iterator's ``return()``::

    _it1 = rt.async_iterator(rt.call(pages))
    try:
        while not _it1.done((yield _it1.next())):
            page = _it1.value
            ...
    finally:
        yield from _it1.close()

In an async generator, ``await x`` stays ``yield x`` and a JS ``yield v``
is ``yield rt.async_yield(v)``.
"""

from __future__ import annotations

import ast
from .. import pyast as P
from .base import GenBase


class AsyncIterationGen(GenBase):
    """Translation of ``for await``."""

    def for_await_loop(self, loop_var: str, iterator: ast.expr, body: list[ast.stmt]) -> list[ast.stmt]:
        """The loop statements for ``for await``; ``body`` reads the item from ``loop_var``."""
        it = self.temp("it")
        step = ast.Yield(value=_on(it, "next"))
        value = ast.Attribute(value=P.name(it), attr="value", ctx=ast.Load())
        loop = ast.While(test=P.not_(_on(it, "done", step)), body=[P.assign(loop_var, value), *body], orelse=[])
        close = P.expr_stmt(ast.YieldFrom(value=_on(it, "close")))
        return [P.assign(it, iterator), ast.Try(body=[loop], handlers=[], orelse=[], finalbody=[close])]


def _on(name: str, method: str, *args: ast.expr) -> ast.expr:
    """``name.method(*args)`` on a host object the generated code holds."""
    return P.call(ast.Attribute(value=P.name(name), attr=method, ctx=ast.Load()), *args)
