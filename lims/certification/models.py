"""Test reports, certificates, their status history and number sequences."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lims.db_types import NFCString, NFCText, UTCDateTime, enum_column, utcnow
from lims.extensions import db


class ReportStatus(enum.Enum):
    ISSUED = "issued"
    SUPERSEDED = "superseded"


class TestReport(db.Model):
    """A test report issued by one of our labs from approved results.

    An issued report is never edited: an amendment is a new report whose
    ``replaces_id`` names this one, and this one becomes superseded.
    """

    __tablename__ = "test_report"
    __test__ = False  # not a pytest test class
    __table_args__ = (
        sa.UniqueConstraint("sequence_key", "sequence"),
        # One amendment per report: a second one must amend the first amendment.
        sa.UniqueConstraint("replaces_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    # The numbering key and sequence value behind ``number``; NULL on rows
    # issued before these columns existed.
    sequence_key: Mapped[str | None] = mapped_column(NFCString(80))
    sequence: Mapped[int | None]
    lab_id: Mapped[int] = mapped_column(sa.ForeignKey("body.id"), index=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("test_request.id"))
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.ISSUED
    )
    replaces_id: Mapped[int | None] = mapped_column(sa.ForeignKey("test_report.id"))
    replacement_reason: Mapped[str] = mapped_column(NFCText, default="")
    issued_on: Mapped[date]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    authorised_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    pdf_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"))
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    verification_url: Mapped[str] = mapped_column(NFCString(300), default="")
    test_location: Mapped[str] = mapped_column(NFCText, default="")
    deviations: Mapped[str] = mapped_column(NFCText, default="")
    # Ids of the results printed on the report, and of those done by a
    # subcontracted laboratory, which the report marks with (*).
    result_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    subcontracted_result_ids: Mapped[list] = mapped_column(sa.JSON, default=list)

    lab = relationship("Body")
    request = relationship("TestRequest")
    replaces: Mapped["TestReport | None"] = relationship(
        remote_side=[id], back_populates="replaced_by"
    )
    replaced_by: Mapped["TestReport | None"] = relationship(
        back_populates="replaces", uselist=False
    )
    authorised_by = relationship("User")
    pdf_file = relationship("StoredFile")


class CertificateScheme(enum.Enum):
    TYPE_TESTING = "type_testing"
    TYPE_TESTING_FACTORY = "type_testing_factory"
    LOT = "lot"


class CertificateStatus(enum.Enum):
    VALID = "valid"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


certificate_report = sa.Table(
    "certificate_report",
    db.metadata,
    sa.Column("certificate_id", sa.ForeignKey("certificate.id"), primary_key=True),
    sa.Column("report_id", sa.ForeignKey("test_report.id"), primary_key=True),
)

certificate_regulation = sa.Table(
    "certificate_regulation",
    db.metadata,
    sa.Column("certificate_id", sa.ForeignKey("certificate.id"), primary_key=True),
    sa.Column("regulation_id", sa.ForeignKey("regulation.id"), primary_key=True),
)

certificate_importer = sa.Table(
    "certificate_importer",
    db.metadata,
    sa.Column("certificate_id", sa.ForeignKey("certificate.id"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisation.id"), primary_key=True),
)


class Certificate(db.Model):
    """A certificate of conformity. Only ``status`` changes after issue, and
    only through ``change_certificate_status`` (see lims.certification.guards).
    """

    __tablename__ = "certificate"
    __table_args__ = (sa.UniqueConstraint("sequence_key", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    sequence_key: Mapped[str | None] = mapped_column(NFCString(80))
    sequence: Mapped[int | None]
    scheme: Mapped[CertificateScheme] = mapped_column(enum_column(CertificateScheme))
    issuer_id: Mapped[int] = mapped_column(sa.ForeignKey("body.id"), index=True)
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id"))
    lot_description: Mapped[str] = mapped_column(NFCText, default="")
    issued_on: Mapped[date]
    valid_until: Mapped[date]
    status: Mapped[CertificateStatus] = mapped_column(
        enum_column(CertificateStatus), default=CertificateStatus.VALID
    )
    # Yearly surveillance dates for certification with factory assessment.
    surveillance_dates: Mapped[list] = mapped_column(sa.JSON, default=list)
    replaces_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificate.id"))
    issued_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    pdf_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"))
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    verification_url: Mapped[str] = mapped_column(NFCString(300), default="")

    issuer = relationship("Body")
    holder = relationship("Organisation", foreign_keys=[holder_id])
    product = relationship("Product")
    issued_by = relationship("User")
    pdf_file = relationship("StoredFile")
    replaces = relationship("Certificate", remote_side=[id])
    reports = relationship("TestReport", secondary=certificate_report)
    regulations = relationship(
        "Regulation", secondary=certificate_regulation, order_by="Regulation.code"
    )
    # Ordered, so that a re-rendered certificate lists them as the issued one.
    importers = relationship(
        "Organisation",
        secondary=certificate_importer,
        order_by="(Organisation.name, Organisation.id)",
    )
    status_changes: Mapped[list["CertificateStatusChange"]] = relationship(
        back_populates="certificate", order_by="CertificateStatusChange.changed_at"
    )

    def status_on(self, day: date) -> CertificateStatus:
        """Return the status on ``day`` (see the module-level ``status_on``)."""
        return status_on(self.status, self.valid_until, day)


def status_on(
    status: CertificateStatus, valid_until: date, day: date
) -> CertificateStatus:
    """Return a certificate's status on ``day``: a valid or suspended
    certificate past its validity date is expired, a withdrawn one stays
    withdrawn."""
    expires = status in (CertificateStatus.VALID, CertificateStatus.SUSPENDED)
    if expires and day > valid_until:
        return CertificateStatus.EXPIRED
    return status


class CertificateStatusChange(db.Model):
    __tablename__ = "certificate_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: every public lookup loads a certificate's history by this key.
    certificate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certificate.id"), index=True
    )
    from_status: Mapped[CertificateStatus | None] = mapped_column(
        enum_column(CertificateStatus, name="certificatestatus_from")
    )
    to_status: Mapped[CertificateStatus] = mapped_column(enum_column(CertificateStatus))
    reason: Mapped[str] = mapped_column(NFCText)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    certificate: Mapped[Certificate] = relationship(back_populates="status_changes")
    actor = relationship("User")


class NumberSequence(db.Model):
    """The last number handed out under one key, e.g. "CERT/QT3/2026".

    Numbers are allocated with one UPDATE ... RETURNING, which takes a row lock
    on PostgreSQL and the write lock on SQLite, so concurrent workers never
    read the same value.
    """

    __tablename__ = "number_sequence"

    key: Mapped[str] = mapped_column(NFCString(80), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


# Registers the before_flush guard on every session once the models exist.
from lims.certification import guards  # noqa: E402, F401
