"""Logging in and out."""

import logging

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lims.auth.forms import LoginForm
from lims.auth.models import User
from lims.auth.rules import record_attempt, throttled_until
from lims.db_types import utcnow
from lims.extensions import db, login_manager
from lims.i18n import localtime
from lims.urls import same_host_url

logger = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("testing.dashboard"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)

    email = form.email.data.strip().lower()
    address = request.remote_addr or "unknown"
    locked_until = throttled_until(email, address)
    if locked_until is not None:
        logger.warning("login throttled for %s from %s", email, address)
        flash(
            _(
                "Too many failed logins. Try again after %(time)s.",
                time=localtime(locked_until, "%H:%M"),
            ),
            "danger",
        )
        return render_template("auth/login.html", form=form), 429

    user = db.session.scalar(db.select(User).where(User.email == email))
    valid = (
        user is not None and user.is_active and user.check_password(form.password.data)
    )
    record_attempt(email, address, succeeded=valid)
    if not valid:
        db.session.commit()
        logger.warning("failed login for %s from %s", email, address)
        flash(_("Invalid email or password."), "danger")
        return render_template("auth/login.html", form=form), 401

    _start_session(user)
    db.session.commit()
    logger.info("user %s logged in from %s", user.id, address)
    target = same_host_url(request.args.get("next"))
    return redirect(target or url_for("testing.dashboard"))


def _start_session(user: User) -> None:
    """Log ``user`` in on a fresh session that expires after its lifetime.

    Clearing the session first means a session planted before login cannot
    be carried into the logged-in one. Only the language choice survives.
    """
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session.permanent = True
    login_user(user)
    user.last_login_at = utcnow()


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("public.index"))
