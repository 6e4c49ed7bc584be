"""Classes: methods, accessors, fields, private names and static blocks.

A class is its member ``def``s plus one ``rt.make_class(...)`` call. Fields
are set by an initialiser function that the constructor runs first (a base
class) or right after ``super()`` returns (a derived class); static fields
and static blocks run in the static initialiser, with ``this`` the class,
once the class binding exists::

    class Counter { #n = 0; static made = 0; inc() { return ++this.#n } }

    Counter_n = rt.private_name('#n')
    def Counter_fields(this):
        rt.private_define(this, Counter_n, 0)
    def Counter(this):
        rt.init_fields(this, Counter_fields)
    ...
    Counter = rt.make_class('Counter', Counter, None, [('method', 'inc', Counter_inc)])
    def Counter_static(this):
        rt.define_field(this, 'made', 0)
    rt.init_fields(Counter, Counter_static)

Each evaluation of a class body makes new private names; a computed key is
evaluated once, in source order, when the class is defined.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import pyast as P
from ..scope import ClassInitialiser, children, is_static_element
from .base import GenBase
from .context import ClassCtx


class ClassGen(GenBase):
    """Translation of class definitions and of private member access."""

    #: Innermost last: JS ``#name`` → the Python name holding its PrivateName.
    private_scopes: list[dict[str, str]]

    # Implemented by the other parts.
    def build_function(self, node: Any, def_name: str, klass: ClassCtx | None = None,
                       derived: bool = False) -> tuple[ast.FunctionDef, int]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def hoisted_declarations(self, unit: Any, node: Any) -> list[ast.stmt]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def wrap(self, helper: str, fn: ast.expr, display_name: str | ast.expr, node: Any,
             py_params: int) -> ast.expr:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    @staticmethod
    def js_length(node: Any) -> int:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    def reusable(self, node: Any) -> tuple[ast.expr, ast.expr]:
        """Declared here, implemented by a part."""
        raise NotImplementedError

    # -- declarations and expressions ------------------------------------------------

    def class_expr(self, node: Any, py_name: str | None, name: str | ast.expr | None = None) -> ast.expr:
        """A class expression: its member ``def``s go to ``pending``; the value is the class.

        ``name`` names an anonymous class (NamedEvaluation): the target's name,
        or an expression computing it.
        """
        if py_name is None:
            if node.id is not None and self.binding_of(node.id) is not None:
                py_name = self.note_write(self.binding_of(node.id))  # type: ignore[arg-type]
            else:
                py_name = self.local_name(name if isinstance(name, str) and name.isidentifier() else "_class")
        defs, value, statics = self.class_parts(node, py_name, name)
        self.ctx.pending.extend(defs)
        made = P.walrus(py_name, value)
        if statics is None:
            return made
        return P.rt_call("init_fields", made, P.name(statics))

    def class_declaration(self, node: Any) -> list[ast.stmt]:
        """``class A extends B { ... }`` as member ``def``s and ``A = rt.make_class(...)``."""
        binding = self.binding_of(node.id)
        assert binding is not None
        py_name = self.note_write(binding)
        defs, value, statics = self.class_parts(node, py_name)
        out = [*defs, P.assign(py_name, value)]
        if statics is not None:
            out.append(P.expr_stmt(P.rt_call("init_fields", P.name(py_name), P.name(statics))))
        return out

    def class_parts(self, node: Any, ref: str, name: str | ast.expr | None = None,
                    ) -> tuple[list[ast.stmt], ast.expr, str | None]:
        """The ``def``s of a class, the ``rt.make_class(...)`` call, and its static initialiser's name.

        The static initialiser is defined among the ``def``s; the caller runs it
        once the class binding holds the class. ``name`` is an anonymous class's
        name (see :meth:`class_expr`).
        """
        js_name = node.id.name if node.id is not None else name if isinstance(name, str) else ""
        label = js_name or "class"
        parent = self.expr(node.superClass) if node.superClass is not None else P.const(None)
        derived = node.superClass is not None
        defs: list[ast.stmt] = []
        if not hasattr(self, "private_scopes"):
            self.private_scopes = []
        privates = self.private_declarations(node, label, ref, defs)
        self.private_scopes.append(privates)
        try:
            # Keyed by the class body: a class named after its variable is a copy of the node.
            instance = self.a.initialisers.get((id(node.body), False))
            static = self.a.initialisers.get((id(node.body), True))
            keys = self.computed_field_keys(node)
            fields = self.initialiser_def(instance, f"{label}_fields", ref, keys, node, privates, defs)
            statics = self.initialiser_def(static, f"{label}_static", ref, keys, node, privates, defs)
            ctor = self.constructor_def(node, ref, js_name, derived, fields, defs)
            members = self.member_entries(node, js_name, ref, keys, privates, defs)
        finally:
            self.private_scopes.pop()
        shown = name if isinstance(name, ast.expr) else P.const(js_name)
        # The parent may evaluate to null (`extends null`, or a variable holding null): the class is still
        # derived (its prototype's [[Prototype]] is null, its constructor's `this` comes from super()).
        extra = {"has_parent": P.const(True)} if derived else {}
        call = P.rt_call("make_class", shown, ctor, parent, ast.List(elts=members, ctx=ast.Load()), **extra)
        return defs, call, statics

    # -- members ------------------------------------------------------------------------

    def private_declarations(self, node: Any, label: str, ref: str, defs: list[ast.stmt]) -> dict[str, str]:
        """``X_name = rt.private_name('#name')`` (methods and accessors hold their functions)."""
        privates: dict[str, str] = {}
        accessors: dict[str, dict[str, ast.expr]] = {}
        names = [m.key.name for m in node.body.body if getattr(m, "key", None) is not None
                 and m.key.type == "PrivateIdentifier"]
        for name in names:
            if name not in privates:
                privates[name] = self.local_name(f"{label}_{name}")
        # Methods may refer to any private name of the class, so all names exist first.
        self.private_scopes.append(privates)
        try:
            for member in node.body.body:
                key = getattr(member, "key", None)
                if key is None or key.type != "PrivateIdentifier":
                    continue
                name = key.name
                py = privates[name]
                description = P.const("#" + name)
                if member.type == "PropertyDefinition":
                    defs.append(P.assign(py, P.rt_call("private_name", description)))
                    continue
                fn = self.method_object(member, f"{label}_{name}", ref, f"#{name}", defs)
                if member.kind in ("get", "set"):
                    accessors.setdefault(name, {})[member.kind] = fn
                    continue
                defs.append(P.assign(py, P.rt_call("private_method", description, fn)))
            for name, pair in accessors.items():
                defs.append(P.assign(privates[name], P.rt_call(
                    "private_accessor", P.const("#" + name), pair.get("get", P.name("undefined")),
                    pair.get("set", P.name("undefined")))))
        finally:
            self.private_scopes.pop()
        return privates

    def method_object(self, member: Any, hint: str, ref: str, display: str, defs: list[ast.stmt]) -> ast.expr:
        """A private method's or accessor's function object (its ``def`` goes to ``defs``)."""
        fdef, py_params = self.build_function(member.value, self.local_name(hint),
                                              klass=ClassCtx(ref=ref, static=bool(member.static)))
        defs.append(self.marker(member))
        defs.append(fdef)
        shown = f"{member.kind} {display}" if member.kind in ("get", "set") else display
        self.display_names[fdef.name] = shown
        helper = "method" if member.kind in ("get", "set") else self.wrapper_helper(
            self.a.funcs[id(member.value)], method=True)
        return self.wrap(helper, P.name(fdef.name), shown, member.value, py_params)

    def computed_field_keys(self, node: Any) -> dict[int, str]:
        """A temporary for each computed field key (filled when the class is defined)."""
        return {id(m): self.temp("key") for m in node.body.body
                if m.type == "PropertyDefinition" and m.computed}

    def member_entries(self, node: Any, js_name: str, ref: str, keys: dict[int, str],
                       privates: dict[str, str], defs: list[ast.stmt]) -> list[ast.expr]:
        """``make_class``'s member list: methods, accessors, and the computed keys of fields in order.

        An entry is ``(kind, key, def)``, plus the ``length`` where it is not the def's arity.
        """
        label = js_name or "class"
        members: list[ast.expr] = []
        for member in node.body.body:
            static = is_static_element(member)
            prefix = "static " if static else ""
            if member.type == "PropertyDefinition":
                if member.computed:
                    key = P.walrus(keys[id(member)], P.rt_call("to_property_key", self.expr(member.key)))
                    members.append(ast.Tuple(elts=[P.const(prefix + "field"), key, P.const(None)],
                                             ctx=ast.Load()))
                continue
            if member.type != "MethodDefinition" or member.kind == "constructor":
                continue
            if member.key.type == "PrivateIdentifier":
                continue
            info = self.a.funcs[id(member.value)]
            key_text = self.static_key_name(member)
            def_name = self.local_name(f"{label}_{key_text}" if key_text else f"{label}_member")
            fdef, py_params = self.build_function(member.value, def_name, klass=ClassCtx(ref=ref, static=static))
            if key_text:
                self.display_names[def_name] = f"{js_name}.{key_text}" if js_name else key_text
            defs.append(self.marker(member))
            defs.append(fdef)
            kind = member.kind if member.kind in ("get", "set") else (
                "async generator method" if info.is_generator and info.is_async else
                "generator method" if info.is_generator else "async method" if info.is_async else "method")
            entry = [P.const(prefix + kind), self.property_key(member), P.name(def_name)]
            length = self.js_length(member.value)
            if length != py_params:
                entry.append(P.const(length))
            members.append(ast.Tuple(elts=entry, ctx=ast.Load()))
        return members

    # -- constructor and initialisers ------------------------------------------------------

    def constructor_def(self, node: Any, ref: str, js_name: str, derived: bool, fields: str | None,
                        defs: list[ast.stmt]) -> ast.expr:
        """The constructor's ``def`` (synthesised when fields need one); ``None`` for the default."""
        ctor = next((m for m in node.body.body if m.type == "MethodDefinition" and m.kind == "constructor"), None)
        klass = ClassCtx(ref=ref, static=False, fields=fields,
                         sole_super=self.sole_super_call(ctor.value) if ctor is not None and derived else None)
        if ctor is not None:
            fdef, _ = self.build_function(ctor.value, ref, klass=klass, derived=derived)
            if fields is not None and not derived:
                at = 1 if fdef.body and isinstance(fdef.body[0], ast.Nonlocal) else 0
                fdef.body.insert(at, P.expr_stmt(P.rt_call("init_fields", P.name("this"), P.name(fields))))
            defs.append(self.marker(ctor))
        elif fields is not None:
            if derived:
                made = P.rt_call("construct_super", P.name(ref), P.name("new_target"), P.starred(P.name("args")))
                body: list[ast.stmt] = [ast.Return(value=P.rt_call("init_fields", made, P.name(fields)))]
                fdef = P.function_def(ref, ["new_target"], body, vararg="args")
            else:
                body = [P.expr_stmt(P.rt_call("init_fields", P.name("this"), P.name(fields)))]
                fdef = P.function_def(ref, ["this"], body)
        else:
            return P.const(None)
        self.display_names[ref] = f"new {js_name}" if js_name else "new <anonymous>"
        defs.append(fdef)
        return P.name(ref)

    @staticmethod
    def sole_super_call(ctor: Any) -> int | None:
        """The id of a constructor's ``super()`` call if it is the only one and a top-level statement."""
        sites: list[Any] = []
        stack = list(ctor.body.body)
        while stack:
            n = stack.pop()
            if n.type in ("FunctionExpression", "FunctionDeclaration"):
                continue  # its own `super` (a nested class's methods are function expressions)
            if n.type == "CallExpression" and n.callee.type == "Super":
                sites.append(n)
            stack.extend(children(n))
        top = [s.expression for s in ctor.body.body if s.type == "ExpressionStatement"]
        return id(sites[0]) if len(sites) == 1 and any(sites[0] is t for t in top) else None

    def initialiser_def(self, fake: ClassInitialiser | None, hint: str, ref: str, keys: dict[int, str],
                        node: Any, privates: dict[str, str], defs: list[ast.stmt]) -> str | None:
        """The ``def`` running one side's private brands, field initialisers and static blocks."""
        static = fake.static if fake is not None else hint.endswith("_static")
        brands: list[str] = []
        for m in node.body.body:
            if m.type == "MethodDefinition" and m.key.type == "PrivateIdentifier" and is_static_element(m) == static:
                if privates[m.key.name] not in brands:
                    brands.append(privates[m.key.name])
        if fake is None and not brands:
            return None
        def_name = self.local_name(hint)
        body: list[ast.stmt] = []
        if brands:
            body.append(P.expr_stmt(P.rt_call("private_brand", P.name("this"), *[P.name(b) for b in brands])))
        if fake is None:
            defs.append(P.function_def(def_name, ["this"], body))
            return def_name
        info = self.a.funcs[id(fake)]
        unit = self.a.units[id(fake)]
        saved = self.ctx
        ctx = self.new_ctx(unit, info, this_name="this")
        ctx.klass = ClassCtx(ref=ref, static=static)
        self.ctx = ctx
        try:
            body.extend(self.hoisted_declarations(unit, fake))
            for member in fake.elements:
                body.append(self.marker(member))
                if member.type == "StaticBlock" and fake.block:
                    body.extend(self.function_declarations(member.body))
                    body.extend(self.statements(member.body))
                elif member.type == "StaticBlock":
                    # A static block is a function of its own (its `var`s are its locals).
                    block = self.a.initialisers[(id(member), True)]
                    block_def = self.initialiser_def(block, f"{hint}_block", ref, keys, node, {}, ctx.pending)
                    assert block_def is not None
                    body.extend(ctx.pending)
                    ctx.pending = []
                    body.append(P.expr_stmt(P.call(P.name(block_def), P.name("this"))))
                else:
                    value = self.field_value(member, keys) if member.value is not None else P.name("undefined")
                    body.extend(ctx.pending)
                    ctx.pending = []
                    body.append(self.field_definition(member, keys, privates, value))
        finally:
            self.ctx = saved
        if ctx.nonlocals:
            body.insert(0, ast.Nonlocal(names=sorted(ctx.nonlocals)))
        defs.append(P.function_def(def_name, ["this"], P.body_or_pass(body)))
        return def_name

    def field_value(self, member: Any, keys: dict[int, str]) -> ast.expr:
        """A field's initial value (an anonymous function or class takes the field's name)."""
        if member.key.type == "PrivateIdentifier":
            return self.named_value(member.value, "#" + member.key.name)
        if member.computed:
            return self.named_value(member.value, P.rt_call("function_name", P.name(keys[id(member)])))
        return self.named_value(member.value, self.static_key_name(member) or "")

    def field_definition(self, member: Any, keys: dict[int, str], privates: dict[str, str],
                         value: ast.expr) -> ast.stmt:
        """``rt.define_field(this, key, value)`` or ``rt.private_define(this, X_name, value)``."""
        if member.key.type == "PrivateIdentifier":
            return P.expr_stmt(P.rt_call("private_define", P.name("this"), P.name(privates[member.key.name]),
                                         value))
        if member.computed:
            key: ast.expr = P.name(keys[id(member)])
        else:
            key = self.property_key(member)
        return P.expr_stmt(P.rt_call("define_field", P.name("this"), key, value))

    # -- private member access ----------------------------------------------------------------

    def private_ref(self, ident: Any) -> ast.expr:
        """The Python name holding the PrivateName ``#ident`` refers to (innermost class first)."""
        for scope in reversed(getattr(self, "private_scopes", [])):
            if ident.name in scope:
                return P.name(scope[ident.name])
        raise self.unsupported(ident, f"private name #{ident.name} outside its class")

    def member_read(self, obj: ast.expr, member: Any) -> ast.expr:
        """``obj.key`` / ``obj[key]`` / ``obj.#key`` with ``obj`` already translated."""
        if member.property.type == "PrivateIdentifier":
            return P.rt_call("private_get", obj, self.private_ref(member.property))
        return P.rt_call("get", obj, self.member_key(member))

    def method_call(self, obj: ast.expr, member: Any, args: list[ast.expr]) -> ast.expr:
        """``obj.key(...args)`` with ``this`` = obj (``obj.#m(...)`` included)."""
        if member.property.type == "PrivateIdentifier":
            first, again = (obj, obj) if isinstance(obj, ast.Name) else self.held(obj)
            return P.rt_call("call_this", P.rt_call("private_get", first, self.private_ref(member.property)),
                             again, *args)
        return P.rt_call("call_method", obj, self.member_key(member), *args)

    def member_write(self, obj: ast.expr, key: ast.expr | None, member: Any, value: ast.expr) -> ast.expr:
        """``obj[key] = value`` (``key`` already translated) or ``obj.#x = value``; the value is the result."""
        if member.property.type == "PrivateIdentifier":
            return P.rt_call("private_set", obj, self.private_ref(member.property), value)
        assert key is not None
        return P.rt_call(self.helper("set"), obj, key, value)

    def held(self, value: ast.expr) -> tuple[ast.expr, ast.expr]:
        """``value`` in a temporary, and a read of it."""
        tmp = self.temp()
        return P.walrus(tmp, value), P.name(tmp)

    def private_assign(self, target: Any, op: str, right: Any, arith: dict[str, str]) -> ast.expr:
        """``o.#x = v`` and ``o.#x op= v``."""
        name = self.private_ref(target.property)
        if op == "=":
            return P.rt_call("private_set", self.expr(target.object), name, self.expr(right))
        obj, again = self.reusable(target.object)
        current = P.rt_call("private_get", obj, name)
        return P.rt_call("private_set", again, name, P.rt_call(arith[op[:-1]], current, self.expr(right)))

    def private_update(self, node: Any) -> ast.expr:
        """``o.#x++`` and friends: the old (or new) value as a number."""
        target = node.argument
        name = self.private_ref(target.property)
        obj, again = self.reusable(target.object)
        helper = "inc" if node.operator == "++" else "dec"
        read = P.rt_call("to_number", P.rt_call("private_get", obj, name))
        if node.prefix:
            return P.rt_call("private_set", again, name, P.rt_call(helper, read))
        old = self.temp()
        write = P.rt_call("private_set", again, name, P.rt_call(helper, P.walrus(old, read)))
        return ast.Subscript(value=ast.Tuple(elts=[write, P.name(old)], ctx=ast.Load()), slice=P.const(1),
                             ctx=ast.Load())

    def private_in(self, node: Any) -> ast.expr:
        """``#x in o``."""
        return P.rt_call("private_in", self.private_ref(node.left), self.expr(node.right))

    def private_target(self, pattern: Any, value: ast.expr) -> list[ast.stmt]:
        """``[this.#x] = ...``: a destructuring target that is a private member."""
        return [P.expr_stmt(P.rt_call("private_set", self.expr(pattern.object),
                                      self.private_ref(pattern.property), value))]


