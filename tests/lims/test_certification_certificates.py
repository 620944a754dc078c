"""Certificates: schemes and validity, lifecycle, the edit guard, re-rendering."""

import hashlib
from datetime import date, timedelta

import pytest

import certificates as docs
from lims.certification import rules as certification
from lims.certification.models import (
    CertificateScheme,
    CertificateStatus,
    CertificateStatusChange,
)
from lims.certification.render import report_document
from lims.errors import DomainError
from lims.regulations.models import Organisation
from lims.testing import rules as testing
from tests.lims import certification_factories as cf


@pytest.fixture
def parties(app, db):
    return cf.setup()


def test_type_testing_valid_three_years(parties, db):
    cert = cf.certificate(parties)

    expected = cert.issued_on.replace(year=cert.issued_on.year + 3) - timedelta(1)
    assert cert.valid_until == expected
    assert cert.surveillance_dates == []


def test_factory_scheme_has_yearly_surveillance(parties, db):
    cert = cf.certificate(parties, scheme=CertificateScheme.TYPE_TESTING_FACTORY)

    first, second = (date.fromisoformat(d) for d in cert.surveillance_dates)
    assert first == cert.issued_on.replace(year=cert.issued_on.year + 1)
    assert second == cert.issued_on.replace(year=cert.issued_on.year + 2)


def test_lot_certificate_valid_for_lot_only(parties, db):
    until = date.today() + timedelta(days=90)

    cert = cf.certificate(
        parties,
        scheme=CertificateScheme.LOT,
        lot_description="500 units, serials LX0001-LX0500, B/L HPH-2291",
        lot_valid_until=until,
    )

    assert cert.valid_until == until
    assert "LX0001" in cert.lot_description


def test_lot_certificate_needs_description(parties, db):
    with pytest.raises(DomainError) as caught:
        cf.certificate(
            parties, scheme=CertificateScheme.LOT, lot_valid_until=date.today()
        )

    assert caught.value.field == "lot_description"


def test_lot_validity_capped_at_three_years(parties, db):
    with pytest.raises(DomainError) as caught:
        cf.certificate(
            parties,
            scheme=CertificateScheme.LOT,
            lot_description="10 units",
            lot_valid_until=date.today() + timedelta(days=4 * 365),
        )

    assert caught.value.field == "lot_valid_until"


def test_foreign_holder_lists_importers(parties, db):
    maker = testing.find_or_create_organisation("Lianhe Networks", "CN")
    importer = testing.find_or_create_organisation(
        "Công ty TNHH Nhập khẩu Điện tử Hải Phòng", "VN", "Hải Phòng"
    )

    cert = cf.certificate(parties, holder=maker, importers=[importer])

    assert cert.holder.economy_code == "CN"
    assert [o.name for o in cert.importers] == [importer.name]


def test_failed_report_not_acceptable(parties, db):
    req = cf.approved_request(parties, value=70.0, limit=60.0)
    report = certification.issue_test_report(req, parties.reviewer)

    with pytest.raises(DomainError, match="did not pass"):
        certification.check_report_acceptable(report)


def test_lifecycle_suspend_reinstate_withdraw(parties, db):
    cert = cf.certificate(parties)

    certification.change_certificate_status(
        cert, CertificateStatus.SUSPENDED, "Surveillance missed", parties.officer
    )
    reinstated = certification.change_certificate_status(
        cert, CertificateStatus.VALID, "Surveillance done", parties.officer
    )
    certification.change_certificate_status(
        cert, CertificateStatus.WITHDRAWN, "Product changed", parties.officer
    )
    db.session.commit()

    actions = [
        certification.change_action(c.from_status, c.to_status)
        for c in cert.status_changes
    ]
    assert actions == ["issued", "suspended", "reinstated", "withdrawn"]
    assert reinstated.actor_id == parties.officer.id
    assert reinstated.reason == "Surveillance done"
    assert reinstated.changed_at is not None


def test_withdrawn_certificate_stays_withdrawn(parties, db):
    cert = cf.certificate(parties)
    certification.change_certificate_status(
        cert, CertificateStatus.WITHDRAWN, "Fraud", parties.officer
    )

    with pytest.raises(DomainError) as caught:
        certification.change_certificate_status(
            cert, CertificateStatus.VALID, "again", parties.officer
        )

    assert caught.value.field == "to_status"


