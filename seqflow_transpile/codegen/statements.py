"""Statements and control flow.

Loops become ``while``/``for`` loops; labeled jumps that cross inner loops
set a flag the inner loops check on exit. ``switch`` is an ``if``/``elif``
chain when every case ends in ``break`` and a one-pass ``while`` loop
otherwise (fall-through).

Some statements run as a helper function of their own: the body of a loop
whose block-scoped bindings are captured by closures (a call per iteration:
JS gives each iteration fresh bindings), and a statement nested too deeply
for one Python function (see :mod:`..nesting`). A jump or ``return`` that
leaves the helper comes back as a signal the call site acts on::

    def _nested1():
        ...
                        return 'continue outer'   # `continue outer` from deep inside
    ...
        _signal2 = _nested1()
        if _signal2 == 'continue outer':
            continue
        if _signal2 is not None:
            return _signal2.value                 # a JS `return` inside
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from .. import pyast as P
from ..errors import JSSyntaxError
from ..nesting import LIFT_LOOP_BODY_DEPTH
from ..parse import js_position
from ..scope import FUNCTION_TYPES, children, pattern_names
from ..scope import Unit
from .async_iteration import AsyncIterationGen
from .context import FuncCtx, Target


class StatementGen(AsyncIterationGen):
    """Translation of statements."""

    def statements(self, nodes: list[Any]) -> list[ast.stmt]:
        """A statement list; each statement is preceded by its position marker.

        The helpers of hoisted statements go before the top-level statement
        that holds them, at the function's own indentation.
        """
        ctx = self.ctx
        top = ctx.statement_depth == 0
        ctx.statement_depth += 1
        out: list[ast.stmt] = []
        try:
            for node in nodes:
                if node.type == "FunctionDeclaration" and id(node) not in self.a.annex_b:
                    continue  # hoisted to the top of the block or function
                saved = ctx.pending
                ctx.pending = []
                try:
                    stmts = self.hoisted_statement(node) if self.is_hoisted(node) else self.statement(node)
                    pending = ctx.pending
                finally:
                    ctx.pending = saved
                if top and ctx.lifted:
                    out.extend(ctx.lifted)
                    ctx.lifted = []
                if node.type != "EmptyStatement":
                    out.append(self.marker(node))
                out.extend(pending)
                out.extend(stmts)
        finally:
            ctx.statement_depth -= 1
        return out

    def block(self, node: Any) -> list[ast.stmt]:
        """A nested statement or block, with block-level function declarations hoisted."""
        if node.type == "BlockStatement":
            return self.function_declarations(node.body) + self.statements(node.body)
        return self.statements([node])




    def statement(self, node: Any) -> list[ast.stmt]:
        """One statement."""
        method = getattr(self, "s_" + node.type, None)
        if method is None:
            raise self.unsupported(node, node.type)
        result: list[ast.stmt] = method(node)
        return result

    # -- simple statements ----------------------------------------------------------

    def s_EmptyStatement(self, node: Any) -> list[ast.stmt]:
        return []

    def s_DebuggerStatement(self, node: Any) -> list[ast.stmt]:
        return []

    def s_BlockStatement(self, node: Any) -> list[ast.stmt]:
        return self.block(node)

    def s_ExpressionStatement(self, node: Any) -> list[ast.stmt]:
        e = node.expression
        if id(node) in self.completion_targets:
            if self.ctx.promoted:
                self.ctx.nonlocals.add(self.completion_var)  # the script's, from a helper
            return [P.assign(self.completion_var, self.expr(e))]
        if getattr(node, "directive", None):
            return []
        if e.type == "AssignmentExpression" and e.left.type in ("ObjectPattern", "ArrayPattern"):
            return self.bind_pattern(e.left, self.expr(e.right), declare=False)
        if e.type == "AssignmentExpression" and e.left.type == "Identifier":
            value = self.expr(e)
            if isinstance(value, ast.NamedExpr):
                return [ast.Assign(targets=[value.target], value=value.value, lineno=0)]
            return [P.expr_stmt(value)]
        if e.type == "UpdateExpression" and e.argument.type == "Identifier" and id(e.argument) not in self.a.with_refs:
            value = self.assign_identifier(e.argument, self.update_value(e.argument, e.operator == "++"))
            if isinstance(value, ast.NamedExpr):
                return [ast.Assign(targets=[value.target], value=value.value, lineno=0)]
            return [P.expr_stmt(value)]
        if e.type == "CallExpression" and e.callee.type == "Super":
            value = self.expr(e)
            assert isinstance(value, ast.NamedExpr)
            return [ast.Assign(targets=[value.target], value=value.value, lineno=0)]
        return [P.expr_stmt(self.expr(e))]


    def s_VariableDeclaration(self, node: Any) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for decl in node.declarations:
            target = decl.id
            if decl.init is None:
                if node.kind == "var":
                    continue  # hoisted: already undefined
                out.extend(self.bind_pattern(target, P.name("undefined"), declare=True))
                continue
            init = decl.init
            value = self.named_value(init, target.name) if target.type == "Identifier" else self.expr(init)
            out.extend(self.bind_pattern(target, value, declare=True))
        return out

    def s_FunctionDeclaration(self, node: Any) -> list[ast.stmt]:
        # Hoisted; in a sloppy block it also sets the function-level var here (Annex B.3.3).
        var = self.a.annex_b.get(id(node))
        if var is None:
            return []
        return [P.assign(self.note_write(var), self.expr(node.id))]

    def s_ClassDeclaration(self, node: Any) -> list[ast.stmt]:
        return self.class_declaration(node)

    def s_ReturnStatement(self, node: Any) -> list[ast.stmt]:
        info = self.ctx.info
        if node.argument is None and info.is_async and info.is_generator and not self.ctx.promoted:
            # `return;` ends an async generator with no Await, unlike `return undefined` (ES2025
            # 15.6.2 / 27.6.3.2): a bare Python return tells the runtime so.
            return [ast.Return(value=None)]
        if node.argument is None:
            value: ast.expr = P.name("this") if self.ctx.derived_ctor else P.name("undefined")
        else:
            value = self.expr(node.argument)
            if self.ctx.derived_ctor:
                # `this` read only when the value is undefined: returning an object needs no super().
                value = P.rt_call("derived_result", value, P.lambda_([], P.name("this")))
        if self.ctx.promoted:
            return [ast.Return(value=P.rt_call("Return", value))]
        return [ast.Return(value=value)]

    def s_ThrowStatement(self, node: Any) -> list[ast.stmt]:
        return [ast.Raise(exc=P.rt_call("Throw", self.expr(node.argument)), cause=None)]

    def s_IfStatement(self, node: Any) -> list[ast.stmt]:
        test = self.cond(node.test)
        body = self.block(node.consequent)
        orelse: list[ast.stmt] = []
        if node.alternate is not None:
            saved = self.ctx.pending
            self.ctx.pending = []
            if node.alternate.type == "IfStatement":
                inner = self.s_IfStatement(node.alternate)
                orelse = self.ctx.pending + inner
            else:
                orelse = self.ctx.pending + self.block(node.alternate)
            self.ctx.pending = saved
        return [P.if_(test, body, P.body_or_pass(orelse) if orelse else [])]

    def s_TryStatement(self, node: Any) -> list[ast.stmt]:
        body = P.body_or_pass(self.block(node.block))
        handlers: list[ast.ExceptHandler] = []
        if node.handler is not None:
            exc = self.temp("exc")
            caught = P.rt_call("caught", P.name(exc))
            param = node.handler.param
            handler_body: list[ast.stmt] = []
            if param is None:
                handler_body.append(P.expr_stmt(caught))
            else:
                handler_body.extend(self.bind_pattern(param, caught, declare=True))
            handler_body.extend(self.block(node.handler.body))
            handlers.append(ast.ExceptHandler(type=P.rt("Catchable"), name=exc,
                                              body=P.body_or_pass(handler_body)))
        final = P.body_or_pass(self.block(node.finalizer)) if node.finalizer is not None else []
        return [ast.Try(body=body, handlers=handlers, orelse=[], finalbody=final)]


    # -- jumps ------------------------------------------------------------------------

    def s_LabeledStatement(self, node: Any) -> list[ast.stmt]:
        labels = {node.label.name}
        body = node.body
        while body.type == "LabeledStatement":
            labels.add(body.label.name)
            body = body.body
        if body.type in ("ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement",
                         "DoWhileStatement", "SwitchStatement"):
            return self.statement_with_labels(body, labels)
        # A labeled block: a one-pass loop that `break label` can leave.
        target = Target(body, "block", labels, py_loop=True)
        inner = self.in_target(target, lambda: self.block(body))
        loop = ast.While(test=P.const(True), body=self.with_flags(target, inner + [ast.Break()]), orelse=[])
        return [loop] + self.after_loop(target)

    def statement_with_labels(self, node: Any, labels: set[str]) -> list[ast.stmt]:
        """Translate a loop or switch that carries labels."""
        self.pending_labels = labels
        return self.statement(node)

    def take_labels(self) -> set[str]:
        """Labels announced for the loop being translated now."""
        labels = self.pending_labels
        self.pending_labels = set()
        return labels

    def in_target(self, target: Target, produce: Any) -> list[ast.stmt]:
        """Run ``produce()`` with ``target`` on the jump stack."""
        self.ctx.targets.append(target)
        try:
            result: list[ast.stmt] = produce()
        finally:
            self.ctx.targets.pop()
        return result

    def find_target(self, node: Any, kind: str) -> int:
        """Index on the jump stack of the statement a break/continue leaves."""
        label = node.label.name if node.label is not None else None
        for i in range(len(self.ctx.targets) - 1, -1, -1):
            t = self.ctx.targets[i]
            if label is None:
                if t.kind == "loop" or (kind == "break" and t.kind == "switch"):
                    return i
            elif label in t.labels:
                if kind == "continue" and t.kind != "loop":
                    # An early error JS reports and esprima 4 lets through.
                    line, column = js_position(node)
                    raise JSSyntaxError(f"Illegal continue statement: '{label}' does not denote "
                                        "an iteration statement", line, column)
                return i
        raise self.unsupported(node, f"{kind} to a label outside this function")

    def s_BreakStatement(self, node: Any) -> list[ast.stmt]:
        return self.jump(node, "break")

    def s_ContinueStatement(self, node: Any) -> list[ast.stmt]:
        return self.jump(node, "continue")

    def jump(self, node: Any, kind: str) -> list[ast.stmt]:
        """A break/continue; flags carry it across intermediate Python loops."""
        return self.jump_to(self.ctx.targets[self.find_target(node, kind)], kind)

    def jump_to(self, target: Target, kind: str) -> list[ast.stmt]:
        """A break/continue to ``target``, which is on this function's jump stack."""
        index = self.ctx.targets.index(target)
        crossed = [t for t in self.ctx.targets[index + 1:] if t.py_loop]
        if not crossed:
            return self.final_jump(target, kind)
        flag = self.temp("break" if kind == "break" else "continue")
        target.flags.append(flag)
        crossed[-1].exits.append((flag, target, kind))  # the innermost loop the `break` leaves
        return [P.assign(flag, P.const(True)), ast.Break()]

    def final_jump(self, target: Target, kind: str) -> list[ast.stmt]:
        """The jump itself once no Python loop lies between here and ``target``."""
        if target.outer is not None:
            return [ast.Return(value=P.const(self.escape(target.outer, kind)))]
        if target.promoted:
            if kind == "break":
                return [ast.Return(value=P.rt("BREAK"))]
            return [ast.Return(value=None)]
        if kind == "break":
            return [ast.Break()]
        return [*target.continue_prefix, ast.Continue()]

    def escape(self, target: Target, kind: str) -> str:
        """The signal a helper returns for a jump to ``target`` in the enclosing function."""
        labels = sorted(target.labels)
        signal = f"{kind} {labels[0]}" if labels else kind
        while self.ctx.escapes.get(signal, (target, kind)) != (target, kind):
            signal += "'"  # never in practice: one unlabeled target per kind is reachable
        self.ctx.escapes[signal] = (target, kind)
        return signal

    def after_loop(self, loop: Target) -> list[ast.stmt]:
        """Checks after an inner Python loop for jumps that continue outward."""
        out: list[ast.stmt] = []
        for flag, target, kind in loop.exits:
            index = self.ctx.targets.index(target) if target in self.ctx.targets else -1
            crossed = [t for t in self.ctx.targets[index + 1:] if t.py_loop] if index >= 0 else []
            if not crossed:
                action = self.final_jump(target, kind)
            else:
                crossed[-1].exits.append((flag, target, kind))
                action = [ast.Break()]
            out.append(P.if_(P.name(flag), action))
        return out

    def with_flags(self, target: Target, body: list[ast.stmt]) -> list[ast.stmt]:
        """Reset the jump flags of ``target`` at the start of each pass."""
        if not target.flags:
            return body
        return [P.assign_many(target.flags, P.const(False))] + body

    # -- loops ----------------------------------------------------------------------------

    def loop_body(self, node: Any, target: Target, params: list[str] | None = None) -> list[ast.stmt]:
        """A loop body: inline, or a per-iteration function call when it must be."""
        if id(node) not in self.a.promoted:
            body = self.in_target(target, lambda: [P.expr_stmt(P.rt_call("tick"))] + self.block(node.body))
            return self.with_flags(target, body)
        return self.promoted_body(node, target, params or [])

    def promoted_body(self, node: Any, target: Target, params: list[str]) -> list[ast.stmt]:
        """The body as ``def _iteration(i): ...`` called once per iteration."""
        body_target = Target(node, "loop", target.labels, py_loop=False, promoted=True)
        fdef, call, inner = self.helper_function(
            self.a.units[id(node)], "_iteration", params, lambda: self.block(node.body), body_target)
        if self.ctx.statement_depth > LIFT_LOOP_BODY_DEPTH:
            self.ctx.lifted.append(fdef)  # at the function's own level: deep code stays shallow
        else:
            self.ctx.pending.append(fdef)
        signal = self.temp("signal")
        dispatch = self.in_target(target, lambda: self.dispatch(signal, inner, loop=True))
        return [P.expr_stmt(P.rt_call("tick")), P.assign(signal, call), *dispatch]

    def is_hoisted(self, node: Any) -> bool:
        """Whether ``node`` nests too deeply to stay here (and is not its own helper's body)."""
        return id(node) in self.a.hoisted and self.a.helpers[id(node)] is not self.ctx.unit

    def hoisted_statement(self, node: Any) -> list[ast.stmt]:
        """A statement nested too deeply, as a call to ``def _nested(): ...``."""
        fdef, call, inner = self.helper_function(
            self.a.helpers[id(node)], "_nested", [], lambda: self.statements([node]), None)
        self.ctx.lifted.append(fdef)
        signal = self.temp("signal")
        return [P.assign(signal, call), *self.dispatch(signal, inner, loop=False)]

    def helper_function(self, unit: Unit, base: str, params: list[str], produce: Callable[[], list[ast.stmt]],
                        own: Target | None) -> tuple[ast.FunctionDef, ast.expr, FuncCtx]:
        """A helper ``def`` whose body is ``produce()``; with the call that runs it and its context.

        The helper sees the jump targets around it as stand-ins (a jump to one
        returns a signal) and ``own``, the loop it is the body of, if any.
        """
        fname = self.local_name(base)
        saved = self.ctx
        inner = self.new_ctx(unit, saved.info, saved.this_name, promoted=True)
        inner.this_name = ""
        inner.klass = saved.klass
        inner.derived_ctor = saved.derived_ctor
        stand_ins = [Target(t.node, t.kind, t.labels, py_loop=False, outer=t) for t in saved.targets]
        inner.targets = stand_ins + ([own] if own is not None else [])
        self.ctx = inner
        try:
            body = produce()
        finally:
            self.ctx = saved
        for target in inner.targets:  # jumps that cross the helper's own loops set these
            body = self.with_flags(target, body)
        if inner.nonlocals:
            body.insert(0, ast.Nonlocal(names=sorted(inner.nonlocals)))
        call: ast.expr = P.call(P.name(fname), *[P.name(p) for p in params])
        if any(P.contains_yield(s) for s in body):
            call = ast.YieldFrom(value=call)
        return P.function_def(fname, params, body), call, inner

    def dispatch(self, signal: str, inner: FuncCtx, loop: bool) -> list[ast.stmt]:
        """What the call site of a helper does with its signal: the jump or ``return`` it carries."""
        out: list[ast.stmt] = []
        if loop:
            out.append(P.if_(P.is_(P.name(signal), P.rt("BREAK")), [ast.Break()]))
        for token, (target, kind) in inner.escapes.items():
            out.append(P.if_(P.eq(P.name(signal), P.const(token)), self.jump_to(target, kind)))
        value: ast.expr = P.name(signal)
        if not self.ctx.promoted:
            value = ast.Attribute(value=value, attr="value", ctx=ast.Load())
        out.append(P.if_(P.is_(P.name(signal), P.const(None), negate=True), [ast.Return(value=value)]))
        return out

    def s_WhileStatement(self, node: Any) -> list[ast.stmt]:
        target = Target(node, "loop", self.take_labels(), py_loop=True)
        test = self.cond(node.test)
        body = self.loop_body(node, target)
        return [ast.While(test=test, body=body, orelse=[])] + self.after_loop(target)

    def s_DoWhileStatement(self, node: Any) -> list[ast.stmt]:
        target = Target(node, "loop", self.take_labels(), py_loop=True)
        if self.has_continue(node, target.labels):
            first = self.temp("first")
            target.continue_prefix = []
            body = self.loop_body(node, target)
            loop = ast.While(test=P.bool_op("or", [P.name(first), self.cond(node.test)]),
                             body=[P.assign(first, P.const(False))] + body, orelse=[])
            return [P.assign(first, P.const(True)), loop] + self.after_loop(target)
        body = self.loop_body(node, target)
        body.append(P.if_(P.not_(self.cond(node.test)), [ast.Break()]))
        return [ast.While(test=P.const(True), body=body, orelse=[])] + self.after_loop(target)

    def s_ForStatement(self, node: Any) -> list[ast.stmt]:
        target = Target(node, "loop", self.take_labels(), py_loop=True)
        out: list[ast.stmt] = []
        params: list[str] = []
        init = node.init
        if init is not None:
            if init.type == "VariableDeclaration":
                out.extend(self.s_VariableDeclaration(init))
                if init.kind != "var":
                    params = [self.binding_of(i).py_name for d in init.declarations  # type: ignore[union-attr]
                              for i in self.pattern_idents(d.id)]
            else:
                out.extend(self.s_ExpressionStatement(_ExprStmt(init)))
        update = self.s_ExpressionStatement(_ExprStmt(node.update)) if node.update is not None else []
        test = self.cond(node.test) if node.test is not None else P.const(True)
        if update and self.has_continue(node, target.labels) and id(node) not in self.a.promoted:
            target.continue_prefix = update
        body = self.loop_body(node, target, params)
        loop = ast.While(test=test, body=body + update, orelse=[])
        return out + [loop] + self.after_loop(target)

    @staticmethod
    def pattern_idents(pattern: Any) -> list[Any]:
        """Identifier nodes declared by a pattern."""
        return list(pattern_names(pattern))

    def s_ForInStatement(self, node: Any) -> list[ast.stmt]:
        return self.for_each(node, P.rt_call("for_in", self.loop_head(node)))

    def s_ForOfStatement(self, node: Any) -> list[ast.stmt]:
        helper = "async_iterator" if node.allowAwait else "iterate"
        return self.for_each(node, P.rt_call(helper, self.loop_head(node)))

    def loop_head(self, node: Any) -> ast.expr:
        """The expression of ``for (let x in/of expr)``: the loop's names are in their TDZ there
        (the scope analysis resolves them to never-assigned bindings of the head's own scope)."""
        return self.expr(node.right)

    def for_each(self, node: Any, iterable: ast.expr) -> list[ast.stmt]:
        """``for (x of/in ...)`` as ``for x in rt.iterate(...)``."""
        target = Target(node, "loop", self.take_labels(), py_loop=True)
        left = node.left
        declare = left.type == "VariableDeclaration"
        pattern = left.declarations[0].id if declare else left
        params: list[str] = []
        if pattern.type == "Identifier" and self.binding_of(pattern) is not None and (
            declare or self.binding_of(pattern).kind != "const"  # type: ignore[union-attr]
        ):
            loop_var = self.note_write(self.binding_of(pattern))  # type: ignore[arg-type]
            head: list[ast.stmt] = []
        else:
            loop_var = self.temp("item")
            head = self.bind_pattern(pattern, P.name(loop_var), declare=declare)
        if declare and left.kind != "var":
            params = [self.binding_of(i).py_name for i in self.pattern_idents(pattern)]  # type: ignore[union-attr]
        if id(node) in self.a.promoted:
            body = head + self.loop_body(node, target, params)
        else:
            body = self.in_target(target, lambda: head + self.block(node.body))
            body = self.with_flags(target, body)
        if getattr(node, "allowAwait", False):
            return self.for_await_loop(loop_var, iterable, body) + self.after_loop(target)
        loop = ast.For(target=P.store(loop_var), iter=iterable, body=P.body_or_pass(body), orelse=[],
                       lineno=0)
        return [loop] + self.after_loop(target)

    def has_continue(self, loop: Any, labels: set[str]) -> bool:
        """Whether a ``continue`` inside ``loop`` (not in nested functions) targets it."""
        stack: list[tuple[Any, int]] = [(loop.body, 0)]
        while stack:
            node, depth = stack.pop()
            t = node.type
            if t in FUNCTION_TYPES or t in ("ClassDeclaration", "ClassExpression"):
                continue
            if t == "ContinueStatement":
                if node.label is None and depth == 0:
                    return True
                if node.label is not None and node.label.name in labels:
                    return True
            nested = depth + (1 if t in ("ForStatement", "ForInStatement", "ForOfStatement",
                                         "WhileStatement", "DoWhileStatement") else 0)
            for child in children(node):
                stack.append((child, nested))
        return False

    # -- switch -------------------------------------------------------------------------------

    def s_SwitchStatement(self, node: Any) -> list[ast.stmt]:
        labels = self.take_labels()
        # The cases share one block: its function declarations exist before any case runs.
        hoisted = self.function_declarations([s for case in node.cases for s in case.consequent])
        if not labels and self.breaks_only_at_case_ends(node):
            return hoisted + self.switch_as_if(node)
        return hoisted + self.switch_as_loop(node, labels)

    def breaks_only_at_case_ends(self, node: Any) -> bool:
        """Whether every break of the switch ends a case, and every non-empty case ends in one."""
        cases = node.cases
        for i, case in enumerate(cases):
            body = case.consequent
            if not body:
                continue
            last = body[-1]
            ends_in_break = last.type == "BreakStatement" and last.label is None
            if not ends_in_break and i != len(cases) - 1 and last.type not in ("ReturnStatement", "ThrowStatement", "ContinueStatement"):
                return False
            inner = body[:-1] if ends_in_break else body
            if any(self.contains_switch_break(s) for s in inner):
                return False
        return True

    def contains_switch_break(self, node: Any) -> bool:
        """An unlabeled ``break`` that would leave the enclosing switch."""
        stack = [node]
        while stack:
            n = stack.pop()
            t = n.type
            if t in FUNCTION_TYPES or t in ("ForStatement", "ForInStatement", "ForOfStatement",
                                            "WhileStatement", "DoWhileStatement", "SwitchStatement",
                                            "ClassDeclaration", "ClassExpression"):
                continue
            if t == "BreakStatement" and n.label is None:
                return True
            stack.extend(children(n))
        return False

    def switch_as_if(self, node: Any) -> list[ast.stmt]:
        """A switch without fall-through as ``if``/``elif``/``else``."""
        subject = self.temp("switch")
        groups: list[tuple[list[Any], list[Any]]] = []
        tests: list[Any] = []
        for case in node.cases:
            tests.append(case.test)
            if case.consequent:
                groups.append((tests, case.consequent))
                tests = []
        branches: list[tuple[ast.expr, list[ast.stmt]]] = []
        else_body: list[ast.stmt] | None = None
        for group_tests, body in groups:
            last = body[-1]
            if last.type == "BreakStatement" and last.label is None:
                body = body[:-1]
            stmts = self.statements(body)
            real = [t for t in group_tests if t is not None]
            if len(real) < len(group_tests):
                else_body = stmts  # the group holding `default:`
            if real:
                branches.append((self.case_test(subject, real), stmts))
        chain: list[ast.stmt] = P.body_or_pass(else_body) if else_body is not None else []
        for test, stmts in reversed(branches):
            chain = [P.if_(test, stmts, chain)]
        return [P.assign(subject, self.expr(node.discriminant)), *chain]

    def case_test(self, subject: str, tests: list[Any]) -> ast.expr:
        """``subject === a or subject === b``."""
        parts: list[ast.expr] = []
        for t in tests:
            if t.type == "Literal" and isinstance(t.value, str) and getattr(t, "regex", None) is None:
                parts.append(P.eq(P.name(subject), self.expr(t)))
            else:
                parts.append(P.rt_call("strict_eq", P.name(subject), self.expr(t)))
        return parts[0] if len(parts) == 1 else P.bool_op("or", parts)

    def switch_as_loop(self, node: Any, labels: set[str]) -> list[ast.stmt]:
        """A switch with fall-through: pick the case index, then run cases ``>=`` it in order."""
        subject = self.temp("switch")
        index = self.temp("case")
        out: list[ast.stmt] = [P.assign(subject, self.expr(node.discriminant))]
        default_index = len(node.cases)
        chain: list[ast.stmt] = [P.assign(index, P.const(default_index))]
        for i, case in enumerate(node.cases):
            if case.test is None:
                default_index = i
                chain = [P.assign(index, P.const(default_index))]
        for i in range(len(node.cases) - 1, -1, -1):
            case = node.cases[i]
            if case.test is None:
                continue
            chain = [P.if_(self.case_test(subject, [case.test]), [P.assign(index, P.const(i))], chain)]
        out.extend(chain)
        target = Target(node, "switch", labels, py_loop=True)

        def produce() -> list[ast.stmt]:
            body: list[ast.stmt] = []
            for i, case in enumerate(node.cases):
                stmts = self.statements(case.consequent)
                if stmts:
                    body.append(P.if_(ast.Compare(left=P.name(index), ops=[ast.LtE()],
                                                  comparators=[P.const(i)]), stmts))
            return body

        body = self.in_target(target, produce)
        loop = ast.While(test=P.const(True), body=self.with_flags(target, body + [ast.Break()]), orelse=[])
        return out + [loop] + self.after_loop(target)


class _ExprStmt:
    """An expression wrapped as an ExpressionStatement (for ``for`` init/update)."""

    type = "ExpressionStatement"

    def __init__(self, expression: Any) -> None:
        self.expression = expression
        self.directive = None
