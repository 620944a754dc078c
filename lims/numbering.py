"""Gap-free, collision-free numbers for requests, reports and certificates."""

import sqlalchemy as sa

from lims.certification.models import NumberSequence
from lims.extensions import db


def allocate(key: str) -> int:
    """Return the next number under ``key`` (1 for a new key).

    The increment is one UPDATE ... RETURNING inside the caller's transaction,
    so two transactions can never read the same value: the second waits for
    the first's row lock (PostgreSQL) or write lock (SQLite) and then sees the
    committed value. A UNIQUE constraint on each numbered table is the last
    guard.
    """
    table = NumberSequence.__table__
    bump = (
        sa.update(table)
        .where(table.c.key == key)
        .values(last_value=table.c.last_value + 1)
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
