"""Measuring instruments as lab assets, with their calibration history."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lims.db_types import NFCString, UTCDateTime, enum_column, utcnow
from lims.extensions import db


class Instrument(db.Model):
    __tablename__ = "instrument"
    __table_args__ = (sa.UniqueConstraint("body_id", "asset_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("body.id"), index=True)
    asset_number: Mapped[str] = mapped_column(sa.String(40))
    manufacturer: Mapped[str] = mapped_column(NFCString(120))
    model: Mapped[str] = mapped_column(NFCString(120))
    serial_number: Mapped[str] = mapped_column(NFCString(80), default="")
    description: Mapped[str] = mapped_column(NFCString(200), default="")

    body = relationship("Body")
    calibrations: Mapped[list["Calibration"]] = relationship(
        back_populates="instrument", order_by="Calibration.calibrated_on"
    )

    def calibration_on(self, day: date) -> "Calibration | None":
        """Return the calibration that covered ``day``, if any.

        The latest calibration performed on or before ``day`` decides: a
        failed one takes the instrument out of service even while an earlier
        certificate has not yet expired, and a new one puts it back.
        """
        performed = [c for c in self.calibrations if c.calibrated_on <= day]
        latest = max(
            performed, key=lambda c: (c.calibrated_on, c.id or 0), default=None
        )
        if latest is None or latest.outcome == CalibrationOutcome.FAIL:
            return None
        return latest if day <= latest.due_on else None

    def is_calibrated_on(self, day: date) -> bool:
        return self.calibration_on(day) is not None

    def label(self) -> str:
        return f"{self.asset_number} {self.manufacturer} {self.model}"


class CalibrationOutcome(enum.Enum):
    PASS = "pass"
    ADJUSTED = "adjusted"
    FAIL = "fail"


class Calibration(db.Model):
    __tablename__ = "calibration"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument.id"))
    calibrated_on: Mapped[date]
    due_on: Mapped[date]
    certificate_number: Mapped[str] = mapped_column(NFCString(80))
    calibrated_by: Mapped[str] = mapped_column(NFCString(200))
    outcome: Mapped[CalibrationOutcome] = mapped_column(
        enum_column(CalibrationOutcome), default=CalibrationOutcome.PASS
    )
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    instrument: Mapped[Instrument] = relationship(back_populates="calibrations")
