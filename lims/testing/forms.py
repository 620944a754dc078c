from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Regexp

from lims.testing.models import DecisionRule


class RequestForm(FlaskForm):
    applicant_name = StringField(
        _l("Applicant"), validators=[DataRequired(), Length(max=300)]
    )
    applicant_address = StringField(
        _l("Applicant address"), validators=[Length(max=500)]
    )
    manufacturer_name = StringField(
        _l("Manufacturer"), validators=[DataRequired(), Length(max=300)]
    )
    manufacturer_economy = SelectField(_l("Manufacturer's economy"))
    product_name = StringField(
        _l("Product name"), validators=[DataRequired(), Length(max=300)]
    )
    model = StringField(_l("Model"), validators=[DataRequired(), Length(max=120)])
    hs_code = StringField(
        _l("HS code"),
        validators=[
            DataRequired(),
            Regexp(r"^\d{4}(\d{2})?$", message=_l("Enter 4 or 6 digits, e.g. 851762.")),
        ],
    )
    regulations = SelectMultipleField(
        _l("Regulations"), coerce=int, validators=[DataRequired()]
    )
    decision_rule = SelectField(
        _l("Decision rule"),
        choices=[
            (DecisionRule.SIMPLE.value, _l("Simple acceptance")),
            (DecisionRule.GUARD_BAND.value, _l("Guard band w = U")),
            (DecisionRule.NON_BINARY.value, _l("Non-binary statement")),
        ],
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])


class SampleForm(FlaskForm):
    description = StringField(
        _l("Description"), validators=[DataRequired(), Length(max=300)]
    )
    serial_number = StringField(_l("Serial number"), validators=[Length(max=80)])
    condition = StringField(
        _l("Condition on receipt"), validators=[DataRequired(), Length(max=300)]
    )
    received_on = DateField(_l("Received on"), validators=[DataRequired()])
