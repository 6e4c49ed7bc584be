"""ESTree → Python ``ast``: the code generator, assembled from its parts."""

from __future__ import annotations

import ast
from typing import Any

from .. import pyast as P
from ..scope import Analysis
from .context import FuncCtx
from .expressions import ExpressionGen
from .functions import FunctionGen
from .patterns import PatternGen
from .statements import StatementGen

_DECLARATIONS = ("VariableDeclaration", "FunctionDeclaration", "ClassDeclaration", "EmptyStatement")


class CodeGenerator(StatementGen, FunctionGen, PatternGen, ExpressionGen):
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
        stmts: list[ast.stmt] = []
        if info.uses_this:
            stmts.append(P.assign("this", P.rt("global_this")))
        stmts.extend(self.hoisted_declarations(unit, None))
        stmts.extend(self.with_completion_value(body))
        main = P.function_def("main", ["rt"], stmts)
        return ast.Module(body=[main], type_ignores=[])

    def with_completion_value(self, body: list[Any]) -> list[ast.stmt]:
        """The script's statements, returning the value of the last expression statement."""
        last = len(body) - 1
        while last >= 0 and body[last].type in _DECLARATIONS:
            last -= 1
        if last < 0 or body[last].type != "ExpressionStatement" or getattr(body[last], "directive", None):
            return self.statements(body)
        out = self.statements(body[:last])
        saved = self.ctx.pending
        self.ctx.pending = []
        value = self.expr(body[last].expression)
        pending, self.ctx.pending = self.ctx.pending, saved
        out.append(self.marker(body[last]))
        out.extend(pending)
        if last == len(body) - 1:
            out.append(ast.Return(value=value))
            return out
        result = self.temp("result")
        out.append(P.assign(result, value))
        out.extend(self.statements(body[last + 1 :]))
        out.append(ast.Return(value=P.name(result)))
        return out


def generate(body: list[Any], analysis: Analysis, dialect: str) -> tuple[ast.Module, dict[str, str]]:
    """The Python module for a parsed, analysed script, and its functions' JS names."""
    gen = CodeGenerator(analysis, dialect)
    return gen.module(body), gen.display_names
