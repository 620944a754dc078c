from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from lims.equipment.models import CalibrationOutcome


class CalibrationForm(FlaskForm):
    calibrated_on = DateField(_l("Calibrated on"), validators=[DataRequired()])
    due_on = DateField(_l("Due on"), validators=[DataRequired()])
    certificate_number = StringField(
        _l("Calibration certificate"), validators=[DataRequired(), Length(max=80)]
    )
    calibrated_by = StringField(
        _l("Calibration laboratory"), validators=[DataRequired(), Length(max=200)]
    )
    outcome = SelectField(
        _l("Outcome"),
        choices=[
            (CalibrationOutcome.PASS.value, _l("Pass")),
            (CalibrationOutcome.ADJUSTED.value, _l("Adjusted")),
            (CalibrationOutcome.FAIL.value, _l("Fail")),
        ],
    )
