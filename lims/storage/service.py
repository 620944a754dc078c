"""Keeping files in the database."""

import hashlib

from lims.extensions import db
from lims.storage.models import StoredFile


def store_file(content: bytes, name: str, media_type: str, user) -> StoredFile:
    """Add ``content`` as a StoredFile with its SHA-256, in the caller's transaction."""
    stored = StoredFile(
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
        media_type=media_type,
        size=len(content),
        content=content,
        uploaded_by_id=user.id,
    )
    db.session.add(stored)
    return stored
