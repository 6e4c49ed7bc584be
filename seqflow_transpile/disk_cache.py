"""The persistent program cache: compiled programs on disk, so a fresh process skips parse and codegen.

A program is stored as one file per (source hash, dialect, eval mode,
strictness, transpiler fingerprint, Python bytecode version), written by
``marshal`` (the format of ``.pyc`` files: code objects, strings, lists,
tuples, dicts). Loading a file means running the code in it, so the
directory is trusted exactly like the installed package: only this host
writes it, never bytes from a task, a request or another machine; a
directory that another user owns or may write to is not used.

Every failure is a miss: a missing, truncated, corrupt or foreign file is
ignored (and rewritten by the next transpile), never raised. Writes go to a
temporary file renamed into place, so concurrent writers and readers only
ever see whole files. The directory is kept under a byte bound, least
recently used files evicted first.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import marshal
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import CodeType
from typing import Any

#: ``$SEQFLOW_PROGRAM_CACHE``: the cache directory, or ``off`` to keep programs in memory only.
CACHE_ENV = "SEQFLOW_PROGRAM_CACHE"
#: ``$SEQFLOW_PROGRAM_CACHE_BYTES``: the directory's byte bound (default :data:`DEFAULT_MAX_BYTES`).
BYTES_ENV = "SEQFLOW_PROGRAM_CACHE_BYTES"
DEFAULT_MAX_BYTES = 256 << 20
#: Values of :data:`CACHE_ENV` that turn the cache off.
OFF = ("off", "0", "false", "no", "none")
#: The file layout: this tag, the SHA-256 of the payload, then the marshalled payload.
_MAGIC = b"seqflow-program-1\n"
_SUFFIX = ".program"
_TEMP_PREFIX = ".tmp-"
#: A temporary file older than this was left by a killed writer.
_STALE_TEMP_SECONDS = 3600.0
#: Eviction brings the directory down to this share of its bound, so it does not run at every write.
_EVICT_TO = 0.8

_log = logging.getLogger("seqflow")

#: What a cached program holds (the fields of ``Program`` and its source map, in this order).
Entry = tuple[str, str, str, Any, list[int], list[tuple[int, int]], dict[int, str], str]


def default_directory() -> Path | None:
    """The cache directory ``$SEQFLOW_PROGRAM_CACHE`` names, else the user's cache directory; ``None`` when off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in OFF or not chosen.strip() else Path(chosen)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "seqflow" / "programs"


def _default_max_bytes() -> int:
    try:
        return max(0, int(os.environ.get(BYTES_ENV, DEFAULT_MAX_BYTES)))
    except ValueError:
        return DEFAULT_MAX_BYTES


