"""Generic CSV, TSV and Excel tables read through a saved column mapping.

The generic reader is never chosen by sniffing: the caller passes
``read(..., mapping=ColumnMapping(...))``. Excel workbooks (.xlsx through
openpyxl) are recognised by their ZIP signature; anything else is text split
on ``separator``.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from instruments.document import Document, decode, split_lines, trace_frame
from instruments.model import ReadError, Trace
from instruments.registry import Parsed, register
from instruments.units import frequency_scale, normalise_level_unit

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"

Column = str | int


@dataclass(frozen=True)
class ColumnMapping:
    """How to read one laboratory's table layout.

    Columns are named by their header text or by 0-based position. Row
    numbers are 0-based positions among the file's rows. ``header_rows`` rows
    come before the data; column names are in the first of them. When
    ``x_unit`` or ``y_unit`` is None, the unit is read from ``units_row``.
    ``date_column`` with ``date_format`` (a ``strptime`` format) puts the
    first data row's date into the metadata. Invalid values raise ValueError
    when the mapping is built.
    """

    x_column: Column
    y_columns: tuple[Column, ...]
    separator: str = ","
    decimal: str = "."
    encoding: str | None = None
    header_rows: int = 1
    units_row: int | None = None
    x_unit: str | None = "Hz"
    y_unit: str | None = None
    date_column: Column | None = None
    date_format: str | None = None
    sheet: str | int = 0

    def __post_init__(self) -> None:
        # A list given for y_columns (as JSON has no tuples) is kept as a tuple,
        # so that the mapping stays hashable.
        if isinstance(self.y_columns, list):
            object.__setattr__(self, "y_columns", tuple(self.y_columns))
        problem = _first_problem(self)
        if problem is not None:
            raise ValueError(problem)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """Build a mapping from a dict keyed by field name, as read from JSON.

        Raises ValueError naming the unknown or missing keys, or the first
        invalid value.
        """
        if not isinstance(data, Mapping):
            raise ValueError(
                f"expected an object with the mapping's fields, not {_kind(data)}"
            )
        known = [field.name for field in fields(cls)]
        unknown = sorted(str(key) for key in data if key not in known)
        if unknown:
            raise ValueError(
                f"unknown {_keys(unknown)} {', '.join(unknown)}; "
                f"known keys: {', '.join(known)}"
            )
        missing = [name for name in ("x_column", "y_columns") if name not in data]
        if missing:
            raise ValueError(f"missing {_keys(missing)} {', '.join(missing)}")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-ready dict that ``from_dict`` accepts."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        values["y_columns"] = list(self.y_columns)
        return values


def _first_problem(mapping: ColumnMapping) -> str | None:
    """Return what is wrong with the mapping's values, or None."""
    checks = [
        _column_problem("x_column", mapping.x_column),
        _columns_problem(mapping.y_columns),
        _character_problem("separator", mapping.separator),
        _character_problem("decimal", mapping.decimal),
        _encoding_problem(mapping.encoding),
        _rows_problem(mapping.header_rows, mapping.units_row),
        _x_unit_problem(mapping.x_unit),
        _optional_text_problem("y_unit", mapping.y_unit),
        _date_problem(mapping.date_column, mapping.date_format),
        _sheet_problem(mapping.sheet),
    ]
    if mapping.separator == mapping.decimal:
        checks.append(f"separator and decimal are both {mapping.separator!r}")
    return next((problem for problem in checks if problem), None)


def _keys(names: list[str]) -> str:
    return "key" if len(names) == 1 else "keys"


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _column_problem(name: str, column: Any) -> str | None:
    if _is_whole(column):
        return None if column >= 0 else f"{name} position {column} is negative"
    if isinstance(column, str):
        return None if column.strip() else f"{name} is empty"
    return f"{name} must be a header name or a 0-based position, not {_kind(column)}"


def _columns_problem(columns: Any) -> str | None:
    if not isinstance(columns, tuple):
        return f"y_columns must be a list of columns, not {_kind(columns)}"
    if not columns:
        return "y_columns is empty; name at least one level column"
    problems = (_column_problem("y_columns", column) for column in columns)
    return next((problem for problem in problems if problem), None)


