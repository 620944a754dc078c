"""Backup and restore round trips on the test's own database."""

import shutil

import pytest
import sqlalchemy as sa

from lims.audit.models import AuditEvent
from lims.auth.models import Role
from lims.backup import BackupError, backup, restore
from lims.testing.models import TestRequest
from tests import factories as f


def _request_numbers(db) -> list[str]:
    return sorted(db.session.scalars(sa.select(TestRequest.number)))


@pytest.fixture
def lab_and_tech(app, db):
    lab = f.body("DVT")
    tech = f.user(Role.TECHNICIAN, lab)
    db.session.commit()
    return lab, tech


def test_backup_round_trip_loses_nothing(app, db, lab_and_tech, tmp_path):
    if db.engine.dialect.name == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    lab, tech = lab_and_tech
    f.request_with_sample(lab, tech)
    db.session.commit()
    numbers_before = _request_numbers(db)
    events_before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    url = app.config["SQLALCHEMY_DATABASE_URI"]

    archive = backup(url, tmp_path / "lims.backup")
    f.request_with_sample(lab, tech)
    db.session.commit()
    db.session.remove()
    db.engine.dispose()
    restore(url, archive)

    assert _request_numbers(db) == numbers_before
    events_after = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    assert events_after == events_before


def test_numbering_continues_after_restore(app, db, lab_and_tech, tmp_path):
    if db.engine.dialect.name == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    lab, tech = lab_and_tech
    first, _ = f.request_with_sample(lab, tech)
    db.session.commit()
    first_number = first.number
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    archive = backup(url, tmp_path / "lims.backup")
    db.session.remove()
    db.engine.dispose()
    restore(url, archive)

    lab = db.session.merge(lab)
    tech = db.session.merge(tech)
    second, _ = f.request_with_sample(lab, tech)
    db.session.commit()

    assert second.number != first_number
    assert second.number > first_number


def test_restore_rejects_missing_file(app, tmp_path):
    with pytest.raises(BackupError, match="not found"):
        restore(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "absent.backup")
