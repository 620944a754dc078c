"""Results: one measurement per test item and sample, with its lineage."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship, validates

from instruments import ColumnMapping
from lims.db_types import NFCString, NFCText, UTCDateTime, enum_column, nfc, utcnow
from lims.extensions import db


class ResultStatus(enum.Enum):
    ENTERED = "entered"
    APPROVED = "approved"
    RETRACTED = "retracted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


# Statuses of a result that no longer counts; the next one for the same
# sample and test item is a new revision linked to it.
CLOSED_STATUSES = frozenset(
    {ResultStatus.RETRACTED, ResultStatus.REJECTED, ResultStatus.SUPERSEDED}
)
WORST_POINT_COUNT = 10


class Verdict(enum.Enum):
    PASS = "pass"
    CONDITIONAL_PASS = "conditional_pass"
    CONDITIONAL_FAIL = "conditional_fail"
    FAIL = "fail"


result_instrument = sa.Table(
    "result_instrument",
    db.metadata,
    sa.Column("result_id", sa.ForeignKey("result.id"), primary_key=True),
    sa.Column("instrument_id", sa.ForeignKey("instrument.id"), primary_key=True),
)


class Result(db.Model):
    """A measured value against a test item's limit.

    For a swept measurement ``value`` is the level at the worst point, and
    ``margin`` is level minus limit there (positive means over a maximum
    limit). Values are stored unrounded; rounding happens for display only.
    """

    __tablename__ = "result"
    __table_args__ = (sa.UniqueConstraint("sample_id", "test_item_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("test_request.id"), index=True
    )
    sample_id: Mapped[int] = mapped_column(sa.ForeignKey("sample.id"))
    test_item_id: Mapped[int] = mapped_column(sa.ForeignKey("test_item.id"))
    revision: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("result.id"))
    revision_reason: Mapped[str] = mapped_column(NFCText, default="")
    status: Mapped[ResultStatus] = mapped_column(
        enum_column(ResultStatus), default=ResultStatus.ENTERED
    )

    # "<" or ">" for a value reported against a detection limit, else None.
    operand: Mapped[str | None] = mapped_column(sa.String(2))
    value: Mapped[float]
    unit: Mapped[str] = mapped_column(sa.String(20))
    expanded_uncertainty: Mapped[float | None]
    coverage_factor: Mapped[float] = mapped_column(default=2.0)
    limit_value: Mapped[float | None]
    margin: Mapped[float | None]
    frequency_hz: Mapped[float | None]
    verdict: Mapped[Verdict] = mapped_column(enum_column(Verdict))
    # Detector of the limit line compared with ("quasi-peak"), "" if none.
    detector: Mapped[str] = mapped_column(sa.String(20), default="")
    # Up to WORST_POINT_COUNT points with the largest margins, worst first,
    # as [frequency_hz, value, limit, margin] lists; None for a single value.
    worst_points: Mapped[list | None] = mapped_column(sa.JSON)
    decision_rule: Mapped[str] = mapped_column(sa.String(20))
    conditions: Mapped[str] = mapped_column(NFCString(300), default="")
    measured_on: Mapped[date]

    source_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id"))
    source_format: Mapped[str] = mapped_column(sa.String(40), default="")
    trace_name: Mapped[str] = mapped_column(NFCString(120), default="")
    # The trace as float64 pairs (x in Hz, y), compressed, for plots.
    trace_points: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    trace_point_count: Mapped[int] = mapped_column(default=0)
    # The column mapping a generic table was read with, copied at import so
    # that later edits of the profile do not change the record:
    # {"name": profile name, "settings": ColumnMapping.to_dict()}.
    source_mapping: Mapped[dict | None] = mapped_column(sa.JSON)
    # What the reader noticed in the file (implausible values, traces not
    # measured, a date in the file other than the measurement date), kept so
    # that the reviewer can read it too.
    import_warnings: Mapped[list] = mapped_column(
        sa.JSON, default=list, server_default=sa.text("'[]'")
    )

    entered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who retracted, rejected or superseded the result, when and why.
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_reason: Mapped[str] = mapped_column(NFCText, default="")

    request = relationship("TestRequest", back_populates="results")
    sample = relationship("Sample")
    test_item = relationship("TestItem")
    previous = relationship("Result", remote_side=[id])
    instruments = relationship("Instrument", secondary=result_instrument)
    entered_by = relationship("User", foreign_keys=[entered_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    source_file = relationship("StoredFile")

    @property
    def is_locked(self) -> bool:
        return self.status != ResultStatus.ENTERED

    @property
    def lineage(self) -> list["Result"]:
        """Earlier revisions of this result, newest first."""
        earlier, current = [], self.previous
        while current is not None:
            earlier.append(current)
            current = current.previous
        return earlier


class ColumnMappingProfile(db.Model):
    """A lab's saved column mapping for reading its own tables of levels.

    Columns and the Excel sheet are stored as text: ASCII digits only mean a
    0-based position, anything else a header or sheet name. An empty unit
    means that the unit is read from ``units_row``.
    """

    __tablename__ = "column_mapping_profile"
    __table_args__ = (
        sa.UniqueConstraint(
            "lab_id", "name", name="uq_column_mapping_profile_lab_id_name"
        ),
        # Profiles can be deleted, and the audit trail finds events by id,
        # so SQLite must never hand a deleted profile's id to a new one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lab_id: Mapped[int] = mapped_column(sa.ForeignKey("body.id"))
    name: Mapped[str] = mapped_column(NFCString(120))
    description: Mapped[str] = mapped_column(NFCString(300), default="")
    x_column: Mapped[str] = mapped_column(NFCString(120))
    # A list of column texts, in the order the traces are read.
    y_columns: Mapped[list] = mapped_column(sa.JSON)
    separator: Mapped[str] = mapped_column(sa.String(1), default=",")
    decimal: Mapped[str] = mapped_column(sa.String(1), default=".")
    # A Python codec name, or empty to detect the encoding as for other files.
    encoding: Mapped[str] = mapped_column(sa.String(40), default="")
    header_rows: Mapped[int] = mapped_column(default=1)
    units_row: Mapped[int | None]
    x_unit: Mapped[str] = mapped_column(sa.String(3), default="Hz")
    y_unit: Mapped[str] = mapped_column(NFCString(20), default="")
    date_column: Mapped[str] = mapped_column(NFCString(120), default="")
    date_format: Mapped[str] = mapped_column(NFCString(40), default="")
    sheet: Mapped[str] = mapped_column(NFCString(120), default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
    # Raised by each save. The edit form carries the version it showed, so
    # that a save over someone else's newer change is refused.
    version: Mapped[int] = mapped_column(default=1)

    lab = relationship("Body")

    __mapper_args__ = {"version_id_col": version}

    @validates("y_columns")
    def _normalise_columns(self, key: str, columns) -> list[str]:
        # NFCString normalises the text columns, but not the texts in this list.
        return [nfc(str(column)) for column in columns]

    def to_mapping(self) -> ColumnMapping:
        """Return the settings as the generic reader's ColumnMapping.

        Raises ValueError when the stored settings are inconsistent.
        """
        return ColumnMapping(
            x_column=column_reference(self.x_column),
            y_columns=tuple(column_reference(text) for text in self.y_columns),
            separator=self.separator,
            decimal=self.decimal,
            encoding=self.encoding or None,
            header_rows=self.header_rows,
            units_row=self.units_row,
            x_unit=self.x_unit or None,
            y_unit=self.y_unit or None,
            date_column=column_reference(self.date_column)
            if self.date_column
            else None,
            date_format=self.date_format or None,
            sheet=column_reference(self.sheet),
        )

    def set_mapping(self, mapping: ColumnMapping) -> None:
        """Copy every field of ``mapping`` into the stored columns.

        Raises ValueError for a header or sheet name of digits only, because
        the stored text would read back as a position.
        """
        self.x_column = column_text(mapping.x_column, "x_column")
        self.y_columns = [column_text(c, "y_columns") for c in mapping.y_columns]
        self.separator = mapping.separator
        self.decimal = mapping.decimal
        self.encoding = mapping.encoding or ""
        self.header_rows = mapping.header_rows
        self.units_row = mapping.units_row
        self.x_unit = mapping.x_unit or ""
        self.y_unit = mapping.y_unit or ""
        self.date_column = (
            ""
            if mapping.date_column is None
            else column_text(mapping.date_column, "date_column")
        )
        self.date_format = mapping.date_format or ""
        self.sheet = column_text(mapping.sheet, "sheet")


def column_reference(text: str) -> str | int:
    """Turn stored column text into a name, or a position if it is all digits."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else text


def column_text(column: str | int, field: str) -> str:
    """Turn a column name or position into the text stored for it."""
    if isinstance(column, int):
        return str(column)
    text = column.strip()
    if text.isascii() and text.isdigit():
        raise ValueError(
            f"{field}: the name {text!r} has only digits, which would be read "
            "as a column position"
        )
    return text
