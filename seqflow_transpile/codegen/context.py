"""State of code generation: one :class:`FuncCtx` per Python function being written."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ..scope import FuncInfo, Unit


@dataclass(eq=False)
class Target:
    """A JS statement that ``break``/``continue`` can leave: a loop, a switch, a labeled block."""

    node: Any
    kind: str  # "loop" | "switch" | "block"
    labels: set[str]
    py_loop: bool
    #: Statements a ``continue`` runs first (a ``for`` loop's update expression).
    continue_prefix: list[ast.stmt] = field(default_factory=list)
    #: The function this context writes is this loop's per-iteration body.
    promoted: bool = False
    #: Flags set by jumps that cross inner Python loops; reset at each iteration.
    flags: list[str] = field(default_factory=list)
    #: Pending exit checks to emit after this Python loop: (flag, final target, action).
    exits: list[tuple[str, "Target", str]] = field(default_factory=list)
    #: In a helper function (loop body, hoisted statement): the enclosing function's target
    #: this one stands for; a jump to it returns a signal the call site turns into the jump.
    outer: "Target | None" = None


@dataclass(eq=False)
class ClassCtx:
    """What ``super`` refers to inside a class body."""

    ref: str  # the Python name holding the class constructor
    static: bool
    #: The instance field initialiser a derived constructor runs when ``super()`` returns.
    fields: str | None = None
    #: The node id of a derived constructor's only ``super()`` call when it is a top-level
    #: statement (``this`` cannot be bound yet when it runs, so it needs no check).
    sole_super: int | None = None


@dataclass(eq=False)
class FuncCtx:
    """One Python function of the output while it is being written."""

    unit: Unit
    info: FuncInfo
    parent: "FuncCtx | None"
    this_name: str = "this"
    nonlocals: set[str] = field(default_factory=set)
    pending: list[ast.stmt] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    klass: ClassCtx | None = None
    derived_ctor: bool = False
    #: A helper function (a loop's per-iteration body, a hoisted statement): it returns
    #: ``rt.Return(value)`` for a JS ``return`` and a signal for each jump that leaves it.
    promoted: bool = False
    in_lambda: bool = False
    #: Signal → (the enclosing function's target, "break" | "continue") of jumps leaving this helper.
    escapes: dict[str, tuple[Target, str]] = field(default_factory=dict)
    #: Helper ``def``s of hoisted statements, written before the current top-level statement.
    lifted: list[ast.stmt] = field(default_factory=list)
    #: How many statement lists are being translated in this function (0: at its top level).
    statement_depth: int = 0

    def owns(self, binding: Any) -> bool:
        """Whether ``binding`` is a local of this Python function."""
        return binding.unit is self.unit or binding in self.unit.params
