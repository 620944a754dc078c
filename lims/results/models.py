"""Results: one measurement per test item and sample, with its lineage."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from lims.db_types import NFCString, NFCText, UTCDateTime, enum_column, utcnow
from lims.extensions import db


class ResultStatus(enum.Enum):
    ENTERED = "entered"
    APPROVED = "approved"
    RETRACTED = "retracted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


# Statuses of a result that no longer counts; the next one for the same
# sample and test item is a new revision linked to it.
CLOSED_STATUSES = frozenset(
    {ResultStatus.RETRACTED, ResultStatus.REJECTED, ResultStatus.SUPERSEDED}
)
WORST_POINT_COUNT = 10


class Verdict(enum.Enum):
    PASS = "pass"
    CONDITIONAL_PASS = "conditional_pass"
    CONDITIONAL_FAIL = "conditional_fail"
    FAIL = "fail"


result_instrument = sa.Table(
    "result_instrument",
    db.metadata,
    sa.Column("result_id", sa.ForeignKey("result.id"), primary_key=True),
    sa.Column("instrument_id", sa.ForeignKey("instrument.id"), primary_key=True),
)


class Result(db.Model):
    """A measured value against a test item's limit.

    For a swept measurement ``value`` is the level at the worst point, and
    ``margin`` is level minus limit there (positive means over a maximum
    limit). Values are stored unrounded; rounding happens for display only.
    """

    __tablename__ = "result"
    __table_args__ = (sa.UniqueConstraint("sample_id", "test_item_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("test_request.id"), index=True
    )
    sample_id: Mapped[int] = mapped_column(sa.ForeignKey("sample.id"))
    test_item_id: Mapped[int] = mapped_column(sa.ForeignKey("test_item.id"))
    revision: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("result.id"))
    revision_reason: Mapped[str] = mapped_column(NFCText, default="")
    status: Mapped[ResultStatus] = mapped_column(
        enum_column(ResultStatus), default=ResultStatus.ENTERED
    )

    # "<" or ">" for a value reported against a detection limit, else None.
    operand: Mapped[str | None] = mapped_column(sa.String(2))
    value: Mapped[float]
    unit: Mapped[str] = mapped_column(sa.String(20))
    expanded_uncertainty: Mapped[float | None]
    coverage_factor: Mapped[float] = mapped_column(default=2.0)
    limit_value: Mapped[float | None]
    margin: Mapped[float | None]
    frequency_hz: Mapped[float | None]
    verdict: Mapped[Verdict] = mapped_column(enum_column(Verdict))
    # Detector of the limit line compared with ("quasi-peak"), "" if none.
    detector: Mapped[str] = mapped_column(sa.String(20), default="")
    # Up to WORST_POINT_COUNT points with the largest margins, worst first,
    # as [frequency_hz, value, limit, margin] lists; None for a single value.
    worst_points: Mapped[list | None] = mapped_column(sa.JSON)
    decision_rule: Mapped[str] = mapped_column(sa.String(20))
    conditions: Mapped[str] = mapped_column(NFCString(300), default="")
    measured_on: Mapped[date]

    source_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id"))
    source_format: Mapped[str] = mapped_column(sa.String(40), default="")
    trace_name: Mapped[str] = mapped_column(NFCString(120), default="")
    # The trace as float64 pairs (x in Hz, y), compressed, for plots.
    trace_points: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    trace_point_count: Mapped[int] = mapped_column(default=0)

    entered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who retracted, rejected or superseded the result, when and why.
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_reason: Mapped[str] = mapped_column(NFCText, default="")

    request = relationship("TestRequest", back_populates="results")
    sample = relationship("Sample")
    test_item = relationship("TestItem")
    previous = relationship("Result", remote_side=[id])
    instruments = relationship("Instrument", secondary=result_instrument)
    entered_by = relationship("User", foreign_keys=[entered_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    source_file = relationship("StoredFile")

    @property
    def is_locked(self) -> bool:
        return self.status != ResultStatus.ENTERED

    @property
    def lineage(self) -> list["Result"]:
        """Earlier revisions of this result, newest first."""
        earlier, current = [], self.previous
        while current is not None:
            earlier.append(current)
            current = current.previous
        return earlier
