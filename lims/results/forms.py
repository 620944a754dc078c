from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

import instruments


def _format_choices():
    return [("", _l("Detect from the content"))] + [
        (name, name) for name in sorted(instruments.FORMATS)
    ]


DETECTORS = [("", _l("Automatic")), ("peak", _l("peak"))]
DETECTORS += [("quasi-peak", _l("quasi-peak")), ("average", _l("average"))]
DETECTORS += [("rms", _l("rms"))]


class _ResultFields(FlaskForm):
    sample = SelectField(_l("Sample"), coerce=int, validators=[DataRequired()])
    test_item = SelectField(_l("Test item"), coerce=int, validators=[DataRequired()])
    instruments = SelectMultipleField(
        _l("Instruments used"), coerce=int, validators=[DataRequired()]
    )
    measured_on = DateField(_l("Measured on"), validators=[DataRequired()])
    expanded_uncertainty = DecimalField(
        _l("Expanded uncertainty U (k = 2)"),
        validators=[Optional(), NumberRange(min=0)],
    )
    limit_detector = SelectField(
        _l("Limit detector"), choices=DETECTORS, validators=[Optional()]
    )


class FileResultForm(_ResultFields):
    file = FileField(_l("Instrument file"), validators=[FileRequired()])
    format_name = SelectField(_l("File format"), choices=_format_choices)
    trace_name = StringField(_l("Trace name (optional)"), validators=[Length(max=120)])
    field_strength = BooleanField(
        _l("The receiver applied antenna factors: read dBuV as dBuV/m")
    )


class ManualResultForm(_ResultFields):
    """The manual entry form; it shares the request page with the file form,
    so its fields carry the prefix "manual-" to keep element ids unique."""

    PREFIX = "manual"

    value = DecimalField(_l("Measured value"), validators=[DataRequired()])
    operand = SelectField(
        _l("Qualifier"),
        choices=[("", "="), ("<", "<"), (">", ">")],
        validators=[Optional()],
    )
    unit = StringField(_l("Unit"), validators=[DataRequired(), Length(max=20)])
    frequency_mhz = DecimalField(
        _l("Frequency (MHz)"), validators=[Optional(), NumberRange(min=0)]
    )
    detector = SelectField(
        _l("Detector used"), choices=DETECTORS, validators=[Optional()]
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
