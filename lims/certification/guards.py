"""ORM guard that keeps issued reports and certificates as they were issued.

A ``before_flush`` listener rejects, in every session:

- deleting a test report, a certificate or a certificate status change;
- changing any column or collection of an issued certificate except
  ``status``, and changing ``status`` without a new status change row that
  records the same move (``change_certificate_status`` adds both);
- changing an issued test report except to mark it superseded by the
  amendment that replaces it;
- changing a recorded status change.

Bulk ``UPDATE``/``DELETE`` statements bypass the ORM and are not checked here.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lims.certification.models import (
    Certificate,
    CertificateStatusChange,
    ReportStatus,
    TestReport,
)

# Relationships that change on the parent when a child row points at it.
CERTIFICATE_MUTABLE = frozenset({"status", "status_changes"})
REPORT_MUTABLE = frozenset({"status", "replaced_by"})
GUARDED_TYPES = (Certificate, CertificateStatusChange, TestReport)


class IssuedRecordError(RuntimeError):
    """Code tried to edit or delete an issued report or certificate."""


def changed_attributes(record: object) -> set[str]:
    """Return the names of the mapped attributes of ``record`` with pending changes."""
    state = sa.inspect(record)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def _check_certificate(session: Session, certificate: Certificate) -> None:
    changed = changed_attributes(certificate)
    frozen = changed - CERTIFICATE_MUTABLE
    if frozen:
        raise IssuedRecordError(
            f"certificate {certificate.number} is issued and cannot change "
            f"{', '.join(sorted(frozen))}; issue a new certificate instead"
        )
    if "status" not in changed:
        return
    recorded = any(
        isinstance(row, CertificateStatusChange)
        and row.certificate is certificate
        and row.to_status == certificate.status
        for row in session.new
    )
    if not recorded:
        raise IssuedRecordError(
            f"certificate {certificate.number}: change the status through "
            "change_certificate_status, which records who, when and why"
        )


def _check_report(report: TestReport) -> None:
    changed = changed_attributes(report)
    frozen = changed - REPORT_MUTABLE
    superseding = (
        report.status == ReportStatus.SUPERSEDED and report.replaced_by is not None
    )
    if frozen or ("status" in changed and not superseding):
        raise IssuedRecordError(
            f"test report {report.number} is issued and cannot be edited; "
            "amend it, which issues a new report that replaces it"
        )


@sa.event.listens_for(Session, "before_flush")
def reject_changes_to_issued_records(session: Session, _context, _instances) -> None:
    for record in session.deleted:
        if isinstance(record, GUARDED_TYPES):
            raise IssuedRecordError(
                f"{type(record).__tablename__} {record.id} cannot be deleted; "
                "issued documents and their history are kept for good"
            )
    for record in session.dirty:
        if isinstance(record, Certificate):
            _check_certificate(session, record)
        elif isinstance(record, TestReport):
            _check_report(record)
        elif isinstance(record, CertificateStatusChange) and changed_attributes(record):
            raise IssuedRecordError(
                f"certificate status change {record.id} is recorded and cannot change"
            )
