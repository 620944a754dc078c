"""Permissions by name, granted to roles, and checks on single objects."""

import enum
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from lims.auth.models import Role


class Permission(enum.Enum):
    REGISTER_REQUEST = "register_request"
    RECEIVE_SAMPLE = "receive_sample"
    ENTER_RESULT = "enter_result"
    REVIEW_RESULT = "review_result"
    ISSUE_REPORT = "issue_report"
    MANAGE_INSTRUMENTS = "manage_instruments"
    ISSUE_CERTIFICATE = "issue_certificate"
    CHANGE_CERTIFICATE_STATUS = "change_certificate_status"
    VIEW_LAB_RECORDS = "view_lab_records"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_RECOGNITION = "manage_recognition"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {
            Permission.VIEW_AUDIT,
            Permission.VIEW_LAB_RECORDS,
            Permission.MANAGE_USERS,
            Permission.MANAGE_RECOGNITION,
        }
    ),
    Role.TECHNICIAN: frozenset(
        {
            Permission.REGISTER_REQUEST,
            Permission.RECEIVE_SAMPLE,
            Permission.ENTER_RESULT,
            Permission.MANAGE_INSTRUMENTS,
            Permission.VIEW_LAB_RECORDS,
        }
    ),
    Role.REVIEWER: frozenset(
        {
            Permission.REVIEW_RESULT,
            Permission.ISSUE_REPORT,
            Permission.VIEW_LAB_RECORDS,
            Permission.VIEW_AUDIT,
        }
    ),
    Role.CERTIFICATION_OFFICER: frozenset(
        {
            Permission.ISSUE_CERTIFICATE,
            Permission.CHANGE_CERTIFICATE_STATUS,
            Permission.VIEW_LAB_RECORDS,
            Permission.VIEW_AUDIT,
        }
    ),
    Role.IMPORTER: frozenset(),
}


def has_permission(user, permission: Permission) -> bool:
    if not user.is_authenticated:
        return False
    return permission in ROLE_PERMISSIONS[user.role]


def require(permission: Permission):
    """Let a view run only for logged-in users holding ``permission``."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not has_permission(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def can_see_lab_record(user, lab_id: int) -> bool:
    """Staff see the records of their own body; administrators see all.

    Certification officers see test reports of every lab, because they
    certify from them.
    """
    if not has_permission(user, Permission.VIEW_LAB_RECORDS):
        return False
    if user.role in (Role.ADMIN, Role.CERTIFICATION_OFFICER):
        return True
    return user.body_id == lab_id


def check_lab_record(user, lab_id: int) -> None:
    if not can_see_lab_record(user, lab_id):
        abort(403)
