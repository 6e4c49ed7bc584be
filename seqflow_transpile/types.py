"""Static value types: which expressions are provably numbers, strings or booleans.

Code generation asks :meth:`StaticTypes.of` before emitting an operator: two
numbers compare with Python's ``<`` (a JS comparison of numbers is IEEE's, as
Python's on ``int``/``float``), a boolean needs no ToBoolean, ``x === null``
becomes ``x is None``. Everything else keeps its runtime helper.

A ``let``/``const`` declared inside a function gets the type every write to
it agrees on: its initialiser, each ``=``/``op=`` and ``++``/``--`` (closures'
writes included, since they are all in the source). The types are the least
fixed point of those writes, so ``let i = 0; ... i += 1`` is a number while
``let s = 0; s = s + x`` (``x`` unknown) is not. A binding some construct may
write without saying what (destructuring, ``for-in``/``for-of`` heads, a
direct ``eval``, ``with``) and anything declared at a script's top level (other
scripts and ``globalThis`` reach it) stay unknown. A read in the TDZ throws
before any operator sees it, so it does not weaken a type.
"""

from __future__ import annotations

from typing import Any, Final

from .scope import Analysis, Binding, children, pattern_names

NUMBER: Final = "number"
#: A number held as a Python ``float`` (not an exact ``int``): Python's ``+ - *`` on it are IEEE's, as JS's.
FLOAT: Final = "float"
STRING: Final = "string"
BOOLEAN: Final = "boolean"
NULL: Final = "null"
UNDEFINED: Final = "undefined"
#: Any value at all (the answer whenever nothing is proven).
ANY: Final = "any"
#: Not known yet (only while the fixed point is computed; never an answer).
_NONE: Final = ""

_COMPARISONS = frozenset(("<", ">", "<=", ">=", "==", "!=", "===", "!==", "in", "instanceof"))
#: Operators whose result is a number when either operand is one (a BigInt on the other side throws).
_NUMERIC = frozenset(("-", "*", "/", "%", "**", "<<", ">>", "&", "|", "^"))
#: Operators whose result is a float when both operands are numbers and one is a float.
_FLOAT_KEEPING = frozenset(("-", "*"))
_GLOBALS = {"undefined": UNDEFINED, "NaN": NUMBER, "Infinity": NUMBER}
_FOR_IN_OF = ("ForInStatement", "ForOfStatement")


def join(a: str, b: str) -> str:
    """The type of a value that is of type ``a`` or of type ``b``."""
    if a == _NONE or a == b:
        return b
    if b == _NONE:
        return a
    return NUMBER if is_number(a) and is_number(b) else ANY


def is_number(t: str) -> bool:
    """Whether type ``t`` is a number's (``int`` or ``float``)."""
    return t == NUMBER or t == FLOAT


def literal_type(node: Any) -> str:
    """The type of a Literal node."""
    value = node.value
    if getattr(node, "regex", None) is not None or getattr(node, "bigint", None) is not None:
        return ANY
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, (int, float)):
        return FLOAT if is_float_literal(node) else NUMBER
    return STRING if isinstance(value, str) else ANY


def numeric(operand: str) -> str:
    """The type of ``x++`` and ``~x``: a number for a number (else a number or a BigInt)."""
    return NUMBER if is_number(operand) else operand if operand == _NONE else ANY


def is_float_literal(node: Any) -> bool:
    """Whether a number literal is written as a fraction (``0.5``, ``1.0``): the generator emits a float.

    ``1.0`` is written so on purpose (a float accumulator); any other integral
    literal becomes an exact ``int``.
    """
    value = node.value
    if isinstance(value, float) and not value.is_integer():
        return True
    raw = getattr(node, "raw", None)
    return isinstance(raw, str) and "." in raw


def binary_type(op: str, left: str, right: str) -> str:
    """The type of ``left op right`` (``op`` without ``=``)."""
    if op in _COMPARISONS:
        return BOOLEAN
    if op == ">>>":
        return NUMBER
    if op == "+":
        if left == STRING or right == STRING:
            return STRING
        if is_number(left) and is_number(right):
            return FLOAT if FLOAT in (left, right) else NUMBER
    elif op == "/" and (is_number(left) or is_number(right)):
        return FLOAT  # true division: a Python float whatever the operands
    elif op in _NUMERIC and (is_number(left) or is_number(right)):
        if op in _FLOAT_KEEPING and FLOAT in (left, right) and is_number(left) and is_number(right):
            return FLOAT
        return NUMBER
    return _NONE if _NONE in (left, right) else ANY


