"""Fixtures for the storage conformance suite: one ``backend`` per storage, on real servers.

Each backend is described by a storage URL (see ``seqflow_runtime.storage.url``).
The URL is the picklable recipe a child process uses to open the same storage,
so cross-process tests need nothing else. Servers:

- PostgreSQL at 127.0.0.1:5432, trust auth, user ``postgres``: the session
  creates a throwaway database and drops it at the end; each test gets its
  own table. Unreachable is a failure, not a skip (CI starts the server).
- Redis at 127.0.0.1:6379: each test gets its own key prefix, deleted after.
- Firestore: the emulator from the Debian package
  ``google-cloud-cli-firestore-emulator``, started once per session on a free
  port; each test gets its own collection. A missing emulator skips.

``SEQFLOW_TEST_POSTGRES`` (a DSN for the admin database) and
``SEQFLOW_TEST_REDIS`` (a URL) override the server addresses.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.managers import SyncManager
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

# Runs from a plain checkout too (no install): the repository root must be importable.
# Spawned child processes inherit this sys.path.
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from seqflow_runtime.storage.base import Storage
from seqflow_runtime.storage.url import create_storage

SPAWN = multiprocessing.get_context("spawn")
CHILD_PROCESSES = 6

BACKENDS = ["memory", "file", "sqlite", "postgres", "redis", "firestore"]

POSTGRES_ADMIN_DSN = os.environ.get(
    "SEQFLOW_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SEQFLOW_TEST_REDIS", "redis://127.0.0.1:6379/0")
FIRESTORE_PROJECT = "seqflow-test"
EMULATOR_PACKAGE = "google-cloud-cli-firestore-emulator"


@dataclass(frozen=True)
class Backend:
    """A storage under test, plus the URL that opens the same storage again (in any process)."""

    name: str
    url: str
    storage: Storage
    shared_across_processes: bool

    def fresh(self) -> Storage:
        """Another instance on the same data (what a child process builds from ``url``)."""
        return create_storage(self.url)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def child_processes() -> Iterator[ProcessPoolExecutor]:
    """Spawned worker processes, shared by the session's cross-process tests.

    Starting a Python process that imports seqflow and a driver costs about a
    second of CPU; paying it once rather than per test keeps the suite fast.
    A test that needs N distinct processes at once submits N jobs that wait on
    a barrier: a waiting worker takes no other job, so each job gets its own.
    """
    with ProcessPoolExecutor(max_workers=CHILD_PROCESSES, mp_context=SPAWN) as pool:
        yield pool


@pytest.fixture(scope="session")
def sync_manager() -> Iterator[SyncManager]:
    """A manager process whose barriers can be handed to pool workers."""
    with SPAWN.Manager() as manager:
        yield manager


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A DSN for a database created for this session and dropped after it."""
    import psycopg

    name = f"seqflow_test_{secrets.token_hex(6)}"
    try:
        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_DSN} (CI starts it): {exc}")
    parts = urlsplit(POSTGRES_ADMIN_DSN)
    yield urlunsplit(parts._replace(path="/" + name))
    with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis URL, after checking the server answers."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (CI starts it): {exc}")
    finally:
        client.close()
    return REDIS_URL


def emulator_launcher() -> str | None:
    """The Firestore emulator's launcher script from its Debian package, if installed."""
    try:
        listing = subprocess.run(
            ["dpkg", "-L", EMULATOR_PACKAGE], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in listing.splitlines():
        if line.endswith("/cloud_firestore_emulator") and os.access(line, os.X_OK):
            return line
    return None


def _wait_for_emulator(proc: subprocess.Popen[bytes], host: str, log_path: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            with open(log_path, errors="replace") as log:
                tail = log.read()[-2000:]
            pytest.fail(f"Firestore emulator exited with {proc.returncode}:\n{tail}")
        try:
            # The emulator answers "Ok" on / once it serves requests.
            with urllib.request.urlopen(f"http://{host}/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"Firestore emulator did not answer on {host} within 90 s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    # The launcher is a shell script that runs java: kill the whole group. The
    # emulator holds nothing worth a graceful shutdown (which takes seconds).
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    proc.wait(timeout=30)


@pytest.fixture(scope="session")
def firestore_emulator() -> Iterator[str]:
    """Start the Firestore emulator for the session; ``FIRESTORE_EMULATOR_HOST`` points at it."""
    launcher = emulator_launcher()
    if launcher is None:
        pytest.skip(
            f"Firestore emulator not installed: `dpkg -L {EMULATOR_PACKAGE}` lists no"
            " cloud_firestore_emulator launcher"
        )
    host = f"127.0.0.1:{free_port()}"
    log = tempfile.NamedTemporaryFile(prefix="firestore-emulator-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [launcher, "start", "--host=127.0.0.1", f"--port={host.rsplit(':', 1)[1]}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    previous = os.environ.get("FIRESTORE_EMULATOR_HOST")
    try:
        _wait_for_emulator(proc, host, log.name)
        # Set before any client exists; spawned child processes inherit it.
        os.environ["FIRESTORE_EMULATOR_HOST"] = host
        yield host
    finally:
        if previous is None:
            os.environ.pop("FIRESTORE_EMULATOR_HOST", None)
        else:
            os.environ["FIRESTORE_EMULATOR_HOST"] = previous
        _stop(proc)
        log.close()
        os.unlink(log.name)


def _delete_redis_prefix(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
    finally:
        client.close()


def _backend_url(request: pytest.FixtureRequest, name: str, tmp_path: str) -> str:
    unique = secrets.token_hex(6)
    if name == "memory":
        return "memory:"
    if name == "file":
        return "file://" + quote(os.path.join(tmp_path, "tasks"))
    if name == "sqlite":
        return "sqlite://" + quote(os.path.join(tmp_path, "tasks.db"))
    if name == "postgres":
        dsn: str = request.getfixturevalue("postgres_dsn")
        return f"{dsn}?table=t_{unique}"
    if name == "redis":
        url: str = request.getfixturevalue("redis_url")
        return f"{url}?prefix=seqflow-test:{unique}:"
    if name == "firestore":
        request.getfixturevalue("firestore_emulator")
        return f"firestore://{FIRESTORE_PROJECT}/tasks_{unique}"
    raise AssertionError(name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[Backend]:
    """Each storage in turn, empty, built through ``create_storage`` from its URL."""
    name: str = request.param
    url = _backend_url(request, name, os.fspath(tmp_path))
    storage = create_storage(url)
    yield Backend(name, url, storage, shared_across_processes=name != "memory")
    storage.close()
    if name == "redis":
        _delete_redis_prefix(url.split("?", 1)[0], url.split("prefix=", 1)[1])
