"""Functions, arrows, methods and classes.

A JS function becomes a Python ``def`` whose first parameter is ``this``
(``_this`` for arrows, which use their enclosing ``this``), wrapped by a
runtime helper that makes it a JS function object::

    def greet(this, name=undefined):
        return rt.template('Hello, ', name)
    greet = rt.function(greet, 'greet')

An arrow whose body is one expression that writes no outer variable becomes
a ``lambda``. ``async`` functions and generators are Python generators.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import pyast as P
from ..scope import FuncInfo, Unit, pattern_names
from .base import GenBase, _NeedsDef
from .context import ClassCtx


class FunctionGen(GenBase):
    """Translation of functions and classes."""

    # -- helpers naming -------------------------------------------------------------

    @staticmethod
    def wrapper_helper(info: FuncInfo, method: bool = False) -> str:
        """The runtime helper that turns a ``def`` of this kind into a JS function."""
        if info.is_generator:
            kind = "async_generator" if info.is_async else "generator"
            return f"{kind}_method" if method else f"{kind}_function"
        if info.is_async:
            if info.is_arrow:
                return "async_arrow"
            return "async_method" if method else "async_function"
        if info.is_arrow:
            return "arrow"
        return "method" if method else "function"

    @staticmethod
    def js_length(node: Any) -> int:
        """``Function.length``: parameters before the first default or rest."""
        n = 0
        for p in node.params:
            if p.type in ("AssignmentPattern", "RestElement"):
                break
            n += 1
        return n

    def wrap(self, helper: str, fn: ast.expr, display_name: str | ast.expr, node: Any,
             py_params: int) -> ast.expr:
        """``rt.<helper>(fn, 'name'[, length][, strict=True])`` omitting what the runtime can infer.

        Only a plain ``function`` says it is strict: a sloppy one has its own
        ``caller`` and ``arguments`` (null), a strict one inherits the poisoned pair.
        """
        args: list[ast.expr] = [fn]
        length = self.js_length(node)
        if display_name or length != py_params:
            args.append(P.const(display_name) if isinstance(display_name, str) else display_name)
        if length != py_params:
            args.append(P.const(length))
        call = P.rt_call(helper, *args)
        if helper == "function" and self.a.funcs[id(node)].strict:
            call.keywords.append(ast.keyword(arg="strict", value=P.const(True)))
        return call

    # -- functions --------------------------------------------------------------------

    def function_expr(self, node: Any, name_hint: str, display_name: str | ast.expr,
                      klass: ClassCtx | None = None, method: bool = False) -> ast.expr:
        """A function/arrow expression: a hoisted ``def`` (or a lambda) and its wrapper call.

        ``klass`` is what ``super`` means in it (an object-literal method's home object);
        ``method`` makes a method or accessor (no ``prototype``, not a constructor).
        """
        info = self.a.funcs[id(node)]
        helper = self.wrapper_helper(info, method)
        if info.is_arrow and node.body.type != "BlockStatement":
            lam = self.try_lambda(node, info)
            if lam is not None:
                return self.wrap(helper, lam, display_name, node, len(lam.args.args) - 1)
        self_binding = None
        if node.type == "FunctionExpression" and node.id is not None:
            self_binding = self.binding_of(node.id)
        if self_binding is not None:
            def_name = self.note_write(self_binding)
        else:
            def_name = self.local_name(name_hint if name_hint not in ("", "arrow", "function") else "_" + (name_hint or "fn"))
        fdef, py_params = self.build_function(node, def_name, klass=klass)
        if isinstance(display_name, str) and display_name:
            self.display_names[def_name] = display_name
        self.ctx.pending.append(fdef)
        value = self.wrap(helper, P.name(def_name), display_name, node, py_params)
        if self_binding is not None:
            return P.walrus(def_name, value)
        return value

    def function_declaration(self, node: Any) -> list[ast.stmt]:
        """``function f() {}``: the ``def`` and ``f = rt.function(f, 'f')``.

        A function its calls call directly (:meth:`direct_def`) keeps its ``def``
        under its own name: ``def f_def(...)`` and ``f = rt.function(f_def, 'f')``.
        """
        binding = self.binding_of(node.id)
        assert binding is not None
        py_name = self.note_write(binding)
        info = self.a.funcs[id(node)]
        if self.dialect == "sequential" and id(binding) in self.async_functions:
            info.is_async = True
        direct = self.direct_def(binding)
        def_name = direct or py_name
        fdef, py_params = self.build_function(node, def_name)
        if direct is not None:
            # Its direct calls (see `direct_def`) skip `rt.call`, which spends a step per call.
            fdef.body.insert(0, P.expr_stmt(P.rt_call("tick")))
        self.display_names[def_name] = node.id.name
        value = self.wrap(self.wrapper_helper(info), P.name(def_name), node.id.name, node, py_params)
        return [fdef, P.assign(py_name, value)]

    def try_lambda(self, node: Any, info: FuncInfo) -> ast.Lambda | None:
        """An expression-bodied arrow as a lambda, when nothing forces a ``def``."""
        if info.uses_arguments or any(p.type != "Identifier" for p in node.params):
            return None
        unit = self.a.units[id(node)]
        saved = self.ctx
        ctx = self.new_ctx(unit, info, this_name="")
        ctx.in_lambda = True
        self.ctx = ctx
        try:
            body = self.expr(node.body)
        except _NeedsDef:
            return None
        finally:
            self.ctx = saved
        if ctx.pending or ctx.nonlocals:
            return None
        params = ["_this"] + [self.binding_of(p).py_name for p in node.params]  # type: ignore[union-attr]
        return P.lambda_(params, body, defaults=len(params) - 1)

    def build_function(
        self,
        node: Any,
        def_name: str,
        klass: ClassCtx | None = None,
        derived: bool = False,
    ) -> tuple[ast.FunctionDef, int]:
        """The ``def`` of a JS function; returns it with its Python positional parameter count."""
        info = self.a.funcs[id(node)]
        unit = self.a.units[id(node)]
        if info.is_arrow:
            first, this_name = "_this", ""
        elif derived:
            first, this_name = "new_target", "this"
        else:
            first, this_name = "this", "this"
        saved = self.ctx
        ctx = self.new_ctx(unit, info, this_name=this_name)
        if klass is not None:
            ctx.klass = klass
            ctx.derived_ctor = derived
        elif not info.is_arrow:
            ctx.klass = None
            ctx.derived_ctor = False
        self.ctx = ctx
        saved_in_parameters = self.in_parameters
        binds_at_call = info.is_generator and _evaluates_parameters(node)
        try:
            body: list[ast.stmt] = self.eval_vars_prelude(info)
            self.in_parameters = True
            params, vararg, defaults, prelude = self.parameters(node, info)
            if info.uses_new_target and not info.is_arrow and not derived:
                # Read first, while the runtime can still tell a [[Construct]] of this very function.
                body.append(P.assign("new_target", P.rt_call("new_target_of", P.name("this"))))
            self.in_parameters = False
            if info.uses_this and not info.strict and not info.is_arrow:
                body.append(P.assign("this", P.rt_call("sloppy_this", P.name("this"))))
            body.extend(ctx.pending)  # the ``def``s of functions in parameter defaults
            ctx.pending = []
            body.extend(prelude)
            if binds_at_call:
                # FunctionDeclarationInstantiation (ES2025 10.2.11) runs in the call, before the
                # first next() (EvaluateGeneratorBody 15.5.2, EvaluateAsyncGeneratorBody 15.6.2):
                # the runtime runs the Python generator up to this yield at once.
                body.append(P.expr_stmt(ast.Yield(value=P.rt("PARAMETERS_BOUND"))))
            body.extend(self.hoisted_declarations(unit, node))
            if node.body.type == "BlockStatement":
                body.extend(self.statements(node.body.body))
            else:
                value = self.expr(node.body)
                body.extend(ctx.pending)
                ctx.pending = []
                body.append(ast.Return(value=value))
            if derived:
                body.append(ast.Return(value=P.name("this")))
            elif not info.is_generator and not _ends_in_jump(body):
                # Falling off the end returns undefined (a Python function would return None: null).
                body.append(ast.Return(value=P.name("undefined")))
            if info.is_generator and not any(P.contains_yield(s) for s in body):
                # Still a generator: its body must not run before the first next().
                body.insert(0, P.expr_stmt(ast.YieldFrom(value=ast.Tuple(elts=[], ctx=ast.Load()))))
        finally:
            self.ctx = saved
            self.in_parameters = saved_in_parameters
        if ctx.nonlocals:
            body.insert(0, ast.Nonlocal(names=sorted(ctx.nonlocals)))
        if derived and (any(isinstance(n, ast.Nonlocal) and "this" in n.names for s in body for n in ast.walk(s))
                        or not _binds_here(body, "this")):
            # `super()` runs in a helper (a loop body, a hoisted statement), or nowhere: `this` must be
            # this function's variable, unset until then (reading it first is a ReferenceError), never
            # the `this` of an enclosing function.
            body.insert(0, ast.AnnAssign(target=P.store("this"), annotation=P.name("object"), simple=1))
        fdef = P.function_def(def_name, [first] + params, body, defaults=defaults, vararg=vararg)
        if binds_at_call:
            fdef.decorator_list = [P.rt("binds_parameters_at_call")]
        return fdef, (len(params) if vararg is None else -1)

    def parameters(self, node: Any, info: FuncInfo) -> tuple[list[str], str | None, int, list[ast.stmt]]:
        """Python parameters for a JS parameter list: (names, vararg, defaults count, prelude)."""
        prelude: list[ast.stmt] = []
        if info.uses_arguments:
            names = [self.param_name(p) for p in node.params if p.type != "RestElement"]
            rest = node.params[-1] if node.params and node.params[-1].type == "RestElement" else None
            # Sloppy code with a simple parameter list gets a mapped arguments object
            # (ES2017 9.4.4.7): arguments[i] and the i-th parameter are one variable.
            simple = not info.strict and all(p.type == "Identifier" for p in node.params)
            mapped = bool(names) and simple
            if not names and simple:
                # Mapped too, with nothing to map: no poisoned `callee` (that is for strict code).
                prelude.append(P.assign("arguments", P.rt_call("sloppy_arguments", P.name("args"))))
            elif not mapped:
                prelude.append(P.assign("arguments", P.rt_call("arguments", P.name("args"))))
            if names:
                targets = ast.Tuple(elts=[P.store(n) for n in names], ctx=ast.Store())
                prelude.append(ast.Assign(
                    targets=[targets], value=P.rt_call("unpack_args", P.name("args"), P.const(len(names))),
                    lineno=0))
            if mapped:
                cells = P.lambda_([], ast.Tuple(elts=[P.name(n) for n in names], ctx=ast.Load()))
                prelude.append(P.assign("arguments", P.rt_call(
                    "mapped_arguments", P.name("args"), ast.Tuple(elts=[P.const(n) for n in names], ctx=ast.Load()),
                    cells)))
            if rest is not None:
                prelude.extend(self.bind_pattern(
                    rest.argument, P.rt_call("rest_args", P.name("args"), P.const(len(names))), True))
            prelude.extend(self.param_fixups(node.params, names))
            return [], "args", 0, prelude
        names = []
        vararg = None
        for p in node.params:
            if p.type == "RestElement":
                vararg = self.param_name(p.argument) if p.argument.type == "Identifier" else self.temp("rest")
                if p.argument.type == "Identifier":
                    prelude.append(P.assign(vararg, P.rt_call("array", P.starred(P.name(vararg)))))
                else:
                    prelude.extend(self.bind_pattern(
                        p.argument, P.rt_call("array", P.starred(P.name(vararg))), True))
                continue
            names.append(self.param_name(p))
        # Sloppy `function f(a, a)`: the last `a` wins; earlier ones take a throwaway name.
        names = [self.temp("dup") if n in names[i + 1:] else n for i, n in enumerate(names)]
        fixed = [p for p in node.params if p.type != "RestElement"]
        prelude[:0] = self.param_fixups(fixed, names)
        return names, vararg, len(names), prelude

    def param_name(self, param: Any) -> str:
        """The Python parameter name for a JS parameter (a temp for patterns)."""
        target = param.left if param.type == "AssignmentPattern" else param
        if target.type == "Identifier":
            binding = self.binding_of(target)
            assert binding is not None
            return binding.py_name
        return self.temp("p")

    def param_fixups(self, params: list[Any], names: list[str]) -> list[ast.stmt]:
        """Defaults and destructuring of parameters, in order."""
        out: list[ast.stmt] = []
        # A function or class expression in a default leaves its `def`s in `pending`; they go
        # right before the statement that uses them (no statement list flushes them here).
        # Parameters are initialised in order: what a default may not read yet resolved to
        # the scope analysis's `param-tdz` bindings (see Analyzer.parameter_tdz_scope).
        saved, self.ctx.pending = self.ctx.pending, []
        try:
            for param, py in zip(params, names):
                if param.type == "AssignmentPattern":
                    target = param.left
                    fill = self.named_value(param.right, target.name if target.type == "Identifier" else "")
                    fill_defs, self.ctx.pending = self.ctx.pending, []
                    out.append(P.if_(P.is_(P.name(py), P.name("undefined")), fill_defs + [P.assign(py, fill)]))
                    if target.type != "Identifier":
                        out.extend(self.flushed(self.bind_pattern(target, P.name(py), True)))
                elif param.type != "Identifier":
                    out.extend(self.flushed(self.bind_pattern(param, P.name(py), True)))
        finally:
            self.ctx.pending = saved
        return out

    def flushed(self, stmts: list[ast.stmt]) -> list[ast.stmt]:
        """``stmts`` preceded by the ``def``s their expressions left in ``pending``."""
        pending, self.ctx.pending = self.ctx.pending, []
        return pending + stmts


    def hoisted_declarations(self, unit: Unit, node: Any) -> list[ast.stmt]:
        """``var`` names set to ``undefined`` and function declarations, at the top of a function."""
        out: list[ast.stmt] = []
        scope = self.a.scopes[id(node)] if node is not None else self.a.scopes[0]
        var_names = [b.py_name for b in scope.bindings.values() if b.kind == "var"]
        if var_names:
            out.append(P.assign_many(var_names, P.name("undefined")))
        body = node.body.body if node is not None and node.body.type == "BlockStatement" else (
            self.script_body if node is None else [])
        if node is None and self.a.eval_mode and not self.ctx.info.strict:
            out.extend(self.eval_declarations(body))
            return out
        out.extend(self.function_declarations(body))
        return out

    script_body: list[Any] = []

    def function_declarations(self, statements: list[Any]) -> list[ast.stmt]:
        """The hoisted function declarations of a statement list."""
        out: list[ast.stmt] = []
        for stmt in statements:
            node = stmt
            while node.type == "LabeledStatement":
                node = node.body
            if node.type == "FunctionDeclaration":
                out.append(self.marker(node))
                out.extend(self.function_declaration(node))
        return out

    # -- sequential dialect ----------------------------------------------------------------

    def find_sequential_async(self, body: list[Any]) -> None:
        """Mark functions that reach ``fetch`` (directly or through calls) as async."""
        from ..scope import FUNCTION_TYPES, children

        decls: dict[int, Any] = {}
        for stack_node in self.walk(body):
            if stack_node.type == "FunctionDeclaration":
                b = self.binding_of(stack_node.id)
                if b is not None:
                    decls[id(b)] = stack_node
            elif stack_node.type == "VariableDeclarator" and stack_node.init is not None and \
                    stack_node.init.type in ("FunctionExpression", "ArrowFunctionExpression") and \
                    stack_node.id.type == "Identifier":
                b = self.binding_of(stack_node.id)
                if b is not None:
                    decls[id(b)] = stack_node.init

        def calls_in(fn: Any) -> list[Any]:
            found: list[Any] = []
            stack = list(children(fn.body)) if fn.body.type == "BlockStatement" else [fn.body]
            while stack:
                n = stack.pop()
                if n.type in FUNCTION_TYPES:
                    continue
                if n.type == "CallExpression" and n.callee.type == "Identifier":
                    found.append(n.callee)
                stack.extend(children(n))
            return found

        changed = True
        while changed:
            changed = False
            for key, fn in decls.items():
                if key in self.async_functions:
                    continue
                for callee in calls_in(fn):
                    b = self.binding_of(callee)
                    if (b is None and callee.name == "fetch") or (b is not None and id(b) in self.async_functions):
                        self.async_functions.add(key)
                        self.a.funcs[id(fn)].is_async = True
                        changed = True
                        break

    @staticmethod
    def walk(body: list[Any]) -> list[Any]:
        """Every node under ``body``."""
        from ..scope import children

        out: list[Any] = []
        stack = list(body)
        while stack:
            n = stack.pop()
            out.append(n)
            stack.extend(children(n))
        return out


def _binds_here(body: list[ast.stmt], name: str) -> bool:
    """Whether ``body`` assigns ``name`` itself (a nested function's assignments are its own)."""
    todo: list[ast.AST] = list(body)
    while todo:
        n = todo.pop()
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store):
            return True
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(n))
    return False


def _evaluates_parameters(node: Any) -> bool:
    """Whether binding the parameters runs guest code (a default or a pattern): observable when."""
    return any(p.type != "Identifier" and not (p.type == "RestElement" and p.argument.type == "Identifier")
               for p in node.params)


def _ends_in_jump(body: list[ast.stmt]) -> bool:
    """Whether the last statement of ``body`` (markers aside) is a ``return`` or ``raise``."""
    last = next((s for s in reversed(body) if not P.is_marker(s)), None)
    return isinstance(last, (ast.Return, ast.Raise))


__all__ = ["FunctionGen", "pattern_names"]
