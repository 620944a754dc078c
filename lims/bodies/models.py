"""Economies, conformity-assessment bodies and their accreditations."""

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lims.db_types import NFCString, NFCText, enum_column
from lims.extensions import db


class Economy(db.Model):
    """An economy by its ISO 3166-1 alpha-2 code (Taiwan and Hong Kong included)."""

    __tablename__ = "economy"

    code: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    name_en: Mapped[str] = mapped_column(NFCString(120))
    name_vi: Mapped[str] = mapped_column(NFCString(120))


class BodyKind(enum.Enum):
    TESTING_LAB = "testing_lab"
    CERTIFICATION_BODY = "certification_body"
    INSPECTION_BODY = "inspection_body"


class Body(db.Model):
    """A conformity-assessment body: a lab, a certification or inspection body."""

    __tablename__ = "body"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short code used in document numbers, e.g. "QT1".
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name: Mapped[str] = mapped_column(NFCString(300))
    name_en: Mapped[str] = mapped_column(NFCString(300), default="")
    kind: Mapped[BodyKind] = mapped_column(enum_column(BodyKind))
    economy_code: Mapped[str] = mapped_column(sa.ForeignKey("economy.code"))
    address: Mapped[str] = mapped_column(NFCText, default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Ho_Chi_Minh")

    economy = relationship("Economy")
    identifiers: Mapped[list["BodyIdentifier"]] = relationship(
        back_populates="body", cascade="all, delete-orphan"
    )
    accreditations: Mapped[list["Accreditation"]] = relationship(
        back_populates="body", order_by="Accreditation.granted_on"
    )

    def accreditation_valid_on(self, day: date) -> "Accreditation | None":
        for accreditation in self.accreditations:
            if accreditation.is_valid_on(day):
                return accreditation
        return None


class BodyIdentifier(db.Model):
    """A number a body is known by in some register (VILAS, FCC, designation)."""

    __tablename__ = "body_identifier"
    __table_args__ = (sa.UniqueConstraint("scheme", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("body.id"))
    scheme: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[str] = mapped_column(sa.String(80))

    body: Mapped[Body] = relationship(back_populates="identifiers")


class AccreditationBody(db.Model):
    __tablename__ = "accreditation_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(NFCString(300))
    economy_code: Mapped[str] = mapped_column(sa.ForeignKey("economy.code"))
    # None means no source was found either way.
    ilac_mra_testing: Mapped[bool | None]
    iaf_mla_product: Mapped[bool | None]
    apac_member: Mapped[bool | None]
    # First day of each signatory status; None where no source gives the day.
    ilac_mra_since: Mapped[date | None]
    iaf_mla_since: Mapped[date | None]
    apac_since: Mapped[date | None]
    source: Mapped[str] = mapped_column(NFCText, default="")

    economy = relationship("Economy")


class AccreditationStatus(enum.Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class Accreditation(db.Model):
    __tablename__ = "accreditation"
    __table_args__ = (sa.UniqueConstraint("accreditation_body_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("body.id"))
    accreditation_body_id: Mapped[int] = mapped_column(
        sa.ForeignKey("accreditation_body.id")
    )
    number: Mapped[str] = mapped_column(sa.String(40))
    # The conformity-assessment standard, e.g. "ISO/IEC 17025:2017".
    standard: Mapped[str] = mapped_column(sa.String(40))
    granted_on: Mapped[date]
    valid_until: Mapped[date]
    status: Mapped[AccreditationStatus] = mapped_column(
        enum_column(AccreditationStatus), default=AccreditationStatus.ACTIVE
    )

    body: Mapped[Body] = relationship(back_populates="accreditations")
    accreditation_body: Mapped[AccreditationBody] = relationship()
    scope_lines: Mapped[list["AccreditationScopeLine"]] = relationship(
        back_populates="accreditation", cascade="all, delete-orphan"
    )

    def is_valid_on(self, day: date) -> bool:
        return (
            self.status == AccreditationStatus.ACTIVE
            and self.granted_on <= day <= self.valid_until
        )

    def label(self) -> str:
        return (
            f"{self.accreditation_body.acronym} {self.number} "
            f"({self.standard}), valid until {self.valid_until.isoformat()}"
        )


class AccreditationScopeLine(db.Model):
    """One standard edition a body is accredited to test or certify against."""

    __tablename__ = "accreditation_scope_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    accreditation_id: Mapped[int] = mapped_column(sa.ForeignKey("accreditation.id"))
    standard_id: Mapped[int] = mapped_column(sa.ForeignKey("standard.id"))
    note: Mapped[str] = mapped_column(NFCString(300), default="")

    accreditation: Mapped[Accreditation] = relationship(back_populates="scope_lines")
    standard = relationship("Standard")
