"""Files kept in the database: uploaded instrument files and issued PDFs.

Keeping the bytes in the same database as the records makes an import or an
issue one transaction, and lets every application host read every file.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column

from lims.db_types import NFCString, UTCDateTime, utcnow
from lims.extensions import db


class StoredFile(db.Model):
    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    original_name: Mapped[str] = mapped_column(NFCString(255))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    content: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
