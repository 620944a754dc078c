"""The audit trail: one row per change to a controlled record."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lims.db_types import NFCString, UTCDateTime, utcnow
from lims.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(64))
    object_id: Mapped[str] = mapped_column(sa.String(64))
    summary: Mapped[str] = mapped_column(NFCString(500), default="")
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    request_id: Mapped[str | None] = mapped_column(sa.String(64))

    actor = relationship("User")

    def changes(self) -> list[tuple[str, object, object]]:
        """Return ``(field, before, after)`` for each plain value that changed.

        Lists and nested objects are left to the full record (the admin
        audit page and its export); long texts are cut to ``CHANGE_WIDTH``.
        """
        before, after = self.before or {}, self.after or {}
        if not before or not after:
            return []
        return [
            (field, _shorten(before.get(field)), _shorten(value))
            for field, value in after.items()
            if before.get(field) != value
            and _is_plain(value)
            and _is_plain(before.get(field))
        ]


# The maximum length, in characters, of a value shown in a change line.
CHANGE_WIDTH = 80


def _is_plain(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _shorten(value):
    if isinstance(value, str) and len(value) > CHANGE_WIDTH:
        return value[: CHANGE_WIDTH - 1] + "…"
    return value
