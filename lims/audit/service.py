"""Writing the audit trail.

Operations call :func:`record` in the same transaction as the change, so a
change and its audit event are committed or rolled back together.
"""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask import g, has_request_context
from flask_login import current_user

from lims.audit.models import AuditEvent
from lims.extensions import db


def snapshot(obj, fields: list[str]) -> dict:
    """Return a JSON-ready dict of the named attributes of ``obj``."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def record(
    action: str,
    obj,
    *,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    actor=None,
) -> AuditEvent:
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    db.session.flush()
    event = AuditEvent(
        action=action,
        object_type=type(obj).__tablename__,
        object_id=str(obj.id),
        summary=summary,
        before=before,
        after=after,
        actor_id=actor.id if actor is not None else None,
        request_id=g.get("request_id") if has_request_context() else None,
    )
    db.session.add(event)
    return event


def events_for(obj) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            db.select(AuditEvent)
            .where(
                AuditEvent.object_type == type(obj).__tablename__,
                AuditEvent.object_id == str(obj.id),
            )
            .order_by(AuditEvent.id)
        )
    )


def _jsonable(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
