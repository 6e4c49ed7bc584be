"""seqflow runtime: durable JavaScript in Python.

>>> from seqflow_runtime import create_flow
>>> flow = create_flow()
>>> task = flow.execute("const r = await fetch('https://api.example.com/x'); (await r.json()).name")
>>> task.status, task.fetch_request.url
('paused', 'https://api.example.com/x')
>>> flow.resume(task.id, fetch_response={"data": {"name": "Ada"}}).result
'Ada'
"""

from typing import TYPE_CHECKING, Any

from .errors import (
    BadArgumentError,
    CodeMismatchError,
    CorruptStateError,
    ForeignStateError,
    JSSyntaxError,
    ReplayDivergenceError,
    RequestAlreadyAnsweredError,
    SeqflowError,
    StorageError,
    TamperedStateError,
    TaskExistsError,
    TaskExpiredError,
    TaskNotFoundError,
    TaskNotPausedError,
    UnknownRequestError,
    UnsignedStateError,
    UnsupportedSyntaxError,
    VersionConflictError,
)
from .facade import SequentialFlow, execute_code, resume_execution
from .flow import Flow, create_flow
from .limits import Limits
from .performer import Performer
from .retry import RetryPolicy
from .secret_store import EnvSecrets, FileSecrets
from .storage import FileStorage, MemoryStorage, SqliteStorage, Storage, TaskPage, create_storage
from .storage.url import DRIVER_BACKENDS
from .task import FetchRequest, Task
from .version import __version__

if TYPE_CHECKING:
    from .storage.firestore import FirestoreStorage as FirestoreStorage
    from .storage.postgres import PostgresStorage as PostgresStorage
    from .storage.redis_storage import RedisStorage as RedisStorage

#: The seeds' name for the in-memory storage.
InMemoryStorage = MemoryStorage


def __getattr__(name: str) -> Any:
    """``PostgresStorage``, ``RedisStorage``, ``FirestoreStorage``: their drivers load on first use.

    A missing driver is a :class:`StorageError` naming the extra to install
    (``pip install 'seqflow-js[postgres]'``).
    """
    if name in DRIVER_BACKENDS:
        return DRIVER_BACKENDS[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "create_flow",
    "Flow",
    "SequentialFlow",
    "execute_code",
    "resume_execution",
    "Task",
    "FetchRequest",
    "Limits",
    "Performer",
    "RetryPolicy",
    "EnvSecrets",
    "FileSecrets",
    "Storage",
    "TaskPage",
    "create_storage",
    "MemoryStorage",
    "InMemoryStorage",
    "FileStorage",
    "SqliteStorage",
    "SeqflowError",
    "BadArgumentError",
    "CodeMismatchError",
    "CorruptStateError",
    "ForeignStateError",
    "JSSyntaxError",
    "ReplayDivergenceError",
    "RequestAlreadyAnsweredError",
    "StorageError",
    "TamperedStateError",
    "TaskExistsError",
    "TaskExpiredError",
    "TaskNotFoundError",
    "TaskNotPausedError",
    "UnknownRequestError",
    "UnsignedStateError",
    "UnsupportedSyntaxError",
    "VersionConflictError",
    "__version__",
]
