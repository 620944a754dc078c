"""Forms shared by several areas."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional


class ConfirmForm(FlaskForm):
    """A button that carries a CSRF token, with an optional note."""

    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