def transpiler_fingerprint() -> str:
    """The identity of this transpiler: the bytecode version, and each of its modules' size and mtime.

    A changed or reinstalled transpiler (or another Python) never reads
    programs an older one wrote, whether or not the codegen version was bumped.
    """
    root = Path(__file__).resolve().parent
    parts = [importlib.util.MAGIC_NUMBER.hex(), sys.implementation.cache_tag or ""]
    for path in sorted(root.rglob("*.py")):
        stat = path.stat()
        parts.append(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class DiskCache:
    """Compiled programs in a directory (see the module docstring); every method fails soft."""

    def __init__(self, directory: Path | None, max_bytes: int) -> None:
        #: Where programs are kept; ``None``: the cache is off.
        self.directory = directory
        self.max_bytes = max_bytes
        #: Programs read from disk and written to it by this process (what tests observe).
        self.hits = 0
        self.writes = 0
        self._fingerprint: str | None = None
        self._checked = False
        #: The directory's size as this process last measured it plus what it wrote since.
        self._size: int | None = None
        self._lock = threading.Lock()

    def configure(self, directory: str | Path | None, max_bytes: int | None = None) -> None:
        """Use ``directory`` (``None``: off) and, if given, a new byte bound."""
        with self._lock:
            self.directory = None if directory is None else Path(directory)
            if max_bytes is not None:
                self.max_bytes = max_bytes
            self._checked = False
            self._size = None

    def load(self, key: tuple[str, str, str, bool]) -> Entry | None:
        """The stored program for ``key`` (source, dialect, eval mode, strict), or ``None``."""
        path = self._path(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        entry = _decode(data)
        if entry is None or entry[0] != key[0] or entry[1] != key[1]:
            return None
        try:
            os.utime(path)  # recently used: evicted last
        except OSError:
            pass
        self.hits += 1
        return entry

    def store(self, key: tuple[str, str, str, bool], entry: Entry) -> None:
        """Keep ``entry`` for ``key``, atomically; then evict past the bound."""
        path = self._path(key)
        if path is None:
            return
        try:
            payload = marshal.dumps(entry)
        except ValueError:
            return
        data = _MAGIC + hashlib.sha256(payload).digest() + payload
        if len(data) > self.max_bytes * (1 - _EVICT_TO):
            return
        try:
            handle, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temp, path)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError as exc:
            _log.debug("program cache: cannot write %s: %s", path, exc)
            return
        self.writes += 1
        with self._lock:
            if self._size is not None:
                self._size += len(data)
            if self._size is None or self._size > self.max_bytes:
                self._size = self._evict(path.parent)

    def _path(self, key: tuple[str, str, str, bool]) -> Path | None:
        directory = self.directory
        if directory is None or not self._usable(directory):
            return None
        if self._fingerprint is None:
            self._fingerprint = transpiler_fingerprint()
        source, dialect, eval_mode, strict = key
        digest = hashlib.sha256(
            f"{self._fingerprint}\0{dialect}\0{eval_mode}\0{int(strict)}\0{source}".encode("utf-8", "surrogatepass"))
        return directory / f"{digest.hexdigest()}{_SUFFIX}"

    def _usable(self, directory: Path) -> bool:
        """Create the directory (private to this user); refuse one another user could write to."""
        if self._checked:
            return self.directory is not None
        with self._lock:
            self._checked = True
            try:
                directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                stat = directory.stat()
            except OSError as exc:
                _log.warning("program cache off: cannot use %s: %s", directory, exc)
                self.directory = None
                return False
            getuid = getattr(os, "getuid", None)
            if getuid is not None and (stat.st_uid != getuid() or stat.st_mode & 0o022):
                _log.warning("program cache off: %s is writable by other users", directory)
                self.directory = None
                return False
            return True

    def _evict(self, directory: Path) -> int:
        """Delete the least recently used programs (and stale temporary files) past the bound; the size left."""
        files: list[tuple[float, int, Path]] = []
        now = time.time()
        try:
            for item in os.scandir(directory):
                try:
                    stat = item.stat()
                except OSError:
                    continue
                if item.name.startswith(_TEMP_PREFIX):
                    if now - stat.st_mtime > _STALE_TEMP_SECONDS:
                        _unlink(Path(item.path))
                elif item.name.endswith(_SUFFIX):
                    files.append((stat.st_mtime, stat.st_size, Path(item.path)))
        except OSError:
            return 0
        total = sum(size for _, size, _ in files)
        if total <= self.max_bytes:
            return total
        files.sort()
        for _, size, path in files:
            if total <= self.max_bytes * _EVICT_TO:
                break
            if _unlink(path):
                total -= size
        return total


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True


def _decode(data: bytes) -> Entry | None:
    """The entry in a file's bytes, or ``None`` for anything but a whole file this layout wrote."""
    head = len(_MAGIC)
    if data[:head] != _MAGIC or len(data) < head + 32:
        return None
    payload = data[head + 32:]
    if hashlib.sha256(payload).digest() != data[head:head + 32]:
        return None
    try:
        entry = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(entry, tuple) or len(entry) != 8 or not isinstance(entry[3], CodeType):
        return None
    return entry


#: The process-wide disk cache :func:`~seqflow_transpile.program.transpile` uses.
disk_cache = DiskCache(default_directory(), _default_max_bytes())
