"""The whole flow through the rules: instrument file to verifiable certificate."""

import hashlib
import io
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest

from lims.auth.models import Role
from lims.bodies.models import BodyKind
from lims.certification import rules as certification
from lims.certification.models import CertificateScheme, CertificateStatus
from lims.errors import DomainError
from lims.results import rules as results
from lims.results.models import ResultStatus, Verdict
from lims.testing.models import RequestState
from tests import factories as f

DATA = Path(__file__).parent.parent / "data" / "instruments"
EMC_EMI = DATA / "tektronix-EMC-EMI_v1_Example.csv"
N9038A = DATA / "keysight-N9038A_OneTrace.csv"


@pytest.fixture
def lab_setup(app, db):
    lab = f.body("DVT")
    cb = f.body("DVC", kind=BodyKind.CERTIFICATION_BODY)
    tech = f.user(Role.TECHNICIAN, lab)
    reviewer = f.user(Role.REVIEWER, lab)
    officer = f.user(Role.CERTIFICATION_OFFICER, cb)
    receiver = f.instrument(lab, "EMI-01")
    return lab, cb, tech, reviewer, officer, receiver


def _import(req, sample, item, tech, instrument, path=EMC_EMI, **kwargs):
    return results.record_result_from_file(
        req,
        sample,
        item,
        content=path.read_bytes(),
        filename=path.name,
        measured_on=date.today(),
        expanded_uncertainty=kwargs.pop("uncertainty", 3.4),
        used=[instrument],
        entered_by=tech,
        **kwargs,
    )


def test_emc_emi_fails_flat_limit_like_instrument(lab_setup, db):
    lab, _, tech, _, _, receiver = lab_setup
    req, sample = f.request_with_sample(lab, tech)
    item = f.flat_item(f.regulation(), 66.5)

    result = _import(req, sample, item, tech, receiver)

    assert result.verdict == Verdict.FAIL
    assert round(result.margin, 1) == 0.9
    assert result.margin == pytest.approx(0.896, abs=1e-3)
    assert result.frequency_hz == pytest.approx(1.341667e6, rel=1e-6)
    assert result.value == pytest.approx(67.396, abs=1e-3)
    assert result.trace_point_count == 2401


def test_keysight_n9038a_import_stores_worst_point(lab_setup, db):
    lab, _, tech, _, _, receiver = lab_setup
    req, sample = f.request_with_sample(lab, tech)
    item = f.flat_item(f.regulation(), 60.0)

    result = _import(req, sample, item, tech, receiver, path=N9038A)

    assert result.source_format.startswith("keysight")
    assert result.trace_point_count == 1001
    assert 30e6 <= result.frequency_hz <= 300e6
    assert result.margin == pytest.approx(result.value - 60.0)
    assert result.verdict == Verdict.PASS


def test_unreadable_file_imports_nothing(lab_setup, db):
    lab, _, tech, _, _, receiver = lab_setup
    req, sample = f.request_with_sample(lab, tech)
    item = f.flat_item(f.regulation(), 66.5)

    with pytest.raises(DomainError) as caught:
        results.record_result_from_file(
            req,
            sample,
            item,
            content=b"not,an\ninstrument file\n",
            filename="bench.csv",
            measured_on=date.today(),
            expanded_uncertainty=None,
            used=[receiver],
            entered_by=tech,
        )

    assert "bench.csv" in caught.value.message
    assert req.results == []


def test_overdue_instrument_cannot_be_cited(lab_setup, db):
    lab, _, tech, _, _, _ = lab_setup
    overdue = f.instrument(lab, "SA-OLD", due_in_days=-1)
    req, sample = f.request_with_sample(lab, tech)
    item = f.flat_item(f.regulation(), 66.5)

    with pytest.raises(DomainError, match="SA-OLD"):
        _import(req, sample, item, tech, overdue)


def test_own_result_cannot_be_approved(lab_setup, db):
    lab, _, tech, _, _, receiver = lab_setup
    req, sample = f.request_with_sample(lab, tech)
    result = _import(req, sample, f.flat_item(f.regulation(), 80), tech, receiver)
    results.submit_for_review(req, tech)

    with pytest.raises(DomainError, match="another reviewer"):
        results.approve_result(result, tech)
    assert result.status == ResultStatus.ENTERED


