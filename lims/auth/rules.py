"""Login throttling, the password policy and account changes."""

import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from lims.audit.service import record, snapshot
from lims.auth.models import LoginAttempt, Role, User
from lims.db_types import utcnow
from lims.errors import DomainError
from lims.extensions import db

logger = logging.getLogger(__name__)

# Five wrong passwords for one account, or twenty from one address, within
# the window lock further attempts until the window has passed.
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS = frozenset(
    {
        "password1234",
        "123456789012",
        "qwertyuiopas",
        "matkhau12345",
        "administrator",
        "letmein12345",
        "welcome12345",
        "iloveyou1234",
    }
)
USER_FIELDS = ["email", "name", "role", "body_id", "is_active_account"]


def throttled_until(email: str, ip_address: str) -> datetime | None:
    """Return when the next attempt is allowed, or None if it is allowed now."""
    since = utcnow() - THROTTLE_WINDOW
    for column, value, limit in (
        (LoginAttempt.email, email, MAX_FAILURES_PER_ACCOUNT),
        (LoginAttempt.ip_address, ip_address, MAX_FAILURES_PER_ADDRESS),
    ):
        failures = db.session.execute(
            sa.select(sa.func.count(), sa.func.min(LoginAttempt.attempted_at)).where(
                column == value,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.attempted_at >= since,
            )
        ).one()
        count, first = failures
        if count >= limit:
            first = _aware(first)
            return first + THROTTLE_WINDOW
    return None


def record_attempt(email: str, ip_address: str, succeeded: bool) -> None:
    db.session.add(
        LoginAttempt(email=email, ip_address=ip_address, succeeded=succeeded)
    )


def check_password_policy(password: str, email: str = "", name: str = "") -> None:
    """Raise DomainError naming the first rule ``password`` breaks."""
    lowered = password.lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _(
                "The password must have at least %(count)d characters.",
                count=MIN_PASSWORD_LENGTH,
            ),
            field="password",
        )
    if len(set(password)) < 5:
        raise DomainError(
            _(
                "The password repeats too few different characters. Choose a "
                "passphrase of several words."
            ),
            field="password",
        )
    if lowered in COMMON_PASSWORDS:
        raise DomainError(_("The password is too common."), field="password")
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        raise DomainError(
            _("The password must not contain the account's email name."),
            field="password",
        )
    for word in name.lower().split():
        if len(word) >= 4 and word in lowered:
            raise DomainError(
                _("The password must not contain the user's name."),
                field="password",
            )


def create_user(
    *, email: str, name: str, role: Role, password: str, body=None, actor=None
) -> User:
    email = email.strip().lower()
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise DomainError(
            _("An account for %(email)s exists already.", email=email),
            field="email",
        )
    staff_roles = (Role.TECHNICIAN, Role.REVIEWER, Role.CERTIFICATION_OFFICER)
    if role in staff_roles and body is None:
        raise DomainError(
            _(
                "A %(role)s must belong to a lab or certification body.",
                role=_(role.value),
            ),
            field="body",
        )
    check_password_policy(password, email, name)

    user = User(email=email, name=name.strip(), role=role, body=body)
    user.set_password(password)
    db.session.add(user)
    record(
        "user.created",
        user,
        summary=f"Account {email} created as {role.value}",
        after=snapshot(user, USER_FIELDS),
        actor=actor,
    )
    return user


def set_active(user: User, active: bool, actor) -> None:
    if actor is not None and user.id == actor.id and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    before = snapshot(user, USER_FIELDS)
    user.is_active_account = active
    record(
        "user.activated" if active else "user.deactivated",
        user,
        before=before,
        after=snapshot(user, USER_FIELDS),
        actor=actor,
    )


def change_password(user: User, password: str, actor) -> None:
    check_password_policy(password, user.email, user.name)
    user.set_password(password)
    # The audit event records that the password changed, never the password.
    record("user.password_changed", user, summary="Password changed", actor=actor)


def _aware(value: datetime) -> datetime:
    """Attach UTC to a time read by an aggregate, which bypasses UTCDateTime."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
