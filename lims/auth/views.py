"""Logging in and out."""

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lims.auth.forms import LoginForm
from lims.auth.models import User
from lims.db_types import utcnow
from lims.extensions import db, login_manager
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
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(db.select(User).where(User.email == email))
        if (
            user is None
            or not user.is_active
            or not user.check_password(form.password.data)
        ):
            logger.warning("failed login for %s", email)
            flash(_("Invalid email or password."), "danger")
            return render_template("auth/login.html", form=form), 401

        login_user(user)
        user.last_login_at = utcnow()
        db.session.commit()
        logger.info("user %s logged in", user.id)
        target = same_host_url(request.args.get("next"))
        return redirect(target or url_for("testing.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("public.index"))
