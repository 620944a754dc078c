"""Saved column mappings: each lab's table layouts for the generic reader.

A profile belongs to one lab, and its name is unique within that lab.
Creating, changing and deleting one is recorded in the audit trail. An
import may use only a profile of the request's lab. ``try_mapping`` reads a
sample file through settings that need not be saved, so that a technician
can check them first.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

import instruments
from instruments import ColumnMapping
from lims.audit.service import record, snapshot
from lims.errors import DomainError
from lims.extensions import db
from lims.results.models import ColumnMappingProfile

PROFILE_FIELDS = [
    "name",
    "description",
    "x_column",
    "y_columns",
    "separator",
    "decimal",
    "encoding",
    "header_rows",
    "units_row",
    "x_unit",
    "y_unit",
    "date_column",
    "date_format",
    "sheet",
]
PREVIEW_ROWS = 5


def lab_profiles(lab_id: int) -> list[ColumnMappingProfile]:
    """Return the lab's profiles in name order."""
    return list(
        db.session.scalars(
            db.select(ColumnMappingProfile)
            .where(ColumnMappingProfile.lab_id == lab_id)
            .order_by(ColumnMappingProfile.name)
        )
    )


def find_profile(lab_id: int, name: str) -> ColumnMappingProfile | None:
    """Return the lab's profile called ``name``, or None."""
    return db.session.scalar(
        db.select(ColumnMappingProfile).where(
            ColumnMappingProfile.lab_id == lab_id,
            ColumnMappingProfile.name == name.strip(),
        )
    )


SAVED_MEANWHILE = _l(
    "Someone saved this column mapping after you opened it. Reload the page "
    "to see their changes, then make yours again."
)


def save_profile(
    lab,
    profile: ColumnMappingProfile | None,
    *,
    name: str,
    description: str,
    mapping: ColumnMapping,
    actor,
    expected_version: int | None = None,
) -> ColumnMappingProfile:
    """Create a profile in ``lab`` (``profile`` None) or change ``profile``.

    ``expected_version`` is the version the editor started from. Raises
    DomainError when someone saved the profile since, when the name is
    empty or taken in the lab, or when a header name has only digits.
    """
    if profile is not None and expected_version not in (None, profile.version):
        raise DomainError(str(SAVED_MEANWHILE))
    name = name.strip()
    if not name:
        raise DomainError(_("Enter a name for the column mapping."), field="name")
    lab_id = lab.id if profile is None else profile.lab_id
    other = find_profile(lab_id, name)
    if other is not None and other is not profile:
        raise DomainError(
            _(
                "This lab already has a column mapping named %(name)s; choose "
                "another name.",
                name=name,
            ),
            field="name",
        )
    # NOTE: two requests saving the same name at once can both pass this
    # check; the unique constraint then rejects the second with an error page.
    created = profile is None
    if created:
        profile = ColumnMappingProfile(lab_id=lab_id)
        db.session.add(profile)
    before = None if created else snapshot(profile, PROFILE_FIELDS)
    profile.name = name
    profile.description = description.strip()
    try:
        profile.set_mapping(mapping)
    except ValueError as error:
        raise DomainError(str(error)) from error
    record(
        "column_mapping.created" if created else "column_mapping.updated",
        profile,
        summary=f"Column mapping {name}",
        before=before,
        after=snapshot(profile, PROFILE_FIELDS),
        actor=actor,
    )
    return profile


def delete_profile(profile: ColumnMappingProfile, actor) -> None:
    """Delete the profile; results read with it keep their own copy."""
    record(
        "column_mapping.deleted",
        profile,
        summary=f"Column mapping {profile.name}",
        before=snapshot(profile, PROFILE_FIELDS),
        actor=actor,
    )
    db.session.delete(profile)
    db.session.flush()


def mapping_for_request(profile: ColumnMappingProfile, request) -> ColumnMapping:
    """Return the profile's mapping for an import into ``request``.

    Raises DomainError unless the profile belongs to the request's lab.
    """
    if profile.lab_id != request.lab_id:
        raise DomainError(
            _(
                "Column mapping %(name)s belongs to another lab; choose one of "
                "this lab's mappings.",
                name=profile.name,
            ),
            field="mapping",
        )
    try:
        return profile.to_mapping()
    except ValueError as error:
        raise DomainError(
            _(
                "Column mapping %(name)s is invalid (%(reason)s); correct it first.",
                name=profile.name,
                reason=str(error),
            ),
            field="mapping",
        ) from error


@dataclass(frozen=True)
class TracePreview:
    """The first rows of one trace read through a mapping (x in Hz)."""

    name: str
    unit: str
    points: int
    first_rows: list[tuple[float, float]]


@dataclass(frozen=True)
class TrialRead:
    """Result of reading a sample file through a mapping: traces or the error."""

    traces: list[TracePreview] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    encoding: str = ""
    error: instruments.ReadError | None = None


def try_mapping(content: bytes, filename: str, mapping: ColumnMapping) -> TrialRead:
    """Read ``content`` through ``mapping`` and store nothing."""
    try:
        reading = instruments.read(content, name=filename, mapping=mapping)
    except instruments.ReadError as error:
        return TrialRead(error=error)
    traces = [
        TracePreview(
            name=trace.name,
            unit=trace.y_unit,
            points=trace.points,
            first_rows=[
                (float(x), float(y))
                for x, y in trace.data[["x_hz", "y"]].head(PREVIEW_ROWS).to_numpy()
            ],
        )
        for trace in reading.traces
    ]
    return TrialRead(
        traces=traces, metadata=dict(reading.metadata), encoding=reading.encoding
    )
