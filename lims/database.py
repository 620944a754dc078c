"""Engine settings for SQLite: WAL, foreign keys, and how transactions begin."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 30_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_write_intent: ContextVar[bool] = ContextVar("lims_write_intent", default=False)


def configure_engine_events(engine: Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout for every SQLite connection."""
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy issue BEGIN itself so that _begin_statement decides
        # between a deferred and an immediate transaction.
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


@contextmanager
def write_intent() -> Iterator[None]:
    """Start SQLite transactions in this block with the write lock taken.

    Commands and worker threads that write use it; requests with an unsafe
    method get it automatically.
    """
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def _begin_statement() -> str:
    """Choose how a SQLite transaction starts.

    A deferred transaction that reads first and writes later fails at once
    with "database is locked" when another connection committed in between,
    whatever the busy timeout. Work that intends to write therefore takes the
    write lock up front, so concurrent writers queue on the timeout. Reads
    keep deferred transactions, which WAL lets run beside a writer.
    """
    if _write_intent.get():
        return "BEGIN IMMEDIATE"
    if has_request_context() and request.method not in SAFE_METHODS:
        return "BEGIN IMMEDIATE"
    return "BEGIN"
