"""Engine settings and the transaction helpers used by operations."""

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 30_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_engine_events(engine: Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout for every SQLite connection."""
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy issue BEGIN itself so that "BEGIN IMMEDIATE" below
        # takes the write lock at the start of each transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql(_begin_statement())


def _begin_statement() -> str:
    """Choose how a SQLite transaction starts.

    A deferred transaction that reads first and writes later fails at once
    with "database is locked" when another connection wrote in between,
    whatever the busy timeout. Requests that may write, and commands, take the
    write lock up front instead, so concurrent writers queue on the timeout.
    Safe requests keep deferred transactions, which WAL lets run beside a
    writer.
    """
    if has_request_context() and request.method in SAFE_METHODS:
        return "BEGIN"
    return "BEGIN IMMEDIATE"