def test_flow_issues_verifiable_certificate(lab_setup, db, client):
    lab, cb, tech, reviewer, officer, receiver = lab_setup
    req, sample = f.request_with_sample(lab, tech)
    item = f.item_named(f.regulation(), "class A, quasi-peak")
    result = _import(req, sample, item, tech, receiver)
    assert result.verdict == Verdict.PASS

    results.submit_for_review(req, tech)
    results.approve_result(result, reviewer)
    assert result.status == ResultStatus.APPROVED
    assert req.state == RequestState.APPROVED

    report = certification.issue_test_report(req, reviewer)
    assert req.state == RequestState.REPORTED
    certificate = certification.issue_certificate(
        reports=[report],
        scheme=CertificateScheme.TYPE_TESTING,
        holder=req.applicant,
        importers=[],
        issuer=cb,
        issued_by=officer,
    )
    db.session.commit()

    pdf = certificate.pdf_file.content
    assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256
    text = unicodedata.normalize(
        "NFC", "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    )
    assert "Công ty TNHH Thiết bị Viễn thông Đại Việt" in text
    assert "giấy chứng nhận hợp quy" in text.lower()
    assert certificate.number in text
    assert certificate.valid_until == certificate.issued_on.replace(
        year=certificate.issued_on.year + 3
    ) - timedelta(days=1)

    api = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert api["status"] == "valid"
    assert api["holder"] == "Công ty TNHH Thiết bị Viễn thông Đại Việt"
    assert api["regulations"] == ["QCVN 118:2018/BTTTT"]
    assert api["pdf_sha256"] == certificate.pdf_sha256
    downloaded = client.get(f"/api/v1/certificates/{certificate.number}/pdf").data
    assert hashlib.sha256(downloaded).hexdigest() == api["pdf_sha256"]


def test_failed_result_blocks_certificate(lab_setup, db):
    lab, cb, tech, reviewer, officer, receiver = lab_setup
    req, sample = f.request_with_sample(lab, tech)
    result = _import(req, sample, f.flat_item(f.regulation(), 66.5), tech, receiver)
    results.submit_for_review(req, tech)
    results.approve_result(result, reviewer)
    report = certification.issue_test_report(req, reviewer)

    with pytest.raises(DomainError, match="did not pass"):
        certification.issue_certificate(
            reports=[report],
            scheme=CertificateScheme.TYPE_TESTING,
            holder=req.applicant,
            importers=[],
            issuer=cb,
            issued_by=officer,
        )


def test_certificate_lifecycle_records_each_change(lab_setup, db):
    lab, cb, tech, reviewer, officer, receiver = lab_setup
    req, sample = f.request_with_sample(lab, tech)
    item = f.item_named(f.regulation(), "class A, quasi-peak")
    result = _import(req, sample, item, tech, receiver)
    results.submit_for_review(req, tech)
    results.approve_result(result, reviewer)
    report = certification.issue_test_report(req, reviewer)
    cert = certification.issue_certificate(
        reports=[report],
        scheme=CertificateScheme.TYPE_TESTING_FACTORY,
        holder=req.applicant,
        importers=[],
        issuer=cb,
        issued_by=officer,
    )
    assert len(cert.surveillance_dates) == 2

    certification.change_certificate_status(
        cert, CertificateStatus.SUSPENDED, "Surveillance visit missed", officer
    )
    certification.change_certificate_status(
        cert, CertificateStatus.VALID, "Visit done", officer
    )
    certification.change_certificate_status(
        cert, CertificateStatus.WITHDRAWN, "Product changed", officer
    )
    with pytest.raises(DomainError):
        certification.change_certificate_status(
            cert, CertificateStatus.VALID, "again", officer
        )
    db.session.flush()
    statuses = [c.to_status for c in cert.status_changes]
    assert statuses == [
        CertificateStatus.VALID,
        CertificateStatus.SUSPENDED,
        CertificateStatus.VALID,
        CertificateStatus.WITHDRAWN,
    ]
    assert cert.status_changes[-1].reason == "Product changed"
