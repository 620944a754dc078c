"""Issuing test reports and certificates, and the certificate lifecycle."""

import hashlib
import logging
from datetime import date, timedelta
from urllib.parse import quote

from flask import current_app, has_request_context, request

import certificates as docs
from lims.audit.service import record, snapshot
from lims.certification.models import (
    Certificate,
    CertificateScheme,
    CertificateStatus,
    CertificateStatusChange,
    ReportStatus,
    TestReport,
)
from lims.certification.render import certificate_document, report_document
from lims.db_types import today_in, utcnow
from lims.errors import DomainError
from lims.extensions import db
from lims.numbering import allocate
from lims.results.models import ResultStatus
from lims.results.rules import current_results
from lims.storage.models import StoredFile
from lims.testing.models import RequestState
from lims.testing.rules import move_request

logger = logging.getLogger(__name__)

CERTIFICATE_FIELDS = ["number", "status", "issued_on", "valid_until", "pdf_sha256"]
# Type-testing certificates are valid for at most three years.
MAX_VALIDITY_YEARS = 3

# Moves an officer may make; EXPIRED is reached by date, not by hand.
STATUS_TRANSITIONS = {
    CertificateStatus.VALID: {CertificateStatus.SUSPENDED, CertificateStatus.WITHDRAWN},
    CertificateStatus.SUSPENDED: {CertificateStatus.VALID, CertificateStatus.WITHDRAWN},
    CertificateStatus.WITHDRAWN: set(),
    CertificateStatus.EXPIRED: set(),
}


def verification_url(number: str) -> str:
    """Return the public URL printed and encoded in the QR code of a document.

    ``LIMS_BASE_URL`` fixes the host so that documents issued from a command
    or behind a proxy carry the public address; without it the URL of the
    current request is used.
    """
    path = "/verify/" + quote(number, safe="")
    base = current_app.config.get("LIMS_BASE_URL")
    if base:
        return base.rstrip("/") + path
    if has_request_context():
        return request.host_url.rstrip("/") + path
    raise DomainError("Set LIMS_BASE_URL to the public address of this server.")


def issue_test_report(request, authorised_by) -> TestReport:
    if request.state != RequestState.APPROVED:
        raise DomainError(
            f"Request {request.number} is {request.state.value}; a report is "
            "issued only when every result is approved."
        )
    results = current_results(request)
    if not results or any(r.status != ResultStatus.APPROVED for r in results):
        raise DomainError(f"Request {request.number} has results not approved.")

    lab = request.lab
    issued_on = today_in(lab.timezone)
    year = issued_on.year
    number = f"{lab.code}-TR-{year}-{allocate(f'REPORT/{lab.code}/{year}'):05d}"
    issued_at = utcnow()
    document = report_document(
        request,
        results,
        number,
        issued_on,
        issued_at,
        authorised_by,
        verification_url(number),
    )
    pdf = docs.render_test_report(document)
    stored = _store_pdf(pdf, f"{number}.pdf", authorised_by)

    report = TestReport(
        number=number,
        lab=lab,
        request=request,
        issued_on=issued_on,
        issued_at=issued_at,
        authorised_by=authorised_by,
        pdf_file=stored,
        pdf_sha256=stored.sha256,
    )
    db.session.add(report)
    move_request(request, RequestState.REPORTED, authorised_by)
    record(
        "report.issued",
        report,
        summary=f"Test report {number} issued",
        after={"number": number, "pdf_sha256": stored.sha256},
        actor=authorised_by,
    )
    logger.info("test report %s issued by user %s", number, authorised_by.id)
    return report


def validity(scheme: CertificateScheme, issued_on: date, lot_valid_until):
    """Return (valid_until, surveillance dates) for a certificate issued today."""
    three_years = _add_years(issued_on, MAX_VALIDITY_YEARS) - timedelta(days=1)
    if scheme == CertificateScheme.TYPE_TESTING:
        return three_years, []
    if scheme == CertificateScheme.TYPE_TESTING_FACTORY:
        surveillance = [_add_years(issued_on, n) for n in (1, 2)]
        return three_years, surveillance
    if lot_valid_until is None:
        raise DomainError(
            "A lot certificate needs the date until which the lot may be released.",
            field="lot_valid_until",
        )
    if lot_valid_until < issued_on or lot_valid_until > three_years:
        raise DomainError(
            "The lot validity must fall between today and three years from now.",
            field="lot_valid_until",
        )
    return lot_valid_until, []


