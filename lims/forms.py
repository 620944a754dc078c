"""Forms shared by several areas, and how a rejected form keeps its input."""

import logging

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from lims.errors import DomainError
from lims.extensions import db

logger = logging.getLogger(__name__)


def flash_form_errors(form) -> None:
    """Flash each field error as "label: message", for the top of the page."""
    for name, errors in form.errors.items():
        label = getattr(form, name).label.text if hasattr(form, name) else name
        for error in errors:
            flash(f"{label}: {error}", "danger")


def show_rule_error(form, error: DomainError) -> None:
    """Undo the rejected change and show the rule's message on the form.

    The page is then rendered again with the form as submitted, so nothing
    typed is lost. A message about one field appears under that field as
    well as at the top of the page.
    """
    db.session.rollback()
    logger.warning("rejected %s %s: %s", request.method, request.path, error)
    flash(error.message, "danger")
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]


class ConfirmForm(FlaskForm):
    """A button that carries a CSRF token, with an optional note."""

    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
