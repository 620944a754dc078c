"""Gap-free, collision-free numbers for requests, reports and certificates."""

import re
import string

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute

from lims.certification.models import NumberSequence
from lims.config import ConfigurationError
from lims.extensions import db

DEFAULT_CERTIFICATE_PATTERN = "{prefix}-{body}-{year}-{seq:05d}"
DEFAULT_CERTIFICATE_PREFIX = "HQ"
CERTIFICATE_PATTERN_FIELDS = frozenset({"prefix", "body", "year", "seq"})
# Numbers appear in URLs and file names, so they keep to this alphabet.
NUMBER_ALPHABET = re.compile(r"[A-Za-z0-9._/-]+")
MAX_NUMBER_LENGTH = 60


def allocate(
    key: str,
    used_key: InstrumentedAttribute | None = None,
    used_value: InstrumentedAttribute | None = None,
) -> int:
    """Return the next number under ``key`` (1 for a new key).

    The increment is one UPDATE ... RETURNING inside the caller's transaction,
    so two transactions can never read the same value: the second waits for
    the first's row lock (PostgreSQL) or write lock (SQLite) and then reads the
    committed value. A UNIQUE constraint on each numbered table is the last
    guard.

    ``used_key`` and ``used_value`` name the columns of the numbered table
    that store each row's key and sequence value. When given, the new value
    also exceeds the largest one stored under ``key``. That keeps numbering
    right after a restore that brought back documents but an older
    ``number_sequence`` row.
    """
    table = NumberSequence.__table__
    current = table.c.last_value
    if used_key is not None and used_value is not None:
        used = (
            sa.select(sa.func.coalesce(sa.func.max(used_value), 0))
            .where(used_key == key)
            .scalar_subquery()
        )
        current = sa.case((current >= used, current), else_=used)
    bump = (
        sa.update(table)
        .where(table.c.key == key)
        .values(last_value=current + 1)
        .returning(table.c.last_value)
    )
    value = db.session.execute(bump).scalar()
    if value is not None:
        return value

    _insert_if_missing(key)
    return db.session.execute(bump).scalar_one()


def _insert_if_missing(key: str) -> None:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(NumberSequence.__table__).values(key=key, last_value=0)
    db.session.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))


def format_certificate_number(
    pattern: str, prefix: str, body: str, year: int, seq: int
) -> str:
    """Fill a certificate number pattern, e.g. ``{prefix}-{body}-{year}-{seq:05d}``."""
    return pattern.format(prefix=prefix, body=body, year=year, seq=seq)


def validate_certificate_numbering(pattern: str, prefix: str) -> None:
    """Raise ConfigurationError unless ``pattern`` and ``prefix`` give unique,
    URL-safe certificate numbers.

    The sequence restarts every year for every issuing body, so the pattern
    must contain ``{body}``, ``{year}`` and ``{seq}``. Without one of them,
    two bodies or two years would print the same number.
    """
    setting = "LIMS_CERTIFICATE_NUMBER_PATTERN"
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
    except ValueError as exc:
        raise ConfigurationError(f"{setting}={pattern!r} is invalid: {exc}") from exc
    unknown = fields - CERTIFICATE_PATTERN_FIELDS
    missing = {"body", "year", "seq"} - fields
    if unknown or missing:
        raise ConfigurationError(
            f"{setting}={pattern!r} is invalid: it must contain {{body}}, {{year}} "
            "and {seq} and may contain {prefix}; "
            f"unknown fields: {sorted(unknown) or 'none'}, "
            f"missing fields: {sorted(missing) or 'none'}. "
            f"Example: {DEFAULT_CERTIFICATE_PATTERN}"
        )
    try:
        sample = format_certificate_number(pattern, prefix, "QT3", 2026, 12345)
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(
            f"{setting}={pattern!r} is invalid: {exc}. Give {{seq}} an integer "
            "format such as {seq:05d}."
        ) from exc
    if not NUMBER_ALPHABET.fullmatch(sample) or len(sample) > MAX_NUMBER_LENGTH:
        raise ConfigurationError(
            f"{setting}={pattern!r} with LIMS_CERTIFICATE_PREFIX={prefix!r} gives "
            f"{sample!r}; a number must be at most {MAX_NUMBER_LENGTH} characters "
            "of letters, digits and . _ / -"
        )
