"""Online backup and restore of the whole database.

SQLite uses the online backup API, which copies a consistent snapshot while
the application keeps running. PostgreSQL uses ``pg_dump --format=custom``
and ``pg_restore --clean``, so the client tools must be on PATH.
"""

import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa


class BackupError(RuntimeError):
    """A backup or restore failed; the message names the file and the cause."""


def backup(database_url: str, target: Path) -> Path:
    url = sa.engine.make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(Path(url.database), target)
    elif url.get_backend_name() == "postgresql":
        _run(["pg_dump", "--format=custom", f"--file={target}", _libpq(url)])
    else:
        raise BackupError(f"backups of {url.get_backend_name()} are not supported")
    return target


def restore(database_url: str, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source}: backup file not found")
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(source, Path(url.database))
    elif url.get_backend_name() == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq(url)}",
                str(source),
            ]
        )
    else:
        raise BackupError(f"restores of {url.get_backend_name()} are not supported")


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API."""
    try:
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
    except sqlite3.Error as error:
        raise BackupError(f"{source} -> {target}: {error}") from error


def _libpq(url: sa.engine.URL) -> str:
    """Render a SQLAlchemy URL as a libpq connection string."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} not found; install the PostgreSQL client tools"
        )
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} failed: {completed.stderr.strip()}")
