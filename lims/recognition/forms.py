"""Public forms: one recognition check and a shipment list."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional


class RecognitionForm(FlaskForm):
    lab = StringField(
        _l("Designation number or lab"),
        validators=[DataRequired(), Length(max=80)],
    )
    regulation = StringField(
        _l("Regulation"), validators=[DataRequired(), Length(max=60)]
    )
    tested_on = DateField(_l("Test date"), validators=[DataRequired()])
    kind = SelectField(
        _l("Document"),
        choices=[("report", _l("Test report")), ("certificate", _l("Certificate"))],
        default="report",
    )
    standard = StringField(
        _l("Standard edition used (empty: the one the regulation adopts)"),
        validators=[Optional(), Length(max=120)],
    )
    hs_code = StringField(_l("HS code"), validators=[Optional(), Length(max=12)])
    on = DateField(_l("Decision date (empty: today)"), validators=[Optional()])

    def values(self) -> dict[str, str]:
        """Return the field data as the text values the API also takes."""
        return {
            "lab": self.lab.data,
            "regulation": self.regulation.data,
            "tested_on": self.tested_on.data.isoformat(),
            "kind": self.kind.data,
            "standard": self.standard.data or "",
            "hs_code": self.hs_code.data or "",
        }


class ShipmentForm(FlaskForm):
    file = FileField(_l("Shipment list (CSV or Excel)"), validators=[FileRequired()])
    on = DateField(_l("Decision date (empty: today)"), validators=[Optional()])
    output = SelectField(
        _l("Show the result as"),
        choices=[
            ("page", _l("this page")),
            ("csv", _l("a CSV file")),
            ("xlsx", _l("an Excel file")),
        ],
        default="page",
    )
