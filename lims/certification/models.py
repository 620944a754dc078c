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
    """A test report issued by one of our labs from approved results."""

    __tablename__ = "test_report"
    __test__ = False  # not a pytest test class

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
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

    lab = relationship("Body")
    request = relationship("TestRequest")
    replaces = relationship("TestReport", remote_side=[id])
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
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
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
    importers = relationship("Organisation", secondary=certificate_importer)
    status_changes: Mapped[list["CertificateStatusChange"]] = relationship(
        back_populates="certificate", order_by="CertificateStatusChange.changed_at"
    )

    def status_on(self, day: date) -> CertificateStatus:
        """Return the status, counting a valid certificate past its date as expired."""
        if self.status == CertificateStatus.VALID and day > self.valid_until:
            return CertificateStatus.EXPIRED
        return self.status


class CertificateStatusChange(db.Model):
    __tablename__ = "certificate_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate.id"))
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
