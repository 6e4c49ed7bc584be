"""The global object, and the ``rt.globals.X`` namespace generated code reads globals through.

``rt.globals`` is a plain Python object whose instance ``__dict__`` mirrors
the global object's data properties, so a global read is one dict lookup.
Anything else (a missing name, an accessor property) falls through to
``__getattr__``, which does the full JS lookup or throws ReferenceError.

Some globals are installed on first use (the web platform's, see
:mod:`.builtins`): until then the global object holds a :data:`LAZY`
placeholder under each of their names, where the eager install would have put
them, so key order is unchanged. Anything that looks at such a property (a
read, a descriptor, a write, ``delete``) installs its group first; only
listing keys and ``in`` see the placeholder, which says no more than that the
property exists.
"""

from __future__ import annotations

from typing import Any, Callable, Final

from .values import ENUMERABLE, MISSING, WRITABLE, Accessor, Descriptor, JSObject, call, reference_error, undefined


class _Lazy:
    """The type of :data:`LAZY`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<lazy global>"


#: The slot of a global whose group is not installed yet (never seen by JS).
LAZY: Final = _Lazy()


class ScriptBinding:
    """A global property that is a script's top-level ``var`` or function: its value is the variable's cell.

    ``direct`` is the cell of the ``def`` the script calls directly for this
    function (None: none); a write of the property replaces that ``def`` by
    ``forward(cell)``, which calls the new value (see ``Runtime.script_globals``).
    """

    __slots__ = ("cell", "direct", "forward")

    def __init__(self, cell: Any, direct: Any = None,
                 forward: Callable[[Any], Callable[..., Any]] | None = None) -> None:
        self.cell = cell
        self.direct = direct
        self.forward = forward

    def assign(self, value: Any) -> None:
        """Write the variable; the script's direct calls of it call the new value from now on."""
        self.cell.cell_contents = value
        if self.direct is not None and self.forward is not None:
            self.direct.cell_contents = self.forward(self.cell)
            self.direct = None


def _install_nothing(group: str) -> None:
    """The installer of a global object without lazy groups (never called: ``lazy`` stays empty)."""


