"""Errors the runtime raises to its caller (API misuse, storage, state), each with a stable code.

Guest failures (a JS ``throw``, a limit) are not raised: they end the task with
``status="error"``. These classes are for the host's mistakes and the world's.
"""

from __future__ import annotations

from seqflow_transpile.errors import JSSyntaxError, SeqflowError, UnsupportedSyntaxError

__all__ = [
    "SeqflowError",
    "JSSyntaxError",
    "UnsupportedSyntaxError",
    "BadArgumentError",
    "TaskNotFoundError",
    "TaskExpiredError",
    "TaskExistsError",
    "TaskNotPausedError",
    "VersionConflictError",
    "RequestAlreadyAnsweredError",
    "UnknownRequestError",
    "CorruptStateError",
    "ForeignStateError",
    "TamperedStateError",
    "UnsignedStateError",
    "CodeMismatchError",
    "ReplayDivergenceError",
    "StorageError",
    "MissingExtraError",
]


class BadArgumentError(SeqflowError):
    """An API call got arguments it cannot use."""

    code = "bad_arguments"


class TaskNotFoundError(SeqflowError):
    """No task with that id (never created, deleted, or expired and swept)."""

    code = "task_not_found"


class TaskExpiredError(SeqflowError):
    """The task exists but its TTL has passed."""

    code = "task_expired"


class TaskExistsError(SeqflowError):
    """``execute`` was given an id that another task already has."""

    code = "task_exists"


class TaskNotPausedError(SeqflowError):
    """``resume`` on a task that is completed or failed."""

    code = "task_not_paused"


class VersionConflictError(SeqflowError):
    """A save carried a version older than the stored one: another writer won."""

    code = "version_conflict"


class RequestAlreadyAnsweredError(SeqflowError):
    """A response was given for a request that already has one."""

    code = "request_already_answered"


class UnknownRequestError(SeqflowError):
    """A response names a request id the task never issued."""

    code = "unknown_request"


class CorruptStateError(SeqflowError):
    """A persisted state could not be read back (bad JSON, missing fields)."""

    code = "corrupt_state"


class ForeignStateError(SeqflowError):
    """A state made for other code, or by an incompatible version of seqflow."""

    code = "foreign_state"


class TamperedStateError(SeqflowError):
    """A signed state whose signature does not match its content."""

    code = "tampered_state"


class UnsignedStateError(SeqflowError):
    """A caller-supplied state without a signature this flow can check (and no opt-in to trust it)."""

    code = "unsigned_state"


class CodeMismatchError(ForeignStateError):
    """A resume carried code (the seeds' ``originalCode``) other than the task's stored code.

    The stored code always wins; changing a task's code is :meth:`Flow.migrate`.
    """

    code = "code_mismatch"


class ReplayDivergenceError(SeqflowError):
    """During replay the program issued a request other than the logged one."""

    code = "replay_divergence"


class StorageError(SeqflowError):
    """A storage backend failed (unreachable server, bad credentials, ...)."""

    code = "storage_unavailable"


class MissingExtraError(SeqflowError):
    """A feature needs an optional extra that is not installed; the message says how to install it."""

    code = "missing_extra"
