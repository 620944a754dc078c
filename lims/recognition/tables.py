"""Reading tables from CSV or Excel (.xlsx) uploads, and multi-sheet writing.

Uploads are sniffed by content, not by file name. On the way out, text cells
that a spreadsheet would run as a formula are neutralised by lims.exports,
and restore() undoes that on the way back in.
"""

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from lims.exports import neutralise, write_csv

__all__ = ["TableError", "read_table", "read_xlsx_sheets", "write_csv", "write_xlsx"]

MAX_ROWS = 200_000


class TableError(ValueError):
    """The upload is not a table this program can read."""


def read_table(content: bytes, filename: str = "") -> list[tuple[int, dict[str, str]]]:
    """Return (line number, {header: text}) for every non-empty data row.

    Headers are lowercased with spaces as underscores. An Excel workbook is
    read from its first sheet. Raises TableError when the content is neither
    UTF-8 CSV nor an Excel workbook, or has no header.
    """
    name = filename or "the file"
    if content.startswith(b"PK\x03\x04"):
        sheets = _xlsx_sheets(content, name)
        header, rows = next(iter(sheets.values()), ([], []))
    else:
        header, rows = _csv_rows(content, name)
    return _records(header, rows, name)


def read_xlsx_sheets(
    content: bytes, filename: str
) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """Read every worksheet of a workbook as a table (see read_table)."""
    return {
        title: _records(header, rows, f"{filename}, sheet {title}")
        for title, (header, rows) in _xlsx_sheets(content, filename).items()
    }


def _records(header: list[str], rows, name: str) -> list[tuple[int, dict[str, str]]]:
    keys = [normalise_header(h) for h in header]
    if not any(keys):
        raise TableError(f"{name}: the first line has no headers.")
    table = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cells = (restore(c.strip()) for c in row)
        table.append((line, dict(zip(keys, cells, strict=False))))
        if len(table) > MAX_ROWS:
            raise TableError(f"{name}: more than {MAX_ROWS} rows.")
    return table


def normalise_header(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _csv_rows(content: bytes, name: str):
    if b"\x00" in content[:4096]:
        raise TableError(f"{name} is binary, not a CSV or Excel table.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(
            f"{name} is not UTF-8 text (byte {error.start}); save it as UTF-8 CSV "
            "or as an Excel workbook."
        ) from error
    if not text.strip():
        raise TableError(f"{name} is empty.")
    first_line = text.splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    rows = ((reader.line_num, row) for row in reader)
    return header, list(rows)


def _xlsx_sheets(content: bytes, name: str) -> dict[str, tuple[list[str], list]]:
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise TableError(f"{name} is not a valid Excel workbook: {error}") from error
    sheets = {}
    for sheet in workbook.worksheets:
        values = sheet.iter_rows(values_only=True)
        header = [cell_text(h) for h in next(values, None) or ()]
        rows = [
            (line, [cell_text(v) for v in row])
            for line, row in enumerate(values, start=2)
        ]
        sheets[sheet.title] = (header, rows)
    workbook.close()
    return sheets


def cell_text(value) -> str:
    """Return a cell value as text: dates as ISO, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def restore(text: str) -> str:
    """Undo lims.exports.neutralise, so an exported file imports unchanged."""
    if text.startswith("'") and text[1:2] and text[1:2] in "=+-@":
        return text[1:]
    return text


def write_xlsx(sheets: dict[str, tuple[list[str], Iterable[Iterable]]]) -> bytes:
    """Write one worksheet per entry of ``sheets`` (title: (header, rows))."""
    workbook = openpyxl.Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
