"""PostgreSQL specifics: upgrading a previous release's JSONB table, and timeouts on a frozen server."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from psycopg.types.json import Jsonb

from seqflow_runtime.storage.base import encode_task
from seqflow_runtime.storage.postgres import PostgresStorage

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
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {name}")


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