def issue_certificate(
    *,
    reports: list[TestReport],
    scheme: CertificateScheme,
    holder,
    importers: list,
    issuer,
    issued_by,
    lot_description: str = "",
    lot_valid_until: date | None = None,
) -> Certificate:
    _check_reports(reports)
    if scheme == CertificateScheme.LOT and not lot_description.strip():
        raise DomainError(
            "Describe the lot (quantity, serial range, bill of lading).",
            field="lot_description",
        )
    product = reports[0].request.product
    regulations = sorted(
        {reg for r in reports for reg in r.request.regulations}, key=lambda r: r.code
    )

    issued_on = today_in(issuer.timezone)
    valid_until, surveillance = validity(scheme, issued_on, lot_valid_until)
    number = certificate_number(issuer, issued_on.year)
    issued_at = utcnow()

    certificate = Certificate(
        number=number,
        scheme=scheme,
        issuer=issuer,
        holder=holder,
        product=product,
        lot_description=lot_description,
        issued_on=issued_on,
        valid_until=valid_until,
        surveillance_dates=[d.isoformat() for d in surveillance],
        issued_by=issued_by,
        issued_at=issued_at,
        reports=list(reports),
        regulations=regulations,
        importers=list(importers),
    )
    document = certificate_document(certificate, verification_url(number))
    pdf = docs.render_certificate(document)
    stored = _store_pdf(pdf, f"{number}.pdf", issued_by)
    certificate.pdf_file = stored
    certificate.pdf_sha256 = stored.sha256
    db.session.add(certificate)
    db.session.flush()

    db.session.add(
        CertificateStatusChange(
            certificate=certificate,
            from_status=None,
            to_status=CertificateStatus.VALID,
            reason="Issued",
            actor_id=issued_by.id,
            changed_at=issued_at,
        )
    )
    record(
        "certificate.issued",
        certificate,
        summary=f"Certificate {number} issued",
        after=snapshot(certificate, CERTIFICATE_FIELDS),
        actor=issued_by,
    )
    logger.info("certificate %s issued by user %s", number, issued_by.id)
    return certificate


def certificate_number(issuer, year: int) -> str:
    pattern = current_app.config.get(
        "LIMS_CERTIFICATE_NUMBER_PATTERN", "{prefix}-{body}-{year}-{seq:05d}"
    )
    prefix = current_app.config.get("LIMS_CERTIFICATE_PREFIX", "HQ")
    seq = allocate(f"CERT/{issuer.code}/{year}")
    return pattern.format(prefix=prefix, body=issuer.code, year=year, seq=seq)


def change_certificate_status(
    certificate: Certificate, to_status: CertificateStatus, reason: str, actor
) -> None:
    reason = reason.strip()
    if not reason:
        raise DomainError("Give the reason for the change.", field="reason")
    current = certificate.status_on(today_in(certificate.issuer.timezone))
    if to_status not in STATUS_TRANSITIONS[current]:
        raise DomainError(
            f"Certificate {certificate.number} is {current.value} and cannot "
            f"become {to_status.value}."
        )
    before = snapshot(certificate, CERTIFICATE_FIELDS)
    certificate.status = to_status
    db.session.add(
        CertificateStatusChange(
            certificate=certificate,
            from_status=current,
            to_status=to_status,
            reason=reason,
            actor_id=actor.id,
        )
    )
    record(
        "certificate.status_changed",
        certificate,
        summary=f"{current.value} -> {to_status.value}: {reason}",
        before=before,
        after=snapshot(certificate, CERTIFICATE_FIELDS),
        actor=actor,
    )


def find_issued_pdf(content: bytes):
    """Return the certificate or test report whose PDF hashes to ``content``."""
    digest = hashlib.sha256(content).hexdigest()
    certificate = db.session.scalar(
        db.select(Certificate).where(Certificate.pdf_sha256 == digest)
    )
    if certificate is not None:
        return certificate
    return db.session.scalar(
        db.select(TestReport).where(TestReport.pdf_sha256 == digest)
    )


def _check_reports(reports: list[TestReport]) -> None:
    if not reports:
        raise DomainError("Choose at least one test report.", field="reports")
    products = {r.request.product_id for r in reports}
    if len(products) != 1:
        raise DomainError("All test reports must concern the same product.")
    for report in reports:
        if report.status != ReportStatus.ISSUED:
            raise DomainError(
                f"Test report {report.number} is {report.status.value}; use the "
                "report that replaced it."
            )
        failed = [
            r for r in current_results(report.request) if r.verdict.value != "pass"
        ]
        if failed:
            raise DomainError(
                f"Test report {report.number} has {len(failed)} result(s) that "
                "did not pass; a certificate needs conforming results."
            )


def _store_pdf(pdf: bytes, name: str, user) -> StoredFile:
    stored = StoredFile(
        sha256=docs.sha256_hex(pdf),
        original_name=name,
        media_type="application/pdf",
        size=len(pdf),
        content=pdf,
        uploaded_by_id=user.id,
    )
    db.session.add(stored)
    return stored


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