class GlobalObject(JSObject):
    """The global object; keeps ``mirror`` (plain data properties only) in step with ``props``.

    ``lazy`` maps the name of each global not installed yet to its group, and
    ``install_group`` installs a group (it drops the group's names from ``lazy``
    before writing them).
    """

    __slots__ = ("mirror", "lazy", "install_group")

    def __init__(self, proto: JSObject | None) -> None:
        JSObject.__init__(self, proto)
        self.mirror: dict[str, Any] = {}
        self.lazy: dict[str, str] = {}
        self.install_group: Callable[[str], None] = _install_nothing

    def _sync(self, key: Any) -> None:
        if type(key) is not str:
            return
        slot = self.props.get(key, MISSING)
        if slot is MISSING or type(slot) is Accessor or slot is LAZY or type(slot) is ScriptBinding:
            self.mirror.pop(key, None)  # read through __getattr__ (a script binding changes unseen)
        else:
            self.mirror[key] = slot

    def settle(self, key: Any) -> None:
        """Install the group of ``key`` if it is a global not installed yet."""
        if self.lazy:
            group = self.lazy.get(key)
            if group is not None:
                self.install_group(group)

    def get_own_slot(self, key: Any) -> Any:
        """The slot, the group of a lazy global installed first; a script binding reads its variable."""
        slot = JSObject.get_own_slot(self, key)
        if slot is LAZY:
            self.settle(key)
            slot = JSObject.get_own_slot(self, key)
        if type(slot) is ScriptBinding:
            return slot.cell.cell_contents
        return slot

    def has_own(self, key: Any) -> bool:
        """A lazy global exists already: no need to install it to say so."""
        return JSObject.get_own_slot(self, key) is not MISSING

    def own_flags(self, key: Any) -> int:
        """The attribute bits (a lazy global installed first)."""
        self.settle(key)
        return JSObject.own_flags(self, key)

    def define_own_property(self, key: Any, desc: Descriptor) -> bool:
        """[[DefineOwnProperty]] over the installed global."""
        self.settle(key)
        return JSObject.define_own_property(self, key, desc)

    def write_slot(self, key: Any, slot: Any, flags: int) -> None:
        """Write (over the installed global; a data value of a script binding goes to its variable), then
        refresh the mirror."""
        self.settle(key)
        current = self.props.get(key)
        if type(current) is ScriptBinding and type(slot) is not Accessor and type(slot) is not ScriptBinding:
            current.assign(slot)
            slot = current
        JSObject.write_slot(self, key, slot, flags)
        self._sync(key)

    def remove_slot(self, key: Any) -> None:
        """Remove (the installed global), then refresh the mirror."""
        self.settle(key)
        JSObject.remove_slot(self, key)
        self._sync(key)

    def delete(self, key: Any) -> bool:
        """[[Delete]] of the installed global."""
        self.settle(key)
        return JSObject.delete(self, key)

    def set(self, key: Any, value: Any, receiver: Any = MISSING) -> bool:
        """[[Set]] (over the installed global), then refresh the mirror."""
        self.settle(key)
        ok = JSObject.set(self, key, value, receiver)
        self._sync(key)
        return ok

    def put(self, key: Any, value: Any, flags: int = 7) -> None:
        """Direct definition (built-in setup), mirrored."""
        if key in self.props or type(value) is Accessor:
            self.write_slot(key, value, flags)  # over an existing (maybe lazy) global, or not mirrored
            return
        # A new data property (most of a realm's globals): nothing to settle or replace.
        JSObject.write_slot(self, key, value, flags)
        if type(key) is str:
            self.mirror[key] = value

    def link_script_bindings(self, names: dict[str, str], variables: Callable[[], Any],
                             functions: frozenset[str], direct: dict[str, str] | None = None,
                             forward: Callable[[Any], Callable[..., Any]] | None = None) -> None:
        """GlobalDeclarationInstantiation (ECMA-262 16.1.7) for a script's ``var``s and functions.

        ``names`` maps each JS name to the Python variable holding it; the
        closure of ``variables`` holds those variables' cells. A new name
        becomes a writable, enumerable, non-configurable property; a ``var``
        naming an existing property takes its value; a function replaces it.
        ``direct`` maps a function to the Python variable of the ``def`` the
        script calls directly, and ``forward`` makes its replacement (see
        :class:`ScriptBinding`).
        """
        cells = dict(zip(variables.__code__.co_freevars, variables.__closure__ or ()))
        for name, py_name in names.items():
            cell = cells[py_name]
            self.settle(name)
            slot = self.props.get(name, MISSING)
            flags = WRITABLE | ENUMERABLE
            if slot is not MISSING:
                current = self.get_own_property(name)
                assert current is not None
                if type(slot) is Accessor or not current.writable:
                    continue  # the script's variable stays its own (`var undefined`, a global getter)
                if name not in functions:
                    cell.cell_contents = self.get_own_slot(name)
                if not current.configurable or name not in functions:
                    flags = self.own_flags(name)
            direct_name = direct.get(name) if direct else None
            binding = ScriptBinding(cell, cells[direct_name] if direct_name else None, forward)
            JSObject.write_slot(self, name, binding, flags)
            self._sync(name)

    def put_lazy(self, groups: dict[str, str]) -> None:
        """Reserve the place of each global of ``groups`` (name to group) for its group to install on first
        use."""
        self.props.update(dict.fromkeys(groups, LAZY))
        self.lazy.update(groups)


class GlobalScope:
    """``rt.globals``: attribute reads are global variable reads."""

    __slots__ = ("_global", "__dict__")

    def __init__(self, global_object: GlobalObject) -> None:
        self._global = global_object
        # The instance dict *is* the mirror: reading a data global is a dict hit.
        self.__dict__ = global_object.mirror

    def __getattr__(self, name: str) -> Any:
        return read_global(self._global, name)


def read_global(g: GlobalObject, name: str) -> Any:
    """A global variable read by name (ReferenceError when it does not exist)."""
    value = g.mirror.get(name, MISSING)
    if value is not MISSING:
        return value
    slot = g.get_own_slot(name)
    if type(slot) is Accessor:
        return undefined if slot.get is undefined else call(slot.get, g)
    if g.has(name):
        return g.get(name)
    raise reference_error(f"{name} is not defined")
