from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from lims.certification.models import CertificateScheme, CertificateStatus


class CertificateForm(FlaskForm):
    scheme = SelectField(
        _l("Certification scheme"),
        choices=[
            (CertificateScheme.TYPE_TESTING.value, _l("Type testing (3 years)")),
            (
                CertificateScheme.TYPE_TESTING_FACTORY.value,
                _l("Type testing with factory assessment (3 years, surveillance)"),
            ),
            (CertificateScheme.LOT.value, _l("Per lot")),
        ],
    )
    holder = SelectField(_l("Certificate holder"), coerce=int)
    importers = SelectMultipleField(_l("Importers allowed to use it"), coerce=int)
    lot_description = TextAreaField(
        _l("Lot description"), validators=[Length(max=1000)]
    )
    lot_valid_until = DateField(_l("Lot valid until"), validators=[Optional()])


STATUS_ACTIONS = {
    CertificateStatus.SUSPENDED: _l("Suspend"),
    CertificateStatus.VALID: _l("Reinstate"),
    CertificateStatus.WITHDRAWN: _l("Withdraw"),
}


class StatusForm(FlaskForm):
    to_status = SelectField(_l("New status"))
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])

    def offer(self, allowed) -> "StatusForm":
        """Offer only the moves the certificate's current status allows."""
        self.to_status.choices = [
            (status.value, label)
            for status, label in STATUS_ACTIONS.items()
            if status in allowed
        ]
        return self


class AmendReportForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the amendment"), validators=[DataRequired(), Length(max=1000)]
    )


class IssueReportForm(FlaskForm):
    """Statements the authorising reviewer adds when issuing a test report."""

    test_location = StringField(
        _l("Where the tests were done (empty: the lab's address)"),
        validators=[Optional(), Length(max=500)],
    )
    deviations = TextAreaField(
        _l("Deviations from the methods (empty: none)"),
        validators=[Optional(), Length(max=2000)],
    )
    subcontracted = SelectMultipleField(
        _l("Results done by a subcontractor"), coerce=int, validators=[Optional()]
    )

    def offer(self, results) -> "IssueReportForm":
        self.subcontracted.choices = [
            (
                result.id,
                f"#{result.id} {result.test_item.name_en} – {result.sample.code}",
            )
            for result in results
        ]
        return self
