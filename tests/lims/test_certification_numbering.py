"""Certificate numbers: pattern settings, restore safety and concurrency."""

import threading
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from lims import create_app
from lims.certification import rules as certification
from lims.certification.models import (
    Certificate,
    CertificateScheme,
    NumberSequence,
    TestReport,
)
from lims.config import ConfigurationError
from lims.database import write_intent
from lims.extensions import db as _db
from lims.numbering import allocate, validate_certificate_numbering
from tests.lims import certification_factories as cf

CONCURRENT_ISSUES = 50


@pytest.mark.parametrize(
    "pattern",
    [
        "{prefix}-{year}-{seq:05d}",  # no body: two bodies would collide
        "{prefix}-{body}-{seq:05d}",  # no year: the sequence restarts yearly
        "{prefix}-{body}-{year}",  # no sequence
        "{prefix}-{body}-{year}-{seq}-{month}",
        "{prefix}-{body}-{year}-{seq:s}",
        "{prefix} {body} {year} {seq}",
        "{prefix}-{body}-{year}-{seq",
    ],
)
def test_invalid_pattern_rejected(pattern):
    with pytest.raises(ConfigurationError, match="LIMS_CERTIFICATE_NUMBER_PATTERN"):
        validate_certificate_numbering(pattern, "HQ")


def test_invalid_pattern_stops_start(database_url):
    overrides = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "LIMS_CERTIFICATE_NUMBER_PATTERN": "{prefix}-{seq}",
    }

    with pytest.raises(ConfigurationError, match="missing fields"):
        create_app(overrides)


def test_invalid_prefix_stops_start(database_url, monkeypatch):
    monkeypatch.setenv("LIMS_CERTIFICATE_PREFIX", "HQ?")

    with pytest.raises(ConfigurationError, match="LIMS_CERTIFICATE_PREFIX"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})


def test_configured_pattern_used(app, db, client):
    app.config["LIMS_CERTIFICATE_NUMBER_PATTERN"] = "{prefix}/{body}/{year}/{seq:04d}"
    app.config["LIMS_CERTIFICATE_PREFIX"] = "CN"
    parties = cf.setup()

    cert = cf.certificate(parties)
    db.session.commit()

    assert cert.number == f"CN/{parties.cb.code}/{cert.issued_on.year}/0001"
    page = client.get(f"/verify/{cert.number}")
    assert page.status_code == 200
    printed = client.get(urlsplit(cert.verification_url).path)
    assert "%2F" in cert.verification_url
    assert printed.status_code == 200
    api = client.get(f"/api/v1/certificates/{cert.number}")
    assert api.get_json()["number"] == cert.number
    pdf = client.get(f"/api/v1/certificates/{cert.number}/pdf")
    assert pdf.data == cert.pdf_file.content


def _old_sequence(db, prefix: str) -> None:
    """Set the sequences under ``prefix`` back to zero, as a backup restored
    with the documents but an older ``number_sequence`` row would."""
    db.session.execute(
        sa.update(NumberSequence)
        .where(NumberSequence.key.startswith(prefix))
        .values(last_value=0)
    )


def _lost_sequence(db, prefix: str) -> None:
    """Delete the sequences under ``prefix``, as a restore without the table would."""
    db.session.execute(
        sa.delete(NumberSequence).where(NumberSequence.key.startswith(prefix))
    )


@pytest.mark.parametrize(
    ("build", "prefix"),
    [(cf.certificate, "CERT/"), (cf.report, "REPORT/")],
    ids=["certificate", "report"],
)
@pytest.mark.parametrize("damage", [_old_sequence, _lost_sequence])
def test_numbers_continue_after_restore(app, db, build, prefix, damage):
    parties = cf.setup()
    first = build(parties)
    db.session.commit()
    damage(db, prefix)
    db.session.commit()

    second = build(parties)

    assert second.sequence == first.sequence + 1
    assert second.number != first.number


def test_allocate_without_table_counts_up(app, db):
    assert [allocate("TEST/KEY") for _ in range(3)] == [1, 2, 3]


def test_unique_constraint_is_last_guard(app, db):
    parties = cf.setup()
    cert = cf.certificate(parties)
    db.session.commit()
    clash = sa.insert(Certificate).from_select(
        [c.name for c in Certificate.__table__.c if c.name != "id"],
        sa.select(*[c for c in Certificate.__table__.c if c.name != "id"]).where(
            Certificate.id == cert.id
        ),
    )

    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(clash)
    db.session.rollback()


def _own_app(database_url: str):
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "LIMS_BASE_URL": "http://lims.test",
        }
    )


def _issue_in_own_app(app, ids: dict, barrier, numbers, errors) -> None:
    """Issue one certificate on ``app``'s own engine and connection."""
    with app.app_context(), write_intent():
        try:
            report = _db.session.get(TestReport, ids["report"])
            cb = _db.session.get(type(report.lab), ids["cb"])
            officer = _db.session.get(type(report.authorised_by), ids["officer"])
            _db.session.rollback()
            barrier.wait(timeout=120)
            certificate = certification.issue_certificate(
                reports=[report],
                scheme=CertificateScheme.TYPE_TESTING,
                holder=report.request.applicant,
                importers=[],
                issuer=cb,
                issued_by=officer,
            )
            _db.session.commit()
            numbers.append(certificate.number)
        except Exception as exc:  # the test asserts that none happened
            errors.append(repr(exc))
            _db.session.rollback()
        finally:
            _db.session.remove()
            _db.engine.dispose()


def test_concurrent_issues_get_distinct_numbers(app, db, database_url):
    parties = cf.setup()
    report = cf.report(parties)
    db.session.flush()
    ids = {"report": report.id, "cb": parties.cb.id, "officer": parties.officer.id}
    db.session.commit()
    # Ends this session's transaction: on SQLite it would hold the write lock.
    db.session.close()
    barrier = threading.Barrier(CONCURRENT_ISSUES)
    numbers: list[str] = []
    errors: list[str] = []
    # Apps are built here because building Flask routes in parallel threads
    # trips a CPython 3.11 ast.parse race ("AST constructor recursion depth
    # mismatch").
    apps = [_own_app(database_url) for _ in range(CONCURRENT_ISSUES)]
    threads = [
        threading.Thread(
            target=_issue_in_own_app, args=(own, ids, barrier, numbers, errors)
        )
        for own in apps
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    assert len(numbers) == CONCURRENT_ISSUES
    assert len(set(numbers)) == CONCURRENT_ISSUES
    sequences = db.session.scalars(sa.select(Certificate.sequence)).all()
    assert sorted(sequences) == list(range(1, CONCURRENT_ISSUES + 1))
