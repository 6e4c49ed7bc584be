"""Pick and configure a storage backend from one URL string (for config files and env vars).

=====================================  ==========================================
URL                                    storage
=====================================  ==========================================
``memory:``                            :class:`MemoryStorage` (this process only)
``file:./dir``, ``file:///abs/dir``    :class:`FileStorage`
``sqlite:./tasks.db``,                 ``SqliteStorage`` (``?table=NAME``)
``sqlite:///abs/tasks.db``
``postgresql://...``, ``postgres://``  ``PostgresStorage`` (``?table=NAME``,
                                       ``statement_timeout``, ``connect_timeout``,
                                       ``pool_timeout``; the other parameters go
                                       to libpq)
``redis://...``, ``rediss://...``      ``RedisStorage`` (``?prefix=P``,
                                       ``socket_timeout``, ``connect_timeout``;
                                       the other parameters go to redis-py)
``firestore://PROJECT/COLLECTION``     ``FirestoreStorage`` (``?database=DB``)
=====================================  ==========================================

Timeouts are durations: ``500ms``, ``5s``, ``2min``, or a bare number of seconds.
Drivers are imported only for the backend asked for; a missing one is a
:class:`StorageError` naming the extra to install. Error messages never repeat
the URL, which may hold a password.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from ..errors import BadArgumentError, StorageError
from ..version import install_hint
from .base import Storage
from .file import FileStorage
from .memory import MemoryStorage
from .sqlite import SqliteStorage

if TYPE_CHECKING:
    from .firestore import FirestoreStorage
    from .postgres import PostgresStorage
    from .redis_storage import RedisStorage

SCHEMES = (
    "memory:",
    "file:PATH",
    "sqlite:PATH",
    "postgresql://...",
    "postgres://...",
    "redis://...",
    "rediss://...",
    "firestore://PROJECT/COLLECTION",
)
"""The URL forms :func:`create_storage` accepts (for messages and docs)."""


def _driver_import(module: str, extra: str, packages: tuple[str, ...]) -> Any:
    """Import the backend ``module``; a missing or broken driver is a StorageError naming the extra."""
    try:
        return importlib.import_module(module, __package__)
    except ImportError as exc:
        # A driver that is installed but cannot load (psycopg without libpq) has no module name.
        if exc.name is not None and exc.name.split(".")[0] not in packages:
            raise
        missing = f"the {exc.name!r} package" if exc.name else f"a working driver ({exc})"
        raise StorageError(
            f"the {extra} storage needs {missing}: {install_hint(extra)}"
        ) from exc


def _postgres_cls() -> type[PostgresStorage]:
    cls: type[PostgresStorage] = _driver_import(
        ".postgres", "postgres", ("psycopg", "psycopg_pool", "psycopg_binary")).PostgresStorage
    return cls


def _redis_cls() -> type[RedisStorage]:
    cls: type[RedisStorage] = _driver_import(".redis_storage", "redis", ("redis",)).RedisStorage
    return cls


def _firestore_cls() -> type[FirestoreStorage]:
    cls: type[FirestoreStorage] = _driver_import(
        ".firestore", "firestore", ("google", "grpc", "proto")).FirestoreStorage
    return cls


#: The backends whose drivers are optional extras, by class name: each imported on first use.
DRIVER_BACKENDS: dict[str, Callable[[], type[Storage]]] = {
    "PostgresStorage": _postgres_cls,
    "RedisStorage": _redis_cls,
    "FirestoreStorage": _firestore_cls,
}


def _options(scheme: str, query: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """The URL's query parameters; any not in ``allowed`` is a BadArgumentError."""
    options = dict(parse_qsl(query, keep_blank_values=True))
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        known = ", ".join(allowed) or "none"
        raise BadArgumentError(
            f"{scheme}: storage URL has unknown parameter(s) {', '.join(unknown)} (known: {known})"
        )
    return options


def _local_path(scheme: str, url: str, rest: str) -> tuple[str, str]:
    """Path and query of ``scheme:relative/path`` or ``scheme:///absolute/path``."""
    if rest.startswith("//"):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise BadArgumentError(
                f"{scheme}: URL names host {parts.netloc!r}; only local paths are supported"
                f" ({scheme}:./relative or {scheme}:///absolute)"
            )
        path, query = unquote(parts.path), parts.query
    else:
        # A bare path is taken literally (no %-decoding), as people type it.
        path, _, query = rest.partition("?")
    if not path:
        raise BadArgumentError(f"{scheme}: storage URL has no path")
    return path, query


def _without(url: str, name: str) -> tuple[str, str | None]:
    """``url`` minus its query parameter ``name``, and that parameter's value."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    value = next((v for k, v in pairs if k == name), None)
    query = urlencode([(k, v) for k, v in pairs if k != name])
    return urlunsplit(parts._replace(query=query)), value


_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ms|s|min)?")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "min": 60.0, None: 1.0}


def parse_duration(scheme: str, name: str, text: str) -> float:
    """Seconds from ``500ms``, ``5s``, ``2min`` or a bare number of seconds."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise BadArgumentError(
            f"{scheme}: storage URL parameter {name}={text!r} is not a duration"
            " (like 500ms, 5s, 2min, or seconds)"
        )
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def _timeouts(scheme: str, url: str, names: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    """``url`` without the timeout parameters ``names``, and their values in seconds."""
    found: dict[str, Any] = {}
    for name in names:
        url, value = _without(url, name)
        if value is not None:
            found[name] = parse_duration(scheme, name, value)
    return url, found


def create_storage(url: str) -> Storage:
    """A storage for ``url``; unknown schemes are BadArgumentError, missing drivers StorageError."""
    if not isinstance(url, str):
        raise BadArgumentError(f"storage URL must be a string, got {type(url).__name__}")
    scheme_text, colon, rest = url.partition(":")
    scheme = scheme_text.lower()
    if colon and scheme == "memory":
        if rest not in ("", "//"):
            raise BadArgumentError("memory: storage URL takes no path or parameters")
        return MemoryStorage()
    if colon and scheme == "file":
        path, query = _local_path(scheme, url, rest)
        _options(scheme, query, ())
        return FileStorage(path)
    if colon and scheme == "sqlite":
        path, query = _local_path(scheme, url, rest)
        options = _options(scheme, query, ("table",))
        return SqliteStorage(path, options["table"]) if "table" in options else SqliteStorage(path)
    if colon and scheme in ("postgresql", "postgres"):
        dsn, table = _without(url, "table")
        dsn, kwargs = _timeouts(
            scheme, dsn, ("statement_timeout", "connect_timeout", "pool_timeout")
        )
        if table is not None:
            kwargs["table"] = table
        return _postgres_cls()(dsn, **kwargs)
    if colon and scheme in ("redis", "rediss"):
        client_url, prefix = _without(url, "prefix")
        client_url, kwargs = _timeouts(scheme, client_url, ("socket_timeout", "connect_timeout"))
        if prefix is not None:
            kwargs["prefix"] = prefix
        return _redis_cls()(client_url, **kwargs)
    if colon and scheme == "firestore":
        parts = urlsplit(url)
        options = _options(scheme, parts.query, ("database",))
        collection = unquote(parts.path.strip("/"))
        firestore_cls = _firestore_cls()
        return firestore_cls(
            parts.netloc or None,
            collection or "seqflow_tasks",
            database=options.get("database") or None,
        )
    problem = f"unknown storage URL scheme {scheme_text + ':'!r}" if colon else "no URL scheme"
    raise BadArgumentError(f"{problem}; use one of: {', '.join(SCHEMES)}")
