"""Which statements nest too deeply to stay in the Python function they are in.

CPython compiles at most 20 statically nested blocks (loops, ``try``,
handlers) in one function, and its tokenizer reads at most 100 levels of
indentation. JavaScript has no such limits, so a statement whose body would
pass :data:`MAX_BLOCKS` blocks or :data:`MAX_INDENT` levels of indentation
is *hoisted*: the code generator writes it as a helper function of its own
(its bindings are the helper's locals) and calls it where the statement was,
carrying ``break``/``continue``/``return`` out as a signal, the way it runs
the per-iteration body of a loop whose bindings closures capture.

The costs below are those of the Python the generator writes for each JS
statement, rounded up where the shape varies (a ``switch`` counts as the
``while`` loop it may become). The pass walks statements only: functions
start a Python function of their own, and the scope analysis runs this pass
again on each function body it enters.
"""

from __future__ import annotations

from typing import Any

#: Python blocks one function may nest before a statement moves to a helper (CPython allows 20).
MAX_BLOCKS = 15
#: Levels of indentation one function may nest before a statement moves to a helper
#: (CPython allows 100 in a whole module; helpers start again at their function's level).
MAX_INDENT = 30

#: A per-iteration loop body nested deeper than this many statements in its Python function is
#: defined at that function's own level, not right before its loop.
LIFT_LOOP_BODY_DEPTH = 8

_LOOPS = ("ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement")


def deep_statements(body: list[Any]) -> set[int]:
    """Ids of the statements in a function body (or script) that must be hoisted into helpers."""
    found: set[int] = set()
    _Walker(found).statement_list(body, 0, 0)
    return found


class _Walker:
    def __init__(self, found: set[int]) -> None:
        self.found = found

    def statement_list(self, body: list[Any], blocks: int, indent: int) -> None:
        for node in body:
            self.statement(node, blocks, indent, hoistable=True)

    def nested(self, node: Any, blocks: int, indent: int) -> None:
        """A statement's body as the generator writes it: a block's list, or one statement."""
        if node.type == "BlockStatement":
            self.statement_list(node.body, blocks, indent)
        else:
            self.statement(node, blocks, indent, hoistable=True)

    def statement(self, node: Any, blocks: int, indent: int, hoistable: bool) -> None:
        parts = self.parts(node)
        if hoistable and (blocks or indent) and any(
            blocks + b > MAX_BLOCKS or indent + i > MAX_INDENT for _, b, i, _ in parts
        ):
            self.found.add(id(node))
            blocks = indent = 0
        for child, b, i, child_hoistable in parts:
            if child_hoistable:
                self.nested(child, blocks + b, indent + i)
            else:
                self.statement(child, blocks + b, indent + i, hoistable=False)

    @staticmethod
    def parts(node: Any) -> list[tuple[Any, int, int, bool]]:
        """The statements nested in ``node``: (statement, blocks, indentation, hoistable)."""
        t = node.type
        if t == "BlockStatement":
            return [(node, 0, 0, True)]
        if t == "IfStatement":
            out = [(node.consequent, 0, 1, True)]
            if node.alternate is not None:
                # `else if` is an `elif` at the same level; it stays where it is.
                elif_ = node.alternate.type == "IfStatement"
                out.append((node.alternate, 0, 0, False) if elif_ else (node.alternate, 0, 1, True))
            return out
        if t in _LOOPS:
            # `for await` is a `while` inside a `try`/`finally`.
            cost = 2 if getattr(node, "allowAwait", False) else 1
            return [(node.body, cost, cost, True)]
        if t == "TryStatement":
            handler, final = node.handler is not None, node.finalizer is not None
            out = [(node.block, 1 + (handler and final), 1, True)]
            if handler:
                out.append((node.handler.body, 2 + final, 1, True))
            if final:
                out.append((node.finalizer, 1 + handler, 1, True))
            return out
        if t == "SwitchStatement":
            # A switch with fall-through is a one-pass `while` with an `if` per case.
            return [(stmt, 1, 2, True) for case in node.cases for stmt in case.consequent]
        if t == "LabeledStatement":
            # The labels and their loop or switch are one statement (hoisted together).
            body = node.body
            while body.type == "LabeledStatement":
                body = body.body
            if body.type in _LOOPS or body.type == "SwitchStatement":
                return _Walker.parts(body)
            # A labeled block is a one-pass `while` that `break label` leaves.
            return [(body, 1, 1, True)]
        return []
