"""Users and their roles."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lims.db_types import NFCString, UTCDateTime, enum_column, utcnow
from lims.extensions import db


class Role(enum.Enum):
    ADMIN = "admin"
    TECHNICIAN = "technician"
    REVIEWER = "reviewer"
    CERTIFICATION_OFFICER = "certification_officer"
    IMPORTER = "importer"


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(NFCString(254), unique=True)
    name: Mapped[str] = mapped_column(NFCString(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # Staff belong to the body they work for; importers and administrators
    # may have none.
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("body.id"))
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    body = relationship("Body")

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class LoginAttempt(db.Model):
    """One login attempt, kept to throttle guessing and for security review."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        sa.Index("ix_login_attempt_email_time", "email", "attempted_at"),
        sa.Index("ix_login_attempt_ip_time", "ip_address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(NFCString(254))
    ip_address: Mapped[str] = mapped_column(sa.String(45))
    succeeded: Mapped[bool]
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
