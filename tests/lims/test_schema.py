"""The migrations build exactly the schema the models declare."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lims.extensions import db as _db


def test_migrations_match_models(app, db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": False, "render_as_batch": True}
        )
        differences = compare_metadata(context, _db.metadata)
    assert differences == []


def test_audit_events_cannot_be_changed(app, db):
    import sqlalchemy as sa

    from lims.audit.models import AuditEvent

    db.session.add(AuditEvent(action="x", object_type="t", object_id="1"))
    db.session.commit()
    for statement in ("UPDATE audit_event SET action = 'y'", "DELETE FROM audit_event"):
        try:
            db.session.execute(sa.text(statement))
            db.session.commit()
        except sa.exc.DBAPIError as error:
            db.session.rollback()
            assert "append-only" in str(error)
        else:
            raise AssertionError(f"{statement} was allowed")
    assert db.session.scalar(sa.select(AuditEvent.action)) == "x"
