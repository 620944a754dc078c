"""Issuing and amending test reports, issuing certificates, and the
certificate lifecycle."""

import hashlib
import logging
from collections.abc import Callable, Iterable
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
from lims.certification.render import (
    certificate_document,
    report_document,
    report_results,
)
from lims.db_types import today_in, utcnow
from lims.errors import DomainError
from lims.extensions import db
from lims.numbering import (
    DEFAULT_CERTIFICATE_PATTERN,
    DEFAULT_CERTIFICATE_PREFIX,
    allocate,
    format_certificate_number,
)
from lims.results.models import ResultStatus, Verdict
from lims.results.rules import current_results
from lims.storage.service import store_file
from lims.testing.models import RequestState
from lims.testing.rules import move_request

logger = logging.getLogger(__name__)

CERTIFICATE_FIELDS = ["number", "status", "issued_on", "valid_until", "pdf_sha256"]
REPORT_FIELDS = ["number", "status", "issued_on", "pdf_sha256"]
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

    ``LIMS_BASE_URL`` fixes the host, so that documents issued from a command
    or behind a proxy carry the public address. Without it the URL of the
    current request is used. The URL is stored with the document, so a later
    change of host does not change the bytes of a re-rendered PDF.
    """
    path = "/verify/" + quote(number, safe="")
    base = current_app.config.get("LIMS_BASE_URL")
    if base:
        return base.rstrip("/") + path
    if has_request_context():
        return request.host_url.rstrip("/") + path
    raise DomainError("Set LIMS_BASE_URL to the public address of this server.")


# Test reports


def issue_test_report(
    request,
    authorised_by,
    *,
    test_location: str = "",
    deviations: str = "",
    subcontracted_result_ids: Iterable[int] = (),
) -> TestReport:
    """Issue the report of an approved request and move it to reported."""
    if request.state != RequestState.APPROVED:
        raise DomainError(
            f"Request {request.number} is {request.state.value}; a report is "
            "issued only when every result is approved."
        )
    report = _new_report(
        request,
        authorised_by,
        test_location=test_location,
        deviations=deviations,
        subcontracted_result_ids=subcontracted_result_ids,
    )
    move_request(request, RequestState.REPORTED, authorised_by)
    record(
        "report.issued",
        report,
        summary=f"Test report {report.number} issued",
        after=snapshot(report, REPORT_FIELDS),
        actor=authorised_by,
    )
    logger.info("test report %s issued by user %s", report.number, authorised_by.id)
    return report


def amend_test_report(report: TestReport, reason: str, amended_by) -> TestReport:
    """Issue a new report that replaces ``report`` and mark ``report`` superseded.

    ISO/IEC 17025:2017 clause 7.8.8.2: the amended report has a new number,
    names the report it replaces and states why. The new report prints the
    request's current approved results and records, and keeps the test
    location, deviations and subcontracted marks of the original.
    """
    reason = reason.strip()
    if not reason:
        raise DomainError("Give the reason for the amendment.", field="reason")
    if report.status != ReportStatus.ISSUED:
        replacement = report.replaced_by.number if report.replaced_by else "?"
        raise DomainError(
            f"Test report {report.number} is already superseded by {replacement}; "
            "amend that report instead."
        )
    test_request = report.request
    if test_request.state not in (RequestState.REPORTED, RequestState.APPROVED):
        raise DomainError(
            f"Request {test_request.number} is {test_request.state.value}; finish "
            "and approve the results before amending its report."
        )
    amended = _new_report(
        test_request,
        amended_by,
        test_location=report.test_location,
        deviations=report.deviations,
        subcontracted_result_ids=_carried_subcontracted(report, test_request),
        replaces=report,
        reason=reason,
    )
    _supersede(report, amended, reason, amended_by)
    if test_request.state == RequestState.APPROVED:
        move_request(test_request, RequestState.REPORTED, amended_by)
    return amended


def _carried_subcontracted(report: TestReport, test_request) -> list[int]:
    """Map the subcontracted marks of ``report`` onto the current results,
    matching by sample and test item, because a revised result has a new id."""
    printed = {r.id: r for r in report_results(report)}
    marked = {
        (printed[i].sample_id, printed[i].test_item_id)
        for i in report.subcontracted_result_ids
        if i in printed
    }
    return [
        r.id
        for r in current_results(test_request)
        if (r.sample_id, r.test_item_id) in marked
    ]


def _supersede(old: TestReport, new: TestReport, reason: str, actor) -> None:
    before = snapshot(old, REPORT_FIELDS)
    old.status = ReportStatus.SUPERSEDED
    record(
        "report.superseded",
        old,
        summary=f"Test report {old.number} superseded by {new.number}: {reason}",
        before=before,
        after=snapshot(old, REPORT_FIELDS),
        actor=actor,
    )
    record(
        "report.issued",
        new,
        summary=f"Test report {new.number} issued, replacing {old.number}: {reason}",
        after=snapshot(new, REPORT_FIELDS),
        actor=actor,
    )
    logger.info(
        "test report %s amended as %s by user %s", old.number, new.number, actor.id
    )


def _new_report(
    test_request,
    authorised_by,
    *,
    test_location: str,
    deviations: str,
    subcontracted_result_ids: Iterable[int],
    replaces: TestReport | None = None,
    reason: str = "",
) -> TestReport:
    results = _approved_results(test_request)
    subcontracted = sorted(set(subcontracted_result_ids))
    unknown = set(subcontracted) - {r.id for r in results}
    if unknown:
        raise DomainError(
            f"Results {sorted(unknown)} are not current results of request "
            f"{test_request.number}.",
            field="subcontracted",
        )
    lab = test_request.lab
    issued_on = today_in(lab.timezone)
    key = f"REPORT/{lab.code}/{issued_on.year}"
    sequence = allocate(key, TestReport.sequence_key, TestReport.sequence)
    number = f"{lab.code}-TR-{issued_on.year}-{sequence:05d}"
    # The new report enters the session only once it has its PDF, so no
    # query made while rendering may flush it half-built.
    with db.session.no_autoflush:
        report = TestReport(
            number=number,
            sequence_key=key,
            sequence=sequence,
            lab=lab,
            request=test_request,
            issued_on=issued_on,
            issued_at=utcnow(),
            authorised_by=authorised_by,
            verification_url=verification_url(number),
            test_location=test_location.strip() or lab.address or "",
            deviations=deviations.strip(),
            result_ids=[r.id for r in results],
            subcontracted_result_ids=subcontracted,
            replaces=replaces,
            replacement_reason=reason,
        )
        pdf = render_pdf(docs.render_test_report, report_document(report))
    report.pdf_file = store_file(pdf, f"{number}.pdf", "application/pdf", authorised_by)
    report.pdf_sha256 = report.pdf_file.sha256
    db.session.add(report)
    return report


def _approved_results(test_request) -> list:
    results = current_results(test_request)
    if not results or any(r.status != ResultStatus.APPROVED for r in results):
        raise DomainError(f"Request {test_request.number} has results not approved.")
    return results


# Certificates


def validity(scheme: CertificateScheme, issued_on: date, lot_valid_until):
    """Return (valid_until, surveillance dates) for a certificate issued on
    ``issued_on``.

    Type testing, with or without factory assessment, is valid for three years
    less a day. Factory assessment adds yearly surveillance on the first and
    second anniversaries. A lot certificate is valid for that lot only, until
    the release date the officer gives, at most three years ahead.
    """
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
    """Issue a certificate of conformity from acceptable test reports."""
    _check_reports(reports)
    if scheme == CertificateScheme.LOT and not lot_description.strip():
        raise DomainError(
            "Describe the lot (quantity, serial range, bill of lading).",
            field="lot_description",
        )
    issued_on = today_in(issuer.timezone)
    valid_until, surveillance = validity(scheme, issued_on, lot_valid_until)
    certificate = Certificate(
        scheme=scheme,
        issuer=issuer,
        holder=holder,
        product=reports[0].request.product,
        lot_description=lot_description.strip()
        if scheme == CertificateScheme.LOT
        else "",
        issued_on=issued_on,
        valid_until=valid_until,
        surveillance_dates=[d.isoformat() for d in surveillance],
        issued_by=issued_by,
        issued_at=utcnow(),
        reports=list(reports),
        regulations=_regulations_of(reports),
        # The order in which the importers relationship loads them again.
        importers=sorted(importers, key=lambda o: (o.name, o.id)),
    )
    _number_certificate(certificate)
    pdf = render_pdf(docs.render_certificate, certificate_document(certificate))
    certificate.pdf_file = store_file(
        pdf, f"{certificate.number}.pdf", "application/pdf", issued_by
    )
    certificate.pdf_sha256 = certificate.pdf_file.sha256
    db.session.add(certificate)
    db.session.flush()
    _record_issue(certificate)
    return certificate


def _regulations_of(reports: list[TestReport]) -> list:
    unique = {reg for r in reports for reg in r.request.regulations}
    return sorted(unique, key=lambda reg: reg.code)


def _number_certificate(certificate: Certificate) -> None:
    issuer = certificate.issuer
    year = certificate.issued_on.year
    key = f"CERT/{issuer.code}/{year}"
    sequence = allocate(key, Certificate.sequence_key, Certificate.sequence)
    certificate.sequence_key = key
    certificate.sequence = sequence
    certificate.number = certificate_number(issuer, year, sequence)
    certificate.verification_url = verification_url(certificate.number)


def _record_issue(certificate: Certificate) -> None:
    issued_by = certificate.issued_by
    db.session.add(
        CertificateStatusChange(
            certificate=certificate,
            from_status=None,
            to_status=CertificateStatus.VALID,
            reason="Cấp mới / Issued",
            actor_id=issued_by.id,
            changed_at=certificate.issued_at,
        )
    )
    record(
        "certificate.issued",
        certificate,
        summary=f"Certificate {certificate.number} issued",
        after=snapshot(certificate, CERTIFICATE_FIELDS),
        actor=issued_by,
    )
    logger.info("certificate %s issued by user %s", certificate.number, issued_by.id)


def certificate_number(issuer, year: int, sequence: int) -> str:
    """Format a certificate number with the configured pattern and prefix."""
    config = current_app.config
    return format_certificate_number(
        config.get("LIMS_CERTIFICATE_NUMBER_PATTERN") or DEFAULT_CERTIFICATE_PATTERN,
        config.get("LIMS_CERTIFICATE_PREFIX") or DEFAULT_CERTIFICATE_PREFIX,
        issuer.code,
        year,
        sequence,
    )


def check_report_acceptable(report: TestReport) -> None:
    """Raise DomainError unless a certificate may rest on ``report``.

    Every ``TestReport`` row is a domestic report issued by one of our labs:
    it must be current (not superseded), from a lab accredited on its issue
    date, with every printed result passing. Foreign reports accepted under
    mutual-recognition agreements are stored elsewhere and need their own
    check beside this one.
    """
    if report.status != ReportStatus.ISSUED:
        replacement = report.replaced_by.number if report.replaced_by else "?"
        raise DomainError(
            f"Test report {report.number} is {report.status.value} by "
            f"{replacement}; use the report that replaced it.",
            field="reports",
        )
    if report.lab.accreditation_valid_on(report.issued_on) is None:
        raise DomainError(
            f"Test report {report.number}: {report.lab.name} had no valid "
            f"accreditation on {report.issued_on.isoformat()}.",
            field="reports",
        )
    failed = [r for r in report_results(report) if r.verdict != Verdict.PASS]
    if failed:
        raise DomainError(
            f"Test report {report.number} has {len(failed)} result(s) that "
            "did not pass; a certificate needs conforming results.",
            field="reports",
        )


def _check_reports(reports: list[TestReport]) -> None:
    if not reports:
        raise DomainError("Choose at least one test report.", field="reports")
    products = {r.request.product_id for r in reports}
    if len(products) != 1:
        raise DomainError(
            "All test reports must concern the same product.", field="reports"
        )
    for report in reports:
        check_report_acceptable(report)


# Lifecycle


def allowed_status_changes(certificate: Certificate) -> set[CertificateStatus]:
    """Return the statuses an officer may move ``certificate`` to today."""
    current = certificate.status_on(today_in(certificate.issuer.timezone))
    return STATUS_TRANSITIONS[current]


def change_certificate_status(
    certificate: Certificate, to_status: CertificateStatus, reason: str, actor
) -> CertificateStatusChange:
    """Suspend, reinstate or withdraw a certificate, recording who, when and why."""
    reason = reason.strip()
    if not reason:
        raise DomainError("Give the reason for the change.", field="reason")
    current = certificate.status_on(today_in(certificate.issuer.timezone))
    if to_status not in STATUS_TRANSITIONS[current]:
        raise DomainError(
            f"Certificate {certificate.number} is {current.value} and cannot "
            f"become {to_status.value}.",
            field="to_status",
        )
    before = snapshot(certificate, CERTIFICATE_FIELDS)
    # The status and the row that records it must reach the session together:
    # loading the status history in between would flush a status change with
    # no record, which the issued-record guard rejects.
    with db.session.no_autoflush:
        certificate.status = to_status
        change = CertificateStatusChange(
            certificate=certificate,
            from_status=current,
            to_status=to_status,
            reason=reason,
            actor_id=actor.id,
            changed_at=utcnow(),
        )
        db.session.add(change)
    action = change_action(current, to_status)
    record(
        f"certificate.{action}",
        certificate,
        summary=f"{current.value} -> {to_status.value}: {reason}",
        before=before,
        after=snapshot(certificate, CERTIFICATE_FIELDS),
        actor=actor,
    )
    logger.info("certificate %s %s by user %s", certificate.number, action, actor.id)
    return change


def change_action(
    from_status: CertificateStatus | None, to_status: CertificateStatus
) -> str:
    """Name a status move: issued, suspended, reinstated or withdrawn."""
    if from_status is None:
        return "issued"
    if to_status == CertificateStatus.VALID:
        return "reinstated"
    return to_status.value


# Documents


def render_pdf(render: Callable[[object], bytes], document: object) -> bytes:
    """Render ``document``, turning a character the embedded font cannot
    draw into a DomainError that names the field."""
    try:
        return render(document)
    except docs.UnsupportedCharacterError as exc:
        first = exc.problems[0]
        listed = "; ".join(problem.describe() for problem in exc.problems)
        raise DomainError(
            f"The document cannot print {listed}. Correct the record and issue "
            "it again.",
            field=first.field,
        ) from exc


def rerender_certificate(certificate: Certificate) -> bytes:
    """Render an issued certificate again from its stored record."""
    return docs.render_certificate(certificate_document(certificate))


def find_issued_pdf(content: bytes) -> Certificate | TestReport | None:
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


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