def test_expired_by_date(parties, db):
    cert = cf.certificate(parties)

    assert cert.status_on(cert.valid_until) == CertificateStatus.VALID
    day_after = cert.valid_until + timedelta(days=1)
    assert cert.status_on(day_after) == CertificateStatus.EXPIRED


def test_status_change_needs_reason(parties, db):
    cert = cf.certificate(parties)

    with pytest.raises(DomainError) as caught:
        certification.change_certificate_status(
            cert, CertificateStatus.SUSPENDED, " ", parties.officer
        )

    assert caught.value.field == "reason"


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("valid_until", date(2099, 1, 1)),
        ("pdf_sha256", "0" * 64),
        ("lot_description", "edited"),
    ],
)
def test_issued_certificate_fields_frozen(parties, db, attribute, value):
    cert = cf.certificate(parties)
    db.session.commit()

    setattr(cert, attribute, value)
    cf.assert_flush_rejected(attribute)


def test_importer_list_frozen(parties, db):
    cert = cf.certificate(parties)
    db.session.commit()
    extra = db.session.scalar(db.select(Organisation).limit(1))

    cert.importers.append(extra)
    cf.assert_flush_rejected("importers")


def test_status_set_directly_rejected(parties, db):
    cert = cf.certificate(parties)
    db.session.commit()

    cert.status = CertificateStatus.WITHDRAWN
    cf.assert_flush_rejected("change_certificate_status")


def test_certificate_and_history_not_deleted(parties, db):
    cert = cf.certificate(parties)
    db.session.commit()

    db.session.delete(cert.status_changes[0])
    cf.assert_flush_rejected()
    db.session.delete(cert)
    cf.assert_flush_rejected()


def test_status_change_rows_frozen(parties, db):
    cert = cf.certificate(parties)
    db.session.commit()

    change = db.session.scalar(
        db.select(CertificateStatusChange).where(
            CertificateStatusChange.certificate_id == cert.id
        )
    )
    change.reason = "rewritten"
    cf.assert_flush_rejected()


def test_rerender_gives_stored_hash(parties, db, app):
    cert = cf.certificate(parties, scheme=CertificateScheme.TYPE_TESTING_FACTORY)
    db.session.commit()
    certificate_id = cert.id
    app.config["LIMS_BASE_URL"] = "https://moved.example"
    db.session.expunge_all()

    stored = db.session.get(type(cert), certificate_id)
    pdf = certification.rerender_certificate(stored)

    assert hashlib.sha256(pdf).hexdigest() == stored.pdf_sha256
    assert pdf == stored.pdf_file.content


def test_rerender_keeps_importer_order(parties, db, app):
    # Created in the reverse of name order, so id order and name order differ.
    names = ["Công ty Việt Tiến", "Công ty Bình Minh", "Công ty An Phát"]
    importers = [testing.find_or_create_organisation(n, "VN") for n in names]
    cert = cf.certificate(parties, importers=importers)
    db.session.commit()
    certificate_id = cert.id
    db.session.expunge_all()

    stored = db.session.get(type(cert), certificate_id)
    pdf = certification.rerender_certificate(stored)

    assert [o.name for o in stored.importers] == sorted(names)
    assert hashlib.sha256(pdf).hexdigest() == stored.pdf_sha256


def test_report_rerender_gives_stored_hash(parties, db):
    report = cf.report(parties)
    db.session.commit()

    pdf = docs.render_test_report(report_document(report))

    assert docs.sha256_hex(pdf) == report.pdf_sha256


def test_font_gap_in_holder_named(parties, db):
    holder = testing.find_or_create_organisation("Công ty ⿰ Điện tử", "VN")

    with pytest.raises(DomainError) as caught:
        cf.certificate(parties, holder=holder)

    assert caught.value.field == "holder.name"
    assert "U+2FF0" in caught.value.message


def test_status_form_offers_allowed_moves(app, db, client):
    from lims.certification import rules as certification_rules
    from lims.certification.models import CertificateStatus
    from tests.lims.pages import login

    s = cf.setup()
    certificate = cf.certificate(s)
    db.session.commit()
    login(client, s.officer)
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert 'value="suspended"' in page
    assert 'value="withdrawn"' in page
    assert 'value="valid"' not in page

    certification_rules.change_certificate_status(
        certificate, CertificateStatus.WITHDRAWN, "Product changed", s.officer
    )
    db.session.commit()
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert 'id="status-final"' in page
    assert 'id="status-form"' not in page
