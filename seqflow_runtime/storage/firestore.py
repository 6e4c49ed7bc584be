"""Tasks in a Firestore collection, through google-cloud-firestore.

One document per task with the queryable fields ``id``, ``status``,
``version``, ``expires_at`` and ``wake_at`` (epoch seconds), plus the task JSON
in ``data``. A Firestore document holds at most 1 MiB, and a task's replay log
can be several megabytes, so JSON over :data:`CHUNK_BYTES` is split into
``<doc>/chunks/0``, ``<doc>/chunks/1``, ... and the main document keeps only
the chunk count. Every write (compare-and-swap, delete) is one transaction
covering the main document and all its chunks, so no reader ever assembles
half a task: chunks carry the ``write_id`` of the write that made them, and a
reader that finds a mismatch (a write landed between its reads) reads again.

A transaction carries at most 500 writes and 10 MiB, which bounds a task to
about :data:`MAX_TASK_BYTES` of JSON.

Filtering ``list`` by status orders by ``id`` after an equality filter on
``status``; outside the emulator that needs the composite index in
:data:`INDEXES`. The JSON is ASCII (non-ASCII characters escaped), so a chunk's
length in characters is its size in bytes.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, cast
from urllib.parse import quote

from google.api_core import exceptions as api_exceptions
from google.api_core import retry as api_retry
from google.auth import exceptions as auth_exceptions
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from ..errors import BadArgumentError, CorruptStateError, StorageError, VersionConflictError
from ..task import Task, from_iso
from .base import Storage, TaskPage, check_limit, current_time, matches

DEFAULT_COLLECTION = "seqflow_tasks"

CHUNK_BYTES = 900_000
"""Task JSON longer than this goes to the ``chunks`` subcollection in pieces of this size."""

MAX_TASK_BYTES = 9_500_000
"""The largest task JSON one transaction can write (Firestore requests stop at 10 MiB)."""

INDEXES = [
    {
        "collectionGroup": DEFAULT_COLLECTION,
        "queryScope": "COLLECTION",
        "fields": [
            {"fieldPath": "status", "order": "ASCENDING"},
            {"fieldPath": "id", "order": "ASCENDING"},
        ],
    }
]
"""Composite indexes (``firestore.indexes.json`` shape) for ``list(status=...)``."""

SCHEMA = {
    "id": "string, the task id (documents are named by a quoted form of it)",
    "status": "string",
    "version": "integer",
    "expires_at": "double or null, epoch seconds",
    "wake_at": "double or null, epoch seconds",
    "created_at": "double, epoch seconds",
    "updated_at": "double, epoch seconds",
    "data": "string, the task JSON; null when chunked",
    "chunks": "integer, number of chunks/N documents (0: data is inline)",
    "write_id": "string, shared by the document and its chunks",
}
"""The main document's fields; ``chunks/N`` documents hold ``data`` and ``write_id``."""

_META_FIELDS = ["id", "status", "expires_at", "wake_at"]
_READ_ATTEMPTS = 5
_SWEEP_BATCH = 300


def doc_id(task_id: str) -> str:
    """The document name for a task id: quoted so '/', '.', '..' and ``__x__`` are legal."""
    name = quote(task_id, safe="")
    # quote() leaves '.' and '_' alone; Firestore reserves ".", ".." and "__.*__".
    if name == "":
        return "%"  # never produced by quote(), which always writes '%' as %XX
    if name in (".", ".."):
        return name.replace(".", "%2E")
    if name.startswith("__") and name.endswith("__"):
        return "%5F" + name[1:]
    return name


def _split(text: str) -> list[str]:
    return [text[i : i + CHUNK_BYTES] for i in range(0, len(text), CHUNK_BYTES)]


