"""Direct ``eval`` and the code ``eval`` runs.

A direct ``eval(src)`` compiles, where it stands, a small accessor through
which the eval'd code reaches every binding visible there by name (only
functions that contain a direct ``eval`` get one)::

    def _eval_scope(name, value=rt.unset):
        nonlocal a
        if name == 'a':
            if value is not rt.unset:
                a = value
            return a
    rt.eval_call(rt.globals.eval, rt.eval_scope(_eval_scope, ('a',), this, ...), src)

The eval'd code is transpiled at run time (``transpile_eval``) into
``def main(rt, scope)``; the names it does not declare itself are read and
written through ``scope`` (its caller's bindings, then the caller's
eval-declared ``var``s, then the globals). A sloppy direct ``eval`` in a
function may declare ``var``s there: they live in a dict (``_vars1 = {}``)
that the function's free names are looked up in first.
"""

from __future__ import annotations

import ast
import copy
from typing import Any, Sequence

from .. import pyast as P
from ..names import unique_name
from ..scope import Binding, FuncInfo, pattern_names
from .base import GenBase

#: Binding kinds that the eval'd code cannot assign.
_READ_ONLY = ("const", "self")


class EvalGen(GenBase):
    """Translation of direct ``eval`` calls and of names in code that may see eval'd ``var``s."""

    def choose_scope_name(self) -> str:
        """A name for eval code's ``scope`` parameter that no binding of the code uses."""
        self.scope_name = unique_name("scope", set(self.a.all_names))
        self.a.all_names.add(self.scope_name)
        return self.scope_name

    # -- free names -------------------------------------------------------------------

    def dynamic_envs(self) -> list[ast.expr]:
        """Where a free name is looked up before the globals: eval ``var`` dicts, then ``scope``."""
        envs: list[ast.expr] = []
        info: FuncInfo | None = self.ctx.info
        while info is not None:
            dict_name = self.a.eval_vars.get(id(info))
            if dict_name:
                envs.append(P.name(dict_name))
            info = info.parent
        if self.scope_name:
            envs.append(P.name(self.scope_name))
        return envs

    def shadowing_dicts(self, binding: Binding) -> list[str]:
        """The eval ``var`` dicts of the functions between this code and ``binding``'s function."""
        found: list[str] = []
        if not self.a.eval_vars:
            return found
        info: FuncInfo | None = self.ctx.info
        while info is not None and info is not binding.scope.func:
            dict_name = self.a.eval_vars.get(id(info))
            if dict_name:
                found.append(dict_name)
            info = info.parent
        return found

    def read(self, binding: Binding) -> ast.expr:
        """Read a binding; an outer function's, also where a sloppy eval may have declared its name."""
        value: ast.expr = P.name(binding.py_name)
        for dict_name in reversed(self.shadowing_dicts(binding)):
            key = P.const(binding.name)
            value = ast.IfExp(
                test=ast.Compare(left=key, ops=[ast.In()], comparators=[P.name(dict_name)]),
                body=ast.Subscript(value=P.name(dict_name), slice=P.const(binding.name), ctx=ast.Load()),
                orelse=value)
        return value

    def shadowed_write(self, binding: Binding, value: ast.expr, plain: ast.expr) -> ast.expr:
        """An assignment to an outer binding that a sloppy eval's ``var`` may shadow."""
        for dict_name in reversed(self.shadowing_dicts(binding)):
            plain = ast.IfExp(
                test=ast.Compare(left=P.const(binding.name), ops=[ast.In()], comparators=[P.name(dict_name)]),
                body=P.rt_call("write_var", _tuple([P.name(dict_name)]), P.const(binding.name),
                               copy.deepcopy(value), P.const(False)),
                orelse=plain)
        return plain

    def free_read(self, js_name: str, plain: ast.expr) -> ast.expr:
        """A read of an undeclared name: ``plain`` (a global read) unless eval'd code may declare it."""
        envs = self.dynamic_envs()
        if not envs:
            return plain
        return P.rt_call("read_var", _tuple(envs), P.const(js_name))

    def free_write(self, js_name: str, value: ast.expr) -> ast.expr:
        """An assignment to an undeclared name."""
        envs = self.dynamic_envs()
        if not envs:
            return P.rt_call(self.helper("set_global"), P.const(js_name), value)
        return P.rt_call("write_var", _tuple(envs), P.const(js_name), value, P.const(self.ctx.info.strict))

    def free_delete(self, js_name: str) -> ast.expr:
        """``delete x`` for an undeclared name."""
        envs = self.dynamic_envs()
        if not envs:
            return P.rt_call("delete_global", P.const(js_name))
        return P.rt_call("delete_var", _tuple(envs), P.const(js_name))

    def free_typeof(self, js_name: str) -> ast.expr:
        """``typeof x`` for an undeclared name."""
        envs = self.dynamic_envs()
        if not envs:
            return P.rt_call("typeof_global", P.const(js_name))
        return P.rt_call("typeof_var", _tuple(envs), P.const(js_name))

    def eval_vars_prelude(self, info: FuncInfo) -> list[ast.stmt]:
        """``_vars1 = {}`` at the top of a function whose sloppy direct ``eval`` may declare ``var``s."""
        if not info.sloppy_eval:
            return []
        dict_name = self.temp("vars")
        self.a.eval_vars[id(info)] = dict_name
        return [P.assign(dict_name, ast.Dict(keys=[], values=[]))]

    # -- the eval call ------------------------------------------------------------------

    def direct_eval_call(self, node: Any, args: list[ast.expr]) -> ast.expr:
        """``eval(...)``: a direct eval when, at run time, ``eval`` is the realm's own."""
        visible = self.a.direct_evals[id(node)]
        accessor = self.local_name("_eval_scope")
        self.ctx.pending.append(self.eval_accessor(accessor, visible))
        info = self.ctx.info
        in_function: ast.expr = P.const(self.function_info() is not None)
        if self.ctx.derived_ctor:
            new_target: ast.expr = P.name("new_target")
        elif self.function_info() is not None:
            new_target = P.rt_call("new_target_of", P.name(self.this_var()))
        elif self.scope_name:  # eval code's top level: its caller's
            new_target = self.scope_attr("new_target")
            in_function = self.scope_attr("in_function")
        else:
            new_target = P.name("undefined")
        vars_name = self.a.eval_vars.get(id(info))
        scope = P.rt_call(
            "eval_scope", P.name(accessor), _tuple([P.const(b.name) for b in visible]),
            P.name(self.this_var()), new_target,
            P.name(vars_name) if vars_name else P.const(None),
            P.name(self.scope_name) if self.scope_name else P.const(None),
            P.const(info.strict), in_function,
        )
        withs = [P.name(self.a.with_objects[id(w)]) for w in self.a.with_refs.get(id(node), ())]
        if withs:
            scope.keywords.append(ast.keyword(arg="withs", value=_tuple(withs)))
        own = self.a.direct_eval_own[id(node)]
        if vars_name and own < len(visible):
            # The eval's `var`s shadow the outer functions' bindings, not its own function's.
            scope.keywords.append(ast.keyword(arg="own", value=P.const(own)))
        if self.in_parameters and not info.is_arrow:
            scope.keywords.append(ast.keyword(arg="in_parameters", value=P.const(True)))
        home = info
        while home.is_arrow and home.parent is not None:
            home = home.parent
        if home.node is not None and home.node.type == "ClassInitialiser":
            scope.keywords.append(ast.keyword(arg="in_initialiser", value=P.const(True)))
        return P.rt_call("eval_call", self.expr(node.callee), scope, *args)

    def scope_attr(self, attr: str) -> ast.expr:
        """``scope.<attr>`` in eval code."""
        return ast.Attribute(value=P.name(self.scope_name), attr=attr, ctx=ast.Load())

    def function_info(self) -> FuncInfo | None:
        """The nearest non-arrow function around the current code (None at the top level)."""
        info: FuncInfo | None = self.ctx.info
        while info is not None and info.is_arrow:
            info = info.parent
        return info if info is not None and info.parent is not None else None

    def eval_accessor(self, fname: str, visible: list[Binding]) -> ast.FunctionDef:
        """``def _eval_scope(name, value=rt.unset)``: reads (and writes) a visible binding by name."""
        body: list[ast.stmt] = []
        writable = [b for b in visible if b.kind not in _READ_ONLY]
        if writable:
            body.append(ast.Nonlocal(names=[b.py_name for b in writable]))
        for b in visible:
            if b.kind in _READ_ONLY:
                store: ast.stmt = P.expr_stmt(P.rt_call("assign_const", P.name("value"), P.const(b.name)))
            else:
                store = P.assign(b.py_name, P.name("value"))
            if b.kind == "self":
                store = ast.Pass()  # a sloppy write to a function expression's own name is ignored
            unset = ast.Compare(left=P.name("value"), ops=[ast.IsNot()], comparators=[P.rt("unset")])
            body.append(P.if_(P.eq(P.name("name"), P.const(b.name)), [
                P.if_(unset, [store]), ast.Return(value=P.name(b.py_name))]))
        fdef = P.function_def(fname, ["name", "value"], body)
        fdef.args.defaults = [P.rt("unset")]
        return fdef

    # -- eval code's own declarations -------------------------------------------------------

    def eval_declarations(self, body: list[Any]) -> list[ast.stmt]:
        """Sloppy eval code's ``var``s and functions, declared where its caller keeps them."""
        out: list[ast.stmt] = []
        declare = "declare" if self.scope_name else "declare_global"
        owner: ast.expr = P.name(self.scope_name) if self.scope_name else P.name("rt")
        names: list[str] = []
        for node in self.walk_var_scope(body):
            if node.type == "VariableDeclaration" and node.kind == "var":
                for decl in node.declarations:
                    names.extend(i.name for i in pattern_names(decl.id) if i.name not in names)
        functions = [n for n in body if n.type == "FunctionDeclaration"]
        for fn in functions:
            def_name = self.local_name(fn.id.name)
            fdef, py_params = self.build_function(fn, def_name)  # type: ignore[attr-defined]
            self.display_names[def_name] = fn.id.name
            info = self.a.funcs[id(fn)]
            value = self.wrap(self.wrapper_helper(info), P.name(def_name),  # type: ignore[attr-defined]
                              fn.id.name, fn, py_params)
            out.extend([self.marker(fn), fdef])
            out.append(P.expr_stmt(P.call(ast.Attribute(value=owner, attr=declare, ctx=ast.Load()),
                                          P.const(fn.id.name), value)))
        for name in names:
            if all(fn.id.name != name for fn in functions):
                out.append(P.expr_stmt(P.call(ast.Attribute(value=owner, attr=declare, ctx=ast.Load()),
                                              P.const(name))))
        return out

    def walk_var_scope(self, body: list[Any]) -> list[Any]:
        """Every node of a statement list outside nested functions and classes."""
        from ..scope import FUNCTION_TYPES, children

        out: list[Any] = []
        stack = list(reversed(body))
        while stack:
            n = stack.pop()
            if n.type in FUNCTION_TYPES or n.type in ("ClassDeclaration", "ClassExpression"):
                continue
            out.append(n)
            stack.extend(reversed(list(children(n))))
        return out


def _tuple(items: Sequence[ast.expr]) -> ast.Tuple:
    return ast.Tuple(elts=list(items), ctx=ast.Load())