class StaticTypes:
    """The inferred types of one script's local bindings, and of expressions over them."""

    def __init__(self, analysis: Analysis, body: list[Any]) -> None:
        self.a = analysis
        self.types: dict[int, str] = {}
        self.writes: dict[int, list[tuple[str, Any]]] = {}
        if analysis.eval_mode:
            return
        self._collect(body)
        self._solve()

    # -- answers ------------------------------------------------------------------------

    def of(self, node: Any) -> str:
        """The type of expression ``node``: one of the constants above, ``ANY`` when unproven."""
        t = self._of(node)
        return ANY if t == _NONE else t

    def _binding(self, ident: Any) -> Binding | None:
        binding = self.a.refs.get(id(ident))
        if binding is None or id(ident) in self.a.with_refs:
            return None
        return binding

    def _of(self, node: Any) -> str:  # noqa: C901 - one rule per expression type
        t = node.type
        if t == "Literal":
            return literal_type(node)
        if t == "Identifier":
            binding = self._binding(node)
            if binding is None:
                if self.a.refs.get(id(node)) is None and id(node) not in self.a.with_refs:
                    return _GLOBALS.get(node.name, ANY)
                return ANY
            return self.types.get(id(binding), ANY)
        if t == "TemplateLiteral":
            return STRING
        if t == "UnaryExpression":
            op = node.operator
            if op in ("!", "delete"):
                return BOOLEAN
            if op == "typeof":
                return STRING
            if op == "void":
                return UNDEFINED
            if op == "+":
                return NUMBER
            operand = self._of(node.argument)
            return FLOAT if op == "-" and operand == FLOAT else numeric(operand)
        if t == "BinaryExpression":
            if node.left.type == "PrivateIdentifier":
                return BOOLEAN
            return binary_type(node.operator, self._of(node.left), self._of(node.right))
        if t == "UpdateExpression":
            return numeric(self._of(node.argument))
        if t == "AssignmentExpression":
            op = node.operator
            if op == "=":
                return self._of(node.right)
            if op in ("&&=", "||=", "??="):
                return ANY
            return binary_type(op[:-1], self._of(node.left), self._of(node.right))
        if t == "LogicalExpression":
            return join(self._of(node.left), self._of(node.right))
        if t == "ConditionalExpression":
            return join(self._of(node.consequent), self._of(node.alternate))
        if t == "SequenceExpression":
            return self._of(node.expressions[-1])
        return ANY

    # -- inference -------------------------------------------------------------------------

    def _candidate(self, ident: Any) -> Binding | None:
        binding = self._binding(ident)
        if binding is None or binding.kind not in ("let", "const") or binding.scope.func.node is None:
            return None
        return binding

    def _write(self, ident: Any, kind: str, value: Any) -> None:
        binding = self._candidate(ident)
        if binding is not None:
            self.writes.setdefault(id(binding), []).append((kind, value))

    def _unknown(self, ident: Any) -> None:
        binding = self.a.refs.get(id(ident))
        if binding is not None:
            self.writes.setdefault(id(binding), []).append(("any", None))

    def _collect(self, body: list[Any]) -> None:
        for bindings in self.a.direct_evals.values():
            for binding in bindings:  # the eval'd code may assign anything to them
                self.writes.setdefault(id(binding), []).append(("any", None))
        stack: list[Any] = list(body)
        while stack:
            node = stack.pop()
            t = node.type
            if t == "VariableDeclarator":
                if node.id.type == "Identifier":
                    self._write(node.id, "=", node.init)
                else:
                    for ident in pattern_names(node.id):
                        self._unknown(ident)
            elif t == "AssignmentExpression":
                if node.left.type == "Identifier":
                    # `x op= v` is typed as the whole expression (its left side is the binding's type).
                    self._write(node.left, "=", node.right if node.operator == "=" else node)
                else:
                    for ident in pattern_names(node.left):
                        self._unknown(ident)
            elif t == "UpdateExpression" and node.argument.type == "Identifier":
                self._write(node.argument, "++", node.argument)
            elif t in _FOR_IN_OF:
                left = node.left
                for target in (left.declarations if left.type == "VariableDeclaration" else [left]):
                    for ident in pattern_names(target.id if target.type == "VariableDeclarator" else target):
                        self._unknown(ident)
            elif t == "Identifier" and id(node) in self.a.with_refs:
                self._unknown(node)
            stack.extend(children(node))

    def _solve(self) -> None:
        for key in self.writes:
            self.types[key] = _NONE
        changed = True
        while changed:
            changed = False
            for key, writes in self.writes.items():
                t = self.types[key]
                for kind, value in writes:
                    t = join(t, self._write_type(kind, value))
                if t != self.types[key]:
                    self.types[key] = t
                    changed = True

    def _write_type(self, kind: str, value: Any) -> str:
        if kind == "any":
            return ANY
        if kind == "=":
            return UNDEFINED if value is None else self._of(value)
        return numeric(self._of(value))  # ++ and --
