"""Shared machinery of the code generator: contexts, names, temporaries, positions.

The generator is split by concern (expressions, patterns, statements,
functions); each part is a mixin over this base, which declares the entry
points the parts call on each other.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import pyast as P
from ..errors import JSSyntaxError, UnsupportedSyntaxError
from ..parse import js_position
from ..scope import Analysis, Binding, FuncInfo, Unit, children
from ..types import StaticTypes
from .context import ClassCtx, FuncCtx


class GenBase:
    """State and helpers every part of the generator uses."""

    def __init__(self, analysis: Analysis, dialect: str) -> None:
        self.a = analysis
        self.dialect = dialect
        self.ctx: FuncCtx = None  # type: ignore[assignment]  # set by the entry point
        self._temp = 0
        self.async_functions: set[int] = set()
        #: Labels of the loop or switch about to be translated.
        self.pending_labels: set[str] = set()
        #: Expression statements whose value is the script's completion value.
        self.completion_targets: set[int] = set()
        self.completion_var = ""
        #: Python ``def`` name → the JS function name stacks should show.
        self.display_names: dict[str, str] = {}
        #: id of a function binding → the Python name its calls call directly (None: they take ``rt.call``).
        self.direct_defs: dict[int, str | None] = {}
        #: ids of the bindings some call could call directly (see :meth:`direct_def`; set by the entry point).
        self.direct_callees: set[int] = set()
        #: What is known of values' types (set for the script by the entry point).
        self.types = StaticTypes(analysis, [])

    # -- entry points implemented by the parts ---------------------------------

    def expr(self, node: Any) -> ast.expr:
        """Translate an expression."""
        raise NotImplementedError

    def cond(self, node: Any) -> ast.expr:
        """Translate an expression used as a condition (a Python bool)."""
        raise NotImplementedError

    def statements(self, nodes: list[Any]) -> list[ast.stmt]:
        """Translate a statement list."""
        raise NotImplementedError

    def bind_pattern(self, pattern: Any, value: ast.expr, declare: bool) -> list[ast.stmt]:
        """Statements that assign ``value`` to a (destructuring) target."""
        raise NotImplementedError

    def function_expr(self, node: Any, name_hint: str, display_name: str | ast.expr,
                      klass: ClassCtx | None = None, method: bool = False) -> ast.expr:
        """A function or arrow expression's value (its ``def`` goes to ``pending``)."""
        raise NotImplementedError

    def class_expr(self, node: Any, py_name: str | None, name: str | ast.expr | None = None) -> ast.expr:
        """A class expression's value (its ``def``s go to ``pending``)."""
        raise NotImplementedError

    def member_key(self, node: Any) -> ast.expr:
        """The key of a MemberExpression."""
        raise NotImplementedError

    def property_key(self, prop: Any) -> ast.expr:
        """The key of an object literal or pattern property."""
        raise NotImplementedError

    def function_declarations(self, statements: list[Any]) -> list[ast.stmt]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def function_declaration(self, node: Any) -> list[ast.stmt]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def class_declaration(self, node: Any) -> list[ast.stmt]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def assign_identifier(self, ident: Any, value: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def named_value(self, node: Any, name: str | ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def static_key_name(self, prop: Any) -> str | None:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    @staticmethod
    def wrapper_helper(info: FuncInfo, method: bool = False) -> str:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    @staticmethod
    def js_length(node: Any) -> int:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def private_target(self, pattern: Any, value: ast.expr) -> list[ast.stmt]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def free_read(self, js_name: str, plain: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def free_write(self, js_name: str, value: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def free_typeof(self, js_name: str) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def free_delete(self, js_name: str) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def direct_eval_call(self, node: Any, args: list[ast.expr]) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def this_var(self) -> str:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def scope_attr(self, attr: str) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def function_info(self) -> FuncInfo | None:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    scope_name = ""
    #: Translating a function's parameter list (its defaults run before its body's scope exists).
    in_parameters = False

    @staticmethod
    def in_tdz(binding: Binding) -> bool:
        """Whether ``binding`` is a parameter not initialised where it is used (a ``param-tdz`` binding)."""
        return binding.scope.kind == "param-tdz"

    def with_read(self, ident: Any, plain: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def with_write(self, ident: Any, value: ast.expr, plain: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def with_call(self, ident: Any, args: list[ast.expr], plain: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def with_typeof(self, ident: Any, plain: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def with_compound(self, ident: Any, op: str, right: ast.expr, plain: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def with_update(self, ident: Any, delta: int, prefix: bool, plain: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def with_delete(self, ident: Any, plain: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def identifier(self, node: Any) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def assign_plain(self, ident: Any, value: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def update_value(self, ident: Any, increment: bool) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def eval_vars_prelude(self, info: FuncInfo) -> list[ast.stmt]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def eval_declarations(self, body: list[Any]) -> list[ast.stmt]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    # -- errors and positions ----------------------------------------------------

    def unsupported(self, node: Any, what: str) -> UnsupportedSyntaxError:
        """An error naming an unsupported construct at ``node``."""
        line, column = js_position(node)
        return UnsupportedSyntaxError(f"{what} is not supported yet", line, column)

    def super_outside_method(self, node: Any) -> JSSyntaxError:
        """JS's early error for ``super.x`` where no method encloses it."""
        line, column = js_position(node)
        return JSSyntaxError("'super' keyword unexpected here", line, column)

    def marker(self, node: Any) -> ast.stmt:
        """The position marker for a statement."""
        line, column = js_position(node)
        return P.marker(line, column)

    # -- temporaries ----------------------------------------------------------------

    def temp(self, hint: str = "t") -> str:
        """A fresh Python name no JS name can clash with, local to the current function."""
        while True:
            self._temp += 1
            candidate = f"_{hint}{self._temp}"
            if candidate not in self.a.all_names:
                self.a.all_names.add(candidate)
                self.ctx.unit.taken.add(candidate)
                return candidate

    def local_name(self, base: str) -> str:
        """A readable fresh local name derived from ``base`` (for hoisted ``def``s)."""
        from ..names import python_base_name, unique_name

        taken = self.ctx.unit.taken | self.a.all_names
        chosen = unique_name(python_base_name(base) if base else "_fn", taken)
        self.ctx.unit.taken.add(chosen)
        self.a.all_names.add(chosen)
        return chosen

    # -- bindings -----------------------------------------------------------------

    def binding_of(self, ident: Any) -> Binding | None:
        """The binding an Identifier node refers to (``None``: a global)."""
        return self.a.refs.get(id(ident))

    def direct_def(self, binding: Binding | None) -> str | None:
        """The Python name of the ``def`` of a function that calls of ``binding`` call directly.

        That is a function some call names with no more arguments than it has
        parameters (:meth:`find_direct_calls`): a plain ``function`` declared
        once, directly in a function or the script, with simple parameters and
        no ``arguments`` or ``new.target``, whose binding nothing in the code
        assigns: no assignment, no direct ``eval`` that sees it, no Annex B
        block function of that name. Its value is then that function wherever
        the name is read (a script's top-level function may still be replaced
        through the global object: the runtime then points the name at a
        forwarder, see ``Runtime.script_globals``). A direct call skips
        ``rt.call``, so the function spends its step on entry.
        """
        if binding is None:
            return None
        key = id(binding)
        if key in self.direct_defs:
            return self.direct_defs[key]
        name: str | None = None
        if (key in self.direct_callees and binding.kind == "function" and not binding.assigned
                and len(binding.declarations) == 1 and not self.a.eval_mode and key not in self.async_functions
                and all(var is not binding for var in self.a.annex_b.values())):
            node = binding.declarations[0]
            info = self.a.funcs[id(node)]
            names = [p.name for p in node.params if p.type == "Identifier"]
            if (not (info.is_async or info.is_generator or info.uses_arguments or info.uses_new_target
                     or info.sloppy_eval)
                    and len(names) == len(node.params) and len(set(names)) == len(names)):
                from ..names import python_base_name, unique_name

                unit = binding.unit
                assert unit is not None
                name = unique_name(python_base_name(binding.name + "_def"), unit.taken | self.a.all_names)
                unit.taken.add(name)
                self.a.all_names.add(name)
        self.direct_defs[key] = name
        return name

    def direct_call_target(self, callee: Any, args: list[Any]) -> Binding | None:
        """The binding a call ``callee(...args)`` (JS nodes) could call directly, if :meth:`direct_def` allows."""
        if callee.type != "Identifier" or id(callee) in self.a.with_refs:
            return None
        binding = self.binding_of(callee)
        if binding is None or len(binding.declarations) != 1 or any(a.type == "SpreadElement" for a in args):
            return None
        return binding if len(args) <= len(binding.declarations[0].params) else None

    def find_direct_calls(self, nodes: list[Any]) -> None:
        """Note in :attr:`direct_callees` the bindings of the calls under ``nodes`` that could be direct."""
        stack = list(nodes)
        while stack:
            node = stack.pop()
            if node.type == "CallExpression":
                binding = self.direct_call_target(node.callee, node.arguments)
                if binding is not None:
                    self.direct_callees.add(id(binding))
            stack.extend(children(node))

    def read(self, binding: Binding) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def shadowed_write(self, binding: Binding, value: ast.expr, plain: ast.expr) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def note_write(self, binding: Binding) -> str:
        """Record that the current function writes ``binding``; returns its Python name."""
        ctx = self.ctx
        if not ctx.owns(binding):
            if ctx.in_lambda:
                raise _NeedsDef()
            ctx.nonlocals.add(binding.py_name)
        return binding.py_name

    def helper(self, sloppy: str) -> str:
        """The runtime helper for an operation whose failure throws only in strict code."""
        return sloppy + "_strict" if self.ctx.info.strict else sloppy

    @staticmethod
    def is_anonymous_definition(node: Any) -> bool:
        """IsAnonymousFunctionDefinition (ECMA-262 8.4.3): a function, arrow or class without a name."""
        return node.type == "ArrowFunctionExpression" or (
            node.type in ("FunctionExpression", "ClassExpression") and node.id is None)

    def is_simple(self, node: Any) -> bool:
        """Whether evaluating ``node`` twice is harmless and cheap (no temp needed)."""
        t = node.type
        if t == "Literal" or t == "ThisExpression":
            return True
        if t == "Identifier":
            return self.binding_of(node) is not None
        return False

    def new_ctx(
        self, unit: Unit, info: FuncInfo, this_name: str = "this", promoted: bool = False
    ) -> FuncCtx:
        """Enter a new Python function; the caller restores ``self.ctx`` afterwards."""
        ctx = FuncCtx(unit=unit, info=info, parent=self.ctx, this_name=this_name, promoted=promoted)
        if self.ctx is not None and info is self.ctx.info:
            ctx.klass = self.ctx.klass
            ctx.derived_ctor = self.ctx.derived_ctor
        elif self.ctx is not None and info.is_arrow:
            ctx.klass = self.ctx.klass  # an arrow sees its function's `super.x` and `super()`
            ctx.derived_ctor = self.ctx.derived_ctor
        return ctx


    def helper_unit(self) -> Unit:
        """A unit for a generated helper ``def``: it owns nothing, so every write is nonlocal."""
        return Unit(None, self.ctx.unit, "helper", taken=self.ctx.unit.taken)


class _NeedsDef(Exception):
    """Raised while trying a lambda whose body must be a ``def`` (it writes outer names)."""
