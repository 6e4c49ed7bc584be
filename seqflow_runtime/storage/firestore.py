"""Tasks in a Firestore collection, through google-cloud-firestore.

One document per task with the queryable fields ``id``, ``status``,
``version``, ``expires_at`` and ``wake_at`` (epoch seconds), plus the task JSON
in ``data``. A Firestore document holds at most 1 MiB and a task's replay log
can be several megabytes, so JSON over :data:`CHUNK_BYTES` is split into
documents ``<doc>/chunks/<write_id>-0``, ``-1``, ... and the main document
keeps ``chunks`` (the count) and ``write_id`` instead of ``data``.

Compare-and-swap commits one atomic batch: the new main document with a
precondition, plus deletes of the chunks it replaces. Creating (expected
version ``None``) uses ``create``, which fails if the document exists; an
update first reads the document, checks ``version``, and requires its
``update_time`` to be unchanged at commit. If another writer got in first the precondition fails and
nothing is written. Preconditions rather than a transaction because
Firestore's server-side transactions lock what they read: six processes racing
on one task kept aborting each other until their retries ran out.

Chunks are written before that commit, under a fresh ``write_id`` no reader
looks at, in batches of at most :data:`REQUEST_BYTES`: one request carries at
most 10 MiB (the emulator only 4 MiB), which a 5 MB log with escapes
approaches. Readers follow the main document, so they see the old task or the
new one, never a mix; a reader whose chunks vanished under it (a newer write
committed) reads again. A writer that loses deletes the chunks it wrote; one
that dies between the two steps, or whose commit outcome is unknown, leaves
unreferenced chunks behind: harmless, but not collected.

Appends: a save of a task loaded at the stored version writes only the log
entries added since (see :func:`~.base.split_task`) as one document
``<doc>/log/<write_id>-<n>``, in the same atomic commit as the main
document's update (guarded like any update), which then keeps the task's new
head in ``head`` and counts the log documents in ``log_seq``; ``data`` (or
its chunks) keeps the task as of the last whole write. A reader joins the
two. A save that cannot append (a new task, a writer that did not load the
stored log, more than :data:`CHUNK_BYTES` to add) writes the whole task as
before and then removes the log documents it replaced.

Workers lease a task through the document ``<doc>/lease/holder`` (``owner``,
``until``): a claim queries the main documents by ``due_at`` and takes each
free lease with a precondition (``create`` where none exists, else an update
guarded by the lease document's ``update_time``), so of racing claimers
exactly one gets it; the task's own document, and so its saves, are untouched.
Outside the emulator the ``due_at`` query needs a single-field index (automatic).

Filtering ``list`` by status orders by ``id`` after an equality filter on
``status``; outside the emulator that needs the composite index in
:data:`INDEXES`. The JSON is ASCII (non-ASCII characters escaped), so a chunk's
length in characters is its size in bytes.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import quote

from google.api_core import exceptions as api_exceptions
from google.api_core import retry as api_retry
from google.auth import exceptions as auth_exceptions
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from ..errors import BadArgumentError, CorruptStateError, StorageError, VersionConflictError
from ..task import Task, from_iso
from .base import (
    Claimed,
    Storage,
    TaskPage,
    appendable,
    batch_after,
    check_lease,
    check_limit,
    counts_of,
    current_time,
    decode_json,
    due_at,
    encode_batch,
    encode_counts,
    encode_task,
    join_task,
    mark_saved,
    matches,
    parse_head,
    parse_stored,
    split_task,
)

DEFAULT_COLLECTION = "seqflow_tasks"
"""The collection used when none is given."""

CHUNK_BYTES = 900_000
"""Task JSON longer than this goes to the ``chunks`` subcollection in pieces of this size."""

REQUEST_BYTES = 3_000_000
"""Chunk bytes per batched write: below the emulator's 4 MiB request limit (Firestore: 10 MiB)."""

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
    "chunks": "integer, number of chunk documents (0: data is inline)",
    "write_id": "string, names this write's chunks: chunks/<write_id>-<n>",
    "due_at": "double or null, epoch seconds: when a worker should pick the task up",
    "head": "string or null: the task's head (without its log) since the last append; null: data is the task",
    "log_seq": "integer, number of log documents appended after data: log/<write_id>-<n>",
    "log_counts": "string, the stored log's counts (what an append must have loaded)",
    "append_id": "string, names the last append (a retried commit recognises its own)",
}
"""The main document's fields; each ``chunks/<write_id>-<n>`` document holds ``data``."""

