import codecs
import csv
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

import instruments
from instruments import ColumnMapping
from lims.results.models import column_reference

# Read only through a saved column mapping, which the mapping choice selects.
GENERIC_FORMAT = "generic"


def _format_choices():
    return [("", _l("Detect from the content"))] + [
        (name, name) for name in sorted(instruments.FORMATS) if name != GENERIC_FORMAT
    ]


NO_MAPPING = ("", _l("None: read the file by its format"))


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
    # The view offers the request lab's saved mappings, by id. A client that
    # posts no mapping field gets none.
    mapping = SelectField(_l("Column mapping"), choices=[NO_MAPPING], default="")
    trace_name = StringField(_l("Trace name (optional)"), validators=[Length(max=120)])
    field_strength = BooleanField(
        _l("The receiver applied antenna factors: read dBuV as dBuV/m")
    )

    def validate_format_name(self, field) -> None:
        if field.data and self.mapping.data:
            raise ValidationError(
                _l(
                    "Leave the file format empty when you choose a column "
                    "mapping: the mapping reads the file as a table."
                )
            )


class ManualResultForm(_ResultFields):
    """The manual entry form; it shares the request page with the file form,
    so its fields carry the prefix "manual-" to keep element ids unique."""

    PREFIX = "manual"

    # InputRequired, not DataRequired: a level of 0 is a value, and text
    # that is not a number keeps its own message.
    value = DecimalField(_l("Measured value"), validators=[InputRequired()])
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


TAB = "tab"
FREQUENCY_UNITS = [("Hz", "Hz"), ("kHz", "kHz"), ("MHz", "MHz"), ("GHz", "GHz")]
FROM_UNITS_ROW = ("", _l("Read from the units row"))
# A date and time that every strftime directive can print, to test formats.
_SAMPLE_TIME = datetime(2024, 3, 4, 9, 15, 30)


def parse_column_list(text: str) -> list[str]:
    """Split a comma-separated list of columns, where a name with a comma is quoted."""
    rows = list(csv.reader([text], skipinitialspace=True))
    return [item.strip() for item in rows[0]] if rows else []


def format_column_list(columns: list[str]) -> str:
    """Join columns into the text that ``parse_column_list`` reads back."""
    quoted = [
        '"' + c.replace('"', '""') + '"' if "," in c or '"' in c else c for c in columns
    ]
    return ", ".join(quoted)


