"""Mutual-recognition agreements and the foreign bodies designated under them."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lims.auth.models import Role
from lims.db_types import NFCString, NFCText, UTCDateTime, enum_column, utcnow
from lims.extensions import db


class AgreementKind(enum.Enum):
    MULTILATERAL = "multilateral"
    BILATERAL = "bilateral"
    ACCREDITATION_ARRANGEMENT = "accreditation_arrangement"


class Agreement(db.Model):
    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(NFCText)
    kind: Mapped[AgreementKind] = mapped_column(enum_column(AgreementKind))
    concluded_on: Mapped[date | None]
    in_force_from: Mapped[date | None]
    terminated_on: Mapped[date | None]
    # Designations under some agreements lapse after a fixed number of years.
    listing_term_years: Mapped[int | None]
    source: Mapped[str] = mapped_column(NFCText, default="")

    parties: Mapped[list["AgreementParty"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan"
    )
    phases: Mapped[list["AgreementPhase"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan"
    )
    scope: Mapped[list["AgreementScope"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan"
    )


class AgreementParty(db.Model):
    __tablename__ = "agreement_party"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "economy_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement.id"))
    economy_code: Mapped[str] = mapped_column(sa.ForeignKey("economy.code"))
    joined_on: Mapped[date | None]
    left_on: Mapped[date | None]

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    economy = relationship("Economy")


class AgreementPhase(db.Model):
    """The phase in force between two parties.

    Phase 1 accepts test reports; phase 2 also accepts certification.
    ``economy_b`` of "*" means every party of the agreement.
    """

    __tablename__ = "agreement_phase"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement.id"))
    economy_a: Mapped[str] = mapped_column(sa.String(2))
    economy_b: Mapped[str] = mapped_column(sa.String(2))
    phase: Mapped[int]
    in_force_from: Mapped[date | None]
    in_force_until: Mapped[date | None]
    source: Mapped[str] = mapped_column(NFCText, default="")

    agreement: Mapped[Agreement] = relationship(back_populates="phases")


class AgreementScope(db.Model):
    """A regulation or product category an agreement covers."""

    __tablename__ = "agreement_scope"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement.id"))
    regulation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regulation.id"))
    category_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("product_category.id")
    )

    agreement: Mapped[Agreement] = relationship(back_populates="scope")
    regulation = relationship("Regulation")
    category = relationship("ProductCategory")


class DesignationStatus(enum.Enum):
    DESIGNATED = "designated"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


designation_regulation = sa.Table(
    "designation_regulation",
    db.metadata,
    sa.Column("designation_id", sa.ForeignKey("designation.id"), primary_key=True),
    sa.Column("regulation_id", sa.ForeignKey("regulation.id"), primary_key=True),
)


class Designation(db.Model):
    """A foreign body designated under an agreement for a scope."""

    __tablename__ = "designation"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("body.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement.id"))
    designating_authority: Mapped[str] = mapped_column(NFCString(300))
    designated_on: Mapped[date]
    expires_on: Mapped[date | None]
    status: Mapped[DesignationStatus] = mapped_column(
        enum_column(DesignationStatus), default=DesignationStatus.DESIGNATED
    )

    body = relationship("Body")
    agreement = relationship("Agreement")
    regulations = relationship("Regulation", secondary=designation_regulation)
    status_changes: Mapped[list["DesignationStatusChange"]] = relationship(
        back_populates="designation", order_by="DesignationStatusChange.effective_on"
    )


class DesignationStatusChange(db.Model):
    __tablename__ = "designation_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    designation_id: Mapped[int] = mapped_column(sa.ForeignKey("designation.id"))
    to_status: Mapped[DesignationStatus] = mapped_column(enum_column(DesignationStatus))
    effective_on: Mapped[date]
    reason: Mapped[str] = mapped_column(NFCText, default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    designation: Mapped[Designation] = relationship(back_populates="status_changes")


class RecognitionVerdict(enum.Enum):
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"
    NEEDS_REVIEW = "needs_review"


class RecognitionDecision(db.Model):
    """A recognition verdict shown to a user, with the facts it was based on.

    ``facts`` contains the presented facts and one entry per condition, so a
    decision can be explained later even after the records it used change.
    """

    __tablename__ = "recognition_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_on: Mapped[date]
    # "page", "api" or "batch".
    channel: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(16))
    lab: Mapped[str] = mapped_column(NFCString(80))
    regulation_code: Mapped[str] = mapped_column(NFCString(60))
    tested_on: Mapped[date]
    verdict: Mapped[RecognitionVerdict] = mapped_column(enum_column(RecognitionVerdict))
    agreement_code: Mapped[str | None] = mapped_column(sa.String(40))
    facts: Mapped[dict] = mapped_column(sa.JSON)
    request_id: Mapped[str | None] = mapped_column(sa.String(64))


class BatchCheck(db.Model):
    """A shipment list checked by a logged-in user, kept for that user.

    The results file contains every line's verdict and reasons as they were
    shown, so the user can download the same answer again later.
    """

    __tablename__ = "batch_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    filename: Mapped[str] = mapped_column(NFCString(255))
    decided_on: Mapped[date]
    line_count: Mapped[int]
    counts: Mapped[dict] = mapped_column(sa.JSON)
    results_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")
    results_file = relationship("StoredFile")

    def can_be_seen_by(self, user) -> bool:
        return user.is_authenticated and (
            user.id == self.user_id or user.role == Role.ADMIN
        )