# Server errors, and credentials that fail to refresh mid-call.
_API_ERRORS = (api_exceptions.GoogleAPIError, auth_exceptions.GoogleAuthError)
_META_FIELDS = ["id", "status", "expires_at", "wake_at"]
_READ_ATTEMPTS = 5
_SWEEP_BATCH = 300
_CLAIM_PAGE = 100
# Lease conflicts: another claimer or holder wrote the lease document first.
_LOST = (api_exceptions.FailedPrecondition, api_exceptions.Conflict, api_exceptions.NotFound,
         api_exceptions.AlreadyExists)


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


def _queried(task: Task, data: dict[str, Any]) -> dict[str, Any]:
    """The main document's fields queries read, from the persisted shape (so queries and load() agree on rounding)."""
    return {
        "status": task.status,
        "version": task.version,
        "expires_at": from_iso(data["expiresAt"]),
        "wake_at": from_iso(data["wakeAt"]),
        "created_at": from_iso(data["createdAt"]),
        "updated_at": from_iso(data["updatedAt"]),
        "due_at": due_at(data),
    }


def _unexpired(task: Task | None, include_expired: bool) -> Task | None:
    """``task``, or ``None`` if there is none or it has expired (unless ``include_expired``)."""
    if task is None or (not include_expired and task.expired(current_time())):
        return None
    return task


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
    ) -> None:
        if not collection or "/" in collection:
            raise BadArgumentError(f"collection must be a plain collection id, got {collection!r}")
        self.collection_name = collection
        self.timeout = timeout
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
        self, ref: firestore.DocumentReference, write_id: str, index: int
    ) -> firestore.DocumentReference:
        chunk: firestore.DocumentReference = ref.collection("chunks").document(
            f"{write_id}-{index}"
        )
        return chunk

    def _chunks_of(
        self, ref: firestore.DocumentReference, doc: dict[str, Any] | None
    ) -> list[firestore.DocumentReference]:
        """The chunk documents the stored main document ``doc`` points at."""
        if doc is None or not doc.get("chunks"):
            return []
        write_id = str(doc.get("write_id"))
        return [self._chunk_ref(ref, write_id, i) for i in range(int(doc["chunks"]))]

    def _batched(
        self, op: str, refs: list[firestore.DocumentReference], pieces: list[str] | None
    ) -> None:
        """Write ``pieces`` to ``refs`` (or delete ``refs``), in requests of bounded size."""
        per_request = max(1, REQUEST_BYTES // CHUNK_BYTES) if pieces is not None else 400
        for start in range(0, len(refs), per_request):
            batch = self._client.batch()
            for offset, ref in enumerate(refs[start : start + per_request]):
                if pieces is None:
                    batch.delete(ref)
                else:
                    batch.set(ref, {"data": pieces[start + offset]})
            try:
                batch.commit(**self._opts())
            except _API_ERRORS as exc:
                raise self._error(op, exc) from exc

    def _begin(self, op: str) -> None:
        if self._closed:
            raise StorageError(f"FirestoreStorage.{op}: the storage is closed")
        if not self._migrated:
            self._probe(op)

    def _probe(self, op: str) -> None:
        # Firestore has no schema. The first call still reads once, so an
        # unreachable server or missing credentials surface as one clear error.
        try:
            self._collection.limit(1).get(**self._opts())
        except _API_ERRORS as exc:
            raise self._error(op, exc) from exc
        self._migrated = True

    def migrate(self) -> None:
        """Check that Firestore answers (documents need no schema; indexes: :data:`INDEXES`)."""
        self._begin("migrate")
        self._probe("migrate")

    def _get(self, op: str, ref: firestore.DocumentReference) -> firestore.DocumentSnapshot[Any]:
        try:
            snap: firestore.DocumentSnapshot[Any] = ref.get(**self._opts())
        except _API_ERRORS as exc:
            raise self._error(op, exc) from exc
        return snap

    def save(self, task: Task, expected_version: int | None) -> None:
        """Write the chunks (if any), then compare-and-swap the main document (a precondition)."""
        self._begin("save")
        data = task.to_dict()
        start = appendable(task, expected_version, data)
        if start is not None and expected_version is not None and self._append(task, data, start, expected_version):
            mark_saved(task, counts_of(data))
            return
        text = encode_task(data)
        pieces = _split(text) if len(text) > CHUNK_BYTES else []
        write_id = uuid.uuid4().hex
        fields: dict[str, Any] = {
            "id": task.id,
            **_queried(task, data),
            "data": None if pieces else text,
            "chunks": len(pieces),
            "write_id": write_id,
            "head": None,
            "log_seq": 0,
            "log_counts": encode_counts(counts_of(data)),
            "append_id": None,
        }
        ref = self._ref(task.id)
        new_chunks = [self._chunk_ref(ref, write_id, i) for i in range(len(pieces))]
        # Invisible until the commit below points the main document at them.
        self._batched("save", new_chunks, pieces)

        batch = self._client.batch()
        current: dict[str, Any] | None = None
        if expected_version is None:
            # No read needed: create() fails by itself if the document exists.
            batch.create(ref, fields)
            can_win = True
        else:
            snap = self._get("save", ref)
            current = snap.to_dict() if snap.exists else None
            can_win = current is not None and current.get("version") == expected_version
            if can_win:
                guard = self._client.write_option(last_update_time=snap.update_time)
                batch.update(ref, fields, option=guard)
                for old in self._chunks_of(ref, current):
                    batch.delete(old)
        if can_win:
            # One atomic commit: the guarded main document and the removal of
            # the chunks it replaces.
            try:
                batch.commit(**self._opts())
                self._drop_log(ref, current)
                mark_saved(task, counts_of(data))
                return
            except (
                api_exceptions.FailedPrecondition,
                api_exceptions.Conflict,
                api_exceptions.NotFound,
            ):
                # Another writer got in between, or a retried commit of ours ran
                # into our own first attempt: the write_id tells them apart.
                replaced = current
                snap = self._get("save", ref)
                current = snap.to_dict() if snap.exists else None
                if current is not None and current.get("write_id") == write_id:
                    self._drop_log(ref, replaced)
                    mark_saved(task, counts_of(data))
                    return
            except _API_ERRORS as exc:
                # The commit may or may not have happened: keep the chunks.
                raise self._error("save", exc) from exc
        # Certainly not committed, so nothing references the new chunks.
        self._batched("save", new_chunks, None)
        stored = current.get("version") if current is not None else None
        raise VersionConflictError(
            f"task {task.id!r} is at version {stored}, not {expected_version}", task_id=task.id
        )

    def _log_refs(self, ref: firestore.DocumentReference, doc: dict[str, Any] | None) -> list[firestore.DocumentReference]:
        """The log documents the stored main document ``doc`` counts, in append order."""
        if doc is None or not doc.get("log_seq"):
            return []
        log = ref.collection("log")
        return [log.document(f"{doc.get('write_id')}-{n:06d}") for n in range(int(doc["log_seq"]))]

    def _drop_log(self, ref: firestore.DocumentReference, replaced: dict[str, Any] | None) -> None:
        """Remove the log documents of a main document a whole write replaced (nothing reads them any more).

        Best effort, after the commit: a failure leaves unreferenced documents, as a dead writer's chunks do.
        """
        with contextlib.suppress(StorageError):
            self._batched("save", self._log_refs(ref, replaced), None)

    def _append(self, task: Task, data: dict[str, Any], start: tuple[int | None, int | None, int | None],
                expected_version: int) -> bool:
        """Commit the head and one log document of the entries after ``start``; ``False``: write the whole task.

        ``VersionConflictError`` if the stored version is not ``expected_version``.
        """
        head, counts = split_task(data)
        head_text, batch_text = encode_task(head), encode_batch(batch_after(data, start))
        if len(head_text) + len(batch_text) > CHUNK_BYTES:
            return False  # over one request's comfortable size: the whole write chunks it
        ref = self._ref(task.id)
        snap = self._get("save", ref)
        current = snap.to_dict() if snap.exists else None
        if current is None or current.get("version") != expected_version:
            stored = current.get("version") if current is not None else None
            raise VersionConflictError(
                f"task {task.id!r} is at version {stored}, not {expected_version}", task_id=task.id)
        if current.get("log_counts") != encode_counts(start):
            return False
        seq = int(current.get("log_seq") or 0)
        append_id = uuid.uuid4().hex
        fields: dict[str, Any] = {
            **_queried(task, data),
            "head": head_text,
            "log_seq": seq + 1,
            "log_counts": encode_counts(counts),
            "append_id": append_id,
        }
        batch = self._client.batch()
        batch.update(ref, fields, option=self._client.write_option(last_update_time=snap.update_time))
        batch.set(ref.collection("log").document(f"{current.get('write_id')}-{seq:06d}"), {"data": batch_text})
        try:
            batch.commit(**self._opts())
            return True
        except (api_exceptions.FailedPrecondition, api_exceptions.Conflict, api_exceptions.NotFound):
            # Another writer got in between, or a retried commit ran into our own first attempt.
            again = self._get("save", ref)
            now = again.to_dict() if again.exists else None
            if now is not None and now.get("append_id") == append_id:
                return True
            stored = now.get("version") if now is not None else None
        except _API_ERRORS as exc:
            raise self._error("save", exc) from exc
        raise VersionConflictError(
            f"task {task.id!r} is at version {stored}, not {expected_version}", task_id=task.id)

    def _assemble(self, op: str, snap: firestore.DocumentSnapshot[Any]) -> Task | None:
        """The task in a full snapshot, reading its chunks and log documents; ``None`` if it is gone."""
        for _ in range(_READ_ATTEMPTS):
            doc = snap.to_dict() if snap.exists else None
            if doc is None:
                return None
            chunks, logs = self._chunks_of(snap.reference, doc), self._log_refs(snap.reference, doc)
            try:
                found = {
                    c.reference.path: c.to_dict()
                    for c in self._client.get_all(chunks + logs, **self._opts())
                    if c.exists
                } if chunks or logs else {}
            except _API_ERRORS as exc:
                raise self._error(op, exc) from exc
            parts = [found.get(r.path) for r in chunks + logs]
            if all(p is not None for p in parts):
                texts = [str(p["data"]) for p in parts if p]
                base = "".join(texts[: len(chunks)]) if chunks else doc.get("data")
                return self._parse(doc, base, texts[len(chunks):])
            # A newer write committed and removed these documents: follow the main document again.
            try:
                snap = snap.reference.get(**self._opts())
            except _API_ERRORS as exc:
                raise self._error(op, exc) from exc
        raise StorageError(
            f"FirestoreStorage.{op}: task {snap.id!r} kept changing while being read"
        )

    def _parse(self, doc: dict[str, Any], base: Any, batches: list[str]) -> Task:
        """The task of a main document: its ``data`` (``base``), and its ``head`` joined with the appended batches."""
        task_id = str(doc.get("id"))
        if doc.get("head") is None:
            return parse_stored(base, None, "FirestoreStorage", task_id)
        whole = decode_json(base, "FirestoreStorage", task_id)
        if not isinstance(whole, dict):
            raise CorruptStateError(f"FirestoreStorage: task {task_id!r} is not a JSON object", task_id=task_id)
        head = decode_json(doc["head"], "FirestoreStorage", task_id)
        appended = decode_json(f"[{','.join(batches)}]", "FirestoreStorage", task_id)
        return join_task(head, [batch_after(whole, (0, 0, 0)), *appended], "FirestoreStorage", task_id)

    def _main(self, op: str, task_id: str) -> firestore.DocumentSnapshot[Any] | None:
        """The task's main document, or ``None``."""
        self._begin(op)
        try:
            snap: firestore.DocumentSnapshot[Any] = self._ref(task_id).get(**self._opts())
        except _API_ERRORS as exc:
            raise self._error(op, exc) from exc
        return snap if snap.exists else None

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the document (and its chunks and log, unless the task has expired anyway)."""
        snap = self._main("load", task_id)
        if snap is None:
            return None
        expires_at = (snap.to_dict() or {}).get("expires_at")
        if not include_expired and expires_at is not None and expires_at <= current_time():
            return None
        return _unexpired(self._assemble("load", snap), include_expired)

    def load_head(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the main document only, when it holds a head (else the task, with its chunks)."""
        snap = self._main("load_head", task_id)
        doc = None if snap is None else snap.to_dict()
        if snap is None or doc is None:
            return None
        task = parse_head(doc["head"], "FirestoreStorage", task_id) if doc.get("head") is not None \
            else self._assemble("load_head", snap)
        return _unexpired(task, include_expired)

    def _delete_doc(self, op: str, task_id: str, expired_at_or_before: float | None) -> bool:
        """Delete a task and its chunks in one commit (its log documents after); with a time, only if expired by then."""
        ref = self._ref(task_id)
        for _ in range(_READ_ATTEMPTS):
            snap = self._get(op, ref)
            doc = snap.to_dict() if snap.exists else None
            if doc is None:
                return False
            if expired_at_or_before is not None:
                expires_at = doc.get("expires_at")
                if expires_at is None or expires_at > expired_at_or_before:
                    return False  # re-saved with a later expiry since the sweep query
            batch = self._client.batch()
            guard = self._client.write_option(last_update_time=snap.update_time)
            batch.delete(ref, option=guard)
            for old in self._chunks_of(ref, doc):
                batch.delete(old)
            try:
                batch.commit(**self._opts())
                self._drop_log(ref, doc)
                return True
            except (api_exceptions.FailedPrecondition, api_exceptions.NotFound):
                continue  # changed since we read it: look again
            except _API_ERRORS as exc:
                raise self._error(op, exc) from exc
        raise StorageError(f"FirestoreStorage.{op}: task {task_id!r} kept changing")

    def delete(self, task_id: str) -> bool:
        """Delete the document and its chunks in one commit, then its log documents."""
        self._begin("delete")
        return self._delete_doc("delete", task_id, None)

    def list(
        self,
        status: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        wake_before: float | None = None,
    ) -> TaskPage:
        """Page with ``order_by("id")`` and ``start_after``, filtering expiry and wake time here.

        Without ``wake_before`` whole documents are read, ``limit + 1`` at a
        time (only expired ones are read in vain). With it, most scanned tasks
        may still be asleep, so a projection query picks the page's ids and only
        those documents are read in full.
        """
        check_limit(limit)
        self._begin("list")
        now = current_time()
        projected = wake_before is not None
        query = self._collection.order_by("id")
        if projected:
            query = query.select(_META_FIELDS)
        if status is not None:
            query = query.where(filter=FieldFilter("status", "==", status))
        batch = min(max(limit + 1, 100), 1000) if projected else limit + 1
        after = cursor
        found: list[firestore.DocumentSnapshot[Any]] = []
        # Gather one task more than the page holds: it says whether a next page exists.
        while len(found) <= limit:
            page_query = query.start_after({"id": after}) if after is not None else query
            try:
                docs = page_query.limit(batch).get(**self._opts())
            except _API_ERRORS as exc:
                raise self._error("list", exc) from exc
            for snap in docs:
                meta = snap.to_dict() or {}
                expires_at = meta.get("expires_at")
                wake_at = meta.get("wake_at")
                if expires_at is not None and expires_at <= now:
                    continue
                if wake_before is not None and (wake_at is None or wake_at > wake_before):
                    continue
                found.append(snap)
                if len(found) > limit:
                    break
            if len(docs) < batch:
                break
            after = str((docs[-1].to_dict() or {}).get("id"))
        page = found[:limit]
        if projected and page:
            try:
                refs = [snap.reference for snap in page]
                full = {snap.id: snap for snap in self._client.get_all(refs, **self._opts())}
            except _API_ERRORS as exc:
                raise self._error("list", exc) from exc
            page = [full[snap.id] for snap in page if snap.id in full]
        tasks: list[Task] = []
        for snap in page:
            task = self._assemble("list", snap)
            # Re-check: the task may have changed since the query read it.
            if task is not None and not task.expired(now) and matches(task, status, wake_before):
                tasks.append(task)
        if len(found) <= limit:
            return TaskPage(tasks, None)
        return TaskPage(tasks, str((found[limit - 1].to_dict() or {}).get("id")))

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
            except _API_ERRORS as exc:
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

    def _lease_ref(self, task_id: str) -> firestore.DocumentReference:
        lease: firestore.DocumentReference = self._ref(task_id).collection("lease").document("holder")
        return lease

    def _due_page(self, now: float | None, after: Any, size: int) -> Sequence[firestore.DocumentSnapshot[Any]]:
        """Main documents' ids and due times in ``due_at`` order (only those due by ``now``, if given)."""
        query = self._collection.order_by("due_at").select(["id", "due_at", "expires_at"])
        # A range filter also leaves out the null due_at that order_by alone would list first.
        query = query.where(filter=FieldFilter("due_at", ">=", float("-inf")))
        if now is not None:
            query = query.where(filter=FieldFilter("due_at", "<=", now))
        if after is not None:
            query = query.start_after(after)
        try:
            return list(query.limit(size).get(**self._opts()))
        except _API_ERRORS as exc:
            raise self._error("claim", exc) from exc

    def claim(self, worker_id: str, now: float, lease_seconds: float, limit: int) -> Claimed:
        """Walk the due documents oldest first, taking each free lease with a precondition."""
        check_lease(worker_id, lease_seconds, limit)
        self._begin("claim")
        claimed: Claimed = []
        after = None
        while len(claimed) < limit:
            page = self._due_page(now, after, _CLAIM_PAGE)
            for snap in page:
                meta = snap.to_dict() or {}
                expires_at = meta.get("expires_at")
                task_id = str(meta.get("id"))
                if (expires_at is not None and expires_at <= now) \
                        or not self._take_lease(task_id, worker_id, now, now + lease_seconds):
                    continue
                task = self._assemble("claim", self._get("claim", self._ref(task_id)))
                if task is None:
                    self.release(task_id, worker_id)
                    continue
                claimed.append(task)
                if len(claimed) == limit:
                    break
            if len(page) < _CLAIM_PAGE:
                break
            after = page[-1]
        return claimed

    def _take_lease(self, task_id: str, worker_id: str, now: float, until: float) -> bool:
        """Write the lease if it is free, guarded so only one racing writer succeeds."""
        ref = self._lease_ref(task_id)
        lease = self._get("claim", ref)
        fields = {"owner": worker_id, "until": until}
        try:
            if not lease.exists:
                ref.create(fields, **self._opts())
            elif (lease.to_dict() or {}).get("until", 0) > now:
                return False
            else:
                ref.update(fields, option=self._client.write_option(last_update_time=lease.update_time),
                           **self._opts())
        except _LOST:
            return False
        except _API_ERRORS as exc:
            raise self._error("claim", exc) from exc
        return True

    def renew(self, task_id: str, worker_id: str, lease_until: float) -> bool:
        """Move the lease's end if ``worker_id`` still holds it (guarded by the lease's update time)."""
        self._begin("renew")
        ref = self._lease_ref(task_id)
        lease = self._get("renew", ref)
        if not lease.exists or (lease.to_dict() or {}).get("owner") != worker_id:
            return False
        try:
            ref.update({"until": lease_until},
                       option=self._client.write_option(last_update_time=lease.update_time), **self._opts())
        except _LOST:
            return False
        except _API_ERRORS as exc:
            raise self._error("renew", exc) from exc
        return True

    def release(self, task_id: str, worker_id: str) -> bool:
        """Delete the lease document if ``worker_id`` holds it."""
        self._begin("release")
        ref = self._lease_ref(task_id)
        lease = self._get("release", ref)
        if not lease.exists or (lease.to_dict() or {}).get("owner") != worker_id:
            return False
        try:
            ref.delete(option=self._client.write_option(last_update_time=lease.update_time), **self._opts())
        except _LOST:
            return False
        except _API_ERRORS as exc:
            raise self._error("release", exc) from exc
        return True

    def next_due(self) -> float | None:
        """The earliest time one of the first due documents is unleased (later ones are due later still)."""
        self._begin("next_due")
        times: list[float] = []
        for snap in self._due_page(None, None, 20):
            when = float((snap.to_dict() or {})["due_at"])
            lease = self._get("next_due", self._lease_ref(str((snap.to_dict() or {}).get("id"))))
            until = (lease.to_dict() or {}).get("until") if lease.exists else None
            times.append(max(when, float(until)) if until is not None else when)
        return min(times, default=None)

    def close(self) -> None:
        """Close the client if this storage created it."""
        self._closed = True
        if self._owns_client:
            # Client.close() lacks annotations in google-cloud-firestore.
            cast(Any, self._client).close()
