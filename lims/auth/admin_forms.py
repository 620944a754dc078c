from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from lims.auth.models import Role


class UserForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[(r.value, r.value) for r in Role])
    body = SelectField(_l("Lab or certification body"), coerce=int)
    password = PasswordField(
        _l("Initial password (at least 12 characters)"),
        validators=[DataRequired(), Length(max=200)],
    )


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password (at least 12 characters)"),
        validators=[DataRequired(), Length(max=200)],
    )
