"""Where paused tasks live. Every backend implements :class:`Storage`.

``SqliteStorage`` and ``create_storage`` need only the standard library; the
PostgreSQL, Redis and Firestore backends import their drivers (optional
extras) only when first asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .base import Storage, TaskPage
from .file import FileStorage
from .memory import MemoryStorage
from .sqlite import SqliteStorage
from .url import create_storage

if TYPE_CHECKING:
    from .firestore import FirestoreStorage
    from .postgres import PostgresStorage
    from .redis_storage import RedisStorage

_LAZY = {"PostgresStorage": ".postgres", "RedisStorage": ".redis_storage", "FirestoreStorage": ".firestore"}

__all__ = [
    "Storage",
    "TaskPage",
    "MemoryStorage",
    "FileStorage",
    "SqliteStorage",
    "PostgresStorage",
    "RedisStorage",
    "FirestoreStorage",
    "create_storage",
]


def __getattr__(name: str) -> Any:
    """Import an optional backend (and its driver) when it is first asked for."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
