"""Command-line tasks: ``flask --app app lims ...``."""

import logging
import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from lims.database import write_intent
from lims.extensions import db

logger = logging.getLogger(__name__)


def register(app: Flask) -> None:
    # Commands of other areas attach themselves to lims_group on import.
    import lims.results.cli  # noqa: F401

    app.cli.add_command(lims_group)


@click.group("lims")
def lims_group() -> None:
    """Set up and maintain the LIMS database."""
    # Every command here may write, so SQLite transactions take the write
    # lock when they begin (see lims.database).
    click.get_current_context().with_resource(write_intent())


@lims_group.command("setup")
@click.option("--demo/--no-demo", default=True, help="Load the demo lab on first run.")
def setup(demo: bool) -> None:
    """Migrate the database, then load reference and demo data if missing."""
    from lims.demo import demo_loaded, load_demo
    from lims.reference.loader import load_all

    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    upgrade(directory=current_app.extensions["migrate"].directory)
    counts = load_all()
    db.session.commit()
    click.echo(f"Reference data: {counts}")

    accounts_file = Path(current_app.instance_path) / "demo-accounts.txt"
    if demo and not demo_loaded():
        with _request_context():
            accounts, password = load_demo(os.environ.get("LIMS_DEMO_PASSWORD"))
            db.session.commit()
        lines = [f"{email:36} {role}" for email, role in accounts.items()]
        accounts_file.write_text(
            "Demo accounts (password for all: "
            + password
            + ")\n"
            + "\n".join(lines)
            + "\n",
            encoding="utf-8",
        )
        accounts_file.chmod(0o600)
    if accounts_file.exists():
        click.echo(accounts_file.read_text(encoding="utf-8"))


@lims_group.command("load-reference")
def load_reference() -> None:
    """Load or update the reference data shipped with the application."""
    from lims.reference.loader import load_all

    counts = load_all()
    db.session.commit()
    click.echo(f"Reference data: {counts}")


@lims_group.command("create-user")
@click.argument("email")
@click.option("--name", required=True)
@click.option(
    "--role",
    type=click.Choice(
        ["admin", "technician", "reviewer", "certification_officer", "importer"]
    ),
    required=True,
)
@click.option("--body", "body_code", default=None, help="Code of the user's body.")
@click.password_option()
def create_user(email, name, role, body_code, password) -> None:
    """Create a user account."""
    from lims.auth.models import Role
    from lims.auth.rules import create_user as create
    from lims.bodies.models import Body
    from lims.errors import DomainError

    body = None
    if body_code:
        body = db.session.scalar(db.select(Body).where(Body.code == body_code))
        if body is None:
            raise click.BadParameter(
                f"no body with code {body_code!r}", param_hint="--body"
            )
    try:
        user = create(
            email=email, name=name, role=Role(role), password=password, body=body
        )
    except DomainError as error:
        raise click.UsageError(error.message) from error
    db.session.commit()
    click.echo(f"User {user.email} created.")


def _request_context():
    base = current_app.config.get("LIMS_BASE_URL") or (
        "http://127.0.0.1:" + os.environ.get("PORT", "8000")
    )
    return current_app.test_request_context("/", base_url=base)


@lims_group.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Write a consistent copy of the database to TARGET."""
    from lims.backup import BackupError, backup

    try:
        backup(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {target}")


@lims_group.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that current data is replaced.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database with the backup in SOURCE."""
    from lims.backup import BackupError, restore

    if not yes:
        raise click.UsageError("Restoring replaces every record; add --yes.")
    db.session.remove()
    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], source)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Database restored from {source}")