def _character_problem(name: str, value: Any) -> str | None:
    if not isinstance(value, str) or len(value) != 1:
        return f"{name} must be one character, not {value!r}"
    if value in '"\r\n':
        return f"{name} cannot be {value!r}"
    return None


def _encoding_problem(encoding: Any) -> str | None:
    if encoding is None:
        return None
    if not isinstance(encoding, str):
        return f"encoding must be a codec name or null, not {_kind(encoding)}"
    try:
        codecs.lookup(encoding)
    except LookupError:
        return f"unknown encoding {encoding!r}"
    return None


def _rows_problem(header_rows: Any, units_row: Any) -> str | None:
    if not _is_whole(header_rows) or header_rows < 0:
        return f"header_rows must be a whole number of 0 or more, not {header_rows!r}"
    if units_row is None:
        return None
    if not _is_whole(units_row) or not 0 <= units_row < header_rows:
        return (
            f"units_row must be a 0-based row among the {header_rows} header "
            f"rows, not {units_row!r}"
        )
    return None


def _x_unit_problem(unit: Any) -> str | None:
    if unit is None:
        return None
    if not isinstance(unit, str) or frequency_scale(unit) is None:
        return f"x_unit must be Hz, kHz, MHz, GHz or null, not {unit!r}"
    return None


