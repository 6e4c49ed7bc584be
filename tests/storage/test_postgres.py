"""PostgreSQL specifics: upgrading a previous release's JSONB table, and timeouts on a frozen server."""

from __future__ import annotations

import secrets
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg.types.json import Jsonb

from seqflow_runtime.errors import BadArgumentError, StorageError
from seqflow_runtime.storage.base import encode_task
from seqflow_runtime.storage.postgres import PostgresStorage
from seqflow_runtime.storage.url import create_storage
from tests.pg_cleanup import drop_postgres_storage

from tcp_proxy import TcpProxy
from test_conformance import make_task

# The table as the previous release created it: the task in a JSONB column.
OLD_SCHEMA = """
CREATE TABLE {table} (
    id          TEXT COLLATE "C" PRIMARY KEY,
    status      TEXT NOT NULL,
    version     BIGINT NOT NULL,
    expires_at  DOUBLE PRECISION,
    wake_at     DOUBLE PRECISION,
    created_at  DOUBLE PRECISION NOT NULL,
    updated_at  DOUBLE PRECISION NOT NULL,
    data        JSONB NOT NULL
);
CREATE INDEX {table}_status_idx ON {table} (status, id);
"""


@pytest.fixture
def table(postgres_dsn: str) -> Iterator[str]:
    """A fresh table name, dropped afterwards."""
    name = f"t_{secrets.token_hex(6)}"
    yield name
    drop_postgres_storage(postgres_dsn, name)


def _data_type(dsn: str, table: str) -> str:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = to_regclass(%s) AND attname = 'data'", (table,)
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_migrate_upgrades_a_jsonb_table_in_place(postgres_dsn: str, table: str) -> None:
    """migrate() turns the old JSONB column into TEXT; old rows still load, new ones are exact."""
    old = make_task("old", vm_state={"events": [{"zeta": 1, "alpha": 2}]})
    data = old.to_dict()
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(OLD_SCHEMA.format(table=table))
        conn.execute(
            f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            ("old", old.status, old.version, old.expires_at, old.wake_at, old.created_at,
             old.updated_at, Jsonb(data)),
        )
    assert _data_type(postgres_dsn, table) == "jsonb"
    storage = PostgresStorage(postgres_dsn, table)
    try:
        storage.migrate()
        assert _data_type(postgres_dsn, table) == "text"
        storage.migrate()  # idempotent
        assert _data_type(postgres_dsn, table) == "text"
        loaded = storage.load("old")
        assert loaded is not None and loaded.to_dict() == old.copy().to_dict()
        # Rows written before the upgrade were key-sorted by JSONB: nothing to recover.
        assert loaded.vm_state == {"events": [{"alpha": 2, "zeta": 1}]}
        new = make_task("new", vm_state={"events": [{"zeta": "\x00", "alpha": -0.0, "s": "\udc00"}]})
        storage.save(new, None)
        again = storage.load("new")
        assert again is not None and encode_task(again.to_dict()) == encode_task(new.to_dict())
        # The old row can be moved on with compare-and-swap as before.
        loaded.version = 2
        storage.save(loaded, 1)
        assert [t.id for t in storage.list().tasks] == ["new", "old"]
    finally:
        storage.close()


@pytest.fixture
def proxy(postgres_dsn: str) -> Iterator[TcpProxy]:
    """A freezable proxy in front of the test server."""
    parts = urlsplit(postgres_dsn)
    running = TcpProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    yield running
    running.close()


def _through(dsn: str, port: int, query: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{port}", query=query))


def test_frozen_server_times_out_with_a_storage_error(
    postgres_dsn: str, table: str, proxy: TcpProxy
) -> None:
    """Once the server stops answering, save and load fail within their timeouts, naming them."""
    url = _through(postgres_dsn, proxy.port,
                   f"table={table}&statement_timeout=2s&connect_timeout=2&pool_timeout=2s")
    storage = create_storage(url)
    assert isinstance(storage, PostgresStorage)
    assert (storage.statement_timeout, storage.connect_timeout, storage.pool_timeout) == (2, 2, 2)
    try:
        good = make_task("frozen")
        storage.save(good, None)
        # Let the pool's health check of the connection through, then freeze.
        proxy.freeze(let_through=1)
        started = time.monotonic()
        with pytest.raises(StorageError) as info:
            storage.save(make_task("frozen", version=2), 1)
        message = str(info.value)
        assert "PostgresStorage.save" in message and "statement timeout of 2s" in message
        assert info.value.code == "storage_unavailable"
        # The broken connection is gone; a new one cannot be made or handed out in time.
        with pytest.raises(StorageError) as info:
            storage.load("frozen")
        assert "PostgresStorage.load" in str(info.value)
        assert "timeout" in str(info.value)
        assert time.monotonic() - started < 15
    finally:
        storage.close()
    # Nothing half-written: the last good state is what the server holds.
    direct = PostgresStorage(postgres_dsn, table)
    try:
        stored = direct.load("frozen")
        assert stored is not None and encode_task(stored.to_dict()) == encode_task(good.to_dict())
    finally:
        direct.close()


def test_server_that_never_answers_the_handshake(postgres_dsn: str) -> None:
    """A listener that accepts and never speaks: a StorageError naming connect_timeout."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        storage = create_storage(_through(postgres_dsn, port, "connect_timeout=2s"))
        started = time.monotonic()
        with pytest.raises(StorageError) as info:
            storage.save(make_task("x"), None)
        assert "PostgresStorage.save" in str(info.value)
        assert "connect_timeout 2s" in str(info.value)
        assert time.monotonic() - started < 10
        storage.close()


@pytest.mark.parametrize("query", ["statement_timeout=soon", "pool_timeout=-1s", "connect_timeout=5h"])
def test_bad_timeout_in_url(query: str) -> None:
    """A timeout that is not a duration is BadArgumentError, before any connection."""
    with pytest.raises(BadArgumentError):
        create_storage(f"postgresql://postgres@127.0.0.1:1/db?{query}")