class FirestoreStorage(Storage):
    """Tasks in a Firestore collection; give a ``firestore.Client`` or a project id.

    A client you pass in stays yours: :meth:`close` leaves it open. With
    ``FIRESTORE_EMULATOR_HOST`` set, a client made here talks to the emulator.
    """

    def __init__(
        self,
        client_or_project: firestore.Client | str | None = None,
        collection: str = DEFAULT_COLLECTION,
        *,
        database: str | None = None,
        timeout: float = 30.0,
        max_attempts: int = 20,
    ) -> None:
        if not collection or "/" in collection:
            raise BadArgumentError(f"collection must be a plain collection id, got {collection!r}")
        self.collection_name = collection
        self.timeout = timeout
        self.max_attempts = max_attempts
        if isinstance(client_or_project, firestore.Client):
            self._client = client_or_project
            self._owns_client = False
        else:
            try:
                self._client = firestore.Client(project=client_or_project, database=database)
            except (auth_exceptions.GoogleAuthError, OSError) as exc:
                raise StorageError(f"FirestoreStorage: cannot create a client: {exc}") from exc
            self._owns_client = True
        self._collection = self._client.collection(collection)
        self._migrated = False
        self._closed = False

    def _opts(self) -> dict[str, Any]:
        # Bounded retries: an unreachable server fails within ``timeout``
        # instead of the library's default minute or two.
        return {"retry": api_retry.Retry(timeout=self.timeout), "timeout": self.timeout}

    def _error(self, op: str, exc: BaseException) -> StorageError:
        return StorageError(f"FirestoreStorage.{op}: {exc}")

    def _ref(self, task_id: str) -> firestore.DocumentReference:
        return self._collection.document(doc_id(task_id))

    def _chunk_ref(
        self, ref: firestore.DocumentReference, index: int
    ) -> firestore.DocumentReference:
        chunk: firestore.DocumentReference = ref.collection("chunks").document(str(index))
        return chunk

    def _begin(self, op: str) -> None:
        if self._closed:
            raise StorageError(f"FirestoreStorage.{op}: the storage is closed")
        if not self._migrated:
            self._probe(op)

    def _probe(self, op: str) -> None:
        # Firestore has no schema. The first call still reads once with a short,
        # bounded retry, so an unreachable server fails fast even where the
        # library's transaction calls would retry for a minute.
        try:
            self._collection.limit(1).get(**self._opts())
        except (api_exceptions.GoogleAPIError, auth_exceptions.GoogleAuthError) as exc:
            raise self._error(op, exc) from exc
        self._migrated = True

    def migrate(self) -> None:
        """Check that the collection is reachable (documents need no schema; see :data:`INDEXES`)."""
        self._begin("migrate")
        self._probe("migrate")

    def save(self, task: Task, expected_version: int | None) -> None:
        """Compare-and-swap in a transaction that also writes (and prunes) the chunks."""
        self._begin("save")
        data = task.to_dict()
        text = json.dumps(data, separators=(",", ":"))
        if len(text) > MAX_TASK_BYTES:
            raise StorageError(
                f"FirestoreStorage.save: task {task.id!r} is {len(text)} bytes of JSON;"
                f" one Firestore transaction can write at most {MAX_TASK_BYTES}"
            )
        pieces = _split(text) if len(text) > CHUNK_BYTES else []
        write_id = uuid.uuid4().hex
        fields: dict[str, Any] = {
            "id": task.id,
            "status": task.status,
            "version": task.version,
            # From the persisted shape, so queries and load() agree on rounding.
            "expires_at": from_iso(data["expiresAt"]),
            "wake_at": from_iso(data["wakeAt"]),
            "created_at": from_iso(data["createdAt"]),
            "updated_at": from_iso(data["updatedAt"]),
            "data": None if pieces else text,
            "chunks": len(pieces),
            "write_id": write_id,
        }
        ref = self._ref(task.id)
        opts = self._opts()

        def write(transaction: firestore.Transaction) -> None:
            snap = ref.get(transaction=transaction, **opts)
            current = snap.to_dict() if snap.exists else None
            stored = current.get("version") if current is not None else None
            if stored != expected_version:
                raise VersionConflictError(
                    f"task {task.id!r} is at version {stored}, not {expected_version}",
                    task_id=task.id,
                )
            old_chunks = int(current.get("chunks") or 0) if current is not None else 0
            transaction.set(ref, fields)
            for index, piece in enumerate(pieces):
                transaction.set(
                    self._chunk_ref(ref, index), {"data": piece, "write_id": write_id}
                )
            for index in range(len(pieces), old_chunks):
                transaction.delete(self._chunk_ref(ref, index))

        self._transact("save", write)

    def _transact(self, op: str, body: Any) -> Any:
        transaction = self._client.transaction(max_attempts=self.max_attempts)
        try:
            return firestore.transactional(body)(transaction)
        except (api_exceptions.GoogleAPIError, auth_exceptions.GoogleAuthError) as exc:
            raise self._error(op, exc) from exc
        except ValueError as exc:
            # transactional() reports "too much contention" as ValueError.
            raise self._error(op, exc) from exc

    def _assemble(self, op: str, snap: firestore.DocumentSnapshot[Any]) -> Task | None:
        """The task in a full snapshot, reading its chunks; ``None`` if it is gone."""
        for _ in range(_READ_ATTEMPTS):
            doc = snap.to_dict() if snap.exists else None
            if doc is None:
                return None
            count = int(doc.get("chunks") or 0)
            if count == 0:
                return self._parse(doc.get("data"), str(doc.get("id")))
            refs = [self._chunk_ref(snap.reference, i) for i in range(count)]
            try:
                found = {
                    c.id: c.to_dict()
                    for c in self._client.get_all(refs, **self._opts())
                    if c.exists
                }
            except api_exceptions.GoogleAPIError as exc:
                raise self._error(op, exc) from exc
            parts = [found.get(str(i)) for i in range(count)]
            if all(p is not None and p.get("write_id") == doc.get("write_id") for p in parts):
                return self._parse("".join(str(p["data"]) for p in parts if p), str(doc.get("id")))
            # A write replaced the chunks after we read the main document: read both again.
            try:
                snap = snap.reference.get(**self._opts())
            except api_exceptions.GoogleAPIError as exc:
                raise self._error(op, exc) from exc
        raise StorageError(
            f"FirestoreStorage.{op}: task {snap.id!r} kept changing while being read"
        )

    def _parse(self, text: Any, task_id: str) -> Task:
        if not isinstance(text, str):
            raise CorruptStateError(f"FirestoreStorage: task {task_id!r} has no data", task_id=task_id)
        try:
            return Task.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise CorruptStateError(
                f"FirestoreStorage: task {task_id!r} is not valid JSON", task_id=task_id
            ) from exc

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the document (and its chunks, unless the task has expired anyway)."""
        self._begin("load")
        try:
            snap = self._ref(task_id).get(**self._opts())
        except api_exceptions.GoogleAPIError as exc:
            raise self._error("load", exc) from exc
        if not snap.exists:
            return None
        expires_at = (snap.to_dict() or {}).get("expires_at")
        if not include_expired and expires_at is not None and expires_at <= current_time():
            return None
        task = self._assemble("load", snap)
        if task is None or (not include_expired and task.expired(current_time())):
            return None
        return task

    def _delete_doc(self, op: str, task_id: str, expired_at_or_before: float | None) -> bool:
        """Delete a task and its chunks in one transaction; with a time, only if expired by then."""
        ref = self._ref(task_id)
        opts = self._opts()

        def remove(transaction: firestore.Transaction) -> bool:
            snap = ref.get(transaction=transaction, **opts)
            doc = snap.to_dict() if snap.exists else None
            if doc is None:
                return False
            if expired_at_or_before is not None:
                expires_at = doc.get("expires_at")
                if expires_at is None or expires_at > expired_at_or_before:
                    return False  # re-saved with a later expiry since the sweep query
            for index in range(int(doc.get("chunks") or 0)):
                transaction.delete(self._chunk_ref(ref, index))
            transaction.delete(ref)
            return True

        return bool(self._transact(op, remove))

    def delete(self, task_id: str) -> bool:
        """Delete the document and its chunks in one transaction."""
        self._begin("delete")
        return self._delete_doc("delete", task_id, None)

    def list(
        self,
        status: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        wake_before: float | None = None,
    ) -> TaskPage:
        """Page by ``id``: a projection query picks the ids, then the page's documents are read."""
        check_limit(limit)
        self._begin("list")
        now = current_time()
        batch = min(max(limit + 1, 100), 1000)
        query = self._collection.select(_META_FIELDS).order_by("id")
        if status is not None:
            query = query.where(filter=FieldFilter("status", "==", status))
        after = cursor
        wanted: list[str] = []
        # Gather one id more than the page holds: it says whether a next page exists.
        while len(wanted) <= limit:
            page_query = query.start_after({"id": after}) if after is not None else query
            try:
                docs = page_query.limit(batch).get(**self._opts())
            except api_exceptions.GoogleAPIError as exc:
                raise self._error("list", exc) from exc
            for snap in docs:
                meta = snap.to_dict() or {}
                expires_at = meta.get("expires_at")
                wake_at = meta.get("wake_at")
                if expires_at is not None and expires_at <= now:
                    continue
                if wake_before is not None and (wake_at is None or wake_at > wake_before):
                    continue
                wanted.append(str(meta.get("id")))
                if len(wanted) > limit:
                    break
            if len(docs) < batch:
                break
            after = str((docs[-1].to_dict() or {}).get("id"))
        page_ids = wanted[:limit]
        tasks: list[Task] = []
        if page_ids:
            try:
                snaps = {
                    s.id: s
                    for s in self._client.get_all([self._ref(i) for i in page_ids], **self._opts())
                }
            except api_exceptions.GoogleAPIError as exc:
                raise self._error("list", exc) from exc
            for task_id in page_ids:
                full = snaps.get(doc_id(task_id))
                task = self._assemble("list", full) if full is not None else None
                # Re-check: the task may have changed since the projection query.
                if task is not None and not task.expired(now) and matches(task, status, wake_before):
                    tasks.append(task)
        next_cursor = page_ids[-1] if len(wanted) > limit else None
        return TaskPage(tasks, next_cursor)

    def sweep(self, now: float | None = None) -> int:
        """Find expired documents by ``expires_at`` and delete each with its chunks."""
        self._begin("sweep")
        t = current_time() if now is None else now
        query = (
            self._collection.where(filter=FieldFilter("expires_at", "<=", t))
            .select(["id"])
            .limit(_SWEEP_BATCH)
        )
        count = 0
        while True:
            try:
                docs = query.get(**self._opts())
            except api_exceptions.GoogleAPIError as exc:
                raise self._error("sweep", exc) from exc
            removed = 0
            for snap in docs:
                task_id = (snap.to_dict() or {}).get("id")
                if isinstance(task_id, str) and self._delete_doc("sweep", task_id, t):
                    removed += 1
            count += removed
            # A full batch of which nothing could go would come back forever.
            if len(docs) < _SWEEP_BATCH or removed == 0:
                return count

    def close(self) -> None:
        """Close the client if this storage created it."""
        self._closed = True
        if self._owns_client:
            # Client.close() lacks annotations in google-cloud-firestore.
            cast(Any, self._client).close()
