"""Generic CSV, TSV and Excel tables read through a saved column mapping.

The generic reader is never chosen by sniffing: the caller passes
``read(..., mapping=ColumnMapping(...))``. Excel workbooks (.xlsx through
openpyxl) are recognised by their ZIP signature; anything else is text split
on ``separator``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from instruments.document import Document, decode, split_lines, trace_frame
from instruments.model import Trace
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
    first data row's date into the metadata.
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


class GenericTable:
    name = "generic"
    description = "CSV/TSV/Excel table read through a ColumnMapping"

    def sniff(self, doc: Document) -> bool:
        return False

    def parse(self, doc: Document, mapping: ColumnMapping | None = None) -> Parsed:
        if mapping is None:
            raise doc.error(None, "the generic format needs a column mapping")
        rows, encoding = _rows(doc, mapping)
        if len(rows) <= mapping.header_rows:
            raise doc.error(
                None, f"no data rows after {mapping.header_rows} header rows"
            )
        names = rows[0] if mapping.header_rows else []
        units = rows[mapping.units_row] if mapping.units_row is not None else []
        data = rows[mapping.header_rows :]
        x_at = _position(doc, names, mapping.x_column)
        x_hz = _column(doc, mapping, data, x_at) * _x_scale(doc, mapping, units, x_at)
        traces = []
        for column in mapping.y_columns:
            at = _position(doc, names, column)
            unit = mapping.y_unit if mapping.y_unit is not None else _cell(units, at)
            name = _cell(names, at) or f"column {at}"
            frame = trace_frame(x_hz, _column(doc, mapping, data, at))
            traces.append(Trace(name, frame, normalise_level_unit(unit)))
        metadata = _date(doc, mapping, names, data)
        return Parsed(metadata, traces, encoding=encoding)


def _rows(doc: Document, mapping: ColumnMapping) -> tuple[list[list[str]], str | None]:
    if doc.raw.startswith((_ZIP_SIGNATURE, _OLE_SIGNATURE)):
        return _excel_rows(doc, mapping), "xlsx"
    text, encoding = doc.text, None
    if mapping.encoding is not None:
        try:
            text, encoding = decode(doc.raw, mapping.encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise doc.error(
                None, f"cannot decode as {mapping.encoding}: {exc}"
            ) from None
    lines = split_lines(text)
    rows = list(csv.reader(lines, delimiter=mapping.separator))
    return [row for row in rows], encoding


def _excel_rows(doc: Document, mapping: ColumnMapping) -> list[list[str]]:
    try:
        frame = pd.read_excel(
            io.BytesIO(doc.raw), sheet_name=mapping.sheet, header=None, dtype=object
        )
    except Exception as exc:  # openpyxl and xlrd raise many exception types
        raise doc.error(None, f"cannot read the workbook: {exc}") from None
    return [
        ["" if pd.isna(value) else str(value) for value in row]
        for row in frame.itertuples(index=False)
    ]


def _position(doc: Document, names: list[str], column: Column) -> int:
    if isinstance(column, int):
        return column
    stripped = [name.strip() for name in names]
    if column.strip() not in stripped:
        raise doc.error(1 if names else None, f"no column named {column!r}")
    return stripped.index(column.strip())


def _cell(row: list[str], at: int) -> str:
    return row[at].strip() if at < len(row) else ""


def _column(
    doc: Document, mapping: ColumnMapping, data: list[list[str]], at: int
) -> np.ndarray:
    values = np.empty(len(data))
    for offset, row in enumerate(data):
        index = mapping.header_rows + offset
        if at >= len(row):
            raise doc.error(index, f"row has no column {at + 1}")
        text = row[at].strip().replace(mapping.decimal, ".")
        values[offset] = doc.number(text, index)
    return values


def _x_scale(doc: Document, mapping: ColumnMapping, units: list[str], at: int) -> float:
    unit = mapping.x_unit if mapping.x_unit is not None else _cell(units, at)
    scale = frequency_scale(unit or "Hz")
    if scale is None:
        raise doc.error(mapping.units_row, f"unknown frequency unit {unit!r}")
    return scale


def _date(
    doc: Document, mapping: ColumnMapping, names: list[str], data: list[list[str]]
) -> dict[str, str]:
    if mapping.date_column is None or mapping.date_format is None:
        return {}
    at = _position(doc, names, mapping.date_column)
    text = _cell(data[0], at)
    try:
        return {"date": datetime.strptime(text, mapping.date_format).isoformat()}
    except ValueError:
        reason = f"date {text!r} does not match the format {mapping.date_format!r}"
        raise doc.error(mapping.header_rows, reason) from None


register(GenericTable())
