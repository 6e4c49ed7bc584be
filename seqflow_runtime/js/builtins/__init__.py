"""The built-in objects of a realm: the core language's installed with the realm, the rest on first use.

Most scripts never touch ``URL``, typed arrays, ``crypto`` or ``Intl``, never
throw, set no timer and make no generator, and every execution and every
replay makes a realm, so those groups wait (the web platform's, ``Math``,
``Map``..., the Error constructors, the timers, ``isNaN`` and the URI
functions, the generator and async function constructors): the
global object holds a placeholder under each of their names (where the eager
install would have put them, so ``Object.getOwnPropertyNames(globalThis)`` is
unchanged) and installs a group the first time one of its globals is looked
at (see :mod:`..globals`), or the first time other code looks up an intrinsic
it makes (``rt.intrinsics["Uint8Array.prototype"]`` from
``TextEncoder.encode``, ``"settle_fetch"`` from replay). Installing draws
nothing from the task's random generator and reads no clock, so when a group
is installed never changes what a replay sees. A group (or a deferred
object, :mod:`.deferred`) first needed deep in a recursion is installed whole:
see :func:`with_headroom`.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from seqflow_transpile.depth import more_recursion

from ..binary import ELEMENT_TYPES

if TYPE_CHECKING:
    from ..runtime import Runtime

Installer = Callable[["Runtime"], None]

#: Python frames an installation (a lazy group, a deferred object's methods) may use beyond the recursion
#: limit. What it makes is often first needed deep in the guest's recursion (a stack overflow caught near
#: the limit makes the realm's first error), and an installation stopped half-way would stay half done.
HEADROOM = 200
#: Frames below the limit that lowering it again after an installation needs (its ``with`` block's exit).
_LOWERING_FRAMES = 2


def _probe(frames: int) -> None:
    if frames:
        _probe(frames - 1)


def with_headroom(install: Callable[[], None]) -> None:
    """Run ``install`` (built-in setup: no guest code runs in it) with :data:`HEADROOM` more frames of
    recursion limit (process-wide while it runs, as :class:`more_recursion` arranges).

    Within a few frames of the limit already, it fails (RecursionError) before anything is installed:
    lowering the limit again after ``install`` needs those frames.
    """
    _probe(_LOWERING_FRAMES)
    with more_recursion(extra=HEADROOM):
        install()


class LazyGroup(NamedTuple):
    """Built-ins installed together on first use."""

    #: ``"module"`` (its ``install``) or ``"module.function"``, run in order.
    installers: tuple[str, ...]
    #: The globals they define, in the order they define them.
    globals: tuple[str, ...]
    #: The intrinsics code outside the group looks up (its globals' constructors count too).
    provides: tuple[str, ...] = ()


_TYPED_ARRAYS = tuple(kind.name for kind in ELEMENT_TYPES)

_ERRORS = ("Error", "TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError", "URIError",
           "AggregateError")

#: The lazy groups, by name.
LAZY_GROUPS: dict[str, LazyGroup] = {
    # Most runs throw nothing: the first error made (``rt.make_error`` looks up ``Error.prototype``) installs them.
    "errors": LazyGroup(("errors",), _ERRORS, tuple(name + ".prototype" for name in _ERRORS)),
    "Math": LazyGroup(("math",), ("Math",)),
    "collections": LazyGroup(
        ("collections", "set_methods", "grouping.install_map_group_by"), ("Map", "Set", "WeakMap", "WeakSet"),
        ("Map.prototype", "Set.prototype", "WeakMap.prototype", "WeakSet.prototype", "MapIteratorPrototype",
         "SetIteratorPrototype", "JSMap", "JSSet")),
    "weak_refs": LazyGroup(("weak_refs",), ("WeakRef", "FinalizationRegistry")),
    # No globals: installed when the realm first makes a generator or async function (their prototypes).
    "function_kinds": LazyGroup(("function_kinds",), (), (
        "GeneratorFunction", "AsyncGeneratorFunction", "AsyncFunction", "GeneratorFunction.prototype",
        "AsyncGeneratorFunction.prototype", "AsyncFunction.prototype", "AsyncIteratorPrototype",
        "AsyncGenerator.prototype")),
    "url": LazyGroup(("url",), ("URL", "URLSearchParams"), ("URLSearchParams.prototype", "serialize_query")),
    "global_functions": LazyGroup(
        ("globals_functions.install_functions",),
        ("isFinite", "isNaN", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape",
         "unescape")),
    "host_io": LazyGroup(("host_io",), ("setTimeout", "setInterval", "clearTimeout", "clearInterval",
                                        "queueMicrotask", "performance")),
    "RegExp": LazyGroup(("regexp",), ("RegExp",),
                        ("RegExp.prototype", "make_regexp", "regexp_create", "RegExpStringIteratorPrototype")),
    "Date": LazyGroup(("date", "intl.install_date_methods"), ("Date",), ("Date.prototype", "JSDate")),
    "binary": LazyGroup(
        ("array_buffer", "typed_array", "base64_hex"), ("ArrayBuffer", "DataView", *_TYPED_ARRAYS),
        ("ArrayBuffer.prototype", "DataView.prototype", "TypedArray.prototype", "typed_arrays",
         *(name + ".prototype" for name in _TYPED_ARRAYS))),
    "reflect": LazyGroup(("reflect",), ("Reflect", "Proxy"), ("JSProxy",)),
    "clone": LazyGroup(("structured_clone",), ("DOMException", "structuredClone"), ("new_dom_exception",)),
    "encoding": LazyGroup(("encoding",), ("TextEncoder", "TextDecoder", "atob", "btoa")),
    "crypto": LazyGroup(("crypto",), ("Crypto", "crypto", "CryptoKey", "SubtleCrypto")),
    "abort": LazyGroup(("events", "abort"), ("EventTarget", "Event", "AbortController", "AbortSignal"),
                       ("EventTarget.prototype", "dispatch_event", "new_event", "AbortSignal.any",
                        "AbortSignal.prototype", "signal_abort")),
    "blob": LazyGroup(("blob",), ("Blob", "File", "FormData"),
                      ("Blob.prototype", "new_blob", "new_file", "form_body", "new_form_data")),
    "fetch": LazyGroup(("fetch_api",), ("Headers", "Request", "Response", "fetch"), ("settle_fetch",)),
    "signals": LazyGroup(("signals", "child_tasks"), ("waitForSignal", "runTask"),
                         ("settle_signal", "signal_timeout_error", "cancelled_error", "settle_child")),
    "Intl": LazyGroup(("intl.install_namespace",), ("Intl",),
                      ("Intl.NumberFormat", "Intl.DateTimeFormat", "Intl.Collator", "Intl.PluralRules",
                       "Intl.RelativeTimeFormat", "Intl.ListFormat", "intl_locale_methods")),
}

#: The order of installation: a module is installed with the realm, a lazy group (a key of
#: :data:`LAZY_GROUPS`) gets its placeholders there. Later modules use what earlier ones made.
ORDER = (
    "core",
    "annex_b",
    "errors",
    "iteration",
    "symbol",
    "object",
    "array",
    "array_es2023",
    "string",
    "number",
    "Math",
    "json",
    "collections",
    "grouping",
    "iterator_helpers",
    "weak_refs",
    "promise",
    "function_kinds",
    "url",
    "host_io",
    "RegExp",
    "Date",
    "binary",
    "reflect",
    "clone",
    "encoding",
    "crypto",
    "abort",
    "blob",
    "fetch",
    "signals",
    "globals_functions",
    "global_functions",
    "console",
    "locale_methods",
    "Intl",
)

#: Which lazy group makes an intrinsic.
PROVIDERS: dict[str, str] = {
    key: name for name, group in LAZY_GROUPS.items() for key in (*group.globals, *group.provides)
}


class Intrinsics(dict[str, Any]):
    """``rt.intrinsics``: looking up what a lazy group not installed yet makes installs the group."""

    __slots__ = ("pending", "install_group", "deferred", "waiting")

    def __init__(self) -> None:
        super().__init__()
        #: The lazy groups not installed yet.
        self.pending: set[str] = set()
        #: The objects whose methods were deferred (:mod:`.deferred`), pending or not by now.
        self.deferred: list[Any] = []
        #: Intrinsics that are methods of a deferred object not installed yet: that object, by name.
        self.waiting: dict[str, Any] = {}
        self.install_group: Callable[[str], None] = self.pending.discard

    def __missing__(self, key: str) -> Any:
        waiting = self.waiting.pop(key, None)
        if waiting is not None:
            from .deferred import materialize

            materialize(waiting)
            return dict.__getitem__(self, key)
        group = PROVIDERS.get(key)
        if group is None or group not in self.pending:
            raise KeyError(key)
        self.install_group(group)
        return dict.__getitem__(self, key)


@cache
def _installer(spec: str) -> Installer:
    module, _, function = spec.partition(".")
    found: Installer = getattr(import_module(f"{__name__}.{module}"), function or "install")
    return found


@cache
def _eager() -> tuple[tuple[Installer | None, str], ...]:
    """ORDER with each module's installer resolved (``None`` for a lazy group)."""
    return tuple((None if entry in LAZY_GROUPS else _installer(entry), entry) for entry in ORDER)


