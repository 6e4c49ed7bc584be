"""Where paused tasks live. Every backend implements :class:`Storage`.

``SqliteStorage`` and ``create_storage`` need only the standard library; the
PostgreSQL, Redis and Firestore backends import their drivers (optional
extras) only when first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import Storage, TaskPage
from .file import FileStorage
from .memory import MemoryStorage
from .sqlite import SqliteStorage
from .url import DRIVER_BACKENDS, create_storage

if TYPE_CHECKING:
    from .firestore import FirestoreStorage as FirestoreStorage
    from .postgres import PostgresStorage as PostgresStorage
    from .redis_storage import RedisStorage as RedisStorage

# The driver-backed backends are left out: ``import *`` must work without their extras.
__all__ = [
    "Storage",
    "TaskPage",
    "MemoryStorage",
    "FileStorage",
    "SqliteStorage",
    "create_storage",
]


def __getattr__(name: str) -> Any:
    """Import an optional backend (and its driver) when it is first asked for.

    A missing driver is a :class:`~seqflow_runtime.errors.StorageError` naming
    the extra to install.
    """
    if name in DRIVER_BACKENDS:
        return DRIVER_BACKENDS[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
