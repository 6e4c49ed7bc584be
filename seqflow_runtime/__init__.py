"""seqflow runtime: durable JavaScript in Python.

>>> from seqflow_runtime import create_flow
>>> flow = create_flow()
>>> task = flow.execute("const r = await fetch('https://api.example.com/x'); (await r.json()).name")
>>> task.status, task.fetch_request.url
('paused', 'https://api.example.com/x')
>>> flow.resume(task.id, fetch_response={"data": {"name": "Ada"}}).result
'Ada'
"""

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
from .storage import FileStorage, MemoryStorage, Storage, TaskPage
from .task import FetchRequest, Task
from .version import __version__

#: The seeds' name for the in-memory storage.
InMemoryStorage = MemoryStorage

__all__ = [
    "create_flow",
    "Flow",
    "SequentialFlow",
    "execute_code",
    "resume_execution",
    "Task",
    "FetchRequest",
    "Limits",
    "Storage",
    "TaskPage",
    "MemoryStorage",
    "InMemoryStorage",
    "FileStorage",
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
