"""Fixtures: an application on a fresh, real database for every test.

The schema is built once per database kind by running the Alembic migrations
and loading the shipped reference data. Each test then gets its own copy:
a copied file on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL. Tests
therefore see real commits, real constraints and real concurrency, and no
test can leak rows into another.

Set ``TEST_DATABASE_URL`` (a PostgreSQL URL) to run every database test on
PostgreSQL as well as on SQLite.
"""

import contextvars
import itertools
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient

from lims import create_app
from lims.extensions import db as _db

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
_counter = itertools.count()


def _worker() -> str:
    """Name this test process uniquely, even beside other test runs."""
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def _pg_admin_engine():
    return sa.create_engine(
        _psycopg(PG_URL), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
    )


def _psycopg(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _pg_url_for(database: str) -> str:
    return (
        sa.engine.make_url(_psycopg(PG_URL))
        .set(database=database)
        .render_as_string(hide_password=False)
    )


def _build_schema(url: str) -> None:
    from flask_migrate import upgrade

    from lims.reference.loader import load_all

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        load_all()
        _db.session.commit()
        _db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _build_schema(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template():
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"lims_tpl_{_worker()}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        _drop_pg(conn, name)
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    _build_schema(_pg_url_for(name))
    yield name
    with admin.connect() as conn:
        _drop_pg(conn, name)
    admin.dispose()


def _drop_pg(conn, name: str) -> None:
    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A URL of a fresh database holding the schema and reference data."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "lims.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return

    template = request.getfixturevalue("pg_template")
    name = f"lims_t_{_worker()}_{next(_counter)}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        _drop_pg(conn, name)
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _pg_url_for(name)
    with admin.connect() as conn:
        _drop_pg(conn, name)
    admin.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose requests run outside the test's app context.

    Flask reuses an active app context for a request, so ``g`` (where
    Flask-Babel and Flask-WTF cache the locale and the CSRF token) and the
    database session would leak between requests. Running each request in an
    empty ``contextvars`` context gives it its own app context, as a real
    server does.
    """

    def open(self, *args, **kwargs):
        _end_test_transaction()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        _end_test_transaction()
        return response


def _end_test_transaction() -> None:
    """Commit the test's own session around a request.

    Before the request this saves what the test set up; after it, the test's
    next query starts a new transaction and so reads what the request wrote
    (an open SQLite WAL or PostgreSQL snapshot would hide it).
    """
    if has_app_context():
        _db.session.commit()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret-key",
            "LIMS_BASE_URL": "http://lims.test",
            # Messages in English unless a test requests Vietnamese.
            "BABEL_DEFAULT_LOCALE": "en",
            "SERVER_NAME": None,
        }
    )
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_off(app):
    """Turn CSRF checks off for tests that post forms without a page first."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app