def _optional_text_problem(name: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return None
    return f"{name} must be text or null, not {_kind(value)}"


def _date_problem(column: Any, date_format: Any) -> str | None:
    if column is None and date_format is None:
        return None
    if column is None or date_format is None:
        return "date_column and date_format must be given together"
    if not isinstance(date_format, str) or "%" not in date_format:
        return (
            "date_format must be a strptime format such as '%d.%m.%Y', "
            f"not {date_format!r}"
        )
    return _column_problem("date_column", column)


def _sheet_problem(sheet: Any) -> str | None:
    if isinstance(sheet, str) or (_is_whole(sheet) and sheet >= 0):
        return None
    return f"sheet must be a sheet name or a 0-based position, not {sheet!r}"


class GenericTable:
    name = "generic"
    description = "CSV/TSV/Excel table read through a ColumnMapping"

    def sniff(self, doc: Document) -> bool:
        return False

    def parse(self, doc: Document, mapping: ColumnMapping | None = None) -> Parsed:
        if mapping is None:
            raise doc.error(None, "the generic format needs a column mapping")
        records, encoding = _records(doc, mapping)
        if len(records) <= mapping.header_rows:
            raise doc.error(
                None, f"no data rows after {mapping.header_rows} header rows"
            )
        rows = [row for _, row in records]
        names = rows[0] if mapping.header_rows else []
        header_line = records[0][0] if mapping.header_rows else None
        units = rows[mapping.units_row] if mapping.units_row is not None else []
        units_line = (
            records[mapping.units_row][0] if mapping.units_row is not None else None
        )
        # Spreadsheet exports often end with, or contain, empty rows.
        data = [
            (line, row)
            for line, row in records[mapping.header_rows :]
            if any(cell.strip() for cell in row)
        ]
        if not data:
            raise doc.error(
                None, f"no data rows after {mapping.header_rows} header rows"
            )
        x_at = _position(doc, names, mapping.x_column, header_line)
        x_scale = _x_scale(doc, mapping, units, x_at, units_line)
        x_hz = _column(doc, mapping, data, x_at) * x_scale
        traces = []
        for column in mapping.y_columns:
            at = _position(doc, names, column, header_line)
            unit = mapping.y_unit if mapping.y_unit is not None else _cell(units, at)
            name = unicodedata.normalize("NFC", _cell(names, at)) or f"column {at}"
            frame = trace_frame(x_hz, _column(doc, mapping, data, at))
            traces.append(Trace(name, frame, normalise_level_unit(unit)))
        metadata = _date(doc, mapping, names, data, header_line)
        return Parsed(metadata, traces, encoding=encoding)


Record = tuple[int, list[str]]  # 0-based line where the row starts, its cells


def _records(doc: Document, mapping: ColumnMapping) -> tuple[list[Record], str | None]:
    if doc.raw.startswith((_ZIP_SIGNATURE, _OLE_SIGNATURE)):
        return list(enumerate(_excel_rows(doc, mapping))), "xlsx"
    text, encoding = doc.text, None
    if mapping.encoding is not None:
        try:
            text, encoding = decode(doc.raw, mapping.encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise doc.error(
                None, f"cannot decode as {mapping.encoding}: {exc}"
            ) from None
    reader = csv.reader(split_lines(text), delimiter=mapping.separator)
    records = []
    start = 0
    # A quoted cell may span lines, so a row starts where the last one ended.
    for row in reader:
        records.append((start, row))
        start = reader.line_num
    return records, encoding


def _excel_rows(doc: Document, mapping: ColumnMapping) -> list[list[str]]:
    try:
        frame = pd.read_excel(
            io.BytesIO(doc.raw), sheet_name=mapping.sheet, header=None, dtype=object
        )
    except Exception as exc:  # openpyxl and xlrd raise many exception types
        raise doc.error(None, f"cannot read the workbook: {exc}") from None
    return [
        [_excel_text(value, mapping.date_format) for value in row]
        for row in frame.itertuples(index=False)
    ]


def _excel_text(value: Any, date_format: str | None) -> str:
    """Return a cell as text. A date cell is written in the mapping's format,
    so that reading it back with that format gives the same date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, datetime | date):
        return value.strftime(date_format) if date_format else value.isoformat()
    return str(value)


def _position(
    doc: Document, names: list[str], column: Column, header_line: int | None
) -> int:
    if isinstance(column, int):
        return column
    # Compared in NFC, so that a name typed as "e" + U+0302 matches "ê".
    stripped = [unicodedata.normalize("NFC", name.strip()) for name in names]
    expected_name = unicodedata.normalize("NFC", column.strip())
    if expected_name not in stripped:
        raise doc.error(header_line, f"no column named {column!r}")
    return stripped.index(expected_name)


def _cell(row: list[str], at: int) -> str:
    return row[at].strip() if at < len(row) else ""


def _column(
    doc: Document, mapping: ColumnMapping, data: list[Record], at: int
) -> np.ndarray:
    values = np.empty(len(data))
    for offset, (line, row) in enumerate(data):
        if at >= len(row):
            raise doc.error(line, f"row has no column {at + 1}")
        text = row[at].strip()
        if mapping.decimal != "." and "." in text:
            # A point beside a decimal comma may be a thousands separator, so
            # reading "1.5" as one and a half could be wrong by a factor 1000.
            reason = f"expected a number with a decimal comma, found {text!r}"
            raise doc.error(line, reason)
        try:
            values[offset] = doc.number(text.replace(mapping.decimal, "."), line)
        except ReadError:
            # The message quotes the cell as the file has it.
            raise doc.error(line, f"expected a number, found {text!r}") from None
    return values


def _x_scale(
    doc: Document,
    mapping: ColumnMapping,
    units: list[str],
    at: int,
    units_line: int | None,
) -> float:
    unit = mapping.x_unit if mapping.x_unit is not None else _cell(units, at)
    scale = frequency_scale(unit or "Hz")
    if scale is None:
        raise doc.error(units_line, f"unknown frequency unit {unit!r}")
    return scale


def _date(
    doc: Document,
    mapping: ColumnMapping,
    names: list[str],
    data: list[Record],
    header_line: int | None,
) -> dict[str, str]:
    if mapping.date_column is None or mapping.date_format is None:
        return {}
    at = _position(doc, names, mapping.date_column, header_line)
    line, row = data[0]
    text = _cell(row, at)
    try:
        return {"date": datetime.strptime(text, mapping.date_format).isoformat()}
    except ValueError:
        reason = f"date {text!r} does not match the format {mapping.date_format!r}"
        raise doc.error(line, reason) from None


register(GenericTable())
