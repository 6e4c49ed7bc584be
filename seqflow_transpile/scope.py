"""Scope analysis: resolve every identifier, decide where each binding lives in Python.

The output is a Python function per JS function, per script, per loop
whose block-scoped bindings are captured by closures (JS gives each iteration
a fresh binding; Python closures share one cell per function call, so such a
loop body becomes a function called once per iteration), and per statement
nested too deeply for one Python function (see :mod:`.nesting`). Each binding gets a
Python name unique within its Python function and distinct from every outer
name that function's code refers to, so plain Python scoping does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from .names import python_base_name, unique_name
from .nesting import deep_statements

FUNCTION_TYPES = ("FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression")
LOOP_TYPES = ("ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement")
LEXICAL = ("let", "const", "class", "block-function")


@dataclass(eq=False)
class FuncInfo:
    """Facts about one JS function (or the script) that code generation needs."""

    node: Any
    parent: "FuncInfo | None"
    is_arrow: bool = False
    is_async: bool = False
    is_generator: bool = False
    strict: bool = False
    uses_arguments: bool = False
    uses_this: bool = False
    #: ``super.x`` appears in it (or in its arrows): an object-literal method needs its home object.
    uses_super: bool = False
    has_yield: bool = False
    #: ``new.target`` appears in it (or in its arrows): it reads it once, on entry.
    uses_new_target: bool = False
    #: A sloppy direct ``eval`` in it may declare ``var``s: they live in a dict (see ``codegen.evals``).
    sloppy_eval: bool = False


@dataclass(eq=False)
class Unit:
    """One Python function of the output."""

    node: Any
    parent: "Unit | None"
    kind: str  # "script" | "function" | "loop" | "hoisted"
    bindings: list["Binding"] = field(default_factory=list)
    free: set["Binding"] = field(default_factory=set)
    params: set["Binding"] = field(default_factory=set)
    children: list["Unit"] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)


@dataclass(eq=False)
class Binding:
    """A declared JS name."""

    name: str
    kind: str  # var, let, const, class, function, block-function, param, catch, self
    scope: "Scope"
    unit: Unit | None = None
    py_name: str = ""
    captured: bool = False
    assigned: bool = False
    #: The ``function`` declarations of the name in its scope (the last one is its value).
    declarations: list[Any] = field(default_factory=list)


@dataclass(eq=False)
class Scope:
    """A JS environment: function, block, loop head, catch clause, a function's own name,
    or a hoisted statement (no bindings of its own: it marks where a helper function starts)."""

    kind: str
    node: Any
    parent: "Scope | None"
    func: FuncInfo
    loop: Any = None
    bindings: dict[str, Binding] = field(default_factory=dict)


@dataclass
class Analysis:
    """Everything code generation asks about names."""

    refs: dict[int, Binding | None] = field(default_factory=dict)
    scopes: dict[int, Scope] = field(default_factory=dict)
    funcs: dict[int, FuncInfo] = field(default_factory=dict)
    units: dict[int, Unit] = field(default_factory=dict)
    script_unit: Unit | None = None
    script_func: FuncInfo | None = None
    promoted: set[int] = field(default_factory=set)
    #: Statements nested too deeply for their Python function: each runs as a helper function.
    hoisted: set[int] = field(default_factory=set)
    #: id of a hoisted statement → the unit of its helper function.
    helpers: dict[int, "Unit"] = field(default_factory=dict)
    all_names: set[str] = field(default_factory=set)
    #: (id of a class body or static block, static) → the function initialising its elements.
    initialisers: dict[tuple[int, bool], "ClassInitialiser"] = field(default_factory=dict)
    #: id of a sloppy block-level FunctionDeclaration → the function-level ``var`` it also sets (Annex B.3.3).
    annex_b: dict[int, Binding] = field(default_factory=dict)
    #: id of a direct ``eval(...)`` call → the bindings its code can see, innermost first.
    direct_evals: dict[int, list[Binding]] = field(default_factory=dict)
    #: id of a direct ``eval(...)`` call → how many of its visible bindings are its own function's.
    direct_eval_own: dict[int, int] = field(default_factory=dict)
    #: id of an Identifier inside ``with`` → the ``with`` statements it looks through, innermost first.
    with_refs: dict[int, list[Any]] = field(default_factory=dict)
    #: id of a ``with`` statement → the Python temporary holding its object (set by codegen).
    with_objects: dict[int, str] = field(default_factory=dict)
    #: id of a FuncInfo with a sloppy direct eval → the Python name of its eval ``var`` dict.
    eval_vars: dict[int, str] = field(default_factory=dict)
    #: "" for a script; "global" for indirect eval code, "direct" for direct eval code.
    eval_mode: str = ""


class ClassInitialiser:
    """The function a class's field initialisers run in: one per class for its instances,
    one for its static side, and one per static block (its own ``var`` scope). ``this``
    is the instance (or the class); the elements are evaluated in order.
    """

    type = "ClassInitialiser"
    id = None
    params: list[Any] = []
    generator = False
    isAsync = False

    def __init__(self, owner: Any, static: bool, elements: list[Any], block: bool = False) -> None:
        self.owner = owner  # the class body (ClassBody), or the static block
        self.static = static
        self.elements = elements
        self.block = block
        self.loc = owner.loc
        self.body = _EmptyBlock()


class _EmptyBlock:
    """The (empty) ``body`` of a :class:`ClassInitialiser`: its elements are not statements."""

    type = "BlockStatement"
    body: list[Any] = []


def pattern_names(pattern: Any) -> Iterator[Any]:
    """The Identifier nodes a binding pattern declares."""
    t = pattern.type
    if t == "Identifier":
        yield pattern
    elif t == "ObjectPattern":
        for prop in pattern.properties:
            yield from pattern_names(prop.argument if prop.type == "RestElement" else prop.value)
    elif t == "ArrayPattern":
        for el in pattern.elements:
            if el is not None:
                yield from pattern_names(el)
    elif t == "AssignmentPattern":
        yield from pattern_names(pattern.left)
    elif t == "RestElement":
        yield from pattern_names(pattern.argument)


def is_static_element(member: Any) -> bool:
    """Whether a class element belongs to the class itself (static members and blocks)."""
    return member.type == "StaticBlock" or bool(member.static)


def _lexical_names(statements: list[Any], functions: bool) -> set[str]:
    """Names a statement list declares with ``let``/``const``/``class`` (and functions, if asked)."""
    names: set[str] = set()
    for stmt in statements:
        while stmt.type == "LabeledStatement":
            stmt = stmt.body
        if stmt.type == "VariableDeclaration" and stmt.kind != "var":
            names.update(ident.name for decl in stmt.declarations for ident in pattern_names(decl.id))
        elif stmt.type == "ClassDeclaration" or (functions and stmt.type == "FunctionDeclaration"):
            names.add(stmt.id.name)
    return names


def _block_functions(statements: list[Any], blocked: frozenset[str], nested: bool) -> Iterator[Any]:
    """Plain function declarations in blocks under ``statements`` whose name no enclosing
    lexical declaration (``blocked``) takes (the Annex B.3.3 candidates; not in nested functions)."""
    own = blocked | _lexical_names(statements, False)
    inner = own | _lexical_names(statements, True) if nested else own
    for stmt in statements:
        while stmt.type == "LabeledStatement":
            stmt = stmt.body
        if stmt.type == "FunctionDeclaration":
            if nested and stmt.id.name not in own and not stmt.generator and not stmt.isAsync:
                yield stmt
            continue
        yield from _statement_block_functions(stmt, frozenset(inner))


def _statement_block_functions(node: Any, blocked: frozenset[str]) -> Iterator[Any]:
    """:func:`_block_functions` for the blocks nested in one statement."""
    t = node.type
    if t == "BlockStatement":
        yield from _block_functions(node.body, blocked, nested=True)
    elif t == "SwitchStatement":
        yield from _block_functions([s for case in node.cases for s in case.consequent], blocked, nested=True)
    elif t == "IfStatement":
        for branch in (node.consequent, node.alternate):
            if branch is not None:
                yield from _statement_block_functions(branch, blocked)
    elif t in LOOP_TYPES or t == "WithStatement":
        head = getattr(node, "init", None) or getattr(node, "left", None)
        if head is not None and head.type == "VariableDeclaration" and head.kind != "var":
            blocked = blocked | _lexical_names([head], False)
        yield from _statement_block_functions(node.body, blocked)
    elif t == "TryStatement":
        yield from _statement_block_functions(node.block, blocked)
        if node.handler is not None:
            param = node.handler.param
            # Annex B.3.5: a var may redeclare a plain catch parameter, not a destructured one.
            if param is not None and param.type != "Identifier":
                blocked = blocked | {ident.name for ident in pattern_names(param)}
            yield from _statement_block_functions(node.handler.body, blocked)
        if node.finalizer is not None:
            yield from _statement_block_functions(node.finalizer, blocked)


def children(node: Any) -> Iterator[Any]:
    """Child nodes in source order (generic traversal)."""
    for key, value in vars(node).items():
        if key in ("loc", "range", "type", "leadingComments", "trailingComments"):
            continue
        if isinstance(value, list):
            for item in value:
                if item is not None and hasattr(item, "type"):
                    yield item
        elif value is not None and hasattr(value, "type"):
            yield value


def is_strict_body(body: list[Any]) -> bool:
    """Whether a function body or script starts with the "use strict" directive."""
    for stmt in body:
        if stmt.type == "ExpressionStatement" and getattr(stmt, "directive", None) is not None:
            if stmt.directive == "use strict":
                return True
            continue
        break
    return False


class _Resolver:
    def __init__(self, eval_mode: str = "", strict: bool = False) -> None:
        self.a = Analysis(eval_mode=eval_mode)
        self.strict = strict
        self.loop: Any = None
        #: The hoisted statement being entered (its helper scope is made; visit it now).
        self.entering: Any = None
        # (binding, function info of the reference, scope of the reference)
        self.uses: list[tuple[Binding, Scope]] = []

    # -- declarations ---------------------------------------------------------

    def declare(self, scope: Scope, ident: Any, kind: str) -> Binding:
        name = ident.name
        self.a.all_names.add(name)
        existing = scope.bindings.get(name)
        if existing is not None:
            # `var` redeclarations and function-over-var share one binding.
            if kind in ("function", "block-function") and existing.kind != "param":
                existing.kind = kind
            self.a.refs[id(ident)] = existing
            return existing
        binding = Binding(name, kind, scope)
        scope.bindings[name] = binding
        self.a.refs[id(ident)] = binding
        return binding

    def hoist_vars(self, scope: Scope, nodes: list[Any]) -> None:
        """Declare every ``var`` (and nested function-level name) in ``nodes``."""
        stack = list(reversed(nodes))
        while stack:
            node = stack.pop()
            if node is None or not hasattr(node, "type"):
                continue
            t = node.type
            if t in FUNCTION_TYPES or t in ("ClassDeclaration", "ClassExpression"):
                continue
            if t == "VariableDeclaration" and node.kind == "var":
                for decl in node.declarations:
                    for ident in pattern_names(decl.id):
                        self.declare(scope, ident, "var")
            stack.extend(reversed(list(children(node))))

    def declare_lexical(self, scope: Scope, body: list[Any], top_level_functions: bool,
                        functions: bool = True) -> None:
        """Declare let/const/class/function declarations directly in a statement list."""
        for stmt in body:
            node = stmt
            while node.type == "LabeledStatement":
                node = node.body
            if node.type == "VariableDeclaration" and node.kind != "var":
                for decl in node.declarations:
                    for ident in pattern_names(decl.id):
                        self.declare(scope, ident, node.kind)
            elif node.type == "ClassDeclaration":
                self.declare(scope, node.id, "class")
            elif node.type == "FunctionDeclaration" and functions:
                binding = self.declare(scope, node.id, "function" if top_level_functions else "block-function")
                binding.declarations.append(node)

    def annex_b_functions(self, scope: Scope, body: list[Any]) -> None:
        """Annex B.3.3: in sloppy code a function declared in a block is also a ``var`` of
        the enclosing function (or script), set when the declaration is evaluated, unless
        a ``var`` of that name would clash with a parameter or an enclosing ``let``/``const``/``class``.
        """
        if scope.func.strict:
            return
        blocked = {name for name, b in scope.bindings.items() if b.kind == "param" or b.kind in LEXICAL}
        for node in _block_functions(body, frozenset(blocked), nested=False):
            name = node.id.name
            binding = scope.bindings.get(name)
            if binding is None:
                binding = Binding(name, "var", scope)
                scope.bindings[name] = binding
            self.a.annex_b[id(node)] = binding

    def parameter_tdz_scope(self, params: list[Any], index: int, fscope: Scope, own: bool = False) -> Scope:
        """Where the defaults of parameter ``index`` are resolved (IteratorBindingInitialization, ES2025 10.2.11).

        The parameters after it, and a plain ``x = ...`` itself (``own``: every name
        of a destructured ``{...} = default``), are not initialized yet: a direct
        reference to one is a ReferenceError (a ``param-tdz`` scope of never assigned
        bindings), while a closure made there sees the parameter itself (see
        :meth:`reference`). This is the only static TDZ of parameters: code
        generation reads the scope (a name declared earlier in the same pattern is
        bound when a later default reads it).
        """
        param = params[index]
        names = [i.name for p in params[index + 1:] for i in pattern_names(p)]
        if param.type == "AssignmentPattern" and (own or param.left.type == "Identifier"):
            names.extend(i.name for i in pattern_names(param.left))
        if not names:
            return fscope
        tdz = self.new_scope("param-tdz", object(), fscope)  # its own key: no AST node owns this scope
        for name in names:
            # "const": nothing writes it (an eval there only reads it, which throws).
            tdz.bindings.setdefault(name, Binding(name, "const", tdz))
        return tdz

    def head_tdz_scope(self, node: Any, scope: Scope) -> Scope:
        """Where a for-in/of head's expression is resolved (ForIn/OfHeadEvaluation, ES2025 14.7.5.6).

        With a ``let``/``const`` declaration its names are uninitialized bindings there,
        distinct from the loop's: their Python names are never assigned, so reading
        one (or a closure's later read) is a ReferenceError.
        """
        left = node.left
        if left.type != "VariableDeclaration" or left.kind == "var":
            return scope
        tdz = self.new_scope("block", object(), scope)  # its own key: no AST node owns this scope
        for decl in left.declarations:
            for ident in pattern_names(decl.id):
                tdz.bindings.setdefault(ident.name, Binding(ident.name, "const", tdz))
        return tdz

    def new_scope(self, kind: str, node: Any, parent: Scope, func: FuncInfo | None = None) -> Scope:
        scope = Scope(kind, node, parent, func or parent.func, self.loop)
        self.a.scopes[id(node)] = scope
        return scope

    # -- references -----------------------------------------------------------

    def reference(self, ident: Any, scope: Scope, write: bool = False) -> None:
        name = ident.name
        self.a.all_names.add(name)
        s: Scope | None = scope
        withs: list[Any] = []
        # `arguments` not declared by the nearest non-arrow function (or inside it) is that
        # function's own arguments object, never an enclosing function's (ES2025 10.2.11 step 22).
        own_arguments = self._arguments_scope(scope) if name == "arguments" else None
        while s is not None:
            if s.kind == "param-tdz" and s.func is not scope.func:
                s = s.parent  # a closure in a default runs later: it sees the parameter itself
                continue
            if s.kind == "with":
                withs.append(s.node)
            b = s.bindings.get(name)
            if b is None and s is own_arguments:
                break
            if b is not None:
                if withs:
                    self.a.with_refs[id(ident)] = withs
                self.a.refs[id(ident)] = b
                if write:
                    b.assigned = True
                if b.scope.func is not scope.func:
                    b.captured = True
                self.uses.append((b, scope))
                return
            s = s.parent
        self.a.refs[id(ident)] = None
        if withs:
            self.a.with_refs[id(ident)] = withs
        if name == "arguments":
            f: FuncInfo | None = scope.func
            while f is not None and f.is_arrow:
                f = f.parent
            if f is not None and f.parent is not None:
                f.uses_arguments = True
                binding = self._arguments_binding(f)
                self.a.refs[id(ident)] = binding
                if binding.scope.func is not scope.func:
                    binding.captured = True
                self.uses.append((binding, scope))

    def _arguments_scope(self, scope: Scope) -> Scope | None:
        """The scope of the function whose ``arguments`` a reference in ``scope`` means (None: the script's)."""
        f: FuncInfo | None = scope.func
        while f is not None and f.is_arrow:
            f = f.parent
        if f is None or f.parent is None:
            return None
        return self.a.scopes[id(f.node)]

    def _arguments_binding(self, f: FuncInfo) -> Binding:
        scope = self.a.scopes[id(f.node)]
        b = scope.bindings.get("arguments")
        if b is None:
            b = Binding("arguments", "arguments", scope, py_name="arguments")
            scope.bindings["arguments"] = b
        return b

    def mark_this(self, scope: Scope, uses_super: bool = False) -> None:
        f: FuncInfo | None = scope.func
        while f is not None and f.is_arrow:
            f = f.parent
        if f is not None:
            f.uses_this = True
            f.uses_super = f.uses_super or uses_super

    # -- traversal ------------------------------------------------------------

    def script(self, body: list[Any]) -> Analysis:
        info = FuncInfo(None, None, is_async=True, strict=self.strict or is_strict_body(body))
        self.a.script_func = info
        scope = Scope("function", None, None, info)
        self.a.scopes[0] = scope
        # Sloppy eval code declares its vars and functions in the caller's variable
        # environment (or on the global object), not as locals of its own.
        own_vars = not self.a.eval_mode or info.strict
        if own_vars:
            self.hoist_vars(scope, body)
        self.declare_lexical(scope, body, True, functions=own_vars)
        if own_vars:
            self.annex_b_functions(scope, body)
        self.a.hoisted |= deep_statements(body)
        self.statements(body, scope)
        self.build_units(body)
        return self.a

    def statements(self, body: list[Any], scope: Scope) -> None:
        for stmt in body:
            self.visit(stmt, scope)

    def function(self, node: Any, scope: Scope) -> None:
        info = FuncInfo(
            node,
            scope.func,
            is_arrow=node.type == "ArrowFunctionExpression",
            is_async=bool(getattr(node, "isAsync", False)),
            is_generator=bool(node.generator),
        )
        body_list = node.body.body if node.body.type == "BlockStatement" else []
        info.strict = scope.func.strict or is_strict_body(body_list)
        self.a.funcs[id(node)] = info
        outer_loop = self.loop
        self.loop = None
        if node.type == "FunctionExpression" and node.id is not None:
            name_scope = self.new_scope("fname", node.id, scope, scope.func)
            self.declare(name_scope, node.id, "self")
            scope = name_scope
        fscope = self.new_scope("function", node, scope, info)
        for param in node.params:
            for ident in pattern_names(param):
                self.declare(fscope, ident, "param")
        for index, param in enumerate(node.params):
            if param.type == "AssignmentPattern" and param.left.type != "Identifier":
                # `{a, b = a} = {a: a}`: the pattern's own defaults run in order as it binds, while
                # the default of the whole runs before any of its names is bound.
                self.visit_pattern_defaults(param.left, self.parameter_tdz_scope(node.params, index, fscope))
                self.visit(param.right, self.parameter_tdz_scope(node.params, index, fscope, own=True))
            else:
                self.visit_pattern_defaults(param, self.parameter_tdz_scope(node.params, index, fscope))
        if node.body.type == "BlockStatement":
            self.hoist_vars(fscope, node.body.body)
            self.declare_lexical(fscope, node.body.body, True)
            self.annex_b_functions(fscope, node.body.body)
            self.a.hoisted |= deep_statements(node.body.body)
            self.statements(node.body.body, fscope)
        else:
            self.visit(node.body, fscope)
        self.loop = outer_loop

    def visit_pattern_defaults(self, pattern: Any, scope: Scope) -> None:
        """Visit the expressions inside a declaration pattern (defaults, computed keys)."""
        t = pattern.type
        if t == "AssignmentPattern":
            self.visit_pattern_defaults(pattern.left, scope)
            self.visit(pattern.right, scope)
        elif t == "ObjectPattern":
            for prop in pattern.properties:
                if prop.type == "RestElement":
                    self.visit_pattern_defaults(prop.argument, scope)
                else:
                    if prop.computed:
                        self.visit(prop.key, scope)
                    self.visit_pattern_defaults(prop.value, scope)
        elif t == "ArrayPattern":
            for el in pattern.elements:
                if el is not None:
                    self.visit_pattern_defaults(el, scope)
        elif t == "RestElement":
            self.visit_pattern_defaults(pattern.argument, scope)
        elif t == "MemberExpression":
            self.visit(pattern, scope)

    def assign_target(self, target: Any, scope: Scope) -> None:
        """An assignment target: identifiers are writes, the rest are expressions."""
        t = target.type
        if t == "Identifier":
            self.reference(target, scope, write=True)
        elif t in ("ObjectPattern", "ArrayPattern", "AssignmentPattern", "RestElement"):
            for ident in pattern_names(target):
                self.reference(ident, scope, write=True)
            self.visit_pattern_defaults(target, scope)
        else:
            self.visit(target, scope)

    def loop_body(self, node: Any, scope: Scope) -> None:
        outer = self.loop
        self.loop = node
        self.visit(node.body, scope)
        self.loop = outer

    def visit(self, node: Any, scope: Scope) -> None:  # noqa: C901 - one dispatch table
        if node is None:
            return
        if id(node) in self.a.hoisted and node is not self.entering:
            # The statement's own scopes belong to its helper function, not to an outer loop's.
            self.entering = node
            outer, self.loop = self.loop, None
            self.visit(node, Scope("hoisted", node, scope, scope.func, outer))
            self.loop = outer
            return
        t = node.type
        if t in FUNCTION_TYPES:
            var = self.a.annex_b.get(id(node))
            if var is not None:
                var.assigned = True
                self.uses.append((var, scope))
            self.function(node, scope)
        elif t == "Identifier":
            self.reference(node, scope)
        elif t == "ThisExpression":
            self.mark_this(scope)
        elif t == "BlockStatement":
            block = self.new_scope("block", node, scope)
            self.declare_lexical(block, node.body, False)
            self.statements(node.body, block)
        elif t == "VariableDeclaration":
            for decl in node.declarations:
                for ident in pattern_names(decl.id):
                    b = self.lookup_declared(ident, scope)
                    self.a.refs[id(ident)] = b
                    if node.kind == "var":
                        self.note_with(ident, scope)
                    if b is not None:
                        self.uses.append((b, scope))
                        if b.scope.func is not scope.func:
                            b.captured = True
                self.visit_pattern_defaults(decl.id, scope)
                self.visit(decl.init, scope)
        elif t == "ClassDeclaration" or t == "ClassExpression":
            self.klass(node, scope)
        elif t in ("ForStatement", "ForInStatement", "ForOfStatement"):
            head = self.new_scope("loop", node, scope)
            head.loop = node
            init = node.init if t == "ForStatement" else node.left
            if init is not None and init.type == "VariableDeclaration" and init.kind != "var":
                for decl in init.declarations:
                    for ident in pattern_names(decl.id):
                        self.declare(head, ident, init.kind)
            if t == "ForStatement":
                self.visit(node.init, head)
                outer = self.loop
                self.loop = node
                self.visit(node.test, head)
                self.visit(node.update, head)
                self.loop = outer
            else:
                self.visit(node.right, self.head_tdz_scope(node, scope))
                if node.left.type == "VariableDeclaration":
                    self.visit(node.left, head)
                else:
                    self.assign_target(node.left, head)
            self.loop_body(node, head)
        elif t in ("WhileStatement", "DoWhileStatement"):
            outer = self.loop
            self.loop = node
            self.visit(node.test, scope)
            self.loop = outer
            self.loop_body(node, scope)
        elif t == "TryStatement":
            self.visit(node.block, scope)
            if node.handler is not None:
                catch = self.new_scope("catch", node.handler, scope)
                if node.handler.param is not None:
                    for ident in pattern_names(node.handler.param):
                        self.declare(catch, ident, "catch")
                    self.visit_pattern_defaults(node.handler.param, catch)
                self.visit(node.handler.body, catch)
            self.visit(node.finalizer, scope)
        elif t == "SwitchStatement":
            self.visit(node.discriminant, scope)
            block = self.new_scope("block", node, scope)
            for case in node.cases:
                self.declare_lexical(block, case.consequent, False)
            for case in node.cases:
                self.visit(case.test, block)
                self.statements(case.consequent, block)
        elif t == "AssignmentExpression":
            self.assign_target(node.left, scope)
            self.visit(node.right, scope)
        elif t == "UpdateExpression":
            self.assign_target(node.argument, scope)
        elif t == "MemberExpression":
            self.visit(node.object, scope)
            if node.computed:
                self.visit(node.property, scope)
        elif t == "Property":
            if node.computed:
                self.visit(node.key, scope)
            self.visit(node.value, scope)
        elif t == "MethodDefinition":
            if node.computed:
                self.visit(node.key, scope)
            self.visit(node.value, scope)
        elif t in ("LabeledStatement",):
            self.visit(node.body, scope)
        elif t in ("BreakStatement", "ContinueStatement", "DebuggerStatement", "EmptyStatement"):
            return
        elif t in ("YieldExpression", "AwaitExpression"):
            f: FuncInfo | None = scope.func
            if f is not None:
                f.has_yield = True
            self.visit(node.argument, scope)
        elif t == "MetaProperty":
            func: FuncInfo | None = scope.func
            while func is not None and func.is_arrow:
                func = func.parent
            if func is not None and node.meta.name == "new":
                func.uses_new_target = True
            return
        elif t == "WithStatement":
            self.visit(node.object, scope)
            self.visit(node.body, self.new_scope("with", node, scope))
        elif t == "CallExpression" and self.is_direct_eval(node, scope):
            self.direct_eval(node, scope)
            for child in children(node):
                self.visit(child, scope)
        elif t == "CallExpression" and node.callee.type == "Super":
            for arg in node.arguments:
                self.visit(arg, scope)
            self.mark_this(scope)
        elif t == "Super":
            self.mark_this(scope, uses_super=True)
        else:
            for child in children(node):
                self.visit(child, scope)

    def is_direct_eval(self, node: Any, scope: Scope) -> bool:
        """``eval(...)`` where ``eval`` is not a declared name (the runtime checks it is the real one)."""
        callee = node.callee
        return bool(callee.type == "Identifier" and callee.name == "eval"
                    and self.lookup_declared(callee, scope) is None)

    def direct_eval(self, node: Any, scope: Scope) -> None:
        """Make every binding visible at a direct ``eval`` reachable from its code.

        They count as captured and assigned (the eval'd code may close over or
        write any of them); ``this`` and a function's ``arguments`` are kept too.
        """
        f: FuncInfo | None = scope.func
        while f is not None and f.is_arrow:
            f = f.parent
        if f is not None and f.parent is not None and not isinstance(f.node, ClassInitialiser):
            f.uses_arguments = True
            self._arguments_binding(f)
        self.mark_this(scope)
        if not scope.func.strict and scope.func.parent is not None:
            scope.func.sloppy_eval = True
        seen: dict[str, Binding] = {}
        withs: list[Any] = []
        own = 0
        s: Scope | None = scope
        while s is not None:
            if s.kind == "with":
                withs.append(s.node)
            if s.func is scope.func and s.kind != "fname":
                own += sum(1 for name in s.bindings if name not in seen)
            for name, b in s.bindings.items():
                if name not in seen:
                    seen[name] = b
                    b.captured = True
                    b.assigned = True
                    self.uses.append((b, scope))
            s = s.parent
        self.a.direct_evals[id(node)] = list(seen.values())
        self.a.direct_eval_own[id(node)] = own
        if withs:
            self.a.with_refs[id(node)] = withs

    def note_with(self, ident: Any, scope: Scope) -> None:
        """A ``var`` initialised inside ``with`` assigns the object's property when it has one."""
        withs = []
        s: Scope | None = scope
        while s is not None and s.kind != "function":
            if s.kind == "with":
                withs.append(s.node)
            s = s.parent
        if withs:
            self.a.with_refs[id(ident)] = withs

    def lookup_declared(self, ident: Any, scope: Scope) -> Binding | None:
        s: Scope | None = scope
        while s is not None:
            b = s.bindings.get(ident.name)
            if b is not None:
                return b
            s = s.parent
        return None

    def klass(self, node: Any, scope: Scope) -> None:
        inner = scope
        if node.type == "ClassExpression" and node.id is not None:
            inner = self.new_scope("fname", node.id, scope)
            self.declare(inner, node.id, "self")
        elif node.type == "ClassDeclaration":
            self.reference(node.id, scope)
        if node.superClass is not None:
            # In the class scope: `class x extends x {}` reads the class's own binding, still uninitialised.
            self.visit(node.superClass, inner)
        for member in node.body.body:
            if getattr(member, "computed", False):
                self.visit(member.key, inner)
            if member.type == "MethodDefinition":
                value = member.value
                # Class bodies are strict code.
                self.function(value, inner)
                self.a.funcs[id(value)].strict = True
        for static in (False, True):
            elements = [m for m in node.body.body if is_static_element(m) == static
                        and m.type in ("StaticBlock", "PropertyDefinition")]
            if elements:
                self.initialiser(ClassInitialiser(node.body, static, elements), inner)

    def initialiser(self, fake: ClassInitialiser, scope: Scope) -> None:
        """Resolve a class's field initialisers (or one static block) in their own function."""
        info = FuncInfo(fake, scope.func, strict=True)
        self.a.funcs[id(fake)] = info
        self.a.initialisers[(id(fake.owner), fake.static)] = fake
        outer_loop = self.loop
        self.loop = None
        fscope = self.new_scope("function", fake, scope, info)
        for element in fake.elements:
            if element.type == "StaticBlock" and fake.block:
                self.hoist_vars(fscope, element.body)
                block = self.new_scope("block", element, fscope)
                self.declare_lexical(block, element.body, False)
                self.a.hoisted |= deep_statements(element.body)
                self.statements(element.body, block)
            elif element.type == "StaticBlock":
                self.initialiser(ClassInitialiser(element, True, [element], block=True), fscope)
            elif element.value is not None:
                self.visit(element.value, fscope)
        self.loop = outer_loop

    # -- units and names ----------------------------------------------------------

    def build_units(self, body: list[Any]) -> None:
        a = self.a
        # Loops whose block-scoped bindings are captured become per-iteration functions.
        for scope in a.scopes.values():
            if scope.kind in ("function", "fname") or scope.loop is None:
                continue
            if any(b.captured and b.kind in LEXICAL for b in scope.bindings.values()):
                a.promoted.add(id(scope.loop))
        script = Unit(None, None, "script")
        a.script_unit = script
        a.units[0] = script
        self.unit_of_scope: dict[int, Unit] = {}
        for scope in self._scopes_in_order():
            unit = self._unit_for(scope)
            for b in scope.bindings.values():
                if b.kind == "arguments":
                    b.unit = unit
                    continue
                if scope.kind == "loop" and id(scope.node) in a.promoted:
                    # Loop-head bindings live in the enclosing function and are
                    # passed to the per-iteration function as parameters.
                    b.unit = unit
                    a.units[id(scope.node)].params.add(b)
                else:
                    b.unit = unit
                unit.bindings.append(b)
        for binding, ref_scope in self.uses:
            unit = self._unit_for(ref_scope)
            owner = binding.unit
            u: Unit | None = unit
            while u is not None and u is not owner:
                if binding not in u.params:
                    u.free.add(binding)
                u = u.parent
        self._allocate(script)

    def _scopes_in_order(self) -> list[Scope]:
        # Creation order is source order, outer before inner.
        return list(self.a.scopes.values())

    def _unit_for(self, scope: Scope) -> Unit:
        """The Python function a scope's bindings belong to (creating units on demand)."""
        key = id(scope)
        cached = self.unit_of_scope.get(key)
        if cached is not None:
            return cached
        a = self.a
        if scope.kind == "function" and scope.node is None:
            unit = a.script_unit
            assert unit is not None
        elif scope.kind == "function":
            parent_scope = scope.parent
            assert parent_scope is not None
            parent = self._unit_for(parent_scope)
            unit = Unit(scope.node, parent, "function")
            parent.children.append(unit)
            a.units[id(scope.node)] = unit
        elif scope.kind == "loop" and id(scope.node) in a.promoted:
            # The head scope itself stays outside; its body gets the unit.
            assert scope.parent is not None
            outer = self._unit_for(scope.parent)
            if id(scope.node) not in a.units:
                unit_loop = Unit(scope.node, outer, "loop")
                outer.children.append(unit_loop)
                a.units[id(scope.node)] = unit_loop
            unit = outer
        else:
            assert scope.parent is not None
            parent_unit = self._unit_for(scope.parent)
            loop = scope.loop
            if loop is not None and id(loop) in a.promoted and scope.node is not loop:
                lu = a.units.get(id(loop))
                if lu is None:
                    lu = Unit(loop, parent_unit, "loop")
                    parent_unit.children.append(lu)
                    a.units[id(loop)] = lu
                unit = lu
            else:
                unit = parent_unit
            if scope.kind == "hoisted":
                helper = Unit(scope.node, unit, "hoisted")
                unit.children.append(helper)
                a.helpers[id(scope.node)] = helper
                unit = helper
        self.unit_of_scope[key] = unit
        return unit

    def _allocate(self, unit: Unit) -> None:
        taken = unit.taken
        for b in unit.free | unit.params:
            taken.add(b.py_name)
        for b in unit.bindings:
            if b.kind == "arguments":
                taken.add("arguments")
                continue
            b.py_name = unique_name(python_base_name(b.name), taken)
        self.a.all_names.update(taken)
        for child in unit.children:
            self._allocate(child)


def analyze(body: list[Any], eval_mode: str = "", strict: bool = False) -> Analysis:
    """Resolve the names of a parsed script (see the module docstring).

    ``eval_mode`` is ``"global"`` or ``"direct"`` for code run by ``eval``;
    ``strict`` says its caller is strict code.
    """
    return _Resolver(eval_mode, strict).script(body)
