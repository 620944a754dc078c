"""Test requests and the samples received for them."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lims.db_types import NFCString, NFCText, UTCDateTime, enum_column, utcnow
from lims.extensions import db


class RequestState(enum.Enum):
    REGISTERED = "registered"
    SAMPLES_RECEIVED = "samples_received"
    IN_TESTING = "in_testing"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REPORTED = "reported"
    CANCELLED = "cancelled"


# The only moves a request can make; anything else is rejected by the rules.
REQUEST_TRANSITIONS: dict[RequestState, frozenset[RequestState]] = {
    RequestState.REGISTERED: frozenset(
        {RequestState.SAMPLES_RECEIVED, RequestState.CANCELLED}
    ),
    RequestState.SAMPLES_RECEIVED: frozenset(
        {RequestState.IN_TESTING, RequestState.CANCELLED}
    ),
    RequestState.IN_TESTING: frozenset(
        {RequestState.UNDER_REVIEW, RequestState.CANCELLED}
    ),
    RequestState.UNDER_REVIEW: frozenset(
        {RequestState.APPROVED, RequestState.IN_TESTING}
    ),
    RequestState.APPROVED: frozenset({RequestState.REPORTED, RequestState.IN_TESTING}),
    RequestState.REPORTED: frozenset({RequestState.IN_TESTING}),
    RequestState.CANCELLED: frozenset(),
}


class DecisionRule(enum.Enum):
    """Decision rules after ILAC-G8:09/2019 and IEC Guide 115:2021."""

    SIMPLE = "simple"
    GUARD_BAND = "guard_band"
    NON_BINARY = "non_binary"


test_request_regulation = sa.Table(
    "test_request_regulation",
    db.metadata,
    sa.Column("request_id", sa.ForeignKey("test_request.id"), primary_key=True),
    sa.Column("regulation_id", sa.ForeignKey("regulation.id"), primary_key=True),
)


class TestRequest(db.Model):
    __tablename__ = "test_request"
    __test__ = False  # not a pytest test class

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    lab_id: Mapped[int] = mapped_column(sa.ForeignKey("body.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id"))
    state: Mapped[RequestState] = mapped_column(
        enum_column(RequestState), default=RequestState.REGISTERED
    )
    decision_rule: Mapped[DecisionRule] = mapped_column(
        enum_column(DecisionRule), default=DecisionRule.SIMPLE
    )
    # Multiple of the expanded uncertainty used as guard band width.
    guard_band_factor: Mapped[float] = mapped_column(default=1.0)
    notes: Mapped[str] = mapped_column(NFCText, default="")
    registered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lab = relationship("Body")
    applicant = relationship("Organisation")
    product = relationship("Product")
    registered_by = relationship("User")
    regulations = relationship(
        "Regulation", secondary=test_request_regulation, order_by="Regulation.code"
    )
    samples: Mapped[list["Sample"]] = relationship(
        back_populates="request", order_by="Sample.code"
    )
    results = relationship(
        "Result", back_populates="request", order_by="Result.id", viewonly=True
    )

    def can_move_to(self, state: RequestState) -> bool:
        return state in REQUEST_TRANSITIONS[self.state]


class Sample(db.Model):
    __tablename__ = "sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("test_request.id"))
    description: Mapped[str] = mapped_column(NFCString(300), default="")
    serial_number: Mapped[str] = mapped_column(NFCString(80), default="")
    condition: Mapped[str] = mapped_column(NFCString(300), default="")
    received_on: Mapped[date]
    received_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))

    request: Mapped[TestRequest] = relationship(back_populates="samples")
    received_by = relationship("User")