class ColumnMappingForm(FlaskForm):
    """A saved column mapping, with an optional sample file to try it on.

    Columns are header names or 0-based column numbers: text of digits only
    is a number. ``mapping()`` returns the settings as a ColumnMapping once
    the form has validated. The optional text fields have no ``Optional()``
    validator because it would skip the ``validate_*`` checks that compare
    an empty field with the others.
    """

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = StringField(_l("Description"), validators=[Length(max=300)])
    # The version of the saved profile that the form was filled from.
    version = HiddenField()
    x_column = StringField(
        _l("Frequency column"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("Header name, or 0-based column number."),
    )
    x_unit = SelectField(
        _l("Frequency unit"), choices=[*FREQUENCY_UNITS, FROM_UNITS_ROW], default="Hz"
    )
    y_columns = StringField(
        _l("Level columns"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l(
            "Header names or 0-based column numbers, separated by commas; "
            "one trace per column."
        ),
    )
    y_unit = StringField(
        _l("Level unit"),
        validators=[Length(max=20)],
        description=_l("For example dBuV or dBm; empty: read from the units row."),
    )
    separator = StringField(
        _l("Column separator"),
        validators=[InputRequired()],
        default=",",
        description=_l('One character, or "tab".'),
    )
    decimal = SelectField(
        _l("Decimal mark"), choices=[(".", "."), (",", ",")], default="."
    )
    header_rows = IntegerField(
        _l("Header rows"),
        validators=[InputRequired(), NumberRange(min=0, max=1000)],
        default=1,
        description=_l("Rows before the data. The first contains the column names."),
    )
    units_row = IntegerField(
        _l("Units row"),
        validators=[Optional(), NumberRange(min=0)],
        description=_l("0-based row among the header rows; empty: none."),
    )
    encoding = StringField(
        _l("Encoding"),
        validators=[Length(max=40)],
        description=_l("For example utf-8, cp1252 or latin-1; empty: detect."),
    )
    date_column = StringField(
        _l("Date column"),
        validators=[Length(max=120)],
        description=_l("Header name or 0-based column number; empty: none."),
    )
    date_format = StringField(
        _l("Date format"),
        validators=[Length(max=40)],
        description=_l("strptime codes, for example %d.%m.%Y."),
    )
    sheet = StringField(
        _l("Excel sheet"),
        validators=[Length(max=120)],
        default="0",
        description=_l("Sheet name, or 0-based sheet number."),
    )
    sample = FileField(_l("Sample file to try the mapping on"))

    def validate_separator(self, field) -> None:
        text = field.data or ""
        if text.strip().lower() != TAB and (len(text) != 1 or text in '"\r\n'):
            raise ValidationError(
                _('Enter one character, such as ; or |, or "tab" for a tab.')
            )

    def validate_decimal(self, field) -> None:
        if field.data == self.separator_character():
            raise ValidationError(
                _("The decimal mark cannot also be the column separator.")
            )

    def validate_y_columns(self, field) -> None:
        columns = parse_column_list(field.data or "")
        if not columns or not all(columns):
            raise ValidationError(
                _(
                    "Separate the column names or numbers with commas, leaving "
                    "none empty."
                )
            )
        if any(len(column) > 120 for column in columns):
            raise ValidationError(_("A column name can have at most 120 characters."))

    def validate_units_row(self, field) -> None:
        header_rows = self.header_rows.data
        if field.data is None or header_rows is None or field.data < header_rows:
            return
        raise ValidationError(
            _(
                "The units row must be one of the %(count)d header rows, "
                "numbered from 0: enter a number below %(count)d.",
                count=header_rows,
            )
        )

    def validate_x_unit(self, field) -> None:
        if not field.data and self.units_row.data is None:
            raise ValidationError(
                _("Choose the frequency unit, or give the units row to read it from.")
            )

    def validate_y_unit(self, field) -> None:
        if not (field.data or "").strip() and self.units_row.data is None:
            raise ValidationError(
                _("Enter the level unit, or give the units row to read it from.")
            )

    def validate_encoding(self, field) -> None:
        name = (field.data or "").strip()
        if not name:
            return
        try:
            codecs.lookup(name)
        except LookupError:
            raise ValidationError(
                _("Unknown encoding; use a name such as utf-8, cp1252 or latin-1.")
            ) from None

    def validate_date_format(self, field) -> None:
        text = (field.data or "").strip()
        has_column = bool((self.date_column.data or "").strip())
        if has_column and not text:
            raise ValidationError(
                _("Enter the format of the dates in the date column.")
            )
        if text and not has_column:
            raise ValidationError(
                _("Name the date column too, or leave the date format empty.")
            )
        if text and not _is_date_format(text):
            raise ValidationError(
                _(
                    "Not a valid date format; use strptime codes such as "
                    "%d for the day, %m for the month and %Y for the year."
                )
            )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        try:
            self.mapping()
        except ValueError as error:
            # The fields above check each rule of ColumnMapping, so this only
            # catches a rule added there and not yet checked here.
            self.form_errors.append(str(error))
            return False
        return True

    def separator_character(self) -> str:
        """Return the separator entered, with "tab" turned into a tab."""
        text = self.separator.data or ""
        return "\t" if text.strip().lower() == TAB else text

    def mapping(self) -> ColumnMapping:
        """Return the entered settings, or raise ValueError if they are invalid."""
        date_column = (self.date_column.data or "").strip()
        columns = parse_column_list(self.y_columns.data or "")
        return ColumnMapping(
            x_column=column_reference(self.x_column.data or ""),
            y_columns=tuple(column_reference(column) for column in columns),
            separator=self.separator_character(),
            decimal=self.decimal.data,
            encoding=(self.encoding.data or "").strip() or None,
            header_rows=self.header_rows.data,
            units_row=self.units_row.data,
            x_unit=self.x_unit.data or None,
            y_unit=(self.y_unit.data or "").strip() or None,
            date_column=column_reference(date_column) if date_column else None,
            date_format=(self.date_format.data or "").strip() or None,
            sheet=column_reference(self.sheet.data or "0"),
        )

    def fill(self, profile) -> None:
        """Show a saved profile's settings in the fields."""
        self.name.data = profile.name
        self.description.data = profile.description
        self.version.data = str(profile.version)
        self.x_column.data = profile.x_column
        self.x_unit.data = profile.x_unit
        self.y_columns.data = format_column_list(profile.y_columns)
        self.y_unit.data = profile.y_unit
        self.separator.data = TAB if profile.separator == "\t" else profile.separator
        self.decimal.data = profile.decimal
        self.header_rows.data = profile.header_rows
        self.units_row.data = profile.units_row
        self.encoding.data = profile.encoding
        self.date_column.data = profile.date_column
        self.date_format.data = profile.date_format
        self.sheet.data = profile.sheet


def _is_date_format(text: str) -> bool:
    """Return True if ``strptime`` reads back what ``strftime`` writes with ``text``."""
    if "%" not in text:
        return False
    try:
        datetime.strptime(_SAMPLE_TIME.strftime(text), text)
    except ValueError:
        return False
    return True
