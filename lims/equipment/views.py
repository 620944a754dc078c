"""Instruments and their calibrations."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lims.audit.service import events_for
from lims.auth.models import Role
from lims.auth.permissions import Permission, check_lab_record, require
from lims.db_types import today_in
from lims.equipment.forms import CalibrationForm
from lims.equipment.models import CalibrationOutcome, Instrument
from lims.equipment.rules import record_calibration
from lims.errors import DomainError
from lims.extensions import db
from lims.forms import flash_form_errors, show_rule_error

bp = Blueprint("equipment", __name__, url_prefix="/instruments")


@bp.get("/")
@require(Permission.VIEW_LAB_RECORDS)
def index():
    query = db.select(Instrument).order_by(Instrument.body_id, Instrument.asset_number)
    if current_user.role not in (Role.ADMIN, Role.CERTIFICATION_OFFICER):
        query = query.where(Instrument.body_id == current_user.body_id)
    today = today_in(current_user.body.timezone if current_user.body else "UTC")
    return render_template(
        "equipment/index.html",
        instruments=db.session.scalars(query).all(),
        today=today,
    )


def load_instrument(instrument_id: int) -> Instrument:
    instrument = db.get_or_404(Instrument, instrument_id)
    check_lab_record(current_user, instrument.body_id)
    return instrument


@bp.get("/<int:instrument_id>")
@require(Permission.VIEW_LAB_RECORDS)
def detail(instrument_id: int):
    instrument = load_instrument(instrument_id)
    return _render_detail(instrument, CalibrationForm())


@bp.post("/<int:instrument_id>/calibrations")
@require(Permission.MANAGE_INSTRUMENTS)
def add_calibration(instrument_id: int):
    instrument = load_instrument(instrument_id)
    form = CalibrationForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _render_detail(instrument, form), 400

    try:
        record_calibration(
            instrument,
            calibrated_on=form.calibrated_on.data,
            due_on=form.due_on.data,
            certificate_number=form.certificate_number.data,
            calibrated_by=form.calibrated_by.data,
            outcome=CalibrationOutcome(form.outcome.data),
            recorded_by=current_user,
        )
    except DomainError as error:
        show_rule_error(form, error)
        return _render_detail(instrument, form), 400
    db.session.commit()
    flash(_("Calibration recorded."), "success")
    return redirect(url_for("equipment.detail", instrument_id=instrument.id))


def _render_detail(instrument: Instrument, form: CalibrationForm):
    return render_template(
        "equipment/detail.html",
        instrument=instrument,
        form=form,
        today=today_in(instrument.body.timezone),
        events=events_for(instrument),
    )
