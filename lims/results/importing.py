"""Importing many instrument files, one transaction per file, with progress.

Each file is read, evaluated and stored through ``record_reading`` and
committed on its own, so a bad file is rejected whole and the others keep
their results. The caller gets a progress callback per stage and a summary
of files and points read, imported and rejected.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lims.auth.models import User
from lims.equipment.models import Instrument
from lims.errors import DomainError
from lims.extensions import db
from lims.regulations.models import TestItem
from lims.results.rules import FileImport, read_file, record_reading
from lims.testing.models import Sample, TestRequest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportTarget:
    """Database ids of what every file of a batch is recorded against."""

    request_id: int
    sample_id: int
    test_item_id: int
    instrument_ids: tuple[int, ...]
    user_id: int
    settings: FileImport


@dataclass
class ImportSummary:
    """Counts of a batch import and the reason for each rejected file."""

    files_total: int = 0
    files_read: int = 0
    files_imported: int = 0
    files_rejected: int = 0
    points_read: int = 0
    points_imported: int = 0
    current_file: str = ""
    stage: str = "waiting"
    result_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.files_imported > 0

    def as_dict(self) -> dict:
        return asdict(self) | {"succeeded": self.succeeded}


Progress = Callable[[ImportSummary], None]


def list_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the files they contain, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        else:
            files.append(path)
    return files


def import_files(
    files: list[tuple[str, Callable[[], bytes]]],
    target: ImportTarget,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import each ``(name, load)`` pair; ``load`` returns the file's bytes."""
    summary = ImportSummary(files_total=len(files))
    report = progress or (lambda _summary: None)
    for name, load in files:
        summary.current_file = name
        _import_one(name, load, target, summary, report)
    summary.current_file = ""
    summary.stage = "done"
    report(summary)
    logger.info(
        "import of %d files: %d imported, %d rejected, %d points imported",
        summary.files_total,
        summary.files_imported,
        summary.files_rejected,
        summary.points_imported,
    )
    return summary


def _import_one(name, load, target: ImportTarget, summary, report) -> None:
    try:
        summary.stage = "reading"
        report(summary)
        content = load()
        settings = target.settings
        reading = read_file(content, name, settings.format_name, settings.mapping)
        summary.files_read += 1
        points = sum(trace.points for trace in reading.traces)
        summary.points_read += points
        summary.stage = "storing"
        report(summary)
        result = _record(target, reading, content)
        db.session.commit()
    except (DomainError, OSError) as error:
        db.session.rollback()
        summary.files_rejected += 1
        message = getattr(error, "message", None) or str(error)
        summary.errors.append(message if name in message else f"{name}: {message}")
        logger.warning("import of %s rejected: %s", name, message)
        return
    summary.files_imported += 1
    summary.points_imported += result.trace_point_count
    summary.result_ids.append(result.id)


def _record(target: ImportTarget, reading, content: bytes):
    request = db.session.get(TestRequest, target.request_id)
    sample = db.session.get(Sample, target.sample_id)
    item = db.session.get(TestItem, target.test_item_id)
    user = db.session.get(User, target.user_id)
    used = list(
        db.session.scalars(
            db.select(Instrument).where(Instrument.id.in_(target.instrument_ids))
        )
    )
    if None in (request, sample, item, user):
        raise DomainError("The request, sample, test item or user no longer exists.")
    return record_reading(
        request, sample, item, reading, content, target.settings, used, user
    )
