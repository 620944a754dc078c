"""Column types shared by every model.

``Text`` columns normalise to Unicode NFC on the way in, so a name typed on a
keyboard that sends decomposed Vietnamese (e.g. "e" + U+0302 + U+0301) is stored
and searched the same way as the precomposed form. ``UTCDateTime`` stores UTC and
returns timezone-aware values whatever the database keeps.
"""

import enum
import unicodedata
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


def nfc(value: str | None) -> str | None:
    if value is None:
        return None
    return unicodedata.normalize("NFC", value)


class NFCString(TypeDecorator):
    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return nfc(value)


class NFCText(TypeDecorator):
    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return nfc(value)


class UTCDateTime(TypeDecorator):
    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware UTC time")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_column(
    enum_cls: type[enum.Enum], length: int = 32, name: str | None = None
) -> sa.Enum:
    """Store an enum by its value, as a checked string on every database.

    ``name`` names the CHECK constraint. Give one when a table has two
    columns of the same enum, because PostgreSQL needs constraint names that
    are unique per table.
    """
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=length,
        validate_strings=True,
        create_constraint=True,
        name=name or enum_cls.__name__.lower(),
        values_callable=lambda members: [m.value for m in members],
    )


def today_in(timezone: str) -> date:
    """Return the calendar date now in ``timezone`` (an IANA name)."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(timezone)).date()
