"""Language and time zone: Vietnamese and English, times shown in local time."""

from datetime import datetime
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import (
    Flask,
    Request,
    current_app,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, get_translations, refresh
from flask_login import current_user

from lims.extensions import babel
from lims.urls import same_host_url

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


def select_locale() -> str:
    if not has_request_context():
        # Commands and background work speak the default language.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return chosen
    if current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    best = request.accept_languages.best_match(list(LANGUAGES))
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def user_timezone() -> ZoneInfo:
    name = None
    if current_user and current_user.is_authenticated:
        name = current_user.timezone
    return ZoneInfo(name or current_app.config["LIMS_TIMEZONE"])


def localtime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Format an aware UTC time in the viewer's time zone."""
    if value is None:
        return ""
    local = value.astimezone(user_timezone())
    return local.strftime(fmt) + " " + local.tzname()


class LocalisedRequest(Request):
    """A request whose WTForms validation messages use this app's catalogue."""

    @cached_property
    def wtforms_translations(self):
        """Return the catalogue for WTForms' validation messages.

        Flask-WTF looks them up in the catalogue bundled with WTForms, which
        has no Vietnamese. It reads this attribute of the request first, so
        our catalogue translates messages such as "This field is required.".
        lims/translations/wtforms_messages.py lists those messages. Computed
        on first use, because choosing the locale loads the user, and most
        requests (the JSON API above all) translate no form message.
        """
        return get_translations()


def register(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["get_locale"] = get_locale

    # Flask-Babel caches the locale on the application context, which a
    # request shares with an enclosing context (as in tests and commands).
    app.before_request(refresh)
    app.request_class = LocalisedRequest

    @app.post("/language/<code>")
    def set_language(code: str):
        if code in LANGUAGES:
            session["locale"] = code
        return redirect(same_host_url(request.referrer) or url_for("public.index"))
