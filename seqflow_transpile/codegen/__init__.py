"""ESTree → Python ``ast``: the code generator, assembled from its parts."""

from __future__ import annotations

import ast
from typing import Any

from .. import pyast as P
from ..scope import Analysis
from ..types import StaticTypes
from .context import FuncCtx
from .evals import EvalGen
from .withs import WithGen
from .expressions import ExpressionGen
from .functions import FunctionGen
from .patterns import PatternGen
from .statements import StatementGen

_DECLARATIONS = ("VariableDeclaration", "FunctionDeclaration", "ClassDeclaration", "EmptyStatement")


class CodeGenerator(StatementGen, FunctionGen, PatternGen, ExpressionGen, EvalGen, WithGen):
    """Turns an analysed script into ``def main(rt): ...``."""

    def module(self, body: list[Any]) -> ast.Module:
        """The Python module holding the script's ``main`` function."""
        unit = self.a.script_unit
        info = self.a.script_func
        assert unit is not None and info is not None
        self.ctx = FuncCtx(unit=unit, info=info, parent=None, this_name="this")
        if self.dialect == "sequential":
            self.find_sequential_async(body)
        self.script_body = body
        self.find_direct_calls(body)
        self.types = StaticTypes(self.a, body)
        stmts: list[ast.stmt] = []
        params = ["rt"]
        if self.a.eval_mode == "direct":
            params.append(self.choose_scope_name())
        if info.uses_this:
            this: ast.expr = P.rt("global_this")
            if self.scope_name:
                this = ast.Attribute(value=P.name(self.scope_name), attr="this", ctx=ast.Load())
            stmts.append(P.assign("this", this))
        stmts.extend(self.hoisted_declarations(unit, None))
        stmts.extend(self.global_bindings())
        stmts.extend(self.with_completion_value(body))
        if self.a.eval_mode and not isinstance(stmts[-1] if stmts else None, ast.Return):
            stmts.append(ast.Return(value=P.name("undefined")))  # eval's result; a bare return is null
        main = P.function_def("main", params, stmts)
        return ast.Module(body=[main], type_ignores=[])

    def global_bindings(self) -> list[ast.stmt]:
        """A script's top-level ``var``s and functions are properties of the global object.

        ``rt.script_globals({'js name': 'python name'}, lambda: (...), functions)``
        links each property to the script's variable (the lambda's cells), so the
        script keeps fast local variables while ``globalThis.x``, indirect eval and
        ``Function`` bodies see and change the same binding (ECMA-262 16.1.7
        GlobalDeclarationInstantiation); ``functions`` names the function declarations,
        ``direct`` those called directly (``GenBase.direct_def``) with the Python name of their ``def``.
        """
        if self.a.eval_mode:
            return []  # eval code declares its vars through the eval machinery
        bindings = [b for b in self.a.scopes[0].bindings.values() if b.kind in ("var", "function")]
        if not bindings:
            return []
        table = ast.Dict(keys=[P.const(b.name) for b in bindings], values=[P.const(b.py_name) for b in bindings])
        direct = {b.name: name for b in bindings if (name := self.direct_def(b)) is not None}
        variables: list[ast.expr] = [P.name(b.py_name) for b in bindings]
        variables += [P.name(name) for name in direct.values()]
        cells = P.lambda_([], ast.Tuple(elts=variables, ctx=ast.Load()))
        functions = [P.const(b.name) for b in bindings if b.kind == "function"]
        args = [table, cells] + ([ast.Tuple(elts=functions, ctx=ast.Load())] if functions else [])
        call = P.rt_call("script_globals", *args)
        if direct:
            call.keywords.append(ast.keyword(arg="direct", value=ast.Dict(
                keys=[P.const(k) for k in direct], values=[P.const(v) for v in direct.values()])))
        return [P.expr_stmt(call)]

    def with_completion_value(self, body: list[Any]) -> list[ast.stmt]:
        """The script's statements, returning its completion value.

        The completion value is the value of the last expression statement
        executed in tail position: directly, or at the end of an ``if``
        branch, block, ``try``/``catch``, ``switch`` case or loop body.
        """
        last = len(body) - 1
        while last >= 0 and body[last].type in _DECLARATIONS:
            last -= 1
        if last < 0:
            return self.statements(body)
        tail = body[last]
        if tail.type == "ExpressionStatement" and last == len(body) - 1:
            out = self.statements(body[:last])
            saved = self.ctx.pending
            self.ctx.pending = []
            value = self.expr(tail.expression)
            pending, self.ctx.pending = self.ctx.pending, saved
            out.append(self.marker(tail))
            out.extend(pending)
            out.append(ast.Return(value=value))
            return out
        self.completion_var = self.temp("result")
        self.mark_completions(tail)
        if not self.completion_targets:
            return self.statements(body)
        out = [P.assign(self.completion_var, P.name("undefined"))]
        out.extend(self.statements(body))
        out.append(ast.Return(value=P.name(self.completion_var)))
        return out

    def mark_completions(self, node: Any) -> None:
        """Record the expression statements whose value can be the completion value."""
        t = node.type
        if t == "ExpressionStatement":
            self.completion_targets.add(id(node))
        elif t == "BlockStatement":
            self.mark_list(node.body)
        elif t == "IfStatement":
            self.mark_completions(node.consequent)
            if node.alternate is not None:
                self.mark_completions(node.alternate)
        elif t == "TryStatement":
            self.mark_completions(node.block)
            if node.handler is not None:
                self.mark_completions(node.handler.body)
        elif t in ("LabeledStatement", "WithStatement"):
            self.mark_completions(node.body)
        elif t == "SwitchStatement":
            for case in node.cases:
                self.mark_list(case.consequent)
        elif t in ("ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"):
            self.mark_completions(node.body)

    def mark_list(self, statements: list[Any]) -> None:
        """Mark the tail of a statement list (skipping trailing declarations and jumps)."""
        i = len(statements) - 1
        while i >= 0 and statements[i].type in _DECLARATIONS + ("BreakStatement", "ContinueStatement"):
            i -= 1
        if i >= 0:
            self.mark_completions(statements[i])


def generate(body: list[Any], analysis: Analysis, dialect: str = "standard") -> tuple[ast.Module, dict[str, str]]:
    """The Python module for a parsed, analysed script, and its functions' JS names."""
    gen = CodeGenerator(analysis, dialect)
    return gen.module(body), gen.display_names
