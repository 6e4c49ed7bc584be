"""The built-in objects, installed into each new realm in dependency order."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..runtime import Runtime

#: Installation order: later modules use what earlier ones made.
MODULES = (
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
    "math",
    "json",
    "collections",
    "grouping",
    "set_methods",
    "iterator_helpers",
    "weak_refs",
    "promise",
    "function_kinds",
    "url",
    "host_io",
    "regexp",
    "date",
    "array_buffer",
    "typed_array",
    "base64_hex",
    "reflect",
    "structured_clone",
    "encoding",
    "crypto",
    "abort",
    "blob",
    "fetch_api",
    "globals_functions",
    "console",
    "intl",
)


def install_all(rt: "Runtime") -> None:
    """Install every built-in into ``rt`` (modules not written yet are skipped)."""
    for name in MODULES:
        try:
            module = import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue
            raise
        module.install(rt)
