"""Admin forms. Each returns its field data as the text values the rules take."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lims.agreements.models import AgreementKind, DesignationStatus
from lims.bodies.models import AccreditationStatus

FLAG_CHOICES = [("", _l("not known")), ("yes", _l("yes")), ("no", _l("no"))]


def _enum_choices(enum_cls) -> list[tuple[str, str]]:
    return [(m.value, _l(m.value)) for m in enum_cls]


class ValuesForm(FlaskForm):
    """A form whose field data becomes text values keyed by field name."""

    def values(self) -> dict[str, str]:
        result = {}
        for name, field in self._fields.items():
            if name == "csrf_token":
                continue
            result[name] = _as_text(field.data)
        return result


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return " ; ".join(value)
    return str(value)


class AgreementForm(ValuesForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=500)])
    kind = SelectField(_l("Kind"), choices=_enum_choices(AgreementKind))
    concluded_on = DateField(_l("Concluded on"), validators=[Optional()])
    in_force_from = DateField(_l("In force from"), validators=[Optional()])
    terminated_on = DateField(_l("Terminated on"), validators=[Optional()])
    listing_term_years = IntegerField(
        _l("Listing term (years; empty: no fixed term)"),
        validators=[Optional(), NumberRange(min=1, max=50)],
    )


class PartyForm(ValuesForm):
    economy = StringField(
        _l("Economy (ISO 3166 code)"), validators=[DataRequired(), Length(max=2)]
    )
    joined_on = DateField(_l("Joined on"), validators=[Optional()])
    left_on = DateField(_l("Left on"), validators=[Optional()])


class PhaseForm(ValuesForm):
    economy_a = StringField(_l("Economy A"), validators=[DataRequired(), Length(max=2)])
    economy_b = StringField(
        _l("Economy B (* for every party)"), validators=[DataRequired(), Length(max=2)]
    )
    phase = SelectField(
        _l("Phase"),
        choices=[("1", _l("1: test reports")), ("2", _l("2: certificates too"))],
    )
    in_force_from = DateField(_l("In force from"), validators=[Optional()])
    in_force_until = DateField(_l("In force until"), validators=[Optional()])


class ScopeForm(ValuesForm):
    regulation = StringField(_l("Regulation code"), validators=[Length(max=60)])
    category = StringField(_l("or product category"), validators=[Length(max=200)])


class DesignationForm(ValuesForm):
    number = StringField(
        _l("Designation number"), validators=[DataRequired(), Length(max=60)]
    )
    lab = SelectField(_l("Lab or certification body"))
    agreement = SelectField(_l("Agreement"))
    designating_authority = StringField(
        _l("Designating authority"), validators=[DataRequired(), Length(max=300)]
    )
    designated_on = DateField(_l("Designated on"), validators=[DataRequired()])
    expires_on = DateField(_l("Last day of listing"), validators=[Optional()])
    regulations = SelectMultipleField(_l("Scope (regulations)"))


class StatusChangeForm(ValuesForm):
    to_status = SelectField(_l("New status"), choices=_enum_choices(DesignationStatus))
    effective_on = DateField(_l("Effective on"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])


class AccreditationBodyForm(ValuesForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    economy = StringField(_l("Economy"), validators=[DataRequired(), Length(max=2)])
    ilac_mra_testing = SelectField(_l("ILAC MRA signatory"), choices=FLAG_CHOICES)
    ilac_mra_since = DateField(_l("ILAC MRA since"), validators=[Optional()])
    iaf_mla_product = SelectField(
        _l("IAF MLA signatory (product certification)"), choices=FLAG_CHOICES
    )
    iaf_mla_since = DateField(_l("IAF MLA since"), validators=[Optional()])
    apac_member = SelectField(_l("APAC MRA signatory"), choices=FLAG_CHOICES)
    apac_since = DateField(_l("APAC since"), validators=[Optional()])


class AccreditationForm(ValuesForm):
    lab = SelectField(_l("Lab or certification body"))
    accreditation_body = SelectField(_l("Accreditation body"))
    number = StringField(_l("Number"), validators=[DataRequired(), Length(max=40)])
    standard = StringField(
        _l("Accredited to (e.g. ISO/IEC 17025:2017)"),
        validators=[DataRequired(), Length(max=40)],
    )
    granted_on = DateField(_l("Granted on"), validators=[DataRequired()])
    valid_until = DateField(_l("Valid until"), validators=[DataRequired()])
    status = SelectField(_l("Status"), choices=_enum_choices(AccreditationStatus))
    scope = TextAreaField(
        _l("Scope: standard editions separated by ;"),
        validators=[Optional(), Length(max=5000)],
    )


class EditionForm(ValuesForm):
    based_on = StringField(
        _l("Adopts (standard and edition)"), validators=[Optional(), Length(max=160)]
    )
    effective_from = DateField(_l("Effective from"), validators=[Optional()])
    supersedes = SelectField(_l("Supersedes"))
    transition_ends = DateField(
        _l("Last day reports to the superseded edition are accepted"),
        validators=[Optional()],
    )


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[FileRequired()])
    table = SelectField(_l("Table (for a CSV file)"))
