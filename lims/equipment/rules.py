"""Calibration records: recording one always puts the instrument back in service."""

from datetime import date

from flask_babel import gettext as _

from lims.audit.service import record, snapshot
from lims.db_types import today_in
from lims.equipment.models import Calibration, CalibrationOutcome, Instrument
from lims.errors import DomainError
from lims.extensions import db


def record_calibration(
    instrument: Instrument,
    *,
    calibrated_on: date,
    due_on: date,
    certificate_number: str,
    calibrated_by: str,
    outcome: CalibrationOutcome,
    recorded_by,
) -> Calibration:
    if due_on <= calibrated_on:
        raise DomainError(
            _("The due date must be after the calibration date."), field="due_on"
        )
    if calibrated_on > today_in(instrument.body.timezone):
        raise DomainError(
            _(
                "The calibration date %(day)s is in the future; record a "
                "calibration once it has been done.",
                day=calibrated_on.isoformat(),
            ),
            field="calibrated_on",
        )
    calibration = Calibration(
        instrument=instrument,
        calibrated_on=calibrated_on,
        due_on=due_on,
        certificate_number=certificate_number.strip(),
        calibrated_by=calibrated_by.strip(),
        outcome=outcome,
        recorded_by_id=recorded_by.id,
    )
    db.session.add(calibration)
    record(
        "calibration.recorded",
        instrument,
        summary=f"Calibration {calibration.certificate_number} recorded",
        after=snapshot(
            calibration,
            ["calibrated_on", "due_on", "certificate_number", "outcome"],
        ),
        actor=recorded_by,
    )
    return calibration
