"""Calibration records: recording one always puts the instrument back in service."""

from datetime import date

from lims.audit.service import record, snapshot
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
            "The due date must be after the calibration date.", field="due_on"
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