@cache
def _lazy_names(group: str) -> dict[str, str]:
    """Each global of a lazy group, mapped to the group."""
    return dict.fromkeys(LAZY_GROUPS[group].globals, group)


def install_all(rt: "Runtime") -> None:
    """Install the eager built-ins into ``rt`` and reserve the places of the lazy ones."""
    intrinsics = rt.intrinsics
    assert isinstance(intrinsics, Intrinsics)
    g = rt.global_object

    def install_group(name: str) -> None:
        if name not in intrinsics.pending:
            return

        def install() -> None:
            intrinsics.pending.discard(name)
            group = LAZY_GROUPS[name]
            for global_name in group.globals:
                # Dropped first: the group's own writes replace the placeholders without recursing.
                del g.lazy[global_name]
            for spec in group.installers:
                _installer(spec)(rt)

        with_headroom(install)

    intrinsics.install_group = install_group
    g.install_group = install_group
    for install, entry in _eager():
        if install is not None:
            install(rt)
        else:
            intrinsics.pending.add(entry)
            g.put_lazy(_lazy_names(entry))


def install_everything(rt: "Runtime") -> None:
    """Install every lazy group still pending in ``rt`` and every deferred method (as an eager realm
    would have them)."""
    from .deferred import materialize

    intrinsics = rt.intrinsics
    assert isinstance(intrinsics, Intrinsics)
    for entry in ORDER:
        if entry in intrinsics.pending:
            intrinsics.install_group(entry)
    for obj in intrinsics.deferred:
        materialize(obj)
