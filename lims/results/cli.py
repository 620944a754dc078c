"""``flask --app app lims import-results``: import instrument files from disk.

The command is added to the ``lims`` group when ``lims.results.views`` is
imported, which happens when the application registers its blueprints.
"""

import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

import click

from lims.auth.models import User
from lims.cli import lims_group
from lims.equipment.models import Instrument
from lims.errors import DomainError
from lims.extensions import db
from lims.results.importing import (
    ImportSummary,
    ImportTarget,
    import_files,
    list_files,
)
from lims.results.mappings import find_profile, mapping_for_request
from lims.results.rules import FileImport
from lims.testing.models import Sample, TestRequest


@lims_group.command("import-results")
@click.option("--request", "request_number", required=True, help="Request number.")
@click.option("--sample", "sample_code", required=True, help="Sample code.")
@click.option(
    "--test-item",
    "test_item_text",
    required=True,
    help="Test item: its id, or words that match one item of the request's "
    "regulations (regulation code, clause or name), such as 'class B, "
    "quasi-peak'.",
)
@click.option(
    "--instrument",
    "assets",
    required=True,
    multiple=True,
    help="Asset number of an instrument used; repeat for several.",
)
@click.option("--user", "email", required=True, help="E-mail of the technician.")
@click.option(
    "--measured-on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Measurement date, YYYY-MM-DD; default today.",
)
@click.option("--uncertainty", type=float, default=None, help="Expanded uncertainty U.")
@click.option(
    "--format", "format_name", default=None, help="Reader name; default: detect."
)
@click.option(
    "--mapping",
    "mapping_name",
    default=None,
    help="Name of a saved column mapping of the request's lab; reads the files "
    "as tables through it.",
)
@click.option(
    "--trace",
    "trace_name",
    default=None,
    help="Trace name; default: the trace measured with the limit's detector, "
    "else the first.",
)
@click.option("--limit-detector", default=None, help="Detector of the limit to apply.")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
def import_results(
    request_number: str,
    sample_code: str,
    test_item_text: str,
    assets: tuple[str, ...],
    email: str,
    measured_on,
    uncertainty: float | None,
    format_name: str | None,
    mapping_name: str | None,
    trace_name: str | None,
    limit_detector: str | None,
    paths: tuple[Path, ...],
) -> None:
    """Import instrument FILES_OR_FOLDERS as results, one transaction per file.

    Prints a progress line per stage and a summary; exits with status 1 when
    no file was imported.
    """
    request = _one(TestRequest, TestRequest.number == request_number, "request")
    sample = _one(Sample, Sample.code == sample_code, "sample")
    user = _one(User, User.email == email, "user")
    test_item_id = _test_item(request, test_item_text)
    instruments = _instruments(request.lab_id, assets)
    mapping = None
    if mapping_name is not None:
        if format_name not in (None, "generic"):
            raise click.UsageError("give either --format or --mapping, not both.")
        mapping, mapping_name = _mapping(request, mapping_name)
    settings = FileImport(
        measured_on=measured_on.date() if measured_on else date.today(),
        expanded_uncertainty=uncertainty,
        format_name=format_name,
        trace_name=trace_name,
        limit_detector=limit_detector,
        mapping=mapping,
        mapping_name=mapping_name or "",
    )
    target = ImportTarget(
        request.id, sample.id, test_item_id, instruments, user.id, settings
    )
    files = [(str(path), path.read_bytes) for path in list_files(paths)]
    started = time.perf_counter()
    summary = import_files(files, target, progress=_print_progress)
    _print_summary(summary, time.perf_counter() - started)
    if not summary.succeeded:
        sys.exit(1)


def _one(model, condition, what: str):
    found = db.session.scalar(db.select(model).where(condition))
    if found is None:
        raise click.BadParameter(f"no {what} matches; check the value.")
    return found


def _test_item(request: TestRequest, text: str) -> int:
    """Return the id of the request's test item named by ``text``.

    Digits are an id. Other text must match exactly one item of the request's
    regulations, in its regulation code, clause or name, ignoring case. When
    it matches none or several, the error lists the candidates.
    """
    text = unicodedata.normalize("NFC", text.strip())
    if text.isascii() and text.isdecimal():
        return int(text)
    items = [item for reg in request.regulations for item in reg.test_items]
    needle = text.casefold()
    matches = [item for item in items if needle in _item_label(item).casefold()]
    if len(matches) == 1:
        return matches[0].id
    candidates = matches or items
    listing = "; ".join(f"{item.id}: {_item_label(item)}" for item in candidates)
    problem = "matches several test items" if matches else "matches no test item"
    raise click.BadParameter(
        f"{text!r} {problem} of request {request.number}. Give one of these ids "
        f"or more words: {listing}",
        param_hint="--test-item",
    )


def _item_label(item) -> str:
    return f"{item.regulation.code} {item.clause} {item.name_en} / {item.name_vi}"


def _instruments(lab_id: int, assets: tuple[str, ...]) -> tuple[int, ...]:
    found = db.session.scalars(
        db.select(Instrument).where(
            Instrument.body_id == lab_id, Instrument.asset_number.in_(assets)
        )
    ).all()
    missing = set(assets) - {i.asset_number for i in found}
    if missing:
        raise click.BadParameter(
            f"instrument {', '.join(sorted(missing))} not found in the request's lab."
        )
    return tuple(i.id for i in found)


def _mapping(request: TestRequest, name: str):
    """Return the lab's mapping called ``name`` and the name as saved."""
    profile = find_profile(request.lab_id, name)
    if profile is None:
        raise click.BadParameter(
            f"no column mapping named {name!r} in the request's lab; check the "
            "name on the Column mappings page.",
            param_hint="--mapping",
        )
    try:
        return mapping_for_request(profile, request), profile.name
    except DomainError as error:
        raise click.BadParameter(error.message, param_hint="--mapping") from None


def _print_progress(summary: ImportSummary) -> None:
    if summary.stage == "done":
        return
    done = summary.files_imported + summary.files_rejected
    click.echo(
        f"[{done + 1}/{summary.files_total}] {summary.stage} {summary.current_file}",
        err=True,
    )


def _print_summary(summary: ImportSummary, seconds: float) -> None:
    for error in summary.errors:
        click.echo(f"rejected: {error}", err=True)
    click.echo(
        f"files: {summary.files_total} total, {summary.files_read} read, "
        f"{summary.files_imported} imported, {summary.files_rejected} rejected; "
        f"points: {summary.points_read} read, {summary.points_imported} imported; "
        f"{seconds:.1f} s"
    )
    if not summary.succeeded:
        click.echo("Import failed: no file was imported.", err=True)
