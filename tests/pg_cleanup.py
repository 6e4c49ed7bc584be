"""Dropping what a test's ``PostgresStorage`` table made: the table, its log table and its notify function."""

from __future__ import annotations


def drop_postgres_storage(dsn: str, table: str) -> None:
    """Drop ``table``, ``table``'s log table and its notify function (each if it exists)."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}_log")
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"DROP FUNCTION IF EXISTS {table}_notify()")
