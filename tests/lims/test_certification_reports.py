"""Test reports: issue, amendment (ISO/IEC 17025 7.8.8) and the edit guard."""

import pytest

from lims.certification import rules as certification
from lims.certification.models import CertificateScheme, ReportStatus
from lims.errors import DomainError
from tests.lims import certification_factories as cf


@pytest.fixture
def parties(app, db):
    return cf.setup()


def test_report_records_printed_results(parties, db):
    report = cf.report(parties, deviations="Nhiệt độ phòng 27 °C")

    assert report.result_ids == [r.id for r in report.request.results]
    assert report.sequence_key == f"REPORT/{parties.lab.code}/{report.issued_on.year}"
    assert report.number.endswith(f"{report.sequence:05d}")
    assert report.verification_url == f"http://lims.test/verify/{report.number}"


def test_amendment_supersedes_original(parties, db):
    original = cf.report(parties)
    db.session.commit()

    amended = certification.amend_test_report(original, "Sai số seri", parties.reviewer)
    db.session.commit()

    assert amended.number != original.number
    assert amended.replaces is original
    assert amended.replacement_reason == "Sai số seri"
    assert original.status == ReportStatus.SUPERSEDED
    assert original.replaced_by is amended
    assert original.pdf_file.content  # still retrievable


def test_amendment_needs_reason(parties, db):
    original = cf.report(parties)

    with pytest.raises(DomainError) as caught:
        certification.amend_test_report(original, "  ", parties.reviewer)

    assert caught.value.field == "reason"


def test_superseded_report_cannot_be_amended(parties, db):
    original = cf.report(parties)
    amended = certification.amend_test_report(original, "typo", parties.reviewer)

    with pytest.raises(DomainError, match=amended.number):
        certification.amend_test_report(original, "again", parties.reviewer)


def test_superseded_report_blocks_certificate(parties, db):
    original = cf.report(parties)
    amended = certification.amend_test_report(original, "typo", parties.reviewer)

    with pytest.raises(DomainError, match=f"superseded by {amended.number}"):
        certification.issue_certificate(
            reports=[original],
            scheme=CertificateScheme.TYPE_TESTING,
            holder=original.request.applicant,
            importers=[],
            issuer=parties.cb,
            issued_by=parties.officer,
        )


def test_issued_report_cannot_be_edited(parties, db):
    report = cf.report(parties)
    db.session.commit()
    number = report.number

    report.deviations = "changed later"
    cf.assert_flush_rejected(number)


def test_report_cannot_be_marked_superseded_by_hand(parties, db):
    report = cf.report(parties)
    db.session.commit()

    report.status = ReportStatus.SUPERSEDED
    cf.assert_flush_rejected()


def test_issued_report_cannot_be_deleted(parties, db):
    report = cf.report(parties)
    db.session.commit()

    db.session.delete(report)
    cf.assert_flush_rejected()


def test_unknown_subcontracted_result_rejected(parties, db):
    with pytest.raises(DomainError) as caught:
        cf.report(parties, subcontracted_result_ids=[999_999])

    assert caught.value.field == "subcontracted"


def test_font_gap_named_before_issue(parties, db):
    req = cf.approved_request(parties)

    with pytest.raises(DomainError) as caught:
        certification.issue_test_report(req, parties.reviewer, deviations="Ghi chú 𝄞")

    assert caught.value.field == "deviations"
    assert "U+1D11E" in caught.value.message


def test_report_form_records_location_and_deviations(app, db, client):
    from tests.lims.pages import login, post_form

    s = cf.setup()
    req = cf.approved_request(s)
    result_id = req.results[0].id
    db.session.commit()
    login(client, s.reviewer)

    response = post_form(
        client,
        f"/requests/{req.id}",
        f"/requests/{req.id}/report",
        {
            "test_location": "Phòng EMC số 2, Khu Công nghệ cao Hòa Lạc",
            "deviations": "Nhiệt độ phòng 27 °C, ngoài khoảng 15–25 °C",
            "subcontracted": [str(result_id)],
        },
    )

    assert response.status_code == 302
    from lims.certification.models import TestReport

    report = db.session.scalar(db.select(TestReport))
    assert report.test_location == "Phòng EMC số 2, Khu Công nghệ cao Hòa Lạc"
    assert report.deviations.startswith("Nhiệt độ phòng 27")
    assert report.subcontracted_result_ids == [result_id]
