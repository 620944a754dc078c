"""Calibration status of instruments."""

from datetime import date, timedelta

import pytest

from lims.equipment.models import CalibrationOutcome
from lims.equipment.rules import record_calibration
from lims.errors import DomainError
from tests import factories as f
from tests.lims import results_factories as rf

TODAY = date.today()


@pytest.fixture
def staff(app, db):
    return rf.lab_staff()


def _calibrate(instrument, user, on, outcome=CalibrationOutcome.PASS, days=365):
    return record_calibration(
        instrument,
        calibrated_on=on,
        due_on=on + timedelta(days=days),
        certificate_number=f"CAL-{on.isoformat()}",
        calibrated_by="VMI",
        outcome=outcome,
        recorded_by=user,
    )


def test_new_calibration_restores_service(staff, db):
    overdue = f.instrument(staff.lab, due_in_days=-10)
    assert not overdue.is_calibrated_on(TODAY)

    _calibrate(overdue, staff.tech, TODAY)
    db.session.flush()

    assert overdue.is_calibrated_on(TODAY)
    req, sample = f.request_with_sample(staff.lab, staff.tech)
    test_item = rf.item(f.regulation(), [[0.0, None, 66.5, 66.5]])
    result = rf.import_file(req, sample, test_item, staff, used=[overdue])
    assert result.instruments == [overdue]


def test_failed_calibration_takes_out_of_service(staff, db):
    receiver = staff.receiver
    assert receiver.is_calibrated_on(TODAY)

    _calibrate(receiver, staff.tech, TODAY, CalibrationOutcome.FAIL)
    db.session.flush()

    assert not receiver.is_calibrated_on(TODAY)
    assert receiver.is_calibrated_on(TODAY - timedelta(days=1))


def test_calibration_due_before_date_rejected(staff, db):
    with pytest.raises(DomainError, match="due date"):
        _calibrate(staff.receiver, staff.tech, TODAY, days=0)


def test_future_calibration_rejected(app, db):
    from lims.auth.models import Role
    from lims.db_types import today_in

    lab = f.body("FUT")
    instrument = f.instrument(lab)
    technician = f.user(Role.TECHNICIAN, lab)
    tomorrow = today_in(lab.timezone) + timedelta(days=1)

    with pytest.raises(DomainError, match="future"):
        record_calibration(
            instrument,
            calibrated_on=tomorrow,
            due_on=tomorrow + timedelta(days=365),
            certificate_number="CAL-X",
            calibrated_by="VMI",
            outcome=CalibrationOutcome.PASS,
            recorded_by=technician,
        )
    assert len(instrument.calibrations) == 1
