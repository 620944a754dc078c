"""Validation messages of WTForms 3.3 and Flask-WTF 1.3 that the app's forms can show.

The msgids are copied exactly from wtforms/validators.py, wtforms/fields/
and flask_wtf/csrf.py, so that ``pybabel extract`` puts them in
messages.pot and the catalogues carry their translations. The app never
imports this module.

NOTE: Flask-WTF 1.3 looks these messages up in WTForms' own "wtforms"
domain (flask_wtf/i18n.py), which has no Vietnamese catalogue, and raises
the CSRF messages untranslated. The entries here take effect only once the
forms' Meta.get_translations reads the app's "messages" domain, or where a
template translates a message itself (templates/errors/error.html does so
for the CSRF messages).
"""


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (Babel keyword)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """Mark a plural pair for extraction without translating it."""
    return singular if count == 1 else plural


WTFORMS_MESSAGES = (
    # DataRequired, and flask_wtf.file.FileRequired
    N_("This field is required."),
    # Length
    ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        2,
    ),
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        2,
    ),
    ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        2,
    ),
    N_("Field must be between %(min)d and %(max)d characters long."),
    # NumberRange
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    # Email and Regexp
    N_("Invalid email address."),
    N_("Invalid input."),
    # SelectField and SelectMultipleField
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        2,
    ),
    # DateField, DecimalField and IntegerField
    N_("Not a valid date value."),
    N_("Not a valid decimal value."),
    N_("Not a valid integer value."),
    # flask_wtf.csrf.validate_csrf
    N_("The CSRF token is missing."),
    N_("The CSRF session token is missing."),
    N_("The CSRF token has expired."),
    N_("The CSRF token is invalid."),
    N_("The CSRF tokens do not match."),
)
